//! The two tantivy tokenizers of the index, and the token lists both the indexer and the query
//! builder make with them.
//!
//! - `jiyu` ([`JiyuTokenizer`]) runs the shared [`Analyzer`] and emits each token's base form
//!   (spelling variants already unified), so the index sees exactly the tokens the classifier
//!   sees: 受けた is indexed as 受ける, 漏えい as 漏洩. It is registered on every index so tantivy
//!   itself (and any tool reading the index) tokenizes the `tokens` field the same way; jiyu's
//!   own indexer hands tantivy the tokens it already made for classification instead of
//!   analyzing each answer twice: [`encode_tokens`] writes them into one string, which
//!   [`PreAnalyzedTokenizer`], registered under the same name on the index being written,
//!   reads back (see [`crate::index::build`]).
//! - `jiyu_bigram` ([`BigramTokenizer`]) cuts the *normalized* text into overlapping character
//!   bigrams within runs of letters, digits, kana and kanji, the position of a bigram being the
//!   index of its first character. It catches the words the dictionary splits or compounds
//!   differently from the query: メール inside フィッシングメール, 補助金 inside IT導入補助金.

use std::str::CharIndices;
use std::sync::Arc;

use tantivy::tokenizer::{Token as IndexToken, TokenStream, Tokenizer};

use crate::analyze::{Analysis, Analyzer, Token};
use crate::classify::Classifier;

/// The tokenizer name of the base-form field.
pub const TOKENS_TOKENIZER: &str = "jiyu";
/// The tokenizer name of the bigram field.
pub const BIGRAM_TOKENIZER: &str = "jiyu_bigram";

/// Whatever owns the run's [`Analyzer`]: a bare analyzer when searching, the classifier when
/// indexing (it owns the analyzer its rules were compiled with).
pub trait HasAnalyzer: Send + Sync + 'static {
    fn analyzer(&self) -> &Analyzer;
}

impl HasAnalyzer for Analyzer {
    fn analyzer(&self) -> &Analyzer {
        self
    }
}

impl HasAnalyzer for Classifier {
    fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }
}

/// Whether a token carries no text worth indexing (the spaces lindera keeps as tokens). Such a
/// token still takes a position, so phrases line up the same in answers and queries.
pub fn is_blank(token: &Token) -> bool {
    // Most tokens start with a character that is not white space: no need to trim them.
    match token.surface.chars().next() {
        Some(first) if !first.is_whitespace() => false,
        _ => token.surface.trim().is_empty(),
    }
}

/// The `tokens` field of an analyzed text: one index token per analyzer token, its text the
/// base form, its position the token's index, its offsets those of the original text.
/// Consumes the tokens so their base forms move instead of being copied.
pub fn index_tokens(tokens: Vec<Token>) -> Vec<IndexToken> {
    tokens
        .into_iter()
        .enumerate()
        .filter(|(_, token)| !is_blank(token))
        .map(|(position, token)| IndexToken {
            offset_from: token.start,
            offset_to: token.end,
            position,
            text: token.base.into_owned(),
            position_length: 1,
        })
        .collect()
}

/// The `tokens` field of an analyzed text as one string that [`PreAnalyzedTokenizer`] turns
/// back into exactly the tokens of [`index_tokens`] (their offsets aside: the field keeps no
/// offsets). Each non-blank token is written as its position and its length in bytes, each a
/// number of [`push_number`] (one byte when below 128), then its base form, so any text
/// survives. One string an answer instead of a string a token, which tantivy would also copy
/// twice more (a pre-tokenized value is cloned on its way to the indexer). Appended to `out`.
pub fn encode_tokens(tokens: &[Token], out: &mut String) {
    out.reserve(tokens.iter().map(|token| token.base.len() + 2).sum());
    for (position, token) in tokens.iter().enumerate() {
        if is_blank(token) {
            continue;
        }
        push_number(out, position);
        push_number(out, token.base.len());
        out.push_str(&token.base);
    }
}

