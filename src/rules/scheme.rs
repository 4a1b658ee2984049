//! Scheme files: `rules/*.toml`, one scheme of categories per file, loaded and compiled once.
//!
//! A scheme says which questions it sorts and gives each category an id, the report's label, a
//! rule in the expression language of [`crate::rules::expr`], an optional priority, and examples
//! and counter-examples that `jiyu rules test` checks. An optional `[no_answer]` table adds
//! phrases and a rule to the built-in check for non-answers ([`NoAnswerRule`]). Errors name
//! the file, line and column — inside a rule too, whatever quotes and escapes it is written
//! with.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::analyze::{Analysis, Analyzer};
use crate::error::{Error, Result};
use crate::rules::expr::error::{line_column, Placement};
use crate::rules::expr::{Evidence, ExplainNode, ParseError, Program, RuleOutcome};
use crate::rules::no_answer::ExtraPhrases;

/// The category of answers no rule matches.
pub const UNCLASSIFIED: &str = "unclassified";
/// Its label in reports.
pub const UNCLASSIFIED_LABEL: &str = "分類できなかった回答";

/// The category every non-answer gets (特になし, なし, わからない, - …; see
/// [`crate::rules::no_answer`]).
pub const NO_ANSWER: &str = "no-answer";
/// Its label in reports.
pub const NO_ANSWER_LABEL: &str = "無回答・特になし";

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
    /// The id of the [`Group`] the category belongs to, if any.
    pub parent: Option<String>,
}

/// A group of categories (`[[group]]` in a scheme file): the report counts an answer once in
/// it when the answer has any of its members, the categories whose `parent` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Unique among the scheme's groups and categories.
    pub id: String,
    pub label: String,
}

/// A scheme: categories for a group of questions, with their rules compiled.
pub struct Scheme {
    pub id: String,
    pub title: String,
    pub questions: Vec<String>,
    pub categories: Vec<Category>,
    /// The groups of categories, in file order; each has at least one member.
    pub groups: Vec<Group>,
    /// The file it came from (`built-in rules/x.toml` for the embedded copy).
    pub source: String,
    pub program: Program,
    /// What `jiyu rules check` warns about, rendered with the file, line and column: a
    /// `syn(word)` whose word has no synonyms.
    pub warnings: Vec<String>,
    /// What the scheme adds to the built-in check for non-answers, if anything.
    pub no_answer: Option<NoAnswerRule>,
}

/// A scheme as written — its questions and categories — without its rules compiled: what
/// search by meaning reads of the rules (see [`read_outlines`]).
#[derive(Debug, Clone)]
pub struct SchemeOutline {
    pub id: String,
    pub questions: Vec<String>,
    pub categories: Vec<Category>,
}

impl SchemeOutline {
    pub fn of(scheme: &Scheme) -> SchemeOutline {
        SchemeOutline {
            id: scheme.id.clone(),
            questions: scheme.questions.clone(),
            categories: scheme.categories.clone(),
        }
    }
}

/// Non-answers of one scheme beyond the built-in ones (特になし, なし, わからない, - …): the
/// `[no_answer]` table of its file, with `phrases` (checked like the built-in list, see
/// [`ExtraPhrases`]) and/or a `rule` in the rule language. An answer of the scheme's questions
/// that either takes is a non-answer, exactly like a built-in one.
pub struct NoAnswerRule {
    /// The phrases as written.
    pub phrases: Vec<String>,
    matcher: Option<ExtraPhrases>,
    /// The rule's expression as written.
    pub rule: Option<String>,
    /// The rule compiled alone (rule id `no-answer`): it cannot refer to the categories.
    program: Option<Program>,
}

/// Why a scheme's `[no_answer]` took an answer for a non-answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoAnswerMatch {
    /// The answer says one of the phrases.
    Phrase,
    /// The rule matched, with its evidence.
    Rule(Vec<Evidence>),
}

impl NoAnswerMatch {
    /// The evidence behind it: the rule's matched words, none for a phrase.
    pub fn into_evidence(self) -> Vec<Evidence> {
        match self {
            NoAnswerMatch::Phrase => Vec::new(),
            NoAnswerMatch::Rule(evidence) => evidence,
        }
    }
}

