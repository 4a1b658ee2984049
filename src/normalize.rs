//! Text normalization: the one place that decides which spellings of a word count as the same.
//!
//! Every stage that looks at answer text (classification, indexing, search queries, the user
//! dictionary) goes through [`normalize`], so `ＩＳＭＳ`, `isms` and `ISMS` or `セキュリティー` and
//! `セキュリティ` are one word everywhere. The original text is never changed: [`Normalized`] keeps,
//! for every character it produced, the byte range of the original it came from, so evidence and
//! snippets can point into the text the respondent wrote.
//!
//! The steps, in order:
//! 1. Unicode NFKC (full-width Latin and digits to ASCII, half-width kana to full-width kana,
//!    `ｶﾞ` to `ガ`).
//! 2. Dash look-alikes (`‐ − – — ― ─` …) become the long-vowel mark `ー` after katakana and `-`
//!    elsewhere; a hyphen between a Latin letter and katakana is dropped (`e-ラーニング`).
//! 3. Latin letters fold to upper case. Latin words in these answers are nearly all acronyms
//!    (ISMS, UTM, EDR, IT導入補助金), so upper case is the form staff recognise.
//! 4. A katakana word longer than three characters loses one trailing `ー`
//!    (`セキュリティー` → `セキュリティ`, `サーバー` → `サーバ`), as Lucene's Japanese stemmer does.
//! 5. White space and control characters collapse to one space; the ends are trimmed. A space
//!    between a Latin letter or digit and Japanese is dropped (`IT 導入補助金` → `IT導入補助金`,
//!    as text copied from PDFs often has it); between two Latin words it stays (`SECURITY ACTION`).

use std::ops::Range;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// Normalized text with a map back to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// One entry per character of `text`, in order; empty when `text` is the original itself
    /// (see [`unchanged_by_normalizing`]), where every range maps to itself.
    spans: Vec<Span>,
}

/// Where one normalized character sits, and which original bytes produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    normalized_start: u32,
    original_start: u32,
    original_end: u32,
}

/// A character on its way through the steps, tagged with the original bytes it came from.
#[derive(Debug, Clone, Copy)]
struct TaggedChar {
    ch: char,
    original_start: u32,
    original_end: u32,
}

impl Normalized {
    /// The byte range of the original text that produced `normalized` (a byte range of `text`).
    ///
    /// An empty or out-of-range request maps to an empty range at the nearest position.
    pub fn original_range(&self, normalized: Range<usize>) -> Range<usize> {
        if self.spans.is_empty() {
            // The text is the original: the characters a range touches map to themselves.
            let text = self.text.as_str();
            let start = text.ceil_char_boundary(normalized.start);
            if start >= normalized.end {
                return start..start;
            }
            return start..text.ceil_char_boundary(normalized.end);
        }
        let first = self
            .spans
            .partition_point(|span| (span.normalized_start as usize) < normalized.start);
        // The spans are in order and the range is short (a word): walk from `first`.
        let end = first
            + self.spans[first.min(self.spans.len())..]
                .iter()
                .take_while(|span| (span.normalized_start as usize) < normalized.end)
                .count();
        if first >= end || first >= self.spans.len() {
            let at = self
                .spans
                .get(first)
                .map(|span| span.original_start as usize)
                .or_else(|| self.spans.last().map(|span| span.original_end as usize))
                .unwrap_or(0);
            return at..at;
        }
        let start = self.spans[first].original_start as usize;
        let stop = self.spans[first..end]
            .iter()
            .map(|span| span.original_end as usize)
            .max()
            .unwrap_or(start);
        start..stop
    }
}

/// Normalizes `original` (see the module documentation for the steps).
pub fn normalize(original: &str) -> Normalized {
    if unchanged_by_normalizing(original) {
        return Normalized {
            text: original.to_string(),
            spans: Vec::new(),
        };
    }
    normalize_by_steps(original)
}

/// [`normalize`] through every step, whatever the text.
fn normalize_by_steps(original: &str) -> Normalized {
    let chars = nfkc_tagged(original);
    let chars = unify_dashes_and_case(chars);
    let chars = drop_katakana_trailing_long_vowel(chars);
    let chars = collapse_white_space(chars);

    let mut text = String::with_capacity(original.len());
    let mut spans = Vec::with_capacity(chars.len());
    for tagged in chars {
        spans.push(Span {
            normalized_start: text.len() as u32,
            original_start: tagged.original_start,
            original_end: tagged.original_end,
        });
        text.push(tagged.ch);
    }
    Normalized { text, spans }
}

