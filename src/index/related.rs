//! Related words (KH Coder's 関連語検索): what else to search for, or to add to a rule, next to a
//! word.
//!
//! Two lists:
//!
//! - **synonyms** from the thesaurus ([`crate::thesaurus`]): exactly the words search by meaning
//!   adds to the word ([`crate::index::meaning::expand`]), each with the number of answers it
//!   finds there (as a query word would, but a synonym in katakana or Latin letters whole);
//! - **co-occurring words**: the content words of the answers that contain the word as typed
//!   (nouns, verbs and adjectives of two characters or more, by base form, common ones such as
//!   する and こと left out: [`crate::suggest::content_words`]), ranked by the Jaccard
//!   coefficient over answers — answers with both ÷ answers with either. The answers with the
//!   other word are counted by its base form in the index (a token of the answer).
//!
//! The answers of the word are read from the index and analyzed again: at most
//! [`MAX_ANSWERS_READ`] of them, in index order; past that the counts are those of the answers
//! read, scaled to all of them, and the result says so.

use std::collections::HashMap;
use std::path::Path;

use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use crate::error::{Error, Result};
use crate::suggest::content_words;
use crate::thesaurus::GroupSource;

use super::highlight::Pattern;
use super::meaning::{expand, WordForms};
use super::query::QueryError;
use super::query::{ParsedQuery, Term as QueryTerm};
use super::schema::index_error;
use super::search::{SearchRequest, Searcher};

/// Answers of the word analyzed at most.
pub const MAX_ANSWERS_READ: usize = 20_000;

/// What to look up.
#[derive(Debug, Clone)]
pub struct RelatedRequest {
    pub word: String,
    /// Co-occurring words listed at most.
    pub limit: usize,
    /// A co-occurring word must share at least this many answers with the word.
    pub min_shared: usize,
    /// Only the answers of these questions count (any of them); empty for all.
    pub questions: Vec<String>,
}

impl Default for RelatedRequest {
    fn default() -> Self {
        RelatedRequest {
            word: String::new(),
            limit: 20,
            min_shared: 2,
            questions: Vec::new(),
        }
    }
}

/// A synonym of the word.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedSynonym {
    pub word: String,
    /// Another spelling of the word itself.
    pub same_lexeme: bool,
    /// The thesaurus group it comes from.
    pub source: GroupSource,
    /// Answers it finds when searching by meaning.
    pub answers: usize,
}

/// A word that occurs in the word's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Cooccurrence {
    /// Base form, written as in the first answer that has it uninflected (ホワイトハッカー,
    /// whose base form is normalized to ホワイトハッカ).
    pub word: String,
    /// Answers with both (scaled when the word's answers were sampled).
    pub shared: usize,
    /// Answers with this word (by its base form).
    pub answers: usize,
    /// shared ÷ (answers of the word + answers of this word − shared).
    pub jaccard: f64,
}

/// The related words of one word.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub word: String,
    /// Answers that contain the word as typed.
    pub answers: usize,
    pub synonyms: Vec<RelatedSynonym>,
    /// Best first (higher Jaccard, then more shared answers, then the word).
    pub cooccurring: Vec<Cooccurrence>,
    /// The counts come from the first [`MAX_ANSWERS_READ`] answers, scaled.
    pub sampled: bool,
}

