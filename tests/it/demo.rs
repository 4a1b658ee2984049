//! The demo survey generator (`jiyu::demo`, `jiyu demo-data`): deterministic bytes, the survey's
//! attribute counts, realistic empty cells and non-answers, valid Shift_JIS with CRLF, and a
//! committed `corpus/demo/survey.csv` that matches a fresh generation.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiyu::demo::{self, Cell, DemoOptions, Encoding, COLUMNS, FREE_TEXT_COLUMNS};

/// The counts of the published report (IPA, 「2023年度 SECURITY ACTION宣言事業者における情報
/// セキュリティ対策の実態調査」 報告書, 2024, as `corpus/ipa-2024/README.md` cites it), typed in
/// again here so a typo in `demo::INDUSTRIES` cannot hide.
const SURVEY_INDUSTRIES: [(&str, usize); 20] = [
    ("農業、林業", 35),
    ("漁業", 3),
    ("鉱業、採石業、砂利採取業", 7),
    ("建設業", 868),
    ("製造業（印刷業を含む）", 1141),
    ("電気・ガス・熱供給・水道業", 34),
    ("情報通信業", 375),
    ("運輸業・郵便業（倉庫業を含む）", 110),
    ("卸売業・小売業", 824),
    ("金融業・保険業", 35),
    ("不動産業・物品賃貸業", 142),
    ("学術研究、専門・技術サービス業", 414),
    ("宿泊業、飲食サービス業", 123),
    ("生活関連サービス業、娯楽業", 98),
    ("教育、学習支援業", 54),
    ("医療、福祉", 650),
    ("複合サービス事業", 25),
    ("サービス業（他に分類されないもの）", 531),
    ("公務（他に分類されるものを除く）", 6),
    ("その他（分類不能の産業）", 102),
];
const SURVEY_EMPLOYEES: [(&str, usize); 6] = [
    ("1～5名", 1468),
    ("6～20名", 1490),
    ("21～50名", 1136),
    ("51～100名", 700),
    ("101～300名", 610),
    ("301名以上", 173),
];
const SURVEY_STAGES: [(&str, usize); 3] = [
    ("一つ星（★）", 3337),
    ("二つ星（★★）", 972),
    ("わからない", 1268),
];

const NON_ANSWERS: [&str; 10] = [
    "特になし",
    "なし",
    "特に無し",
    "ない",
    "わからない",
    "-",
    "ー",
    "特にありません",
    "特にない",
    "無し",
];

/// The default export (5,577 respondents, seed 2024, Shift_JIS), generated once per test run.
fn default_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        demo::survey_csv(DemoOptions::default(), Encoding::ShiftJis).expect("generates")
    })
}

/// The default export decoded and parsed: header, then rows.
fn default_rows() -> &'static (Vec<String>, Vec<Vec<String>>) {
    static ROWS: OnceLock<(Vec<String>, Vec<Vec<String>>)> = OnceLock::new();
    ROWS.get_or_init(|| {
        let text = decode_shift_jis(default_bytes()).expect("valid Shift_JIS");
        parse_csv(&text)
    })
}

fn decode_shift_jis(bytes: &[u8]) -> Option<String> {
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            record
                .expect("well-formed CSV")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, rows)
}

fn column(name: &str) -> usize {
    COLUMNS
        .iter()
        .position(|column| *column == name)
        .expect("known column")
}

fn tally(rows: &[Vec<String>], name: &str) -> BTreeMap<String, usize> {
    let index = column(name);
    let mut counts = BTreeMap::new();
    for row in rows {
        *counts.entry(row[index].clone()).or_insert(0) += 1;
    }
    counts
}

fn committed_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/demo/survey.csv")
}

#[test]
fn same_seed_gives_identical_bytes() {
    let again = demo::survey_csv(DemoOptions::default(), Encoding::ShiftJis).expect("generates");
    assert!(again == default_bytes(), "two runs with seed 2024 differ");
    let other = demo::survey_csv(
        DemoOptions {
            seed: 7,
            ..DemoOptions::default()
        },
        Encoding::ShiftJis,
    )
    .expect("generates");
    assert!(
        other != default_bytes(),
        "seed 7 writes the same file as seed 2024"
    );
}

