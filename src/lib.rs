//! jiyu (自由記述): sort, count, cross-tabulate and search the free-text answers of a survey.
//!
//! Data flows one way, one stage a module: [`input`] reads survey exports into answers,
//! [`normalize`] and [`analyze`] turn text into tokens ([`negation`] marks the negated ones),
//! [`rules`] and [`classify`] sort answers into categories with evidence, [`score`] and
//! [`suggest`] help write the rules, and later stages index and report on them; [`text`] holds
//! the order and widths every output shares. Every subcommand of the `jiyu` binary is a function
//! of this library first.

pub mod analyze;
pub mod classify;
pub mod demo;
pub mod dictionary;
pub mod error;
pub mod gold;
pub mod index;
pub mod init;
pub mod input;
pub mod model;
pub mod negation;
pub mod normalize;
pub mod output;
pub mod overrides;
pub mod parallel;
pub mod progress;
pub mod report;
pub mod rules;
pub mod score;
pub mod serve;
pub mod suggest;
pub mod text;
pub mod thesaurus;
pub mod token;
pub mod variants;
pub mod views;
pub mod wording;

pub use analyze::{Analysis, Analyzer, Token};
pub use error::{Error, Result};
pub use input::Answer;
