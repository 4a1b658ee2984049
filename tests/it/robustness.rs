//! Robustness: messy exports never crash jiyu and never lose an answer.
//!
//! - **Malformed input** (wrong field counts, broken quotes, undecodable bytes, binary and empty
//!   files, headers without the named columns, a missing XLSX sheet), given to the real binary:
//!   exit code 2, one message naming the file, line and column, no panic, and nothing written —
//!   no `--output` file, no report directory, no temporary file left beside them.
//! - **Valid but nasty input** (a 1 MB cell, control characters, emoji with skin tones and ZWJ
//!   sequences, lone combining marks, U+FFFD, bidirectional marks, lines of hundreds of KB) is
//!   classified, counted and indexed, each answer exactly once.
//! - **Nothing is lost** (proptest): generated wide exports, UTF-8 or Shift_JIS, with empty
//!   cells, commas, quotes and line breaks inside cells; every non-blank free-text cell comes
//!   out of `classify` exactly once and in order, is counted once by the report and is indexed
//!   once.
//! - **Encodings**: the demo export in Shift_JIS, UTF-8 and UTF-8 with BOM gives byte-identical
//!   `classify` output.
//! - **Damaged rule files**: a scheme file with a character deleted, or a quote, backslash or
//!   parenthesis inserted, anywhere, loads or is refused with a message whose every position
//!   is a line and column of the file, the file's line shown — never a panic.
//! - **Fuzz findings**: every input in `tests/data/robustness/fuzz/` (what `make fuzz` found)
//!   and the fuzzers' seeds replay without a panic and with the same checks as the fuzz targets.
//!
//! The dictionary is loaded once per process: the library tests share one classifier, and the
//! binary maps its embedded copy in a fraction of a second.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use encoding_rs::SHIFT_JIS;
use indicatif::ProgressBar;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use jiyu::classify::pipeline::{classify_stream, Classified};
use jiyu::index::{build_index, open_index, IndexOptions};
use jiyu::input::{read_all, Encoding, InputOptions};
use jiyu::output::{spreadsheet_safe, ClassifiedWriter, OutputFormat};
use jiyu::report::{self, ReportOptions};
use jiyu::rules::expr::{parse, Program};
use jiyu::rules::scheme::{RuleSet, RulesSource};
use jiyu::{Answer, Error};

use common::{classifier, listing, repo};

/// Runs the binary in `dir`, so file names in messages are as given.
fn jiyu(dir: &Path, args: &[&str]) -> Output {
    // Reading the shipped rules from the repository would depend on the working directory.
    let rules = repo("rules");
    let rules = ["--rules", rules.to_str().expect("a UTF-8 path")];
    common::jiyu_in(dir, &[args, &rules].concat())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn shift_jis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    assert!(!unmappable, "{text:?} is not Shift_JIS");
    bytes.into_owned()
}

/// Whether `text` survives a trip through Shift_JIS unchanged (Excel's CP932 has no emoji,
/// and a few characters, like ¥, come back as others).
fn round_trips_in_shift_jis(text: &str) -> bool {
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    !unmappable
        && SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .is_some_and(|decoded| decoded == text)
}

// ------------------------------------------------------------------------ real-looking exports

/// Answers as respondents write them: the vocabulary of the survey, full- and half-width
/// forms, non-answers, punctuation.
const FRAGMENTS: &[&str] = &[
    "IT導入補助金の申請手続きが複雑でわかりにくい",
    "セキュリティ研修を受けたい",
    "社員向けの教材がほしい。",
    "取引先からの信頼が高まった",
    "特になし",
    "ランサムウェア対策の事例を知りたい",
    "ＳＥＣＵＲＩＴＹ ＡＣＴＩＯＮの二つ星を宣言した",
    "ｾｷｭﾘﾃｨｰ対策の費用が高い",
    "わからない",
    "情報漏えいが心配",
    "中小企業向けのチェックリストが欲しい",
    "専門用語が多くて見にくい",
    "-",
    "パスワード管理を徹底するようになった",
    "社内ルールを作った（情報セキュリティ基本方針）",
    "費用対効果が見えない",
    "ＩＳＭＳの取得を検討中",
    "①テンプレート②動画③相談窓口",
];

const INDUSTRIES: &[&str] = &[
    "製造業",
    "建設業",
    "卸売業・小売業",
    "情報通信業",
    "サービス業（他に分類されないもの）",
    "",
];

const SIZES: &[&str] = &["1-5名", "6-20名", "21-50名", "101-300名", ""];

/// The free-text columns a generated export may have: questions the shipped schemes sort, and
/// one (自由意見) that none does.
const QUESTIONS: &[&str] = &["Q6-1", "Q7-2", "Q10-1", "Q14", "Q15", "自由意見"];

