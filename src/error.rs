//! Errors that reach the user. Each says where the problem is (file, line, column) and what to
//! do; the binary prints them and exits with [`Error::exit_code`].

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
    /// A file (or standard output) that cannot be read or written. `source` is the operating
    /// system's error, kept so that a caller can ask its kind (a closed pipe, a missing file);
    /// `context` says what jiyu was doing when that is more than reading or writing `path`, and
    /// `note`, written right after the system's error, what to do or what became of the files.
    Io {
        path: String,
        context: Option<&'static str>,
        source: std::io::Error,
        note: Option<String>,
    },
    /// A directory that holds no usable jiyu index, or an index tantivy cannot open or write.
    Index { path: String, message: String },
    /// The dictionary could not be loaded or a user dictionary could not be compiled.
    Dictionary(String),
    /// A rule file that does not parse or compile; the message is rendered with its position.
    Rules(String),
    /// A command-line option, or a combination of options and files, that makes no sense.
    Usage(String),
    /// A model file that does not fit the rules, or a model that cannot be trained.
    Model(String),
    /// Output jiyu could not encode (CSV, JSON): a fault of jiyu, not of what it was given.
    Encode(String),
    /// The web server of `jiyu serve` could not start or listen, or stopped.
    Server {
        message: String,
        source: std::io::Error,
    },
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
            Error::Io {
                path,
                context,
                source,
                note,
            } => {
                write!(f, "{path}: ")?;
                if let Some(context) = context {
                    write!(f, "{context}: ")?;
                }
                write!(f, "{source}{}", note.as_deref().unwrap_or_default())
            }
            Error::Index { path, message } => write!(f, "{path}: {message}"),
            Error::Dictionary(message) => write!(f, "dictionary: {message}"),
            Error::Rules(message) => write!(f, "{message}"),
            Error::Usage(message) => write!(f, "{message}"),
            Error::Model(message) => write!(f, "{message}"),
            Error::Encode(message) => write!(f, "{message}"),
            Error::Server { message, source } => write!(f, "{message}: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Server { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    /// `err` while reading or writing `path` (a file, or a name such as "standard output").
    pub fn io(path: impl AsRef<std::path::Path>, err: std::io::Error) -> Error {
        Error::Io {
            path: path.as_ref().display().to_string(),
            context: None,
            source: err,
            note: None,
        }
    }

    /// An I/O error that says what jiyu was doing: `path: context: error`. Other errors are
    /// returned as they are.
    pub fn context(mut self, doing: &'static str) -> Error {
        if let Error::Io { context, .. } = &mut self {
            *context = Some(doing);
        }
        self
    }

    /// An I/O error followed by `text` (what to do, or what became of the files), written as
    /// given right after the system's error: `path: error{text}`. Other errors are returned as
    /// they are.
    pub fn note(mut self, text: impl Into<String>) -> Error {
        if let Error::Io { note, .. } = &mut self {
            *note = Some(text.into());
        }
        self
    }

    /// A CSV writer's error while writing `path`: the I/O error it carries (so its kind can be
    /// asked), or [`Error::Encode`] when the record itself could not be encoded.
    pub fn csv(path: impl AsRef<std::path::Path>, err: csv::Error) -> Error {
        if !err.is_io_error() {
            return Error::Encode(format!("cannot encode CSV: {err}"));
        }
        match err.into_kind() {
            csv::ErrorKind::Io(source) => Error::io(path, source),
            other => Error::Encode(format!("cannot encode CSV: {other:?}")),
        }
    }

    /// The kind of the operating system's error behind this one, if there is one.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            Error::Io { source, .. } | Error::Server { source, .. } => Some(source.kind()),
            _ => None,
        }
    }

    /// The exit code of the `jiyu` binary for this error: 2 when what jiyu was given must
    /// change (an input, rule, model, overrides or dictionary file, an option, an index, a file
    /// that cannot be read or written), 3 when jiyu could not do its work with what it was given
    /// (the server could not listen or stopped; output could not be encoded).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. }
            | Error::Io { .. }
            | Error::Index { .. }
            | Error::Dictionary(_)
            | Error::Rules(_)
            | Error::Usage(_)
            | Error::Model(_) => 2,
            Error::Encode(_) | Error::Server { .. } => 3,
        }
    }
}
