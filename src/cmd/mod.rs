//! The subcommands, one file each. Every `run` returns the process exit code; [`exit_code`]
//! turns an error into its code, and every command writes its standard output through
//! [`Stdout`].

mod ca;
mod classify;
mod demo_data;
mod eval;
mod explain;
mod index;
mod init;
mod kwic;
mod network;
mod related;
mod report;
mod rules;
mod search;
mod serve;
mod suggest;
mod tokenize;
mod train;
mod words;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, Parser, Subcommand};

use jiyu::classify::unsorted::Unsorted;
use jiyu::classify::Classifier;
use jiyu::input::{Encoding, Format, InputOptions};
use jiyu::model::ModelSource;
use jiyu::rules::scheme::{RuleSet, RulesSource};
use jiyu::Result;

/// jiyu (自由記述) sorts the free-text answers of a survey into categories staff can read and
/// edit, counts and cross-tabulates them, and makes every answer searchable.
#[derive(Debug, Parser)]
#[command(
    name = "jiyu",
    version,
    after_help = "Example:\n  jiyu tokenize \"IT導入補助金の申請にSECURITY ACTIONの二つ星が必要\"\n\n\
                  Run `jiyu <command> --help` for the options and an example of each command."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sort every answer of a survey export into categories, with evidence.
    Classify(classify::ClassifyArgs),
    /// Show how the rules treat one answer: its tokens and what each rule matched.
    Explain(explain::ExplainArgs),
    /// Check rule files, or test them against their examples.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Write a starter scheme per question of a new survey, from its answers' word groups.
    Init(init::InitArgs),
    /// Score the rules against answers a person labeled (accuracy, precision, recall, F1).
    Eval(eval::EvalArgs),
    /// Train the model from labeled answers and corrections (written beside the rules).
    Train(train::TrainArgs),
    /// Suggest words for the rules: each category's key words and what unclassified answers say.
    Suggest(suggest::SuggestArgs),
    /// Split text into tokens: surface, base form, part of speech, reading, negated.
    Tokenize(tokenize::TokenizeArgs),
    /// Write the survey report: figures, charts, typical answers and cross-tables (HTML, Markdown, CSV).
    Report(report::ReportArgs),
    /// Correspondence analysis of a question's categories by an attribute: inertias, coordinates, biplot.
    Ca(ca::CaArgs),
    /// Classify every answer of an export and index it for search and kwic.
    Index(index::IndexArgs),
    /// Find answers in an index: words, OR, -word, "phrases", filters, category counts.
    Search(search::SearchArgs),
    /// List every occurrence of a word with its left and right context (a concordance).
    Kwic(kwic::KwicArgs),
    /// The word list: each word's answers and occurrences, by an attribute's values (CSV or JSONL).
    Words(words::WordsArgs),
    /// The co-occurrence network of a question's words, as an SVG picture.
    Network(network::NetworkArgs),
    /// The synonyms and co-occurring words of a word, to widen a search or a rule.
    Related(related::RelatedArgs),
    /// Serve a web page to search, browse and correct the answers of an index.
    Serve(serve::ServeArgs),
    /// Write a synthetic survey export (Shift_JIS CSV like the IPA 2024 survey) to try jiyu on.
    DemoData(demo_data::DemoDataArgs),
}

/// Options shared by every command that analyzes text.
#[derive(Debug, Args, Clone, Default)]
pub struct AnalyzerArgs {
    /// Extra user dictionary (CSV rows `surface,part of speech,reading`), added to the built-in
    /// domain terms. May be given more than once.
    #[arg(long = "user-dict", value_name = "FILE")]
    pub user_dictionaries: Vec<PathBuf>,
    /// Extra synonym groups (lines `ハンコ<TAB>印鑑<TAB>押印`, cuts `-word`; the format of the
    /// built-in dictionaries/synonyms.tsv), added to the thesaurus of search by meaning,
    /// related words and syn() in rules. May be given more than once.
    #[arg(long = "synonyms", value_name = "FILE")]
    pub synonyms: Vec<PathBuf>,
}

impl AnalyzerArgs {
    pub fn analyzer(&self) -> Result<jiyu::Analyzer> {
        let paths: Vec<&std::path::Path> = self
            .user_dictionaries
            .iter()
            .map(PathBuf::as_path)
            .collect();
        let synonyms: Vec<&std::path::Path> = self.synonyms.iter().map(PathBuf::as_path).collect();
        jiyu::Analyzer::new(&paths)?.with_synonyms(&synonyms)
    }
}

/// How to read a survey export (shared by every command that reads one).
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// The survey export: JSONL, CSV, TSV or XLSX; UTF-8 or Shift_JIS.
    #[arg(long, short, value_name = "FILE")]
    pub input: PathBuf,
    /// The file's format, when its extension does not tell (jsonl, csv, tsv, xlsx).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// The file's encoding (utf-8, shift_jis); detected when not given.
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<Encoding>,
    /// The column of the answer id (long files), or of the respondent id (wide exports).
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// The column of the question (long files; default `question`).
    #[arg(long, value_name = "NAME")]
    pub question_column: Option<String>,
    /// The column of the answer text (long files; default `text`).
    #[arg(long, value_name = "NAME")]
    pub text_column: Option<String>,
    /// Wide export: the free-text columns, comma-separated (e.g. Q6-1,Q7-2,Q10-1).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub text_columns: Vec<String>,
    /// The XLSX sheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

