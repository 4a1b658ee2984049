//! Training a [`Model`] from labeled answers, with estimates of how it does on answers it has
//! not seen.
//!
//! Per scheme, the word model is a multinomial logistic regression over the answers' content
//! words ([`super::features`]); its L2 penalty is chosen from [`TrainOptions::penalties`] by
//! K-fold cross-validation on the real answers (the lowest held-out log-loss). The combiner is
//! then fitted on the held-out predictions of that cross-validation, each paired with what the
//! rules say about the answer **as if it had not been seen when they were written**: every atom
//! of the rules (word, literal, regex) that no other labeled answer of the scheme contains is
//! hidden. Hand-written rules are tuned on the labeled answers and score almost perfectly on
//! them; this simulation takes away what was written for one answer alone, so the combiner
//! learns how far to trust the rules on new answers, not on their own examples.
//!
//! Written (synthetic) answers, such as those of `jiyu demo-data --labeled`, may join the word
//! models' training with a lower weight. They never count in any estimate, and in every fold the
//! ones that share a passage with a held-out answer ([`Passages`]) are left out, so a generator
//! that echoes real answers cannot leak them into the figures.
//!
//! Everything is deterministic: folds come from a seeded ChaCha8 shuffle, work is split over
//! threads but gathered in a fixed order, and the file rounds its numbers.

use std::collections::BTreeMap;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::calibration::Reliability;
use super::logistic::{self, Choice, Example, Multinomial};
use super::{
    choose, combine, combiner_numbers, fingerprint, votes, Model, Platt, RuleVote, Training,
    WordModel, RULE_NUMBERS, WORD_NUMBER,
};
use crate::analyze::{Analysis, Analyzer};
use crate::classify::{non_answer, NO_ANSWER};
use crate::error::{Error, Result};
use crate::gold::GoldAnswer;
use crate::rules::scheme::{RuleSet, Scheme, UNCLASSIFIED};

/// How to train.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Folds of the cross-validation that chooses the penalty and feeds the combiner.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// The weight of a written answer, against 1 for a real one.
    pub synthetic_weight: f64,
    /// Written answers used per scheme at most (the first ones of the file).
    pub synthetic_per_scheme: usize,
    /// L2 penalties of the word models to choose from.
    pub penalties: Vec<f64>,
    /// A category the model proposes where no rule with terms matched is given only from this
    /// probability. By default it proposes wherever it knows a word of the answer: a weak guess
    /// comes with its low confidence (and is marked for review), which helps a person more than
    /// no category — with few labeled answers and many categories the most probable category is
    /// often right at a probability well under a half.
    pub withhold_below: f64,
    /// A category no rule with terms matched wins over those that did from this probability.
    pub overrule_above: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            folds: 5,
            seed: 2024,
            synthetic_weight: 0.1,
            synthetic_per_scheme: 3000,
            penalties: vec![0.03, 0.1, 0.3, 1.0],
            withhold_below: 0.0,
            overrule_above: 0.5,
        }
    }
}

/// The penalty of the combiners' weights: enough to keep them finite when the rules are always
/// right on the training answers, small against a hundred answers.
const COMBINER_PENALTY: f64 = 0.1;

/// Word weights whose magnitude rounds below this are left out of the file.
const NEGLIGIBLE_WEIGHT: f64 = 1e-3;

/// What training measured, per scheme and overall.
#[derive(Debug, Clone, Serialize)]
pub struct TrainReport {
    pub schemes: Vec<SchemeReport>,
    /// The probability from which the model proposes a category no rule with terms gave.
    pub withhold_below: f64,
    /// The chosen penalty of the word models.
    pub penalty: f64,
    /// Held-out log-loss of the word models at each penalty tried.
    pub penalty_losses: Vec<(f64, f64)>,
    /// The combiner's and the rules-only weights, by name.
    pub combiner: BTreeMap<String, f64>,
    /// Cross-validated figures over all real answers (word models unseen, rules simulated as
    /// unseen; the combiner's four weights were fitted on these same predictions).
    pub answers: usize,
    pub rules_accuracy: f64,
    pub words_accuracy: f64,
    pub combined_accuracy: f64,
    pub calibration: Reliability,
    /// Corrections the word models learned from.
    pub corrections: usize,
    /// Labeled answers of questions no scheme sorts, or non-answers: not used.
    pub skipped: usize,
}

