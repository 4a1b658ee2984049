//! `jiyu demo-data`: writes a synthetic survey export to try jiyu on (see [`jiyu::demo`]).

use std::path::PathBuf;

use clap::Args;

use jiyu::demo::{self, DemoOptions};
use jiyu::input::Encoding;
use jiyu::wording::counted;
use jiyu::{Error, Result};

use super::Stdout;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu demo-data --output corpus/demo/survey.csv\n  \
    jiyu demo-data --respondents 100000 --seed 7 --encoding utf-8 --output big.csv\n  \
    jiyu demo-data --labeled --seed 7 --respondents 20000 --output synthetic.jsonl\n\n\
    Output: a wide CSV export, one row per respondent, columns\n  \
    回答者ID, 業種, 従業員数, 取組段階, Q6-1, Q7-2, Q10-1, Q9, Q10, Q12, Q13-1, Q14, Q15.\n\
    The answers are synthetic, written by a generator in the style of the IPA 2024 survey; the\n\
    attribute counts are the survey's, scaled to --respondents. The same options always write\n\
    the same bytes. With --labeled: the answers of those respondents with the category each was\n\
    written for, as a gold file (JSONL: id, question, scheme, category, text; UTF-8), for\n\
    `jiyu train --synthetic` and for checking jiyu against the demo export's truth.")]
pub struct DemoDataArgs {
    /// Number of respondents (rows).
    #[arg(long, value_name = "N", default_value_t = demo::SURVEY_RESPONDENTS)]
    pub respondents: usize,
    /// Random seed; the same seed writes the same file.
    #[arg(long, value_name = "N", default_value_t = demo::DEFAULT_SEED)]
    pub seed: u64,
    /// Encoding of the file: shift_jis (CP932, as Japanese Excel saves CSV) or utf-8.
    #[arg(long, value_name = "ENCODING", default_value = "shift_jis")]
    pub encoding: Encoding,
    /// Write the answers with their intended categories as JSONL instead of the CSV export.
    #[arg(long)]
    pub labeled: bool,
    /// Where to write the file ("-" for standard output). Missing directories are created.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
}

pub fn run(args: DemoDataArgs) -> Result<i32> {
    let options = DemoOptions {
        respondents: args.respondents,
        seed: args.seed,
    };
    if args.output.as_os_str() == "-" {
        let mut out = Stdout::lock();
        if args.labeled {
            demo::write_labeled(&mut out, options, "standard output")?;
        } else {
            demo::write_survey(&mut out, options, args.encoding, "standard output")?;
        }
        out.finish()?;
        return Ok(0);
    }
    if let Some(parent) = args.output.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|err| Error::io(parent, err))?;
        }
    }
    if args.labeled {
        let label = args.output.display().to_string();
        jiyu::output::write_atomically(&args.output, |out| {
            demo::write_labeled(out, options, &label)
        })?;
        eprintln!(
            "{}: the labeled answers of {} (JSONL)",
            args.output.display(),
            counted(options.respondents, "respondent", "respondents")
        );
        return Ok(0);
    }
    demo::write_survey_csv(&args.output, options, args.encoding)?;
    eprintln!(
        "{}: {}, {} columns, {}",
        args.output.display(),
        counted(options.respondents, "respondent", "respondents"),
        demo::COLUMNS.len(),
        args.encoding
    );
    Ok(0)
}
