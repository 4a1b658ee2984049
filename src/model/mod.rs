//! The learned model: a stage beside the rules that weighs their candidates against the words of
//! the answer, proposes a category where no rule matched, and says how sure jiyu is.
//!
//! A model file (`rules/model.json` beside the rule files, written by `jiyu train`) holds, per
//! scheme, a **word model** — a regularized multinomial logistic regression over the content
//! words of an answer (base forms, see [`features`]) — and, for all schemes, a **combiner**: a
//! conditional logit that scores each category of an answer by
//!
//! ```text
//! a · ln P_words(category) + b · [a rule with terms matched it] + c · [it is the rules' first]
//!                          + d · [only a catch-all rule (no terms) matched it]
//!                          + e · [how many more terms than one matched, up to two more]
//! ```
//!
//! The softmax of those scores over the scheme's categories is the probability that a category
//! is right, and the primary category's probability is the answer's **confidence**. `jiyu train`
//! fits the combiner on answers the word model did not see (cross-validation) and with the rules
//! as they would have been written without each answer (every rule term no other labeled answer
//! uses is hidden, see [`train`]), so the probabilities describe answers neither has seen.
//!
//! The rules stay the authority: [`crate::classify`] lets the model choose only among the
//! categories whose rules matched with terms, and propose one of its own only where no rule
//! matched, or only a catch-all one did; such a category has basis `model` and the model's
//! strongest words as evidence. Without a model, the combiner's rules-only part
//! ([`Model::rules_only`], or [`RULES_ONLY_PRIOR`] when there is no model file at all)
//! still gives a confidence.
//!
//! The file format is this module's: JSON, keys sorted, numbers rounded, so the same training
//! gives the same bytes.

pub mod calibration;
pub mod features;
pub mod logistic;
pub mod train;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};

use crate::analyze::Analysis;
use crate::error::{Error, Result};
use crate::rules::expr::error::line_column;
use crate::rules::scheme::{Match, RulesSource, Scheme};

/// The model file's name in a rules directory.
pub const MODEL_FILE: &str = "model.json";

/// The `format` of the files this version reads and writes.
const FORMAT: &str = "jiyu-model/1";

/// The built-in model: `rules/model.json` of the repository when the binary was built.
const BUILTIN_MODEL: Option<&str> = include!(concat!(env!("OUT_DIR"), "/builtin_model.rs"));

/// What the rules said about one category of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleVote {
    /// The category's rule did not match.
    None,
    /// It matched without any rule term: a catch-all rule such as `!(@a | @b)`.
    Default,
    /// It matched with `terms` distinct rule terms; `first` when it is the rules' strongest
    /// category.
    Terms { first: bool, terms: usize },
}

impl RuleVote {
    /// The combiner's rule numbers for this vote (see [`RULE_NUMBERS`]).
    fn numbers(self) -> [f64; 4] {
        match self {
            RuleVote::None => [0.0, 0.0, 0.0, 0.0],
            RuleVote::Default => [0.0, 0.0, 1.0, 0.0],
            RuleVote::Terms { first, terms } => [
                1.0,
                f64::from(u8::from(first)),
                0.0,
                terms.saturating_sub(1).min(2) as f64 / 2.0,
            ],
        }
    }
}

/// The rules' vote on each category of `scheme` (in the scheme's order), from its matches
/// strongest first ([`Scheme::matches`]).
pub fn votes(scheme: &Scheme, matches: &[Match]) -> Vec<RuleVote> {
    let mut votes = vec![RuleVote::None; scheme.categories.len()];
    // Matches are ranked by their number of terms, so one with terms, if any, comes first.
    let first = matches
        .first()
        .filter(|found| !found.evidence.is_empty())
        .map(|found| found.category);
    for found in matches {
        votes[found.category] = if found.evidence.is_empty() {
            RuleVote::Default
        } else {
            let mut terms: Vec<&str> = found.evidence.iter().map(|e| e.term.as_str()).collect();
            terms.sort_unstable();
            terms.dedup();
            RuleVote::Terms {
                first: first == Some(found.category),
                terms: terms.len(),
            }
        };
    }
    votes
}

