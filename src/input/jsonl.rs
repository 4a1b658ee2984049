//! JSON Lines exports: one object a line with the id, question and text fields; every other
//! field becomes an attribute. Read a line at a time, so memory is bounded by the longest line.
//!
//! Positions in errors: the line of the file and the 1-based character column in that line.

use std::collections::VecDeque;
use std::io::{BufRead, Read};

use serde_json::Value;

use super::encoding::{character_column, decode, describe_bytes, encoding_advice, TextSource};
use super::options::{Encoding, InputOptions};
use super::{input_error, Answer, ByteSource, RowSource};
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
            .map_err(|err| Error::Io {
                path: self.path.clone(),
                message: err.to_string(),
            })?;
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
    fn answer(&self, value: Value, indent: usize) -> Result<Answer> {
        let column = indent + 1;
        let object = match value {
            Value::Object(object) => object,
            other => {
                let hint = if other.is_array() {
                    "; a JSON array is not JSON Lines: write one object a line"
                } else {
                    ""
                };
                return Err(self.error(
                    column,
                    format!("expected a JSON object, found {}{hint}", json_kind(&other)),
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
            .filter(|(name, _)| !object.contains_key(name.as_str()))
            .map(|(name, option)| format!("“{name}” (name it with {option})"))
            .collect();
        if !absent.is_empty() {
            let fields: Vec<&str> = object.keys().map(String::as_str).collect();
            return Err(self.error(
                column,
                format!(
                    "the object has no field {}; its fields are: {}",
                    absent.join(", "),
                    fields.join(", ")
                ),
            ));
        }
        let mut id = String::new();
        let mut question = String::new();
        let mut text = String::new();
        let mut attributes = Vec::new();
        for (key, value) in object {
            let role = if key == self.id_field {
                Some(&mut id)
            } else if key == self.question_field {
                Some(&mut question)
            } else if key == self.text_field {
                Some(&mut text)
            } else {
                None
            };
            match role {
                Some(slot) => {
                    *slot = match value {
                        Value::String(string) => string,
                        Value::Number(number) => number.to_string(),
                        other => {
                            return Err(self.error(
                                column,
                                format!(
                                    "field “{key}” must be a string or a number, found {}",
                                    json_kind(&other)
                                ),
                            ))
                        }
                    }
                }
                None => attributes.push((key, attribute_text(value))),
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
            text,
            attributes,
        })
    }
}

impl RowSource for JsonlReader {
    fn read_row(&mut self, out: &mut VecDeque<Answer>) -> Result<bool> {
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
        let indent = text.chars().count() - content.chars().count();
        let value: Value = serde_json::from_str(&text).map_err(|err| {
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
        let answer = self.answer(value, indent)?;
        self.objects += 1;
        out.push_back(answer);
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

/// What an attribute value becomes: strings as they are, other scalars as their JSON text,
/// null as empty, arrays and objects as compact JSON.
fn attribute_text(value: Value) -> String {
    match value {
        Value::String(string) => string,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
