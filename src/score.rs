//! Evaluation: how well the rules reproduce a human coder's labels.
//!
//! A gold file is JSONL with `id`, `question`, `text` and the coder's `category`. Each answer is
//! classified and its primary label compared with the gold one: accuracy, per-category
//! precision/recall/F1 (single-label, on the primary), macro-F1 and a confusion matrix per
//! scheme, and every miss with the evidence that misled the rules.
//! Gold answers come from [`crate::gold`]: a gold file, or the corrections of an overrides file.

use std::collections::BTreeMap;

use serde::Serialize;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::analyze::{Analysis, Analyzer};
use crate::classify::{
    decide, no_answer_classification, non_answer, Basis, CategoryEvidence, Classification,
    Classifier, Judge,
};
use crate::error::{Error, Result};
use crate::gold::GoldAnswer;
use crate::model::calibration::{coverage, Coverage, Reliability};
use crate::model::train::{assign_folds, train, Labeled, Passages, TrainOptions};
use crate::normalize::normalize;
use crate::rules::scheme::{RuleSet, UNCLASSIFIED};
use crate::wording::{agree, counted};

/// The questions the survey report's headline figures are about.
pub const MAIN_QUESTIONS: &[&str] = &["Q6-1", "Q7-2", "Q10-1"];

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
    pub confidence: Option<f64>,
    pub basis: Basis,
    pub evidence: Vec<CategoryEvidence>,
}

/// The figures of one scheme.
#[derive(Debug, Clone, Serialize)]
pub struct SchemeScore {
    pub scheme: String,
    pub answers: usize,
    pub correct: usize,
    pub accuracy: f64,
    /// Mean F1 over the categories with gold answers.
    pub macro_f1: f64,
    /// Every category with gold answers or predictions.
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
    /// Mean F1 over the categories of the group's gold answers (a category only predicted,
    /// such as `unclassified`, has no F1 of its own to count).
    pub macro_f1: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub schemes: Vec<SchemeScore>,
    /// Q6-1, Q7-2 and Q10-1 together when the gold answers include some of theirs, then every
    /// scheme together (see [`EvalReport::main_group`] and [`EvalReport::all_group`]).
    pub groups: Vec<GroupScore>,
    /// Gold answers of questions no scheme sorts (not scored).
    pub skipped: usize,
    /// How confidence matched accuracy over the scored answers.
    pub reliability: Reliability,
    /// Accuracy of the most confident 50 … 100 % of the scored answers.
    pub coverage: Vec<Coverage>,
    /// Accuracy by what the primary category rests on.
    pub by_basis: Vec<BasisScore>,
    /// Why some figures overstate what to expect on new answers (gold answers the rules have
    /// as examples, or the model was trained on).
    pub notes: Vec<String>,
}

/// Classifies every gold answer and scores the primary labels.
pub fn evaluate(classifier: &Classifier, gold: &[GoldAnswer]) -> EvalReport {
    let classified: Vec<(&GoldAnswer, Classification)> = gold
        .iter()
        .map(|item| (item, classifier.classify(&item.answer)))
        .collect();
    let mut report = score(&classifier.rules, classified);
    report.notes = inflation_notes(classifier, gold);
    report
}