/// The schemes of `source` as written, their TOML read but their rules not compiled (a tenth
/// of the time of [`RuleSet::load`]); errors name the file, line and column as there.
pub fn read_outlines(source: &RulesSource) -> Result<Vec<SchemeOutline>> {
    let files = match source {
        RulesSource::BuiltIn => BUILTIN_SCHEMES
            .iter()
            .map(|(name, text)| (format!("built-in rules/{name}"), text.to_string()))
            .collect(),
        RulesSource::Directory(dir) => read_scheme_files(dir)?,
    };
    files
        .iter()
        .map(|(path, text)| {
            let file = read_scheme_file(path, text)?;
            Ok(SchemeOutline {
                id: file.scheme.id,
                questions: file.scheme.questions,
                categories: file
                    .categories
                    .into_iter()
                    .map(CategoryFile::into_category)
                    .collect(),
            })
        })
        .collect()
}

impl NoAnswerRule {
    /// Whether the phrases or the rule take the answer (`analysis` of `text`, from the
    /// analyzer the rules were compiled with) for a non-answer; phrases first.
    pub fn matches(&self, analysis: &Analysis, text: &str) -> Option<NoAnswerMatch> {
        if self
            .matcher
            .as_ref()
            .is_some_and(|matcher| matcher.matches(&analysis.normalized.text))
        {
            return Some(NoAnswerMatch::Phrase);
        }
        let outcome = self.program.as_ref()?.evaluate(analysis, text).pop()?;
        outcome
            .matched
            .then_some(NoAnswerMatch::Rule(outcome.evidence))
    }

    /// The evaluated tree of the rule for one answer, as `jiyu explain` shows it.
    pub fn explain(&self, analysis: &Analysis, text: &str) -> Option<ExplainNode> {
        Some(self.program.as_ref()?.explain(analysis, text, 0))
    }

    /// What it adds, for `jiyu rules check`: `3 phrases and a rule`.
    pub fn describe(&self) -> String {
        let phrases = match self.phrases.len() {
            0 => None,
            1 => Some("1 phrase".to_string()),
            n => Some(format!("{n} phrases")),
        };
        match (phrases, &self.rule) {
            (Some(phrases), Some(_)) => format!("{phrases} and a rule"),
            (Some(phrases), None) => phrases,
            (None, _) => "a rule".to_string(),
        }
    }
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

    /// The ids of the categories of group `id`, in scheme order.
    pub fn members(&self, id: &str) -> Vec<&str> {
        self.categories
            .iter()
            .filter(|category| category.parent.as_deref() == Some(id))
            .map(|category| category.id.as_str())
            .collect()
    }

