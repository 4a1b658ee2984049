//! Demo data: a deterministic, synthetic export of the IPA 2024 survey, for demos, tests and
//! benchmarks. The survey is the one of the published report (IPA, 「2023年度 SECURITY ACTION宣言
//! 事業者における情報セキュリティ対策の実態調査」 報告書, 2024), as `corpus/ipa-2024/README.md`
//! cites it.
//!
//! [`generate`] streams one [`Respondent`] a row, as a web questionnaire exports them: an id, the
//! three attributes 業種 / 従業員数 / 取組段階 and nine free-text columns. The attribute counts are
//! exactly the survey's for 5,577 respondents (scaled by largest remainder for other sizes) and
//! come in shuffled order. [`write_survey_csv`] writes the rows as a wide CSV file, by default in
//! Shift_JIS (CP932) with CRLF line ends, like a Japanese Excel export.
//!
//! The answers are composed, not copied: each category of the report's taxonomy has phrase pools
//! (leads, qualifiers, phrases, frames such as `{}があるとよい`, tails), and every answer then gets
//! the notation variants a real export has (`ＩＳＭＳ`/`ISMS`, `セキュリティー`, `漏えい`/`漏洩`,
//! half-width kana, line breaks, commas and quotes inside a cell). Every [`GeneratedAnswer`]
//! keeps the category it was composed for, so tests and benchmarks have a ground truth; the CSV
//! file never contains it. About a third of the cells asked are empty and some hold non-answers
//! (「特になし」「-」…), whose intended category is `None`.
//!
//! The random numbers come from ChaCha8 (stable across versions) and are turned into choices here,
//! so the same seed gives the same bytes on every platform and with every `rand` release.
//! Attributes and texts use separate streams: changing a phrase pool never reshuffles attributes.
//!
//! This file is the public API. Beside it: `survey.rs`, the survey's tables (attribute counts,
//! columns, who is asked what, the categories written for each question and their weights);
//! `compose.rs`, how an answer is written and varied; `pools.rs`, the phrase pools, data only;
//! `random.rs`, the random choices; `shift_jis.rs`, the Shift_JIS writer.

mod compose;
mod pools;
mod random;
mod shift_jis;
mod survey;

use std::io::Write;
use std::path::Path;

use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
pub use crate::input::Encoding;

use compose::write_answer;
pub use random::scale_counts;
use random::{
    chance, counts, pick_weighted, rng, Urn, STREAM_ANSWERS, STREAM_ATTRIBUTES, STREAM_TEXTS,
};
use shift_jis::Sink;
use survey::{
    Asked, QuestionSpec, Style, EMPTY_PER_MILLE_OTHERS, EMPTY_PER_MILLE_SKIPPER, QUESTIONS,
    SKIPPER_PER_MILLE,
};
pub use survey::{
    COLUMNS, EFFECT_CHOSEN, EMPLOYEE_COUNTS, FREE_TEXT_COLUMNS, INDUSTRIES, ONE_STAR, STAGES,
    SURVEY_RESPONDENTS,
};

/// The default seed.
pub const DEFAULT_SEED: u64 = 2024;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    /// Number of respondents (rows).
    pub respondents: usize,
    /// The seed: the same options always give the same respondents.
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            respondents: SURVEY_RESPONDENTS,
            seed: DEFAULT_SEED,
        }
    }
}

/// One non-empty free-text cell and the category it was written for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedAnswer {
    /// The column (`Q6-1`, `Q13-1`, …).
    pub question: &'static str,
    /// The coding scheme of the question (`site-needs`, `stepup-barriers`, …).
    pub scheme: &'static str,
    /// The intended category id within `scheme`; `None` for a non-answer such as 「特になし」.
    pub category: Option<&'static str>,
    /// The text exactly as it goes into the cell.
    pub text: String,
}

impl GeneratedAnswer {
    /// Whether this is a non-answer (「特になし」「-」…) rather than an answer with content.
    pub fn is_non_answer(&self) -> bool {
        self.category.is_none()
    }
}

/// One free-text cell of a respondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// The question was not put to this respondent (Q10-1 without an effect chosen, Q13-1 when
    /// not 一つ星); the cell is empty.
    NotAsked,
    /// Asked, left empty.
    Empty,
    /// Asked and written in: an answer or a non-answer.
    Answer(GeneratedAnswer),
}

impl Cell {
    /// The text of the cell ("" unless answered).
    pub fn text(&self) -> &str {
        match self {
            Cell::Answer(answer) => &answer.text,
            Cell::NotAsked | Cell::Empty => "",
        }
    }

