//! The values of every answer's question, categories, basis and attributes, and its confidence,
//! held in memory so a search can filter the matching answers, count every filter's values
//! (facets) and order them by confidence for the page without reading a stored document.
//!
//! The index keeps these values only as indexed terms (the schema has no fast fields), and
//! reading stored documents for each of a million matches would take seconds. So the columns
//! are built once at start-up by walking the postings of each term (through the index's own
//! readers, [`crate::index::values`]): a fraction of a second for a million answers. The server never reloads the index, so the columns stay in step with the
//! segments it searches. Corrections are not in here: they are laid over these indexed
//! categories by each search ([`super::corrections::Corrections`]).
//!
//! Each segment holds its values two ways ([`SegmentColumns`]):
//!
//! - one row of 16-bit ids an answer (question, categories, each attribute together, because a
//!   query's matches are scattered over the index: one cache miss an answer rather than one a
//!   dimension), for counting a small set of answers one by one;
//! - per value, the answers that have it, as a bit set (or a list, for a rare value): the set
//!   a filter lets through is the union of its values' sets, and a large set of answers is
//!   counted value by value, 64 answers a word.
//!
//! The confidence of each answer is kept as a whole number of thousandths ([`ConfidenceKey`]:
//! the index stores it rounded to three decimals, so nothing is lost), with the segment's
//! answers in rising order of it and the set of those below [`REVIEW_BELOW`]: a filter on the
//! confidence or a page of the least confident answers then reads only the answers it needs.
//!
//! An attribute with very many distinct values (a respondent name, a free-text column) makes a
//! useless list of checkboxes and would not fit the 16-bit value ids: it gets no column, and a
//! filter on it is left to the index query instead ([`Catalog::faceted_attribute`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use tantivy::DocId;

use crate::classify::{Basis, NO_ANSWER, REVIEW_BELOW};
use crate::error::{Error, Result};
use crate::index::Searcher;
use crate::rules::scheme::{RuleSet, UNCLASSIFIED};
use crate::text::natural_cmp;

use super::bits::{self, Bits};

/// More distinct values than this and an attribute is not offered as a filter list.
pub const MAX_FACET_VALUES: usize = 500;
/// At most this many attributes get columns.
const MAX_FACETED_ATTRIBUTES: usize = 60;
/// Most distinct values of one dimension: ids run below it, and the two markers of a row's
/// cells (see [`SegmentColumns`]) just above a dimension's last id, all within 16 bits.
const MAX_VALUES: usize = u16::MAX as usize - 2;
/// Most values of one dimension kept in a row (a category list rarely has more).
const INLINE: usize = 4;
/// A value held by at least one document in this many gets a bit set; rarer ones keep the list
/// of their documents (a bit set is then at most four times the size of the list, and much
/// faster to count).
const DENSE: u64 = 128;

/// Distinct values of one dimension, each with a small id.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    names: Vec<String>,
    ids: HashMap<String, u16>,
}

impl Vocab {
    /// The id of `name`, added when new; `None` once the vocabulary is full.
    fn intern(&mut self, name: &str) -> Option<u16> {
        if let Some(&id) = self.ids.get(name) {
            return Some(id);
        }
        if self.names.len() >= MAX_VALUES {
            return None;
        }
        let id = self.names.len() as u16;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        Some(id)
    }

    pub fn get(&self, name: &str) -> Option<u16> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: u16) -> &str {
        self.names.get(usize::from(id)).map_or("", String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every value, in natural order (Q9 before Q10, 5名 before 20名).
    pub fn sorted_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        names.sort_by(|a, b| natural_cmp(a, b));
        names
    }
}

/// (document, value id) of one dimension in one segment, as read from the postings.
type Pairs = Vec<(DocId, u16)>;

/// Where a dimension's values sit in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    start: usize,
    len: usize,
}

/// How [`SegmentColumns::count`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Counting {
    /// Whichever of the two below is less work for the set at hand.
    #[default]
    Auto,
    /// Answer by answer: one row read and a few increments for each answer of the set.
    PerAnswer,
    /// Value by value: the answers of each value intersected with the set.
    PerValue,
}

/// The answers that have one value in one segment: a bit set when they are many, their list
/// when they are few.
#[derive(Debug, Clone)]
pub enum ValueDocs {
    Bits(Bits),
    Docs(Vec<DocId>),
}