/// The synonyms and co-occurring words of `request.word` in the index.
pub fn related(searcher: &Searcher, request: &RelatedRequest) -> Result<Related> {
    let word = request.word.trim();
    let term = QueryTerm {
        text: word.to_string(),
        phrase: word.chars().any(char::is_whitespace),
        column: 1,
    };
    if word.is_empty() {
        let error = QueryError {
            column: 1,
            message: "give a word to find the related words of".into(),
        };
        return Err(Error::Usage(error.render(word)));
    }
    let reader = searcher.snapshot();
    let dir = Path::new(searcher.dir());

    let parsed = ParsedQuery {
        groups: vec![vec![term.clone()]],
        excluded: Vec::new(),
    };
    let within = SearchRequest {
        questions: request.questions.clone(),
        ..SearchRequest::default()
    };
    let compiled = searcher.compile(&parsed, word, &within)?;
    // Counts of another query, within the questions asked for.
    let count = |query: Box<dyn Query>| -> Result<usize> {
        let query: Box<dyn Query> = if request.questions.is_empty() {
            query
        } else {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, searcher.questions_query(&request.questions)),
            ]))
        };
        reader
            .search(&query, &Count)
            .map_err(|err| index_error(dir, err))
    };
    let analyzer = searcher.analyzer().analyzer();
    let mut synonyms = Vec::new();
    if !term.phrase {
        let thesaurus = analyzer.thesaurus()?;
        let typed = Pattern::new(analyzer, &term);
        for synonym in expand(analyzer, thesaurus, None, &term, &typed).synonyms {
            synonyms.push(RelatedSynonym {
                answers: count(searcher.pattern_query(&synonym.pattern))?,
                word: synonym.written,
                same_lexeme: synonym.same_lexeme,
                source: synonym.source,
            });
        }
    }

    let mut addresses: Vec<DocAddress> = reader
        .search(&compiled.query, &DocSetCollector)
        .map_err(|err| index_error(dir, err))?
        .into_iter()
        .collect();
    addresses.sort();
    let answers = addresses.len();
    let sampled = answers > MAX_ANSWERS_READ;
    addresses.truncate(MAX_ANSWERS_READ);
    let own: Vec<String> = WordForms::of(analyzer, word)
        .content
        .into_iter()
        .chain(std::iter::once(word.to_string()))
        .collect();
    let mut shared: HashMap<String, usize> = HashMap::new();
    let mut written: HashMap<String, String> = HashMap::new();
    for address in &addresses {
        let hit = searcher.hit(&reader, *address, 0.0, None)?;
        let analysis = analyzer.analyze(&hit.text);
        let words = content_words(&analysis.tokens);
        for token in &analysis.tokens {
            if token.surface == token.base
                && words.contains(token.base.as_ref())
                && !written.contains_key(token.base.as_ref())
            {
                let text = hit.text.get(token.start..token.end).unwrap_or_default();
                written.insert(token.base.to_string(), text.to_string());
            }
        }
        for other in words {
            if !own.contains(&other) {
                *shared.entry(other).or_default() += 1;
            }
        }
    }
    let read = addresses.len().max(1);
    let mut cooccurring = Vec::new();
    for (other, together) in shared {
        let together = if sampled {
            (together * answers).div_ceil(read)
        } else {
            together
        };
        if together < request.min_shared.max(1) {
            continue;
        }
        let token = Term::from_field_text(searcher.fields().tokens, &other);
        let with_other = if request.questions.is_empty() {
            reader
                .doc_freq(&token)
                .map_err(|err| index_error(dir, err))? as usize
        } else {
            count(Box::new(TermQuery::new(token, IndexRecordOption::Basic)))?
        };
        let with_other = with_other.max(together);
        let union = answers + with_other - together;
        cooccurring.push(Cooccurrence {
            jaccard: together as f64 / union.max(1) as f64,
            word: written.remove(&other).unwrap_or(other),
            shared: together,
            answers: with_other,
        });
    }
    cooccurring.sort_by(|a, b| {
        b.jaccard
            .total_cmp(&a.jaccard)
            .then(b.shared.cmp(&a.shared))
            .then_with(|| a.word.cmp(&b.word))
    });
    cooccurring.truncate(request.limit);
    Ok(Related {
        word: word.to_string(),
        answers,
        synonyms,
        cooccurring,
        sampled,
    })
}

/// The related words as JSON (what `jiyu related --json` prints and the page reads):
/// `{word, answers, synonyms: [{word, same_lexeme, group, answers}], cooccurring: [{word,
/// shared, answers, jaccard}], sampled}`, the Jaccard coefficient to four places.
pub fn to_json(found: &Related) -> serde_json::Value {
    serde_json::json!({
        "word": found.word,
        "answers": found.answers,
        "synonyms": found.synonyms.iter().map(|synonym| serde_json::json!({
            "word": synonym.word,
            "same_lexeme": synonym.same_lexeme,
            "group": synonym.source.to_string(),
            "answers": synonym.answers,
        })).collect::<Vec<_>>(),
        "cooccurring": found.cooccurring.iter().map(|other| serde_json::json!({
            "word": other.word,
            "shared": other.shared,
            "answers": other.answers,
            "jaccard": (other.jaccard * 1e4).round() / 1e4,
        })).collect::<Vec<_>>(),
        "sampled": found.sampled,
    })
}
