//! `GET /api/words` and `GET /api/network.svg`: the word list (KH Coder's 抽出語リスト) and the
//! co-occurrence network (共起ネットワーク) of the page's current hits — the parameters of
//! `/api/search`, the hits in the page's order.
//!
//! The words are counted by [`crate::views::words`] as `jiyu words` counts them (the default
//! parts of speech and stop words, non-answers left out), the network drawn by
//! [`crate::views::network`] with `jiyu network`'s defaults. At most [`MAX_WORD_HITS`] hits are
//! read (the first in the page's order); the JSON says how many were read. Hits of several
//! questions are counted together as one set of answers, and the JSON lists the questions with
//! their hits read, so the page can say which questions the words come from.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::views::network::{self, NetworkOptions};
use crate::views::words::{
    tally_words, QuestionWords, StopWords, WordFilter, WordQuery, WordSource, DEFAULT_POS,
};
use crate::Answer;

use super::api::{parse_search, ApiError};
use super::engine;
use super::App;

/// Most hits whose words are counted (the first in the page's order).
pub const MAX_WORD_HITS: usize = 20_000;
/// Words listed unless `top` says otherwise.
pub const DEFAULT_TOP: usize = 50;
/// Most words one list may ask for.
pub const MAX_TOP: usize = 500;

/// The words of the first [`MAX_WORD_HITS`] hits of one search.
pub struct HitWords {
    /// The search's hits.
    pub total: usize,
    /// The hits read (the first `read` in the page's order).
    pub read: usize,
    /// The questions of the hits read, with their hits, most hits first (then by name).
    pub questions: Vec<(String, usize)>,
    /// The words of the hits read, counted together as one question named by the questions'
    /// names (joined by `、`); `None` when no hit read is an answer (all non-answers, or none).
    pub words: Option<QuestionWords>,
}

/// The word filter of `jiyu words` and `jiyu network` without options.
fn default_filter() -> WordFilter {
    WordFilter {
        pos: DEFAULT_POS.map(String::from).to_vec(),
        stopwords: StopWords::builtin(),
    }
}

/// Counts the words of the hits of the search in `raw` (`limit` and `offset` ignored).
pub fn hit_words(app: &App, raw: Option<&str>) -> Result<HitWords, ApiError> {
    let mut request = parse_search(raw, MAX_WORD_HITS)?;
    request.offset = 0;
    request.limit = MAX_WORD_HITS;
    request.snippets = false;
    let corrections = app.corrections.current();
    let page = engine::search(&app.served, &corrections, &request)?;
    let mut questions: Vec<(String, usize)> = Vec::new();
    for page_hit in &page.hits {
        match questions
            .iter_mut()
            .find(|(question, _)| *question == page_hit.hit.question)
        {
            Some((_, hits)) => *hits += 1,
            None => questions.push((page_hit.hit.question.clone(), 1)),
        }
    }
    questions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let label = questions
        .iter()
        .map(|(question, _)| question.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let read = page.hits.len();
    let answers = page.hits.into_iter().map(|page_hit| {
        Ok(Answer {
            id: page_hit.hit.id,
            question: label.clone(),
            text: page_hit.hit.text,
            attributes: Vec::new(),
        })
    });
    let tally = tally_words(
        answers,
        WordSource::Analyzer(&app.served.classifier.analyzer),
        &default_filter(),
        &WordQuery::default(),
        &indicatif::ProgressBar::hidden(),
    )
    .map_err(|err| ApiError::internal(err.to_string()))?;
    Ok(HitWords {
        total: page.total,
        read,
        questions,
        words: tally.questions.into_iter().next(),
    })
}

/// Reads `top` (1 to [`MAX_TOP`], [`DEFAULT_TOP`] unless given).
fn top_of(raw: Option<&str>) -> Result<usize, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| ApiError::bad_request("URL のパラメータを読めません"))?;
    let mut top = DEFAULT_TOP;
    for (name, value) in pairs {
        if name == "top" {
            top = match value.trim().parse::<usize>() {
                Ok(top) if (1..=MAX_TOP).contains(&top) => top,
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "top は 1 から {MAX_TOP} までの整数で指定してください"
                    )))
                }
            };
        }
    }
    Ok(top)
}

/// What the page says under the list and the network.
fn note(words: &HitWords) -> String {
    let mut note = String::from(
        "語は名詞・動詞・形容詞の基本形で数えます（表記の揺れはまとめ、「する」「こと」などは除きます）。回答数はその語を含む回答の数、割合は語を数えた回答（「特になし」などの無回答を除く）に対する割合です。",
    );
    if words.questions.len() > 1 {
        note.push_str(
            "複数の設問の回答をまとめて数えています。設問ごとに見るには設問で絞り込んでください。",
        );
    }
    if words.read < words.total {
        note.push_str(&format!(
            "ヒット {} 件のうち、一覧の順で先頭の {} 件から数えています。",
            words.total, words.read
        ));
    }
    note
}

/// `GET /api/words`: the parameters of `/api/search` and `top`; `{total, read, max_read,
/// questions: [{question, hits}], answers (the hits read that were counted: non-answers are
/// not), rows: [{word (as written most often), base, pos, answers, share}], note}`.
pub async fn words_json(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let top = top_of(raw.as_deref())?;
    let body = app
        .blocking(move |app| -> Result<Value, ApiError> {
            let words = hit_words(app, raw.as_deref())?;
            let (answers, rows) = match &words.words {
                Some(counted) => (
                    counted.answers,
                    counted
                        .list(&[], 1, top)
                        .rows
                        .iter()
                        .map(|row| {
                            json!({
                                "word": row.word,
                                "base": row.base,
                                "pos": row.pos,
                                "answers": row.answers,
                                "share": row.share,
                            })
                        })
                        .collect(),
                ),
                None => (0, Vec::new()),
            };
            Ok(json!({
                "total": words.total,
                "read": words.read,
                "max_read": MAX_WORD_HITS,
                "questions": words
                    .questions
                    .iter()
                    .map(|(question, hits)| json!({"question": question, "hits": hits}))
                    .collect::<Vec<_>>(),
                "answers": answers,
                "rows": Value::Array(rows),
                "note": note(&words),
            }))
        })
        .await??;
    Ok(Json(body))
}

/// `GET /api/network.svg`: the parameters of `/api/search`; the co-occurrence network of the
/// hits read, drawn as `jiyu network` draws it by default (an SVG whose texts are escaped; the
/// same hits give the same bytes). No hit with words is a 400 with the page's message.
pub async fn network_svg(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let svg = app
        .blocking(move |app| -> Result<String, ApiError> {
            let words = hit_words(app, raw.as_deref())?;
            let counted = words.words.ok_or_else(|| {
                ApiError::bad_request(
                    "共起ネットワークを描く回答がありません（ヒットが 0 件か、すべて無回答です）",
                )
            })?;
            Ok(network::build(&counted, &NetworkOptions::default()).svg())
        })
        .await??;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    )
        .into_response())
}
