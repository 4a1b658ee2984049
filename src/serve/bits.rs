//! Sets of a segment's documents, one bit a document: the answers a query matched, the answers
//! each filter lets through, and (in [`super::catalog`]) the answers that have a common value.
//! Intersections and counts are word by word, so a set of half a million answers costs a few
//! thousand instructions however many answers it holds.

use std::cell::RefCell;

use tantivy::DocId;

/// Word buffers kept for reuse on each thread.
const SPARE_BUFFERS: usize = 16;

thread_local! {
    /// The words of dropped sets, for the next sets made on this thread: a search makes a few
    /// sets the size of a segment, and taking fresh memory for each costs more than clearing
    /// old (a large allocation also makes the allocator sweep its lists of small free blocks).
    static SPARE: RefCell<Vec<Vec<u64>>> = const { RefCell::new(Vec::new()) };
}

/// `len` words of `fill`, in a buffer a dropped set left if there is one.
fn words(len: usize, fill: u64) -> Vec<u64> {
    let spare = SPARE
        .try_with(|spare| spare.borrow_mut().pop())
        .ok()
        .flatten();
    match spare {
        Some(mut words) => {
            words.clear();
            words.resize(len, fill);
            words
        }
        None => vec![fill; len],
    }
}

/// A set of documents `0..len`.
#[derive(Debug, PartialEq, Eq)]
pub struct Bits {
    words: Vec<u64>,
    len: DocId,
}

impl Drop for Bits {
    fn drop(&mut self) {
        let words = std::mem::take(&mut self.words);
        if words.capacity() == 0 {
            return;
        }
        // During the thread's own teardown there is nowhere to keep it: it is freed.
        let _ = SPARE.try_with(|spare| {
            if let Ok(mut spare) = spare.try_borrow_mut() {
                if spare.len() < SPARE_BUFFERS {
                    spare.push(words);
                }
            }
        });
    }
}

impl Clone for Bits {
    fn clone(&self) -> Bits {
        let mut words = words(self.words.len(), 0);
        words.copy_from_slice(&self.words);
        Bits {
            words,
            len: self.len,
        }
    }
}

impl Bits {
    /// No document of `len`.
    pub fn new(len: DocId) -> Bits {
        Bits {
            words: words((len as usize).div_ceil(64), 0),
            len,
        }
    }

    /// Every document of `len`.
    pub fn full(len: DocId) -> Bits {
        let mut bits = Bits {
            words: words((len as usize).div_ceil(64), u64::MAX),
            len,
        };
        if !len.is_multiple_of(64) {
            if let Some(last) = bits.words.last_mut() {
                *last = (1u64 << (len % 64)) - 1;
            }
        }
        bits
    }

    /// The documents of `docs` (those below `len`).
    pub fn from_docs(len: DocId, docs: &[DocId]) -> Bits {
        let mut bits = Bits::new(len);
        for &doc in docs {
            bits.insert(doc);
        }
        bits
    }

    /// How many documents the set can hold.
    pub fn len(&self) -> DocId {
        self.len
    }

    /// Whether the set can hold no document at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds `doc` (ignored past the end).
    #[inline]
    pub fn insert(&mut self, doc: DocId) {
        if let Some(word) = self.words.get_mut(doc as usize / 64) {
            *word |= 1 << (doc % 64);
        }
    }

    /// Removes `doc`.
    #[inline]
    pub fn remove(&mut self, doc: DocId) {
        if let Some(word) = self.words.get_mut(doc as usize / 64) {
            *word &= !(1 << (doc % 64));
        }
    }

    #[inline]
    pub fn contains(&self, doc: DocId) -> bool {
        self.words
            .get(doc as usize / 64)
            .is_some_and(|word| word & (1 << (doc % 64)) != 0)
    }

    /// Number of documents in the set.
    pub fn count(&self) -> u64 {
        self.and_count(self)
    }

