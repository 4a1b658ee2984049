//! Fuzzes the rule-expression language: `parse`, `Program::compile` (references, cycles, words
//! analyzed with the real dictionary, literals, regexes), `evaluate` and `explain`, and the
//! rendering of every error.
//!
//! The input is split at NUL bytes into up to eight rules with the ids `a` … `h`, so `@a`
//! references and cycles between rules are reachable. Beyond "no panic" it checks what the
//! rest of jiyu relies on: error positions inside the source, node spans on character
//! boundaries, one outcome per rule, and evidence whose offsets cut the answer where its text
//! says.

#![no_main]

use std::sync::OnceLock;

use jiyu::rules::expr::{parse, Expr, ExprKind, ParseError, Program};
use jiyu::Analyzer;
use libfuzzer_sys::fuzz_target;

const IDS: [&str; 8] = ["a", "b", "c", "d", "e", "f", "g", "h"];

/// Answers every compiled program is evaluated on, besides the input itself.
const ANSWERS: [&str; 4] = [
    "IT導入補助金の申請手続きが複雑でわかりにくい",
    "社員向けのセキュリティ研修を受けたい。ＩＳＭＳの事例も見たい",
    "取引先からの信頼が高まった 👍🏻",
    "特になし",
];

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(&[]).expect("the embedded dictionary loads"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check_parse(&text);
    let rules: Vec<(String, String)> = text
        .split('\0')
        .take(IDS.len())
        .zip(IDS)
        .map(|(source, id)| (id.to_string(), source.to_string()))
        .collect();
    check_compile(&rules, &text);
});

fn check_parse(source: &str) {
    match parse(source) {
        Ok(expr) => {
            check_spans(&expr, source);
            let _ = expr.to_string();
        }
        Err(err) => check_error(&err, source),
    }
}

/// An error points at a line and column of the source and renders without panicking.
fn check_error(err: &ParseError, source: &str) {
    let lines = source.split('\n').count();
    assert!(
        err.line >= 1 && err.line <= lines,
        "line {} of {lines}: {err}",
        err.line
    );
    let line_chars = source
        .split('\n')
        .nth(err.line - 1)
        .map_or(0, |line| line.chars().count());
    assert!(
        err.column >= 1 && err.column <= line_chars + 1,
        "column {} of a line of {line_chars} characters: {err}",
        err.column
    );
    let _ = err.render("rules/x.toml", source, 3);
    let _ = err.render_at("rules/x.toml", source, 10, 9);
}

/// Every node's span lies inside the source, on character boundaries.
fn check_spans(expr: &Expr, source: &str) {
    let span = expr.span;
    assert!(
        span.start <= span.end && span.end <= source.len(),
        "{span:?}"
    );
    assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
    match &expr.kind {
        ExprKind::Not(inner) | ExprKind::Neg(inner) | ExprKind::Pos(inner) => {
            check_spans(inner, source)
        }
        ExprKind::And(items) | ExprKind::Or(items) => {
            items.iter().for_each(|item| check_spans(item, source))
        }
        ExprKind::Call { left, right, .. } => {
            check_spans(left, source);
            check_spans(right, source);
        }
        ExprKind::Word { .. } | ExprKind::Literal(_) | ExprKind::Regex(_) | ExprKind::Ref(_) => {}
    }
}

fn check_compile(rules: &[(String, String)], input: &str) {
    let program = match Program::compile(analyzer(), rules) {
        Ok(program) => program,
        Err(err) => {
            let source = rules
                .iter()
                .find(|(id, _)| *id == err.rule)
                .map(|(_, source)| source.as_str())
                .unwrap_or_else(|| panic!("the error names rule {:?}, not given", err.rule));
            check_error(&err.error, source);
            let _ = err.render("rules/x.toml", source, 4, 8);
            let _ = err.to_string();
            return;
        }
    };
    assert_eq!(program.len(), rules.len());
    // The input itself, so its literals and words can match; capped to keep runs fast.
    let mut end = input.len().min(2000);
    while !input.is_char_boundary(end) {
        end -= 1;
    }
    for answer in ANSWERS.iter().copied().chain([&input[..end]]) {
        let analysis = analyzer().analyze(answer);
        let outcomes = program.evaluate(&analysis, answer);
        assert_eq!(outcomes.len(), rules.len());
        let chars: Vec<char> = answer.chars().collect();
        for (index, outcome) in outcomes.iter().enumerate() {
            if !outcome.matched {
                assert!(outcome.evidence.is_empty());
            }
            for evidence in &outcome.evidence {
                assert!(
                    evidence.start <= evidence.end && evidence.end <= chars.len(),
                    "{evidence:?} in {answer:?}"
                );
                let cut: String = chars[evidence.start..evidence.end].iter().collect();
                assert_eq!(cut, evidence.text, "{evidence:?} in {answer:?}");
            }
            let explained = program.explain(&analysis, answer, index);
            assert_eq!(
                explained.matched, outcome.matched,
                "rule {index} on {answer:?}"
            );
        }
    }
}
