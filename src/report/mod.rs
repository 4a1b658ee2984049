//! The survey report: per question the number of answers, a chart of the categories, typical
//! answers under each heading, the answers that need review (要確認), the most used words and
//! their co-occurrence network, and cross-tables by respondent attributes — as `report.html`,
//! `report.md`, `summary.csv`, `crosstab.csv` and a picture per network.
//!
//! [`build`] streams the input through the classify pipeline (overrides applied) and keeps only
//! counts, a bounded pool of example candidates per category ([`typical`]) and the
//! [`REVIEW_LIMIT`] different texts of lowest confidence below the threshold per question
//! ([`review`]), so memory grows with the input only by each answer's distinct word ids (four
//! bytes a word, for the co-occurrence networks of [`crate::views`]). [`write_dir`] renders the
//! files into a temporary directory next to the output and renames it into place only when
//! everything was written.
//!
//! Counts are those of `jiyu classify`: an answer counts for every category it has, so the
//! categories of a question can add up to more than its answers; shares are counts divided by
//! the question's answers (non-answers included). A wide export's blank cells are no answers,
//! but the respondents were asked: the reader reports them ([`crate::input::Row`]) and the
//! report counts them per question and attribute value (無回答（空欄）), their share taken of
//! the respondents asked (answers + blank cells). An answer needs review when its confidence is
//! below [`ReportOptions::review_below`] ([`Classification::needs_review`]); a category came
//! from the model for an answer when it is the answer's primary category and its basis is
//! [`Basis::Model`] — the same definitions as the summary of `jiyu classify`.
//!
//! - [`tally`]: the running counts (of answers and of the export's rows); [`typical`]:
//!   choosing representative answers; [`review`]: the bounded list of the least confident
//!   answers;
//! - [`figures`]: each question's heading and figures line, shared by [`html`] and [`markdown`];
//! - [`html`], [`markdown`], [`tables`]: the renderings; [`text`]: escaping and number formats;
//! - [`dir`]: writing the output directory whole or not at all;
//! - each question's word table and co-occurrence network come from [`crate::views`].
//!
//! [`Classification::needs_review`]: crate::classify::Classification::needs_review

pub mod dir;
pub mod figures;
pub mod html;
pub mod markdown;
pub mod review;
pub mod tables;
pub mod tally;
pub mod text;
pub mod typical;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use indicatif::ProgressBar;

use crate::classify::pipeline::classify_stream_extracting;
use crate::classify::{Basis, Classifier, NO_ANSWER, REVIEW_BELOW};
use crate::error::Result;
use crate::input::{Answer, AnswerReader};
use crate::overrides::Overrides;
use crate::views::ca::{self, Biplot, BiplotText, Correspondence};
use crate::views::network::{self, Network, NetworkOptions};
use crate::views::significance::{Independence, Mark};
use crate::views::words::{WordFilter, WordList, WordTally};

pub use dir::{check_out_dir, REPORT_FILES};
pub use tally::{ReportBuilder, RowTally};

/// Representative answers shown per category unless told otherwise.
pub const DEFAULT_EXAMPLES: usize = 5;

/// Cross-table rows with fewer answers than this get no top-three marks unless told otherwise:
/// their shares move too much with one answer.
pub const DEFAULT_MIN_N: usize = 20;

/// Words listed per question in the report's word table unless told otherwise.
pub const DEFAULT_TOP_WORDS: usize = 15;

/// Different texts listed for review per question: those of lowest confidence, each with how
/// often it was given; the report gives the total and how many more there are.
pub const REVIEW_LIMIT: usize = 100;

