//! Errors in rule expressions: where (line and column, in characters) and what was expected.
//!
//! [`ParseError`] is a mistake inside one expression; [`CompileError`] is a parse error or a
//! program-level problem (an unknown `@category`, a cycle of references) tagged with the id of
//! the rule it is in. Both render like a compiler message: `file:line:col: message`, the source
//! line, and a caret under the spot, aligned for East Asian wide characters.

use std::fmt;

/// A mistake in an expression's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line in the expression source.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, and how to fix it.
    pub message: String,
    /// What would have been valid at this spot (e.g. "`)`", "an operator"); may be empty.
    pub expected: Vec<String>,
}

impl ParseError {
    /// An error at byte `offset` of `source`.
    pub(crate) fn at(
        source: &str,
        offset: usize,
        message: impl Into<String>,
        expected: &[&str],
    ) -> ParseError {
        let (line, column) = line_column(source, offset);
        ParseError {
            line,
            column,
            message: message.into(),
            expected: expected.iter().map(|item| item.to_string()).collect(),
        }
    }

    /// `file:line:col: message`, then the source line and a caret under the error.
    ///
    /// `source` is the expression the error was found in; `line_offset` is the number of lines
    /// in `file` before the expression's first line (0 when the file holds just the expression).
    pub fn render(&self, file: &str, source: &str, line_offset: usize) -> String {
        self.render_at(file, source, line_offset + 1, 1)
    }

    /// Like [`ParseError::render`], for an expression whose first character sits at `line` and
    /// `column` (1-based) of `file`: errors on the expression's first line are shifted right.
    pub fn render_at(&self, file: &str, source: &str, line: usize, column: usize) -> String {
        let file_line = line + self.line.saturating_sub(1);
        let file_column = if self.line <= 1 {
            column + self.column.saturating_sub(1)
        } else {
            self.column
        };
        let source_line = source
            .split('\n')
            .nth(self.line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r');
        let mut caret = String::new();
        let mut chars = source_line.chars();
        for _ in 1..self.column {
            match chars.next() {
                Some('\t') => caret.push('\t'),
                Some(ch) => caret.push_str(&" ".repeat(display_width(ch))),
                None => caret.push(' '),
            }
        }
        caret.push('^');
        format!(
            "{file}:{file_line}:{file_column}: {}\n    {source_line}\n    {caret}",
            self.message
        )
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

/// An expression that cannot be compiled, and the rule it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The id of the rule whose expression has the problem.
    pub rule: String,
    /// Where in that rule's expression, and what is wrong.
    pub error: ParseError,
}

impl CompileError {
    /// The id of the rule whose expression has the problem.
    pub fn rule_id(&self) -> &str {
        &self.rule
    }

    /// Renders the error like [`ParseError::render_at`]: `source` is the rule's expression and
    /// `line`/`column` (1-based) where its first character sits in `file`.
    pub fn render(&self, file: &str, source: &str, line: usize, column: usize) -> String {
        self.error.render_at(file, source, line, column)
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rule `{}`, {}", self.rule, self.error)
    }
}

impl std::error::Error for CompileError {}

/// 1-based line and character column of byte `offset` in `source`.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Terminal columns a character takes: 2 for East Asian wide and full-width characters, 0 for
/// combining marks and zero-width characters, 1 otherwise.
pub fn display_width(ch: char) -> usize {
    unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0)
}