/// One CSV field, quoted when it must be (or always, with `quote_all`).
fn csv_field(value: &str, quote_all: bool) -> String {
    let needs_quotes = value.contains([',', '"', '\r', '\n']);
    if quote_all || needs_quotes {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn csv_line(fields: &[&str], line_end: &str) -> String {
    let fields: Vec<String> = fields.iter().map(|field| csv_field(field, false)).collect();
    format!("{}{line_end}", fields.join(","))
}

/// A wide export like the survey's: 回答者ID, 業種, 従業員数, 取組段階, Q6-1, Q7-2, Q10-1;
/// `rows` respondents with answers from [`FRAGMENTS`]; CRLF line ends, as Excel writes them.
fn survey_rows(rows: usize) -> Vec<[String; 7]> {
    (0..rows)
        .map(|row| {
            let fragment = |offset: usize| FRAGMENTS[(row * 7 + offset) % FRAGMENTS.len()];
            [
                format!("R{:05}", row + 1),
                INDUSTRIES[row % (INDUSTRIES.len() - 1)].to_string(),
                SIZES[row % (SIZES.len() - 1)].to_string(),
                ["一つ星（★）", "二つ星（★★）"][row % 2].to_string(),
                fragment(0).to_string(),
                if row % 3 == 0 {
                    String::new()
                } else {
                    fragment(3).to_string()
                },
                format!("{}、{}", fragment(5), fragment(1)),
            ]
        })
        .collect()
}

const SURVEY_HEADER: [&str; 7] = [
    "回答者ID",
    "業種",
    "従業員数",
    "取組段階",
    "Q6-1",
    "Q7-2",
    "Q10-1",
];

/// The lines (header first) of a survey export, each with its line end.
fn survey_lines(rows: usize) -> Vec<String> {
    std::iter::once(csv_line(&SURVEY_HEADER, "\r\n"))
        .chain(survey_rows(rows).iter().map(|row| {
            let fields: Vec<&str> = row.iter().map(String::as_str).collect();
            csv_line(&fields, "\r\n")
        }))
        .collect()
}

const WIDE_ARGS: [&str; 4] = [
    "--id-column",
    "回答者ID",
    "--text-columns",
    "Q6-1,Q7-2,Q10-1",
];

#[test]
fn the_generated_vocabulary_round_trips_in_shift_jis() {
    // The property test writes Shift_JIS exports only when every text survives the trip; the
    // pools themselves must, or it never would.
    for text in FRAGMENTS
        .iter()
        .chain(INDUSTRIES)
        .chain(SIZES)
        .chain(QUESTIONS)
        .chain(&SURVEY_HEADER)
    {
        assert!(round_trips_in_shift_jis(text), "{text:?}");
    }
}

// ---------------------------------------------------------------------------- malformed input

/// A malformed export and what jiyu must say about it.
struct Malformed {
    /// The file as the user names it (relative to the run's directory).
    name: &'static str,
    bytes: Vec<u8>,
    /// Input options after `--input NAME`.
    args: Vec<&'static str>,
    /// `line:column` the message must name.
    place: &'static str,
    /// A part of the message that says what is wrong.
    says: &'static str,
}

fn malformed_cases() -> Vec<Malformed> {
    let wide = || WIDE_ARGS.to_vec();
    let sjis_export = |lines: &[String]| shift_jis(&lines.concat());
    let workbook = std::fs::read(repo("tests/data/input/survey.xlsx")).expect("the workbook");
    let mut cases = Vec::new();

    // Wrong field counts: a row that lost its last two cells, one with an unquoted comma.
    let mut lines = survey_lines(12);
    lines[7] = "R00008,製造業,1-5名,一つ星（★）,研修がほしい\r\n".to_string();
    cases.push(Malformed {
        name: "short_row.csv",
        bytes: sjis_export(&lines),
        args: wide(),
        place: "8:6",
        says: "expected 7 fields as in the header, found 5",
    });
    let mut lines = survey_lines(12);
    lines[4] = "R00004,建設業,6-20名,二つ星（★★）,教材が欲しい,特に動画,と資料,\r\n".to_string();
    cases.push(Malformed {
        name: "extra_field.csv",
        bytes: sjis_export(&lines),
        args: wide(),
        place: "5:8",
        says: "expected 7 fields as in the header, found 8; a cell containing the delimiter must be quoted",
    });

    // Broken quotes: one opened and never closed, one followed by text.
    let mut lines = survey_lines(10);
    lines[6] = "R00006,製造業,1-5名,一つ星（★）,\"研修の案内がほしい,,\r\n".to_string();
    cases.push(Malformed {
        name: "open_quote.csv",
        bytes: sjis_export(&lines),
        args: wide(),
        place: "7:5",
        says: "field 5 opens a quote (\") that is never closed",
    });
    let mut lines = survey_lines(10);
    lines[3] = "R00003,製造業,1-5名,一つ星（★）,ある,\"はい\"と答えた,\r\n".to_string();
    cases.push(Malformed {
        name: "after_quote.csv",
        bytes: sjis_export(&lines),
        args: wide(),
        place: "4:6",
        says: "field 6 is quoted but has text after its closing quote",
    });

    // Undecodable bytes: a Shift_JIS lead byte without its second byte, in line 9, field 7;
    // and a Latin-1 é far beyond the part of a UTF-8 file that detection looks at.
    let mut bytes = sjis_export(&survey_lines(7));
    bytes.extend(shift_jis("R00009,製造業,1-5名,一つ星（★）,ある,,文字"));
    bytes.extend(b"\x81\x20\r\n");
    bytes.extend(sjis_export(&survey_lines(12)[9..]));
    cases.push(Malformed {
        name: "bad_bytes.csv",
        bytes,
        args: wide(),
        place: "9:7",
        says: "field 7 (“Q10-1”) has bytes that are not valid Shift_JIS (0x81)",
    });
    let lines = survey_lines(600);
    let mut bytes = lines.concat().into_bytes();
    assert!(bytes.len() > 64 * 1024, "past the detection sample");
    bytes.extend(b"R09999,\xE9tranger,1-5\xE5\x90\x8D,,caf\xE9,,\r\n");
    cases.push(Malformed {
        name: "latin1_late.csv",
        bytes,
        args: wide(),
        place: "602:2",
        says: "field 2 (“業種”) has bytes that are not valid UTF-8 (0xE9)",
    });

    // A JSON Lines export with a line cut short.
    cases.push(Malformed {
        name: "answers.jsonl",
        bytes: "{\"id\":\"R1:Q6-1\",\"question\":\"Q6-1\",\"text\":\"研修がほしい\"}\n\
                {\"id\":\"R2:Q6-1\",\"question\":\"Q6-1\",\"text\":\"事例集\"}\n\
                {\"id\":\"R3:Q6-1\",\"question\":\"Q6-1\",\"text\":\"途中で切れた\n"
            .as_bytes()
            .to_vec(),
        args: vec![],
        place: "3:48",
        says: "invalid JSON: EOF while parsing a string",
    });

    // Binary files: a PNG image, a workbook and a UTF-16 export saved under text names.
    let png =
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06".to_vec();
    cases.push(Malformed {
        name: "chart.csv",
        bytes: png,
        args: wide(),
        place: "3:1",
        says: "not a text file (it contains NUL bytes)",
    });
    cases.push(Malformed {
        name: "survey.csv",
        bytes: workbook.clone(),
        args: wide(),
        place: "1:1",
        says: "this is an Excel workbook",
    });
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "回答者ID\tQ6-1\r\nR1\t研修\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    cases.push(Malformed {
        name: "unicode.txt",
        bytes: utf16,
        args: wide(),
        place: "1:1",
        says: "this is UTF-16 text",
    });

    // Empty files of each kind.
    for (name, bytes, says) in [
        (
            "empty.csv",
            &b""[..],
            "the file is empty; expected a header row",
        ),
        (
            "bom_only.csv",
            b"\xEF\xBB\xBF",
            "the file is empty; expected a header row",
        ),
        (
            "blank.tsv",
            b"\r\n\r\n",
            "the file is empty; expected a header row",
        ),
        ("empty.jsonl", b"", "the file has no JSON objects"),
        ("empty.xlsx", b"", "cannot read this as an Excel workbook"),
    ] {
        let args = if name.ends_with(".jsonl") {
            vec![]
        } else {
            wide()
        };
        cases.push(Malformed {
            name,
            bytes: bytes.to_vec(),
            args,
            place: "1:1",
            says,
        });
    }

    // Headers without the named columns: a wide export asked for a question it lacks, a long
    // export whose text column has another name, a workbook likewise.
    cases.push(Malformed {
        name: "q99.csv",
        bytes: sjis_export(&survey_lines(5)),
        args: vec!["--id-column", "回答者ID", "--text-columns", "Q6-1,Q99"],
        place: "1:1",
        says: "the header has no column “Q99”",
    });
    cases.push(Malformed {
        name: "long.csv",
        bytes: "\u{FEFF}id,question,answer\r\n1,Q6-1,研修\r\n"
            .as_bytes()
            .to_vec(),
        args: vec![],
        place: "1:1",
        says: "the header has no column “text”",
    });
    cases.push(Malformed {
        name: "survey.xlsx",
        bytes: workbook.clone(),
        args: vec!["--id-column", "回答者ID", "--text-columns", "Q6-1,Q99"],
        place: "1:1",
        says: "sheet “回答”: the header has no column “Q99”",
    });

    // Hostile workbooks (tests/data/robustness/make_xlsx.py): one that made calamine panic,
    // which printed the panic over jiyu's message, and one whose stray last cell made it ask
    // for a 17-billion-cell grid and abort.
    cases.push(Malformed {
        name: "missing_strings.xlsx",
        bytes: std::fs::read(repo("tests/data/robustness/missing_strings.xlsx")).expect("read"),
        args: vec![],
        place: "1:1",
        says: "cannot read this as an Excel workbook (.xlsx): the XLSX reader failed on this file",
    });
    cases.push(Malformed {
        name: "stray_cell.xlsx",
        bytes: std::fs::read(repo("tests/data/robustness/stray_cell.xlsx")).expect("read"),
        args: vec![],
        place: "1048576:16384",
        says: "sheet “回答”: its cells span A1 to XFD1048576, 17179869184 cells",
    });

    // A sheet that is not in the workbook, and one whose row lost its respondent id.
    cases.push(Malformed {
        name: "survey.xlsx",
        bytes: workbook.clone(),
        args: vec![
            "--id-column",
            "回答者ID",
            "--text-columns",
            "Q6-1",
            "--sheet",
            "Sheet1",
        ],
        place: "1:1",
        says: "there is no sheet named “Sheet1”; the sheets are: “回答”, “長形式”, “欠損”",
    });
    cases.push(Malformed {
        name: "survey.xlsx",
        bytes: workbook,
        args: vec![
            "--id-column",
            "回答者ID",
            "--text-columns",
            "Q6-1",
            "--sheet",
            "欠損",
        ],
        place: "3:1",
        says: "cell A3 (“回答者ID”): the respondent id is empty",
    });
    cases
}

