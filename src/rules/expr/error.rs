//! Errors in rule expressions: where (line and column, in characters) and what was expected.
//!
//! [`ParseError`] is a mistake inside one expression; [`CompileError`] is a parse error or a
//! program-level problem (an unknown `@category`, a cycle of references) tagged with the id of
//! the rule it is in. Both render like a compiler message: `file:line:col: message`, the source
//! line, and a caret under the spot, aligned for East Asian wide characters.

use std::fmt;
use std::ops::Range;

use crate::text::char_width;

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
    /// Byte offset of the spot in the expression source.
    pub offset: usize,
    /// Other spots the message names ("the `(` at line 2, column 35"): the byte range of
    /// `message` that names the position, and the byte offset in the source it names. A
    /// rendering in a file names the file's line and column there instead.
    pub related: Vec<(Range<usize>, usize)>,
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
            offset,
            related: Vec::new(),
        }
    }

    /// Appends `line L, column C` of byte `spot` of `source` to the message, recorded in
    /// [`ParseError::related`] so that a rendering in a file names the file's position.
    pub(crate) fn naming_position(mut self, source: &str, spot: usize) -> ParseError {
        let (line, column) = line_column(source, spot);
        let start = self.message.len();
        self.message
            .push_str(&format!("line {line}, column {column}"));
        self.related.push((start..self.message.len(), spot));
        self
    }

    /// The message with each related position as `position` gives it, `(line, column)` from a
    /// byte offset of the source.
    fn message_with(&self, position: impl Fn(usize) -> (usize, usize)) -> String {
        let mut related = self.related.clone();
        related.sort_by_key(|(range, _)| range.start);
        let mut message = String::new();
        let mut copied = 0;
        for (range, spot) in related {
            let Some(before) = self.message.get(copied..range.start) else {
                continue;
            };
            message.push_str(before);
            let (line, column) = position(spot);
            message.push_str(&format!("line {line}, column {column}"));
            copied = range.end;
        }
        message.push_str(self.message.get(copied..).unwrap_or(""));
        message
    }

    /// `file:line:col: message`, then the source line and a caret under the error.
    ///
    /// `source` is the expression the error was found in; `line_offset` is the number of lines
    /// in `file` before the expression's first line (0 when the file holds just the expression).
    pub fn render(&self, file: &str, source: &str, line_offset: usize) -> String {
        self.render_at(file, source, line_offset + 1, 1)
    }

    /// Like [`ParseError::render`], for an expression whose first character sits at `line` and
    /// `column` (1-based) of `file`: positions on the expression's first line are shifted
    /// right. Suits an expression copied verbatim from the file; for one decoded from a quoted
    /// string (escapes, a line-ending backslash) use [`ParseError::render_in`].
    pub fn render_at(&self, file: &str, source: &str, line: usize, column: usize) -> String {
        let shift = |(expr_line, expr_column): (usize, usize)| {
            if expr_line <= 1 {
                (line, column + expr_column.saturating_sub(1))
            } else {
                (line + expr_line - 1, expr_column)
            }
        };
        let position = |offset: usize| shift(line_column(source, offset));
        let source_line = source
            .split('\n')
            .nth(self.line.saturating_sub(1))
            .unwrap_or("");
        let at = shift((self.line, self.column));
        self.render_lines(file, at, source_line, self.column, position)
    }

    /// Renders the error of an expression read from `placement`'s file: every position — the
    /// spot and the ones the message names — is the file's line and column, and the line shown
    /// is the file's.
    pub fn render_in(&self, file: &str, placement: &Placement) -> String {
        let position = |offset: usize| line_column(placement.text, placement.file_offset(offset));
        let at = position(self.offset);
        let file_line = placement.text.split('\n').nth(at.0 - 1).unwrap_or("");
        self.render_lines(file, at, file_line, at.1, position)
    }

    /// `file:line:col: message`, then `shown` (one line) with a caret under its character
    /// `caret_column`.
    fn render_lines(
        &self,
        file: &str,
        (line, column): (usize, usize),
        shown: &str,
        caret_column: usize,
        position: impl Fn(usize) -> (usize, usize),
    ) -> String {
        let shown = shown.trim_end_matches('\r');
        let mut caret = String::new();
        let mut chars = shown.chars();
        for _ in 1..caret_column {
            match chars.next() {
                Some('\t') => caret.push('\t'),
                Some(ch) => caret.push_str(&" ".repeat(char_width(ch))),
                None => caret.push(' '),
            }
        }
        caret.push('^');
        format!(
            "{file}:{line}:{column}: {}\n    {shown}\n    {caret}",
            self.message_with(position)
        )
    }
}

/// Where the characters of an expression sit in the file it was read from: the file's text
/// and, for every byte offset of the expression (and its end), the byte offset in the file.
/// An expression decoded from a quoted string (escapes, a line-ending backslash, the newline
/// dropped after `'''`) is not a plain slice of its file; this maps it back.
#[derive(Debug, Clone)]
pub struct Placement<'a> {
    /// The whole file.
    pub text: &'a str,
    /// `offsets[i]`: where byte `i` of the expression came from; one more entry for its end.
    pub offsets: Vec<usize>,
}

impl Placement<'_> {
    /// The file offset of byte `offset` of the expression (its end beyond the last byte).
    pub fn file_offset(&self, offset: usize) -> usize {
        let at = self
            .offsets
            .get(offset)
            .or(self.offsets.last())
            .copied()
            .unwrap_or(0);
        at.min(self.text.len())
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

    /// Renders the error like [`ParseError::render_in`], with file positions throughout.
    pub fn render_in(&self, file: &str, placement: &Placement) -> String {
        self.error.render_in(file, placement)
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
