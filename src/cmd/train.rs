//! `jiyu train`: trains the model from labeled answers, corrections and written answers.

use std::path::PathBuf;

use clap::Args;

use jiyu::gold::{gold_from_overrides, read_gold, GoldAnswer};
use jiyu::input;
use jiyu::model::train::{train, Labeled, TrainOptions, TrainReport};
use jiyu::output::write_atomically;
use jiyu::overrides::Overrides;
use jiyu::rules::scheme::RuleSet;
use jiyu::wording::counted;
use jiyu::{Error, Result};

use super::{announce_rules, print, AnalyzerArgs, InputArgs};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu train --gold corpus/ipa-2024/labeled.jsonl --out rules/model.json\n  \
    jiyu train --gold labeled.jsonl --overrides corrections.csv --input survey.csv \\\n    \
    --id-column 回答者ID --text-columns Q5 --out rules/model.json\n\n\
    Trains, per scheme, a word model (logistic regression over the answers' content words)\n\
    and the weights that combine it with the rules. The word models learn from every labeled\n\
    answer: --gold files and the corrections of --overrides (their answers read from --input);\n\
    how far the rules are trusted and how confidence is scaled come from the --gold answers\n\
    alone, since corrections are the answers staff chose to check. Written answers\n\
    (--synthetic, e.g. from `jiyu demo-data --labeled`) may join the word models with a lower\n\
    weight; they never count in the figures. Prints cross-validated figures: accuracy of the\n\
    rules (simulated as not having seen each answer), of the word model and of both, and the\n\
    calibration error. The same input always writes the same bytes. `classify`, `report`,\n\
    `index` and `serve` use model.json beside the rules by default.")]
// The export is needed only with --overrides.
#[command(mut_arg("input", |arg| arg.required(false)))]
pub struct TrainArgs {
    /// Labeled answers (JSONL with id, question, text, category). May be given more than once.
    #[arg(long, value_name = "FILE")]
    pub gold: Vec<PathBuf>,
    /// Corrections (the overrides file of `jiyu serve` or `classify --overrides`) as labeled
    /// answers; needs --input, the export its ids come from.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
    #[command(flatten)]
    pub input: Option<InputArgs>,
    /// Written (synthetic) labeled answers, JSONL like --gold. May be given more than once.
    #[arg(long, value_name = "FILE")]
    pub synthetic: Vec<PathBuf>,
    /// The weight of a written answer against 1 for a real one.
    #[arg(long, value_name = "W", default_value_t = TrainOptions::default().synthetic_weight)]
    pub synthetic_weight: f64,
    /// Folds of the cross-validation.
    #[arg(long, value_name = "K", default_value_t = TrainOptions::default().folds)]
    pub folds: usize,
    /// Seed of the folds.
    #[arg(long, value_name = "N", default_value_t = TrainOptions::default().seed)]
    pub seed: u64,
    /// Where no rule term matched, the model proposes a category only from this probability on
    /// (default: wherever it knows a word of the answer, with the confidence that guess earns).
    #[arg(long, value_name = "P", default_value_t = TrainOptions::default().withhold_below)]
    pub withhold_below: f64,
    /// Where to write the model (JSON). Written whole or not at all.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Print the figures as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// The rules directory the model goes with (default: ./rules when it holds scheme files,
    /// else the built-in rules).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: TrainArgs) -> Result<i32> {
    let analyzer = args.analyzer.analyzer()?;
    let rules = RuleSet::load(
        &jiyu::rules::scheme::RulesSource::resolve(args.rules.as_deref()),
        &analyzer,
    )?;
    let mut gold: Vec<GoldAnswer> = Vec::new();
    for path in &args.gold {
        gold.extend(read_gold(path, &rules)?);
    }
    let mut corrections = Vec::new();
    if let Some(path) = &args.overrides {
        let input_args = args.input.as_ref().ok_or_else(|| {
            Error::Usage("--overrides needs --input, the export its ids come from".into())
        })?;
        let overrides = Overrides::load(path, &rules)?;
        corrections = gold_from_overrides(
            input::open(&input_args.input, &input_args.options())?,
            &overrides,
            &rules,
        )?;
    }
    if gold.is_empty() && corrections.is_empty() {
        return Err(Error::Usage(
            "nothing to train on: give --gold FILE and/or --overrides FILE --input EXPORT".into(),
        ));
    }
    let mut synthetic = Vec::new();
    for path in &args.synthetic {
        synthetic.extend(read_gold(path, &rules)?);
    }
    let options = TrainOptions {
        folds: args.folds,
        seed: args.seed,
        synthetic_weight: args.synthetic_weight,
        withhold_below: args.withhold_below,
        ..TrainOptions::default()
    };
    let labeled = Labeled {
        gold: &gold,
        corrections: &corrections,
        synthetic: &synthetic,
    };
    let (model, report) = train(&rules, &analyzer, labeled, &options)?;
    let text = model.to_json();
    write_atomically(&args.out, |out| {
        out.write_all(text.as_bytes())
            .map_err(|err| Error::io(&args.out, err))
    })?;
    if args.json {
        let mut json = serde_json::to_string_pretty(&report)
            .map_err(|err| Error::Encode(format!("cannot encode JSON: {err}")))?;
        json.push('\n');
        print(&json)?;
    } else {
        print(&render(&report))?;
    }
    announce_rules(&rules, false);
    eprintln!(
        "jiyu: wrote {} ({} KB)",
        args.out.display(),
        text.len().div_ceil(1024)
    );
    Ok(0)
}

/// The training figures as text.
fn render(report: &TrainReport) -> String {
    let mut out = String::new();
    let synthetic: usize = report.schemes.iter().map(|s| s.synthetic_answers).sum();
    out.push_str(&format!(
        "trained on {}, {} and {}{}\n",
        counted(report.answers, "labeled answer", "labeled answers"),
        counted(report.corrections, "correction", "corrections"),
        counted(synthetic, "written one", "written ones"),
        match report.skipped {
            0 => String::new(),
            n => format!(
                " ({} of questions without a scheme, or non-answers, skipped)",
                counted(n, "labeled answer", "labeled answers")
            ),
        }
    ));
    let losses: Vec<String> = report
        .penalty_losses
        .iter()
        .map(|(penalty, loss)| format!("{penalty} → {loss:.1}"))
        .collect();
    out.push_str(&format!(
        "word models: L2 penalty {} (held-out log-loss {})\n",
        report.penalty,
        losses.join(", ")
    ));
    let weights: Vec<String> = report
        .combiner
        .iter()
        .map(|(name, weight)| format!("{name} {weight:.3}"))
        .collect();
    out.push_str(&format!("combiner: {}\n", weights.join(", ")));
    out.push_str(&format!(
        "where no rule term matched, the model proposes a category from probability {} on\n\n",
        report.withhold_below
    ));
    out.push_str(
        "cross-validated primary accuracy (word models not trained on the answer; rules without\n\
         the terms no other labeled answer contains):\n",
    );
    out.push_str(&format!(
        "  {:<20} {:>7} {:>7} {:>6} {:>6} {:>6} {:>8}\n",
        "scheme", "answers", "written", "words", "rules", "model", "combined"
    ));
    let share = |part: usize, whole: usize| part as f64 / whole.max(1) as f64;
    for scheme in &report.schemes {
        out.push_str(&format!(
            "  {:<20} {:>7} {:>7} {:>6} {:>6.3} {:>6.3} {:>8.3}\n",
            scheme.scheme,
            scheme.answers,
            scheme.synthetic_answers,
            scheme.words,
            share(scheme.rules_correct, scheme.answers),
            share(scheme.words_correct, scheme.answers),
            share(scheme.combined_correct, scheme.answers),
        ));
    }
    out.push_str(&format!(
        "  {:<20} {:>7} {:>7} {:>6} {:>6.3} {:>6.3} {:>8.3}\n",
        "all",
        report.answers,
        synthetic,
        "",
        report.rules_accuracy,
        report.words_accuracy,
        report.combined_accuracy
    ));
    out.push_str(&format!(
        "expected calibration error of the combined confidence: {:.3}\n",
        report.calibration.expected_calibration_error
    ));
    out
}
