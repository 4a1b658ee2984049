//! Representative answers: the few answers quoted under each heading, chosen to show the
//! category at its clearest rather than the first ones in the file.
//!
//! Each answer with a category is scored for it ([`score`]):
//! - **purity** — an answer whose only category is this one beats one that is also something
//!   else (−300), and one where this category is not even the primary (−600): a quoted example
//!   should not make the reader wonder which heading it belongs to;
//! - **evidence** — each distinct rule term that matched adds 40 (up to three): the category is
//!   said plainly, not inferred from one word (the model's words are not rule terms);
//! - **rules, not the model** — an answer that got this category from the model (its primary
//!   category, [`Basis::Model`]) loses 200: a quote should show what the rules recognise;
//! - **confident** — an answer whose confidence is below the review threshold loses 100;
//! - **length** — answers of 15 to 60 characters cost nothing; shorter ones lose 8 a character
//!   (a bare 「教材」 says little), longer ones 3 a character (a paragraph buries the point);
//! - **complete** — an answer broken over lines, or ending in a comma or `…`, loses 40;
//! - **confirmed** — an answer a person put under exactly this heading (overrides) gains 60.
//!
//! Streaming keeps a bounded pool per category ([`ExamplePool`]): the best candidates so far,
//! with no two near-duplicates (character-bigram Jaccard similarity of the normalized text at
//! least [`NEAR_DUPLICATE`]; of two, the better scored stays). [`ExamplePool::select`] then picks
//! greedily by score, less 30 for every matched term an earlier pick already showed, so the
//! examples spread over different words. Ties go to the answer that came first: the choice is
//! deterministic.

use std::collections::HashSet;

use crate::classify::pipeline::Classified;
use crate::classify::{Basis, MODEL_TERM_PREFIX};
use crate::normalize::normalize;

use super::Example;

/// Two answers at least this similar (Jaccard similarity of their character bigrams) are
/// near-duplicates; only one of them is quoted.
pub const NEAR_DUPLICATE: f64 = 0.5;

/// Candidates kept per category: enough to choose `examples` varied ones from, and a bound on
/// memory however long the input.
pub fn pool_capacity(examples: usize) -> usize {
    (examples * 8).max(32)
}

const PURITY_SHARED: i64 = -300;
const PURITY_SECONDARY: i64 = -600;
const PER_TERM: i64 = 40;
const MAX_TERMS: usize = 3;
const SHORT: usize = 15;
const LONG: usize = 60;
const PER_SHORT_CHAR: i64 = 8;
const PER_LONG_CHAR: i64 = 3;
const FRAGMENT: i64 = -40;
const CONFIRMED: i64 = 60;
const FROM_MODEL: i64 = -200;
const UNSURE: i64 = -100;
const REPEATED_TERM: i64 = 30;

/// Whether the model gave `item` the category `category`: it is the primary one and its basis
/// is [`Basis::Model`].
pub fn from_model(item: &Classified, category: &str) -> bool {
    item.classification.basis == Basis::Model && item.classification.primary() == Some(category)
}

/// How well `item` shows `category` (higher is better), answers with a confidence below
/// `review_below` counting as unsure; see the module documentation.
pub fn score(item: &Classified, category: &str, review_below: f64) -> i64 {
    let categories = &item.classification.categories;
    let purity = if categories.len() == 1 && categories[0] == category {
        0
    } else if categories.first().is_some_and(|first| first == category) {
        PURITY_SHARED
    } else {
        PURITY_SECONDARY
    };
    let evidence = PER_TERM * terms(item, category).len().min(MAX_TERMS) as i64;
    let text = item.answer.text.trim();
    let length = text.chars().count();
    let length_penalty = if length < SHORT {
        -PER_SHORT_CHAR * (SHORT - length) as i64
    } else if length > LONG {
        -PER_LONG_CHAR * (length - LONG) as i64
    } else {
        0
    };
    let fragment =
        text.contains(['\n', '\r']) || text.ends_with(['、', ',', '，', '…', '・', '：', ':']);
    let confirmed = item.overridden && purity == 0;
    purity
        + evidence
        + length_penalty
        + if fragment { FRAGMENT } else { 0 }
        + if confirmed { CONFIRMED } else { 0 }
        + if from_model(item, category) {
            FROM_MODEL
        } else {
            0
        }
        + if item.classification.needs_review(review_below) {
            UNSURE
        } else {
            0
        }
}

