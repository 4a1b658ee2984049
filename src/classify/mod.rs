//! Classification: every answer gets its categories, strongest first, the evidence for each,
//! how sure jiyu is of the first ([`Classification::confidence`]) and what that rests on
//! ([`Basis`]).
//!
//! Non-answers are caught first ([`crate::rules::no_answer`], and the `[no_answer]` phrases and rule of the
//! answer's scheme: [`non_answer`]); then the scheme that sorts the answer's question
//! runs its rules ([`Scheme::matches`]: most distinct matched terms first, then `priority`, then
//! file order). With a [`Model`], [`decide`] lets it choose the primary category among those
//! whose rules matched with terms, and propose one where no rule matched or only a catch-all
//! did; the rules' other categories follow it. Without a model the rules' order stands. An
//! answer of a scheme's question that gets no category is `unclassified`; an answer of a
//! question no scheme sorts gets no category (only `no-answer` when it is one).

pub mod explain;
pub mod pipeline;
pub mod rule_tests;
pub mod unsorted;

use serde::Serialize;

use crate::analyze::{Analysis, Analyzer};
use crate::error::Result;
use crate::input::Answer;
use crate::model::{self, rule_probabilities, Model, ModelSource, RULES_ONLY_PRIOR};
use crate::rules::expr::Evidence;
use crate::rules::scheme::{Match, RuleSet, RulesSource, Scheme, UNCLASSIFIED};

pub use crate::rules::no_answer::is_no_answer;
pub use crate::rules::scheme::NO_ANSWER;

/// The confidence of a non-answer (特になし, -, …): the pattern is strict, but not infallible.
pub const NO_ANSWER_CONFIDENCE: f64 = 0.99;

/// Answers whose confidence is below this are listed for review (要確認) by default.
pub const REVIEW_BELOW: f64 = 0.5;

/// What an answer's primary category rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Rule terms matched: the evidence shows them.
    Rules,
    /// The model chose it among the rules' categories, or gave it where no rule matched (or only
    /// a catch-all did): its evidence is the model's strongest words.
    Model,
    /// Only a catch-all rule, true without any term (such as `!(@a | @b)`), matched: no evidence.
    Default,
    /// A person's correction (an overrides file).
    Override,
    /// A non-answer (特になし, -, …).
    NoAnswer,
    /// No category: no rule matched and the model, if any, was too unsure to propose one; or
    /// the question has no scheme.
    None,
}

impl Basis {
    /// Every basis, in the order the page and the report list them.
    pub const ALL: [Basis; 6] = [
        Basis::Rules,
        Basis::Model,
        Basis::Default,
        Basis::Override,
        Basis::NoAnswer,
        Basis::None,
    ];

    /// The name used in every output (`rules`, `model`, `default`, `override`, `no-answer`,
    /// `none`).
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Rules => "rules",
            Basis::Model => "model",
            Basis::Default => "default",
            Basis::Override => "override",
            Basis::NoAnswer => "no-answer",
            Basis::None => "none",
        }
    }

    /// The basis named `name`, as [`Basis::as_str`] writes it.
    pub fn parse(name: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|basis| basis.as_str() == name)
    }

    /// How the report and the page say it.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Rules => "ルールの語に一致",
            Basis::Model => "学習モデルによる推定",
            Basis::Default => "ルールの既定（該当語なし）",
            Basis::Override => "担当者による修正",
            Basis::NoAnswer => "無回答",
            Basis::None => "分類なし",
        }
    }
}

/// The categories of one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// The id of the scheme that sorted the answer, if its question has one.
    pub scheme: Option<String>,
    /// Category ids, strongest first; empty only for questions without a scheme.
    pub categories: Vec<String>,
    /// For each category, in the same order, what made it match.
    pub evidence: Vec<CategoryEvidence>,
    /// What the primary category rests on.
    pub basis: Basis,
    /// The probability that the primary category is right (0–1); 0 for `unclassified`, `None`
    /// for answers of questions no scheme sorts.
    pub confidence: Option<f64>,
}

impl Classification {
    /// The strongest category.
    pub fn primary(&self) -> Option<&str> {
        self.categories.first().map(String::as_str)
    }

