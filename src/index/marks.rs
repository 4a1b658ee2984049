//! Which alternatives of a query matched each answer, recorded while the query runs.
//!
//! Searching by meaning, a query word is the union of itself, its synonyms and the categories
//! it names, and hits are ranked in tiers by which of them they have (see
//! [`crate::index::meaning`]). Rather than running the words again for each hit to find its
//! tier, each alternative of such a union is wrapped in a [`Marked`] query: its scorer sets the
//! bit of every answer it lands on in a bit set of its slot, one per segment. tantivy's union
//! reads every alternative through each window of answers before it yields any answer of the
//! window, so by the time an answer reaches a collector, each alternative that contains it has
//! marked it; and an alternative's scorer lands only on answers it matches, so a mark is never
//! wrong. Scores are those of the wrapped queries, untouched.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term, TERMINATED};

/// The marks of one compiled query, per segment: one bit set per slot.
#[derive(Debug)]
pub(crate) struct MarkBoard {
    slots: usize,
    segments: Mutex<HashMap<SegmentId, Arc<SegmentMarks>>>,
}

impl MarkBoard {
    /// A board of `slots` bit sets a segment, all empty.
    pub(crate) fn new(slots: usize) -> MarkBoard {
        MarkBoard {
            slots,
            segments: Mutex::new(HashMap::new()),
        }
    }

    /// The marks of `segment`, made empty on first use.
    pub(crate) fn segment(&self, segment: &SegmentReader) -> Arc<SegmentMarks> {
        let mut segments = self
            .segments
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        segments
            .entry(segment.segment_id())
            .or_insert_with(|| {
                let words = (segment.max_doc() as usize).div_ceil(64);
                Arc::new(SegmentMarks {
                    slots: (0..self.slots)
                        .map(|_| (0..words).map(|_| AtomicU64::new(0)).collect())
                        .collect(),
                })
            })
            .clone()
    }
}

/// The marks of one segment: per slot, a bit per answer.
#[derive(Debug)]
pub(crate) struct SegmentMarks {
    slots: Vec<Box<[AtomicU64]>>,
}

impl SegmentMarks {
    #[inline]
    fn mark(&self, slot: usize, doc: DocId) {
        if let Some(word) = self.slots[slot].get(doc as usize / 64) {
            word.fetch_or(1 << (doc % 64), Ordering::Relaxed);
        }
    }

    /// Whether an alternative of `slot` matched `doc`.
    #[inline]
    pub(crate) fn has(&self, slot: usize, doc: DocId) -> bool {
        self.slots[slot]
            .get(doc as usize / 64)
            .is_some_and(|word| word.load(Ordering::Relaxed) & (1 << (doc % 64)) != 0)
    }
}

/// `inner`, marking the answers it matches in `slot` of `board`.
pub(crate) struct Marked {
    pub inner: Box<dyn Query>,
    pub slot: usize,
    pub board: Arc<MarkBoard>,
}

impl Clone for Marked {
    fn clone(&self) -> Self {
        Marked {
            inner: self.inner.box_clone(),
            slot: self.slot,
            board: self.board.clone(),
        }
    }
}

impl std::fmt::Debug for Marked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Marked")
            .field("inner", &self.inner)
            .field("slot", &self.slot)
            .finish()
    }
}

impl Query for Marked {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(MarkedWeight {
            inner: self.inner.weight(enable_scoring)?,
            slot: self.slot,
            board: self.board.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct MarkedWeight {
    inner: Box<dyn Weight>,
    slot: usize,
    board: Arc<MarkBoard>,
}

impl Weight for MarkedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorer = MarkedScorer {
            inner: self.inner.scorer(reader, boost)?,
            slot: self.slot,
            marks: self.board.segment(reader),
        };
        scorer.landed(scorer.inner.doc());
        Ok(Box::new(scorer))
    }

    fn scorer_danger(
        &self,
        reader: &SegmentReader,
        target: DocId,
        boost: Score,
    ) -> tantivy::Result<(SeekDangerResult, Box<dyn Scorer>)> {
        let (found, inner) = self.inner.scorer_danger(reader, target, boost)?;
        let scorer = MarkedScorer {
            inner,
            slot: self.slot,
            marks: self.board.segment(reader),
        };
        if found == SeekDangerResult::Found {
            scorer.landed(target);
        }
        Ok((found, Box::new(scorer)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

/// Marks each answer its scorer stands on as a match: after `advance`, `seek` and a
/// `seek_danger` that found its target (after one that did not, it may stand on a non-match).
struct MarkedScorer {
    inner: Box<dyn Scorer>,
    slot: usize,
    marks: Arc<SegmentMarks>,
}

impl MarkedScorer {
    #[inline]
    fn landed(&self, doc: DocId) {
        if doc != TERMINATED {
            self.marks.mark(self.slot, doc);
        }
    }
}

impl DocSet for MarkedScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.inner.advance();
        self.landed(doc);
        doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.inner.seek(target);
        self.landed(doc);
        doc
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        let found = self.inner.seek_danger(target);
        if found == SeekDangerResult::Found {
            self.landed(target);
        }
        found
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for MarkedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
