//! The values of every answer's question, categories and attributes, held in memory as small
//! per-document columns so one pass over the matching answers can filter them and count every
//! filter's values (facets) for the page.
//!
//! The index keeps these values only as indexed terms (the schema has no fast fields), and
//! reading stored documents for each of a million matches would take seconds. So the columns
//! are built once at start-up by walking the postings of each term: a fraction of a second for
//! a million answers. The server never reloads the index, so the columns stay in step with the
//! segments it searches.
//!
//! The values of one answer sit together in one row of 16-bit ids (question, categories, each
//! attribute: [`SegmentColumns`]), because a query's matches are scattered over the index: one
//! cache miss an answer instead of one per dimension halves the time of a broad search.
//!
//! An attribute with very many distinct values (a respondent name, a free-text column) makes a
//! useless list of checkboxes and would not fit the 16-bit value ids: it gets no column, and a
//! filter on it is left to the index query instead ([`Catalog::faceted_attribute`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED};

use crate::classify::NO_ANSWER;
use crate::error::{Error, Result};
use crate::index::kwic::natural_cmp;
use crate::index::Searcher;
use crate::rules::scheme::{RuleSet, UNCLASSIFIED};

/// Separates an attribute's name from its value in the `attribute` field's terms (as the
/// index writes them).
const ATTRIBUTE_SEPARATOR: char = '\u{1f}';
/// More distinct values than this and an attribute is not offered as a filter list.
pub const MAX_FACET_VALUES: usize = 500;
/// At most this many attributes get columns (the collector tracks failed filters in a u64).
const MAX_FACETED_ATTRIBUTES: usize = 60;
/// Marks an empty cell of a row.
const NONE: u16 = u16::MAX;
/// In a dimension's first cell: the document has more values than the row holds; they are in
/// [`SegmentColumns::overflow`].
const OVERFLOW: u16 = u16::MAX - 1;
/// Most values of one dimension kept in a row (a category list rarely has more).
const INLINE: usize = 4;

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
        if self.names.len() >= usize::from(OVERFLOW) {
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

/// The value ids of every dimension for every document of one segment: `width` cells a
/// document, each dimension in its [`Slot`], unused cells `NONE`.
#[derive(Debug)]
pub struct SegmentColumns {
    rows: Vec<u16>,
    width: usize,
    slots: Vec<Slot>,
    /// (dimension, document) → values, for a document with more values than its slot holds.
    overflow: HashMap<(usize, DocId), Vec<u16>>,
}

impl SegmentColumns {
    /// Lays out `pairs[dim]` ((document, value id) of each dimension) in rows with `slots`.
    fn build(max_doc: DocId, slots: &[Slot], pairs: Vec<Pairs>) -> SegmentColumns {
        let width = slots
            .iter()
            .map(|slot| slot.start + slot.len)
            .max()
            .unwrap_or(0);
        let mut rows = vec![NONE; max_doc as usize * width];
        let mut overflow: HashMap<(usize, DocId), Vec<u16>> = HashMap::new();
        for (dim, mut pairs) in pairs.into_iter().enumerate() {
            let Some(slot) = slots.get(dim).copied() else {
                continue;
            };
            pairs.sort_unstable();
            pairs.dedup();
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
                    cells[0] = OVERFLOW;
                    overflow.insert((dim, doc), group.iter().map(|(_, value)| *value).collect());
                }
            }
        }
        SegmentColumns {
            rows,
            width,
            slots: slots.to_vec(),
            overflow,
        }
    }

    /// The row of `doc` (empty for a document the segment does not have).
    #[inline]
    pub fn row(&self, doc: DocId) -> &[u16] {
        let start = doc as usize * self.width;
        self.rows.get(start..start + self.width).unwrap_or(&[])
    }

    /// The value ids of dimension `dim` in `row`, the row of `doc`.
    #[inline]
    pub fn values<'a>(&'a self, row: &'a [u16], dim: usize, doc: DocId) -> &'a [u16] {
        let Some(slot) = self.slots.get(dim) else {
            return &[];
        };
        let Some(cells) = row.get(slot.start..slot.start + slot.len) else {
            return &[];
        };
        match cells.first() {
            Some(&OVERFLOW) => self
                .overflow
                .get(&(dim, doc))
                .map_or(&[][..], Vec::as_slice),
            _ => {
                let used = cells
                    .iter()
                    .position(|&cell| cell == NONE)
                    .unwrap_or(cells.len());
                &cells[..used]
            }
        }
    }

    /// Calls `visit(dimension, value id)` for every value in `row`, the row of `doc`, except
    /// those of dimension `skip`: the counting loop of every matching answer, so it walks the
    /// row once instead of looking each dimension up.
    #[inline]
    pub fn for_each(
        &self,
        row: &[u16],
        doc: DocId,
        skip: Option<usize>,
        mut visit: impl FnMut(usize, u16),
    ) {
        for (dim, slot) in self.slots.iter().enumerate() {
            if skip == Some(dim) {
                continue;
            }
            let Some(cells) = row.get(slot.start..slot.start + slot.len) else {
                continue;
            };
            if cells.first() == Some(&OVERFLOW) {
                for &value in self
                    .overflow
                    .get(&(dim, doc))
                    .map_or(&[][..], Vec::as_slice)
                {
                    visit(dim, value);
                }
                continue;
            }
            for &value in cells {
                if value == NONE {
                    break;
                }
                visit(dim, value);
            }
        }
    }
}