#[test]
fn other_seeds_and_sizes_write_valid_shift_jis() {
    let options = DemoOptions {
        respondents: 20_000,
        seed: 99,
    };
    let bytes = demo::survey_csv(options, Encoding::ShiftJis).expect("generates");
    let text = decode_shift_jis(&bytes).expect("valid Shift_JIS");
    let (_, rows) = parse_csv(&text);
    assert_eq!(rows.len(), 20_000);
    assert_eq!(rows[19_999][0], "R20000");
}

#[test]
fn attribute_counts_are_the_surveys() {
    let (header, rows) = default_rows();
    assert_eq!(header, &COLUMNS.map(str::to_string).to_vec());
    assert_eq!(rows.len(), 5577);
    for (name, expected) in [
        ("業種", &SURVEY_INDUSTRIES[..]),
        ("従業員数", &SURVEY_EMPLOYEES[..]),
        ("取組段階", &SURVEY_STAGES[..]),
    ] {
        let expected: BTreeMap<String, usize> = expected
            .iter()
            .map(|(label, count)| (label.to_string(), *count))
            .collect();
        assert_eq!(tally(rows, name), expected, "{name}");
    }
    let industries = tally(rows, "業種");
    assert_eq!(industries["建設業"], 868);
    assert_eq!(tally(rows, "従業員数")["1～5名"], 1468);
    assert_eq!(tally(rows, "取組段階")["二つ星（★★）"], 972);
}

#[test]
fn attributes_are_shuffled_and_ids_numbered() {
    let (_, rows) = default_rows();
    let ids: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(ids[0], "R00001");
    assert_eq!(ids[5576], "R05577");
    // Not sorted by industry: the first 100 rows already hold many industries.
    let first: HashSet<&str> = rows[..100].iter().map(|row| row[1].as_str()).collect();
    assert!(first.len() >= 8, "{first:?}");
}

#[test]
fn other_sizes_scale_by_largest_remainder() {
    for respondents in [1, 10, 1000, 12_345] {
        let options = DemoOptions {
            respondents,
            seed: 1,
        };
        let people: Vec<demo::Respondent> = demo::generate(options).collect();
        assert_eq!(people.len(), respondents);
        for (table, field) in [
            (&SURVEY_INDUSTRIES[..], 0),
            (&SURVEY_EMPLOYEES[..], 1),
            (&SURVEY_STAGES[..], 2),
        ] {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for person in &people {
                let value = [person.industry, person.employees, person.stage][field];
                *counts.entry(value).or_insert(0) += 1;
            }
            for (label, count) in table {
                let exact = *count as f64 * respondents as f64 / 5577.0;
                let got = counts.get(label).copied().unwrap_or(0) as f64;
                assert!(
                    (got - exact).abs() < 1.0,
                    "{respondents} respondents: {label} has {got}, share {exact:.2}"
                );
            }
        }
    }
    assert_eq!(demo::scale_counts(&[1, 1, 1], 2), vec![1, 1, 0]);
    assert_eq!(demo::scale_counts(&[868, 4709], 5577), vec![868, 4709]);
}

