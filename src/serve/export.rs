//! `GET /api/search.csv`: the hits of the page's search and filters as a CSV file for Excel —
//! UTF-8 with a BOM, CRLF, the columns of `jiyu classify --output-format csv` (id, question,
//! text, primary, primary_label, categories, confidence, basis, then one column per attribute),
//! categories as corrected (a corrected answer: confidence 1, basis override), in the page's
//! order.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::output::{csv_answer_header, csv_answer_row};

use super::api::{label_for, parse_search, ApiError};
use super::engine::{self, PageHit};
use super::App;

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
