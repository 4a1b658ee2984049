//! Building the index: classify every answer and add it, replacing earlier versions by id.
//!
//! The pipeline is the one classify runs on ([`crate::parallel::map_in_order`]: a
//! reader thread parsing ahead, chunks classified in parallel, input order kept); each answer
//! is analyzed once, and the same tokens serve the classifier and the index (they reach tantivy
//! written into one string, [`encode_tokens`], which the tokenizer of the `tokens` field on the
//! index being written reads back), while tantivy's own threads index the chunk before.
//!
//! Nothing is visible until the single commit at the end, so a run that stops on a malformed
//! row leaves the previous index exactly as it was. Memory stays flat: one chunk of answers in
//! flight plus the writer's fixed buffer ([`IndexOptions::memory_budget`]); only a set of id
//! hashes grows with the input (8 bytes an answer) to catch ids given twice.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use indicatif::ProgressBar;
use rustc_hash::FxBuildHasher;
use tantivy::schema::document::{Document, ReferenceValue, ReferenceValueLeaf, Value};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexWriter, ReloadPolicy, Term};

use crate::analyze::Analysis;
use crate::classify::{Basis, Classifier};
use crate::error::{Error, Result};
use crate::input::Answer;
use crate::overrides::{OverrideSession, Overrides};
use crate::parallel::map_refs_in_order;

use super::schema::{classification_values, format_payload, schema, Fields};
use super::schema::{
    index_error, is_index_dir, open_existing, push_attribute_term, register_tokenizers,
};
use super::tokenizer::{encode_tokens, PreAnalyzedTokenizer, TOKENS_TOKENIZER};

/// How to build the index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Add the answers to the index, replacing those with the same id; otherwise the index holds
    /// exactly these answers afterwards.
    pub append: bool,
    /// Memory for the writer's buffers, in bytes, shared by its threads (at least 15 MB a
    /// thread). A buffer that fills is written out as a segment.
    pub memory_budget: usize,
    /// Indexing threads; 0 for one per core (at most 4).
    pub threads: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            append: false,
            // 1,000,000 answers fill it about twice: a few segments, no merge, and a peak
            // resident size under 300 MB (256 MB: one segment a thread, 380 MB).
            memory_budget: 128 << 20,
            threads: 0,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStats {
    /// Answers read and indexed by this run.
    pub indexed: usize,
    /// Answers in the index after the run.
    pub documents: u64,
}

/// Classifies every answer of `answers` and indexes it into `dir` (created when missing), then
/// commits once. Without `options.append` the index holds exactly these answers afterwards;
/// with it they are added, an answer whose id is already indexed replacing the old one. An id
/// given twice keeps its last answer. `overrides` replace the categories of the answers they
/// name, as in `classify`; one whose id the input lacks is an error. On any error nothing is
/// committed.
pub fn build_index<I>(
    dir: &Path,
    answers: I,
    classifier: Arc<Classifier>,
    overrides: Option<&Overrides>,
    options: &IndexOptions,
    progress: &ProgressBar,
) -> Result<IndexStats>
where
    I: Iterator<Item = Result<Answer>> + Send,
{
    let (index, fields) = open_for_writing(dir, &classifier)?;
    let error = |err| index_error(dir, err);
    // Ids already in the committed index: only those need a delete before their new version
    // (a delete costs a lookup in every segment, far more than an add).
    let committed = if options.append {
        Some(
            index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(error)?
                .searcher(),
        )
    } else {
        None
    };
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        n => n,
    };
    let budget = options.memory_budget.max(threads * (16 << 20));
    let mut writer: IndexWriter<AnswerDoc> = index
        .writer_with_num_threads(threads, budget)
        .map_err(error)?;
    if !options.append {
        writer.delete_all_documents().map_err(error)?;
    }

    // Keys are hashes already: the set need not hash them again with SipHash.
    let mut seen: HashSet<u64, FxBuildHasher> = HashSet::default();
    let mut session = overrides.map(Overrides::session);
    let mut indexed = 0usize;
    map_refs_in_order(
        answers,
        |answer| prepare(answer, &classifier, &fields),
        progress,
        |mut prepared| {
            indexed += 1;
            if let Some(session) = session.as_mut() {
                prepared.apply_override(session, &classifier, &fields)?;
            }
            // The id's hash was taken where the document was made: a fresh index reads
            // nothing of the document here, which another core wrote.
            let first_time = seen.insert(prepared.id_hash);
            let in_index = match &committed {
                Some(searcher) => {
                    searcher
                        .doc_freq(&Term::from_field_text(fields.id, prepared.id()))
                        .map_err(error)?
                        > 0
                }
                None => false,
            };
            if !first_time || in_index {
                writer.delete_term(Term::from_field_text(fields.id, prepared.id()));
            }
            writer.add_document(prepared.document).map_err(error)?;
            Ok(())
        },
    )?;
    if let Some(session) = session {
        session.finish()?;
    }

    let mut commit = writer.prepare_commit().map_err(error)?;
    commit.set_payload(&format_payload());
    commit.commit().map_err(error)?;
    // Let the merges the commit started finish, so the index is left in few segments.
    writer.wait_merging_threads().map_err(error)?;
    let documents = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(error)?
        .searcher()
        .num_docs();
    Ok(IndexStats { indexed, documents })
}

