//! The rule expression language: parsing (trees, precedence, error positions and their
//! rendering) and evaluation on real survey answers (base forms, multi-token words, parts of
//! speech, literals and regexes on normalized text, near/seq, neg/pos, references, evidence
//! offsets).

use std::sync::OnceLock;

use jiyu::rules::expr::{
    parse, CompileError, Evidence, ExplainNode, NodeKind, ParseError, Program, RuleOutcome,
};
use jiyu::Analyzer;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(&[]).expect("the embedded dictionary loads"))
}

/// The parsed tree as an S-expression.
fn tree(source: &str) -> String {
    match parse(source) {
        Ok(expr) => expr.to_string(),
        Err(err) => panic!("{source:?} should parse, got {err}"),
    }
}

fn parse_error(source: &str) -> ParseError {
    match parse(source) {
        Ok(expr) => panic!("{source:?} should not parse, got {expr}"),
        Err(err) => err,
    }
}

/// (line, column) of the error in `source`.
fn error_at(source: &str) -> (usize, usize) {
    let err = parse_error(source);
    (err.line, err.column)
}

fn rules(rules: &[(&str, &str)]) -> Vec<(String, String)> {
    rules
        .iter()
        .map(|(id, source)| (id.to_string(), source.to_string()))
        .collect()
}

fn compile(list: &[(&str, &str)]) -> Program {
    match Program::compile(analyzer(), &rules(list)) {
        Ok(program) => program,
        Err(err) => panic!("{list:?} should compile, got {err}"),
    }
}

fn compile_error(list: &[(&str, &str)]) -> CompileError {
    match Program::compile(analyzer(), &rules(list)) {
        Ok(_) => panic!("{list:?} should not compile"),
        Err(err) => err,
    }
}

fn evaluate(program: &Program, text: &str) -> Vec<RuleOutcome> {
    let outcomes = program.evaluate(&analyzer().analyze(text), text);
    for outcome in &outcomes {
        for evidence in &outcome.evidence {
            let substring: String = text
                .chars()
                .skip(evidence.start)
                .take(evidence.end - evidence.start)
                .collect();
            assert_eq!(evidence.text, substring, "evidence offsets in {text:?}");
        }
    }
    outcomes
}

/// The outcome of a single rule on `text`.
fn run(source: &str, text: &str) -> RuleOutcome {
    let program = compile(&[("rule", source)]);
    evaluate(&program, text).remove(0)
}

fn matches(source: &str, text: &str) -> bool {
    run(source, text).matched
}

fn evidence(term: &str, text: &str, start: usize, end: usize) -> Evidence {
    Evidence {
        term: term.to_string(),
        text: text.to_string(),
        start,
        end,
    }
}

fn matched_with(evidence: Vec<Evidence>) -> RuleOutcome {
    RuleOutcome {
        matched: true,
        evidence,
    }
}