/// What a dimension is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Question,
    Category,
    Attribute(String),
}

/// One filterable dimension and its values.
#[derive(Debug)]
pub struct Dimension {
    pub kind: Kind,
    pub values: Vocab,
}

/// Every dimension of the served index.
#[derive(Debug)]
pub struct Catalog {
    /// `[question, category, attributes…]` (attributes in the order answers list them).
    pub dims: Vec<Dimension>,
    /// Per segment (in the searcher's order), the rows of its documents: what a segment's
    /// collector holds on to.
    pub segments: Vec<Arc<SegmentColumns>>,
    /// Attributes with too many values to list: filtered through the index query.
    pub unfaceted: Vec<String>,
    /// Answers in the index.
    pub documents: u64,
}

/// The position of the question dimension in [`Catalog::dims`].
pub const QUESTION: usize = 0;
/// The position of the category dimension in [`Catalog::dims`].
pub const CATEGORY: usize = 1;

impl Catalog {
    /// Reads the columns of every segment of `tantivy` (a searcher of `searcher`'s index that
    /// the caller keeps using for every search). Categories start with those of `rules`, so a
    /// correction can name one no answer had yet.
    pub fn build(
        searcher: &Searcher,
        tantivy: &tantivy::Searcher,
        rules: &RuleSet,
    ) -> Result<Catalog> {
        let fields = &searcher.fields;
        let dir = searcher.dir.clone();
        let io = |err: std::io::Error| Error::io(Path::new(&dir), err);
        let tantivy_error =
            |err: tantivy::TantivyError| crate::index::index_error(Path::new(&dir), err);
        let segments = tantivy.segment_readers();

        let mut categories = Vocab::default();
        for scheme in &rules.schemes {
            for category in &scheme.categories {
                categories.intern(&category.id);
            }
        }
        categories.intern(UNCLASSIFIED);
        categories.intern(NO_ANSWER);

        // First the attribute names and how many values each has, to decide which get columns.
        let mut value_counts: HashMap<String, usize> = HashMap::new();
        for segment in segments {
            let inverted = segment
                .inverted_index(fields.attribute)
                .map_err(tantivy_error)?;
            let mut stream = inverted.terms().stream().map_err(io)?;
            let mut last = String::new();
            while stream.advance() {
                let Ok(key) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                // Distinct per segment; a value in several segments is counted more than once,
                // which only errs towards leaving a huge attribute unfaceted.
                if key != last {
                    if let Some((name, _)) = key.split_once(ATTRIBUTE_SEPARATOR) {
                        *value_counts.entry(name.to_string()).or_default() += 1;
                    }
                    last = key.to_string();
                }
            }
        }
        let order = attribute_order(searcher, tantivy, &value_counts);
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
        // Per segment: its size, and (document, value id) pairs of each dimension.
        let mut segment_pairs: Vec<(DocId, Vec<Pairs>)> = Vec::with_capacity(segments.len());
        for segment in segments {
            let max_doc = segment.max_doc();
            let mut pairs = Vec::new();
            walk_terms(
                segment,
                fields.question,
                &io,
                &tantivy_error,
                |key, docs| {
                    let Ok(question) = std::str::from_utf8(key) else {
                        return;
                    };
                    if let Some(id) = questions.intern(question) {
                        pairs.extend(docs.iter().map(|&doc| (doc, id)));
                    }
                },
            )?;
            let question_pairs = pairs;

            let mut pairs = Vec::new();
            let mut overflow = false;
            walk_terms(
                segment,
                fields.categories,
                &io,
                &tantivy_error,
                |key, docs| {
                    let name = Facet::from_encoded(key.to_vec())
                        .map(|facet| facet.to_path().join("/"))
                        .unwrap_or_default();
                    // The root facet is indexed too; it names no category.
                    if name.is_empty() {
                        return;
                    }
                    match categories.intern(&name) {
                        Some(id) => pairs.extend(docs.iter().map(|&doc| (doc, id))),
                        None => overflow = true,
                    }
                },
            )?;
            if overflow {
                return Err(Error::Usage(format!(
                    "{dir}: the index has more than {NONE} different categories; jiyu serve \
                     cannot show them"
                )));
            }
            let category_pairs = pairs;

            let mut pairs: Vec<Pairs> = vec![Vec::new(); faceted.len()];
            walk_terms(
                segment,
                fields.attribute,
                &io,
                &tantivy_error,
                |key, docs| {
                    let Some((name, value)) = std::str::from_utf8(key)
                        .ok()
                        .and_then(|key| key.split_once(ATTRIBUTE_SEPARATOR))
                    else {
                        return;
                    };
                    let Some(&index) = attribute_index.get(name) else {
                        return;
                    };
                    if let Some(id) = attribute_vocabs[index].intern(value) {
                        pairs[index].extend(docs.iter().map(|&doc| (doc, id)));
                    }
                },
            )?;
            let mut all = vec![question_pairs, category_pairs];
            all.extend(pairs);
            segment_pairs.push((max_doc, all));
        }

        let mut dims = vec![
            Dimension {
                kind: Kind::Question,
                values: questions,
            },
            Dimension {
                kind: Kind::Category,
                values: categories,
            },
        ];
        for (name, values) in faceted.into_iter().zip(attribute_vocabs) {
            dims.push(Dimension {
                kind: Kind::Attribute(name),
                values,
            });
        }
        // Each dimension gets as many cells as its fullest document needs, up to INLINE.
        let mut most = vec![1usize; dims.len()];
        for (_, pairs) in &segment_pairs {
            for (dim, pairs) in pairs.iter().enumerate() {
                let mut sorted: Vec<DocId> = pairs.iter().map(|(doc, _)| *doc).collect();
                sorted.sort_unstable();
                for group in sorted.chunk_by(|a, b| a == b) {
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
        let segments = segment_pairs
            .into_iter()
            .map(|(max_doc, pairs)| Arc::new(SegmentColumns::build(max_doc, &slots, pairs)))
            .collect();
        Ok(Catalog {
            dims,
            segments,
            unfaceted,
            documents: tantivy.num_docs(),
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
}

/// Calls `visit` with each term of `field` in `segment` and the documents that have it.
fn walk_terms(
    segment: &SegmentReader,
    field: Field,
    io: &dyn Fn(std::io::Error) -> Error,
    tantivy_error: &dyn Fn(tantivy::TantivyError) -> Error,
    mut visit: impl FnMut(&[u8], &[DocId]),
) -> Result<()> {
    let inverted = segment.inverted_index(field).map_err(tantivy_error)?;
    let mut stream = inverted.terms().stream().map_err(io)?;
    let mut docs = Vec::new();
    while stream.advance() {
        let mut postings = inverted
            .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
            .map_err(io)?;
        docs.clear();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            docs.push(doc);
            doc = postings.advance();
        }
        visit(stream.key(), &docs);
    }
    Ok(())
}

/// Attribute names in the order the answers list them (業種, 従業員数, 取組段階 as in the export),
/// read from the first stored answers; names they lack follow in natural order.
fn attribute_order(
    searcher: &Searcher,
    tantivy: &tantivy::Searcher,
    names: &HashMap<String, usize>,
) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    'segments: for (ord, segment) in tantivy.segment_readers().iter().enumerate() {
        for doc in 0..segment.max_doc().min(200) {
            let address = tantivy::DocAddress::new(ord as u32, doc);
            let Ok(hit) = searcher.hit(tantivy, address, 0.0, None) else {
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

    #[test]
    fn rows_hold_one_or_many_values() {
        let slots = [Slot { start: 0, len: 1 }, Slot { start: 1, len: 2 }];
        let columns = SegmentColumns::build(
            4,
            &slots,
            vec![
                vec![(2, 1), (0, 3)],
                vec![(1, 4), (1, 2), (2, 0), (3, 5), (3, 6), (3, 7)],
            ],
        );
        let values = |dim: usize, doc: DocId| columns.values(columns.row(doc), dim, doc).to_vec();
        assert_eq!(values(0, 0), vec![3]);
        assert_eq!(values(0, 1), Vec::<u16>::new());
        assert_eq!(values(1, 0), Vec::<u16>::new());
        assert_eq!(values(1, 1), vec![2, 4]);
        assert_eq!(values(1, 2), vec![0]);
        // More values than the slot holds: kept aside.
        assert_eq!(values(1, 3), vec![5, 6, 7]);
        let mut seen = Vec::new();
        columns.for_each(columns.row(3), 3, None, |dim, value| {
            seen.push((dim, value))
        });
        assert_eq!(seen, vec![(1, 5), (1, 6), (1, 7)]);
        seen.clear();
        columns.for_each(columns.row(2), 2, Some(1), |dim, value| {
            seen.push((dim, value))
        });
        assert_eq!(seen, vec![(0, 1)]);
        // A document or dimension the segment does not have.
        assert_eq!(values(0, 9), Vec::<u16>::new());
        assert_eq!(values(5, 0), Vec::<u16>::new());
    }
}
