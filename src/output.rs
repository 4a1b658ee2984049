//! Output files: written whole or not at all, and the formats classified answers are written in.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::classify::Classified;
use crate::error::{Error, Result};

pub use crate::classify::rounded_confidence;

/// Writes `path` through a temporary file in the same directory that is renamed into place only
/// when `write` succeeds, so a failed run never leaves a half-written file behind. The file
/// gets the permissions a newly created file gets (read and write for all, less the umask:
/// 0644 under umask 022), not the private 0600 of a temporary file.
pub fn write_atomically<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode asked of open(2), which applies the umask.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder
        .tempfile_in(&directory)
        .map_err(|err| Error::io(&directory, err).context("cannot create a temporary file here"))?;
    {
        let mut buffered = std::io::BufWriter::new(temporary.as_file_mut());
        write(&mut buffered)?;
        buffered.flush().map_err(|err| Error::io(path, err))?;
    }
    temporary
        .persist(path)
        .map_err(|err| Error::io(path, err.error))?;
    Ok(())
}

/// `cell` as a spreadsheet shows it as text: answers are untrusted, and Excel runs a cell that
/// starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)` can send data away). Such a
/// cell gets a leading `'`, Excel's mark for text, as OWASP advises for CSV files; a lone `-`
/// (a common non-answer) and negative numbers are left alone, since Excel reads them as text
/// and numbers.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    let mut chars = cell.chars();
    let risky = match chars.next() {
        Some('=' | '+' | '@') => true,
        Some('-') => {
            let rest = chars.as_str();
            !rest.is_empty() && rest.parse::<f64>().is_err()
        }
        _ => false,
    };
    if risky {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The columns of the answers CSV (`classify --output-format csv`, the page's download) before
/// the attributes, which follow one a column.
const CSV_ANSWER_COLUMNS: [&str; 8] = [
    "id",
    "question",
    "text",
    "primary",
    "primary_label",
    "categories",
    "confidence",
    "basis",
];

/// The header of the answers CSV: [`CSV_ANSWER_COLUMNS`], then `attribute_names`.
pub fn csv_answer_header(attribute_names: &[String]) -> Vec<String> {
    CSV_ANSWER_COLUMNS
        .iter()
        .map(|name| name.to_string())
        .chain(
            attribute_names
                .iter()
                .map(|name| spreadsheet_safe(name).into_owned()),
        )
        .collect()
}

/// One answer's row of the answers CSV, every cell as a spreadsheet should show it (see
/// [`spreadsheet_safe`]): the primary category is the first of `categories`, the confidence
/// has three decimals (empty when there is none), and `attribute_values` come in the order of
/// the header's attribute names.
#[allow(clippy::too_many_arguments)]
pub fn csv_answer_row<'a>(
    id: &str,
    question: &str,
    text: &str,
    categories: &[String],
    primary_label: &str,
    confidence: Option<f64>,
    basis: &str,
    attribute_values: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let primary = categories.first().map_or("", String::as_str);
    let categories = categories.join("|");
    let confidence = confidence.map_or(String::new(), |confidence| {
        format!("{:.3}", rounded_confidence(confidence))
    });
    let fixed = [
        id,
        question,
        text,
        primary,
        primary_label,
        &categories,
        &confidence,
        basis,
    ];
    fixed
        .into_iter()
        .map(|cell| spreadsheet_safe(cell).into_owned())
        .chain(attribute_values.map(|cell| spreadsheet_safe(cell).into_owned()))
        .collect()
}

/// The file formats `classify` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON object a line, with evidence.
    Jsonl,
    /// UTF-8 with BOM so Excel opens it; one row per answer, attributes as columns.
    Csv,
}

/// Writes classified answers in one of the [`OutputFormat`]s.
pub struct ClassifiedWriter<'a> {
    out: &'a mut dyn Write,
    format: OutputFormat,
    /// CSV only: the attribute columns, in order.
    attribute_columns: Vec<String>,
    labels: &'a dyn Fn(&Classified) -> String,
    /// The line being written, reused: serializing straight into the `dyn Write` made a call
    /// through it for every punctuation mark and string.
    line: Vec<u8>,
}

