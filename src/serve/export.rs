//! `GET /api/search.csv`: the hits of the page's search and filters as a CSV file for Excel —
//! UTF-8 with a BOM, CRLF, the columns of `jiyu classify --output-format csv` (id, question,
//! text, primary, primary_label, categories, confidence, basis, then one column per attribute),
//! categories as corrected (a corrected answer: confidence 1, basis override), in the page's
//! order.
//!
//! `GET /api/kwic` and `GET /api/kwic.csv`: the concordance of one word (by default the query's
//! first) over the same hits, each line with its answer's categories (as corrected) and
//! attributes — the CSV as `jiyu kwic --output-format csv` writes it.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::output::{csv_answer_header, csv_answer_row};

use axum::Json;
use serde_json::{json, Value};

use crate::index::kwic::{self, KwicLine, KwicRequest, KwicSort};
use crate::index::query::parse;

use super::api::{label_for, parse_search, ApiError, MAX_VALUE_CHARS};
use super::engine::{self, PageHit};
use super::App;

/// Most hits the page's KWIC view reads (the first in the page's order); the download reads
/// up to [`MAX_ROWS`].
pub const MAX_KWIC_HITS: usize = 5_000;
/// Most lines the page's KWIC view shows.
pub const MAX_KWIC_LINES: usize = 1_000;

/// Most rows in one download; the page says so beside the link.
pub const MAX_ROWS: usize = 100_000;

/// `GET /api/search.csv`: the same parameters as `/api/search`; `limit` and `offset` are ignored.
pub async fn csv(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut request = parse_search(raw.as_deref(), MAX_ROWS)?;
    request.offset = 0;
    request.limit = MAX_ROWS;
    request.snippets = false;
    let bytes = app
        .blocking(move |app| -> Result<Vec<u8>, ApiError> {
            let corrections = app.corrections.current();
            let page = engine::search(&app.served, &corrections, &request)?;
            write(app, &page.hits)
        })
        .await??;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"jiyu-hits.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

fn write(app: &App, hits: &[PageHit]) -> Result<Vec<u8>, ApiError> {
    let rules = &app.served.classifier.rules;
    let attributes = app.served.catalog.attribute_names();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let encode = |err: csv::Error| ApiError::internal(format!("cannot encode CSV: {err}"));
    writer
        .write_record(csv_answer_header(&attributes))
        .map_err(encode)?;
    for page_hit in hits {
        let hit = &page_hit.hit;
        let primary_label = hit
            .categories
            .first()
            .map(|primary| label_for(rules, &hit.question, primary))
            .unwrap_or_default();
        let row = csv_answer_row(
            &hit.id,
            &hit.question,
            &hit.text,
            &hit.categories,
            &primary_label,
            hit.confidence,
            hit.basis.as_str(),
            attributes.iter().map(|name| {
                hit.attributes
                    .iter()
                    .find(|(attribute, _)| attribute.trim() == name)
                    .map_or("", |(_, value)| value.as_str())
            }),
        );
        writer.write_record(&row).map_err(encode)?;
    }
    writer
        .into_inner()
        .map_err(|err| ApiError::internal(format!("cannot encode CSV: {err}")))
}

/// The KWIC parameters beside the search's: `word` (else the query's first word), `width`
/// (display columns of context, 4 to 60, 30 unless given) and `kwic_sort` (`id`, `left`,
/// `right`).
fn kwic_request(raw: Option<&str>, query: &str) -> Result<KwicRequest, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| ApiError::bad_request("URL のパラメータを読めません"))?;
    let mut request = KwicRequest::default();
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
            "width" => match value.trim().parse::<usize>() {
                Ok(width) if (4..=60).contains(&width) => request.width = width,
                _ => {
                    return Err(ApiError::bad_request(
                        "width は 4 から 60 までの整数で指定してください",
                    ))
                }
            },
            "kwic_sort" => {
                request.sort = match value.trim() {
                    "id" | "" => KwicSort::Id,
                    "left" => KwicSort::Left,
                    "right" => KwicSort::Right,
                    _ => {
                        return Err(ApiError::bad_request(
                            "kwic_sort は id、left、right のいずれかで指定してください",
                        ))
                    }
                }
            }
            _ => {}
        }
    }
    if request.word.is_empty() {
        request.word = parse(query)
            .ok()
            .and_then(|parsed| {
                parsed
                    .groups
                    .first()
                    .and_then(|group| group.first())
                    .map(|term| term.text.clone())
            })
            .unwrap_or_default();
    }
    if request.word.is_empty() {
        return Err(ApiError::bad_request(
            "KWIC（語の前後）を見るには検索語を入れてください",
        ));
    }
    Ok(request)
}

/// The concordance of the KWIC request of `raw` over the first `hits` hits of its search.
fn kwic_lines(
    app: &App,
    raw: Option<&str>,
    hits: usize,
) -> Result<(KwicRequest, usize, Vec<KwicLine>), ApiError> {
    let mut request = parse_search(raw, hits)?;
    request.offset = 0;
    request.limit = hits;
    request.snippets = false;
    let kwic_request = kwic_request(raw, &request.query)?;
    let corrections = app.corrections.current();
    let page = engine::search(&app.served, &corrections, &request)?;
    let hits: Vec<_> = page.hits.into_iter().map(|page_hit| page_hit.hit).collect();
    let lines =
        kwic::kwic_in(&app.served.index, &kwic_request, &hits).map_err(|err| match err {
            crate::error::Error::Usage(_) => {
                ApiError::bad_request("検索できる文字（文字か数字）がない語です")
            }
            other => ApiError::internal(other.to_string()),
        })?;
    Ok((kwic_request, page.total, lines))
}

/// `GET /api/kwic`: the parameters of `/api/search` and [`kwic_request`]'s; the lines of the
/// first [`MAX_KWIC_HITS`] hits (at most [`MAX_KWIC_LINES`] of them), each `{id, question,
/// left, word, right, categories, labels, attributes}`, with `word`, `total` (the search's
/// hits), `hits_read`, `lines` (all lines found) and the index's `attributes`.
pub async fn kwic_json(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let body = app
        .blocking(move |app| -> Result<Value, ApiError> {
            let (request, total, lines) = kwic_lines(app, raw.as_deref(), MAX_KWIC_HITS)?;
            let rules = &app.served.classifier.rules;
            let shown: Vec<Value> = lines
                .iter()
                .take(MAX_KWIC_LINES)
                .map(|line| {
                    let mut object = kwic::to_json(line);
                    let labels: Vec<String> = line
                        .categories
                        .iter()
                        .map(|category| label_for(rules, &line.question, category))
                        .collect();
                    object["labels"] = json!(labels);
                    object
                })
                .collect();
            Ok(json!({
                "word": request.word,
                "total": total,
                "hits_read": total.min(MAX_KWIC_HITS),
                "lines": lines.len(),
                "shown": shown,
                "attributes": app.served.catalog.attribute_names(),
            }))
        })
        .await??;
    Ok(Json(body))
}

/// `GET /api/kwic.csv`: the lines of [`kwic_json`] over up to [`MAX_ROWS`] hits, as
/// `jiyu kwic --output-format csv` writes them, one column per attribute of the index.
pub async fn kwic_csv(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let bytes = app
        .blocking(move |app| -> Result<Vec<u8>, ApiError> {
            let (_, _, lines) = kwic_lines(app, raw.as_deref(), MAX_ROWS)?;
            kwic::to_csv(&lines, &app.served.catalog.attribute_names())
                .map_err(|err| ApiError::internal(err.to_string()))
        })
        .await??;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"jiyu-kwic.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
