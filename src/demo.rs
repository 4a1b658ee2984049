//! Demo data: a deterministic, synthetic export of the IPA 2024 survey (see
//! the shared survey description, `shared/survey/ipa-2024.md`), for demos, tests and benchmarks.
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

use std::io::Write;
use std::path::Path;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
pub use crate::input::Encoding;

/// Respondents in the survey, and the default of [`DemoOptions::respondents`].
pub const SURVEY_RESPONDENTS: usize = 5577;
/// The default seed.
pub const DEFAULT_SEED: u64 = 2024;

/// Q1 業種, with the number of respondents of each (N = 5,577).
pub const INDUSTRIES: [(&str, u32); 20] = [
    ("農業、林業", 35),
    ("漁業", 3),
    ("鉱業、採石業、砂利採取業", 7),
    ("建設業", 868),
    ("製造業（印刷業を含む）", 1141),
    ("電気・ガス・熱供給・水道業", 34),
    ("情報通信業", 375),
    ("運輸業・郵便業（倉庫業を含む）", 110),
    ("卸売業・小売業", 824),
    ("金融業・保険業", 35),
    ("不動産業・物品賃貸業", 142),
    ("学術研究、専門・技術サービス業", 414),
    ("宿泊業、飲食サービス業", 123),
    ("生活関連サービス業、娯楽業", 98),
    ("教育、学習支援業", 54),
    ("医療、福祉", 650),
    ("複合サービス事業", 25),
    ("サービス業（他に分類されないもの）", 531),
    ("公務（他に分類されるものを除く）", 6),
    ("その他（分類不能の産業）", 102),
];

/// Q2 総従業員数, with the number of respondents of each.
pub const EMPLOYEE_COUNTS: [(&str, u32); 6] = [
    ("1～5名", 1468),
    ("6～20名", 1490),
    ("21～50名", 1136),
    ("51～100名", 700),
    ("101～300名", 610),
    ("301名以上", 173),
];

/// Q3 取組段階, with the number of respondents of each.
pub const STAGES: [(&str, u32); 3] = [
    ("一つ星（★）", 3337),
    ("二つ星（★★）", 972),
    ("わからない", 1268),
];

/// The stage whose respondents are asked Q13-1.
pub const ONE_STAR: &str = "一つ星（★）";

/// Respondents (of 5,577) asked Q10-1: those who chose an effect in Q10(2).
pub const EFFECT_CHOSEN: u32 = 2236;

/// The columns of the export, in order: the respondent id, three attributes, then
/// [`FREE_TEXT_COLUMNS`].
pub const COLUMNS: [&str; 13] = [
    "回答者ID",
    "業種",
    "従業員数",
    "取組段階",
    "Q6-1",
    "Q7-2",
    "Q10-1",
    "Q9",
    "Q10",
    "Q12",
    "Q13-1",
    "Q14",
    "Q15",
];

/// The free-text columns, in file order: the three free-answer questions, then the 「その他」
/// boxes of Q9, Q10, Q12, Q13-1, Q14 and Q15.
pub const FREE_TEXT_COLUMNS: [&str; 9] = [
    "Q6-1", "Q7-2", "Q10-1", "Q9", "Q10", "Q12", "Q13-1", "Q14", "Q15",
];

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

/// Splits `total` in proportion to `counts` by the largest-remainder method: the parts add up to
/// `total`, and each is its exact share rounded down or up. Ties go to the earlier entry.
pub fn scale_counts(counts: &[u32], total: usize) -> Vec<usize> {
    let sum: u128 = counts.iter().map(|&count| u128::from(count)).sum();
    if sum == 0 {
        return vec![0; counts.len()];
    }
    let exact: Vec<u128> = counts
        .iter()
        .map(|&count| u128::from(count) * total as u128)
        .collect();
    let mut parts: Vec<usize> = exact.iter().map(|share| (share / sum) as usize).collect();
    let assigned: usize = parts.iter().sum();
    let mut by_remainder: Vec<usize> = (0..counts.len()).collect();
    by_remainder.sort_by(|&a, &b| (exact[b] % sum).cmp(&(exact[a] % sum)).then(a.cmp(&b)));
    for &index in by_remainder.iter().take(total - assigned) {
        parts[index] += 1;
    }
    parts
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

/// The CSV writer's destination: UTF-8 as is, or transcoded to Shift_JIS on the way.
enum Sink<'a> {
    Utf8(&'a mut dyn Write),
    /// `pending` holds the bytes of a character split across two writes.
    ShiftJis {
        out: &'a mut dyn Write,
        pending: Vec<u8>,
    },
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let (out, pending) = match self {
            Sink::Utf8(out) => return out.write(buf),
            Sink::ShiftJis { out, pending } => (out, pending),
        };
        pending.extend_from_slice(buf);
        let complete = match std::str::from_utf8(pending) {
            Ok(text) => text,
            Err(err) if err.error_len().is_none() => {
                // A character continues in the next write.
                std::str::from_utf8(&pending[..err.valid_up_to()]).unwrap_or_default()
            }
            Err(err) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, err)),
        };
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(complete);
        if unmappable {
            let character = complete
                .chars()
                .find(|&ch| encoding_rs::SHIFT_JIS.encode(ch.encode_utf8(&mut [0; 4])).2)
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{character:?} (U+{:04X}) cannot be written in Shift_JIS; use --encoding utf-8",
                    u32::from(character)
                ),
            ));
        }
        out.write_all(&bytes)?;
        let consumed = complete.len();
        pending.drain(..consumed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Utf8(out) => out.flush(),
            Sink::ShiftJis { out, pending } => {
                if !pending.is_empty() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "the text ends inside a UTF-8 character",
                    ));
                }
                out.flush()
            }
        }
    }
}

// --- Randomness -------------------------------------------------------------------------------

const STREAM_ATTRIBUTES: u64 = 1;
const STREAM_TEXTS: u64 = 2;
const STREAM_ANSWERS: u64 = 3;

fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// A number in `0..n` (`0` when `n` is 0), by multiply-shift: the bias is below 2⁻³².
fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

fn chance(rng: &mut ChaCha8Rng, per_mille: u32) -> bool {
    below(rng, 1000) < per_mille as usize
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[below(rng, items.len())]
}

fn choose<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items[below(rng, items.len())]
}

fn pick_weighted<'a, T, W: Copy + Into<u64>>(rng: &mut ChaCha8Rng, items: &'a [(W, T)]) -> &'a T {
    let total: u64 = items.iter().map(|(weight, _)| (*weight).into()).sum();
    let mut target = below(rng, total as usize) as u64;
    for (weight, item) in items {
        let weight: u64 = (*weight).into();
        if target < weight {
            return item;
        }
        target -= weight;
    }
    &items[items.len() - 1].1
}

/// Drawing without replacement from a shuffled deck of labels: every draw takes label `i` with
/// probability remaining(i) / remaining, so the whole run has exactly the planned counts in a
/// uniformly random order, without holding the deck.
#[derive(Debug, Clone)]
struct Urn {
    remaining: Vec<usize>,
    left: usize,
}

impl Urn {
    fn new(counts: &[u32], total: usize) -> Urn {
        let remaining = scale_counts(counts, total);
        Urn {
            left: remaining.iter().sum(),
            remaining,
        }
    }

    fn draw(&mut self, rng: &mut ChaCha8Rng) -> usize {
        let mut target = below(rng, self.left);
        for (index, remaining) in self.remaining.iter_mut().enumerate() {
            if target < *remaining {
                *remaining -= 1;
                self.left -= 1;
                return index;
            }
            target -= *remaining;
        }
        0
    }
}

fn counts<const N: usize>(table: &[(&str, u32); N]) -> [u32; N] {
    table.map(|(_, count)| count)
}

// --- Who answers what -------------------------------------------------------------------------

/// Share of respondents who skip free text: they leave most cells empty.
const SKIPPER_PER_MILLE: u32 = 200;
const EMPTY_PER_MILLE_SKIPPER: u32 = 800;
const EMPTY_PER_MILLE_OTHERS: u32 = 215;
/// Share of the written-in cells of Q6-1, Q7-2 and Q10-1 that are non-answers.
const NON_ANSWER_PER_MILLE_MAIN: u32 = 180;
/// Share of the written-in 「その他」 boxes that are non-answers.
const NON_ANSWER_PER_MILLE_OTHER: u32 = 60;

#[derive(Debug, Clone, Copy)]
enum Asked {
    Everyone,
    /// Q10-1: those who chose an effect in Q10(2).
    EffectChosen,
    /// Q13-1: 一つ星 respondents.
    OneStar,
}

