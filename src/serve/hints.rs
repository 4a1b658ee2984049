//! The page's search help, with examples taken from the loaded index rather than from any one
//! survey: two words that occur together in an answer (for 「すべて含む」), two other frequent
//! words (for OR), one to exclude, two words that follow each other in answers (for a phrase)
//! and the most common value of an attribute to filter by. Words are counted by base form, as
//! the index matches them, and shown as most answers write them. Computed once at start-up from the first
//! [`SAMPLE`] answers of the index; the same index always gives the same examples.

use std::collections::HashMap;

use tantivy::DocAddress;

use crate::analyze::{Analyzer, Token};
use crate::error::Result;
use crate::index::Searcher;

use super::catalog::{Catalog, Kind};

/// Answers read for the examples: enough for a survey's common words, few enough to take
/// well under a second.
pub const SAMPLE: usize = 2000;

/// Words used when the index has too few (an empty index).
const FALLBACK: [&str; 5] = ["語1", "語2", "語3", "語4", "語5"];

/// Examples for the page's search help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHints {
    /// Two words some answers share: `A B` finds answers with both.
    pub both: [String; 2],
    /// Two other frequent words: `A OR B`.
    pub either: [String; 2],
    /// A frequent word to leave out: `-A`.
    pub without: String,
    /// Two words that follow each other in at least two answers: the phrase `"A B"`.
    pub phrase: Option<[String; 2]>,
    /// An attribute and one of its values, to filter by (`部署`, `総務課`).
    pub filter: Option<(String, String)>,
}

impl SearchHints {
    /// The examples of an index (`index` and its `snapshot`, analyzed with `analyzer`): its
    /// first answers' words and the first attribute of its `catalog`.
    pub fn of(
        index: &Searcher,
        snapshot: &tantivy::Searcher,
        analyzer: &Analyzer,
        catalog: &Catalog,
    ) -> Result<SearchHints> {
        let mut texts: Vec<String> = Vec::new();
        'segments: for (ordinal, segment) in snapshot.segment_readers().iter().enumerate() {
            for doc in 0..segment.max_doc() {
                if texts.len() >= SAMPLE {
                    break 'segments;
                }
                if segment.is_deleted(doc) {
                    continue;
                }
                if let Some(text) =
                    index.stored_text(snapshot, DocAddress::new(ordinal as u32, doc))?
                {
                    texts.push(text);
                }
            }
        }
        Ok(SearchHints::from_texts(
            analyzer,
            texts.iter().map(String::as_str),
            first_attribute_value(catalog),
        ))
    }

    /// The examples of `texts` (in order) and the attribute value `filter`.
    pub fn from_texts<'a>(
        analyzer: &Analyzer,
        texts: impl Iterator<Item = &'a str>,
        filter: Option<(String, String)>,
    ) -> SearchHints {
        // Per word: the answers that have it (in first-seen order, for stable ties); per pair
        // of adjacent words: how many answers have it.
        // Words are counted by base form (as the index matches them) and shown as first
        // written (Web, not its base form ウェブ).
        let mut words: Vec<String> = Vec::new();
        let mut written: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        let mut answers_of: HashMap<String, Vec<usize>> = HashMap::new();
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut pair_counts: HashMap<(String, String), usize> = HashMap::new();
        for (answer, text) in texts.enumerate() {
            let tokens = analyzer.analyze(text).tokens;
            let mut seen: Vec<&str> = Vec::new();
            let mut seen_pairs: Vec<(&str, &str)> = Vec::new();
            for (index, token) in tokens.iter().enumerate() {
                if !is_example_word(token) {
                    continue;
                }
                let word = token.base.as_ref();
                let original = text.get(token.start..token.end).unwrap_or(&token.surface);
                let forms = written.entry(word.to_string()).or_default();
                match forms.iter_mut().find(|(form, _)| form == original) {
                    Some((_, count)) => *count += 1,
                    None => forms.push((original.to_string(), 1)),
                }
                if !seen.contains(&word) {
                    seen.push(word);
                    let list = answers_of.entry(word.to_string()).or_insert_with(|| {
                        words.push(word.to_string());
                        Vec::new()
                    });
                    list.push(answer);
                }
                if let Some(next) = tokens.get(index + 1).filter(|next| is_example_word(next)) {
                    let pair = (word, next.base.as_ref());
                    if next.start == token.end && pair.0 != pair.1 && !seen_pairs.contains(&pair) {
                        seen_pairs.push(pair);
                        let key = (pair.0.to_string(), pair.1.to_string());
                        let count = pair_counts.entry(key.clone()).or_insert_with(|| {
                            pairs.push(key);
                            0
                        });
                        *count += 1;
                    }
                }
            }
        }
        // Most answers first; ties in first-seen order (a stable sort).
        let mut ranked = words.clone();
        ranked.sort_by_key(|word| std::cmp::Reverse(answers_of[word].len()));
        let mut used: Vec<String> = Vec::new();
        let first = pick(&ranked, &mut used);
        // The word found in most of the first word's answers.
        let partner = {
            let with_first = answers_of.get(&first).cloned().unwrap_or_default();
            let mut partners: Vec<&String> = words
                .iter()
                .filter(|word| **word != first)
                .filter(|word| answers_of[*word].iter().any(|a| with_first.contains(a)))
                .collect();
            partners.sort_by_key(|word| {
                std::cmp::Reverse(
                    answers_of[*word]
                        .iter()
                        .filter(|a| with_first.contains(a))
                        .count(),
                )
            });
            pick(partners.into_iter().chain(&ranked), &mut used)
        };
        let either = [pick(&ranked, &mut used), pick(&ranked, &mut used)];
        let without = pick(&ranked, &mut used);
        let mut ranked_pairs = pairs.clone();
        ranked_pairs.sort_by_key(|pair| std::cmp::Reverse(pair_counts[pair]));
        let phrase = ranked_pairs
            .into_iter()
            .find(|pair| pair_counts[pair] >= 2)
            .map(|(a, b)| [a, b]);
        // A word as most answers write it (ties: the first written).
        let shown = |word: String| {
            let forms = written.get(&word).map_or(&[][..], Vec::as_slice);
            let mut best: Option<&(String, usize)> = None;
            for form in forms {
                if best.is_none_or(|most| form.1 > most.1) {
                    best = Some(form);
                }
            }
            best.map_or(word.clone(), |(form, _)| form.clone())
        };
        let [one, other] = either;
        SearchHints {
            both: [shown(first), shown(partner)],
            either: [shown(one), shown(other)],
            without: shown(without),
            phrase: phrase.map(|[a, b]| [shown(a), shown(b)]),
            filter,
        }
    }

    /// The search box's placeholder: `例: A B　／　C OR D　／　-E`.
    pub fn placeholder(&self) -> String {
        format!(
            "例: {} {}　／　{} OR {}　／　-{}",
            self.both[0], self.both[1], self.either[0], self.either[1], self.without
        )
    }
}

