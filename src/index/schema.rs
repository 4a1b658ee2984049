//! The format of a jiyu index: its schema and fields, the format of the terms it indexes, the
//! format marker, and opening an index after checking it has this format.
//!
//! Fields: `id` (stored, exact), `question` (stored, exact), `text` (stored), `tokens` and
//! `bigrams` (indexed from the text), `categories` (facet, stored, strongest first),
//! `attribute` (indexed `name\u{1f}value` terms for filters), `attributes` (stored, JSON
//! `[[name, value], …]` in input order), `basis` (stored, exact, fast: what the primary
//! category rests on, [`Basis::as_str`]) and `confidence` (stored, fast f64: the confidence of
//! the primary category rounded as every output writes it, [`rounded_confidence`]). An answer
//! without a confidence (its question has no scheme) has *no value* in the `confidence` field
//! rather than a stand-in number: a range filter never matches it, and a rising sort puts it
//! last. Other modules read these two only through [`confidences`], [`basis_of`] and the
//! searcher's requests, so the format stays this module's business.
//!
//! The index records its format ([`FORMAT`]) in the commit payload; an index of another format,
//! or one older than this marker (its fields differ), is refused with a message to rebuild it.

use std::path::Path;
use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::directory::error::LockError;
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, Index, SegmentReader, TantivyError};

use crate::classify::Basis;
use crate::error::Error;
use crate::output::rounded_confidence;

use super::tokenizer::{self, HasAnalyzer};

/// Separates an attribute's name from its value in the terms of the `attribute` field.
pub(crate) const ATTRIBUTE_SEPARATOR: char = '\u{1f}';

/// The format of the index this jiyu writes and reads. 2: each answer's `basis` and
/// `confidence` (format 1, without them, had no marker).
pub const FORMAT: u32 = 2;

/// The commit payload that marks an index of [`FORMAT`].
pub(crate) fn format_payload() -> String {
    format!("jiyu-index-format {FORMAT}")
}

/// The name of the `confidence` field (a fast field, read by name).
const CONFIDENCE: &str = "confidence";
/// The name of the `basis` field.
pub(crate) const BASIS: &str = "basis";

/// The fields of a jiyu index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub question: Field,
    pub text: Field,
    pub tokens: Field,
    pub bigrams: Field,
    pub categories: Field,
    pub attribute: Field,
    pub attributes: Field,
    pub basis: Field,
    pub confidence: Field,
}

/// The schema of a jiyu index and its fields.
pub(crate) fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analyzed = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        question: builder.add_text_field("question", STRING | STORED),
        text: builder.add_text_field("text", STORED),
        tokens: builder.add_text_field("tokens", analyzed(tokenizer::TOKENS_TOKENIZER)),
        bigrams: builder.add_text_field("bigrams", analyzed(tokenizer::BIGRAM_TOKENIZER)),
        categories: builder.add_facet_field("categories", FacetOptions::default().set_stored()),
        attribute: builder.add_text_field("attribute", STRING),
        attributes: builder.add_text_field("attributes", STORED),
        basis: builder.add_text_field(BASIS, STRING | STORED | FAST),
        confidence: builder.add_f64_field(
            CONFIDENCE,
            NumericOptions::default().set_stored().set_fast(),
        ),
    };
    (builder.build(), fields)
}

/// The term of the `attribute` field for one attribute.
pub(crate) fn attribute_term(name: &str, value: &str) -> String {
    let mut term = String::new();
    push_attribute_term(&mut term, name, value);
    term
}

/// Appends the term of the `attribute` field for one attribute to `out`.
pub(crate) fn push_attribute_term(out: &mut String, name: &str, value: &str) {
    let (name, value) = (name.trim(), value.trim());
    out.reserve(name.len() + ATTRIBUTE_SEPARATOR.len_utf8() + value.len());
    out.push_str(name);
    out.push(ATTRIBUTE_SEPARATOR);
    out.push_str(value);
}

