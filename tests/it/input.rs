//! The input module against real-looking Japanese survey exports: JSONL, long and wide
//! CSV/TSV, XLSX, in UTF-8, UTF-8 with BOM and Shift_JIS, and every malformed case with the
//! exact line and column it must report.

use std::path::{Path, PathBuf};

use jiyu::input::{open, read_all, Encoding, Format, InputOptions};
use jiyu::{Answer, Error};

fn write(dir: &tempfile::TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/input")
        .join(name)
}

/// The error as the user sees it, with the directory part of the path removed.
fn error_text(result: Result<Vec<Answer>, Error>) -> String {
    let err = result.expect_err("expected an error");
    let text = err.to_string();
    match err {
        Error::Input { path, .. } => text.replacen(&path, &file_name(&path), 1),
        _ => text,
    }
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// (line, column) of an input error.
fn place(result: Result<Vec<Answer>, Error>) -> (usize, usize) {
    match result.expect_err("expected an error") {
        Error::Input { line, column, .. } => (line, column),
        other => panic!("expected an input error, got {other}"),
    }
}

fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn answer(id: &str, question: &str, text: &str, attributes: &[(&str, &str)]) -> Answer {
    Answer {
        id: id.into(),
        question: question.into(),
        text: text.into(),
        attributes: attrs(attributes),
    }
}

fn wide_options() -> InputOptions {
    InputOptions {
        id_column: Some("回答者ID".into()),
        text_columns: vec!["Q6-1".into(), "Q7-2".into(), "Q10-1".into()],
        ..InputOptions::default()
    }
}

/// A wide export as Excel on Japanese Windows saves it: CRLF, a quoted multi-line cell, empty
/// and blank cells, CP932-only characters (①, ㈱).
const WIDE_CSV: &str = "回答者ID,業種,従業員数,取組段階,Q6-1,Q7-2,Q10-1\r\n\
R0001,製造業,50,検討中,IT導入補助金の申請手続きが複雑でわかりにくい,,セキュリティ研修を受けたい\r\n\
R0002,卸売業,120,実施中,,社内に詳しい人材がいない,\"①クラウド化\r\n②㈱○○に相談\"\r\n\
R0003,サービス業,8,未着手,   ,\"費用対効果が見えない、判断できない\",\r\n";

fn wide_expected() -> Vec<Answer> {
    let r1 = [
        ("業種", "製造業"),
        ("従業員数", "50"),
        ("取組段階", "検討中"),
    ];
    let r2 = [
        ("業種", "卸売業"),
        ("従業員数", "120"),
        ("取組段階", "実施中"),
    ];
    let r3 = [
        ("業種", "サービス業"),
        ("従業員数", "8"),
        ("取組段階", "未着手"),
    ];
    vec![
        answer(
            "R0001:Q6-1",
            "Q6-1",
            "IT導入補助金の申請手続きが複雑でわかりにくい",
            &r1,
        ),
        answer("R0001:Q10-1", "Q10-1", "セキュリティ研修を受けたい", &r1),
        answer("R0002:Q7-2", "Q7-2", "社内に詳しい人材がいない", &r2),
        answer("R0002:Q10-1", "Q10-1", "①クラウド化\r\n②㈱○○に相談", &r2),
        answer(
            "R0003:Q7-2",
            "Q7-2",
            "費用対効果が見えない、判断できない",
            &r3,
        ),
    ]
}

fn shift_jis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "test text must be encodable in Shift_JIS");
    bytes.into_owned()
}

// ---------------------------------------------------------------- JSONL

#[test]
fn jsonl_reads_fields_attributes_and_numeric_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "answers.jsonl",
        concat!(
            r#"{"id": 1, "question": "Q6-1", "text": "IT導入補助金の申請が大変", "業種": "製造業", "従業員数": 50, "回答済": true, "備考": null, "タグ": ["補助金", "申請"], "詳細": {"地域": "関東"}}"#,
            "\n\n   \n",
            r#"{"業種": "小売業", "text": "特になし", "question": "Q7-2", "id": "A-2"}"#,
            "\r\n",
        ),
    );
    let answers = read_all(&path, &InputOptions::default()).unwrap();
    assert_eq!(
        answers,
        vec![
            answer(
                "1",
                "Q6-1",
                "IT導入補助金の申請が大変",
                &[
                    ("業種", "製造業"),
                    ("従業員数", "50"),
                    ("回答済", "true"),
                    ("備考", ""),
                    ("タグ", r#"["補助金","申請"]"#),
                    ("詳細", r#"{"地域":"関東"}"#),
                ]
            ),
            answer("A-2", "Q7-2", "特になし", &[("業種", "小売業")]),
        ]
    );
}

#[test]
fn jsonl_field_names_can_be_overridden() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "answers.ndjson",
        r#"{"回答者": "R0001", "設問": "Q6-1", "回答": "人手が足りない", "id": "x"}"#,
    );
    let options = InputOptions {
        id_column: Some("回答者".into()),
        question_column: Some("設問".into()),
        text_column: Some("回答".into()),
        ..InputOptions::default()
    };
    let answers = read_all(&path, &options).unwrap();
    assert_eq!(
        answers,
        vec![answer("R0001", "Q6-1", "人手が足りない", &[("id", "x")])]
    );
}

