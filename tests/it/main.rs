//! jiyu's integration tests, one module an area, linked into one test binary (each binary links
//! tantivy, axum and tokio; one is built and linked once). Run one area with
//! `cargo test --test it serve::`, one test with `cargo test --test it NAME`.
//!
//! [`common`] holds what several areas share: running the `jiyu` binary, paths in the repository,
//! the shipped rules loaded once, an index of the labeled corpus.

mod common;

mod classify;
mod cli;
mod demo;
mod dictionary;
mod expr;
mod input;
mod normalize;
mod report;
mod robustness;
mod search;
mod serve;