/// One scheme's training figures (cross-validated, as in [`TrainReport`]).
#[derive(Debug, Clone, Serialize)]
pub struct SchemeReport {
    pub scheme: String,
    pub answers: usize,
    pub synthetic_answers: usize,
    /// Words in the scheme's word model.
    pub words: usize,
    pub rules_correct: usize,
    pub words_correct: usize,
    pub combined_correct: usize,
}

/// What a word model says of a held-out answer: a probability per category, and whether it
/// knows any of the answer's words.
#[derive(Debug, Clone, Default)]
struct WordView {
    probabilities: Vec<f64>,
    known: bool,
}

/// Word views of held-out answers, by index of the answer.
type HeldOut = Vec<(usize, WordView)>;

/// A labeled answer ready for training.
struct Prepared<'a> {
    source: Source,
    text: &'a str,
    category: usize,
    words: Vec<String>,
    /// The normalized text, to compare passages.
    normalized: String,
    /// Gold answers and corrections only: the analysis (for the rules) and the rule atoms
    /// present.
    analysis: Option<Analysis>,
    atoms: Vec<usize>,
}

/// One scheme's labeled answers.
struct SchemeData<'a> {
    scheme: &'a Scheme,
    /// Gold answers and corrections: held out in turn, they give the figures, the combiner and
    /// the calibration.
    real: Vec<Prepared<'a>>,
    synthetic: Vec<Prepared<'a>>,
    /// Fold of each answer of `real`.
    folds: Vec<usize>,
}

/// The labeled answers a model learns from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Labeled<'a> {
    /// Answers labeled as a sample of the survey (gold files). Hand rules are usually written
    /// from them, so when one is held out, the rules are simulated as unseen: the atoms no
    /// other gold answer contains are hidden from it.
    pub gold: &'a [GoldAnswer],
    /// Corrections staff made (an overrides file): answers the rules were not written from, so
    /// the rules' votes on them are taken as they are. They are the answers staff chose to check
    /// (the least confident first), not a sample of the survey — the choice follows what the
    /// model and the rules said, not the true category, so a model of the true category given
    /// those is still fitted without bias, only with more weight where jiyu was unsure.
    pub corrections: &'a [GoldAnswer],
    /// Written answers (weight [`TrainOptions::synthetic_weight`]); never in any estimate.
    pub synthetic: &'a [GoldAnswer],
}