#[derive(Debug, Clone, Copy)]
enum Style {
    /// A free-answer question: about a third left empty.
    Main,
    /// A 「その他」 box: written in only by the few who ticked 「その他」.
    Other { filled_per_mille: u32 },
}

#[derive(Debug)]
struct QuestionSpec {
    column: &'static str,
    scheme: &'static str,
    asked: Asked,
    style: Style,
    /// Categories with their relative weights.
    categories: &'static [(u32, &'static Category)],
}

static QUESTIONS: [QuestionSpec; 9] = [
    QuestionSpec {
        column: "Q6-1",
        scheme: "site-needs",
        asked: Asked::Everyone,
        style: Style::Main,
        categories: &[
            (24, &INCIDENT_CASES),
            (26, &EDUCATION),
            (26, &TOOLS_TEMPLATES),
            (14, &PEER_EXAMPLES),
            (10, &SITE_SUBSIDIES),
        ],
    },
    QuestionSpec {
        column: "Q7-2",
        scheme: "site-needs",
        asked: Asked::Everyone,
        style: Style::Main,
        categories: &[
            (22, &INCIDENT_CASES),
            (24, &EDUCATION),
            (28, &TOOLS_TEMPLATES),
            (12, &PEER_EXAMPLES),
            (6, &SITE_SUBSIDIES),
            (8, &SITE_USABILITY),
        ],
    },
    QuestionSpec {
        column: "Q10-1",
        scheme: "effect-examples",
        asked: Asked::EffectChosen,
        style: Style::Main,
        categories: &[
            (38, &AWARENESS),
            (27, &INCIDENT_REDUCTION),
            (15, &TRUST),
            (12, &RULES),
            (8, &EFFECT_SUBSIDIES),
        ],
    },
    QuestionSpec {
        column: "Q9",
        scheme: "motivation-other",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 35,
        },
        categories: &[(45, &MOTIVATION_NEED), (55, &MOTIVATION_BUSINESS)],
    },
    QuestionSpec {
        column: "Q10",
        scheme: "effects-other",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 25,
        },
        categories: &[
            (30, &OTHER_TRUST_AWARENESS),
            (20, &OTHER_INFO_GATHERING),
            (15, &OTHER_SUBSIDIES),
            (35, &OTHER_UNCLEAR),
        ],
    },
    QuestionSpec {
        column: "Q12",
        scheme: "scheme-issues",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 40,
        },
        categories: &[
            (25, &COST_EFFECT),
            (25, &IMPLEMENTATION),
            (20, &INFO_SHORTAGE),
            (30, &SCHEME_IMPROVEMENT),
        ],
    },
    QuestionSpec {
        column: "Q13-1",
        scheme: "stepup-barriers",
        asked: Asked::OneStar,
        style: Style::Other {
            filled_per_mille: 35,
        },
        categories: &[(45, &STAFFING_BUSY), (30, &NECESSITY), (25, &DISCLOSURE)],
    },
    QuestionSpec {
        column: "Q14",
        scheme: "obstacles",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 40,
        },
        categories: &[
            (40, &STAFFING_KNOWLEDGE),
            (35, &COST_EFFORT),
            (25, &RISK_AWARENESS),
        ],
    },
    QuestionSpec {
        column: "Q15",
        scheme: "support-wanted",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 30,
        },
        categories: &[
            (35, &SUPPORT_EDUCATION),
            (40, &SUPPORT_INFORMATION),
            (25, &SUPPORT_SEMINARS),
        ],
    },
];

/// What respondents type when they have nothing to say, with relative frequencies.
const NON_ANSWERS: [(u32, &str); 30] = [
    (30, "特になし"),
    (15, "なし"),
    (6, "特に無し"),
    (4, "ない"),
    (5, "わからない"),
    (2, "分からない"),
    (4, "-"),
    (3, "ー"),
    (6, "特にありません"),
    (5, "特にない"),
    (2, "とくになし"),
    (3, "無し"),
    (4, "特になし。"),
    (2, "なし。"),
    (3, "特にありません。"),
    (3, "今のところ特になし"),
    (3, "特に思いつかない"),
    (2, "思いつきません"),
    (1, "－"),
    (1, "―"),
    (2, "ありません"),
    (1, "不明"),
    (1, "特になし（現状で満足している）"),
    (1, "N/A"),
    (1, "ナシ"),
    (1, "特に無いです"),
    (1, "現在のところありません"),
    (1, "・"),
    (1, "特になし　"),
    (1, "ＮＯ"),
];

fn write_answer(spec: &'static QuestionSpec, rng: &mut ChaCha8Rng) -> GeneratedAnswer {
    let non_answer = match spec.style {
        Style::Main => NON_ANSWER_PER_MILLE_MAIN,
        Style::Other { .. } => NON_ANSWER_PER_MILLE_OTHER,
    };
    if chance(rng, non_answer) {
        return GeneratedAnswer {
            question: spec.column,
            scheme: spec.scheme,
            category: None,
            text: (*pick_weighted(rng, &NON_ANSWERS)).to_string(),
        };
    }
    let category = *pick_weighted(rng, spec.categories);
    let text = compose(category, rng);
    GeneratedAnswer {
        question: spec.column,
        scheme: spec.scheme,
        category: Some(category.id),
        text: vary(text, rng),
    }
}

// --- Composing an answer ----------------------------------------------------------------------

/// The phrase pools of one category.
#[derive(Debug)]
struct Category {
    id: &'static str,
    parts: &'static [Part],
}

/// One way of phrasing a category: `lead? qualifier+phrase in frame, tail?`.
#[derive(Debug)]
struct Part {
    /// Sentence openers (`社内に詳しい人がいないので、`), used now and then.
    leads: &'static [&'static str],
    /// Put before the phrase (`中小企業向けの`); "" entries make the bare phrase more likely.
    qualifiers: &'static [&'static str],
    /// The content: what makes the answer belong to the category.
    phrases: &'static [&'static str],
    /// `{}` is replaced by qualifier + phrase.
    frames: &'static [&'static str],
    /// Closing sentences, used now and then.
    tails: &'static [&'static str],
    /// Whether the bare phrases can be listed as bullet points.
    listable: bool,
}

impl Part {
    const EMPTY: Part = Part {
        leads: &[],
        qualifiers: &[],
        phrases: &[],
        frames: &["{}"],
        tails: &[],
        listable: false,
    };
}

const LEAD_PER_MILLE: u32 = 220;
const TAIL_PER_MILLE: u32 = 130;
const SECOND_SENTENCE_PER_MILLE: u32 = 70;
const LIST_PER_MILLE: u32 = 40;
const FINAL_PERIOD_PER_MILLE: u32 = 250;

fn compose(category: &Category, rng: &mut ChaCha8Rng) -> String {
    let part = pick(rng, category.parts);
    if part.listable && chance(rng, LIST_PER_MILLE) {
        return list(part, rng);
    }
    let mut text = String::new();
    if chance(rng, LEAD_PER_MILLE) && !part.leads.is_empty() {
        text.push_str(choose(rng, part.leads));
    }
    let first = push_body(&mut text, part, rng);
    if chance(rng, SECOND_SENTENCE_PER_MILLE) {
        text.push_str(choose(
            rng,
            &["。また、", "。", "。\n", "。\r\n", "\n", "\r\n"],
        ));
        // About something else: nobody writes the same thing twice.
        let mut second = String::new();
        for _ in 0..8 {
            second.clear();
            if push_body(&mut second, pick(rng, category.parts), rng) != first {
                break;
            }
        }
        text.push_str(&second);
    }
    if chance(rng, TAIL_PER_MILLE) && !part.tails.is_empty() {
        text.push_str(choose(rng, &["。", "。", "。\n", "。\r\n"]));
        text.push_str(choose(rng, part.tails));
    }
    if chance(rng, FINAL_PERIOD_PER_MILLE) {
        text.push('。');
    }
    text
}

/// Appends qualifier + phrase in a frame; returns the phrase.
fn push_body(text: &mut String, part: &Part, rng: &mut ChaCha8Rng) -> &'static str {
    let qualifier = if part.qualifiers.is_empty() {
        ""
    } else {
        choose(rng, part.qualifiers)
    };
    let phrase = choose(rng, part.phrases);
    let frame = choose(rng, part.frames);
    let (before, after) = frame.split_once("{}").unwrap_or((frame, ""));
    text.push_str(before);
    text.push_str(qualifier);
    text.push_str(phrase);
    text.push_str(after);
    phrase
}

