//! The lexer: splits an expression's source into tokens (words, literals, regexes, references,
//! operators) and drops white space and `#` comments.
//!
//! Operators may be typed full-width, as a Japanese input method often does: `＆ ｜ ！ （ ） ，
//! ： ＃ ＠` and the quotes `＂ “ ”` mean the same as their ASCII forms. A part-of-speech
//! condition (`教育:名詞,サ変接続`) continues over a comma only when an IPADIC part-of-speech
//! level follows it, so `near(教育:名詞,研修)` still has two arguments.

use super::ast::Span;
use super::error::ParseError;

/// What the parser sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// A bare word, with its part-of-speech condition (empty when there is none).
    Word {
        text: String,
        pos: Vec<String>,
    },
    /// `"…"`, escapes resolved.
    Literal(String),
    /// `/…/`, `\/` resolved; `offsets[i]` is the source byte offset of the pattern's i-th
    /// character, so a regex syntax error can point into the source.
    Regex {
        pattern: String,
        offsets: Vec<usize>,
    },
    /// `@id`.
    Ref(String),
    And,
    Or,
    Not,
    LParen,
    RParen,
    Comma,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// IPADIC's part-of-speech levels below the first (`サ変接続`, `固有名詞`, …) and `*`: the values
/// that may follow a comma inside a part-of-speech condition.
const POS_SUBLEVELS: &[&str] = &[
    "*",
    "一般",
    "サ変接続",
    "ナイ形容詞語幹",
    "代名詞",
    "縮約",
    "副詞可能",
    "動詞非自立的",
    "固有名詞",
    "人名",
    "名",
    "姓",
    "地域",
    "国",
    "組織",
    "引用文字列",
    "形容動詞語幹",
    "接尾",
    "助動詞語幹",
    "助数詞",
    "特殊",
    "接続詞的",
    "数",
    "非自立",
    "自立",
    "間投",
    "助詞類接続",
    "並立助詞",
    "係助詞",
    "副助詞",
    "副助詞／並立助詞／終助詞",
    "副詞化",
    "接続助詞",
    "格助詞",
    "引用",
    "連語",
    "終助詞",
    "連体化",
    "動詞接続",
    "名詞接続",
    "形容詞接続",
    "数接続",
    "アルファベット",
    "句点",
    "括弧閉",
    "括弧開",
    "空白",
    "読点",
];

/// The operator a character stands for, accepting the full-width forms.
fn operator(ch: char) -> Option<char> {
    match ch {
        '&' | '＆' => Some('&'),
        '|' | '｜' => Some('|'),
        '!' | '！' => Some('!'),
        '(' | '（' => Some('('),
        ')' | '）' => Some(')'),
        ',' | '，' => Some(','),
        ':' | '：' => Some(':'),
        '#' | '＃' => Some('#'),
        '@' | '＠' => Some('@'),
        '"' | '＂' | '“' | '”' => Some('"'),
        '/' => Some('/'),
        _ => None,
    }
}

/// Characters of a bare word (and of a part-of-speech level and a category id).
fn is_word_char(ch: char) -> bool {
    !ch.is_whitespace() && operator(ch).is_none()
}

