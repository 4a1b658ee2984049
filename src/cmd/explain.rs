//! `jiyu explain`: one answer's tokens, then each rule of its scheme and what matched.

use clap::Args;

use jiyu::rules::expr::ExplainNode;
use jiyu::{Error, Result};

use super::tokenize::negation_column;
use super::{print, AnalyzerArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  \
    jiyu explain --question Q10-1 \"取引先からの信頼が高まった\"\n\n\
    Shows the tokens (as `jiyu tokenize` does, `negated` last on the tokens of a negated\n\
    predicate), the categories the answer gets, then every category of the question's\n\
    scheme with its rule: [x] marks the parts that matched, [ ] those that did not.")]
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
    print(&out)?;
    Ok(0)
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
    for child in &node.children {
        render_node(child, depth + 1, out);
    }
}