/// Two or three of the part's phrases as a bulleted list, one a line.
fn list(part: &Part, rng: &mut ChaCha8Rng) -> String {
    let count = (2 + below(rng, 2)).min(part.phrases.len());
    let mut chosen: Vec<&str> = Vec::with_capacity(count);
    while chosen.len() < count {
        let phrase = choose(rng, part.phrases);
        if !chosen.contains(&phrase) {
            chosen.push(phrase);
        }
    }
    let style = below(rng, 4);
    let line_break = if chance(rng, 500) { "\r\n" } else { "\n" };
    let mut text = String::new();
    for (index, phrase) in chosen.iter().enumerate() {
        if index > 0 {
            text.push_str(line_break);
        }
        match style {
            0 => text.push('・'),
            1 => text.push(['①', '②', '③'][index]),
            2 => text.push_str(&format!("{}.", index + 1)),
            _ => text.push_str("- "),
        }
        text.push_str(phrase);
    }
    text
}

/// Applies the notation variants of real exports. Each changes the spelling, never the meaning.
fn vary(text: String, rng: &mut ChaCha8Rng) -> String {
    let mut text = text;
    // Words first: each is decided for the whole answer, as one person writes consistently.
    if chance(rng, 300) {
        replace(&mut text, "パソコン", "PC");
    }
    if chance(rng, 250) {
        replace(&mut text, "サーバー", "サーバ");
        replace(&mut text, "ユーザー", "ユーザ");
    }
    if chance(rng, 200) {
        replace(&mut text, "ウイルス", "ウィルス");
    }
    if text.contains("ホームページ") {
        let to = choose(
            rng,
            &[
                "ホームページ",
                "ホームページ",
                "HP",
                "Webサイト",
                "ウェブサイト",
            ],
        );
        replace(&mut text, "ホームページ", to);
    }
    if text.contains("SECURITY ACTION") {
        let to = *pick_weighted(
            rng,
            &[
                (6u32, "SECURITY ACTION"),
                (2, "セキュリティアクション"),
                (1, "Security Action"),
                (1, "SECURITY　ACTION"),
                (1, "SECURITY-ACTION"),
            ],
        );
        replace(&mut text, "SECURITY ACTION", to);
    }
    if text.contains("eラーニング") {
        let to = choose(
            rng,
            &[
                "eラーニング",
                "eラーニング",
                "ｅラーニング",
                "e-ラーニング",
                "Eラーニング",
                "イーラーニング",
            ],
        );
        replace(&mut text, "eラーニング", to);
    }
    if text.contains("ひな形") {
        let to = choose(rng, &["ひな形", "雛形", "ひな型", "雛型"]);
        replace(&mut text, "ひな形", to);
    }
    if chance(rng, 120) {
        replace(&mut text, "セキュリティ", "セキュリティー");
    }
    if chance(rng, 450) {
        replace(&mut text, "漏洩", "漏えい");
    }
    if text.contains("問い合わせ") {
        let to = choose(rng, &["問い合わせ", "問い合わせ", "問合せ", "問合わせ"]);
        replace(&mut text, "問い合わせ", to);
    }
    if chance(rng, 300) {
        replace(&mut text, "わか", "分か");
    }
    if chance(rng, 300) {
        replace(&mut text, "ほしい", "欲しい");
    }
    if chance(rng, 300) {
        replace(&mut text, "よい", "良い");
    }
    if chance(rng, 120) {
        replace(&mut text, "でき", "出来");
    }
    if chance(rng, 150) {
        replace(&mut text, "ありがたい", "有難い");
    }
    // Punctuation and character widths.
    if text.contains('「') {
        if chance(rng, 350) {
            text = text.replace(['「', '」'], "\"");
        } else if chance(rng, 100) {
            text = text.replace('「', "『").replace('」', "』");
        }
    }
    if chance(rng, 30) {
        replace(&mut text, "、", "，");
    } else if chance(rng, 40) {
        replace(&mut text, "、", ",");
    }
    if chance(rng, 50) {
        text = space_around_latin(&text);
    }
    if chance(rng, 130) {
        text = full_width_latin(&text);
    }
    if chance(rng, 20) {
        text = half_width_kana(&text);
    }
    if chance(rng, 15) {
        text.push_str(choose(rng, &[" ", "　"]));
    }
    text
}

fn replace(text: &mut String, from: &str, to: &str) {
    if text.contains(from) {
        *text = text.replace(from, to);
    }
}

/// `IT導入補助金` → `IT 導入補助金`, as some respondents (and the report's typesetting) space
/// Latin words.
fn space_around_latin(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous: Option<char> = None;
    for ch in text.chars() {
        if let Some(before) = previous {
            let latin = |c: char| c.is_ascii_alphanumeric();
            let japanese = |c: char| !c.is_ascii() && c.is_alphanumeric();
            if (latin(before) && japanese(ch)) || (japanese(before) && latin(ch)) {
                out.push(' ');
            }
        }
        out.push(ch);
        previous = Some(ch);
    }
    out
}

/// `ISMS` → `ＩＳＭＳ`: Latin letters, digits and the spaces between them in full width.
fn full_width_latin(text: &str) -> String {
    text.chars()
        .map(|ch| match ch {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '/' | '.' | '(' | ')' => {
                char::from_u32(u32::from(ch) - 0x21 + 0xFF01).unwrap_or(ch)
            }
            ' ' => '\u{3000}',
            _ => ch,
        })
        .collect()
}

/// Katakana (and 。「」、・) in half width: `セキュリティ` → `ｾｷｭﾘﾃｨ`, `ガ` → `ｶﾞ`.
fn half_width_kana(text: &str) -> String {
    const FULL: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
    let half = |base: char| -> Option<char> {
        FULL.chars()
            .position(|full| full == base)
            .and_then(|index| char::from_u32(0xFF66 + index as u32))
    };
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '。' => out.push('｡'),
            '「' => out.push('｢'),
            '」' => out.push('｣'),
            '、' => out.push('､'),
            '・' => out.push('･'),
            'ー' | '\u{30A1}'..='\u{30FA}' => {
                let mut parts = Vec::with_capacity(2);
                unicode_normalization::char::decompose_canonical(ch, |part| parts.push(part));
                let converted = match parts.as_slice() {
                    [base] => half(*base).map(|base| (base, None)),
                    [base, '\u{3099}'] => half(*base).map(|base| (base, Some('ﾞ'))),
                    [base, '\u{309A}'] => half(*base).map(|base| (base, Some('ﾟ'))),
                    _ => None,
                };
                match converted {
                    Some((base, mark)) => {
                        out.push(base);
                        out.extend(mark);
                    }
                    None => out.push(ch),
                }
            }
            _ => out.push(ch),
        }
    }
    out
}

// --- Phrase pools -----------------------------------------------------------------------------
//
// Written for this generator in the plain voice of the survey's answers. Some phrases repeat
// labeled answers of `corpus/ipa-2024/` word for word (33 of the 117 occur inside generated
// answers): estimates that train on generated answers and test on labeled ones must leave such
// echoes out (`model::train::Passages`). Every phrase must read well in every frame and after every qualifier of its
// part, and must say what its category is about (a phrase that fits two categories belongs to
// neither).

const SITE_LEADS: &[&str] = &[
    "社内に詳しい人がいないので、",
    "IT担当者がいない小さな会社なので、",
    "従業員が少ないため、",
    "何から始めればよいかわからないので、",
    "忙しくて時間が取れないので、",
    "社員にも見てもらいたいので、",
    "専門知識がないので、",
    "中小企業の立場からすると、",
    "個人事業主なので、",
    "今後の参考にしたいので、",
];

const SITE_TAILS: &[&str] = &[
    "よろしくお願いします",
    "今後に期待しています",
    "社内で共有したい",
    "参考にしたいです",
    "定期的に更新してもらえると助かる",
    "いつも参考にしています",
    "無料だと助かります",
    "初心者にもわかる内容だとうれしい",
];

/// For cases and examples (`…の事例`).
const CASE_FRAMES: &[&str] = &[
    "{}",
    "{}",
    "{}",
    "{}の紹介",
    "{}の紹介",
    "{}を紹介してほしい",
    "{}があるとよい",
    "{}があると良い",
    "{}を掲載してほしい",
    "{}を載せてほしい",
    "{}が知りたい",
    "{}を知りたい",
    "{}を教えてほしい",
    "{}をまとめたページ",
    "{}をもっと増やしてほしい",
    "{}と、その対策",
    "{}とその後の対応",
];