    /// Whether the scheme's own `[no_answer]` phrases or rule take an answer for a non-answer
    /// (the built-in check is [`crate::rules::no_answer::is_no_answer`]).
    pub fn no_answer_match(&self, analysis: &Analysis, text: &str) -> Option<NoAnswerMatch> {
        self.no_answer.as_ref()?.matches(analysis, text)
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
    /// Where they were loaded from.
    pub from: RulesSource,
}

/// Where to take rules from.
#[derive(Debug, Clone)]
pub enum RulesSource {
    /// The `*.toml` files of a directory.
    Directory(PathBuf),
    /// The schemes compiled into the binary (a copy of the repository's `rules/`).
    BuiltIn,
}

/// The rules directory used when none is given, relative to the working directory.
pub const LOCAL_RULES: &str = "rules";

impl RulesSource {
    /// `--rules DIR` when given; else `./rules` when it holds scheme files (`*.toml`), whatever
    /// they are; else the built-in copy, so the binary works from any directory. Every command
    /// that reads rules resolves them here.
    pub fn resolve(explicit: Option<&Path>) -> RulesSource {
        match explicit {
            Some(dir) => RulesSource::Directory(dir.to_path_buf()),
            None if holds_scheme_files(Path::new(LOCAL_RULES)) => {
                RulesSource::Directory(PathBuf::from(LOCAL_RULES))
            }
            None => RulesSource::BuiltIn,
        }
    }
}

/// Whether `dir` is a directory with at least one `*.toml` file.
fn holds_scheme_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(|entry| entry.ok()).any(|entry| {
            let path = entry.path();
            path.extension().is_some_and(|ext| ext == "toml") && path.is_file()
        })
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeFile {
    scheme: SchemeHeader,
    #[serde(default)]
    no_answer: Option<toml::Spanned<NoAnswerFile>>,
    #[serde(default, rename = "category")]
    categories: Vec<CategoryFile>,
    #[serde(default, rename = "group")]
    groups: Vec<GroupFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    id: toml::Spanned<String>,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoAnswerFile {
    #[serde(default)]
    phrases: Vec<toml::Spanned<String>>,
    rule: Option<toml::Spanned<String>>,
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
    #[serde(default)]
    parent: Option<toml::Spanned<String>>,
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
        // Compiled side by side (compiling a scheme analyzes its words and builds its regexes
        // and automaton: most of classify's start-up); the first error in file order wins.
        let schemes = files
            .par_iter()
            .map(|(path, text)| parse_scheme(path, text, analyzer))
            .collect::<Vec<Result<Scheme>>>()
            .into_iter()
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
            from: source.clone(),
        })
    }

    /// The rules' directory as a user would type it (`./rules`), or `the built-in rules`.
    pub fn name(&self) -> String {
        match &self.from {
            RulesSource::BuiltIn => "the built-in rules".to_string(),
            RulesSource::Directory(dir)
                if dir.is_relative()
                    && !dir.as_os_str().is_empty()
                    && !dir.starts_with(".")
                    && !dir.starts_with("..") =>
            {
                format!("./{}", dir.display())
            }
            RulesSource::Directory(dir) => dir.display().to_string(),
        }
    }

    /// Which rules are in use, in one line for the user: `./rules (1 scheme: q5-telework.toml)`,
    /// `built-in rules (8 schemes)`; the built-in rules say when `./rules` exists without
    /// scheme files.
    pub fn describe(&self) -> String {
        let count = match self.schemes.len() {
            1 => "1 scheme".to_string(),
            n => format!("{n} schemes"),
        };
        match &self.from {
            RulesSource::BuiltIn => {
                let note = if Path::new(LOCAL_RULES).is_dir() {
                    "; ./rules holds no scheme files (*.toml)"
                } else {
                    ""
                };
                format!("built-in rules ({count}{note})")
            }
            RulesSource::Directory(_) => {
                let names: Vec<String> = self
                    .schemes
                    .iter()
                    .map(|scheme| {
                        Path::new(&scheme.source)
                            .file_name()
                            .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
                    })
                    .collect();
                if names.len() <= 3 {
                    format!("{} ({count}: {})", self.name(), names.join(", "))
                } else {
                    format!("{} ({count})", self.name())
                }
            }
        }
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
    let entries = std::fs::read_dir(dir).map_err(|err| {
        Error::io(dir, err)
            .context("cannot read the rules directory")
            .note(" (give one with --rules DIR)")
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

/// The expression of a TOML string value as its file holds it: where each byte of `value`
/// came from in `text`, through escapes (`\"`, `\u3042` …), the newline TOML drops right after
/// `'''` or `"""`, and line-ending backslashes. `span` is the value's span in `text`, quotes
/// included.
fn placement<'a>(text: &'a str, span: &Range<usize>, value: &str) -> Placement<'a> {
    let offsets = [false, true]
        .into_iter()
        .find_map(|crlf_as_lf| decoded_offsets(text, span, value, crlf_as_lf))
        .unwrap_or_else(|| {
            // Not a string this function knows how to read: assume the value sits verbatim
            // after the opening quote.
            (0..=value.len())
                .map(|offset| (span.start + 1 + offset).min(text.len()))
                .collect()
        });
    Placement { text, offsets }
}

/// [`placement`]'s offsets, when decoding the string at `span` gives `value`: one per byte of
/// `value`, then the offset of the closing quotes. `crlf_as_lf`: a CR LF inside a multi-line
/// string decodes to LF (TOML parsers may normalize newlines).
fn decoded_offsets(
    text: &str,
    span: &Range<usize>,
    value: &str,
    crlf_as_lf: bool,
) -> Option<Vec<usize>> {
    let raw = text.get(span.clone())?;
    let quotes = ["'''", "\"\"\"", "'", "\""]
        .into_iter()
        .find(|quotes| raw.starts_with(quotes))?;
    let multi_line = quotes.len() == 3;
    let literal = quotes.starts_with('\'');
    let mut start = span.start + quotes.len();
    let end = span.end.checked_sub(quotes.len())?;
    if multi_line {
        let rest = text.get(start..end)?;
        start += if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        };
    }
    let body = text.get(start..end)?;
    let mut decoded = String::with_capacity(body.len());
    let mut offsets: Vec<usize> = Vec::with_capacity(body.len() + 1);
    let mut push = |decoded: &mut String, ch: char, at: usize, verbatim: bool| {
        for byte in 0..ch.len_utf8() {
            offsets.push(if verbatim { at + byte } else { at });
        }
        decoded.push(ch);
    };
    let mut chars = body.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        let at = start + index;
        if multi_line
            && crlf_as_lf
            && ch == '\r'
            && chars.peek().is_some_and(|&(_, next)| next == '\n')
        {
            continue;
        }
        if literal || ch != '\\' {
            push(&mut decoded, ch, at, true);
            continue;
        }
        let (_, escape) = chars.next()?;
        let escaped = match escape {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            '"' => '"',
            '\\' => '\\',
            'x' | 'u' | 'U' => {
                let digits = match escape {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut code = 0u32;
                for _ in 0..digits {
                    let (_, digit) = chars.next()?;
                    code = code * 16 + digit.to_digit(16)?;
                }
                char::from_u32(code)?
            }
            ' ' | '\t' | '\r' | '\n' if multi_line => {
                // A line-ending backslash: the white space and line breaks after it vanish.
                while chars
                    .peek()
                    .is_some_and(|&(_, next)| matches!(next, ' ' | '\t' | '\r' | '\n'))
                {
                    chars.next();
                }
                continue;
            }
            _ => return None,
        };
        push(&mut decoded, escaped, at, false);
    }
    offsets.push(end);
    (decoded == value).then_some(offsets)
}