    /// Number of documents in both sets.
    pub fn and_count(&self, other: &Bits) -> u64 {
        #[cfg(target_arch = "x86_64")]
        if wide_popcount() {
            // SAFETY: the processor has AVX2 and POPCNT (checked at run time), the only
            // features `and_count_avx2` is compiled for.
            return unsafe { and_count_avx2(&self.words, &other.words) };
        }
        and_count(&self.words, &other.words)
    }

    /// Keeps only the documents `other` has too.
    pub fn intersect_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
        // A shorter `other` has none of the documents past its end.
        for a in self.words.iter_mut().skip(other.words.len()) {
            *a = 0;
        }
    }

    /// Adds the documents of `other`.
    pub fn union_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// The documents, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = DocId> + '_ {
        self.words
            .iter()
            .enumerate()
            .filter(|(_, word)| **word != 0)
            .flat_map(|(index, &word)| {
                let base = (index * 64) as DocId;
                let mut rest = word;
                std::iter::from_fn(move || {
                    if rest == 0 {
                        return None;
                    }
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    Some(base + bit)
                })
            })
    }

    /// Calls `visit` with each document in ascending order: the loop of the counts, which a
    /// closure keeps tighter than an iterator chain.
    #[inline]
    pub fn for_each(&self, mut visit: impl FnMut(DocId)) {
        for (index, &word) in self.words.iter().enumerate() {
            let base = (index * 64) as DocId;
            let mut rest = word;
            while rest != 0 {
                visit(base + rest.trailing_zeros());
                rest &= rest - 1;
            }
        }
    }
}

/// About how long [`Bits::and_count`] takes a word (64 documents), in nanoseconds, when the
/// words come from memory rather than the cache: for choosing how to count.
pub fn nanos_a_word() -> f64 {
    #[cfg(target_arch = "x86_64")]
    if wide_popcount() {
        return 0.5;
    }
    1.5
}

/// Documents in both `a` and `b`, word by word: what counting a value's answers in a set
/// spends its time on.
#[inline(always)]
fn and_count(a: &[u64], b: &[u64]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(a, b)| u64::from((a & b).count_ones()))
        .sum()
}

/// Whether the processor counts bits 256 at a time (AVX2, as x86-64 processors since 2013 do):
/// four times as fast as the baseline instructions every x86-64 has.
#[cfg(target_arch = "x86_64")]
fn wide_popcount() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("popcnt")
}

/// [`and_count`] compiled for AVX2, whose byte shuffles count the bits of four words at once.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
fn and_count_avx2(a: &[u64], b: &[u64]) -> u64 {
    and_count(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_insert_count_intersect_and_iterate() {
        let mut a = Bits::from_docs(130, &[0, 1, 63, 64, 129, 500]);
        assert_eq!(a.count(), 5);
        assert!(a.contains(129) && !a.contains(128) && !a.contains(500));
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![0, 1, 63, 64, 129]);
        let mut seen = Vec::new();
        a.for_each(|doc| seen.push(doc));
        assert_eq!(seen, vec![0, 1, 63, 64, 129]);
        let b = Bits::from_docs(130, &[1, 64, 100]);
        assert_eq!(a.and_count(&b), 2);
        assert_eq!(and_count(&a.words, &b.words), 2);
        let mut c = a.clone();
        c.union_with(&b);
        assert_eq!(c.count(), 6);
        a.intersect_with(&b);
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![1, 64]);
        a.remove(64);
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![1]);
        let full = Bits::full(130);
        assert_eq!(full.count(), 130);
        assert_eq!(full.iter().last(), Some(129));
        assert_eq!(Bits::full(128).count(), 128);
        assert!(Bits::new(0).is_empty() && Bits::full(0).count() == 0);
        let mut shorter = Bits::full(130);
        shorter.intersect_with(&Bits::full(64));
        assert_eq!(shorter.count(), 64);
    }
}