#[test]
fn jsonl_errors_name_line_and_character_column() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"id": "a", "question": "Q1", "text": "よい"}"#;

    // Invalid JSON on line 3 (after a blank line): the `x` is the 45th character, although it
    // is the 51st byte.
    let path = write(
        &dir,
        "bad.jsonl",
        format!("{good}\n\n{{\"id\": \"a\", \"question\": \"Q1\", \"text\": \"あいう\" x}}\n"),
    );
    let text = error_text(read_all(&path, &InputOptions::default()));
    assert!(text.starts_with("bad.jsonl:3:45: invalid JSON: "), "{text}");
    assert!(!text.contains("at line"), "{text}");

    // A missing text field names the field and the option, on the object's line.
    let path = write(
        &dir,
        "missing.jsonl",
        format!("{good}\n{{\"id\": \"b\", \"question\": \"Q1\", \"回答\": \"…\"}}\n"),
    );
    let text = error_text(read_all(&path, &InputOptions::default()));
    assert_eq!(
        text,
        "missing.jsonl:2:1: the object has no field “text” (name it with --text-column); \
         its fields are: id, question, 回答"
    );

    // A line that is not an object; a JSON array gets a hint.
    let path = write(&dir, "array.json", format!("[{good}]\n"));
    let text = error_text(read_all(&path, &InputOptions::default()));
    assert!(
        text.starts_with("array.json:1:1: expected a JSON object, found an array; a JSON array is not JSON Lines"),
        "{text}"
    );

    // An id that is neither a string nor a number.
    let path = write(
        &dir,
        "null_id.jsonl",
        format!("{good}\n  {{\"id\": null, \"question\": \"Q1\", \"text\": \"t\"}}\n"),
    );
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "null_id.jsonl:2:3: field “id” must be a string or a number, found null"
    );

    // Truncated last line: the error is at its last character.
    let path = write(&dir, "cut.jsonl", format!("{good}\n{{\"id\": \"c\", \"tex"));
    assert_eq!(place(read_all(&path, &InputOptions::default())), (2, 16));
}

#[test]
fn jsonl_answers_before_an_error_are_yielded_first() {
    // Streaming: the reader hands out the good lines before it reaches the bad one.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "answers.jsonl",
        "{\"id\":1,\"question\":\"Q1\",\"text\":\"一\"}\n\
         {\"id\":2,\"question\":\"Q1\",\"text\":\"二\"}\n\
         not json\n",
    );
    let mut reader = open(&path, &InputOptions::default()).unwrap();
    assert_eq!(reader.format(), Format::Jsonl);
    assert_eq!(reader.encoding(), Some(Encoding::Utf8));
    assert_eq!(reader.next().unwrap().unwrap().text, "一");
    assert_eq!(reader.next().unwrap().unwrap().text, "二");
    let err = reader.next().unwrap().unwrap_err().to_string();
    // serde_json reads `n` as the start of `null` and stops at the `o`.
    assert!(err.contains(":3:2: invalid JSON: expected ident"), "{err}");
    assert!(reader.next().is_none());
}

// ---------------------------------------------------------------- long CSV / TSV

#[test]
fn long_csv_reads_columns_and_attributes_in_header_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "long.csv",
        "地域, id ,question,業種,text\n\
         関東,101,Q6-1,製造業,\"申請書類が多い、時間がかかる\"\n\
         近畿, 102 ,Q6-1,建設業,\"「\"\"電子申請\"\"」がわからない\"\n\
         九州,103,Q7-2,,\n",
    );
    let answers = read_all(&path, &InputOptions::default()).unwrap();
    assert_eq!(
        answers,
        vec![
            answer(
                "101",
                "Q6-1",
                "申請書類が多い、時間がかかる",
                &[("地域", "関東"), ("業種", "製造業")]
            ),
            answer(
                "102",
                "Q6-1",
                "「\"電子申請\"」がわからない",
                &[("地域", "近畿"), ("業種", "建設業")]
            ),
            answer("103", "Q7-2", "", &[("地域", "九州"), ("業種", "")]),
        ]
    );
}

