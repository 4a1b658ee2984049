//! JSON Lines exports: one object a line with the id, question and text fields; every other
//! field becomes an attribute. Read a line at a time, so memory is bounded by the longest line.
//!
//! Positions in errors: the line of the file and the 1-based character column in that line.

use std::borrow::Cow;
use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::encoding::{character_column, decode, describe_bytes, encoding_advice, TextSource};
use super::options::{Encoding, InputOptions};
use super::{input_error, Answer, ByteSource, RowOut, RowSource};
use crate::error::{Error, Result};

/// A line longer than this is not a survey answer; stop before memory runs out.
const MAX_LINE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a JSONL export line by line.
pub(super) struct JsonlReader {
    reader: std::io::BufReader<ByteSource>,
    encoding: Encoding,
    detected: bool,
    path: String,
    id_field: String,
    question_field: String,
    text_field: String,
    line: usize,
    buffer: Vec<u8>,
    objects: usize,
}

impl JsonlReader {
    pub fn new(source: TextSource, path: &str, options: &InputOptions) -> JsonlReader {
        let field = |option: &Option<String>, default: &str| {
            option.clone().unwrap_or_else(|| default.to_string())
        };
        JsonlReader {
            reader: source.reader,
            encoding: source.encoding,
            detected: source.detected,
            path: path.to_string(),
            id_field: field(&options.id_column, "id"),
            question_field: field(&options.question_column, "question"),
            text_field: field(&options.text_column, "text"),
            line: 0,
            buffer: Vec::new(),
            objects: 0,
        }
    }

    fn error(&self, column: usize, message: String) -> Error {
        input_error(&self.path, self.line, column, message)
    }

    /// Reads the next line into `self.buffer`, without its line end; false at the end.
    fn read_line(&mut self) -> Result<bool> {
        self.buffer.clear();
        let read = (&mut self.reader)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut self.buffer)
            .map_err(|err| Error::io(&self.path, err))?;
        if read == 0 {
            return Ok(false);
        }
        self.line += 1;
        if self.buffer.last() == Some(&b'\n') {
            self.buffer.pop();
            if self.buffer.last() == Some(&b'\r') {
                self.buffer.pop();
            }
        } else if read as u64 == MAX_LINE_BYTES {
            return Err(self.error(
                1,
                format!(
                    "this line is longer than {} MiB; is this a JSON Lines file?",
                    MAX_LINE_BYTES / (1024 * 1024)
                ),
            ));
        }
        Ok(true)
    }

    /// Turns one parsed line into an answer.
    fn answer(&self, line: Line<'_>, indent: usize) -> Result<Answer> {
        let column = indent + 1;
        let fields = match line {
            Line::Object(fields) => fields,
            Line::Other(cell) => {
                let kind = cell.kind();
                let hint = if kind == ARRAY {
                    "; a JSON array is not JSON Lines: write one object a line"
                } else {
                    ""
                };
                return Err(self.error(
                    column,
                    format!("expected a JSON object, found {kind}{hint}"),
                ));
            }
        };
        let wanted = [
            (&self.id_field, "--id-column"),
            (&self.question_field, "--question-column"),
            (&self.text_field, "--text-column"),
        ];
        let absent: Vec<String> = wanted
            .iter()
            .filter(|(name, _)| !fields.iter().any(|(key, _)| key == name.as_str()))
            .map(|(name, option)| format!("“{name}” (name it with {option})"))
            .collect();
        if !absent.is_empty() {
            let mut names: Vec<&str> = Vec::new();
            for (key, _) in &fields {
                if !names.contains(&key.as_ref()) {
                    names.push(key);
                }
            }
            return Err(self.error(
                column,
                format!(
                    "the object has no field {}; its fields are: {}",
                    absent.join(", "),
                    names.join(", ")
                ),
            ));
        }
        let mut id = Cow::Borrowed("");
        let mut question = Cow::Borrowed("");
        let mut text = Cow::Borrowed("");
        let mut attributes: Vec<(String, String)> = Vec::new();
        // A key given twice keeps its first place and its last value, as JSON parsers that
        // keep key order do.
        for (key, value) in fields {
            let role = if key == self.id_field.as_str() {
                Some(&mut id)
            } else if key == self.question_field.as_str() {
                Some(&mut question)
            } else if key == self.text_field.as_str() {
                Some(&mut text)
            } else {
                None
            };
            match role {
                Some(slot) => {
                    *slot = match value {
                        Cell::Text(string) => string,
                        Cell::Number(number) => Cow::Owned(number),
                        other => {
                            return Err(self.error(
                                column,
                                format!(
                                    "field “{key}” must be a string or a number, found {}",
                                    other.kind()
                                ),
                            ))
                        }
                    }
                }
                None => {
                    let value = value.into_attribute_text();
                    match attributes.iter_mut().find(|(name, _)| *name == key) {
                        Some(slot) => slot.1 = value,
                        None => attributes.push((key.into_owned(), value)),
                    }
                }
            }
        }
        // Ids and questions are keys other stages match on; stray spaces would split them.
        let id = id.trim().to_string();
        if id.is_empty() {
            return Err(self.error(column, format!("field “{}” is empty", self.id_field)));
        }
        Ok(Answer {
            id,
            question: question.trim().to_string(),
            text: text.into_owned(),
            attributes,
        })
    }
}

