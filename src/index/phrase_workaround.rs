//! A phrase query that tantivy's own debug checks accept inside intersections and exclusions.
//!
//! tantivy 0.27's `PhraseScorer::seek_danger` debug-asserts `target >= doc()`. But after a
//! `seek_danger` that missed, a scorer may legally sit past the next target (its children are
//! positioned on their own next documents), and tantivy's `Intersection` and `Exclude` then call
//! `seek_danger` again with a smaller target: debug builds (so `cargo test`) panic on queries
//! like `メール -フィッシング`, while release builds answer correctly. [`GuardedPhrase`] wraps
//! the phrase scorer and answers such a call itself: a phrase scorer past `target` cannot contain
//! it, and its position is a valid lower bound of its next match.

use tantivy::query::{EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term, TERMINATED};

/// A [`PhraseQuery`] whose scorer tolerates `seek_danger` below its position.
#[derive(Clone, Debug)]
pub struct GuardedPhrase(pub PhraseQuery);

impl Query for GuardedPhrase {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(GuardedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct GuardedWeight(Box<dyn Weight>);

impl Weight for GuardedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(GuardedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct GuardedScorer(Box<dyn Scorer>);

impl DocSet for GuardedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        let doc = self.0.doc();
        if target != TERMINATED && doc > target {
            return SeekDangerResult::SeekLowerBound(doc);
        }
        self.0.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for GuardedScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
