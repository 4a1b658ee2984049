//! The parser: recursive descent over the lexer's tokens.
//!
//! ```text
//! or      := and ( ("|" | "or") and )*
//! and     := unary ( ("&" | "and") unary )*
//! unary   := ("!" | "not") unary | primary
//! primary := word | "literal" | /regex/ | @id | "(" or ")" | call
//! call    := ("near" | "seq") "(" or "," or [ "," number ] ")"
//!          | ("neg" | "pos") "(" or ")"
//!          | "syn" "(" word ")"
//! ```
//!
//! The arguments of every call must have positions in the text ([`Expr::has_positions`]); an
//! argument that has none is an error at that argument.
//!
//! Every error names the spot (the token that cannot be there, or the operator left without an
//! operand) and what would have been valid there. Regexes are compiled here once to check them,
//! so a bad regex is a parse error with a column inside the pattern.

use regex::{Regex, RegexBuilder};

use super::ast::{Expr, ExprKind, Function, Span, DEFAULT_DISTANCE};
use super::error::ParseError;
use super::lexer::{lex, Token, TokenKind};
use crate::normalize::normalize;

/// How deeply `!`, `(` and calls may nest: deep enough for any rule a person writes, shallow
/// enough that parsing and evaluating never exhaust the stack.
const MAX_DEPTH: usize = 100;

/// What may start an operand, for error messages.
const OPERAND: &[&str] = &[
    "a word",
    "a \"literal\"",
    "a /regex/",
    "an @category",
    "`!`",
    "`(`",
    "near(",
    "seq(",
    "neg(",
    "pos(",
    "syn(",
];

/// Parses one expression.
pub fn parse(source: &str) -> Result<Expr, ParseError> {
    let tokens = lex(source)?;
    if tokens.is_empty() {
        return Err(ParseError::at(
            source,
            0,
            "empty expression: write a word, a \"literal\", a /regex/ or an @category",
            OPERAND,
        ));
    }
    let mut parser = Parser {
        source,
        tokens,
        index: 0,
        depth: 0,
    };
    let expr = parser.parse_or(None)?;
    parser.expect_after_operand(Context::Top)?;
    Ok(expr)
}

/// Compiles a regex of the language: case-insensitive, since answer text is normalized to
/// upper-case Latin letters and a rule writer may type either case.
pub(crate) fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern).case_insensitive(true).build()
}

/// Where an operand just ended, which decides what may follow it.
#[derive(Clone, Copy)]
enum Context {
    Top,
    Paren {
        open: Span,
    },
    FirstArgument {
        function: Function,
    },
    SecondArgument {
        function: Function,
        open: Span,
    },
    /// The one argument of `neg(` or `pos(`.
    OnlyArgument {
        polarity: Polarity,
        open: Span,
    },
}

/// What a call's name names.
#[derive(Clone, Copy)]
enum Callee {
    Proximity(Function),
    Polarity(Polarity),
    Synonyms,
}

/// `neg(…)` or `pos(…)`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Negated,
    Affirmed,
}