impl ValueDocs {
    /// Room for the `frequency` documents of a value, added in ascending order with
    /// [`ValueDocs::add`].
    fn empty(max_doc: DocId, frequency: u64) -> ValueDocs {
        if frequency * DENSE >= u64::from(max_doc) {
            ValueDocs::Bits(Bits::new(max_doc))
        } else {
            ValueDocs::Docs(Vec::with_capacity(frequency as usize))
        }
    }

    fn add(&mut self, doc: DocId) {
        match self {
            ValueDocs::Bits(bits) => bits.insert(doc),
            ValueDocs::Docs(docs) => docs.push(doc),
        }
    }

    /// How many answers of `set` have the value.
    pub fn count_in(&self, set: &Bits) -> u64 {
        match self {
            ValueDocs::Bits(bits) => bits.and_count(set),
            ValueDocs::Docs(docs) => docs.iter().filter(|&&doc| set.contains(doc)).count() as u64,
        }
    }

    /// Adds the answers that have the value to `set`.
    pub fn add_to(&self, set: &mut Bits) {
        match self {
            ValueDocs::Bits(bits) => set.union_with(bits),
            ValueDocs::Docs(docs) => {
                for &doc in docs {
                    set.insert(doc);
                }
            }
        }
    }

    /// The work of [`ValueDocs::count_in`]: (words of bits, listed documents).
    fn work(&self) -> (u64, u64) {
        match self {
            ValueDocs::Bits(bits) => (u64::from(bits.len()).div_ceil(64), 0),
            ValueDocs::Docs(docs) => (0, docs.len() as u64),
        }
    }
}

/// A confidence in thousandths (0–1000, as the index stores it to three decimals), or
/// [`NO_CONFIDENCE`]: ordered as a rising sort of confidences lists them, none last.
pub type ConfidenceKey = u16;

/// The key of an answer without a confidence (a question no scheme sorts).
pub const NO_CONFIDENCE: ConfidenceKey = u16::MAX;

/// The key of a corrected answer: confidence 1.
pub const CORRECTED_CONFIDENCE: ConfidenceKey = 1000;

/// The key of a confidence as the index stores it.
pub fn confidence_key(confidence: Option<f64>) -> ConfidenceKey {
    match confidence {
        Some(confidence) => (confidence.clamp(0.0, 1.0) * 1000.0).round() as ConfidenceKey,
        None => NO_CONFIDENCE,
    }
}

/// The confidence of a key.
pub fn key_confidence(key: ConfidenceKey) -> Option<f64> {
    (key != NO_CONFIDENCE).then(|| f64::from(key) / 1000.0)
}

/// The smallest key whose confidence is not below `bound`: an answer's confidence is below
/// `bound` exactly when its key is below this (the comparison the index's range filter makes on
/// the stored number).
pub fn below_key(bound: f64) -> ConfidenceKey {
    (0..=1000u16)
        .find(|&key| f64::from(key) / 1000.0 >= bound)
        .unwrap_or(1001)
}

/// The confidences of one segment's answers.
#[derive(Debug)]
pub struct ConfidenceColumn {
    /// Per document, its key.
    keys: Vec<ConfidenceKey>,
    /// The documents not deleted, by rising key (then document).
    rising: Vec<DocId>,
    /// The documents not deleted whose confidence is below [`REVIEW_BELOW`].
    review: Bits,
}

impl Default for ConfidenceColumn {
    /// No documents.
    fn default() -> Self {
        ConfidenceColumn {
            keys: Vec::new(),
            rising: Vec::new(),
            review: Bits::new(0),
        }
    }
}

impl ConfidenceColumn {
    fn build(keys: Vec<ConfidenceKey>, alive: &Bits) -> ConfidenceColumn {
        let mut rising: Vec<DocId> = alive.iter().collect();
        let key = |doc: DocId| keys.get(doc as usize).copied().unwrap_or(NO_CONFIDENCE);
        rising.sort_by_key(|&doc| (key(doc), doc));
        let review_key = below_key(REVIEW_BELOW);
        let mut review = Bits::new(alive.len());
        for &doc in rising.iter().take_while(|&&doc| key(doc) < review_key) {
            review.insert(doc);
        }
        ConfidenceColumn {
            keys,
            rising,
            review,
        }
    }