#[test]
fn long_tsv_reads_tabs_and_quoted_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "long.tsv",
        "id\tquestion\ttext\t従業員数\n\
         201\tQ10-1\tクラウド, 会計ソフトを導入\t30\n\
         202\tQ10-1\t\"タブ\tを含む\n二行の回答\"\t5\n",
    );
    let answers = read_all(&path, &InputOptions::default()).unwrap();
    assert_eq!(
        answers,
        vec![
            answer(
                "201",
                "Q10-1",
                "クラウド, 会計ソフトを導入",
                &[("従業員数", "30")]
            ),
            answer(
                "202",
                "Q10-1",
                "タブ\tを含む\n二行の回答",
                &[("従業員数", "5")]
            ),
        ]
    );
    // `.txt` is Excel's tab-delimited export.
    let txt = write(&dir, "long.txt", std::fs::read(&path).unwrap());
    assert_eq!(read_all(&txt, &InputOptions::default()).unwrap(), answers);
}

#[test]
fn renamed_columns_and_a_header_missing_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "renamed.csv",
        "No,設問,自由記述,業種\n1,Q6-1,人材不足,製造業\n",
    );
    let text = error_text(read_all(&path, &InputOptions::default()));
    assert_eq!(
        text,
        "renamed.csv:1:1: the header has no columns “id”, “question”, “text”; it has: No, 設問, \
         自由記述, 業種. Name the right columns with --id-column, --question-column, \
         --text-column; for a wide export (one row per respondent, one column per question) \
         give --id-column and --text-columns"
    );
    let options = InputOptions {
        id_column: Some("No".into()),
        question_column: Some("設問".into()),
        text_column: Some("自由記述".into()),
        ..InputOptions::default()
    };
    assert_eq!(
        read_all(&path, &options).unwrap(),
        vec![answer("1", "Q6-1", "人材不足", &[("業種", "製造業")])]
    );
    let only_text = InputOptions {
        id_column: Some("No".into()),
        question_column: Some("設問".into()),
        ..InputOptions::default()
    };
    let text = error_text(read_all(&path, &only_text));
    assert!(
        text.starts_with("renamed.csv:1:1: the header has no column “text”; it has: No, 設問, 自由記述, 業種. Name the right column with --text-column;"),
        "{text}"
    );
}

// ---------------------------------------------------------------- wide CSV and encodings

#[test]
fn wide_csv_gives_one_answer_per_non_empty_text_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "wide.csv", WIDE_CSV);
    let answers = read_all(&path, &wide_options()).unwrap();
    assert_eq!(answers, wide_expected());
}

#[test]
fn wide_text_columns_follow_the_given_order_and_the_rest_are_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "wide.csv", WIDE_CSV);
    let options = InputOptions {
        id_column: Some("回答者ID".into()),
        text_columns: vec!["Q10-1".into(), "Q6-1".into()],
        ..InputOptions::default()
    };
    let answers = read_all(&path, &options).unwrap();
    let ids: Vec<&str> = answers.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["R0001:Q10-1", "R0001:Q6-1", "R0002:Q10-1"]);
    // Q7-2 is not a text column now, so it is an attribute, in header order.
    assert_eq!(
        answers[0].attributes,
        attrs(&[
            ("業種", "製造業"),
            ("従業員数", "50"),
            ("取組段階", "検討中"),
            ("Q7-2", ""),
        ])
    );
}

#[test]
fn utf8_utf8_bom_and_shift_jis_copies_give_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = write(&dir, "utf8.csv", WIDE_CSV);
    let bom = write(
        &dir,
        "bom.csv",
        [b"\xEF\xBB\xBF", WIDE_CSV.as_bytes()].concat(),
    );
    let sjis = write(&dir, "sjis.csv", shift_jis(WIDE_CSV));
    for (path, encoding) in [
        (&utf8, Encoding::Utf8),
        (&bom, Encoding::Utf8),
        (&sjis, Encoding::ShiftJis),
    ] {
        let reader = open(path, &wide_options()).unwrap();
        assert_eq!(reader.encoding(), Some(encoding), "{}", path.display());
        let answers: Vec<Answer> = reader.collect::<Result<_, _>>().unwrap();
        assert_eq!(answers, wide_expected(), "{}", path.display());
    }
    // Forcing the right encoding reads the same.
    let forced = InputOptions {
        encoding: Some("cp932".parse().unwrap()),
        ..wide_options()
    };
    assert_eq!(read_all(&sjis, &forced).unwrap(), wide_expected());
}

#[test]
fn a_bom_never_ends_up_in_the_first_header_name() {
    let dir = tempfile::tempdir().unwrap();
    // A BOM on a long file whose first column is `id`, and a file saved with two BOMs.
    let once = write(&dir, "once.csv", "\u{FEFF}id,question,text\n1,Q1,あ\n");
    let twice = write(
        &dir,
        "twice.csv",
        "\u{FEFF}\u{FEFF}id,question,text\n1,Q1,あ\n",
    );
    for path in [once, twice] {
        let answers = read_all(&path, &InputOptions::default()).unwrap();
        assert_eq!(answers, vec![answer("1", "Q1", "あ", &[])]);
    }
}

