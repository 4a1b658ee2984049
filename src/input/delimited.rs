//! CSV and TSV exports: a streaming record splitter on raw bytes, and the reader that decodes
//! each field and hands rows to [`Layout`].
//!
//! Why not the `csv` crate: it never reports broken quoting. A quote left open in the last
//! column makes it read the rest of the file into one cell without a word, and text after a
//! closing quote is silently glued on. This splitter follows RFC 4180 as Excel writes it
//! (`""` inside quotes, `\r\n`, `\n` or `\r` line ends, multi-line quoted cells) and stops with
//! the line and field where quoting breaks.
//!
//! Splitting happens before decoding, which is safe for both encodings read here: UTF-8 and
//! Shift_JIS never use the bytes of `,` `\t` `"` `\r` `\n` inside a multi-byte character.
//!
//! Positions in errors: the line is the physical line where the record, field or bad bytes
//! are; the column is the 1-based field number.

use std::io::BufRead;

use super::encoding::{
    character_column, count_line_breaks, decode, describe_bytes, encoding_advice, TextSource,
};
use super::options::{Encoding, InputOptions};
use super::table::{clean_header_name, Layout, Places};
use super::{input_error, RowOut, RowSource};
use crate::error::{Error, Result};

/// A field longer than this is almost surely a quote left open; stop before memory runs out.
const MAX_RECORD_BYTES: usize = 256 * 1024 * 1024;

/// One record as raw bytes: the fields back to back, where each ends and on which line each
/// starts.
#[derive(Debug, Default)]
struct RawRecord {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    lines: Vec<usize>,
}

impl RawRecord {
    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
        self.lines.clear();
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn field(&self, index: usize) -> &[u8] {
        let start = match index {
            0 => 0,
            _ => self.ends.get(index - 1).copied().unwrap_or(0),
        };
        let end = self.ends.get(index).copied().unwrap_or(start);
        self.bytes.get(start..end).unwrap_or_default()
    }

    fn line(&self, index: usize) -> usize {
        self.lines
            .get(index)
            .or(self.lines.last())
            .copied()
            .unwrap_or(1)
    }
}

/// How a field ended.
enum FieldEnd {
    Delimiter,
    RecordEnd,
}

/// Splits a byte stream into records.
struct Splitter<R> {
    reader: R,
    delimiter: u8,
    /// The 1-based line the next byte is on.
    line: usize,
    path: String,
}

impl<R: BufRead> Splitter<R> {
    fn io_error(&self, err: std::io::Error) -> Error {
        Error::io(&self.path, err)
    }

    fn peek(&mut self) -> Result<Option<u8>> {
        match self.reader.fill_buf() {
            Ok(buffer) => Ok(buffer.first().copied()),
            Err(err) => Err(self.io_error(err)),
        }
    }

    /// Consumes a line end (`\r\n`, `\n` or `\r`) the next byte starts, if any.
    fn skip_line_end(&mut self) -> Result<bool> {
        match self.peek()? {
            Some(b'\n') => {
                self.reader.consume(1);
            }
            Some(b'\r') => {
                self.reader.consume(1);
                if self.peek()? == Some(b'\n') {
                    self.reader.consume(1);
                }
            }
            _ => return Ok(false),
        }
        self.line += 1;
        Ok(true)
    }

    /// Reads the next record into `record`; false at the end of the input. Blank lines between
    /// records are skipped.
    fn read_record(&mut self, record: &mut RawRecord) -> Result<bool> {
        record.clear();
        while self.skip_line_end()? {}
        if self.peek()?.is_none() {
            return Ok(false);
        }
        loop {
            record.lines.push(self.line);
            let end = if self.peek()? == Some(b'"') {
                self.reader.consume(1);
                self.read_quoted(record)?
            } else {
                self.read_unquoted(record)?
            };
            record.ends.push(record.bytes.len());
            match end {
                FieldEnd::Delimiter => continue,
                FieldEnd::RecordEnd => {
                    self.skip_line_end()?;
                    return Ok(true);
                }
            }
        }
    }

