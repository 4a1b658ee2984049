//! Coding rules: schemes of categories (`rules/*.toml`, see [`scheme`]), each category with an
//! expression in the rule language of [`expr`], and the self-test of their [`examples`].

pub mod examples;
pub mod expr;
pub mod scheme;