impl Polarity {
    fn name(self) -> &'static str {
        match self {
            Polarity::Negated => "neg",
            Polarity::Affirmed => "pos",
        }
    }
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Token>,
    index: usize,
    /// How many `!`, `(` and calls enclose the current token.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.index)
    }

    fn peek_kind(&self) -> Option<&TokenKind> {
        self.peek().map(|token| &token.kind)
    }

    fn advance(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.index).cloned();
        self.index += 1;
        token
    }

    /// Where the expression ends: just after its last token.
    fn end_offset(&self) -> usize {
        self.tokens.last().map_or(0, |token| token.span.end)
    }

    fn error(&self, offset: usize, message: impl Into<String>, expected: &[&str]) -> ParseError {
        ParseError::at(self.source, offset, message, expected)
    }

    /// A token as the rule writer typed it, in backquotes (shortened when long).
    fn describe(&self, token: &Token) -> String {
        let text = token.span.text(self.source);
        if text.chars().count() > 24 {
            format!("`{}…`", text.chars().take(23).collect::<String>())
        } else {
            format!("`{text}`")
        }
    }

    fn parse_or(&mut self, after: Option<&Token>) -> Result<Expr, ParseError> {
        let first = self.parse_and(after)?;
        let mut items = vec![first];
        while let Some(TokenKind::Or) = self.peek_kind() {
            let op = self.advance();
            items.push(self.parse_and(op.as_ref())?);
        }
        Ok(combine(items, ExprKind::Or))
    }

    fn parse_and(&mut self, after: Option<&Token>) -> Result<Expr, ParseError> {
        let first = self.parse_unary(after)?;
        let mut items = vec![first];
        while let Some(TokenKind::And) = self.peek_kind() {
            let op = self.advance();
            items.push(self.parse_unary(op.as_ref())?);
        }
        Ok(combine(items, ExprKind::And))
    }

    fn parse_unary(&mut self, after: Option<&Token>) -> Result<Expr, ParseError> {
        if self.depth >= MAX_DEPTH {
            let at = self
                .peek()
                .map_or(self.end_offset(), |token| token.span.start);
            return Err(self.error(
                at,
                format!(
                    "the expression nests deeper than {MAX_DEPTH} levels of `!`, `(` and \
                     function calls; split it into rules joined with @references"
                ),
                &[],
            ));
        }
        self.depth += 1;
        let parsed = self.parse_unary_at_depth(after);
        self.depth -= 1;
        parsed
    }

    fn parse_unary_at_depth(&mut self, after: Option<&Token>) -> Result<Expr, ParseError> {
        if let Some(TokenKind::Not) = self.peek_kind() {
            let op = self.advance();
            let inner = self.parse_unary(op.as_ref())?;
            let start = op.map_or(inner.span.start, |op| op.span.start);
            let span = Span::new(start, inner.span.end);
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.parse_primary(after)
    }

    fn parse_primary(&mut self, after: Option<&Token>) -> Result<Expr, ParseError> {
        let Some(token) = self.peek().cloned() else {
            return Err(match after {
                Some(op) => self.error(
                    op.span.start,
                    format!(
                        "expected an expression after {}, but the expression ends there",
                        self.describe(op)
                    ),
                    OPERAND,
                ),
                None => self.error(self.end_offset(), "expected an expression", OPERAND),
            });
        };
        let span = token.span;
        let kind = match token.kind {
            TokenKind::Word { ref text, ref pos } => {
                let next = self.tokens.get(self.index + 1);
                let is_call = next.is_some_and(|next| {
                    next.kind == TokenKind::LParen
                        && (next.span.start == span.end || callee(text).is_some())
                });
                if is_call && pos.is_empty() {
                    return self.parse_call(&token);
                }
                if is_call {
                    return Err(self.unknown_function(&token));
                }
                self.advance();
                ExprKind::Word {
                    text: text.clone(),
                    pos: pos.clone(),
                }
            }
            TokenKind::Literal(text) => {
                self.advance();
                ExprKind::Literal(text)
            }
            TokenKind::Regex { pattern, offsets } => {
                check_regex(self.source, &pattern, &offsets, span)?;
                self.advance();
                ExprKind::Regex(pattern)
            }
            TokenKind::Ref(id) => {
                self.advance();
                ExprKind::Ref(id)
            }
            TokenKind::LParen => {
                let open = self.advance();
                let inner = self.parse_or(open.as_ref())?;
                self.expect_after_operand(Context::Paren { open: span })?;
                let close = self.advance().map_or(inner.span, |close| close.span);
                return Ok(Expr {
                    kind: inner.kind,
                    span: span.to(close),
                });
            }
            TokenKind::RParen => {
                return Err(match after {
                    Some(op) if op.kind == TokenKind::LParen => self.error(
                        span.start,
                        "empty parentheses: expected an expression between `(` and `)`",
                        OPERAND,
                    ),
                    Some(op) => self.error(
                        span.start,
                        format!(
                            "expected an expression after {}, found `)`",
                            self.describe(op)
                        ),
                        OPERAND,
                    ),
                    None => self.error(
                        span.start,
                        "stray `)`: there is no `(` before it to close",
                        OPERAND,
                    ),
                })
            }
            TokenKind::And | TokenKind::Or | TokenKind::Comma | TokenKind::Not => {
                let found = self.describe(&token);
                return Err(match after {
                    Some(op) => self.error(
                        span.start,
                        format!(
                            "expected an expression after {}, found {found}",
                            self.describe(op)
                        ),
                        OPERAND,
                    ),
                    None => self.error(
                        span.start,
                        format!("expected an expression before {found}"),
                        OPERAND,
                    ),
                });
            }
        };
        Ok(Expr { kind, span })
    }

    fn unknown_function(&self, name: &Token) -> ParseError {
        self.error(
            name.span.start,
            format!(
                "unknown function {}: the functions are near(a, b, distance), \
                 seq(a, b, distance), neg(a), pos(a) and syn(word)",
                self.describe(name)
            ),
            &["near", "seq", "neg", "pos", "syn"],
        )
    }

    /// A call; the current token is the name.
    fn parse_call(&mut self, name: &Token) -> Result<Expr, ParseError> {
        let callee = match &name.kind {
            TokenKind::Word { text, .. } => callee(text),
            _ => None,
        };
        match callee {
            Some(Callee::Proximity(function)) => self.parse_proximity(name, function),
            Some(Callee::Polarity(polarity)) => self.parse_polarity(name, polarity),
            Some(Callee::Synonyms) => self.parse_synonyms(name),
            None => Err(self.unknown_function(name)),
        }
    }

    /// `syn(word)`; the current token is the name. The argument is one bare word.
    fn parse_synonyms(&mut self, name: &Token) -> Result<Expr, ParseError> {
        self.advance();
        let open = self.advance();
        let open_span = open.as_ref().map_or(name.span, |open| open.span);
        let word = match self.peek().cloned() {
            Some(Token {
                kind: TokenKind::Word { text, pos },
                span,
            }) if pos.is_empty() => {
                self.advance();
                (text, span)
            }
            Some(token) => {
                return Err(self.error(
                    token.span.start,
                    format!(
                        "syn() takes one word written bare, like syn(費用), not {}",
                        self.describe(&token)
                    ),
                    &["a word"],
                ))
            }
            None => {
                return Err(self.error(
                    open_span.end,
                    "syn() needs a word, like syn(費用)",
                    &["a word"],
                ))
            }
        };
        match self.peek().cloned() {
            Some(Token {
                kind: TokenKind::RParen,
                span,
            }) => {
                self.advance();
                Ok(Expr {
                    kind: ExprKind::Syn(word.0),
                    span: name.span.to(span),
                })
            }
            Some(token) => Err(self.error(
                token.span.start,
                format!(
                    "expected `)` after the word of syn(): it takes one word, like syn(費用); \
                     found {}",
                    self.describe(&token)
                ),
                &["`)`"],
            )),
            None => Err(self.error(
                word.1.end,
                "expected `)` after the word of syn(), but the expression ends there",
                &["`)`"],
            )),
        }
    }

    /// `neg(a)` or `pos(a)`; the current token is the name.
    fn parse_polarity(&mut self, name: &Token, polarity: Polarity) -> Result<Expr, ParseError> {
        let call = polarity.name();
        self.advance();
        let open = self.advance();
        let open_span = open.as_ref().map_or(name.span, |open| open.span);
        if let Some(TokenKind::RParen) = self.peek_kind() {
            let at = self.peek().map_or(open_span.end, |token| token.span.start);
            return Err(self.error(
                at,
                format!("{call}() needs an expression, like {call}(失敗)"),
                OPERAND,
            ));
        }
        let inner = self.parse_or(open.as_ref())?;
        self.expect_after_operand(Context::OnlyArgument {
            polarity,
            open: open_span,
        })?;
        let close = self.advance().map_or(inner.span, |close| close.span);
        if let Some(bad) = without_positions(&inner) {
            let keeps = match polarity {
                Polarity::Negated => "is negated",
                Polarity::Affirmed => "is not negated",
            };
            return Err(self.error(
                bad.span.start,
                format!(
                    "{call}() keeps the positions in the answer where its argument {keeps}, \
                     and `{}` has none: its argument is a word, a \"literal\", a /regex/, `|` \
                     of them, or near()/seq()/neg()/pos()",
                    bad.text(self.source)
                ),
                &["a word", "a \"literal\"", "a /regex/", "`|`"],
            ));
        }
        let inner = Box::new(inner);
        Ok(Expr {
            kind: match polarity {
                Polarity::Negated => ExprKind::Neg(inner),
                Polarity::Affirmed => ExprKind::Pos(inner),
            },
            span: name.span.to(close),
        })
    }

    /// `near(a, b[, n])` or `seq(a, b[, n])`; the current token is the name.
    fn parse_proximity(&mut self, name: &Token, function: Function) -> Result<Expr, ParseError> {
        let call = function.name();
        self.advance();
        let open = self.advance();
        let open_span = open.as_ref().map_or(name.span, |open| open.span);
        if let Some(TokenKind::RParen) = self.peek_kind() {
            let at = self.peek().map_or(open_span.end, |token| token.span.start);
            return Err(self.error(
                at,
                format!("{call}() needs two expressions, like {call}(研修, 受ける)"),
                OPERAND,
            ));
        }
        let left = self.parse_or(open.as_ref())?;
        self.expect_after_operand(Context::FirstArgument { function })?;
        let comma = self.advance();
        let right = self.parse_or(comma.as_ref())?;
        self.expect_after_operand(Context::SecondArgument {
            function,
            open: open_span,
        })?;
        let mut distance = DEFAULT_DISTANCE;
        if let Some(TokenKind::Comma) = self.peek_kind() {
            let comma = self.advance();
            distance = self.parse_distance(function, comma.as_ref())?;
            if !matches!(self.peek_kind(), Some(TokenKind::RParen)) {
                let at = self
                    .peek()
                    .map_or(self.end_offset(), |token| token.span.start);
                return Err(self.error(
                    at,
                    format!(
                        "expected `)` after the distance of {call}(): it takes two expressions \
                         and a distance, like {call}(研修, 受ける, 5)"
                    ),
                    &["`)`"],
                ));
            }
        }
        let close = self.advance().map_or(right.span, |close| close.span);
        for argument in [&left, &right] {
            if let Some(bad) = without_positions(argument) {
                return Err(self.error(
                    bad.span.start,
                    format!(
                        "{call}() compares positions in the answer, and `{}` has none: its \
                         arguments are words, \"literals\", /regexes/, `|` of them, or \
                         near()/seq()/neg()/pos()",
                        bad.text(self.source)
                    ),
                    &["a word", "a \"literal\"", "a /regex/", "`|`"],
                ));
            }
        }
        Ok(Expr {
            kind: ExprKind::Call {
                function,
                left: Box::new(left),
                right: Box::new(right),
                distance,
            },
            span: name.span.to(close),
        })
    }

    fn parse_distance(
        &mut self,
        function: Function,
        comma: Option<&Token>,
    ) -> Result<usize, ParseError> {
        let call = function.name();
        let usage = format!("a whole number of tokens, like {call}(研修, 受ける, 5)");
        let Some(token) = self.peek().cloned() else {
            let at = comma.map_or(self.end_offset(), |comma| comma.span.start);
            return Err(self.error(
                at,
                format!("expected the distance of {call}() after `,`: {usage}"),
                &["a number"],
            ));
        };
        if let TokenKind::Word { text, pos } = &token.kind {
            let digits: Option<String> = text
                .chars()
                .map(|ch| match ch {
                    '0'..='9' => Some(ch),
                    '０'..='９' => char::from_u32(ch as u32 - '０' as u32 + '0' as u32),
                    _ => None,
                })
                .collect();
            if let (Some(digits), true) = (digits, pos.is_empty()) {
                self.advance();
                return digits.parse::<usize>().map_err(|_| {
                    self.error(
                        token.span.start,
                        format!("the distance of {call}() is too large: {usage}"),
                        &["a number"],
                    )
                });
            }
        }
        Err(self.error(
            token.span.start,
            format!(
                "the distance of {call}() must be {usage}; found {}",
                self.describe(&token)
            ),
            &["a number"],
        ))
    }

    /// Checks that the token after an operand may follow it in `context`.
    fn expect_after_operand(&self, context: Context) -> Result<(), ParseError> {
        let next = self.peek();
        let ok = matches!(
            (context, next.map(|token| &token.kind)),
            (Context::Top, None)
                | (Context::Paren { .. }, Some(TokenKind::RParen))
                | (Context::FirstArgument { .. }, Some(TokenKind::Comma))
                | (
                    Context::SecondArgument { .. },
                    Some(TokenKind::Comma | TokenKind::RParen)
                )
                | (Context::OnlyArgument { .. }, Some(TokenKind::RParen))
        );
        if ok {
            return Ok(());
        }
        let expected: &[&str] = match context {
            Context::Top => &["`&`", "`|`"],
            Context::Paren { .. } => &["`&`", "`|`", "`)`"],
            Context::FirstArgument { .. } => &["`&`", "`|`", "`,`"],
            Context::SecondArgument { .. } => &["`&`", "`|`", "`,`", "`)`"],
            Context::OnlyArgument { .. } => &["`&`", "`|`", "`)`"],
        };
        let Some(token) = next else {
            let at = self.end_offset();
            return Err(match context {
                Context::Top => self.error(at, "expected the end of the expression", expected),
                Context::Paren { open } => self
                    .error(
                        at,
                        "missing `)`: expected `)` to close the `(` at ",
                        expected,
                    )
                    .naming_position(self.source, open.start),
                Context::FirstArgument { function, .. } => {
                    let call = function.name();
                    self.error(
                        at,
                        format!(
                            "expected `,` and a second expression: {call}() takes two, like \
                             {call}(研修, 受ける)"
                        ),
                        expected,
                    )
                }
                Context::SecondArgument { function, open } => self
                    .error(
                        at,
                        format!(
                            "missing `)`: expected `)` to close `{}(` at ",
                            function.name()
                        ),
                        expected,
                    )
                    .naming_position(self.source, open.start),
                Context::OnlyArgument { polarity, open } => self
                    .error(
                        at,
                        format!(
                            "missing `)`: expected `)` to close `{}(` at ",
                            polarity.name()
                        ),
                        expected,
                    )
                    .naming_position(self.source, open.start),
            });
        };
        let found = self.describe(token);
        let message = match (&token.kind, context) {
            (TokenKind::RParen, Context::Top) => {
                "stray `)`: there is no `(` before it to close".to_string()
            }
            (TokenKind::RParen, Context::FirstArgument { function, .. }) => {
                let call = function.name();
                format!(
                    "expected `,` and a second expression: {call}() takes two, like \
                     {call}(研修, 受ける)"
                )
            }
            (TokenKind::Comma, Context::OnlyArgument { polarity, .. }) => {
                let call = polarity.name();
                format!(
                    "{call}() takes one expression, like {call}(失敗); for either of two, \
                     write {call}(a | b)"
                )
            }
            (TokenKind::Comma, _) => format!(
                "unexpected {found}: commas only separate the arguments of near() and seq()"
            ),
            _ => {
                let closer = match context {
                    Context::Top => "",
                    Context::Paren { .. } => " or `)`",
                    Context::FirstArgument { .. } => " or `,`",
                    Context::SecondArgument { .. } => ", `,` or `)`",
                    Context::OnlyArgument { .. } => " or `)`",
                };
                format!(
                    "expected an operator (`&` or `|`){closer} before {found}: write `a & b` \
                     when both must match, `a | b` when either may"
                )
            }
        };
        Err(self.error(token.span.start, message, expected))
    }
}