/// What makes figures on `gold` overstate the accuracy on new answers.
fn inflation_notes(classifier: &Classifier, gold: &[GoldAnswer]) -> Vec<String> {
    let mut scored = 0;
    let mut examples = 0;
    let mut seen = 0;
    for item in gold {
        let Some(scheme) = classifier.rules.scheme_for(&item.answer.question) else {
            continue;
        };
        scored += 1;
        let text = normalize(&item.answer.text).text;
        let text = text.trim();
        if scheme
            .categories
            .iter()
            .flat_map(|category| &category.examples)
            .any(|example| normalize(example).text.trim() == text)
        {
            examples += 1;
        }
        if classifier
            .model
            .as_ref()
            .is_some_and(|model| model.has_seen(&scheme.id, &item.answer.text))
        {
            seen += 1;
        }
    }
    let mut notes = Vec::new();
    if examples > 0 {
        notes.push(format!(
            "{examples} of {} {} examples of the rules: the rules were \
             written to fit them, so these figures overstate accuracy on new answers \
             (see `jiyu eval --cv` for estimates on answers held out)",
            counted(scored, "gold answer", "gold answers"),
            agree(examples, "is", "are"),
        ));
    }
    if seen > 0 {
        notes.push(format!(
            "{seen} of {} {} in the model's training data: its part of these figures and \
             the confidences are inflated (see `jiyu eval --cv`)",
            counted(scored, "gold answer", "gold answers"),
            agree(seen, "was", "were"),
        ));
    }
    notes
}

/// Scores classified gold answers (those of questions without a scheme are counted as
/// skipped): per scheme, per group, and how confidence matched accuracy.
pub fn score(rules: &RuleSet, classified: Vec<(&GoldAnswer, Classification)>) -> EvalReport {
    let mut by_scheme: BTreeMap<String, Vec<(&GoldAnswer, Classification)>> = BTreeMap::new();
    let mut skipped = 0;
    let mut predictions = Vec::new();
    let mut by_basis: FxHashMap<Basis, (usize, usize, f64)> = FxHashMap::default();
    for (item, classification) in classified {
        match rules.scheme_for(&item.answer.question) {
            Some(scheme) => {
                let right = classification.primary() == Some(item.category.as_str());
                predictions.push((classification.confidence.unwrap_or(0.0), right));
                let tally = by_basis.entry(classification.basis).or_insert((0, 0, 0.0));
                tally.0 += 1;
                tally.1 += usize::from(right);
                tally.2 += classification.confidence.unwrap_or(0.0);
                by_scheme
                    .entry(scheme.id.clone())
                    .or_default()
                    .push((item, classification));
            }
            None => skipped += 1,
        }
    }
    // Schemes in the order of the rules directory.
    let mut schemes = Vec::new();
    for scheme in &rules.schemes {
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
                    confidence: classification.confidence,
                    basis: classification.basis,
                    evidence: classification.evidence.clone(),
                });
            }
        }
        let categories = category_scores(&confusion, |id| rules.label(Some(scheme), id));
        schemes.push(SchemeScore {
            scheme: scheme.id.clone(),
            answers: items.len(),
            correct,
            accuracy: ratio(correct, items.len()),
            macro_f1: macro_f1(&categories),
            categories,
            confusion,
            misses,
        });
    }
    let mut main_schemes: Vec<String> = Vec::new();
    for scheme in MAIN_QUESTIONS
        .iter()
        .filter_map(|question| rules.scheme_for(question))
    {
        if !main_schemes.contains(&scheme.id) {
            main_schemes.push(scheme.id.clone());
        }
    }
    // The main questions' group only when some gold answer is theirs.
    let mut groups = Vec::new();
    if schemes
        .iter()
        .any(|score| main_schemes.contains(&score.scheme))
    {
        groups.push(group_score(
            &format!(
                "{} ({})",
                MAIN_QUESTIONS.join(", "),
                main_schemes.join(", ")
            ),
            schemes
                .iter()
                .filter(|score| main_schemes.contains(&score.scheme)),
        ));
    }
    groups.push(group_score("all schemes", schemes.iter()));
    EvalReport {
        schemes,
        groups,
        skipped,
        reliability: Reliability::new(&predictions),
        coverage: coverage(&predictions),
        by_basis: Basis::ALL
            .into_iter()
            .filter_map(|basis| {
                let &(answers, correct, confidence) = by_basis.get(&basis)?;
                Some(BasisScore {
                    basis,
                    answers,
                    correct,
                    accuracy: ratio(correct, answers),
                    mean_confidence: confidence / answers.max(1) as f64,
                })
            })
            .collect(),
        notes: Vec::new(),
    }
}

