//! Searching the index: a query and filters in, ranked hits with snippets and category counts
//! out.
//!
//! Each query word becomes "its base forms as consecutive tokens OR its characters as bigrams"
//! (see [`Pattern`]); the words are ANDed, `OR` groups are unions, `-word` excludes. Filters
//! (question, category, attribute, basis, confidence below a bound) restrict without scoring.
//! Repeating a filter widens it (`--category a --category b`: either), different filters narrow
//! (question and category). Hits are ranked by BM25 over both text fields, or by rising
//! confidence ([`SortBy::Confidence`]).
//!
//! With [`SearchRequest::by_meaning`] each word also stands for its synonyms and the categories
//! it names, and hits are ranked in tiers (see [`crate::index::meaning`]).

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;

use tantivy::collector::{
    Collector, Count, DocSetCollector, FacetCollector, MultiCollector, SegmentCollector, TopDocs,
};
use tantivy::columnar::Column;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, SegmentOrdinal, SegmentReader,
    TantivyDocument, Term,
};

use crate::classify::Basis;
use crate::error::{Error, Result};
use crate::rules::scheme::is_category_id;

use super::highlight::{
    snippet, ConceptHit, MatchConcept, MatchWord, MatchedWord, Matcher, Pattern, Snippet,
};
use super::marks::{MarkBoard, Marked, SegmentMarks};
use super::meaning::{expand, Concepts, SAME_LEXEME_BOOST, SYNONYM_BOOST};
use super::phrase_workaround::GuardedPhrase;
use super::query::{parse, ParsedQuery, Term as QueryTerm};
use super::schema::{attribute_term, index_error, open_existing, schema, Fields};
use super::schema::{basis_of, confidences, Confidences, ATTRIBUTE_SEPARATOR, BASIS};
use super::tokenizer::is_word_char;
use super::tokenizer::HasAnalyzer;
use crate::text::natural_cmp;

/// Characters of answer a snippet shows at most.
pub const SNIPPET_CHARS: usize = 80;

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query (see [`crate::index::query`]); empty matches every answer the filters allow.
    pub query: String,
    /// Only answers of these questions (any of them); empty for all.
    pub questions: Vec<String>,
    /// Only answers in these categories (any of them); empty for all.
    pub categories: Vec<String>,
    /// Only answers with these attribute values: (name, value). Values of one name are
    /// alternatives; different names must all hold.
    pub filters: Vec<(String, String)>,
    /// Only answers whose primary category rests on one of these; empty for all.
    pub bases: Vec<Basis>,
    /// Only answers whose confidence is below this bound (0 < bound ≤ 1): the answers to
    /// review. Answers without a confidence (questions no scheme sorts) never pass.
    pub below: Option<f64>,
    /// How many hits to return, best first.
    pub limit: usize,
    /// How hits are ordered.
    pub sort: SortBy,
    /// Count the categories and the bases of all matching answers.
    pub facets: bool,
    /// Also find answers by meaning: each word's synonyms and the categories it names, ranked
    /// below the answers that have the words as typed (see [`crate::index::meaning`]). Off, a
    /// search finds what it always found (`jiyu search --exact`).
    pub by_meaning: bool,
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Best match first (BM25); index order when nothing is typed.
    #[default]
    Relevance,
    /// Least confident first; equal confidences by relevance, answers without a confidence
    /// last.
    Confidence,
}

/// Checks a bound of [`SearchRequest::below`]: a number above 0 and at most 1.
pub fn check_below(bound: f64) -> std::result::Result<f64, String> {
    if bound > 0.0 && bound <= 1.0 {
        Ok(bound)
    } else {
        Err(format!(
            "{bound} is not a confidence bound: give a number above 0 and at most 1 (e.g. 0.5)"
        ))
    }
}

