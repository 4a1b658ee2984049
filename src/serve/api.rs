//! The JSON API the page uses: `GET /api/meta`, `GET /api/search`, `GET /api/crosstab`,
//! `GET /api/kwic`, `GET /api/answers/{id}` and `POST /api/overrides`.
//!
//! Every input is bounded (query and value lengths, number of filters, page size and depth)
//! and every failure is an error object `{"error": message}` with a 4xx status; a 500 means a
//! bug or a disk that refused a write, never bad input.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::classify::{Basis, Classification, MODEL_TERM_PREFIX, NO_ANSWER, REVIEW_BELOW};
use crate::index::highlight::{ConceptHit, MatchedWord};
use crate::index::{check_below, related, RelatedRequest, SortBy};
use crate::output::rounded_confidence;
use crate::rules::scheme::{RuleSet, UNCLASSIFIED};
use crate::views::significance::{adjusted_residual, Mark};

use super::cache::PageKey;
use super::catalog::Kind;
use super::corrections::SaveError;
use super::engine::{self, Page, PageRequest, SearchError};
use super::App;

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Longest filter value or id, in characters.
pub const MAX_VALUE_CHARS: usize = 200;
/// Most filter values in one request.
pub const MAX_FILTERS: usize = 64;
/// Most hits in one page.
pub const MAX_LIMIT: usize = 200;
/// Deepest page start: paging goes through a hundred thousand hits; past that, narrow the query.
pub const MAX_OFFSET: usize = 100_000;
/// Longest note of a correction, in characters.
const MAX_NOTE_CHARS: usize = 1000;
/// Most categories in one correction.
const MAX_CATEGORIES: usize = 16;

/// An error answer: a status and a message for the page (Japanese), with the query column for
/// query errors.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    column: Option<usize>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            column: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.message });
        if let Some(column) = self.column {
            body["column"] = json!(column);
        }
        (self.status, Json(body)).into_response()
    }
}

impl From<SearchError> for ApiError {
    fn from(err: SearchError) -> Self {
        match err {
            SearchError::Query(problem) => ApiError {
                status: StatusCode::BAD_REQUEST,
                message: query_message_ja(&problem.message),
                column: problem.column,
            },
            SearchError::Index(err) => ApiError::internal(err.to_string()),
        }
    }
}

/// The query parser's message in Japanese, its caret line kept.
fn query_message_ja(message: &str) -> String {
    let known = [
        (
            "OR needs a word on each side",
            "OR の両側に語を書いてください（語 OR 語 の形で）",
        ),
        (
            "an excluded word (-word) cannot be a side of OR",
            "除外語（-語）は OR の片側にできません",
        ),
        (
            "nothing to exclude after `-`",
            "「-」の後に除外する語を続けて書いてください（-語 のように空白なしで）",
        ),
        ("this quote is never closed", "引用符 \" が閉じていません"),
        ("an empty phrase", "引用符の間に語を書いてください"),
        (
            "has no letters or digits",
            "検索できる文字（文字か数字）がない語があります",
        ),
    ];
    let translated = known
        .iter()
        .find(|(english, _)| message.contains(english))
        .map(|(_, japanese)| *japanese);
    // The rendered message is "query, column N: …" then the query and a caret line.
    let rest: Vec<&str> = message.lines().skip(1).collect();
    match translated {
        Some(japanese) if rest.is_empty() => japanese.to_string(),
        Some(japanese) => format!("{japanese}\n{}", rest.join("\n")),
        None => message.to_string(),
    }
}