#[test]
fn jsonl_in_shift_jis_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\"id\":\"R1\",\"question\":\"Q6-1\",\"text\":\"人手不足で①②が進まない\",\"業種\":\"㈱製造\"}\r\n";
    let path = write(&dir, "sjis.jsonl", shift_jis(text));
    let answers = read_all(&path, &InputOptions::default()).unwrap();
    assert_eq!(
        answers,
        vec![answer(
            "R1",
            "Q6-1",
            "人手不足で①②が進まない",
            &[("業種", "㈱製造")]
        )]
    );
}

#[test]
fn a_character_cut_at_the_64_kib_sample_edge_is_still_utf8() {
    let dir = tempfile::tempdir().unwrap();
    // Header of 19 bytes + "1,Q1," (5 bytes); then 3-byte characters, so byte 65,536 falls
    // inside one of them.
    let header = "id,question,text\r\n";
    let prefix = "1,Q1,";
    let body = "あ".repeat(30_000);
    assert_ne!((65_536 - header.len() - prefix.len()) % 3, 0);
    let path = write(&dir, "long_cell.csv", format!("{header}{prefix}{body}\r\n"));
    let reader = open(&path, &InputOptions::default()).unwrap();
    assert_eq!(reader.encoding(), Some(Encoding::Utf8));
    let answers: Vec<Answer> = reader.collect::<Result<_, _>>().unwrap();
    assert_eq!(answers[0].text, body);
}

#[test]
fn crlf_and_quoted_multi_line_cells_keep_line_numbers_right() {
    let dir = tempfile::tempdir().unwrap();
    let content = "id,question,text\r\n\
                   1,Q1,\"一行目\r\n二行目\r\n三行目\"\r\n\
                   2,Q1,\"\"\"引用\"\"と,カンマ\"\r\n\
                   3,Q1\r\n";
    let path = write(&dir, "crlf.csv", content);
    let mut reader = open(&path, &InputOptions::default()).unwrap();
    assert_eq!(
        reader.next().unwrap().unwrap().text,
        "一行目\r\n二行目\r\n三行目"
    );
    assert_eq!(reader.next().unwrap().unwrap().text, "\"引用\"と,カンマ");
    // Record 3 starts on physical line 6: the multi-line cell took lines 2-4.
    let err = reader.next().unwrap().unwrap_err().to_string();
    assert_eq!(
        err.replacen(&path.display().to_string(), "crlf.csv", 1),
        "crlf.csv:6:3: expected 3 fields as in the header, found 2"
    );
}

// ---------------------------------------------------------------- XLSX

#[test]
fn wide_xlsx_reads_the_first_sheet() {
    let answers = read_all(&fixture("survey.xlsx"), &wide_options()).unwrap();
    let r1 = [
        ("業種", "製造業"),
        ("従業員数", "50"),
        ("取組段階", "検討中"),
    ];
    let r2 = [
        ("業種", "卸売業"),
        ("従業員数", "120"),
        ("取組段階", "実施中"),
    ];
    let r3 = [
        ("業種", "サービス業"),
        ("従業員数", "8"),
        ("取組段階", "未着手"),
    ];
    assert_eq!(
        answers,
        vec![
            answer(
                "R0001:Q6-1",
                "Q6-1",
                "IT導入補助金の申請手続きが複雑でわかりにくい",
                &r1
            ),
            answer("R0001:Q10-1", "Q10-1", "セキュリティ研修を受けたい", &r1),
            answer("R0002:Q7-2", "Q7-2", "社内に詳しい人材がいない", &r2),
            answer("R0002:Q10-1", "Q10-1", "一行目の回答\n二行目の回答", &r2),
            answer("R0003:Q7-2", "Q7-2", "費用対効果が見えない 😅", &r3),
        ]
    );
}

#[test]
fn long_xlsx_sheet_formats_numbers_and_dates() {
    let options = InputOptions {
        sheet: Some("長形式".into()),
        ..InputOptions::default()
    };
    let answers = read_all(&fixture("survey.xlsx"), &options).unwrap();
    assert_eq!(
        answers,
        vec![
            answer(
                "101",
                "Q6-1",
                "クラウド会計を導入した",
                &[("回答日", "2024-05-01"), ("評価", "3.5")]
            ),
            answer(
                "102",
                "Q6-1",
                "ＳＥＣＵＲＩＴＹ ＡＣＴＩＯＮの二つ星を宣言",
                &[("回答日", "2024-05-02 09:30:00"), ("評価", "4")]
            ),
        ]
    );
}

