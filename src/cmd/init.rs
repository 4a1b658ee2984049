//! `jiyu init`: a starter scheme per question of a new survey.

use std::path::PathBuf;

use clap::Args;

use jiyu::init::{group_by_question, starter_scheme, write_starter_schemes, InitOptions};
use jiyu::input;
use jiyu::{Error, Result};

use super::{AnalyzerArgs, InputArgs};

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  \
    jiyu init --input survey.csv --id-column 回答者ID --text-columns Q5\n\n\
    Writes rules/Q5.toml: a scheme for the question with 5–8 candidate categories, each a group\n\
    of nouns that occur in the same answers, as a first rule, with answers it sorts as examples.\n\
    The file is commented: rename the ids and labels, merge and split categories, check the\n\
    examples, then `jiyu rules test rules`. One file per question of the input; an existing\n\
    file is left alone unless --force is given. The same input gives the same file.")]
pub struct InitArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The directory to write the scheme files to (created when missing).
    #[arg(long, value_name = "DIR", default_value = "rules")]
    pub out: PathBuf,
    /// Replace scheme files that already exist.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: InitArgs) -> Result<i32> {
    let analyzer = args.analyzer.analyzer()?;
    let questions = group_by_question(input::open(&args.input.input, &args.input.options())?)?;
    if questions.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no answers to start from (for a wide export, name its free-text columns with \
             --text-columns)",
            args.input.input.display()
        )));
    }
    let options = InitOptions::default();
    let schemes = questions
        .iter()
        .map(|question| starter_scheme(&analyzer, &question.question, &question.texts, &options))
        .collect::<Result<Vec<_>>>()?;
    let paths = write_starter_schemes(&args.out, &schemes, args.force)?;
    for (scheme, path) in schemes.iter().zip(&paths) {
        let clustered = scheme.answers - scheme.non_answers;
        eprintln!(
            "wrote {}: {} candidate categories for {} ({} answers, {} non-answers); its rules sort \
             {} of the other {} ({:.0}%)",
            path.display(),
            scheme.categories.len(),
            scheme.question,
            scheme.answers,
            scheme.non_answers,
            scheme.sorted,
            clustered,
            100.0 * scheme.sorted as f64 / clustered.max(1) as f64
        );
    }
    eprintln!(
        "next: edit the ids, labels and words, then `jiyu rules test {}` and classify with \
         `--rules {}`",
        args.out.display(),
        args.out.display()
    );
    Ok(0)
}
