//! Spelling variants (表記ゆれ): `dictionaries/variants.tsv` groups notations of one word
//! (漏洩/漏えい, 問い合わせ/問合せ, 雛形/ひな形); the first of each group is canonical.
//!
//! Variants are unified on tokens, not on raw text: a token (or a run of tokens, for a form the
//! analyzer splits, like ひな|形) whose base forms spell a variant gets the canonical form as its
//! base form. Rule words, search queries and indexed answers all pass through the analyzer, so
//! a rule written with 漏洩 matches 漏えい and a search for 問い合わせ finds 問合せ, while the
//! surface and offsets still show what the respondent wrote. Doing it on tokens keeps
//! conjugation intact (取組んだ stays a form of 取組む), which a text replacement would break.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::token::Token;

/// The variant groups shipped with jiyu.
pub const BUILTIN_VARIANTS: &str = include_str!("../dictionaries/variants.tsv");

/// Variant forms, as sequences of base forms, mapped to their canonical form.
#[derive(Debug, Default, Clone)]
pub struct Variants {
    /// First base form → (the full sequence of base forms, canonical form), longest first.
    /// Looked up once per token of every answer: FxHash, as SipHash showed in profiles.
    by_first_base: FxHashMap<String, Vec<(Vec<String>, String)>>,
}

/// One group of a variants file: the canonical form and its other spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantGroup {
    pub canonical: String,
    pub variants: Vec<String>,
}

/// Parses a variants file: one tab-separated group a line, `#` comments, blank lines ignored.
pub fn parse_groups(source: &str, text: &str) -> Result<Vec<VariantGroup>> {
    let mut groups = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let forms: Vec<String> = line
            .split('\t')
            .map(str::trim)
            .filter(|form| !form.is_empty())
            .map(str::to_string)
            .collect();
        if forms.len() < 2 {
            return Err(Error::Input {
                path: source.to_string(),
                line: index + 1,
                column: 1,
                message: "a variant group needs at least two tab-separated forms, \
                          the canonical one first (e.g. `漏洩<TAB>漏えい`)"
                    .to_string(),
            });
        }
        let mut forms = forms.into_iter();
        let canonical = forms.next().unwrap_or_default();
        groups.push(VariantGroup {
            canonical,
            variants: forms.collect(),
        });
    }
    Ok(groups)
}

impl Variants {
    /// Builds the table; `base_forms` gives the base forms the analyzer (without variants)
    /// makes of a written form.
    pub fn new(groups: &[VariantGroup], base_forms: impl Fn(&str) -> Vec<String>) -> Variants {
        let mut by_first_base: FxHashMap<String, Vec<(Vec<String>, String)>> = FxHashMap::default();
        for group in groups {
            for form in std::iter::once(&group.canonical).chain(&group.variants) {
                let bases = base_forms(form);
                // A one-token canonical form maps to itself: nothing to do.
                if bases.is_empty() || (bases.len() == 1 && bases[0] == group.canonical) {
                    continue;
                }
                by_first_base
                    .entry(bases[0].clone())
                    .or_default()
                    .push((bases, group.canonical.clone()));
            }
        }
        for candidates in by_first_base.values_mut() {
            candidates.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
            candidates.dedup();
        }
        Variants { by_first_base }
    }

    pub fn is_empty(&self) -> bool {
        self.by_first_base.is_empty()
    }

    /// Gives variant tokens their canonical base form; a variant spread over several tokens
    /// becomes one token covering them all.
    pub fn canonicalize(&self, mut tokens: Vec<Token>) -> Vec<Token> {
        if self.is_empty() {
            return tokens;
        }
        // Runs of several tokens to merge: (first index, length, canonical form).
        let mut merges: Vec<(usize, usize, String)> = Vec::new();
        let mut index = 0;
        while index < tokens.len() {
            match self.variant_at(&tokens, index) {
                Some((1, canonical)) => {
                    tokens[index].base = Cow::Owned(canonical.to_string());
                    index += 1;
                }
                Some((length, canonical)) => {
                    merges.push((index, length, canonical.to_string()));
                    index += length;
                }
                None => index += 1,
            }
        }
        if merges.is_empty() {
            return tokens;
        }
        let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
        let mut merges = merges.into_iter().peekable();
        let mut tokens = tokens.into_iter().enumerate();
        while let Some((index, token)) = tokens.next() {
            let Some((_, length, canonical)) = merges.next_if(|(start, _, _)| *start == index)
            else {
                out.push(token);
                continue;
            };
            let mut merged = token;
            for (_, next) in tokens.by_ref().take(length - 1) {
                merged.surface.to_mut().push_str(&next.surface);
                merged.reading.to_mut().push_str(&next.reading);
                merged.end = next.end;
                merged.normalized_end = next.normalized_end;
            }
            merged.base = Cow::Owned(canonical);
            out.push(merged);
        }
        out
    }

    /// The variant starting at `tokens[index]`, as (number of tokens, canonical form).
    fn variant_at<'a>(&'a self, tokens: &[Token], index: usize) -> Option<(usize, &'a str)> {
        let candidates = self.by_first_base.get(tokens[index].base.as_ref())?;
        candidates
            .iter()
            .find(|(bases, _)| {
                tokens.len() - index >= bases.len()
                    && bases
                        .iter()
                        .zip(&tokens[index..])
                        .all(|(base, token)| *base == token.base)
            })
            .map(|(bases, canonical)| (bases.len(), canonical.as_str()))
    }
}
