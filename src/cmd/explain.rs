//! `jiyu explain`: one answer's tokens, then each rule of its scheme and what matched.

use clap::Args;

use jiyu::classify::NO_ANSWER;
use jiyu::model::{votes, Model, RuleVote};
use jiyu::rules::expr::ExplainNode;
use jiyu::rules::scheme::{NoAnswerMatch, NoAnswerRule, Scheme};
use jiyu::{Analysis, Error, Result};

use super::tokenize::negation_column;
use super::{announce_rules, print, AnalyzerArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  \
    jiyu explain --question Q10-1 \"取引先からの信頼が高まった\"\n\n\
    Shows the tokens (as `jiyu tokenize` does, `negated` last on the tokens of a negated\n\
    predicate), the categories the answer gets, then every category of the question's\n\
    scheme with its rule: [x] marks the parts that matched, [ ] those that did not. With a\n\
    model: what the primary rests on (basis) and the confidence, then each category's\n\
    probability from the words alone and with the rules' votes weighed in, and the words that\n\
    speak for each category.")]
pub struct ExplainArgs {
    /// The question the answer belongs to (it picks the scheme).
    #[arg(long, short)]
    pub question: String,
    /// The answer text.
    pub text: String,
    #[command(flatten)]
    pub rules: RulesArgs,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: ExplainArgs) -> Result<i32> {
    let classifier = args.rules.classifier(&args.analyzer)?;
    let analysis = classifier.analyzer.analyze(&args.text);
    let mut out = String::new();
    out.push_str(&format!(
        "normalized: {}\ntokens:\n",
        analysis.normalized.text
    ));
    for token in &analysis.tokens {
        out.push_str(&format!(
            "  {}\t{}\t{}\t{}\t{}\n",
            token.surface,
            token.base,
            token.pos,
            token.reading,
            negation_column(token)
        ));
    }
    let classification = classifier.classify_analysis(&args.question, &args.text, &analysis);
    out.push_str(&format!(
        "categories: {}\n",
        if classification.categories.is_empty() {
            "(none: no scheme sorts this question)".to_string()
        } else {
            classification.categories.join(", ")
        }
    ));
    out.push_str(&format!(
        "basis: {} ({}), confidence {}\n",
        classification.basis.as_str(),
        classification.basis.label(),
        classification
            .confidence
            .map_or("-".to_string(), |confidence| format!("{confidence:.3}"))
    ));
    let Some(scheme) = classifier.rules.scheme_for(&args.question) else {
        print(&out)?;
        let questions: Vec<String> = classifier
            .rules
            .schemes
            .iter()
            .flat_map(|scheme| scheme.questions.clone())
            .collect();
        return Err(Error::Usage(format!(
            "no scheme sorts question {}; the rules ({}) sort {}",
            args.question,
            classifier.rules.origin,
            questions.join(", ")
        )));
    };
    out.push_str(&format!("\nscheme {} ({})\n", scheme.id, scheme.source));
    if let Some(no_answer) = &scheme.no_answer {
        render_no_answer(no_answer, &analysis, &args.text, &mut out);
    }
    for (index, category) in scheme.categories.iter().enumerate() {
        let tree = scheme.program.explain(&analysis, &args.text, index);
        out.push_str(&format!(
            "\n{} {} — {}{}\n",
            if tree.matched { "[x]" } else { "[ ]" },
            category.id,
            category.label,
            if category.priority != 0 {
                format!(" (priority {})", category.priority)
            } else {
                String::new()
            }
        ));
        render_node(&tree, 1, &mut out);
    }
    if let Some(model) = &classifier.model {
        render_model(model, scheme, &analysis, &args.text, &mut out);
    }
    print(&out)?;
    announce_rules(&classifier.rules, false);
    Ok(0)
}

/// The scheme's own non-answers (its `[no_answer]` table): whether a phrase or the rule took
/// the answer, and the rule's tree.
fn render_no_answer(no_answer: &NoAnswerRule, analysis: &Analysis, text: &str, out: &mut String) {
    let found = no_answer.matches(analysis, text);
    out.push_str(&format!(
        "\n{} {NO_ANSWER} — the scheme's own non-answers ([no_answer]: {}){}\n",
        if found.is_some() { "[x]" } else { "[ ]" },
        no_answer.describe(),
        match found {
            Some(NoAnswerMatch::Phrase) => " ← a phrase",
            Some(NoAnswerMatch::Rule(_)) => " ← the rule",
            None => "",
        }
    ));
    if !no_answer.phrases.is_empty() {
        let phrases: Vec<String> = no_answer
            .phrases
            .iter()
            .map(|phrase| format!("「{phrase}」"))
            .collect();
        out.push_str(&format!("  phrases: {}\n", phrases.join(" ")));
    }
    if let Some(tree) = no_answer.explain(analysis, text) {
        render_node(&tree, 1, out);
    }
}

/// The model's view: per category the word model's probability, the rules' vote and the
/// combined probability, most probable first; then the words it knows with their strongest
/// category.
fn render_model(model: &Model, scheme: &Scheme, analysis: &Analysis, text: &str, out: &mut String) {
    let votes = votes(scheme, &scheme.matches(analysis, text));
    let (words, known) = model.word_probabilities(scheme, analysis);
    let (combined, _) = model.probabilities(scheme, &votes, analysis);
    out.push_str(&format!(
        "\nmodel ({}): the word model and the rules weighed together\n",
        model.origin()
    ));
    out.push_str(&format!(
        "  {:<22} {:>6} {:>9}  rule vote\n",
        "category", "words", "combined"
    ));
    let mut order: Vec<usize> = (0..scheme.categories.len()).collect();
    order.sort_by(|&a, &b| combined[b].total_cmp(&combined[a]));
    for index in order {
        out.push_str(&format!(
            "  {:<22} {:>6.3} {:>9.3}  {}\n",
            scheme.categories[index].id,
            words[index],
            combined[index],
            match votes[index] {
                RuleVote::None => "-".to_string(),
                RuleVote::Default => "catch-all".to_string(),
                RuleVote::Terms { first, terms } => format!(
                    "{terms} term{}{}",
                    if terms == 1 { "" } else { "s" },
                    if first { ", first" } else { "" }
                ),
            }
        ));
    }
    if known == 0 {
        out.push_str("  the word model knows none of the answer's words: it proposes nothing\n");
        return;
    }
    for category in &scheme.categories {
        let strongest = model.strongest_words(&scheme.id, &category.id, analysis, 5);
        if !strongest.is_empty() {
            let words: Vec<&str> = strongest.iter().map(|word| word.text).collect();
            out.push_str(&format!(
                "  words for {}: {}\n",
                category.id,
                words.join(", ")
            ));
        }
    }
}

fn render_node(node: &ExplainNode, depth: usize, out: &mut String) {
    out.push_str(&format!(
        "{}{} {}",
        "  ".repeat(depth),
        if node.matched { "[x]" } else { "[ ]" },
        node.text.split_whitespace().collect::<Vec<_>>().join(" ")
    ));
    if !node.evidence.is_empty() {
        let found: Vec<String> = node
            .evidence
            .iter()
            .map(|evidence| format!("「{}」@{}", evidence.text, evidence.start))
            .collect();
        out.push_str(&format!("  ← {}", found.join(" ")));
    }
    out.push('\n');
    for note in &node.notes {
        out.push_str(&format!("{}    ({note})\n", "  ".repeat(depth)));
    }
    for child in &node.children {
        render_node(child, depth + 1, out);
    }
}