/// The failure every malformed input must end in: exit code 2, one line on stderr naming
/// `name:place`, no panic, and `dir` holding the input and nothing else.
fn assert_clean_failure(output: &Output, dir: &Path, case: &Malformed, command: &str) {
    let message = stderr(output);
    let context = format!("{command} on {} ({}): {message}", case.name, case.place);
    assert_eq!(output.status.code(), Some(2), "{context}");
    assert!(
        message.starts_with(&format!("jiyu: {}:{}: ", case.name, case.place)),
        "{context}"
    );
    assert!(message.contains(case.says), "{context}");
    assert_eq!(message.trim_end().lines().count(), 1, "{context}");
    for panic_text in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!message.contains(panic_text), "{context}");
    }
    assert!(output.stdout.is_empty(), "{context}");
    assert_eq!(listing(dir), vec![case.name.to_string()], "{context}");
}

#[test]
fn every_malformed_export_exits_2_naming_file_line_and_column_and_writes_nothing() {
    let cases = malformed_cases();
    for case in &cases {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(case.name), &case.bytes).expect("write the input");
        let with_input = |args: &[&'static str]| -> Vec<&str> {
            let mut all: Vec<&str> = args.to_vec();
            all.extend(["--input", case.name]);
            all.extend(&case.args);
            all
        };
        for (command, args) in [
            (
                "classify (JSONL)",
                with_input(&["classify", "--output", "labeled.jsonl"]),
            ),
            (
                "classify (CSV)",
                with_input(&[
                    "classify",
                    "--output-format",
                    "csv",
                    "--output",
                    "labeled.csv",
                ]),
            ),
            ("report", with_input(&["report", "--out", "report"])),
        ] {
            let output = jiyu(dir.path(), &args);
            assert_clean_failure(&output, dir.path(), case, command);
        }
    }
}

// ----------------------------------------------------------------------- valid but nasty input

