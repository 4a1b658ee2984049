//! `jiyu network`: the co-occurrence network of one question's words (KH Coder's
//! 共起ネットワーク) as an SVG picture.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use jiyu::input;
use jiyu::output::write_atomically;
use jiyu::progress::answers_bar;
use jiyu::views::network::{self, NetworkOptions};
use jiyu::views::words::{tally_words, WordQuery, WordSource, DEFAULT_POS};
use jiyu::{Error, Result};

use super::words::word_filter;
use super::{AnalyzerArgs, InputArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu network --input corpus/demo/survey.csv --id-column 回答者ID --text-columns Q10-1 \\\n    \
    --out q10-1.svg\n  \
    jiyu network --input answers.jsonl --question Q5 --by-category --edges 80 --out q5.svg\n\n\
    Nodes are the most used words (circle area ∝ answers using the word), edges the pairs of\n\
    highest Jaccard coefficient over answers (answers using both ÷ answers using either),\n\
    colours the groups found by modularity. The same input always gives the same picture.\n\
    --by-category adds each category as a square linked to its words (it needs the rules).")]
pub struct NetworkArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The question (needed when the input has several).
    #[arg(long, value_name = "Q")]
    pub question: Option<String>,
    /// At most N words.
    #[arg(long, value_name = "N", default_value_t = network::DEFAULT_TOP_WORDS)]
    pub top_words: usize,
    /// The N edges of highest Jaccard coefficient.
    #[arg(long, value_name = "N", default_value_t = network::DEFAULT_EDGES)]
    pub edges: usize,
    /// Only words used by at least N answers.
    #[arg(long, value_name = "N", default_value_t = network::DEFAULT_MIN_COUNT)]
    pub min_count: usize,
    /// Add the question's categories as square nodes, each linked to its words.
    #[arg(long)]
    pub by_category: bool,
    /// Parts of speech of the words, comma-separated.
    #[arg(long, value_name = "POS", value_delimiter = ',', default_values_t = DEFAULT_POS.map(String::from))]
    pub pos: Vec<String>,
    /// Stop words, one base form a line, replacing the built-in list.
    #[arg(long, value_name = "FILE")]
    pub stopwords: Option<PathBuf>,
    /// The SVG file to write.
    #[arg(long, value_name = "FILE.svg")]
    pub out: PathBuf,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// No progress bar and no closing message.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: NetworkArgs) -> Result<i32> {
    let filter = word_filter(&args.pos, args.stopwords.as_deref())?;
    let query = WordQuery {
        questions: args.question.iter().cloned().collect(),
        by: None,
        category: None,
        category_labels: args.by_category,
    };
    let progress = answers_bar(args.quiet, "analyzed");
    let answers = input::open(&args.input.input, &args.input.options())?;
    let tally = if args.by_category {
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
    let words = match tally.questions.as_slice() {
        [one] => one,
        [] => {
            return Err(Error::Usage(format!(
                "{}: no answer to draw a network of",
                args.input.input.display()
            )))
        }
        several => {
            return Err(Error::Usage(format!(
                "the input has {} questions ({}); choose one with --question",
                several.len(),
                several
                    .iter()
                    .map(|question| question.question.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    let drawn = network::build(
        words,
        &NetworkOptions {
            top_words: args.top_words,
            edges: args.edges,
            min_count: args.min_count,
            by_category: args.by_category,
        },
    );
    let svg = drawn.svg();
    write_atomically(&args.out, |out: &mut dyn Write| {
        out.write_all(svg.as_bytes())
            .map_err(|err| Error::io(&args.out, err))
    })?;
    if !args.quiet {
        eprintln!(
            "network: {} ({} words, {} edges, {} groups, modularity {:.3}) of {} answers to {}",
            args.out.display(),
            drawn
                .nodes
                .iter()
                .filter(|node| node.community.is_some())
                .count(),
            drawn.edges.len(),
            drawn.communities,
            drawn.modularity,
            words.answers,
            words.question
        );
    }
    Ok(0)
}
