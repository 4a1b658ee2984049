//! The rule expression language: how a category says which answers belong to it.
//!
//! A rule is one expression. It is true for an answer when the answer contains what it asks
//! for, and it says *why*: every rule that matches comes with its evidence, the words and
//! phrases of the answer that made it true.
//!
//! # Atoms
//!
//! | Write            | Matches                                                               |
//! |------------------|-----------------------------------------------------------------------|
//! | `受ける`         | a **word**, by dictionary (base) form: `受ける` matches 受けた, 受けて |
//! | `情報漏洩`       | a word the analyzer splits (情報 + 漏洩) matches those tokens in a row |
//! | `教育:名詞`      | a word that is also a noun; `:名詞,サ変接続` narrows further          |
//! | `"見にくい"`     | a **literal**: this text anywhere, even inside a longer word           |
//! | `/DX\s*認定/`    | a **regex** (Rust `regex` syntax); write `\/` for a slash inside it    |
//! | `@other-rule`    | the result of another rule of the same scheme                          |
//!
//! Answers and rules are normalized the same way (see [`crate::normalize`]): full-width
//! letters and digits become ASCII, Latin letters upper case, `セキュリティー` loses its last
//! `ー`. So `ｓｅｃｕｒｉｔｙ`, `security` and `SECURITY` are one word, and a literal may be typed
//! in either width. Regexes run on the normalized text as written (write `DX`, not `ＤＸ`, and
//! `サーバ`, not `サーバー`); Latin letters in them match either case.
//!
//! Words match whole tokens: a run of tokens with the word's base forms, or a run of tokens
//! that spells the word (the analyzer may split a word differently inside a sentence:
//! `見にくい` alone is one token, in サイトが見にくい it is 見 + にくい). A domain term of the
//! dictionary is one token, so `補助金` does not match inside `IT導入補助金`; write `"補助金"` to
//! find the text anywhere. `jiyu tokenize` shows how an answer splits.
//!
//! A part-of-speech condition compares IPADIC's levels from the first (`名詞`, `動詞`,
//! `形容詞`, …; `名` is not `名詞`); every token of the word must satisfy it.
//!
//! A bare word is any run of characters other than white space and `& | ! ( ) , " / # @ :`.
//! The words `and`, `or`, `not` (any case) are operators; to find them, quote them.
//!
//! # Operators, strongest first
//!
//! | Write                       | True when                                                |
//! |-----------------------------|----------------------------------------------------------|
//! | `!a`, `not a`               | a is not                                                 |
//! | `a & b`, `a and b`          | both                                                     |
//! | `a \| b`, `a or b`          | either                                                   |
//! | `(…)`                       | groups: `(a \| b) & c`                                   |
//! | `near(a, b)`, `near(a, b, 5)` | a and b within 5 tokens of each other, in either order (default 10) |
//! | `seq(a, b)`, `seq(a, b, 3)`   | b after a, within 3 tokens (default 10)               |
//! | `neg(a)`                    | a occurs negated: `neg(失敗)` matches 失敗しない, not 失敗した |
//! | `pos(a)`                    | a occurs not negated: `pos(失敗)` matches 失敗した, not 失敗しない |
//!
//! So `a | b & !c` is `a | (b & (!c))`. Two expressions side by side without an operator are
//! an error. The distance of `near`/`seq` counts the tokens *between* the two: `seq(研修,
//! 受ける, 1)` matches 研修を受けた (one token, を, between them); `0` means adjacent. The
//! arguments of `near`, `seq`, `neg` and `pos` must have positions in the text: words,
//! literals, regexes, `|` of those, or another `near`/`seq`/`neg`/`pos`.
//!
//! # Negation
//!
//! The analyzer marks the tokens of negated predicates (see [`crate::negation`] for the exact
//! rules): the verb or adjective before ない/ず/ぬ/ません (高まらない, かけずに, 見えません), the noun
//! of a light verb (失敗しない, 理解できない), and what is denied existing or being (時間がない,
//! 問題ない, 必要ありません, 簡単ではない) — but not adjectives that merely end in ない (少ない,
//! 危ない), nor obligations (対策しなければならない). `jiyu tokenize` shows the mark.
//!
//! `neg(a)` keeps the positions of `a` that are negated, `pos(a)` those that are not; each is
//! true when one remains, with those positions as its evidence. A word, literal or regex
//! occurrence is negated when the last token it overlaps is negated, so `neg(情報漏洩)` matches
//! 情報漏洩しない and `neg("失敗")` matches the 失敗 inside 失敗しない; a `near`/`seq` pair is
//! negated when either member is (`neg(near(a, b))` is `near(neg(a), b) | near(a, neg(b))`,
//! `pos(near(a, b))` is `near(pos(a), pos(b))`). To ask for one negated member, put `neg`
//! inside: `near(費用, neg(かける))` matches 費用をかけずに. An answer may say a word both ways
//! (失敗した例と失敗しない方法): then both `neg(失敗)` and `pos(失敗)` are true. `!neg(a)` is not
//! `pos(a)`: it is also true when `a` does not occur at all.
//!
//! `#` starts a comment to the end of the line; white space and line breaks are free. The
//! operators may also be typed full-width (`＆ ｜ ！ （ ） ，`).
//!
//! ```text
//! # 研修・教材を求める回答
//! (研修 | 教育:名詞 | セミナー | "e-ラーニング")
//!   & !@site-usability            # 見やすさの要望は別の分類
//!   | seq(資料, 欲しい, 5)
//! ```
//!
//! # Evidence
//!
//! The evidence of a true rule is the atom occurrences that made it true: for `a & b` both,
//! for `a | b` every alternative that matched, for `near`/`seq` the pairs within distance, for
//! `neg(a)`/`pos(a)` the positions of `a` they keep, for `@ref` that rule's evidence, for `!a`
//! none. Each [`Evidence`] gives the atom as written and
//! the character range of the original answer it covers.
//!
//! # Using it
//!
//! [`Program::compile`] takes a scheme's `(id, expression)` pairs; errors say which rule, where
//! (line and column in characters) and what was expected, and render with a caret under the
//! spot. [`Program::evaluate`] gives one [`RuleOutcome`] per rule for an analyzed answer, and
//! [`Program::explain`] the evaluated tree of one rule. The stages are `lexer` (private),
//! [`parser`], [`ast`] and [`error`]; then, each in its own file, [`compile`] (the [`Program`]
//! and what compiling builds), [`occurrences`] (where each atom occurs in one answer),
//! [`evaluate`] (the rule trees over those occurrences) and [`explain`] (one rule's evaluated
//! tree).

pub mod ast;
pub mod compile;
pub mod error;
pub mod evaluate;
pub mod explain;
mod lexer;
pub mod occurrences;
pub mod parser;
mod prefilter;

pub use ast::{Expr, ExprKind, Function, Span, DEFAULT_DISTANCE};
pub use compile::Program;
pub use error::{CompileError, ParseError};
pub use evaluate::{Evidence, RuleOutcome};
pub use explain::{ExplainNode, NodeKind};
pub use parser::parse;