/// One matching answer.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub id: String,
    pub question: String,
    /// The answer as the respondent wrote it.
    pub text: String,
    /// Strongest first.
    pub categories: Vec<String>,
    /// In input order.
    pub attributes: Vec<(String, String)>,
    pub score: f32,
    pub snippet: Snippet,
    /// What the primary category rests on.
    pub basis: Basis,
    /// The confidence of the primary category as indexed (three decimals); `None` for answers
    /// of questions no scheme sorts.
    pub confidence: Option<f64>,
    /// The query's words found in the answer (typed words, and synonyms when searching by
    /// meaning), each once, in query order; what the snippet highlights.
    pub matched: Vec<MatchedWord>,
    /// Searching by meaning: the categories the answer was found through, for a query word
    /// none of whose words the answer contains.
    pub concepts: Vec<ConceptHit>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// Number of answers that match (all of them, not just the hits returned).
    pub total: usize,
    pub hits: Vec<SearchHit>,
    /// With `facets`: (category, answers) of all matching answers, most frequent first.
    pub facets: Vec<(String, u64)>,
    /// With `facets`: (basis, answers) of all matching answers, in the order of [`Basis::ALL`],
    /// bases no answer has left out. Every answer has one basis, so they add up to `total`.
    pub bases: Vec<(Basis, u64)>,
    /// Filters naming a value no answer has, each with the values the index does have.
    pub warnings: Vec<String>,
}

/// An open index, ready to answer many searches.
pub struct Searcher {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    analyzer: Arc<dyn HasAnalyzer>,
    /// The index directory, for messages.
    dir: String,
    /// The categories query words can name when searching by meaning; none until
    /// [`Searcher::with_rules`].
    concepts: Option<Arc<Concepts>>,
}

/// Opens the jiyu index in `dir`. `analyzer` must be the one the index was built with (the same
/// user dictionaries), so queries are cut into the same tokens.
pub fn open_index(dir: &Path, analyzer: Arc<dyn HasAnalyzer>) -> Result<Searcher> {
    let index = open_existing(dir, analyzer.clone())?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|err| index_error(dir, err))?;
    Ok(Searcher {
        index,
        reader,
        fields: schema().1,
        analyzer,
        dir: dir.display().to_string(),
        concepts: None,
    })
}

/// A compiled query: the tantivy query and what to highlight.
pub(crate) struct Compiled {
    pub query: Box<dyn Query>,
    pub matcher: Matcher,
    /// Searching by meaning: the tiers hits are ranked in, read from what [`Compiled::query`]
    /// marks as it runs; `None` when every hit is of one tier.
    pub tiers: Option<Arc<Tiers>>,
}

impl Searcher {
    /// The same searcher, whose query words name the categories of `schemes` when searching by
    /// meaning (the rules the index was classified with: [`SchemeOutline::of`] of each scheme
    /// of a rule set, or [`crate::rules::scheme::read_outlines`]).
    ///
    /// [`SchemeOutline::of`]: crate::rules::scheme::SchemeOutline::of
    pub fn with_schemes(mut self, schemes: &[crate::rules::scheme::SchemeOutline]) -> Searcher {
        self.concepts = Some(Arc::new(Concepts::new(schemes, self.analyzer.analyzer())));
        self
    }

    /// [`Searcher::with_schemes`] with the schemes of a loaded rule set.
    pub fn with_rules(self, rules: &crate::rules::scheme::RuleSet) -> Searcher {
        let schemes: Vec<_> = rules
            .schemes
            .iter()
            .map(crate::rules::scheme::SchemeOutline::of)
            .collect();
        self.with_schemes(&schemes)
    }

