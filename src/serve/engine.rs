//! One search of the page: the query of `jiyu search` (same parser, same notation-variant
//! matching, same ranking), then, in a single pass over the matching answers, the filters,
//! the corrections laid over the indexed categories, the counts of every filter's values, the
//! total and the requested page of hits.
//!
//! Filters are applied here rather than in the index query because the categories must be the
//! corrected ones, and because each filter list shows how many answers each of its values
//! would give with the *other* filters kept (so ticking 建設業 does not hide 製造業's count).
//! The category counts of the bar chart are those of the hits themselves, as with
//! `jiyu search --facets`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::error::Error;
use crate::index::query::parse;
use crate::index::{SearchHit, SearchRequest};

use super::catalog::{Catalog, Kind, SegmentColumns, CATEGORY, QUESTION};
use super::corrections::Corrections;
use super::Served;

/// What the page asks for.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub query: String,
    /// Values of one filter are alternatives; different filters must all hold.
    pub questions: Vec<String>,
    pub categories: Vec<String>,
    pub attributes: Vec<(String, String)>,
    pub offset: usize,
    pub limit: usize,
    /// Snippets with the matches highlighted (the CSV download needs none).
    pub snippets: bool,
}

/// One hit, its categories corrected.
#[derive(Debug, Clone)]
pub struct PageHit {
    pub hit: SearchHit,
    /// The categories come from the overrides file.
    pub overridden: bool,
}

/// Counts of one filter's values: (value, answers), in the filter's display order.
pub type Counts = Vec<(String, u64)>;

/// The answer to a [`PageRequest`].
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub total: usize,
    pub hits: Vec<PageHit>,
    /// Categories of all matching answers, most frequent first (as `jiyu search --facets`).
    pub facets: Counts,
    /// Per filter (question, category, each listed attribute): the answers each value would
    /// match with the query and the other filters.
    pub filters: Vec<(Kind, Counts)>,
    /// Filter values no answer has.
    pub warnings: Vec<String>,
}

/// A query error the page can point at: the parser's message and the column.
#[derive(Debug, Clone)]
pub struct QueryProblem {
    pub message: String,
    pub column: Option<usize>,
}

/// Why a search gave no page.
#[derive(Debug)]
pub enum SearchError {
    /// The query does not parse or has a word with nothing to search for.
    Query(QueryProblem),
    Index(Error),
}

impl From<Error> for SearchError {
    fn from(err: Error) -> Self {
        SearchError::Index(err)
    }
}

