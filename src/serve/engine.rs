//! One search of the page: the query of `jiyu search` (same parser, same notation-variant
//! matching, same ranking), the filters, the corrections laid over the indexed categories, the
//! counts of every filter's values, the total and the requested page of hits.
//!
//! Filters are applied here rather than in the index query because the categories must be the
//! corrected ones, and because each filter list shows how many answers each of its values
//! would give with the *other* filters kept (so ticking 建設業 does not hide 製造業's count).
//! The category counts of the bar chart are those of the hits themselves, as with
//! `jiyu search --facets`.
//!
//! Per segment, the work is done on sets of documents, one bit each ([`Bits`]):
//!
//! 1. Each filter becomes the set of answers it lets through (the union of its values' answers
//!    from the [`Catalog`], corrected answers moved in or out by their corrected categories).
//! 2. The query runs once, unfiltered; its collector only marks each match in a set and keeps
//!    the best-scored matches that pass every filter for the page. With no query words at all
//!    (the page as it opens, review mode) every answer matches with the same score and the index
//!    is not asked at all.
//! 3. Ordering: by score (BM25, as `jiyu search`; searching by meaning, the answers with the
//!    words as typed first, then those found through synonyms, then through categories:
//!    [`crate::index::meaning`]), or by rising confidence — corrected
//!    answers count as confidence 1 — with the score, then the index order, settling ties. With
//!    no query words the least confident answers are read from the segment's answers in rising
//!    order of confidence ([`super::catalog::ConfidenceColumn`]), stopping once the page is full.
//! 4. Counting: the dimensions without a ticked filter are counted over the matches that pass
//!    every filter, in one pass; a dimension with a ticked filter over the matches that pass
//!    every *other* filter. Each pass counts answer by answer (a row read, a few increments) or,
//!    for a large set, value by value (the value's answers intersected with the set, 64 answers
//!    a word), whichever is less work ([`SegmentColumns::count`]). The categories of the
//!    corrected answers among the counted are then moved from their indexed categories to their
//!    corrected ones (and from their indexed basis to `override`). The answers below the
//!    confidence bound (要確認) are counted over the matches every other filter lets through.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::classify::{Basis, REVIEW_BELOW};
use crate::error::Error;
use crate::index::query::parse;
use crate::index::search::{SegmentTiers, Tiers};
use crate::index::{SearchHit, SearchRequest, SortBy};

use super::bits::Bits;
pub use super::catalog::Counting;
use super::catalog::{
    below_key, key_confidence, Catalog, ConfidenceKey, Kind, SegmentColumns, BASIS, CATEGORY,
    CORRECTED_CONFIDENCE, QUESTION,
};
use super::corrections::Corrections;
use super::Served;

/// What the page asks for.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub query: String,
    /// Values of one filter are alternatives; different filters must all hold.
    pub questions: Vec<String>,
    pub categories: Vec<String>,
    /// Bases ([`Basis::as_str`]) of the primary category.
    pub bases: Vec<String>,
    pub attributes: Vec<(String, String)>,
    /// Only answers whose confidence is below this (0 < bound ≤ 1); corrected answers have
    /// confidence 1 and answers of questions without a scheme none, so neither ever passes.
    pub below: Option<f64>,
    pub sort: SortBy,
    pub offset: usize,
    pub limit: usize,
    /// Snippets with the matches highlighted (the CSV download needs none).
    pub snippets: bool,
    /// Also find answers by meaning ([`SearchRequest::by_meaning`]): what the page does unless
    /// its `exact` box is ticked.
    pub by_meaning: bool,
    /// How the counts are made; the answer is the same either way (for tests and measurements).
    pub counting: Counting,
    /// Also cross the hits' categories (corrected) with the values of this attribute, which
    /// must have a column ([`Catalog::faceted_attribute`]): [`Page::cross`].
    pub cross: Option<String>,
}