/// Answers that are valid however odd: (respondent, question, text).
fn nasty_answers() -> Vec<(String, &'static str, String)> {
    let megabyte = "研修の教材がほしい。".repeat(1024 * 1024 / 30 + 1);
    assert!(megabyte.len() >= 1024 * 1024);
    // A line of ~300 KB whose three-byte characters straddle every 64 KiB buffer edge.
    let long = |seed: &str| format!("{seed}{}", "情報セキュリティ対策a".repeat(3500));
    let texts: Vec<(&str, String)> = vec![
        ("Q6-1", megabyte),
        ("Q10-1", "取引先からの信頼が高まった👍🏻".into()),
        ("Q14", "👨‍👩‍👧‍👦家族経営なので手が回らない".into()),
        (
            "Q6-1",
            "ベル\u{7}BS\u{8}VT\u{b}FF\u{c}ESC\u{1b}DEL\u{7f}C1\u{85}\u{9b}研修がほしい".into(),
        ),
        ("Q10-1", "\u{301}".into()),
        ("Q14", "\u{3099}\u{309a}ﾞﾟ費用が高い".into()),
        ("Q6-1", "文字化け\u{fffd}\u{fffd}の回答".into()),
        (
            "Q10-1",
            "\u{200f}\u{202e}ملاحظة\u{202c}研修を受けた\u{200e}".into(),
        ),
        (
            "Q14",
            "\u{fffe}\u{ffff}\u{e000}私用領域と非文字\u{2028}行区切り\u{2029}".into(),
        ),
        ("Q6-1", long("長い行A")),
        ("Q10-1", long("長い行B")),
        ("Q14", "\t先頭にタブ、前後に空白  ".into()),
        ("Q6-1", "一行目\r二行目\n三行目\r\n四行目".into()),
        (
            "Q10-1",
            "\u{feff}BOMで始まる回答、異体字の葛\u{e0100}城".into(),
        ),
        ("Q14", "🙏🇯🇵🇺🇸1️⃣2️⃣👍🏿".into()),
        ("Q6-1", "ＡＢＣ,\"引用\",'単引用',カンマ区切り".into()),
    ];
    texts
        .into_iter()
        .enumerate()
        .map(|(index, (question, text))| (format!("R{:03}", index / 3 + 1), question, text))
        .collect()
}

/// The nasty answers as a wide CSV export (UTF-8): one row per respondent.
fn nasty_csv(answers: &[(String, &str, String)]) -> String {
    let questions = ["Q6-1", "Q10-1", "Q14"];
    let mut csv = csv_line(&["回答者ID", "業種", "Q6-1", "Q10-1", "Q14"], "\r\n");
    let mut respondents: Vec<&str> = answers.iter().map(|(id, _, _)| id.as_str()).collect();
    respondents.dedup();
    for respondent in respondents {
        let mut fields = vec![respondent.to_string(), "製造業".to_string()];
        for question in questions {
            fields.push(
                answers
                    .iter()
                    .find(|(id, q, _)| id == respondent && *q == question)
                    .map(|(_, _, text)| text.clone())
                    .unwrap_or_default(),
            );
        }
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        csv.push_str(&csv_line(&fields, "\r\n"));
    }
    csv
}

/// The (id, text) pairs `jiyu classify` wrote as JSONL, after checking each record's evidence
/// offsets cut the text where the evidence says.
fn jsonl_records(jsonl: &str) -> Vec<(String, String)> {
    jsonl
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let text = record["text"].as_str().expect("text").to_string();
            let chars: Vec<char> = text.chars().collect();
            let evidence = record["evidence"].as_object().expect("evidence");
            for matches in evidence.values() {
                for found in matches.as_array().expect("a list") {
                    let start = found["start"].as_u64().expect("start") as usize;
                    let end = found["end"].as_u64().expect("end") as usize;
                    assert!(start <= end && end <= chars.len(), "{found}");
                    let cut: String = chars[start..end].iter().collect();
                    assert_eq!(cut, found["text"].as_str().expect("text"), "{found}");
                }
            }
            (record["id"].as_str().expect("id").to_string(), text)
        })
        .collect()
}

/// The (id, text) pairs of `jiyu classify --output-format csv`.
fn csv_records(bytes: &[u8]) -> Vec<(String, String)> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM");
    let mut reader = csv::Reader::from_reader(body);
    let header = reader.headers().expect("a header").clone();
    assert_eq!(&header[0], "id");
    assert_eq!(&header[2], "text");
    reader
        .records()
        .map(|record| {
            let record = record.expect("a CSV record");
            (record[0].to_string(), record[2].to_string())
        })
        .collect()
}

/// (id, text) pairs as the CSV output shows them: a text Excel would run as a formula gets a
/// leading `'`.
fn as_in_csv(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(id, text)| (id.clone(), spreadsheet_safe(text).into_owned()))
        .collect()
}

/// question → category → answers whose categories contain it, from `classify` JSONL output.
fn jsonl_counts(jsonl: &str) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for line in jsonl.lines() {
        let record: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let question = record["question"].as_str().expect("question").to_string();
        for category in record["categories"].as_array().expect("categories") {
            let category = category.as_str().expect("a category").to_string();
            *counts.entry((question.clone(), category)).or_default() += 1;
        }
    }
    counts
}

/// (question, category) → count of a report's `summary.csv`, zero rows left out.
fn summary_counts(bytes: &[u8]) -> BTreeMap<(String, String), usize> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM");
    let mut reader = csv::Reader::from_reader(body);
    reader
        .records()
        .map(|record| record.expect("a CSV record"))
        .filter(|record| &record[3] != "0")
        .map(|record| {
            (
                (record[0].to_string(), record[1].to_string()),
                record[3].parse().expect("a count"),
            )
        })
        .collect()
}

/// Every (id, text) in the index at `dir` exactly once, with the stored text.
fn assert_indexed_once(dir: &Path, expected: &[(String, String)]) {
    let searcher = open_index(dir, classifier()).expect("the index opens");
    assert_eq!(searcher.num_docs(), expected.len() as u64);
    let index = searcher.index();
    let schema = index.schema();
    let id_field = schema.get_field("id").expect("an id field");
    let text_field = schema.get_field("text").expect("a text field");
    let reader = index.reader().expect("a reader");
    let tantivy = reader.searcher();
    for (id, text) in expected {
        let query = TermQuery::new(
            Term::from_field_text(id_field, id),
            IndexRecordOption::Basic,
        );
        let hits = tantivy
            .search(&query, &TopDocs::with_limit(2).order_by_score())
            .expect("a search by id");
        assert_eq!(hits.len(), 1, "{id} is indexed once");
        let document: TantivyDocument = tantivy.doc(hits[0].1).expect("the stored answer");
        let stored = document
            .get_first(text_field)
            .and_then(|value| value.as_str())
            .unwrap_or_default();
        assert_eq!(stored, text, "{id}");
    }
}