/// The digits of the numbers of [`encode_tokens`]: a number is written in base 2^15, most
/// significant digit first, each digit but the last one as the character `U+10000 + digit`
/// and the last one as the character `U+0000 + digit` (below U+8000, so never a surrogate).
/// A number below 128 is one byte.
const DIGIT_BITS: u32 = 15;
const CONTINUED: u32 = 0x10000;

fn push_number(out: &mut String, number: usize) {
    if number < 0x80 {
        out.push(char::from(number as u8));
        return;
    }
    let mask = (1usize << DIGIT_BITS) - 1;
    let mut shift = 0;
    while number >> shift > mask {
        shift += DIGIT_BITS;
    }
    while shift > 0 {
        let digit = ((number >> shift) & mask) as u32;
        // A digit below 2^15 plus U+10000 is a valid character.
        out.push(char::from_u32(CONTINUED + digit).unwrap_or_default());
        shift -= DIGIT_BITS;
    }
    out.push(char::from_u32((number & mask) as u32).unwrap_or_default());
}

/// Reads a number of [`push_number`] from the start of `text`: the number and the rest.
fn read_number(text: &str) -> Option<(usize, &str)> {
    let mut number = 0usize;
    let mut chars = text.chars();
    loop {
        let digit = chars.next()? as u32;
        let (value, last) = match digit.checked_sub(CONTINUED) {
            Some(value) => (value, false),
            None => (digit, true),
        };
        number = number.checked_mul(1 << DIGIT_BITS)? | value as usize;
        if last {
            return Some((number, chars.as_str()));
        }
    }
}

/// Reads the tokens [`encode_tokens`] wrote: the `tokens` field's tokenizer on an index being
/// written by [`crate::index::build_index`], which hands it the answers already analyzed. A
/// malformed string (which [`encode_tokens`] never writes) ends the tokens where it goes wrong.
#[derive(Clone, Default)]
pub struct PreAnalyzedTokenizer;

impl Tokenizer for PreAnalyzedTokenizer {
    type TokenStream<'a> = PreAnalyzedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreAnalyzedStream<'a> {
        PreAnalyzedStream {
            rest: text,
            token: IndexToken::default(),
        }
    }
}

/// The tokens of one string of [`encode_tokens`], decoded as tantivy asks for them.
pub struct PreAnalyzedStream<'a> {
    rest: &'a str,
    token: IndexToken,
}

impl PreAnalyzedStream<'_> {
    fn decode_next(&mut self) -> Option<()> {
        let (position, rest) = read_number(self.rest)?;
        let (length, rest) = read_number(rest)?;
        let text = rest.get(..length)?;
        self.token.position = position;
        self.token.text.clear();
        self.token.text.push_str(text);
        self.token.position_length = 1;
        self.rest = &rest[length..];
        Some(())
    }
}

impl TokenStream for PreAnalyzedStream<'_> {
    fn advance(&mut self) -> bool {
        if self.rest.is_empty() {
            return false;
        }
        let decoded = self.decode_next().is_some();
        if !decoded {
            self.rest = "";
        }
        decoded
    }

    fn token(&self) -> &IndexToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut IndexToken {
        &mut self.token
    }
}

/// The analyzer as a tantivy tokenizer (see the module documentation).
#[derive(Clone)]
pub struct JiyuTokenizer {
    source: Arc<dyn HasAnalyzer>,
}

impl JiyuTokenizer {
    pub fn new(source: Arc<dyn HasAnalyzer>) -> JiyuTokenizer {
        JiyuTokenizer { source }
    }
}

impl Tokenizer for JiyuTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let Analysis { tokens, .. } = self.source.analyzer().analyze(text);
        VecTokenStream {
            tokens: index_tokens(tokens),
            next: 0,
            current: IndexToken::default(),
        }
    }
}

