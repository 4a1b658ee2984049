//! Evaluation: how well the rules reproduce a human coder's labels.
//!
//! A gold file is JSONL with `id`, `question`, `text` and the coder's `category`. Each answer is
//! classified and its primary label compared with the gold one: accuracy, per-category
//! precision/recall/F1 (single-label, on the primary), macro-F1 and a confusion matrix per
//! scheme, and every miss with the evidence that misled the rules.
//!
//! An overrides file can serve as gold too ([`gold_from_overrides`]): the corrected answers of
//! an export, with the first category of each override as the gold label.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::classify::{CategoryEvidence, Classifier};
use crate::error::{Error, Result};
use crate::input::{self, Answer, InputOptions};
use crate::overrides::Overrides;
use crate::rules::scheme::RuleSet;
use crate::rules::scheme::UNCLASSIFIED;

/// The questions the survey report's headline figures are about.
pub const MAIN_QUESTIONS: &[&str] = &["Q6-1", "Q7-2", "Q10-1"];

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

/// Precision, recall and F1 of one category.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryScore {
    pub category: String,
    pub label: String,
    /// Gold answers of this category.
    pub support: usize,
    /// Answers whose primary label is this category.
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// A gold answer whose primary label differs from the gold one.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub id: String,
    pub question: String,
    pub text: String,
    pub gold: String,
    pub predicted: String,
    pub categories: Vec<String>,
    pub evidence: Vec<CategoryEvidence>,
}

/// The figures of one scheme.
#[derive(Debug, Clone, Serialize)]
pub struct SchemeScore {
    pub scheme: String,
    pub answers: usize,
    pub correct: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub categories: Vec<CategoryScore>,
    /// gold category → predicted primary → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    pub misses: Vec<Miss>,
}

/// Accuracy and macro-F1 over a group of schemes.
#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    pub name: String,
    pub answers: usize,
    pub correct: usize,
    pub accuracy: f64,
    /// Mean F1 over every category with gold answers or predictions in the group.
    pub macro_f1: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub schemes: Vec<SchemeScore>,
    /// Q6-1, Q7-2 and Q10-1 together, then every scheme together.
    pub groups: Vec<GroupScore>,
    /// Gold answers of questions no scheme sorts (not scored).
    pub skipped: usize,
}

/// Classifies every gold answer and scores the primary labels.
pub fn evaluate(classifier: &Classifier, gold: &[GoldAnswer]) -> EvalReport {
    let mut by_scheme: BTreeMap<String, Vec<(&GoldAnswer, crate::classify::Classification)>> =
        BTreeMap::new();
    let mut skipped = 0;
    for item in gold {
        match classifier.rules.scheme_for(&item.answer.question) {
            Some(scheme) => by_scheme
                .entry(scheme.id.clone())
                .or_default()
                .push((item, classifier.classify(&item.answer))),
            None => skipped += 1,
        }
    }
    // Schemes in the order of the rules directory.
    let mut schemes = Vec::new();
    for scheme in &classifier.rules.schemes {
        let Some(items) = by_scheme.get(&scheme.id) else {
            continue;
        };
        let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut misses = Vec::new();
        let mut correct = 0;
        for (item, classification) in items {
            let predicted = classification.primary().unwrap_or(UNCLASSIFIED).to_string();
            *confusion
                .entry(item.category.clone())
                .or_default()
                .entry(predicted.clone())
                .or_default() += 1;
            if predicted == item.category {
                correct += 1;
            } else {
                misses.push(Miss {
                    id: item.answer.id.clone(),
                    question: item.answer.question.clone(),
                    text: item.answer.text.clone(),
                    gold: item.category.clone(),
                    predicted,
                    categories: classification.categories.clone(),
                    evidence: classification.evidence.clone(),
                });
            }
        }
        let categories = category_scores(&confusion, |id| classifier.rules.label(Some(scheme), id));
        schemes.push(SchemeScore {
            scheme: scheme.id.clone(),
            answers: items.len(),
            correct,
            accuracy: ratio(correct, items.len()),
            macro_f1: mean(categories.iter().map(|score| score.f1)),
            categories,
            confusion,
            misses,
        });
    }
    let mut main_schemes: Vec<String> = Vec::new();
    for scheme in MAIN_QUESTIONS
        .iter()
        .filter_map(|question| classifier.rules.scheme_for(question))
    {
        if !main_schemes.contains(&scheme.id) {
            main_schemes.push(scheme.id.clone());
        }
    }
    let groups = vec![
        group_score(
            &format!(
                "{} ({})",
                MAIN_QUESTIONS.join(", "),
                main_schemes.join(", ")
            ),
            schemes
                .iter()
                .filter(|score| main_schemes.contains(&score.scheme)),
        ),
        group_score("all schemes", schemes.iter()),
    ];
    EvalReport {
        schemes,
        groups,
        skipped,
    }
}