impl<'a> ClassifiedWriter<'a> {
    /// Starts the output (the CSV header). `primary_label` gives the label of an answer's
    /// primary category.
    pub fn new(
        out: &'a mut dyn Write,
        format: OutputFormat,
        attribute_columns: Vec<String>,
        primary_label: &'a dyn Fn(&Classified) -> String,
    ) -> Result<ClassifiedWriter<'a>> {
        let mut writer = ClassifiedWriter {
            out,
            format,
            attribute_columns,
            labels: primary_label,
            line: Vec::new(),
        };
        if format == OutputFormat::Csv {
            writer.write_bytes(b"\xEF\xBB\xBF")?;
            let header = csv_answer_header(&writer.attribute_columns);
            writer.write_csv_row(&header)?;
        }
        Ok(writer)
    }

    pub fn write(&mut self, item: &Classified) -> Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                let mut line = std::mem::take(&mut self.line);
                line.clear();
                push_classified_line(&mut line, item);
                let written = self.write_bytes(&line);
                self.line = line;
                written
            }
            OutputFormat::Csv => {
                let answer = &item.answer;
                let row = csv_answer_row(
                    &answer.id,
                    &answer.question,
                    &answer.text,
                    &item.classification.categories,
                    &(self.labels)(item),
                    item.classification.confidence,
                    item.classification.basis.as_str(),
                    self.attribute_columns.iter().map(|column| {
                        answer
                            .attributes
                            .iter()
                            .find(|(name, _)| name == column)
                            .map_or("", |(_, value)| value.as_str())
                    }),
                );
                self.write_csv_row(&row)
            }
        }
    }

    fn write_csv_row(&mut self, fields: &[String]) -> Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer
            .write_record(fields)
            .map_err(|err| Error::Encode(format!("cannot encode CSV: {err}")))?;
        let bytes = writer
            .into_inner()
            .map_err(|err| Error::Encode(format!("cannot encode CSV: {err}")))?;
        self.write_bytes(&bytes)
    }

    fn write_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .map_err(|err| Error::io("the output", err))
    }
}

/// Appends one line of `classify`'s JSONL output for `item` to `line`: `id`, `question`, `text`,
/// `attributes` (in column order), `categories`, `primary`, `confidence` (three decimals, or
/// null), `basis`, `evidence` (per category, in the order of the categories) and `overridden`. Written by hand rather than through serde's
/// per-field machinery, which profiles showed costing a sixth of `classify`; the bytes are
/// those serde_json writes (a unit test compares them).
fn push_classified_line(line: &mut Vec<u8>, item: &Classified) {
    let answer = &item.answer;
    let classification = &item.classification;
    line.extend_from_slice(b"{\"id\":");
    push_json_string(line, &answer.id);
    line.extend_from_slice(b",\"question\":");
    push_json_string(line, &answer.question);
    line.extend_from_slice(b",\"text\":");
    push_json_string(line, &answer.text);
    line.extend_from_slice(b",\"attributes\":{");
    for (position, (name, value)) in answer.attributes.iter().enumerate() {
        if position > 0 {
            line.push(b',');
        }
        push_json_string(line, name);
        line.push(b':');
        push_json_string(line, value);
    }
    line.extend_from_slice(b"},\"categories\":[");
    for (position, category) in classification.categories.iter().enumerate() {
        if position > 0 {
            line.push(b',');
        }
        push_json_string(line, category);
    }
    line.extend_from_slice(b"],\"primary\":");
    match classification.primary() {
        Some(primary) => push_json_string(line, primary),
        None => line.extend_from_slice(b"null"),
    }
    line.extend_from_slice(b",\"confidence\":");
    match classification.confidence {
        // serde_json's own number formatting (shortest round trip), as the rest of the line.
        Some(confidence) => {
            let _ = serde_json::to_writer(&mut *line, &rounded_confidence(confidence));
        }
        None => line.extend_from_slice(b"null"),
    }
    line.extend_from_slice(b",\"basis\":\"");
    line.extend_from_slice(classification.basis.as_str().as_bytes());
    line.extend_from_slice(b"\",\"evidence\":{");
    for (position, category) in classification.evidence.iter().enumerate() {
        if position > 0 {
            line.push(b',');
        }
        push_json_string(line, &category.category);
        line.extend_from_slice(b":[");
        for (position, evidence) in category.matches.iter().enumerate() {
            if position > 0 {
                line.push(b',');
            }
            line.extend_from_slice(b"{\"term\":");
            push_json_string(line, &evidence.term);
            line.extend_from_slice(b",\"text\":");
            push_json_string(line, &evidence.text);
            line.extend_from_slice(b",\"start\":");
            push_decimal(line, evidence.start);
            line.extend_from_slice(b",\"end\":");
            push_decimal(line, evidence.end);
            line.push(b'}');
        }
        line.push(b']');
    }
    line.extend_from_slice(if item.overridden {
        b"},\"overridden\":true}\n"
    } else {
        b"},\"overridden\":false}\n"
    });
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it: `"`, `\\` and the control
/// characters below U+0020 (`\n`, `\t`, … or `\u00XX`); everything else, DEL and non-ASCII
/// included, as it is.
fn push_json_string(line: &mut Vec<u8>, text: &str) {
    line.push(b'"');
    let bytes = text.as_bytes();
    // Nearly every string needs no escaping: a check of all bytes without an early exit, which
    // the compiler turns into SIMD, then one copy. A byte-by-byte loop was most of the writing.
    let clean = !bytes
        .iter()
        .fold(false, |any, &byte| any | needs_escape(byte));
    if clean {
        line.extend_from_slice(bytes);
    } else {
        push_escaped(line, bytes);
    }
    line.push(b'"');
}

fn needs_escape(byte: u8) -> bool {
    (byte < 0x20) | (byte == b'"') | (byte == b'\\')
}

fn push_escaped(line: &mut Vec<u8>, bytes: &[u8]) {
    let mut plain_from = 0;
    for (position, &byte) in bytes.iter().enumerate() {
        if !needs_escape(byte) {
            continue;
        }
        line.extend_from_slice(&bytes[plain_from..position]);
        plain_from = position + 1;
        match byte {
            b'"' => line.extend_from_slice(b"\\\""),
            b'\\' => line.extend_from_slice(b"\\\\"),
            b'\n' => line.extend_from_slice(b"\\n"),
            b'\r' => line.extend_from_slice(b"\\r"),
            b'\t' => line.extend_from_slice(b"\\t"),
            0x08 => line.extend_from_slice(b"\\b"),
            0x0C => line.extend_from_slice(b"\\f"),
            control => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                line.extend_from_slice(b"\\u00");
                line.push(HEX[usize::from(control >> 4)]);
                line.push(HEX[usize::from(control & 0xF)]);
            }
        }
    }
    line.extend_from_slice(&bytes[plain_from..]);
}

