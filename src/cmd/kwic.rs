//! `jiyu kwic`: a concordance of one word in an index built by `jiyu index`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use jiyu::index::kwic::{attribute_names, render, to_csv, to_jsonl, KwicSort};
use jiyu::index::{kwic, open_index, KwicRequest};
use jiyu::output::write_atomically;
use jiyu::Result;

use super::{stdout_error, AnalyzerArgs, Stdout};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu kwic --index answers.idx 漏洩\n  \
    jiyu kwic --index answers.idx --question Q10-1 --width 20 --sort right 信頼\n  \
    jiyu kwic --index answers.idx --output-format csv --output kwic.csv 研修\n\n\
    Output: one line per occurrence: the answer id, the context left of the word (right-aligned),\n\
    the word as written (漏えい for 漏洩), the context right of it. Contexts are cut at --width\n\
    display columns (a full-width character takes two). The word is found as `jiyu search` finds\n\
    it: by base form, notation variant or inside compounds.\n\n\
    --output-format csv: UTF-8 with a BOM and CRLF for Excel, the columns id, question, left, word,\n\
    right, categories (joined with |), then one column per attribute of the answers (業種, …).\n\
    --output-format jsonl: one JSON object a line with the same fields, attributes as an object.")]
pub struct KwicArgs {
    /// The index directory (built by `jiyu index`).
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// The word (or phrase) to list.
    #[arg(value_name = "WORD")]
    pub word: String,
    /// Display columns of context on each side.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub width: usize,
    /// Only answers of this question (repeat for several).
    #[arg(long, value_name = "Q")]
    pub question: Vec<String>,
    /// Order of the lines: id, left (by the preceding text) or right (by the following text).
    #[arg(long, value_enum, default_value = "id")]
    pub sort: KwicSort,
    /// At most N lines (0: all).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub limit: usize,
    /// text (aligned lines), csv (for Excel, with the answers' categories and attributes) or
    /// jsonl.
    #[arg(long, value_enum, default_value = "text")]
    pub output_format: KwicFormat,
    /// Write to FILE (whole, or not at all) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

/// The formats `jiyu kwic` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KwicFormat {
    Text,
    Csv,
    Jsonl,
}

pub fn run(args: KwicArgs) -> Result<i32> {
    let analyzer = Arc::new(args.analyzer.analyzer()?);
    let searcher = open_index(&args.index, analyzer)?;
    let lines = kwic(
        &searcher,
        &KwicRequest {
            word: args.word.clone(),
            questions: args.question.clone(),
            width: args.width,
            limit: args.limit,
            sort: args.sort,
        },
    )?;
    if lines.is_empty() {
        eprintln!("jiyu: “{}” occurs in no answer", args.word.trim());
        return Ok(1);
    }
    let bytes = |color: bool| -> Result<Vec<u8>> {
        Ok(match args.output_format {
            KwicFormat::Text => {
                let mut text = String::new();
                for line in render(&lines, args.width, color) {
                    text.push_str(&line);
                    text.push('\n');
                }
                text.into_bytes()
            }
            KwicFormat::Csv => to_csv(&lines, &attribute_names(&lines))?,
            KwicFormat::Jsonl => to_jsonl(&lines).into_bytes(),
        })
    };
    if let Some(path) = &args.output {
        let bytes = bytes(false)?;
        write_atomically(path, |out| {
            out.write_all(&bytes)
                .map_err(|err| jiyu::Error::io(path, err))
        })?;
        return Ok(0);
    }
    let mut out = Stdout::lock();
    let bytes = bytes(out.is_terminal())?;
    out.write_all(&bytes).map_err(stdout_error)?;
    out.finish()?;
    Ok(0)
}
