//! Corrections teach: how accuracy on the demo export changes after staff correct 100, then 300,
//! of its least confident answers and the model is trained again with their corrections.
//!
//! `make loop` runs this from the repository root (it reads `rules/` and
//! `corpus/ipa-2024/labeled.jsonl` from there). The demo export (`corpus/demo/survey.csv`, seed
//! 2024, 5,577 respondents) is generated in memory by [`jiyu::demo::generate`], which knows the
//! category every answer was written for; non-answers (「特になし」…) are left out. A simulated
//! person corrects answers by giving them that category, as rows of an overrides file
//! (`id,categories`), which goes through the same code as `jiyu train --overrides` (answers
//! as gold: [`gold_from_overrides`]) and `jiyu classify --overrides` (labels replaced:
//! [`Overrides::session`]).
//!
//! Round 0 classifies every answer. Round 1 corrects the 100 least confident (ties: the earlier
//! answer first), trains again from the labeled IPA answers plus the corrections, and classifies
//! again with the corrections applied; round 2 corrects the 200 least confident of the answers
//! not yet corrected, under the model of round 1, and does the same (300 corrections in all).
//! Settings:
//!
//! - (a) the shipped recipe: the labeled IPA answers plus the written answers of
//!   `jiyu demo-data --labeled --seed 7 --respondents 20000` at weight 0.1 (as `make model`);
//!   the demo export is written by the same generator, so this model has seen its phrases;
//! - (b) the labeled IPA answers alone: a new survey, where only labels people gave exist;
//! - (c) the rules alone, no model: corrections only fix the answers corrected;
//! - (b, random), the control: as (b), but the corrected answers are drawn at random, in five
//!   seeded draws (a table for the first, a line for each).
//!
//! "Wrong among them" counts the corrected answers whose primary category was wrong before the
//! correction: what the person's work fixed directly. Accuracy is the share of answers whose
//! primary category is the one the answer was written for. The honest figure is the accuracy on the answers nobody corrected; since the corrected
//! ones were the hardest, that set gets easier by itself, so each row also gives the round-0
//! classifier's accuracy on the same answers (the difference is what retraining changed: answers
//! it fixed minus answers it broke). ECE is the expected calibration error over those answers
//! ([`Reliability`], 10 bins); 要確認 counts all answers whose confidence is below 0.5 (a
//! corrected answer has confidence 1).
//!
//! Standard output is the same on every run: seeds are fixed, training is deterministic and
//! work is gathered in input order. Timings go to standard error.

use std::path::Path;
use std::time::Instant;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use jiyu::classify::pipeline::Classified;
use jiyu::classify::{Classification, Classifier, REVIEW_BELOW};
use jiyu::demo::{self, DemoOptions, FREE_TEXT_COLUMNS};
use jiyu::gold::{gold_from_overrides, read_gold, GoldAnswer};
use jiyu::model::calibration::Reliability;
use jiyu::model::train::{train, Labeled, TrainOptions};
use jiyu::model::Model;
use jiyu::overrides::Overrides;
use jiyu::rules::scheme::{RuleSet, RulesSource};
use jiyu::{Analyzer, Answer};

/// The labeled IPA answers, relative to the repository root.
const GOLD: &str = "corpus/ipa-2024/labeled.jsonl";
/// The shipped rules and model, relative to the repository root.
const RULES: &str = "rules";
const SHIPPED_MODEL: &str = "rules/model.json";
/// The written answers of `make model`: `jiyu demo-data --labeled --seed 7 --respondents 20000`.
const SYNTHETIC: DemoOptions = DemoOptions {
    respondents: 20_000,
    seed: 7,
};
/// Answers corrected in each round after round 0: 100, then 200 more.
const ROUNDS: [usize; 2] = [100, 200];
/// Seeds of the random control's draws: one table for the first, a summary of all.
const RANDOM_SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

fn main() {
    if let Err(message) = run() {
        eprintln!("correction_loop: {message}");
        std::process::exit(2);
    }
}

/// The answers of the demo export that have a category, with it.
struct Demo {
    answers: Vec<Answer>,
    truth: Vec<&'static str>,
}

/// How a setting classifies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Learner {
    /// A model trained on the gold answers, the corrections and these written answers.
    Model { synthetic: bool },
    /// The rules alone.
    Rules,
}

/// Which answers the person corrects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pick {
    LeastConfident,
    /// Drawn at random (a shuffle with this seed), whatever the confidence.
    Random(u64),
}