fn category_scores(
    confusion: &BTreeMap<String, BTreeMap<String, usize>>,
    label: impl Fn(&str) -> String,
) -> Vec<CategoryScore> {
    let mut ids: Vec<&String> = confusion.keys().collect();
    for predicted in confusion.values().flat_map(|row| row.keys()) {
        if !ids.contains(&predicted) {
            ids.push(predicted);
        }
    }
    ids.sort();
    ids.into_iter()
        .map(|id| {
            let support: usize = confusion.get(id).map_or(0, |row| row.values().sum());
            let predicted: usize = confusion
                .values()
                .map(|row| row.get(id).copied().unwrap_or(0))
                .sum();
            let correct = confusion
                .get(id)
                .and_then(|row| row.get(id))
                .copied()
                .unwrap_or(0);
            let precision = ratio(correct, predicted);
            let recall = ratio(correct, support);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            CategoryScore {
                category: id.clone(),
                label: label(id),
                support,
                predicted,
                correct,
                precision,
                recall,
                f1,
            }
        })
        .collect()
}

fn group_score<'a>(name: &str, schemes: impl Iterator<Item = &'a SchemeScore>) -> GroupScore {
    let mut answers = 0;
    let mut correct = 0;
    let mut f1s = Vec::new();
    for scheme in schemes {
        answers += scheme.answers;
        correct += scheme.correct;
        f1s.extend(scheme.categories.iter().map(|score| score.f1));
    }
    GroupScore {
        name: name.to_string(),
        answers,
        correct,
        accuracy: ratio(correct, answers),
        macro_f1: mean(f1s.into_iter()),
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(sum, count), value| {
        (sum + value, count + 1)
    });
    if count == 0 {
        0.0
    } else {
        sum / count as f64
    }
}

impl EvalReport {
    /// The report as text: figures per scheme, confusion matrices, then every miss.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for scheme in &self.schemes {
            out.push_str(&format!(
                "== {}: {} answers, accuracy {:.3} ({}/{}), macro-F1 {:.3}\n",
                scheme.scheme,
                scheme.answers,
                scheme.accuracy,
                scheme.correct,
                scheme.answers,
                scheme.macro_f1
            ));
            out.push_str(&format!(
                "  {:<20} {:>9} {:>6} {:>6} {:>7} {:>6}\n",
                "category", "precision", "recall", "F1", "support", "pred"
            ));
            for category in &scheme.categories {
                out.push_str(&format!(
                    "  {:<20} {:>9.3} {:>6.3} {:>6.3} {:>7} {:>6}  {}\n",
                    category.category,
                    category.precision,
                    category.recall,
                    category.f1,
                    category.support,
                    category.predicted,
                    category.label
                ));
            }
            out.push_str("  confusion (rows: gold, columns: predicted primary)\n");
            let columns: Vec<&String> = scheme.categories.iter().map(|c| &c.category).collect();
            out.push_str(&format!("  {:<20}", ""));
            for (index, _) in columns.iter().enumerate() {
                out.push_str(&format!(" {:>4}", format!("c{}", index + 1)));
            }
            out.push('\n');
            for (index, gold) in columns.iter().enumerate() {
                out.push_str(&format!("  c{:<2} {:<16}", index + 1, gold));
                for predicted in &columns {
                    let count = scheme
                        .confusion
                        .get(*gold)
                        .and_then(|row| row.get(*predicted))
                        .copied()
                        .unwrap_or(0);
                    out.push_str(&format!(" {count:>4}"));
                }
                out.push('\n');
            }
        }
        out.push('\n');
        for group in &self.groups {
            out.push_str(&format!(
                "{}: {} answers, accuracy {:.3}, macro-F1 {:.3}\n",
                group.name, group.answers, group.accuracy, group.macro_f1
            ));
        }
        if self.skipped > 0 {
            out.push_str(&format!(
                "({} gold answers of questions without a scheme were not scored)\n",
                self.skipped
            ));
        }
        let misses: Vec<&Miss> = self.schemes.iter().flat_map(|s| &s.misses).collect();
        if !misses.is_empty() {
            out.push_str(&format!("\n{} misses:\n", misses.len()));
        }
        for miss in misses {
            out.push_str(&format!(
                "- {} {}: gold {}, got {} [{}]\n  {}\n",
                miss.id,
                miss.question,
                miss.gold,
                miss.predicted,
                miss.categories.join(" "),
                miss.text.replace('\n', " ")
            ));
            for category in &miss.evidence {
                let terms: Vec<String> = category
                    .matches
                    .iter()
                    .map(|m| format!("{}={}", m.term, m.text))
                    .collect();
                if !terms.is_empty() {
                    out.push_str(&format!(
                        "    {}: {}\n",
                        category.category,
                        terms.join(", ")
                    ));
                }
            }
        }
        out
    }
}
