//! `jiyu suggest`: words the rules could use.

use std::path::PathBuf;

use clap::Args;

use jiyu::classify::pipeline::classify_stream;
use jiyu::gold::read_gold;
use jiyu::input;
use jiyu::progress::answers_bar;
use jiyu::suggest::{key_words, unclassified_words, LabeledText};
use jiyu::wording::counted;
use jiyu::{Error, Result};

use super::{print, AnalyzerArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    jiyu suggest --gold corpus/ipa-2024/labeled.jsonl\n  \
    jiyu suggest --input corpus/demo/survey.csv --id-column 回答者ID --text-columns Q6-1,Q7-2,Q10-1\n\n\
    For each category: the base forms most over-represented in its answers (log-likelihood\n\
    keyness against the other answers of the scheme). With --input, categories are jiyu's own\n\
    primary labels, and the frequent words of the unclassified answers are listed too.")]
pub struct SuggestArgs {
    /// A gold JSONL file (id, question, text, category): key words of the person's categories.
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    pub gold: Option<PathBuf>,
    #[command(flatten)]
    pub input: Option<super::InputArgs>,
    /// Words to list per category.
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    #[command(flatten)]
    pub rules: RulesArgs,
    #[command(flatten)]
    pub analyzer: AnalyzerArgs,
}

pub fn run(args: SuggestArgs) -> Result<i32> {
    let classifier = args.rules.classifier(&args.analyzer)?;
    // (scheme, category, text) of every answer to learn from.
    let mut labeled: Vec<(String, String, String)> = Vec::new();
    if let Some(gold) = &args.gold {
        for item in read_gold(gold, &classifier.rules)? {
            if let Some(scheme) = classifier.rules.scheme_for(&item.answer.question) {
                labeled.push((scheme.id.clone(), item.category, item.answer.text));
            }
        }
    } else if let Some(input_args) = &args.input {
        let progress = answers_bar(false, "classified");
        classify_stream(
            input::open(&input_args.input, &input_args.options())?,
            &classifier,
            &progress,
            |item| {
                if let (Some(scheme), Some(primary)) = (
                    item.classification.scheme,
                    item.classification.categories.first(),
                ) {
                    labeled.push((scheme, primary.clone(), item.answer.text));
                }
                Ok(())
            },
        )?;
        progress.finish_and_clear();
    } else {
        return Err(Error::Usage(
            "give --gold FILE or --input FILE (see `jiyu suggest --help`)".into(),
        ));
    }
    let items: Vec<LabeledText> = labeled
        .iter()
        .map(|(scheme, category, text)| LabeledText {
            scheme,
            category,
            text,
        })
        .collect();
    let mut out = String::new();
    for category in key_words(&classifier.analyzer, &items, args.top) {
        out.push_str(&format!(
            "{} / {} ({})\n",
            category.scheme,
            category.category,
            counted(category.answers, "answer", "answers")
        ));
        for word in &category.words {
            out.push_str(&format!(
                "  {:<16} {:>4} in category {:>5} elsewhere  G²={:.1}\n",
                word.word, word.in_category, word.elsewhere, word.log_likelihood
            ));
        }
    }
    let unclassified = unclassified_words(&classifier.analyzer, &items, args.top * 2);
    if !unclassified.is_empty() {
        out.push_str("frequent words of unclassified answers\n");
        for (word, count) in unclassified {
            out.push_str(&format!("  {word:<16} {count:>5}\n"));
        }
    }
    print(&out)?;
    Ok(0)
}
