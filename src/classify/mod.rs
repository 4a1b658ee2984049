//! Classification: every answer gets its categories, strongest first, and the evidence for each.
//!
//! Non-answers are caught first ([`no_answer`]); then the scheme that sorts the answer's question
//! runs its rules. Categories are ordered by the number of distinct rule terms that matched,
//! then by the category's `priority`, then by their order in the scheme file. An answer of a
//! scheme's question that no rule matches is `unclassified`; an answer of a question no scheme
//! sorts gets no category (only `no-answer` when it is one).

pub mod no_answer;
pub mod pipeline;

use serde::Serialize;

use crate::analyze::{Analysis, Analyzer};
use crate::error::Result;
use crate::input::Answer;
use crate::rules::expr::Evidence;
use crate::rules::scheme::{RuleSet, RulesSource, Scheme, UNCLASSIFIED};

pub use no_answer::{is_no_answer, NO_ANSWER};

/// The categories of one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The id of the scheme that sorted the answer, if its question has one.
    pub scheme: Option<String>,
    /// Category ids, strongest first; empty only for questions without a scheme.
    pub categories: Vec<String>,
    /// For each category, in the same order, what made it match.
    pub evidence: Vec<CategoryEvidence>,
}

impl Classification {
    /// The strongest category.
    pub fn primary(&self) -> Option<&str> {
        self.categories.first().map(String::as_str)
    }
}

/// The matched words and phrases behind one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryEvidence {
    pub category: String,
    pub matches: Vec<Evidence>,
}

/// The analyzer and the compiled rules: build once per run, share between threads.
pub struct Classifier {
    pub analyzer: Analyzer,
    pub rules: RuleSet,
}

impl Classifier {
    pub fn new(analyzer: Analyzer, rules_source: &RulesSource) -> Result<Classifier> {
        let rules = RuleSet::load(rules_source, &analyzer)?;
        Ok(Classifier { analyzer, rules })
    }

    /// Classifies one answer.
    pub fn classify(&self, answer: &Answer) -> Classification {
        self.classify_text(&answer.question, &answer.text)
    }

    /// Classifies `text` as an answer to `question`.
    pub fn classify_text(&self, question: &str, text: &str) -> Classification {
        let analysis = self.analyzer.analyze(text);
        self.classify_analysis(question, text, &analysis)
    }

    /// Classifies an answer already analyzed.
    pub fn classify_analysis(
        &self,
        question: &str,
        text: &str,
        analysis: &Analysis,
    ) -> Classification {
        let scheme = self.rules.scheme_for(question);
        let scheme_id = scheme.map(|scheme| scheme.id.clone());
        if is_no_answer(&analysis.normalized.text) {
            return Classification {
                scheme: scheme_id,
                categories: vec![NO_ANSWER.to_string()],
                evidence: vec![CategoryEvidence {
                    category: NO_ANSWER.to_string(),
                    matches: Vec::new(),
                }],
            };
        }
        let Some(scheme) = scheme else {
            return Classification {
                scheme: None,
                categories: Vec::new(),
                evidence: Vec::new(),
            };
        };
        let mut matched = matched_categories(scheme, text, analysis);
        if matched.is_empty() {
            return Classification {
                scheme: scheme_id,
                categories: vec![UNCLASSIFIED.to_string()],
                evidence: vec![CategoryEvidence {
                    category: UNCLASSIFIED.to_string(),
                    matches: Vec::new(),
                }],
            };
        }
        matched.sort_by(|a, b| {
            b.strength
                .cmp(&a.strength)
                .then(b.priority.cmp(&a.priority))
                .then(a.order.cmp(&b.order))
        });
        Classification {
            scheme: scheme_id,
            categories: matched
                .iter()
                .map(|candidate| candidate.evidence.category.clone())
                .collect(),
            evidence: matched
                .into_iter()
                .map(|candidate| candidate.evidence)
                .collect(),
        }
    }
}

/// A category whose rule matched, with what decides its rank.
struct Candidate {
    strength: usize,
    priority: i64,
    order: usize,
    evidence: CategoryEvidence,
}

fn matched_categories(scheme: &Scheme, text: &str, analysis: &Analysis) -> Vec<Candidate> {
    scheme
        .program
        .evaluate(analysis, text)
        .into_iter()
        .zip(&scheme.categories)
        .enumerate()
        .filter(|(_, (outcome, _))| outcome.matched)
        .map(|(order, (outcome, category))| {
            let mut terms: Vec<&str> = outcome
                .evidence
                .iter()
                .map(|evidence| evidence.term.as_str())
                .collect();
            terms.sort_unstable();
            terms.dedup();
            Candidate {
                strength: terms.len(),
                priority: category.priority,
                order,
                evidence: CategoryEvidence {
                    category: category.id.clone(),
                    matches: outcome.evidence,
                },
            }
        })
        .collect()
}
