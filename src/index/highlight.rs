//! What a query word looks for, and where it matches inside an answer.
//!
//! A [`Pattern`] is one query word (or phrase) analyzed like an answer: the base forms it must
//! match as consecutive tokens, and its normalized characters as bigrams. The searcher turns
//! patterns into tantivy queries; [`Matcher`] finds the same matches inside a hit's text for
//! snippets and the concordance, so what is highlighted is what was searched.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use crate::analyze::{Analysis, Analyzer, Token};
use crate::index::query::Term;
use crate::index::tokenizer::{is_blank, query_bigrams};
use crate::normalize::normalize;
use crate::variants::{parse_groups, BUILTIN_VARIANTS};

/// At most this many spellings of one query word are searched as bigrams.
const MAX_SPELLINGS: usize = 16;

/// One query word, analyzed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Base forms that must follow each other in the `tokens` field: (position relative to the
    /// first, base form).
    pub tokens: Vec<(usize, String)>,
    /// The normalized spellings searched for as characters (the `bigrams` field): the word as
    /// written and with each notation variant of `dictionaries/variants.tsv` it contains
    /// (漏えい also as 漏洩), so a variant inside a compound the dictionary keeps whole
    /// (情報漏洩保険) is found from any spelling. None for a one-character word.
    pub spellings: Vec<Spelling>,
}

/// One spelling of a query word, for the bigram field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelling {
    /// Normalized text, searched for as a substring when highlighting.
    pub text: String,
    /// Bigrams that pin the text down (see [`query_bigrams`]).
    pub bigrams: Vec<(usize, String)>,
}

impl Pattern {
    /// Analyzes a query term. A word (not a phrase) drops its trailing particles, auxiliaries,
    /// punctuation and light verbs (する, ている), so 受けた looks for 受ける and 向上した for 向上;
    /// a phrase keeps every token.
    pub fn new(analyzer: &Analyzer, term: &Term) -> Pattern {
        let analysis = analyzer.analyze(&term.text);
        let mut kept: Vec<(usize, &Token)> = analysis
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, token)| !is_blank(token))
            .collect();
        if !term.phrase {
            while kept.len() > 1 && kept.last().is_some_and(|(_, token)| is_inflection(token)) {
                kept.pop();
            }
        }
        let first = kept.first().map_or(0, |(index, _)| *index);
        let tokens = kept
            .iter()
            .map(|(index, token)| (index - first, token.base.to_string()))
            .collect();
        let spellings = spellings(&analysis)
            .into_iter()
            .map(|text| Spelling {
                bigrams: query_bigrams(&text),
                text,
            })
            .filter(|spelling| !spelling.bigrams.is_empty())
            .collect();
        Pattern { tokens, spellings }
    }

    /// Whether the pattern can match nothing (a query word of punctuation only).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty() && self.spellings.is_empty()
    }

    /// Original byte ranges of `analysis` where this pattern matches.
    fn find(&self, analysis: &Analysis, out: &mut Vec<Range<usize>>) {
        let tokens = &analysis.tokens;
        if let Some(&(last, _)) = self.tokens.last() {
            for start in 0..tokens.len().saturating_sub(last) {
                let matches = self
                    .tokens
                    .iter()
                    .all(|(offset, base)| tokens[start + offset].base == *base);
                if matches {
                    out.push(tokens[start].start..tokens[start + last].end);
                }
            }
        }
        let text = &analysis.normalized.text;
        for spelling in &self.spellings {
            for (at, found) in text.match_indices(spelling.text.as_str()) {
                out.push(analysis.normalized.original_range(at..at + found.len()));
            }
        }
    }
}

/// Normalized spellings of each variant group, by canonical form (as written and normalized).
fn variant_spellings() -> &'static HashMap<String, Vec<String>> {
    static SPELLINGS: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    SPELLINGS.get_or_init(|| {
        // The analyzer has already refused a broken built-in file; nothing to expand then.
        let groups = parse_groups("built-in dictionaries/variants.tsv", BUILTIN_VARIANTS)
            .unwrap_or_default();
        let mut map = HashMap::new();
        for group in groups {
            let mut forms: Vec<String> = Vec::new();
            for form in std::iter::once(&group.canonical).chain(&group.variants) {
                let form = normalize(form).text;
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
            map.insert(normalize(&group.canonical).text, forms.clone());
            map.insert(group.canonical, forms);
        }
        map
    })
}