#[test]
fn a_missing_sheet_lists_the_sheets_there_are() {
    let options = InputOptions {
        sheet: Some("Sheet1".into()),
        ..wide_options()
    };
    let err = read_all(&fixture("survey.xlsx"), &options).unwrap_err();
    let text = err.to_string();
    assert!(
        text.ends_with(
            "survey.xlsx:1:1: there is no sheet named “Sheet1”; the sheets are: “回答”, “長形式”, \
             “欠損” (choose one with --sheet)"
        ),
        "{text}"
    );
}

#[test]
fn xlsx_errors_name_the_sheet_row_and_cell() {
    let options = InputOptions {
        id_column: Some("回答者ID".into()),
        text_columns: vec!["Q6-1".into()],
        sheet: Some("欠損".into()),
        ..InputOptions::default()
    };
    let text = error_text(read_all(&fixture("survey.xlsx"), &options));
    assert_eq!(
        text,
        "survey.xlsx:3:1: sheet “欠損”: cell A3 (“回答者ID”): the respondent id is empty, so \
         this row's answers would have no id"
    );
    // A CSV file given as XLSX is not a workbook.
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "not.xlsx", WIDE_CSV);
    let text = error_text(read_all(&path, &wide_options()));
    assert!(
        text.starts_with("not.xlsx:1:1: cannot read this as an Excel workbook (.xlsx): "),
        "{text}"
    );
}

// ---------------------------------------------------------------- malformed text files

#[test]
fn wrong_field_counts_name_the_record_line_and_first_missing_or_extra_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "short.csv",
        "id,question,text,業種\n1,Q1,あ,製造業\n2,Q1,い,建設業\n3,Q1,う\n",
    );
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "short.csv:4:4: expected 4 fields as in the header, found 3"
    );
    let path = write(
        &dir,
        "long.csv",
        "id,question,text,業種\n1,Q1,あ,製造業\n2,Q1,い,建設業,余分,余分\n",
    );
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "long.csv:3:5: expected 4 fields as in the header, found 6; a cell containing the \
         delimiter must be quoted"
    );
}

#[test]
fn broken_quoting_is_an_error_not_a_swallowed_file() {
    let dir = tempfile::tempdir().unwrap();
    // A quote opened in the last column and never closed: the rest of the file would become
    // one cell.
    let path = write(
        &dir,
        "open.csv",
        "id,question,text\n1,Q1,ok\n2,Q1,\"閉じていない\n3,Q1,次の回答\n4,Q1,最後\n",
    );
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "open.csv:3:3: field 3 opens a quote (\") that is never closed; the file ends inside \
         it. Close the quote, or double a quote that is part of the text (\"\")"
    );
    // Text after a closing quote.
    let path = write(
        &dir,
        "after.csv",
        "id,question,text\n1,Q1,\"「はい」\"と答えた\n",
    );
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "after.csv:2:3: field 3 is quoted but has text after its closing quote; inside a \
         quoted field write a quote as \"\""
    );
    // A quote left open that another field's quote closes, lines later.
    let path = write(
        &dir,
        "later.csv",
        "id,question,text\n1,Q1,\"あ\n2,Q1,\"い\"\n",
    );
    let text = error_text(read_all(&path, &InputOptions::default()));
    assert!(
        text.starts_with(
            "later.csv:2:3: field 3 is quoted but has text after its closing quote (the quote \
             opened on this line closes on line 3, so one is probably missing)"
        ),
        "{text}"
    );
}

#[test]
fn undecodable_bytes_name_line_field_encoding_and_the_option() {
    let dir = tempfile::tempdir().unwrap();
    // Shift_JIS detected (the file is not UTF-8), but line 3, field 3 has a lead byte followed
    // by a byte that cannot follow it.
    let mut bytes = shift_jis("id,question,text\n1,Q1,正常な回答\n2,Q1,");
    bytes.extend_from_slice(&shift_jis("壊れ"));
    bytes.extend_from_slice(b"\x85\x20\n");
    let path = write(&dir, "bad_sjis.csv", &bytes);
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "bad_sjis.csv:3:3: field 3 (“text”) has bytes that are not valid Shift_JIS (0x85) at \
         character 3 of the field; the file is not UTF-8, so Shift_JIS was assumed; if the file \
         is UTF-8, pass --encoding utf-8"
    );

    // A Shift_JIS file forced to UTF-8: the first bad byte is on line 2, field 3.
    let path = write(&dir, "sjis.csv", shift_jis("id,question,text\n1,Q1,回答\n"));
    let forced = InputOptions {
        encoding: Some(Encoding::Utf8),
        ..InputOptions::default()
    };
    let text = error_text(read_all(&path, &forced));
    assert!(
        text.starts_with("sjis.csv:2:3: field 3 (“text”) has bytes that are not valid UTF-8"),
        "{text}"
    );
    assert!(text.ends_with("as given by --encoding; if the file was saved as Shift_JIS (Excel's plain “CSV”), pass --encoding shift_jis"), "{text}");

    // UTF-8 for the first 64 KiB, Shift_JIS later (a file pasted together): detected as
    // UTF-8, the bad bytes are reported on their own line inside a multi-line cell.
    let mut bytes = b"id,question,text\n".to_vec();
    let filler = "1,Q1,ASCII only answer\n".repeat(3000);
    bytes.extend_from_slice(filler.as_bytes());
    bytes.extend_from_slice(b"2,Q1,\"first line\n");
    bytes.extend_from_slice(&shift_jis("二行目"));
    bytes.extend_from_slice(b"\"\n");
    let path = write(&dir, "mixed.csv", &bytes);
    let text = error_text(read_all(&path, &InputOptions::default()));
    assert!(
        text.starts_with(
            "mixed.csv:3003:3: field 3 (“text”) has bytes that are not valid UTF-8 (0x93) \
             at character 1 of this line of the field; the encoding was detected from the \
             start of the file; if the file was saved as Shift_JIS"
        ),
        "{text}"
    );

    // JSONL: the character column of the bad byte.
    let mut bytes = shift_jis("{\"id\":\"1\",\"question\":\"Q1\",\"text\":\"あ");
    bytes.extend_from_slice(b"\x85\x20\"}\n");
    let path = write(&dir, "bad.jsonl", &bytes);
    let text = error_text(read_all(&path, &InputOptions::default()));
    assert!(
        text.starts_with("bad.jsonl:1:36: bytes that are not valid Shift_JIS (0x85)"),
        "{text}"
    );
}