    /// The answer, if the cell holds one.
    pub fn answer(&self) -> Option<&GeneratedAnswer> {
        match self {
            Cell::Answer(answer) => Some(answer),
            Cell::NotAsked | Cell::Empty => None,
        }
    }
}

/// One row of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    /// `R00001`, `R00002`, … (more digits past 99,999).
    pub id: String,
    /// Q1 業種, one of [`INDUSTRIES`].
    pub industry: &'static str,
    /// Q2 総従業員数, one of [`EMPLOYEE_COUNTS`].
    pub employees: &'static str,
    /// Q3 取組段階, one of [`STAGES`].
    pub stage: &'static str,
    /// One cell per [`FREE_TEXT_COLUMNS`], in that order.
    pub cells: Vec<Cell>,
}

impl Respondent {
    /// The row's fields in [`COLUMNS`] order, as written to the CSV file.
    pub fn fields(&self) -> Vec<&str> {
        let mut fields = Vec::with_capacity(COLUMNS.len());
        fields.extend([self.id.as_str(), self.industry, self.employees, self.stage]);
        fields.extend(self.cells.iter().map(Cell::text));
        fields
    }

    /// The non-empty free-text cells (answers and non-answers), in column order.
    pub fn answers(&self) -> impl Iterator<Item = &GeneratedAnswer> {
        self.cells.iter().filter_map(Cell::answer)
    }
}

/// The respondents of a demo survey, one at a time (see [`generate`]).
#[derive(Debug, Clone)]
pub struct Respondents {
    total: usize,
    produced: usize,
    attributes: ChaCha8Rng,
    texts: ChaCha8Rng,
    industries: Urn,
    employees: Urn,
    stages: Urn,
    effect_chosen: Urn,
}

/// Streams the respondents of a demo survey. Memory does not grow with `options.respondents`.
pub fn generate(options: DemoOptions) -> Respondents {
    let total = options.respondents;
    Respondents {
        total,
        produced: 0,
        attributes: rng(options.seed, STREAM_ATTRIBUTES),
        texts: rng(options.seed, STREAM_TEXTS),
        industries: Urn::new(&counts(&INDUSTRIES), total),
        employees: Urn::new(&counts(&EMPLOYEE_COUNTS), total),
        stages: Urn::new(&counts(&STAGES), total),
        effect_chosen: Urn::new(
            &[EFFECT_CHOSEN, SURVEY_RESPONDENTS as u32 - EFFECT_CHOSEN],
            total,
        ),
    }
}

impl Iterator for Respondents {
    type Item = Respondent;