    /// The key of `doc` as indexed.
    pub fn key(&self, doc: DocId) -> ConfidenceKey {
        self.keys
            .get(doc as usize)
            .copied()
            .unwrap_or(NO_CONFIDENCE)
    }

    /// The documents not deleted, least confident first (equal keys by document).
    pub fn rising(&self) -> &[DocId] {
        &self.rising
    }

    /// Adds the documents whose key is below `key` to `set`: a walk of only those documents,
    /// or a copy of the precomputed set for [`REVIEW_BELOW`].
    pub fn add_below(&self, key: ConfidenceKey, set: &mut Bits) {
        if key == below_key(REVIEW_BELOW) {
            set.union_with(&self.review);
            return;
        }
        let end = self.rising.partition_point(|&doc| self.key(doc) < key);
        for &doc in &self.rising[..end] {
            set.insert(doc);
        }
    }

    /// The documents not deleted whose confidence is below [`REVIEW_BELOW`].
    pub fn review(&self) -> &Bits {
        &self.review
    }
}

/// The values of every faceted dimension for every document of one segment, two ways:
///
/// - rows: `width` cells a document, each dimension in its slot. A cell holds a value id,
///   or, after the dimension's last id `n - 1`, `n` for an unused cell and `n + 1` for a
///   document with more values than its slot holds (they are in `overflow`). Counting a row
///   is then a few increments at `offset + cell` without a branch: the two markers count into
///   spare slots that nobody reads.
/// - per value, the documents that have it ([`ValueDocs`]), for counting a large set of
///   answers value by value and for building the set a filter lets through.
#[derive(Debug)]
pub struct SegmentColumns {
    max_doc: DocId,
    /// The documents not deleted.
    alive: Bits,
    rows: Vec<u16>,
    width: usize,
    slots: Vec<Slot>,
    /// Per dimension, its number of values `n` (its markers are `n` and `n + 1`).
    sizes: Vec<u16>,
    /// (dimension, document) → values, for a document with more values than its slot holds.
    overflow: HashMap<(usize, DocId), Vec<u16>>,
    /// Per dimension, per value id: its documents.
    values: Vec<Vec<ValueDocs>>,
    /// Per dimension: the work of counting a set value by value, (words of bits, listed
    /// documents) over all its values.
    work: Vec<(u64, u64)>,
    /// The confidence of each document.
    confidence: ConfidenceColumn,
}

impl SegmentColumns {
    /// Lays out `pairs[dim]` ((document, value id) of each dimension) in rows with `slots`;
    /// `sizes[dim]` is the number of values of each dimension.
    fn build(
        max_doc: DocId,
        alive: Bits,
        slots: &[Slot],
        sizes: &[u16],
        pairs: Vec<Pairs>,
    ) -> SegmentColumns {
        let width = slots
            .iter()
            .map(|slot| slot.start + slot.len)
            .max()
            .unwrap_or(0);
        let mut rows = vec![0; max_doc as usize * width];
        for (slot, &size) in slots.iter().zip(sizes) {
            for doc in 0..max_doc as usize {
                let at = doc * width + slot.start;
                rows[at..at + slot.len].fill(size);
            }
        }
        let mut overflow: HashMap<(usize, DocId), Vec<u16>> = HashMap::new();
        let mut values: Vec<Vec<ValueDocs>> = Vec::with_capacity(slots.len());
        for (dim, mut pairs) in pairs.into_iter().enumerate() {
            let (Some(slot), Some(&size)) = (slots.get(dim).copied(), sizes.get(dim)) else {
                continue;
            };
            // Catalog::build has sorted them already; this is then a quick check.
            pairs.sort_unstable();
            pairs.dedup();
            let mut frequencies = vec![0u64; usize::from(size)];
            for &(_, value) in &pairs {
                if let Some(frequency) = frequencies.get_mut(usize::from(value)) {
                    *frequency += 1;
                }
            }
            let mut docs: Vec<ValueDocs> = frequencies
                .iter()
                .map(|&frequency| ValueDocs::empty(max_doc, frequency))
                .collect();
            for &(doc, value) in &pairs {
                if let Some(docs) = docs.get_mut(usize::from(value)) {
                    docs.add(doc);
                }
            }
            values.push(docs);
            for group in pairs.chunk_by(|a, b| a.0 == b.0) {
                let doc = group[0].0;
                let at = doc as usize * width + slot.start;
                let Some(cells) = rows.get_mut(at..at + slot.len) else {
                    continue;
                };
                if group.len() <= slot.len {
                    for (cell, (_, value)) in cells.iter_mut().zip(group) {
                        *cell = *value;
                    }
                } else {
                    cells[0] = size + 1;
                    overflow.insert((dim, doc), group.iter().map(|(_, value)| *value).collect());
                }
            }
        }
        let work = values
            .iter()
            .map(|docs| {
                docs.iter()
                    .map(ValueDocs::work)
                    .fold((0, 0), |(words, listed), (w, l)| (words + w, listed + l))
            })
            .collect();
        SegmentColumns {
            max_doc,
            alive,
            rows,
            width,
            slots: slots.to_vec(),
            sizes: sizes.to_vec(),
            overflow,
            values,
            work,
            confidence: ConfidenceColumn::default(),
        }
    }

