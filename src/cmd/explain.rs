//! `jiyu explain`: one answer's tokens, then each rule of its scheme and what matched.

use clap::Args;

use jiyu::classify::explain::explain;
use jiyu::{Error, Result};

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
    print(&explain(&classifier, &args.question, &args.text))?;
    if classifier.rules.scheme_for(&args.question).is_none() {
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
    }
    announce_rules(&classifier.rules, false);
    Ok(0)
}