impl RowSource for JsonlReader {
    fn read_row(&mut self, out: &mut RowOut) -> Result<bool> {
        if !self.read_line()? {
            if self.objects == 0 {
                return Err(input_error(
                    &self.path,
                    self.line.max(1),
                    1,
                    "the file has no JSON objects; expected one answer a line".to_string(),
                ));
            }
            return Ok(false);
        }
        let bytes = &self.buffer;
        let text = match decode(bytes, self.encoding) {
            Ok(text) => text,
            Err(bad) => {
                return Err(self.error(
                    character_column(bytes, bad.offset, self.encoding),
                    format!(
                        "bytes that are not valid {} ({}); {}",
                        match self.encoding {
                            Encoding::Utf8 => "UTF-8",
                            Encoding::ShiftJis => "Shift_JIS",
                        },
                        describe_bytes(bytes, bad),
                        encoding_advice(self.encoding, self.detected)
                    ),
                ))
            }
        };
        let content = text.trim_start_matches([' ', '\t', '\r']);
        if content.trim().is_empty() {
            return Ok(true);
        }
        let indent = text[..text.len() - content.len()].chars().count();
        let line: Line = serde_json::from_str(&text).map_err(|err| {
            // serde_json counts columns in bytes; users count characters.
            let byte_column = err.column();
            let column = match text.get(..byte_column.saturating_sub(1)) {
                Some(before) => before.chars().count() + 1,
                None => {
                    let mut boundary = byte_column.saturating_sub(1).min(text.len());
                    while !text.is_char_boundary(boundary) {
                        boundary -= 1;
                    }
                    text.get(..boundary)
                        .map_or(0, |before| before.chars().count())
                        + 1
                }
            };
            self.error(column, format!("invalid JSON: {}", strip_position(&err)))
        })?;
        let answer = self.answer(line, indent)?;
        self.objects += 1;
        out.push(self.line, answer);
        Ok(true)
    }
}

/// serde_json's message without its own " at line 1 column 5", which would contradict ours.
fn strip_position(err: &serde_json::Error) -> String {
    let message = err.to_string();
    match message.rfind(" at line ") {
        Some(index) => message.get(..index).unwrap_or(&message).to_string(),
        None => message,
    }
}

const ARRAY: &str = "an array";

/// One line of JSON: an object's fields in file order, or what else it held. Read straight
/// from the text, strings borrowed where they have no escapes: parsing into a
/// `serde_json::Value` (a map with hashed keys, every string copied) cost as much as the rules.
enum Line<'a> {
    Object(Vec<(Cow<'a, str>, Cell<'a>)>),
    /// Anything else: its [`Cell::kind`] names it in the error.
    Other(Cell<'a>),
}