/// Reads the search parameters: `q`, `question`, `category`, `basis`, `where` (NAME=VALUE), each
/// filter repeatable, `below` (a confidence bound, 0 < P ≤ 1), `sort` (`relevance` or
/// `confidence`), `exact` (`1`: the words as typed only, no search by meaning) and
/// `limit`/`offset`. Unknown parameters are ignored.
pub fn parse_search(raw: Option<&str>, default_limit: usize) -> Result<PageRequest, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| ApiError::bad_request("URL のパラメータを読めません"))?;
    let mut request = PageRequest {
        limit: default_limit,
        snippets: true,
        by_meaning: true,
        ..PageRequest::default()
    };
    let mut filters = 0usize;
    let number = |name: &str, value: &str, max: usize| -> Result<usize, ApiError> {
        match value.trim().parse::<usize>() {
            Ok(number) if number <= max => Ok(number),
            _ => Err(ApiError::bad_request(format!(
                "{name} は 0 から {max} までの整数で指定してください"
            ))),
        }
    };
    for (name, value) in pairs {
        let too_long = |max: usize| value.chars().count() > max;
        match name.as_str() {
            "q" => {
                if too_long(MAX_QUERY_CHARS) {
                    return Err(ApiError::bad_request(format!(
                        "検索語が長すぎます（{MAX_QUERY_CHARS}文字まで）"
                    )));
                }
                request.query = value;
            }
            "question" | "category" | "basis" | "where" => {
                filters += 1;
                if filters > MAX_FILTERS {
                    return Err(ApiError::bad_request(format!(
                        "絞り込みの条件が多すぎます（{MAX_FILTERS}個まで）"
                    )));
                }
                if too_long(MAX_VALUE_CHARS) {
                    return Err(ApiError::bad_request(format!(
                        "絞り込みの値が長すぎます（{MAX_VALUE_CHARS}文字まで）"
                    )));
                }
                let value = value.trim().to_string();
                if value.is_empty() {
                    continue;
                }
                match name.as_str() {
                    "question" => request.questions.push(value),
                    "category" => request.categories.push(value),
                    "basis" => {
                        if Basis::parse(&value).is_none() {
                            let names: Vec<&str> =
                                Basis::ALL.iter().map(|basis| basis.as_str()).collect();
                            return Err(ApiError::bad_request(format!(
                                "basis は {} のいずれかで指定してください",
                                names.join(", ")
                            )));
                        }
                        request.bases.push(value)
                    }
                    _ => match value.split_once('=') {
                        Some((attribute, wanted)) if !attribute.trim().is_empty() => request
                            .attributes
                            .push((attribute.trim().to_string(), wanted.trim().to_string())),
                        _ => {
                            return Err(ApiError::bad_request(
                                "where は 属性名=値 の形で指定してください",
                            ))
                        }
                    },
                }
            }
            "below" => {
                let bound = value
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(|bound| check_below(bound).ok())
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "below は 0 より大きく 1 以下の数で指定してください（例: {REVIEW_BELOW}）"
                        ))
                    })?;
                request.below = Some(bound);
            }
            "sort" => {
                request.sort = match value.trim() {
                    "relevance" | "" => SortBy::Relevance,
                    "confidence" => SortBy::Confidence,
                    _ => {
                        return Err(ApiError::bad_request(
                            "sort は relevance か confidence で指定してください",
                        ))
                    }
                }
            }
            "exact" => {
                request.by_meaning = match value.trim() {
                    "1" | "true" | "on" => false,
                    "0" | "false" | "" => true,
                    _ => {
                        return Err(ApiError::bad_request(
                            "exact は 1（入力した語だけで探す）か 0 で指定してください",
                        ))
                    }
                }
            }
            "limit" => request.limit = number("limit", &value, MAX_LIMIT)?,
            "offset" => request.offset = number("offset", &value, MAX_OFFSET)?,
            _ => {}
        }
    }
    Ok(request)
}

/// The label of `category` for answers of `question`.
pub fn label_for(rules: &RuleSet, question: &str, category: &str) -> String {
    let label = rules.label(rules.scheme_for(question), category);
    if label.is_empty() {
        category.to_string()
    } else {
        label
    }
}

/// The label of a category in a list that mixes questions: the label of the one scheme the
/// `questions` share, else every scheme's label for the id (ids like `education` recur).
pub fn category_label(rules: &RuleSet, questions: &[String], category: &str) -> String {
    if category == NO_ANSWER || category == UNCLASSIFIED {
        return rules.label(None, category);
    }
    let mut schemes: Vec<&crate::rules::scheme::Scheme> = questions
        .iter()
        .filter_map(|question| rules.scheme_for(question))
        .collect();
    schemes.sort_by(|a, b| a.id.cmp(&b.id));
    schemes.dedup_by(|a, b| a.id == b.id);
    if let [scheme] = schemes.as_slice() {
        if let Some(found) = scheme.category(category) {
            return found.label.clone();
        }
    }
    let mut labels: Vec<&str> = Vec::new();
    for scheme in &rules.schemes {
        if let Some(found) = scheme.category(category) {
            if !labels.contains(&found.label.as_str()) {
                labels.push(&found.label);
            }
        }
    }
    if labels.is_empty() {
        category.to_string()
    } else {
        labels.join("／")
    }
}