#[test]
fn nasty_but_valid_answers_are_classified_counted_and_indexed_exactly_once() {
    let answers = nasty_answers();
    let expected: Vec<(String, String)> = answers
        .iter()
        .map(|(respondent, question, text)| (format!("{respondent}:{question}"), text.clone()))
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("nasty.csv"), nasty_csv(&answers)).expect("write");
    // The same answers as JSON Lines, one a line (the longest is over a megabyte).
    let jsonl: String = answers
        .iter()
        .map(|(respondent, question, text)| {
            let id = format!("{respondent}:{question}");
            format!(
                "{}\n",
                serde_json::json!({"id": id, "question": question, "text": text, "業種": "製造業"})
            )
        })
        .collect();
    std::fs::write(dir.path().join("nasty.jsonl"), jsonl).expect("write");
    let wide = [
        "--id-column",
        "回答者ID",
        "--text-columns",
        "Q6-1,Q10-1,Q14",
    ];

    for (input, input_args) in [("nasty.csv", &wide[..]), ("nasty.jsonl", &[][..])] {
        let run = |args: &[&str]| {
            let mut all = args.to_vec();
            all.extend(["--input", input]);
            all.extend(input_args);
            let output = jiyu(dir.path(), &all);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{args:?} {input}: {}",
                stderr(&output)
            );
            assert!(!stderr(&output).contains("panicked"));
            output
        };
        run(&["classify", "--quiet", "--output", "labeled.jsonl"]);
        let labeled = std::fs::read_to_string(dir.path().join("labeled.jsonl")).expect("output");
        assert_eq!(jsonl_records(&labeled), expected, "{input}: JSONL output");
        let output = run(&["classify", "--quiet", "--output-format", "csv"]);
        assert_eq!(
            csv_records(&output.stdout),
            as_in_csv(&expected),
            "{input}: CSV output"
        );

        if input.ends_with(".jsonl") {
            // Report and index read the answers the same way whatever the format.
            continue;
        }
        run(&["report", "--out", "report"]);
        let summary = std::fs::read(dir.path().join("report/summary.csv")).expect("summary");
        assert_eq!(summary_counts(&summary), jsonl_counts(&labeled), "{input}");

        run(&["index", "--quiet", "--index", "index"]);
        assert_indexed_once(&dir.path().join("index"), &expected);
    }
}

// ------------------------------------------------------------------------- Shift_JIS vs UTF-8