    /// The confidences of the segment's documents.
    pub fn confidence(&self) -> &ConfidenceColumn {
        &self.confidence
    }

    /// Documents in the segment, deleted ones included.
    pub fn max_doc(&self) -> DocId {
        self.max_doc
    }

    /// The documents not deleted.
    pub fn alive(&self) -> &Bits {
        &self.alive
    }

    /// The value ids of dimension `dim` of `doc`.
    pub fn values(&self, dim: usize, doc: DocId) -> &[u16] {
        let (Some(slot), Some(&size)) = (self.slots.get(dim), self.sizes.get(dim)) else {
            return &[];
        };
        let start = doc as usize * self.width + slot.start;
        let Some(cells) = self.rows.get(start..start + slot.len) else {
            return &[];
        };
        if cells.first() == Some(&(size + 1)) {
            return self
                .overflow
                .get(&(dim, doc))
                .map_or(&[][..], Vec::as_slice);
        }
        let used = cells
            .iter()
            .position(|&cell| cell >= size)
            .unwrap_or(cells.len());
        &cells[..used]
    }

    /// Adds the documents that have any of the values `selected` (by id) of `dim` to `set`.
    pub fn add_values(&self, dim: usize, selected: &[bool], set: &mut Bits) {
        let Some(values) = self.values.get(dim) else {
            return;
        };
        for (docs, _) in values.iter().zip(selected).filter(|(_, on)| **on) {
            docs.add_to(set);
        }
    }

    /// About how long counting value by value takes, in nanoseconds: words of bits
    /// intersected, listed documents looked up in the set.
    fn nanos_by_value(&self, words: u64, listed: u64) -> f64 {
        words as f64 * bits::nanos_a_word() + listed as f64 * 2.5
    }

    /// About how long counting `answers` answer by answer takes, `cells` increments each, in
    /// nanoseconds. A row read from memory costs some 40 ns, and a set spread over the segment
    /// reads one row (or two) a cache line; a dense set shares its lines.
    fn nanos_by_answer(&self, answers: u64, cells: usize) -> f64 {
        let row_bytes = (self.width * 2) as u64;
        let lines = answers.min(u64::from(self.max_doc) * row_bytes / 64 + 1);
        lines as f64 * 40.0 + answers as f64 * (1.0 + 0.3 * cells as f64)
    }

