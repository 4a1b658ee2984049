//! The text of `jiyu explain`: one answer's tokens, the categories it gets, then each rule of
//! its scheme with the parts that matched and, with a model, the model's view. The command
//! prints it; the Python binding returns it.

use crate::analyze::Analysis;
use crate::classify::{Classifier, NO_ANSWER};
use crate::model::{votes, Model, RuleVote};
use crate::rules::expr::ExplainNode;
use crate::rules::scheme::{NoAnswerMatch, NoAnswerRule, Scheme};

/// How `classifier` treats `text` as an answer to `question`, as `jiyu explain` prints it. When
/// no scheme sorts `question` the text ends after the tokens, the categories and the basis.
pub fn explain(classifier: &Classifier, question: &str, text: &str) -> String {
    let analysis = classifier.analyzer.analyze(text);
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
            if token.negated { "negated" } else { "" }
        ));
    }
    let classification = classifier.classify_analysis(question, text, &analysis);
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
    let Some(scheme) = classifier.rules.scheme_for(question) else {
        return out;
    };
    out.push_str(&format!("\nscheme {} ({})\n", scheme.id, scheme.source));
    if let Some(no_answer) = &scheme.no_answer {
        render_no_answer(no_answer, &analysis, text, &mut out);
    }
    for (index, category) in scheme.categories.iter().enumerate() {
        let tree = scheme.program.explain(&analysis, text, index);
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
        render_model(model, scheme, &analysis, text, &mut out);
    }
    out
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