struct Lexer<'a> {
    source: &'a str,
    chars: Vec<(usize, char)>,
    index: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.index).map(|&(_, ch)| ch)
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.index + ahead).map(|&(_, ch)| ch)
    }

    /// Byte offset of the current character (the source length at the end).
    fn offset(&self) -> usize {
        self.chars
            .get(self.index)
            .map_or(self.source.len(), |&(at, _)| at)
    }

    fn bump(&mut self) {
        self.index += 1;
    }

    fn error(&self, offset: usize, message: impl Into<String>, expected: &[&str]) -> ParseError {
        ParseError::at(self.source, offset, message, expected)
    }

    fn skip_space_and_comments(&mut self) {
        while let Some(ch) = self.peek() {
            if ch.is_whitespace() {
                self.bump();
            } else if operator(ch) == Some('#') {
                while self.peek().is_some_and(|ch| ch != '\n') {
                    self.bump();
                }
            } else {
                break;
            }
        }
    }

    /// A run of word characters starting at the current character.
    fn run(&mut self) -> String {
        let mut text = String::new();
        while let Some(ch) = self.peek().filter(|&ch| is_word_char(ch)) {
            text.push(ch);
            self.bump();
        }
        text
    }

    /// The run of word characters `ahead` characters from here, without consuming it.
    fn run_ahead(&self, ahead: usize) -> String {
        self.chars[(self.index + ahead).min(self.chars.len())..]
            .iter()
            .map(|&(_, ch)| ch)
            .take_while(|&ch| is_word_char(ch))
            .collect()
    }

    fn next_token(&mut self) -> Result<Option<Token>, ParseError> {
        self.skip_space_and_comments();
        let Some(ch) = self.peek() else {
            return Ok(None);
        };
        let start = self.offset();
        let kind = match operator(ch) {
            Some(op @ ('&' | '|')) => {
                self.bump();
                // `&&` and `||` are forgiven.
                if self.peek().and_then(operator) == Some(op) {
                    self.bump();
                }
                if op == '&' {
                    TokenKind::And
                } else {
                    TokenKind::Or
                }
            }
            Some('!') => {
                self.bump();
                TokenKind::Not
            }
            Some('(') => {
                self.bump();
                TokenKind::LParen
            }
            Some(')') => {
                self.bump();
                TokenKind::RParen
            }
            Some(',') => {
                self.bump();
                TokenKind::Comma
            }
            Some(':') => {
                return Err(self.error(
                    start,
                    "a part-of-speech condition needs a word before it, as in `教育:名詞`",
                    &["a word"],
                ))
            }
            Some('"') => self.literal(start)?,
            Some('/') => self.regex(start)?,
            Some('@') => self.reference(start)?,
            _ => self.word()?,
        };
        Ok(Some(Token {
            kind,
            span: Span::new(start, self.offset()),
        }))
    }

    fn literal(&mut self, start: usize) -> Result<TokenKind, ParseError> {
        self.bump();
        let mut text = String::new();
        loop {
            match self.peek() {
                None | Some('\n') => {
                    return Err(self.error(
                        start,
                        "unterminated literal: close it with `\"` on the same line",
                        &["`\"`"],
                    ))
                }
                Some('\\') => {
                    self.bump();
                    match self.peek() {
                        Some(ch) if ch == '\\' || operator(ch) == Some('"') => {
                            text.push(ch);
                            self.bump();
                        }
                        _ => text.push('\\'),
                    }
                }
                Some(ch) if operator(ch) == Some('"') => {
                    self.bump();
                    return Ok(TokenKind::Literal(text));
                }
                Some(ch) => {
                    text.push(ch);
                    self.bump();
                }
            }
        }
    }

    fn regex(&mut self, start: usize) -> Result<TokenKind, ParseError> {
        self.bump();
        let mut pattern = String::new();
        let mut offsets = Vec::new();
        loop {
            let at = self.offset();
            match self.peek() {
                None | Some('\n') => {
                    return Err(self.error(
                        start,
                        "unterminated regex: close it with `/` on the same line \
                         (write `\\/` for a slash inside it)",
                        &["`/`"],
                    ))
                }
                Some('\\') if self.peek_at(1) == Some('/') => {
                    pattern.push('/');
                    offsets.push(at);
                    self.bump();
                    self.bump();
                }
                Some('\\') => {
                    // Any other escape is the regex's own: keep both characters.
                    pattern.push('\\');
                    offsets.push(at);
                    self.bump();
                    if let Some(ch) = self.peek().filter(|&ch| ch != '\n') {
                        pattern.push(ch);
                        offsets.push(self.offset());
                        self.bump();
                    }
                }
                Some('/') => {
                    self.bump();
                    return Ok(TokenKind::Regex { pattern, offsets });
                }
                Some(ch) => {
                    pattern.push(ch);
                    offsets.push(at);
                    self.bump();
                }
            }
        }
    }

    fn reference(&mut self, start: usize) -> Result<TokenKind, ParseError> {
        self.bump();
        let id_start = self.offset();
        let mut id = String::new();
        while let Some(ch) = self.peek().filter(|&ch| is_word_char(ch)) {
            if !(ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-') {
                return Err(self.error(
                    self.offset(),
                    format!(
                        "a category id is lower-case letters, digits and `-` \
                         (like `@site-usability`); `{ch}` cannot be part of it"
                    ),
                    &["a category id"],
                ));
            }
            id.push(ch);
            self.bump();
        }
        if id.is_empty() {
            return Err(self.error(
                id_start.max(start + 1),
                "expected a category id after `@`, like `@site-usability`",
                &["a category id"],
            ));
        }
        Ok(TokenKind::Ref(id))
    }

    fn word(&mut self) -> Result<TokenKind, ParseError> {
        let text = self.run();
        let colon_follows = self.peek().and_then(operator) == Some(':');
        if !colon_follows {
            match text.to_ascii_lowercase().as_str() {
                "and" => return Ok(TokenKind::And),
                "or" => return Ok(TokenKind::Or),
                "not" => return Ok(TokenKind::Not),
                _ => {}
            }
        }
        let mut pos = Vec::new();
        if colon_follows {
            self.bump();
            let level_start = self.offset();
            let level = self.run();
            if level.is_empty() {
                return Err(self.error(
                    level_start,
                    format!(
                        "expected a part of speech after `{text}:`, \
                         like `{text}:名詞` or `{text}:名詞,サ変接続`"
                    ),
                    &["a part of speech"],
                ));
            }
            pos.push(level);
            // A comma continues the condition only when a part-of-speech level follows it.
            while self.peek().and_then(operator) == Some(',') {
                let next = self.run_ahead(1);
                if !POS_SUBLEVELS.contains(&next.as_str()) {
                    break;
                }
                self.bump();
                self.run();
                pos.push(next);
            }
        }
        Ok(TokenKind::Word { text, pos })
    }
}

/// Splits `source` into tokens.
pub(super) fn lex(source: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer {
        source,
        chars: source.char_indices().collect(),
        index: 0,
    };
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token()? {
        tokens.push(token);
    }
    Ok(tokens)
}