/// The function a word names, if any.
fn callee(name: &str) -> Option<Callee> {
    match name.to_ascii_lowercase().as_str() {
        "near" => Some(Callee::Proximity(Function::Near)),
        "seq" => Some(Callee::Proximity(Function::Seq)),
        "neg" => Some(Callee::Polarity(Polarity::Negated)),
        "pos" => Some(Callee::Polarity(Polarity::Affirmed)),
        "syn" => Some(Callee::Synonyms),
        _ => None,
    }
}

/// One operand as it is, several as one `&` or `|` node.
fn combine(mut items: Vec<Expr>, kind: fn(Vec<Expr>) -> ExprKind) -> Expr {
    if items.len() == 1 {
        if let Some(only) = items.pop() {
            return only;
        }
    }
    let start = items.first().map_or(0, |first| first.span.start);
    let end = items.last().map_or(0, |last| last.span.end);
    Expr {
        kind: kind(items),
        span: Span::new(start, end),
    }
}

/// The first part of a call's argument that has no position in the text.
fn without_positions(expr: &Expr) -> Option<&Expr> {
    match &expr.kind {
        ExprKind::Or(items) => items.iter().find_map(without_positions),
        _ if expr.has_positions() => None,
        _ => Some(expr),
    }
}

/// Checks a regex: not empty, written for normalized text, valid, and not matching empty text.
fn check_regex(
    source: &str,
    pattern: &str,
    offsets: &[usize],
    span: Span,
) -> Result<(), ParseError> {
    if pattern.is_empty() {
        return Err(ParseError::at(
            source,
            span.start,
            "empty regex: write a pattern between the slashes, like /DX\\s*認定/",
            &["a regex"],
        ));
    }
    let mut escaped = false;
    for (index, ch) in pattern.chars().enumerate() {
        if escaped || ch.is_ascii() {
            escaped = !escaped && ch == '\\';
            continue;
        }
        let as_text = ch.to_string();
        let normalized = normalize(&as_text).text;
        if normalized != as_text && normalized != as_text.to_uppercase() {
            let write = if normalized.is_empty() {
                "`\\s` or a space".to_string()
            } else {
                format!("`{normalized}`")
            };
            return Err(ParseError::at(
                source,
                offsets.get(index).copied().unwrap_or(span.start),
                format!(
                    "a regex runs on normalized text, where `{ch}` never occurs: write {write}"
                ),
                &["normalized text"],
            ));
        }
    }
    let regex = build_regex(pattern).map_err(|err| regex_error(source, &err, offsets, span))?;
    if regex.is_match("") {
        return Err(ParseError::at(
            source,
            span.start,
            "this regex matches empty text, so it would match every answer: make part of it \
             required (`+` instead of `*`, no `?` on the whole)",
            &["a regex that needs at least one character"],
        ));
    }
    Ok(())
}

/// A regex crate error as a parse error, at the pattern character it points to.
fn regex_error(source: &str, err: &regex::Error, offsets: &[usize], span: Span) -> ParseError {
    let text = err.to_string();
    let mut offset = span.start;
    let mut message = text.lines().last().unwrap_or("").to_string();
    if let regex::Error::Syntax(_) = err {
        // "regex parse error:\n    PATTERN\n    ^^^\nerror: MESSAGE", the caret under the
        // (character) column of the problem.
        let lines: Vec<&str> = text.lines().collect();
        if let Some(carets) = lines
            .get(2)
            .filter(|line| line.contains('^') && line.chars().all(|ch| ch == ' ' || ch == '^'))
        {
            let column = carets.chars().take_while(|&ch| ch == ' ').count();
            if let Some(&at) = column.checked_sub(4).and_then(|index| offsets.get(index)) {
                offset = at;
            }
        }
        if let Some(last) = message.strip_prefix("error: ") {
            message = last.to_string();
        }
    }
    ParseError::at(
        source,
        offset,
        format!("bad regex: {message}"),
        &["a valid regex"],
    )
}