/// A field's value.
enum Cell<'a> {
    Text(Cow<'a, str>),
    /// The number as written in JSON (`12`, `1.5`).
    Number(String),
    Bool(bool),
    Null,
    /// An array or an object, as compact JSON.
    Nested(Value),
}

impl Cell<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Cell::Text(_) => "a string",
            Cell::Number(_) => "a number",
            Cell::Bool(_) => "a boolean",
            Cell::Null => "null",
            Cell::Nested(Value::Array(_)) => ARRAY,
            Cell::Nested(_) => "an object",
        }
    }

    /// What an attribute value becomes: strings as they are, other scalars as their JSON
    /// text, null as empty, arrays and objects as compact JSON.
    fn into_attribute_text(self) -> String {
        match self {
            Cell::Text(text) => text.into_owned(),
            Cell::Number(number) => number,
            Cell::Bool(value) => value.to_string(),
            Cell::Null => String::new(),
            Cell::Nested(value) => value.to_string(),
        }
    }
}

impl<'de> Deserialize<'de> for Line<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct LineVisitor;
        impl<'de> Visitor<'de> for LineVisitor {
            type Value = Line<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Line<'de>, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((Text(key), cell)) = map.next_entry::<Text, Cell>()? {
                    fields.push((key, cell));
                }
                Ok(Line::Object(fields))
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Line<'de>, A::Error> {
                // Only its kind is reported: skip the elements rather than build them.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Line::Other(Cell::Nested(Value::Array(Vec::new()))))
            }

            // The other kinds of value are read as an attribute would be.
            fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Line<'de>, E> {
                CellVisitor.visit_str(text).map(Line::Other)
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> std::result::Result<Line<'de>, E> {
                CellVisitor.visit_bool(value).map(Line::Other)
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> std::result::Result<Line<'de>, E> {
                CellVisitor.visit_i64(value).map(Line::Other)
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> std::result::Result<Line<'de>, E> {
                CellVisitor.visit_u64(value).map(Line::Other)
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> std::result::Result<Line<'de>, E> {
                CellVisitor.visit_f64(value).map(Line::Other)
            }

            fn visit_unit<E: de::Error>(self) -> std::result::Result<Line<'de>, E> {
                CellVisitor.visit_unit().map(Line::Other)
            }
        }
        deserializer.deserialize_any(LineVisitor)
    }
}

/// A string borrowed from the line when it has no escapes. (serde's own `Cow<str>` always
/// copies.)
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer
            .deserialize_str(CellVisitor)
            .and_then(|cell| match cell {
                Cell::Text(text) => Ok(Text(text)),
                other => Err(de::Error::custom(format!(
                    "expected a string, found {}",
                    other.kind()
                ))),
            })
    }
}

impl<'de> Deserialize<'de> for Cell<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> std::result::Result<Cell<'de>, E> {
        Ok(Cell::Text(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Cell<'de>, E> {
        Ok(Cell::Text(Cow::Owned(text.to_string())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> std::result::Result<Cell<'de>, E> {
        Ok(Cell::Text(Cow::Owned(text)))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> std::result::Result<Cell<'de>, E> {
        Ok(Cell::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> std::result::Result<Cell<'de>, E> {
        Ok(Cell::Number(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> std::result::Result<Cell<'de>, E> {
        Ok(Cell::Number(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> std::result::Result<Cell<'de>, E> {
        // As serde_json writes it (`1.0`, `1e100`); JSON has no NaN or infinity.
        Ok(Cell::Number(
            serde_json::Number::from_f64(value).map_or_else(String::new, |n| n.to_string()),
        ))
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Cell<'de>, E> {
        Ok(Cell::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Cell<'de>, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Cell::Nested)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Cell<'de>, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Cell::Nested)
    }
}
