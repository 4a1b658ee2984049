//! The analyzer: one shared function from answer text to tokens.
//!
//! Classification, indexing and `jiyu tokenize` all call [`Analyzer::analyze`], so a rule, a
//! search query and the index always see the same tokens. The text is normalized first
//! (see [`crate::normalize`]); token offsets point into the original text.

use std::borrow::Cow;
use std::cell::RefCell;
use std::path::Path;

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_dictionary::viterbi::Lattice;
use serde::Serialize;

use crate::dictionary::{system_dictionary, user_dictionary};
use crate::error::Result;
use crate::normalize::{normalize, Normalized};
use crate::variants::{parse_groups, Variants, BUILTIN_VARIANTS};

/// Index of each field in IPADIC's detail columns (after surface and costs).
const DETAIL_POS: usize = 0;
const DETAIL_POS_DEPTH: usize = 4;
const DETAIL_BASE_FORM: usize = 6;
const DETAIL_READING: usize = 7;

/// One token of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// The token as it appears in the normalized text.
    pub surface: String,
    /// The dictionary form (`受け` → `受ける`); the surface for unknown words and domain terms.
    pub base: String,
    /// Part of speech, IPADIC's four levels joined by commas (`名詞,サ変接続,*,*`).
    pub pos: String,
    /// Reading in katakana; empty when the dictionary has none.
    pub reading: String,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// Byte range in the normalized text.
    pub normalized_start: usize,
    pub normalized_end: usize,
}

impl Token {
    /// The top-level part of speech (`名詞`, `動詞`, …).
    pub fn major_pos(&self) -> &str {
        self.pos.split(',').next().unwrap_or("")
    }
}

/// An analyzed answer: its normalized text and tokens.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub normalized: Normalized,
    pub tokens: Vec<Token>,
}

/// Turns text into tokens. Cheap to share between threads; build it once per run.
pub struct Analyzer {
    segmenter: Segmenter,
    /// Spelling variants unified on tokens (see [`crate::variants`]).
    variants: Variants,
}

thread_local! {
    /// Lindera's lattice is the tokenizer's scratch memory; reusing it per thread avoids
    /// allocating it for every answer.
    static LATTICE: RefCell<Lattice> = RefCell::new(Lattice::default());
}

impl Analyzer {
    /// IPADIC plus the built-in domain terms plus the rows of `extra_user_dictionaries`, with
    /// the built-in spelling variants (`dictionaries/variants.tsv`).
    pub fn new(extra_user_dictionaries: &[&Path]) -> Result<Analyzer> {
        let system = system_dictionary()?;
        let user = user_dictionary(&system, extra_user_dictionaries)?;
        let mut analyzer = Analyzer {
            segmenter: Segmenter::new(Mode::Normal, system, Some(user)),
            variants: Variants::default(),
        };
        let groups = parse_groups("built-in dictionaries/variants.tsv", BUILTIN_VARIANTS)?;
        // Variant forms are analyzed by this very analyzer (still without variants), so they
        // line up with the tokens of answers.
        let variants = Variants::new(&groups, |form| {
            analyzer
                .tokenize_normalized(&normalize(form))
                .into_iter()
                .map(|token| token.base)
                .collect()
        });
        analyzer.variants = variants;
        Ok(analyzer)
    }

    /// Normalizes `text` and splits it into tokens.
    pub fn analyze(&self, text: &str) -> Analysis {
        let normalized = normalize(text);
        let tokens = self.tokenize_normalized(&normalized);
        Analysis { normalized, tokens }
    }

    /// Tokens of already normalized text; offsets are mapped back through `normalized`.
    pub fn tokenize_normalized(&self, normalized: &Normalized) -> Vec<Token> {
        self.variants.canonicalize(self.segment(normalized))
    }

    /// Lindera's tokens as jiyu's, before spelling variants are unified.
    fn segment(&self, normalized: &Normalized) -> Vec<Token> {
        LATTICE.with(|lattice| {
            let mut lattice = lattice.borrow_mut();
            // Lindera only fails on a corrupt dictionary, which the embedded one is not; an
            // error would still leave the answer in every output, just without tokens.
            let raw_tokens = self
                .segmenter
                .segment_with_lattice(Cow::Borrowed(normalized.text.as_str()), &mut lattice)
                .unwrap_or_default();
            raw_tokens
                .into_iter()
                .map(|mut raw| {
                    let surface = raw.surface.to_string();
                    let (normalized_start, normalized_end) = (raw.byte_start, raw.byte_end);
                    let details: Vec<&str> = raw.details_iter().collect();
                    let pos = details
                        .get(DETAIL_POS..DETAIL_POS_DEPTH.min(details.len()))
                        .map(|levels| levels.join(","))
                        .unwrap_or_default();
                    let base = match details.get(DETAIL_BASE_FORM) {
                        Some(&base) if base != "*" && !base.is_empty() => base.to_string(),
                        _ => surface.clone(),
                    };
                    let reading = match details.get(DETAIL_READING) {
                        Some(&reading) if reading != "*" => reading.to_string(),
                        _ => String::new(),
                    };
                    let original = normalized.original_range(normalized_start..normalized_end);
                    Token {
                        surface,
                        base,
                        pos,
                        reading,
                        start: original.start,
                        end: original.end,
                        normalized_start,
                        normalized_end,
                    }
                })
                .collect()
        })
    }

    /// Number of tokens in `text`, without building owned tokens: the speed floor benchmarks
    /// compare every other stage against.
    pub fn count_tokens(&self, text: &str) -> usize {
        let normalized = normalize(text);
        LATTICE.with(|lattice| {
            self.segmenter
                .segment_with_lattice(
                    Cow::Borrowed(normalized.text.as_str()),
                    &mut lattice.borrow_mut(),
                )
                .map(|tokens| tokens.len())
                .unwrap_or(0)
        })
    }
}
