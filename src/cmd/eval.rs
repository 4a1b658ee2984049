//! `jiyu eval`: scores the rules against answers a person labeled.

use std::path::PathBuf;

use clap::Args;

use jiyu::eval::{evaluate, read_gold};
use jiyu::{Error, Result};

use super::{print, AnalyzerArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  \
    jiyu eval --gold corpus/ipa-2024/labeled.jsonl\n\n\
    Prints, per scheme, primary-label accuracy, precision/recall/F1 per category, macro-F1 and\n\
    a confusion matrix, then the figures over Q6-1, Q7-2, Q10-1 and over all schemes, then\n\
    every miss with its text and evidence.")]
pub struct EvalArgs {
    /// JSONL with id, question, text and the person's `category`.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Print the figures as one JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub rules: RulesArgs,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: EvalArgs) -> Result<i32> {
    let classifier = args.rules.classifier(&args.analyzer)?;
    let gold = read_gold(&args.gold)?;
    let report = evaluate(&classifier, &gold);
    if args.json {
        let mut text = serde_json::to_string_pretty(&report)
            .map_err(|err| Error::Usage(format!("cannot encode JSON: {err}")))?;
        text.push('\n');
        print(&text)?;
    } else {
        print(&report.render())?;
    }
    Ok(0)
}