/// For information (`…の情報`, `…の方法`).
const INFO_FRAMES: &[&str] = &[
    "{}",
    "{}",
    "{}",
    "{}があるとよい",
    "{}があるとありがたい",
    "{}を掲載してほしい",
    "{}が知りたい",
    "{}をわかりやすく解説してほしい",
    "{}についての情報",
    "{}を定期的に発信してほしい",
    "{}のまとめ",
    "{}がすぐ見つかるとよい",
];

/// For named programmes and services that are not "used" (`ホワイトハッカー研修`).
const PROGRAMME_FRAMES: &[&str] = &[
    "{}",
    "{}",
    "{}",
    "{}があるとよい",
    "{}があると良い",
    "{}があると助かる",
    "{}を用意してほしい",
    "{}を増やしてほしい",
    "{}を無料で提供してほしい",
];

/// For materials, tools and services.
const ITEM_FRAMES: &[&str] = &[
    "{}",
    "{}",
    "{}",
    "{}があるとよい",
    "{}があると良い",
    "{}があるとありがたい",
    "{}があると助かる",
    "{}を用意してほしい",
    "{}を提供してほしい",
    "{}が欲しい",
    "{}がほしい",
    "{}を充実させてほしい",
    "{}を増やしてほしい",
    "無料で使える{}",
    "ログインせずに使える{}",
];

const INCIDENT_CASES: Category = Category {
    id: "incident-cases",
    parts: &[
        Part {
            leads: SITE_LEADS,
            qualifiers: &[
                "",
                "",
                "",
                "",
                "最新の",
                "具体的な",
                "国内の",
                "わかりやすい",
            ],
            phrases: &[
                "セキュリティ事故の事例",
                "被害の実例",
                "中小企業の被害事例",
                "ランサムウェアの被害事例",
                "標的型攻撃メールの実例",
                "フィッシング詐欺の実例",
                "不正アクセスの事例",
                "情報漏洩事故の事例",
                "インシデント発生時の対応事例",
                "ビジネスメール詐欺の事例",
                "サポート詐欺の被害事例",
                "USBメモリの紛失などの事故例",
                "取引先経由で被害にあった事例",
                "サプライチェーン攻撃の実例",
                "Emotetなどのマルウェアの感染事例",
                "社員の操作ミスによる事故の事例",
                "アカウント乗っ取りの被害事例",
                "ホームページ改ざんの事例",
                "日常的に起こりうるトラブルの例",
                "被害額がわかる事故事例",
                "最近実際に起きた事故",
            ],
            frames: CASE_FRAMES,
            tails: SITE_TAILS,
            listable: true,
        },
        Part {
            leads: SITE_LEADS,
            qualifiers: &["", "", "", "中小企業に関係する", "国内の", "具体的な"],
            phrases: &[
                "サイバー攻撃の最新動向",
                "最近のサイバー攻撃の手口",
                "流行しているウイルスの情報",
                "被害の実態と損害額",
                "ランサムウェアの被害と復旧までの流れ",
                "攻撃の種類と被害の実態",
                "事故が起きたときの損害賠償の実例",
                "インシデント発生から復旧までの流れ",
                "詐欺メールの実物の画像",
                "偽サイトの実例",
            ],
            frames: INFO_FRAMES,
            tails: SITE_TAILS,
            listable: true,
        },
        Part {
            leads: SITE_LEADS,
            phrases: &[
                "どのような被害が起きているのか知りたい",
                "実際にどんな被害があったのかを知りたい",
                "事故が起きたらどうなるのかを具体的に知りたい",
                "攻撃を受けた会社がどう対応したかを知りたい",
                "被害にあった場合の損害額を具体的に示してほしい",
                "最近どのような攻撃が多いのか教えてほしい",
                "身近で起きているサイバー攻撃を紹介してほしい",
            ],
            tails: SITE_TAILS,
            ..Part::EMPTY
        },
    ],
};

const EDUCATION: Category = Category {
    id: "education",
    parts: &[
        Part {
            leads: SITE_LEADS,
            qualifiers: &[
                "初心者向けの",
                "わかりやすい",
                "中小企業向けの",
                "従業員向けの",
                "社員教育用の",
                "新入社員向けの",
                "経営者向けの",
                "外国人従業員向けの",
                "パート・アルバイト向けの",
                "スマホで見られる",
                "短時間で学べる",
                "楽しみながら学べる",
                "朝礼で使える",
                "社内啓発用の",
            ],
            phrases: &[
                "教材",
                "研修資料",
                "解説動画",
                "eラーニング",
                "eラーニング教材",
                "セキュリティクイズ",
                "理解度チェックテスト",
                "ポスター",
                "学習コンテンツ",
                "研修用スライド",
                "動画教材",
                "確認テスト",
            ],
            frames: ITEM_FRAMES,
            tails: SITE_TAILS,
            listable: false,
        },
        Part {
            leads: SITE_LEADS,
            phrases: &[
                "「情報セキュリティ10大脅威」の解説動画",
                "セキュリティのeラーニング",
                "ゲーム感覚で学べるコンテンツ",
                "漫画でわかる教材",
                "携帯できる啓発カード",
                "標的型メールの訓練サービス",
                "クイズ形式でのセキュリティチェック",
                "ホワイトハッカー研修",
                "情報セキュリティマネジメント試験の対策講座",
                "セミナーのアーカイブ動画",
                "小規模事業者が集うフォーラム",
                "社内勉強会でそのまま使える教材",
            ],
            frames: PROGRAMME_FRAMES,
            tails: SITE_TAILS,
            listable: true,
            ..Part::EMPTY
        },
        Part {
            leads: SITE_LEADS,
            qualifiers: &[
                "",
                "",
                "",
                "無料の",
                "初心者向けの",
                "中小企業向けの",
                "夜間の",
                "地方での",
            ],
            phrases: &[
                "オンラインセミナー",
                "セミナー",
                "対面セミナー",
                "経営者向けの勉強会",
                "講師派遣の研修",
                "ハンズオン形式の講習会",
                "ウェビナー",
                "研修会",
            ],
            frames: &[
                "{}",
                "{}の開催",
                "{}を開催してほしい",
                "{}の案内",
                "{}の開催情報",
                "{}の日程がわかるとよい",
                "{}を増やしてほしい",
                "{}があるとよい",
                "{}に参加したい",
            ],
            tails: SITE_TAILS,
            listable: true,
        },
        Part {
            leads: SITE_LEADS,
            phrases: &[
                "社員教育に使える資料を公開してほしい",
                "情報セキュリティについて楽しみながら学べるコンテンツがあるとよい",
                "ログインせずに社員教育に使える動画があるとよい",
                "社員に見せるだけで理解できる教材がほしい",
                "情報セキュリティについて学べる場がほしい",
                "従業員が自分で学べる仕組みがほしい",
                "研修で使える資料をダウンロードできるようにしてほしい",
            ],
            tails: SITE_TAILS,
            ..Part::EMPTY
        },
    ],
};