/// Accuracy of the answers whose primary category rests on one [`Basis`].
#[derive(Debug, Clone, Serialize)]
pub struct BasisScore {
    pub basis: Basis,
    pub answers: usize,
    pub correct: usize,
    pub accuracy: f64,
    pub mean_confidence: f64,
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
        f1s.extend(
            scheme
                .categories
                .iter()
                .filter(|score| score.support > 0)
                .map(|score| score.f1),
        );
    }
    GroupScore {
        name: name.to_string(),
        answers,
        correct,
        accuracy: ratio(correct, answers),
        macro_f1: mean(f1s.into_iter()),
    }
}

/// Mean F1 over the categories with gold answers.
fn macro_f1(categories: &[CategoryScore]) -> f64 {
    mean(
        categories
            .iter()
            .filter(|score| score.support > 0)
            .map(|score| score.f1),
    )
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
    /// The figures over Q6-1, Q7-2 and Q10-1, when the gold answers include some of theirs.
    pub fn main_group(&self) -> Option<&GroupScore> {
        (self.groups.len() > 1)
            .then(|| self.groups.first())
            .flatten()
    }

    /// The figures over every scheme.
    pub fn all_group(&self) -> Option<&GroupScore> {
        self.groups.last()
    }

    /// The report as text: figures per scheme, confusion matrices, then every miss.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for scheme in &self.schemes {
            out.push_str(&format!(
                "== {}: {}, accuracy {:.3} ({}/{}), macro-F1 {:.3}\n",
                scheme.scheme,
                counted(scheme.answers, "answer", "answers"),
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
                "{}: {}, accuracy {:.3}, macro-F1 {:.3}\n",
                group.name,
                counted(group.answers, "answer", "answers"),
                group.accuracy,
                group.macro_f1
            ));
        }
        if self.skipped > 0 {
            out.push_str(&format!(
                "({} of questions without a scheme {} not scored)\n",
                counted(self.skipped, "gold answer", "gold answers"),
                agree(self.skipped, "was", "were")
            ));
        }
        for note in &self.notes {
            out.push_str(&format!("note: {note}\n"));
        }
        out.push('\n');
        out.push_str(&render_calibration(&self.reliability, &self.coverage));
        out.push_str(&render_by_basis(&self.by_basis));
        let misses: Vec<&Miss> = self.schemes.iter().flat_map(|s| &s.misses).collect();
        if !misses.is_empty() {
            out.push_str(&format!("\n{}:\n", counted(misses.len(), "miss", "misses")));
        }
        for miss in misses {
            out.push_str(&format!(
                "- {} {}: gold {}, got {} [{}] ({}, confidence {})\n  {}\n",
                miss.id,
                miss.question,
                miss.gold,
                miss.predicted,
                miss.categories.join(" "),
                miss.basis.as_str(),
                miss.confidence
                    .map_or("-".to_string(), |confidence| format!("{confidence:.2}")),
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

/// The reliability table (confidence bins against accuracy), the expected calibration error
/// and the accuracy of the most confident shares of the answers.
pub fn render_calibration(reliability: &Reliability, coverage: &[Coverage]) -> String {
    let mut out =
        String::from("reliability (confidence of the primary category against accuracy):\n");
    out.push_str(&format!(
        "  {:<11} {:>7} {:>10} {:>8}\n",
        "confidence", "answers", "mean conf.", "accuracy"
    ));
    for bin in &reliability.bins {
        out.push_str(&format!(
            "  {:.1}–{:.1}    {:>7} {:>10.3} {:>8.3}\n",
            bin.low, bin.high, bin.answers, bin.mean_confidence, bin.accuracy
        ));
    }
    out.push_str(&format!(
        "  expected calibration error {:.3}\n",
        reliability.expected_calibration_error
    ));
    out.push_str("accuracy of the most confident answers:\n");
    for row in coverage {
        out.push_str(&format!(
            "  {:>3.0} % ({:>4} {:<8} confidence ≥ {:.2}): accuracy {:.3}\n",
            row.share * 100.0,
            row.answers,
            format!("{},", agree(row.answers, "answer", "answers")),
            row.confidence_from,
            row.accuracy
        ));
    }
    out
}

/// How the answers of a held-out fold are classified in [`cross_validate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CvMode {
    /// The rules as written. Inflated wherever the gold answers are the rules' examples.
    Rules,
    /// The rules without every atom that no other gold answer contains: rules as if written
    /// without the answer (a pessimistic simulation: some of those atoms are domain words the
    /// writer would have thought of anyway).
    RulesUnseen,
    /// The word model alone, trained on the other folds.
    Model,
    /// Rules as written and the model trained on the other folds: inflated by the rules.
    Combined,
    /// Rules as if unseen and the model trained on the other folds: the estimate for new
    /// answers.
    CombinedUnseen,
}

impl CvMode {
    pub const ALL: [CvMode; 5] = [
        CvMode::Rules,
        CvMode::RulesUnseen,
        CvMode::Model,
        CvMode::Combined,
        CvMode::CombinedUnseen,
    ];

    /// How the table names it.
    pub fn describe(self) -> &'static str {
        match self {
            CvMode::Rules => "rules as written (inflated)",
            CvMode::RulesUnseen => "rules, unseen answers (simulated)",
            CvMode::Model => "model alone",
            CvMode::Combined => "rules + model (rules inflated)",
            CvMode::CombinedUnseen => "rules + model, unseen answers",
        }
    }
}

/// The figures of one [`CvMode`].
#[derive(Debug, Clone, Serialize)]
pub struct CvScore {
    pub mode: CvMode,
    pub report: EvalReport,
}

/// Figures of answers held out from the model: K-fold cross-validation over a gold file
/// ([`cross_validate`]) or a held-out split ([`split_validate`]).
#[derive(Debug, Clone, Serialize)]
pub struct CvReport {
    /// How the answers were held out.
    pub plan: String,
    /// Gold answers scored (of questions with a scheme).
    pub answers: usize,
    /// Written answers available to the model, and how many were left out of some fold for
    /// sharing a passage with one of its answers.
    pub synthetic_answers: usize,
    pub synthetic_left_out: usize,
    pub scores: Vec<CvScore>,
}

/// K-fold cross-validation of the rules, the model and both over `gold`: each fold's answers
/// are classified by a model trained (with `options`) on the other folds' answers and on the
/// `synthetic` ones that share no passage with the fold's answers. Folds are drawn per scheme
/// with `seed`. The rules are simulated as unseen by hiding from each answer the atoms no other
/// gold answer contains (see [`CvMode::RulesUnseen`]).
pub fn cross_validate(
    rules: &RuleSet,
    analyzer: &Analyzer,
    gold: &[GoldAnswer],
    synthetic: &[GoldAnswer],
    folds: usize,
    seed: u64,
    options: &TrainOptions,
) -> Result<CvReport> {
    if folds < 2 {
        return Err(Error::Usage("--cv needs at least 2 folds".to_string()));
    }
    let mut fold_of: Vec<Option<usize>> = vec![None; gold.len()];
    for scheme in &rules.schemes {
        let members: Vec<usize> = gold
            .iter()
            .enumerate()
            .filter(|(_, item)| {
                rules
                    .scheme_for(&item.answer.question)
                    .is_some_and(|found| found.id == scheme.id)
            })
            .map(|(index, _)| index)
            .collect();
        for (&index, fold) in
            members
                .iter()
                .zip(assign_folds(members.len(), folds, seed, &scheme.id))
        {
            fold_of[index] = Some(fold);
        }
    }
    let plan = format!("{folds}-fold cross-validation (seed {seed})");
    let held_out = HeldOut {
        gold,
        fold_of: &fold_of,
        tested: (0..folds).collect(),
        unseen: Unseen::LeaveOneOut,
    };
    held_out.evaluate(rules, analyzer, synthetic, options, plan)
}

/// The held-out split: a model trained on `train` (and the `synthetic` answers that share no
/// passage with a `test` answer) classifies the `test` answers; the rules are simulated as
/// written from `train` alone (atoms no `train` answer contains are hidden).
pub fn split_validate(
    rules: &RuleSet,
    analyzer: &Analyzer,
    train_gold: &[GoldAnswer],
    test_gold: &[GoldAnswer],
    synthetic: &[GoldAnswer],
    options: &TrainOptions,
) -> Result<CvReport> {
    let gold: Vec<GoldAnswer> = test_gold.iter().chain(train_gold).cloned().collect();
    let fold_of: Vec<Option<usize>> = gold
        .iter()
        .enumerate()
        .map(|(index, item)| {
            rules
                .scheme_for(&item.answer.question)
                .map(|_| usize::from(index >= test_gold.len()))
        })
        .collect();
    let plan = format!(
        "held-out split ({} to train on, {} to test)",
        counted(train_gold.len(), "answer", "answers"),
        test_gold.len()
    );
    let held_out = HeldOut {
        gold: &gold,
        fold_of: &fold_of,
        tested: vec![0],
        unseen: Unseen::Training,
    };
    held_out.evaluate(rules, analyzer, synthetic, options, plan)
}

/// How the rules are made to not have seen a held-out answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unseen {
    /// Hide the atoms no other gold answer contains: rules written from every answer but it.
    LeaveOneOut,
    /// Hide the atoms no answer outside the answer's fold contains: rules written from the
    /// training answers alone.
    Training,
}

