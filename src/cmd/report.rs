//! `jiyu report`: the survey report of an export — report.html, report.md, summary.csv and
//! crosstab.csv in one directory, written whole or not at all.

use std::path::PathBuf;

use clap::Args;

use jiyu::input;
use jiyu::overrides::Overrides;
use jiyu::progress::answers_bar;
use jiyu::report::{self, ReportOptions};
use jiyu::Result;

use super::{AnalyzerArgs, InputArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  \
    jiyu report --input corpus/demo/survey.csv --id-column 回答者ID \\\n    \
    --text-columns Q6-1,Q7-2,Q10-1,Q9,Q10,Q12,Q13-1,Q14,Q15 --by 業種,取組段階 --out report\n\n\
    Writes DIR/report.html (one self-contained page: per question the figures, a bar chart,\n\
    representative answers under each heading, the unclassified answers and the cross-tables),\n\
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
    /// The report directory to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// No progress bar and no closing message.
    #[arg(long, short)]
    pub quiet: bool,
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
        source: args.input.input.file_name().map_or_else(
            || args.input.input.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        ),
    };
    let progress = answers_bar(args.quiet, "classified");
    let built = report::build(
        input::open(&args.input.input, &args.input.options())?,
        &classifier,
        overrides.as_ref(),
        &options,
        &progress,
    )?;
    progress.finish_and_clear();
    report::write_dir(&built, &args.out)?;
    if !args.quiet {
        eprintln!(
            "report: {} ({}): {} answers of {} questions{}",
            args.out.display(),
            report::REPORT_FILES.join(", "),
            built.answers,
            built.questions.len(),
            match &built.overrides_path {
                Some(_) => format!(", {} labels from overrides", built.overridden),
                None => String::new(),
            }
        );
    }
    Ok(0)
}
