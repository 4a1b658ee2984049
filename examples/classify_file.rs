//! Classify a survey export with jiyu's built-in rules and print how many answers each
//! category got, per question — the library as a program of your own would use it.
//!
//!     cargo run --release --example classify_file -- corpus/demo/survey.csv 回答者ID Q6-1,Q7-2,Q10-1
//!
//! Arguments: the export (CSV, TSV, XLSX or JSONL; UTF-8 or Shift_JIS), then for a wide export
//! (one row per respondent) the respondent id column and the free-text columns.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiyu::classify::Classifier;
use jiyu::input::{self, InputOptions};
use jiyu::rules::scheme::RulesSource;
use jiyu::Analyzer;

fn main() {
    if let Err(err) = run() {
        eprintln!("classify_file: {err}");
        std::process::exit(2);
    }
}

fn run() -> jiyu::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "corpus/ipa-2024/labeled.jsonl".into()),
    );
    let options = InputOptions {
        id_column: args.next(),
        text_columns: args
            .next()
            .map(|columns| columns.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        ..InputOptions::default()
    };

    // The dictionary and the rules built into jiyu (with their model).
    let classifier = Classifier::new(Analyzer::new(&[])?, &RulesSource::BuiltIn)?;

    // (question, category) → answers; an answer with two categories counts for both.
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for answer in input::open(&path, &options)? {
        let answer = answer?;
        let classification = classifier.classify(&answer);
        for category in classification.categories {
            *counts
                .entry((answer.question.clone(), category))
                .or_default() += 1;
        }
    }
    for ((question, category), count) in &counts {
        println!("{question}\t{category}\t{count}");
    }
    Ok(())
}
