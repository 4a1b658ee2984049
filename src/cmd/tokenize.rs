//! `jiyu tokenize`: shows the tokens the classifier and the index see.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use jiyu::{Error, Result};

use super::{stdout_error, AnalyzerArgs, Stdout};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu tokenize \"ＩＳＭＳの研修を受けた\"\n  \
    jiyu tokenize --input answers.txt --count\n\n\
    Output: one token a line, tab-separated: surface, base form, part of speech, reading,\n\
    and `negated` when the token belongs to a negated predicate (失敗しない: 失敗, し, ない),\n\
    else nothing after the last tab. Texts are separated by an empty line.")]
pub struct TokenizeArgs {
    /// Text to tokenize (each argument is one text). Without it, --input is read.
    pub texts: Vec<String>,
    /// Read texts from FILE, one a line ("-" for standard input).
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Print only the total number of tokens.
    #[arg(long)]
    pub count: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

/// Lines analyzed together by `--count`: the input is streamed, so memory stays flat.
const COUNT_CHUNK: usize = 4096;

pub fn run(args: TokenizeArgs) -> Result<i32> {
    let texts: Box<dyn Iterator<Item = Result<String>>> = match (&args.input, args.texts.is_empty())
    {
        (Some(path), true) => Box::new(read_lines(path)?),
        (None, false) => Box::new(args.texts.clone().into_iter().map(Ok)),
        _ => {
            return Err(Error::Usage(
                "give either TEXT arguments or --input FILE (see `jiyu tokenize --help`)".into(),
            ))
        }
    };
    let analyzer = args.analyzer.analyzer()?;
    let mut out = Stdout::lock();
    if args.count {
        let mut texts = texts.peekable();
        let mut total = 0usize;
        while texts.peek().is_some() {
            let chunk = texts
                .by_ref()
                .take(COUNT_CHUNK)
                .collect::<Result<Vec<String>>>()?;
            total += chunk
                .par_iter()
                // The same analysis as the printed form (normalization, dictionary fields,
                // variants): the honest floor that classify and index are measured against.
                .map(|text| analyzer.analyze(text).tokens.len())
                .sum::<usize>();
        }
        writeln!(out, "{total}").map_err(stdout_error)?;
    } else {
        for (index, text) in texts.enumerate() {
            let text = text?;
            if index > 0 {
                writeln!(out).map_err(stdout_error)?;
            }
            for token in analyzer.analyze(&text).tokens {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    token.surface,
                    token.base,
                    token.pos,
                    token.reading,
                    negation_column(&token)
                )
                .map_err(stdout_error)?;
            }
        }
    }
    out.finish()?;
    Ok(0)
}

/// The fifth column of a token line: `negated`, or empty.
pub(super) fn negation_column(token: &jiyu::Token) -> &'static str {
    if token.negated {
        "negated"
    } else {
        ""
    }
}

/// The lines of `path` ("-" for standard input), read as they are needed.
fn read_lines(path: &Path) -> Result<impl Iterator<Item = Result<String>>> {
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).map_err(|err| Error::io(path, err))?;
        Box::new(std::io::BufReader::new(file))
    };
    let name = path.display().to_string();
    Ok(reader.lines().enumerate().map(move |(index, line)| {
        line.map_err(|err| Error::Input {
            path: name.clone(),
            line: index + 1,
            column: 1,
            message: format!("not UTF-8 text: {err}"),
        })
    }))
}