/// The words found in a hit: `[{word, synonym_of}]` (as `jiyu search --json`).
fn matched_json(matched: &[MatchedWord]) -> Value {
    Value::Array(
        matched
            .iter()
            .map(|found| json!({"word": found.word, "synonym_of": found.synonym_of}))
            .collect(),
    )
}

/// The categories a hit was found through: `[{category, label, query_word, via, mark,
/// reason}]`, `reason` in Japanese for the page.
fn concepts_json(concepts: &[ConceptHit]) -> Value {
    Value::Array(
        concepts
            .iter()
            .map(|concept| {
                json!({
                    "category": concept.category,
                    "label": concept.label,
                    "query_word": concept.query_word,
                    "via": concept.via,
                    "mark": concept.marker(),
                    "reason": concept.reason_ja(),
                })
            })
            .collect(),
    )
}

/// A confidence as every output writes it (three decimals), or null.
fn confidence_json(confidence: Option<f64>) -> Value {
    confidence.map_or(Value::Null, |confidence| {
        json!(rounded_confidence(confidence))
    })
}

fn attributes_json(attributes: &[(String, String)]) -> Map<String, Value> {
    attributes
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect()
}

/// The search answer as JSON: the hit objects of `jiyu search --json` (plus labels and whether
/// a correction set the categories), the category counts of the hits, and every filter's
/// counts.
pub fn page_json(app: &App, request: &PageRequest, page: &Page) -> Value {
    let rules = &app.served.classifier.rules;
    // Built by moving each part into place: `json!` would copy every nested array it is given.
    let object = |pairs: Vec<(&str, Value)>| -> Value {
        Value::Object(
            pairs
                .into_iter()
                .map(|(key, value)| (key.to_string(), value))
                .collect(),
        )
    };
    let hits: Vec<Value> = page
        .hits
        .iter()
        .map(|page_hit| {
            let hit = &page_hit.hit;
            let highlights: Vec<Value> = hit
                .snippet
                .char_highlights()
                .into_iter()
                .map(|range| json!([range.start, range.end]))
                .collect();
            let labels: Vec<Value> = hit
                .categories
                .iter()
                .map(|category| Value::String(label_for(rules, &hit.question, category)))
                .collect();
            object(vec![
                ("id", json!(hit.id)),
                ("question", json!(hit.question)),
                ("text", json!(hit.text)),
                ("categories", json!(hit.categories)),
                (
                    "attributes",
                    Value::Object(attributes_json(&hit.attributes)),
                ),
                ("score", json!((f64::from(hit.score) * 1e4).round() / 1e4)),
                ("snippet", json!(hit.snippet.text)),
                ("highlights", Value::Array(highlights)),
                ("labels", Value::Array(labels)),
                ("confidence", confidence_json(hit.confidence)),
                ("basis", json!(hit.basis.as_str())),
                ("basis_label", json!(hit.basis.label())),
                ("overridden", json!(page_hit.overridden)),
                ("matched", matched_json(&hit.matched)),
                ("concepts", concepts_json(&hit.concepts)),
            ])
        })
        .collect();
    let facets: Map<String, Value> = page
        .facets
        .iter()
        .map(|(category, count)| (category.clone(), json!(count)))
        .collect();
    let mut questions = Vec::new();
    let mut categories = Vec::new();
    let mut bases = Vec::new();
    let mut attributes = Vec::new();
    for (kind, counts) in &page.filters {
        let values = || -> Vec<Value> {
            counts
                .iter()
                .map(|(value, count)| {
                    object(vec![("value", json!(value)), ("count", json!(count))])
                })
                .collect()
        };
        match kind {
            Kind::Question => questions = values(),
            Kind::Category => {
                categories = counts
                    .iter()
                    .map(|(value, count)| {
                        object(vec![
                            ("value", json!(value)),
                            (
                                "label",
                                json!(category_label(rules, &request.questions, value)),
                            ),
                            ("count", json!(count)),
                        ])
                    })
                    .collect()
            }
            Kind::Basis => {
                bases = counts
                    .iter()
                    .map(|(value, count)| {
                        let label: &str = match Basis::parse(value) {
                            Some(basis) => basis.label(),
                            None => value,
                        };
                        object(vec![
                            ("value", json!(value)),
                            ("label", json!(label)),
                            ("count", json!(count)),
                        ])
                    })
                    .collect()
            }
            Kind::Attribute(name) => attributes.push(object(vec![
                ("name", json!(name)),
                ("values", Value::Array(values())),
            ])),
        }
    }
    // The groups of categories (NET): answers with any member, each once.
    let groups: Vec<Value> = page
        .groups
        .iter()
        .map(|group| {
            object(vec![
                ("id", json!(group.id)),
                ("label", json!(group.label)),
                ("members", json!(group.members)),
                ("count", json!(group.count)),
            ])
        })
        .collect();
    let labels: Map<String, Value> = page
        .facets
        .iter()
        .map(|(category, _)| {
            (
                category.clone(),
                json!(category_label(rules, &request.questions, category)),
            )
        })
        .collect();
    object(vec![
        ("query", json!(request.query)),
        (
            "sort",
            json!(match request.sort {
                SortBy::Relevance => "relevance",
                SortBy::Confidence => "confidence",
            }),
        ),
        ("below", json!(request.below)),
        ("exact", json!(!request.by_meaning)),
        ("total", json!(page.total)),
        ("offset", json!(request.offset)),
        ("limit", json!(request.limit)),
        ("hits", Value::Array(hits)),
        ("facets", Value::Object(facets)),
        ("facet_labels", Value::Object(labels)),
        (
            "filters",
            object(vec![
                ("question", Value::Array(questions)),
                ("category", Value::Array(categories)),
                ("category_groups", Value::Array(groups)),
                ("basis", Value::Array(bases)),
                ("attributes", Value::Array(attributes)),
                (
                    "review",
                    object(vec![
                        ("below", json!(page.review_below)),
                        ("count", json!(page.review)),
                    ]),
                ),
            ]),
        ),
        ("warnings", json!(page.warnings)),
    ])
}