/// The names of the rule numbers of a category, in order (also the file's keys): a rule with
/// terms matched it; it is the rules' first; only a catch-all rule matched it; how many more
/// distinct terms than one matched (0 for one, ½ for two, 1 for three or more).
pub const RULE_NUMBERS: [&str; 4] = [
    "rule_terms",
    "rule_first",
    "rule_default",
    "rule_more_terms",
];

/// The name of the combiner's first number, the word model's log-probability.
const WORD_NUMBER: &str = "word_model";

/// Weights of the rules-only combiner (one per [`RULE_NUMBERS`]) when no model file is at
/// hand: those `jiyu train` fitted on the IPA 2024 labeled answers with the rules simulated as
/// unseen. A rules directory of another survey gets its own from `jiyu train`.
pub const RULES_ONLY_PRIOR: [f64; 4] = [0.335, 2.103, 0.823, 2.533];

/// Probabilities below this are treated as this, so one word model's certainty never makes a
/// logarithm infinite.
const PROBABILITY_FLOOR: f64 = 1e-4;

/// A trained model. Build with [`Model::load`], [`Model::builtin`] or [`train::train`].
#[derive(Debug, Clone)]
pub struct Model {
    origin: String,
    schemes: Vec<WordModel>,
    /// Weights of the word model's log-probability, then of [`RULE_NUMBERS`].
    combiner: [f64; 5],
    /// Weights of [`RULE_NUMBERS`] alone, for classifying without the word model.
    rules_only: [f64; 4],
    /// A category the model proposes where no rule matched is given only from this probability.
    withhold_below: f64,
    /// A category no rule with terms matched wins over those that did from this probability.
    overrule_above: f64,
    /// Maps the probability of the chosen category to the confidence shown (see [`Platt`]).
    calibration: Platt,
    /// Fingerprints of the answers the model was trained on (see [`fingerprint`]).
    seen: FxHashSet<u64>,
    /// What the file says about its training, kept to write it back unchanged.
    training: Training,
}

/// One scheme's word model.
#[derive(Debug, Clone)]
struct WordModel {
    scheme: String,
    categories: Vec<String>,
    biases: Vec<f64>,
    /// Word → its weight for each category, in the order of `categories`.
    words: FxHashMap<String, Vec<f64>>,
}

/// How a model was trained, as its file records it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Labeled answers that stand for the survey (gold files).
    pub answers: usize,
    /// Corrections (overrides files) the word models also learned from.
    pub corrections: usize,
    /// Written (synthetic) answers and the weight each had.
    pub synthetic_answers: usize,
    pub synthetic_weight: f64,
    /// The L2 penalty of the word models, chosen by cross-validation.
    pub penalty: f64,
    /// Where the rules came from.
    pub rules: String,
    /// Cross-validated figures on the real answers (word model unseen, rules simulated as
    /// unseen): accuracy of the combined primary and the expected calibration error.
    pub cv_accuracy: f64,
    pub cv_calibration_error: f64,
}

/// The file, as serde reads and writes it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    format: String,
    training: Training,
    combiner: BTreeMap<String, f64>,
    rules_only: BTreeMap<String, f64>,
    withhold_below: f64,
    overrule_above: f64,
    calibration: Platt,
    seen: Vec<String>,
    schemes: Vec<SchemeFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeFile {
    id: String,
    categories: Vec<String>,
    biases: Vec<f64>,
    words: BTreeMap<String, Vec<f64>>,
}

/// Where to take the model from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// No model: the rules alone.
    None,
    /// This file.
    File(PathBuf),
    /// `model.json` beside the rules when there is one: the built-in model for the built-in
    /// rules, `DIR/model.json` for a rules directory.
    BesideRules,
}

impl ModelSource {
    /// The model of this source for rules from `rules`, if there is one.
    pub fn load(&self, rules: &RulesSource) -> Result<Option<Model>> {
        match (self, rules) {
            (ModelSource::None, _) => Ok(None),
            (ModelSource::File(path), _) => Model::load(path).map(Some),
            (ModelSource::BesideRules, RulesSource::BuiltIn) => Model::builtin(),
            (ModelSource::BesideRules, RulesSource::Directory(dir)) => {
                let path = dir.join(MODEL_FILE);
                if path.is_file() {
                    Model::load(&path).map(Some)
                } else {
                    Ok(None)
                }
            }
        }
    }
}

