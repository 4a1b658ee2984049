//! Scheme files: `rules/*.toml`, one scheme of categories per file, loaded and compiled once.
//!
//! A scheme says which questions it sorts and gives each category an id, the report's label, a
//! rule in the expression language of [`crate::rules::expr`], an optional priority, and examples
//! and counter-examples that `jiyu rules test` checks. Errors name the file, line and column.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::analyze::{Analysis, Analyzer};
use crate::classify::no_answer::{NO_ANSWER, NO_ANSWER_LABEL};
use crate::error::{Error, Result};
use crate::rules::expr::error::line_column;
use crate::rules::expr::{Evidence, Program, RuleOutcome};

/// The category of answers no rule matches.
pub const UNCLASSIFIED: &str = "unclassified";
/// Its label in reports.
pub const UNCLASSIFIED_LABEL: &str = "分類できなかった回答";

/// Whether `id` has the form of a category id: a-z, 0-9 and `-`, not empty. A label
/// (`補助金等`) never has it.
pub fn is_category_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
}

/// The schemes shipped with jiyu (every `rules/*.toml`, listed by `build.rs`), compiled into the
/// binary so it runs from any directory.
const BUILTIN_SCHEMES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// One category of a scheme.
#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub label: String,
    /// The rule's expression source.
    pub rule: String,
    pub priority: i64,
    pub examples: Vec<String>,
    pub counter_examples: Vec<String>,
}

/// A scheme: categories for a group of questions, with their rules compiled.
pub struct Scheme {
    pub id: String,
    pub title: String,
    pub questions: Vec<String>,
    pub categories: Vec<Category>,
    /// The file it came from (`built-in rules/x.toml` for the embedded copy).
    pub source: String,
    pub program: Program,
}

/// A category whose rule matched an answer, and what made it match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The category's index in [`Scheme::categories`].
    pub category: usize,
    /// The rule's evidence; empty for a rule true without any term (a catch-all such as
    /// `!(@a | @b)`).
    pub evidence: Vec<Evidence>,
}

impl Scheme {
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|category| category.id == id)
    }

    /// The categories whose rules match an answer, strongest first: the one with the most
    /// distinct matched terms, then the higher `priority`, then the one earlier in the file.
    /// `analysis` must come from the analyzer the rules were compiled with, on `text`.
    pub fn matches(&self, analysis: &Analysis, text: &str) -> Vec<Match> {
        self.rank(self.program.evaluate(analysis, text))
    }

    /// [`Scheme::matches`] as if the atoms for which `hidden` is true did not occur (see
    /// [`Program::evaluate_hiding`]).
    pub fn matches_hiding(
        &self,
        analysis: &Analysis,
        text: &str,
        hidden: impl Fn(usize) -> bool,
    ) -> Vec<Match> {
        self.rank(self.program.evaluate_hiding(analysis, text, hidden))
    }

    fn rank(&self, outcomes: Vec<RuleOutcome>) -> Vec<Match> {
        let mut ranked: Vec<(usize, i64, Match)> = outcomes
            .into_iter()
            .zip(&self.categories)
            .enumerate()
            .filter(|(_, (outcome, _))| outcome.matched)
            .map(|(index, (outcome, category))| {
                let mut terms: Vec<&str> = outcome
                    .evidence
                    .iter()
                    .map(|evidence| evidence.term.as_str())
                    .collect();
                terms.sort_unstable();
                terms.dedup();
                (
                    terms.len(),
                    category.priority,
                    Match {
                        category: index,
                        evidence: outcome.evidence,
                    },
                )
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.category.cmp(&b.2.category))
        });
        ranked.into_iter().map(|(_, _, found)| found).collect()
    }
}

/// Every scheme of a rules directory, and which scheme sorts which question.
pub struct RuleSet {
    pub schemes: Vec<Scheme>,
    by_question: HashMap<String, usize>,
    /// Where the rules came from, for messages.
    pub origin: String,
}

/// Where to take rules from.
#[derive(Debug, Clone)]
pub enum RulesSource {
    /// The `*.toml` files of a directory.
    Directory(PathBuf),
    /// The schemes compiled into the binary (a copy of the repository's `rules/`).
    BuiltIn,
}