const TOOLS_TEMPLATES: Category = Category {
    id: "tools-templates",
    parts: &[
        Part {
            leads: SITE_LEADS,
            qualifiers: &[
                "",
                "",
                "",
                "そのまま使える",
                "Wordで編集できる",
                "業務にすぐ使える",
                "記入しやすい",
                "小さな会社でも使える",
            ],
            phrases: &[
                "情報セキュリティ基本方針のひな形",
                "規程類のテンプレート",
                "セキュリティポリシーのサンプル",
                "書式のひな形",
                "チェックリスト",
                "リスク分析シートの記入例",
                "委託先管理の様式",
                "緊急時対応手順書のひな形",
                "誓約書のひな形",
                "機器の管理台帳のひな形",
                "記入例付きの様式",
                "社内ルールのサンプル",
            ],
            frames: ITEM_FRAMES,
            tails: SITE_TAILS,
            listable: true,
        },
        Part {
            leads: SITE_LEADS,
            qualifiers: &["", "", "", "中小企業向けの", "安価な", "初心者でも使える"],
            phrases: &[
                "自社診断ツール",
                "脆弱性診断サービス",
                "セキュリティ機器の紹介",
                "セキュリティソフトの比較",
                "パスワード管理ツールの紹介",
                "バックアップ製品の紹介",
                "UTMなどの機器の紹介",
                "対策製品の比較表",
                "ログ管理ツールの紹介",
            ],
            frames: ITEM_FRAMES,
            tails: SITE_TAILS,
            listable: true,
        },
        Part {
            leads: SITE_LEADS,
            phrases: &[
                "無料で使える診断ツール",
                "従業員のセキュリティレベルを診断できるサービス",
                "専門家に無料で相談できる窓口",
                "DMARCの導入支援サービス",
                "サイバーセキュリティお助け隊サービスの紹介",
                "費用の目安がわかる資料",
                "おすすめの製品の一覧",
            ],
            frames: &[
                "{}",
                "{}",
                "{}があるとよい",
                "{}がほしい",
                "{}を用意してほしい",
            ],
            tails: SITE_TAILS,
            listable: true,
            ..Part::EMPTY
        },
        Part {
            leads: SITE_LEADS,
            qualifiers: &[
                "",
                "",
                "",
                "わかりやすい",
                "具体的な",
                "中小企業向けの",
                "専門用語を使わない",
                "図解入りの",
            ],
            phrases: &[
                "パスワード管理の方法",
                "バックアップの手順",
                "テレワーク時の対策方法",
                "クラウドサービスを安全に使うための設定方法",
                "OSやソフトのアップデートの方法",
                "DMARCの設定方法",
                "Wi-Fiのセキュリティ設定の方法",
                "セキュリティ対策の優先順位",
                "ガイドラインの解説",
                "「5分でできる！情報セキュリティ自社診断」の結果に応じた対策",
                "対策ごとの費用の目安",
                "セキュリティ対策の費用対効果",
                "スマートフォンの安全な使い方",
                "メールの安全な使い方",
                "取引先から求められるセキュリティ要件への対応方法",
                "サイバーセキュリティ経営ガイドラインの解説",
            ],
            frames: INFO_FRAMES,
            tails: SITE_TAILS,
            listable: true,
        },
        Part {
            leads: SITE_LEADS,
            phrases: &[
                "誰でも簡単にできるセキュリティ対策の方法を知りたい",
                "何から始めればよいかがわかる手順があるとよい",
                "対策の全体像がわかるロードマップがあると助かる",
                "専門家に無料で相談できるサービスがあるとよい",
                "自社の対策状況を点数で確認できるとよい",
                "どの製品を選べばよいかわかるようにしてほしい",
                "必要な対策を一覧で確認できるとよい",
            ],
            tails: SITE_TAILS,
            ..Part::EMPTY
        },
    ],
};

const PEER_EXAMPLES: Category = Category {
    id: "peer-examples",
    parts: &[
        Part {
            leads: SITE_LEADS,
            qualifiers: &["", "", "", "", "具体的な", "最新の", "参考になる"],
            phrases: &[
                "他社の取組事例",
                "同業他社の取組事例",
                "業種別の対策事例",
                "規模別の対策事例",
                "宣言企業の取組事例",
                "二つ星を宣言した企業の取組内容",
                "小規模事業者の取組例",
                "医療・福祉分野の取組事例",
                "建設業の取組事例",
                "製造業の対策事例",
                "他社で効果があった対策",
                "他社の社員教育の事例",
                "他社の基本方針の公開例",
                "他社の対策費用の実例",
                "同じ地域の企業の取組",
                "宣言企業へのインタビュー記事",
                "他社の成功事例と失敗事例",
                "士業事務所の対策事例",
                "飲食店や小売店の取組例",
            ],
            frames: CASE_FRAMES,
            tails: SITE_TAILS,
            listable: true,
        },
        Part {
            leads: SITE_LEADS,
            phrases: &[
                "同規模の会社がどこまで対策しているか",
                "他社がどのようなルールを作っているか",
                "同業他社がどの程度費用をかけているか",
                "宣言後に他社が何をしているか",
                "他の宣言企業がどんな対策をしているか",
                "業種別・規模別にどのような対策を取っているか",
            ],
            frames: &[
                "{}を知りたい",
                "{}が知りたい",
                "{}がわかるとよい",
                "{}がわかる情報",
                "{}を紹介してほしい",
                "{}の情報があると参考になる",
            ],
            tails: SITE_TAILS,
            ..Part::EMPTY
        },
        Part {
            leads: SITE_LEADS,
            phrases: &[
                "他社事例の検索サービス",
                "業種で絞り込める事例検索",
                "宣言企業同士の情報交換の場",
            ],
            frames: PROGRAMME_FRAMES,
            tails: SITE_TAILS,
            ..Part::EMPTY
        },
    ],
};

const SITE_SUBSIDIES: Category = Category {
    id: "subsidies",
    parts: &[
        Part {
            leads: SITE_LEADS,
            qualifiers: &["", "", "", "最新の", "中小企業向けの", "わかりやすい"],
            phrases: &[
                "補助金の情報",
                "助成金の情報",
                "IT導入補助金の情報",
                "補助金の公募スケジュール",
                "使える補助金の一覧",
                "補助金の申請方法",
                "対策に使える補助金",
                "自治体の助成制度",
                "補助金・助成金の予定",
                "税制優遇の情報",
                "補助対象となる製品の情報",
                "補助金の採択事例",
                "融資制度の情報",
                "補助金申請の際の注意点",
                "補助金と宣言の関係",
            ],
            frames: INFO_FRAMES,
            tails: SITE_TAILS,
            listable: true,
        },
        Part {
            leads: SITE_LEADS,
            phrases: &[
                "宣言していることによるメリット（補助金など）を知りたい",
                "SECURITY ACTIONの宣言で使える補助金を一覧にしてほしい",
                "補助金の申請に宣言がどう関係するのか知りたい",
                "使える補助金があれば案内してほしい",
                "自分の会社が使える補助金を検索できるとよい",
                "補助金の締切が近づいたら知らせてほしい",
            ],
            tails: SITE_TAILS,
            ..Part::EMPTY
        },
    ],
};

const SITE_USABILITY: Category = Category {
    id: "site-usability",
    parts: &[
        Part {
            leads: &[
                "有益な情報だと思うが、",
                "内容は良いが、",
                "情報は多いが、",
                "せっかく良い資料があるのに、",
                "たまにしか見ないので、",
                "正直なところ、",
            ],
            phrases: &[
                "どこに何があるかわかりにくい",
                "どこに何があるのかわかりづらい",
                "情報が多すぎて探しにくい",
                "目的の資料にたどり着けない",
                "文字が小さくて読みにくい",
                "スマホで見づらい",
                "検索機能が使いにくい",
                "リンク切れがある",
                "ページの階層が深すぎる",
                "専門用語が多くて難しい",
                "更新されているのかわからない",
                "デザインが古い",
                "新着情報がわかりにくい",
                "PDFばかりで読みにくい",
                "サイトの構成が複雑すぎる",
                "メニューがわかりにくい",
                "同じような情報がいくつもある",
                "ページの読み込みが遅い",
            ],
            frames: &[
                "{}",
                "{}",
                "{}ので改善してほしい",
                "{}。もう少し整理してほしい",
                "{}ので見やすくしてほしい",
                "{}。トップページから探しやすくしてほしい",
                "{}ため、シンプルにしてほしい",
                "{}。カテゴリ別に整理してほしい",
                "{}と感じる",
            ],
            ..Part::EMPTY
        },
        Part {
            leads: &["サイトについて、", "支援サイトは、", "要望として、"],
            phrases: &[
                "文字を大きくしてほしい",
                "スマホ対応にしてほしい",
                "検索しやすくしてほしい",
                "サイトをもっとシンプルにしてほしい",
                "関心が薄い人でも興味を持てるデザインにしてほしい",
                "キーワードで資料を検索できるようにしてほしい",
                "更新日を表示してほしい",
                "資料をまとめてダウンロードできるようにしてほしい",
                "目的別に情報を探せるようにしてほしい",
                "初めての人向けの入口を作ってほしい",
            ],
            ..Part::EMPTY
        },
    ],
};

const EFFECT_TAILS: &[&str] = &[
    "今後も継続していきたい",
    "引き続き取り組んでいきたい",
    "宣言してよかったと思う",
    "大きな効果だと感じている",
    "小さな会社だが、やってよかった",
];

