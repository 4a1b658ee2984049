//! The two regressions the model is made of, fitted by L-BFGS (the `argmin` crate):
//!
//! - [`fit_multinomial`]: weighted multinomial logistic regression on sparse binary features
//!   (which words an answer uses), with an L2 penalty on the weights and none on the biases.
//!   The weights of the examples let written (synthetic) answers count for less than real ones.
//! - [`fit_choice`]: a conditional logit — each example offers several alternatives, each
//!   described by the same few numbers, and one of them is right; one weight per number, shared
//!   by all alternatives. This is how the rules' candidates and the word model's probabilities
//!   are weighed against each other.
//!
//! `argmin` brings the optimizer and its line search; the objectives and gradients are written
//! here, since no well-kept crate fits both weighted examples and sparse features (linfa's
//! logistic regression takes dense unweighted matrices). Everything is deterministic: the same
//! examples in the same order give bit-identical parameters.

use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;

use crate::error::{Error, Result};

/// L-BFGS iterations at most; the problems here converge in far fewer.
const MAX_ITERATIONS: u64 = 300;

/// One training example of the multinomial regression.
#[derive(Debug, Clone)]
pub struct Example {
    /// Indexes of the features present (each once).
    pub features: Vec<u32>,
    /// Index of the right class.
    pub class: usize,
    /// How much the example counts (1 for a real answer).
    pub weight: f64,
}

/// A fitted multinomial regression: `weights[class * features + feature]` and one bias a class.
#[derive(Debug, Clone, PartialEq)]
pub struct Multinomial {
    pub classes: usize,
    pub features: usize,
    pub weights: Vec<f64>,
    pub biases: Vec<f64>,
}

impl Multinomial {
    /// The class probabilities of an example with `features` present.
    pub fn probabilities(&self, features: &[u32]) -> Vec<f64> {
        let mut scores = self.biases.clone();
        for (class, score) in scores.iter_mut().enumerate() {
            let row = &self.weights[class * self.features..(class + 1) * self.features];
            for &feature in features {
                *score += row[feature as usize];
            }
        }
        softmax(&mut scores);
        scores
    }
}

/// Turns scores into probabilities in place (stable for large scores).
pub fn softmax(scores: &mut [f64]) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        let share = 1.0 / scores.len().max(1) as f64;
        scores.iter_mut().for_each(|score| *score = share);
        return;
    }
    let mut sum = 0.0;
    for score in scores.iter_mut() {
        *score = (*score - max).exp();
        sum += *score;
    }
    for score in scores.iter_mut() {
        *score /= sum;
    }
}

/// Fits a multinomial regression with L2 penalty `penalty` on the weights.
pub fn fit_multinomial(
    examples: &[Example],
    classes: usize,
    features: usize,
    penalty: f64,
) -> Result<Multinomial> {
    let problem = MultinomialProblem {
        examples,
        classes,
        features,
        penalty,
    };
    let start = vec![0.0; classes * features + classes];
    let parameters = minimize(problem, start)?;
    let (weights, biases) = parameters.split_at(classes * features);
    Ok(Multinomial {
        classes,
        features,
        weights: weights.to_vec(),
        biases: biases.to_vec(),
    })
}

struct MultinomialProblem<'a> {
    examples: &'a [Example],
    classes: usize,
    features: usize,
    penalty: f64,
}

impl MultinomialProblem<'_> {
    fn scores(&self, parameters: &[f64], example: &Example, scores: &mut [f64]) {
        let biases = &parameters[self.classes * self.features..];
        for (class, score) in scores.iter_mut().enumerate() {
            let row = &parameters[class * self.features..(class + 1) * self.features];
            *score = biases[class]
                + example
                    .features
                    .iter()
                    .map(|&feature| row[feature as usize])
                    .sum::<f64>();
        }
    }

    fn penalty_term(&self, parameters: &[f64]) -> f64 {
        let weights = &parameters[..self.classes * self.features];
        0.5 * self.penalty * weights.iter().map(|w| w * w).sum::<f64>()
    }
}

impl CostFunction for MultinomialProblem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, parameters: &Vec<f64>) -> Result<f64, ArgminError> {
        let mut scores = vec![0.0; self.classes];
        let mut cost = self.penalty_term(parameters);
        for example in self.examples {
            self.scores(parameters, example, &mut scores);
            cost += example.weight * (log_sum_exp(&scores) - scores[example.class]);
        }
        Ok(cost)
    }
}

impl Gradient for MultinomialProblem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, parameters: &Vec<f64>) -> Result<Vec<f64>, ArgminError> {
        let weights_len = self.classes * self.features;
        let mut gradient: Vec<f64> = parameters[..weights_len]
            .iter()
            .map(|w| self.penalty * w)
            .chain(std::iter::repeat_n(0.0, self.classes))
            .collect();
        let mut scores = vec![0.0; self.classes];
        for example in self.examples {
            self.scores(parameters, example, &mut scores);
            softmax(&mut scores);
            for (class, probability) in scores.iter().enumerate() {
                let residual =
                    example.weight * (probability - f64::from(u8::from(class == example.class)));
                let row = class * self.features;
                for &feature in &example.features {
                    gradient[row + feature as usize] += residual;
                }
                gradient[weights_len + class] += residual;
            }
        }
        Ok(gradient)
    }
}

/// One example of the conditional logit: each alternative described by the same numbers.
#[derive(Debug, Clone)]
pub struct Choice {
    pub alternatives: Vec<Vec<f64>>,
    /// Index of the right alternative.
    pub chosen: usize,
}

