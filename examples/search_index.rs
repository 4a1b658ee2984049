//! Build a search index of the labeled answers in a temporary directory and search it — the
//! library as a program of your own would use it.
//!
//!     cargo run --release --example search_index -- 研修
//!
//! The words are ANDed, as `jiyu search` does (`OR`, `-word` and "phrases" work too).

use std::path::Path;
use std::sync::Arc;

use jiyu::classify::Classifier;
use jiyu::index::{build_index, open_index, IndexOptions, SearchRequest};
use jiyu::input::{self, InputOptions};
use jiyu::rules::scheme::RulesSource;
use jiyu::Analyzer;

fn main() {
    if let Err(err) = run() {
        eprintln!("search_index: {err}");
        std::process::exit(2);
    }
}

fn run() -> jiyu::Result<()> {
    let query: Vec<String> = std::env::args().skip(1).collect();
    let query = if query.is_empty() {
        "研修".to_string()
    } else {
        query.join(" ")
    };

    let classifier = Arc::new(Classifier::new(Analyzer::new(&[])?, &RulesSource::BuiltIn)?);
    let dir = tempfile::tempdir().map_err(|err| jiyu::Error::io(std::env::temp_dir(), err))?;
    let index = dir.path().join("index");

    // Every answer is classified and indexed, then committed once.
    let answers = input::open(
        Path::new("corpus/ipa-2024/labeled.jsonl"),
        &InputOptions::default(),
    )?;
    let stats = build_index(
        &index,
        answers,
        classifier.clone(),
        None,
        &IndexOptions::default(),
        &indicatif::ProgressBar::hidden(),
    )?;
    println!("indexed {} answers", stats.indexed);

    // The searcher analyzes queries as the answers were analyzed.
    let searcher = open_index(&index, classifier)?;
    let results = searcher.search(&SearchRequest {
        query,
        limit: 5,
        ..SearchRequest::default()
    })?;
    println!("{} answers match", results.total);
    for hit in &results.hits {
        println!(
            "{}  {}  [{}]",
            hit.id,
            hit.snippet.text,
            hit.categories.join(", ")
        );
    }
    Ok(())
}