/// The normalized text of `analysis`, then the same with each token that is written as a
/// notation variant replaced by every spelling of its group (at most [`MAX_SPELLINGS`]).
/// Inflected tokens (取り組んだ) keep their spelling: only a token written exactly as one of
/// its group's forms is swapped.
fn spellings(analysis: &Analysis) -> Vec<String> {
    let text = &analysis.normalized.text;
    let mut spellings = vec![String::new()];
    let mut at = 0;
    for token in &analysis.tokens {
        let surface = &text[token.normalized_start..token.normalized_end];
        let Some(forms) = variant_spellings().get(token.base.as_ref()) else {
            continue;
        };
        if !forms.iter().any(|form| form == surface) || token.normalized_start < at {
            continue;
        }
        let between = &text[at..token.normalized_start];
        let mut next: Vec<String> = Vec::new();
        for prefix in &spellings {
            for form in std::iter::once(surface).chain(forms.iter().map(String::as_str)) {
                let spelling = format!("{prefix}{between}{form}");
                if next.len() < MAX_SPELLINGS && !next.contains(&spelling) {
                    next.push(spelling);
                }
            }
        }
        spellings = next;
        at = token.normalized_end;
    }
    for spelling in &mut spellings {
        spelling.push_str(&text[at..]);
    }
    spellings
}

/// The tail of an inflected word that a word search ignores.
fn is_inflection(token: &Token) -> bool {
    let major = token.major_pos();
    is_blank(token)
        || matches!(major, "助詞" | "助動詞" | "記号")
        || (major == "動詞" && (token.pos.contains("非自立") || token.base == "する"))
}

/// Finds the matches of a query's words in answers.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
}

impl Matcher {
    pub fn new(patterns: Vec<Pattern>) -> Matcher {
        Matcher { patterns }
    }

    /// Original byte ranges of the answer where any pattern matches, sorted, overlaps merged.
    pub fn spans(&self, analysis: &Analysis) -> Vec<Range<usize>> {
        let mut spans = Vec::new();
        for pattern in &self.patterns {
            pattern.find(analysis, &mut spans);
        }
        spans.retain(|span| span.start < span.end);
        spans.sort_by_key(|span| (span.start, std::cmp::Reverse(span.end)));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for span in spans {
            match merged.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => merged.push(span),
            }
        }
        merged
    }
}

/// A short extract of an answer around its matches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    /// The extract: line breaks and tabs shown as spaces, `…` where the answer was cut.
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// The highlights as character ranges of `text` (for JSON readers that count characters).
    pub fn char_highlights(&self) -> Vec<Range<usize>> {
        let char_at = |byte: usize| self.text[..byte].chars().count();
        self.highlights
            .iter()
            .map(|range| char_at(range.start)..char_at(range.end))
            .collect()
    }
}

/// Characters of answer shown before the first match when the answer has to be cut.
const LEAD_CHARS: usize = 20;

/// An extract of `text` of at most `max_chars` characters (plus the `…` marks) that starts a
/// little before the first of `spans` (byte ranges of `text`).
pub fn snippet(text: &str, spans: &[Range<usize>], max_chars: usize) -> Snippet {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(at, _)| at)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = boundaries.len() - 1;
    let char_of = |byte: usize| boundaries.partition_point(|&at| at < byte);
    let (first, last) = if chars <= max_chars {
        (0, chars)
    } else {
        let anchor = spans.first().map_or(0, |span| char_of(span.start));
        let first = anchor.saturating_sub(LEAD_CHARS).min(chars - max_chars);
        (first, first + max_chars)
    };
    let (start, end) = (boundaries[first], boundaries[last]);
    let mut out = String::with_capacity(end - start + 8);
    if first > 0 {
        out.push('…');
    }
    let shift = out.len();
    out.extend(text[start..end].chars().map(|ch| match ch {
        '\r' | '\n' | '\t' => ' ',
        ch => ch,
    }));
    if last < chars {
        out.push('…');
    }
    let highlights = spans
        .iter()
        .filter(|span| span.end > start && span.start < end)
        .map(|span| (span.start.max(start) - start + shift)..(span.end.min(end) - start + shift))
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_cut_around_the_first_match() {
        let text = "あ".repeat(50) + "漏洩" + &"い".repeat(50);
        let at = text.find("漏洩").unwrap();
        let spans: Vec<Range<usize>> = std::iter::once(at..at + "漏洩".len()).collect();
        let snippet = snippet(&text, &spans, 30);
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
        assert_eq!(snippet.char_highlights(), vec![21..23]);
        let range = snippet.highlights[0].clone();
        assert_eq!(&snippet.text[range], "漏洩");
    }

    #[test]
    fn short_answers_are_shown_whole() {
        let spans: Vec<Range<usize>> = std::iter::once(7..13).collect();
        let snippet = snippet("情報\n漏洩", &spans, 80);
        assert_eq!(snippet.text, "情報 漏洩");
        assert_eq!(snippet.highlights, vec![7..13]);
    }
}