impl RulesSource {
    /// `--rules DIR` when given; else `./rules` when it holds scheme files; else the built-in
    /// copy, so the binary works from any directory.
    pub fn resolve(explicit: Option<&Path>) -> RulesSource {
        match explicit {
            Some(dir) => RulesSource::Directory(dir.to_path_buf()),
            None if Path::new("rules/site-needs.toml").is_file() => {
                RulesSource::Directory(PathBuf::from("rules"))
            }
            None => RulesSource::BuiltIn,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeFile {
    scheme: SchemeHeader,
    #[serde(default, rename = "category")]
    categories: Vec<CategoryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeHeader {
    id: String,
    title: String,
    questions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    id: toml::Spanned<String>,
    label: String,
    rule: toml::Spanned<String>,
    #[serde(default)]
    priority: i64,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

impl RuleSet {
    /// Loads and compiles every scheme of `source`.
    pub fn load(source: &RulesSource, analyzer: &Analyzer) -> Result<RuleSet> {
        let (files, origin) = match source {
            RulesSource::BuiltIn => (
                BUILTIN_SCHEMES
                    .iter()
                    .map(|(name, text)| (format!("built-in rules/{name}"), text.to_string()))
                    .collect(),
                "built-in rules".to_string(),
            ),
            RulesSource::Directory(dir) => (read_scheme_files(dir)?, dir.display().to_string()),
        };
        let schemes = files
            .iter()
            .map(|(path, text)| parse_scheme(path, text, analyzer))
            .collect::<Result<Vec<Scheme>>>()?;
        let mut by_question: HashMap<String, usize> = HashMap::new();
        let mut scheme_ids = HashSet::new();
        for (index, scheme) in schemes.iter().enumerate() {
            if !scheme_ids.insert(scheme.id.as_str()) {
                return Err(Error::Rules(format!(
                    "{}: scheme id `{}` is used by another file too; ids must be unique",
                    scheme.source, scheme.id
                )));
            }
            for question in &scheme.questions {
                if let Some(&other) = by_question.get(question) {
                    return Err(Error::Rules(format!(
                        "{}: question {question} is already sorted by scheme `{}` ({}); \
                         a question belongs to one scheme",
                        scheme.source, schemes[other].id, schemes[other].source
                    )));
                }
                by_question.insert(question.clone(), index);
            }
        }
        Ok(RuleSet {
            schemes,
            by_question,
            origin,
        })
    }

    /// The scheme that sorts `question`, if any.
    pub fn scheme_for(&self, question: &str) -> Option<&Scheme> {
        self.by_question
            .get(question)
            .map(|&index| &self.schemes[index])
    }

    /// The label of a category id as reports show it; empty for an unknown id.
    pub fn label(&self, scheme: Option<&Scheme>, category: &str) -> String {
        match category {
            NO_ANSWER => NO_ANSWER_LABEL.to_string(),
            UNCLASSIFIED => UNCLASSIFIED_LABEL.to_string(),
            _ => scheme
                .and_then(|scheme| scheme.category(category))
                .map(|category| category.label.clone())
                .unwrap_or_default(),
        }
    }
}

fn read_scheme_files(dir: &Path) -> Result<Vec<(String, String)>> {
    let entries = std::fs::read_dir(dir).map_err(|err| Error::Io {
        path: dir.display().to_string(),
        message: format!("cannot read the rules directory: {err} (give one with --rules DIR)"),
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(Error::Rules(format!(
            "{}: no scheme files (*.toml) in this directory",
            dir.display()
        )));
    }
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|err| Error::io(&path, err))?;
            Ok((path.display().to_string(), text))
        })
        .collect()
}

/// Where the characters of a TOML string value start: after its opening quotes, and after the
/// newline that TOML drops right after `'''` or `"""`.
fn string_content_start(text: &str, span: &Range<usize>) -> usize {
    let value = text.get(span.clone()).unwrap_or("");
    let multi_line = value.starts_with("'''") || value.starts_with("\"\"\"");
    let start = span.start + if multi_line { 3 } else { 1 };
    let rest = text.get(start..).unwrap_or("");
    if !multi_line {
        start
    } else if rest.starts_with("\r\n") {
        start + 2
    } else if rest.starts_with('\n') {
        start + 1
    } else {
        start
    }
}

fn parse_scheme(path: &str, text: &str, analyzer: &Analyzer) -> Result<Scheme> {
    let file: SchemeFile = toml::from_str(text).map_err(|err| {
        let (line, column) = err
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((1, 1));
        Error::Rules(format!(
            "{path}:{line}:{column}: {}",
            err.message().trim_end()
        ))
    })?;
    check_category_ids(path, text, &file.categories)?;
    let rules: Vec<(String, String)> = file
        .categories
        .iter()
        .map(|category| {
            (
                category.id.get_ref().clone(),
                category.rule.get_ref().clone(),
            )
        })
        .collect();
    let program = Program::compile(analyzer, &rules).map_err(|err| {
        match file
            .categories
            .iter()
            .find(|category| category.id.get_ref() == err.rule_id())
        {
            Some(category) => {
                let start = string_content_start(text, &category.rule.span());
                let (line, column) = line_column(text, start);
                Error::Rules(err.render(path, category.rule.get_ref(), line, column))
            }
            None => Error::Rules(format!("{path}: {err}")),
        }
    })?;
    Ok(Scheme {
        id: file.scheme.id,
        title: file.scheme.title,
        questions: file.scheme.questions,
        categories: file
            .categories
            .into_iter()
            .map(|category| Category {
                id: category.id.into_inner(),
                label: category.label,
                rule: category.rule.into_inner(),
                priority: category.priority,
                examples: category.examples,
                counter_examples: category.counter_examples,
            })
            .collect(),
        source: path.to_string(),
        program,
    })
}

fn check_category_ids(path: &str, text: &str, categories: &[CategoryFile]) -> Result<()> {
    let mut seen = HashSet::new();
    for category in categories {
        let id = category.id.get_ref();
        let (line, column) = line_column(text, category.id.span().start);
        let problem = if id == NO_ANSWER || id == UNCLASSIFIED {
            Some(format!("`{id}` is built in; give the category another id"))
        } else if !is_category_id(id) {
            Some(format!("category id `{id}` may use only a-z, 0-9 and `-`"))
        } else if !seen.insert(id.as_str()) {
            Some(format!("category id `{id}` appears twice in this scheme"))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Error::Rules(format!("{path}:{line}:{column}: {problem}")));
        }
    }
    Ok(())
}
