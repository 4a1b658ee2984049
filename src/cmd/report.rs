//! `jiyu report`: the survey report of an export — report.html, report.md, summary.csv and
//! crosstab.csv in one directory, written whole or not at all.

use std::path::PathBuf;
use std::sync::Mutex;

use clap::Args;

use jiyu::classify::unsorted::{Unsorted, UnsortedCheck};
use jiyu::classify::REVIEW_BELOW;
use jiyu::input;
use jiyu::progress::answers_bar;
use jiyu::report::{self, CategoryOrder, ReportOptions};
use jiyu::views::words::DEFAULT_POS;
use jiyu::wording::{agree, counted};
use jiyu::Result;

use super::{announce_rules, warn_unsorted, AnalyzerArgs, InputArgs, OverridesArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  \
    jiyu report --input corpus/demo/survey.csv --id-column 回答者ID \\\n    \
    --text-columns Q6-1,Q7-2,Q10-1,Q9,Q10,Q12,Q13-1,Q14,Q15 --by 業種,取組段階 --out report\n  \
    jiyu report --input q5.csv --id-column 回答者ID --text-columns Q5 --rules rules \\\n    \
    --by 部署,年代 --order 年代=20代,30代,40代,50代,60代 --title \"職員アンケート Q5\" --out q5-report\n\n\
    Writes DIR/report.html (one self-contained page: per question the figures, a bar chart,\n\
    representative answers under each heading, the answers that need review — confidence below\n\
    --review-below, least confident first — and the cross-tables; the model's labels marked),\n\
    DIR/report.md (the same in Markdown), DIR/summary.csv and DIR/crosstab.csv (UTF-8 with BOM).\n\
    A wide export's blank cells are counted per question and value (無回答（空欄）, blank).\n\
    Each question also gets its 15 most used words (語, 品詞, 回答数, 割合; non-answers left out,\n\
    stop words as --stopwords) and a co-occurrence network (inline in report.html, and as\n\
    DIR/network-N-Q.svg linked from report.md).\n\
    Cross-tables list an attribute's values in the order --order gives, the others in the\n\
    order they first appear in the export; rows with fewer than --min-n answers get no ①②③.\n\
    An existing DIR is replaced only when it holds a previous report, and only on success.")]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub rules: RulesArgs,
    #[command(flatten)]
    pub overrides: OverridesArgs,
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
    /// The order of an attribute's values in the cross-tables, NAME=VALUE,VALUE,… (e.g.
    /// 年代=20代,30代,40代); repeat for each attribute. Values not named follow in the order
    /// they first appear in the export.
    #[arg(long, value_name = "NAME=VALUES", value_parser = parse_order)]
    pub order: Vec<(String, Vec<String>)>,
    /// The order of each question's categories: scheme (as the scheme lists them) or count
    /// (most answers first).
    #[arg(long, value_name = "ORDER", default_value = "scheme", value_parser = parse_sort)]
    pub sort: CategoryOrder,
    /// Cross-table rows with fewer answers than N get no ①②③ marks and a caution (0: rank
    /// every row).
    #[arg(long, value_name = "N", default_value_t = report::DEFAULT_MIN_N)]
    pub min_n: usize,
    /// The report's title (default: 自由記述の集計と分類（下書き）).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Stop words for the word tables and networks, one base form a line, replacing the
    /// built-in list.
    #[arg(long, value_name = "FILE")]
    pub stopwords: Option<PathBuf>,
    /// The report directory to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The address of `jiyu serve` over the same answers (http://127.0.0.1:8080): each category
    /// count and cross-table cell of report.html links to the page filtered to its answers.
    #[arg(long, value_name = "URL", value_parser = parse_link)]
    pub link: Option<String>,
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
    let overrides = args.overrides.load(&classifier.rules)?;
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
        title: args
            .title
            .as_deref()
            .map(str::trim)
            .filter(|title| !title.is_empty())
            .map(str::to_string),
        order: args.order.clone(),
        sort: args.sort,
        min_n: args.min_n,
        link: args.link.clone(),
        words: super::words::word_filter(
            &DEFAULT_POS.map(String::from),
            args.stopwords.as_deref(),
        )?,
        ..ReportOptions::default()
    };
    let progress = answers_bar(args.quiet, "classified");
    let unsorted = Mutex::new(Unsorted::default());
    let built = report::build_through(
        input::open(&args.input.input, &args.input.options())?,
        |answers| UnsortedCheck::new(answers, &classifier.rules, &unsorted, args.strict),
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
            "report: {} ({}): {} of {}{}, {} {} review (confidence below {}){}{}",
            args.out.display(),
            report::REPORT_FILES.join(", "),
            counted(built.answers, "answer", "answers"),
            counted(built.questions.len(), "question", "questions"),
            if built.counts_blanks {
                format!(" and {}", counted(built.blank, "blank cell", "blank cells"))
            } else {
                String::new()
            },
            counted(built.needs_review, "answer", "answers"),
            agree(built.needs_review, "needs", "need"),
            built.review_below,
            match &built.model_origin {
                Some(_) => format!(
                    ", {} from the model",
                    counted(built.from_model, "label", "labels")
                ),
                None => String::new(),
            },
            match &built.overrides_path {
                Some(_) => format!(
                    ", {} from overrides",
                    counted(built.overridden, "label", "labels")
                ),
                None => String::new(),
            }
        );
    }
    Ok(0)
}

/// Parses `--order NAME=VALUE,VALUE,…`.
fn parse_order(text: &str) -> std::result::Result<(String, Vec<String>), String> {
    let wrong = || {
        format!(
            "“{text}” is not NAME=VALUE,VALUE,…: give an attribute, =, and its values in \
             order (e.g. 年代=20代,30代,40代)"
        )
    };
    let (name, values) = text.split_once('=').ok_or_else(wrong)?;
    let values: Vec<String> = values
        .split(',')
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
        .collect();
    if name.trim().is_empty() || values.is_empty() {
        return Err(wrong());
    }
    Ok((name.trim().to_string(), values))
}

/// Parses `--sort`.
fn parse_link(text: &str) -> std::result::Result<String, String> {
    let link = text.trim();
    let rest = link
        .strip_prefix("http://")
        .or_else(|| link.strip_prefix("https://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && !host.contains(['?', '#'])
                && !link.contains(char::is_whitespace) =>
        {
            Ok(link.to_string())
        }
        _ => Err(format!(
            "expected the page's address, http://HOST:PORT (as jiyu serve prints it), not {text:?}"
        )),
    }
}

fn parse_sort(text: &str) -> std::result::Result<CategoryOrder, String> {
    match text.trim() {
        "scheme" => Ok(CategoryOrder::Scheme),
        "count" => Ok(CategoryOrder::Count),
        _ => Err(format!(
            "“{text}” is not an order of categories; give scheme (as the scheme lists them) or \
             count (most answers first)"
        )),
    }
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
