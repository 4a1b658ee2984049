//! Fuzzes the CSV and TSV reader (`src/input/delimited.rs`, `table.rs`, `encoding.rs`) through
//! `jiyu::input::read_all`, as the commands call it.
//!
//! The first byte chooses the options: bit 0 TSV instead of CSV; bits 1–2 the encoding (detected,
//! `--encoding utf-8`, `--encoding shift_jis`, detected); bit 3 a wide export (`--id-column
//! 回答者ID --text-columns Q6-1,Q10-1`) instead of a long one. The rest is the file.

#![no_main]

mod common;

use jiyu::input::{Encoding, InputOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let name = if choice & 1 == 1 {
        "export.tsv"
    } else {
        "export.csv"
    };
    let mut options = if choice & 8 == 8 {
        common::wide_options()
    } else {
        InputOptions::default()
    };
    options.encoding = match (choice >> 1) & 3 {
        1 => Some(Encoding::Utf8),
        2 => Some(Encoding::ShiftJis),
        _ => None,
    };
    let path = common::scratch_file(name, bytes);
    common::read_and_check(&path, &options, Some(common::text_lines(bytes)));
});
