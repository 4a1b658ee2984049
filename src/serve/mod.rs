//! `jiyu serve`: a web page for the staff who do not use a terminal. They search the index
//! as `jiyu search` does (same query syntax, same notation variants), narrow the answers by
//! question, category, basis, attribute and confidence (要確認: below 0.5) with counts beside
//! every value, order them by relevance or rising confidence, read an answer with its
//! confidence, its basis and the words that put it in its categories (the rules' or the
//! model's), walk through answers (the least confident first, or any filter) correcting
//! categories with the keyboard — a correction is basis `override`, confidence 1 — chart the
//! categories of the hits and download them as CSV, list the hits' most used words and draw
//! their co-occurrence network.
//!
//! Corrections go to the overrides file at once ([`corrections`]), in the format every other
//! command reads, and are laid over the index's categories whenever the page reads answers:
//! the index itself is never rewritten, so a correction shows immediately, survives a restart
//! and reaches the next `jiyu classify`/`report` run through `--overrides`.
//!
//! Modules: [`catalog`] (per-answer rows and per-value answer sets for filters and counts),
//! [`cache`] (the last pages sent, sent again for the same request),
//! [`bits`] (sets of a segment's answers, one bit each), [`engine`] (one search of the page),
//! [`hints`] (the search help's examples, from the index's own answers),
//! [`corrections`] (the overrides file), [`security`] (token, host, origin, CSRF, headers),
//! `api` (the JSON the page uses, the related words of its 関連語 panel), `pages` (the HTML from askama templates compiled into the
//! binary and the vendored script and style sheet), `export` (CSV download), `words` (the word list and co-occurrence network of the hits).
//!
//! Everything runs on tokio with axum; searches, which are CPU work, run on the blocking pool,
//! at most one per core at a time, so fifty clients queue rather than thrash; a page kept in
//! [`cache`] is sent from the async threads without waiting its turn.

mod api;
pub mod bits;
pub mod cache;
pub mod catalog;
pub mod corrections;
pub mod engine;
mod export;
pub mod hints;
mod pages;
pub mod security;
mod words;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tantivy::DocAddress;

use crate::classify::Classifier;
use crate::error::{Error, Result};
use crate::index::{open_index, SearchHit, Searcher};

use cache::PageCache;
use catalog::Catalog;
use corrections::CorrectionStore;
use hints::SearchHints;
use security::{Security, Verdict};

/// Largest request body accepted (a correction is a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub index: PathBuf,
    /// Where corrections are written; without it the page is read-only.
    pub overrides: Option<PathBuf>,
    pub bind: SocketAddr,
    pub token: Option<String>,
}

/// The served index: the open index, the snapshot of its segments every request reads, and
/// their columns.
pub struct Served {
    pub classifier: Arc<Classifier>,
    /// The open index, which compiles queries and reads stored answers.
    pub index: Searcher,
    /// One snapshot of the index's segments for the server's life: the columns of [`Catalog`]
    /// describe exactly these segments.
    pub snapshot: tantivy::Searcher,
    pub catalog: Arc<Catalog>,
    /// The search help's examples, from this index's answers.
    pub hints: SearchHints,
}

impl Served {
    /// Opens the index in `dir` (built with `classifier`'s dictionaries) and reads its columns.
    pub fn open(dir: &Path, classifier: Arc<Classifier>) -> Result<Served> {
        let index = open_index(dir, classifier.clone())?.with_rules(&classifier.rules);
        let snapshot = index.snapshot();
        let catalog = Arc::new(Catalog::build(&index, &snapshot, &classifier.rules)?);
        let hints = SearchHints::of(&index, &snapshot, &classifier.analyzer, &catalog)?;
        Ok(Served {
            classifier,
            index,
            snapshot,
            catalog,
            hints,
        })
    }

    /// The index directory, for messages.
    pub fn dir(&self) -> String {
        self.index.dir().to_string()
    }

    /// The answer with id `id`, without a snippet.
    pub fn find(&self, id: &str) -> Result<Option<(DocAddress, SearchHit)>> {
        self.index.find(&self.snapshot, id)
    }

    /// Where answer `id` is and its question.
    pub fn locate(&self, id: &str) -> Result<Option<(DocAddress, String)>> {
        Ok(self.find(id)?.map(|(address, hit)| (address, hit.question)))
    }
}

/// Everything a request can reach.
pub struct App {
    pub served: Served,
    pub corrections: CorrectionStore,
    pub security: Security,
    /// The last pages of `/api/search` and `/api/crosstab` sent.
    pub pages: PageCache,
    /// Searches running at once (one per core): the rest wait their turn in order.
    slots: tokio::sync::Semaphore,
}