/// One round's figures.
struct Row {
    corrections: usize,
    /// Of the answers corrected since the previous round, how many had a wrong primary.
    errors_found: usize,
    newly_corrected: usize,
    answers: usize,
    right: usize,
    uncorrected: usize,
    uncorrected_right: usize,
    /// The round-0 classifier's right answers among the same uncorrected answers.
    round0_right: usize,
    /// Uncorrected answers wrong in round 0 and right now, and the other way round.
    fixed: usize,
    broken: usize,
    ece: f64,
    review: usize,
}

fn run() -> Result<(), String> {
    if !Path::new(RULES).join("site-needs.toml").is_file() {
        return Err(format!(
            "run from the repository root (`make loop`): {RULES}/ is not here"
        ));
    }
    let started = Instant::now();
    let analyzer = Analyzer::new(&[]).map_err(|err| err.to_string())?;
    let rules_source = RulesSource::Directory(RULES.into());
    let rules = RuleSet::load(&rules_source, &analyzer).map_err(|err| err.to_string())?;
    let mut classifier = Classifier {
        analyzer,
        rules,
        model: None,
    };
    let gold = read_gold(Path::new(GOLD), &classifier.rules).map_err(|err| err.to_string())?;
    let demo = demo_answers(&classifier.rules);
    let synthetic = written_answers();
    println!(
        "Correction loop on the demo export (seed {}, {} respondents): {} answers with a \
         category (non-answers left out); gold: {} labeled IPA answers; written answers of \
         seed {} ({} respondents): {}.",
        demo::DEFAULT_SEED,
        demo::SURVEY_RESPONDENTS,
        demo.answers.len(),
        gold.len(),
        SYNTHETIC.seed,
        SYNTHETIC.respondents,
        synthetic.len()
    );

    let settings = [
        (
            "(a) shipped recipe: gold + written answers of seed 7 (weight 0.1)",
            Learner::Model { synthetic: true },
            Pick::LeastConfident,
        ),
        (
            "(b) gold only (a new survey)",
            Learner::Model { synthetic: false },
            Pick::LeastConfident,
        ),
        (
            "(c) rules only, no model",
            Learner::Rules,
            Pick::LeastConfident,
        ),
    ];
    for (title, learner, pick) in settings {
        let start = Instant::now();
        let rows = simulate(&mut classifier, &demo, &gold, &synthetic, learner, pick)?;
        println!("\n{title}\n");
        print_table(&rows);
        eprintln!(
            "correction_loop: {title}: {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }

    // The control: as (b), but the answers corrected are drawn at random.
    let start = Instant::now();
    let mut draws = Vec::new();
    for seed in RANDOM_SEEDS {
        let pick = Pick::Random(seed);
        let learner = Learner::Model { synthetic: false };
        draws.push((
            seed,
            simulate(&mut classifier, &demo, &gold, &synthetic, learner, pick)?,
        ));
    }
    println!(
        "\n(b, random) gold only, random answers corrected (control), draw of seed {}\n",
        draws[0].0
    );
    print_table(&draws[0].1);
    println!(
        "\n(b, random) every draw, after 100 and after 300 corrections \
         (in brackets: round 0 on the same uncorrected answers)\n"
    );
    print_draws(&draws);
    eprintln!(
        "correction_loop: random control, {} draws: {:.1} s",
        draws.len(),
        start.elapsed().as_secs_f64()
    );
    eprintln!(
        "correction_loop: {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The demo export's answers that have a category, in file order (respondents, then columns),
/// with the ids the wide-export reader gives them (`R00001:Q6-1`).
fn demo_answers(rules: &RuleSet) -> Demo {
    let mut demo = Demo {
        answers: Vec::new(),
        truth: Vec::new(),
    };
    for respondent in demo::generate(DemoOptions::default()) {
        for (cell, question) in respondent.cells.iter().zip(FREE_TEXT_COLUMNS) {
            let Some(answer) = cell.answer() else {
                continue;
            };
            let Some(category) = answer.category else {
                continue;
            };
            if rules.scheme_for(question).is_none() {
                continue;
            }
            demo.answers.push(Answer {
                id: format!("{}:{question}", respondent.id),
                question: question.to_string(),
                text: answer.text.clone(),
                attributes: vec![
                    ("業種".to_string(), respondent.industry.to_string()),
                    ("従業員数".to_string(), respondent.employees.to_string()),
                    ("取組段階".to_string(), respondent.stage.to_string()),
                ],
            });
            demo.truth.push(category);
        }
    }
    demo
}

/// The written answers `make model` trains on, in the order `jiyu demo-data --labeled` writes
/// them (training uses the first ones of each scheme, so the order matters).
fn written_answers() -> Vec<GoldAnswer> {
    let mut written = Vec::new();
    for respondent in demo::generate(SYNTHETIC) {
        for (cell, question) in respondent.cells.iter().zip(FREE_TEXT_COLUMNS) {
            let Some(answer) = cell.answer() else {
                continue;
            };
            let Some(category) = answer.category else {
                continue;
            };
            written.push(GoldAnswer {
                answer: Answer {
                    id: format!("{}:{question}", respondent.id),
                    question: question.to_string(),
                    text: answer.text.clone(),
                    attributes: Vec::new(),
                },
                category: category.to_string(),
            });
        }
    }
    written
}

/// Runs round 0 and the correction rounds of one setting.
fn simulate(
    classifier: &mut Classifier,
    demo: &Demo,
    gold: &[GoldAnswer],
    synthetic: &[GoldAnswer],
    learner: Learner,
    pick: Pick,
) -> Result<Vec<Row>, String> {
    let count = demo.answers.len();
    let random_order = match pick {
        Pick::Random(seed) => shuffled(count, seed),
        Pick::LeastConfident => Vec::new(),
    };
    let mut corrected = vec![false; count];
    let mut corrections: Vec<usize> = Vec::new();
    let mut round0_right: Vec<bool> = Vec::new();
    let mut rows = Vec::new();
    let mut previous: Vec<Classification> = Vec::new();
    for round in 0..=ROUNDS.len() {
        let mut newly = Vec::new();
        if round > 0 {
            let wanted = ROUNDS[round - 1];
            newly = match pick {
                Pick::LeastConfident => {
                    let mut order: Vec<usize> = (0..count).filter(|&i| !corrected[i]).collect();
                    // Stable: equal confidences keep input order.
                    order.sort_by(|&a, &b| {
                        confidence(&previous[a]).total_cmp(&confidence(&previous[b]))
                    });
                    order.truncate(wanted);
                    order
                }
                Pick::Random(_) => random_order
                    .iter()
                    .copied()
                    .filter(|&i| !corrected[i])
                    .take(wanted)
                    .collect(),
            };
            for &i in &newly {
                corrected[i] = true;
            }
            corrections.extend(&newly);
        }
        let errors_found = newly
            .iter()
            .filter(|&&i| previous[i].primary() != Some(demo.truth[i]))
            .count();
        let overrides = overrides_of(demo, &corrections, &classifier.rules)?;

        classifier.model = match learner {
            Learner::Rules => None,
            Learner::Model { synthetic: with } => {
                let corrected = if corrections.is_empty() {
                    Vec::new()
                } else {
                    gold_from_overrides(
                        demo.answers.iter().cloned().map(Ok),
                        &overrides,
                        &classifier.rules,
                    )
                    .map_err(|err| err.to_string())?
                };
                let labeled = Labeled {
                    gold,
                    corrections: &corrected,
                    synthetic: if with { synthetic } else { &[] },
                };
                let (model, _) = train(
                    &classifier.rules,
                    &classifier.analyzer,
                    labeled,
                    &TrainOptions::default(),
                )
                .map_err(|err| err.to_string())?;
                if round == 0 && with {
                    report_shipped(&model);
                }
                Some(model)
            }
        };
        let raw: Vec<Classification> = demo
            .answers
            .par_iter()
            .map(|answer| classifier.classify(answer))
            .collect();
        // The corrections applied as `classify --overrides` applies them.
        let mut session = overrides.session();
        let mut shown = Vec::with_capacity(count);
        for (answer, classification) in demo.answers.iter().zip(&raw) {
            let mut item = Classified {
                answer: answer.clone(),
                classification: classification.clone(),
                overridden: false,
            };
            session
                .apply(&mut item, &classifier.rules)
                .map_err(|err| err.to_string())?;
            shown.push(item.classification);
        }
        session.finish().map_err(|err| err.to_string())?;

        let right: Vec<bool> = shown
            .iter()
            .zip(&demo.truth)
            .map(|(classification, truth)| classification.primary() == Some(*truth))
            .collect();
        if round == 0 {
            round0_right = right.clone();
        }
        let uncorrected: Vec<usize> = (0..count).filter(|&i| !corrected[i]).collect();
        let predictions: Vec<(f64, bool)> = uncorrected
            .iter()
            .map(|&i| (confidence(&shown[i]), right[i]))
            .collect();
        rows.push(Row {
            corrections: corrections.len(),
            errors_found,
            newly_corrected: newly.len(),
            answers: count,
            right: right.iter().filter(|&&r| r).count(),
            uncorrected: uncorrected.len(),
            uncorrected_right: uncorrected.iter().filter(|&&i| right[i]).count(),
            round0_right: uncorrected.iter().filter(|&&i| round0_right[i]).count(),
            fixed: uncorrected
                .iter()
                .filter(|&&i| right[i] && !round0_right[i])
                .count(),
            broken: uncorrected
                .iter()
                .filter(|&&i| !right[i] && round0_right[i])
                .count(),
            ece: Reliability::new(&predictions).expected_calibration_error,
            review: shown
                .iter()
                .filter(|classification| classification.needs_review(REVIEW_BELOW))
                .count(),
        });
        previous = raw;
    }
    Ok(rows)
}

/// 0 … count − 1 in the order of a Fisher–Yates shuffle seeded with `seed` (ChaCha8, the
/// multiply-shift draw): the same seed always gives the same order.
fn shuffled(count: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..count).collect();
    for last in (1..count).rev() {
        let pick = ((u64::from(rng.next_u32()) * (last as u64 + 1)) >> 32) as usize;
        order.swap(last, pick);
    }
    order
}

/// An answer's confidence; answers of a question no scheme sorts have none (there are none
/// here) and count as 0.
fn confidence(classification: &Classification) -> f64 {
    classification.confidence.unwrap_or(0.0)
}

/// The corrections as an overrides file would hold them: each answer with its true category.
fn overrides_of(demo: &Demo, corrections: &[usize], rules: &RuleSet) -> Result<Overrides, String> {
    let mut csv = String::from("id,categories\n");
    for &i in corrections {
        csv.push_str(&format!("{},{}\n", demo.answers[i].id, demo.truth[i]));
    }
    Overrides::parse(csv.as_bytes(), "simulated corrections", rules).map_err(|err| err.to_string())
}

/// Says whether the model of setting (a), round 0, is the shipped `rules/model.json` byte for
/// byte (it is when the shipped model was made by `make model` with this version).
fn report_shipped(model: &Model) {
    let same = std::fs::read_to_string(SHIPPED_MODEL).is_ok_and(|text| text == model.to_json());
    println!(
        "The model of (a), round 0, {} {SHIPPED_MODEL}.",
        if same {
            "is byte for byte"
        } else {
            "differs from"
        }
    );
}

fn percent(part: usize, whole: usize) -> String {
    format!("{:.1} %", 100.0 * part as f64 / whole.max(1) as f64)
}

fn print_table(rows: &[Row]) {
    println!(
        "| round | corrections | wrong among them | accuracy, all | accuracy, uncorrected | \
         round 0 on the same answers | fixed / broken since round 0 | ECE, uncorrected | 要確認 |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (round, row) in rows.iter().enumerate() {
        let found = if row.newly_corrected == 0 {
            "–".to_string()
        } else {
            format!("{} of {}", row.errors_found, row.newly_corrected)
        };
        println!(
            "| {round} | {} | {found} | {} | {} ({}) | {} | +{} / −{} | {:.3} | {} |",
            row.corrections,
            percent(row.right, row.answers),
            percent(row.uncorrected_right, row.uncorrected),
            row.uncorrected,
            percent(row.round0_right, row.uncorrected),
            row.fixed,
            row.broken,
            row.ece,
            row.review
        );
    }
}

/// One line per random draw: its rounds 1 and 2, then the mean of the draws.
fn print_draws(draws: &[(u64, Vec<Row>)]) {
    let mut header = String::from("| seed |");
    let mut rule = String::from("|---:|");
    for round in 1..=ROUNDS.len() {
        let corrections: usize = ROUNDS[..round].iter().sum();
        header.push_str(&format!(
            " wrong among {corrections} | accuracy, all | accuracy, uncorrected | fixed / broken |"
        ));
        rule.push_str("---:|---:|---:|---:|");
    }
    println!("{header}\n{rule}");
    let mut sums = vec![(0usize, 0usize, 0usize, 0usize); ROUNDS.len()];
    for (seed, rows) in draws {
        let mut line = format!("| {seed} |");
        for (round, row) in rows.iter().enumerate().skip(1) {
            let found: usize = rows[1..=round].iter().map(|row| row.errors_found).sum();
            line.push_str(&format!(
                " {found} | {} | {} ({}) | +{} / −{} |",
                percent(row.right, row.answers),
                percent(row.uncorrected_right, row.uncorrected),
                percent(row.round0_right, row.uncorrected),
                row.fixed,
                row.broken
            ));
            let sum = &mut sums[round - 1];
            sum.0 += found;
            sum.1 += row.right;
            sum.2 += row.uncorrected_right;
            sum.3 += row.round0_right;
        }
        println!("{line}");
    }
    let n = draws.len();
    let mut line = String::from("| mean |");
    for (round, &(found, right, uncorrected_right, round0_right)) in sums.iter().enumerate() {
        let row = &draws[0].1[round + 1];
        line.push_str(&format!(
            " {:.1} | {} | {} ({}) | |",
            found as f64 / n as f64,
            percent(right, row.answers * n),
            percent(uncorrected_right, row.uncorrected * n),
            percent(round0_right, row.uncorrected * n)
        ));
    }
    println!("{line}");
}