    fn read_unquoted(&mut self, record: &mut RawRecord) -> Result<FieldEnd> {
        let delimiter = self.delimiter;
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(buffer) => buffer,
                Err(err) => return Err(self.io_error(err)),
            };
            if buffer.is_empty() {
                return Ok(FieldEnd::RecordEnd);
            }
            let stop = buffer
                .iter()
                .position(|&byte| byte == delimiter || byte == b'\n' || byte == b'\r');
            let taken = stop.unwrap_or(buffer.len());
            record
                .bytes
                .extend_from_slice(buffer.get(..taken).unwrap_or_default());
            let stopped_at = stop.and_then(|index| buffer.get(index).copied());
            match stopped_at {
                Some(byte) if byte == delimiter => {
                    self.reader.consume(taken + 1);
                    return Ok(FieldEnd::Delimiter);
                }
                // The line end is left for `skip_line_end`, which counts it.
                Some(_) => {
                    self.reader.consume(taken);
                    return Ok(FieldEnd::RecordEnd);
                }
                None => self.reader.consume(taken),
            }
            self.check_size(record)?;
        }
    }

    /// Reads a quoted field after its opening quote, up to and including the closing quote
    /// and the delimiter or line end after it.
    fn read_quoted(&mut self, record: &mut RawRecord) -> Result<FieldEnd> {
        let start_line = self.line;
        let field_number = record.ends.len() + 1;
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(buffer) => buffer,
                Err(err) => return Err(self.io_error(err)),
            };
            if buffer.is_empty() {
                return Err(input_error(
                    &self.path,
                    start_line,
                    field_number,
                    format!(
                        "field {field_number} opens a quote (\") that is never closed; \
                         the file ends inside it. Close the quote, or double a quote \
                         that is part of the text (\"\")"
                    ),
                ));
            }
            let stop = buffer
                .iter()
                .position(|&byte| byte == b'"' || byte == b'\n' || byte == b'\r');
            let taken = stop.unwrap_or(buffer.len());
            record
                .bytes
                .extend_from_slice(buffer.get(..taken).unwrap_or_default());
            let stopped_at = stop.and_then(|index| buffer.get(index).copied());
            match stopped_at {
                None => {
                    self.reader.consume(taken);
                    self.check_size(record)?;
                    continue;
                }
                Some(byte) => {
                    self.reader.consume(taken + 1);
                    match byte {
                        b'"' => {
                            if self.peek()? == Some(b'"') {
                                self.reader.consume(1);
                                record.bytes.push(b'"');
                            } else {
                                return self.after_closing_quote(start_line, field_number);
                            }
                        }
                        b'\r' => {
                            // Kept as written: the text passes through unchanged.
                            record.bytes.push(b'\r');
                            if self.peek()? == Some(b'\n') {
                                self.reader.consume(1);
                                record.bytes.push(b'\n');
                            }
                            self.line += 1;
                        }
                        _ => {
                            record.bytes.push(byte);
                            self.line += 1;
                        }
                    }
                }
            }
            self.check_size(record)?;
        }
    }

    /// After a closing quote only a delimiter or a line end may follow.
    fn after_closing_quote(&mut self, start_line: usize, field_number: usize) -> Result<FieldEnd> {
        match self.peek()? {
            Some(byte) if byte == self.delimiter => {
                self.reader.consume(1);
                Ok(FieldEnd::Delimiter)
            }
            None | Some(b'\n') | Some(b'\r') => Ok(FieldEnd::RecordEnd),
            Some(_) => {
                let closed_on = if self.line == start_line {
                    String::new()
                } else {
                    format!(
                        " (the quote opened on this line closes on line {}, \
                         so one is probably missing)",
                        self.line
                    )
                };
                Err(input_error(
                    &self.path,
                    start_line,
                    field_number,
                    format!(
                        "field {field_number} is quoted but has text after its closing \
                         quote{closed_on}; inside a quoted field write a quote as \"\""
                    ),
                ))
            }
        }
    }

    fn check_size(&self, record: &RawRecord) -> Result<()> {
        if record.bytes.len() > MAX_RECORD_BYTES {
            let field_number = record.ends.len() + 1;
            return Err(input_error(
                &self.path,
                record.line(record.ends.len()),
                field_number,
                format!(
                    "this record is longer than {} MiB; is a quote left open here?",
                    MAX_RECORD_BYTES / (1024 * 1024)
                ),
            ));
        }
        Ok(())
    }
}

/// Reads a CSV or TSV export row by row.
pub(super) struct DelimitedReader {
    splitter: Splitter<std::io::BufReader<super::ByteSource>>,
    encoding: Encoding,
    detected: bool,
    layout: Layout,
    record: RawRecord,
}

impl DelimitedReader {
    /// Reads the header row; the rows are read by [`RowSource::read_row`].
    pub fn new(
        source: TextSource,
        delimiter: u8,
        path: &str,
        options: &InputOptions,
    ) -> Result<DelimitedReader> {
        let mut splitter = Splitter {
            reader: source.reader,
            delimiter,
            line: 1,
            path: path.to_string(),
        };
        let mut record = RawRecord::default();
        if !splitter.read_record(&mut record)? {
            return Err(input_error(
                path,
                1,
                1,
                "the file is empty; expected a header row".to_string(),
            ));
        }
        let header_line = record.line(0);
        let mut names = Vec::with_capacity(record.len());
        for index in 0..record.len() {
            let name = decode_field(&record, index, source.encoding, source.detected, path, "")?;
            names.push(clean_header_name(&name));
        }
        let layout = Layout::new(path, Places::Fields, names, header_line, options)?;
        Ok(DelimitedReader {
            splitter,
            encoding: source.encoding,
            detected: source.detected,
            layout,
            record,
        })
    }
}

