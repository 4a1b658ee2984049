//! Coding rules: schemes of categories (`rules/*.toml`, see [`scheme`]), each category with an
//! expression in the rule language of [`expr`], and what a non-answer says ([`no_answer`]: the
//! built-in phrases and a scheme's own). Rules depend on the analyzer only: what classifies
//! with them, and checks their examples, is [`crate::classify`].

pub mod expr;
pub mod no_answer;
pub mod scheme;
