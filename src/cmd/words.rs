//! `jiyu words`: the word list of an export (KH Coder's 抽出語リスト) — per question each word's
//! base form, part of speech, answers using it and occurrences, optionally by an attribute's
//! values, as CSV (UTF-8 with BOM) or JSONL.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use jiyu::input;
use jiyu::output::{write_atomically, OutputFormat};
use jiyu::progress::answers_bar;
use jiyu::views::words::{
    tally_words, words_csv, words_jsonl, StopWords, WordFilter, WordQuery, WordSource, DEFAULT_POS,
};
use jiyu::{Error, Result};

use super::{AnalyzerArgs, InputArgs, RulesArgs, Stdout};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu words --input corpus/demo/survey.csv --id-column 回答者ID --text-columns Q10-1 --top 30\n  \
    jiyu words --input corpus/demo/survey.csv --id-column 回答者ID --text-columns Q6-1,Q10-1 \\\n    \
    --question Q10-1 --by 従業員数 --pos 名詞 --min-count 5 --output words.csv\n\n\
    Output: per question, most used words first: question, word (base form, notation variants\n\
    merged), pos, answers (answers using the word), share (of the question's answers),\n\
    occurrences (every use), negated (answers where it was denied: 時間 in 時間がない), then per\n\
    --by value VALUE:answers and VALUE:share (of that value's answers). Stop words (する, こと …,\n\
    dictionaries/stopwords.txt) are left out; --stopwords FILE replaces the list.\n\
    --category needs the rules (and the model beside them, as `jiyu classify` uses them).")]
pub struct WordsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Only this question (repeat for several).
    #[arg(long, value_name = "Q")]
    pub question: Vec<String>,
    /// Only answers of this category (its id or its label).
    #[arg(long, value_name = "C")]
    pub category: Option<String>,
    /// Count by the values of this attribute (e.g. 従業員数).
    #[arg(long, value_name = "ATTR")]
    pub by: Option<String>,
    /// Parts of speech to list, comma-separated (IPADIC's top levels: 名詞,動詞,形容詞,副詞 …).
    #[arg(long, value_name = "POS", value_delimiter = ',', default_values_t = DEFAULT_POS.map(String::from))]
    pub pos: Vec<String>,
    /// Only words used by at least N answers.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: usize,
    /// At most N words per question (0: all).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub top: usize,
    /// Stop words, one base form a line, replacing the built-in list.
    #[arg(long, value_name = "FILE")]
    pub stopwords: Option<PathBuf>,
    /// Where to write the list (default: standard output).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// csv (UTF-8 with BOM, for Excel) or jsonl.
    #[arg(long, value_enum, default_value = "csv")]
    pub output_format: OutputFormat,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

/// The word filter of `--pos` and `--stopwords`.
pub fn word_filter(pos: &[String], stopwords: Option<&std::path::Path>) -> Result<WordFilter> {
    let pos: Vec<String> = pos
        .iter()
        .map(|pos| pos.trim().to_string())
        .filter(|pos| !pos.is_empty())
        .collect();
    if pos.is_empty() {
        return Err(Error::Usage(
            "--pos needs a part of speech (e.g. 名詞,動詞,形容詞)".to_string(),
        ));
    }
    Ok(WordFilter {
        pos,
        stopwords: match stopwords {
            Some(path) => StopWords::load(path)?,
            None => StopWords::builtin(),
        },
    })
}

pub fn run(args: WordsArgs) -> Result<i32> {
    let filter = word_filter(&args.pos, args.stopwords.as_deref())?;
    let query = WordQuery {
        questions: args.question.clone(),
        by: args
            .by
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_string),
        category: args.category.clone(),
        category_labels: false,
    };
    let progress = answers_bar(args.quiet, "analyzed");
    let answers = input::open(&args.input.input, &args.input.options())?;
    let tally = if query.category.is_some() {
        let classifier = args.rules.classifier(&args.analyzer)?;
        tally_words(
            answers,
            WordSource::Classifier(&classifier),
            &filter,
            &query,
            &progress,
        )?
    } else {
        let analyzer = args.analyzer.analyzer()?;
        tally_words(
            answers,
            WordSource::Analyzer(&analyzer),
            &filter,
            &query,
            &progress,
        )?
    };
    progress.finish_and_clear();
    let lists: Vec<_> = tally
        .questions
        .iter()
        .map(|question| question.list(&tally.values, args.min_count, args.top))
        .collect();
    let bytes = match args.output_format {
        OutputFormat::Csv => words_csv(&lists)?,
        OutputFormat::Jsonl => words_jsonl(&lists)?,
    };
    match &args.output {
        Some(path) => write_atomically(path, |out: &mut dyn Write| {
            out.write_all(&bytes)
                .map_err(|err| jiyu::Error::io(path, err))
        })?,
        None => {
            let mut out = Stdout::lock();
            out.write_all(&bytes).map_err(super::stdout_error)?;
            out.finish()?;
        }
    }
    Ok(0)
}