/// Opens the index in `dir`, or creates it when `dir` is missing or empty, for writing.
///
/// The `tokens` field of the index returned reads the strings of [`encode_tokens`] instead of
/// analyzing text: the answers it is given are analyzed already.
fn open_for_writing(dir: &Path, classifier: &Arc<Classifier>) -> Result<(Index, Fields)> {
    let (index, fields) = open_or_create(dir, classifier)?;
    index
        .tokenizers()
        .register(TOKENS_TOKENIZER, TextAnalyzer::from(PreAnalyzedTokenizer));
    Ok((index, fields))
}

/// Opens the index in `dir`, or creates it when `dir` is missing or empty.
fn open_or_create(dir: &Path, classifier: &Arc<Classifier>) -> Result<(Index, Fields)> {
    let (schema, fields) = schema();
    let analyzer: Arc<dyn super::HasAnalyzer> = classifier.clone();
    if is_index_dir(dir) {
        return Ok((open_existing(dir, analyzer)?, fields));
    }
    let not_empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if not_empty {
        return Err(Error::Index {
            path: dir.display().to_string(),
            message: "this directory is not empty and holds no jiyu index; \
                      give a new or empty directory to --index"
                .into(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
    let index = Index::create_in_dir(dir, schema).map_err(|err| index_error(dir, err))?;
    register_tokenizers(&index, analyzer);
    Ok((index, fields))
}

fn hash(id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// An answer analyzed, classified and made into a document, in parallel with others.
struct Prepared {
    /// The answer's values; its id and question first ([`ID_AT`], [`QUESTION_AT`]).
    document: AnswerDoc,
    /// Where the values of the classification (basis, confidence, then the categories) start
    /// in the document: they come last.
    classification_at: Mark,
    /// The [`hash`] of the answer's id.
    id_hash: u64,
}

/// Where the id is among a prepared document's values.
const ID_AT: usize = 0;
/// Where the question is among a prepared document's values.
const QUESTION_AT: usize = 1;

impl Prepared {
    /// The answer's id.
    fn id(&self) -> &str {
        self.document.str_at(ID_AT)
    }

    /// Replaces the categories by the answer's override, if it has one: basis `override`,
    /// confidence 1, as `classify --overrides` writes them.
    fn apply_override(
        &mut self,
        session: &mut OverrideSession<'_>,
        classifier: &Classifier,
        fields: &Fields,
    ) -> Result<()> {
        // The session looks at the id and question only.
        let probe = Answer {
            id: self.document.str_at(ID_AT).to_string(),
            question: self.document.str_at(QUESTION_AT).to_string(),
            text: String::new(),
            attributes: Vec::new(),
        };
        let found = session
            .take(&probe, &classifier.rules)
            .map(|entry| entry.map(|entry| entry.categories.clone()));
        if let Some(categories) = found? {
            self.document.truncate(self.classification_at);
            push_classification(
                &mut self.document,
                fields,
                Basis::Override,
                Some(1.0),
                &categories,
            );
        }
        Ok(())
    }
}

/// Adds the values of a classification: basis, confidence, then the categories, strongest first.
fn push_classification(
    document: &mut AnswerDoc,
    fields: &Fields,
    basis: Basis,
    confidence: Option<f64>,
    categories: &[String],
) {
    let (basis, confidence) = classification_values(basis, confidence);
    document.push_str(fields.basis, basis);
    if let Some(confidence) = confidence {
        document.push_f64(fields.confidence, confidence);
    }
    for category in categories {
        // The encoded facet of a one-step path is the step itself.
        document.push_facet(fields.categories, category);
    }
}

/// The document of one answer, analyzed once for both classification and the index.
fn prepare(answer: &Answer, classifier: &Classifier, fields: &Fields) -> Prepared {
    let analysis = classifier.analyzer.analyze(&answer.text);
    let classification = classifier.classify_analysis(&answer.question, &answer.text, &analysis);
    let Analysis { normalized, tokens } = analysis;
    let attributes_size: usize = answer
        .attributes
        .iter()
        .map(|(name, value)| 2 * (name.len() + value.len()) + 8)
        .sum();
    let size = answer.id.len()
        + answer.question.len()
        + answer.text.len()
        + normalized.text.len()
        + tokens
            .iter()
            .map(|token| token.base.len() + 2)
            .sum::<usize>()
        + attributes_size
        + classification
            .categories
            .iter()
            .map(String::len)
            .sum::<usize>()
        + 16;
    let mut document = AnswerDoc::with_capacity(
        size,
        8 + answer.attributes.len() + classification.categories.len(),
    );
    document.push_str(fields.id, &answer.id);
    document.push_str(fields.question, &answer.question);
    document.push_str(fields.text, &answer.text);
    // Read back by the field's tokenizer on the index being written (see open_for_writing).
    document.push_with(fields.tokens, |out| encode_tokens(&tokens, out));
    document.push_str(fields.bigrams, &normalized.text);
    // A pair serializes as a JSON array: `[[name, value], …]`.
    let pairs = serde_json::to_string(&answer.attributes).unwrap_or_else(|_| "[]".to_string());
    document.push_str(fields.attributes, &pairs);
    for (name, value) in &answer.attributes {
        document.push_with(fields.attribute, |out| {
            push_attribute_term(out, name, value)
        });
    }
    let classification_at = document.mark();
    push_classification(
        &mut document,
        fields,
        classification.basis,
        classification.confidence,
        &classification.categories,
    );
    Prepared {
        id_hash: hash(&answer.id),
        document,
        classification_at,
    }
}

/// A document as jiyu builds it: its text values written one after another into one string,
/// and its values a list of (field, value) where a text value is a range of that string.
/// tantivy reads it in place. One allocation a document for all its texts instead of one a
/// value; tantivy's own document type would also serialize the pre-tokenized tokens to JSON
/// and parse them back.
pub(crate) struct AnswerDoc {
    texts: String,
    values: Vec<(Field, Slot)>,
}

/// One value of an [`AnswerDoc`].
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// Text: a byte range of the document's string.
    Str(usize, usize),
    /// A facet, encoded: a byte range of the document's string.
    Facet(usize, usize),
    F64(f64),
}

/// How far an [`AnswerDoc`] was written, to cut it back there.
#[derive(Debug, Clone, Copy)]
struct Mark {
    values: usize,
    texts: usize,
}

impl AnswerDoc {
    fn with_capacity(texts: usize, values: usize) -> AnswerDoc {
        AnswerDoc {
            texts: String::with_capacity(texts),
            values: Vec::with_capacity(values),
        }
    }

    fn push_str(&mut self, field: Field, text: &str) {
        self.push_with(field, |out| out.push_str(text));
    }

    /// Adds a text value, the text `write` appends.
    fn push_with(&mut self, field: Field, write: impl FnOnce(&mut String)) {
        let start = self.texts.len();
        write(&mut self.texts);
        self.values
            .push((field, Slot::Str(start, self.texts.len())));
    }

    /// Adds a facet value, given encoded ([`tantivy::schema::Facet::encoded_str`]).
    fn push_facet(&mut self, field: Field, encoded: &str) {
        let start = self.texts.len();
        self.texts.push_str(encoded);
        self.values
            .push((field, Slot::Facet(start, self.texts.len())));
    }

    fn push_f64(&mut self, field: Field, value: f64) {
        self.values.push((field, Slot::F64(value)));
    }

    /// The text of the value at `at`; empty when it is not text.
    fn str_at(&self, at: usize) -> &str {
        match self.values.get(at) {
            Some((_, Slot::Str(start, end))) => &self.texts[*start..*end],
            _ => "",
        }
    }

    fn mark(&self) -> Mark {
        Mark {
            values: self.values.len(),
            texts: self.texts.len(),
        }
    }

    /// Removes the values added after `mark`.
    fn truncate(&mut self, mark: Mark) {
        self.values.truncate(mark.values);
        self.texts.truncate(mark.texts);
    }
}

/// A value of an [`AnswerDoc`] as tantivy reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DocValue<'a> {
    Str(&'a str),
    Facet(&'a str),
    F64(f64),
}

impl<'a> Value<'a> for DocValue<'a> {
    type ArrayIter = std::iter::Empty<DocValue<'a>>;
    type ObjectIter = std::iter::Empty<(&'a str, DocValue<'a>)>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        match *self {
            DocValue::Str(text) => ReferenceValueLeaf::Str(text).into(),
            DocValue::Facet(encoded) => ReferenceValueLeaf::Facet(encoded).into(),
            DocValue::F64(value) => ReferenceValueLeaf::F64(value).into(),
        }
    }
}

/// The values of an [`AnswerDoc`], in the order they were added.
pub(crate) struct DocValues<'a> {
    texts: &'a str,
    values: std::slice::Iter<'a, (Field, Slot)>,
}

impl<'a> Iterator for DocValues<'a> {
    type Item = (Field, DocValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let &(field, slot) = self.values.next()?;
        let value = match slot {
            Slot::Str(start, end) => DocValue::Str(&self.texts[start..end]),
            Slot::Facet(start, end) => DocValue::Facet(&self.texts[start..end]),
            Slot::F64(value) => DocValue::F64(value),
        };
        Some((field, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.values.size_hint()
    }
}

impl Document for AnswerDoc {
    type Value<'a> = DocValue<'a>;
    type FieldsValuesIter<'a> = DocValues<'a>;

    fn iter_fields_and_values(&self) -> DocValues<'_> {
        DocValues {
            texts: &self.texts,
            values: self.values.iter(),
        }
    }
}