/// Fits one weight per number of the alternatives' descriptions (`dimensions` of them), with L2
/// penalty `penalty`: the probability of an alternative is the softmax of the weighted sums.
pub fn fit_choice(choices: &[Choice], dimensions: usize, penalty: f64) -> Result<Vec<f64>> {
    let problem = ChoiceProblem {
        choices,
        dimensions,
        penalty,
    };
    minimize(problem, vec![0.0; dimensions])
}

/// The scores of alternatives under `weights`.
pub fn choice_scores(weights: &[f64], alternatives: &[Vec<f64>]) -> Vec<f64> {
    alternatives
        .iter()
        .map(|alternative| {
            alternative
                .iter()
                .zip(weights)
                .map(|(value, weight)| value * weight)
                .sum()
        })
        .collect()
}

struct ChoiceProblem<'a> {
    choices: &'a [Choice],
    dimensions: usize,
    penalty: f64,
}

impl CostFunction for ChoiceProblem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, weights: &Vec<f64>) -> Result<f64, ArgminError> {
        let mut cost = 0.5 * self.penalty * weights.iter().map(|w| w * w).sum::<f64>();
        for choice in self.choices {
            let scores = choice_scores(weights, &choice.alternatives);
            cost += log_sum_exp(&scores) - scores[choice.chosen];
        }
        Ok(cost)
    }
}

impl Gradient for ChoiceProblem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, weights: &Vec<f64>) -> Result<Vec<f64>, ArgminError> {
        let mut gradient: Vec<f64> = weights.iter().map(|w| self.penalty * w).collect();
        debug_assert_eq!(gradient.len(), self.dimensions);
        for choice in self.choices {
            let mut probabilities = choice_scores(weights, &choice.alternatives);
            softmax(&mut probabilities);
            for (index, (alternative, probability)) in
                choice.alternatives.iter().zip(&probabilities).enumerate()
            {
                let residual = probability - f64::from(u8::from(index == choice.chosen));
                for (slot, value) in gradient.iter_mut().zip(alternative) {
                    *slot += residual * value;
                }
            }
        }
        Ok(gradient)
    }
}

fn log_sum_exp(scores: &[f64]) -> f64 {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + scores
        .iter()
        .map(|score| (score - max).exp())
        .sum::<f64>()
        .ln()
}

fn minimize<P>(problem: P, start: Vec<f64>) -> Result<Vec<f64>>
where
    P: CostFunction<Param = Vec<f64>, Output = f64>
        + Gradient<Param = Vec<f64>, Gradient = Vec<f64>>,
{
    let failed = |err: ArgminError| Error::Model(format!("training did not converge: {err}"));
    let line_search = MoreThuenteLineSearch::new();
    let solver = LBFGS::new(line_search, 10)
        .with_tolerance_grad(1e-6)
        .and_then(|solver| solver.with_tolerance_cost(1e-12))
        .map_err(failed)?;
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(start.clone()).max_iters(MAX_ITERATIONS))
        .run()
        .map_err(failed)?;
    Ok(result.state.best_param.unwrap_or(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_words_are_learned_and_weights_shrink_with_the_penalty() {
        // Feature 0 means class 0, feature 1 class 1, feature 2 is noise.
        let examples: Vec<Example> = (0..20)
            .map(|i| Example {
                features: if i % 2 == 0 { vec![0, 2] } else { vec![1] },
                class: i % 2,
                weight: 1.0,
            })
            .collect();
        let loose = fit_multinomial(&examples, 2, 3, 0.01).unwrap();
        let tight = fit_multinomial(&examples, 2, 3, 10.0).unwrap();
        assert!(loose.probabilities(&[0, 2])[0] > 0.95);
        assert!(loose.probabilities(&[1])[1] > 0.95);
        let spread = |model: &Multinomial| model.weights[0] - model.weights[3];
        assert!(spread(&tight) < spread(&loose));
        assert!(tight.probabilities(&[0])[0] > 0.5);
        // Deterministic: bit for bit.
        assert_eq!(loose, fit_multinomial(&examples, 2, 3, 0.01).unwrap());
    }

    #[test]
    fn weighted_examples_count_for_less() {
        // Class 0 by weight-1 examples, class 1 by more but lighter ones, same feature.
        let mut examples = vec![
            Example {
                features: vec![0],
                class: 0,
                weight: 1.0,
            };
            3
        ];
        examples.extend(vec![
            Example {
                features: vec![0],
                class: 1,
                weight: 0.1,
            };
            10
        ]);
        let model = fit_multinomial(&examples, 2, 1, 0.1).unwrap();
        let probabilities = model.probabilities(&[0]);
        // 3 against 1 in weight: about 0.75.
        assert!((probabilities[0] - 0.75).abs() < 0.05, "{probabilities:?}");
    }

    #[test]
    fn choice_weights_follow_the_informative_number() {
        // The right alternative has the first number 1, the second number is noise.
        let choices: Vec<Choice> = (0..30)
            .map(|i| Choice {
                alternatives: vec![
                    vec![1.0, f64::from(i % 3)],
                    vec![0.0, f64::from((i + 1) % 3)],
                    vec![0.0, f64::from((i + 2) % 3)],
                ],
                chosen: 0,
            })
            .collect();
        let weights = fit_choice(&choices, 2, 0.1).unwrap();
        assert!(weights[0] > 2.0, "{weights:?}");
        assert!(weights[1].abs() < 0.5, "{weights:?}");
    }
}