impl App {
    /// The application over `served`, writing corrections to `overrides`; returns warnings
    /// about corrections in the file that cannot be shown.
    pub fn new(
        served: Served,
        overrides: Option<PathBuf>,
        security: Security,
    ) -> Result<(Arc<App>, Vec<String>)> {
        let (corrections, warnings) = CorrectionStore::open(overrides, &served)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok((
            Arc::new(App {
                served,
                corrections,
                security,
                pages: PageCache::default(),
                slots: tokio::sync::Semaphore::new(cores),
            }),
            warnings,
        ))
    }

    /// Runs CPU or file work off the async threads, one per core at a time.
    async fn blocking<T, F>(self: &Arc<Self>, work: F) -> std::result::Result<T, api::ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&App) -> T + Send + 'static,
    {
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|_| api::ApiError::internal("the server is shutting down"))?;
        let app = self.clone();
        tokio::task::spawn_blocking(move || work(&app))
            .await
            .map_err(|_| api::ApiError::internal("a request failed inside the server"))
    }
}

/// The routes of the page and its API.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::index))
        .route("/answers/{id}", get(pages::answer))
        .route("/static/app.js", get(pages::script))
        .route("/static/app.css", get(pages::style))
        .route("/api/meta", get(api::meta))
        .route("/api/search", get(api::search))
        .route("/api/search.csv", get(export::csv))
        .route("/api/crosstab", get(api::crosstab))
        .route("/api/kwic", get(export::kwic_json))
        .route("/api/kwic.csv", get(export::kwic_csv))
        .route("/api/related", get(api::related_words))
        .route("/api/words", get(words::words_json))
        .route("/api/network.svg", get(words::network_svg))
        .route("/api/answers/{id}", get(api::answer))
        .route("/api/overrides", post(api::save_override))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(app.clone(), secure))
        .with_state(app)
}

/// Applies [`Security`] to every request and hardens every response.
async fn secure(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let uri = request.uri();
    let length = uri.path().len() + uri.query().map_or(0, str::len);
    let mut response = if length > security::MAX_URI_BYTES {
        pages::refusal(
            uri.path(),
            StatusCode::URI_TOO_LONG,
            "URL が長すぎます。検索語を短くしてください",
        )
    } else {
        match app
            .security
            .check(request.method(), uri.path(), uri.query(), request.headers())
        {
            Verdict::Allow => next.run(request).await,
            Verdict::SetTokenCookie => {
                let mut response =
                    (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
                if let Some(cookie) = app
                    .security
                    .token_cookie()
                    .and_then(|cookie| HeaderValue::from_str(&cookie).ok())
                {
                    response.headers_mut().insert(header::SET_COOKIE, cookie);
                }
                response
            }
            Verdict::Refuse(status, message) => {
                let mut response = pages::refusal(uri.path(), status, message);
                if status == StatusCode::UNAUTHORIZED {
                    response.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        HeaderValue::from_static("Bearer realm=\"jiyu\""),
                    );
                }
                response
            }
        }
    };
    Security::harden(response.headers_mut());
    response
}

/// Opens the index and the overrides file, binds, prints the address and serves until Ctrl-C.
pub fn run(options: ServeOptions, classifier: Arc<Classifier>) -> Result<()> {
    security::check_bind(options.bind, options.token.as_deref())?;
    let started = std::time::Instant::now();
    let served = Served::open(&options.index, classifier)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Server {
            message: "cannot start the server".into(),
            source,
        })?;
    runtime.block_on(async move {
        let cannot_listen = |source| Error::Server {
            message: format!("cannot listen on {}", options.bind),
            source,
        };
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .map_err(cannot_listen)?;
        let address = listener.local_addr().map_err(cannot_listen)?;
        let security = Security::new(address, options.token.clone());
        let documents = served.catalog.documents;
        let (app, warnings) = App::new(served, options.overrides.clone(), security)?;
        for warning in warnings {
            eprintln!("jiyu serve: {warning}");
        }
        let corrections = match &options.overrides {
            Some(path) => format!("corrections are saved to {}", path.display()),
            None => "read-only: give --overrides FILE to save corrections".to_string(),
        };
        eprintln!(
            "jiyu serve: {} of {} ready in {:.1} s; {corrections}",
            crate::wording::counted(documents as usize, "answer", "answers"),
            options.index.display(),
            started.elapsed().as_secs_f64()
        );
        let host = if address.ip().is_unspecified() {
            "<this machine's address>".to_string()
        } else {
            address.to_string()
        };
        match &options.token {
            Some(token) => eprintln!("jiyu serve: open http://{host}/?token={token}"),
            None => eprintln!("jiyu serve: open http://{host}/"),
        }
        eprintln!("jiyu serve: press Ctrl-C to stop");
        axum::serve(listener, router(app))
            .with_graceful_shutdown(stopped())
            .await
            .map_err(|source| Error::Server {
                message: "the server stopped".into(),
                source,
            })
    })
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM (a service manager stopping the server): requests
/// in flight, a correction being written among them, finish first.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