#[test]
fn about_a_third_of_asked_cells_are_empty() {
    let mut asked = 0;
    let mut empty = 0;
    let mut effect_asked = 0;
    for person in demo::generate(DemoOptions::default()) {
        for (column, cell) in FREE_TEXT_COLUMNS.iter().zip(&person.cells) {
            if !matches!(*column, "Q6-1" | "Q7-2" | "Q10-1") {
                continue;
            }
            if *column == "Q10-1" && *cell != Cell::NotAsked {
                effect_asked += 1;
            }
            match cell {
                Cell::NotAsked => {}
                Cell::Empty => {
                    asked += 1;
                    empty += 1;
                }
                Cell::Answer(_) => asked += 1,
            }
        }
    }
    assert_eq!(
        effect_asked, 2236,
        "Q10-1 is put to the 2,236 who chose an effect"
    );
    let share = empty as f64 / asked as f64;
    assert!((0.28..0.39).contains(&share), "{empty} of {asked} empty");

    // The same in the file: Q6-1 and Q7-2 are asked of everyone.
    let (_, rows) = default_rows();
    for name in ["Q6-1", "Q7-2"] {
        let empty = rows
            .iter()
            .filter(|row| row[column(name)].is_empty())
            .count();
        let share = empty as f64 / rows.len() as f64;
        assert!((0.28..0.39).contains(&share), "{name}: {empty} empty");
    }
}

#[test]
fn other_boxes_are_mostly_empty_and_q13_1_is_one_star_only() {
    let (_, rows) = default_rows();
    for name in ["Q9", "Q10", "Q12", "Q13-1", "Q14", "Q15"] {
        let filled = rows
            .iter()
            .filter(|row| !row[column(name)].is_empty())
            .count();
        let share = filled as f64 / rows.len() as f64;
        assert!((0.01..0.08).contains(&share), "{name}: {filled} filled");
    }
    let stage = column("取組段階");
    for row in rows {
        if !row[column("Q13-1")].is_empty() {
            assert_eq!(row[stage], "一つ星（★）", "{}", row[0]);
        }
    }
    let q10_1 = rows
        .iter()
        .filter(|row| !row[column("Q10-1")].is_empty())
        .count();
    assert!(
        (1200..1700).contains(&q10_1),
        "Q10-1 answered {q10_1} times"
    );
}

#[test]
fn non_answers_are_present() {
    let (_, rows) = default_rows();
    let mut found: HashSet<&str> = HashSet::new();
    let mut count = 0;
    for row in rows {
        for name in ["Q6-1", "Q7-2", "Q10-1"] {
            let text = row[column(name)].as_str();
            if NON_ANSWERS.contains(&text) {
                found.insert(text);
                count += 1;
            }
        }
    }
    assert!(found.len() >= 8, "{found:?}");
    assert!(count > 500, "{count} non-answers");

    // The library marks them: no intended category.
    let answers: Vec<demo::GeneratedAnswer> = demo::generate(DemoOptions::default())
        .flat_map(|person| person.answers().cloned().collect::<Vec<_>>())
        .collect();
    let non_answers = answers
        .iter()
        .filter(|answer| answer.is_non_answer())
        .count();
    let share = non_answers as f64 / answers.len() as f64;
    assert!(
        (0.10..0.25).contains(&share),
        "{non_answers} of {}",
        answers.len()
    );
    for answer in answers.iter().filter(|answer| answer.is_non_answer()) {
        assert!(answer.text.chars().count() <= 20, "{:?}", answer.text);
    }
}

#[test]
fn file_is_shift_jis_with_crlf_and_no_labels() {
    let bytes = default_bytes();
    let text = decode_shift_jis(bytes).expect("decodes without errors");
    // Shift_JIS, not UTF-8 that happens to decode.
    assert!(std::str::from_utf8(bytes).is_err());
    assert!(text.starts_with(
        "回答者ID,業種,従業員数,取組段階,Q6-1,Q7-2,Q10-1,Q9,Q10,Q12,Q13-1,Q14,Q15\r\n"
    ));
    assert!(text.ends_with("\r\n"));
    // Every record ends with CRLF: a record end is a line break outside quotes.
    let mut quoted = false;
    let mut previous = '\0';
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            '\n' if !quoted => assert_eq!(previous, '\r', "bare LF ends a record"),
            _ => {}
        }
        previous = ch;
    }
    // Nothing of the intended categories leaks into the export.
    for label in ["incident-cases", "awareness", "site-needs", "intended"] {
        assert!(!text.contains(label), "{label} in the export");
    }
    // Round trip: the UTF-8 export holds the same text.
    let utf8 = demo::survey_csv(DemoOptions::default(), Encoding::Utf8).expect("generates");
    assert_eq!(String::from_utf8(utf8).expect("UTF-8"), text);
}

