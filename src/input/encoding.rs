//! Character encodings of text exports: telling UTF-8 from Shift_JIS by a sample of the file,
//! refusing binary files, and decoding raw fields with the place of any bad bytes.
//!
//! The file is never decoded whole: the readers split it into records on raw bytes (safe for
//! both encodings, see [`crate::input::delimited`]) and decode one field or line at a time.

use std::borrow::Cow;
use std::io::{BufReader, Cursor, Read};

use encoding_rs::{DecoderResult, SHIFT_JIS};

use super::options::Encoding;
use super::{input_error, ByteSource};
use crate::error::{Error, Result};

/// How much of the file detection looks at.
pub(super) const SAMPLE_BYTES: usize = 64 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A text file ready to be split into records: its bytes after any BOM, and its encoding.
pub(super) struct TextSource {
    pub reader: BufReader<ByteSource>,
    pub encoding: Encoding,
    /// True when the encoding was detected rather than given; messages then say so.
    pub detected: bool,
}

/// Reads the first [`SAMPLE_BYTES`] of `source`, refuses binary files, settles the encoding
/// (`forced`, else detected) and returns the whole stream again, without a UTF-8 BOM.
pub(super) fn prepare(
    mut source: ByteSource,
    forced: Option<Encoding>,
    path: &str,
) -> Result<TextSource> {
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    (&mut source)
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
        .map_err(|err| Error::io(path, err))?;
    refuse_binary(&sample, path)?;
    let has_bom = sample.starts_with(UTF8_BOM);
    let (encoding, detected) = match forced {
        Some(encoding) => (encoding, false),
        None => (detect(&sample), true),
    };
    if has_bom && encoding == Encoding::Utf8 {
        sample.drain(..UTF8_BOM.len());
    }
    let stream: ByteSource = Box::new(Cursor::new(sample).chain(source));
    Ok(TextSource {
        reader: BufReader::with_capacity(SAMPLE_BYTES, stream),
        encoding,
        detected,
    })
}

/// BOM → UTF-8; a sample that is valid UTF-8 (a character cut at the sample's end allowed) →
/// UTF-8; anything else → Shift_JIS, what Excel on Japanese Windows writes.
fn detect(sample: &[u8]) -> Encoding {
    if sample.starts_with(UTF8_BOM) {
        return Encoding::Utf8;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => Encoding::Utf8,
        // `error_len() == None` means the bytes end inside a character: fine when the sample
        // stopped there, not when the file itself does.
        Err(err) if err.error_len().is_none() && sample.len() == SAMPLE_BYTES => Encoding::Utf8,
        Err(_) => Encoding::ShiftJis,
    }
}

/// NUL bytes never occur in UTF-8 or Shift_JIS text, so a sample with one is a workbook, a
/// UTF-16 export or some other binary file; each gets a message saying what to do.
fn refuse_binary(sample: &[u8], path: &str) -> Result<()> {
    let error = |offset: usize, message: &str| {
        let (line, column) = byte_place(sample, offset);
        Err(input_error(path, line, column, message.to_string()))
    };
    if sample.starts_with(b"\xFF\xFE") || sample.starts_with(b"\xFE\xFF") {
        return error(
            0,
            "this is UTF-16 text (Excel's “Unicode text” export), which jiyu does not read; \
             save it from Excel as “CSV UTF-8” instead",
        );
    }
    if sample.starts_with(b"PK\x03\x04") {
        return error(
            0,
            "not a text file: this is an Excel workbook or another ZIP file; \
             for a workbook give --format xlsx",
        );
    }
    if let Some(offset) = sample.iter().position(|&byte| byte == 0) {
        return error(
            offset,
            "not a text file (it contains NUL bytes); \
             save the survey export as CSV, TSV, JSONL or XLSX",
        );
    }
    Ok(())
}

/// 1-based line and byte column of `offset` in `bytes`.
fn byte_place(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = 1 + before.iter().filter(|&&byte| byte == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |index| index + 1);
    (line, offset - line_start.min(offset) + 1)
}

/// Where the bytes that could not be decoded are, relative to the decoded slice.
#[derive(Debug, Clone, Copy)]
pub(super) struct BadBytes {
    /// Byte offset of the first bad byte.
    pub offset: usize,
    /// How many bytes are bad (at least 1).
    pub length: usize,
}

