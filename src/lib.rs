//! jiyu (自由記述): sort, count, cross-tabulate and search the free-text answers of a survey.
//!
//! Data flows one way, one stage a module: [`input`] reads survey exports into answers,
//! [`normalize`] and [`analyze`] turn text into tokens, and later stages classify, index and
//! report on them. Every subcommand of the `jiyu` binary is a function of this library first.

pub mod analyze;
pub mod dictionary;
pub mod error;
pub mod input;
pub mod normalize;
pub mod output;

pub use analyze::{Analysis, Analyzer, Token};
pub use error::{Error, Result};
pub use input::Answer;
