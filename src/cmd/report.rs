//! `jiyu report`: the survey report of an export — report.html, report.md, summary.csv and
//! crosstab.csv in one directory, written whole or not at all.

use std::path::PathBuf;
use std::sync::Mutex;

use clap::Args;

use jiyu::classify::unsorted::{Unsorted, UnsortedCheck};
use jiyu::classify::REVIEW_BELOW;
use jiyu::input;
use jiyu::overrides::Overrides;
use jiyu::progress::answers_bar;
use jiyu::report::{self, ReportOptions};
use jiyu::Result;

use super::{announce_rules, warn_unsorted, AnalyzerArgs, InputArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  \
    jiyu report --input corpus/demo/survey.csv --id-column 回答者ID \\\n    \
    --text-columns Q6-1,Q7-2,Q10-1,Q9,Q10,Q12,Q13-1,Q14,Q15 --by 業種,取組段階 --out report\n\n\
    Writes DIR/report.html (one self-contained page: per question the figures, a bar chart,\n\
    representative answers under each heading, the answers that need review — confidence below\n\
    --review-below, least confident first — and the cross-tables; the model's labels marked),\n\
    DIR/report.md (the same in Markdown), DIR/summary.csv and DIR/crosstab.csv (UTF-8 with BOM).\n\
    An existing DIR is replaced only when it holds a previous report, and only on success.")]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Corrected labels (CSV: id, categories joined by |, optional note) that replace jiyu's.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
    /// Attributes to cross-tabulate by, comma-separated (e.g. 業種,従業員数,取組段階).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub by: Vec<String>,
    /// Representative answers shown under each heading.
    #[arg(long, value_name = "N", default_value_t = report::DEFAULT_EXAMPLES)]
    pub examples: usize,
    /// Answers whose confidence is below P need review (要確認): counted per question and
    /// listed, least confident first. Above 0, at most 1.
    #[arg(
        long,
        value_name = "P",
        default_value_t = REVIEW_BELOW,
        value_parser = review_threshold,
        allow_negative_numbers = true
    )]
    pub review_below: f64,
    /// The report directory to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// No progress bar, no closing message and no line naming the rules.
    #[arg(long, short)]
    pub quiet: bool,
    /// A question of the input that no scheme sorts is an error (exit 2, nothing written)
    /// instead of a warning.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: ReportArgs) -> Result<i32> {
    report::check_out_dir(&args.out)?;
    let classifier = args.rules.classifier(&args.analyzer)?;
    let overrides = args
        .overrides
        .as_deref()
        .map(|path| Overrides::load(path, &classifier.rules))
        .transpose()?;
    let options = ReportOptions {
        by: args
            .by
            .iter()
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty())
            .collect(),
        examples: args.examples,
        review_below: args.review_below,
        source: args.input.input.file_name().map_or_else(
            || args.input.input.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        ),
    };
    let progress = answers_bar(args.quiet, "classified");
    let unsorted = Mutex::new(Unsorted::default());
    let answers = UnsortedCheck::new(
        input::open(&args.input.input, &args.input.options())?,
        &classifier.rules,
        &unsorted,
        args.strict,
    );
    let built = report::build(
        answers,
        &classifier,
        overrides.as_ref(),
        &options,
        &progress,
    )?;
    progress.finish_and_clear();
    report::write_dir(&built, &args.out)?;
    announce_rules(&classifier.rules, args.quiet);
    warn_unsorted(unsorted, &classifier.rules);
    if !args.quiet {
        eprintln!(
            "report: {} ({}): {} answers of {} questions, {} need review (confidence below {}){}{}",
            args.out.display(),
            report::REPORT_FILES.join(", "),
            built.answers,
            built.questions.len(),
            built.needs_review,
            built.review_below,
            match &built.model_origin {
                Some(_) => format!(", {} labels from the model", built.from_model),
                None => String::new(),
            },
            match &built.overrides_path {
                Some(_) => format!(", {} labels from overrides", built.overridden),
                None => String::new(),
            }
        );
    }
    Ok(0)
}

/// Parses `--review-below`: a confidence above 0 and at most 1 (0 would list nothing, and no
/// confidence exceeds 1).
fn review_threshold(text: &str) -> std::result::Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if value > 0.0 && value <= 1.0 => Ok(value),
        _ => Err(format!(
            "“{text}” is not a confidence above 0 and at most 1 (e.g. 0.5: answers below it need \
             review)"
        )),
    }
}