const AWARENESS: Category = Category {
    id: "awareness",
    parts: &[
        Part {
            leads: &[
                "宣言をきっかけに、",
                "宣言したことで、",
                "研修を実施したことで",
                "朝礼で取り上げるようにしたことで、",
                "自社診断に全員で取り組んだことで、",
                "ロゴを社内に掲示したことで、",
                "宣言後、",
            ],
            qualifiers: &[
                "社員の",
                "従業員の",
                "職員の",
                "スタッフの",
                "全社員の",
                "経営陣の",
                "社内の",
                "役員の",
                "パートを含めた全員の",
                "自分自身の",
                "当社の",
            ],
            phrases: &[
                "セキュリティ意識が向上した",
                "情報セキュリティに対する意識が高まった",
                "意識が変わった",
                "セキュリティへの関心が高まった",
                "ITリテラシーが向上した",
                "危機意識が高まった",
                "情報管理への意識が高くなった",
            ],
            frames: &[
                "{}",
                "{}",
                "{}と感じる",
                "{}と思う",
                "{}ように思う",
                "少しずつ{}",
                "{}のが一番の効果",
            ],
            tails: EFFECT_TAILS,
            listable: false,
        },
        Part {
            leads: &[
                "宣言をきっかけに、",
                "宣言したことで、",
                "研修を実施したことで",
                "自社診断に全員で取り組んだことで、",
                "宣言後、",
            ],
            qualifiers: &[
                "社員が",
                "従業員が",
                "職員が",
                "スタッフが",
                "経営者自身が",
                "全員が",
                "一人ひとりが",
                "若手社員が",
            ],
            phrases: &[
                "セキュリティを意識するようになった",
                "他人事ではないと考えるようになった",
                "情報の扱いに気を配るようになった",
                "自発的に学ぶようになった",
                "セキュリティについて話し合うようになった",
                "不明点を質問してくれるようになった",
                "怪しいと思ったら相談するようになった",
                "危機感を持つようになった",
                "IT担当者任せにしなくなった",
                "情報セキュリティの資格に挑戦するようになった",
                "サイバー攻撃のニュースに関心を持つようになった",
            ],
            frames: &["{}", "{}", "{}と感じる", "{}と思う"],
            tails: EFFECT_TAILS,
            listable: false,
        },
        Part {
            phrases: &[
                "社内でセキュリティが話題に上るようになった",
                "セキュリティについて考えるきっかけになった",
                "社内テストの正解率が上がった",
                "職員間で情報管理について話し合う機会が増えた",
                "セキュリティは全員で取り組むものだという認識が広がった",
                "システム担当者に任せておけばよいという意識がなくなった",
                "「うちは狙われない」という思い込みがなくなった",
                "社員から「このメールは大丈夫か」と確認が来るようになった",
            ],
            tails: EFFECT_TAILS,
            ..Part::EMPTY
        },
    ],
};

const INCIDENT_REDUCTION: Category = Category {
    id: "incident-reduction",
    parts: &[
        Part {
            leads: &[
                "宣言後、",
                "自社診断の結果をもとに",
                "二つ星の宣言に合わせて",
                "対策を見直し、",
                "宣言をきっかけに",
            ],
            phrases: &[
                "UTMを導入した",
                "セキュリティソフトを全てのパソコンに導入した",
                "データの定期的なバックアップを行うようになった",
                "クラウドバックアップを導入した",
                "OSやソフトのアップデートを徹底するようになった",
                "パスワードを複雑なものに変更した",
                "二要素認証を導入した",
                "アクセス権限を見直した",
                "USBメモリの使用を制限した",
                "古いパソコンやサーバーを入れ替えた",
                "無線LANの設定を見直した",
                "情報漏洩保険に加入した",
                "離席時の画面ロックを徹底した",
                "不要なデータを削除した",
                "重要な書類を施錠できる棚で管理するようになった",
                "メールの誤送信対策を導入した",
                "IT機器の台帳を作成し管理するようになった",
                "社外秘資料の管理を厳しくした",
                "外部からの接続をVPNに限定した",
                "届いたメールの送信元を確認するようになった",
            ],
            frames: &[
                "{}",
                "{}",
                "{}",
                "{}ことで安心できるようになった",
                "{}ことで、事故を防げている",
                "{}ことで安心感が増した",
            ],
            tails: EFFECT_TAILS,
            listable: false,
            ..Part::EMPTY
        },
        Part {
            qualifiers: &["", "", "", "以前より", "明らかに", "宣言後、"],
            phrases: &[
                "迷惑メールが減った",
                "ウイルス感染がなくなった",
                "メールの誤送信が減った",
                "情報漏洩につながるミスが減った",
                "不審なメールを開く社員がいなくなった",
                "ヒヤリハットが減った",
                "PCのトラブルが減った",
                "紛失事故がなくなった",
                "不正アクセスの被害を防げた",
                "ランサムウェアの被害を未然に防げた",
            ],
            frames: &["{}", "{}", "{}と感じる", "{}と思う", "{}ように思う"],
            tails: EFFECT_TAILS,
            ..Part::EMPTY
        },
    ],
};

const TRUST: Category = Category {
    id: "trust",
    parts: &[
        Part {
            leads: &[
                "宣言したことで、",
                "二つ星を宣言したことで、",
                "ロゴマークを使うことで",
            ],
            qualifiers: &[
                "",
                "",
                "取引先からの",
                "顧客からの",
                "お客様からの",
                "元請けからの",
                "金融機関からの",
            ],
            phrases: &[
                "信頼が得られた",
                "信頼度が上がった",
                "評価が上がった",
                "信用が高まった",
            ],
            frames: &["{}", "{}", "{}と感じる", "{}と思う", "{}ように感じる"],
            tails: EFFECT_TAILS,
            listable: false,
        },
        Part {
            leads: &[
                "宣言したことで、",
                "二つ星を宣言したことで、",
                "宣言していることで、",
            ],
            phrases: &[
                "取引先のセキュリティチェックシートにスムーズに回答できた",
                "入札の際にアピールできた",
                "大手企業との新規取引につながった",
                "新規取引の審査で評価された",
                "取引条件を満たすことができた",
                "元請けからの要請に応えることができた",
                "営業の際に安心してもらえるようになった",
                "採用活動でのアピールになった",
                "取引先から安心して仕事を任せてもらえるようになった",
                "取引先からのセキュリティに関する質問に答えやすくなった",
                "ISO27001を取得していなくても取引先に説明できるようになった",
                "取引先の評価につながった",
            ],
            tails: EFFECT_TAILS,
            ..Part::EMPTY
        },
        Part {
            phrases: &[
                "会社案内にロゴを掲載し、対外的なアピールになった",
                "ホームページに「SECURITY ACTION」のロゴを掲載し、信頼性の向上につながった",
                "名刺にロゴを入れたところ、取引先との話題になった",
                "見積書にロゴを載せることで信頼につながっている",
                "ホームページで宣言を公表したところ、問い合わせが増えた",
                "業界紙に取組が紹介され、知名度が上がった",
            ],
            tails: EFFECT_TAILS,
            ..Part::EMPTY
        },
    ],
};

const RULES: Category = Category {
    id: "rules",
    parts: &[
        Part {
            leads: &[
                "宣言をきっかけに、",
                "宣言したことで、",
                "基本方針を作ったことで",
            ],
            qualifiers: &[
                "",
                "",
                "社内の",
                "情報セキュリティに関する",
                "会社としての",
                "パソコン利用の",
                "個人情報の取り扱いの",
            ],
            phrases: &[
                "ルールが明確になった",
                "ルールを明文化できた",
                "ルールを全員で共有できた",
                "ルールが社内に浸透した",
                "ルールを文書にまとめることができた",
                "ルールが統一された",
            ],
            frames: &[
                "{}",
                "{}",
                "{}と感じる",
                "{}ことが良かった",
                "{}のが一番の効果",
            ],
            tails: EFFECT_TAILS,
            listable: false,
        },
        Part {
            leads: &[
                "宣言をきっかけに、",
                "自社診断をもとに",
                "二つ星の宣言に向けて",
                "宣言の準備として",
            ],
            phrases: &[
                "情報セキュリティ基本方針を策定し、社内で共有した",
                "パスワードの管理ルールを決めた",
                "PCの持ち出しルールを作った",
                "スマートフォンの業務利用ルールを定めた",
                "テレワーク時のルールを明文化した",
                "社内規程を整備した",
                "セキュリティ対策の手順をマニュアルにまとめた",
                "ガイドラインを作成し、全員に配布した",
                "情報の取り扱いルールを文書化した",
            ],
            tails: EFFECT_TAILS,
            ..Part::EMPTY
        },
        Part {
            leads: &[
                "宣言をきっかけに、",
                "宣言したことで、",
                "基本方針を作ったことで",
            ],
            phrases: &[
                "何をすべきかが明確になった",
                "「何をしてはいけないか」がはっきりした",
                "対策の優先順位がはっきりした",
                "担当者と役割分担が明確になった",
                "新入社員にルールを説明しやすくなった",
                "判断に迷うことが減り、個別の問い合わせが減った",
                "取るべき対策がはっきりした",
            ],
            tails: EFFECT_TAILS,
            ..Part::EMPTY
        },
    ],
};