fn push_decimal(line: &mut Vec<u8>, value: usize) {
    line.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::{push_classified_line, push_json_string, spreadsheet_safe};
    use crate::classify::pipeline::Classified;
    use crate::classify::{Basis, CategoryEvidence, Classification};
    use crate::input::Answer;
    use crate::rules::expr::Evidence;

    /// The line serde_json writes for `item`, field by field, keys in insertion order.
    fn serde_line(item: &Classified) -> String {
        let answer = &item.answer;
        let classification = &item.classification;
        let mut attributes = serde_json::Map::new();
        for (name, value) in &answer.attributes {
            attributes.insert(name.clone(), value.clone().into());
        }
        let mut evidence = serde_json::Map::new();
        for category in &classification.evidence {
            evidence.insert(
                category.category.clone(),
                serde_json::to_value(&category.matches).unwrap(),
            );
        }
        let line = serde_json::json!({
            "id": answer.id,
            "question": answer.question,
            "text": answer.text,
            "attributes": attributes,
            "categories": classification.categories,
            "primary": classification.primary(),
            "confidence": classification.confidence.map(super::rounded_confidence),
            "basis": classification.basis,
            "evidence": evidence,
            "overridden": item.overridden,
        });
        format!("{line}\n")
    }

    proptest::proptest! {
        /// Strings of bytes that need escaping, ASCII and wide characters, in any mix and at any
        /// offset from the eight-byte steps.
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(
            text in "[\\x00-\\x1f\"\\\\a-z/\\x7f研修😀]{0,40}",
        ) {
            let mut written = Vec::new();
            push_json_string(&mut written, &text);
            proptest::prop_assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string(&text).unwrap()
            );
        }
    }

    #[test]
    fn jsonl_lines_are_the_bytes_serde_json_writes() {
        // Every byte that JSON escapes, DEL and non-ASCII beside them, in every string field.
        let awkward: String = (0u8..0x20)
            .map(char::from)
            .chain("\"\\/\u{7f}研修「が」ほしい😀\u{200f}".chars())
            .collect();
        let evidence = |term: &str, text: &str, start| Evidence {
            term: term.to_string(),
            text: text.to_string(),
            start,
            end: start + text.chars().count(),
        };
        let items = [
            Classified {
                answer: Answer {
                    id: format!("A{awkward}"),
                    question: "Q6-1".into(),
                    text: awkward.clone(),
                    attributes: vec![
                        ("業種".into(), "建設業".into()),
                        (awkward.clone(), String::new()),
                    ],
                },
                classification: Classification {
                    scheme: Some("site-needs".into()),
                    categories: vec!["education".into(), "incident-cases".into()],
                    evidence: vec![
                        CategoryEvidence {
                            category: "education".into(),
                            matches: vec![
                                evidence("\"研修\"", "研修", 12_345),
                                evidence("/DX\\s*認定/", &awkward, 0),
                            ],
                        },
                        CategoryEvidence {
                            category: "incident-cases".into(),
                            matches: Vec::new(),
                        },
                    ],
                    basis: Basis::Model,
                    confidence: Some(0.873_456),
                },
                overridden: true,
            },
            Classified {
                answer: Answer {
                    id: "7".into(),
                    question: String::new(),
                    text: "特になし".into(),
                    attributes: Vec::new(),
                },
                classification: Classification {
                    scheme: None,
                    categories: Vec::new(),
                    evidence: Vec::new(),
                    basis: Basis::None,
                    confidence: None,
                },
                overridden: false,
            },
        ];
        for item in &items {
            let mut line = Vec::new();
            push_classified_line(&mut line, item);
            assert_eq!(String::from_utf8(line).unwrap(), serde_line(item));
        }
    }

    #[test]
    fn formulas_become_text_and_plain_cells_stay() {
        for (cell, shown) in [
            (
                "=HYPERLINK(\"http://example.com\",\"x\")",
                "'=HYPERLINK(\"http://example.com\",\"x\")",
            ),
            ("+1+1", "'+1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("-研修がほしい", "'-研修がほしい"),
            ("\r\n研修", "\r\n研修"),
            ("-", "-"),
            ("-12", "-12"),
            ("-0.5", "-0.5"),
            ("特になし", "特になし"),
            ("研修=大事", "研修=大事"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), shown, "{cell:?}");
        }
    }
}
