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
        let kept = kept_tokens(&analysis, term.phrase);
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

/// The tokens of an analyzed query word that a search looks for, with their indexes: a word (not
/// a phrase) drops its trailing particles, auxiliaries, punctuation and light verbs; blank
/// tokens never count.
pub(crate) fn kept_tokens(analysis: &Analysis, phrase: bool) -> Vec<(usize, &Token)> {
    let mut kept: Vec<(usize, &Token)> = analysis
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, token)| !is_blank(token))
        .collect();
    if !phrase {
        while kept.len() > 1 && kept.last().is_some_and(|(_, token)| is_inflection(token)) {
            kept.pop();
        }
    }
    kept
}

/// The tail of an inflected word that a word search ignores.
fn is_inflection(token: &Token) -> bool {
    let major = token.major_pos();
    is_blank(token)
        || matches!(major, "助詞" | "助動詞" | "記号")
        || (major == "動詞" && (token.pos.contains("非自立") || token.base == "する"))
}

/// One word a [`Matcher`] looks for: a query word as typed, or a synonym of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchWord {
    pub pattern: Pattern,
    /// The word as searched: the query word as typed, or the synonym as the thesaurus has it.
    pub word: String,
    /// For a synonym, the query word it stands for.
    pub synonym_of: Option<String>,
    /// The query group it belongs to (the words ANDed are groups 0, 1, …; `OR` shares one).
    pub group: usize,
}

/// A category a query word names: its answers match that word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchConcept {
    /// The query group of the word.
    pub group: usize,
    /// The questions of the category's scheme: only their answers are the category's.
    pub questions: Vec<String>,
    pub category: String,
    pub label: String,
    /// The query word as typed.
    pub query_word: String,
    /// The word that says a part of the label: the query word or a synonym of it.
    pub via: String,
}

/// A word of the query found in an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedWord {
    /// As searched: the typed word, or the synonym as the thesaurus has it.
    pub word: String,
    /// For a synonym, the query word it stands for.
    pub synonym_of: Option<String>,
}

/// A category through which an answer was found: for one query word none of whose words
/// (typed or synonyms) the answer contains, the answer is in a category that word names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConceptHit {
    pub category: String,
    pub label: String,
    /// The query word as typed.
    pub query_word: String,
    /// The word that says a part of the label: the query word or a synonym of it.
    pub via: String,
}

impl ConceptHit {
    /// The mark shown on the hit: カテゴリ『人材不足、多忙』に該当.
    pub fn marker(&self) -> String {
        format!("カテゴリ『{}』に該当", self.label)
    }

    /// Why, in Japanese: 「忙しい」の同義語「多忙」が見出しにある.
    pub fn reason_ja(&self) -> String {
        if self.via == self.query_word {
            format!("「{}」が見出しにある", self.via)
        } else {
            format!(
                "「{}」の同義語「{}」が見出しにある",
                self.query_word, self.via
            )
        }
    }
}

/// Finds the matches of a query's words in answers, and says which words matched.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    words: Vec<MatchWord>,
    concepts: Vec<MatchConcept>,
}

impl Matcher {
    /// A matcher of query words as typed, each its own group.
    pub fn new(patterns: Vec<Pattern>) -> Matcher {
        let words = patterns
            .into_iter()
            .enumerate()
            .map(|(group, pattern)| MatchWord {
                pattern,
                word: String::new(),
                synonym_of: None,
                group,
            })
            .collect();
        Matcher {
            words,
            concepts: Vec::new(),
        }
    }

    /// A matcher of these words (typed and synonyms) and the categories the query names.
    pub fn with_meaning(words: Vec<MatchWord>, concepts: Vec<MatchConcept>) -> Matcher {
        Matcher { words, concepts }
    }

    /// Original byte ranges of the answer where any word matches, sorted, overlaps merged.
    pub fn spans(&self, analysis: &Analysis) -> Vec<Range<usize>> {
        self.find(analysis).0
    }

    /// The merged spans, and for each word of the matcher whether it matched.
    fn find(&self, analysis: &Analysis) -> (Vec<Range<usize>>, Vec<bool>) {
        let mut spans = Vec::new();
        let mut found = Vec::with_capacity(self.words.len());
        for word in &self.words {
            let before = spans.len();
            word.pattern.find(analysis, &mut spans);
            found.push(spans[before..].iter().any(|span| span.start < span.end));
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
        (merged, found)
    }

    /// The spans to highlight, the words found (each once, in query order: a typed word
    /// before its synonyms), and the categories the answer was found through: those a query
    /// word names when the answer contains none of that word's group, and the answer (of
    /// `question`, in `categories`) is in them.
    pub fn explain(
        &self,
        analysis: &Analysis,
        question: &str,
        categories: &[String],
    ) -> (Vec<Range<usize>>, Vec<MatchedWord>, Vec<ConceptHit>) {
        let (spans, found) = self.find(analysis);
        let mut matched: Vec<MatchedWord> = Vec::new();
        let mut groups_found = Vec::new();
        for (word, _) in self.words.iter().zip(&found).filter(|(_, found)| **found) {
            groups_found.push(word.group);
            let entry = MatchedWord {
                word: word.word.clone(),
                synonym_of: word.synonym_of.clone(),
            };
            if !word.word.is_empty() && !matched.contains(&entry) {
                matched.push(entry);
            }
        }
        let mut concepts: Vec<ConceptHit> = Vec::new();
        for concept in &self.concepts {
            let applies = !groups_found.contains(&concept.group)
                && concept.questions.iter().any(|q| q == question)
                && categories.contains(&concept.category);
            let hit = ConceptHit {
                category: concept.category.clone(),
                label: concept.label.clone(),
                query_word: concept.query_word.clone(),
                via: concept.via.clone(),
            };
            let known = concepts
                .iter()
                .any(|known| known.category == hit.category && known.label == hit.label);
            if applies && !known {
                concepts.push(hit);
            }
        }
        (spans, matched, concepts)
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
