//! `jiyu index`: classifies every answer of an export and indexes it for `search` and `kwic`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clap::Args;

use jiyu::classify::unsorted::{Unsorted, UnsortedCheck};
use jiyu::index::{build_index, IndexOptions};
use jiyu::input;
use jiyu::progress::answers_bar;
use jiyu::wording::counted;
use jiyu::Result;

use super::{announce_rules, warn_unsorted, AnalyzerArgs, InputArgs, OverridesArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu index --input corpus/ipa-2024/labeled.jsonl --index answers.idx\n  \
    jiyu index --input corpus/demo/survey.csv --id-column 回答者ID \\\n    \
    --text-columns Q6-1,Q7-2,Q10-1 --index survey.idx\n  \
    jiyu index --append --input late-answers.csv --index survey.idx\n\n\
    Every answer is indexed, also those of questions no scheme sorts. Without --append the index\n\
    holds exactly this input afterwards; with it, answers are added and an answer whose id is\n\
    already indexed is replaced. The index changes only when the whole input has been read: a\n\
    run that stops on an error leaves the previous index as it was.")]
pub struct IndexArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// The index directory (created when missing).
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// Add to the index (replacing answers with the same id) instead of replacing its contents.
    #[arg(long)]
    pub append: bool,
    #[command(flatten)]
    pub overrides: OverridesArgs,
    /// No progress bar, no summary line and no line naming the rules.
    #[arg(long, short)]
    pub quiet: bool,
    /// A question of the input that no scheme sorts is an error (exit 2, nothing written)
    /// instead of a warning.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: IndexArgs) -> Result<i32> {
    let classifier = Arc::new(args.rules.classifier(&args.analyzer)?);
    let overrides = args.overrides.load(&classifier.rules)?;
    let unsorted = Mutex::new(Unsorted::default());
    let answers = UnsortedCheck::new(
        input::open(&args.input.input, &args.input.options())?,
        &classifier.rules,
        &unsorted,
        args.strict,
    );
    let options = IndexOptions {
        append: args.append,
        ..IndexOptions::default()
    };
    let progress = answers_bar(args.quiet, "indexed");
    let started = std::time::Instant::now();
    let stats = build_index(
        &args.index,
        answers,
        Arc::clone(&classifier),
        overrides.as_ref(),
        &options,
        &progress,
    )?;
    progress.finish_and_clear();
    announce_rules(&classifier.rules, args.quiet);
    warn_unsorted(unsorted, &classifier.rules);
    if !args.quiet {
        eprintln!(
            "{}: indexed {} in {:.1} s; the index holds {}",
            args.index.display(),
            counted(stats.indexed, "answer", "answers"),
            started.elapsed().as_secs_f64(),
            counted(stats.documents as usize, "answer", "answers")
        );
    }
    Ok(0)
}
