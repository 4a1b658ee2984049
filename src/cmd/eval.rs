//! `jiyu eval`: scores the rules against answers a person labeled.

use std::path::PathBuf;

use clap::Args;

use jiyu::eval::{evaluate, gold_from_overrides, read_gold};
use jiyu::input;
use jiyu::overrides::Overrides;
use jiyu::{Error, Result};

use super::{print, AnalyzerArgs, InputArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu eval --gold corpus/ipa-2024/labeled.jsonl\n  \
    jiyu eval --overrides corrections.csv --input corpus/demo/survey.csv --id-column 回答者ID \\\n    \
    --text-columns Q6-1,Q7-2,Q10-1\n\n\
    Prints, per scheme, primary-label accuracy, precision/recall/F1 per category, macro-F1 and\n\
    a confusion matrix, then the figures over Q6-1, Q7-2, Q10-1 and over all schemes, then\n\
    every miss with its text and evidence. With --overrides the gold labels are the first\n\
    category of each override, and the answers are read from --input.")]
#[command(group(clap::ArgGroup::new("labels").args(["gold", "overrides"]).required(true)))]
pub struct EvalArgs {
    /// JSONL with id, question, text and the person's `category`.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["overrides", "input"])]
    pub gold: Option<PathBuf>,
    /// An overrides file (CSV: id, categories joined by |) as gold; needs --input, the export
    /// the ids come from.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
    #[command(flatten)]
    pub input: Option<InputArgs>,
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
    let gold = match (&args.gold, &args.overrides, &args.input) {
        (Some(gold), _, None) => read_gold(gold)?,
        (None, Some(path), Some(input_args)) => {
            let overrides = Overrides::load(path, &classifier.rules)?;
            gold_from_overrides(
                input::open(&input_args.input, &input_args.options())?,
                &overrides,
                &classifier.rules,
            )?
        }
        (Some(_), _, Some(_)) => {
            return Err(Error::Usage(
                "--input goes with --overrides; a --gold file holds its answers itself".into(),
            ))
        }
        _ => {
            return Err(Error::Usage(
                "--overrides needs --input, the export its ids come from".into(),
            ))
        }
    };
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
