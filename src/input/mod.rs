//! Input: survey exports (JSONL, long or wide CSV/TSV, XLSX; UTF-8 or Shift_JIS) read into
//! [`Answer`]s, one per free-text answer, in file order.
//!
//! [`open`] streams: text files are read a record at a time, so memory does not grow with the
//! file (XLSX sheets are loaded whole by calamine). Every problem is an [`Error::Input`] with
//! the file, line and column; nothing is skipped silently.
//!
//! - [`options`]: what the caller says about the file ([`InputOptions`], [`Format`],
//!   [`Encoding`]).
//! - [`encoding`]: UTF-8 / Shift_JIS detection and decoding.
//! - [`delimited`]: CSV and TSV; [`jsonl`]: JSON Lines; [`xlsx`]: workbooks.
//! - [`table`]: header rows → long or wide answers, shared by CSV, TSV and XLSX.

mod delimited;
mod encoding;
mod jsonl;
mod options;
mod table;
mod xlsx;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::Path;

use serde::Serialize;

pub use options::{Encoding, Format, InputOptions};

use crate::error::{Error, Result};

/// One free-text answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// Unique within the input: the id column of a long file, `<respondent id>:<column>` of a
    /// wide one.
    pub id: String,
    /// The question the answer belongs to (`Q6-1`).
    pub question: String,
    /// The text exactly as the respondent wrote it.
    pub text: String,
    /// Every other column of the row, in file order (業種, 従業員数, 取組段階, …).
    pub attributes: Vec<(String, String)>,
}

/// The bytes of a text export as the readers see them.
type ByteSource = Box<dyn Read + Send>;

/// One respondent's row of a wide export (one row per respondent, one column per question), as
/// [`AnswerReader::on_row`] reports it: the row's attributes and the questions whose cells
/// were left blank. A blank cell is not an answer — no output lists it — but the respondent
/// was asked the question, so reports count it (無回答（空欄）).
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The respondent id.
    pub respondent: &'a str,
    /// Every column that is neither the id nor a text column, in file order.
    pub attributes: &'a [(String, String)],
    /// The text columns (questions) left blank in this row, in column order.
    pub blank: &'a [&'a str],
}