/// A compiler-style message at byte `offset` of a file: `file:line:col: message`, the file's
/// line and a caret under the spot.
fn file_error(path: &str, text: &str, offset: usize, message: &str) -> Error {
    Error::Rules(ParseError::at(text, offset, message, &[]).render(path, text, 0))
}

/// A string of a TOML file that is not closed where its writer meant it to be.
struct Unclosed {
    /// The byte offset of its opening quotes.
    opened: usize,
    quotes: &'static str,
    /// For a multi-line string, the quotes that close it when they look like the opening
    /// quotes of the next value (`rule = '''` on a later line): its own closing quotes are
    /// missing.
    closed_by_opener: Option<usize>,
}

/// The first string of a TOML file that is never closed — a single-line string at its line's
/// end, a multi-line one (`'''`, `"""`) at the end of the file — or, before it, a multi-line
/// string closed only by what looks like the opening quotes of a later value.
fn unclosed_string(text: &str) -> Option<Unclosed> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'#' => {
                at = text[at..]
                    .find('\n')
                    .map_or(bytes.len(), |newline| at + newline);
            }
            quote @ (b'\'' | b'"') => {
                let literal = quote == b'\'';
                let multi_line = bytes[at..].starts_with(if literal { b"'''" } else { b"\"\"\"" });
                let quotes: &'static str = match (literal, multi_line) {
                    (true, true) => "'''",
                    (false, true) => "\"\"\"",
                    (true, false) => "'",
                    (false, false) => "\"",
                };
                let opened = at;
                at += quotes.len();
                let mut closed = false;
                while at < bytes.len() {
                    let byte = bytes[at];
                    if !literal && byte == b'\\' {
                        at += 2;
                        continue;
                    }
                    if !multi_line && byte == b'\n' {
                        break;
                    }
                    if bytes[at..].starts_with(quotes.as_bytes()) {
                        if multi_line && key_before(text, at).is_some() {
                            return Some(Unclosed {
                                opened,
                                quotes,
                                closed_by_opener: Some(at),
                            });
                        }
                        // Up to two more quotes right before the closing ones belong to the
                        // string.
                        at += quotes.len();
                        while multi_line && at < bytes.len() && bytes[at] == quote {
                            at += 1;
                        }
                        closed = true;
                        break;
                    }
                    at += 1;
                }
                if !closed {
                    return Some(Unclosed {
                        opened,
                        quotes,
                        closed_by_opener: None,
                    });
                }
            }
            _ => at += 1,
        }
    }
    None
}

/// The key a value at byte `offset` is assigned to, when its line says `key = ` before it.
fn key_before(text: &str, offset: usize) -> Option<&str> {
    let line_start = text[..offset].rfind('\n').map_or(0, |newline| newline + 1);
    let key = text[line_start..offset]
        .trim_end()
        .strip_suffix('=')?
        .trim();
    (!key.is_empty()
        && key
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '.')))
    .then_some(key)
}