fn not_matched() -> RuleOutcome {
    RuleOutcome {
        matched: false,
        evidence: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Parser: trees

#[test]
fn every_operator_in_both_spellings() {
    assert_eq!(tree("研修 & 受ける"), "(& 研修 受ける)");
    assert_eq!(tree("研修 and 受ける"), "(& 研修 受ける)");
    assert_eq!(tree("研修 AND 受ける"), "(& 研修 受ける)");
    assert_eq!(tree("研修 && 受ける"), "(& 研修 受ける)");
    assert_eq!(tree("研修 | セミナー"), "(| 研修 セミナー)");
    assert_eq!(tree("研修 or セミナー"), "(| 研修 セミナー)");
    assert_eq!(tree("研修 || セミナー"), "(| 研修 セミナー)");
    assert_eq!(tree("!研修"), "(! 研修)");
    assert_eq!(tree("not 研修"), "(! 研修)");
    assert_eq!(tree("!!研修"), "(! (! 研修))");
    assert_eq!(
        tree("研修&受ける|!セミナー"),
        "(| (& 研修 受ける) (! セミナー))"
    );
    // Full-width operators, as a Japanese input method types them.
    assert_eq!(tree("研修＆（受ける｜参加）"), "(& 研修 (| 受ける 参加))");
    assert_eq!(tree("！研修"), "(! 研修)");
}

#[test]
fn precedence_not_then_and_then_or() {
    assert_eq!(tree("a | b & !c"), "(| a (& b (! c)))");
    assert_eq!(tree("a or b and not c"), "(| a (& b (! c)))");
    assert_eq!(tree("!a & b"), "(& (! a) b)");
    assert_eq!(tree("a & b | c & d"), "(| (& a b) (& c d))");
    assert_eq!(tree("a | b | c"), "(| a b c)");
    assert_eq!(tree("a & b & c"), "(& a b c)");
}

#[test]
fn parentheses_group() {
    assert_eq!(tree("(a | b) & c"), "(& (| a b) c)");
    assert_eq!(tree("!(a | b)"), "(! (| a b))");
    assert_eq!(tree("((a))"), "a");
    assert_eq!(tree("(a | b) | c"), "(| (| a b) c)");
    let expr = parse("研修 & (受ける | 参加)").expect("parses");
    assert_eq!(
        expr.text("研修 & (受ける | 参加)"),
        "研修 & (受ける | 参加)"
    );
}

#[test]
fn atoms() {
    assert_eq!(tree("受ける"), "受ける");
    assert_eq!(tree("e-ラーニング"), "e-ラーニング");
    assert_eq!(tree("教育:名詞"), "教育:名詞");
    assert_eq!(tree("教育:名詞,サ変接続"), "教育:名詞,サ変接続");
    assert_eq!(tree("教育：名詞"), "教育:名詞");
    assert_eq!(tree(r#""見にくい""#), r#""見にくい""#);
    assert_eq!(tree(r#""a\"b\\c""#), r#""a\"b\\c""#);
    assert_eq!(tree("“見にくい”"), r#""見にくい""#);
    assert_eq!(tree(r"/DX\s*認定/"), r"/DX\s*認定/");
    assert_eq!(tree(r"/法令\/ガイドライン/"), r"/法令\/ガイドライン/");
    assert_eq!(tree("@site-usability"), "@site-usability");
    assert_eq!(tree("near(研修, 受ける)"), "(near 研修 受ける 10)");
    assert_eq!(tree("near(研修, 受ける, 5)"), "(near 研修 受ける 5)");
    assert_eq!(tree("NEAR (研修, 受ける, ３)"), "(near 研修 受ける 3)");
    assert_eq!(tree("seq(研修, 受ける)"), "(seq 研修 受ける 10)");
    assert_eq!(
        tree(r#"seq(研修 | "セミナー", near(受ける, /参加/, 2), 0)"#),
        r#"(seq (| 研修 "セミナー") (near 受ける /参加/ 2) 0)"#
    );
}

#[test]
fn part_of_speech_commas_versus_argument_commas() {
    // A comma continues the condition only before an IPADIC part-of-speech level.
    assert_eq!(tree("near(教育:名詞,研修)"), "(near 教育:名詞 研修 10)");
    assert_eq!(
        tree("near(教育:名詞,サ変接続,研修, 3)"),
        "(near 教育:名詞,サ変接続 研修 3)"
    );
    assert_eq!(tree("seq(教育:名詞, 研修)"), "(seq 教育:名詞 研修 10)");
}

#[test]
fn comments_and_lines() {
    let source = "# 研修・教育を求める回答\n研修   # 研修そのもの\n  & (受ける | 参加)\n\n# 終わり";
    assert_eq!(tree(source), "(& 研修 (| 受ける 参加))");
    assert_eq!(tree("研修#comment\n|セミナー"), "(| 研修 セミナー)");
    assert_eq!(tree(r##""#見出し" | /#\d+/"##), r##"(| "#見出し" /#\d+/)"##);
    assert_eq!(tree("\r\n研修\r\n&\r\n受ける\r\n"), "(& 研修 受ける)");
}

// ---------------------------------------------------------------------------------------------
// Parser: errors

#[test]
fn juxtaposition_needs_an_operator() {
    let err = parse_error("研修 受ける");
    assert_eq!((err.line, err.column), (1, 4));
    assert_eq!(
        err.message,
        "expected an operator (`&` or `|`) before `受ける`: write `a & b` when both must match, \
         `a | b` when either may"
    );
    assert_eq!(err.expected, vec!["`&`", "`|`"]);
    assert_eq!(
        parse_error("(研修 \"見にくい\")").message,
        "expected an operator (`&` or `|`) or `)` before `\"見にくい\"`: write `a & b` when both \
         must match, `a | b` when either may"
    );
    assert_eq!(error_at("研修 &\n  受ける 参加"), (2, 7));
    assert_eq!(error_at("研修 (受ける)"), (1, 4));
    assert_eq!(error_at("研修 !受ける"), (1, 4));
}

#[test]
fn error_render_puts_the_caret_under_wide_characters() {
    let source = "研修 &\n  受ける 参加";
    let err = parse_error(source);
    assert_eq!(
        err.render("rules/site-needs.toml", source, 10),
        "rules/site-needs.toml:12:7: expected an operator (`&` or `|`) before `参加`: write \
         `a & b` when both must match, `a | b` when either may\n    \
         \x20 受ける 参加\n    \
         \x20        ^"
    );
    let source = "研修 & 受ける)";
    assert_eq!(
        parse_error(source).render("x.rule", source, 0),
        "x.rule:1:9: stray `)`: there is no `(` before it to close\n    \
         研修 & 受ける)\n    \
         \x20            ^"
    );
    // Tabs stay tabs so the caret lines up however wide the terminal draws them.
    let source = "\t研修 受ける";
    assert_eq!(
        parse_error(source).render("x.rule", source, 0),
        "x.rule:1:5: expected an operator (`&` or `|`) before `受ける`: write `a & b` when both \
         must match, `a | b` when either may\n    \
         \t研修 受ける\n    \
         \t     ^"
    );
}

#[test]
fn compile_error_render_shifts_the_first_line_by_the_column() {
    // The expression starts at line 7, column 8 of the scheme file (`rule = "…"`).
    let source = "研修 & nearby(受ける, 参加)";
    let err = compile_error(&[("education", source)]);
    assert_eq!(err.rule_id(), "education");
    assert_eq!(
        err.render("rules/site-needs.toml", source, 7, 8),
        "rules/site-needs.toml:7:13: unknown function `nearby`: the functions are \
         near(a, b, distance), seq(a, b, distance), neg(a), pos(a) and syn(word)\n    \
         研修 & nearby(受ける, 参加)\n    \
         \x20      ^"
    );
    let source = "研修\n  & nearby(受ける, 参加)";
    let err = compile_error(&[("education", source)]);
    assert!(err
        .render("rules/site-needs.toml", source, 7, 8)
        .starts_with("rules/site-needs.toml:8:5: unknown function `nearby`"));
    assert_eq!(
        err.to_string(),
        "rule `education`, 2:5: unknown function `nearby`: the functions are \
         near(a, b, distance), seq(a, b, distance), neg(a), pos(a) and syn(word)"
    );
}

#[test]
fn unknown_function() {
    let err = parse_error("研修 & nearby(受ける, 参加)");
    assert_eq!((err.line, err.column), (1, 6));
    assert_eq!(err.expected, vec!["near", "seq", "neg", "pos", "syn"]);
    assert_eq!(
        err.message,
        "unknown function `nearby`: the functions are near(a, b, distance), \
         seq(a, b, distance), neg(a), pos(a) and syn(word)"
    );
    assert_eq!(error_at("negate(失敗)"), (1, 1));
    assert_eq!(error_at("\n  count(研修)"), (2, 3));
    assert_eq!(error_at("教育:名詞(研修)"), (1, 1));
}

#[test]
fn missing_closing_parenthesis() {
    let err = parse_error("(研修 | 受ける");
    assert_eq!((err.line, err.column), (1, 10));
    assert_eq!(
        err.message,
        "missing `)`: expected `)` to close the `(` at line 1, column 1"
    );
    assert_eq!(err.expected, vec!["`&`", "`|`", "`)`"]);
    let err = parse_error("研修 &\n  (受ける | 参加  # 受講\n");
    assert_eq!((err.line, err.column), (2, 12));
    assert_eq!(
        err.message,
        "missing `)`: expected `)` to close the `(` at line 2, column 3"
    );
    let err = parse_error("near(研修, 受ける");
    assert_eq!((err.line, err.column), (1, 13));
    assert_eq!(
        err.message,
        "missing `)`: expected `)` to close `near(` at line 1, column 5"
    );
    let err = parse_error("near(研修, 受ける, 5 研修");
    assert_eq!((err.line, err.column), (1, 17));
    assert_eq!(err.expected, vec!["`)`"]);
}

#[test]
fn empty_expression() {
    for source in ["", "   ", "# 何もない\n  \n"] {
        let err = parse_error(source);
        assert_eq!((err.line, err.column), (1, 1), "{source:?}");
        assert_eq!(
            err.message,
            "empty expression: write a word, a \"literal\", a /regex/ or an @category"
        );
        assert!(err.expected.contains(&"a word".to_string()));
    }
    let err = parse_error("研修 & ()");
    assert_eq!((err.line, err.column), (1, 7));
    assert_eq!(
        err.message,
        "empty parentheses: expected an expression between `(` and `)`"
    );
    let err = parse_error("near()");
    assert_eq!((err.line, err.column), (1, 6));
    assert_eq!(
        err.message,
        "near() needs two expressions, like near(研修, 受ける)"
    );
}

#[test]
fn stray_closing_parenthesis() {
    let err = parse_error("研修 & 受ける)");
    assert_eq!((err.line, err.column), (1, 9));
    assert_eq!(err.message, "stray `)`: there is no `(` before it to close");
    assert_eq!(error_at(")"), (1, 1));
    assert_eq!(error_at("(研修))"), (1, 5));
}

#[test]
fn unterminated_literal_and_regex() {
    let err = parse_error("研修 & \"見にくい");
    assert_eq!((err.line, err.column), (1, 6));
    assert_eq!(
        err.message,
        "unterminated literal: close it with `\"` on the same line"
    );
    assert_eq!(err.expected, vec!["`\"`"]);
    assert_eq!(error_at("研修 |\n \"見にくい\n | サイト\""), (2, 2));
    let err = parse_error("/DX\\s*認定");
    assert_eq!((err.line, err.column), (1, 1));
    assert_eq!(
        err.message,
        "unterminated regex: close it with `/` on the same line (write `\\/` for a slash inside it)"
    );
    assert_eq!(error_at("研修 | /DX\\/"), (1, 6));
}

#[test]
fn bad_regex() {
    // The caret goes to the character the regex crate complains about.
    let err = parse_error("研修 | /DX(認定/");
    assert_eq!((err.line, err.column), (1, 9));
    assert_eq!(err.message, "bad regex: unclosed group");
    assert_eq!(err.expected, vec!["a valid regex"]);
    let err = parse_error("研修 |\n  /法令\\/[ガイド/");
    assert_eq!((err.line, err.column), (2, 8));
    assert_eq!(err.message, "bad regex: unclosed character class");
    let err = parse_error("//");
    assert_eq!((err.line, err.column), (1, 1));
    assert!(err.message.starts_with("empty regex"));
    let err = parse_error("/(DX)?/");
    assert_eq!((err.line, err.column), (1, 1));
    assert!(err.message.starts_with("this regex matches empty text"));
    // Regexes run on normalized text: full-width letters never occur there.
    let err = parse_error("/ＤＸ認定/");
    assert_eq!((err.line, err.column), (1, 2));
    assert_eq!(
        err.message,
        "a regex runs on normalized text, where `Ｄ` never occurs: write `D`"
    );
}

#[test]
fn near_distance_must_be_a_number() {
    let err = parse_error("near(研修, 受ける, 近く)");
    assert_eq!((err.line, err.column), (1, 15));
    assert_eq!(
        err.message,
        "the distance of near() must be a whole number of tokens, like near(研修, 受ける, 5); \
         found `近く`"
    );
    assert_eq!(err.expected, vec!["a number"]);
    assert_eq!(error_at("seq(研修, 受ける, -1)"), (1, 14));
    assert_eq!(error_at("seq(研修, 受ける, \"5\")"), (1, 14));
    assert_eq!(error_at("seq(研修, 受ける, )"), (1, 14));
    let err = parse_error("seq(研修, 受ける,");
    assert_eq!((err.line, err.column), (1, 12));
    assert_eq!(
        err.message,
        "expected the distance of seq() after `,`: a whole number of tokens, like \
         seq(研修, 受ける, 5)"
    );
    assert_eq!(
        error_at("near(研修, 受ける, 99999999999999999999999)"),
        (1, 15)
    );
    // Only one argument.
    let err = parse_error("near(研修)");
    assert_eq!((err.line, err.column), (1, 8));
    assert_eq!(
        err.message,
        "expected `,` and a second expression: near() takes two, like near(研修, 受ける)"
    );
}

#[test]
fn near_arguments_need_positions() {
    let err = parse_error("near(研修 & 教育, 受ける)");
    assert_eq!((err.line, err.column), (1, 6));
    assert!(err
        .message
        .starts_with("near() compares positions in the answer, and `研修 & 教育` has none"));
    assert_eq!(error_at("seq(研修, 受ける | !参加)"), (1, 15));
    assert_eq!(error_at("seq(研修, @education)"), (1, 9));
}

#[test]
fn trailing_and_doubled_operators() {
    let err = parse_error("研修 &");
    assert_eq!((err.line, err.column), (1, 4));
    assert_eq!(
        err.message,
        "expected an expression after `&`, but the expression ends there"
    );
    assert_eq!(error_at("研修 |\n  受ける or  # 受講\n"), (2, 7));
    assert_eq!(error_at("研修 & !"), (1, 6));
    assert_eq!(error_at("研修 & not"), (1, 6));
    let err = parse_error("研修 & | 受ける");
    assert_eq!((err.line, err.column), (1, 6));
    assert_eq!(err.message, "expected an expression after `&`, found `|`");
    let err = parse_error("& 研修");
    assert_eq!((err.line, err.column), (1, 1));
    assert_eq!(err.message, "expected an expression before `&`");
    let err = parse_error("研修, 受ける");
    assert_eq!((err.line, err.column), (1, 3));
    assert_eq!(
        err.message,
        "unexpected `,`: commas only separate the arguments of near() and seq()"
    );
}

#[test]
fn references_parts_of_speech_and_stray_colons() {
    let err = parse_error("研修 & @Site");
    assert_eq!((err.line, err.column), (1, 7));
    assert!(err
        .message
        .starts_with("a category id is lower-case letters"));
    assert_eq!(error_at("研修 & @ 受ける"), (1, 7));
    let err = parse_error("研修 & 教育:");
    assert_eq!((err.line, err.column), (1, 9));
    assert_eq!(
        err.message,
        "expected a part of speech after `教育:`, like `教育:名詞` or `教育:名詞,サ変接続`"
    );
    assert_eq!(error_at("研修 & :名詞"), (1, 6));
}

#[test]
fn no_panic_on_any_prefix_or_garbage() {
    let source = "# コメント\n(研修 | 教育:名詞,サ変接続 | \"見に\\\"くい\") & !@site-usability\n\
                  | seq(/DX\\s*認定\\//, near(受ける, ＩＳＭＳ, ５), 3) and not （参加）";
    assert!(parse(source).is_ok());
    let chars: Vec<char> = source.chars().collect();
    for end in 0..=chars.len() {
        let prefix: String = chars[..end].iter().collect();
        let _ = parse(&prefix);
        let suffix: String = chars[end..].iter().collect();
        let _ = parse(&suffix);
    }
    // Nesting is limited, not a stack overflow.
    let deep = format!("{}研修{}", "(".repeat(100_000), ")".repeat(100_000));
    let err = parse_error(&deep);
    assert_eq!((err.line, err.column), (1, 101));
    assert!(err
        .message
        .starts_with("the expression nests deeper than 100 levels"));
    assert!(parse(&format!("{}研修{}", "(".repeat(99), ")".repeat(99))).is_ok());
    assert!(parse(&format!("{}研修", "!".repeat(100_000))).is_err());
    let long_chain = vec!["研修"; 20_000].join(" | ");
    assert!(parse(&long_chain).is_ok());
    for garbage in [
        "\\",
        "\"\\",
        "/\\",
        "@",
        "@-",
        "::",
        "(((",
        ")))",
        ",,,",
        "near(",
        "seq(,",
        "near(a,b,",
        "!",
        "not",
        "and",
        "a:*",
        "/[/",
        "/\\/",
        "\u{0}",
        "＃",
        "“",
        "a:名詞,",
        "@@a",
        "||",
        "neg(",
        "pos(,",
        "neg(a,",
        "neg(a b)",
        "pos())",
        "neg(@a)",
    ] {
        let _ = parse(garbage);
        let _ = Program::compile(analyzer(), &rules(&[("a", garbage)]));
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

#[test]
fn words_match_base_forms() {
    // 受けた is 受け (base 受ける) + た.
    assert_eq!(
        run("受ける", "研修を受けた"),
        matched_with(vec![evidence("受ける", "受け", 3, 5)])
    );
    assert_eq!(
        run("研修 & 受ける", "研修を受けた"),
        matched_with(vec![
            evidence("研修", "研修", 0, 2),
            evidence("受ける", "受け", 3, 5),
        ])
    );
    // A conjugated rule word is analyzed too: 受けた → 受ける + た.
    assert_eq!(
        run("受けた", "外部の研修を受けた"),
        matched_with(vec![evidence("受けた", "受けた", 6, 9)])
    );
    assert!(!matches("受ける", "研修を受講した"));
    // Words match whole tokens, not parts of them.
    assert!(!matches("研", "研修を受けた"));
}

#[test]
fn multi_token_words_match_in_sequence() {
    let bases: Vec<String> = analyzer()
        .analyze("受けた")
        .tokens
        .into_iter()
        .map(|token| token.base.into_owned())
        .collect();
    assert_eq!(bases, vec!["受ける", "た"]);
    assert_eq!(
        run("受けた", "研修を受けたが、まだ受けていない"),
        matched_with(vec![evidence("受けた", "受けた", 3, 6)])
    );
    let text = "ログインせず社員教育に利用できる動画や資料が公開されているとよい";
    assert_eq!(
        run("社員教育", text),
        matched_with(vec![evidence("社員教育", "社員教育", 6, 10)])
    );
    // The same tokens in another order are not the word.
    assert!(!matches("社員教育", "教育を受けた社員"));
    assert_eq!(
        run(
            "情報漏洩",
            "セキュリティ機器の設置や情報漏洩への対策を行った"
        ),
        matched_with(vec![evidence("情報漏洩", "情報漏洩", 12, 16)])
    );
    assert_eq!(
        run(
            "セキュリティ対策",
            "組織的なセキュリティ対策の運用が可能となった"
        ),
        matched_with(vec![evidence(
            "セキュリティ対策",
            "セキュリティ対策",
            4,
            12
        )])
    );
}

#[test]
fn words_are_normalized_like_answers() {
    // ｓｅｃｕｒｉｔｙ → SECURITY, like the answer's security.
    assert_eq!(
        run("ｓｅｃｕｒｉｔｙ", "社員のsecurity意識が向上した"),
        matched_with(vec![evidence("ｓｅｃｕｒｉｔｙ", "security", 3, 11)])
    );
    // The domain term is one token with a space inside: a literal finds it.
    assert_eq!(
        run(
            "\"ｓｅｃｕｒｉｔｙ ａｃｔｉｏｎ\"",
            "Security Action を宣言した"
        ),
        matched_with(vec![evidence(
            "\"ｓｅｃｕｒｉｔｙ ａｃｔｉｏｎ\"",
            "Security Action",
            0,
            15
        )])
    );
    assert_eq!(
        run("ＩＳＭＳ", "ｉｓｍｓの運用を始めた"),
        matched_with(vec![evidence("ＩＳＭＳ", "ｉｓｍｓ", 0, 4)])
    );
    // Half-width katakana and the trailing long vowel.
    assert_eq!(
        run("メール", "届いたﾒｰﾙの信憑性の確認を徹底するようになった"),
        matched_with(vec![evidence("メール", "ﾒｰﾙ", 3, 6)])
    );
}

#[test]
fn words_also_match_tokens_that_spell_them() {
    // Alone 見にくい is one adjective; in the answer the analyzer splits it into 見 + にくい.
    let text = "有益な情報だと思うが、サイトが見にくいというか、どこに何が、どんな情報があるのか\
                わかりづらい";
    assert_eq!(
        run("見にくい", text),
        matched_with(vec![evidence("見にくい", "見にくい", 15, 19)])
    );
    // Still whole tokens only.
    assert!(!matches("見にく", text));
}

#[test]
fn part_of_speech_conditions() {
    let text = "経営層への教育";
    assert_eq!(
        run("教育:名詞", text),
        matched_with(vec![evidence("教育:名詞", "教育", 5, 7)])
    );
    assert!(matches("教育:名詞,サ変接続", text));
    assert!(!matches("教育:名詞,一般", text));
    assert!(!matches("教育:動詞", text));
    // Levels compare whole: 名 is not 名詞.
    assert!(!matches("教育:名", text));
    assert!(matches("受ける:動詞", "研修を受けた"));
    assert!(matches("受ける:動詞,自立", "研修を受けた"));
    assert!(!matches("受ける:名詞", "研修を受けた"));
}

#[test]
fn literals_match_the_normalized_text() {
    let text = "有益な情報だと思うが、サイトが見にくいというか、どこに何が、どんな情報があるのか\
                わかりづらい";
    assert_eq!(
        run("\"見にくい\"", text),
        matched_with(vec![evidence("\"見にくい\"", "見にくい", 15, 19)])
    );
    // Inside a longer token, too.
    assert_eq!(
        run("\"にく\"", text),
        matched_with(vec![evidence("\"にく\"", "にく", 16, 18)])
    );
    // Full-width answer, half-width and lower-case literal: both normalize to DX認定.
    assert_eq!(
        run("\"dx認定\"", "ＤＸ認定を取得した"),
        matched_with(vec![evidence("\"dx認定\"", "ＤＸ認定", 0, 4)])
    );
    assert_eq!(
        run("\"ＤＸ認定\"", "DX認定を取得した"),
        matched_with(vec![evidence("\"ＤＸ認定\"", "DX認定", 0, 4)])
    );
    // Half-width katakana in the answer; the evidence is the respondent's own characters,
    // including the long vowel normalization dropped.
    assert_eq!(
        run("\"セキュリティー\"", "ｾｷｭﾘﾃｨｰ対策ソフトを導入した"),
        matched_with(vec![evidence("\"セキュリティー\"", "ｾｷｭﾘﾃｨｰ", 0, 7)])
    );
    // Overlapping occurrences are all found.
    assert_eq!(
        run("\"情報\" | \"情報セキュリティ\"", "情報セキュリティの情報"),
        matched_with(vec![
            evidence("\"情報\"", "情報", 0, 2),
            evidence("\"情報セキュリティ\"", "情報セキュリティ", 0, 8),
            evidence("\"情報\"", "情報", 9, 11),
        ])
    );
}

#[test]
fn regexes_match_the_normalized_text() {
    assert_eq!(
        run(r"/DX\s*認定/", "ＤＸ　認定を取得した"),
        matched_with(vec![evidence(r"/DX\s*認定/", "ＤＸ　認定", 0, 5)])
    );
    // Latin letters match either case (answers are upper-cased).
    assert_eq!(
        run(
            r"/isms|iso\s*27001/",
            "iso 27001 の取得が無い状態での取引先の信頼性向上"
        ),
        matched_with(vec![evidence(r"/isms|iso\s*27001/", "iso 27001", 0, 9)])
    );
    assert_eq!(
        run(
            r"/法令\/各種/",
            "デジタル化・情報セキュリティ対策に関する法令／各種ガイドライン等"
        ),
        matched_with(vec![evidence(r"/法令\/各種/", "法令／各種", 20, 25)])
    );
    assert!(!matches(r"/^認定/", "DX認定"));
}

#[test]
fn regexes_with_and_without_required_texts_in_one_program() {
    // The first two have texts every match contains (会社の or 企業の, AI in either case), so
    // they run only where one occurs; a run of hiragana has none, so it runs on every answer.
    let program = compile(&[
        ("examples", "/(会社|企業)の(取り組み|取組)?(例|事例)/"),
        ("ai", "/(^|[^A-Z])AI([^A-Z]|$)/"),
        ("kana", "/[ぁ-ん]{12,}/"),
    ]);
    let matched = |text: &str| -> Vec<bool> {
        evaluate(&program, text)
            .into_iter()
            .map(|outcome| outcome.matched)
            .collect()
    };
    assert_eq!(
        evaluate(&program, "他の企業の取組事例が知りたい")[0],
        matched_with(vec![evidence(
            "/(会社|企業)の(取り組み|取組)?(例|事例)/",
            "企業の取組事例",
            2,
            9
        )])
    );
    assert_eq!(matched("会社の例"), [true, false, false]);
    assert_eq!(matched("会社が例"), [false, false, false]);
    assert_eq!(matched("生成aiの使い方"), [false, true, false]);
    assert_eq!(matched("MAILの設定"), [false, false, false]);
    assert_eq!(
        matched("どうすればよいのかわからないのでおしえてほしい"),
        [false, false, true]
    );
    assert_eq!(
        matched("ＡＩとどうすればよいのかわからないのでおしえてほしい会社の事例"),
        [true, true, true]
    );
}

#[test]
fn near_within_and_beyond_the_distance() {
    // 利用 [6] できる 動画 や 資料 [10]: three tokens between them.
    let text = "ログインせず社員教育に利用できる動画や資料が公開されているとよい";
    assert_eq!(
        run("near(利用, 資料, 3)", text),
        matched_with(vec![
            evidence("利用", "利用", 11, 13),
            evidence("資料", "資料", 19, 21),
        ])
    );
    assert_eq!(run("near(利用, 資料, 2)", text), not_matched());
    // Either order.
    assert!(matches("near(資料, 利用, 3)", text));
    assert!(matches("near(資料, 利用)", text));
    assert!(!matches("near(ログイン, よい)", text));
    assert!(matches("near(ログイン, よい, 17)", text));
    // Adjacent tokens are at distance 0.
    assert!(matches("near(できる, 動画, 0)", text));
    assert!(!matches("near(利用, 動画, 0)", text));
    // One occurrence is not near itself, two are.
    assert!(!matches("near(資料, 資料)", text));
    assert!(matches(
        "near(情報, 情報, 20)",
        "情報が多いが、どんな情報があるのか"
    ));
    // Only the pairs within the distance are evidence.
    assert_eq!(
        run("near(資料, 利用 | よい, 5)", text),
        matched_with(vec![
            evidence("利用", "利用", 11, 13),
            evidence("資料", "資料", 19, 21),
        ])
    );
}

#[test]
fn seq_keeps_the_order() {
    assert_eq!(
        run("seq(研修, 受ける, 1)", "研修を受けた"),
        matched_with(vec![
            evidence("研修", "研修", 0, 2),
            evidence("受ける", "受け", 3, 5),
        ])
    );
    assert!(!matches("seq(研修, 受ける, 0)", "研修を受けた"));
    assert!(!matches("seq(受ける, 研修)", "研修を受けた"));
    assert!(matches("seq(受ける, 研修)", "受けた研修"));
    // Literals inside one token keep their order too.
    assert!(matches("seq(\"補助\", \"金\", 0)", "補助金の申請"));
    assert!(!matches("seq(\"金\", \"補助\", 0)", "補助金の申請"));
    // Nested: (利用 right before できる) then 資料, two tokens on.
    assert_eq!(
        run(
            "seq(seq(利用, できる, 0), 資料, 2)",
            "ログインせず社員教育に利用できる動画や資料が公開されているとよい"
        ),
        matched_with(vec![
            evidence("利用", "利用", 11, 13),
            evidence("できる", "できる", 13, 16),
            evidence("資料", "資料", 19, 21),
        ])
    );
    assert!(!matches(
        "seq(seq(利用, できる, 0), 資料, 1)",
        "ログインせず社員教育に利用できる動画や資料が公開されているとよい"
    ));
}

#[test]
fn evidence_of_each_operator() {
    let text = "セキュリティの状況を棚卸できた";
    // `|`: every alternative that matched.
    assert_eq!(
        run("状況 | 棚卸 | 補助金", text),
        matched_with(vec![
            evidence("状況", "状況", 7, 9),
            evidence("棚卸", "棚卸", 10, 12),
        ])
    );
    // `!` contributes none.
    assert_eq!(
        run("状況 & !補助金", text),
        matched_with(vec![evidence("状況", "状況", 7, 9)])
    );
    // A false `&` gives no evidence, even for its true operand.
    assert_eq!(run("状況 & 補助金", text), not_matched());
    assert_eq!(run("!状況", text), not_matched());
    assert_eq!(run("!補助金", text), matched_with(Vec::new()));
    // The same occurrence counted twice is one piece of evidence.
    assert_eq!(
        run("状況 | (状況 & 棚卸)", text),
        matched_with(vec![
            evidence("状況", "状況", 7, 9),
            evidence("棚卸", "棚卸", 10, 12),
        ])
    );
    // Every occurrence of a matched word.
    assert_eq!(
        run("情報", "情報が多いが、どんな情報があるのか"),
        matched_with(vec![
            evidence("情報", "情報", 0, 2),
            evidence("情報", "情報", 10, 12),
        ])
    );
}

#[test]
fn references_to_other_rules() {
    let program = compile(&[
        ("subsidy-applied", "@subsidy & 申請"),
        ("subsidy", "\"補助金\" | \"助成金\""),
        ("other", "!@subsidy"),
    ]);
    assert_eq!(
        program.rule_ids().collect::<Vec<_>>(),
        vec!["subsidy-applied", "subsidy", "other"]
    );
    assert_eq!(program.rule_index("other"), Some(2));
    assert_eq!(program.len(), 3);
    assert_eq!(
        evaluate(&program, "補助金の申請、活用ができた"),
        vec![
            matched_with(vec![
                evidence("\"補助金\"", "補助金", 0, 3),
                evidence("申請", "申請", 4, 6),
            ]),
            matched_with(vec![evidence("\"補助金\"", "補助金", 0, 3)]),
            not_matched(),
        ]
    );
    assert_eq!(
        evaluate(&program, "人材が不足している"),
        vec![not_matched(), not_matched(), matched_with(Vec::new())]
    );
}

/// Only the rules holding an atom that occurs are evaluated; the others keep the result they
/// have on an answer without atoms, which for a negation is true.
#[test]
fn rules_without_occurring_atoms_keep_their_result_without_atoms() {
    let program = compile(&[
        ("no-money", "!補助金 & !助成金"),
        ("training-or-no-money", "研修 | @no-money"),
        (
            "certified",
            "/ISMS/ | /PRIVACY ?MARK|Pマーク/ | /ISO ?27001/",
        ),
    ]);
    let results = |text: &str| -> Vec<bool> {
        evaluate(&program, text)
            .into_iter()
            .map(|outcome| outcome.matched)
            .collect()
    };
    // 研修 occurs: the second rule is evaluated, the first keeps its result without atoms.
    let outcomes = evaluate(&program, "社内研修を増やした");
    assert!(outcomes[0].matched && outcomes[0].evidence.is_empty());
    assert_eq!(
        outcomes[1],
        matched_with(vec![evidence("研修", "研修", 2, 4)])
    );
    assert_eq!(results("補助金を申請した"), vec![false, false, false]);
    assert_eq!(results("特にない"), vec![true, true, false]);
    // Several regexes: one pass finds which match, each of those then gives its positions.
    let outcomes = evaluate(&program, "Pマークとiso 27001を取った");
    assert_eq!(
        outcomes[2],
        matched_with(vec![
            evidence("/PRIVACY ?MARK|Pマーク/", "Pマーク", 0, 4),
            evidence("/ISO ?27001/", "iso 27001", 5, 14),
        ])
    );
}

#[test]
fn reference_errors() {
    let err = compile_error(&[("a", "研修"), ("b", "研修 |\n  @educaton")]);
    assert_eq!(err.rule, "b");
    assert_eq!((err.error.line, err.error.column), (2, 3));
    assert_eq!(
        err.error.message,
        "no rule `educaton` in this scheme; the rules are: a, b"
    );
    assert_eq!(err.error.expected, vec!["a", "b"]);

    let err = compile_error(&[("a", "@b | 研修"), ("b", "受ける & @c"), ("c", "参加 | @a")]);
    assert_eq!(err.rule, "c");
    assert_eq!((err.error.line, err.error.column), (1, 6));
    assert_eq!(
        err.error.message,
        "`@a` makes a cycle of references: a → b → c → a; a rule cannot depend on itself"
    );
    let err = compile_error(&[("self", "研修 | @self")]);
    assert_eq!(
        err.error.message,
        "`@self` makes a cycle of references: self → self; a rule cannot depend on itself"
    );
    let err = compile_error(&[("a", "研修"), ("a", "受ける")]);
    assert_eq!(err.error.message, "the rule id `a` is used twice");
    // Parse errors name their rule.
    let err = compile_error(&[("a", "研修"), ("b", "受ける &")]);
    assert_eq!(err.rule, "b");
    assert_eq!((err.error.line, err.error.column), (1, 5));
    // An empty literal after normalization.
    let err = compile_error(&[("a", "研修 | \"　\"")]);
    assert_eq!((err.error.line, err.error.column), (1, 6));
    assert!(err.error.message.starts_with("empty literal"));
}

#[test]
fn explain_shows_every_node() {
    let program = compile(&[
        ("subsidy", "\"補助金\""),
        ("applied", "@subsidy & (申請 | 採択) & !near(宣言, 不要)"),
    ]);
    let text = "補助金の申請、活用ができた";
    let tree = program.explain(&analyzer().analyze(text), text, 1);
    let node = |kind, text: &str, matched, evidence, children| ExplainNode {
        kind,
        text: text.to_string(),
        matched,
        evidence,
        notes: Vec::new(),
        children,
    };
    assert_eq!(
        tree,
        node(
            NodeKind::And,
            "@subsidy & (申請 | 採択) & !near(宣言, 不要)",
            true,
            vec![
                evidence("\"補助金\"", "補助金", 0, 3),
                evidence("申請", "申請", 4, 6)
            ],
            vec![
                node(
                    NodeKind::Ref,
                    "@subsidy",
                    true,
                    vec![evidence("\"補助金\"", "補助金", 0, 3)],
                    vec![]
                ),
                node(
                    NodeKind::Or,
                    "(申請 | 採択)",
                    true,
                    vec![evidence("申請", "申請", 4, 6)],
                    vec![
                        node(
                            NodeKind::Word,
                            "申請",
                            true,
                            vec![evidence("申請", "申請", 4, 6)],
                            vec![]
                        ),
                        node(NodeKind::Word, "採択", false, vec![], vec![]),
                    ]
                ),
                node(
                    NodeKind::Not,
                    "!near(宣言, 不要)",
                    true,
                    vec![],
                    vec![node(
                        NodeKind::Near,
                        "near(宣言, 不要)",
                        false,
                        vec![],
                        vec![
                            node(NodeKind::Word, "宣言", false, vec![], vec![]),
                            node(NodeKind::Word, "不要", false, vec![], vec![]),
                        ]
                    )]
                ),
            ]
        )
    );
}

#[test]
fn explain_shows_nodes_on_one_line_without_comments() {
    let source =
        "# 研修を受けた回答\n(\n  研修 |   # 研修\n  \"セミナー  講座\"\n)\n  & 受ける  # 受講\n";
    let program = compile(&[("training", source)]);
    let text = "研修を受けた";
    let tree = program.explain(&analyzer().analyze(text), text, 0);
    assert_eq!(tree.text, "(研修 | \"セミナー  講座\") & 受ける");
    assert!(tree.matched);
    let texts: Vec<&str> = tree
        .children
        .iter()
        .map(|child| child.text.as_str())
        .collect();
    assert_eq!(texts, vec!["(研修 | \"セミナー  講座\")", "受ける"]);
    assert_eq!(tree.children[0].children[1].text, "\"セミナー  講座\"");
    assert_eq!(tree.children[0].children[1].kind, NodeKind::Literal);
}

// ---------------------------------------------------------------------------------------------
// Words inside words the dictionary keeps whole

#[test]
fn a_word_matches_inside_a_compound_of_the_user_dictionary() {
    // Each compound is one token of the built-in user dictionary (or, マイナンバーカード, a run of
    // katakana no dictionary knows); the rule words are parts of them.
    let text = "USBメモリの持ち出し禁止、セキュリティポリシーの整備、標的型メール訓練、マイナンバーカードの管理";
    for (word, part) in [
        ("USB", "USB"),
        ("セキュリティ", "セキュリティ"),
        ("ポリシー", "ポリシー"),
        ("標的型", "標的型"),
        ("メール", "メール"),
        ("マイナンバー", "マイナンバー"),
        ("カード", "カード"),
    ] {
        let start = text[..text.find(part).expect("the part is in the text")]
            .chars()
            .count();
        assert_eq!(
            run(word, text),
            matched_with(vec![evidence(
                word,
                part,
                start,
                start + part.chars().count()
            )]),
            "{word} inside its compound"
        );
    }
    // Parts as IPADIC segments the compound (標的 + 型 + メール + 訓練): a run of them matches,
    // half a part does not.
    assert!(matches("型メール", "標的型メール訓練"));
    assert!(!matches("メモ", "USBメモリの持ち出し禁止"));
    // One character inside a compound is not a word of it.
    assert!(!matches("型", "標的型メール訓練"));
    // A part's part of speech is checked like any token's.
    assert!(matches("標的:名詞", "標的型メール訓練"));
    assert!(!matches("標的:動詞", "標的型メール訓練"));
}

#[test]
fn explain_says_where_a_word_matched_inside_a_compound_and_why_a_potential_form_missed() {
    let program = compile(&[("security", "標的型 | 持ち出す")]);
    let text = "標的型メールが来たがUSBは持ち出せない";
    let tree = program.explain(&analyzer().analyze(text), text, 0);
    assert!(tree.matched);
    let inside = &tree.children[0];
    assert_eq!(inside.evidence, vec![evidence("標的型", "標的型", 0, 3)]);
    assert_eq!(
        inside.notes,
        vec![
            "「標的型」 inside 「標的型メール」, which the dictionary keeps as one word"
                .to_string()
        ]
    );
    let potential = &tree.children[1];
    assert!(!potential.matched);
    assert_eq!(potential.notes.len(), 1, "{:?}", potential.notes);
    assert!(
        potential.notes[0].contains("持ち出せる, the potential form of 持ち出す"),
        "{:?}",
        potential.notes
    );
    // Words that match whole tokens get no note.
    let plain = compile(&[("takeout", "持ち出す")]);
    let text = "書類を持ち出すのは禁止";
    let tree = plain.explain(&analyzer().analyze(text), text, 0);
    assert!(tree.matched && tree.notes.is_empty());
}

// ---------------------------------------------------------------------------------------------
// neg() and pos()

#[test]
fn neg_and_pos_trees() {
    assert_eq!(tree("neg(失敗)"), "(neg 失敗)");
    assert_eq!(tree("pos(失敗)"), "(pos 失敗)");
    assert_eq!(tree("NEG (失敗)"), "(neg 失敗)");
    assert_eq!(
        tree("neg(失敗 | \"ミス\" | /エラー+/)"),
        "(neg (| 失敗 \"ミス\" /エラー+/))"
    );
    assert_eq!(
        tree("near(費用, neg(かける), 3)"),
        "(near 費用 (neg かける) 3)"
    );
    assert_eq!(tree("neg(seq(研修, 受ける))"), "(neg (seq 研修 受ける 10))");
    assert_eq!(tree("pos(neg(失敗))"), "(pos (neg 失敗))");
    assert_eq!(
        tree("!neg(失敗) & pos(失敗) | 成功"),
        "(| (& (! (neg 失敗)) (pos 失敗)) 成功)"
    );
    // Without a parenthesis right after it, neg is a word like any other.
    assert_eq!(tree("neg | pos"), "(| neg pos)");
}

#[test]
fn neg_and_pos_take_one_argument_with_positions() {
    let err = parse_error("neg()");
    assert_eq!((err.line, err.column), (1, 5));
    assert_eq!(err.message, "neg() needs an expression, like neg(失敗)");
    let err = parse_error("研修 & neg(失敗, 事故)");
    assert_eq!((err.line, err.column), (1, 12));
    assert_eq!(
        err.message,
        "neg() takes one expression, like neg(失敗); for either of two, write neg(a | b)"
    );
    assert_eq!(err.expected, vec!["`&`", "`|`", "`)`"]);
    let err = parse_error("neg(@failure)");
    assert_eq!((err.line, err.column), (1, 5));
    assert_eq!(
        err.message,
        "neg() keeps the positions in the answer where its argument is negated, and `@failure` \
         has none: its argument is a word, a \"literal\", a /regex/, `|` of them, or \
         near()/seq()/neg()/pos()"
    );
    let err = parse_error("研修 |\n  pos(研修 & 教育)");
    assert_eq!((err.line, err.column), (2, 7));
    assert!(err.message.starts_with(
        "pos() keeps the positions in the answer where its argument is not negated, and \
         `研修 & 教育` has none"
    ));
    assert_eq!(error_at("pos(失敗 | !成功)"), (1, 10));
    assert_eq!(error_at("near(研修, neg(!受ける))"), (1, 14));
    let err = parse_error("neg(失敗");
    assert_eq!((err.line, err.column), (1, 7));
    assert_eq!(
        err.message,
        "missing `)`: expected `)` to close `neg(` at line 1, column 4"
    );
    // The caret of a rendered error sits under the comma.
    let rendered = parse_error("neg(失敗, 事故)").render("rules/x.toml", "neg(失敗, 事故)", 3);
    assert!(
        rendered.contains("neg() takes one expression"),
        "{rendered}"
    );
    // neg/pos give positions, so they are arguments of near/seq and of each other.
    assert!(parse("seq(neg(研修), pos(受ける | 参加), 2)").is_ok());
}

#[test]
fn neg_matches_negated_occurrences_and_pos_the_others() {
    let failure_not = "研修を受けたので失敗しない";
    let failure = "研修を受けたが失敗した";
    assert_eq!(
        run("neg(失敗)", failure_not),
        matched_with(vec![evidence("失敗", "失敗", 8, 10)])
    );
    assert_eq!(run("neg(失敗)", failure), not_matched());
    assert_eq!(run("pos(失敗)", failure_not), not_matched());
    assert_eq!(
        run("pos(失敗)", failure),
        matched_with(vec![evidence("失敗", "失敗", 7, 9)])
    );
    // An answer that says it both ways satisfies both, each with its own occurrence.
    let both = "失敗した例と失敗しない方法を知りたい";
    assert_eq!(
        run("neg(失敗)", both),
        matched_with(vec![evidence("失敗", "失敗", 6, 8)])
    );
    assert_eq!(
        run("pos(失敗)", both),
        matched_with(vec![evidence("失敗", "失敗", 0, 2)])
    );
    // `!neg(a)` is also true where `a` does not occur; `pos(a)` is not.
    let elsewhere = "研修を受けた";
    assert!(matches("!neg(失敗)", elsewhere));
    assert!(!matches("pos(失敗)", elsewhere));
    // neg/pos of an alternative keep the alternatives' matching occurrences.
    assert_eq!(
        run("neg(失敗 | 事故)", "事故が起きた。失敗しない"),
        matched_with(vec![evidence("失敗", "失敗", 7, 9)])
    );
    assert_eq!(
        run("pos(失敗 | 事故)", "事故が起きた。失敗しない"),
        matched_with(vec![evidence("事故", "事故", 0, 2)])
    );
}

#[test]
fn neg_on_real_answers() {
    // (rule, answer, whether it matches): every negation of the analyzer, and words that only
    // look negative.
    let cases: &[(&str, &str, bool)] = &[
        ("neg(失敗)", "失敗しないための手順がほしい", true),
        ("neg(失敗)", "過去に失敗した事例", false),
        ("neg(高まる)", "社員の意識が高まらない", true),
        ("pos(高まる)", "社員の意識が高まった", true),
        ("neg(意識)", "社員の意識が高まらない", false),
        ("neg(見える)", "効果が見えない", true),
        ("neg(時間)", "対策に割く時間がない", true),
        ("neg(理解)", "規程を理解できない従業員がいる", true),
        ("neg(理解)", "規程を理解できた", false),
        ("neg(問題)", "今のところ問題ない", true),
        ("pos(問題)", "いくつか問題がある", true),
        ("neg(守る)", "社内ルールが守られていない", true),
        ("neg(かける)", "費用をかけずに対策したい", true),
        ("neg(費用)", "費用をかけずに対策したい", false),
        ("neg(必要)", "特別な対策は必要ありません", true),
        ("neg(簡単)", "中小企業には簡単ではない", true),
        (
            "neg(他人事)",
            "他人事ではないと社員が意識するようになった",
            true,
        ),
        ("neg(足りる)", "予算が足りない", true),
        ("neg(少ない)", "専門の人材が少ない", false),
        ("pos(少ない)", "専門の人材が少ない", true),
        ("neg(危ない)", "危ないメールが届く", false),
        ("neg(もったいない)", "使わないのはもったいない", false),
        ("neg(使う)", "使わないのはもったいない", true),
        ("neg(つまらない)", "研修がつまらない", false),
        ("neg(対策)", "社員全員が対策しなければならない", false),
        ("pos(対策)", "社員全員が対策しなければならない", true),
        // A word of several tokens is negated when its last token is.
        (
            "neg(情報漏洩)",
            "取引先から情報漏えいしないよう求められた",
            true,
        ),
    ];
    let mut failures = Vec::new();
    for &(rule, answer, expected) in cases {
        if matches(rule, answer) != expected {
            failures.push(format!("{rule} on {answer}: expected {expected}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn neg_of_literals_and_regexes_looks_at_the_last_token_they_overlap() {
    let text = "失敗しない方法";
    assert_eq!(
        run("neg(\"失敗\")", text),
        matched_with(vec![evidence("\"失敗\"", "失敗", 0, 2)])
    );
    assert!(matches("neg(\"失敗しない\")", text));
    // Inside a token: the token is what counts (敗 is part of the negated 失敗).
    assert!(matches("neg(\"敗\")", text));
    // Ending on 方法, which is not negated.
    assert!(!matches("neg(\"しない方法\")", text));
    assert!(matches("pos(\"しない方法\")", text));
    assert!(matches("neg(/失敗し(な|ませ)/)", text));
    assert!(!matches("neg(/失敗した/)", "失敗した例"));
    assert!(matches("pos(/失敗した/)", "失敗した例"));
}

#[test]
fn neg_and_pos_with_near_and_seq() {
    let without = "費用をかけずに対策したい";
    let with = "費用をかけて対策したい";
    // One member negated: say which with neg() inside.
    assert_eq!(
        run("near(費用, neg(かける))", without),
        matched_with(vec![
            evidence("費用", "費用", 0, 2),
            evidence("かける", "かけ", 3, 5)
        ])
    );
    assert!(!matches("near(費用, neg(かける))", with));
    assert!(matches("near(費用, pos(かける))", with));
    assert!(!matches("near(neg(費用), かける)", without));
    // A pair is negated when either member is: neg(near(a, b)) is near(neg(a), b) | near(a,
    // neg(b)), and pos(near(a, b)) is near(pos(a), pos(b)).
    assert!(matches("neg(near(費用, かける))", without));
    assert!(!matches("pos(near(費用, かける))", without));
    assert!(matches("pos(near(費用, かける))", with));
    assert!(matches("neg(seq(費用, かける, 1))", without));
    assert!(!matches("neg(seq(かける, 費用))", without));
    // Negation does not reach past the predicate: 対策 is not negated here.
    assert!(matches("seq(neg(かける), pos(対策), 2)", without));
}

#[test]
fn neg_and_pos_in_explain_and_when_atoms_are_hidden() {
    let program = compile(&[("rule", "neg(失敗) & pos(研修)")]);
    let text = "研修を受けたので失敗しない";
    let tree = program.explain(&analyzer().analyze(text), text, 0);
    assert!(tree.matched);
    let kinds: Vec<NodeKind> = tree.children.iter().map(|child| child.kind).collect();
    assert_eq!(kinds, vec![NodeKind::Neg, NodeKind::Pos]);
    let neg = &tree.children[0];
    assert_eq!(neg.text, "neg(失敗)");
    assert_eq!(neg.evidence, vec![evidence("失敗", "失敗", 8, 10)]);
    assert_eq!(neg.children.len(), 1);
    assert_eq!(neg.children[0].kind, NodeKind::Word);
    assert_eq!(neg.children[0].text, "失敗");
    // Hiding an atom hides its negated occurrences too.
    let analysis = analyzer().analyze(text);
    let present = program.atoms_present(&analysis);
    assert_eq!(present.len(), 2);
    assert!(program.evaluate(&analysis, text)[0].matched);
    for &atom in &present {
        let outcome = program.evaluate_hiding(&analysis, text, |hidden| hidden == atom);
        assert_eq!(outcome[0], not_matched());
    }
}

#[test]
fn program_is_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Program>();
}

#[test]
fn whole_corpus_evaluates_with_consistent_evidence() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/ipa-2024/labeled.jsonl");
    let corpus = std::fs::read_to_string(path).expect("the labeled corpus is in the repository");
    let program = compile(&[
        (
            "security",
            "セキュリティ | \"セキュリティ\" | /セキュリティ\\S*/",
        ),
        ("measures", "near(セキュリティ | 情報, 対策, 2)"),
        ("ordered", "seq(/[A-Z]{2,}/, 取得 | 導入, 5)"),
        ("not-security", "!@security & (\"の\" | の:助詞)"),
    ]);
    let mut matched = [0usize; 4];
    for line in corpus.lines().filter(|line| !line.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
        let text = value["text"].as_str().expect("a text field");
        // `evaluate` checks every evidence's offsets against the text.
        for (count, outcome) in matched.iter_mut().zip(evaluate(&program, text)) {
            *count += usize::from(outcome.matched);
            if !outcome.matched {
                assert!(outcome.evidence.is_empty());
            }
        }
    }
    assert!(matched.iter().all(|&count| count > 0), "{matched:?}");
}

#[test]
fn syn_parses_one_bare_word() {
    assert_eq!(tree("syn(費用) & 削減"), "(& (syn 費用) 削減)");
    assert_eq!(
        tree("near(syn(コスト), 高い, 3)"),
        "(near (syn コスト) 高い 3)"
    );
    assert_eq!(tree("neg(syn(忙しい))"), "(neg (syn 忙しい))");
    // The full-width parentheses of an input method, and any case of the name.
    assert_eq!(tree("SYN（費用）"), "(syn 費用)");
    for (source, column, message) in [
        (
            "syn()",
            5,
            "syn() takes one word written bare, like syn(費用), not `)`",
        ),
        ("syn(\"費用\")", 5, "syn() takes one word written bare"),
        ("syn(費用:名詞)", 5, "syn() takes one word written bare"),
        ("syn(費用, 予算)", 7, "expected `)` after the word of syn()"),
        (
            "研修 | syn(費用 & 予算)",
            13,
            "expected `)` after the word of syn()",
        ),
        (
            "syn(費用",
            7,
            "expected `)` after the word of syn(), but the expression ends",
        ),
        ("syn(", 5, "syn() needs a word"),
    ] {
        let err = parse_error(source);
        assert_eq!(err.column, column, "{source}: {}", err.message);
        assert!(
            err.message.starts_with(message),
            "{source}: {}",
            err.message
        );
    }
}

#[test]
fn syn_matches_the_word_or_any_of_its_synonyms_and_says_which() {
    // Answers of the labeled corpus (Q14, Q13-1): コスト said as 予算, 投資, 費用; 忙しい as
    // 時間がない.
    assert_eq!(
        run(
            "syn(コスト)",
            "必要性は感じるが予算を費やしてまでとは思わない"
        ),
        matched_with(vec![evidence("予算", "予算", 8, 10)])
    );
    assert_eq!(
        run("syn(コスト)", "投資とコストのバランスの見極めが難しい"),
        matched_with(vec![
            evidence("投資", "投資", 0, 2),
            evidence("コスト", "コスト", 3, 6)
        ])
    );
    assert_eq!(
        run(
            "syn(コスト)",
            "セキュリティ対策費用に対する効果がみえにくい"
        ),
        matched_with(vec![evidence("費用", "費用", 8, 10)])
    );
    assert!(!matches(
        "syn(コスト)",
        "サプライチェーン全体の情報セキュリティに対する意識が低い"
    ));
    // A word of several tokens in the thesaurus matches them in a row, in any inflection.
    assert_eq!(
        run("syn(忙しい)", "時間がなく対応ができていない"),
        matched_with(vec![evidence("時間がない", "時間がなく", 0, 5)])
    );
    // Synonyms have positions like words.
    assert!(matches(
        "near(syn(コスト), 見極め, 5)",
        "投資とコストのバランスの見極めが難しい"
    ));
    // The word alone matches only itself.
    assert!(!matches(
        "費用",
        "必要性は感じるが予算を費やしてまでとは思わない"
    ));

    let text = "必要性は感じるが予算を費やしてまでとは思わない";
    let program = compile(&[("cost", "syn(コスト) | 手間")]);
    let tree = program.explain(&analyzer().analyze(text), text, 0);
    let syn = &tree.children[0];
    assert_eq!(
        (syn.kind, syn.text.as_str(), syn.matched, syn.children.len()),
        (NodeKind::Syn, "syn(コスト)", true, 0)
    );
    assert_eq!(syn.notes.len(), 1, "{:?}", syn.notes);
    assert!(
        syn.notes[0].starts_with("「予算」 matched 予算, a synonym of コスト (synonyms.tsv:"),
        "{:?}",
        syn.notes
    );
    let missed = program.explain(&analyzer().analyze("手間がかかる"), "手間がかかる", 0);
    assert!(missed.children[0].notes[0].starts_with("looked for コスト and its synonyms "));
    assert!(program.warnings().is_empty());
}

#[test]
fn syn_takes_the_groups_of_a_synonyms_file_given_to_the_analyzer() {
    // The answer says 内製 (ipa-133); a survey's own file makes 自前 its synonym, which the
    // built-in thesaurus does not.
    let text = "理解しやすい研修が一般的に流通していないため、研修を内製しているのが大変";
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ours.tsv");
    std::fs::write(&file, "# this survey's words\n自前\t内製\n").unwrap();
    let ours = Analyzer::new(&[])
        .unwrap()
        .with_synonyms(&[file.as_path()])
        .expect("the file parses");
    let rules = rules(&[("in-house", "syn(自前)")]);
    let built_in = Program::compile(analyzer(), &rules).unwrap();
    assert!(!built_in.evaluate(&analyzer().analyze(text), text)[0].matched);
    assert_eq!(built_in.warnings().len(), 1, "no group has 自前 yet");
    let program = Program::compile(&ours, &rules).unwrap();
    assert!(program.warnings().is_empty());
    let outcome = program.evaluate(&ours.analyze(text), text).remove(0);
    assert!(outcome.matched);
    let start = text[..text.find("内製").unwrap()].chars().count();
    assert_eq!(
        outcome.evidence,
        vec![evidence("内製", "内製", start, start + 2)]
    );
    let tree = program.explain(&ours.analyze(text), text, 0);
    assert!(
        tree.notes[0].contains("a synonym of 自前 (ours.tsv:2"),
        "{:?}",
        tree.notes
    );
    // A broken file is refused with its name, line and column.
    std::fs::write(&file, "自前\t(内製\n").unwrap();
    let err = Analyzer::new(&[])
        .unwrap()
        .with_synonyms(&[file.as_path()])
        .err()
        .expect("refused");
    let message = err.to_string();
    assert!(message.contains("ours.tsv:1:4:"), "{message}");
}

#[test]
fn syn_of_a_word_without_synonyms_is_a_warning_not_an_error() {
    let source = "研修\n  | syn(ザクザク語)";
    let program = compile(&[("education", source)]);
    let warnings = program.warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].rule_id(), "education");
    assert_eq!((warnings[0].error.line, warnings[0].error.column), (2, 5));
    assert!(warnings[0]
        .error
        .message
        .starts_with("the thesaurus has no synonyms of `ザクザク語`"));
    assert!(matches(source, "ザクザク語がほしい"));
    // The shipped rules use no syn(): nothing to warn about, and they match as before.
    let rules = jiyu::rules::scheme::RuleSet::load(
        &jiyu::rules::scheme::RulesSource::Directory(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"),
        ),
        analyzer(),
    )
    .expect("the shipped rules compile");
    for scheme in &rules.schemes {
        assert!(scheme.warnings.is_empty(), "{}", scheme.source);
        for category in &scheme.categories {
            assert!(!category.rule.contains("syn("), "{}", category.id);
        }
    }
}

/// An `|` is checked through the atoms that occur in the answer when they are fewer than its
/// children, else child by child: both ways give the same outcome and evidence, for the atoms
/// of the `|` and inside near/neg of it.
#[test]
fn an_or_gives_the_same_evidence_whether_few_or_many_atoms_occur() {
    let long = r#""研修" | "教材" | "動画" | "セミナー" | "補助金" | "事例" | "被害""#;
    let short = r#""研修" | "動画""#;
    let near_rule = r#"near("研修" | "動画" | "教材", "社員" | "従業員", 3)"#;
    // Many atoms occur (more than `short` has children), then few (fewer than `long` has).
    let busy = "社員向けの研修動画と教材、セミナーの事例と被害、補助金の案内";
    let quiet = "社員の研修";
    for text in [busy, quiet] {
        let program = compile(&[("long", long), ("short", short), ("near", near_rule)]);
        let outcomes = evaluate(&program, text);
        // Each rule alone (its own program: only its own atoms occur) agrees.
        for (index, source) in [long, short, near_rule].into_iter().enumerate() {
            assert_eq!(outcomes[index], run(source, text), "{source} on {text}");
        }
        let terms = |outcome: &RuleOutcome| -> Vec<String> {
            outcome
                .evidence
                .iter()
                .map(|found| found.term.clone())
                .collect()
        };
        if text == quiet {
            assert_eq!(terms(&outcomes[0]), ["\"研修\""]);
            assert_eq!(terms(&outcomes[1]), ["\"研修\""]);
            assert_eq!(terms(&outcomes[2]), ["\"社員\"", "\"研修\""]);
        } else {
            assert_eq!(terms(&outcomes[0]).len(), 7, "{:?}", outcomes[0]);
            assert_eq!(terms(&outcomes[1]), ["\"研修\"", "\"動画\""]);
            assert!(outcomes[2].matched);
        }
    }
}
