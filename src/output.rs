//! Output files: written whole or not at all, and the formats classified answers are written in.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::classify::pipeline::Classified;
use crate::error::{Error, Result};

/// Writes `path` through a temporary file in the same directory that is renamed into place only
/// when `write` succeeds, so a failed run never leaves a half-written file behind.
pub fn write_atomically<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temporary = tempfile::NamedTempFile::new_in(&directory).map_err(|err| Error::Io {
        path: directory.display().to_string(),
        message: format!("cannot create a temporary file here: {err}"),
    })?;
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
const CSV_ANSWER_COLUMNS: [&str; 6] = [
    "id",
    "question",
    "text",
    "primary",
    "primary_label",
    "categories",
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
/// [`spreadsheet_safe`]): the primary category is the first of `categories`, and
/// `attribute_values` come in the order of the header's attribute names.
pub fn csv_answer_row<'a>(
    id: &str,
    question: &str,
    text: &str,
    categories: &[String],
    primary_label: &str,
    attribute_values: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let primary = categories.first().map_or("", String::as_str);
    let categories = categories.join("|");
    let fixed = [id, question, text, primary, primary_label, &categories];
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
                serde_json::to_writer(&mut line, &ClassifiedRecord::new(item))
                    .map_err(|err| Error::io("the output", std::io::Error::from(err)))?;
                line.push(b'\n');
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
            .map_err(|err| Error::Usage(format!("cannot encode CSV: {err}")))?;
        let bytes = writer
            .into_inner()
            .map_err(|err| Error::Usage(format!("cannot encode CSV: {err}")))?;
        self.write_bytes(&bytes)
    }

    fn write_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .map_err(|err| Error::io("the output", err))
    }
}

/// One line of `classify`'s JSONL output, serialized straight from the classified answer:
/// building a `serde_json::Value` first cost as much as the rules did.
#[derive(serde::Serialize)]
struct ClassifiedRecord<'a> {
    id: &'a str,
    question: &'a str,
    text: &'a str,
    attributes: Attributes<'a>,
    categories: &'a [String],
    primary: Option<&'a str>,
    evidence: EvidenceByCategory<'a>,
    overridden: bool,
}

/// An answer's attributes as a JSON object, in column order.
struct Attributes<'a>(&'a [(String, String)]);

impl serde::Serialize for Attributes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// `{"category": [evidence…]}` in the order of the answer's categories.
struct EvidenceByCategory<'a>(&'a [crate::classify::CategoryEvidence]);

impl serde::Serialize for EvidenceByCategory<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for category in self.0 {
            map.serialize_entry(&category.category, &category.matches)?;
        }
        map.end()
    }
}

impl<'a> ClassifiedRecord<'a> {
    fn new(item: &'a Classified) -> ClassifiedRecord<'a> {
        ClassifiedRecord {
            id: &item.answer.id,
            question: &item.answer.question,
            text: &item.answer.text,
            attributes: Attributes(&item.answer.attributes),
            categories: &item.classification.categories,
            primary: item.classification.primary(),
            evidence: EvidenceByCategory(&item.classification.evidence),
            overridden: item.overridden,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

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
