//! The running counts of a report: per question, answers and category counts (with those the
//! model gave), the answers that need review, the same counts by each `--by` attribute value,
//! the example pools and the least confident answers ([`ReportBuilder`]); and what the export's
//! rows tell beyond the answers — blank cells per question and value, and the order in which
//! values first appear ([`RowTally`]). Memory grows with the number of questions, categories
//! and attribute values, not with the answers.

use std::collections::{HashMap, HashSet};

use crate::classify::pipeline::Classified;
use crate::classify::{Basis, NO_ANSWER};
use crate::error::{Error, Result};
use crate::input::Row;
use crate::rules::scheme::{RuleSet, UNCLASSIFIED};

use super::review::ReviewList;
use super::typical::{pool_capacity, ExamplePool};
use super::{
    top_three, CategoryOrder, CategoryReport, CrossRow, CrossTable, NetReport, QuestionReport,
    Report, ReportOptions, REVIEW_LIMIT,
};
use crate::text::natural_cmp;
use crate::views::ca::{self, Correspondence};
use crate::views::significance::{adjusted_residual, independence};

/// What a wide export's rows tell beyond their answers ([`crate::input::AnswerReader::on_row`]):
/// the blank cells of each question, overall and by each `--by` attribute's value, and the
/// order in which each `--by` attribute's values first appear, blank rows included.
pub struct RowTally {
    by: Vec<String>,
    /// Rows reported.
    rows: usize,
    /// Question → its blank cells.
    blanks: HashMap<String, Blanks>,
    /// Per `--by` attribute, its values in the order they first appear.
    order: Vec<FirstSeen>,
}

/// The blank cells of one question: all of them, and per `--by` attribute by value.
#[derive(Debug, Default, Clone)]
struct Blanks {
    total: usize,
    by: Vec<HashMap<String, usize>>,
}

/// Values in the order they first came.
#[derive(Debug, Default, Clone)]
struct FirstSeen {
    values: Vec<String>,
    seen: HashSet<String>,
}

impl FirstSeen {
    fn add(&mut self, value: &str) {
        if !self.seen.contains(value) {
            self.seen.insert(value.to_string());
            self.values.push(value.to_string());
        }
    }
}

/// The value of attribute `name` as the report groups it (trimmed); `None` when absent.
fn attribute_value<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(attribute, _)| attribute == name)
        .map(|(_, value)| value.trim())
}

impl RowTally {
    /// An empty tally for the `--by` attributes `by`.
    pub fn new(by: &[String]) -> RowTally {
        RowTally {
            by: by.to_vec(),
            rows: 0,
            blanks: HashMap::new(),
            order: vec![FirstSeen::default(); by.len()],
        }
    }

    /// Counts one respondent row.
    pub fn add(&mut self, row: &Row<'_>) {
        self.rows += 1;
        let values: Vec<&str> = self
            .by
            .iter()
            .map(|name| attribute_value(row.attributes, name).unwrap_or(""))
            .collect();
        for (order, value) in self.order.iter_mut().zip(&values) {
            order.add(value);
        }
        for question in row.blank {
            let blanks = self
                .blanks
                .entry((*question).to_string())
                .or_insert_with(|| Blanks {
                    total: 0,
                    by: vec![HashMap::new(); values.len()],
                });
            blanks.total += 1;
            for (counts, value) in blanks.by.iter_mut().zip(&values) {
                *counts.entry((*value).to_string()).or_default() += 1;
            }
        }
    }
}

/// Gathers a [`Report`] one classified answer at a time.
pub struct ReportBuilder<'a> {
    rules: &'a RuleSet,
    options: &'a ReportOptions,
    questions: Vec<QuestionTally>,
    index: HashMap<String, usize>,
    /// The `--by` attributes some answer had.
    attributes_seen: HashSet<String>,
    /// Every attribute name seen, in order, for the message about a wrong `--by`.
    attribute_names: Vec<String>,
    /// Per `--by` attribute, its values in the order the answers bring them.
    order: Vec<FirstSeen>,
    answers: u64,
}

struct QuestionTally {
    question: String,
    answers: usize,
    overridden: usize,
    needs_review: usize,
    from_model: usize,
    counts: HashMap<String, usize>,
    overridden_counts: HashMap<String, usize>,
    /// Primary category → answers that got it from the model.
    model_counts: HashMap<String, usize>,
    /// Per `--by` attribute: value → (answers, category counts).
    groups: Vec<HashMap<String, Group>>,
    /// Blank cells (reported by the reader, added at the end).
    blanks: Blanks,
    pools: HashMap<String, ExamplePool>,
    review: ReviewList,
    /// Per group of the question's scheme: its member categories and its counts.
    nets: Vec<(HashSet<String>, NetCount)>,
}

