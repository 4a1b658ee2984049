//! The search index: a tantivy index of every answer with its categories, built with the
//! classifier's own analyzer so a search sees the words the rules see.
//!
//! - [`build`]: `build_index` classifies and indexes a stream of answers, replacing by id, and
//!   commits once at the end (a run that fails leaves the previous index as it was).
//! - [`search`]: `open_index` and `Searcher::search` (ranked hits, snippets, facet counts).
//! - [`query`]: the query language (words ANDed, `OR`, `-word`, `"phrase"`).
//! - [`highlight`]: where a query matches inside an answer (snippets and concordance).
//! - [`mod@kwic`]: the key-word-in-context concordance and display widths.
//! - [`tokenizer`]: the two tokenizers of the text (base forms; character bigrams).
//! - `guard`: works around a debug assertion of tantivy's phrase scorer.
//!
//! A query word matches an answer when its base forms occur there as consecutive tokens (so
//! 受けた finds 受ける, 漏えい finds 漏洩) *or* its normalized characters occur there (the bigram
//! field: メール finds 迷惑メール). A one-character word matches only as a whole token: as a
//! substring a single kanji or kana would match nearly everything (金 in 補助金, 料金, 金融).
//!
//! Fields: `id` (stored, exact), `question` (stored, exact), `text` (stored), `tokens` and
//! `bigrams` (indexed from the text), `categories` (facet, stored, strongest first),
//! `attribute` (indexed `name\u{1f}value` terms for filters) and `attributes` (stored, JSON
//! `[[name, value], …]` in input order).

pub mod build;
mod guard;
pub mod highlight;
pub mod kwic;
pub mod query;
pub mod search;
pub mod tokenizer;

use std::path::Path;
use std::sync::Arc;

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, TantivyError};

use crate::error::Error;

pub use build::{build_index, IndexOptions, IndexStats};
pub use highlight::Snippet;
pub use kwic::{kwic, KwicLine, KwicRequest};
pub use query::{parse as parse_query, ParsedQuery, QueryError};
pub use search::{open_index, SearchHit, SearchRequest, SearchResults, Searcher};
pub use tokenizer::HasAnalyzer;

/// Separates an attribute's name from its value in the terms of the `attribute` field.
const ATTRIBUTE_SEPARATOR: char = '\u{1f}';

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
    };
    (builder.build(), fields)
}

/// The term of the `attribute` field for one attribute.
pub(crate) fn attribute_term(name: &str, value: &str) -> String {
    format!("{}{ATTRIBUTE_SEPARATOR}{}", name.trim(), value.trim())
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
        return Err(Error::Io {
            path: dir.display().to_string(),
            message: "no jiyu index here; build one with `jiyu index --input FILE --index DIR`"
                .into(),
        });
    }
    let index = Index::open_in_dir(dir).map_err(|err| index_error(dir, err))?;
    if index.schema() != schema().0 {
        return Err(Error::Io {
            path: dir.display().to_string(),
            message: "this index was not built by this version of jiyu; \
                      rebuild it with `jiyu index` into a new directory"
                .into(),
        });
    }
    register_tokenizers(&index, analyzer);
    Ok(index)
}

/// A tantivy error as a jiyu error about the index in `dir`.
pub(crate) fn index_error(dir: &Path, err: TantivyError) -> Error {
    let message = match err {
        TantivyError::LockFailure(..) => {
            "another `jiyu index` is writing this index; wait for it to finish".to_string()
        }
        other => format!("index error: {other}"),
    };
    Error::Io {
        path: dir.display().to_string(),
        message,
    }
}