    /// Adds, for each dimension `dim` of `dims` (dimension, offset), how many documents of
    /// `set` have each value `v` to `counts[offset + v]`. `counts` must hold a dimension's
    /// values and its two markers at its offset. Deleted documents must not be in `set`.
    pub fn count(&self, set: &Bits, dims: &[(usize, usize)], counts: &mut [u64], how: Counting) {
        let cells: Vec<(usize, usize)> = dims
            .iter()
            .filter_map(|&(dim, offset)| self.slots.get(dim).map(|slot| (slot, offset)))
            .flat_map(|(slot, offset)| {
                (slot.start..slot.start + slot.len).map(move |cell| (cell, offset))
            })
            .collect();
        let per_value = match how {
            Counting::PerAnswer => false,
            Counting::PerValue => true,
            Counting::Auto => {
                let (words, listed) = dims
                    .iter()
                    .filter_map(|&(dim, _)| self.work.get(dim))
                    .fold((0, 0), |(words, listed), (w, l)| (words + w, listed + l));
                self.nanos_by_value(words, listed) < self.nanos_by_answer(set.count(), cells.len())
            }
        };
        if per_value {
            for &(dim, offset) in dims {
                let Some(values) = self.values.get(dim) else {
                    continue;
                };
                for (value, docs) in values.iter().enumerate() {
                    if let Some(count) = counts.get_mut(offset + value) {
                        *count += docs.count_in(set);
                    }
                }
            }
            return;
        }
        let width = self.width;
        set.for_each(|doc| {
            let start = doc as usize * width;
            let Some(row) = self.rows.get(start..start + width) else {
                return;
            };
            for &(cell, offset) in &cells {
                if let Some(count) = counts.get_mut(offset + usize::from(row[cell])) {
                    *count += 1;
                }
            }
        });
        for (&(dim, doc), values) in &self.overflow {
            let Some(&(_, offset)) = dims.iter().find(|(counted, _)| *counted == dim) else {
                continue;
            };
            if set.contains(doc) {
                for &value in values {
                    if let Some(count) = counts.get_mut(offset + usize::from(value)) {
                        *count += 1;
                    }
                }
            }
        }
    }
}

/// What a dimension is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Question,
    Category,
    /// What an answer's primary category rests on ([`Basis::as_str`]).
    Basis,
    Attribute(String),
}

/// One filterable dimension and its values.
#[derive(Debug)]
pub struct Dimension {
    pub kind: Kind,
    pub values: Vocab,
    /// The value ids in the order the page lists them: categories in the schemes' order (the
    /// page sorts them by count), bases in the order of [`Basis::ALL`], questions and attribute
    /// values in natural order (Q9 before Q10, 5名 before 20名).
    pub order: Vec<u16>,
}

impl Dimension {
    fn new(kind: Kind, values: Vocab) -> Dimension {
        let mut order: Vec<u16> = (0..values.len() as u16).collect();
        if kind != Kind::Category && kind != Kind::Basis {
            order.sort_by(|&a, &b| natural_cmp(values.name(a), values.name(b)));
        }
        Dimension {
            kind,
            values,
            order,
        }
    }
}

/// Every dimension of the served index.
#[derive(Debug)]
pub struct Catalog {
    /// `[question, category, basis, attributes…]` (attributes in the order answers list them).
    pub dims: Vec<Dimension>,
    /// Per segment (in the searcher's order), the rows of its documents: what a segment's
    /// collector holds on to.
    pub segments: Vec<Arc<SegmentColumns>>,
    /// Attributes with too many values to list: filtered through the index query.
    pub unfaceted: Vec<String>,
    /// Answers in the index.
    pub documents: u64,
    /// The groups of categories of the served schemes, in scheme order.
    pub groups: Vec<CategoryGroup>,
}

/// A group of categories (`[[group]]` of a scheme): the page counts an answer once in it when
/// the answer has any of its members. Groups of one id in several schemes are one group, with
/// the members of all and the label of the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryGroup {
    pub id: String,
    pub label: String,
    /// The members' ids in the category dimension, in scheme order, each once.
    pub members: Vec<u16>,
}

/// The groups of `rules`' schemes ([`CategoryGroup`]), their members' ids from `categories`.
fn category_groups(rules: &RuleSet, categories: &Vocab) -> Vec<CategoryGroup> {
    let mut groups: Vec<CategoryGroup> = Vec::new();
    for scheme in &rules.schemes {
        for group in &scheme.groups {
            let at = match groups.iter().position(|known| known.id == group.id) {
                Some(at) => at,
                None => {
                    groups.push(CategoryGroup {
                        id: group.id.clone(),
                        label: group.label.clone(),
                        members: Vec::new(),
                    });
                    groups.len() - 1
                }
            };
            for member in scheme.members(&group.id) {
                if let Some(id) = categories.get(member) {
                    if !groups[at].members.contains(&id) {
                        groups[at].members.push(id);
                    }
                }
            }
        }
    }
    groups
}