/// Whether [`normalize`] gives `original` back unchanged, told from its characters alone: all
/// are NFKC-stable (see [`is_nfkc_stable`]), none is white space, a control character, a lower
/// case letter or a dash look-alike, and each `ー` has katakana after it (so it ends no
/// katakana word) and no Latin letter before it. Most Japanese answers are such text.
fn unchanged_by_normalizing(original: &str) -> bool {
    let mut previous = None;
    let mut chars = original.chars().peekable();
    while let Some(ch) = chars.next() {
        let kept = if ch == 'ー' {
            chars.peek().copied().is_some_and(is_katakana)
                && !previous.is_some_and(|previous: char| previous.is_ascii_alphabetic())
        } else {
            is_nfkc_stable(ch) && !ch.is_ascii_lowercase() && !is_space(ch) && !is_dash_like(ch)
        };
        if !kept {
            return false;
        }
        previous = Some(ch);
    }
    true
}

/// Characters that NFKC leaves as they are when no combining mark follows them: the bulk of
/// Japanese answers, so they skip the normalizer's tables.
fn is_nfkc_stable(ch: char) -> bool {
    ch.is_ascii()
        || ('\u{3041}'..='\u{3096}').contains(&ch)
        || ('\u{30A1}'..='\u{30FA}').contains(&ch)
        || ch == 'ー'
        || ('\u{4E00}'..='\u{9FFF}').contains(&ch)
        || ('\u{3001}'..='\u{3002}').contains(&ch)
}

/// Whether `ch` attaches to the character before it under NFKC (dakuten, combining accents).
fn joins_previous(ch: char) -> bool {
    // The stable characters have combining class 0: no table lookup for them.
    !is_nfkc_stable(ch)
        && (canonical_combining_class(ch) != 0 || ch == '\u{FF9E}' || ch == '\u{FF9F}')
}

/// Step 1: NFKC, one base character and its combining marks at a time, so every output character
/// knows its original bytes.
fn nfkc_tagged(original: &str) -> Vec<TaggedChar> {
    let mut out = Vec::with_capacity(original.len() / 2);
    let mut chars = original.char_indices().peekable();
    while let Some((start, ch)) = chars.next() {
        let mut end = start + ch.len_utf8();
        while let Some(&(next_start, next)) = chars.peek() {
            if !joins_previous(next) {
                break;
            }
            end = next_start + next.len_utf8();
            chars.next();
        }
        let cluster = &original[start..end];
        if cluster.len() == ch.len_utf8() && is_nfkc_stable(ch) {
            out.push(TaggedChar {
                ch,
                original_start: start as u32,
                original_end: end as u32,
            });
        } else {
            out.extend(cluster.nfkc().map(|ch| TaggedChar {
                ch,
                original_start: start as u32,
                original_end: end as u32,
            }));
        }
    }
    out
}

fn is_dash_like(ch: char) -> bool {
    matches!(
        ch,
        '-' | '\u{2010}'
            ..='\u{2015}' | '\u{2212}' | '\u{2500}' | '\u{2501}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// Katakana letters and the long-vowel mark (not the middle dot `・`).
pub fn is_katakana(ch: char) -> bool {
    ('\u{30A1}'..='\u{30FA}').contains(&ch) || ch == 'ー' || ch == '\u{30FD}' || ch == '\u{30FE}'
}

/// Step 2 and 3: dash look-alikes and Latin case.
fn unify_dashes_and_case(chars: Vec<TaggedChar>) -> Vec<TaggedChar> {
    // Most answers have nothing to change here: skip the copy.
    let changes = |ch: char| is_dash_like(ch) || ch == 'ー' || is_latin_letter(ch);
    if !chars.iter().any(|tagged| changes(tagged.ch)) {
        return chars;
    }
    let mut out: Vec<TaggedChar> = Vec::with_capacity(chars.len());
    for (index, tagged) in chars.iter().enumerate() {
        let mut ch = tagged.ch;
        if is_dash_like(ch) || ch == 'ー' {
            let previous = out.last().map(|previous| previous.ch);
            let next = chars.get(index + 1).map(|next| next.ch);
            if previous.is_some_and(is_katakana) {
                ch = 'ー';
            } else if previous.is_some_and(|p| p.is_ascii_alphabetic())
                && next.is_some_and(is_katakana)
            {
                continue;
            } else if ch != 'ー' {
                ch = '-';
            }
        }
        if is_latin_letter(ch) && ch.is_lowercase() {
            out.extend(ch.to_uppercase().map(|upper| TaggedChar {
                ch: upper,
                ..*tagged
            }));
        } else {
            out.push(TaggedChar { ch, ..*tagged });
        }
    }
    out
}

fn is_latin_letter(ch: char) -> bool {
    ch.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&ch) && ch.is_alphabetic())
}