/// Gold answers assigned to folds (`None`: a question without a scheme, never used), the folds
/// to test, each against a model trained on the others.
struct HeldOut<'a> {
    gold: &'a [GoldAnswer],
    fold_of: &'a [Option<usize>],
    tested: Vec<usize>,
    unseen: Unseen,
}

impl HeldOut<'_> {
    fn evaluate(
        &self,
        rules: &RuleSet,
        analyzer: &Analyzer,
        synthetic: &[GoldAnswer],
        options: &TrainOptions,
        plan: String,
    ) -> Result<CvReport> {
        let (gold, fold_of) = (self.gold, self.fold_of);
        let analyses: Vec<Analysis> = gold
            .par_iter()
            .map(|item| analyzer.analyze(&item.answer.text))
            .collect();
        let atoms: Vec<Vec<usize>> = gold
            .iter()
            .zip(&analyses)
            .map(|(item, analysis)| {
                rules
                    .scheme_for(&item.answer.question)
                    .map_or_else(Vec::new, |scheme| scheme.program.atoms_present(analysis))
            })
            .collect();
        let synthetic_normalized: Vec<String> = synthetic
            .par_iter()
            .map(|item| normalize(&item.answer.text).text)
            .collect();

        let mut results: Vec<Vec<Option<Classification>>> =
            vec![vec![None; gold.len()]; CvMode::ALL.len()];
        let mut left_out = FxHashSet::default();
        for &fold in &self.tested {
            let held: Vec<usize> = (0..gold.len())
                .filter(|&i| fold_of[i] == Some(fold))
                .collect();
            if held.is_empty() {
                continue;
            }
            let outside = |i: usize| fold_of[i].is_some_and(|f| f != fold);
            let training: Vec<GoldAnswer> = (0..gold.len())
                .filter(|&i| outside(i))
                .map(|i| gold[i].clone())
                .collect();
            let held_texts: Vec<String> = held
                .iter()
                .map(|&i| analyses[i].normalized.text.clone())
                .collect();
            let passages = Passages::new(held_texts.iter().map(String::as_str));
            let mut kept = Vec::new();
            for (index, item) in synthetic.iter().enumerate() {
                if passages.shared_by(&synthetic_normalized[index]) {
                    left_out.insert(index);
                } else {
                    kept.push(item.clone());
                }
            }
            let labeled = Labeled {
                gold: &training,
                corrections: &[],
                synthetic: &kept,
            };
            let (model, _) = train(rules, analyzer, labeled, options)?;
            let words_only = model.words_only();
            // How many gold answers of its scheme contain each rule atom: all of them for
            // leave-one-out, those outside the fold for a split.
            let mut support: FxHashMap<(&str, usize), usize> = FxHashMap::default();
            for (index, (item, atoms)) in gold.iter().zip(&atoms).enumerate() {
                if self.unseen == Unseen::Training && !outside(index) {
                    continue;
                }
                if let Some(scheme) = rules.scheme_for(&item.answer.question) {
                    for &atom in atoms {
                        *support.entry((scheme.id.as_str(), atom)).or_default() += 1;
                    }
                }
            }
            let hidden_at = match self.unseen {
                // Only this answer has the atom.
                Unseen::LeaveOneOut => 1,
                // No training answer has it.
                Unseen::Training => 0,
            };
            for &i in &held {
                let item = &gold[i];
                let Some(scheme) = rules.scheme_for(&item.answer.question) else {
                    continue;
                };
                let analysis = &analyses[i];
                let text = item.answer.text.as_str();
                let unseen = |atom: usize| {
                    support
                        .get(&(scheme.id.as_str(), atom))
                        .copied()
                        .unwrap_or(0)
                        <= hidden_at
                };
                let rules_only = Judge::Rules(model.rules_only());
                // As `classify` decides, with evidence only where a scheme's rule gave some.
                let no_answer = non_answer(Some(scheme), analysis, text).map(|evidence| {
                    let mut classification = no_answer_classification(Some(scheme), evidence);
                    classification
                        .evidence
                        .retain(|category| !category.matches.is_empty());
                    classification
                });
                for (slot, mode) in CvMode::ALL.into_iter().enumerate() {
                    let (matches, judge) = match mode {
                        CvMode::Rules => (scheme.matches(analysis, text), rules_only),
                        CvMode::RulesUnseen => {
                            (scheme.matches_hiding(analysis, text, unseen), rules_only)
                        }
                        CvMode::Model => (Vec::new(), Judge::Model(&words_only)),
                        CvMode::Combined => (scheme.matches(analysis, text), Judge::Model(&model)),
                        CvMode::CombinedUnseen => (
                            scheme.matches_hiding(analysis, text, unseen),
                            Judge::Model(&model),
                        ),
                    };
                    let classification = no_answer
                        .clone()
                        .unwrap_or_else(|| decide(scheme, matches, judge, analysis, text));
                    results[slot][i] = Some(classification);
                }
            }
        }
        let scores = CvMode::ALL
            .into_iter()
            .zip(results)
            .map(|(mode, classifications)| {
                let classified: Vec<(&GoldAnswer, Classification)> = gold
                    .iter()
                    .zip(classifications)
                    .filter_map(|(item, classification)| Some((item, classification?)))
                    .collect();
                CvScore {
                    mode,
                    report: score(rules, classified),
                }
            })
            .collect();
        Ok(CvReport {
            plan,
            answers: (0..gold.len())
                .filter(|&i| fold_of[i].is_some_and(|fold| self.tested.contains(&fold)))
                .count(),
            synthetic_answers: synthetic.len(),
            synthetic_left_out: left_out.len(),
            scores,
        })
    }
}