/// The error of a scheme file TOML cannot read: a string not closed is named with where it
/// opens (TOML itself reports a confusing error further on); anything else at TOML's spot.
fn toml_error(path: &str, text: &str, err: &toml::de::Error) -> Error {
    if let Some(unclosed) = unclosed_string(text) {
        let quotes = unclosed.quotes;
        let value = key_before(text, unclosed.opened)
            .map_or_else(String::new, |key| format!(" (the value of `{key}`)"));
        let problem = match unclosed.closed_by_opener {
            Some(closer) => {
                let (line, _) = line_column(text, closer);
                let next =
                    key_before(text, closer).map_or_else(String::new, |key| format!(" of `{key}`"));
                format!(
                    "this {quotes} string{value} is not closed: it runs on to the {quotes} that \
                     opens the value{next} on line {line}; close it with {quotes} before that line"
                )
            }
            None if quotes.len() == 3 => format!(
                "this {quotes} string{value} is never closed: the file ends inside it; close it \
                 with {quotes}"
            ),
            None => format!(
                "this {quotes} string{value} is not closed on its line: close it with {quotes} \
                 (a string of several lines opens with {quotes}{quotes}{quotes})"
            ),
        };
        return file_error(path, text, unclosed.opened, &problem);
    }
    let offset = err.span().map_or(0, |span| span.start);
    file_error(path, text, offset, err.message().trim_end())
}

impl CategoryFile {
    fn into_category(self) -> Category {
        Category {
            id: self.id.into_inner(),
            label: self.label,
            rule: self.rule.into_inner(),
            priority: self.priority,
            examples: self.examples,
            counter_examples: self.counter_examples,
            parent: self.parent.map(toml::Spanned::into_inner),
        }
    }
}

/// The TOML of a scheme file; errors name the file, line and column.
fn read_scheme_file(path: &str, text: &str) -> Result<SchemeFile> {
    toml::from_str(text).map_err(|err| toml_error(path, text, &err))
}

fn parse_scheme(path: &str, text: &str, analyzer: &Analyzer) -> Result<Scheme> {
    let file = read_scheme_file(path, text)?;
    check_category_ids(path, text, &file.categories)?;
    check_groups(path, text, &file.categories, &file.groups)?;
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
    // A problem of a rule, rendered at its place in the file.
    let render = |err: &crate::rules::expr::CompileError| match file
        .categories
        .iter()
        .find(|category| category.id.get_ref() == err.rule_id())
    {
        Some(category) => {
            let placement = placement(text, &category.rule.span(), category.rule.get_ref());
            err.render_in(path, &placement)
        }
        None => format!("{path}: {err}"),
    };
    let program = Program::compile(analyzer, &rules).map_err(|err| Error::Rules(render(&err)))?;
    let warnings = program.warnings().iter().map(render).collect();
    let no_answer = file
        .no_answer
        .as_ref()
        .map(|table| no_answer_rule(path, text, table, analyzer))
        .transpose()?;
    Ok(Scheme {
        id: file.scheme.id,
        title: file.scheme.title,
        questions: file.scheme.questions,
        categories: file
            .categories
            .into_iter()
            .map(CategoryFile::into_category)
            .collect(),
        groups: file
            .groups
            .into_iter()
            .map(|group| Group {
                id: group.id.into_inner(),
                label: group.label,
            })
            .collect(),
        source: path.to_string(),
        program,
        warnings,
        no_answer,
    })
}