/// Trains a model for the schemes of `rules` from `labeled` answers.
pub fn train(
    rules: &RuleSet,
    analyzer: &Analyzer,
    labeled: Labeled,
    options: &TrainOptions,
) -> Result<(Model, TrainReport)> {
    if options.folds < 2 {
        return Err(Error::Usage("training needs at least 2 folds".to_string()));
    }
    let (mut schemes, skipped) = prepare(rules, analyzer, labeled, options)?;
    if schemes.iter().all(|data| data.real.is_empty()) {
        return Err(Error::Usage(
            "no labeled answer belongs to a scheme of the rules: nothing to train on".to_string(),
        ));
    }
    for data in &mut schemes {
        data.folds = assign_folds(
            data.real.len(),
            options.folds,
            options.seed,
            &data.scheme.id,
        );
    }

    // Held-out word probabilities at every penalty; the lowest log-loss wins.
    let tasks: Vec<(usize, usize, usize)> = (0..options.penalties.len())
        .flat_map(|p| {
            let schemes = &schemes;
            (0..schemes.len()).flat_map(move |s| (0..options.folds).map(move |f| (p, s, f)))
        })
        .collect();
    let predictions: Vec<Result<HeldOut>> = tasks
        .par_iter()
        .map(|&(p, s, fold)| {
            held_out_probabilities(&schemes[s], fold, options.penalties[p], options)
        })
        .collect();
    // out_of_fold[p][s][i]: the word view of real answer i of scheme s at penalty p.
    let mut out_of_fold: Vec<Vec<Vec<WordView>>> = options
        .penalties
        .iter()
        .map(|_| {
            schemes
                .iter()
                .map(|data| vec![WordView::default(); data.real.len()])
                .collect()
        })
        .collect();
    for (&(p, s, _), result) in tasks.iter().zip(predictions) {
        for (index, view) in result? {
            out_of_fold[p][s][index] = view;
        }
    }
    let penalty_losses: Vec<(f64, f64)> = options
        .penalties
        .iter()
        .zip(&out_of_fold)
        .map(|(&penalty, by_scheme)| {
            let loss: f64 = schemes
                .iter()
                .zip(by_scheme)
                .flat_map(|(data, answers)| {
                    data.real.iter().zip(answers).map(|(answer, view)| {
                        -view.probabilities[answer.category]
                            .max(super::PROBABILITY_FLOOR)
                            .ln()
                    })
                })
                .sum();
            (penalty, loss)
        })
        .collect();
    let chosen = penalty_losses
        .iter()
        .enumerate()
        .min_by(|a, b| a.1 .1.total_cmp(&b.1 .1))
        .map_or(0, |(index, _)| index);
    let penalty = options.penalties[chosen];
    let held_out = &out_of_fold[chosen];

    // The rules as if each answer had not been seen when they were written.
    let simulated: Vec<Vec<Vec<RuleVote>>> = schemes
        .iter()
        .map(|data| {
            let support = atom_support(
                data.real
                    .iter()
                    .filter(|answer| answer.source == Source::Gold)
                    .map(|answer| answer.atoms.as_slice()),
            );
            data.real
                .iter()
                .map(|answer| {
                    // The rules were written from the gold answers, not from corrections.
                    let written_from = answer.source == Source::Gold;
                    unseen_votes(data.scheme, answer, |atom| {
                        written_from && support.get(&atom).copied().unwrap_or(0) <= 1
                    })
                })
                .collect()
        })
        .collect();

    let mut choices = Vec::new();
    let mut rule_choices = Vec::new();
    for ((data, views), votes) in schemes.iter().zip(held_out).zip(&simulated) {
        for ((answer, view), votes) in data.real.iter().zip(views).zip(votes) {
            choices.push(Choice {
                alternatives: view
                    .probabilities
                    .iter()
                    .zip(votes)
                    .map(|(&probability, &vote)| combiner_numbers(probability, vote).to_vec())
                    .collect(),
                chosen: answer.category,
            });
            rule_choices.push(Choice {
                alternatives: votes.iter().map(|vote| vote.numbers().to_vec()).collect(),
                chosen: answer.category,
            });
        }
    }
    let fitted = logistic::fit_choice(&choices, RULE_NUMBERS.len() + 1, COMBINER_PENALTY)?;
    let combiner = [fitted[0], fitted[1], fitted[2], fitted[3], fitted[4]];
    let fitted = logistic::fit_choice(&rule_choices, RULE_NUMBERS.len(), COMBINER_PENALTY)?;
    let rules_only = [fitted[0], fitted[1], fitted[2], fitted[3]];

    let withhold_below = options.withhold_below;

    // Platt scaling of the chosen category's probability, on the same held-out decisions.
    let mut decisions = Vec::new();
    for ((data, views), votes) in schemes.iter().zip(held_out).zip(&simulated) {
        for ((answer, view), votes) in data.real.iter().zip(views).zip(votes) {
            let combined = combine(&combiner, &view.probabilities, votes);
            if let Some((primary, probability)) = choose(
                &combined,
                votes,
                view.known,
                withhold_below,
                options.overrule_above,
            ) {
                let right = usize::from(primary != answer.category);
                decisions.push(Choice {
                    alternatives: vec![vec![Platt::logit(probability), 1.0], vec![0.0, 0.0]],
                    chosen: right,
                });
            }
        }
    }
    let fitted = logistic::fit_choice(&decisions, 2, COMBINER_PENALTY)?;
    let platt = Platt {
        slope: fitted[0],
        intercept: fitted[1],
    };

    // Cross-validated figures of the combination, as classify decides it.
    let mut scheme_reports = Vec::new();
    let mut predictions = Vec::new();
    let (mut rules_right, mut words_right, mut combined_right, mut answers) = (0, 0, 0, 0);
    for ((data, views), votes) in schemes.iter().zip(held_out).zip(&simulated) {
        let mut report = SchemeReport {
            scheme: data.scheme.id.clone(),
            answers: data.real.len(),
            synthetic_answers: data.synthetic.len(),
            words: 0,
            rules_correct: 0,
            words_correct: 0,
            combined_correct: 0,
        };
        for ((answer, view), votes) in data.real.iter().zip(views).zip(votes) {
            let combined = combine(&combiner, &view.probabilities, votes);
            let (primary, confidence) = choose(
                &combined,
                votes,
                view.known,
                withhold_below,
                options.overrule_above,
            )
            .map_or((usize::MAX, 0.0), |(primary, probability)| {
                (primary, platt.apply(probability))
            });
            let rules_primary = votes
                .iter()
                .position(|vote| matches!(vote, RuleVote::Terms { first: true, .. }))
                .or_else(|| votes.iter().position(|vote| *vote == RuleVote::Default));
            report.rules_correct += usize::from(rules_primary == Some(answer.category));
            report.words_correct +=
                usize::from(view.known && argmax(&view.probabilities) == answer.category);
            report.combined_correct += usize::from(primary == answer.category);
            predictions.push((confidence, primary == answer.category));
        }
        rules_right += report.rules_correct;
        words_right += report.words_correct;
        combined_right += report.combined_correct;
        answers += report.answers;
        scheme_reports.push(report);
    }
    let calibration = Reliability::new(&predictions);
    let ratio = |right: usize| right as f64 / answers.max(1) as f64;

    // The final word models: every answer.
    let fitted: Vec<Result<Option<FittedWords>>> = schemes
        .par_iter()
        .map(|data| {
            let examples = data.real.iter().map(|answer| (answer, 1.0)).chain(
                data.synthetic
                    .iter()
                    .map(|answer| (answer, options.synthetic_weight)),
            );
            fit_words(data.scheme.categories.len(), examples, penalty)
        })
        .collect();
    let mut word_models = Vec::new();
    for ((data, fitted), report) in schemes.iter().zip(fitted).zip(&mut scheme_reports) {
        if let Some(fitted) = fitted? {
            let model = fitted.into_word_model(data.scheme);
            report.words = model.words.len();
            word_models.push(model);
        }
    }

    let seen = schemes
        .iter()
        .flat_map(|data| {
            data.real
                .iter()
                .map(|answer| fingerprint(&data.scheme.id, answer.text))
        })
        .collect();
    let corrections = schemes
        .iter()
        .flat_map(|data| &data.real)
        .filter(|answer| answer.source == Source::Correction)
        .count();
    let training = Training {
        answers: answers - corrections,
        corrections,
        synthetic_answers: schemes.iter().map(|data| data.synthetic.len()).sum(),
        synthetic_weight: options.synthetic_weight,
        penalty,
        rules: rules.origin.clone(),
        cv_accuracy: ratio(combined_right),
        cv_calibration_error: calibration.expected_calibration_error,
    };
    let model = Model {
        origin: "trained".to_string(),
        schemes: word_models,
        combiner,
        rules_only,
        withhold_below,
        overrule_above: options.overrule_above,
        calibration: platt,
        seen,
        training,
    };
    let weights = std::iter::once(WORD_NUMBER)
        .chain(RULE_NUMBERS)
        .zip(combiner)
        .map(|(name, weight)| (name.to_string(), weight))
        .chain(
            RULE_NUMBERS
                .iter()
                .zip(rules_only)
                .map(|(name, weight)| (format!("rules_only.{name}"), weight)),
        )
        .collect();
    let report = TrainReport {
        schemes: scheme_reports,
        withhold_below,
        penalty,
        penalty_losses,
        combiner: weights,
        answers,
        rules_accuracy: ratio(rules_right),
        words_accuracy: ratio(words_right),
        combined_accuracy: ratio(combined_right),
        calibration,
        corrections,
        skipped,
    };
    Ok((model, report))
}