#[test]
fn the_demo_export_in_shift_jis_utf8_and_utf8_with_bom_classifies_byte_identically() {
    let sjis = std::fs::read(repo("corpus/demo/survey.csv")).expect("the demo export");
    let text = SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(&sjis)
        .expect("the demo export is Shift_JIS");
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = [
        ("sjis.csv", sjis.clone()),
        ("utf8.csv", text.as_bytes().to_vec()),
        ("bom.csv", [b"\xEF\xBB\xBF", text.as_bytes()].concat()),
    ];
    for (name, bytes) in &inputs {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    let columns = "Q6-1,Q7-2,Q10-1,Q9,Q10,Q12,Q13-1,Q14,Q15";
    // One thread per encoding: each run classifies 10,000 answers.
    let outputs: Vec<(Vec<u8>, Vec<u8>)> = std::thread::scope(|scope| {
        let runs: Vec<_> = inputs
            .iter()
            .map(|(name, _)| {
                let dir = dir.path();
                scope.spawn(move || {
                    let classify = |format: &str| {
                        let output = jiyu(
                            dir,
                            &[
                                "classify",
                                "--quiet",
                                "--input",
                                name,
                                "--id-column",
                                "回答者ID",
                                "--text-columns",
                                columns,
                                "--output-format",
                                format,
                            ],
                        );
                        assert!(output.status.success(), "{name}: {}", stderr(&output));
                        output.stdout
                    };
                    (classify("jsonl"), classify("csv"))
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("the run finishes"))
            .collect()
    });
    let (jsonl, csv) = &outputs[0];
    assert!(jsonl.len() > 1_000_000 && csv.len() > 1_000_000);
    assert!(
        String::from_utf8_lossy(jsonl).contains("\"text\":\"特になし\""),
        "Japanese text decoded"
    );
    for ((name, _), (other_jsonl, other_csv)) in inputs.iter().zip(&outputs).skip(1) {
        assert!(other_jsonl == jsonl, "{name}: JSONL differs from Shift_JIS");
        assert!(other_csv == csv, "{name}: CSV differs from Shift_JIS");
    }
}

// ------------------------------------------------------------------ property: nothing is lost

/// A generated wide export.
#[derive(Debug, Clone)]
struct Export {
    /// The free-text columns in header order.
    questions: Vec<String>,
    /// The same columns in the order `--text-columns` gives them (the answers' order).
    order: Vec<String>,
    /// Per respondent: 業種, 従業員数 and one cell per question (header order).
    rows: Vec<(String, String, Vec<String>)>,
    shift_jis: bool,
    bom: bool,
    crlf: bool,
    quote_all: bool,
    final_line_end: bool,
}

/// A piece of an answer. In a Shift_JIS export only what Shift_JIS can hold.
fn piece(shift_jis: bool) -> BoxedStrategy<String> {
    let fragment = prop::sample::select(FRAGMENTS).prop_map(str::to_string);
    let separators = prop::sample::select(vec![
        ",",
        "\"",
        "\"\"",
        "\r\n",
        "\n",
        "\r",
        "、",
        " ",
        "\u{3000}",
        "\t",
        "ｱｲｳ",
    ])
    .prop_map(str::to_string);
    if shift_jis {
        return prop_oneof![3 => fragment, 1 => separators].boxed();
    }
    let unicode = prop::collection::vec(any::<char>().prop_filter("no NUL", |c| *c != '\0'), 1..6)
        .prop_map(|chars| chars.into_iter().collect::<String>());
    let odd = prop::sample::select(vec![
        "👍🏻",
        "👨‍👩‍👧‍👦",
        "🇯🇵",
        "1️⃣",
        "\u{301}",
        "\u{fffd}",
        "\u{200f}",
        "\u{202e}",
        "葛\u{e0100}",
        "\u{feff}",
        "\u{1b}[31m",
    ])
    .prop_map(str::to_string);
    prop_oneof![6 => fragment, 2 => separators, 2 => unicode, 1 => odd].boxed()
}

/// A free-text cell: empty, blank (spaces and line breaks only), or an answer.
fn cell(shift_jis: bool) -> BoxedStrategy<String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => prop::sample::select(vec![" ", "\u{3000}", " \r\n ", "\t"]).prop_map(str::to_string),
        6 => prop::collection::vec(piece(shift_jis), 1..5).prop_map(|pieces| pieces.concat()),
    ]
    .boxed()
}

fn export() -> impl Strategy<Value = Export> {
    (
        any::<bool>(),
        prop::sample::subsequence(QUESTIONS, 1..=4),
        0usize..30,
    )
        .prop_flat_map(|(shift_jis, questions, respondents)| {
            let questions: Vec<String> = questions.iter().map(|q| q.to_string()).collect();
            let width = questions.len();
            let row = (
                prop::sample::select(INDUSTRIES).prop_map(str::to_string),
                prop::sample::select(SIZES).prop_map(str::to_string),
                prop::collection::vec(cell(shift_jis), width),
            );
            (
                Just(questions.clone()),
                Just(questions).prop_shuffle(),
                prop::collection::vec(row, respondents),
                Just(shift_jis),
                any::<[bool; 4]>(),
            )
        })
        .prop_map(
            |(questions, order, rows, shift_jis, [bom, crlf, quote_all, final_line_end])| Export {
                questions,
                order,
                rows,
                shift_jis,
                bom,
                crlf,
                quote_all,
                final_line_end,
            },
        )
}

impl Export {
    /// The header: 回答者ID, 業種, the questions, 従業員数.
    fn header(&self) -> Vec<String> {
        let mut header = vec!["回答者ID".to_string(), "業種".to_string()];
        header.extend(self.questions.iter().cloned());
        header.push("従業員数".to_string());
        header
    }

    fn respondent(index: usize) -> String {
        format!("R{:04}", index + 1)
    }

    /// The file's text.
    fn text(&self) -> String {
        let line_end = if self.crlf { "\r\n" } else { "\n" };
        let mut lines = vec![self.header()];
        for (index, (industry, size, cells)) in self.rows.iter().enumerate() {
            let mut fields = vec![Export::respondent(index), industry.clone()];
            fields.extend(cells.iter().cloned());
            fields.push(size.clone());
            lines.push(fields);
        }
        let lines: Vec<String> = lines
            .iter()
            .map(|fields| {
                fields
                    .iter()
                    .map(|field| csv_field(field, self.quote_all))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        let mut text = lines.join(line_end);
        if self.final_line_end {
            text.push_str(line_end);
        }
        text
    }

    /// The file's bytes, and whether they are Shift_JIS (only when every text survives it).
    fn bytes(&self) -> (Vec<u8>, bool) {
        let text = self.text();
        if self.shift_jis && round_trips_in_shift_jis(&text) {
            return (shift_jis(&text), true);
        }
        let bom: &[u8] = if self.bom { b"\xEF\xBB\xBF" } else { b"" };
        ([bom, text.as_bytes()].concat(), false)
    }

    /// The answers the export holds: (id, question, text) of every cell with more than white
    /// space, respondent by respondent, questions in `--text-columns` order.
    fn expected(&self) -> Vec<(String, String, String)> {
        let mut answers = Vec::new();
        for (index, (_, _, cells)) in self.rows.iter().enumerate() {
            for question in &self.order {
                let column = self
                    .questions
                    .iter()
                    .position(|q| q == question)
                    .expect("a question of the header");
                let text = &cells[column];
                if !text.trim().is_empty() {
                    answers.push((
                        format!("{}:{question}", Export::respondent(index)),
                        question.clone(),
                        text.clone(),
                    ));
                }
            }
        }
        answers
    }

    fn options(&self) -> InputOptions {
        InputOptions {
            id_column: Some("回答者ID".into()),
            text_columns: self.order.clone(),
            ..InputOptions::default()
        }
    }
}

/// Checks one generated export end to end: classify (JSONL and CSV), report, index.
fn check_nothing_is_lost(export: &Export) -> Result<(), TestCaseError> {
    let classifier = classifier();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("export.csv");
    let (bytes, in_shift_jis) = export.bytes();
    std::fs::write(&path, &bytes).expect("write the export");
    let options = export.options();
    let expected = export.expected();
    let ids_and_texts: Vec<(String, String)> = expected
        .iter()
        .map(|(id, _, text)| (id.clone(), text.clone()))
        .collect();

    // The encoding jiyu detects is the one written.
    let reader = jiyu::input::open(&path, &options).expect("the export opens");
    let encoding = if in_shift_jis {
        Encoding::ShiftJis
    } else {
        Encoding::Utf8
    };
    prop_assert_eq!(reader.encoding(), Some(encoding));

    // classify, both output formats, as `jiyu classify` writes them.
    let mut jsonl = Vec::new();
    let mut csv = Vec::new();
    {
        let no_label = |_: &Classified| String::new();
        let mut jsonl_writer =
            ClassifiedWriter::new(&mut jsonl, OutputFormat::Jsonl, Vec::new(), &no_label)
                .expect("a writer");
        let attributes = vec!["業種".to_string(), "従業員数".to_string()];
        let mut csv_writer =
            ClassifiedWriter::new(&mut csv, OutputFormat::Csv, attributes, &no_label)
                .expect("a writer");
        classify_stream(reader, &classifier, &ProgressBar::hidden(), |item| {
            jsonl_writer.write(&item)?;
            csv_writer.write(&item)
        })
        .expect("a valid export classifies");
    }
    let jsonl = String::from_utf8(jsonl).expect("UTF-8 output");
    let questions: Vec<(String, String)> = jsonl
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("JSON");
            (
                record["id"].as_str().unwrap_or_default().to_string(),
                record["question"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    prop_assert_eq!(&jsonl_records(&jsonl), &ids_and_texts);
    prop_assert_eq!(
        questions,
        expected
            .iter()
            .map(|(id, question, _)| (id.clone(), question.clone()))
            .collect::<Vec<_>>()
    );
    prop_assert_eq!(csv_records(&csv), as_in_csv(&ids_and_texts));

    // report: per question, its answers are its non-blank cells, and each category's count
    // is what classify gave.
    let report_options = ReportOptions {
        by: vec!["業種".to_string()],
        examples: 2,
        source: "export.csv".to_string(),
        ..ReportOptions::default()
    };
    let report = report::build(
        jiyu::input::open(&path, &options).expect("the export opens"),
        &classifier,
        None,
        &report_options,
        &ProgressBar::hidden(),
    )
    .expect("the report builds");
    prop_assert_eq!(report.answers, expected.len());
    for question in &export.questions {
        let cells = expected.iter().filter(|(_, q, _)| q == question).count();
        let reported = report
            .questions
            .iter()
            .find(|q| &q.question == question)
            .map_or(0, |q| q.answers);
        prop_assert_eq!(reported, cells, "answers to {}", question);
    }
    for question in &report.questions {
        for table in &question.crosstabs {
            let total: usize = table
                .rows
                .iter()
                .filter(|row| !row.total)
                .map(|row| row.n)
                .sum();
            prop_assert_eq!(
                total,
                question.answers,
                "{} by {}",
                &question.question,
                &table.attribute
            );
        }
    }
    let summary = report::tables::summary_csv(&report).expect("summary.csv");
    prop_assert_eq!(summary_counts(&summary), jsonl_counts(&jsonl));
    // The renderings take any text.
    let _ = report::html::render(&report);
    let _ = report::markdown::render(&report);
    report::tables::crosstab_csv(&report).expect("crosstab.csv");

    // index: every answer once, by id, with its text.
    let index_dir = dir.path().join("index");
    let stats = build_index(
        &index_dir,
        jiyu::input::open(&path, &options).expect("the export opens"),
        classifier,
        None,
        &IndexOptions {
            threads: 1,
            memory_budget: 16 << 20,
            ..IndexOptions::default()
        },
        &ProgressBar::hidden(),
    )
    .expect("the export indexes");
    prop_assert_eq!(stats.indexed, expected.len());
    prop_assert_eq!(stats.documents, expected.len() as u64);
    assert_indexed_once(&index_dir, &ids_and_texts);
    Ok(())
}

proptest! {
    // 24 cases keep `make test` quick; PROPTEST_CASES=500 runs a longer search.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(24),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/data/robustness/proptest-regressions.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_non_blank_cell_is_classified_counted_and_indexed_exactly_once(export in export()) {
        check_nothing_is_lost(&export)?;
    }
}

// ------------------------------------------------------------------------ fuzz findings replay

/// The files of `dir` (none when it does not exist), sorted.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// The inputs of one fuzz target: what it found (tests/data/robustness/fuzz/TARGET) and its
/// seeds (fuzz/seeds/TARGET).
fn fuzz_inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = files_in(&repo(&format!("tests/data/robustness/fuzz/{target}")));
    files.extend(files_in(&repo(&format!("fuzz/seeds/{target}"))));
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read a fuzz input");
            (path, bytes)
        })
        .collect()
}

/// What the input targets check (fuzz/fuzz_targets/common.rs): an error is an input error
/// naming this file and a line and column in it; answers have ids, and wide answers text.
fn check_read(path: &Path, options: &InputOptions, max_line: Option<usize>, origin: &Path) {
    let origin = origin.display();
    match read_all(path, options) {
        Ok(answers) => {
            for Answer {
                id, question, text, ..
            } in &answers
            {
                assert!(
                    !id.trim().is_empty() && id.trim() == id.as_str(),
                    "{origin}: {id:?}"
                );
                if !options.text_columns.is_empty() {
                    assert!(options.text_columns.contains(question), "{origin}");
                    assert!(id.ends_with(&format!(":{question}")), "{origin}: {id:?}");
                    assert!(!text.trim().is_empty(), "{origin}: {id:?}");
                }
            }
        }
        Err(Error::Input {
            path: named,
            line,
            column,
            ..
        }) => {
            assert_eq!(named, path.display().to_string(), "{origin}");
            assert!(line >= 1 && column >= 1, "{origin}");
            if let Some(max_line) = max_line {
                assert!(line <= max_line, "{origin}: line {line} of {max_line}");
            }
        }
        Err(other) => panic!("{origin}: expected an input error, got {other:?}"),
    }
}

fn text_lines(bytes: &[u8]) -> usize {
    let mut lines = 1;
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'\n' || (byte == b'\r' && bytes.get(index + 1) != Some(&b'\n')) {
            lines += 1;
        }
    }
    lines
}

fn fuzz_wide_options() -> InputOptions {
    InputOptions {
        id_column: Some("回答者ID".into()),
        text_columns: vec!["Q6-1".into(), "Q10-1".into()],
        ..InputOptions::default()
    }
}

/// The encoding the fuzz targets take from two bits of their first byte.
fn fuzz_encoding(bits: u8) -> Option<Encoding> {
    match bits & 3 {
        1 => Some(Encoding::Utf8),
        2 => Some(Encoding::ShiftJis),
        _ => None,
    }
}

#[test]
fn fuzz_inputs_of_the_readers_replay_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut replayed = 0;
    for (origin, data) in fuzz_inputs("input_csv") {
        let Some((&choice, bytes)) = data.split_first() else {
            continue;
        };
        let name = if choice & 1 == 1 { "f.tsv" } else { "f.csv" };
        let mut options = if choice & 8 == 8 {
            fuzz_wide_options()
        } else {
            InputOptions::default()
        };
        options.encoding = fuzz_encoding(choice >> 1);
        let path = dir.path().join(format!("{replayed}{name}"));
        std::fs::write(&path, bytes).expect("write");
        check_read(&path, &options, Some(text_lines(bytes)), &origin);
        replayed += 1;
    }
    for (origin, data) in fuzz_inputs("input_jsonl") {
        let Some((&choice, bytes)) = data.split_first() else {
            continue;
        };
        let mut options = InputOptions {
            encoding: fuzz_encoding(choice),
            ..InputOptions::default()
        };
        if choice & 4 == 4 {
            options.id_column = Some("回答者ID".into());
            options.question_column = Some("設問".into());
            options.text_column = Some("回答".into());
        }
        let path = dir.path().join(format!("{replayed}f.jsonl"));
        std::fs::write(&path, bytes).expect("write");
        let lines = 1 + bytes.iter().filter(|&&byte| byte == b'\n').count();
        check_read(&path, &options, Some(lines), &origin);
        replayed += 1;
    }
    for (origin, data) in fuzz_inputs("input_xlsx") {
        let Some((&choice, bytes)) = data.split_first() else {
            continue;
        };
        // Inputs whose first bit is set are parts the target zips into a workbook; what it
        // found that way is kept here as the workbook itself, with the bit clear.
        if choice & 1 == 1 {
            continue;
        }
        let mut options = if choice & 2 == 2 {
            fuzz_wide_options()
        } else {
            InputOptions::default()
        };
        options.sheet = match (choice >> 2) & 3 {
            1 => Some("回答".into()),
            2 => Some("Sheet9".into()),
            _ => None,
        };
        let path = dir.path().join(format!("{replayed}f.xlsx"));
        std::fs::write(&path, bytes).expect("write");
        check_read(&path, &options, None, &origin);
        replayed += 1;
    }
    assert!(replayed >= 13, "the seeds at least: {replayed}");
}