/// Tokens made ahead of time, handed out one by one.
pub struct VecTokenStream {
    tokens: Vec<IndexToken>,
    next: usize,
    current: IndexToken,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.get_mut(self.next) {
            Some(token) => {
                self.current = std::mem::take(token);
                self.next += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &IndexToken {
        &self.current
    }

    fn token_mut(&mut self) -> &mut IndexToken {
        &mut self.current
    }
}

/// Whether `ch` belongs inside a word for bigrams: letters (Latin, kana, kanji, the long-vowel
/// mark and 々), digits. Punctuation and spaces end a run. Exactly [`char::is_alphanumeric`];
/// the blocks of Japanese answers, every character of which is alphabetic, are answered
/// without the general table lookup (checked character by character by a unit test).
pub fn is_word_char(ch: char) -> bool {
    if ch.is_ascii() {
        return ch.is_ascii_alphanumeric();
    }
    if ALWAYS_ALPHABETIC.iter().any(|range| range.contains(&ch)) {
        return true;
    }
    ch.is_alphanumeric()
}

/// Ranges every character of which is alphabetic: hiragana ぁ..ゖ, katakana ァ..ヺ and ー (not
/// the middle dot ・ between them), CJK unified ideographs 一..鿿.
const ALWAYS_ALPHABETIC: [std::ops::RangeInclusive<char>; 4] = [
    '\u{3041}'..='\u{3096}',
    '\u{30A1}'..='\u{30FA}',
    '\u{30FC}'..='\u{30FC}',
    '\u{4E00}'..='\u{9FFF}',
];

/// Character bigrams of normalized text (see the module documentation). Expects text that has
/// been through [`crate::normalize::normalize`]; it does not normalize again.
#[derive(Clone, Default)]
pub struct BigramTokenizer;

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        BigramStream::new(text)
    }
}

/// The bigrams of one text, made as tantivy asks for them (no allocation per bigram).
pub struct BigramStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    /// Character index of the next character `chars` yields.
    next_index: usize,
    /// The byte offset of the previous character when it was a word character.
    previous: Option<usize>,
    token: IndexToken,
}