    /// Number of answers in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The tantivy index (for tools that want to read it directly).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        if let Some(bound) = request.below {
            check_below(bound).map_err(Error::Usage)?;
        }
        self.check_categories(request)?;
        let parsed =
            parse(&request.query).map_err(|err| Error::Usage(err.render(&request.query)))?;
        let compiled = self.compile(&parsed, &request.query, request)?;
        let searcher = self.reader.searcher();
        let error = |err| index_error(Path::new(&self.dir), err);
        let tiers = compiled.tiers.clone();
        // One pass over the matches, with the collectors this request needs.
        let mut collectors = MultiCollector::new();
        let count = collectors.add_collector(Count);
        // TopDocs reserves room for twice its limit: never ask for more than there are.
        let limit = request.limit.min(searcher.num_docs() as usize);
        let relevance = limit > 0 && request.sort == SortBy::Relevance;
        let by_score = (relevance && tiers.is_none())
            .then(|| collectors.add_collector(TopDocs::with_limit(limit).order_by_score()));
        let by_tier = tiers.clone().filter(|_| relevance).map(|tiers| {
            collectors.add_collector(TopDocs::with_limit(limit).tweak_score(
                move |segment: &SegmentReader| {
                    let ranks = tiers.segment(segment);
                    move |doc: DocId, score: Score| (ranks.rank(doc), score)
                },
            ))
        });
        let by_confidence = (limit > 0 && request.sort == SortBy::Confidence).then(|| {
            collectors.add_collector(
                TopDocs::with_limit(limit).tweak_score(rising_confidence(tiers.clone())),
            )
        });
        let (categories, bases) = if request.facets {
            let mut facet_collector = FacetCollector::for_field("categories");
            facet_collector.add_facet(Facet::root());
            (
                Some(collectors.add_collector(facet_collector)),
                Some(collectors.add_collector(BasisCounts)),
            )
        } else {
            (None, None)
        };
        let mut fruits = searcher
            .search(&compiled.query, &collectors)
            .map_err(error)?;
        let total = count.extract(&mut fruits);
        let mut top: Vec<(Score, DocAddress)> = by_score
            .map(|handle| handle.extract(&mut fruits))
            .unwrap_or_default();
        if let Some(handle) = by_tier {
            top = handle
                .extract(&mut fruits)
                .into_iter()
                .map(|((_, score), address)| (score, address))
                .collect();
        }
        if let Some(handle) = by_confidence {
            top = handle
                .extract(&mut fruits)
                .into_iter()
                .map(|((_, _, score), address)| (score, address))
                .collect();
        }
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            hits.push(self.hit(&searcher, address, score, Some(&compiled.matcher))?);
        }
        let mut facets: Vec<(String, u64)> = categories
            .map(|handle| {
                handle
                    .extract(&mut fruits)
                    .get(Facet::root())
                    .map(|(facet, count)| (facet.to_path().join("/"), count))
                    .collect()
            })
            .unwrap_or_default();
        facets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let bases: Vec<(Basis, u64)> = bases
            .map(|handle| {
                Basis::ALL
                    .into_iter()
                    .zip(handle.extract(&mut fruits))
                    .filter(|(_, count)| *count > 0)
                    .collect()
            })
            .unwrap_or_default();
        let warnings = if total == 0 {
            self.filter_warnings(request)?
        } else {
            Vec::new()
        };
        Ok(SearchResults {
            total,
            hits,
            facets,
            bases,
            warnings,
        })
    }

    /// The index directory, for messages.
    pub fn dir(&self) -> &str {
        &self.dir
    }

    /// A snapshot of the index's segments as they are now: every search through it sees
    /// the same answers (this searcher never reloads on its own).
    pub fn snapshot(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// The fields of the index, for the other modules of [`crate::index`].
    pub(super) fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The analyzer the index was built with.
    pub(super) fn analyzer(&self) -> &dyn HasAnalyzer {
        self.analyzer.as_ref()
    }

    /// The answer with id `id` in `snapshot` (the first, should an index hold it twice),
    /// without a snippet.
    pub fn find(
        &self,
        snapshot: &tantivy::Searcher,
        id: &str,
    ) -> Result<Option<(DocAddress, SearchHit)>> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let addresses = snapshot
            .search(&query, &DocSetCollector)
            .map_err(|err| index_error(Path::new(&self.dir), err))?;
        let Some(address) = addresses.into_iter().min() else {
            return Ok(None);
        };
        let hit = self.hit(snapshot, address, 0.0, None)?;
        Ok(Some((address, hit)))
    }

    /// The text of the stored answer at `address` in `snapshot`, if it has one.
    pub fn stored_text(
        &self,
        snapshot: &tantivy::Searcher,
        address: DocAddress,
    ) -> Result<Option<String>> {
        let document: TantivyDocument = snapshot
            .doc(address)
            .map_err(|err| index_error(Path::new(&self.dir), err))?;
        Ok(document
            .get_first(self.fields.text)
            .and_then(|value| value.as_str())
            .map(str::to_string))
    }

    /// The stored answer at `address` as a hit, its snippet highlighting `matcher`'s matches
    /// (no snippet without a matcher).
    pub(crate) fn hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: f32,
        matcher: Option<&Matcher>,
    ) -> Result<SearchHit> {
        let document: TantivyDocument = searcher
            .doc(address)
            .map_err(|err| index_error(Path::new(&self.dir), err))?;
        let text = first_str(&document, self.fields.text);
        let question = first_str(&document, self.fields.question);
        let categories: Vec<String> = document
            .get_all(self.fields.categories)
            .filter_map(|value| value.as_facet())
            .map(facet_name)
            .collect();
        let (snippet, matched, concepts) = match matcher {
            Some(matcher) => {
                let analysis = self.analyzer.analyzer().analyze(&text);
                let (spans, matched, concepts) = matcher.explain(&analysis, &question, &categories);
                (snippet(&text, &spans, SNIPPET_CHARS), matched, concepts)
            }
            None => (Snippet::default(), Vec::new(), Vec::new()),
        };
        let attributes: Vec<(String, String)> = serde_json::from_str::<Vec<(String, String)>>(
            &first_str(&document, self.fields.attributes),
        )
        .unwrap_or_default();
        let confidence = document
            .get_first(self.fields.confidence)
            .and_then(|value| value.as_f64());
        Ok(SearchHit {
            basis: basis_of(&first_str(&document, self.fields.basis)),
            confidence,
            id: first_str(&document, self.fields.id),
            question,
            categories,
            attributes,
            score,
            snippet,
            text,
            matched,
            concepts,
        })
    }

    /// Turns a parsed query and the filters into one tantivy query; searching by meaning,
    /// each word (not a phrase) becomes the union of itself, its synonyms (boosted down) and
    /// the categories it names (scored 0), and an excluded word excludes its synonyms too.
    pub(crate) fn compile(
        &self,
        parsed: &ParsedQuery,
        query_text: &str,
        request: &SearchRequest,
    ) -> Result<Compiled> {
        let thesaurus = if request.by_meaning {
            Some(self.analyzer.analyzer().thesaurus()?)
        } else {
            None
        };
        let analyzer = self.analyzer.analyzer();
        let concepts = self.concepts.as_deref();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Each group's alternatives, each with what it is: the tiers of the ranking.
        let mut groups: Vec<Vec<(Alternative, Box<dyn Query>)>> = Vec::new();
        let (mut any_synonym, mut any_concept) = (false, false);
        let mut words = Vec::new();
        let mut named = Vec::new();
        for (group_index, group) in parsed.groups.iter().enumerate() {
            let mut all = Vec::new();
            // The words of an OR are searched once each, as typed before as a synonym (研修 OR
            // セミナー: both in one group of the thesaurus).
            let mut expansions = Vec::with_capacity(group.len());
            let mut searched: Vec<Pattern> = Vec::new();
            for term in group {
                let pattern = self.pattern(term, query_text)?;
                all.push((Alternative::Typed, self.pattern_query(&pattern)));
                let expansion = thesaurus
                    .map(|thesaurus| expand(analyzer, thesaurus, concepts, term, &pattern))
                    .unwrap_or_default();
                searched.push(pattern.clone());
                words.push(MatchWord {
                    pattern,
                    word: term.text.clone(),
                    synonym_of: None,
                    group: group_index,
                });
                expansions.push((term, expansion));
            }
            let mut named_here: Vec<String> = Vec::new();
            for (term, expansion) in expansions {
                for synonym in expansion.synonyms {
                    if searched.contains(&synonym.pattern) {
                        continue;
                    }
                    searched.push(synonym.pattern.clone());
                    let boost = if synonym.same_lexeme {
                        SAME_LEXEME_BOOST
                    } else {
                        SYNONYM_BOOST
                    };
                    let query: Box<dyn Query> =
                        Box::new(BoostQuery::new(self.pattern_query(&synonym.pattern), boost));
                    all.push((Alternative::Synonym, query));
                    words.push(MatchWord {
                        pattern: synonym.pattern,
                        word: synonym.written,
                        synonym_of: Some(term.text.clone()),
                        group: group_index,
                    });
                    any_synonym = true;
                }
                for found in expansion.concepts {
                    let Some(concept) = concepts.map(|concepts| concepts.get(found.concept)) else {
                        continue;
                    };
                    let key = format!("{}\u{1f}{}", concept.scheme, concept.category);
                    if !named_here.contains(&key) {
                        named_here.push(key);
                        all.push((
                            Alternative::Concept,
                            Box::new(ConstScoreQuery::new(
                                self.concept_query(&concept.category, &concept.questions),
                                0.0,
                            )),
                        ));
                    }
                    named.push(MatchConcept {
                        group: group_index,
                        questions: concept.questions.clone(),
                        category: concept.category.clone(),
                        label: concept.label.clone(),
                        query_word: term.text.clone(),
                        via: found.via,
                    });
                    any_concept = true;
                }
            }
            groups.push(all);
        }
        let tiers = Tiers::mark(&mut groups, any_synonym, any_concept);
        for group in groups {
            clauses.push((
                Occur::Must,
                union(group.into_iter().map(|(_, query)| query).collect()),
            ));
        }
        for term in &parsed.excluded {
            let pattern = self.pattern(term, query_text)?;
            let mut alternatives = vec![self.pattern_query(&pattern)];
            if let Some(thesaurus) = thesaurus {
                for synonym in expand(analyzer, thesaurus, None, term, &pattern).synonyms {
                    alternatives.push(self.pattern_query(&synonym.pattern));
                }
            }
            clauses.push((Occur::MustNot, union(alternatives)));
        }
        for filter in self.filters(request) {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
        }
        if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Compiled {
            query: Box::new(BooleanQuery::new(clauses)),
            matcher: Matcher::with_meaning(words, named),
            tiers,
        })
    }

    /// The answers of `questions` in `category`: the category's answers of each question, as
    /// one union. (The same answers as the category ANDed with the union of the questions, but
    /// each intersection is two term lists skipping to each other; a union of whole questions
    /// is read a window at a time to find each answer of the category.)
    fn concept_query(&self, category: &str, questions: &[String]) -> Box<dyn Query> {
        union(
            questions
                .iter()
                .map(|question| -> Box<dyn Query> {
                    let in_category = Box::new(TermQuery::new(
                        Term::from_facet(self.fields.categories, &Facet::from_path([category])),
                        IndexRecordOption::Basic,
                    ));
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, in_category),
                        (
                            Occur::Must,
                            self.questions_query(std::slice::from_ref(question)),
                        ),
                    ]))
                })
                .collect(),
        )
    }

    /// The answers of any of `questions` (each trimmed).
    pub(crate) fn questions_query(&self, questions: &[String]) -> Box<dyn Query> {
        union(
            questions
                .iter()
                .map(|question| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.question, question.trim()),
                        IndexRecordOption::Basic,
                    ))
                })
                .collect(),
        )
    }

    fn pattern(&self, term: &QueryTerm, query_text: &str) -> Result<Pattern> {
        let pattern = Pattern::new(self.analyzer.analyzer(), term);
        if pattern.is_empty() || !term.text.chars().any(is_word_char) {
            let error = super::QueryError {
                column: term.column,
                message: format!("“{}” has no letters or digits to search for", term.text),
            };
            return Err(Error::Usage(error.render(query_text)));
        }
        Ok(pattern)
    }

    /// Base forms in a row OR characters in a row.
    pub(crate) fn pattern_query(&self, pattern: &Pattern) -> Box<dyn Query> {
        let mut sides = Vec::new();
        if let Some(query) = sequence_query(self.fields.tokens, &pattern.tokens) {
            sides.push(query);
        }
        for spelling in &pattern.spellings {
            if let Some(query) = sequence_query(self.fields.bigrams, &spelling.bigrams) {
                sides.push(query);
            }
        }
        union(sides)
    }

    /// One query per filter kind (its values ORed).
    fn filters(&self, request: &SearchRequest) -> Vec<Box<dyn Query>> {
        let mut filters = Vec::new();
        let exact = |term: Term| -> Box<dyn Query> {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        };
        if !request.questions.is_empty() {
            filters.push(self.questions_query(&request.questions));
        }
        if !request.categories.is_empty() {
            let terms = request.categories.iter().map(|category| {
                exact(Term::from_facet(
                    self.fields.categories,
                    &Facet::from_path([category.trim()]),
                ))
            });
            filters.push(union(terms.collect()));
        }
        let mut by_name: BTreeMap<&str, Vec<Box<dyn Query>>> = BTreeMap::new();
        for (name, value) in &request.filters {
            by_name
                .entry(name.trim())
                .or_default()
                .push(exact(Term::from_field_text(
                    self.fields.attribute,
                    &attribute_term(name, value),
                )));
        }
        filters.extend(by_name.into_values().map(union));
        if !request.bases.is_empty() {
            let terms = request
                .bases
                .iter()
                .map(|basis| exact(Term::from_field_text(self.fields.basis, basis.as_str())));
            filters.push(union(terms.collect()));
        }
        if let Some(bound) = request.below {
            // Answers without a confidence have no value in the field: no range holds them.
            filters.push(Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Excluded(Term::from_field_f64(self.fields.confidence, bound)),
            )));
        }
        filters
    }

    /// Refuses a category filter that cannot name any category — not of the form of an id
    /// (a label, most likely) and no answer's category — with the categories the index has: it
    /// would match nothing, silently, even beside other categories. An id no answer has is
    /// only a warning ([`Searcher::filter_warnings`]): a scheme's category may have no answers.
    fn check_categories(&self, request: &SearchRequest) -> Result<()> {
        let searcher = self.reader.searcher();
        let error = |err| index_error(Path::new(&self.dir), err);
        for category in &request.categories {
            let category = category.trim();
            if is_category_id(category) {
                continue;
            }
            let facet = Facet::from_path([category]);
            if searcher
                .doc_freq(&Term::from_facet(self.fields.categories, &facet))
                .map_err(error)?
                == 0
            {
                return Err(Error::Usage(format!(
                    "--category “{category}” is not a category id (ids are written with a-z, 0-9 \
                     and -, e.g. from `jiyu rules check`; a label is not an id); categories: {}",
                    self.category_names()?.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// The categories of the index's answers, in natural order.
    fn category_names(&self) -> Result<Vec<String>> {
        Ok(self
            .values(self.fields.categories, "")?
            .into_iter()
            .map(|encoded| facet_name(&encoded))
            // The root facet is indexed too; it names no category.
            .filter(|category| !category.is_empty())
            .collect())
    }

    /// For each filter value that no answer in the index has, a message with the values it has.
    fn filter_warnings(&self, request: &SearchRequest) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let error = |err| index_error(Path::new(&self.dir), err);
        let mut warnings = Vec::new();
        let missing =
            |term: &Term| -> Result<bool> { Ok(searcher.doc_freq(term).map_err(error)? == 0) };
        for question in &request.questions {
            if missing(&Term::from_field_text(
                self.fields.question,
                question.trim(),
            ))? {
                warnings.push(format!(
                    "no answer is of question “{question}”; questions: {}",
                    self.values(self.fields.question, "")?.join(", ")
                ));
            }
        }
        for category in &request.categories {
            let facet = Facet::from_path([category.trim()]);
            if missing(&Term::from_facet(self.fields.categories, &facet))? {
                let categories = self.category_names()?;
                warnings.push(format!(
                    "no answer is in category “{category}”; categories: {}",
                    categories.join(", ")
                ));
            }
        }
        for (name, value) in &request.filters {
            let term = attribute_term(name, value);
            if missing(&Term::from_field_text(self.fields.attribute, &term))? {
                let prefix = format!("{}{ATTRIBUTE_SEPARATOR}", name.trim());
                let values: Vec<String> = self
                    .values(self.fields.attribute, &prefix)?
                    .into_iter()
                    .map(|term| term[prefix.len()..].to_string())
                    .collect();
                warnings.push(if values.is_empty() {
                    format!(
                        "no answer has an attribute “{}”; attributes: {}",
                        name.trim(),
                        self.attribute_names()?.join(", ")
                    )
                } else {
                    format!(
                        "no answer has {}={}; values of {}: {}",
                        name.trim(),
                        value.trim(),
                        name.trim(),
                        values.join(", ")
                    )
                });
            }
        }
        Ok(warnings)
    }

    /// The distinct indexed terms of `field` that start with `prefix`, in natural order
    /// (Q9 before Q10).
    fn values(&self, field: Field, prefix: &str) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let dir = Path::new(&self.dir);
        let mut values = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(field)
                .map_err(|err| index_error(dir, err))?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(|err| Error::io(dir, err))?;
            while stream.advance() {
                let Ok(key) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !key.starts_with(prefix) {
                    break;
                }
                values.insert(key.to_string());
            }
        }
        let mut values: Vec<String> = values.into_iter().collect();
        values.sort_by(|a, b| natural_cmp(a, b));
        Ok(values)
    }

    /// The attribute names in the index.
    fn attribute_names(&self) -> Result<Vec<String>> {
        let mut names: Vec<String> = self
            .values(self.fields.attribute, "")?
            .into_iter()
            .filter_map(|term| term.split(ATTRIBUTE_SEPARATOR).next().map(str::to_string))
            .collect();
        names.sort_by(|a, b| natural_cmp(a, b));
        names.dedup();
        Ok(names)
    }
}

/// The sort key of [`SortBy::Confidence`] in one segment: the lower the confidence the higher
/// the key (no confidence lowest of all), then the tier (searching by meaning), then the score.
/// A segment whose confidences cannot be read sorts as if none of its answers had one.
fn rising_confidence(
    tiers: Option<Arc<Tiers>>,
) -> impl Fn(&SegmentReader) -> ConfidenceKey + Send + Sync {
    move |segment: &SegmentReader| {
        let confidences = confidences(segment).unwrap_or_else(|_| Confidences::none());
        let ranks = tiers.as_ref().map(|tiers| tiers.segment(segment));
        Box::new(move |doc, score| {
            let key = confidences
                .get(doc)
                .map_or(f64::NEG_INFINITY, |confidence| -confidence);
            let rank = ranks.as_ref().map_or(0, |ranks| ranks.rank(doc));
            (key, rank, score)
        })
    }
}

/// The sort key of one document of a segment by rising confidence: (−confidence, tier, score).
type ConfidenceKey = Box<dyn Fn(DocId, Score) -> (f64, u8, Score)>;

/// What an alternative of a query word is, for the tiers of a search by meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alternative {
    /// A word as typed.
    Typed,
    /// A synonym of a typed word.
    Synonym,
    /// A category a typed word names.
    Concept,
}

/// The tiers of a search by meaning, best first: answers with every group's words as typed,
/// then (when there are both synonyms and categories) with each group's words or their
/// synonyms, then the others (found through a category). A hit's tier is read from the marks
/// its groups' alternatives left as the query ran ([`Marked`]), not by running them again.
pub(crate) struct Tiers {
    board: Arc<MarkBoard>,
    /// Per group: the slot its typed words mark, and the slot its synonyms mark; `None` when
    /// every match of the group is of that kind or better (nothing else to tell it from).
    groups: Vec<(Option<usize>, Option<usize>)>,
    /// How many tiers rank above the last: 1 (as typed) or 2 (as typed, with synonyms).
    count: u8,
}

impl Tiers {
    /// Wraps the alternatives of `groups` that decide a hit's tier in [`Marked`] queries and
    /// returns the tiers they decide; `None` (nothing wrapped) when every hit is of one tier.
    pub(crate) fn mark(
        groups: &mut [Vec<(Alternative, Box<dyn Query>)>],
        any_synonym: bool,
        any_concept: bool,
    ) -> Option<Arc<Tiers>> {
        let count = u8::from(any_synonym || any_concept) + u8::from(any_synonym && any_concept);
        if count == 0 {
            return None;
        }
        let mut slots = 0;
        let mut next = || {
            slots += 1;
            slots - 1
        };
        let mut kinds = Vec::with_capacity(groups.len());
        for group in groups.iter() {
            let has = |kind| group.iter().any(|(alternative, _)| *alternative == kind);
            let typed = (has(Alternative::Synonym) || has(Alternative::Concept)).then(&mut next);
            let synonyms = (count == 2 && has(Alternative::Concept)).then(&mut next);
            kinds.push((typed, synonyms));
        }
        let board = Arc::new(MarkBoard::new(slots));
        for (group, &(typed, synonyms)) in groups.iter_mut().zip(&kinds) {
            for (alternative, query) in group.iter_mut() {
                let slot = match alternative {
                    Alternative::Typed => typed,
                    Alternative::Synonym => synonyms,
                    Alternative::Concept => None,
                };
                if let Some(slot) = slot {
                    let inner = std::mem::replace(query, Box::new(AllQuery));
                    *query = Box::new(Marked {
                        inner,
                        slot,
                        board: board.clone(),
                    });
                }
            }
        }
        Some(Arc::new(Tiers {
            board,
            groups: kinds,
            count,
        }))
    }

    /// The tiers of one segment.
    pub(crate) fn segment(self: &Arc<Self>, segment: &SegmentReader) -> SegmentTiers {
        SegmentTiers {
            tiers: self.clone(),
            marks: self.board.segment(segment),
        }
    }
}

/// The tiers of the matches of one segment.
pub(crate) struct SegmentTiers {
    tiers: Arc<Tiers>,
    marks: Arc<SegmentMarks>,
}

impl SegmentTiers {
    /// The rank of the best tier.
    pub(crate) fn best(&self) -> u8 {
        self.tiers.count
    }

    /// The rank of `doc`, a match of the compiled query just collected, higher better: the
    /// number of tiers when it has every group's words as typed, one less when it has them or
    /// their synonyms …, 0 when found through a category.
    pub(crate) fn rank(&self, doc: DocId) -> u8 {
        let has = |slot: Option<usize>| slot.is_none_or(|slot| self.marks.has(slot, doc));
        let groups = &self.tiers.groups;
        if groups.iter().all(|&(typed, _)| has(typed)) {
            self.tiers.count
        } else if self.tiers.count == 2
            && groups
                .iter()
                .all(|&(typed, synonyms)| has(typed) || has(synonyms))
        {
            1
        } else {
            0
        }
    }
}

/// Counts the bases of the matches, per [`Basis::ALL`], from the `basis` fast column.
struct BasisCounts;

struct SegmentBasisCounts {
    ords: Option<Column<u64>>,
    /// Per term ordinal of the segment's column, its position in [`Basis::ALL`].
    by_ord: Vec<Option<usize>>,
    counts: [u64; Basis::ALL.len()],
}

impl Collector for BasisCounts {
    type Fruit = [u64; Basis::ALL.len()];
    type Child = SegmentBasisCounts;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentBasisCounts> {
        let column = reader.fast_fields().str(BASIS)?;
        let mut by_ord = Vec::new();
        if let Some(column) = &column {
            let mut name = String::new();
            for ord in 0..column.num_terms() as u64 {
                name.clear();
                column.ord_to_str(ord, &mut name)?;
                by_ord.push(Basis::ALL.iter().position(|basis| basis.as_str() == name));
            }
        }
        Ok(SegmentBasisCounts {
            ords: column.map(|column| column.ords().clone()),
            by_ord,
            counts: [0; Basis::ALL.len()],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut merged = [0; Basis::ALL.len()];
        for fruit in fruits {
            for (total, count) in merged.iter_mut().zip(fruit) {
                *total += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentBasisCounts {
    type Fruit = [u64; Basis::ALL.len()];

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(ord) = self.ords.as_ref().and_then(|ords| ords.first(doc)) else {
            return;
        };
        if let Some(Some(at)) = self.by_ord.get(ord as usize) {
            self.counts[*at] += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}

/// A query for tokens at fixed relative positions: a term query for one, a phrase for more.
fn sequence_query(field: Field, sequence: &[(usize, String)]) -> Option<Box<dyn Query>> {
    match sequence {
        [] => None,
        [(_, text)] => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(GuardedPhrase(PhraseQuery::new_with_offset(
            sequence
                .iter()
                .map(|(offset, text)| (*offset, Term::from_field_text(field, text)))
                .collect(),
        )))),
    }
}

/// Any of `queries` (the query itself when there is one).
fn union(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        if let Some(query) = queries.pop() {
            return query;
        }
    }
    Box::new(BooleanQuery::union(queries))
}

/// The category id of a stored or indexed facet (its encoded form).
fn facet_name(encoded: &str) -> String {
    Facet::from_encoded(encoded.as_bytes().to_vec())
        .map(|facet| facet.to_path().join("/"))
        .unwrap_or_default()
}

fn first_str(document: &TantivyDocument, field: Field) -> String {
    document
        .get_first(field)
        .and_then(|value| value.as_str())
        .unwrap_or_default()
        .to_string()
}