/// The first of `candidates` not `used` yet (a fallback word when none is left), now used.
fn pick<'a>(candidates: impl IntoIterator<Item = &'a String>, used: &mut Vec<String>) -> String {
    let word = candidates
        .into_iter()
        .find(|word| !used.contains(word))
        .cloned()
        .unwrap_or_else(|| {
            FALLBACK
                .iter()
                .map(|word| word.to_string())
                .find(|word| !used.contains(word))
                .unwrap_or_default()
        });
    used.push(word.clone());
    word
}

/// A word worth showing as an example: a noun of two characters or more that is not a number,
/// a pronoun, a suffix or a dependent noun (こと, ため).
fn is_example_word(token: &Token) -> bool {
    let mut levels = token.pos.split(',');
    if levels.next() != Some("名詞") {
        return false;
    }
    let kind = levels.next().unwrap_or("");
    if matches!(kind, "非自立" | "代名詞" | "数" | "接尾" | "特殊") {
        return false;
    }
    let word = token.base.as_ref();
    word.chars().count() >= 2
        && word.chars().any(|ch| ch.is_alphabetic())
        && !word
            .chars()
            .any(|ch| ch.is_whitespace() || "\"-()（）".contains(ch))
}

/// The first attribute the page lists and its most common value (ties: the first listed).
fn first_attribute_value(catalog: &Catalog) -> Option<(String, String)> {
    let (dim, name) = catalog
        .dims
        .iter()
        .enumerate()
        .find_map(|(index, dim)| match &dim.kind {
            Kind::Attribute(name) => Some((index, name)),
            _ => None,
        })?;
    let dimension = &catalog.dims[dim];
    let mut counts = vec![0u64; dimension.values.len()];
    for segment in &catalog.segments {
        for doc in 0..segment.max_doc() {
            if segment.alive().contains(doc) {
                for &value in segment.values(dim, doc) {
                    if let Some(count) = counts.get_mut(usize::from(value)) {
                        *count += 1;
                    }
                }
            }
        }
    }
    let mut best: Option<(u64, u16)> = None;
    for &id in &dimension.order {
        let count = counts.get(usize::from(id)).copied().unwrap_or(0);
        if !dimension.values.name(id).trim().is_empty() && best.is_none_or(|(most, _)| count > most)
        {
            best = Some((count, id));
        }
    }
    best.map(|(_, id)| (name.clone(), dimension.values.name(id).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_are_the_answers_frequent_words() {
        let analyzer = Analyzer::new(&[]).expect("the embedded dictionary loads");
        let texts = [
            "回線が遅くて会議に入れない",
            "会議の資料を印刷できない",
            "回線の速度が足りない",
            "Web会議で声が途切れる",
            "Web会議の回線が不安定",
            "押印のための出勤",
        ];
        let hints = SearchHints::from_texts(
            &analyzer,
            texts.iter().copied(),
            Some(("部署".into(), "総務課".into())),
        );
        // 会議 and 回線 are in four and three answers, and together in two.
        assert_eq!(hints.both, ["会議".to_string(), "回線".to_string()]);
        assert_eq!(hints.phrase, Some(["Web".to_string(), "会議".to_string()]));
        let all = [
            &hints.both[0],
            &hints.both[1],
            &hints.either[0],
            &hints.either[1],
            &hints.without,
        ];
        for word in all {
            assert!(
                texts.iter().any(|text| text.contains(word.as_str())),
                "{word}"
            );
        }
        assert_eq!(
            hints.placeholder(),
            format!(
                "例: 会議 回線　／　{} OR {}　／　-{}",
                hints.either[0], hints.either[1], hints.without
            )
        );

        let empty = SearchHints::from_texts(&analyzer, std::iter::empty(), None);
        assert_eq!(empty.both, ["語1".to_string(), "語2".to_string()]);
        assert_eq!(empty.phrase, None);
    }
}