/// `GET /api/search`.
pub async fn search(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let request = parse_search(raw.as_deref(), 20)?;
    cached_page(&app, "search", request, page_json).await
}

/// The JSON of `render` over the page for `request`: the bytes sent last time for the same
/// route and request with the corrections still in force ([`super::cache::PageCache`]), else a search off
/// the async threads, kept for next time. A page found kept waits for no search.
async fn cached_page(
    app: &Arc<App>,
    route: &'static str,
    request: PageRequest,
    render: fn(&App, &PageRequest, &Page) -> Value,
) -> Result<Response, ApiError> {
    let key = PageKey::new(route, &request);
    if let Some(body) = app.pages.get(&key, &app.corrections.current()) {
        return Ok(json_response(body));
    }
    let body = app
        .blocking(move |app| -> Result<Bytes, ApiError> {
            let corrections = app.corrections.current();
            // Made while this request waited for its turn.
            if let Some(body) = app.pages.get(&key, &corrections) {
                return Ok(body);
            }
            let page = engine::search(&app.served, &corrections, &request)?;
            let body = serde_json::to_vec(&render(app, &request, &page))
                .map_err(|err| ApiError::internal(err.to_string()))?;
            let body = Bytes::from(body);
            app.pages.put(key, corrections, body.clone());
            Ok(body)
        })
        .await??;
    Ok(json_response(body))
}

/// JSON bytes as axum's `Json` sends them.
fn json_response(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// The page's note beside every cross-table.
pub const CROSS_NOTE: &str = "▲▽: 調整済み残差が +1.96 以上・−1.96 以下のセル（5% 水準で多い・少ない）。修正した回答は修正後のカテゴリで数えます。1件の回答が複数のカテゴリに入るときはそれぞれの行に数えるので、列の割合の合計が100%を超えることがあります。";

/// `GET /api/crosstab?by=ATTRIBUTE&…`: the hits of `/api/search` with the same parameters
/// (`limit` and `offset` ignored), as a cross-table of their categories (corrected) × the
/// values of the attribute `by`: per cell the hits and their share of the column's hits.
pub async fn crosstab(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut request = parse_search(raw.as_deref(), 0)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|_| ApiError::bad_request("URL のパラメータを読めません"))?;
    let by = pairs
        .into_iter()
        .find(|(name, _)| name == "by")
        .map(|(_, value)| value.trim().to_string())
        .filter(|value| !value.is_empty())
        .ok_or_else(|| {
            ApiError::bad_request("集計する属性を by で指定してください（例: by=業種）")
        })?;
    if by.chars().count() > MAX_VALUE_CHARS {
        return Err(ApiError::bad_request(format!(
            "属性名が長すぎます（{MAX_VALUE_CHARS}文字まで）"
        )));
    }
    request.offset = 0;
    request.limit = 0;
    request.snippets = false;
    request.cross = Some(by);
    cached_page(&app, "crosstab", request, crosstab_json).await
}