/// The answers having any of a group's categories (each answer once), and of those the
/// answers whose primary category, one of the group's, the model gave ([`Basis::Model`]).
#[derive(Default, Clone, Copy)]
struct NetCount {
    answers: usize,
    from_model: usize,
}

#[derive(Default, Clone)]
struct Group {
    n: usize,
    counts: HashMap<String, usize>,
    /// Primary category → answers: each answer once (the cross-table's χ² test).
    primary: HashMap<String, usize>,
    /// Per group of the scheme, the answers having any of its members (each once).
    nets: Vec<usize>,
}

impl<'a> ReportBuilder<'a> {
    pub fn new(rules: &'a RuleSet, options: &'a ReportOptions) -> ReportBuilder<'a> {
        ReportBuilder {
            rules,
            options,
            questions: Vec::new(),
            index: HashMap::new(),
            attributes_seen: HashSet::new(),
            attribute_names: Vec::new(),
            order: vec![FirstSeen::default(); options.by.len()],
            answers: 0,
        }
    }

    /// The tally of a question seen for the first time.
    fn question_tally(&self, question: &str) -> QuestionTally {
        QuestionTally {
            question: question.to_string(),
            answers: 0,
            overridden: 0,
            needs_review: 0,
            from_model: 0,
            counts: HashMap::new(),
            overridden_counts: HashMap::new(),
            model_counts: HashMap::new(),
            groups: vec![HashMap::new(); self.options.by.len()],
            blanks: Blanks::default(),
            pools: HashMap::new(),
            review: ReviewList::new(REVIEW_LIMIT),
            nets: self
                .rules
                .scheme_for(question)
                .map(|scheme| {
                    scheme
                        .groups
                        .iter()
                        .map(|group| {
                            let members = scheme.members(&group.id);
                            let members = members.into_iter().map(str::to_string).collect();
                            (members, NetCount::default())
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Counts one classified answer.
    pub fn add(&mut self, item: &Classified) {
        let order = self.answers;
        self.answers += 1;
        for (name, _) in &item.answer.attributes {
            if !self.attribute_names.contains(name) {
                self.attribute_names.push(name.clone());
            }
        }
        let index = match self.index.get(&item.answer.question) {
            Some(&index) => index,
            None => {
                let tally = self.question_tally(&item.answer.question);
                self.questions.push(tally);
                self.index
                    .insert(item.answer.question.clone(), self.questions.len() - 1);
                self.questions.len() - 1
            }
        };
        let tally = &mut self.questions[index];
        let categories = &item.classification.categories;
        tally.answers += 1;
        tally.overridden += usize::from(item.overridden);
        if item.classification.basis == Basis::Model {
            tally.from_model += 1;
            if let Some(primary) = item.classification.primary() {
                *tally.model_counts.entry(primary.to_string()).or_default() += 1;
            }
        }
        for category in categories {
            *tally.counts.entry(category.clone()).or_default() += 1;
            if item.overridden {
                *tally.overridden_counts.entry(category.clone()).or_default() += 1;
            }
        }
        let from_model = item.classification.basis == Basis::Model;
        for (members, count) in &mut tally.nets {
            if categories.iter().any(|category| members.contains(category)) {
                count.answers += 1;
                if from_model
                    && item
                        .classification
                        .primary()
                        .is_some_and(|primary| members.contains(primary))
                {
                    count.from_model += 1;
                }
            }
        }
        for ((attribute, groups), order) in self
            .options
            .by
            .iter()
            .zip(&mut tally.groups)
            .zip(&mut self.order)
        {
            let value = match attribute_value(&item.answer.attributes, attribute) {
                Some(value) => {
                    if !self.attributes_seen.contains(attribute) {
                        self.attributes_seen.insert(attribute.clone());
                    }
                    value
                }
                None => "",
            };
            order.add(value);
            let group = groups.entry(value.to_string()).or_default();
            group.n += 1;
            for category in categories {
                *group.counts.entry(category.clone()).or_default() += 1;
            }
            if let Some(primary) = item.classification.primary() {
                *group.primary.entry(primary.to_string()).or_default() += 1;
            }
            group.nets.resize(tally.nets.len(), 0);
            for ((members, _), count) in tally.nets.iter().zip(&mut group.nets) {
                if categories.iter().any(|category| members.contains(category)) {
                    *count += 1;
                }
            }
        }
        if self.options.examples > 0 {
            for category in categories {
                if category == NO_ANSWER || category == UNCLASSIFIED {
                    continue;
                }
                tally
                    .pools
                    .entry(category.clone())
                    .or_insert_with(|| {
                        ExamplePool::new(
                            pool_capacity(self.options.examples),
                            self.options.review_below,
                        )
                    })
                    .offer(item, category, order);
            }
        }
        if item.classification.needs_review(self.options.review_below) {
            tally.needs_review += 1;
            let confidence = item.classification.confidence.unwrap_or(0.0);
            tally.review.offer(item, confidence, order);
        }
    }

    /// The report, with the blank cells and value order of `rows`. A `--by` attribute that no
    /// answer had is an error (a typo, most likely), and so is an `--order` attribute that is
    /// not a `--by` one or a value it names that the input does not have.
    pub fn finish(
        mut self,
        overrides_path: Option<String>,
        model_origin: Option<String>,
        rows: RowTally,
    ) -> Result<Report> {
        for attribute in &self.options.by {
            if self.answers > 0 && !self.attributes_seen.contains(attribute) {
                return Err(Error::Usage(format!(
                    "--by {attribute}: no answer has the attribute “{attribute}”; the \
                     attributes of this input are: {}",
                    if self.attribute_names.is_empty() {
                        "(none)".to_string()
                    } else {
                        self.attribute_names.join(", ")
                    }
                )));
            }
        }
        let positions = self.value_positions(&rows)?;
        // Questions whose every cell was blank have no answers but were asked.
        let mut blank_questions: Vec<(String, Blanks)> = rows.blanks.into_iter().collect();
        blank_questions.sort_by(|a, b| a.0.cmp(&b.0));
        for (question, blanks) in blank_questions {
            let index = match self.index.get(&question) {
                Some(&index) => index,
                None => {
                    let tally = self.question_tally(&question);
                    self.questions.push(tally);
                    self.index.insert(question, self.questions.len() - 1);
                    self.questions.len() - 1
                }
            };
            self.questions[index].blanks = blanks;
        }
        let rules = self.rules;
        let options = self.options;
        let mut questions: Vec<QuestionReport> = self
            .questions
            .into_iter()
            .map(|tally| question_report(rules, options, &positions, tally))
            .collect();
        questions.sort_by(|a, b| natural_cmp(&a.question, &b.question));
        Ok(Report {
            title: options.title.clone(),
            source: options.source.clone(),
            rules_origin: rules.origin.clone(),
            overrides_path,
            overridden: questions.iter().map(|question| question.overridden).sum(),
            answers: questions.iter().map(|question| question.answers).sum(),
            counts_blanks: rows.rows > 0,
            blank: questions.iter().map(|question| question.blank).sum(),
            model_origin,
            review_below: options.review_below,
            needs_review: questions.iter().map(|question| question.needs_review).sum(),
            from_model: questions.iter().map(|question| question.from_model).sum(),
            by: options.by.clone(),
            examples: options.examples,
            min_n: options.min_n,
            link: options
                .link
                .as_ref()
                .map(|link| link.trim_end_matches('/').to_string()),
            questions,
        })
    }

    /// Per `--by` attribute, each value's place in its cross-tables: the values `--order` names,
    /// in its order, then the others as they first appear in the export's rows (or, for an
    /// input without respondent rows, its answers).
    fn value_positions(&self, rows: &RowTally) -> Result<Vec<HashMap<String, usize>>> {
        let by = &self.options.by;
        for (index, (attribute, _)) in self.options.order.iter().enumerate() {
            if !by.contains(attribute) {
                return Err(Error::Usage(format!(
                    "--order {attribute}: “{attribute}” is not one of the --by attributes ({}); \
                     give it to --by too",
                    if by.is_empty() {
                        "none given".to_string()
                    } else {
                        by.join(", ")
                    }
                )));
            }
            if self.options.order[..index]
                .iter()
                .any(|(other, _)| other == attribute)
            {
                return Err(Error::Usage(format!(
                    "--order {attribute}: the attribute is given twice; give its values once, \
                     comma-separated"
                )));
            }
        }
        let mut positions = Vec::with_capacity(by.len());
        for (index, attribute) in by.iter().enumerate() {
            let mut seen = rows.order.get(index).cloned().unwrap_or_default();
            for value in self.order.get(index).map_or(&[][..], |o| &o.values) {
                seen.add(value);
            }
            let mut place: HashMap<String, usize> = HashMap::new();
            let given = self
                .options
                .order
                .iter()
                .find(|(name, _)| name == attribute)
                .map_or(&[][..], |(_, values)| values.as_slice());
            for value in given {
                let value = value.trim();
                if !seen.seen.contains(value) || value.is_empty() {
                    let values: Vec<&str> = seen
                        .values
                        .iter()
                        .map(String::as_str)
                        .filter(|value| !value.is_empty())
                        .collect();
                    return Err(Error::Usage(format!(
                        "--order {attribute}: no respondent has {attribute} “{value}”; its values \
                         are: {}",
                        values.join(", ")
                    )));
                }
                let next = place.len();
                place.entry(value.to_string()).or_insert(next);
            }
            for value in &seen.values {
                let next = place.len();
                place.entry(value.clone()).or_insert(next);
            }
            positions.push(place);
        }
        Ok(positions)
    }
}

fn question_report(
    rules: &RuleSet,
    options: &ReportOptions,
    positions: &[HashMap<String, usize>],
    mut tally: QuestionTally,
) -> QuestionReport {
    let scheme = rules.scheme_for(&tally.question);
    let mut ids: Vec<(String, bool)> = scheme
        .map(|scheme| {
            scheme
                .categories
                .iter()
                .map(|category| (category.id.clone(), true))
                .collect()
        })
        .unwrap_or_default();
    if scheme.is_some() {
        ids.push((UNCLASSIFIED.to_string(), false));
    }
    ids.push((NO_ANSWER.to_string(), false));
    let mut categories: Vec<CategoryReport> = ids
        .iter()
        .map(|(id, is_heading)| CategoryReport {
            id: id.clone(),
            label: rules.label(scheme, id),
            count: tally.counts.get(id).copied().unwrap_or(0),
            overridden: tally.overridden_counts.get(id).copied().unwrap_or(0),
            from_model: tally.model_counts.get(id).copied().unwrap_or(0),
            examples: tally
                .pools
                .remove(id)
                .map(|pool| pool.select(options.examples))
                .unwrap_or_default(),
            is_heading: *is_heading,
        })
        .collect();
    if options.sort == CategoryOrder::Count {
        // The headings come first; a stable sort keeps the scheme's order among equal counts.
        let headings = categories.iter().filter(|c| c.is_heading).count();
        categories[..headings].sort_by_key(|category| std::cmp::Reverse(category.count));
    }
    let nets: Vec<NetReport> = scheme
        .map(|scheme| {
            scheme
                .groups
                .iter()
                .zip(&tally.nets)
                .map(|(group, (_, count))| NetReport {
                    id: group.id.clone(),
                    label: group.label.clone(),
                    count: count.answers,
                    from_model: count.from_model,
                    members: scheme
                        .members(&group.id)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let crosstabs = match scheme {
        None => Vec::new(),
        Some(_) => {
            let whole = Whole {
                answers: tally.answers,
                blank: tally.blanks.total,
                counts: &tally.counts,
                nets: &nets,
                min_n: options.min_n,
            };
            let mut blank_groups = std::mem::take(&mut tally.blanks.by);
            blank_groups.resize(options.by.len(), HashMap::new());
            options
                .by
                .iter()
                .zip(tally.groups)
                .zip(blank_groups)
                .zip(positions)
                .map(|(((attribute, groups), blanks), places)| {
                    cross_table(attribute, &categories, &whole, groups, blanks, places)
                })
                .collect()
        }
    };
    QuestionReport {
        question: tally.question,
        scheme: scheme.map(|scheme| scheme.id.clone()),
        title: scheme.map(|scheme| scheme.title.clone()),
        answers: tally.answers,
        blank: tally.blanks.total,
        overridden: tally.overridden,
        needs_review: tally.needs_review,
        from_model: tally.from_model,
        categories,
        nets,
        review: tally.review.into_sorted(),
        crosstabs,
        words: None,
        network: None,
    }
}

/// A question's whole: the first row of each of its cross-tables.
struct Whole<'a> {
    answers: usize,
    blank: usize,
    counts: &'a HashMap<String, usize>,
    /// The question's NET rows, with their counts.
    nets: &'a [NetReport],
    min_n: usize,
}

fn cross_table(
    attribute: &str,
    categories: &[CategoryReport],
    whole: &Whole<'_>,
    groups: HashMap<String, Group>,
    blanks: HashMap<String, usize>,
    places: &HashMap<String, usize>,
) -> CrossTable {
    let ranked: Vec<bool> = categories
        .iter()
        .map(|category| category.is_heading)
        .collect();
    let row = |value: String,
               total: bool,
               n: usize,
               blank: usize,
               counts: &HashMap<String, usize>,
               nets: Vec<usize>| {
        let counts: Vec<usize> = categories
            .iter()
            .map(|category| counts.get(&category.id).copied().unwrap_or(0))
            .collect();
        let small = n < whole.min_n;
        let residuals = if total {
            vec![None; counts.len()]
        } else {
            categories
                .iter()
                .zip(&counts)
                .map(|(category, &count)| {
                    let column = whole.counts.get(&category.id).copied().unwrap_or(0);
                    adjusted_residual(count, n, column, whole.answers)
                })
                .collect()
        };
        CrossRow {
            value,
            total,
            n,
            blank,
            residuals,
            ranks: if small {
                vec![None; counts.len()]
            } else {
                top_three(&counts, &ranked)
            },
            counts,
            nets,
            small,
        }
    };
    // Every value with answers or blank cells.
    let mut values: Vec<String> = groups.keys().cloned().collect();
    values.extend(
        blanks
            .keys()
            .filter(|value| !groups.contains_key(*value))
            .cloned(),
    );
    // Answers without the attribute go last; a value the tallies missed (none should) after
    // the others, in natural order.
    values.sort_by(|a, b| {
        a.is_empty()
            .cmp(&b.is_empty())
            .then_with(|| {
                let place = |value: &String| places.get(value).copied().unwrap_or(usize::MAX);
                place(a).cmp(&place(b))
            })
            .then_with(|| natural_cmp(a, b))
    });
    let mut rows = vec![row(
        String::new(),
        true,
        whole.answers,
        whole.blank,
        whole.counts,
        whole.nets.iter().map(|net| net.count).collect(),
    )];
    let empty = Group::default();
    let mut primary: Vec<Vec<usize>> = Vec::with_capacity(values.len());
    rows.extend(values.into_iter().map(|value| {
        let group = groups.get(&value).unwrap_or(&empty);
        let blank = blanks.get(&value).copied().unwrap_or(0);
        primary.push(
            categories
                .iter()
                .map(|category| group.primary.get(&category.id).copied().unwrap_or(0))
                .collect(),
        );
        let mut nets = group.nets.clone();
        nets.resize(whole.nets.len(), 0);
        row(value, false, group.n, blank, &group.counts, nets)
    }));
    let ca = correspondence(categories, &rows[1..], whole.min_n);
    CrossTable {
        attribute: attribute.to_string(),
        test: independence(&primary),
        ca,
        categories: categories
            .iter()
            .map(|category| (category.id.clone(), category.label.clone()))
            .collect(),
        ranked,
        nets: whole
            .nets
            .iter()
            .map(|net| (net.id.clone(), net.title()))
            .collect(),
        rows,
    }
}

/// The correspondence analysis of a cross-table's scheme categories (rows) by the attribute's
/// values (columns), on the counts the table shows (an answer counts for each of its
/// categories). Values with fewer than `min_n` answers are left out: a handful of answers
/// would place them far out and crowd every other point near the origin. `None` when fewer
/// than three categories or three values remain with answers — the map needs two axes.
fn correspondence(
    categories: &[CategoryReport],
    rows: &[CrossRow],
    min_n: usize,
) -> Option<Correspondence> {
    let rows: Vec<&CrossRow> = rows.iter().filter(|row| row.n >= min_n).collect();
    let headings: Vec<usize> = (0..categories.len())
        .filter(|&j| categories[j].is_heading)
        .collect();
    let row_labels: Vec<String> = headings
        .iter()
        .map(|&j| categories[j].label.clone())
        .collect();
    let column_labels: Vec<String> = rows.iter().map(|row| value_label(&row.value)).collect();
    let table: Vec<Vec<f64>> = headings
        .iter()
        .map(|&j| rows.iter().map(|row| row.counts[j] as f64).collect())
        .collect();
    ca::analyze(&row_labels, &column_labels, &table)
        .ok()
        .filter(|ca| ca.inertias.len() >= 2)
}

/// How the report names an attribute value: answers without the attribute are （空欄）.
pub fn value_label(value: &str) -> String {
    if value.is_empty() {
        "（空欄）".to_string()
    } else {
        value.to_string()
    }
}