#[test]
fn empty_and_binary_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("empty.csv", &b""[..]),
        ("bom_only.csv", b"\xEF\xBB\xBF"),
        ("blank.tsv", b"\r\n\r\n"),
    ] {
        let path = write(&dir, name, content);
        assert_eq!(
            error_text(read_all(&path, &InputOptions::default())),
            format!("{name}:1:1: the file is empty; expected a header row")
        );
    }
    let path = write(&dir, "empty.jsonl", "\n\n");
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "empty.jsonl:2:1: the file has no JSON objects; expected one answer a line"
    );

    let path = write(&dir, "binary.csv", b"id,question,text\n1,Q1,\x00\x01\x02\n");
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "binary.csv:2:6: not a text file (it contains NUL bytes); save the survey export as \
         CSV, TSV, JSONL or XLSX"
    );
    // A workbook saved with a .csv name.
    let workbook = std::fs::read(fixture("survey.xlsx")).unwrap();
    let path = write(&dir, "workbook.csv", workbook);
    let text = error_text(read_all(&path, &InputOptions::default()));
    assert!(text.contains("this is an Excel workbook"), "{text}");
    // Excel's "Unicode text" (UTF-16LE with BOM).
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "id\tquestion\ttext\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let path = write(&dir, "unicode.txt", utf16);
    let text = error_text(read_all(&path, &InputOptions::default()));
    assert!(
        text.starts_with("unicode.txt:1:1: this is UTF-16 text"),
        "{text}"
    );
}

#[test]
fn duplicate_header_names_used_as_columns_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "dup.csv",
        "id,question,text,業種,text\n1,Q1,あ,製造業,い\n",
    );
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "dup.csv:1:5: the header has two columns named “text” (field 3 and field 5); rename \
         one so it is clear which to read"
    );
    // Duplicate attribute names are kept: nothing is read from the wrong one.
    let path = write(
        &dir,
        "dup_attr.csv",
        "id,question,text,備考,備考\n1,Q1,あ,a,b\n",
    );
    assert_eq!(
        read_all(&path, &InputOptions::default()).unwrap()[0].attributes,
        attrs(&[("備考", "a"), ("備考", "b")])
    );
    // In a wide export the id column counts too.
    let path = write(&dir, "dup_wide.csv", "回答者ID,Q6-1,回答者ID\nR1,あ,R2\n");
    let options = InputOptions {
        id_column: Some("回答者ID".into()),
        text_columns: vec!["Q6-1".into()],
        ..InputOptions::default()
    };
    assert_eq!(place(read_all(&path, &options)), (1, 3));
}

#[test]
fn rows_without_ids_and_values_in_unnamed_columns_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "no_id.csv", "id,question,text\n1,Q1,あ\n  ,Q1,い\n");
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "no_id.csv:3:1: field 1 (“id”): the answer id is empty"
    );
    // Excel leaves a trailing comma in the header; empty cells under it are fine …
    let path = write(&dir, "trailing.csv", "id,question,text,\n1,Q1,あ,\n");
    assert_eq!(
        read_all(&path, &InputOptions::default()).unwrap(),
        vec![answer("1", "Q1", "あ", &[])]
    );
    // … a value under it would be lost, so it is an error.
    let path = write(
        &dir,
        "unnamed.csv",
        "id,question,text,\n1,Q1,あ,\n2,Q1,い,値\n",
    );
    assert_eq!(
        error_text(read_all(&path, &InputOptions::default())),
        "unnamed.csv:3:4: field 4 (a column with no name): this cell has a value but its \
         column has no name in the header; name the column or empty it"
    );
    // Rows of empty cells (Excel's trailing `,,,`) are blank lines.
    let path = write(
        &dir,
        "blank_rows.csv",
        "id,question,text\n1,Q1,あ\n,,\n , ,\n",
    );
    assert_eq!(read_all(&path, &InputOptions::default()).unwrap().len(), 1);
}

