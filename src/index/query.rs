//! The search query language, parsed into words before anything is analyzed.
//!
//! - words separated by spaces (half- or full-width) must all match: `ランサムウェア 被害`;
//! - `A OR B` matches either; OR binds tighter than the spaces around it, so
//!   `メール OR 電話 相談` is (メール or 電話) and 相談;
//! - `-word` (or `－word`) excludes answers that match the word;
//! - `"…"` (also `＂…＂` and `“…”`) is a phrase: its words in that order, spaces included.
//!
//! What a word or phrase matches is decided later by the searcher (`crate::index::search`);
//! this module only finds the words, and says where the query is wrong: every [`QueryError`]
//! carries the 1-based character column it is about.

use std::fmt;

/// One word or phrase of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The text as typed (without quotes or the leading `-`).
    pub text: String,
    /// Written in quotes.
    pub phrase: bool,
    /// 1-based character column where the word (or its opening quote) starts.
    pub column: usize,
}

/// A parsed query: every group must match (a group matches when one of its terms does) and no
/// excluded term may.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Term>>,
    pub excluded: Vec<Term>,
}

impl ParsedQuery {
    /// Every term that must or may match (not the excluded ones): what snippets highlight.
    pub fn positive_terms(&self) -> impl Iterator<Item = &Term> {
        self.groups.iter().flatten()
    }

    /// Whether the query names no word at all (it then matches every answer the filters allow).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.excluded.is_empty()
    }
}

/// A query that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based character column of the problem.
    pub column: usize,
    pub message: String,
}

impl QueryError {
    /// The message, then the query with a caret under the column (aligned for wide characters).
    pub fn render(&self, query: &str) -> String {
        let before: String = query.chars().take(self.column.saturating_sub(1)).collect();
        let indent = crate::text::display_width(&before);
        format!(
            "query, column {}: {}\n  {}\n  {}^",
            self.column,
            self.message,
            query,
            " ".repeat(indent)
        )
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for QueryError {}

/// One lexical item of a query.
#[derive(Debug)]
enum Item {
    Term { term: Term, excluded: bool },
    Or { column: usize },
}

fn is_quote(ch: char) -> bool {
    matches!(ch, '"' | '＂' | '“' | '”')
}

fn is_minus(ch: char) -> bool {
    matches!(ch, '-' | '－')
}

fn is_or(word: &str) -> bool {
    word == "OR" || word == "ＯＲ"
}

/// Parses `query` (see the module documentation).
pub fn parse(query: &str) -> Result<ParsedQuery, QueryError> {
    let items = lex(query)?;
    let mut parsed = ParsedQuery::default();
    let mut index = 0;
    while index < items.len() {
        match &items[index] {
            Item::Or { column } => {
                return Err(QueryError {
                    column: *column,
                    message: "OR needs a word on each side (`メール OR 電話`)".into(),
                })
            }
            Item::Term {
                term,
                excluded: true,
            } => {
                if let Some(Item::Or { column }) = items.get(index + 1) {
                    return Err(QueryError {
                        column: *column,
                        message: "an excluded word (-word) cannot be a side of OR".into(),
                    });
                }
                parsed.excluded.push(term.clone());
                index += 1;
            }
            Item::Term {
                term,
                excluded: false,
            } => {
                let mut group = vec![term.clone()];
                index += 1;
                while let Some(Item::Or { column }) = items.get(index) {
                    match items.get(index + 1) {
                        Some(Item::Term {
                            term,
                            excluded: false,
                        }) => {
                            group.push(term.clone());
                            index += 2;
                        }
                        Some(Item::Term { excluded: true, .. }) => {
                            return Err(QueryError {
                                column: *column,
                                message: "an excluded word (-word) cannot be a side of OR".into(),
                            })
                        }
                        _ => {
                            return Err(QueryError {
                                column: *column,
                                message: "OR needs a word on each side (`メール OR 電話`)".into(),
                            })
                        }
                    }
                }
                parsed.groups.push(group);
            }
        }
    }
    Ok(parsed)
}

/// Splits the query into words, phrases and ORs.
fn lex(query: &str) -> Result<Vec<Item>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let mut items = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let ch = chars[at];
        if ch.is_whitespace() {
            at += 1;
            continue;
        }
        let start = at;
        let excluded = is_minus(ch);
        if excluded {
            at += 1;
            if at >= chars.len() || chars[at].is_whitespace() {
                return Err(QueryError {
                    column: start + 1,
                    message: "nothing to exclude after `-` (write -word, with no space)".into(),
                });
            }
        }
        if is_quote(chars[at]) {
            let open = at;
            let Some(length) = chars[open + 1..].iter().position(|&ch| is_quote(ch)) else {
                return Err(QueryError {
                    column: open + 1,
                    message: "this quote is never closed".into(),
                });
            };
            let text: String = chars[open + 1..open + 1 + length].iter().collect();
            if text.trim().is_empty() {
                return Err(QueryError {
                    column: open + 1,
                    message: "an empty phrase: write words between the quotes".into(),
                });
            }
            items.push(Item::Term {
                term: Term {
                    text: text.trim().to_string(),
                    phrase: true,
                    column: open + 1,
                },
                excluded,
            });
            at = open + length + 2;
            continue;
        }
        let word_start = at;
        while at < chars.len() && !chars[at].is_whitespace() && !is_quote(chars[at]) {
            at += 1;
        }
        let text: String = chars[word_start..at].iter().collect();
        if !excluded && is_or(&text) {
            items.push(Item::Or { column: start + 1 });
        } else {
            items.push(Item::Term {
                term: Term {
                    text,
                    phrase: false,
                    column: word_start + 1,
                },
                excluded,
            });
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(terms: &[Term]) -> Vec<&str> {
        terms.iter().map(|term| term.text.as_str()).collect()
    }

    #[test]
    fn words_or_phrases_and_exclusions() {
        let query = parse("メール OR 電話　相談 -迷惑 \"SECURITY ACTION\" e-ラーニング").unwrap();
        let groups: Vec<Vec<&str>> = query.groups.iter().map(|group| words(group)).collect();
        assert_eq!(
            groups,
            vec![
                vec!["メール", "電話"],
                vec!["相談"],
                vec!["SECURITY ACTION"],
                vec!["e-ラーニング"]
            ]
        );
        assert_eq!(words(&query.excluded), vec!["迷惑"]);
        assert!(query.groups[2][0].phrase);
        assert_eq!(query.groups[2][0].column, 18);
    }

    #[test]
    fn errors_carry_columns() {
        let error = parse("情報 \"漏洩 対策").unwrap_err();
        assert_eq!(error.column, 4);
        assert!(error.render("情報 \"漏洩 対策").ends_with("\n       ^"));
        assert_eq!(parse("OR メール").unwrap_err().column, 1);
        assert_eq!(parse("メール OR").unwrap_err().column, 5);
        assert_eq!(parse("メール OR -電話").unwrap_err().column, 5);
        assert_eq!(parse("a -").unwrap_err().column, 3);
        assert_eq!(parse("\"\"").unwrap_err().column, 1);
        assert!(parse("  ").unwrap().is_empty());
    }
}
