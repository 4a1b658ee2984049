//! `jiyu classify`: sorts every answer of an export into categories.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use clap::Args;

use jiyu::classify::pipeline::{classify_stream_with, Classified, Summary};
use jiyu::classify::unsorted::{Unsorted, UnsortedCheck};
use jiyu::classify::Classifier;
use jiyu::input;
use jiyu::output::{write_atomically, ClassifiedWriter, OutputFormat};
use jiyu::overrides::Overrides;
use jiyu::progress::answers_bar;
use jiyu::{Answer, Result};

use super::{
    announce_rules, warn_unsorted, AnalyzerArgs, InputArgs, OverridesArgs, RulesArgs, Stdout,
};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu classify --input answers.jsonl --output labeled.jsonl\n  \
    jiyu classify --input corpus/demo/survey.csv --id-column 回答者ID \\\n    \
    --text-columns Q6-1,Q7-2,Q10-1 --output-format csv --output labeled.csv\n\n\
    JSONL output: one object per answer in input order with id, question, text, attributes,\n\
    categories (strongest first), primary and evidence (the matched words, character offsets).\n\
    A summary table per question goes to stderr: each category's count, the answers that need\n\
    review (要確認: confidence below 0.5) and the labels the model gave, then their totals.\n\
    With --overrides FILE (CSV: id, categories joined by |, optional note) the labels of the\n\
    answers it names are replaced; an unknown id or category is an error and no output is written.\n\
    Which rules are used is said on stderr; a question no scheme sorts is warned about (an\n\
    error with --strict).")]
pub struct ClassifyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Where to write the labeled answers (default: standard output). Written whole or not at all.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: OverridesArgs,
    /// jsonl (default) or csv (UTF-8 with BOM, for Excel).
    #[arg(long, value_enum, default_value = "jsonl")]
    pub output_format: OutputFormat,
    /// No progress bar, no summary table and no line naming the rules.
    #[arg(long, short)]
    pub quiet: bool,
    /// A question of the input that no scheme sorts is an error (exit 2, nothing written)
    /// instead of a warning.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: ClassifyArgs) -> Result<i32> {
    let classifier = args.rules.classifier(&args.analyzer)?;
    let overrides = args.overrides.load(&classifier.rules)?;
    let options = args.input.options();
    // CSV needs every attribute column in its header, so read the input once for the names.
    let attribute_columns = if args.output_format == OutputFormat::Csv {
        attribute_names(&args.input.input, &options)?
    } else {
        Vec::new()
    };
    let mut summary = Summary::default();
    let unsorted = Mutex::new(Unsorted::default());
    let mut write = |out: &mut dyn Write| -> Result<()> {
        let answers = UnsortedCheck::new(
            input::open(&args.input.input, &options)?,
            &classifier.rules,
            &unsorted,
            args.strict,
        );
        classify_to(
            &classifier,
            overrides.as_ref(),
            &args,
            answers,
            attribute_columns.clone(),
            out,
            &mut summary,
        )
    };
    match &args.output {
        Some(path) => write_atomically(path, write)?,
        None => {
            let mut out = Stdout::lock();
            write(&mut out)?;
            out.finish()?;
        }
    }
    announce_rules(&classifier.rules, args.quiet);
    warn_unsorted(unsorted, &classifier.rules);
    if !args.quiet {
        eprint!("{}", summary.render(&classifier));
    }
    Ok(0)
}

fn classify_to(
    classifier: &Classifier,
    overrides: Option<&Overrides>,
    args: &ClassifyArgs,
    answers: impl Iterator<Item = Result<Answer>> + Send,
    attribute_columns: Vec<String>,
    out: &mut dyn Write,
    summary: &mut Summary,
) -> Result<()> {
    let label = |item: &Classified| {
        let scheme = classifier.rules.scheme_for(&item.answer.question);
        item.classification
            .primary()
            .map(|primary| classifier.rules.label(scheme, primary))
            .unwrap_or_default()
    };
    let mut writer = ClassifiedWriter::new(out, args.output_format, attribute_columns, &label)?;
    let progress = answers_bar(args.quiet, "classified");
    classify_stream_with(answers, classifier, overrides, &progress, |item| {
        summary.add(&item);
        writer.write(&item)
    })?;
    progress.finish_and_clear();
    Ok(())
}

/// Attribute names of every answer, in order of first appearance.
fn attribute_names(path: &std::path::Path, options: &input::InputOptions) -> Result<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    for answer in input::open(path, options)? {
        for (name, _) in answer?.attributes {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Ok(names)
}