/// What to put in the report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Attributes to cross-tabulate by (`業種`, `取組段階` …), in this order.
    pub by: Vec<String>,
    /// Representative answers per category.
    pub examples: usize,
    /// The input as the report names it (a file name).
    pub source: String,
    /// Answers whose confidence is below this need review (要確認): counted per question and
    /// listed in its review section. Above 0, at most 1.
    pub review_below: f64,
    /// The report's title; `None`: 自由記述の集計と分類（下書き）.
    pub title: Option<String>,
    /// Per attribute, the values in the order the cross-tables list them (`年代` → 20代, 30代,
    /// …); values not named follow in the order they first appear in the input. Every
    /// attribute must be one of `by`, every value one the input has.
    pub order: Vec<(String, Vec<String>)>,
    /// The order of a question's categories.
    pub sort: CategoryOrder,
    /// Cross-table rows with fewer answers than this get no top-three marks and a caution
    /// (0: every row is ranked).
    pub min_n: usize,
    /// The address of a `jiyu serve` page over the same answers (`http://127.0.0.1:8080`):
    /// report.html then links each category count and cross-table cell to the page filtered
    /// to those answers. `None`: no links.
    pub link: Option<String>,
    /// Which tokens are words, for the word tables and the networks.
    pub words: WordFilter,
    /// Words listed per question (0: no word table).
    pub top_words: usize,
    /// The co-occurrence network drawn per question; `None`: no network.
    pub network: Option<NetworkOptions>,
}

impl Default for ReportOptions {
    fn default() -> ReportOptions {
        ReportOptions {
            by: Vec::new(),
            examples: DEFAULT_EXAMPLES,
            source: String::new(),
            review_below: REVIEW_BELOW,
            title: None,
            order: Vec::new(),
            sort: CategoryOrder::Scheme,
            min_n: DEFAULT_MIN_N,
            link: None,
            words: WordFilter::default(),
            top_words: DEFAULT_TOP_WORDS,
            network: Some(NetworkOptions::default()),
        }
    }
}

/// How a question's categories are ordered in the chart, the headings, the tables and the CSV
/// files. `unclassified` and `no-answer` come last either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CategoryOrder {
    /// As the scheme lists them.
    #[default]
    Scheme,
    /// Most answers first; ties as the scheme lists them.
    Count,
}

/// Everything the report shows, ready to render.
#[derive(Debug, Clone)]
pub struct Report {
    /// The title given with [`ReportOptions::title`], if any.
    pub title: Option<String>,
    /// The input file.
    pub source: String,
    /// Where the rules came from.
    pub rules_origin: String,
    /// The overrides file, if one was applied.
    pub overrides_path: Option<String>,
    /// Answers whose labels came from the overrides file.
    pub overridden: usize,
    /// Answers of every question.
    pub answers: usize,
    /// True when the input had one row per respondent (a wide export), whose blank text cells
    /// are counted; false for a long export or JSONL, where every row is an answer.
    pub counts_blanks: bool,
    /// Blank cells of every question.
    pub blank: usize,
    /// Where the model came from; `None` when the rules alone classified (`--no-model`, or no
    /// model beside the rules): the report then shows no model figures or marks.
    pub model_origin: Option<String>,
    /// The review threshold: answers with a confidence below it need review.
    pub review_below: f64,
    /// Answers of every question that need review.
    pub needs_review: usize,
    /// Answers of every question whose primary category the model gave.
    pub from_model: usize,
    /// The cross-tabulation attributes.
    pub by: Vec<String>,
    /// Representative answers asked for per category.
    pub examples: usize,
    /// Cross-table rows with fewer answers than this are not ranked (see
    /// [`ReportOptions::min_n`]).
    pub min_n: usize,
    /// The page the counts link to ([`ReportOptions::link`]), without a trailing `/`.
    pub link: Option<String>,
    /// Questions in survey order (Q6-1, Q7-2, Q9, Q10, Q10-1 …: numbers compared as numbers).
    pub questions: Vec<QuestionReport>,
}