impl Model {
    /// Reads a model file.
    pub fn load(path: &Path) -> Result<Model> {
        let text = std::fs::read_to_string(path).map_err(|err| Error::io(path, err))?;
        Model::parse(&text, &path.display().to_string())
    }

    /// The model built into the binary, if the repository had one.
    pub fn builtin() -> Result<Option<Model>> {
        BUILTIN_MODEL
            .map(|text| Model::parse(text, "built-in rules/model.json"))
            .transpose()
    }

    /// Parses a model file's text; errors name `origin` with line and column.
    pub fn parse(text: &str, origin: &str) -> Result<Model> {
        let file: ModelFile = serde_json::from_str(text).map_err(|err| Error::Input {
            path: origin.to_string(),
            line: err.line(),
            column: err.column(),
            message: format!("not a jiyu model file: {err}"),
        })?;
        let problem = |message: String| {
            let at = text.find("\"format\"").unwrap_or(0);
            let (line, column) = line_column(text, at);
            Error::Input {
                path: origin.to_string(),
                line,
                column,
                message,
            }
        };
        if file.format != FORMAT {
            return Err(problem(format!(
                "format `{}` is not `{FORMAT}`; train the model again with `jiyu train`",
                file.format
            )));
        }
        let weights = |map: &BTreeMap<String, f64>, names: &[&str]| -> Result<Vec<f64>> {
            names
                .iter()
                .map(|name| {
                    map.get(*name)
                        .copied()
                        .ok_or_else(|| problem(format!("the weight `{name}` is missing")))
                })
                .collect()
        };
        let mut combiner_names = vec![WORD_NUMBER];
        combiner_names.extend(RULE_NUMBERS);
        let combiner = weights(&file.combiner, &combiner_names)?;
        let rules_only = weights(&file.rules_only, &RULE_NUMBERS)?;
        let mut schemes = Vec::with_capacity(file.schemes.len());
        for scheme in file.schemes {
            let width = scheme.categories.len();
            if scheme.biases.len() != width
                || scheme.words.values().any(|weights| weights.len() != width)
            {
                return Err(problem(format!(
                    "scheme `{}`: every weight list must have one number per category ({width})",
                    scheme.id
                )));
            }
            schemes.push(WordModel {
                scheme: scheme.id,
                categories: scheme.categories,
                biases: scheme.biases,
                words: scheme.words.into_iter().collect(),
            });
        }
        let seen = file
            .seen
            .iter()
            .map(|hex| u64::from_str_radix(hex, 16))
            .collect::<std::result::Result<FxHashSet<u64>, _>>()
            .map_err(|err| problem(format!("a fingerprint in `seen` is not hexadecimal: {err}")))?;
        Ok(Model {
            origin: origin.to_string(),
            schemes,
            combiner: [
                combiner[0],
                combiner[1],
                combiner[2],
                combiner[3],
                combiner[4],
            ],
            rules_only: [rules_only[0], rules_only[1], rules_only[2], rules_only[3]],
            withhold_below: file.withhold_below,
            overrule_above: file.overrule_above,
            calibration: file.calibration,
            seen,
            training: file.training,
        })
    }

