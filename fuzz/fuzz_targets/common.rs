//! What the input-reader targets share: a scratch file to hand the reader (`jiyu::input::open`
//! reads paths), the first input byte turned into reader options, and the checks every result
//! must pass — an error is an `Error::Input` naming this file and a line and column inside it,
//! and every answer has an id, a question and, in a wide export, a non-blank text.

// Each target is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiyu::input::{read_all, InputOptions};
use jiyu::{Answer, Error};

/// A file named `name` in a directory of this process (in memory when /dev/shm exists, so the
/// fuzzer does not wait on a disk), rewritten with `bytes`.
pub fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        tempfile::Builder::new()
            .prefix("jiyu-fuzz")
            .tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .expect("a scratch directory")
    });
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("the scratch file is written");
    path
}

/// Reads `path` and checks the result. `max_line` bounds the line an error may name (the
/// lines of a text file; `None` for a workbook, whose rows are not lines of the file).
pub fn read_and_check(path: &Path, options: &InputOptions, max_line: Option<usize>) {
    match read_all(path, options) {
        Ok(answers) => check_answers(&answers, options),
        Err(err) => check_error(&err, path, max_line),
    }
}

fn check_error(err: &Error, path: &Path, max_line: Option<usize>) {
    let Error::Input {
        path: named,
        line,
        column,
        message,
    } = err
    else {
        panic!("a malformed file must be an input error with a place, got {err:?}");
    };
    assert_eq!(named, &path.display().to_string(), "{err}");
    assert!(*line >= 1 && *column >= 1, "{err}");
    if let Some(max_line) = max_line {
        assert!(
            *line <= max_line,
            "line {line} of a file of {max_line} lines: {err}"
        );
    }
    assert!(!message.is_empty());
}

fn check_answers(answers: &[Answer], options: &InputOptions) {
    for answer in answers {
        assert!(!answer.id.trim().is_empty(), "{answer:?}");
        assert_eq!(answer.id.trim(), answer.id, "{answer:?}");
        if !options.text_columns.is_empty() {
            assert!(
                options.text_columns.contains(&answer.question),
                "{answer:?}"
            );
            assert!(
                answer.id.ends_with(&format!(":{}", answer.question)),
                "{answer:?}"
            );
            assert!(!answer.text.trim().is_empty(), "{answer:?}");
        }
    }
}

/// Lines as the CSV/TSV reader counts them: `\r\n`, `\n` or a lone `\r` ends one.
pub fn text_lines(bytes: &[u8]) -> usize {
    let mut lines = 1;
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'\n' || (byte == b'\r' && bytes.get(index + 1) != Some(&b'\n')) {
            lines += 1;
        }
    }
    lines
}

/// A wide export's options: one row per respondent, two free-text columns.
pub fn wide_options() -> InputOptions {
    InputOptions {
        id_column: Some("回答者ID".into()),
        text_columns: vec!["Q6-1".into(), "Q10-1".into()],
        ..InputOptions::default()
    }
}
