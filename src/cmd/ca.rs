//! `jiyu ca`: the correspondence analysis of one question's categories by the values of one
//! attribute — the inertia table on standard output, the coordinates as a table there or as a
//! CSV file, the biplot as an SVG file.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use jiyu::error::Error;
use jiyu::input;
use jiyu::output::write_atomically;
use jiyu::progress::answers_bar;
use jiyu::report::{self, ReportOptions};
use jiyu::views::ca::{
    biplot, coordinate_rows, inertia_table, of_word_list, BiplotText, Correspondence,
};
use jiyu::views::words::{tally_words, WordFilter, WordQuery, WordSource};
use jiyu::Result;

use super::{announce_rules, stdout_error, AnalyzerArgs, InputArgs, RulesArgs, Stdout};

/// What the rows of the analysis are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CaRows {
    /// The question's categories (an answer counts for each of its categories).
    Categories,
    /// The question's most used words (`--top`), counted in answers as `jiyu words` counts
    /// them (non-answers left out).
    Words,
}

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  \
    jiyu ca --input corpus/demo/survey.csv --id-column 回答者ID --text-columns Q6-1 \\\n    \
    --by 業種 --out q6-1-ca.svg --output q6-1-ca.csv\n\n\
    Prints the principal inertia of each axis with its share of the total inertia, then (without\n\
    --output) each row's and column's mass and principal coordinates. The rows are the\n\
    question's categories as the report counts them (an answer counts for each of its\n\
    categories) or, with --rows words, its --top words as `jiyu words` counts them (answers\n\
    using the word), the columns the attribute's values with at least --min-n answers. --out writes\n\
    the symmetric map of the first two axes as SVG, --output the coordinates as CSV (UTF-8\n\
    with a BOM).")]
pub struct CaArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// The question to analyse (needed when several questions have a scheme).
    #[arg(long, value_name = "Q")]
    pub question: Option<String>,
    /// The attribute whose values are the columns (e.g. 業種).
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// What the rows are.
    #[arg(long, value_enum, default_value = "categories")]
    pub rows: CaRows,
    /// With --rows words: the N words used by most answers.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub top: usize,
    /// Values with fewer answers than N are left out of the analysis.
    #[arg(long, value_name = "N", default_value_t = report::DEFAULT_MIN_N)]
    pub min_n: usize,
    /// Write the biplot (SVG) to FILE.
    #[arg(long, value_name = "FILE.svg")]
    pub out: Option<PathBuf>,
    /// Write the coordinates (CSV) to FILE instead of printing them.
    #[arg(long, value_name = "FILE.csv")]
    pub output: Option<PathBuf>,
    /// No progress bar and no line naming the rules.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: CaArgs) -> Result<i32> {
    let (name, ca, text) = match args.rows {
        CaRows::Categories => categories(&args)?,
        CaRows::Words => words(&args)?,
    };
    if let Some(path) = &args.out {
        let plot = biplot(&ca, &text).ok_or_else(|| {
            Error::Usage(format!(
                "{name}: the map needs two axes; this table has one"
            ))
        })?;
        write_atomically(path, |out| {
            out.write_all(plot.svg.as_bytes())
                .map_err(|err| Error::io(path, err))
        })?;
    }
    let rows = coordinate_rows(&ca);
    if let Some(path) = &args.output {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(b"\xEF\xBB\xBF".to_vec());
        for fields in &rows {
            writer
                .write_record(
                    fields
                        .iter()
                        .map(|f| jiyu::output::spreadsheet_safe(f).into_owned()),
                )
                .map_err(|err| Error::Encode(format!("cannot encode CSV: {err}")))?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|err| Error::Encode(format!("cannot encode CSV: {err}")))?;
        write_atomically(path, |out| {
            out.write_all(&bytes).map_err(|err| Error::io(path, err))
        })?;
    }
    let mut printed = format!(
        "{name}: {} {} × {} values, {} counts\n",
        ca.rows.len(),
        match args.rows {
            CaRows::Categories => "categories",
            CaRows::Words => "words",
        },
        ca.columns.len(),
        ca.n
    );
    printed.push_str(&inertia_table(&ca));
    if args.output.is_none() {
        printed.push('\n');
        for fields in &rows {
            printed.push_str(&fields.join("\t"));
            printed.push('\n');
        }
    }
    let mut out = Stdout::lock();
    out.write_all(printed.as_bytes()).map_err(stdout_error)?;
    out.finish()?;
    Ok(0)
}

/// The analysis of the question's categories by the attribute, from the report's cross-table.
fn categories(args: &CaArgs) -> Result<(String, Correspondence, BiplotText)> {
    let classifier = args.rules.classifier(&args.analyzer)?;
    let options = ReportOptions {
        by: vec![args.by.trim().to_string()],
        examples: 0,
        min_n: args.min_n,
        ..ReportOptions::default()
    };
    let progress = answers_bar(args.quiet, "classified");
    let built = report::build(
        input::open(&args.input.input, &args.input.options())?,
        &classifier,
        None,
        &options,
        &progress,
    )?;
    progress.finish_and_clear();
    announce_rules(&classifier.rules, args.quiet);
    let (question, table) = report::find_cross_table(&built, args.question.as_deref(), &args.by)?;
    let name = format!("{} by {}", question.question, table.attribute);
    let Some(ca) = &table.ca else {
        return Err(Error::Usage(format!(
            "{name}: correspondence analysis needs at least three categories and three values \
             with {} or more answers each; this table has fewer (lower --min-n to keep small \
             values)",
            args.min_n
        )));
    };
    let text = BiplotText {
        title: format!(
            "対応分析: {} のカテゴリ × {}",
            question.question, table.attribute
        ),
        rows: "カテゴリ".to_string(),
        columns: table.attribute.clone(),
    };
    Ok((name, ca.clone(), text))
}

/// The analysis of the question's most used words by the attribute.
fn words(args: &CaArgs) -> Result<(String, Correspondence, BiplotText)> {
    let analyzer = args.analyzer.analyzer()?;
    let query = WordQuery {
        questions: args.question.iter().map(|q| q.trim().to_string()).collect(),
        by: Some(args.by.trim().to_string()),
        category: None,
        category_labels: false,
    };
    let progress = answers_bar(args.quiet, "analyzed");
    let tally = tally_words(
        input::open(&args.input.input, &args.input.options())?,
        WordSource::Analyzer(&analyzer),
        &WordFilter::default(),
        &query,
        &progress,
    )?;
    progress.finish_and_clear();
    let question = match (args.question.as_deref(), tally.questions.as_slice()) {
        (Some(name), _) => tally.question(name.trim()).ok_or_else(|| {
            Error::Usage(format!(
                "--question {name}: no answer to “{name}” in this input"
            ))
        })?,
        (None, [only]) => only,
        (None, questions) => {
            let names: Vec<&str> = questions.iter().map(|q| q.question.as_str()).collect();
            return Err(Error::Usage(format!(
                "this input has several questions; choose one with --question ({})",
                names.join(", ")
            )));
        }
    };
    let list = question.list(&tally.values, 1, args.top);
    let name = format!("{} by {}", question.question, args.by.trim());
    let ca = of_word_list(&list, args.min_n).map_err(|err| {
        Error::Usage(format!(
            "{name}: {err} (lower --min-n to keep small values)"
        ))
    })?;
    let text = BiplotText {
        title: format!("対応分析: {} の語 × {}", question.question, args.by.trim()),
        rows: "語".to_string(),
        columns: args.by.trim().to_string(),
    };
    Ok((name, ca, text))
}