/// One question of the report.
#[derive(Debug, Clone)]
pub struct QuestionReport {
    pub question: String,
    /// The id of the scheme that sorts it, if any.
    pub scheme: Option<String>,
    /// The scheme's title.
    pub title: Option<String>,
    /// Answers to the question (non-answers included).
    pub answers: usize,
    /// Respondents who left the question's cell blank (wide exports only).
    pub blank: usize,
    /// Answers whose labels came from the overrides file.
    pub overridden: usize,
    /// Answers whose confidence is below [`Report::review_below`].
    pub needs_review: usize,
    /// Answers whose primary category the model gave.
    pub from_model: usize,
    /// The scheme's categories in scheme order (or by count, see [`CategoryOrder`]), then
    /// `unclassified` and `no-answer` (only `no-answer` for a question without a scheme).
    pub categories: Vec<CategoryReport>,
    /// The groups of the question's scheme (`[[group]]`), in scheme order: the NET rows.
    pub nets: Vec<NetReport>,
    /// The answers that need review, one entry per text (trimmed): the [`REVIEW_LIMIT`] texts of
    /// lowest confidence, by rising confidence, then input order — `unclassified` answers,
    /// confidence 0, first. Their counts add up to `needs_review` when nothing was left out.
    pub review: Vec<ReviewAnswer>,
    /// One table per `--by` attribute (none for a question without a scheme).
    pub crosstabs: Vec<CrossTable>,
    /// The most used words of the question's answers, non-answers left out
    /// ([`crate::views::words`]); `None` when the report lists no words or the question had no
    /// answer.
    pub words: Option<WordList>,
    /// The co-occurrence network of those words; `None` when none is drawn or no two words
    /// occur together.
    pub network: Option<Network>,
}

impl QuestionReport {
    /// How many answers have `category`.
    pub fn count(&self, category: &str) -> usize {
        self.categories
            .iter()
            .find(|row| row.id == category)
            .map_or(0, |row| row.count)
    }

    /// `count` ÷ the question's answers (0 when there are none).
    pub fn share(&self, count: usize) -> f64 {
        text::ratio(count, self.answers)
    }

    /// The respondents asked the question: its answers and its blank cells.
    pub fn respondents(&self) -> usize {
        self.answers + self.blank
    }

    /// The label of the category `id` (the id itself when the question has no such category).
    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.categories
            .iter()
            .find(|row| row.id == id)
            .map_or(id, |row| row.label.as_str())
    }

    /// Answers needing review that the review section lists (the rest were left out to keep it
    /// bounded).
    pub fn review_listed(&self) -> usize {
        self.review.iter().map(|answer| answer.count).sum()
    }
}

/// A group of categories of a question (a NET row): the answers having any of its members,
/// each answer once.
#[derive(Debug, Clone)]
pub struct NetReport {
    pub id: String,
    pub label: String,
    pub count: usize,
    /// Of those, answers whose primary category (one of the members) the model gave
    /// ([`Basis::Model`]).
    pub from_model: usize,
    /// Its member categories' ids, in scheme order.
    pub members: Vec<String>,
}

impl NetReport {
    /// How reports title the row: `NET：label`.
    pub fn title(&self) -> String {
        format!("NET：{}", self.label)
    }
}

/// One category of a question.
#[derive(Debug, Clone)]
pub struct CategoryReport {
    pub id: String,
    pub label: String,
    /// Answers whose categories contain this one.
    pub count: usize,
    /// Of those, answers labeled by the overrides file.
    pub overridden: usize,
    /// Of those, answers whose primary category this is by the model ([`Basis::Model`]).
    pub from_model: usize,
    /// Representative answers (none for `no-answer` and `unclassified`).
    pub examples: Vec<Example>,
    /// True for the scheme's own categories, false for `unclassified` and `no-answer`.
    pub is_heading: bool,
}

/// A representative answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub id: String,
    pub text: String,
    /// The distinct rule terms that matched it for this category (not the model's words).
    pub terms: Vec<String>,
    /// True when its label came from the overrides file.
    pub overridden: bool,
    /// True when the model gave it this category (its primary one, [`Basis::Model`]): the
    /// report marks it 「学習モデルによる推定」.
    pub from_model: bool,
}

