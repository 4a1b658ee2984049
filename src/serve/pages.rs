//! The HTML of the page: askama templates compiled into the binary (`src/serve/templates/`,
//! escaped by default, so an answer's `<script>` is shown as text) and the vendored script and
//! style sheet (`src/serve/assets/`), served from the binary too: nothing is fetched from
//! anywhere else.
//!
//! `/` is the search page (its results are drawn by `app.js` from the JSON API);
//! `/answers/{id}` is one answer on its own page, drawn here, for links and printing.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;

use super::api::{label_for, MAX_VALUE_CHARS};
use super::hints::SearchHints;
use super::App;
use crate::classify::{Basis, MODEL_TERM_PREFIX};
use crate::output::rounded_confidence;

const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/app.css");

#[derive(Template)]
#[template(path = "index.html", config = "src/serve/askama.toml")]
struct IndexPage<'a> {
    csrf: String,
    documents: String,
    overrides: Option<String>,
    /// The search help's examples, from the served index.
    hints: &'a SearchHints,
}

/// A piece of an answer's text, marked when a rule (or the model) matched it.
struct Part {
    text: String,
    /// What matched here, for the tooltip.
    mark: Option<String>,
    /// Only the model's words matched here (marked apart from rule words).
    model: bool,
}

struct CategoryView {
    id: String,
    label: String,
    /// The matched words, as written in the answer, and whether each is the model's.
    evidence: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "answer.html", config = "src/serve/askama.toml")]
struct AnswerPage {
    id: String,
    question: String,
    scheme_title: Option<String>,
    parts: Vec<Part>,
    attributes: Vec<(String, String)>,
    categories: Vec<CategoryView>,
    overridden: bool,
    note: Option<String>,
    /// The rules' categories, for comparison with a correction.
    rules: String,
    /// 「確信度 0.87」, or nothing for an answer without a confidence.
    confidence: Option<String>,
    /// What the categories rest on, in Japanese.
    basis: &'static str,
}

#[derive(Template)]
#[template(path = "message.html", config = "src/serve/askama.toml")]
struct MessagePage<'a> {
    title: &'a str,
    message: &'a str,
}

/// A rendered template, or a plain error when rendering fails (it cannot with these
/// templates, but the server must not panic if it ever did).
fn html(rendered: askama::Result<String>) -> Response {
    match rendered {
        Ok(page) => Html(page).into_response(),
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the page could not be drawn: {err}"),
        )
            .into_response(),
    }
}