/// Registers jiyu's tokenizers on `index` (they are not saved in the index itself).
pub(crate) fn register_tokenizers(index: &Index, analyzer: Arc<dyn HasAnalyzer>) {
    index.tokenizers().register(
        tokenizer::TOKENS_TOKENIZER,
        TextAnalyzer::from(tokenizer::JiyuTokenizer::new(analyzer)),
    );
    index.tokenizers().register(
        tokenizer::BIGRAM_TOKENIZER,
        TextAnalyzer::from(tokenizer::BigramTokenizer),
    );
}

/// Whether `dir` holds a tantivy index.
pub(crate) fn is_index_dir(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens the jiyu index in `dir`, checking that it is one.
pub(crate) fn open_existing(dir: &Path, analyzer: Arc<dyn HasAnalyzer>) -> Result<Index, Error> {
    if !is_index_dir(dir) {
        return Err(Error::Index {
            path: dir.display().to_string(),
            message: "no jiyu index here; build one with `jiyu index --input FILE --index DIR`"
                .into(),
        });
    }
    let index = Index::open_in_dir(dir).map_err(|err| index_error(dir, err))?;
    let payload = index
        .load_metas()
        .map_err(|err| index_error(dir, err))?
        .payload;
    let found = match payload.as_deref() {
        Some(payload) if payload == format_payload() && index.schema() == schema().0 => None,
        Some(payload) => Some(payload.strip_prefix("jiyu-index-format ").map_or_else(
            || "an unknown format".to_string(),
            |n| format!("format {n}"),
        )),
        // Format 1 had no marker; its fields lack basis and confidence.
        None => Some("format 1, without the confidence and basis of each answer".to_string()),
    };
    if let Some(found) = found {
        return Err(Error::Index {
            path: dir.display().to_string(),
            message: format!(
                "this index was built by another version of jiyu ({found}; this jiyu reads \
                 format {FORMAT}); rebuild it with `jiyu index --input FILE --index DIR` into a \
                 new or empty directory"
            ),
        });
    }
    register_tokenizers(&index, analyzer);
    Ok(index)
}

/// The index values of one answer's classification: the value of its `basis` field and of its
/// `confidence` field as stored (rounded to three decimals; `None` for no value).
pub(crate) fn classification_values(
    basis: Basis,
    confidence: Option<f64>,
) -> (&'static str, Option<f64>) {
    (basis.as_str(), confidence.map(rounded_confidence))
}

/// The basis named by a stored or indexed `basis` value; [`Basis::None`] for anything else
/// (an index of this format holds only [`Basis::as_str`] names).
pub fn basis_of(stored: &str) -> Basis {
    Basis::parse(stored).unwrap_or(Basis::None)
}

/// The confidence of every document of one segment, read from its fast column.
pub struct Confidences(Option<Column<f64>>);

impl Confidences {
    /// No confidences at all.
    pub(crate) fn none() -> Confidences {
        Confidences(None)
    }

    /// The confidence of `doc`, as stored (three decimals); `None` when it has none.
    pub fn get(&self, doc: DocId) -> Option<f64> {
        self.0.as_ref().and_then(|column| column.first(doc))
    }
}

/// The confidences of `segment`'s documents.
pub fn confidences(segment: &SegmentReader) -> tantivy::Result<Confidences> {
    // A segment none of whose answers has a confidence may have no column at all.
    Ok(Confidences(
        segment.fast_fields().column_opt::<f64>(CONFIDENCE)?,
    ))
}

/// A tantivy error as a jiyu error about the index in `dir`.
pub(crate) fn index_error(dir: &Path, err: TantivyError) -> Error {
    let message = match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => {
            "another `jiyu index` is writing this index; wait for it to finish".to_string()
        }
        // The lock file could not be made (a full disk, no permission): say what the system said.
        TantivyError::LockFailure(LockError::IoError(err), _) => {
            format!("cannot lock the index for writing: {err}")
        }
        other => format!("index error: {other}"),
    };
    Error::Index {
        path: dir.display().to_string(),
        message,
    }
}