/// The index of the largest value (the first of equals).
fn argmax(values: &[f64]) -> usize {
    values
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
        .map_or(0, |(index, _)| index)
}

/// The rules' votes on `answer` with the atoms for which `hidden` is true taken away.
fn unseen_votes(
    scheme: &Scheme,
    answer: &Prepared,
    hidden: impl Fn(usize) -> bool,
) -> Vec<RuleVote> {
    let Some(analysis) = &answer.analysis else {
        return vec![RuleVote::None; scheme.categories.len()];
    };
    votes(
        scheme,
        &scheme.matches_hiding(analysis, answer.text, hidden),
    )
}

/// For each rule atom, the number of answers that contain it.
fn atom_support<'a>(answers: impl Iterator<Item = &'a [usize]>) -> FxHashMap<usize, usize> {
    let mut support = FxHashMap::default();
    for atoms in answers {
        for &atom in atoms {
            *support.entry(atom).or_default() += 1;
        }
    }
    support
}

/// Where a labeled answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Gold,
    Correction,
    Synthetic,
}

/// Groups and analyzes the answers by scheme; returns the schemes with answers (in the rules'
/// order) and how many gold answers and corrections were skipped.
fn prepare<'a>(
    rules: &'a RuleSet,
    analyzer: &Analyzer,
    labeled: Labeled<'a>,
    options: &TrainOptions,
) -> Result<(Vec<SchemeData<'a>>, usize)> {
    let mut schemes: Vec<SchemeData<'a>> = rules
        .schemes
        .iter()
        .map(|scheme| SchemeData {
            scheme,
            real: Vec::new(),
            synthetic: Vec::new(),
            folds: Vec::new(),
        })
        .collect();
    let scheme_index: FxHashMap<&str, usize> = rules
        .schemes
        .iter()
        .enumerate()
        .map(|(index, scheme)| (scheme.id.as_str(), index))
        .collect();
    let mut skipped = 0;
    let mut wanted: Vec<(&'a GoldAnswer, usize, usize, Source)> = Vec::new();
    let mut synthetic_counts = vec![0usize; schemes.len()];
    let sources = [
        (labeled.gold, Source::Gold),
        (labeled.corrections, Source::Correction),
        (labeled.synthetic, Source::Synthetic),
    ];
    for (gold, source) in sources
        .iter()
        .flat_map(|(answers, source)| answers.iter().map(move |gold| (gold, *source)))
    {
        let is_synthetic = source == Source::Synthetic;
        let Some(scheme) = rules.scheme_for(&gold.answer.question) else {
            skipped += usize::from(!is_synthetic);
            continue;
        };
        let Some(category) = scheme
            .categories
            .iter()
            .position(|category| category.id == gold.category)
        else {
            // A person's `no-answer` or `unclassified` is no category the word model chooses
            // among (non-answers are told apart before it), and neither is the category of a
            // text the non-answer check (with the scheme's own phrases) catches.
            let text = gold.answer.text.as_str();
            if [NO_ANSWER, UNCLASSIFIED].contains(&gold.category.as_str())
                || non_answer(Some(scheme), &analyzer.analyze(text), text).is_some()
            {
                skipped += usize::from(!is_synthetic);
                continue;
            }
            let known: Vec<&str> = scheme.categories.iter().map(|c| c.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "answer {} ({}): `{}` is not a category of scheme `{}` ({}); its categories are: {}",
                gold.answer.id,
                gold.answer.question,
                gold.category,
                scheme.id,
                scheme.source,
                known.join(", ")
            )));
        };
        let index = scheme_index[scheme.id.as_str()];
        if is_synthetic {
            if synthetic_counts[index] >= options.synthetic_per_scheme {
                continue;
            }
            synthetic_counts[index] += 1;
        }
        wanted.push((gold, index, category, source));
    }
    let prepared: Vec<(usize, Source, Prepared<'a>)> = wanted
        .par_iter()
        .map(|&(gold, index, category, source)| {
            let text = gold.answer.text.as_str();
            let analysis = analyzer.analyze(text);
            let words = super::features::words(&analysis)
                .into_iter()
                .map(|word| word.text.to_string())
                .collect();
            let normalized = analysis.normalized.text.clone();
            // Gold answers and corrections are held out against the rules.
            let (analysis, atoms) = if source == Source::Synthetic {
                (None, Vec::new())
            } else {
                let atoms = rules.schemes[index].program.atoms_present(&analysis);
                (Some(analysis), atoms)
            };
            (
                index,
                source,
                Prepared {
                    source,
                    text,
                    category,
                    words,
                    normalized,
                    analysis,
                    atoms,
                },
            )
        })
        .collect();
    for (index, source, answer) in prepared {
        let data = &mut schemes[index];
        match source {
            Source::Gold | Source::Correction => data.real.push(answer),
            Source::Synthetic => data.synthetic.push(answer),
        }
    }
    schemes.retain(|data| !data.real.is_empty() || !data.synthetic.is_empty());
    Ok((schemes, skipped))
}