    fn next(&mut self) -> Option<Respondent> {
        if self.produced >= self.total {
            return None;
        }
        self.produced += 1;
        let industry = INDUSTRIES[self.industries.draw(&mut self.attributes)].0;
        let employees = EMPLOYEE_COUNTS[self.employees.draw(&mut self.attributes)].0;
        let stage = STAGES[self.stages.draw(&mut self.attributes)].0;
        let effect_chosen = self.effect_chosen.draw(&mut self.attributes) == 0;

        let rng = &mut self.texts;
        let skips_free_text = chance(rng, SKIPPER_PER_MILLE);
        let cells = QUESTIONS
            .iter()
            .map(|spec| {
                let asked = match spec.asked {
                    Asked::Everyone => true,
                    Asked::EffectChosen => effect_chosen,
                    Asked::OneStar => stage == ONE_STAR,
                };
                if !asked {
                    return Cell::NotAsked;
                }
                let filled = match spec.style {
                    Style::Main => {
                        let empty = if skips_free_text {
                            EMPTY_PER_MILLE_SKIPPER
                        } else {
                            EMPTY_PER_MILLE_OTHERS
                        };
                        !chance(rng, empty)
                    }
                    Style::Other { filled_per_mille } => chance(rng, filled_per_mille),
                };
                if filled {
                    Cell::Answer(write_answer(spec, rng))
                } else {
                    Cell::Empty
                }
            })
            .collect();
        Some(Respondent {
            id: format!("R{:05}", self.produced),
            industry,
            employees,
            stage,
            cells,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.total - self.produced;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Respondents {}

/// Free-text answers without respondents, for benchmarks (see [`generate_answers`]).
#[derive(Debug, Clone)]
pub struct Answers {
    left: usize,
    rng: ChaCha8Rng,
    weights: Vec<(u64, &'static QuestionSpec)>,
}

/// Streams `count` non-empty free-text answers, each with its question and intended category.
///
/// Questions, categories, non-answers (about one in six; `category` is `None`), lengths and
/// notation variants are distributed as in the non-empty cells of [`generate`]'s export, so a
/// million of these look like the free text of a very large survey. Memory does not grow with
/// `count`.
pub fn generate_answers(count: usize, seed: u64) -> Answers {
    let weights = QUESTIONS
        .iter()
        .map(|spec| {
            let asked = match spec.asked {
                Asked::Everyone => 1.0,
                Asked::EffectChosen => f64::from(EFFECT_CHOSEN) / SURVEY_RESPONDENTS as f64,
                Asked::OneStar => f64::from(STAGES[0].1) / SURVEY_RESPONDENTS as f64,
            };
            let filled = match spec.style {
                Style::Main => {
                    let skipper = f64::from(SKIPPER_PER_MILLE) / 1000.0;
                    1.0 - skipper * f64::from(EMPTY_PER_MILLE_SKIPPER) / 1000.0
                        - (1.0 - skipper) * f64::from(EMPTY_PER_MILLE_OTHERS) / 1000.0
                }
                Style::Other { filled_per_mille } => f64::from(filled_per_mille) / 1000.0,
            };
            ((asked * filled * 1_000_000.0).round() as u64, spec)
        })
        .collect();
    Answers {
        left: count,
        rng: rng(seed, STREAM_ANSWERS),
        weights,
    }
}

impl Iterator for Answers {
    type Item = GeneratedAnswer;

    fn next(&mut self) -> Option<GeneratedAnswer> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let spec = *pick_weighted(&mut self.rng, &self.weights);
        Some(write_answer(spec, &mut self.rng))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Answers {}

/// The coding scheme of a free-text column and the ids of the categories the generator writes
/// for it; `None` for a column it does not generate.
pub fn categories_of(question: &str) -> Option<(&'static str, Vec<&'static str>)> {
    QUESTIONS
        .iter()
        .find(|spec| spec.column == question)
        .map(|spec| {
            (
                spec.scheme,
                spec.categories
                    .iter()
                    .map(|(_, category)| category.id)
                    .collect(),
            )
        })
}

/// Writes the demo survey to `path` as a wide CSV file (header [`COLUMNS`], one row per
/// respondent, CRLF line ends, UTF-8 without a byte order mark or Shift_JIS/CP932), atomically:
/// on error no file is left behind.
pub fn write_survey_csv(path: &Path, options: DemoOptions, encoding: Encoding) -> Result<()> {
    let label = path.display().to_string();
    crate::output::write_atomically(path, |out| write_survey(out, options, encoding, &label))
}

/// The bytes [`write_survey_csv`] writes.
pub fn survey_csv(options: DemoOptions, encoding: Encoding) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_survey(&mut bytes, options, encoding, "demo survey")?;
    Ok(bytes)
}

/// Writes the CSV to `out`; `label` names the destination in errors.
pub fn write_survey(
    out: &mut dyn Write,
    options: DemoOptions,
    encoding: Encoding,
    label: &str,
) -> Result<()> {
    let csv_error = |err: csv::Error| Error::csv(label, err);
    let sink = match encoding {
        Encoding::ShiftJis => Sink::ShiftJis {
            out,
            pending: Vec::new(),
        },
        Encoding::Utf8 => Sink::Utf8(out),
    };
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(sink);
    writer.write_record(COLUMNS).map_err(csv_error)?;
    for respondent in generate(options) {
        writer
            .write_record(respondent.fields())
            .map_err(csv_error)?;
    }
    writer.flush().map_err(|err| Error::io(label, err))?;
    Ok(())
}

/// Writes the answers of the respondents of `options` with the category each was written for,
/// as a gold file (JSONL, one object a line: `id` as the reader of a wide export names the
/// answer, `R00001:Q6-1`; `question`; `scheme`; `category`; `text`). Non-answers have no
/// category and are left out. For `jiyu train --synthetic` and for simulations that need the
/// truth of the demo export; `label` names the destination in errors.
pub fn write_labeled(out: &mut dyn Write, options: DemoOptions, label: &str) -> Result<()> {
    for respondent in generate(options) {
        for (cell, question) in respondent.cells.iter().zip(FREE_TEXT_COLUMNS) {
            let Some(answer) = cell.answer() else {
                continue;
            };
            let Some(category) = answer.category else {
                continue;
            };
            let line = serde_json::json!({
                "id": format!("{}:{question}", respondent.id),
                "question": question,
                "scheme": answer.scheme,
                "category": category,
                "text": answer.text,
            });
            writeln!(out, "{line}").map_err(|err| Error::io(label, err))?;
        }
    }
    out.flush().map_err(|err| Error::io(label, err))
}
