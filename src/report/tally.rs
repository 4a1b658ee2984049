//! The running counts of a report: per question, answers and category counts (with those the
//! model gave), the answers that need review, the same counts by each `--by` attribute value,
//! the example pools and the least confident answers. Memory grows with the number of
//! questions, categories and attribute values, not with the answers.

use std::collections::{HashMap, HashSet};

use crate::classify::pipeline::Classified;
use crate::classify::{Basis, NO_ANSWER};
use crate::error::{Error, Result};
use crate::rules::scheme::{RuleSet, UNCLASSIFIED};

use super::examples::{pool_capacity, ExamplePool};
use super::review::ReviewList;
use super::{
    top_three, CategoryReport, CrossRow, CrossTable, QuestionReport, Report, ReportOptions,
    REVIEW_LIMIT,
};
use crate::text::natural_cmp;

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
    pools: HashMap<String, ExamplePool>,
    review: ReviewList,
}

#[derive(Default, Clone)]
struct Group {
    n: usize,
    counts: HashMap<String, usize>,
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
            answers: 0,
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
                self.questions.push(QuestionTally {
                    question: item.answer.question.clone(),
                    answers: 0,
                    overridden: 0,
                    needs_review: 0,
                    from_model: 0,
                    counts: HashMap::new(),
                    overridden_counts: HashMap::new(),
                    model_counts: HashMap::new(),
                    groups: vec![HashMap::new(); self.options.by.len()],
                    pools: HashMap::new(),
                    review: ReviewList::new(REVIEW_LIMIT),
                });
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
        for (attribute, groups) in self.options.by.iter().zip(&mut tally.groups) {
            let value = item
                .answer
                .attributes
                .iter()
                .find(|(name, _)| name == attribute)
                .map(|(_, value)| {
                    if !self.attributes_seen.contains(attribute) {
                        self.attributes_seen.insert(attribute.clone());
                    }
                    value.trim()
                })
                .unwrap_or("");
            let group = groups.entry(value.to_string()).or_default();
            group.n += 1;
            for category in categories {
                *group.counts.entry(category.clone()).or_default() += 1;
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

    /// The report. A `--by` attribute that no answer had is an error (a typo, most likely).
    pub fn finish(
        self,
        overrides_path: Option<String>,
        model_origin: Option<String>,
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
        let rules = self.rules;
        let options = self.options;
        let mut questions: Vec<QuestionReport> = self
            .questions
            .into_iter()
            .map(|tally| question_report(rules, options, tally))
            .collect();
        questions.sort_by(|a, b| natural_cmp(&a.question, &b.question));
        Ok(Report {
            source: options.source.clone(),
            rules_origin: rules.origin.clone(),
            overrides_path,
            overridden: questions.iter().map(|question| question.overridden).sum(),
            answers: questions.iter().map(|question| question.answers).sum(),
            model_origin,
            review_below: options.review_below,
            needs_review: questions.iter().map(|question| question.needs_review).sum(),
            from_model: questions.iter().map(|question| question.from_model).sum(),
            by: options.by.clone(),
            examples: options.examples,
            questions,
        })
    }
}

fn question_report(
    rules: &RuleSet,
    options: &ReportOptions,
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
    let categories: Vec<CategoryReport> = ids
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
    let crosstabs = match scheme {
        None => Vec::new(),
        Some(_) => options
            .by
            .iter()
            .zip(tally.groups)
            .map(|(attribute, groups)| {
                cross_table(attribute, &categories, tally.answers, &tally.counts, groups)
            })
            .collect(),
    };
    QuestionReport {
        question: tally.question,
        scheme: scheme.map(|scheme| scheme.id.clone()),
        title: scheme.map(|scheme| scheme.title.clone()),
        answers: tally.answers,
        overridden: tally.overridden,
        needs_review: tally.needs_review,
        from_model: tally.from_model,
        categories,
        review: tally.review.into_sorted(),
        crosstabs,
    }
}

fn cross_table(
    attribute: &str,
    categories: &[CategoryReport],
    answers: usize,
    counts: &HashMap<String, usize>,
    groups: HashMap<String, Group>,
) -> CrossTable {
    let ranked: Vec<bool> = categories
        .iter()
        .map(|category| category.is_heading)
        .collect();
    let row = |value: String, total: bool, n: usize, counts: &HashMap<String, usize>| {
        let counts: Vec<usize> = categories
            .iter()
            .map(|category| counts.get(&category.id).copied().unwrap_or(0))
            .collect();
        CrossRow {
            value,
            total,
            n,
            ranks: top_three(&counts, &ranked),
            counts,
        }
    };
    let mut values: Vec<(String, Group)> = groups.into_iter().collect();
    // Answers without the attribute go last.
    values.sort_by(|(a, _), (b, _)| {
        a.is_empty()
            .cmp(&b.is_empty())
            .then_with(|| natural_cmp(a, b))
    });
    let mut rows = vec![row(String::new(), true, answers, counts)];
    rows.extend(
        values
            .into_iter()
            .map(|(value, group)| row(value, false, group.n, &group.counts)),
    );
    CrossTable {
        attribute: attribute.to_string(),
        categories: categories
            .iter()
            .map(|category| (category.id.clone(), category.label.clone()))
            .collect(),
        ranked,
        rows,
    }
}