/// An answer listed for review, with how many answers gave the same text.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewAnswer {
    /// The first answer with this text.
    pub id: String,
    pub text: String,
    /// Answers with this text (after trimming), the first included.
    pub count: usize,
    /// The first answer's categories, strongest first.
    pub categories: Vec<String>,
    /// What its primary category rests on.
    pub basis: Basis,
    /// Its confidence (below the threshold; 0 for `unclassified`).
    pub confidence: f64,
}

/// Category counts of one question by the values of one attribute.
#[derive(Debug, Clone)]
pub struct CrossTable {
    pub attribute: String,
    /// The columns: (id, label), as in [`QuestionReport::categories`].
    pub categories: Vec<(String, String)>,
    /// The question's scheme categories are ranked; `unclassified` and `no-answer` are not.
    pub ranked: Vec<bool>,
    /// The NET columns after the categories: (group id, `NET：label`), as in
    /// [`QuestionReport::nets`]; not part of the test, the residuals or the ranks.
    pub nets: Vec<(String, String)>,
    /// The whole question first (`total`), then each value: those of
    /// [`ReportOptions::order`] in its order, then the others in the order they first appear
    /// in the input, answers without the attribute last.
    pub rows: Vec<CrossRow>,
    /// Pearson's χ² test of independence of the table of *primary* categories (every column,
    /// `unclassified` and `no-answer` included) by value (every row but the total, answers
    /// without the attribute included): each answer is counted exactly once, as the test
    /// requires — the cells shown count an answer once per category. `None` when fewer than two
    /// values or two primary categories have answers.
    pub test: Option<Independence>,
    /// The correspondence analysis of the scheme's categories by the values, on the counts
    /// shown; `None` when it has fewer than two axes.
    pub ca: Option<Correspondence>,
}

/// One row of a cross-table.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossRow {
    /// The attribute's value; empty when answers lacked it.
    pub value: String,
    /// True for the row of all answers.
    pub total: bool,
    /// Answers in the row.
    pub n: usize,
    /// Respondents of the row who left the question blank.
    pub blank: usize,
    /// Per column, answers whose categories contain it.
    pub counts: Vec<usize>,
    /// Per NET column, answers having any of the group's categories (each once).
    pub nets: Vec<usize>,
    /// Per column, the rank (1–3) of the row's top three ranked cells; see [`top_three`]. None
    /// at all in a `small` row.
    pub ranks: Vec<Option<usize>>,
    /// True when `n` is below [`Report::min_n`]: too few answers to rank, shown with a caution.
    pub small: bool,
    /// Per column, Haberman's adjusted residual of the cell in the table "has the category or
    /// not" by value — the answers of the row with the category against those expected from
    /// the question's share ([`adjusted_residual`] of the count, `n`, the question's answers
    /// with the category and its answers). Marked ▲ at 1.96 or above, ▽ at −1.96 or below
    /// ([`Mark`]). `None` for the total row and where it is undefined.
    ///
    /// [`adjusted_residual`]: crate::views::significance::adjusted_residual
    pub residuals: Vec<Option<f64>>,
}

impl CrossRow {
    /// The significance mark of each cell.
    pub fn marks(&self) -> Vec<Option<Mark>> {
        self.residuals.iter().map(|&r| Mark::of(r)).collect()
    }
}

/// The top three cells of a row: ranks by count, highest first, ties sharing a rank and taking
/// the places after them (counts 5, 5, 3, 2 → ①, ①, ③, none). Cells with a count of zero and
/// cells not `ranked` get no rank.
pub fn top_three(counts: &[usize], ranked: &[bool]) -> Vec<Option<usize>> {
    counts
        .iter()
        .zip(ranked)
        .map(|(&count, &is_ranked)| {
            if !is_ranked || count == 0 {
                return None;
            }
            let higher = counts
                .iter()
                .zip(ranked)
                .filter(|(&other, &other_ranked)| other_ranked && other > count)
                .count();
            (higher < 3).then_some(higher + 1)
        })
        .collect()
}