const EFFECT_SUBSIDIES: Category = Category {
    id: "subsidies",
    parts: &[Part {
        leads: &[
            "宣言していたため",
            "二つ星を宣言していたので",
            "宣言が要件だったので",
            "宣言をしていたおかげで",
        ],
        phrases: &[
            "IT導入補助金の申請ができた",
            "IT導入補助金が採択された",
            "補助金を活用してパソコンを入れ替えることができた",
            "補助金の申請要件を満たすことができた",
            "ものづくり補助金の申請に役立った",
            "補助金でUTMを導入できた",
            "自治体の助成金を受けることができた",
            "補助金の申請がスムーズにできた",
            "補助金を使って会計ソフトを導入できた",
            "補助金の加点項目として活用できた",
            "持続化補助金の申請に使えた",
            "補助金の採択につながった",
        ],
        tails: &[
            "補助金の申請に必要でなければ宣言しなかったと思う",
            "費用負担が軽くなり助かった",
            "大変助かった",
        ],
        ..Part::EMPTY
    }],
};

const MOTIVATION_NEED: Category = Category {
    id: "need",
    parts: &[Part {
        phrases: &[
            "セキュリティ対策の必要性を感じた",
            "自社のセキュリティ対策を見直したかった",
            "自社でできることから取り組みたかった",
            "情報漏洩が心配だった",
            "ウイルス感染の被害にあった",
            "同業者が被害にあったと聞いた",
            "社内の意識を高めたかった",
            "顧客の個人情報を扱っている",
            "テレワークを始めるにあたり必要だと感じた",
            "現状の対策レベルを確認したかった",
            "サイバー攻撃のニュースを見て不安になった",
            "セキュリティに取り組んでいる",
            "対策を進める目標がほしかった",
        ],
        frames: &["{}", "{}", "{}ため", "{}ので", "{}から"],
        ..Part::EMPTY
    }],
};

const MOTIVATION_BUSINESS: Category = Category {
    id: "business",
    parts: &[
        Part {
            phrases: &[
                "ISMS認証取得",
                "プライバシーマーク取得",
                "事業計画",
                "経営方針の見直し",
                "BCP策定",
                "DX推進",
                "社内体制の整備",
            ],
            frames: &["{}の一環", "{}の一環として", "{}のため", "{}に向けて"],
            ..Part::EMPTY
        },
        Part {
            qualifiers: &[
                "取引先",
                "元請け",
                "親会社",
                "主要取引先",
                "発注元",
                "業界団体",
                "商工会議所",
                "顧問税理士",
                "ITベンダー",
                "金融機関",
            ],
            phrases: &[
                "からの要請",
                "からの依頼",
                "から勧められた",
                "から求められた",
            ],
            ..Part::EMPTY
        },
        Part {
            phrases: &[
                "IT関連の会社だから",
                "事業に必要と判断した",
                "ICT事業の活用のため",
                "入札参加資格の要件だった",
                "自社サービスの信頼性を高めたかった",
                "ホームページで公表したかった",
                "健康経営優良法人の認定要件だった",
            ],
            ..Part::EMPTY
        },
    ],
};

const OTHER_TRUST_AWARENESS: Category = Category {
    id: "trust-awareness",
    parts: &[Part {
        leads: &["宣言により", "結果的に"],
        phrases: &[
            "自社・自身のセキュリティ意識の向上",
            "社員の意識が高まった",
            "取引先に説明しやすくなった",
            "入札に参加できた",
            "対外的な信用が上がった",
            "ホームページでアピールできた",
            "取引先に宣言を勧める際に役立った",
            "社内外への意識付けになった",
        ],
        ..Part::EMPTY
    }],
};

const OTHER_INFO_GATHERING: Category = Category {
    id: "info-gathering",
    parts: &[Part {
        leads: &["宣言により", "結果的に"],
        phrases: &[
            "情報収集のきっかけになった",
            "IPAの情報を見るようになった",
            "メールニュースで最新情報を得られるようになった",
            "他社の取組状況がわかった",
            "中小企業に必要な対策レベルが理解できた",
            "セキュリティ関連の情報に触れる機会が増えた",
            "情報セキュリティ対策に取り組んでいる企業がわかった",
            "脆弱性情報を確認するようになった",
            "対策の情報をどこで得ればよいかわかった",
        ],
        ..Part::EMPTY
    }],
};

const OTHER_SUBSIDIES: Category = Category {
    id: "subsidies",
    parts: &[Part {
        phrases: &[
            "IT導入補助金の採択",
            "補助金の申請ができた",
            "補助金の活用ができた",
            "助成金の要件を満たせた",
            "補助金の申請に必要だった",
            "IT導入補助金の申請要件を満たせた",
            "補助金の加点になった",
        ],
        ..Part::EMPTY
    }],
};

const OTHER_UNCLEAR: Category = Category {
    id: "unclear",
    parts: &[Part {
        phrases: &[
            "まだ効果はわからない",
            "宣言したばかりで効果は不明",
            "効果はこれから出てくると思う",
            "特に効果を実感していない",
            "目に見える効果はまだない",
            "効果を測定していないので不明",
            "宣言したばかりでまだ効果は無い",
            "今のところ実感はない",
            "効果があったかどうか判断できない",
        ],
        ..Part::EMPTY
    }],
};

/// Frames for the 「その他」 boxes that take a clause (`…できない`).
const CLAUSE_FRAMES: &[&str] = &["{}", "{}", "{}", "{}こと", "{}点"];

const COST_EFFECT: Category = Category {
    id: "cost-effect",
    parts: &[Part {
        phrases: &[
            "効果が出ているかがわからない",
            "どこまで対策すれば十分なのかわからない",
            "費用に見合う効果があるか疑問がある",
            "対策レベルの目安がない",
            "対策にかかる費用が大きい",
            "費用対効果が見えない",
            "求められるレベルが高すぎる",
            "中小企業には対策の負担が重い",
        ],
        frames: CLAUSE_FRAMES,
        ..Part::EMPTY
    }],
};

const IMPLEMENTATION: Category = Category {
    id: "implementation",
    parts: &[Part {
        phrases: &[
            "問題を感じるところまで進んでいない",
            "宣言後の取組を仕組みとして運用できない",
            "宣言後の取組が続かない",
            "担当者が退職して引き継ぎができていない",
            "社内に浸透していない",
            "運用が形だけになっている",
            "定期的な見直しができていない",
            "宣言したまま何もできていない",
            "日々の業務に追われて取り組めていない",
        ],
        frames: CLAUSE_FRAMES,
        ..Part::EMPTY
    }],
};

const INFO_SHORTAGE: Category = Category {
    id: "info-shortage",
    parts: &[Part {
        phrases: &[
            "何から手をつければよいかわからない",
            "わかりやすい説明が少ない",
            "具体的な対策方法の情報が足りない",
            "制度の情報が届かない",
            "セキュリティソフトの導入方法などの説明が足りない",
            "専門用語が多く理解しにくい",
            "相談先がわからない",
        ],
        frames: CLAUSE_FRAMES,
        ..Part::EMPTY
    }],
};

const SCHEME_IMPROVEMENT: Category = Category {
    id: "scheme-improvement",
    parts: &[
        Part {
            phrases: &[
                "自己宣言なので信用性に疑問がある",
                "「宣言しただけ」の企業と区別がつかない",
                "宣言に有効期限がない",
                "更新の手続きがない",
                "宣言後のフォローがない",
                "内容が当たり前のことばかりで物足りない",
                "宣言企業の検索がしにくい",
                "取引先に制度が知られていない",
                "制度の認知度が低い",
                "宣言しても取引上のメリットが少ない",
                "宣言の取り下げ方法がわかりにくい",
            ],
            frames: CLAUSE_FRAMES,
            ..Part::EMPTY
        },
        Part {
            phrases: &[
                "二つ星の先の段階があるとよい",
                "宣言の更新制度を作ってほしい",
                "宣言企業の取組状況を確認する仕組みがほしい",
                "もう少し実務に役立つ内容にしてほしい",
            ],
            ..Part::EMPTY
        },
    ],
};

/// Frames for the reasons of Q13-1.
const REASON_FRAMES: &[&str] = &["{}", "{}", "{}", "{}ため", "{}ので"];