    /// Whether a person should check the primary category: its confidence, as every output
    /// writes it ([`rounded_confidence`]), is below `threshold` — so a recount
    /// from the JSONL or CSV agrees. Answers of questions no scheme sorts never need it.
    pub fn needs_review(&self, threshold: f64) -> bool {
        self.confidence
            .is_some_and(|confidence| rounded_confidence(confidence) < threshold)
    }
}

/// The matched words and phrases behind one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryEvidence {
    pub category: String,
    pub matches: Vec<Evidence>,
}

/// The prefix of the evidence terms that are the model's words, not rule terms
/// (`model:研修`).
pub const MODEL_TERM_PREFIX: &str = "model:";

/// The model's strongest words shown as the evidence of a category it gave.
const MODEL_EVIDENCE_WORDS: usize = 3;

/// The analyzer, the compiled rules and the model, if any: build once per run, share between
/// threads.
pub struct Classifier {
    pub analyzer: Analyzer,
    pub rules: RuleSet,
    pub model: Option<Model>,
}

impl Classifier {
    /// The rules of `rules_source`, with the model beside them when there is one
    /// ([`ModelSource::BesideRules`]).
    pub fn new(analyzer: Analyzer, rules_source: &RulesSource) -> Result<Classifier> {
        Classifier::with_model(analyzer, rules_source, &ModelSource::BesideRules)
    }

    /// The rules of `rules_source` and the model of `model_source`.
    pub fn with_model(
        analyzer: Analyzer,
        rules_source: &RulesSource,
        model_source: &ModelSource,
    ) -> Result<Classifier> {
        let rules = RuleSet::load(rules_source, &analyzer)?;
        let model = model_source.load(rules_source)?;
        Ok(Classifier {
            analyzer,
            rules,
            model,
        })
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
        self.classify_judged(question, text, analysis, self.judge())
    }

    /// Classifies `text` with the rules alone, whatever model the classifier has: what
    /// `jiyu rules test` checks the rules' examples with.
    pub fn classify_by_rules(&self, question: &str, text: &str) -> Classification {
        let analysis = self.analyzer.analyze(text);
        let weights = self
            .model
            .as_ref()
            .map_or(&RULES_ONLY_PRIOR, Model::rules_only);
        self.classify_judged(question, text, &analysis, Judge::Rules(weights))
    }

    /// Classifies an analyzed answer with `judge` settling the primary category.
    pub fn classify_judged(
        &self,
        question: &str,
        text: &str,
        analysis: &Analysis,
        judge: Judge,
    ) -> Classification {
        let scheme = self.rules.scheme_for(question);
        if let Some(evidence) = non_answer(scheme, analysis, text) {
            return no_answer_classification(scheme, evidence);
        }
        let Some(scheme) = scheme else {
            return Classification {
                scheme: None,
                categories: Vec::new(),
                evidence: Vec::new(),
                basis: Basis::None,
                confidence: None,
            };
        };
        decide(
            scheme,
            scheme.matches(analysis, text),
            judge,
            analysis,
            text,
        )
    }

    /// The model when there is one, else the rules with [`RULES_ONLY_PRIOR`].
    pub fn judge(&self) -> Judge<'_> {
        self.model
            .as_ref()
            .map_or(Judge::Rules(&RULES_ONLY_PRIOR), Judge::Model)
    }
}

/// A confidence as every output writes it: three decimals (`0.873`), the rounding shared by
/// JSONL, CSV, the index and the page so they agree.
pub fn rounded_confidence(confidence: f64) -> f64 {
    (confidence * 1000.0).round() / 1000.0
}

/// An answer with its categories.
#[derive(Debug, Clone)]
pub struct Classified {
    pub answer: Answer,
    pub classification: Classification,
    /// True when the categories come from an overrides file, not from the rules.
    pub overridden: bool,
}

/// Whether an answer is a non-answer: the built-in check ([`is_no_answer`]: 特になし, なし,
/// わからない, - …), then the `[no_answer]` phrases and rule of `scheme`, the scheme of the
/// answer's question (`None` when no scheme sorts it). The evidence is the scheme rule's
/// matched words; none for a phrase or a built-in non-answer.
pub fn non_answer(
    scheme: Option<&Scheme>,
    analysis: &Analysis,
    text: &str,
) -> Option<Vec<Evidence>> {
    if is_no_answer(&analysis.normalized.text) {
        return Some(Vec::new());
    }
    scheme?
        .no_answer_match(analysis, text)
        .map(|found| found.into_evidence())
}

