//! The CSV writer's destination: UTF-8 as is, or transcoded to Shift_JIS (CP932) on the way,
//! as a Japanese Excel saves CSV. A character that Shift_JIS cannot hold is an error naming it.

use std::io::Write;

/// The CSV writer's destination: UTF-8 as is, or transcoded to Shift_JIS on the way.
pub(super) enum Sink<'a> {
    Utf8(&'a mut dyn Write),
    /// `pending` holds the bytes of a character split across two writes.
    ShiftJis {
        out: &'a mut dyn Write,
        pending: Vec<u8>,
    },
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let (out, pending) = match self {
            Sink::Utf8(out) => return out.write(buf),
            Sink::ShiftJis { out, pending } => (out, pending),
        };
        pending.extend_from_slice(buf);
        let complete = match std::str::from_utf8(pending) {
            Ok(text) => text,
            Err(err) if err.error_len().is_none() => {
                // A character continues in the next write.
                std::str::from_utf8(&pending[..err.valid_up_to()]).unwrap_or_default()
            }
            Err(err) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, err)),
        };
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(complete);
        if unmappable {
            let character = complete
                .chars()
                .find(|&ch| encoding_rs::SHIFT_JIS.encode(ch.encode_utf8(&mut [0; 4])).2)
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{character:?} (U+{:04X}) cannot be written in Shift_JIS; use --encoding utf-8",
                    u32::from(character)
                ),
            ));
        }
        out.write_all(&bytes)?;
        let consumed = complete.len();
        pending.drain(..consumed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Utf8(out) => out.flush(),
            Sink::ShiftJis { out, pending } => {
                if !pending.is_empty() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "the text ends inside a UTF-8 character",
                    ));
                }
                out.flush()
            }
        }
    }
}