impl InputArgs {
    pub fn options(&self) -> InputOptions {
        InputOptions {
            format: self.format,
            encoding: self.encoding,
            id_column: self.id_column.clone(),
            question_column: self.question_column.clone(),
            text_column: self.text_column.clone(),
            text_columns: self
                .text_columns
                .iter()
                .map(|name| name.trim().to_string())
                .filter(|name| !name.is_empty())
                .collect(),
            sheet: self.sheet.clone(),
        }
    }
}

/// Which rules and which model to use.
#[derive(Debug, Args, Clone, Default)]
pub struct RulesArgs {
    /// The rules directory (one TOML scheme per file). Default: ./rules when it holds scheme
    /// files (*.toml), else the rules built into jiyu. Which rules are used is said on stderr.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The model file (from `jiyu train`). Default: model.json beside the rules when there is
    /// one (the built-in model for the built-in rules).
    #[arg(long, value_name = "FILE", conflicts_with = "no_model")]
    pub model: Option<PathBuf>,
    /// The rules alone: no learned model.
    #[arg(long)]
    pub no_model: bool,
}

impl RulesArgs {
    pub fn source(&self) -> RulesSource {
        RulesSource::resolve(self.rules.as_deref())
    }

    pub fn model_source(&self) -> ModelSource {
        match (&self.model, self.no_model) {
            (_, true) => ModelSource::None,
            (Some(path), false) => ModelSource::File(path.clone()),
            (None, false) => ModelSource::BesideRules,
        }
    }

    pub fn classifier(&self, analyzer: &AnalyzerArgs) -> Result<Classifier> {
        Classifier::with_model(analyzer.analyzer()?, &self.source(), &self.model_source())
    }
}

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Classify(args) => classify::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Rules(command) => rules::run(command),
        Command::Init(args) => init::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Train(args) => train::run(args),
        Command::Suggest(args) => suggest::run(args),
        Command::Tokenize(args) => tokenize::run(args),
        Command::DemoData(args) => demo_data::run(args),
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Kwic(args) => kwic::run(args),
        Command::Related(args) => related::run(args),
        Command::Words(args) => words::run(args),
        Command::Network(args) => network::run(args),
        Command::Report(args) => report::run(args),
        Command::Ca(args) => ca::run(args),
        Command::Serve(args) => serve::run(args),
    }
}

/// Says on stderr which rules are in use — `jiyu: rules: ./rules (1 scheme: q5-telework.toml)`
/// — unless `quiet`. Commands say it once their work is done, beside their summary.
pub fn announce_rules(rules: &RuleSet, quiet: bool) {
    if !quiet {
        eprintln!("jiyu: rules: {}", rules.describe());
    }
}

/// Warns on stderr about the questions of the input that no scheme sorts (whatever `--quiet`
/// says: their answers silently got no category).
pub fn warn_unsorted(found: std::sync::Mutex<Unsorted>, rules: &RuleSet) {
    let found = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !found.is_empty() {
        eprintln!(
            "jiyu: warning: {} (--strict makes this an error)",
            found.message(rules)
        );
    }
}

/// Standard output of every command: buffered, and the one place that notices a reader that
/// went away (`jiyu tokenize --input big.txt | head -1`). A write to a closed pipe fails with an
/// I/O error of kind `BrokenPipe`, which ends the command like any error; [`exit_code`] then
/// ends the process quietly with exit code 0, as ripgrep and xsv do.
pub struct Stdout {
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    terminal: bool,
}

/// Set once a write to standard output found its reader gone.
static READER_GONE: AtomicBool = AtomicBool::new(false);

impl Stdout {
    /// Standard output, locked for this command.
    pub fn lock() -> Stdout {
        let stdout = std::io::stdout().lock();
        Stdout {
            terminal: stdout.is_terminal(),
            out: std::io::BufWriter::new(stdout),
        }
    }

    /// Whether standard output is a terminal (colours and bold are for terminals only).
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// Writes out what is still buffered.
    pub fn finish(mut self) -> Result<()> {
        self.flush().map_err(stdout_error)
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf).map_err(noticed)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush().map_err(noticed)
    }
}

/// Notes a closed pipe in [`READER_GONE`]; returns `err` as it is.
fn noticed(err: std::io::Error) -> std::io::Error {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        READER_GONE.store(true, Ordering::Relaxed);
    }
    err
}

/// A failed write to standard output as a jiyu error.
pub fn stdout_error(err: std::io::Error) -> jiyu::Error {
    jiyu::Error::io(Path::new("standard output"), err)
}

/// Writes `text` to standard output.
pub fn print(text: &str) -> Result<()> {
    let mut out = Stdout::lock();
    out.write_all(text.as_bytes()).map_err(stdout_error)?;
    out.finish()
}

/// The exit code of a command's outcome: its own code when it ran (0, or 1 for "nothing found"
/// and failed checks); 0 when it stopped because the reader of standard output went away; else
/// the error's code ([`jiyu::Error::exit_code`]: 2 for what must change in what jiyu was given,
/// 3 for a failure that is not), after saying the error on standard error.
pub fn exit_code(outcome: Result<i32>) -> i32 {
    match outcome {
        Ok(code) => code,
        Err(_) if READER_GONE.load(Ordering::Relaxed) => 0,
        Err(err) => {
            eprintln!("jiyu: {err}");
            err.exit_code()
        }
    }
}