/// The classification of a non-answer of `scheme`'s question (see [`non_answer`]): category
/// `no-answer`, basis `no-answer`, confidence [`NO_ANSWER_CONFIDENCE`].
pub fn no_answer_classification(
    scheme: Option<&Scheme>,
    evidence: Vec<Evidence>,
) -> Classification {
    Classification {
        scheme: scheme.map(|scheme| scheme.id.clone()),
        categories: vec![NO_ANSWER.to_string()],
        evidence: vec![CategoryEvidence {
            category: NO_ANSWER.to_string(),
            matches: evidence,
        }],
        basis: Basis::NoAnswer,
        confidence: Some(NO_ANSWER_CONFIDENCE),
    }
}

/// Who settles an answer's primary category among what the rules matched.
#[derive(Debug, Clone, Copy)]
pub enum Judge<'a> {
    /// The rules' order stands; the confidence comes from these rules-only weights of the
    /// combiner (one per [`crate::model::RULE_NUMBERS`]).
    Rules(&'a [f64; 4]),
    /// The model chooses (see [`decide`]).
    Model(&'a Model),
}

/// The classification of an answer of `scheme` (not a non-answer) from its rule matches
/// (strongest first, as [`Scheme::matches`] gives them), settled by `judge`.
pub fn decide(
    scheme: &Scheme,
    matches: Vec<Match>,
    judge: Judge,
    analysis: &Analysis,
    text: &str,
) -> Classification {
    let votes = model::votes(scheme, &matches);
    let (chosen, model) = match judge {
        Judge::Model(model) => (model.decide(scheme, &votes, analysis), Some(model)),
        Judge::Rules(weights) => (
            matches.first().map(|first| {
                let probabilities = rule_probabilities(weights, &votes);
                (first.category, probabilities[first.category])
            }),
            None,
        ),
    };
    let Some((primary, confidence)) = chosen else {
        return Classification {
            scheme: Some(scheme.id.clone()),
            categories: vec![UNCLASSIFIED.to_string()],
            evidence: vec![CategoryEvidence {
                category: UNCLASSIFIED.to_string(),
                matches: Vec::new(),
            }],
            basis: Basis::None,
            confidence: Some(0.0),
        };
    };
    let basis = match matches.first() {
        Some(first) if first.category == primary && first.evidence.is_empty() => Basis::Default,
        Some(first) if first.category == primary => Basis::Rules,
        _ => Basis::Model,
    };
    let mut ranked: Vec<CategoryEvidence> = Vec::with_capacity(matches.len() + 1);
    if !matches.iter().any(|found| found.category == primary) {
        let id = &scheme.categories[primary].id;
        ranked.push(CategoryEvidence {
            category: id.clone(),
            matches: model.map_or_else(Vec::new, |model| {
                model_evidence(model, &scheme.id, id, analysis, text)
            }),
        });
    }
    let (first, rest): (Vec<Match>, Vec<Match>) = matches
        .into_iter()
        .partition(|found| found.category == primary);
    for found in first.into_iter().chain(rest) {
        ranked.push(CategoryEvidence {
            category: scheme.categories[found.category].id.clone(),
            matches: found.evidence,
        });
    }
    Classification {
        scheme: Some(scheme.id.clone()),
        categories: ranked.iter().map(|entry| entry.category.clone()).collect(),
        evidence: ranked,
        basis,
        confidence: Some(confidence),
    }
}

/// The model's strongest words for `category` as evidence: term `model:<base form>`, the text
/// and character offsets of the word's first token.
fn model_evidence(
    model: &Model,
    scheme: &str,
    category: &str,
    analysis: &Analysis,
    text: &str,
) -> Vec<Evidence> {
    let mut evidence: Vec<Evidence> = model
        .strongest_words(scheme, category, analysis, MODEL_EVIDENCE_WORDS)
        .into_iter()
        .filter_map(|word| {
            let token = analysis.tokens.get(word.token)?;
            let start = text.get(..token.start)?.chars().count();
            let matched = text.get(token.start..token.end)?;
            Some(Evidence {
                term: format!("{MODEL_TERM_PREFIX}{}", word.text),
                text: matched.to_string(),
                start,
                end: start + matched.chars().count(),
            })
        })
        .collect();
    evidence.sort_by_key(|found| (found.start, found.end));
    evidence
}
