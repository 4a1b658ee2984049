//! What the caller tells the input module about a file: its [`Format`], its [`Encoding`] and
//! which columns hold the id, the question and the text ([`InputOptions`]). Everything here is
//! optional; what is not given is guessed from the file name and the file itself.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The kind of survey export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON object a line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// An Excel workbook; one sheet is read.
    Xlsx,
}

impl Format {
    /// The names `--format` accepts, for messages.
    pub const NAMES: &'static str = "jsonl, csv, tsv, xlsx";

    /// The format a file name's extension stands for (`.jsonl`/`.ndjson`/`.json`, `.csv`,
    /// `.tsv`/`.txt`, `.xlsx`/`.xlsm`), case-insensitively; `None` for any other name.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            // Excel's "Text (Tab delimited)" export is saved as .txt.
            "tsv" | "txt" | "tab" => Some(Format::Tsv),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Xlsx => "xlsx",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Format, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "tsv" | "tab" | "txt" => Ok(Format::Tsv),
            "xlsx" | "xlsm" | "excel" => Ok(Format::Xlsx),
            _ => Err(format!(
                "unknown format “{name}”; use one of {}",
                Format::NAMES
            )),
        }
    }
}

/// The character encoding of a text export (CSV, TSV, JSONL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// Shift_JIS as Windows writes it (CP932 / Windows-31J), what Excel on Japanese Windows
    /// saves as "CSV".
    ShiftJis,
}

impl Encoding {
    /// The names `--encoding` accepts, for messages.
    pub const NAMES: &'static str = "utf-8, shift_jis (also sjis, cp932, windows-31j)";

    /// The name used on the command line and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::ShiftJis => "shift_jis",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = String;

    fn from_str(name: &str) -> Result<Encoding, String> {
        // Compare without case, `-` and `_`, so `UTF8`, `Shift-JIS` and `windows_31j` all work.
        let key: String = name
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match key.as_str() {
            "utf8" | "utf8bom" | "utf8sig" => Ok(Encoding::Utf8),
            "shiftjis" | "sjis" | "cp932" | "windows31j" | "mskanji" | "ms932" => {
                Ok(Encoding::ShiftJis)
            }
            _ => Err(format!(
                "unknown encoding “{name}”; use one of {}",
                Encoding::NAMES
            )),
        }
    }
}

/// How to read a survey export. `InputOptions::default()` reads a long export (columns `id`,
/// `question`, `text`) whose format and encoding are guessed.
#[derive(Default, Clone, Debug)]
pub struct InputOptions {
    /// The format; guessed from the file name's extension when `None`.
    pub format: Option<Format>,
    /// The encoding of a CSV, TSV or JSONL file; detected when `None`.
    pub encoding: Option<Encoding>,
    /// The column (or JSON field) holding the answer id (`id` when `None`); in a wide export,
    /// the respondent id, which is then required.
    pub id_column: Option<String>,
    /// The column holding the question of a long export (`question` when `None`).
    pub question_column: Option<String>,
    /// The column holding the answer text of a long export (`text` when `None`).
    pub text_column: Option<String>,
    /// The free-text columns of a wide export (one row per respondent). Non-empty means the
    /// file is a wide export.
    pub text_columns: Vec<String>,
    /// The XLSX sheet to read; the first sheet when `None`.
    pub sheet: Option<String>,
}