const STAFFING_BUSY: Category = Category {
    id: "staffing-busy",
    parts: &[Part {
        phrases: &[
            "人材が不足している",
            "対応する時間がない",
            "時間がなく対応ができていない",
            "担当者がいない",
            "業務が忙しく手が回らない",
            "一人で兼務しており余裕がない",
            "専任の担当者を置けない",
            "少人数で対応できる者がいない",
            "繁忙期で後回しになっている",
        ],
        frames: REASON_FRAMES,
        ..Part::EMPTY
    }],
};

const NECESSITY: Category = Category {
    id: "necessity",
    parts: &[Part {
        phrases: &[
            "二つ星の必要性を感じていない",
            "今の対策で十分だと考えている",
            "取引先から求められていない",
            "二つ星以上の必要性を感じており、準備を始めている",
            "二つ星にするメリットがわからない",
            "一つ星で十分と考えている",
            "時代の変化に合わせて対応を変える必要性を感じている",
        ],
        frames: REASON_FRAMES,
        ..Part::EMPTY
    }],
};

const DISCLOSURE: Category = Category {
    id: "disclosure",
    parts: &[Part {
        phrases: &[
            "外部へ公開する具体的な方法がわからない",
            "ホームページを持っていない",
            "ホームページがなく公開できない",
            "基本方針を外部に公開することに抵抗がある",
            "公開できるほど内容が整っていない",
            "社内の承認が得られず公開できない",
            "基本方針を公開する場所がない",
            "社員の意識が追いついておらず、外部への公開がためらわれる",
        ],
        frames: REASON_FRAMES,
        ..Part::EMPTY
    }],
};

const STAFFING_KNOWLEDGE: Category = Category {
    id: "staffing-knowledge",
    parts: &[Part {
        phrases: &[
            "知識を持った人材がいない",
            "専門知識が不足している",
            "人材確保が容易ではない",
            "社員のITリテラシーに差がある",
            "担当者が一人しかいない",
            "相談できる人が社内にいない",
            "新しい手口にどこまで対応できるか不安がある",
            "CIOやCISOがいない",
            "知識のある人材を採用できない",
            "経営陣の意識は高いが、リテラシーが低い",
            "どのレベルまで求められるのか知識が足りない",
            "担当者が異動すると引き継げない",
        ],
        frames: CLAUSE_FRAMES,
        ..Part::EMPTY
    }],
};

const COST_EFFORT: Category = Category {
    id: "cost-effort",
    parts: &[Part {
        phrases: &[
            "費用がかかる",
            "予算が確保できない",
            "手間がかかる",
            "対策費用に対する効果が見えにくい",
            "業務効率が落ちる",
            "セキュリティソフトの更新費用が負担になる",
            "機器の入れ替え費用が高い",
            "研修を内製するのに手間がかかる",
            "投資とコストのバランスの見極めが難しい",
            "セキュリティを上げると使い勝手が悪くなる",
            "必要性は感じるが予算を費やしてまでとは思わない",
        ],
        frames: CLAUSE_FRAMES,
        ..Part::EMPTY
    }],
};

const RISK_AWARENESS: Category = Category {
    id: "risk-awareness",
    parts: &[Part {
        phrases: &[
            "経営層の理解が得られない",
            "社員の危機意識が低い",
            "自社は狙われないと思っている人が多い",
            "取引先を含めて危機意識が低い",
            "危機感が社内で共有できない",
            "被害にあうまで本気にならない",
            "サプライチェーン全体の意識が低い",
            "年配の社員が関心を持たない",
        ],
        frames: CLAUSE_FRAMES,
        ..Part::EMPTY
    }],
};

/// Frames for the wishes of Q15 (nouns).
const WISH_FRAMES: &[&str] = &[
    "{}",
    "{}",
    "{}",
    "{}を希望",
    "{}を希望する",
    "{}をお願いしたい",
    "{}があるとよい",
    "{}があると助かる",
];

const SUPPORT_EDUCATION: Category = Category {
    id: "education",
    parts: &[Part {
        phrases: &[
            "経営層への教育",
            "社員向けの研修",
            "義務教育でのITリテラシー教育",
            "新入社員向け教育の支援",
            "講師の派遣",
            "eラーニング教材の提供",
            "学校での情報モラル教育",
            "年配の従業員向けのIT教育",
            "管理者向けの教育プログラム",
            "教育用動画の無償提供",
        ],
        frames: WISH_FRAMES,
        ..Part::EMPTY
    }],
};

const SUPPORT_INFORMATION: Category = Category {
    id: "information",
    parts: &[Part {
        phrases: &[
            "できる限り費用をかけない対策方法の紹介",
            "気軽に相談できる窓口の情報",
            "同業種の対策内容や費用がわかる情報",
            "最新の脅威情報の提供",
            "ひな形をカスタマイズする際のフォローアップ",
            "製品を選ぶ際の比較情報",
            "対策が万全か相談できる場所の情報",
            "わかりやすい手引き",
        ],
        frames: WISH_FRAMES,
        ..Part::EMPTY
    }],
};

const SUPPORT_SEMINARS: Category = Category {
    id: "seminars",
    parts: &[Part {
        phrases: &[
            "オンラインセミナーの開催",
            "地方でのセミナー開催",
            "無料セミナーの開催",
            "業種別のセミナー",
            "基本方針の作り方を学べるオンラインセミナー",
            "ハンズオン形式の講習会",
            "夜間や土日のセミナー",
            "少人数の勉強会",
            "録画で後から見られるセミナー",
        ],
        frames: WISH_FRAMES,
        ..Part::EMPTY
    }],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pool_is_usable() {
        for spec in &QUESTIONS {
            assert!(!spec.categories.is_empty(), "{}", spec.column);
            for (weight, category) in spec.categories {
                assert!(*weight > 0);
                assert!(!category.parts.is_empty(), "{}", category.id);
                for part in category.parts {
                    assert!(!part.phrases.is_empty(), "{}", category.id);
                    assert!(!part.frames.is_empty(), "{}", category.id);
                    assert!(
                        part.frames
                            .iter()
                            .all(|frame| frame.matches("{}").count() == 1),
                        "{}",
                        category.id
                    );
                    if part.listable {
                        assert!(part.phrases.len() >= 3, "{}", category.id);
                    }
                }
            }
        }
    }

    #[test]
    fn every_string_round_trips_through_shift_jis() {
        let mut strings: Vec<&str> = NON_ANSWERS.iter().map(|(_, text)| *text).collect();
        for spec in &QUESTIONS {
            for (_, category) in spec.categories {
                for part in category.parts {
                    for pool in [
                        part.leads,
                        part.qualifiers,
                        part.phrases,
                        part.frames,
                        part.tails,
                    ] {
                        strings.extend(pool.iter().copied());
                    }
                }
            }
        }
        for text in strings {
            for variant in [
                text.to_string(),
                full_width_latin(text),
                half_width_kana(text),
            ] {
                let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&variant);
                assert!(!unmappable, "{variant:?} is not Shift_JIS");
                let (decoded, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
                assert_eq!(decoded, variant, "{variant:?} does not round-trip");
            }
        }
    }

    #[test]
    fn survey_counts_add_up() {
        let total = |table: &[(&str, u32)]| table.iter().map(|(_, n)| *n as usize).sum::<usize>();
        assert_eq!(total(&INDUSTRIES), SURVEY_RESPONDENTS);
        assert_eq!(total(&EMPLOYEE_COUNTS), SURVEY_RESPONDENTS);
        assert_eq!(total(&STAGES), SURVEY_RESPONDENTS);
        assert_eq!(STAGES[0].0, ONE_STAR);
    }

    #[test]
    fn half_width_kana_keeps_voicing() {
        assert_eq!(half_width_kana("セキュリティーガイド。"), "ｾｷｭﾘﾃｨｰｶﾞｲﾄﾞ｡");
        assert_eq!(half_width_kana("パソコンとヴ"), "ﾊﾟｿｺﾝとｳﾞ");
        assert_eq!(half_width_kana("ヶ月"), "ヶ月");
    }

    #[test]
    fn full_width_latin_and_spaces() {
        assert_eq!(full_width_latin("ISMS 2024"), "ＩＳＭＳ　２０２４");
        assert_eq!(space_around_latin("IT導入補助金とPC"), "IT 導入補助金と PC");
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = rng(1, 0);
        assert!((0..10_000).all(|_| below(&mut rng, 7) < 7));
        assert_eq!(below(&mut rng, 0), 0);
    }
}
