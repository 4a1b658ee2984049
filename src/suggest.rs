//! Suggestions for rule writers: which words characterise each category, and which words the
//! `unclassified` answers share, so staff see what the rules miss.
//!
//! Keyness is Dunning's log-likelihood (G²) of a word's document frequency inside a category
//! against the rest of the answers of the same scheme; only over-represented words are kept.
//! For a question no scheme sorts yet, [`question_words`] lists the frequent words of its
//! answers and those most characteristic of it against the other questions of the export.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::analyze::{Analyzer, Token};
use crate::rules::scheme::UNCLASSIFIED;

/// Verbs and nouns too common to characterise anything.
const STOP_WORDS: &[&str] = &[
    "する",
    "ある",
    "いる",
    "なる",
    "れる",
    "られる",
    "できる",
    "出来る",
    "思う",
    "こと",
    "もの",
    "よう",
    "ため",
    "等",
    "など",
    "方",
    "ない",
    "いう",
    "くる",
    "おる",
    "やる",
    "行う",
    "いただく",
    "ほしい",
    "欲しい",
    "良い",
    "よい",
    "いい",
];

/// A labeled answer for keyness: its scheme, category and text.
pub struct LabeledText<'a> {
    pub scheme: &'a str,
    pub category: &'a str,
    pub text: &'a str,
}

/// One over-represented word.
#[derive(Debug, Clone, Serialize)]
pub struct KeyWord {
    pub word: String,
    /// Answers of the category that contain it.
    pub in_category: usize,
    /// Answers of the rest of the scheme that contain it.
    pub elsewhere: usize,
    pub log_likelihood: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryKeyWords {
    pub scheme: String,
    pub category: String,
    pub answers: usize,
    pub words: Vec<KeyWord>,
}

/// The content words of an answer (nouns, independent verbs and adjectives), as base forms.
pub fn content_words(tokens: &[Token]) -> HashSet<String> {
    tokens
        .iter()
        .filter(|token| {
            let pos = token.pos.as_ref();
            let content = (pos.starts_with("名詞")
                && !pos.starts_with("名詞,非自立")
                && !pos.starts_with("名詞,数")
                && !pos.starts_with("名詞,代名詞")
                && !pos.starts_with("名詞,接尾"))
                || pos.starts_with("動詞,自立")
                || pos.starts_with("形容詞,自立");
            content
                && !STOP_WORDS.contains(&token.base.as_ref())
                && token.base.chars().any(|ch| ch.is_alphanumeric())
                && token.base.chars().count() > 1
        })
        .map(|token| token.base.to_string())
        .collect()
}

/// Answers of one category, and in how many of them each word occurs.
type DocumentFrequencies = (usize, HashMap<String, usize>);

/// Per category, the `top` words most over-represented in its answers.
pub fn key_words(analyzer: &Analyzer, items: &[LabeledText], top: usize) -> Vec<CategoryKeyWords> {
    let mut frequencies: BTreeMap<&str, BTreeMap<&str, DocumentFrequencies>> = BTreeMap::new();
    for item in items {
        let words = content_words(&analyzer.analyze(item.text).tokens);
        let entry = frequencies
            .entry(item.scheme)
            .or_default()
            .entry(item.category)
            .or_default();
        entry.0 += 1;
        for word in words {
            *entry.1.entry(word).or_default() += 1;
        }
    }
    let mut result = Vec::new();
    for (scheme, categories) in &frequencies {
        let total_answers: usize = categories.values().map(|(answers, _)| answers).sum();
        let mut totals: HashMap<&str, usize> = HashMap::new();
        for (_, words) in categories.values() {
            for (word, count) in words {
                *totals.entry(word.as_str()).or_default() += count;
            }
        }
        for (category, (answers, words)) in categories {
            let rest_answers = total_answers - answers;
            let mut scored: Vec<KeyWord> = words
                .iter()
                .filter_map(|(word, &in_category)| {
                    let elsewhere = totals.get(word.as_str()).copied().unwrap_or(0) - in_category;
                    let log_likelihood =
                        log_likelihood(in_category, *answers, elsewhere, rest_answers);
                    let over = in_category as f64 / (*answers).max(1) as f64
                        > elsewhere as f64 / rest_answers.max(1) as f64;
                    over.then(|| KeyWord {
                        word: word.clone(),
                        in_category,
                        elsewhere,
                        log_likelihood,
                    })
                })
                .collect();
            scored.sort_by(|a, b| {
                b.log_likelihood
                    .total_cmp(&a.log_likelihood)
                    .then(b.in_category.cmp(&a.in_category))
                    .then(a.word.cmp(&b.word))
            });
            scored.truncate(top);
            result.push(CategoryKeyWords {
                scheme: scheme.to_string(),
                category: category.to_string(),
                answers: *answers,
                words: scored,
            });
        }
    }
    result
}

/// Dunning's G² for a word found in `a` of `n1` answers of one group and `b` of `n2` of the other.
pub fn log_likelihood(a: usize, n1: usize, b: usize, n2: usize) -> f64 {
    let (a, n1, b, n2) = (a as f64, n1 as f64, b as f64, n2 as f64);
    let expected_a = n1 * (a + b) / (n1 + n2).max(1.0);
    let expected_b = n2 * (a + b) / (n1 + n2).max(1.0);
    let term = |observed: f64, expected: f64| {
        if observed > 0.0 && expected > 0.0 {
            observed * (observed / expected).ln()
        } else {
            0.0
        }
    };
    2.0 * (term(a, expected_a) + term(b, expected_b))
}

/// The most frequent content words of the `unclassified` answers, with their answer counts.
pub fn unclassified_words(
    analyzer: &Analyzer,
    items: &[LabeledText],
    top: usize,
) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for item in items.iter().filter(|item| item.category == UNCLASSIFIED) {
        for word in content_words(&analyzer.analyze(item.text).tokens) {
            *counts.entry(word).or_default() += 1;
        }
    }
    let mut words: Vec<(String, usize)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    words.truncate(top);
    words
}

