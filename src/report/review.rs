//! The answers of one question that need review, least confident first, in bounded memory.
//!
//! [`ReviewList::offer`] takes every answer whose confidence is below the threshold, in input
//! order. Identical texts (after trimming) make one entry, with the first answer's id,
//! categories, basis and confidence and the number of answers that gave the text. The list keeps
//! the `limit` entries that come first by (confidence, input position of the text's first
//! answer); [`ReviewList::into_sorted`] returns them in that order.
//!
//! The counts of the kept entries are exact: a text enters the list at its first answer or never
//! (a later answer with the same text is classified alike and comes later, while the last place
//! of a full list only moves forward), and a text pushed out never comes back.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::classify::pipeline::Classified;

use super::ReviewAnswer;

#[derive(Debug, Clone)]
struct Entry {
    /// The trimmed text, the key of `ReviewList::index`.
    key: String,
    /// The input position of the first answer with the text.
    order: u64,
    answer: ReviewAnswer,
}

impl Entry {
    /// Whether `self` comes before a text of `confidence` first given at `order`.
    fn cmp_to(&self, confidence: f64, order: u64) -> Ordering {
        self.answer
            .confidence
            .total_cmp(&confidence)
            .then(self.order.cmp(&order))
    }
}

/// The least confident answers of one question; see the module documentation.
#[derive(Debug, Clone)]
pub struct ReviewList {
    limit: usize,
    entries: Vec<Entry>,
    /// Trimmed text → position in `entries`.
    index: HashMap<String, usize>,
}

impl ReviewList {
    /// An empty list of at most `limit` different texts.
    pub fn new(limit: usize) -> ReviewList {
        ReviewList {
            limit,
            entries: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Offers `item`, the `order`-th answer of the input, whose confidence `confidence` is below
    /// the threshold.
    pub fn offer(&mut self, item: &Classified, confidence: f64, order: u64) {
        let key = item.answer.text.trim();
        if let Some(&position) = self.index.get(key) {
            self.entries[position].answer.count += 1;
            return;
        }
        if self.limit == 0 {
            return;
        }
        if self.entries.len() >= self.limit {
            let last = self.last();
            if self.entries[last].cmp_to(confidence, order) != Ordering::Greater {
                return;
            }
            let removed = self.entries.swap_remove(last);
            self.index.remove(&removed.key);
            if let Some(moved) = self.entries.get(last) {
                self.index.insert(moved.key.clone(), last);
            }
        }
        self.index.insert(key.to_string(), self.entries.len());
        self.entries.push(Entry {
            key: key.to_string(),
            order,
            answer: ReviewAnswer {
                id: item.answer.id.clone(),
                text: item.answer.text.clone(),
                count: 1,
                categories: item.classification.categories.clone(),
                basis: item.classification.basis,
                confidence,
            },
        });
    }

    /// The position of the entry that comes last.
    fn last(&self) -> usize {
        let mut last = 0;
        for position in 1..self.entries.len() {
            let entry = &self.entries[position];
            if self.entries[last].cmp_to(entry.answer.confidence, entry.order) == Ordering::Less {
                last = position;
            }
        }
        last
    }

    /// The entries by rising confidence, then input order.
    pub fn into_sorted(mut self) -> Vec<ReviewAnswer> {
        self.entries
            .sort_by(|a, b| a.cmp_to(b.answer.confidence, b.order));
        self.entries.into_iter().map(|entry| entry.answer).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Basis, Classification};
    use crate::input::Answer;

    fn item(id: &str, text: &str, confidence: f64) -> Classified {
        Classified {
            answer: Answer {
                id: id.to_string(),
                question: "Q1".to_string(),
                text: text.to_string(),
                attributes: Vec::new(),
            },
            classification: Classification {
                scheme: Some("test".to_string()),
                categories: vec!["cases".to_string()],
                evidence: Vec::new(),
                basis: Basis::Model,
                confidence: Some(confidence),
            },
            overridden: false,
        }
    }

    #[test]
    fn keeps_the_least_confident_texts_with_exact_counts() {
        let mut list = ReviewList::new(3);
        let answers = [
            ("A1", "あ", 0.4),
            ("A2", "い", 0.3),
            ("A3", "あ ", 0.4),
            ("A4", "う", 0.45),
            // Pushes out う, the last of four; う given again stays out.
            ("A5", "え", 0.0),
            ("A6", "う", 0.45),
            ("A7", "お", 0.3),
            ("A8", "い", 0.3),
            ("A9", "か", 0.49),
        ];
        for (order, (id, text, confidence)) in answers.iter().enumerate() {
            list.offer(&item(id, text, *confidence), *confidence, order as u64);
        }
        let kept: Vec<(&str, usize, f64)> = list
            .clone()
            .into_sorted()
            .iter()
            .map(|answer| {
                (
                    answers
                        .iter()
                        .find(|(id, _, _)| *id == answer.id)
                        .map_or("", |(id, _, _)| *id),
                    answer.count,
                    answer.confidence,
                )
            })
            .collect();
        // え (0.0), い (0.3, first at A2, twice), お (0.3, A7); あ (0.4) went out when お came.
        assert_eq!(kept, vec![("A5", 1, 0.0), ("A2", 2, 0.3), ("A7", 1, 0.3)]);

        let mut empty = ReviewList::new(0);
        empty.offer(&item("A1", "あ", 0.1), 0.1, 0);
        assert!(empty.into_sorted().is_empty());
    }
}
