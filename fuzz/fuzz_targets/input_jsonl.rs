//! Fuzzes the JSON Lines reader (`src/input/jsonl.rs`, `encoding.rs`) through
//! `jiyu::input::read_all`.
//!
//! The first byte chooses the options: bits 0–1 the encoding (detected, `--encoding utf-8`,
//! `--encoding shift_jis`, detected); bit 2 renamed fields (`--id-column 回答者ID
//! --question-column 設問 --text-column 回答`). The rest is the file.

#![no_main]

mod common;

use jiyu::input::{Encoding, InputOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let mut options = InputOptions {
        encoding: match choice & 3 {
            1 => Some(Encoding::Utf8),
            2 => Some(Encoding::ShiftJis),
            _ => None,
        },
        ..InputOptions::default()
    };
    if choice & 4 == 4 {
        options.id_column = Some("回答者ID".into());
        options.question_column = Some("設問".into());
        options.text_column = Some("回答".into());
    }
    let path = common::scratch_file("export.jsonl", bytes);
    // JSON Lines end at `\n` only.
    let lines = 1 + bytes.iter().filter(|&&byte| byte == b'\n').count();
    common::read_and_check(&path, &options, Some(lines));
});