/// The answers of the questions no scheme sorts, and of every other question: what
/// [`question_words`] reads.
pub struct QuestionText<'a> {
    pub question: &'a str,
    pub text: &'a str,
}

/// One word of a question's answers.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionWord {
    pub word: String,
    /// Answers of the question that contain it.
    pub answers: usize,
    /// Answers of the other questions that contain it.
    pub elsewhere: usize,
    /// How characteristic the word is of the question against the other questions: Dunning's
    /// G², positive when the word is over-represented in the question, negative when under;
    /// `None` when there is no other question to compare with.
    pub keyness: Option<f64>,
}

/// The words of one question's answers, for a question no scheme sorts yet.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionWords {
    pub question: String,
    /// The question's answers (non-answers left out by the caller).
    pub answers: usize,
    /// The answers of the other questions the keyness compares with (0: none).
    pub other_answers: usize,
    /// The `top` words used by the most answers, most first.
    pub frequent: Vec<QuestionWord>,
    /// The `top` words most over-represented in the question against the other questions,
    /// most first; empty when there are no other questions.
    pub characteristic: Vec<QuestionWord>,
}

/// For each of `questions`, the content words (base forms) of its answers in `texts`: the most
/// frequent, and the most characteristic against the answers of every other question of
/// `texts` (log-likelihood keyness of the document frequencies). Words of one answer count
/// once. Questions in the order given.
pub fn question_words(
    analyzer: &Analyzer,
    texts: &[QuestionText],
    questions: &[&str],
    top: usize,
) -> Vec<QuestionWords> {
    // Per question: its answers and each word's document frequency.
    let mut frequencies: HashMap<&str, DocumentFrequencies> = HashMap::new();
    for item in texts {
        let entry = frequencies.entry(item.question).or_default();
        entry.0 += 1;
        for word in content_words(&analyzer.analyze(item.text).tokens) {
            *entry.1.entry(word).or_default() += 1;
        }
    }
    let all_answers: usize = frequencies.values().map(|(answers, _)| answers).sum();
    let mut totals: HashMap<&str, usize> = HashMap::new();
    for (_, words) in frequencies.values() {
        for (word, count) in words {
            *totals.entry(word.as_str()).or_default() += count;
        }
    }
    questions
        .iter()
        .map(|&question| {
            let empty = DocumentFrequencies::default();
            let (answers, words) = frequencies.get(question).unwrap_or(&empty);
            let other_answers = all_answers - answers;
            let scored: Vec<QuestionWord> = words
                .iter()
                .map(|(word, &count)| {
                    let elsewhere = totals.get(word.as_str()).copied().unwrap_or(0) - count;
                    let keyness = (other_answers > 0).then(|| {
                        let g2 = log_likelihood(count, *answers, elsewhere, other_answers);
                        let over = count as f64 / (*answers).max(1) as f64
                            >= elsewhere as f64 / other_answers as f64;
                        if over {
                            g2
                        } else {
                            -g2
                        }
                    });
                    QuestionWord {
                        word: word.clone(),
                        answers: count,
                        elsewhere,
                        keyness,
                    }
                })
                .collect();
            let keyness = |word: &QuestionWord| word.keyness.unwrap_or(0.0);
            let mut frequent = scored.clone();
            frequent.sort_by(|a, b| {
                b.answers
                    .cmp(&a.answers)
                    .then(keyness(b).total_cmp(&keyness(a)))
                    .then(a.word.cmp(&b.word))
            });
            frequent.truncate(top);
            let mut characteristic: Vec<QuestionWord> = scored
                .into_iter()
                .filter(|word| word.keyness.is_some_and(|keyness| keyness > 0.0))
                .collect();
            characteristic.sort_by(|a, b| {
                keyness(b)
                    .total_cmp(&keyness(a))
                    .then(b.answers.cmp(&a.answers))
                    .then(a.word.cmp(&b.word))
            });
            characteristic.truncate(top);
            QuestionWords {
                question: question.to_string(),
                answers: *answers,
                other_answers,
                frequent,
                characteristic,
            }
        })
        .collect()
}
