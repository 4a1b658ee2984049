//! Gold answers: answers with the category a person gave them — the yardstick of `jiyu eval`
//! and the training data of `jiyu train`.
//!
//! A gold file is JSONL with `id`, `question`, `text` and the coder's `category`: the id of a
//! category of the question's scheme, `no-answer` (特になし and the like) or `unclassified`
//! (none fits) — or the category's label as the report shows it (`通信・機器環境`), which
//! labels being unique within a scheme names one category. An overrides file serves as gold
//! too ([`gold_from_overrides`]): the corrected answers of an export, with the first category
//! of each override as the gold label.

use std::path::Path;

use crate::classify::NO_ANSWER;
use crate::error::{Error, Result};
use crate::input::{self, Answer, InputOptions};
use crate::overrides::Overrides;
use crate::rules::scheme::{RuleSet, Scheme, UNCLASSIFIED};

/// One gold answer: the answer and the category a person gave it.
#[derive(Debug, Clone)]
pub struct GoldAnswer {
    pub answer: Answer,
    /// A category id of the answer's scheme (labels are turned into ids when read).
    pub category: String,
}

/// Reads a gold JSONL file; answers whose `category` is empty or null are skipped (the report
/// quoted them without a heading). A category given by its label becomes its id. A category
/// the answer's scheme does not have (by id or label) is an error with the file's line and
/// the scheme's ids; answers of questions no scheme of `rules` sorts are kept as they are
/// (`jiyu eval` counts them as not scored).
pub fn read_gold(path: &Path, rules: &RuleSet) -> Result<Vec<GoldAnswer>> {
    let options = InputOptions {
        format: Some(input::Format::Jsonl),
        ..InputOptions::default()
    };
    let mut gold = Vec::new();
    let mut reader = input::open(path, &options)?;
    while let Some(answer) = reader.next() {
        let answer = answer?;
        let category = answer
            .attributes
            .iter()
            .find(|(name, _)| name == "category")
            .map(|(_, value)| value.trim().to_string())
            .unwrap_or_default();
        if category.is_empty() {
            continue;
        }
        let category = match rules.scheme_for(&answer.question) {
            Some(scheme) => resolve_category(scheme, rules, &category).ok_or_else(|| {
                unknown_category(path, reader.line(), scheme, rules, &answer, &category)
            })?,
            None => category,
        };
        gold.push(GoldAnswer { answer, category });
    }
    if gold.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no answer with a `category`; a gold file is JSONL with id, question, text and category",
            path.display()
        )));
    }
    Ok(gold)
}

/// The id of the category of `scheme` that `given` names by id or by label (`no-answer` and
/// `unclassified` included).
fn resolve_category(scheme: &Scheme, rules: &RuleSet, given: &str) -> Option<String> {
    let built_in = [NO_ANSWER, UNCLASSIFIED];
    if scheme.category(given).is_some() || built_in.contains(&given) {
        return Some(given.to_string());
    }
    scheme
        .categories
        .iter()
        .map(|category| category.id.as_str())
        .chain(built_in)
        .find(|id| rules.label(Some(scheme), id) == given)
        .map(str::to_string)
}

/// The error for a gold category `given` that `scheme` lacks: where it is (the column of the
/// `category` field when the line can be read back), and the ids the scheme has.
fn unknown_category(
    path: &Path,
    line: usize,
    scheme: &Scheme,
    rules: &RuleSet,
    answer: &Answer,
    given: &str,
) -> Error {
    let ids: Vec<String> = scheme
        .categories
        .iter()
        .map(|category| format!("{} ({})", category.id, category.label))
        .chain([NO_ANSWER, UNCLASSIFIED].map(|id| format!("{id} ({})", rules.label(None, id))))
        .collect();
    Error::Input {
        path: path.display().to_string(),
        line,
        column: category_column(path, line).unwrap_or(1),
        message: format!(
            "answer {}: “{given}” is not a category of scheme `{}` (question {}); give one of its \
             ids or labels: {}",
            answer.id,
            scheme.id,
            answer.question,
            ids.join(", ")
        ),
    }
}

/// The character column of the `"category"` field's value on `line` of a UTF-8 file, if it is
/// there.
fn category_column(path: &Path, line: usize) -> Option<usize> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).ok()?;
    let text = std::io::BufReader::new(file)
        .lines()
        .nth(line.checked_sub(1)?)?
        .ok()?;
    let key = "\"category\"";
    let after_key = text.find(key)? + key.len();
    let value = after_key
        + text[after_key..]
            .find(|ch: char| ch != ':' && !ch.is_whitespace())
            .unwrap_or(0);
    Some(text[..value].chars().count() + 1)
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