#[test]
fn fuzz_inputs_of_the_rule_parser_replay_cleanly() {
    let analyzer = &classifier().analyzer;
    let inputs = fuzz_inputs("rule_parser");
    assert!(inputs.len() >= 30, "the seeds at least");
    for (origin, data) in inputs {
        let origin = origin.display();
        let source = String::from_utf8_lossy(&data);
        if let Err(err) = parse(&source) {
            assert!(err.line >= 1 && err.column >= 1, "{origin}: {err}");
            let _ = err.render("rules/x.toml", &source, 3);
        }
        let rules: Vec<(String, String)> = source
            .split('\0')
            .take(8)
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
            .map(|(source, id)| (id.to_string(), source.to_string()))
            .collect();
        match Program::compile(analyzer, &rules) {
            Ok(program) => {
                for answer in [
                    "IT導入補助金の申請が複雑",
                    "研修を受けた👍🏻",
                    source.as_ref(),
                ] {
                    let analysis = analyzer.analyze(answer);
                    let outcomes = program.evaluate(&analysis, answer);
                    assert_eq!(outcomes.len(), rules.len(), "{origin}");
                    for (index, outcome) in outcomes.iter().enumerate() {
                        let explained = program.explain(&analysis, answer, index);
                        assert_eq!(explained.matched, outcome.matched, "{origin}");
                    }
                }
            }
            Err(err) => {
                assert!(
                    rules.iter().any(|(id, _)| *id == err.rule),
                    "{origin}: {err}"
                );
                let _ = err.to_string();
            }
        }
    }
}

