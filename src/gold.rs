//! Gold answers: answers with the category a person gave them — the yardstick of `jiyu eval`
//! and the training data of `jiyu train`.
//!
//! A gold file is JSONL with `id`, `question`, `text` and the coder's `category`. An overrides
//! file serves as gold too ([`gold_from_overrides`]): the corrected answers of an export, with
//! the first category of each override as the gold label.

use std::path::Path;

use crate::error::{Error, Result};
use crate::input::{self, Answer, InputOptions};
use crate::overrides::Overrides;
use crate::rules::scheme::RuleSet;

/// One gold answer: the answer and the category a person gave it.
#[derive(Debug, Clone)]
pub struct GoldAnswer {
    pub answer: Answer,
    pub category: String,
}

/// Reads a gold JSONL file; answers whose `category` is empty or null are skipped (the report
/// quoted them without a heading).
pub fn read_gold(path: &Path) -> Result<Vec<GoldAnswer>> {
    let options = InputOptions {
        format: Some(input::Format::Jsonl),
        ..InputOptions::default()
    };
    let mut gold = Vec::new();
    for answer in input::open(path, &options)? {
        let answer = answer?;
        let category = answer
            .attributes
            .iter()
            .find(|(name, _)| name == "category")
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        if !category.is_empty() {
            gold.push(GoldAnswer { answer, category });
        }
    }
    if gold.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no answer with a `category`; a gold file is JSONL with id, question, text and category",
            path.display()
        )));
    }
    Ok(gold)
}

/// The answers of `answers` that `overrides` names, each with the override's first category as
/// gold. Streams the input, keeping only those answers; an override naming a category its
/// answer's scheme lacks, or an id the input does not have, is an error with its line.
pub fn gold_from_overrides<I>(
    answers: I,
    overrides: &Overrides,
    rules: &RuleSet,
) -> Result<Vec<GoldAnswer>>
where
    I: Iterator<Item = Result<Answer>>,
{
    let mut session = overrides.session();
    let mut gold = Vec::new();
    for answer in answers {
        let answer = answer?;
        let Some(entry) = session.take(&answer, rules)? else {
            continue;
        };
        let category = entry.categories.first().cloned().unwrap_or_default();
        gold.push(GoldAnswer { answer, category });
    }
    session.finish()?;
    if gold.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no overrides; an overrides file used as gold needs at least one row",
            overrides.path()
        )));
    }
    Ok(gold)
}