#[test]
fn cells_hold_the_notation_of_real_exports() {
    let (_, rows) = default_rows();
    let cells: Vec<&str> = rows
        .iter()
        .flat_map(|row| row[4..].iter().map(String::as_str))
        .filter(|cell| !cell.is_empty())
        .collect();
    let any = |test: &dyn Fn(&str) -> bool| cells.iter().filter(|cell| test(cell)).count();
    let full_width = any(&|cell| {
        cell.chars()
            .any(|c| c.is_alphabetic() && ('Ａ'..='ｚ').contains(&c))
    });
    let half_width_kana = any(&|cell| cell.chars().any(|c| ('ｦ'..='ﾟ').contains(&c)));
    let line_breaks = any(&|cell| cell.contains('\n'));
    let commas = any(&|cell| cell.contains(','));
    let quotes = any(&|cell| cell.contains('"'));
    let long_vowel = any(&|cell| cell.contains("セキュリティー"));
    let leak = any(&|cell| cell.contains("漏えい"));
    let leak_kanji = any(&|cell| cell.contains("漏洩"));
    for (what, count) in [
        ("full-width Latin", full_width),
        ("half-width kana", half_width_kana),
        ("line breaks", line_breaks),
        ("commas", commas),
        ("quotes", quotes),
        ("セキュリティー", long_vowel),
        ("漏えい", leak),
        ("漏洩", leak_kanji),
    ] {
        assert!(count >= 3, "only {count} cells with {what}");
    }
    // Typical answers are short, a few are long.
    let mut lengths: Vec<usize> = cells.iter().map(|cell| cell.chars().count()).collect();
    lengths.sort_unstable();
    let median = lengths[lengths.len() / 2];
    assert!((8..=40).contains(&median), "median length {median}");
    assert!(lengths[lengths.len() - 1] >= 60);
}

#[test]
fn intended_categories_belong_to_the_taxonomy() {
    let taxonomy: HashMap<&str, (&str, Vec<&str>)> = [
        (
            "Q6-1",
            (
                "site-needs",
                vec![
                    "incident-cases",
                    "education",
                    "tools-templates",
                    "peer-examples",
                    "subsidies",
                ],
            ),
        ),
        (
            "Q7-2",
            (
                "site-needs",
                vec![
                    "incident-cases",
                    "education",
                    "tools-templates",
                    "peer-examples",
                    "subsidies",
                    "site-usability",
                ],
            ),
        ),
        (
            "Q10-1",
            (
                "effect-examples",
                vec![
                    "awareness",
                    "incident-reduction",
                    "trust",
                    "rules",
                    "subsidies",
                ],
            ),
        ),
        ("Q9", ("motivation-other", vec!["need", "business"])),
        (
            "Q10",
            (
                "effects-other",
                vec!["trust-awareness", "info-gathering", "subsidies", "unclear"],
            ),
        ),
        (
            "Q12",
            (
                "scheme-issues",
                vec![
                    "cost-effect",
                    "implementation",
                    "info-shortage",
                    "scheme-improvement",
                ],
            ),
        ),
        (
            "Q13-1",
            (
                "stepup-barriers",
                vec!["staffing-busy", "necessity", "disclosure"],
            ),
        ),
        (
            "Q14",
            (
                "obstacles",
                vec!["staffing-knowledge", "cost-effort", "risk-awareness"],
            ),
        ),
        (
            "Q15",
            (
                "support-wanted",
                vec!["education", "information", "seminars"],
            ),
        ),
    ]
    .into_iter()
    .collect();
    for question in FREE_TEXT_COLUMNS {
        let (scheme, categories) = demo::categories_of(question).expect("generated question");
        let (expected_scheme, expected) = &taxonomy[question];
        assert_eq!(scheme, *expected_scheme, "{question}");
        let mut categories = categories;
        let mut expected = expected.clone();
        categories.sort_unstable();
        expected.sort_unstable();
        assert_eq!(categories, expected, "{question}");
    }
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for answer in demo::generate_answers(50_000, 3) {
        let (scheme, categories) = &taxonomy[answer.question];
        assert_eq!(answer.scheme, *scheme);
        if let Some(category) = answer.category {
            assert!(
                categories.contains(&category),
                "{category} for {}",
                answer.question
            );
            seen.insert((answer.question, category));
        }
        assert!(!answer.text.is_empty());
    }
    // Every category of every question is generated.
    let all: usize = taxonomy
        .values()
        .map(|(_, categories)| categories.len())
        .sum();
    assert_eq!(seen.len(), all);
}