/// Classifies every answer (with `overrides` applied) and gathers the report, with the blank
/// cells the reader reports. Fails, before anything is written, on a bad input row, a bad
/// override, an unknown `--by` attribute or a bad `--order`.
pub fn build(
    answers: AnswerReader,
    classifier: &Classifier,
    overrides: Option<&Overrides>,
    options: &ReportOptions,
    progress: &ProgressBar,
) -> Result<Report> {
    build_through(
        answers,
        |answers| answers,
        classifier,
        overrides,
        options,
        progress,
    )
}

/// [`build`], with the answers read through `through` (an iterator over the reader that passes
/// the answers on, such as a check that notes unsorted questions); the blank cells are still
/// counted from the reader's rows.
pub fn build_through<I>(
    mut answers: AnswerReader,
    through: impl FnOnce(AnswerReader) -> I,
    classifier: &Classifier,
    overrides: Option<&Overrides>,
    options: &ReportOptions,
    progress: &ProgressBar,
) -> Result<Report>
where
    I: Iterator<Item = Result<Answer>> + Send,
{
    // The reader runs on its own thread: the rows' tally is shared with it.
    let rows = Arc::new(Mutex::new(RowTally::new(&options.by)));
    let observed = Arc::clone(&rows);
    answers.on_row(move |row| {
        observed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .add(row)
    });
    let mut builder = ReportBuilder::new(&classifier.rules, options);
    let model_origin = classifier
        .model
        .as_ref()
        .map(|model| model.origin().to_string());
    let mut words = WordTally::new();
    let wanted = options.top_words > 0 || options.network.is_some();
    classify_stream_extracting(
        through(answers),
        classifier,
        overrides,
        progress,
        |answer, analysis| {
            if wanted {
                options.words.answer_words(&answer.text, &analysis.tokens)
            } else {
                Vec::new()
            }
        },
        |item, answer_words| {
            builder.add(&item);
            if wanted
                && !item
                    .classification
                    .categories
                    .iter()
                    .any(|id| id == NO_ANSWER)
            {
                words.add(&item.answer.question, None, &[], &answer_words);
            }
            Ok(())
        },
    )?;
    let rows = std::mem::replace(
        &mut *rows.lock().unwrap_or_else(PoisonError::into_inner),
        RowTally::new(&[]),
    );
    let mut report = builder.finish(
        overrides.map(|overrides| overrides.path().to_string()),
        model_origin,
        rows,
    )?;
    for question in &mut report.questions {
        let Some(tally) = words.question(&question.question) else {
            continue;
        };
        if options.top_words > 0 {
            question.words = Some(tally.list(&[], 1, options.top_words));
        }
        question.network = options
            .network
            .map(|network_options| network::build(tally, &network_options))
            .filter(|drawn| !drawn.edges.is_empty());
    }
    Ok(report)
}

/// The file name of the network picture of the question at `position` (0-based) in the
/// report directory: `network-1-Q6-1.svg`, characters other than letters, digits, `-` and `_`
/// replaced by `_` (the position keeps names apart).
pub fn network_file(position: usize, question: &str) -> String {
    let name: String = question
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
                ch
            } else {
                '_'
            }
        })
        .collect();
    format!("network-{}-{name}.svg", position + 1)
}