/// Folds for `count` answers: a seeded shuffle (per scheme), then round robin, so fold sizes
/// differ by one at most.
pub fn assign_folds(count: usize, folds: usize, seed: u64, scheme: &str) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ super::fingerprint("folds", scheme));
    let mut order: Vec<usize> = (0..count).collect();
    // Fisher–Yates with the rejection-free multiply-shift draw.
    for last in (1..count).rev() {
        let pick = ((u64::from(rng.next_u32()) * (last as u64 + 1)) >> 32) as usize;
        order.swap(last, pick);
    }
    let mut assigned = vec![0; count];
    for (position, &answer) in order.iter().enumerate() {
        assigned[answer] = position % folds;
    }
    assigned
}

/// The word probabilities of the gold answers and corrections of `fold`, from a word model
/// trained on the other folds and on the written answers that share no passage with the fold's
/// answers.
fn held_out_probabilities(
    data: &SchemeData,
    fold: usize,
    penalty: f64,
    options: &TrainOptions,
) -> Result<HeldOut> {
    let held: Vec<usize> = (0..data.real.len())
        .filter(|&index| data.folds[index] == fold)
        .collect();
    if held.is_empty() {
        return Ok(Vec::new());
    }
    let passages = Passages::new(
        held.iter()
            .map(|&index| data.real[index].normalized.as_str()),
    );
    let examples = data
        .real
        .iter()
        .enumerate()
        .filter(|(index, _)| data.folds[*index] != fold)
        .map(|(_, answer)| (answer, 1.0))
        .chain(
            data.synthetic
                .iter()
                .filter(|answer| !passages.shared_by(&answer.normalized))
                .map(|answer| (answer, options.synthetic_weight)),
        );
    let fitted = fit_words(data.scheme.categories.len(), examples, penalty)?;
    let count = data.scheme.categories.len();
    Ok(held
        .into_iter()
        .map(|index| {
            let view = match &fitted {
                Some(fitted) => fitted.view(&data.real[index].words, count),
                None => WordView {
                    probabilities: vec![1.0 / count as f64; count],
                    known: false,
                },
            };
            (index, view)
        })
        .collect())
}

