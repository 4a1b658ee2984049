//! The words the model reads in an answer: the base forms of its content words — nouns (not
//! numbers, pronouns, suffixes or dependent nouns such as こと), independent verbs and
//! adjectives, adverbs — each once, in order of first appearance. Spelling variants are already
//! one word (the analyzer unifies them), so 問合せ and 問い合わせ weigh the same.

use crate::analyze::{Analysis, Token};

/// One content word of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The base form (the model's feature).
    pub text: &'a str,
    /// The index of its first token in the analysis.
    pub token: usize,
}

/// The distinct content words of an answer, in order of first appearance.
pub fn words(analysis: &Analysis) -> Vec<Word<'_>> {
    let mut words: Vec<Word<'_>> = Vec::with_capacity(analysis.tokens.len());
    for (index, token) in analysis.tokens.iter().enumerate() {
        if !is_content_word(token) {
            continue;
        }
        let text = token.base.as_ref();
        if !words.iter().any(|word| word.text == text) {
            words.push(Word { text, token: index });
        }
    }
    words
}

/// Whether the model reads this token.
fn is_content_word(token: &Token) -> bool {
    let mut levels = token.pos.split(',');
    let major = levels.next().unwrap_or("");
    let minor = levels.next().unwrap_or("");
    match major {
        "名詞" => !matches!(minor, "数" | "非自立" | "代名詞" | "接尾" | "特殊"),
        "動詞" | "形容詞" => minor == "自立",
        "副詞" => true,
        _ => false,
    }
}
