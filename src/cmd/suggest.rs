//! `jiyu suggest`: words the rules could use.

use std::path::PathBuf;

use clap::Args;

use jiyu::classify::pipeline::classify_stream;
use jiyu::classify::Basis;
use jiyu::gold::read_gold;
use jiyu::input;
use jiyu::progress::answers_bar;
use jiyu::suggest::{
    key_words, question_words, unclassified_words, LabeledText, QuestionText, QuestionWord,
};
use jiyu::text::display_width;
use jiyu::wording::counted;
use jiyu::{Error, Result};

use super::{announce_rules, print, AnalyzerArgs, RulesArgs};

#[derive(Debug, Args)]
#[command(
    override_usage = "jiyu suggest --gold <FILE> [OPTIONS]\n       \
                      jiyu suggest --input <FILE> [INPUT OPTIONS] [OPTIONS]",
    after_help = "Examples:\n  \
    jiyu suggest --gold corpus/ipa-2024/labeled.jsonl\n  \
    jiyu suggest --input corpus/demo/survey.csv --id-column 回答者ID --text-columns Q6-1,Q7-2,Q10-1\n\n\
    For each category: the base forms most over-represented in its answers (log-likelihood\n\
    keyness against the other answers of the scheme). With --input, categories are jiyu's own\n\
    primary labels, and the frequent words of the unclassified answers are listed too.\n\
    For a question no scheme sorts (a new survey): the words most of its answers use, and\n\
    those most characteristic of it against the other questions of the export, if any."
)]
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
    // (question, text) of every answer that is not a non-answer, for the questions no scheme
    // sorts; and those questions, in order of appearance.
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut unsorted: Vec<String> = Vec::new();
    let mut note_text = |question: &str, text: String, sorted: bool| {
        if !sorted && !unsorted.iter().any(|known| known == question) {
            unsorted.push(question.to_string());
        }
        texts.push((question.to_string(), text));
    };
    if let Some(gold) = &args.gold {
        for item in read_gold(gold, &classifier.rules)? {
            let scheme = classifier.rules.scheme_for(&item.answer.question);
            if let Some(scheme) = scheme {
                labeled.push((scheme.id.clone(), item.category, item.answer.text.clone()));
            }
            let analysis = classifier.analyzer.analyze(&item.answer.text);
            if jiyu::classify::non_answer(scheme, &analysis, &item.answer.text).is_none() {
                note_text(&item.answer.question, item.answer.text, scheme.is_some());
            }
        }
    } else if let Some(input_args) = &args.input {
        let progress = answers_bar(false, "classified");
        classify_stream(
            input::open(&input_args.input, &input_args.options())?,
            &classifier,
            &progress,
            |item| {
                if item.classification.basis != Basis::NoAnswer {
                    note_text(
                        &item.answer.question,
                        item.answer.text.clone(),
                        item.classification.scheme.is_some(),
                    );
                }
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
                "  {} {:>4} in category {:>5} elsewhere  G²={:.1}\n",
                pad(&word.word, 16),
                word.in_category,
                word.elsewhere,
                word.log_likelihood
            ));
        }
    }
    let unclassified = unclassified_words(&classifier.analyzer, &items, args.top * 2);
    if !unclassified.is_empty() {
        out.push_str("frequent words of unclassified answers\n");
        for (word, count) in unclassified {
            out.push_str(&format!("  {} {count:>5}\n", pad(&word, 16)));
        }
    }
    let texts: Vec<QuestionText> = texts
        .iter()
        .map(|(question, text)| QuestionText { question, text })
        .collect();
    let questions: Vec<&str> = unsorted.iter().map(String::as_str).collect();
    for words in question_words(&classifier.analyzer, &texts, &questions, args.top) {
        out.push_str(&format!(
            "{} ({} answers, non-answers left out): no scheme of {} sorts it\n",
            words.question,
            words.answers,
            classifier.rules.name()
        ));
        let compared = if words.other_answers == 0 {
            "no keyness: the input has no other question to compare with".to_string()
        } else {
            format!(
                "keyness: log-likelihood G² of the answers using the word, {} against the {} \
                 answers of the input's other questions; + more frequent in {}, - less",
                words.question, words.other_answers, words.question
            )
        };
        out.push_str(&format!("  frequent words ({compared})\n"));
        let compared = words.other_answers > 0;
        out.push_str(&word_table(&words.frequent, words.answers, compared));
        if !words.characteristic.is_empty() {
            out.push_str(&format!(
                "  words most characteristic of {} (highest keyness)\n",
                words.question
            ));
            out.push_str(&word_table(&words.characteristic, words.answers, compared));
        }
    }
    if out.is_empty() {
        out.push_str("no answers with words to suggest\n");
    }
    print(&out)?;
    announce_rules(&classifier.rules, false);
    Ok(0)
}

/// `text`, then spaces up to `width` terminal columns (wide characters count two).
fn pad(text: &str, width: usize) -> String {
    format!(
        "{text}{}",
        " ".repeat(width.saturating_sub(display_width(text)))
    )
}

/// The rows of a question's word table: word, answers using it, their share, and its keyness
/// when the question was `compared` with others.
fn word_table(words: &[QuestionWord], answers: usize, compared: bool) -> String {
    let width = words
        .iter()
        .map(|word| display_width(&word.word))
        .max()
        .unwrap_or(0)
        .max(display_width("word"));
    let keyness = |text: String| {
        if compared {
            format!(" {text:>8}")
        } else {
            String::new()
        }
    };
    let mut out = format!(
        "    {} {:>7} {:>6}{}\n",
        pad("word", width),
        "answers",
        "share",
        keyness("keyness".to_string())
    );
    for word in words {
        out.push_str(&format!(
            "    {} {:>7} {:>5.1}%{}\n",
            pad(&word.word, width),
            word.answers,
            100.0 * word.answers as f64 / answers.max(1) as f64,
            keyness(
                word.keyness
                    .map_or("-".to_string(), |keyness| format!("{keyness:+.1}"))
            )
        ));
    }
    out
}
