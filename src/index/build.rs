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
use tantivy::schema::document::Document;
use tantivy::schema::{Facet, Field, OwnedValue};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexWriter, ReloadPolicy, Term};

use crate::analyze::Analysis;
use crate::classify::{Basis, Classifier};
use crate::error::{Error, Result};
use crate::input::Answer;
use crate::overrides::{OverrideSession, Overrides};
use crate::parallel::map_in_order;

use super::schema::{
    attribute_term, index_error, is_index_dir, open_existing, register_tokenizers,
};
use super::schema::{classification_values, format_payload, schema, Fields};
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

    let mut seen: HashSet<u64> = HashSet::new();
    let mut session = overrides.map(Overrides::session);
    let mut indexed = 0usize;
    map_in_order(
        answers,
        |answer| prepare(answer, &classifier, &fields),
        progress,
        |mut prepared| {
            indexed += 1;
            if let Some(session) = session.as_mut() {
                prepared.apply_override(session, &classifier, &fields)?;
            }
            let id = prepared.id();
            let first_time = seen.insert(hash(id));
            let in_index = match &committed {
                Some(searcher) => {
                    searcher
                        .doc_freq(&Term::from_field_text(fields.id, id))
                        .map_err(error)?
                        > 0
                }
                None => false,
            };
            if !first_time || in_index {
                writer.delete_term(Term::from_field_text(fields.id, id));
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
    classification_at: usize,
}

/// Where the id is among a prepared document's values.
const ID_AT: usize = 0;
/// Where the question is among a prepared document's values.
const QUESTION_AT: usize = 1;

impl Prepared {
    /// The answer's id.
    fn id(&self) -> &str {
        match &self.document.0[ID_AT].1 {
            OwnedValue::Str(id) => id,
            _ => "",
        }
    }

    /// The string value at `at` of the document, taken out (an empty string left in its place).
    fn take_str(&mut self, at: usize) -> String {
        match &mut self.document.0[at].1 {
            OwnedValue::Str(value) => std::mem::take(value),
            _ => String::new(),
        }
    }

    /// Puts back a string value taken by [`Prepared::take_str`].
    fn put_str(&mut self, at: usize, value: String) {
        self.document.0[at].1 = OwnedValue::Str(value);
    }

    /// Replaces the categories by the answer's override, if it has one: basis `override`,
    /// confidence 1, as `classify --overrides` writes them.
    fn apply_override(
        &mut self,
        session: &mut OverrideSession<'_>,
        classifier: &Classifier,
        fields: &Fields,
    ) -> Result<()> {
        // The session looks at the id and question only; lend them without copying the text.
        let probe = Answer {
            id: self.take_str(ID_AT),
            question: self.take_str(QUESTION_AT),
            text: String::new(),
            attributes: Vec::new(),
        };
        let found = session
            .take(&probe, &classifier.rules)
            .map(|entry| entry.map(|entry| entry.categories.clone()));
        self.put_str(ID_AT, probe.id);
        self.put_str(QUESTION_AT, probe.question);
        if let Some(categories) = found? {
            self.document.0.truncate(self.classification_at);
            self.document
                .0
                .extend(classification_values(fields, Basis::Override, Some(1.0)));
            self.document.0.extend(category_values(&categories, fields));
        }
        Ok(())
    }
}

fn category_values<'a>(
    categories: &'a [String],
    fields: &'a Fields,
) -> impl Iterator<Item = (Field, OwnedValue)> + 'a {
    categories.iter().map(|category| {
        (
            fields.categories,
            OwnedValue::Facet(Facet::from_path([category.as_str()])),
        )
    })
}

/// The document of one answer, analyzed once for both classification and the index.
fn prepare(answer: Answer, classifier: &Classifier, fields: &Fields) -> Prepared {
    let analysis = classifier.analyzer.analyze(&answer.text);
    let classification = classifier.classify_analysis(&answer.question, &answer.text, &analysis);
    let Analysis { normalized, tokens } = analysis;
    let Answer {
        id,
        question,
        text,
        attributes,
    } = answer;
    let mut values: Vec<(Field, OwnedValue)> =
        Vec::with_capacity(8 + attributes.len() + classification.categories.len());
    values.push((fields.id, OwnedValue::Str(id)));
    values.push((fields.question, OwnedValue::Str(question)));
    values.push((fields.text, OwnedValue::Str(text)));
    // Read back by the field's tokenizer on the index being written (see open_for_writing).
    values.push((fields.tokens, OwnedValue::Str(encode_tokens(&tokens))));
    values.push((fields.bigrams, OwnedValue::Str(normalized.text)));
    // A pair serializes as a JSON array: `[[name, value], …]`.
    let pairs = serde_json::to_string(&attributes).unwrap_or_else(|_| "[]".to_string());
    values.push((fields.attributes, OwnedValue::Str(pairs)));
    for (name, value) in &attributes {
        values.push((
            fields.attribute,
            OwnedValue::Str(attribute_term(name, value)),
        ));
    }
    let classification_at = values.len();
    values.extend(classification_values(
        fields,
        classification.basis,
        classification.confidence,
    ));
    values.extend(category_values(&classification.categories, fields));
    Prepared {
        document: AnswerDoc(values),
        classification_at,
    }
}

/// A document as jiyu builds it: its values in a plain list. tantivy reads it in place; its own
/// document type would first serialize the pre-tokenized tokens to JSON and parse them back.
pub(crate) struct AnswerDoc(Vec<(Field, OwnedValue)>);

type FieldValues<'a> = std::iter::Map<
    std::slice::Iter<'a, (Field, OwnedValue)>,
    fn(&'a (Field, OwnedValue)) -> (Field, &'a OwnedValue),
>;

fn field_value(pair: &(Field, OwnedValue)) -> (Field, &OwnedValue) {
    (pair.0, &pair.1)
}

impl Document for AnswerDoc {
    type Value<'a> = &'a OwnedValue;
    type FieldsValuesIter<'a> = FieldValues<'a>;

    fn iter_fields_and_values(&self) -> FieldValues<'_> {
        self.0.iter().map(field_value)
    }
}