impl CvReport {
    /// The figures as text: one row per mode, accuracy per scheme, then the reliability table
    /// and the accuracy by coverage of the estimate for new answers.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{} over {}: each held-out answer classified by a model trained on \
             other answers{}\n\n",
            self.plan,
            counted(self.answers, "gold answer", "gold answers"),
            if self.synthetic_answers > 0 {
                format!(
                    " and on {} ({} of them left out of the folds whose answers they echo)",
                    counted(self.synthetic_answers, "written answer", "written answers"),
                    self.synthetic_left_out
                )
            } else {
                String::new()
            }
        );
        // The main questions' columns only when the gold answers include some of theirs.
        let main = self
            .scores
            .first()
            .and_then(|score| score.report.main_group())
            .map(|group| group.name.clone());
        match &main {
            Some(main) => {
                out.push_str(&format!("{main} | all schemes | calibration\n"));
                out.push_str(&format!(
                    "  {:<36} {:>8} {:>8}   {:>8} {:>8}   {:>5} {:>11}\n",
                    "", "accuracy", "macro-F1", "accuracy", "macro-F1", "ECE", "top-80% acc"
                ));
            }
            None => {
                out.push_str("all schemes | calibration\n");
                out.push_str(&format!(
                    "  {:<36} {:>8} {:>8}   {:>5} {:>11}\n",
                    "", "accuracy", "macro-F1", "ECE", "top-80% acc"
                ));
            }
        }
        for score in &self.scores {
            let report = &score.report;
            let top80 = report
                .coverage
                .iter()
                .find(|row| (row.share - 0.8).abs() < 1e-9)
                .map_or(0.0, |row| row.accuracy);
            let all = report.all_group();
            let mut line = format!("  {:<36}", score.mode.describe());
            if main.is_some() {
                let group = report.main_group();
                line.push_str(&format!(
                    " {:>8.3} {:>8.3}  ",
                    group.map_or(0.0, |g| g.accuracy),
                    group.map_or(0.0, |g| g.macro_f1),
                ));
            }
            line.push_str(&format!(
                " {:>8.3} {:>8.3}   {:>5.3} {:>11.3}\n",
                all.map_or(0.0, |g| g.accuracy),
                all.map_or(0.0, |g| g.macro_f1),
                report.reliability.expected_calibration_error,
                top80,
            ));
            out.push_str(&line);
        }
        out.push_str("\naccuracy per scheme:\n");
        out.push_str(&format!("  {:<20} {:>7}", "scheme", "answers"));
        for score in &self.scores {
            out.push_str(&format!(" {:>14}", mode_short(score.mode)));
        }
        out.push('\n');
        if let Some(first) = self.scores.first() {
            for (index, scheme) in first.report.schemes.iter().enumerate() {
                out.push_str(&format!("  {:<20} {:>7}", scheme.scheme, scheme.answers));
                for score in &self.scores {
                    let accuracy = score.report.schemes.get(index).map_or(0.0, |s| s.accuracy);
                    out.push_str(&format!(" {accuracy:>14.3}"));
                }
                out.push('\n');
            }
        }
        if let Some(estimate) = self
            .scores
            .iter()
            .find(|score| score.mode == CvMode::CombinedUnseen)
        {
            out.push_str(&format!("\n{}:\n", CvMode::CombinedUnseen.describe()));
            out.push_str(&render_calibration(
                &estimate.report.reliability,
                &estimate.report.coverage,
            ));
            out.push_str(&render_by_basis(&estimate.report.by_basis));
        }
        out
    }
}

fn mode_short(mode: CvMode) -> &'static str {
    match mode {
        CvMode::Rules => "rules",
        CvMode::RulesUnseen => "rules-unseen",
        CvMode::Model => "model",
        CvMode::Combined => "combined",
        CvMode::CombinedUnseen => "comb.-unseen",
    }
}

/// Accuracy and mean confidence by basis.
fn render_by_basis(by_basis: &[BasisScore]) -> String {
    let mut out = String::from("by basis of the primary category:\n");
    for score in by_basis {
        out.push_str(&format!(
            "  {:<10} {:>4} {:<8} accuracy {:.3}, mean confidence {:.3}\n",
            score.basis.as_str(),
            score.answers,
            format!("{},", agree(score.answers, "answer", "answers")),
            score.accuracy,
            score.mean_confidence
        ));
    }
    out
}