/// Writes `report.html`, `report.md`, `summary.csv`, `crosstab.csv`, the networks' pictures
/// ([`network_file`]) and the biplot of each cross-table that has one ([`biplot_file`]) of
/// `report` to the directory `out`, whole or not at all (see [`dir`]).
pub fn write_dir(report: &Report, out: &Path) -> Result<()> {
    let mut files = vec![
        ("report.html".to_string(), html::render(report).into_bytes()),
        (
            "report.md".to_string(),
            markdown::render(report).into_bytes(),
        ),
        ("summary.csv".to_string(), tables::summary_csv(report)?),
        ("crosstab.csv".to_string(), tables::crosstab_csv(report)?),
    ];
    for (position, question) in report.questions.iter().enumerate() {
        if let Some(drawn) = &question.network {
            files.push((
                network_file(position, &question.question),
                drawn.svg().into_bytes(),
            ));
        }
    }
    for (q, question) in report.questions.iter().enumerate() {
        for (t, table) in question.crosstabs.iter().enumerate() {
            if let Some(plot) = biplot(question, table) {
                files.push((biplot_file(q, t), plot.svg.into_bytes()));
            }
        }
    }
    dir::write_whole(out, &files)
}

/// The cross-table by `attribute` of `question` (of the only question with a scheme when
/// `None`), for `jiyu ca`. Errors name the questions there are when the question is missing,
/// has no scheme, or is not given and several have one.
pub fn find_cross_table<'a>(
    report: &'a Report,
    question: Option<&str>,
    attribute: &str,
) -> Result<(&'a QuestionReport, &'a CrossTable)> {
    let sorted: Vec<&QuestionReport> = report
        .questions
        .iter()
        .filter(|q| q.scheme.is_some())
        .collect();
    let names = || {
        sorted
            .iter()
            .map(|q| q.question.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match question {
        Some(name) => sorted
            .iter()
            .find(|q| q.question == name.trim())
            .ok_or_else(|| {
                crate::error::Error::Usage(format!(
                    "--question {name}: no question “{name}” with a scheme in this input; the \
                     questions with one are: {}",
                    names()
                ))
            })?,
        None => match sorted.as_slice() {
            [only] => only,
            [] => {
                return Err(crate::error::Error::Usage(
                    "no question of this input has a scheme, so there are no categories to \
                     analyse"
                        .to_string(),
                ))
            }
            _ => {
                return Err(crate::error::Error::Usage(format!(
                    "this input has several questions; choose one with --question ({})",
                    names()
                )))
            }
        },
    };
    let table = chosen
        .crosstabs
        .iter()
        .find(|table| table.attribute == attribute.trim())
        .ok_or_else(|| {
            crate::error::Error::Usage(format!("--by {attribute}: no cross-table by it"))
        })?;
    Ok((chosen, table))
}

/// The file name of the biplot of the `table`-th cross-table of the `question`-th question
/// (both from 0) in the report directory: `ca-q1-1.svg` for the first of the first.
pub fn biplot_file(question: usize, table: usize) -> String {
    format!("ca-q{}-{}.svg", question + 1, table + 1)
}

/// The biplot of a cross-table's correspondence analysis: the scheme's categories and the
/// attribute's values on the first two axes; `None` when the table has no analysis.
pub fn biplot(question: &QuestionReport, table: &CrossTable) -> Option<Biplot> {
    let ca = table.ca.as_ref()?;
    ca::biplot(
        ca,
        &BiplotText {
            title: format!(
                "対応分析: {} のカテゴリ × {}",
                figures::heading(question),
                table.attribute
            ),
            rows: "カテゴリ".to_string(),
            columns: table.attribute.clone(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_three_shares_ranks_on_ties_and_skips_zero_and_unranked() {
        let ranked = [true, true, true, true, false];
        assert_eq!(
            top_three(&[5, 5, 3, 2, 9], &ranked),
            vec![Some(1), Some(1), Some(3), None, None]
        );
        assert_eq!(
            top_three(&[0, 4, 0, 1, 0], &ranked),
            vec![None, Some(1), None, Some(2), None]
        );
        assert_eq!(
            top_three(&[1, 2, 3, 4, 0], &ranked),
            vec![None, Some(3), Some(2), Some(1), None]
        );
    }
}
