//! What several test modules build the same way: the jiyu binary run on arguments, paths in
//! the repository, a directory's sorted listing, the shipped rules loaded once for the whole
//! test binary, and an index of the labeled corpus plus answers a test adds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, OnceLock};

use jiyu::classify::Classifier;
use jiyu::index::{build_index, IndexOptions, IndexStats};
use jiyu::input::{self, InputOptions};
use jiyu::overrides::Overrides;
use jiyu::rules::scheme::RulesSource;
use jiyu::{Analyzer, Error};

/// The input options of the demo export's Q10-1 (Shift_JIS, one row per respondent).
pub const DEMO_Q10_1: [&str; 6] = [
    "--input",
    "corpus/demo/survey.csv",
    "--id-column",
    "回答者ID",
    "--text-columns",
    "Q10-1",
];

/// The library's input options for every free-text answer of the demo export.
pub fn demo_input_options() -> InputOptions {
    InputOptions {
        id_column: Some("回答者ID".into()),
        text_columns: jiyu::demo::FREE_TEXT_COLUMNS.map(String::from).to_vec(),
        ..Default::default()
    }
}

/// Runs the jiyu binary on `args` in the repository's root.
pub fn jiyu(args: &[&str]) -> Output {
    jiyu_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs the jiyu binary on `args` in `dir`, so file names in messages are as given.
pub fn jiyu_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiyu"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the jiyu binary runs")
}

/// A path in the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The names in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the directory")
        .map(|entry| {
            entry
                .expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The shipped rules with the embedded dictionary, loaded once for every test of the binary.
pub fn classifier() -> Arc<Classifier> {
    static CLASSIFIER: OnceLock<Arc<Classifier>> = OnceLock::new();
    CLASSIFIER
        .get_or_init(|| {
            let analyzer = Analyzer::new(&[]).expect("the embedded dictionary loads");
            let rules = RulesSource::Directory(repo("rules"));
            Arc::new(Classifier::new(analyzer, &rules).expect("the shipped rules compile"))
        })
        .clone()
}

/// An answer a test adds to the corpus: (id, question, text, 業種).
pub type ExtraAnswer<'a> = (&'a str, &'a str, &'a str, &'a str);

/// Writes the labeled corpus followed by `extra` to `dir/answers.jsonl`.
pub fn write_corpus_with(dir: &Path, extra: &[ExtraAnswer]) -> PathBuf {
    let mut input = std::fs::read_to_string(repo("corpus/ipa-2024/labeled.jsonl"))
        .expect("the labeled corpus is readable");
    for (id, question, text, industry) in extra {
        let row =
            serde_json::json!({"id": id, "question": question, "text": text, "業種": industry});
        input.push_str(&(row.to_string() + "\n"));
    }
    let path = dir.join("answers.jsonl");
    std::fs::write(&path, input).expect("the temporary directory is writable");
    path
}

/// Indexes `input` into `index` with the shipped rules (one thread, a small buffer).
pub fn index_file(
    index: &Path,
    input: &Path,
    append: bool,
    overrides: Option<&Overrides>,
) -> Result<IndexStats, Error> {
    index_file_with(index, input, append, overrides, classifier())
}

/// [`index_file`] with the rules of `classifier`.
pub fn index_file_with(
    index: &Path,
    input: &Path,
    append: bool,
    overrides: Option<&Overrides>,
    classifier: Arc<Classifier>,
) -> Result<IndexStats, Error> {
    let answers = input::open(input, &InputOptions::default())?;
    let options = IndexOptions {
        append,
        memory_budget: 32 << 20,
        threads: 1,
    };
    build_index(
        index,
        answers,
        classifier,
        overrides,
        &options,
        &indicatif::ProgressBar::hidden(),
    )
}

/// A copy of the shipped rules in which the effect-examples scheme (Q10-1) groups its
/// categories: 社内 (awareness, incident-reduction, rules) and 社外 (trust, subsidies).
pub fn grouped_rules(dir: &Path) -> PathBuf {
    let rules = dir.join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    for entry in std::fs::read_dir(repo("rules")).expect("the shipped rules") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().expect("a file name");
        std::fs::copy(&path, rules.join(name)).expect("copy");
    }
    let file = rules.join("effect-examples.toml");
    let mut text = std::fs::read_to_string(&file).expect("the copied scheme reads");
    for (category, group) in [
        ("awareness", "inside"),
        ("incident-reduction", "inside"),
        ("rules", "inside"),
        ("trust", "outside"),
        ("subsidies", "outside"),
    ] {
        let line = format!("id = \"{category}\"\n");
        assert_eq!(text.matches(&line).count(), 1, "{line}");
        text = text.replace(&line, &format!("{line}parent = \"{group}\"\n"));
    }
    text.push_str(
        "\n[[group]]\nid = \"inside\"\nlabel = \"社内の変化\"\n\n[[group]]\nid = \"outside\"\nlabel = \"社外との関係\"\n",
    );
    std::fs::write(&file, text).expect("write");
    rules
}
