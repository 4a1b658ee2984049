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

/// The first two comma-separated levels of a part of speech (`名詞`, `一般` of `名詞,一般,*,*`),
/// `""` for a level it lacks. Looked up for every token: a byte search, as `str::split` showed
/// in profiles.
fn first_two_levels(pos: &str) -> (&str, &str) {
    fn level(text: &str) -> (&str, &str) {
        let end = text
            .bytes()
            .position(|byte| byte == b',')
            .unwrap_or(text.len());
        text.split_at(end)
    }
    let (major, rest) = level(pos);
    let (minor, _) = level(rest.get(1..).unwrap_or(""));
    (major, minor)
}

/// Whether the model reads this token.
fn is_content_word(token: &Token) -> bool {
    let (major, minor) = first_two_levels(&token.pos);
    match major {
        "名詞" => !matches!(minor, "数" | "非自立" | "代名詞" | "接尾" | "特殊"),
        "動詞" | "形容詞" => minor == "自立",
        "副詞" => true,
        _ => false,
    }
}