/// A word model being trained: its vocabulary, the categories it saw and the regression.
struct FittedWords {
    vocabulary: Vec<String>,
    index: FxHashMap<String, u32>,
    /// Scheme category index of each class of the regression.
    classes: Vec<usize>,
    regression: Multinomial,
}

impl FittedWords {
    /// Probabilities over the scheme's `count` categories, as [`Model::word_probabilities`]
    /// gives them: categories never seen in training get the floor (the others are scaled to
    /// fill the rest), and an answer without a known word a uniform spread.
    fn view(&self, words: &[String], count: usize) -> WordView {
        let present: Vec<u32> = words
            .iter()
            .filter_map(|word| self.index.get(word).copied())
            .collect();
        if present.is_empty() {
            return WordView {
                probabilities: vec![1.0 / count as f64; count],
                known: false,
            };
        }
        let class_probabilities = self.regression.probabilities(&present);
        let unseen = count - self.classes.len();
        let scale = 1.0 - unseen as f64 * super::PROBABILITY_FLOOR;
        let mut probabilities = vec![super::PROBABILITY_FLOOR; count];
        for (&category, probability) in self.classes.iter().zip(class_probabilities) {
            probabilities[category] = probability * scale;
        }
        WordView {
            probabilities,
            known: true,
        }
    }

    fn into_word_model(self, scheme: &Scheme) -> WordModel {
        let categories: Vec<String> = self
            .classes
            .iter()
            .map(|&category| scheme.categories[category].id.clone())
            .collect();
        let features = self.regression.features;
        let mut words = FxHashMap::default();
        for (feature, word) in self.vocabulary.into_iter().enumerate() {
            let weights: Vec<f64> = (0..self.classes.len())
                .map(|class| self.regression.weights[class * features + feature])
                .collect();
            if weights
                .iter()
                .any(|weight| weight.abs() >= NEGLIGIBLE_WEIGHT)
            {
                words.insert(word, weights);
            }
        }
        WordModel {
            scheme: scheme.id.clone(),
            categories,
            biases: self.regression.biases,
            words,
        }
    }
}

