//! One token of an analyzed answer: what [`crate::analyze`] makes, and what the stages after it
//! ([`crate::variants`], [`crate::negation`], rules, the index) read and rewrite. Kept apart from
//! the analyzer so those stages depend on the token alone, not on the analyzer that depends on
//! them.

use std::borrow::Cow;

use serde::Serialize;

/// One token of an answer.
///
/// The text fields borrow the process's one copy of each dictionary string (interned by
/// [`crate::analyze`]) when they come from the dictionary, and own it otherwise (unknown
/// words, merged variants): allocating and freeing four strings for every token showed in
/// profiles of `classify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// The token as it appears in the normalized text.
    pub surface: Cow<'static, str>,
    /// The dictionary form (`受け` → `受ける`); the surface for unknown words and domain terms.
    pub base: Cow<'static, str>,
    /// Part of speech, IPADIC's four levels joined by commas (`名詞,サ変接続,*,*`).
    pub pos: Cow<'static, str>,
    /// Reading in katakana; empty when the dictionary has none.
    pub reading: Cow<'static, str>,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// Byte range in the normalized text.
    pub normalized_start: usize,
    pub normalized_end: usize,
    /// Whether the token belongs to a negated predicate: 失敗 and する in 失敗しない, 時間 in
    /// 時間がない, the negator ない itself (see [`crate::negation`] for the exact rules).
    pub negated: bool,
}

impl Token {
    /// The top-level part of speech (`名詞`, `動詞`, …).
    pub fn major_pos(&self) -> &str {
        self.pos.split(',').next().unwrap_or("")
    }
}
