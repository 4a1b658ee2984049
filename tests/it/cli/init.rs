//! `jiyu init` on a new survey's export (tests/data/telework/survey.csv, Shift_JIS, a question
//! no shipped scheme knows): the starter scheme is written, `rules check` and `rules test`
//! accept it as it is, classify with it sorts most answers, the same input gives the same
//! bytes, and an existing file is not replaced without --force.

use std::path::Path;
use std::process::Output;

use crate::common::{jiyu, repo};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `jiyu init` on the telework export, writing into `out`.
fn init(out: &Path, extra: &[&str]) -> Output {
    let survey = repo("tests/data/telework/survey.csv");
    let mut args = vec![
        "init",
        "--input",
        survey.to_str().unwrap(),
        "--id-column",
        "回答者ID",
        "--text-columns",
        "Q5",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    jiyu(&args)
}

#[test]
fn init_writes_a_starter_scheme_that_the_rules_commands_accept_and_that_sorts_most_answers() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    let output = init(&rules, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("Q5.toml"), "{}", stderr(&output));
    let path = rules.join("Q5.toml");
    let text = std::fs::read_to_string(&path).expect("rules/Q5.toml is written");

    // A scheme for the question, with 5–8 commented candidate categories, each with a rule and
    // examples taken from the answers.
    let file: toml::Value = toml::from_str(&text).expect("the file is TOML");
    assert_eq!(file["scheme"]["questions"].as_array().unwrap().len(), 1);
    assert_eq!(file["scheme"]["questions"][0].as_str(), Some("Q5"));
    assert_eq!(file["scheme"]["title"].as_str(), Some("Q5"));
    let categories = file["category"].as_array().expect("categories");
    assert!(
        (5..=8).contains(&categories.len()),
        "{} categories:\n{text}",
        categories.len()
    );
    let survey_text = std::fs::read(repo("tests/data/telework/survey.csv")).unwrap();
    let (survey_text, _, _) = encoding_rs::SHIFT_JIS.decode(&survey_text);
    for category in categories {
        assert!(!category["rule"].as_str().unwrap().trim().is_empty());
        assert!(!category["label"].as_str().unwrap().is_empty());
        for example in category["examples"].as_array().unwrap() {
            assert!(
                survey_text.contains(example.as_str().unwrap()),
                "an example is an answer of the export: {example}"
            );
        }
    }
    assert!(
        text.contains("# rename"),
        "the file tells what to edit:\n{text}"
    );

    let dir_arg = rules.to_str().unwrap();
    let check = jiyu(&["rules", "check", dir_arg]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(String::from_utf8_lossy(&check.stdout).contains("Q5"));
    let test = jiyu(&["rules", "test", dir_arg]);
    assert!(
        test.status.success(),
        "every example gets its category first:\n{}",
        String::from_utf8_lossy(&test.stdout)
    );

    // Classify the export with it: most answers get a category, every category some answers.
    let survey = repo("tests/data/telework/survey.csv");
    let classified = jiyu(&[
        "classify",
        "--quiet",
        "--input",
        survey.to_str().unwrap(),
        "--id-column",
        "回答者ID",
        "--text-columns",
        "Q5",
        "--rules",
        dir_arg,
    ]);
    assert!(classified.status.success(), "{}", stderr(&classified));
    let records: Vec<serde_json::Value> = String::from_utf8(classified.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(records.len(), 80, "80 answers (6 blank cells are none)");
    let sorted = records
        .iter()
        .filter(|record| record["primary"] != "unclassified")
        .count();
    assert!(
        sorted * 10 >= records.len() * 7,
        "{sorted} of {} answers sorted",
        records.len()
    );
    for category in categories {
        let id = category["id"].as_str().unwrap();
        assert!(
            records.iter().any(|record| record["primary"] == id),
            "{id} is the primary category of some answer"
        );
    }
}

#[test]
fn init_gives_the_same_bytes_for_the_same_input() {
    let dir = tempfile::tempdir().unwrap();
    let first = init(&dir.path().join("a"), &[]);
    let second = init(&dir.path().join("b"), &[]);
    assert!(first.status.success() && second.status.success());
    let a = std::fs::read(dir.path().join("a/Q5.toml")).unwrap();
    let b = std::fs::read(dir.path().join("b/Q5.toml")).unwrap();
    assert!(!a.is_empty());
    assert!(a == b, "two runs wrote different files");
}

#[test]
fn init_does_not_replace_an_existing_scheme_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Q5.toml");
    let mine = "# my own scheme, edited by hand\n";
    std::fs::write(&path, mine).unwrap();

    let refused = init(dir.path(), &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("Q5.toml") && message.contains("--force"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), mine, "left alone");

    let forced = init(dir.path(), &["--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[[category]]"), "replaced:\n{text}");
}

#[test]
fn answers_without_a_shared_word_give_a_scheme_with_no_category_that_rules_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("answers.jsonl");
    std::fs::write(
        &input,
        concat!(
            "{\"id\":\"1\",\"question\":\"Q9 その他\",\"text\":\"駐車場が狭い\"}\n",
            "{\"id\":\"2\",\"question\":\"Q9 その他\",\"text\":\"特になし\"}\n",
            "{\"id\":\"3\",\"question\":\"Q9 その他\",\"text\":\"食堂のメニューを増やしてほしい\"}\n",
        ),
    )
    .unwrap();
    let out = dir.path().join("rules");
    let output = jiyu(&[
        "init",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    // The question's name, made a file name: no white space.
    let text = std::fs::read_to_string(out.join("Q9_その他.toml")).unwrap();
    assert!(text.contains("write the\n# categories by hand"), "{text}");
    let file: toml::Value = toml::from_str(&text).unwrap();
    assert_eq!(file["scheme"]["id"].as_str(), Some("q9"));
    assert!(file.get("category").is_none());
    let check = jiyu(&["rules", "check", out.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn init_explains_itself_with_an_example() {
    let output = jiyu(&["init", "--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("Example") && help.contains("--text-columns"),
        "{help}"
    );
}