/// Fits a word model on weighted answers; `None` when they hold fewer than two categories.
fn fit_words<'a>(
    categories: usize,
    examples: impl Iterator<Item = (&'a Prepared<'a>, f64)>,
    penalty: f64,
) -> Result<Option<FittedWords>> {
    let mut vocabulary: Vec<String> = Vec::new();
    let mut index: FxHashMap<String, u32> = FxHashMap::default();
    let mut class_of = vec![None; categories];
    let mut classes: Vec<usize> = Vec::new();
    let mut rows: Vec<Example> = Vec::new();
    for (answer, weight) in examples {
        let class = *class_of[answer.category].get_or_insert_with(|| {
            classes.push(answer.category);
            classes.len() - 1
        });
        let features = answer
            .words
            .iter()
            .map(|word| {
                *index.entry(word.clone()).or_insert_with(|| {
                    vocabulary.push(word.clone());
                    (vocabulary.len() - 1) as u32
                })
            })
            .collect();
        rows.push(Example {
            features,
            class,
            weight,
        });
    }
    if classes.len() < 2 {
        return Ok(None);
    }
    // Classes in the scheme's order, so the file lists categories as the scheme does.
    let mut order: Vec<usize> = (0..classes.len()).collect();
    order.sort_by_key(|&class| classes[class]);
    let mut renumber = vec![0; classes.len()];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
    }
    for row in &mut rows {
        row.class = renumber[row.class];
    }
    let classes: Vec<usize> = order.iter().map(|&old| classes[old]).collect();
    let regression = logistic::fit_multinomial(&rows, classes.len(), vocabulary.len(), penalty)?;
    Ok(Some(FittedWords {
        vocabulary,
        index,
        classes,
        regression,
    }))
}

/// The passages of some texts, to tell which other texts share one with them: a text shares a
/// passage with `held` when it contains a run of `held`'s characters at least
/// max(6, 30 % of `held`'s length) long. Written answers that echo a real answer this closely
/// are kept out of the folds that hold that answer.
pub struct Passages<'a> {
    /// Run length → the runs of that length.
    runs: BTreeMap<usize, FxHashSet<&'a str>>,
}

/// Shortest run that counts as a shared passage.
const PASSAGE_MIN_CHARS: usize = 6;

impl<'a> Passages<'a> {
    pub fn new(texts: impl Iterator<Item = &'a str>) -> Passages<'a> {
        let mut runs: BTreeMap<usize, FxHashSet<&'a str>> = BTreeMap::new();
        for text in texts {
            let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
            let chars = starts.len();
            let length = PASSAGE_MIN_CHARS.max((chars * 3).div_ceil(10));
            let set = runs.entry(length).or_default();
            if chars < length {
                // A text shorter than a passage is one passage in full.
                set.insert(text);
                continue;
            }
            for first in 0..=chars - length {
                let end = starts.get(first + length).copied().unwrap_or(text.len());
                set.insert(&text[starts[first]..end]);
            }
        }
        Passages { runs }
    }

    /// Whether `text` contains one of the passages.
    pub fn shared_by(&self, text: &str) -> bool {
        let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        self.runs.iter().any(|(&length, set)| {
            starts.iter().enumerate().any(|(first, &start)| {
                let end = match starts.get(first + length) {
                    Some(&end) => end,
                    None if first + length == starts.len() => text.len(),
                    None => return false,
                };
                set.contains(&text[start..end])
            })
        }) || self.runs.values().any(|set| set.contains(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_catch_echoes_and_spare_common_words() {
        let held = ["人材確保が容易ではない", "クラウドバックアップを導入した"];
        let passages = Passages::new(held.into_iter());
        assert!(passages.shared_by("地方では人材確保が容易ではないと感じる"));
        assert!(passages.shared_by("クラウドバックアップを導入した。"));
        assert!(!passages.shared_by("セキュリティ研修を受けたい"));
        // A short held-out text counts only in full.
        let short = Passages::new(["見積書"].into_iter());
        assert!(short.shared_by("見積書"));
        assert!(!short.shared_by("見積書のひな形がほしい"));
    }

    #[test]
    fn folds_are_balanced_and_fixed_by_the_seed() {
        let folds = assign_folds(23, 5, 7, "site-needs");
        let mut sizes = [0; 5];
        for &fold in &folds {
            sizes[fold] += 1;
        }
        assert!(
            sizes.iter().all(|&size| size == 4 || size == 5),
            "{sizes:?}"
        );
        assert_eq!(folds, assign_folds(23, 5, 7, "site-needs"));
        assert_ne!(folds, assign_folds(23, 5, 8, "site-needs"));
    }
}
