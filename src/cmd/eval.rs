//! `jiyu eval`: scores the rules against answers a person labeled.

use std::path::PathBuf;

use clap::Args;

use jiyu::classify::Classifier;
use jiyu::gold::{gold_from_overrides, read_gold};
use jiyu::input;
use jiyu::model::train::TrainOptions;
use jiyu::overrides::Overrides;
use jiyu::score::{cross_validate, evaluate, split_validate};
use jiyu::{Error, Result};

use super::{announce_rules, print, AnalyzerArgs, InputArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(
    override_usage = "jiyu eval --gold <FILE> [OPTIONS]\n       \
                      jiyu eval --overrides <FILE> --input <FILE> [INPUT OPTIONS] [OPTIONS]",
    after_help = "Examples:\n  \
    jiyu eval --gold corpus/ipa-2024/labeled.jsonl\n  \
    jiyu eval --overrides corrections.csv --input corpus/demo/survey.csv --id-column 回答者ID \\\n    \
    --text-columns Q6-1,Q7-2,Q10-1\n\n\
    Prints, per scheme, primary-label accuracy, precision/recall/F1 per category, macro-F1 and\n\
    a confusion matrix, then the figures over Q6-1, Q7-2, Q10-1 and over all schemes, then\n\
    every miss with its text, evidence and confidence, and a reliability table (confidence\n\
    against accuracy, expected calibration error, accuracy of the most confident answers).\n\
    With --overrides the gold labels are the first category of each override, and the answers\n\
    are read from --input.\n\n\
    With --cv K: K-fold cross-validation instead, training a model on K-1 folds each time\n\
    (with --synthetic written answers too, never those echoing a held-out answer), and scoring\n\
    the rules alone, the model alone and both, with the rules as written (inflated when the\n\
    gold answers are their examples) and as if they had not seen the held-out answers:\n  \
    jiyu eval --gold corpus/ipa-2024/labeled.jsonl --cv 5 --synthetic target/model/synthetic.jsonl\n\n\
    With --train FILE: the held-out split — a model trained on FILE's answers only classifies\n\
    --gold's, and the rules are simulated as written from FILE's answers alone:\n  \
    jiyu eval --gold corpus/ipa-2024/split/holdout.jsonl --train corpus/ipa-2024/split/dev.jsonl"
)]
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
    /// K-fold cross-validation of the rules, the model and both (see below).
    #[arg(long, value_name = "K", conflicts_with = "train")]
    pub cv: Option<usize>,
    /// The held-out split: train a model on this gold file's answers, test on --gold (see
    /// below).
    #[arg(long, value_name = "FILE", requires = "gold")]
    pub train: Option<PathBuf>,
    /// With --cv: the seed of the folds.
    #[arg(long, value_name = "N", default_value_t = TrainOptions::default().seed, requires = "cv")]
    pub seed: u64,
    /// With --cv or --train: written labeled answers (JSONL) the model may also train on, as
    /// `jiyu train --synthetic`.
    #[arg(long, value_name = "FILE")]
    pub synthetic: Vec<PathBuf>,
    /// With --cv or --train: as `jiyu train --withhold-below`.
    #[arg(long, value_name = "P", default_value_t = TrainOptions::default().withhold_below)]
    pub withhold_below: f64,
    #[command(flatten)]
    pub rules: RulesArgs,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: EvalArgs) -> Result<i32> {
    let classifier = args.rules.classifier(&args.analyzer)?;
    let code = evaluate_with(&args, &classifier)?;
    announce_rules(&classifier.rules, false);
    Ok(code)
}

/// Scores the rules of `classifier` as `args` ask and prints the report.
fn evaluate_with(args: &EvalArgs, classifier: &Classifier) -> Result<i32> {
    let gold = match (&args.gold, &args.overrides, &args.input) {
        (Some(gold), _, None) => read_gold(gold, &classifier.rules)?,
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
    let mut synthetic = Vec::new();
    for path in &args.synthetic {
        synthetic.extend(read_gold(path, &classifier.rules)?);
    }
    if !synthetic.is_empty() && args.cv.is_none() && args.train.is_none() {
        return Err(Error::Usage(
            "--synthetic goes with --cv or --train: it is training data for the model".into(),
        ));
    }
    let options = TrainOptions {
        withhold_below: args.withhold_below,
        ..TrainOptions::default()
    };
    if let Some(path) = &args.train {
        let report = split_validate(
            &classifier.rules,
            &classifier.analyzer,
            &read_gold(path, &classifier.rules)?,
            &gold,
            &synthetic,
            &options,
        )?;
        return print_report(&report, args.json, || report.render());
    }
    if let Some(folds) = args.cv {
        let report = cross_validate(
            &classifier.rules,
            &classifier.analyzer,
            &gold,
            &synthetic,
            folds,
            args.seed,
            &options,
        )?;
        return print_report(&report, args.json, || report.render());
    }
    let report = evaluate(classifier, &gold);
    print_report(&report, args.json, || report.render())
}

/// Prints `report` as JSON or as `render` writes it.
fn print_report<T: serde::Serialize>(
    report: &T,
    json: bool,
    render: impl Fn() -> String,
) -> Result<i32> {
    if json {
        let mut text = serde_json::to_string_pretty(&report)
            .map_err(|err| Error::Encode(format!("cannot encode JSON: {err}")))?;
        text.push('\n');
        print(&text)?;
    } else {
        print(&render())?;
    }
    Ok(0)
}
