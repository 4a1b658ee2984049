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

/// The second level of a part of speech whose first level is `major` (`一般` of
/// `名詞,一般,*,*` for `名詞`): `Some("")` when `pos` is `major` alone, `None` when its first
/// level is another. Looked up for every token: prefix comparisons, which fail at the first
/// bytes for the particles and auxiliaries that make up half the tokens.
fn minor_of<'p>(pos: &'p str, major: &str) -> Option<&'p str> {
    let rest = pos.strip_prefix(major)?;
    if rest.is_empty() {
        return Some("");
    }
    let rest = rest.strip_prefix(',')?;
    Some(rest.split_once(',').map_or(rest, |(minor, _)| minor))
}

/// Whether the model reads this token.
fn is_content_word(token: &Token) -> bool {
    let pos = token.pos.as_ref();
    if let Some(minor) = minor_of(pos, "名詞") {
        return !matches!(minor, "数" | "非自立" | "代名詞" | "接尾" | "特殊");
    }
    if let Some(minor) = minor_of(pos, "動詞").or_else(|| minor_of(pos, "形容詞")) {
        return minor == "自立";
    }
    minor_of(pos, "副詞").is_some()
}