/// A share as the page shows it: four places (0.2255), 0 of nothing.
fn share(count: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (count as f64 / whole as f64 * 1e4).round() / 1e4
    }
}

/// The cross-table of [`Page::cross`] as JSON: `attribute`, `total` (the hits), `columns`
/// (`value` — null for the hits without one —, `label`, `answers`), `rows` (`category`,
/// `label`, `total`, `share` of all hits, `cells` of `count` and `share` of the column's
/// hits, the adjusted standardized `residual` of the cell against the hits outside it, two
/// places, and its `mark`: ▲ at 1.96 or above, ▽ at −1.96 or below, else null), `multiple`
/// (some answer counts in more than one row) and the `note` the page shows.
pub fn crosstab_json(app: &App, request: &PageRequest, page: &Page) -> Value {
    let rules = &app.served.classifier.rules;
    let Some(cross) = &page.cross else {
        return json!({ "total": page.total, "rows": [], "columns": [] });
    };
    let columns: Vec<Value> = cross
        .columns
        .iter()
        .map(|(value, answers)| {
            json!({
                "value": value,
                "label": value.as_deref().unwrap_or("（値なし）"),
                "answers": answers,
            })
        })
        .collect();
    let mut multiple = false;
    let mut sums = vec![0u64; cross.columns.len()];
    let rows: Vec<Value> = cross
        .rows
        .iter()
        .map(|(category, cells, total)| {
            let cells: Vec<Value> = cells
                .iter()
                .zip(&cross.columns)
                .zip(sums.iter_mut())
                .map(|((count, (_, answers)), sum)| {
                    *sum += count;
                    // The residual of the 2 × 2 table "has the category" × "has the value"
                    // over the hits: valid when answers have several categories.
                    let residual = adjusted_residual(
                        *count as usize,
                        *total as usize,
                        *answers as usize,
                        page.total,
                    );
                    json!({
                        "count": count,
                        "share": share(*count, *answers),
                        "residual": residual.map(|residual| (residual * 100.0).round() / 100.0),
                        "mark": Mark::of(residual).map(Mark::symbol),
                    })
                })
                .collect();
            json!({
                "category": category,
                "label": category_label(rules, &request.questions, category),
                "total": total,
                "share": share(*total, page.total as u64),
                "cells": cells,
            })
        })
        .collect();
    for (sum, (_, answers)) in sums.iter().zip(&cross.columns) {
        multiple |= sum > answers;
    }
    json!({
        "attribute": cross.attribute,
        "total": page.total,
        "columns": columns,
        "rows": rows,
        "multiple": multiple,
        "note": CROSS_NOTE,
    })
}

/// Most co-occurring words in one answer of `/api/related`.
pub const MAX_RELATED: usize = 50;

/// `GET /api/related?word=…&limit=…&question=…`: the synonyms and co-occurring words of a word
/// (as `jiyu related --json`), within the answers of the `question`s given (the page's 設問
/// filter; all answers without one), for the page's 関連語 panel.
pub async fn related_words(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|_| ApiError::bad_request("URL のパラメータを読めません"))?;
    let mut request = RelatedRequest {
        limit: 15,
        ..RelatedRequest::default()
    };
    for (name, value) in pairs {
        match name.as_str() {
            "word" => {
                if value.chars().count() > MAX_VALUE_CHARS {
                    return Err(ApiError::bad_request(format!(
                        "語が長すぎます（{MAX_VALUE_CHARS}文字まで）"
                    )));
                }
                request.word = value.trim().to_string();
            }
            "question" => {
                if value.chars().count() > MAX_VALUE_CHARS {
                    return Err(ApiError::bad_request(format!(
                        "設問が長すぎます（{MAX_VALUE_CHARS}文字まで）"
                    )));
                }
                request.questions.push(value.trim().to_string());
            }
            "limit" => match value.trim().parse::<usize>() {
                Ok(limit) if limit <= MAX_RELATED => request.limit = limit,
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "limit は 0 から {MAX_RELATED} までの整数で指定してください"
                    )))
                }
            },
            _ => {}
        }
    }
    if request.word.is_empty() {
        return Err(ApiError::bad_request(
            "関連語を調べる語を word で指定してください",
        ));
    }
    let body = app
        .blocking(move |app| -> Result<Value, ApiError> {
            match related(&app.served.index, &request) {
                Ok(found) => Ok(crate::index::related::to_json(&found)),
                Err(crate::error::Error::Usage(_)) => Err(ApiError::bad_request(
                    "検索できる文字（文字か数字）がない語です",
                )),
                Err(err) => Err(ApiError::internal(err.to_string())),
            }
        })
        .await??;
    Ok(Json(body))
}

