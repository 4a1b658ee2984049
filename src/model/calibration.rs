//! How well confidence matches accuracy: the reliability table, the expected calibration error
//! and accuracy by coverage, over (confidence, right) pairs.

use serde::Serialize;

/// Equal-width confidence bins of the reliability table.
pub const BINS: usize = 10;

/// One bin of the reliability table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// The bin covers confidences from `low` (inclusive) to `high` (exclusive; 1.0 inclusive for
    /// the last).
    pub low: f64,
    pub high: f64,
    pub answers: usize,
    pub mean_confidence: f64,
    pub accuracy: f64,
}

/// The reliability table of a set of predictions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    /// Only the bins that hold answers.
    pub bins: Vec<Bin>,
    /// Expected calibration error: the answer-weighted mean of |accuracy − mean confidence| over
    /// the bins.
    pub expected_calibration_error: f64,
}

impl Reliability {
    /// The table of `predictions`, each (confidence, whether the primary was right).
    pub fn new(predictions: &[(f64, bool)]) -> Reliability {
        let mut sums = [(0usize, 0.0f64, 0usize); BINS];
        for &(confidence, right) in predictions {
            let bin = ((confidence * BINS as f64) as usize).min(BINS - 1);
            sums[bin].0 += 1;
            sums[bin].1 += confidence;
            sums[bin].2 += usize::from(right);
        }
        let total = predictions.len().max(1) as f64;
        let mut error = 0.0;
        let bins = sums
            .iter()
            .enumerate()
            .filter(|(_, (answers, _, _))| *answers > 0)
            .map(|(index, &(answers, confidence, right))| {
                let mean_confidence = confidence / answers as f64;
                let accuracy = right as f64 / answers as f64;
                error += answers as f64 / total * (accuracy - mean_confidence).abs();
                Bin {
                    low: index as f64 / BINS as f64,
                    high: (index + 1) as f64 / BINS as f64,
                    answers,
                    mean_confidence,
                    accuracy,
                }
            })
            .collect();
        Reliability {
            bins,
            expected_calibration_error: error,
        }
    }
}

/// Accuracy of the most confident share of the answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// The share of answers kept, most confident first (0.5 = the most confident half).
    pub share: f64,
    pub answers: usize,
    pub accuracy: f64,
    /// The lowest confidence among them.
    pub confidence_from: f64,
}

/// Accuracy of the most confident 50, 60, …, 100 % of `predictions`. Ties in confidence keep
/// the order of `predictions`, so the table is deterministic.
pub fn coverage(predictions: &[(f64, bool)]) -> Vec<Coverage> {
    let mut order: Vec<&(f64, bool)> = predictions.iter().collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        .into_iter()
        .filter(|_| !order.is_empty())
        .map(|share| {
            let answers = ((order.len() as f64 * share).round() as usize).clamp(1, order.len());
            let kept = &order[..answers];
            Coverage {
                share,
                answers,
                accuracy: kept.iter().filter(|(_, right)| *right).count() as f64 / answers as f64,
                confidence_from: kept.last().map_or(0.0, |(confidence, _)| *confidence),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibrated_predictions_have_small_error_and_overconfident_ones_large() {
        // 10 answers at 0.8, 8 right: calibrated.
        let calibrated: Vec<(f64, bool)> = (0..10).map(|i| (0.8, i < 8)).collect();
        let table = Reliability::new(&calibrated);
        assert_eq!(table.bins.len(), 1);
        assert!((table.bins[0].accuracy - 0.8).abs() < 1e-12);
        assert!(table.expected_calibration_error < 1e-12);
        // Same answers claimed at 0.99: error 0.19.
        let overconfident: Vec<(f64, bool)> = (0..10).map(|i| (0.99, i < 8)).collect();
        let error = Reliability::new(&overconfident).expected_calibration_error;
        assert!((error - 0.19).abs() < 1e-9, "{error}");
    }

    #[test]
    fn coverage_keeps_the_most_confident_first() {
        let predictions = [(0.9, true), (0.2, false), (0.8, true), (0.4, false)];
        let table = coverage(&predictions);
        assert_eq!(table[0].answers, 2);
        assert_eq!(table[0].accuracy, 1.0);
        assert_eq!(table[0].confidence_from, 0.8);
        assert_eq!(table.last().map(|row| row.accuracy), Some(0.5));
    }
}