/// The position of the question dimension in [`Catalog::dims`].
pub const QUESTION: usize = 0;
/// The position of the category dimension in [`Catalog::dims`].
pub const CATEGORY: usize = 1;
/// The position of the basis dimension in [`Catalog::dims`].
pub const BASIS: usize = 2;

impl Catalog {
    /// Reads the columns of every segment of `snapshot` (a snapshot of `index` that the
    /// caller keeps using for every search), through the index's own readers of its values
    /// ([`crate::index::values`]). Categories start with those of `rules`, so a correction can
    /// name one no answer had yet.
    pub fn build(
        index: &Searcher,
        snapshot: &tantivy::Searcher,
        rules: &RuleSet,
    ) -> Result<Catalog> {
        let dir = index.dir().to_string();
        let segments = snapshot.segment_readers();

        let mut categories = Vocab::default();
        for scheme in &rules.schemes {
            for category in &scheme.categories {
                categories.intern(&category.id);
            }
        }
        categories.intern(UNCLASSIFIED);
        categories.intern(NO_ANSWER);
        let groups = category_groups(rules, &categories);
        // Every basis, so a correction's `override` has an id even before any answer has it.
        let mut bases = Vocab::default();
        for basis in Basis::ALL {
            bases.intern(basis.as_str());
        }

        // First the attribute names and how many values each has, to decide which get columns.
        // A value in several segments is counted more than once, which only errs towards
        // leaving a huge attribute unfaceted.
        let mut value_counts: HashMap<String, usize> = HashMap::new();
        for segment in segments {
            index.count_attribute_values(segment, &mut value_counts)?;
        }
        let order = attribute_order(index, snapshot, &value_counts);
        let mut faceted: Vec<String> = Vec::new();
        let mut unfaceted: Vec<String> = Vec::new();
        for name in order {
            let count = value_counts.get(&name).copied().unwrap_or(0);
            if count <= MAX_FACET_VALUES && faceted.len() < MAX_FACETED_ATTRIBUTES {
                faceted.push(name);
            } else {
                unfaceted.push(name);
            }
        }
        let attribute_index: HashMap<&str, usize> = faceted
            .iter()
            .enumerate()
            .map(|(index, name)| (name.as_str(), index))
            .collect();

        let mut questions = Vocab::default();
        let mut attribute_vocabs: Vec<Vocab> = vec![Vocab::default(); faceted.len()];
        // Per segment: its size, the documents alive, (document, value id) pairs of each
        // dimension, and the confidence key of each document.
        let mut segment_pairs: Vec<(DocId, Bits, Vec<Pairs>, Vec<ConfidenceKey>)> =
            Vec::with_capacity(segments.len());
        for segment in segments {
            let max_doc = segment.max_doc();
            let alive = match segment.alive_bitset() {
                None => Bits::full(max_doc),
                Some(alive) => {
                    let mut bits = Bits::new(max_doc);
                    for doc in (0..max_doc).filter(|&doc| alive.is_alive(doc)) {
                        bits.insert(doc);
                    }
                    bits
                }
            };
            let mut pairs = Vec::new();
            index.walk_questions(segment, |question, docs| {
                if let Some(id) = questions.intern(question) {
                    pairs.extend(docs.iter().map(|&doc| (doc, id)));
                }
            })?;
            let question_pairs = pairs;

            let mut pairs = Vec::new();
            let mut overflow = false;
            index.walk_categories(segment, |name, docs| match categories.intern(name) {
                Some(id) => pairs.extend(docs.iter().map(|&doc| (doc, id))),
                None => overflow = true,
            })?;
            if overflow {
                return Err(Error::Usage(format!(
                    "{dir}: the index has more than {MAX_VALUES} different categories; jiyu \
                     serve cannot show them"
                )));
            }
            let category_pairs = pairs;

            let mut pairs = Vec::new();
            index.walk_bases(segment, |name, docs| {
                // Every name of this format is in the vocabulary already.
                if let Some(id) = bases.get(name) {
                    pairs.extend(docs.iter().map(|&doc| (doc, id)));
                }
            })?;
            let basis_pairs = pairs;
            let confidences = crate::index::confidences(segment)
                .map_err(|err| crate::index::index_error(Path::new(&dir), err))?;
            let keys: Vec<ConfidenceKey> = (0..max_doc)
                .map(|doc| confidence_key(confidences.get(doc)))
                .collect();

            let mut pairs: Vec<Pairs> = vec![Vec::new(); faceted.len()];
            index.walk_attributes(segment, |name, value, docs| {
                let Some(&index) = attribute_index.get(name) else {
                    return;
                };
                if let Some(id) = attribute_vocabs[index].intern(value) {
                    pairs[index].extend(docs.iter().map(|&doc| (doc, id)));
                }
            })?;
            let mut all = vec![question_pairs, category_pairs, basis_pairs];
            all.extend(pairs);
            segment_pairs.push((max_doc, alive, all, keys));
        }

        let mut dims = vec![
            Dimension::new(Kind::Question, questions),
            Dimension::new(Kind::Category, categories),
            Dimension::new(Kind::Basis, bases),
        ];
        for (name, values) in faceted.into_iter().zip(attribute_vocabs) {
            dims.push(Dimension::new(Kind::Attribute(name), values));
        }
        // Each dimension gets as many cells as its fullest document needs, up to INLINE.
        let mut most = vec![1usize; dims.len()];
        for (_, _, pairs, _) in &mut segment_pairs {
            for (dim, pairs) in pairs.iter_mut().enumerate() {
                pairs.sort_unstable();
                pairs.dedup();
                pairs.shrink_to_fit();
                for group in pairs.chunk_by(|a, b| a.0 == b.0) {
                    most[dim] = most[dim].max(group.len().min(INLINE));
                }
            }
        }
        let mut slots = Vec::with_capacity(dims.len());
        let mut start = 0;
        for len in most {
            slots.push(Slot { start, len });
            start += len;
        }
        // Vocabularies hold at most MAX_VALUES values, so a size and its markers fit 16 bits.
        let sizes: Vec<u16> = dims.iter().map(|dim| dim.values.len() as u16).collect();
        let segments = segment_pairs
            .into_iter()
            .map(|(max_doc, alive, pairs, keys)| {
                let confidence = ConfidenceColumn::build(keys, &alive);
                let mut columns = SegmentColumns::build(max_doc, alive, &slots, &sizes, pairs);
                columns.confidence = confidence;
                Arc::new(columns)
            })
            .collect();
        Ok(Catalog {
            dims,
            segments,
            unfaceted,
            documents: snapshot.num_docs(),
            groups,
        })
    }

