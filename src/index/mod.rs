//! The search index: a tantivy index of every answer with its categories, built with the
//! classifier's own analyzer so a search sees the words the rules see.
//!
//! - [`build`]: `build_index` classifies and indexes a stream of answers, replacing by id, and
//!   commits once at the end (a run that fails leaves the previous index as it was).
//! - [`search`]: `open_index` and `Searcher::search` (ranked hits, snippets, facet counts).
//! - [`query`]: the query language (words ANDed, `OR`, `-word`, `"phrase"`).
//! - [`highlight`]: where a query matches inside an answer (snippets and concordance).
//! - [`meaning`]: search by meaning (synonyms, categories named by a word, tiers).
//! - [`mod@related`]: the related words of a word (synonyms, co-occurring words).
//! - [`mod@kwic`]: the key-word-in-context concordance and display widths.
//! - [`render`]: search results as `jiyu search` prints them (text, JSON Lines).
//! - [`tokenizer`]: the two tokenizers of the text (base forms; character bigrams).
//! - [`values`]: every answer's question, categories, basis and attributes, read back from
//!   the index's terms with the documents that hold each (the page's filters).
//! - [`schema`]: the fields, the format of their terms, opening an index of this format.
//! - `phrase_workaround`: works around a debug assertion of tantivy's phrase scorer.
//! - `marks`: which alternatives of a word matched each answer, recorded as the query runs
//!   (the tiers of a search by meaning).
//!
//! A query word matches an answer when its base forms occur there as consecutive tokens (so
//! 受けた finds 受ける, 漏えい finds 漏洩) *or* its normalized characters occur there (the bigram
//! field: メール finds 迷惑メール). A one-character word matches only as a whole token: as a
//! substring a single kanji or kana would match nearly everything (金 in 補助金, 料金, 金融).
//!
//! The index's format (its fields, the terms' format, the format marker, opening and checking
//! an index) is [`schema`]'s alone; the other modules reach the fields through it and through
//! the searcher.

pub mod build;
pub mod highlight;
pub mod kwic;
mod marks;
pub mod meaning;
mod phrase_workaround;
pub mod query;
pub mod related;
pub mod render;
pub mod schema;
pub mod search;
pub mod tokenizer;
pub mod values;

pub use build::{build_index, IndexOptions, IndexStats};
pub use highlight::Snippet;
pub use kwic::{kwic, KwicLine, KwicRequest};
pub use query::{parse as parse_query, ParsedQuery, QueryError};
pub use related::{related, Related, RelatedRequest};
pub(crate) use schema::index_error;
pub use schema::{basis_of, confidences, Confidences, FORMAT};
pub use search::{
    check_below, open_index, SearchHit, SearchRequest, SearchResults, Searcher, SortBy,
};
pub use tokenizer::HasAnalyzer;