impl RowSource for DelimitedReader {
    fn read_row(&mut self, out: &mut RowOut) -> Result<bool> {
        if !self.splitter.read_record(&mut self.record)? {
            return Ok(false);
        }
        let record = &self.record;
        let path = &self.splitter.path;
        let expected = self.layout.width();
        let found = record.len();
        if found != expected {
            // The first field that is missing or extra.
            let column = found.min(expected) + 1;
            let hint = if found < expected && record.bytes.contains(&b'\n') {
                "; a cell with a line break must be quoted"
            } else if found > expected {
                "; a cell containing the delimiter must be quoted"
            } else {
                ""
            };
            return Err(input_error(
                path,
                record.line(0),
                column,
                format!("expected {expected} fields as in the header, found {found}{hint}"),
            ));
        }
        let mut cells = Vec::with_capacity(found);
        for index in 0..found {
            let column = format!(" (“{}”)", self.layout.name(index));
            cells.push(
                decode_field(record, index, self.encoding, self.detected, path, &column)?
                    .into_owned(),
            );
        }
        self.layout
            .answers(cells, &|index| record.line(index), out)?;
        Ok(true)
    }
}

/// Decodes field `index`, or says where its bad bytes are: the line they are on and the field
/// number, with the character column in the message.
fn decode_field<'a>(
    record: &'a RawRecord,
    index: usize,
    encoding: Encoding,
    detected: bool,
    path: &str,
    column_name: &str,
) -> Result<std::borrow::Cow<'a, str>> {
    let bytes = record.field(index);
    decode(bytes, encoding).map_err(|bad| {
        let before = bytes.get(..bad.offset).unwrap_or(bytes);
        let line = record.line(index) + count_line_breaks(before);
        let character = character_column(bytes, bad.offset, encoding);
        // The field's first line also holds the fields before it; count from the field start.
        let within = if count_line_breaks(before) == 0 {
            format!("character {character} of the field")
        } else {
            format!("character {character} of this line of the field")
        };
        input_error(
            path,
            line,
            index + 1,
            format!(
                "field {}{column_name} has bytes that are not valid {} ({}) at {within}; {}",
                index + 1,
                encoding_label(encoding),
                describe_bytes(bytes, bad),
                encoding_advice(encoding, detected)
            ),
        )
    })
}

fn encoding_label(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Utf8 => "UTF-8",
        Encoding::ShiftJis => "Shift_JIS",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn split(text: &[u8]) -> std::result::Result<Vec<(usize, Vec<String>)>, String> {
        let mut splitter = Splitter {
            reader: Cursor::new(text.to_vec()),
            delimiter: b',',
            line: 1,
            path: "t.csv".into(),
        };
        let mut record = RawRecord::default();
        let mut records = Vec::new();
        while splitter
            .read_record(&mut record)
            .map_err(|err| err.to_string())?
        {
            let fields = (0..record.len())
                .map(|index| String::from_utf8_lossy(record.field(index)).into_owned())
                .collect();
            records.push((record.line(0), fields));
        }
        Ok(records)
    }

    #[test]
    fn quoted_fields_line_ends_and_blank_lines() {
        let records = split(b"a,b\r\n\"x\"\"y\",\"1\r\n2\"\r\n\r\nc,\n").unwrap();
        assert_eq!(
            records,
            vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["x\"y".into(), "1\r\n2".into()]),
                (5, vec!["c".into(), "".into()]),
            ]
        );
    }

    #[test]
    fn lone_carriage_returns_end_records() {
        let records = split(b"a,b\rc,d\r").unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].0, 2);
    }

    #[test]
    fn broken_quotes_are_errors() {
        assert_eq!(
            split(b"a,b\nc,\"d\n").unwrap_err().split(": ").next(),
            Some("t.csv:2:2")
        );
        assert_eq!(
            split(b"a,b\n\"c\"x,d\n").unwrap_err().split(": ").next(),
            Some("t.csv:2:1")
        );
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_text() {
        let records = split(b"a\"b,c\n").unwrap();
        assert_eq!(records[0].1, vec!["a\"b".to_string(), "c".to_string()]);
    }
}