/// Step 4: `セキュリティー` → `セキュリティ`. The dropped `ー` still belongs to its word: the last
/// kept character's original range grows over it, so the token `セキュリティ` points at all of
/// `セキュリティー` in the original.
fn drop_katakana_trailing_long_vowel(chars: Vec<TaggedChar>) -> Vec<TaggedChar> {
    if !chars.iter().any(|tagged| tagged.ch == 'ー') {
        return chars;
    }
    let mut out: Vec<TaggedChar> = Vec::with_capacity(chars.len());
    let mut run_length = 0usize;
    for (index, tagged) in chars.iter().enumerate() {
        if is_katakana(tagged.ch) {
            run_length += 1;
        } else {
            run_length = 0;
        }
        let run_ends = chars
            .get(index + 1)
            .is_none_or(|next| !is_katakana(next.ch));
        if tagged.ch == 'ー' && run_ends && run_length > 3 {
            if let Some(last) = out.last_mut() {
                last.original_end = last.original_end.max(tagged.original_end);
            }
            continue;
        }
        out.push(*tagged);
    }
    out
}

/// What step 5 collapses: white space and control characters.
fn is_space(ch: char) -> bool {
    ch.is_whitespace() || ch.is_control()
}

/// Step 5: runs of white space or control characters become one space; the ends are trimmed.
fn collapse_white_space(chars: Vec<TaggedChar>) -> Vec<TaggedChar> {
    if !chars.iter().any(|tagged| is_space(tagged.ch)) {
        return chars;
    }
    let mut out: Vec<TaggedChar> = Vec::with_capacity(chars.len());
    let mut pending_space: Option<TaggedChar> = None;
    for tagged in chars {
        if is_space(tagged.ch) {
            if !out.is_empty() && pending_space.is_none() {
                pending_space = Some(TaggedChar { ch: ' ', ..tagged });
            }
            continue;
        }
        if let (Some(space), Some(previous)) = (pending_space.take(), out.last()) {
            if !joins_latin_and_japanese(previous.ch, tagged.ch) {
                out.push(space);
            }
        }
        out.push(tagged);
    }
    out
}

/// Whether a space between `before` and `after` only separates Latin (or digits) from Japanese.
fn joins_latin_and_japanese(before: char, after: char) -> bool {
    let latin = |ch: char| ch.is_ascii_alphanumeric();
    (latin(before) && is_japanese(after)) || (is_japanese(before) && latin(after))
}

fn is_japanese(ch: char) -> bool {
    ('\u{3041}'..='\u{30FF}').contains(&ch) || ('\u{4E00}'..='\u{9FFF}').contains(&ch) || ch == '々'
}

#[cfg(test)]
mod tests {
    use super::{normalize, normalize_by_steps, unchanged_by_normalizing};

    /// The real answers of the labeled corpus, and texts on the edges of the shortcut: a `ー`
    /// ending a katakana word, after a Latin letter, lower case, dashes, white space, half-width
    /// and full-width forms, combining marks.
    fn texts() -> Vec<String> {
        let mut texts: Vec<String> = include_str!("../corpus/ipa-2024/labeled.jsonl")
            .lines()
            .map(|line| {
                let answer: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                answer["text"].as_str().expect("a text").to_string()
            })
            .collect();
        texts.extend(
            [
                "",
                "セキュリティー対策",
                "サーバーの管理",
                "サービス",
                "IT導入補助金",
                "e-ラーニング",
                "eーラーニング",
                "Eーラーニング",
                "isms認証",
                "ＩＳＭＳ認証",
                "ｾｷｭﾘﾃｨ",
                "か\u{3099}",
                "UTM — 導入",
                "対策 を した",
                "対策\tした",
                "ツール―",
                "コスト-削減",
                "（特になし）",
                "ー",
                "データー",
                "ーデータ",
            ]
            .map(str::to_string),
        );
        texts
    }

    #[test]
    fn text_the_shortcut_keeps_is_what_every_step_gives_back_with_the_same_ranges() {
        let mut kept = 0;
        for text in texts() {
            let by_steps = normalize_by_steps(&text);
            let normalized = normalize(&text);
            assert_eq!(normalized.text, by_steps.text, "{text}");
            if unchanged_by_normalizing(&text) {
                kept += 1;
                assert_eq!(by_steps.text, text, "the steps change {text}");
            }
            let len = normalized.text.len();
            for start in 0..=len + 1 {
                for end in start..=len + 4 {
                    assert_eq!(
                        normalized.original_range(start..end),
                        by_steps.original_range(start..end),
                        "{text} {start}..{end}"
                    );
                }
            }
        }
        // Most real answers take the shortcut: the test compares both paths on them.
        assert!(kept > 60, "{kept} texts kept");
    }
}