    /// The dimension of an attribute that has a column.
    pub fn faceted_attribute(&self, name: &str) -> Option<usize> {
        self.dims
            .iter()
            .position(|dim| matches!(&dim.kind, Kind::Attribute(attribute) if attribute == name))
    }

    /// The names of every attribute, listed ones first.
    pub fn attribute_names(&self) -> Vec<String> {
        self.dims
            .iter()
            .filter_map(|dim| match &dim.kind {
                Kind::Attribute(name) => Some(name.clone()),
                _ => None,
            })
            .chain(self.unfaceted.iter().cloned())
            .collect()
    }

    /// The id of a category, if any answer or scheme has it.
    pub fn category_id(&self, category: &str) -> Option<u16> {
        self.dims[CATEGORY].values.get(category)
    }

    /// The id of a basis in the basis dimension (every basis has one).
    pub fn basis_id(&self, basis: Basis) -> u16 {
        self.dims[BASIS].values.get(basis.as_str()).unwrap_or(0)
    }
}

/// Attribute names in the order the answers list them (業種, 従業員数, 取組段階 as in the export),
/// read from the first stored answers; names they lack follow in natural order.
fn attribute_order(
    index: &Searcher,
    snapshot: &tantivy::Searcher,
    names: &HashMap<String, usize>,
) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    'segments: for (ord, segment) in snapshot.segment_readers().iter().enumerate() {
        for doc in 0..segment.max_doc().min(200) {
            let address = tantivy::DocAddress::new(ord as u32, doc);
            let Ok(hit) = index.hit(snapshot, address, 0.0, None) else {
                continue;
            };
            for (name, _) in hit.attributes {
                let name = name.trim().to_string();
                if names.contains_key(&name) && !order.contains(&name) {
                    order.push(name);
                }
            }
            if order.len() == names.len() {
                break 'segments;
            }
        }
    }
    let mut rest: Vec<&String> = names.keys().filter(|name| !order.contains(name)).collect();
    rest.sort_by(|a, b| natural_cmp(a, b));
    order.extend(rest.into_iter().cloned());
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::{RngCore, SeedableRng};

    #[test]
    fn rows_hold_one_or_many_values() {
        let slots = [Slot { start: 0, len: 1 }, Slot { start: 1, len: 2 }];
        let columns = SegmentColumns::build(
            4,
            Bits::full(4),
            &slots,
            &[4, 8],
            vec![
                vec![(2, 1), (0, 3)],
                vec![(1, 4), (1, 2), (2, 0), (3, 5), (3, 6), (3, 7)],
            ],
        );
        let values = |dim: usize, doc: DocId| columns.values(dim, doc).to_vec();
        assert_eq!(values(0, 0), vec![3]);
        assert_eq!(values(0, 1), Vec::<u16>::new());
        assert_eq!(values(1, 0), Vec::<u16>::new());
        assert_eq!(values(1, 1), vec![2, 4]);
        assert_eq!(values(1, 2), vec![0]);
        // More values than the slot holds: kept aside.
        assert_eq!(values(1, 3), vec![5, 6, 7]);
        // A document or dimension the segment does not have.
        assert_eq!(values(0, 9), Vec::<u16>::new());
        assert_eq!(values(5, 0), Vec::<u16>::new());
        let mut set = Bits::new(4);
        columns.add_values(
            1,
            &[false, false, true, false, false, true, false, false],
            &mut set,
        );
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![1, 3]);
    }

    /// Both ways of counting give what a look at every document's values gives, on random
    /// segments with multi-valued documents, documents beyond their slot, and random sets.
    #[test]
    fn counting_by_answer_and_by_value_agree_with_every_document() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for round in 0..40 {
            let max_doc = 1 + rng.next_u32() % 700;
            let sizes: Vec<u16> = vec![3, 9, 1 + (rng.next_u32() % 40) as u16];
            let slots = [
                Slot { start: 0, len: 1 },
                Slot { start: 1, len: 2 },
                Slot { start: 3, len: 1 },
            ];
            let mut pairs: Vec<Pairs> = vec![Vec::new(); sizes.len()];
            for doc in 0..max_doc {
                for (dim, &size) in sizes.iter().enumerate() {
                    // Some documents have no value, some several (up to 4 for dimension 1).
                    let many = match rng.next_u32() % 10 {
                        0 => 0,
                        1 | 2 if dim == 1 => 2 + rng.next_u32() % 3,
                        _ => 1,
                    };
                    for _ in 0..many {
                        pairs[dim].push((doc, (rng.next_u32() % u32::from(size)) as u16));
                    }
                }
            }
            let columns =
                SegmentColumns::build(max_doc, Bits::full(max_doc), &slots, &sizes, pairs);
            let density = 1 + rng.next_u32() % 8;
            let mut set = Bits::new(max_doc);
            for doc in 0..max_doc {
                if rng.next_u32() % density == 0 {
                    set.insert(doc);
                }
            }
            let mut offsets = Vec::new();
            let mut total = 0;
            for &size in &sizes {
                offsets.push(total);
                total += usize::from(size) + 2;
            }
            let dims: Vec<(usize, usize)> = if round % 2 == 0 {
                offsets.iter().copied().enumerate().collect()
            } else {
                vec![(1, offsets[1])]
            };
            let mut expected = vec![0u64; total];
            for doc in set.iter() {
                for &(dim, offset) in &dims {
                    for &value in columns.values(dim, doc) {
                        expected[offset + usize::from(value)] += 1;
                    }
                }
            }
            for how in [Counting::PerAnswer, Counting::PerValue, Counting::Auto] {
                let mut counts = vec![0u64; total];
                columns.count(&set, &dims, &mut counts, how);
                // Only the values are read; the markers' slots hold anything.
                for (dim, &size) in sizes.iter().enumerate() {
                    let range = offsets[dim]..offsets[dim] + usize::from(size);
                    assert_eq!(
                        counts[range.clone()],
                        expected[range],
                        "round {round}, {how:?}, dimension {dim}"
                    );
                }
            }
        }
    }
}