/// Compiles the `[no_answer]` table of a scheme file.
fn no_answer_rule(
    path: &str,
    text: &str,
    table: &toml::Spanned<NoAnswerFile>,
    analyzer: &Analyzer,
) -> Result<NoAnswerRule> {
    let file = table.get_ref();
    if file.phrases.is_empty() && file.rule.is_none() {
        return Err(file_error(
            path,
            text,
            table.span().start,
            "[no_answer] adds nothing: give `phrases = [\"…\"]` (answers that say only this are \
             non-answers) and/or `rule = '…'` (a rule in the rule language)",
        ));
    }
    let phrases: Vec<String> = file
        .phrases
        .iter()
        .map(|phrase| phrase.get_ref().clone())
        .collect();
    let matcher = if phrases.is_empty() {
        None
    } else {
        Some(ExtraPhrases::new(&phrases).map_err(|index| {
            file_error(
                path,
                text,
                file.phrases[index].span().start,
                "this non-answer phrase has no letter or digit; punctuation, symbols and white \
                 space are ignored when answers are compared with it",
            )
        })?)
    };
    let program = match &file.rule {
        None => None,
        Some(rule) => {
            let rules = vec![(NO_ANSWER.to_string(), rule.get_ref().clone())];
            let program = Program::compile(analyzer, &rules).map_err(|err| {
                Error::Rules(err.render_in(path, &placement(text, &rule.span(), rule.get_ref())))
            })?;
            let empty = analyzer.analyze("");
            if program
                .evaluate(&empty, "")
                .iter()
                .any(|outcome| outcome.matched)
            {
                return Err(file_error(
                    path,
                    text,
                    rule.span().start,
                    "this [no_answer] rule is true without any word (a catch-all such as `!a`), \
                     so every answer would be a non-answer; make it ask for words",
                ));
            }
            Some(program)
        }
    };
    Ok(NoAnswerRule {
        phrases,
        matcher,
        rule: file.rule.as_ref().map(|rule| rule.get_ref().clone()),
        program,
    })
}

fn check_category_ids(path: &str, text: &str, categories: &[CategoryFile]) -> Result<()> {
    let mut seen = HashSet::new();
    for category in categories {
        let id = category.id.get_ref();
        let problem = if id == NO_ANSWER || id == UNCLASSIFIED {
            Some(format!(
                "`{id}` is built in; give the category another id{}",
                if id == NO_ANSWER {
                    " (to add non-answers of this scheme, give a [no_answer] table with \
                     `phrases = [\"…\"]` and/or `rule = '…'`)"
                } else {
                    ""
                }
            ))
        } else if !is_category_id(id) {
            // Escaped: the id may hold a line break or a control character.
            Some(format!(
                "category id `{}` may use only a-z, 0-9 and `-`",
                id.escape_debug()
            ))
        } else if !seen.insert(id.as_str()) {
            Some(format!("category id `{id}` appears twice in this scheme"))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(file_error(path, text, category.id.span().start, &problem));
        }
    }
    Ok(())
}

/// Each group's id has the form of a category id and is no category's nor another group's,
/// each `parent` names a group, and each group has a member.
fn check_groups(
    path: &str,
    text: &str,
    categories: &[CategoryFile],
    groups: &[GroupFile],
) -> Result<()> {
    let mut seen = HashSet::new();
    for group in groups {
        let id = group.id.get_ref();
        let problem = if !is_category_id(id) {
            Some(format!(
                "group id `{}` may use only a-z, 0-9 and `-`",
                id.escape_debug()
            ))
        } else if id == NO_ANSWER || id == UNCLASSIFIED {
            Some(format!("`{id}` is built in; give the group another id"))
        } else if categories
            .iter()
            .any(|category| category.id.get_ref() == id)
        {
            Some(format!(
                "group id `{id}` is also a category id in this scheme; give the group another id"
            ))
        } else if !seen.insert(id.as_str()) {
            Some(format!("group id `{id}` appears twice in this scheme"))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(file_error(path, text, group.id.span().start, &problem));
        }
    }
    for category in categories {
        if let Some(parent) = &category.parent {
            if !seen.contains(parent.get_ref().as_str()) {
                let known: Vec<&str> = groups.iter().map(|g| g.id.get_ref().as_str()).collect();
                return Err(file_error(
                    path,
                    text,
                    parent.span().start,
                    &format!(
                        "parent `{}` names no group of this scheme ({})",
                        parent.get_ref().escape_debug(),
                        if known.is_empty() {
                            "it has none; add a [[group]] with `id` and `label`".to_string()
                        } else {
                            format!("its groups: {}", known.join(", "))
                        }
                    ),
                ));
            }
        }
    }
    for group in groups {
        let id = group.id.get_ref();
        if !categories.iter().any(|category| {
            category
                .parent
                .as_ref()
                .is_some_and(|parent| parent.get_ref() == id)
        }) {
            return Err(file_error(
                path,
                text,
                group.id.span().start,
                &format!(
                    "group `{id}` has no member: give `parent = \"{id}\"` to the categories it groups"
                ),
            ));
        }
    }
    Ok(())
}