/// Runs `request` over the served index with the corrections in force.
pub fn search(
    served: &Served,
    corrections: &Arc<Corrections>,
    request: &PageRequest,
) -> std::result::Result<Page, SearchError> {
    let catalog = &served.catalog;
    let parsed = parse(&request.query).map_err(|err| {
        SearchError::Query(QueryProblem {
            message: err.render(&request.query),
            column: Some(err.column),
        })
    })?;
    // Filters on what has no column (an attribute with very many values) go to the index query.
    let mut warnings = Vec::new();
    let mut index_filters = Vec::new();
    let mut masks: Vec<Option<Vec<bool>>> = catalog.dims.iter().map(|_| None).collect();
    let mut select = |dim: usize, value: &str, warnings: &mut Vec<String>| {
        let values = &catalog.dims[dim].values;
        let mask = masks[dim].get_or_insert_with(|| vec![false; values.len()]);
        match values.get(value.trim()) {
            Some(id) => mask[usize::from(id)] = true,
            None => warnings.push(unknown_value(&catalog.dims[dim].kind, value)),
        }
    };
    for question in &request.questions {
        select(QUESTION, question, &mut warnings);
    }
    for category in &request.categories {
        select(CATEGORY, category, &mut warnings);
    }
    for (name, value) in &request.attributes {
        match catalog.faceted_attribute(name.trim()) {
            Some(dim) => select(dim, value, &mut warnings),
            None => index_filters.push((name.clone(), value.clone())),
        }
    }
    let index_request = SearchRequest {
        query: request.query.clone(),
        filters: index_filters,
        ..SearchRequest::default()
    };
    let compiled = served
        .searcher
        .compile(&parsed, &request.query, &index_request)
        .map_err(|err| match err {
            Error::Usage(message) => SearchError::Query(QueryProblem {
                message,
                column: None,
            }),
            other => SearchError::Index(other),
        })?;
    let filters: Vec<(usize, Vec<bool>)> = masks
        .into_iter()
        .enumerate()
        .filter_map(|(dim, mask)| mask.map(|mask| (dim, mask)))
        .collect();
    let mut offsets = Vec::with_capacity(catalog.dims.len());
    let mut counted = 0;
    for dim in &catalog.dims {
        offsets.push(counted);
        counted += dim.values.len();
    }
    let context = Arc::new(Context {
        catalog: served.catalog.clone(),
        corrections: (!corrections.is_empty()).then(|| corrections.clone()),
        filters,
        keep: request.offset.saturating_add(request.limit),
        offsets,
        counted,
    });
    let collector = PageCollector {
        context: context.clone(),
    };
    let tally = served
        .tantivy
        .search(&*compiled.query, &collector)
        .map_err(|err| crate::index::index_error(std::path::Path::new(&served.dir()), err))?;

    let mut hits = Vec::with_capacity(request.limit);
    for ranked in tally.top.iter().skip(request.offset).take(request.limit) {
        let address = DocAddress::new(ranked.segment, ranked.doc);
        let matcher = request.snippets.then_some(&compiled.matcher);
        let mut hit = served
            .searcher
            .hit(&served.tantivy, address, ranked.score, matcher)?;
        let overridden = match corrections.by_id.get(&hit.id) {
            Some(correction) => {
                hit.categories = correction.categories.clone();
                true
            }
            None => false,
        };
        hits.push(PageHit { hit, overridden });
    }
    let named = |dim: usize, counts: &[u64]| -> Vec<(String, u64)> {
        let values = &catalog.dims[dim].values;
        counts
            .iter()
            .enumerate()
            .map(|(id, count)| (values.name(id as u16).to_string(), *count))
            .collect()
    };
    let mut facets: Counts = named(CATEGORY, &tally.facets)
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .collect();
    facets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let filters = catalog
        .dims
        .iter()
        .enumerate()
        .map(|(dim, dimension)| {
            let mut counts = named(dim, tally.counts(&context, dim));
            // Categories stay in the schemes' order (the page sorts them by count); questions
            // and attribute values in natural order (Q9 before Q10, 5名 before 20名).
            if dim != CATEGORY {
                counts.sort_by(|a, b| crate::index::kwic::natural_cmp(&a.0, &b.0));
            }
            (dimension.kind.clone(), counts)
        })
        .collect();
    Ok(Page {
        total: tally.total,
        hits,
        facets,
        filters,
        warnings,
    })
}

fn unknown_value(kind: &Kind, value: &str) -> String {
    match kind {
        Kind::Question => format!("設問「{value}」の回答はありません"),
        Kind::Category => format!("カテゴリ「{value}」はありません"),
        Kind::Attribute(name) => format!("{name}が「{value}」の回答はありません"),
    }
}

/// What every segment's collector shares.
struct Context {
    catalog: Arc<Catalog>,
    /// `None` when no answer is corrected (then no look-up is made at all).
    corrections: Option<Arc<Corrections>>,
    /// (dimension, selected value ids) of each active filter.
    filters: Vec<(usize, Vec<bool>)>,
    /// Hits to keep, best first: offset + limit.
    keep: usize,
    /// Where each dimension's counts start in a flat count vector, and its length.
    offsets: Vec<usize>,
    counted: usize,
}

struct PageCollector {
    context: Arc<Context>,
}

/// A hit's rank: higher score first, then index order (as tantivy's own top-docs).
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: Score,
    segment: SegmentOrdinal,
    doc: DocId,
}

impl Ranked {
    /// Better hits compare as smaller, so a max-heap keeps the worst on top.
    fn rank(&self, other: &Ranked) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| (self.segment, self.doc).cmp(&(other.segment, other.doc)))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

/// What one segment (or, merged, the index) contributes.
struct Tally {
    total: usize,
    /// The best `keep` hits; sorted best first once merged.
    top: Vec<Ranked>,
    /// Per category id: matching answers that pass every filter.
    facets: Vec<u64>,
    /// Per dimension, per value id (flat, at [`Context::offsets`]): matching answers that pass
    /// every *other* filter.
    counts: Vec<u64>,
}

impl Tally {
    /// The counts of dimension `dim`.
    fn counts(&self, context: &Context, dim: usize) -> &[u64] {
        let start = context.offsets.get(dim).copied().unwrap_or(0);
        let end = context
            .offsets
            .get(dim + 1)
            .copied()
            .unwrap_or(context.counted);
        self.counts.get(start..end).unwrap_or(&[])
    }
}

