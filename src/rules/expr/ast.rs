//! The syntax tree of a rule expression, as the parser builds it.
//!
//! Every node keeps the byte range of the source it was parsed from, so errors found after
//! parsing (an unknown `@category`, a word with no tokens) and `jiyu explain` can point back at
//! the text the rule writer typed. [`Expr`]'s `Display` prints the tree as an S-expression
//! (`(| a (& b (! c)))`, `(neg 失敗)`), which is how the tests check precedence.

use std::fmt;

/// Default distance of `near` and `seq`, in tokens.
pub const DEFAULT_DISTANCE: usize = 10;

/// A byte range of the expression source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The source text of this span (empty when the span does not fit `source`).
    pub fn text(self, source: &str) -> &str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// The proximity functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `near(a, b, n)`: a and b within n tokens of each other, in either order.
    Near,
    /// `seq(a, b, n)`: b after a, within n tokens.
    Seq,
}

impl Function {
    pub fn name(self) -> &'static str {
        match self {
            Function::Near => "near",
            Function::Seq => "seq",
        }
    }
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    pub kind: ExprKind,
    /// What the node was parsed from; a parenthesized node includes its parentheses.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    /// A word matched against tokens' base forms, with an optional part-of-speech condition:
    /// `教育:名詞,サ変接続` has `pos == ["名詞", "サ変接続"]`; no condition is an empty `pos`.
    Word {
        text: String,
        pos: Vec<String>,
    },
    /// `"…"`: a substring of the normalized text (escapes resolved, not yet normalized).
    Literal(String),
    /// `/…/`: a regular expression on the normalized text (`\/` resolved to `/`).
    Regex(String),
    /// `@id`: the result of another rule of the program.
    Ref(String),
    Not(Box<Expr>),
    /// Two or more operands of one `&` chain.
    And(Vec<Expr>),
    /// Two or more operands of one `|` chain.
    Or(Vec<Expr>),
    /// `near(left, right, distance)` or `seq(left, right, distance)`.
    Call {
        function: Function,
        left: Box<Expr>,
        right: Box<Expr>,
        distance: usize,
    },
    /// `neg(inner)`: the positions of `inner` that are negated in the answer (失敗しない).
    Neg(Box<Expr>),
    /// `syn(word)`: the word or any of its synonyms in the thesaurus ([`crate::thesaurus`]).
    Syn(String),
    /// `pos(inner)`: the positions of `inner` that are not negated (失敗した).
    Pos(Box<Expr>),
}

impl Expr {
    /// The source text of this node.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        self.span.text(source)
    }

    /// Whether the node has positions in the text (so it can be an argument of `near`/`seq`/
    /// `neg`/`pos`): words, literals, regexes, `syn(word)`, `|` of such, and
    /// `near`/`seq`/`neg`/`pos` themselves.
    pub fn has_positions(&self) -> bool {
        match &self.kind {
            ExprKind::Word { .. }
            | ExprKind::Literal(_)
            | ExprKind::Regex(_)
            | ExprKind::Call { .. }
            | ExprKind::Neg(_)
            | ExprKind::Pos(_)
            | ExprKind::Syn(_) => true,
            ExprKind::Or(items) => items.iter().all(Expr::has_positions),
            ExprKind::Ref(_) | ExprKind::Not(_) | ExprKind::And(_) => false,
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Word { text, pos } if pos.is_empty() => write!(f, "{text}"),
            ExprKind::Word { text, pos } => write!(f, "{text}:{}", pos.join(",")),
            ExprKind::Literal(text) => write!(f, "{text:?}"),
            ExprKind::Regex(pattern) => write!(f, "/{}/", pattern.replace('/', "\\/")),
            ExprKind::Ref(id) => write!(f, "@{id}"),
            ExprKind::Not(inner) => write!(f, "(! {inner})"),
            ExprKind::Neg(inner) => write!(f, "(neg {inner})"),
            ExprKind::Syn(word) => write!(f, "(syn {word})"),
            ExprKind::Pos(inner) => write!(f, "(pos {inner})"),
            ExprKind::And(items) | ExprKind::Or(items) => {
                let op = if matches!(self.kind, ExprKind::And(_)) {
                    "&"
                } else {
                    "|"
                };
                write!(f, "({op}")?;
                for item in items {
                    write!(f, " {item}")?;
                }
                write!(f, ")")
            }
            ExprKind::Call {
                function,
                left,
                right,
                distance,
            } => write!(f, "({} {left} {right} {distance})", function.name()),
        }
    }
}