/// `GET /api/meta`: what the page needs to draw its controls.
pub async fn meta(State(app): State<Arc<App>>) -> Json<Value> {
    let served = &app.served;
    let rules = &served.classifier.rules;
    let catalog = &served.catalog;
    let questions: Vec<&str> = catalog.dims[super::catalog::QUESTION].values.sorted_names();
    let schemes: Vec<Value> = rules
        .schemes
        .iter()
        .map(|scheme| {
            json!({
                "id": scheme.id,
                "title": scheme.title,
                "questions": scheme.questions,
                "categories": scheme.categories.iter().map(|category| json!({
                    "id": category.id, "label": category.label,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({
        "documents": catalog.documents,
        "questions": questions,
        "attributes": catalog.attribute_names(),
        "schemes": schemes,
        "labels": {
            UNCLASSIFIED: rules.label(None, UNCLASSIFIED),
            NO_ANSWER: rules.label(None, NO_ANSWER),
        },
        "bases": Basis::ALL.iter().map(|basis| json!({
            "id": basis.as_str(), "label": basis.label(),
        })).collect::<Vec<_>>(),
        "review_below": REVIEW_BELOW,
        "overrides": app.corrections.path().map(|path| path.display().to_string()),
        "limits": {
            "query_chars": MAX_QUERY_CHARS,
            "page": MAX_LIMIT,
            "offset": MAX_OFFSET,
        },
    }))
}

/// One category of an answer with the rule matches behind it.
fn category_json(
    rules: &RuleSet,
    question: &str,
    category: &str,
    classification: &Classification,
) -> Value {
    let evidence: Vec<Value> = classification
        .evidence
        .iter()
        .filter(|evidence| evidence.category == category)
        .flat_map(|evidence| evidence.matches.iter())
        .map(|found| {
            json!({
                "term": found.term,
                "text": found.text,
                "start": found.start,
                "end": found.end,
                // The model's word rather than a rule's (`model:研修`).
                "model": found.term.starts_with(MODEL_TERM_PREFIX),
            })
        })
        .collect();
    json!({
        "id": category,
        "label": label_for(rules, question, category),
        "evidence": evidence,
    })
}

/// The categories a person may give an answer of `question`, in scheme order.
pub fn choices(rules: &RuleSet, question: &str) -> Vec<(String, String)> {
    let mut choices: Vec<(String, String)> = Vec::new();
    if let Some(scheme) = rules.scheme_for(question) {
        for category in &scheme.categories {
            choices.push((category.id.clone(), category.label.clone()));
        }
        choices.push((UNCLASSIFIED.into(), rules.label(Some(scheme), UNCLASSIFIED)));
    }
    choices.push((NO_ANSWER.into(), rules.label(None, NO_ANSWER)));
    choices
}

/// An answer in full: text, attributes, its categories (corrected) with evidence, what the
/// rules say now, and the categories it may be given.
pub fn answer_json(app: &App, id: &str) -> Result<Value, ApiError> {
    let served = &app.served;
    let rules = &served.classifier.rules;
    let (_, hit) = served
        .find(id)
        .map_err(|err| ApiError::internal(err.to_string()))?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("回答「{id}」はありません")))?;
    // The index stores categories, not evidence: classify the text again to show it.
    let classification = served.classifier.classify_text(&hit.question, &hit.text);
    let corrections = app.corrections.current();
    let correction = corrections.by_id.get(&hit.id);
    let categories = correction.map_or(&hit.categories, |correction| &correction.categories);
    let scheme = rules.scheme_for(&hit.question);
    // As the hits show it: a correction is basis override with confidence 1.
    let (basis, confidence) = match correction {
        Some(_) => (Basis::Override, Some(1.0)),
        None => (hit.basis, hit.confidence),
    };
    Ok(json!({
        "id": hit.id,
        "question": hit.question,
        "text": hit.text,
        "attributes": attributes_json(&hit.attributes),
        "scheme": scheme.map(|scheme| json!({ "id": scheme.id, "title": scheme.title })),
        "categories": categories.iter().map(|category| {
            category_json(rules, &hit.question, category, &classification)
        }).collect::<Vec<_>>(),
        "confidence": confidence_json(confidence),
        "basis": basis.as_str(),
        "basis_label": basis.label(),
        "indexed": hit.categories,
        "rules": classification.categories.iter().map(|category| {
            category_json(rules, &hit.question, category, &classification)
        }).collect::<Vec<_>>(),
        // What jiyu says now (the classification shown as `rules`): its basis and confidence.
        "classified": {
            "confidence": confidence_json(classification.confidence),
            "basis": classification.basis.as_str(),
            "basis_label": classification.basis.label(),
        },
        "overridden": correction.is_some(),
        "note": correction.and_then(|correction| correction.note.clone()),
        "choices": choices(rules, &hit.question).into_iter().map(|(id, label)| {
            json!({ "id": id, "label": label })
        }).collect::<Vec<_>>(),
    }))
}

/// `GET /api/answers/{id}`.
pub async fn answer(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if id.chars().count() > MAX_VALUE_CHARS {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "回答 id が長すぎます"));
    }
    let body = app.blocking(move |app| answer_json(app, &id)).await??;
    Ok(Json(body))
}

/// The body of `POST /api/overrides`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRequest {
    pub id: String,
    /// Strongest first.
    pub categories: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /api/overrides`: saves a correction and answers with the answer's new categories.
pub async fn save_override(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Json<CorrectionRequest>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    app.security
        .check_post(&headers)
        .map_err(|message| ApiError::new(StatusCode::FORBIDDEN, message))?;
    let Json(request) = body.map_err(|rejection| {
        ApiError::new(
            rejection.status(),
            format!("修正の内容を読めません: {}", rejection.body_text()),
        )
    })?;
    let id = request.id.trim().to_string();
    if id.is_empty() || id.chars().count() > MAX_VALUE_CHARS {
        return Err(ApiError::bad_request("回答 id がありません"));
    }
    if request.categories.len() > MAX_CATEGORIES
        || request
            .categories
            .iter()
            .any(|category| category.chars().count() > MAX_VALUE_CHARS)
    {
        return Err(ApiError::bad_request(
            "カテゴリの指定が多すぎるか長すぎます",
        ));
    }
    let note = request
        .note
        .map(|note| note.trim().to_string())
        .filter(|note| !note.is_empty());
    if note
        .as_ref()
        .is_some_and(|note| note.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(ApiError::bad_request(format!(
            "メモが長すぎます（{MAX_NOTE_CHARS}文字まで）"
        )));
    }
    let categories: Vec<String> = request
        .categories
        .iter()
        .map(|category| category.trim().to_string())
        .collect();
    let body = app
        .blocking(move |app| -> Result<Value, ApiError> {
            let served = &app.served;
            let saved = app
                .corrections
                .save(served, &id, categories, note)
                .map_err(|err| match err {
                    SaveError::ReadOnly => ApiError::new(
                        StatusCode::CONFLICT,
                        "修正は保存できません: サーバーが --overrides FILE なしで起動されています",
                    ),
                    SaveError::Invalid(message) => ApiError::bad_request(message),
                    SaveError::NotFound => {
                        ApiError::new(StatusCode::NOT_FOUND, format!("回答「{id}」はありません"))
                    }
                    SaveError::BrokenFile(message) => ApiError::new(StatusCode::CONFLICT, message),
                    SaveError::Io(message) => {
                        ApiError::internal(format!("修正を保存できませんでした: {message}"))
                    }
                })?;
            // No page kept can be sent again: each counted the answer as it was.
            app.pages.clear();
            let question = served
                .locate(&id)
                .map_err(|err| ApiError::internal(err.to_string()))?
                .map(|(_, question)| question)
                .unwrap_or_default();
            let rules = &served.classifier.rules;
            Ok(json!({
                "id": id,
                "categories": saved.categories.iter().map(|category| json!({
                    "id": category,
                    "label": label_for(rules, &question, category),
                })).collect::<Vec<_>>(),
                "note": saved.note,
                "overridden": true,
                "confidence": confidence_json(Some(1.0)),
                "basis": Basis::Override.as_str(),
                "basis_label": Basis::Override.label(),
                "file": app.corrections.path().map(|path| path.display().to_string()),
            }))
        })
        .await??;
    Ok(Json(body))
}