/// One hit, its categories corrected: a corrected answer's basis is `override` and its
/// confidence 1.
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
    /// Per filter (question, category, basis, each listed attribute): the answers each value
    /// would match with the query and the other filters.
    pub filters: Vec<(Kind, Counts)>,
    /// The bound of 要確認: the request's `below`, else [`REVIEW_BELOW`].
    pub review_below: f64,
    /// The answers below `review_below` that the query and every filter but `below` let through.
    pub review: u64,
    /// Filter values no answer has.
    pub warnings: Vec<String>,
    /// The cross-table the request asked for ([`PageRequest::cross`]).
    pub cross: Option<CrossCounts>,
    /// Per group of categories ([`super::catalog::Catalog::groups`], in its order): the answers
    /// having any of its members (each once, categories corrected), counted over the answers
    /// the category filter list counts — the matches that pass every filter but the category
    /// filter.
    pub groups: Vec<GroupCount>,
}

/// A group of categories and its count on the page ([`Page::groups`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub id: String,
    pub label: String,
    /// Its members' category ids.
    pub members: Vec<String>,
    pub count: u64,
}

/// The hits' categories × the values of one attribute. A corrected answer counts under its
/// corrected categories; an answer with several categories counts in each of their rows, so a
/// column's counts may add up to more than its answers.
#[derive(Debug, Clone, Default)]
pub struct CrossCounts {
    pub attribute: String,
    /// Per value of the attribute, in the page's order (natural order), then `None` for the
    /// hits without a value if there are any: the hits that have it.
    pub columns: Vec<(Option<String>, u64)>,
    /// Per category any hit has, in the schemes' order: its hits in each column (as
    /// `columns`), and its hits in all.
    pub rows: Vec<(String, Vec<u64>, u64)>,
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
    for basis in &request.bases {
        select(BASIS, basis, &mut warnings);
    }
    for (name, value) in &request.attributes {
        match catalog.faceted_attribute(name.trim()) {
            Some(dim) => select(dim, value, &mut warnings),
            None => index_filters.push((name.clone(), value.clone())),
        }
    }
    let cross = match &request.cross {
        Some(name) => Some(catalog.faceted_attribute(name.trim()).ok_or_else(|| {
            SearchError::Query(QueryProblem {
                message: unknown_cross(catalog, name),
                column: None,
            })
        })?),
        None => None,
    };
    // No word to look for and no filter left to the index: every answer matches, all with the
    // score of tantivy's AllQuery, so the index need not be asked.
    let every = parsed.groups.is_empty() && parsed.excluded.is_empty() && index_filters.is_empty();
    let index_request = SearchRequest {
        query: request.query.clone(),
        filters: index_filters,
        by_meaning: request.by_meaning,
        ..SearchRequest::default()
    };
    let compiled = served
        .index
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
    // Each dimension's counts: its values, then the two markers of SegmentColumns' rows.
    let mut offsets = Vec::with_capacity(catalog.dims.len());
    let mut counted = 0;
    for dim in &catalog.dims {
        offsets.push(counted);
        counted += dim.values.len() + 2;
    }
    let review_below = request.below.unwrap_or(REVIEW_BELOW);
    let context = Arc::new(Context {
        tiers: compiled.tiers.clone(),
        override_id: catalog.basis_id(Basis::Override),
        catalog: served.catalog.clone(),
        corrections: corrections.clone(),
        filters,
        below: request.below.map(below_key),
        review_key: below_key(review_below),
        sort: request.sort,
        keep: request.offset.saturating_add(request.limit),
        offsets,
        counted,
        counting: request.counting,
        cross,
        groups_of: groups_of(catalog),
    });
    let collector = PageCollector {
        context: context.clone(),
    };
    let tally = if every {
        let mut fruits = Vec::with_capacity(catalog.segments.len());
        for (segment, columns) in catalog.segments.iter().enumerate() {
            let mut tally = SegmentTally::new(context.clone(), segment as SegmentOrdinal, columns);
            tally.matched = columns.alive().clone();
            tally.every = true;
            fruits.push(tally.harvest());
        }
        collector
            .merge_fruits(fruits)
            .map_err(|err| crate::index::index_error(std::path::Path::new(&served.dir()), err))?
    } else {
        served
            .snapshot
            .search(&*compiled.query, &collector)
            .map_err(|err| crate::index::index_error(std::path::Path::new(&served.dir()), err))?
    };