#[test]
fn wide_option_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "wide.csv", WIDE_CSV);
    let missing_column = InputOptions {
        id_column: Some("回答者ID".into()),
        text_columns: vec!["Q6-1".into(), "Q6-2".into()],
        ..InputOptions::default()
    };
    assert_eq!(
        error_text(read_all(&path, &missing_column)),
        "wide.csv:1:1: the header has no column “Q6-2”; it has: 回答者ID, 業種, 従業員数, \
         取組段階, Q6-1, Q7-2, Q10-1. Name the right column with --text-columns"
    );
    let no_id = InputOptions {
        text_columns: vec!["Q6-1".into()],
        ..InputOptions::default()
    };
    assert!(matches!(read_all(&path, &no_id), Err(Error::Usage(_))));
    let jsonl = write(&dir, "a.jsonl", "{}\n");
    assert!(matches!(
        read_all(&jsonl, &wide_options()),
        Err(Error::Usage(_))
    ));
}

// ---------------------------------------------------------------- pass-through and formats

#[test]
fn control_characters_emoji_and_megabyte_cells_pass_through() {
    let dir = tempfile::tempdir().unwrap();
    let big = "長い回答😀".repeat(100_000); // 1.7 MB
    let odd = "ベル\u{7}タブ\t改ページ\u{c}VT\u{b}ESC\u{1b}絵文字👨‍👩‍👧‍👦異体字葛󠄀";
    let csv_text = format!(
        "id,question,text\n1,Q1,\"{}\"\n2,Q1,{big}\n",
        odd.replace('"', "\"\"")
    );
    let path = write(&dir, "odd.csv", csv_text);
    let answers = read_all(&path, &InputOptions::default()).unwrap();
    assert_eq!(answers[0].text, odd);
    assert_eq!(answers[1].text, big);

    let jsonl = format!(
        "{}\n{}\n",
        serde_json::json!({"id": 1, "question": "Q1", "text": odd}),
        serde_json::json!({"id": 2, "question": "Q1", "text": big}),
    );
    let path = write(&dir, "odd.jsonl", jsonl);
    let answers = read_all(&path, &InputOptions::default()).unwrap();
    assert_eq!(answers[0].text, odd);
    assert_eq!(answers[1].text, big);
}

#[test]
fn formats_and_encodings_parse_and_guess() {
    assert_eq!(
        Format::from_path(Path::new("a.NDJSON")),
        Some(Format::Jsonl)
    );
    assert_eq!(Format::from_path(Path::new("a.json")), Some(Format::Jsonl));
    assert_eq!(Format::from_path(Path::new("a.csv")), Some(Format::Csv));
    assert_eq!(Format::from_path(Path::new("a.txt")), Some(Format::Tsv));
    assert_eq!(Format::from_path(Path::new("a.xlsm")), Some(Format::Xlsx));
    assert_eq!(Format::from_path(Path::new("a.dat")), None);
    assert_eq!("TSV".parse::<Format>(), Ok(Format::Tsv));
    assert!("xls".parse::<Format>().is_err());
    for name in ["shift_jis", "SJIS", "cp932", "Windows-31J", "shift-jis"] {
        assert_eq!(name.parse::<Encoding>(), Ok(Encoding::ShiftJis), "{name}");
    }
    assert_eq!("UTF8".parse::<Encoding>(), Ok(Encoding::Utf8));
    assert_eq!("utf-8".parse::<Encoding>(), Ok(Encoding::Utf8));
    assert!("euc-jp".parse::<Encoding>().is_err());

    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "answers.dat", "id,question,text\n1,Q1,あ\n");
    assert!(matches!(
        read_all(&path, &InputOptions::default()),
        Err(Error::Usage(_))
    ));
    let options = InputOptions {
        format: Some(Format::Csv),
        ..InputOptions::default()
    };
    assert_eq!(read_all(&path, &options).unwrap().len(), 1);
    // A file that does not exist is an I/O error naming it, with the system's error kept.
    let missing = dir.path().join("missing.csv");
    let err = read_all(&missing, &InputOptions::default()).expect_err("a missing file");
    assert_eq!(err.io_kind(), Some(std::io::ErrorKind::NotFound));
    assert_eq!(err.exit_code(), 2);
    match err {
        Error::Io { path, .. } => assert!(path.ends_with("missing.csv")),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn the_reader_can_move_to_another_thread() {
    fn assert_send<T: Send>(_: &T) {}
    let reader = open(&fixture("survey.xlsx"), &wide_options()).unwrap();
    assert_send(&reader);
    let answers = std::thread::spawn(move || reader.count()).join().unwrap();
    assert_eq!(answers, 5);
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A small deterministic fuzz: bytes biased towards what breaks parsers (quotes, line ends,
    // delimiters, Shift_JIS lead bytes, UTF-8 fragments, braces).
    let alphabet: &[u8] = b"\"\"\r\n,\t{}:[] aA1\x81\x82\x9F\xE0\xE3\x80\xFC\xEF\xBB\xBF\\";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let dir = tempfile::tempdir().unwrap();
    let headers: [&[u8]; 3] = [b"id,question,text\n", b"id\tquestion\ttext\n", b""];
    for round in 0..600 {
        let mut bytes = headers[round % 3].to_vec();
        let length = (next() % 200) as usize;
        bytes.extend((0..length).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]));
        for (name, options) in [
            ("f.csv", InputOptions::default()),
            ("f.tsv", InputOptions::default()),
            ("f.jsonl", InputOptions::default()),
            ("g.csv", wide_options()),
        ] {
            // A new file each time: truncating one is slow on ext4.
            let path = write(&dir, &format!("{round}{name}"), &bytes);
            // Either answers or an error; the point is that it returns.
            let _ = read_all(&path, &options);
        }
    }
    // A workbook with damaged bytes is an error, not a crash.
    let mut workbook = std::fs::read(fixture("survey.xlsx")).unwrap();
    for index in (200..workbook.len()).step_by(97) {
        workbook[index] ^= 0x5A;
    }
    let path = write(&dir, "damaged.xlsx", &workbook);
    assert!(read_all(&path, &wide_options()).is_err());
}

