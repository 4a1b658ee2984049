//! Errors that reach the user. Each says where the problem is (file, line, column) and what to
//! do; the binary prints them and exits with code 2.

use std::fmt;

/// Result type of the jiyu library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug)]
pub enum Error {
    /// Malformed input: a row, a cell or a value at a known place in a file.
    Input {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A file that cannot be read or written at all.
    Io { path: String, message: String },
    /// The dictionary could not be loaded or a user dictionary could not be compiled.
    Dictionary(String),
    /// A rule file that does not parse or compile; the message is rendered with its position.
    Rules(String),
    /// A command-line option that makes no sense.
    Usage(String),
    /// A model file that does not fit the rules, or a model that cannot be trained.
    Model(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input {
                path,
                line,
                column,
                message,
            } => write!(f, "{path}:{line}:{column}: {message}"),
            Error::Io { path, message } => write!(f, "{path}: {message}"),
            Error::Dictionary(message) => write!(f, "dictionary: {message}"),
            Error::Rules(message) => write!(f, "{message}"),
            Error::Usage(message) => write!(f, "{message}"),
            Error::Model(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    pub fn io(path: impl AsRef<std::path::Path>, err: std::io::Error) -> Error {
        Error::Io {
            path: path.as_ref().display().to_string(),
            message: err.to_string(),
        }
    }
}