    /// The model as its file's text: keys sorted and numbers rounded, so the same model always
    /// gives the same bytes.
    pub fn to_json(&self) -> String {
        let named = |names: &[&str], weights: &[f64]| -> BTreeMap<String, f64> {
            names
                .iter()
                .zip(weights)
                .map(|(name, weight)| (name.to_string(), round(*weight)))
                .collect()
        };
        let mut seen: Vec<String> = self
            .seen
            .iter()
            .map(|hash| format!("{hash:016x}"))
            .collect();
        seen.sort_unstable();
        let mut training = self.training.clone();
        training.synthetic_weight = round(training.synthetic_weight);
        training.penalty = round(training.penalty);
        training.cv_accuracy = round(training.cv_accuracy);
        training.cv_calibration_error = round(training.cv_calibration_error);
        let file = ModelFile {
            format: FORMAT.to_string(),
            training,
            combiner: named(
                &std::iter::once(WORD_NUMBER)
                    .chain(RULE_NUMBERS)
                    .collect::<Vec<_>>(),
                &self.combiner,
            ),
            rules_only: named(&RULE_NUMBERS, &self.rules_only),
            withhold_below: round(self.withhold_below),
            overrule_above: round(self.overrule_above),
            calibration: Platt {
                slope: round(self.calibration.slope),
                intercept: round(self.calibration.intercept),
            },
            seen,
            schemes: self
                .schemes
                .iter()
                .map(|scheme| SchemeFile {
                    id: scheme.scheme.clone(),
                    categories: scheme.categories.clone(),
                    biases: scheme.biases.iter().copied().map(round).collect(),
                    words: scheme
                        .words
                        .iter()
                        .map(|(word, weights)| {
                            (word.clone(), weights.iter().copied().map(round).collect())
                        })
                        .collect(),
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// This model with the rules' votes ignored and nothing withheld: the word model alone
    /// gives each answer its most probable category.
    pub fn words_only(&self) -> Model {
        Model {
            combiner: [1.0, 0.0, 0.0, 0.0, 0.0],
            withhold_below: 0.0,
            calibration: Platt::IDENTITY,
            ..self.clone()
        }
    }

    /// Where the model came from, for messages.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// How the model was trained.
    pub fn training(&self) -> &Training {
        &self.training
    }

    /// The primary category of an answer of `scheme` (an index into its categories) and the
    /// confidence in it, from the rules' votes and the answer's words (see [`choose`]); `None`
    /// when no rule matched and the model is too unsure to propose a category. An answer none
    /// of whose words the word model knows gets no category of the model's own: the rules'
    /// order stands, or the answer stays unclassified.
    pub fn decide(
        &self,
        scheme: &Scheme,
        votes: &[RuleVote],
        analysis: &Analysis,
    ) -> Option<(usize, f64)> {
        let (probabilities, known) = self.probabilities(scheme, votes, analysis);
        choose(
            &probabilities,
            votes,
            known > 0,
            self.withhold_below,
            self.overrule_above,
        )
        .map(|(category, probability)| (category, self.calibration.apply(probability)))
    }

    /// Whether the model has a word model for `scheme`.
    pub fn knows(&self, scheme: &str) -> bool {
        self.word_model(scheme).is_some()
    }

    /// Whether an answer with this text, to a question of `scheme`, was among the answers the
    /// model was trained on.
    pub fn has_seen(&self, scheme: &str, text: &str) -> bool {
        self.seen.contains(&fingerprint(scheme, text))
    }

    fn word_model(&self, scheme: &str) -> Option<&WordModel> {
        self.schemes.iter().find(|model| model.scheme == scheme)
    }

    /// The word model's probability for each category of `scheme` (in the scheme's order), and
    /// how many of the answer's words the word model knows. A uniform spread when the model has
    /// no word model for the scheme or knows none of the words. Categories the model was not
    /// trained on get [`PROBABILITY_FLOOR`].
    pub fn word_probabilities(&self, scheme: &Scheme, analysis: &Analysis) -> (Vec<f64>, usize) {
        let count = scheme.categories.len();
        let uniform = || vec![1.0 / count.max(1) as f64; count];
        let Some(model) = self.word_model(&scheme.id) else {
            return (uniform(), 0);
        };
        let mut scores = model.biases.clone();
        let mut known = 0;
        for word in features::words(analysis) {
            if let Some(weights) = model.words.get(word.text) {
                known += 1;
                for (score, weight) in scores.iter_mut().zip(weights) {
                    *score += weight;
                }
            }
        }
        if known == 0 {
            return (uniform(), 0);
        }
        logistic::softmax(&mut scores);
        let same_order = model.categories.len() == count
            && model
                .categories
                .iter()
                .zip(&scheme.categories)
                .all(|(known, category)| *known == category.id);
        if same_order {
            return (scores, known);
        }
        let probabilities = scheme
            .categories
            .iter()
            .map(|category| {
                model
                    .categories
                    .iter()
                    .position(|known| *known == category.id)
                    .map_or(PROBABILITY_FLOOR, |index| scores[index])
            })
            .collect();
        (probabilities, known)
    }

    /// The probability that each category of `scheme` is the answer's, given the rules' votes
    /// (one per category, in the scheme's order) and the answer's words; and how many of its
    /// words the word model knows.
    pub fn probabilities(
        &self,
        scheme: &Scheme,
        votes: &[RuleVote],
        analysis: &Analysis,
    ) -> (Vec<f64>, usize) {
        let (words, known) = self.word_probabilities(scheme, analysis);
        (combine(&self.combiner, &words, votes), known)
    }

    /// The weights of the rules-only combiner (one per [`RULE_NUMBERS`]): the confidence of the
    /// rules' own order, without the word model.
    pub fn rules_only(&self) -> &[f64; 4] {
        &self.rules_only
    }

    /// The words of the answer that speak most for `category` of `scheme` in the word model,
    /// strongest first (at most `limit`): those whose weight for it exceeds their mean weight
    /// over the scheme's categories. Each with the index of its first token.
    pub fn strongest_words<'a>(
        &self,
        scheme: &str,
        category: &str,
        analysis: &'a Analysis,
        limit: usize,
    ) -> Vec<features::Word<'a>> {
        let Some(model) = self.word_model(scheme) else {
            return Vec::new();
        };
        let Some(index) = model.categories.iter().position(|known| known == category) else {
            return Vec::new();
        };
        let mut scored: Vec<(f64, features::Word<'a>)> = features::words(analysis)
            .into_iter()
            .filter_map(|word| {
                let weights = model.words.get(word.text)?;
                let mean = weights.iter().sum::<f64>() / weights.len().max(1) as f64;
                let lead = weights[index] - mean;
                (lead > 0.0).then_some((lead, word))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.token.cmp(&b.1.token)));
        scored
            .into_iter()
            .take(limit)
            .map(|(_, word)| word)
            .collect()
    }
}

/// The category a combined distribution gives and its probability:
///
/// - where rules with terms matched, the most probable of their categories — unless another
///   category is more probable than `overrule_above` (the rules' votes are already weighed in its
///   probability, so it wins only against the rules' evidence);
/// - where none did, the most probable of all categories, if its probability reaches
///   `withhold_below`; otherwise the most probable catch-all category, if a catch-all rule
///   matched, else `None` (the answer stays unclassified).
///
/// Without `words_known` (the word model knows none of the answer's words) the model proposes
/// nothing of its own: its probabilities are then only its prior.
pub fn choose(
    probabilities: &[f64],
    votes: &[RuleVote],
    words_known: bool,
    withhold_below: f64,
    overrule_above: f64,
) -> Option<(usize, f64)> {
    let (withhold_below, overrule_above) = if words_known {
        (withhold_below, overrule_above)
    } else {
        (f64::INFINITY, f64::INFINITY)
    };
    let best_of = |keep: &dyn Fn(RuleVote) -> bool| {
        probabilities
            .iter()
            .zip(votes)
            .enumerate()
            .filter(|(_, (_, &vote))| keep(vote))
            .max_by(|a, b| a.1 .0.total_cmp(b.1 .0).then(b.0.cmp(&a.0)))
            .map(|(index, (&probability, _))| (index, probability))
    };
    let best = best_of(&|_| true);
    if let Some(found) = best_of(&|vote| matches!(vote, RuleVote::Terms { .. })) {
        return Some(
            best.filter(|&(_, probability)| probability > overrule_above)
                .unwrap_or(found),
        );
    }
    match best.filter(|&(_, probability)| probability >= withhold_below) {
        Some(own) => Some(own),
        None => best_of(&|vote| vote == RuleVote::Default),
    }
}

/// Platt scaling: the confidence shown for a chosen category of probability p is
/// σ(slope · logit(p) + intercept), fitted by `jiyu train` on held-out decisions so that
/// confidence matches accuracy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platt {
    pub slope: f64,
    pub intercept: f64,
}

impl Platt {
    /// Confidence = probability.
    pub const IDENTITY: Platt = Platt {
        slope: 1.0,
        intercept: 0.0,
    };

    pub fn apply(self, probability: f64) -> f64 {
        let logit = Platt::logit(probability);
        1.0 / (1.0 + (-(self.slope * logit + self.intercept)).exp())
    }

    /// The logit of a probability, as [`Platt::apply`] reads it.
    pub fn logit(probability: f64) -> f64 {
        let clipped = probability.clamp(PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR);
        (clipped / (1.0 - clipped)).ln()
    }
}

/// The combiner: softmax over categories of the weighted word-model log-probability and rule
/// numbers.
fn combine(weights: &[f64; 5], word_probabilities: &[f64], votes: &[RuleVote]) -> Vec<f64> {
    let mut scores: Vec<f64> = word_probabilities
        .iter()
        .zip(votes)
        .map(|(&probability, &vote)| dot(weights, &combiner_numbers(probability, vote)))
        .collect();
    logistic::softmax(&mut scores);
    scores
}

/// The rules-only combiner: the probability of each category from the rules' votes alone.
pub fn rule_probabilities(weights: &[f64; 4], votes: &[RuleVote]) -> Vec<f64> {
    let mut scores: Vec<f64> = votes
        .iter()
        .map(|vote| dot(weights, &vote.numbers()))
        .collect();
    logistic::softmax(&mut scores);
    scores
}

fn dot(weights: &[f64], numbers: &[f64]) -> f64 {
    weights.iter().zip(numbers).map(|(w, x)| w * x).sum()
}

/// The combiner's numbers for one category: the word model's log-probability, then
/// [`RULE_NUMBERS`].
fn combiner_numbers(word_probability: f64, vote: RuleVote) -> [f64; 5] {
    let [terms, first, default, more] = vote.numbers();
    [
        word_probability.max(PROBABILITY_FLOOR).ln(),
        terms,
        first,
        default,
        more,
    ]
}

/// A stable fingerprint of an answer of `scheme`: which answers a model was trained on.
pub fn fingerprint(scheme: &str, text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    scheme.hash(&mut hasher);
    crate::normalize::normalize(text)
        .text
        .trim()
        .hash(&mut hasher);
    hasher.finish()
}

/// Six significant digits: plenty for weights, and a file that reads and diffs well.
fn round(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return 0.0;
    }
    let digits = 5 - value.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choose_keeps_to_rule_candidates_and_withholds_unsure_guesses() {
        let terms = |first| RuleVote::Terms { first, terms: 1 };
        // Rules matched categories 1 and 2: the model picks between them …
        let votes = [RuleVote::None, terms(true), terms(false)];
        assert_eq!(
            choose(&[0.45, 0.2, 0.35], &votes, true, 0.3, 0.5),
            Some((2, 0.35))
        );
        // … unless another category is more likely than the overrule threshold.
        assert_eq!(
            choose(&[0.6, 0.1, 0.3], &votes, true, 0.3, 0.5),
            Some((0, 0.6))
        );
        assert_eq!(
            choose(&[0.6, 0.1, 0.3], &votes, true, 0.3, 1.0),
            Some((2, 0.3))
        );
        // No rule: the model's own, unless unsure.
        let none = [RuleVote::None; 3];
        assert_eq!(
            choose(&[0.5, 0.3, 0.2], &none, true, 0.3, 0.5),
            Some((0, 0.5))
        );
        assert_eq!(choose(&[0.34, 0.33, 0.33], &none, true, 0.4, 0.5), None);
        // A catch-all stands when the model is unsure.
        let default = [RuleVote::None, RuleVote::Default, RuleVote::None];
        assert_eq!(
            choose(&[0.34, 0.33, 0.33], &default, true, 0.4, 0.5),
            Some((1, 0.33))
        );
        assert_eq!(
            choose(&[0.7, 0.2, 0.1], &default, true, 0.4, 0.5),
            Some((0, 0.7))
        );
        // Without a word it knows, the model proposes nothing of its own.
        assert_eq!(
            choose(&[0.7, 0.2, 0.1], &default, false, 0.4, 0.5),
            Some((1, 0.2))
        );
        assert_eq!(choose(&[0.7, 0.2, 0.1], &none, false, 0.4, 0.5), None);
        assert_eq!(
            choose(&[0.6, 0.1, 0.3], &votes, false, 0.3, 0.5),
            Some((2, 0.3))
        );
    }
}