/// Checks a rule-file error: `file:line:column: …` with the line in `text` and the column on it,
/// the file's line shown under it, and every `line L, column C` the message names on the file.
fn check_rules_message(message: &str, file: &str, text: &str, origin: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    let in_file = |line: usize, column: usize| {
        line >= 1
            && line <= lines.len()
            && column >= 1
            && column <= lines[line - 1].trim_end_matches('\r').chars().count() + 1
    };
    let Some(rest) = message.strip_prefix(&format!("{file}:")) else {
        // Errors of the whole file (two schemes with one id …) name no position.
        assert!(message.starts_with(file), "{origin}: {message}");
        return;
    };
    let mut fields = rest.splitn(3, ':');
    let line: usize = fields.next().and_then(|f| f.parse().ok()).unwrap_or(0);
    let column: usize = fields.next().and_then(|f| f.parse().ok()).unwrap_or(0);
    assert!(in_file(line, column), "{origin}: {message}");
    if let Some(shown) = message.lines().nth(1) {
        assert_eq!(
            shown.strip_prefix("    "),
            Some(lines[line - 1].trim_end_matches('\r')),
            "{origin}: {message}"
        );
    }
    let first = message.lines().next().unwrap_or("");
    for named in first.split("at line ").skip(1) {
        let mut parts = named.splitn(2, ", column ");
        let line: usize = parts.next().and_then(|f| f.parse().ok()).unwrap_or(0);
        let column: usize = parts
            .next()
            .map(|rest| {
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|digits| digits.parse().ok())
            .unwrap_or(0);
        assert!(in_file(line, column), "{origin}: {message}");
    }
}

#[test]
fn damaged_rule_files_are_refused_at_a_position_of_the_file() {
    let analyzer = &classifier().analyzer;
    let original = std::fs::read_to_string(repo("tests/data/newuser-rules/rules/q5-telework.toml"))
        .expect("the fixture scheme");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("q5-telework.toml");
    let file = path.display().to_string();
    let source = RulesSource::Directory(dir.path().to_path_buf());
    let (mut loaded, mut refused) = (0, 0);
    let boundaries: Vec<usize> = original.char_indices().map(|(at, _)| at).collect();
    for &at in &boundaries {
        let next = original[at..].chars().next().map_or(0, char::len_utf8);
        let mut damaged = vec![format!("{}{}", &original[..at], &original[at + next..])];
        for inserted in ["'", "\"", "\\", "("] {
            damaged.push(format!("{}{inserted}{}", &original[..at], &original[at..]));
        }
        for text in damaged {
            std::fs::write(&path, &text).expect("write");
            let origin = format!("damaged at byte {at}");
            match RuleSet::load(&source, analyzer) {
                Ok(_) => loaded += 1,
                Err(Error::Rules(message)) => {
                    refused += 1;
                    check_rules_message(&message, &file, &text, &origin);
                }
                Err(other) => panic!("{origin}: not a rules error: {other}"),
            }
        }
    }
    // Both outcomes occur, so the checks say something.
    assert!(
        loaded > 100 && refused > 1000,
        "{loaded} loaded, {refused} refused"
    );
}
