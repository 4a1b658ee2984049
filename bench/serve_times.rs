//! The time of one search of `jiyu serve`'s page (`engine::search`, no HTTP) for each query of
//! `bench/queries.tsv` and the page with nothing typed, each way of counting the filter lists,
//! beside the library's own `jiyu search` of the same query. Prints the fastest of ROUNDS runs
//! (default 5; under a profiler, say 50), so other work on the machine matters less.
//!
//!     cargo bench --bench serve_times -- target/bench/index [ROUNDS]
//!
//! (`make bench` builds the 1,000,000-answer index in target/bench/index.) Under `cargo test`,
//! which runs it without cargo bench's `--bench`, it does nothing.

use std::path::Path;
use std::sync::Arc;

use jiyu::classify::Classifier;
use jiyu::index::SearchRequest;
use jiyu::rules::scheme::RulesSource;
use jiyu::serve::corrections::Corrections;
use jiyu::serve::engine::{self, Counting, PageRequest};
use jiyu::serve::Served;
use jiyu::Analyzer;

#[path = "queries.rs"]
mod queries;

fn main() {
    // `cargo bench` adds --bench; `cargo test --all-targets` runs this without it.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|arg| arg == "--bench") {
        eprintln!("serve_times: run by `cargo bench --bench serve_times -- INDEX_DIR [ROUNDS]`");
        return;
    }
    let args = args.into_iter().filter(|arg| arg != "--bench");
    if let Err(err) = run(args) {
        eprintln!("serve_times: {err}");
        std::process::exit(2);
    }
}

fn run(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let dir = args.next().ok_or("usage: serve_times INDEX_DIR [ROUNDS]")?;
    let rounds: usize = match args.next() {
        Some(rounds) => rounds
            .parse()
            .map_err(|_| format!("ROUNDS: “{rounds}” is not a number"))?,
        None => 5,
    };
    let analyzer = Analyzer::new(&[]).map_err(|err| err.to_string())?;
    let classifier = Classifier::new(analyzer, &RulesSource::Directory("rules".into()))
        .map_err(|err| err.to_string())?;
    let served =
        Served::open(Path::new(&dir), Arc::new(classifier)).map_err(|err| err.to_string())?;
    let corrections = Arc::new(Corrections::default());
    let mut requests: Vec<PageRequest> = queries::read_queries(Path::new("bench/queries.tsv"))?
        .into_iter()
        .map(|request| PageRequest {
            query: request.query,
            questions: request.questions,
            categories: request.categories,
            attributes: request.filters,
            limit: 20,
            snippets: true,
            by_meaning: request.by_meaning,
            ..PageRequest::default()
        })
        .collect();
    requests.push(PageRequest {
        limit: 20,
        snippets: true,
        ..PageRequest::default()
    });
    // The review queue as the page opens it: 要確認, least confident first.
    requests.push(PageRequest {
        limit: 20,
        snippets: true,
        below: Some(jiyu::classify::REVIEW_BELOW),
        sort: jiyu::index::SortBy::Confidence,
        ..PageRequest::default()
    });
    let ways = [Counting::Auto, Counting::PerAnswer, Counting::PerValue];
    let mut sums = [0.0; 4];
    let mut exact_sum = 0.0;
    println!("   auto  answer   value library   exact   total  query");
    for request in &mut requests {
        let mut best = [f64::MAX; 3];
        let mut total = 0;
        for _ in 0..rounds {
            for (way, &counting) in ways.iter().enumerate() {
                request.counting = counting;
                let started = std::time::Instant::now();
                let page = engine::search(&served, &corrections, request)
                    .map_err(|err| format!("{}: {err:?}", request.query))?;
                best[way] = best[way].min(started.elapsed().as_secs_f64() * 1e3);
                total = page.total;
            }
        }
        for (sum, best) in sums.iter_mut().zip(best) {
            *sum += best;
        }
        // The library's search of the same query and filters: ranking and hits, no counts; by
        // meaning as the page (and `jiyu search`) and with the words as typed (`--exact`).
        let mut library = SearchRequest {
            query: request.query.clone(),
            questions: request.questions.clone(),
            categories: request.categories.clone(),
            filters: request.attributes.clone(),
            below: request.below,
            sort: request.sort,
            limit: 20,
            by_meaning: request.by_meaning,
            ..SearchRequest::default()
        };
        let mut alone = [f64::MAX; 2];
        for (way, by_meaning) in [true, false].into_iter().enumerate() {
            library.by_meaning = by_meaning;
            for _ in 0..5 {
                let started = std::time::Instant::now();
                served
                    .index
                    .search(&library)
                    .map_err(|err| err.to_string())?;
                alone[way] = alone[way].min(started.elapsed().as_secs_f64() * 1e3);
            }
        }
        sums[3] += alone[0];
        exact_sum += alone[1];
        println!(
            "{:7.2} {:7.2} {:7.2} {:7.2} {:7.2} {total:7} {} {:?} {:?} {:?}",
            best[0],
            best[1],
            best[2],
            alone[0],
            alone[1],
            request.query,
            request.questions,
            request.categories,
            request.attributes
        );
    }
    let n = requests.len() as f64;
    println!(
        "mean ms: auto {:.3}, by answer {:.3}, by value {:.3}; jiyu search {:.3}, --exact {:.3}",
        sums[0] / n,
        sums[1] / n,
        sums[2] / n,
        sums[3] / n,
        exact_sum / n
    );
    Ok(())
}
