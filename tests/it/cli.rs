//! The `jiyu` binary as users run it: tokenize, classify on the demo export and the labeled
//! corpus (with its summary's 要確認 and model counts), exit codes and messages for bad input,
//! atomic output, every `--help`; and a new survey as a new user runs it: its own `./rules`, a
//! question no scheme sorts, rule errors at file positions, `suggest` without a scheme.

use crate::common;
/// `jiyu init` on a new survey's export.
mod init;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::{Command, Output};

use common::{demo_input_options, jiyu, jiyu_in, listing, repo, DEMO_Q10_1};

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// The tab-separated fields of every line of `jiyu tokenize` output.
fn token_lines(output: &str) -> Vec<Vec<String>> {
    output
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let fields: Vec<String> = line.split('\t').map(str::to_string).collect();
            assert_eq!(fields.len(), 5, "five tab-separated fields: {line}");
            assert!(
                matches!(fields[4].as_str(), "" | "negated"),
                "the fifth field is `negated` or empty: {line}"
            );
            fields
        })
        .collect()
}

/// (surface, base form) of every line of `jiyu tokenize` output.
fn surfaces_and_bases(output: &str) -> Vec<(String, String)> {
    token_lines(output)
        .into_iter()
        .map(|fields| (fields[0].clone(), fields[1].clone()))
        .collect()
}