/// The distinct rule terms that matched `item` for `category`, sorted; the model's words
/// (`model:…`) are left out.
pub fn terms(item: &Classified, category: &str) -> Vec<String> {
    let mut terms: Vec<String> = item
        .classification
        .evidence
        .iter()
        .filter(|evidence| evidence.category == category)
        .flat_map(|evidence| evidence.matches.iter().map(|m| &m.term))
        .filter(|term| !term.starts_with(MODEL_TERM_PREFIX))
        .cloned()
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// The character bigrams of the normalized text (letters, digits, kana and kanji only), as a
/// sorted set; a one-character text is its own single "bigram".
pub fn bigrams(text: &str) -> Vec<u64> {
    let chars: Vec<char> = normalize(text)
        .text
        .chars()
        .filter(|ch| ch.is_alphanumeric())
        .collect();
    let mut grams: Vec<u64> = match chars.len() {
        0 => Vec::new(),
        1 => vec![u64::from(chars[0] as u32)],
        _ => chars
            .windows(2)
            .map(|pair| (u64::from(pair[0] as u32) << 32) | u64::from(pair[1] as u32))
            .collect(),
    };
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Jaccard similarity of two sorted bigram sets (1.0 for two empty ones).
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// How similar two answers are: [`jaccard`] of their [`bigrams`].
pub fn similarity(a: &str, b: &str) -> f64 {
    jaccard(&bigrams(a), &bigrams(b))
}

#[derive(Debug, Clone)]
struct Candidate {
    score: i64,
    /// Position in the input, for ties.
    order: u64,
    example: Example,
    bigrams: Vec<u64>,
}

impl Candidate {
    /// Whether `self` ranks before `other`: higher score, then earlier in the input.
    fn beats(&self, other: &Candidate) -> bool {
        (self.score, std::cmp::Reverse(self.order)) > (other.score, std::cmp::Reverse(other.order))
    }
}

/// The best example candidates of one category seen so far, no two near-duplicates.
#[derive(Debug, Clone)]
pub struct ExamplePool {
    capacity: usize,
    /// The review threshold [`score`] takes.
    review_below: f64,
    members: Vec<Candidate>,
}

impl ExamplePool {
    /// An empty pool of at most `capacity` candidates, scored with the review threshold
    /// `review_below`.
    pub fn new(capacity: usize, review_below: f64) -> ExamplePool {
        ExamplePool {
            capacity: capacity.max(1),
            review_below,
            members: Vec::new(),
        }
    }

    /// Offers `item` (the `order`-th answer of the input) as an example of `category`.
    pub fn offer(&mut self, item: &Classified, category: &str, order: u64) {
        let text = item.answer.text.trim();
        if text.is_empty() {
            return;
        }
        let score = score(item, category, self.review_below);
        // A full pool only takes a candidate that beats its worst member: decide that before
        // computing bigrams, which most answers never need.
        if self.members.len() >= self.capacity {
            let worst = self.worst();
            let member = &self.members[worst];
            if (score, std::cmp::Reverse(order)) <= (member.score, std::cmp::Reverse(member.order))
            {
                return;
            }
        }
        let candidate = Candidate {
            score,
            order,
            example: Example {
                id: item.answer.id.clone(),
                text: item.answer.text.clone(),
                terms: terms(item, category),
                overridden: item.overridden,
                from_model: from_model(item, category),
            },
            bigrams: bigrams(text),
        };
        let similar: Vec<usize> = (0..self.members.len())
            .filter(|&index| {
                jaccard(&self.members[index].bigrams, &candidate.bigrams) >= NEAR_DUPLICATE
            })
            .collect();
        if similar
            .iter()
            .any(|&index| !candidate.beats(&self.members[index]))
        {
            return;
        }
        for &index in similar.iter().rev() {
            self.members.swap_remove(index);
        }
        self.members.push(candidate);
        if self.members.len() > self.capacity {
            let worst = self.worst();
            self.members.swap_remove(worst);
        }
    }

    fn worst(&self) -> usize {
        let mut worst = 0;
        for index in 1..self.members.len() {
            if self.members[worst].beats(&self.members[index]) {
                worst = index;
            }
        }
        worst
    }

    /// Picks up to `n` examples: best score first, less [`REPEATED_TERM`] for each matched term
    /// an earlier pick already showed; no two near-duplicates.
    pub fn select(mut self, n: usize) -> Vec<Example> {
        self.members
            .sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.order.cmp(&b.order)));
        let mut picked: Vec<Candidate> = Vec::new();
        let mut shown: HashSet<String> = HashSet::new();
        let mut rest = self.members;
        while picked.len() < n && !rest.is_empty() {
            let adjusted = |candidate: &Candidate| {
                let repeated = candidate
                    .example
                    .terms
                    .iter()
                    .filter(|term| shown.contains(*term))
                    .count();
                candidate.score - REPEATED_TERM * repeated as i64
            };
            // `rest` is sorted, so the first maximum is also the earliest of equal ones.
            let mut best = 0;
            for index in 1..rest.len() {
                if adjusted(&rest[index]) > adjusted(&rest[best]) {
                    best = index;
                }
            }
            let candidate = rest.remove(best);
            if picked
                .iter()
                .any(|other| jaccard(&other.bigrams, &candidate.bigrams) >= NEAR_DUPLICATE)
            {
                continue;
            }
            shown.extend(candidate.example.terms.iter().cloned());
            picked.push(candidate);
        }
        picked
            .into_iter()
            .map(|candidate| candidate.example)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_of_bigrams() {
        assert_eq!(similarity("教材が欲しい", "教材が欲しい。"), 1.0);
        assert_eq!(similarity("ＩＳＭＳ", "isms"), 1.0);
        assert_eq!(similarity("abc", "xyz"), 0.0);
        // 教材 材が が欲 欲し しい and 教材 材が が必 必要 share 2 of 7 bigrams.
        assert!((similarity("教材が欲しい", "教材が必要") - 2.0 / 7.0).abs() < 1e-9);
        // The README's example: 12 shared of 14.
        let close = similarity(
            "社員向けの研修動画がほしい",
            "社員向けの研修動画がほしいです。",
        );
        assert!((close - 12.0 / 14.0).abs() < 1e-9);
    }
}
