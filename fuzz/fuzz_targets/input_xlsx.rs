//! Fuzzes the XLSX reader (`src/input/xlsx.rs`, `table.rs`, and calamine under them) through
//! `jiyu::input::read_all` on a workbook file.
//!
//! The first byte chooses the options and how the rest becomes a workbook. Bit 0 clear: the
//! rest is the file as it is (a damaged or hostile ZIP). Bit 0 set: the rest, split at NUL
//! bytes, is the sheet XML, the shared strings XML and the styles XML of an otherwise valid
//! workbook — mutating a ZIP mostly breaks its checksums, so this is how the fuzzer reaches
//! the cell parsing, number formats and dates. Bit 1: a wide export instead of a long one.
//! Bits 2–3: `--sheet` not given, `--sheet 回答` (the sheet there is), `--sheet Sheet9` (a
//! sheet there is not). With `JIYU_FUZZ_WORKBOOK=FILE` set, the workbook read is also written
//! to FILE (how a finding of the parts mode is kept for tests/it/robustness.rs).

#![no_main]

mod common;

use std::io::Write;

use jiyu::input::InputOptions;
use libfuzzer_sys::fuzz_target;
use zip::write::SimpleFileOptions;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let mut options = if choice & 2 == 2 {
        common::wide_options()
    } else {
        InputOptions::default()
    };
    options.sheet = match (choice >> 2) & 3 {
        1 => Some("回答".into()),
        2 => Some("Sheet9".into()),
        _ => None,
    };
    let workbook = if choice & 1 == 1 {
        let mut parts = rest.splitn(3, |&byte| byte == 0);
        let sheet = parts.next().unwrap_or_default();
        let strings = parts.next();
        let styles = parts.next();
        build_workbook(sheet, strings, styles)
    } else {
        rest.to_vec()
    };
    // calamine parses untrusted ZIP and XML; jiyu turns a panic in it into an error and keeps
    // its message off the terminal (`quietly` in src/input/xlsx.rs, which wraps the panic
    // hook, here libfuzzer-sys's aborting one). Any other panic still aborts: a crash.
    //
    // To keep a finding of the parts mode as a plain workbook for the replay test:
    // `JIYU_FUZZ_WORKBOOK=out.xlsx cargo fuzz run input_xlsx CRASH_FILE`.
    if let Some(out) = std::env::var_os("JIYU_FUZZ_WORKBOOK") {
        let _ = std::fs::write(out, &workbook);
    }
    let path = common::scratch_file("export.xlsx", &workbook);
    common::read_and_check(&path, &options, None);
});

/// A workbook with one sheet, 回答, whose parts are the given XML.
fn build_workbook(sheet: &[u8], strings: Option<&[u8]>, styles: Option<&[u8]>) -> Vec<u8> {
    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="回答" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(strings) = strings {
        parts.push(("xl/sharedStrings.xml", strings));
    }
    if let Some(styles) = styles {
        parts.push(("xl/styles.xml", styles));
    }
    for (name, bytes) in parts {
        // Writing to memory cannot fail.
        if zip.start_file(name, stored).is_ok() {
            let _ = zip.write_all(bytes);
        }
    }
    zip.finish()
        .map(|cursor| cursor.into_inner())
        .unwrap_or_default()
}