/// 1234567 → 1,234,567.
fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `GET /`: the search page, with the session's CSRF token.
pub async fn index(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let (csrf, set_cookie) = match app.security.csrf_session(&headers) {
        Ok(session) => session,
        Err(err) => {
            return refusal(
                "/",
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("セッションを作れません: {err}"),
            )
        }
    };
    let page = IndexPage {
        csrf,
        documents: grouped(app.served.catalog.documents),
        overrides: app
            .corrections
            .path()
            .map(|path| path.display().to_string()),
        hints: &app.served.hints,
    };
    let mut response = html(page.render());
    if let Some(cookie) = set_cookie.and_then(|cookie| HeaderValue::from_str(&cookie).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /answers/{id}`: one answer on its own page.
pub async fn answer(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    if id.chars().count() > MAX_VALUE_CHARS {
        return refusal("/answers", StatusCode::NOT_FOUND, "回答 id が長すぎます");
    }
    let result = app
        .blocking(move |app| -> Result<Option<AnswerPage>, String> {
            let served = &app.served;
            let rules = &served.classifier.rules;
            let Some((_, hit)) = served.find(&id).map_err(|err| err.to_string())? else {
                return Ok(None);
            };
            let classification = served.classifier.classify_text(&hit.question, &hit.text);
            let corrections = app.corrections.current();
            let correction = corrections.by_id.get(&hit.id);
            let categories =
                correction.map_or(&hit.categories, |correction| &correction.categories);
            let views = categories
                .iter()
                .map(|category| CategoryView {
                    id: category.clone(),
                    label: label_for(rules, &hit.question, category),
                    evidence: classification
                        .evidence
                        .iter()
                        .filter(|evidence| &evidence.category == category)
                        .flat_map(|evidence| evidence.matches.iter())
                        .map(|found| {
                            (
                                found.text.clone(),
                                found.term.starts_with(MODEL_TERM_PREFIX),
                            )
                        })
                        .fold(Vec::new(), |mut seen, text| {
                            // The same words matched twice are shown once.
                            if !seen.contains(&text) {
                                seen.push(text);
                            }
                            seen
                        }),
                })
                .collect::<Vec<_>>();
            // Marks for the evidence of the categories shown: (tooltip, only the model's words).
            let mut marks: Vec<Option<(String, bool)>> = vec![None; hit.text.chars().count()];
            for evidence in &classification.evidence {
                if !categories.contains(&evidence.category) {
                    continue;
                }
                let label = label_for(rules, &hit.question, &evidence.category);
                for found in &evidence.matches {
                    let model = found.term.starts_with(MODEL_TERM_PREFIX);
                    for slot in marks.iter_mut().take(found.end).skip(found.start) {
                        let note = format!("{label}: {}", found.term);
                        *slot = Some(match slot.take() {
                            Some((existing, only_model)) if !existing.contains(&note) => {
                                (format!("{existing} / {note}"), only_model && model)
                            }
                            Some(existing) => existing,
                            None => (note, model),
                        });
                    }
                }
            }
            let mut parts: Vec<Part> = Vec::new();
            for (ch, mark) in hit.text.chars().zip(marks) {
                let (mark, model) = match mark {
                    Some((title, model)) => (Some(title), model),
                    None => (None, false),
                };
                match parts.last_mut() {
                    Some(part) if part.mark == mark && part.model == model => part.text.push(ch),
                    _ => parts.push(Part {
                        text: ch.to_string(),
                        mark,
                        model,
                    }),
                }
            }
            // As the hits show it: a correction is basis override with confidence 1.
            let (basis, confidence) = match correction {
                Some(_) => (Basis::Override, Some(1.0)),
                None => (hit.basis, hit.confidence),
            };
            Ok(Some(AnswerPage {
                scheme_title: rules
                    .scheme_for(&hit.question)
                    .map(|scheme| scheme.title.clone()),
                rules: classification
                    .categories
                    .iter()
                    .map(|category| label_for(rules, &hit.question, category))
                    .collect::<Vec<_>>()
                    .join("、"),
                overridden: correction.is_some(),
                note: correction.and_then(|correction| correction.note.clone()),
                confidence: confidence
                    .map(|confidence| format!("確信度 {:.2}", rounded_confidence(confidence))),
                basis: basis.label(),
                id: hit.id,
                question: hit.question,
                parts,
                attributes: hit.attributes,
                categories: views,
            }))
        })
        .await;
    match result {
        Ok(Ok(Some(page))) => html(page.render()),
        Ok(Ok(None)) => refusal("/answers", StatusCode::NOT_FOUND, "この回答はありません"),
        Ok(Err(message)) => refusal("/answers", StatusCode::INTERNAL_SERVER_ERROR, &message),
        Err(err) => err.into_response(),
    }
}

/// `GET /static/app.js`.
pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// `GET /static/app.css`.
pub async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// Any other path.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    refusal(uri.path(), StatusCode::NOT_FOUND, "このページはありません")
}

/// An error answer: JSON under `/api/`, a short page elsewhere.
pub fn refusal(path: &str, status: StatusCode, message: &str) -> Response {
    if path.starts_with("/api/") {
        return (status, Json(serde_json::json!({ "error": message }))).into_response();
    }
    let title = match status {
        StatusCode::UNAUTHORIZED => "トークンが必要です",
        StatusCode::FORBIDDEN => "アクセスできません",
        StatusCode::NOT_FOUND => "見つかりません",
        StatusCode::URI_TOO_LONG => "URL が長すぎます",
        _ => "エラー",
    };
    let mut response = html(MessagePage { title, message }.render());
    *response.status_mut() = status;
    response
}