impl<'a> BigramStream<'a> {
    pub fn new(text: &'a str) -> BigramStream<'a> {
        BigramStream {
            text,
            chars: text.char_indices(),
            next_index: 0,
            previous: None,
            token: IndexToken::default(),
        }
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        for (offset, ch) in self.chars.by_ref() {
            let index = self.next_index;
            self.next_index += 1;
            if !is_word_char(ch) {
                self.previous = None;
                continue;
            }
            let previous = self.previous.replace(offset);
            if let Some(previous_offset) = previous {
                // The two characters are adjacent in the text: copy them as one slice.
                let end = offset + ch.len_utf8();
                self.token.text.clear();
                self.token.text.push_str(&self.text[previous_offset..end]);
                self.token.offset_from = previous_offset;
                self.token.offset_to = end;
                self.token.position = index - 1;
                self.token.position_length = 1;
                return true;
            }
        }
        false
    }

    fn token(&self) -> &IndexToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut IndexToken {
        &mut self.token
    }
}

/// The bigrams a query needs to find `normalized` as a phrase: (position relative to the first
/// character, bigram). Within each run of word characters every character is covered once
/// (bigrams at run offsets 0, 2, 4 … plus the last one), which pins the whole run down with about
/// half the terms of all overlapping bigrams. Empty when no run has two characters.
pub fn query_bigrams(normalized: &str) -> Vec<(usize, String)> {
    let mut runs: Vec<Vec<(usize, char)>> = Vec::new();
    let mut run: Vec<(usize, char)> = Vec::new();
    for (index, ch) in normalized.chars().enumerate() {
        if is_word_char(ch) {
            run.push((index, ch));
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    let mut out = Vec::new();
    for run in runs.iter().filter(|run| run.len() >= 2) {
        let last_start = run.len() - 2;
        let mut starts: Vec<usize> = (0..=last_start).step_by(2).collect();
        if last_start % 2 == 1 {
            starts.push(last_start);
        }
        for start in starts {
            let (position, first) = run[start];
            let second = run[start + 1].1;
            out.push((position, [first, second].iter().collect()));
        }
    }
    if let Some(&(first, _)) = out.first() {
        for (position, _) in &mut out {
            *position -= first;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bigrams(text: &str) -> Vec<(usize, String)> {
        let mut stream = BigramStream::new(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().position, stream.token().text.clone()));
        }
        out
    }

    #[test]
    fn bigrams_stay_within_runs_and_count_characters() {
        assert_eq!(
            bigrams("IT導入、金 AB"),
            vec![
                (0, "IT".to_string()),
                (1, "T導".to_string()),
                (2, "導入".to_string()),
                (7, "AB".to_string()),
            ]
        );
    }

    #[test]
    fn word_characters_are_the_alphanumeric_ones() {
        for ch in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_char(ch), ch.is_alphanumeric(), "{ch:?}");
        }
    }

    #[test]
    fn pre_analyzed_tokens_read_back_as_index_tokens() {
        let analyzer = Analyzer::new(&[]).unwrap();
        let mut longest = 0;
        for text in [
            "IT導入補助金の申請を受けた 　ISMS；研修,5;回",
            "",
            "   ",
            "12,3;漏えい",
            // Positions past 127 (two bytes) and past 2^15 (two digits).
            &"セキュリティ研修を受けた。".repeat(6000),
            // A token longer than 2^15 bytes.
            &"a".repeat(40_000),
            "\u{0}\u{1}\u{7f}\u{10000}",
        ] {
            let tokens = analyzer.analyze(text).tokens;
            let mut encoded = String::new();
            encode_tokens(&tokens, &mut encoded);
            let mut tokenizer = PreAnalyzedTokenizer;
            let mut stream = tokenizer.token_stream(&encoded);
            let mut decoded = Vec::new();
            while stream.advance() {
                decoded.push((stream.token().position, stream.token().text.clone()));
            }
            let expected: Vec<(usize, String)> = index_tokens(tokens)
                .into_iter()
                .map(|token| (token.position, token.text))
                .collect();
            assert_eq!(decoded, expected, "{text}");
            longest = longest.max(decoded.last().map_or(0, |token| token.0));
        }
        assert!(longest > 0x8000, "{longest}");
    }

    #[test]
    fn blank_tokens_are_those_of_white_space_only() {
        let token = |surface: &str| Token {
            surface: surface.to_string().into(),
            base: surface.to_string().into(),
            pos: "".into(),
            reading: "".into(),
            start: 0,
            end: surface.len(),
            normalized_start: 0,
            normalized_end: surface.len(),
            negated: false,
        };
        for blank in ["", " ", "\u{3000}", " \t\u{3000}\n"] {
            assert!(is_blank(&token(blank)), "{blank:?}");
        }
        for word in ["研修", "a", " a", "\u{3000}研修", "。"] {
            assert!(!is_blank(&token(word)), "{word:?}");
        }
    }

    #[test]
    fn numbers_read_back() {
        for number in [
            0,
            1,
            127,
            128,
            0x7FFF,
            0x8000,
            0xD7FF,
            0xD800,
            0xFFFF,
            0x10000,
            1 << 30,
            usize::MAX,
        ] {
            let mut text = String::new();
            push_number(&mut text, number);
            text.push_str("rest");
            assert_eq!(read_number(&text), Some((number, "rest")), "{number}");
        }
        assert_eq!(read_number("\u{10000}"), None);
    }

    #[test]
    fn query_bigrams_cover_each_run() {
        assert_eq!(
            query_bigrams("補助金"),
            vec![(0, "補助".to_string()), (1, "助金".to_string())]
        );
        assert_eq!(
            query_bigrams("セキュリティ"),
            vec![
                (0, "セキ".to_string()),
                (2, "ュリ".to_string()),
                (4, "ティ".to_string())
            ]
        );
        assert_eq!(query_bigrams("金"), vec![]);
        assert_eq!(
            query_bigrams("SECURITY ACTION").last(),
            Some(&(13, "ON".to_string()))
        );
    }
}