#[test]
fn tokenize_keeps_domain_terms_whole_and_shows_base_forms() {
    let output = jiyu(&[
        "tokenize",
        "IT導入補助金の申請にSECURITY ACTIONの二つ星が必要",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let tokens = surfaces_and_bases(&stdout(&output));
    let surfaces: Vec<&str> = tokens.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        surfaces,
        vec![
            "IT導入補助金",
            "の",
            "申請",
            "に",
            "SECURITY ACTION",
            "の",
            "二つ星",
            "が",
            "必要"
        ]
    );

    let output = jiyu(&["tokenize", "ＩＳＭＳの研修を受けた"]);
    let tokens = surfaces_and_bases(&stdout(&output));
    assert!(tokens.contains(&("ISMS".to_string(), "ISMS".to_string())));
    assert!(tokens.contains(&("受け".to_string(), "受ける".to_string())));

    let output = jiyu(&["tokenize", "--count", "ＩＳＭＳの研修を受けた"]);
    assert_eq!(stdout(&output).trim(), "6");
}

#[test]
fn tokenize_marks_the_tokens_of_a_negated_predicate_in_a_fifth_column() {
    let output = jiyu(&["tokenize", "研修を受けたが失敗しない", "失敗した"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let (first, second) = text
        .split_once("\n\n")
        .expect("texts are separated by an empty line");
    let marked = |output: &str| -> Vec<(String, bool)> {
        token_lines(output)
            .into_iter()
            .map(|fields| (fields[0].clone(), fields[4] == "negated"))
            .collect()
    };
    let expected = |tokens: &[(&str, bool)]| -> Vec<(String, bool)> {
        tokens
            .iter()
            .map(|&(surface, negated)| (surface.to_string(), negated))
            .collect()
    };
    assert_eq!(
        marked(first),
        expected(&[
            ("研修", false),
            ("を", false),
            ("受け", false),
            ("た", false),
            ("が", false),
            ("失敗", true),
            ("し", true),
            ("ない", true),
        ])
    );
    assert_eq!(
        marked(second),
        expected(&[("失敗", false), ("し", false), ("た", false)])
    );
}

#[test]
fn classify_the_demo_export_outputs_every_answer_once_in_input_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("labeled.jsonl");
    let output = jiyu(&[
        "classify",
        "--input",
        "corpus/demo/survey.csv",
        "--id-column",
        "回答者ID",
        "--text-columns",
        "Q6-1,Q7-2,Q10-1,Q9,Q10,Q12,Q13-1,Q14,Q15",
        "--output",
        out.to_str().expect("utf-8 path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let expected = jiyu::input::read_all(&repo("corpus/demo/survey.csv"), &demo_input_options())
        .expect("the demo export reads");
    let text = std::fs::read_to_string(&out).expect("output written");
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert_eq!(records.len(), expected.len());
    let mut ids = HashSet::new();
    for (record, answer) in records.iter().zip(&expected) {
        assert_eq!(record["id"], answer.id.as_str());
        assert_eq!(record["text"], answer.text.as_str());
        assert!(ids.insert(answer.id.clone()), "id {} twice", answer.id);
        let categories = record["categories"].as_array().expect("categories array");
        assert_eq!(
            record["primary"], categories[0],
            "primary is the first category"
        );
        assert!(record["attributes"]["業種"].is_string());
    }
    // The summary names every free-text question with its answer count.
    let summary = stderr(&output);
    for question in ["Q6-1", "Q7-2", "Q10-1", "Q14"] {
        let count = expected.iter().filter(|a| a.question == question).count();
        assert!(
            summary.contains(&format!("{question}  ({count} answers")),
            "summary has {question}: {summary}"
        );
    }
    check_review_and_model_lines(&summary, &records);
}

/// Checks the summary of `jiyu classify` against a recount of its JSONL `records`: under each
/// question a scheme sorts, `要確認 N (p%) · model M (q%)` — the answers whose written confidence
/// is below 0.5 and those whose primary category the model gave — and the totals last.
fn check_review_and_model_lines(summary: &str, records: &[serde_json::Value]) {
    let mut questions: Vec<&str> = Vec::new();
    for record in records {
        let question = record["question"].as_str().expect("a question");
        if !questions.contains(&question) {
            questions.push(question);
        }
    }
    let (mut all_review, mut all_model) = (0, 0);
    for question in questions {
        let answers: Vec<&serde_json::Value> = records
            .iter()
            .filter(|record| record["question"] == question)
            .collect();
        let needs_review = answers
            .iter()
            .filter(|record| record["confidence"].as_f64().is_some_and(|c| c < 0.5))
            .count();
        let from_model = answers
            .iter()
            .filter(|record| record["basis"] == "model")
            .count();
        all_review += needs_review;
        all_model += from_model;
        let share = |count: usize| format!("{:.1}%", 100.0 * count as f64 / answers.len() as f64);
        let block = summary
            .split_once(&format!("{question}  ("))
            .map(|(_, block)| block)
            .unwrap_or_else(|| panic!("summary has {question}: {summary}"));
        let header = block.lines().next().expect("the question's line");
        if header.contains("no scheme") {
            assert_eq!((needs_review, from_model), (0, 0), "{question}");
            continue;
        }
        let line = format!(
            "  要確認 {needs_review} ({}) · model {from_model} ({})",
            share(needs_review),
            share(from_model)
        );
        assert_eq!(
            block.lines().nth(1),
            Some(line.as_str()),
            "{question}: {summary}"
        );
    }
    let last = format!(
        "{all_review} answers need review (confidence below 0.5); {all_model} labels from the model"
    );
    assert_eq!(summary.lines().last(), Some(last.as_str()), "{summary}");
}

#[test]
fn classify_summary_with_the_rules_alone_counts_no_model_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("labeled.jsonl");
    let output = jiyu(&[
        "classify",
        "--no-model",
        "--input",
        "corpus/ipa-2024/labeled.jsonl",
        "--output",
        out.to_str().expect("utf-8 path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .expect("output written")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert!(records.iter().all(|record| record["basis"] != "model"));
    let summary = stderr(&output);
    check_review_and_model_lines(&summary, &records);
    assert!(
        summary.trim_end().ends_with("; 0 labels from the model"),
        "{summary}"
    );
}

#[test]
fn classify_csv_is_utf8_with_bom_and_attribute_columns() {
    let output = jiyu(&[
        "classify",
        "--quiet",
        "--input",
        "corpus/ipa-2024/labeled.jsonl",
        "--output-format",
        "csv",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.starts_with(b"\xEF\xBB\xBF"));
    let text = stdout(&output);
    let header = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    assert_eq!(
        header,
        "id,question,text,primary,primary_label,categories,confidence,basis,scheme,category,category_ja"
    );
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(reader.records().count(), 146);
    // --quiet prints no summary, only the warning about the questions no scheme sorts.
    let message = stderr(&output);
    assert!(
        message.starts_with(
            "jiyu: warning: no scheme of ./rules sorts Q4 (13 answers), Q8-2 (10 answers), \
             Q13-2 (6 answers): their answers get no category."
        ),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");
}

/// Answers are untrusted: in the CSV for Excel, a text that Excel would run as a formula starts
/// with `'`; the JSONL keeps the text as written.
#[test]
fn formulas_in_answers_reach_the_csv_as_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("answers.csv");
    std::fs::write(
        &input,
        "id,question,text\r\n\
         1,Q6-1,\"=HYPERLINK(\"\"http://example.com/?\"\"&A1,\"\"事例\"\")\"\r\n\
         2,Q6-1,-研修がほしい\r\n3,Q6-1,-\r\n4,Q6-1,@SUM(1)\r\n",
    )
    .expect("write input");
    let path = input.to_str().expect("utf-8 path");
    let output = jiyu(&[
        "classify",
        "--quiet",
        "--input",
        path,
        "--output-format",
        "csv",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let texts: Vec<String> = reader
        .records()
        .map(|record| record.expect("a CSV record")[2].to_string())
        .collect();
    assert_eq!(
        texts,
        [
            "'=HYPERLINK(\"http://example.com/?\"&A1,\"事例\")",
            "'-研修がほしい",
            "-",
            "'@SUM(1)"
        ]
    );
    let output = jiyu(&["classify", "--quiet", "--input", path]);
    assert!(output.status.success(), "{}", stderr(&output));
    let first: serde_json::Value =
        serde_json::from_str(stdout(&output).lines().next().expect("a line")).expect("JSON");
    assert_eq!(
        first["text"],
        "=HYPERLINK(\"http://example.com/?\"&A1,\"事例\")"
    );
}

#[test]
fn malformed_input_exits_2_naming_file_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("broken.csv");
    std::fs::write(
        &input,
        "id,question,text\r\n1,Q6-1,事例がほしい\r\n2,Q6-1,研修\r\n3,Q6-1,余分,な列\r\n",
    )
    .expect("write input");
    let out = dir.path().join("labeled.jsonl");
    let output = jiyu(&[
        "classify",
        "--input",
        input.to_str().expect("utf-8 path"),
        "--output",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("{}:4:", input.display())),
        "names the file and line 4: {message}"
    );
    assert!(!message.contains("panicked"));
    assert!(!out.exists(), "no half-written output");
    let leftovers = listing(dir.path());
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}

#[test]
fn a_missing_column_and_a_missing_file_are_clear_errors() {
    let output = jiyu(&[
        "classify",
        "--input",
        "corpus/demo/survey.csv",
        "--id-column",
        "回答者ID",
        "--text-columns",
        "Q99",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("Q99"), "{}", stderr(&output));

    let output = jiyu(&["classify", "--input", "no/such/file.csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no/such/file.csv"));
}

#[test]
fn explain_shows_tokens_and_which_rule_parts_matched() {
    let output = jiyu(&[
        "explain",
        "--question",
        "Q10-1",
        "取引先からの信頼が高まった",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("categories: trust"), "{text}");
    assert!(text.contains("[x] trust"), "{text}");
    assert!(text.contains("「信頼」"), "{text}");
    let output = jiyu(&["explain", "--question", "Q99", "何か"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn rules_check_and_test_pass_on_the_shipped_rules() {
    let output = jiyu(&["rules", "check", "rules"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 8, "eight schemes");
    let output = jiyu(&["rules", "test", "rules"]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).contains(" 0 failed"));
}

#[test]
fn every_command_explains_itself_with_an_example() {
    for command in [
        vec!["--help"],
        vec!["classify", "--help"],
        vec!["explain", "--help"],
        vec!["rules", "check", "--help"],
        vec!["rules", "test", "--help"],
        vec!["eval", "--help"],
        vec!["suggest", "--help"],
        vec!["tokenize", "--help"],
        vec!["demo-data", "--help"],
    ] {
        let output = jiyu(&command);
        assert!(output.status.success(), "{command:?}");
        assert!(
            stdout(&output).contains("Example"),
            "{command:?} --help shows an example"
        );
    }
}

#[test]
fn suggest_lists_each_categorys_key_words_from_the_labeled_sample() {
    let output = jiyu(&[
        "suggest",
        "--gold",
        "corpus/ipa-2024/labeled.jsonl",
        "--top",
        "3",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let trust = text
        .split("effect-examples / trust")
        .nth(1)
        .expect("a block for trust");
    let first_word = trust
        .lines()
        .nth(1)
        .and_then(|line| line.split_whitespace().next());
    assert_eq!(
        first_word,
        Some("信頼"),
        "信頼 characterises trust: {trust}"
    );
    assert!(text.contains("site-needs / subsidies"));
}

/// The small export of a new survey (a city office's 「Q5 テレワークを続ける上での課題」, Shift_JIS),
/// its labels and its staff's own rules, in `tests/data/newuser-rules/`.
const NEW_SURVEY: &str = "tests/data/newuser-rules";

/// A working directory for a user of the new survey: its export and gold labels, and, when
/// `own_rules`, its scheme in `./rules` — nothing of jiyu's repository.
fn new_survey_dir(own_rules: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["survey.csv", "gold.jsonl"] {
        std::fs::copy(repo(NEW_SURVEY).join(name), dir.path().join(name)).expect("copy");
    }
    if own_rules {
        std::fs::create_dir(dir.path().join("rules")).expect("mkdir");
        std::fs::copy(
            repo(NEW_SURVEY).join("rules/q5-telework.toml"),
            dir.path().join("rules/q5-telework.toml"),
        )
        .expect("copy");
    }
    dir
}

const SURVEY_ARGS: [&str; 6] = [
    "--input",
    "survey.csv",
    "--id-column",
    "回答者ID",
    "--text-columns",
    "Q5",
];

/// The JSON lines of `text`.
fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

#[test]
fn a_users_own_rules_directory_is_used_by_every_command_and_named() {
    let dir = new_survey_dir(true);
    let path = dir.path();
    let in_use = "jiyu: rules: ./rules (1 scheme: q5-telework.toml)";

    let output = jiyu_in(path, &[&["classify"][..], &SURVEY_ARGS].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains(in_use), "{}", stderr(&output));
    assert!(stderr(&output).contains("Q5  (28 answers, scheme q5-telework)"));
    let records = json_lines(&stdout(&output));
    assert_eq!(records.len(), 28);
    // Every answer is sorted by the user's scheme: a category each, from its rules or its
    // non-answers.
    for record in &records {
        let primary = record["primary"].as_str().expect("a category");
        assert!(
            primary == "no-answer"
                || std::fs::read_to_string(path.join("rules/q5-telework.toml"))
                    .expect("read")
                    .contains(&format!("id = \"{primary}\"")),
            "{record}"
        );
    }
    assert_eq!(records[0]["primary"], "network-equipment");

    // --quiet leaves the line out.
    let output = jiyu_in(path, &[&["classify", "--quiet"][..], &SURVEY_ARGS].concat());
    assert!(output.status.success());
    assert_eq!(stderr(&output), "");

    let output = jiyu_in(path, &["rules", "check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("ok  q5-telework "),
        "{}",
        stdout(&output)
    );
    assert!(stderr(&output).contains(in_use));
    let output = jiyu_in(path, &["rules", "test"]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("7 passed, 0 failed"),
        "{}",
        stdout(&output)
    );
    assert!(stderr(&output).contains(in_use));

    let output = jiyu_in(path, &["explain", "-q", "Q5", "VPNが切れて会議に入れない"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("categories: network-equipment"),
        "{}",
        stdout(&output)
    );
    assert!(stderr(&output).contains(in_use));

    let output = jiyu_in(path, &["eval", "--gold", "gold.jsonl"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("== q5-telework: 28 answers"),
        "{}",
        stdout(&output)
    );
    assert!(stderr(&output).contains(in_use));

    let output = jiyu_in(
        path,
        &[&["report", "--out", "report"][..], &SURVEY_ARGS].concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains(in_use));
    let summary = std::fs::read_to_string(path.join("report/summary.csv")).expect("summary");
    assert!(
        summary.contains("Q5,network-equipment,通信・機器環境,3,"),
        "{summary}"
    );

    let output = jiyu_in(
        path,
        &[&["index", "--index", "idx"][..], &SURVEY_ARGS].concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains(in_use));
    let output = jiyu_in(
        path,
        &["search", "--index", "idx", "--category", "paper", "紙"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("W17:Q5"), "{}", stdout(&output));
}

#[test]
fn without_rules_of_its_own_a_directory_uses_the_built_in_rules_and_says_so() {
    let dir = new_survey_dir(false);
    std::fs::create_dir(dir.path().join("rules")).expect("mkdir");
    std::fs::write(dir.path().join("rules/notes.txt"), "下書き\n").expect("write");
    let output = jiyu_in(dir.path(), &["rules", "check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 8, "the built-in schemes");
    assert_eq!(
        stderr(&output),
        "jiyu: rules: built-in rules (8 schemes; ./rules holds no scheme files (*.toml))\n"
    );
    // In the repository, ./rules is the shipped rules, used as such.
    let output = jiyu(&["rules", "check"]);
    assert_eq!(stderr(&output), "jiyu: rules: ./rules (8 schemes)\n");
}

#[test]
fn a_question_no_scheme_sorts_is_warned_about_and_refused_with_strict() {
    let dir = new_survey_dir(false);
    let path = dir.path();
    let warning = "jiyu: warning: no scheme of the built-in rules sorts Q5 (28 answers): their \
                   answers get no category.";
    let output = jiyu_in(
        path,
        &[&["classify", "--output", "labeled.jsonl"][..], &SURVEY_ARGS].concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains(warning), "{message}");
    assert!(
        message.contains("The rules sort Q6-1, Q7-2, Q9, Q10, Q10-1, Q12, Q13-1, Q14, Q15;"),
        "{message}"
    );
    assert!(message.contains("questions = [\"Q5\"]"), "{message}");
    // What it warns about: every answer without a category but the non-answers.
    let records = json_lines(&std::fs::read_to_string(path.join("labeled.jsonl")).expect("out"));
    assert_eq!(records.len(), 28);
    let empty = records
        .iter()
        .filter(|record| record["categories"] == serde_json::json!([]))
        .count();
    assert_eq!(empty, 28 - 2, "all but 特になし and なし");
    // The warning stays with --quiet: the answers silently got nothing.
    let output = jiyu_in(
        path,
        &[
            &["classify", "--quiet", "--output", "quiet.jsonl"][..],
            &SURVEY_ARGS,
        ]
        .concat(),
    );
    assert!(stderr(&output).starts_with(warning), "{}", stderr(&output));
    assert_eq!(stderr(&output).lines().count(), 1);

    // --strict: an error, exit 2, and nothing written.
    let strict = |args: &[&str]| {
        let output = jiyu_in(path, &[args, &SURVEY_ARGS, &["--strict"]].concat());
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).starts_with(
                "jiyu: no scheme of the built-in rules sorts Q5 (28 answers): their answers get \
                 no category."
            ),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stderr(&output).trim_end().ends_with("(--strict)"));
    };
    strict(&["classify", "--output", "strict.jsonl"]);
    strict(&["report", "--out", "report"]);
    assert!(!path.join("strict.jsonl").exists() && !path.join("report").exists());
    strict(&["index", "--index", "idx"]);

    // With the user's rules, --strict has nothing to refuse.
    let dir = new_survey_dir(true);
    let output = jiyu_in(
        dir.path(),
        &[&["classify", "--strict", "--quiet"][..], &SURVEY_ARGS].concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn rule_errors_give_file_positions_and_name_an_unclosed_string() {
    let dir = new_survey_dir(true);
    let path = dir.path();
    let scheme = path.join("rules/q5-telework.toml");
    let original = std::fs::read_to_string(&scheme).expect("read");
    let line_of = |text: &str, needle: &str| {
        text.lines()
            .position(|line| line.contains(needle))
            .expect("the line")
            + 1
    };

    // A `(` left open inside a ''' rule: both positions are the file's.
    let broken = original.replace("  | PC | 端末", "  | (PC | 端末");
    std::fs::write(&scheme, &broken).expect("write");
    let output = jiyu_in(path, &["rules", "check"]);
    assert_eq!(output.status.code(), Some(2));
    let line = line_of(&broken, "(PC | 端末");
    let text = broken.lines().nth(line - 1).expect("the line");
    let expected = format!(
        "jiyu: rules/q5-telework.toml:{line}:{}: missing `)`: expected `)` to close the `(` at \
         line {line}, column {}\n    {text}\n",
        text.chars().count() + 1,
        text.chars().position(|ch| ch == '(').expect("(") + 1,
    );
    assert!(
        stderr(&output).starts_with(&expected),
        "expected {expected}\ngot {}",
        stderr(&output)
    );

    // A ''' never closed: named, with where it opens.
    let broken = original.replace(
        "rule = \"子ども | 家族 | 机 | 光熱費\"",
        "rule = '''\n  子ども | 家族 | 机 | 光熱費",
    );
    std::fs::write(&scheme, &broken).expect("write");
    let output = jiyu_in(path, &["rules", "check"]);
    assert_eq!(output.status.code(), Some(2));
    let line = line_of(&broken, "子ども | 家族") - 1;
    assert!(
        stderr(&output).starts_with(&format!(
            "jiyu: rules/q5-telework.toml:{line}:8: this ''' string (the value of `rule`) is \
             never closed: the file ends inside it; close it with '''\n    rule = '''\n           ^"
        )),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_schemes_own_non_answers_are_listed_by_rules_check() {
    let dir = new_survey_dir(true);
    let output = jiyu_in(dir.path(), &["rules", "check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).lines().nth(1),
        Some("    non-answers: the built-in check, plus [no_answer]: 3 phrases and a rule")
    );
    let output = jiyu_in(
        dir.path(),
        &[
            "explain",
            "-q",
            "Q5",
            "テレワークをしていないので分からない",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("categories: no-answer\nbasis: no-answer"),
        "{text}"
    );
    assert!(
        text.contains("[x] no-answer — the scheme's own non-answers ([no_answer]: 3 phrases and a rule) ← the rule"),
        "{text}"
    );
}

/// Each line's display width up to the end of its first field and the padding after it: the
/// column where the next field starts.
fn second_field_column(line: &str) -> usize {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let word_end = trimmed.find(' ').unwrap_or(trimmed.len());
    let rest = &trimmed[word_end..];
    let spaces = rest.len() - rest.trim_start().len();
    indent
        + jiyu::text::display_width(&trimmed[..word_end])
        + spaces
        + jiyu::text::display_width(rest.trim_start().split(' ').next().unwrap_or(""))
}

#[test]
fn suggest_without_a_scheme_lists_the_words_of_the_new_question() {
    let dir = new_survey_dir(false);
    let output = jiyu_in(
        dir.path(),
        &[&["suggest", "--top", "8"][..], &SURVEY_ARGS].concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("Q5 (26 answers, non-answers left out): no scheme of the built-in rules sorts it")
    );
    assert_eq!(
        lines.next(),
        Some("  frequent words (no keyness: the input has no other question to compare with)")
    );
    let table: Vec<&str> = lines.take(9).collect();
    assert_eq!(
        table[0].split_whitespace().collect::<Vec<_>>(),
        ["word", "answers", "share"]
    );
    // Counted again from the export: the answers whose tokens have the word as base form.
    let analyzer = jiyu::Analyzer::new(&[]).expect("analyzer");
    let answers: Vec<String> = std::fs::read_to_string(repo(NEW_SURVEY).join("gold.jsonl"))
        .expect("gold")
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("JSON"))
        .filter(|record| !["特になし", "なし"].contains(&record["text"].as_str().unwrap_or("")))
        .map(|record| record["text"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(answers.len(), 26);
    let mut previous = usize::MAX;
    for row in &table[1..] {
        let fields: Vec<&str> = row.split_whitespace().collect();
        let count: usize = fields[1].parse().expect("a count");
        let recount = answers
            .iter()
            .filter(|text| {
                analyzer
                    .analyze(text)
                    .tokens
                    .iter()
                    .any(|token| token.base.as_ref() == fields[0])
            })
            .count();
        assert_eq!(count, recount, "{row}");
        assert!(count <= previous, "most frequent first: {row}");
        previous = count;
        assert_eq!(fields[2], format!("{:.1}%", 100.0 * count as f64 / 26.0));
    }
    // The columns line up on a terminal, wide characters and all.
    let columns: Vec<usize> = table.iter().map(|row| second_field_column(row)).collect();
    assert!(
        columns.iter().all(|&column| column == columns[0]),
        "{columns:?}\n{}",
        table.join("\n")
    );

    // Beside other questions, a keyness column says how characteristic each word is.
    let output = jiyu(&[
        "suggest",
        "--input",
        "corpus/ipa-2024/labeled.jsonl",
        "--top",
        "5",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let q4 = text
        .split("\nQ4 (")
        .nth(1)
        .expect("a block for Q4, which no scheme sorts");
    assert!(
        q4.contains("against the") && q4.contains("answers of the input's other questions"),
        "{q4}"
    );
    assert!(
        q4.contains("words most characteristic of Q4 (highest keyness)"),
        "{q4}"
    );
}

#[test]
fn suggest_and_eval_usage_do_not_require_input() {
    for (command, alone) in [("suggest", "--gold <FILE>"), ("eval", "--gold <FILE>")] {
        let output = jiyu(&[command, "--help"]);
        let help = stdout(&output);
        let usage: Vec<&str> = help
            .lines()
            .skip_while(|line| !line.starts_with("Usage:"))
            .take_while(|line| !line.is_empty())
            .collect();
        assert_eq!(
            usage.first().map(|line| line.trim_start_matches("Usage: ")),
            Some(format!("jiyu {command} {alone} [OPTIONS]").as_str()),
            "{help}"
        );
        assert!(
            usage
                .iter()
                .skip(1)
                .any(|line| line.contains("--input <FILE>")),
            "{help}"
        );
    }
}

/// Runs `jiyu args` in `dir` with standard output a pipe whose reader goes away: at once, before
/// jiyu has written anything (`jiyu … | true`), or after the first line (`jiyu … | head -1`).
/// Returns the exit code and what jiyu wrote on standard error.
fn jiyu_into_a_closed_pipe(
    dir: &std::path::Path,
    args: &[&str],
    first_line: bool,
) -> (Option<i32>, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiyu"))
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the jiyu binary runs");
    let reader = child.stdout.take().expect("a pipe");
    if first_line {
        let mut line = Vec::new();
        std::io::BufReader::new(reader)
            .read_until(b'\n', &mut line)
            .expect("the first line");
        assert!(
            line.ends_with(b"\n"),
            "{args:?}: a first line, got {line:?}"
        );
    } else {
        drop(reader);
    }
    let output = child.wait_with_output().expect("jiyu ends");
    (output.status.code(), stderr(&output))
}

#[test]
fn every_command_whose_reader_goes_away_stops_quietly_with_exit_code_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = |name: &str| dir.path().join(name).to_str().expect("UTF-8").to_string();
    let (answers, index, model) = (file("answers.txt"), file("idx"), file("model.json"));
    // 40,000 lines of real answers: far more tokens than a pipe holds.
    let texts: Vec<String> = std::fs::read_to_string(repo("corpus/ipa-2024/labeled.jsonl"))
        .expect("the labeled corpus")
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("JSON");
            record["text"].as_str().expect("a text").replace('\n', " ")
        })
        .collect();
    let mut big = String::new();
    for text in texts.iter().cycle().take(40_000) {
        big.push_str(text);
        big.push('\n');
    }
    std::fs::write(&answers, big).expect("write");
    let indexed = jiyu(&[
        "index",
        "--input",
        "corpus/ipa-2024/labeled.jsonl",
        "--index",
        &index,
    ]);
    assert!(indexed.status.success(), "{}", stderr(&indexed));

    let gold = "corpus/ipa-2024/labeled.jsonl";
    let demo = [
        "--input",
        "corpus/demo/survey.csv",
        "--id-column",
        "回答者ID",
        "--text-columns",
        "Q6-1,Q7-2,Q10-1,Q9,Q10,Q12,Q13-1,Q14,Q15",
    ];
    let commands: Vec<Vec<&str>> = vec![
        vec!["tokenize", "--input", &answers],
        vec!["tokenize", "--input", &answers, "--count"],
        vec![
            "tokenize",
            "IT導入補助金の申請にSECURITY ACTIONの二つ星が必要",
        ],
        [&["classify", "--quiet"][..], &demo].concat(),
        [
            &["classify", "--quiet", "--output-format", "csv"][..],
            &demo,
        ]
        .concat(),
        vec!["demo-data", "--output", "-"],
        vec!["demo-data", "--labeled", "--output", "-"],
        vec!["eval", "--gold", gold],
        vec!["eval", "--gold", gold, "--json"],
        vec!["train", "--gold", gold, "--out", &model],
        vec!["suggest", "--gold", gold],
        vec![
            "explain",
            "--question",
            "Q10-1",
            "取引先からの信頼が高まった",
        ],
        vec!["rules", "check"],
        vec!["rules", "test"],
        vec!["search", "--index", &index, "--facets", "セキュリティ"],
        vec!["search", "--index", &index, "--json", "セキュリティ"],
        vec!["kwic", "--index", &index, "セキュリティ"],
        [&["words", "--quiet"][..], &demo].concat(),
    ];
    let repository = repo("");
    for args in &commands {
        let (code, message) = jiyu_into_a_closed_pipe(&repository, args, false);
        assert_eq!(code, Some(0), "{args:?} into a closed pipe: {message}");
        assert_eq!(message, "", "{args:?} into a closed pipe");
    }
    // As `| head -1`: the reader takes a line and goes while jiyu is still writing (each of
    // these writes far more than a pipe holds).
    for args in [0, 3, 4, 5, 6].map(|at| &commands[at]) {
        let (code, message) = jiyu_into_a_closed_pipe(&repository, args, true);
        assert_eq!(code, Some(0), "{args:?} | head -1: {message}");
        assert_eq!(message, "", "{args:?} | head -1");
    }
}

// --- A new survey: a city office's Q5 (tests/data/newuser-outputs) ---------------------------

/// The new survey's export (Shift_JIS, as Excel writes it), its rules and a gold file whose
/// categories are the labels a person typed.
const OUTPUTS_SURVEY: &str = "tests/data/newuser-outputs/survey.csv";
const NEW_RULES: &str = "tests/data/newuser-outputs/rules";
const NEW_GOLD: &str = "tests/data/newuser-outputs/gold-labels.jsonl";

/// The new survey's input options.
fn new_survey_args() -> Vec<&'static str> {
    vec![
        "--rules",
        NEW_RULES,
        "--input",
        OUTPUTS_SURVEY,
        "--id-column",
        "回答者ID",
        "--text-columns",
        "Q5",
    ]
}

/// (id, label) of every category of the new survey's scheme, read from its rule file.
fn new_survey_categories() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo("tests/data/newuser-outputs/rules/q5-telework.toml"))
        .expect("the scheme is readable");
    let file: toml::Value = toml::from_str(&text).expect("the scheme is TOML");
    file["category"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|category| {
            (
                category["id"].as_str().expect("an id").to_string(),
                category["label"].as_str().expect("a label").to_string(),
            )
        })
        .collect()
}

/// The JSON of `jiyu eval --json` on `gold` with the new survey's rules.
fn eval_json(gold: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["eval", "--json", "--rules", NEW_RULES, "--gold", gold];
    args.extend_from_slice(extra);
    let output = jiyu(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("eval --json prints JSON")
}

/// Writes the new survey's gold answers with category ids instead of the labels of
/// `gold-labels.jsonl`, as a person who read the README would write them, to `dir`; returns the
/// file, how many categories were labels, and (answer id, category id) of every answer.
fn write_gold_with_ids(dir: &std::path::Path) -> (PathBuf, usize, Vec<(String, String)>) {
    let labels = new_survey_categories();
    let to_id = |given: &str| -> String {
        match labels.iter().find(|(_, label)| label == given) {
            Some((id, _)) => id.clone(),
            None if given == "無回答・特になし" => "no-answer".to_string(),
            None => given.to_string(),
        }
    };
    let text = std::fs::read_to_string(repo(NEW_GOLD)).expect("the gold file is readable");
    let mut by_labels = 0;
    let mut with_ids = String::new();
    let mut gold_ids: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let mut record: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let given = record["category"].as_str().expect("a category").to_string();
        let id = to_id(&given);
        by_labels += usize::from(id != given);
        gold_ids.push((
            record["id"].as_str().expect("an id").to_string(),
            id.clone(),
        ));
        record["category"] = id.into();
        with_ids.push_str(&(record.to_string() + "\n"));
    }
    let path = dir.join("gold-ids.jsonl");
    std::fs::write(&path, with_ids).expect("write the gold ids");
    (path, by_labels, gold_ids)
}

#[test]
fn eval_takes_a_categorys_label_as_its_id_and_refuses_an_unknown_category() {
    let labels = new_survey_categories();
    let dir = tempfile::tempdir().expect("tempdir");
    let (ids_path, by_labels, gold_ids) = write_gold_with_ids(dir.path());
    assert!(by_labels >= 40, "the gold file gives labels: {by_labels}");
    let text = std::fs::read_to_string(repo(NEW_GOLD)).expect("the gold file is readable");

    // What the rules give, recounted from classify.
    let mut args = vec!["classify", "--quiet", "--no-model"];
    args.extend(new_survey_args());
    let output = jiyu(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let primaries: HashMap<String, String> = stdout(&output)
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("JSON");
            (
                record["id"].as_str().expect("id").to_string(),
                record["primary"].as_str().expect("primary").to_string(),
            )
        })
        .collect();
    let right = gold_ids
        .iter()
        .filter(|(id, category)| primaries.get(id) == Some(category))
        .count();

    let by_label = eval_json(NEW_GOLD, &["--no-model"]);
    let by_id = eval_json(ids_path.to_str().expect("utf-8 path"), &["--no-model"]);
    let scheme = &by_label["schemes"][0];
    assert_eq!(scheme["scheme"], "q5-telework");
    assert_eq!(scheme["answers"], gold_ids.len());
    assert_eq!(scheme["correct"], right, "{scheme}");
    assert!(
        right * 10 > gold_ids.len() * 8,
        "{right} of {}",
        gold_ids.len()
    );
    assert_eq!(by_label["schemes"], by_id["schemes"]);
    assert_eq!(by_label["groups"], by_id["groups"]);

    // A category that is neither an id nor a label of the scheme stops eval (and train).
    let bad = text.replacen("\"通信・機器環境\"", "\"通信環境\"", 1);
    let bad_line = bad
        .lines()
        .position(|line| line.contains("通信環境"))
        .expect("the changed line")
        + 1;
    let bad_path = dir.path().join("gold-typo.jsonl");
    std::fs::write(&bad_path, bad).expect("write the gold file");
    let bad_path = bad_path.to_str().expect("utf-8 path");
    for command in [
        vec!["eval", "--rules", NEW_RULES, "--gold", bad_path],
        vec![
            "train",
            "--rules",
            NEW_RULES,
            "--gold",
            bad_path,
            "--out",
            "unused.json",
        ],
    ] {
        let output = jiyu(&command);
        assert_eq!(output.status.code(), Some(2), "{command:?}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("{bad_path}:{bad_line}:")),
            "names the file and line {bad_line}: {message}"
        );
        assert!(message.contains("“通信環境”"), "{message}");
        for (id, _) in &labels {
            assert!(message.contains(id.as_str()), "lists {id}: {message}");
        }
        assert!(!message.contains("panicked"), "{message}");
    }
    assert!(!repo("unused.json").exists());
}

#[test]
fn macro_f1_is_over_the_gold_categories_and_eval_shows_only_the_gold_files_questions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ids_path, _, _) = write_gold_with_ids(dir.path());
    let gold = ids_path.to_str().expect("utf-8 path");
    let report = eval_json(gold, &["--no-model"]);
    let scheme = &report["schemes"][0];
    let categories = scheme["categories"].as_array().expect("categories");
    // The rules leave answers unclassified, which no gold answer is.
    let unclassified = categories
        .iter()
        .find(|category| category["category"] == "unclassified")
        .expect("unclassified is listed");
    assert_eq!(unclassified["support"], 0);
    assert!(unclassified["predicted"].as_u64() > Some(0));
    let gold_f1: Vec<f64> = categories
        .iter()
        .filter(|category| category["support"].as_u64() > Some(0))
        .map(|category| category["f1"].as_f64().expect("f1"))
        .collect();
    assert_eq!(gold_f1.len(), 7, "six headings and no-answer");
    let mean = gold_f1.iter().sum::<f64>() / gold_f1.len() as f64;
    let macro_f1 = scheme["macro_f1"].as_f64().expect("macro_f1");
    assert!((macro_f1 - mean).abs() < 1e-9, "{macro_f1} vs {mean}");
    let groups = report["groups"].as_array().expect("groups");
    assert_eq!(
        groups.len(),
        1,
        "only the schemes of the gold file: {groups:?}"
    );
    assert_eq!(groups[0]["name"], "all schemes");
    assert!((groups[0]["macro_f1"].as_f64().expect("f1") - mean).abs() < 1e-9);

    let output = jiyu(&["eval", "--no-model", "--rules", NEW_RULES, "--gold", gold]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains("Q6-1"), "{text}");
    assert!(
        text.contains(&format!(
            "all schemes: 49 answers, accuracy {:.3}, macro-F1 {mean:.3}",
            { scheme["accuracy"].as_f64().expect("accuracy") }
        )),
        "{text}"
    );

    // Cross-validation shows the same columns.
    let output = jiyu(&["eval", "--rules", NEW_RULES, "--gold", gold, "--cv", "3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains("Q6-1"), "{text}");
    assert!(text.contains("\nall schemes | calibration\n"), "{text}");
    let table = text
        .split_once("\nall schemes | calibration\n")
        .and_then(|(_, rest)| rest.split_once("\naccuracy per scheme"))
        .map(|(table, _)| table)
        .expect("the table of modes");
    let rows: Vec<&str> = table
        .lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .collect();
    assert_eq!(rows.len(), 5, "{text}");
    for row in rows {
        let numbers = row
            .split_whitespace()
            .filter(|field| field.parse::<f64>().is_ok())
            .count();
        assert_eq!(numbers, 4, "accuracy, macro-F1, ECE, top-80%: {row}");
    }

    // The labeled IPA corpus has the main questions: their line stays.
    let output = jiyu(&["eval", "--gold", "corpus/ipa-2024/labeled.jsonl"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("\nQ6-1, Q7-2, Q10-1 (site-needs, effect-examples): 67 answers")
    );
}

/// Runs the binary under `umask` from a shell, as a user's login shell would.
#[cfg(unix)]
fn jiyu_under_umask(umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_jiyu"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("sh runs the jiyu binary")
}

#[cfg(unix)]
#[test]
fn output_files_get_the_permissions_of_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .expect("the output exists")
            .permissions()
            .mode()
            & 0o777
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for (umask, file_mode, dir_mode) in [("022", 0o644, 0o755), ("027", 0o640, 0o750)] {
        let out = dir.path().join(format!("labeled-{umask}.csv"));
        let mut args = vec!["classify", "--quiet", "--output-format", "csv"];
        args.extend(new_survey_args());
        args.extend(["--output", out.to_str().expect("utf-8 path")]);
        let output = jiyu_under_umask(umask, &args);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(
            mode(&out),
            file_mode,
            "classify --output under umask {umask}"
        );

        let report = dir.path().join(format!("report-{umask}"));
        let mut args = vec!["report", "--quiet"];
        args.extend(new_survey_args());
        args.extend(["--out", report.to_str().expect("utf-8 path")]);
        let output = jiyu_under_umask(umask, &args);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(
            mode(&report),
            dir_mode,
            "the report directory under {umask}"
        );
        for file in ["report.html", "summary.csv"] {
            assert_eq!(mode(&report.join(file)), file_mode, "{file} under {umask}");
        }
    }
}

#[test]
fn a_failure_that_is_not_the_users_mistake_exits_3_and_keeps_its_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = dir.path().join("idx");
    let index = index.to_str().expect("UTF-8");
    let indexed = jiyu(&[
        "index",
        "--input",
        "corpus/ipa-2024/labeled.jsonl",
        "--index",
        index,
    ]);
    assert!(indexed.status.success(), "{}", stderr(&indexed));
    // A port another program listens on: the options are right, the machine says no.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = taken.local_addr().expect("its address").to_string();
    let output = jiyu(&["serve", "--index", index, "--bind", &address]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let message = stderr(&output);
    let last = message.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("jiyu: cannot listen on {address}: ")) && last.contains("in use"),
        "{message}"
    );

    // What jiyu was given is wrong: 2, as before.
    let output = jiyu(&["search", "--index", "corpus", "漏洩"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("jiyu: corpus: no jiyu index here;"),
        "{}",
        stderr(&output)
    );
}

#[test]
/// The index lists attribute values in jiyu's one natural order (`jiyu::text::natural_cmp`,
/// which the report also uses for questions); the report's cross-tables keep the export's order
/// of first appearance, which `--order` can replace.
fn search_lists_attribute_values_in_natural_order_and_the_report_as_the_export_does() {
    // A long export whose attributes hold what real ones do: 従業員数 with "-" where the
    // respondent gave none, and 拠点 typed two ways (第9営業所, 第09営業所).
    let dir = tempfile::tempdir().expect("tempdir");
    let texts = [
        "ウイルス感染の被害事例",
        "中小企業向けの研修動画がほしい",
        "セキュリティポリシーのひな形",
        "同業他社の取り組み事例",
        "補助金の申請方法",
        "ランサムウェアの被害事例と対策",
        "社員向けのeラーニング教材",
        "チェックリストがあるとよい",
    ];
    let attributes = [
        ("301名以上", "第10営業所"),
        ("-", "第9営業所"),
        ("6～20名", "第09営業所"),
        ("1～5名", "本社"),
        ("21～50名", "第1営業所"),
        ("-", "第09営業所"),
        ("101～300名", "第9営業所"),
        ("51～100名", "第2営業所"),
    ];
    let mut export = String::new();
    for (number, (text, (employees, office))) in texts.iter().zip(attributes).enumerate() {
        export.push_str(
            &serde_json::json!({
                "id": format!("R{:05}", number + 1),
                "question": "Q6-1",
                "text": text,
                "従業員数": employees,
                "拠点": office,
            })
            .to_string(),
        );
        export.push('\n');
    }
    let input = dir.path().join("answers.jsonl");
    std::fs::write(&input, export).expect("write");
    let input = input.to_str().expect("UTF-8");
    let out = dir.path().join("report");
    let index = dir.path().join("idx");
    let (out, index) = (out.to_str().expect("UTF-8"), index.to_str().expect("UTF-8"));
    let report = jiyu(&[
        "report",
        "--input",
        input,
        "--by",
        "従業員数,拠点",
        "--out",
        out,
    ]);
    assert!(report.status.success(), "{}", stderr(&report));
    let indexed = jiyu(&["index", "--input", input, "--index", index]);
    assert!(indexed.status.success(), "{}", stderr(&indexed));

    let crosstab = std::fs::read_to_string(dir.path().join("report/crosstab.csv")).expect("read");
    for (attribute, in_the_export, expected) in [
        (
            "従業員数",
            "301名以上, -, 6～20名, 1～5名, 21～50名, 101～300名, 51～100名",
            "-, 1～5名, 6～20名, 21～50名, 51～100名, 101～300名, 301名以上",
        ),
        (
            "拠点",
            "第10営業所, 第9営業所, 第09営業所, 本社, 第1営業所, 第2営業所",
            "本社, 第1営業所, 第2営業所, 第09営業所, 第9営業所, 第10営業所",
        ),
    ] {
        let mut sorted: Vec<&str> = expected.split(", ").collect();
        sorted.sort_by(|a, b| jiyu::text::natural_cmp(a, b));
        assert_eq!(
            sorted.join(", "),
            expected,
            "the natural order of {attribute}"
        );
        // The report: the values of the attribute's cross-table, in its order.
        let mut listed: Vec<&str> = Vec::new();
        for line in crosstab.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            if fields[1] == attribute && !listed.contains(&fields[2]) {
                listed.push(fields[2]);
            }
        }
        let listed: Vec<&str> = listed
            .into_iter()
            .filter(|value| !value.is_empty())
            .collect();
        assert_eq!(
            listed.join(", "),
            in_the_export,
            "report, {attribute}: {crosstab}"
        );
        // The index: the values a filter that matches nothing offers instead.
        let filter = format!("{attribute}=なし");
        let search = jiyu(&["search", "--index", index, "--where", &filter, "事例"]);
        assert!(search.status.success(), "{}", stderr(&search));
        assert!(
            stderr(&search).contains(&format!(
                "no answer has {filter}; values of {attribute}: {expected}\n"
            )),
            "search, {attribute}: {}",
            stderr(&search)
        );
    }
}

#[test]
fn search_by_a_categorys_label_exits_2_naming_the_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = dir.path().join("index");
    let index = index.to_str().expect("utf-8 path");
    let mut args = vec!["index", "--quiet", "--index", index];
    args.extend(new_survey_args());
    let output = jiyu(&args);
    assert!(output.status.success(), "{}", stderr(&output));

    let output = jiyu(&["search", "--index", index, "--category", "通信・機器環境"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("“通信・機器環境”"), "{message}");
    assert!(message.contains("network"), "lists the ids: {message}");
    assert!(stdout(&output).is_empty());
    // Even beside a category that exists.
    let output = jiyu(&[
        "search",
        "--index",
        index,
        "--category",
        "network",
        "--category",
        "通信・機器環境",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));

    // The id finds the answers; an id no answer has is a warning, not an error.
    let output = jiyu(&[
        "search",
        "--index",
        index,
        "--json",
        "--category",
        "network",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let hits: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    assert!(hits.len() >= 8, "{hits:?}");
    assert!(hits.iter().all(|hit| hit["categories"]
        .as_array()
        .expect("categories")
        .contains(&"network".into())));
    let output = jiyu(&["search", "--index", index, "--category", "netwrok"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("no answer is in category “netwrok”"));
}

#[test]
fn one_answer_is_one_answer_in_every_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("one.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"R001:Q6-1\", \"question\": \"Q6-1\", \"text\": \"いろいろ\", \"category\": \"peer-examples\"}\n",
    )
    .expect("write the input");
    let input = input.to_str().expect("utf-8 path");
    let output = jiyu(&["classify", "--no-model", "--input", input]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stderr(&output);
    assert!(summary.contains("Q6-1  (1 answer, scheme "), "{summary}");
    assert_eq!(
        summary.lines().last(),
        Some("1 answer needs review (confidence below 0.5); 0 labels from the model"),
        "{summary}"
    );
    let output = jiyu(&["eval", "--no-model", "--gold", input]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains(": 1 answer, accuracy 0.000"), "{text}");
    assert!(text.contains("\n1 miss:\n"), "{text}");
    assert!(!text.contains("1 answers"), "{text}");
}

// --- Word lists and co-occurrence networks --------------------------------------------------

#[test]
fn words_csv_has_a_bom_counts_by_value_and_leaves_stop_words_out() {
    let output = jiyu(&[&["words", "--by", "従業員数"][..], &DEMO_Q10_1].concat());
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = output.stdout;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header[..8],
        [
            "question",
            "word",
            "base",
            "pos",
            "answers",
            "share",
            "occurrences",
            "negated"
        ]
    );
    // Six sizes of company, each with its answers and share.
    assert_eq!(header.len(), 8 + 2 * 6, "{header:?}");
    assert!(header.contains(&"1～5名:answers".to_string()), "{header:?}");
    let stop_words = [
        "する", "ある", "いる", "なる", "こと", "もの", "よう", "ため", "ない",
    ];
    let mut rows = 0;
    let mut previous = usize::MAX;
    for record in reader.records() {
        let record = record.expect("a CSV row");
        assert_eq!(&record[0], "Q10-1");
        assert!(
            !stop_words.contains(&&record[2]),
            "stop word {}",
            &record[2]
        );
        let answers: usize = record[4].parse().expect("a count");
        let occurrences: usize = record[6].parse().expect("a count");
        assert!(occurrences >= answers && answers <= previous);
        previous = answers;
        // Every answer has one size of company: the sizes' counts add up to the whole.
        let by: usize = (8..record.len())
            .step_by(2)
            .map(|at| record[at].parse::<usize>().expect("a count"))
            .sum();
        assert_eq!(by, answers, "{}", &record[1]);
        rows += 1;
    }
    assert!(rows > 200, "{rows} words");

    // JSONL: the same counts.
    let output = jiyu(
        &[
            &[
                "words",
                "--by",
                "従業員数",
                "--output-format",
                "jsonl",
                "--top",
                "5",
            ][..],
            &DEMO_Q10_1,
        ]
        .concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 5);
    for line in &lines {
        let by: u64 = line["by"]
            .as_array()
            .expect("by")
            .iter()
            .map(|value| value["answers"].as_u64().expect("a count"))
            .sum();
        assert_eq!(Some(by), line["answers"].as_u64(), "{line}");
    }
}

#[test]
fn words_stopwords_file_replaces_the_list_and_a_bad_one_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("stop.txt");
    std::fs::write(&list, "# ours\n宣言\n").expect("write");
    let base = jiyu(&[&["words"][..], &DEMO_Q10_1].concat());
    let ours = jiyu(
        &[
            &["words", "--stopwords", list.to_str().expect("UTF-8")][..],
            &DEMO_Q10_1,
        ]
        .concat(),
    );
    assert!(ours.status.success(), "{}", stderr(&ours));
    let words = |output: &Output| -> HashSet<String> {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .skip(1)
            .map(|line| line.split(',').nth(1).expect("a word").to_string())
            .collect()
    };
    let (base, ours) = (words(&base), words(&ours));
    assert!(base.contains("宣言") && !ours.contains("宣言"));
    // The built-in list no longer applies.
    assert!(!base.contains("する") && ours.contains("する"));

    std::fs::write(&list, "宣言\n補助 金\n").expect("write");
    let output = jiyu(
        &[
            &["words", "--stopwords", list.to_str().expect("UTF-8")][..],
            &DEMO_Q10_1,
        ]
        .concat(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!("{}:2:3: ", list.display())),
        "{}",
        stderr(&output)
    );
}

#[test]
fn words_of_one_category_need_the_rules_and_count_only_its_answers() {
    let all = jiyu(&[&["words", "--output-format", "jsonl"][..], &DEMO_Q10_1].concat());
    let subsidies = jiyu(
        &[
            &[
                "words",
                "--output-format",
                "jsonl",
                "--category",
                "補助金等",
            ][..],
            &DEMO_Q10_1,
        ]
        .concat(),
    );
    assert!(subsidies.status.success(), "{}", stderr(&subsidies));
    let answers_of = |output: &Output, word: &str| -> u64 {
        stdout(output)
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("JSON"))
            .find(|line| line["word"] == word)
            .and_then(|line| line["answers"].as_u64())
            .unwrap_or(0)
    };
    let (in_all, in_category) = (answers_of(&all, "補助金"), answers_of(&subsidies, "補助金"));
    assert!(
        in_category > 0 && in_category <= in_all,
        "{in_category} of {in_all}"
    );
    assert!(answers_of(&subsidies, "宣言") < answers_of(&all, "宣言"));
    let output = jiyu(&[&["words", "--category", "ない分類"][..], &DEMO_Q10_1].concat());
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("ない分類"), "{}", stderr(&output));
}

#[test]
fn words_and_network_name_the_place_of_bad_input_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("broken.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"1\", \"question\": \"Q1\", \"text\": \"補助金の申請\"}\n{\"id\": \"2\", \"question\": \"Q1\", \"text\": 研修}\n",
    )
    .expect("write");
    let input = input.to_str().expect("UTF-8");
    let out = dir.path().join("out");
    let out = out.to_str().expect("UTF-8");
    for args in [
        vec!["words", "--input", input, "--output", out],
        vec!["network", "--input", input, "--out", out],
    ] {
        let output = jiyu(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(message.contains(&format!("{input}:2:")), "{message}");
        assert!(!message.contains("panicked"));
        assert!(!std::path::Path::new(out).exists());
    }
    // A question the input lacks, and an input of several questions without --question.
    let output = jiyu(&[&["words", "--question", "Q99"][..], &DEMO_Q10_1].concat());
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("Q99"));
    let output = jiyu(&[
        "network",
        "--input",
        "corpus/ipa-2024/labeled.jsonl",
        "--out",
        out,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("choose one with --question"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn network_is_the_same_picture_every_run_with_every_text_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("first.svg");
    let second = dir.path().join("second.svg");
    for out in [&first, &second] {
        let output = jiyu(
            &[
                &["network", "--quiet", "--out", out.to_str().expect("UTF-8")][..],
                &DEMO_Q10_1,
            ]
            .concat(),
        );
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let svg = std::fs::read(&first).expect("the picture");
    assert_eq!(
        svg,
        std::fs::read(&second).expect("the picture"),
        "byte-identical"
    );
    let svg = String::from_utf8(svg).expect("UTF-8");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(
        svg.matches("<circle").count() + 1,
        svg.matches("<text").count(),
        "a label per node, and the legend"
    );

    // Words with XML's special characters (a user dictionary's R&D and <社外秘>) are escaped.
    let escaped = dir.path().join("escaped.svg");
    let output = jiyu(&[
        "network",
        "--input",
        "tests/data/words/escape.jsonl",
        "--user-dict",
        "tests/data/words/user.csv",
        "--out",
        escaped.to_str().expect("UTF-8"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&escaped).expect("the picture");
    assert!(
        svg.contains(">R&amp;D</text>") && svg.contains(">&lt;社外秘&gt;</text>"),
        "{svg}"
    );
    assert!(!svg.contains("R&D") && !svg.contains("<社外秘>"));

    // Categories as square nodes, with the rules and the model.
    let categories = dir.path().join("categories.svg");
    let output = jiyu(
        &[
            &[
                "network",
                "--by-category",
                "--quiet",
                "--out",
                categories.to_str().expect("UTF-8"),
            ][..],
            &DEMO_Q10_1,
        ]
        .concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&categories).expect("the picture");
    // The background, then a square per category.
    assert!(svg.matches("<rect").count() > 3, "{svg}");
    assert!(
        svg.contains(">取引先等からの信頼獲得、対外アピール</text>"),
        "{svg}"
    );
}
