//! `jiyu tokenize`: shows the tokens the classifier and the index see.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;

use jiyu::{Error, Result};

use super::AnalyzerArgs;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu tokenize \"ＩＳＭＳの研修を受けた\"\n  \
    jiyu tokenize --input answers.txt --count\n\n\
    Output: one token a line, tab-separated: surface, base form, part of speech, reading.\n\
    Texts are separated by an empty line.")]
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

pub fn run(args: TokenizeArgs) -> Result<i32> {
    let texts = match (&args.input, args.texts.is_empty()) {
        (Some(path), true) => read_lines(path)?,
        (None, false) => args.texts.clone(),
        _ => {
            return Err(Error::Usage(
                "give either TEXT arguments or --input FILE (see `jiyu tokenize --help`)".into(),
            ))
        }
    };
    let analyzer = args.analyzer.analyzer()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write_error = |err: std::io::Error| Error::io("standard output", err);
    if args.count {
        let total: usize = texts
            .par_iter()
            // The same analysis as the printed form (normalization, dictionary fields,
            // variants): the honest floor that classify and index are measured against.
            .map(|text| analyzer.analyze(text).tokens.len())
            .sum();
        writeln!(out, "{total}").map_err(write_error)?;
    } else {
        for (index, text) in texts.iter().enumerate() {
            if index > 0 {
                writeln!(out).map_err(write_error)?;
            }
            for token in analyzer.analyze(text).tokens {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    token.surface, token.base, token.pos, token.reading
                )
                .map_err(write_error)?;
            }
        }
    }
    out.flush().map_err(write_error)?;
    Ok(0)
}

fn read_lines(path: &PathBuf) -> Result<Vec<String>> {
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).map_err(|err| Error::io(path, err))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut lines = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(|err| Error::Input {
            path: path.display().to_string(),
            line: index + 1,
            column: 1,
            message: format!("not UTF-8 text: {err}"),
        })?;
        lines.push(line);
    }
    Ok(lines)
}