/// What [`AnswerReader::on_row`] calls.
type RowObserver = Box<dyn FnMut(&Row<'_>) + Send>;

/// Where a reader puts what a row holds: its answers, each with the line (sheet row) the row
/// starts on, and the row itself for the observer, if one is set.
pub(crate) struct RowOut {
    answers: VecDeque<(usize, Answer)>,
    observer: Option<RowObserver>,
}

impl RowOut {
    fn push(&mut self, line: usize, answer: Answer) {
        self.answers.push_back((line, answer));
    }

    /// Reports a wide export's row to the observer, if any.
    fn row(&mut self, row: &Row<'_>) {
        if let Some(observer) = self.observer.as_mut() {
            observer(row);
        }
    }
}

/// A reader of one format: each call reads one row (or line) and appends its answers.
trait RowSource: Send {
    /// Appends the answers of the next row to `out` (a wide row gives several, a blank row
    /// none) and reports a wide export's row to its observer; false when there are no more
    /// rows.
    fn read_row(&mut self, out: &mut RowOut) -> Result<bool>;
}

/// The answers of one export, in file order. Stops after the first error.
pub struct AnswerReader {
    source: Box<dyn RowSource>,
    out: RowOut,
    line: usize,
    finished: bool,
    format: Format,
    encoding: Option<Encoding>,
}

impl AnswerReader {
    /// The format being read (given or guessed from the file name).
    pub fn format(&self) -> Format {
        self.format
    }

    /// The encoding being read (given or detected); `None` for XLSX.
    pub fn encoding(&self) -> Option<Encoding> {
        self.encoding
    }

    /// The line (the sheet's row, for XLSX) on which the row of the answer last returned
    /// starts; 0 before the first answer.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Calls `observer` with every respondent row of a wide export as it is read (before the
    /// row's answers are returned), blank cells included; rows of a long export or JSONL file
    /// are answers and are not reported. A row with no cell at all is not a respondent and is
    /// skipped, as for answers.
    pub fn on_row(&mut self, observer: impl FnMut(&Row<'_>) + Send + 'static) {
        self.out.observer = Some(Box::new(observer));
    }
}

impl Iterator for AnswerReader {
    type Item = Result<Answer>;

    fn next(&mut self) -> Option<Result<Answer>> {
        loop {
            if let Some((line, answer)) = self.out.answers.pop_front() {
                self.line = line;
                return Some(Ok(answer));
            }
            if self.finished {
                return None;
            }
            match self.source.read_row(&mut self.out) {
                Ok(true) => {}
                Ok(false) => self.finished = true,
                Err(err) => {
                    self.finished = true;
                    return Some(Err(err));
                }
            }
        }
    }
}

impl std::fmt::Debug for AnswerReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnswerReader")
            .field("format", &self.format)
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

/// Opens a survey export for streaming; `-` is standard input (give `options.format` then).
/// The header (or the workbook) is read here, so a wrong column name fails at once; rows are
/// read as the reader is iterated.
pub fn open(path: &Path, options: &InputOptions) -> Result<AnswerReader> {
    let is_stdin = path.as_os_str() == "-";
    let display = if is_stdin {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    let format = match options.format.or_else(|| Format::from_path(path)) {
        Some(format) => format,
        None if is_stdin => {
            return Err(Error::Usage(format!(
                "give --format for standard input ({})",
                Format::NAMES
            )))
        }
        None => {
            return Err(Error::Usage(format!(
                "{display}: cannot tell the format from the file name; give --format ({})",
                Format::NAMES
            )))
        }
    };
    check_options(format, options)?;
    let open_bytes = || -> Result<ByteSource> {
        if is_stdin {
            Ok(Box::new(std::io::stdin()))
        } else {
            let file = File::open(path).map_err(|err| Error::io(path, err))?;
            Ok(Box::new(file))
        }
    };
    let (source, encoding): (Box<dyn RowSource>, Option<Encoding>) = match format {
        Format::Xlsx => {
            let sheet = if is_stdin {
                // A workbook is a ZIP archive, read by seeking; standard input cannot seek.
                let mut bytes = Vec::new();
                open_bytes()?
                    .read_to_end(&mut bytes)
                    .map_err(|err| Error::io(&display, err))?;
                xlsx::open(Cursor::new(bytes), &display, options)?
            } else {
                let file = File::open(path).map_err(|err| Error::io(path, err))?;
                xlsx::open(BufReader::new(file), &display, options)?
            };
            (Box::new(sheet), None)
        }
        Format::Jsonl | Format::Csv | Format::Tsv => {
            let text = encoding::prepare(open_bytes()?, options.encoding, &display)?;
            let encoding = text.encoding;
            let source: Box<dyn RowSource> = match format {
                Format::Jsonl => Box::new(jsonl::JsonlReader::new(text, &display, options)),
                Format::Tsv => Box::new(delimited::DelimitedReader::new(
                    text, b'\t', &display, options,
                )?),
                _ => Box::new(delimited::DelimitedReader::new(
                    text, b',', &display, options,
                )?),
            };
            (source, Some(encoding))
        }
    };
    Ok(AnswerReader {
        source,
        out: RowOut {
            answers: VecDeque::new(),
            observer: None,
        },
        line: 0,
        finished: false,
        format,
        encoding,
    })
}

/// Reads every answer of a survey export; see [`open`].
pub fn read_all(path: &Path, options: &InputOptions) -> Result<Vec<Answer>> {
    open(path, options)?.collect()
}

/// Options that contradict each other are refused before the file is read.
fn check_options(format: Format, options: &InputOptions) -> Result<()> {
    let wide = !options.text_columns.is_empty();
    if wide {
        if format == Format::Jsonl {
            return Err(Error::Usage(
                "--text-columns is for wide CSV, TSV and XLSX exports; \
                 a JSONL file has one answer a line (name its text field with --text-column)"
                    .into(),
            ));
        }
        if options.id_column.is_none() {
            return Err(Error::Usage(
                "a wide export (--text-columns) needs --id-column, the column with the \
                 respondent id (for example 回答者ID)"
                    .into(),
            ));
        }
        if options.text_column.is_some() || options.question_column.is_some() {
            return Err(Error::Usage(
                "--text-column and --question-column are for long exports; with \
                 --text-columns each text column is its own question"
                    .into(),
            ));
        }
        for (index, name) in options.text_columns.iter().enumerate() {
            if options
                .text_columns
                .get(..index)
                .unwrap_or_default()
                .contains(name)
            {
                return Err(Error::Usage(format!("--text-columns names “{name}” twice")));
            }
            if options.id_column.as_ref() == Some(name) {
                return Err(Error::Usage(format!(
                    "“{name}” is given both as --id-column and in --text-columns"
                )));
            }
        }
    } else {
        let roles = [
            ("--id-column", options.id_column.as_deref().unwrap_or("id")),
            (
                "--question-column",
                options.question_column.as_deref().unwrap_or("question"),
            ),
            (
                "--text-column",
                options.text_column.as_deref().unwrap_or("text"),
            ),
        ];
        for (index, (option, name)) in roles.iter().enumerate() {
            if let Some((other, _)) = roles
                .get(..index)
                .unwrap_or_default()
                .iter()
                .find(|(_, other_name)| other_name == name)
            {
                return Err(Error::Usage(format!(
                    "{other} and {option} both name the column “{name}”"
                )));
            }
        }
    }
    if options.sheet.is_some() && format != Format::Xlsx {
        return Err(Error::Usage(format!(
            "--sheet is for XLSX workbooks, and this input is {format}"
        )));
    }
    if options.encoding.is_some() && format == Format::Xlsx {
        return Err(Error::Usage(
            "--encoding is for text files; an XLSX workbook has no encoding to choose".into(),
        ));
    }
    Ok(())
}

/// An [`Error::Input`] at a place in `path`.
fn input_error(path: &str, line: usize, column: usize, message: String) -> Error {
    Error::Input {
        path: path.to_string(),
        line,
        column,
        message,
    }
}