/// Decodes `bytes` as `encoding`, without replacement characters: text is never altered.
pub(super) fn decode(bytes: &[u8], encoding: Encoding) -> Result<Cow<'_, str>, BadBytes> {
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|err| BadBytes {
                offset: err.valid_up_to(),
                length: err
                    .error_len()
                    .unwrap_or(bytes.len() - err.valid_up_to())
                    .max(1),
            }),
        Encoding::ShiftJis => SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(|| shift_jis_bad_bytes(bytes)),
    }
}

/// Finds the first malformed sequence; only called once decoding has already failed.
fn shift_jis_bad_bytes(bytes: &[u8]) -> BadBytes {
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::Malformed(bad, after) => {
            let end = read.saturating_sub(usize::from(after));
            BadBytes {
                offset: end.saturating_sub(usize::from(bad)),
                length: usize::from(bad).max(1),
            }
        }
        _ => BadBytes {
            offset: 0,
            length: 1,
        },
    }
}

/// The bad bytes as `0x82 0xA0`, at most four of them, for messages.
pub(super) fn describe_bytes(bytes: &[u8], bad: BadBytes) -> String {
    let end = bad
        .offset
        .saturating_add(bad.length.min(4))
        .min(bytes.len());
    bytes
        .get(bad.offset.min(end)..end)
        .unwrap_or_default()
        .iter()
        .map(|byte| format!("0x{byte:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The part of a decoding error message after "not valid <encoding>": how the encoding was
/// chosen and which `--encoding` to try instead.
pub(super) fn encoding_advice(encoding: Encoding, detected: bool) -> String {
    let chosen = if detected {
        match encoding {
            Encoding::Utf8 => "the encoding was detected from the start of the file",
            Encoding::ShiftJis => "the file is not UTF-8, so Shift_JIS was assumed",
        }
    } else {
        "as given by --encoding"
    };
    let other = match encoding {
        Encoding::Utf8 => {
            "if the file was saved as Shift_JIS (Excel's plain “CSV”), pass --encoding shift_jis"
        }
        Encoding::ShiftJis => "if the file is UTF-8, pass --encoding utf-8",
    };
    format!("{chosen}; {other}")
}

/// The line breaks in `bytes`, counted as the readers count lines: `\r\n`, `\n` or a lone `\r`.
/// Safe on Shift_JIS, whose second bytes are never below 0x40.
pub(super) fn count_line_breaks(bytes: &[u8]) -> usize {
    let mut count = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        let lone_cr = byte == b'\r' && bytes.get(index + 1) != Some(&b'\n');
        if byte == b'\n' || lone_cr {
            count += 1;
        }
    }
    count
}

/// 1-based character column of `offset` within its line of `bytes`, decoding the (valid) bytes
/// before it.
pub(super) fn character_column(bytes: &[u8], offset: usize, encoding: Encoding) -> usize {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n' || byte == b'\r')
        .map_or(0, |index| index + 1);
    let line = before.get(line_start..).unwrap_or_default();
    let text: Cow<'_, str> = match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(line),
        Encoding::ShiftJis => SHIFT_JIS.decode_without_bom_handling(line).0,
    };
    text.chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_count_crlf_once_and_lone_cr() {
        assert_eq!(count_line_breaks(b"a\r\nb\nc\rd"), 3);
        assert_eq!(count_line_breaks(b"a\r"), 1);
        assert_eq!(count_line_breaks(b"a\r\n"), 1);
        assert_eq!(count_line_breaks(b""), 0);
    }

    #[test]
    fn detection_allows_a_character_cut_at_the_sample_end() {
        let mut sample = "あ".repeat(SAMPLE_BYTES / 3).into_bytes();
        sample.push(0xE3);
        sample.truncate(SAMPLE_BYTES);
        assert_eq!(detect(&sample), Encoding::Utf8);
        assert_eq!(detect(b"abc\xE3"), Encoding::ShiftJis);
    }

    #[test]
    fn shift_jis_bad_bytes_are_located() {
        // 0x82 followed by a byte that cannot be a second byte.
        let bytes = b"\x82\xA0ab\x85\x20";
        let bad = decode(bytes, Encoding::ShiftJis).unwrap_err();
        assert_eq!(bad.offset, 4);
    }
}