    let mut hits = Vec::with_capacity(request.limit);
    for ranked in tally.top.iter().skip(request.offset).take(request.limit) {
        let address = DocAddress::new(ranked.segment, ranked.doc);
        let matcher = request.snippets.then_some(&compiled.matcher);
        let mut hit = served
            .index
            .hit(&served.snapshot, address, ranked.score, matcher)?;
        let overridden = match corrections.by_id.get(&hit.id) {
            Some(correction) => {
                hit.categories = correction.categories.clone();
                hit.basis = Basis::Override;
                hit.confidence = key_confidence(CORRECTED_CONFIDENCE);
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
            .take(values.len())
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
            let counts = tally.counts(&context, dim);
            let listed = dimension
                .order
                .iter()
                .map(|&id| {
                    let count = counts.get(usize::from(id)).copied().unwrap_or(0);
                    (dimension.values.name(id).to_string(), count)
                })
                .collect();
            (dimension.kind.clone(), listed)
        })
        .collect();
    let cross = cross.map(|by| cross_counts(catalog, by, &tally));
    let groups = catalog
        .groups
        .iter()
        .zip(&tally.groups)
        .map(|(group, count)| GroupCount {
            id: group.id.clone(),
            label: group.label.clone(),
            members: group
                .members
                .iter()
                .map(|&id| catalog.dims[CATEGORY].values.name(id).to_string())
                .collect(),
            count: *count,
        })
        .collect();
    Ok(Page {
        total: tally.total,
        hits,
        facets,
        filters,
        review_below,
        review: tally.review,
        warnings,
        cross,
        groups,
    })
}

/// Per category id of `catalog`, the positions of the groups it belongs to.
fn groups_of(catalog: &Catalog) -> Vec<Vec<usize>> {
    if catalog.groups.is_empty() {
        return Vec::new();
    }
    let mut of = vec![Vec::new(); catalog.dims[CATEGORY].values.len()];
    for (at, group) in catalog.groups.iter().enumerate() {
        for &member in &group.members {
            if let Some(groups) = of.get_mut(usize::from(member)) {
                groups.push(at);
            }
        }
    }
    of
}

/// Names the joint counts of `tally` by the values of dimension `by`: the columns in the
/// dimension's order (then the hits without a value, if any), the rows of the categories any
/// hit has.
fn cross_counts(catalog: &Catalog, by: usize, tally: &Tally) -> CrossCounts {
    let dimension = &catalog.dims[by];
    let width = dimension.values.len() + 1;
    let mut order: Vec<usize> = dimension.order.iter().map(|&id| usize::from(id)).collect();
    if tally.cross_answers.get(width - 1).copied().unwrap_or(0) > 0 {
        order.push(width - 1);
    }
    let columns = order
        .iter()
        .map(|&column| {
            let name =
                (column < width - 1).then(|| dimension.values.name(column as u16).to_string());
            (name, tally.cross_answers.get(column).copied().unwrap_or(0))
        })
        .collect();
    let categories = &catalog.dims[CATEGORY];
    let rows = categories
        .order
        .iter()
        .filter_map(|&category| {
            let start = usize::from(category) * width;
            let cells: Vec<u64> = order
                .iter()
                .map(|&column| tally.cross.get(start + column).copied().unwrap_or(0))
                .collect();
            let total = tally
                .facets
                .get(usize::from(category))
                .copied()
                .unwrap_or(0);
            (total > 0).then(|| (categories.values.name(category).to_string(), cells, total))
        })
        .collect();
    let attribute = match &dimension.kind {
        Kind::Attribute(name) => name.clone(),
        _ => String::new(),
    };
    CrossCounts {
        attribute,
        columns,
        rows,
    }
}

/// Why `name` cannot be cross-tabulated, with the attributes that can.
fn unknown_cross(catalog: &Catalog, name: &str) -> String {
    let listed: Vec<&str> = catalog
        .dims
        .iter()
        .filter_map(|dim| match &dim.kind {
            Kind::Attribute(attribute) => Some(attribute.as_str()),
            _ => None,
        })
        .collect();
    if listed.is_empty() {
        format!(
            "属性「{}」で集計できません（この索引の回答には集計できる属性がありません）",
            name.trim()
        )
    } else {
        format!(
            "属性「{}」で集計できません（集計できる属性: {}）",
            name.trim(),
            listed.join("、")
        )
    }
}

fn unknown_value(kind: &Kind, value: &str) -> String {
    match kind {
        Kind::Question => format!("設問「{value}」の回答はありません"),
        Kind::Category => format!("カテゴリ「{value}」はありません"),
        Kind::Basis => format!("分類の根拠「{value}」はありません"),
        Kind::Attribute(name) => format!("{name}が「{value}」の回答はありません"),
    }
}

/// What every segment's collector shares.
struct Context {
    /// Searching by meaning: the tiers hits are ranked in.
    tiers: Option<Arc<Tiers>>,
    catalog: Arc<Catalog>,
    corrections: Arc<Corrections>,
    /// (dimension, selected value ids) of each active filter.
    filters: Vec<(usize, Vec<bool>)>,
    /// The key below which the confidence filter lets answers through, when there is one.
    below: Option<ConfidenceKey>,
    /// The key below which answers are counted as 要確認.
    review_key: ConfidenceKey,
    sort: SortBy,
    /// The id of `override` in the basis dimension: every corrected answer's basis.
    override_id: u16,
    /// Hits to keep, best first: offset + limit.
    keep: usize,
    /// Where each dimension's counts start in a flat count vector (each dimension's values,
    /// then two spare slots), and its length.
    offsets: Vec<usize>,
    counted: usize,
    counting: Counting,
    /// The attribute dimension the categories are crossed with, when asked.
    cross: Option<usize>,
    /// Per category id, the positions of the groups it belongs to in the catalog's groups
    /// (empty when the schemes have no group).
    groups_of: Vec<Vec<usize>>,
}

struct PageCollector {
    context: Arc<Context>,
}

/// A hit's rank: lower key first (the confidence when sorting by it, else 0 for all), then the
/// better tier (searching by meaning), then higher score, then index order (as tantivy's own
/// top-docs).
#[derive(Debug, Clone, Copy)]
struct Ranked {
    key: ConfidenceKey,
    /// [`SegmentTiers::rank`]: higher is better; 0 for all without tiers.
    tier: u8,
    score: Score,
    segment: SegmentOrdinal,
    doc: DocId,
}

impl Ranked {
    /// Better hits compare as smaller, so a max-heap keeps the worst on top.
    fn rank(&self, other: &Ranked) -> Ordering {
        self.key
            .cmp(&other.key)
            .then_with(|| other.tier.cmp(&self.tier))
            .then_with(|| other.score.total_cmp(&self.score))
            .then_with(|| (self.segment, self.doc).cmp(&(other.segment, other.doc)))
    }
}

/// Keeps `ranked` in `top` if it is among the best `keep`.
fn offer(top: &mut BinaryHeap<Ranked>, keep: usize, ranked: Ranked) {
    if keep == 0 {
        return;
    }
    if top.len() < keep {
        top.push(ranked);
    } else if let Some(worst) = top.peek() {
        if ranked < *worst {
            top.pop();
            top.push(ranked);
        }
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
    /// Per category id: matching answers that pass every filter (then two spare slots).
    facets: Vec<u64>,
    /// Per dimension, per value id (flat, at [`Context::offsets`]): matching answers that pass
    /// every *other* filter.
    counts: Vec<u64>,
    /// Matching answers below the review bound that pass every filter but the confidence's.
    review: u64,
    /// With [`Context::cross`] (its values and one column for no value: `width` columns):
    /// per category id, per column, the hits with both (flat, `category * width + column`);
    /// empty without.
    cross: Vec<u64>,
    /// Per column, the hits with the value.
    cross_answers: Vec<u64>,
    /// Per group of categories ([`Page::groups`]).
    groups: Vec<u64>,
}

impl Tally {
    /// The counts of dimension `dim`.
    fn counts(&self, context: &Context, dim: usize) -> &[u64] {
        let start = context.offsets.get(dim).copied().unwrap_or(0);
        let len = context
            .catalog
            .dims
            .get(dim)
            .map_or(0, |dimension| dimension.values.len());
        self.counts.get(start..start + len).unwrap_or(&[])
    }
}

struct SegmentTally {
    context: Arc<Context>,
    /// This segment's columns.
    columns: Arc<SegmentColumns>,
    segment: SegmentOrdinal,
    /// The query's matches.
    matched: Bits,
    /// Every answer matched with the score 1 (no query words): the page is the first answers
    /// the filters let through.
    every: bool,
    /// Per filter of the context, then the confidence filter if there is one: the answers it
    /// lets through, corrections included.
    passes: Vec<Bits>,
    /// The answers every filter lets through; `None` without filters.
    pass: Option<Bits>,
    /// When sorting by confidence: the corrected answers of the segment (confidence 1).
    corrected: Option<Bits>,
    /// Searching by meaning: which tier each match is of.
    tiers: Option<SegmentTiers>,
    top: BinaryHeap<Ranked>,
}

impl SegmentTally {
    fn new(
        context: Arc<Context>,
        segment: SegmentOrdinal,
        columns: &Arc<SegmentColumns>,
    ) -> SegmentTally {
        let max_doc = columns.max_doc();
        let corrections = &context.corrections;
        let selected = |mask: &[bool], id: u16| mask.get(usize::from(id)).copied().unwrap_or(false);
        let mut passes: Vec<Bits> = context
            .filters
            .iter()
            .map(|(dim, mask)| {
                let mut set = Bits::new(max_doc);
                columns.add_values(*dim, mask, &mut set);
                if *dim == CATEGORY || *dim == BASIS {
                    for (doc, corrected) in corrections.corrected(segment as usize) {
                        let lets_through = if *dim == CATEGORY {
                            corrected.iter().any(|&id| selected(mask, id))
                        } else {
                            selected(mask, context.override_id)
                        };
                        if lets_through {
                            set.insert(doc);
                        } else {
                            set.remove(doc);
                        }
                    }
                }
                set
            })
            .collect();
        if let Some(key) = context.below {
            let mut set = Bits::new(max_doc);
            columns.confidence().add_below(key, &mut set);
            // A corrected answer has confidence 1: below no bound.
            for (doc, _) in corrections.corrected(segment as usize) {
                set.remove(doc);
            }
            passes.push(set);
        }
        let corrected = (context.sort == SortBy::Confidence).then(|| {
            let mut set = Bits::new(max_doc);
            for (doc, _) in corrections.corrected(segment as usize) {
                set.insert(doc);
            }
            set
        });
        let pass = passes.split_first().map(|(first, rest)| {
            let mut all = first.clone();
            for set in rest {
                all.intersect_with(set);
            }
            all
        });
        SegmentTally {
            top: BinaryHeap::with_capacity(context.keep.min(1 << 16) + 1),
            matched: Bits::new(max_doc),
            every: false,
            columns: columns.clone(),
            context,
            segment,
            passes,
            pass,
            corrected,
            tiers: None,
        }
    }

    /// The key `doc` is ranked by: its confidence when sorting by it (1 when corrected), else 0.
    #[inline]
    fn key(&self, doc: DocId) -> ConfidenceKey {
        match &self.corrected {
            None => 0,
            Some(corrected) if corrected.contains(doc) => CORRECTED_CONFIDENCE,
            Some(_) => self.columns.confidence().key(doc),
        }
    }

    /// The best `keep` of `hits` by rising confidence, when every answer matched with the same
    /// score: the corrected ones (confidence 1), then the others read in rising order of their
    /// indexed confidence until no later one can make the page.
    fn least_confident(&self, hits: &Bits) -> Vec<Ranked> {
        let keep = self.context.keep;
        let mut top: BinaryHeap<Ranked> = BinaryHeap::with_capacity(keep.min(1 << 16) + 1);
        let ranked = |key, doc| Ranked {
            key,
            tier: 0,
            score: 1.0,
            segment: self.segment,
            doc,
        };
        let corrected = self.corrected.as_ref();
        for (doc, _) in self.context.corrections.corrected(self.segment as usize) {
            if hits.contains(doc) {
                offer(&mut top, keep, ranked(CORRECTED_CONFIDENCE, doc));
            }
        }
        let confidence = self.columns.confidence();
        for &doc in confidence.rising() {
            let key = confidence.key(doc);
            // Later answers have this key or a higher one and come later in index order: none
            // can beat a full page's worst unless it has a lower key, or the same key as a
            // corrected answer further down the index.
            let full = top.len() >= keep;
            if full
                && top.peek().is_none_or(|worst| {
                    key > worst.key || (key == worst.key && key != CORRECTED_CONFIDENCE)
                })
            {
                break;
            }
            if corrected.is_some_and(|corrected| corrected.contains(doc)) || !hits.contains(doc) {
                continue;
            }
            offer(&mut top, keep, ranked(key, doc));
        }
        top.into_vec()
    }

    /// Adds the counts of `dims` ((dimension, offset) pairs) over `set` to `counts`, the
    /// categories of corrected answers as corrected.
    fn count(&self, set: &Bits, dims: &[(usize, usize)], counts: &mut [u64]) {
        let columns = &*self.columns;
        columns.count(set, dims, counts, self.context.counting);
        for &(dim, offset) in dims {
            if dim != CATEGORY && dim != BASIS {
                continue;
            }
            for (doc, corrected) in self.context.corrections.corrected(self.segment as usize) {
                if !set.contains(doc) {
                    continue;
                }
                for &id in columns.values(dim, doc) {
                    if let Some(count) = counts.get_mut(offset + usize::from(id)) {
                        *count = count.saturating_sub(1);
                    }
                }
                let now: &[u16] = if dim == CATEGORY {
                    corrected
                } else {
                    std::slice::from_ref(&self.context.override_id)
                };
                for &id in now {
                    if let Some(count) = counts.get_mut(offset + usize::from(id)) {
                        *count += 1;
                    }
                }
            }
        }
    }

    /// The corrected categories of the segment's corrected answers, by answer.
    fn corrected_categories(&self) -> HashMap<DocId, &[u16]> {
        self.context
            .corrections
            .corrected(self.segment as usize)
            .collect()
    }

    /// The categories of `doc`: its corrected ones when `corrected`
    /// ([`Self::corrected_categories`]) has it, else the indexed ones.
    fn categories<'a>(&'a self, corrected: &HashMap<DocId, &'a [u16]>, doc: DocId) -> &'a [u16] {
        match corrected.get(&doc) {
            Some(categories) => categories,
            None => self.columns.values(CATEGORY, doc),
        }
    }

    /// The joint counts of the categories (corrected) and the values of dimension `by` over
    /// `set`, answer by answer, and each value's answers ([`Tally::cross`]).
    fn cross(&self, set: &Bits, by: usize) -> (Vec<u64>, Vec<u64>) {
        let catalog = &self.context.catalog;
        let width = catalog.dims[by].values.len() + 1;
        let rows = catalog.dims[CATEGORY].values.len();
        let mut joint = vec![0u64; rows * width];
        let mut answers = vec![0u64; width];
        let corrected = self.corrected_categories();
        let none = [(width - 1) as u16];
        for doc in set.iter() {
            let values = match self.columns.values(by, doc) {
                [] => &none[..],
                values => values,
            };
            let categories = self.categories(&corrected, doc);
            for &value in values {
                let value = usize::from(value);
                if let Some(count) = answers.get_mut(value) {
                    *count += 1;
                }
                for &category in categories {
                    if let Some(count) = joint.get_mut(usize::from(category) * width + value) {
                        *count += 1;
                    }
                }
            }
        }
        (joint, answers)
    }

    /// Per group of categories, the answers of `set` having any of its members (each once),
    /// the categories of corrected answers as corrected.
    fn count_groups(&self, set: &Bits) -> Vec<u64> {
        let groups = self.context.catalog.groups.len();
        let mut counts = vec![0u64; groups];
        if groups == 0 {
            return counts;
        }
        let corrected = self.corrected_categories();
        // The last answer counted in each group, so an answer with two members counts once.
        let mut last: Vec<Option<DocId>> = vec![None; groups];
        for doc in set.iter() {
            for &category in self.categories(&corrected, doc) {
                let Some(of) = self.context.groups_of.get(usize::from(category)) else {
                    continue;
                };
                for &group in of {
                    if last[group] != Some(doc) {
                        last[group] = Some(doc);
                        counts[group] += 1;
                    }
                }
            }
        }
        counts
    }

    /// How many answers of `set` are below the review bound, corrected ones (confidence 1) not.
    fn count_review(&self, set: &Bits) -> u64 {
        let key = self.context.review_key;
        let confidence = self.columns.confidence();
        let below = if key == below_key(REVIEW_BELOW) {
            set.and_count(confidence.review())
        } else {
            let mut below = Bits::new(set.len());
            confidence.add_below(key, &mut below);
            set.and_count(&below)
        };
        let corrected_below = self
            .context
            .corrections
            .corrected(self.segment as usize)
            .filter(|(doc, _)| set.contains(*doc) && confidence.key(*doc) < key)
            .count() as u64;
        below.saturating_sub(corrected_below)
    }
}

impl Collector for PageCollector {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let columns = self
            .context
            .catalog
            .segments
            .get(segment as usize)
            .filter(|columns| columns.max_doc() == reader.max_doc())
            .ok_or_else(|| {
                tantivy::TantivyError::InternalError(format!(
                    "segment {segment} was not there when jiyu serve started"
                ))
            })?;
        let mut tally = SegmentTally::new(self.context.clone(), segment, columns);
        tally.tiers = self
            .context
            .tiers
            .as_ref()
            .map(|tiers| tiers.segment(reader));
        Ok(tally)
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut merged = Tally {
            total: 0,
            top: Vec::new(),
            facets: vec![0; self.context.catalog.dims[CATEGORY].values.len() + 2],
            counts: vec![0; self.context.counted],
            review: 0,
            cross: Vec::new(),
            cross_answers: Vec::new(),
            groups: vec![0; self.context.catalog.groups.len()],
        };
        for fruit in fruits {
            merged.total += fruit.total;
            merged.review += fruit.review;
            merged.top.extend(fruit.top);
            add(&mut merged.facets, &fruit.facets);
            add(&mut merged.counts, &fruit.counts);
            add_growing(&mut merged.cross, &fruit.cross);
            add_growing(&mut merged.cross_answers, &fruit.cross_answers);
            add(&mut merged.groups, &fruit.groups);
        }
        merged.top.sort();
        merged.top.truncate(self.context.keep);
        Ok(merged)
    }
}

/// [`add`], `into` first grown to the length of `from`.
fn add_growing(into: &mut Vec<u64>, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    add(into, from);
}

fn add(into: &mut [u64], from: &[u64]) {
    for (into, from) in into.iter_mut().zip(from) {
        *into += from;
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tally;

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        self.matched.insert(doc);
        if let Some(pass) = &self.pass {
            if !pass.contains(doc) {
                return;
            }
        }
        if self.context.keep == 0 {
            return;
        }
        let key = self.key(doc);
        let tier = match &self.tiers {
            None => 0,
            Some(tiers) => {
                // A full page whose worst hit ranks above this answer whatever its tier keeps
                // it out: no need to read its tier. (Answers come in rising order, so an equal
                // key, tier and score loses too.)
                if let Some(worst) = self.top.peek() {
                    let kept_out = worst.key < key
                        || (worst.key == key
                            && worst.tier == tiers.best()
                            && score.total_cmp(&worst.score) != Ordering::Greater);
                    if self.top.len() >= self.context.keep && kept_out {
                        return;
                    }
                }
                tiers.rank(doc)
            }
        };
        let ranked = Ranked {
            key,
            tier,
            score,
            segment: self.segment,
            doc,
        };
        offer(&mut self.top, self.context.keep, ranked);
    }

    fn harvest(mut self) -> Tally {
        let context = self.context.clone();
        let offsets = &context.offsets;
        let at = |dim: usize| (dim, offsets.get(dim).copied().unwrap_or(0));
        let matched = std::mem::replace(&mut self.matched, Bits::new(0));
        // The matches every filter lets through: the hits (the matches themselves when nothing
        // is filtered, and then no dimension is counted over anything else).
        let (hits, matched) = match &self.pass {
            Some(pass) => {
                let mut hits = matched.clone();
                hits.intersect_with(pass);
                (hits, Some(matched))
            }
            None => (matched, None),
        };
        let mut counts = vec![0; context.counted];
        // The dimensions without a ticked filter, over the hits, in one pass.
        let free: Vec<(usize, usize)> = (0..context.catalog.dims.len())
            .filter(|dim| !context.filters.iter().any(|(filtered, _)| filtered == dim))
            .map(at)
            .collect();
        self.count(&hits, &free, &mut counts);
        // A dimension with a ticked filter: over the matches every other filter lets through.
        let others = |index: usize| -> Option<Bits> {
            let mut others = matched.as_ref()?.clone();
            for (other, set) in self.passes.iter().enumerate() {
                if other != index {
                    others.intersect_with(set);
                }
            }
            Some(others)
        };
        let mut groups = Vec::new();
        for (index, (dim, _)) in context.filters.iter().enumerate() {
            if let Some(others) = others(index) {
                self.count(&others, &[at(*dim)], &mut counts);
                if *dim == CATEGORY {
                    groups = self.count_groups(&others);
                }
            }
        }
        // The groups are counted over the answers the category list is counted over.
        if free.iter().any(|(dim, _)| *dim == CATEGORY) {
            groups = self.count_groups(&hits);
        }
        // 要確認: with the confidence filter on, over the matches every other filter lets
        // through (its pass is the last); else over the hits.
        let review = match context.below.and_then(|_| others(context.filters.len())) {
            Some(others) => self.count_review(&others),
            None => self.count_review(&hits),
        };
        let categories = context.catalog.dims[CATEGORY].values.len() + 2;
        let facets = if free.iter().any(|(dim, _)| *dim == CATEGORY) {
            let start = offsets[CATEGORY];
            counts[start..start + categories].to_vec()
        } else {
            let mut facets = vec![0; categories];
            self.count(&hits, &[(CATEGORY, 0)], &mut facets);
            facets
        };
        let top = match (self.every, context.sort) {
            (true, SortBy::Relevance) => hits
                .iter()
                .take(context.keep)
                .map(|doc| Ranked {
                    key: 0,
                    tier: 0,
                    score: 1.0,
                    segment: self.segment,
                    doc,
                })
                .collect(),
            (true, SortBy::Confidence) => self.least_confident(&hits),
            (false, _) => std::mem::take(&mut self.top).into_vec(),
        };
        let (cross, cross_answers) = match context.cross {
            Some(by) => self.cross(&hits, by),
            None => (Vec::new(), Vec::new()),
        };
        Tally {
            total: hits.count() as usize,
            top,
            facets,
            counts,
            review,
            cross,
            cross_answers,
            groups,
        }
    }
}