// ---------------------------------------------------------------- the parallel pipeline

#[test]
fn both_pipelines_hand_every_answer_over_in_input_order_then_the_read_error() {
    // The labeled corpus 70 times over (more than two chunks of answers), then a bad line.
    let corpus = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/ipa-2024/labeled.jsonl"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut input = String::new();
    let mut expected = Vec::new();
    for round in 0..70 {
        for line in corpus.lines() {
            let mut row: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = format!("{}-{round}", row["id"].as_str().unwrap());
            row["id"] = serde_json::json!(id);
            expected.push((id, row["text"].as_str().unwrap().to_string()));
            input.push_str(&(row.to_string() + "\n"));
        }
    }
    assert!(expected.len() > 10_000, "{}", expected.len());
    input.push_str("{\"id\": \"last\", \"text\": \n");
    let path = write(&dir, "answers.jsonl", input);

    let bar = indicatif::ProgressBar::hidden();
    let work = |answer: &Answer| (answer.id.clone(), answer.text.chars().count());
    let expected: Vec<(String, usize)> = expected
        .into_iter()
        .map(|(id, text)| (id, text.chars().count()))
        .collect();
    // map_refs_in_order lends the answers to the work and frees them on the reader thread.
    for borrowed in [false, true] {
        let mut sunk = Vec::new();
        let answers = open(&path, &InputOptions::default()).unwrap();
        let sink = |result| {
            sunk.push(result);
            Ok(())
        };
        let result = if borrowed {
            jiyu::parallel::map_refs_in_order(answers, work, &bar, sink)
        } else {
            jiyu::parallel::map_in_order(answers, |answer| work(&answer), &bar, sink)
        };
        let err = result.expect_err("the last line is malformed").to_string();
        assert!(err.contains(&format!(":{}:", expected.len() + 1)), "{err}");
        // Every answer before the error, the last chunk's too.
        assert_eq!(sunk.len(), expected.len(), "borrowed: {borrowed}");
        let first_difference = sunk.iter().zip(&expected).position(|(a, b)| a != b);
        assert_eq!(
            first_difference,
            None,
            "borrowed: {borrowed}: {:?}",
            first_difference.map(|at| (&sunk[at], &expected[at]))
        );
    }

    // An error of the sink stops the pipeline there.
    for borrowed in [false, true] {
        let mut sunk = 0;
        let answers = open(&path, &InputOptions::default()).unwrap();
        let sink = |_| {
            sunk += 1;
            if sunk == 5000 {
                return Err(Error::Usage("stop".to_string()));
            }
            Ok(())
        };
        let result = if borrowed {
            jiyu::parallel::map_refs_in_order(answers, work, &bar, sink)
        } else {
            jiyu::parallel::map_in_order(answers, |answer| work(&answer), &bar, sink)
        };
        assert_eq!(result.expect_err("the sink stopped").to_string(), "stop");
        assert_eq!(sunk, 5000, "borrowed: {borrowed}");
    }
}