#[test]
fn generate_answers_is_deterministic_and_varied() {
    let first: Vec<demo::GeneratedAnswer> = demo::generate_answers(20_000, 11).collect();
    let again: Vec<demo::GeneratedAnswer> = demo::generate_answers(20_000, 11).collect();
    assert_eq!(first.len(), 20_000);
    assert!(first == again);
    assert_eq!(demo::generate_answers(1_000_000, 1).len(), 1_000_000);

    // question → (answers, distinct texts, answers that are not non-answers)
    let mut by_question: HashMap<&str, (usize, HashSet<&str>, usize)> = HashMap::new();
    for answer in &first {
        let entry = by_question.entry(answer.question).or_default();
        entry.0 += 1;
        if !answer.is_non_answer() {
            entry.1.insert(&answer.text);
            entry.2 += 1;
        }
    }
    // Short answers repeat, as in a real survey, but most answers are worded their own way.
    for question in ["Q6-1", "Q7-2", "Q10-1"] {
        let (_, distinct, count) = &by_question[question];
        assert!(
            distinct.len() * 10 >= count * 6,
            "{question}: {} distinct of {count}",
            distinct.len()
        );
    }
    // Questions come in the export's proportions: Q6-1 and Q7-2 the most, 「その他」 boxes rare.
    let share = |question: &str| by_question[question].0 as f64 / first.len() as f64;
    assert!((0.30..0.40).contains(&share("Q6-1")), "{}", share("Q6-1"));
    assert!((0.10..0.18).contains(&share("Q10-1")), "{}", share("Q10-1"));
    assert!(share("Q15") < 0.03);
}

#[test]
fn committed_survey_is_a_fresh_generation() {
    let path = committed_file();
    let committed = std::fs::read(&path).unwrap_or_else(|err| {
        panic!(
            "{}: {err}; run `cargo run -- demo-data --output corpus/demo/survey.csv`",
            path.display()
        )
    });
    assert!(
        committed == default_bytes(),
        "{} is stale; run `cargo run -- demo-data --output corpus/demo/survey.csv`",
        path.display()
    );
}

#[test]
fn write_survey_csv_writes_the_same_bytes() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("survey.csv");
    demo::write_survey_csv(&path, DemoOptions::default(), Encoding::ShiftJis).expect("writes");
    let written = std::fs::read(&path).expect("reads");
    assert!(written == default_bytes());
    let missing = directory.path().join("no/such/dir/survey.csv");
    assert!(demo::write_survey_csv(&missing, DemoOptions::default(), Encoding::Utf8).is_err());
}

#[test]
fn jiyu_reads_the_export_back() {
    let options = crate::common::demo_input_options();
    let read = jiyu::input::read_all(&committed_file(), &options).expect("jiyu reads the demo");
    let read: Vec<(String, String)> = read
        .into_iter()
        .filter(|answer| !answer.text.is_empty())
        .map(|answer| (answer.question, answer.text))
        .collect();
    let generated: Vec<(String, String)> = demo::generate(DemoOptions::default())
        .flat_map(|person| {
            person
                .answers()
                .map(|answer| (answer.question.to_string(), answer.text.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(read.len(), generated.len());
    assert!(
        read == generated,
        "the texts read back differ from the generated ones"
    );
}