struct SegmentTally {
    context: Arc<Context>,
    /// This segment's rows.
    columns: Arc<SegmentColumns>,
    segment: SegmentOrdinal,
    total: usize,
    top: BinaryHeap<Ranked>,
    facets: Vec<u64>,
    counts: Vec<u64>,
}

impl Collector for PageCollector {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let context = self.context.clone();
        let columns = context
            .catalog
            .segments
            .get(segment as usize)
            .cloned()
            .ok_or_else(|| {
                tantivy::TantivyError::InternalError(format!(
                    "segment {segment} was not there when jiyu serve started"
                ))
            })?;
        Ok(SegmentTally {
            top: BinaryHeap::with_capacity(context.keep.min(1 << 16) + 1),
            facets: vec![0; context.catalog.dims[CATEGORY].values.len()],
            counts: vec![0; context.counted],
            columns,
            context,
            segment,
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut merged = Tally {
            total: 0,
            top: Vec::new(),
            facets: vec![0; self.context.catalog.dims[CATEGORY].values.len()],
            counts: vec![0; self.context.counted],
        };
        for fruit in fruits {
            merged.total += fruit.total;
            merged.top.extend(fruit.top);
            add(&mut merged.facets, &fruit.facets);
            add(&mut merged.counts, &fruit.counts);
        }
        merged.top.sort();
        merged.top.truncate(self.context.keep);
        Ok(merged)
    }
}

fn add(into: &mut [u64], from: &[u64]) {
    for (into, from) in into.iter_mut().zip(from) {
        *into += from;
    }
}

/// The value ids of `doc` (whose row is `row`) in dimension `dim`, categories corrected.
/// A free function over the fields it reads, so the counts can be borrowed mutably beside it.
#[inline(always)]
fn values_of<'a>(
    columns: &'a SegmentColumns,
    corrections: &'a Option<Arc<Corrections>>,
    row: &'a [u16],
    segment: usize,
    dim: usize,
    doc: DocId,
) -> &'a [u16] {
    if dim == CATEGORY {
        if let Some(ids) = corrections
            .as_ref()
            .and_then(|corrections| corrections.categories_of(segment, doc))
        {
            return ids;
        }
    }
    columns.values(row, dim, doc)
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, score: Score) {
        let columns = &*self.columns;
        let corrections = &self.context.corrections;
        let segment = self.segment as usize;
        let row = columns.row(doc);
        // Which filters the answer fails: with two or more it counts nowhere.
        let mut failed: Option<usize> = None;
        for (dim, mask) in &self.context.filters {
            let passes = values_of(columns, corrections, row, segment, *dim, doc)
                .iter()
                .any(|&value| mask.get(usize::from(value)).copied().unwrap_or(false));
            if !passes {
                if failed.is_some() {
                    return;
                }
                failed = Some(*dim);
            }
        }
        let offsets = &self.context.offsets;
        let counts = &mut self.counts;
        let mut count = |dim: usize, value: u16| {
            let at = offsets.get(dim).copied().unwrap_or(0) + usize::from(value);
            if let Some(count) = counts.get_mut(at) {
                *count += 1;
            }
        };
        if let Some(dim) = failed {
            for &value in values_of(columns, corrections, row, segment, dim, doc) {
                count(dim, value);
            }
            return;
        }
        self.total += 1;
        let corrected = corrections
            .as_ref()
            .and_then(|corrections| corrections.categories_of(segment, doc));
        let facets = &mut self.facets;
        let mut facet = |value: u16| {
            if let Some(count) = facets.get_mut(usize::from(value)) {
                *count += 1;
            }
        };
        columns.for_each(row, doc, corrected.map(|_| CATEGORY), |dim, value| {
            count(dim, value);
            if dim == CATEGORY {
                facet(value);
            }
        });
        for &value in corrected.unwrap_or(&[]) {
            count(CATEGORY, value);
            facet(value);
        }
        if self.context.keep == 0 {
            return;
        }
        let ranked = Ranked {
            score,
            segment: self.segment,
            doc,
        };
        if self.top.len() < self.context.keep {
            self.top.push(ranked);
        } else if let Some(worst) = self.top.peek() {
            if ranked < *worst {
                self.top.pop();
                self.top.push(ranked);
            }
        }
    }

    fn harvest(self) -> Tally {
        Tally {
            total: self.total,
            top: self.top.into_vec(),
            facets: self.facets,
            counts: self.counts,
        }
    }
}
