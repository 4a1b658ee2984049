//! Occurrence lists: where each atom of a compiled [`Program`] occurs in one analyzed answer
//! (words through the map from first base form, literals, spellings and the regexes' required
//! texts through one Aho-Corasick automaton, then the regexes that may match, words inside
//! compounds the dictionary keeps whole), each
//! occurrence with the tokens and bytes it spans and whether it is negated.

use std::cell::RefCell;

use super::compile::{Program, TextTarget};
use crate::analyze::{Analysis, Token};

thread_local! {
    /// Occurrence lists, one per atom, kept between the answers a thread evaluates: a program
    /// has hundreds of atoms, and allocating their lists for every answer showed in profiles.
    /// Only the lists of the atoms that occurred are filled, and emptied after the answer. The
    /// list of atoms present and the regexes to run are kept the same way.
    static SCRATCH: RefCell<Scratch> = const {
        RefCell::new(Scratch {
            lists: Vec::new(),
            present: Vec::new(),
            regexes: Vec::new(),
        })
    };
}

/// What [`Program::with_occurrences`] reuses from one answer to the next.
#[derive(Default)]
struct Scratch {
    lists: Vec<Vec<Occurrence>>,
    present: Vec<usize>,
    regexes: Vec<bool>,
}

/// Where an atom occurs in one answer: a token range and a byte range of the normalized text,
/// and whether the last token it overlaps is negated (never, when it overlaps none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Occurrence {
    pub(super) tokens: (usize, usize),
    pub(super) bytes: (usize, usize),
    pub(super) negated: bool,
}

impl Occurrence {
    /// The occurrence covering the tokens `tokens` (a half-open range of `all`).
    pub(super) fn new(all: &[Token], tokens: (usize, usize), bytes: (usize, usize)) -> Occurrence {
        let negated = tokens.1 > tokens.0 && all.get(tokens.1 - 1).is_some_and(|last| last.negated);
        Occurrence {
            tokens,
            bytes,
            negated,
        }
    }
}

/// The occurrence lists being filled for one answer, which atoms occur, and which regexes may
/// match (one of their required texts occurs; all false on entry).
pub(super) struct Found<'a> {
    pub(super) lists: &'a mut [Vec<Occurrence>],
    pub(super) present: &'a mut Vec<usize>,
    pub(super) regexes: &'a mut [bool],
}

impl Found<'_> {
    pub(super) fn push(&mut self, atom: usize, occurrence: Occurrence) {
        let list = &mut self.lists[atom];
        if list.is_empty() {
            self.present.push(atom);
        }
        list.push(occurrence);
    }
}

/// The first and last token of the run of whole tokens covering exactly `bytes`, if there is one.
pub(super) fn token_run(tokens: &[Token], bytes: (usize, usize)) -> Option<(usize, usize)> {
    let first = tokens.partition_point(|token| token.normalized_start < bytes.0);
    let last = tokens.partition_point(|token| token.normalized_end < bytes.1);
    let (first_token, last_token) = (tokens.get(first)?, tokens.get(last)?);
    (first_token.normalized_start == bytes.0
        && last_token.normalized_end == bytes.1
        && first <= last)
        .then_some((first, last))
}

/// Whether a token's part of speech starts with the condition's levels.
pub(super) fn pos_matches(token_pos: &str, condition: &[String]) -> bool {
    let mut levels = token_pos.split(',');
    condition
        .iter()
        .all(|wanted| levels.next() == Some(wanted.as_str()))
}

/// The tokens overlapping a byte range of the normalized text (an empty range at the next
/// token when none does).
pub(super) fn token_range(tokens: &[Token], bytes: (usize, usize)) -> (usize, usize) {
    let first = tokens.partition_point(|token| token.normalized_end <= bytes.0);
    let end = tokens.partition_point(|token| token.normalized_start < bytes.1);
    (first, end.max(first))
}

impl Program {
    /// Calls `with` with every atom's occurrences in the answer (one list per atom, each in
    /// text order) and the atoms that occur.
    pub(super) fn with_occurrences<R>(
        &self,
        analysis: &Analysis,
        with: impl FnOnce(&mut [Vec<Occurrence>], &[usize]) -> R,
    ) -> R {
        // Taken out of the thread's slot, so a panic in `with` only loses the lists.
        let Scratch {
            mut lists,
            mut present,
            mut regexes,
        } = SCRATCH.with(|scratch| std::mem::take(&mut *scratch.borrow_mut()));
        if lists.len() < self.atoms.len() {
            lists.resize_with(self.atoms.len(), Vec::new);
        }
        if regexes.len() < self.regexes.len() {
            regexes.resize(self.regexes.len(), false);
        }
        let occurrences = &mut lists[..self.atoms.len()];
        let mut found = Found {
            lists: occurrences,
            present: &mut present,
            regexes: &mut regexes[..self.regexes.len()],
        };
        self.find_occurrences(analysis, &mut found);
        let result = with(&mut *occurrences, &present);
        for &atom in &present {
            occurrences[atom].clear();
        }
        present.clear();
        regexes.fill(false);
        SCRATCH.with(|scratch| {
            *scratch.borrow_mut() = Scratch {
                lists,
                present,
                regexes,
            }
        });
        result
    }

    /// Fills `found` with the occurrences of every atom in the answer, each list in text order.
    pub(super) fn find_occurrences(&self, analysis: &Analysis, found: &mut Found) {
        let tokens = &analysis.tokens;
        for (index, token) in tokens.iter().enumerate() {
            if !self.inside_compounds.is_empty() {
                if let Some(inside) = self.inside_compounds.get(token.surface.as_ref()) {
                    for found_inside in inside {
                        let start = token.normalized_start;
                        found.push(
                            self.words[found_inside.word].atom,
                            Occurrence::new(
                                tokens,
                                (index, index + 1),
                                (start + found_inside.bytes.0, start + found_inside.bytes.1),
                            ),
                        );
                    }
                }
            }
            let Some(candidates) = self.words_by_first_base.get(token.base.as_ref()) else {
                continue;
            };
            for &candidate in candidates {
                let word = &self.words[candidate];
                let Some(window) = tokens.get(index..index + word.bases.len()) else {
                    continue;
                };
                let matches = window
                    .iter()
                    .zip(&word.bases)
                    .all(|(token, base)| token.base == *base && pos_matches(&token.pos, &word.pos));
                if let (true, Some(last)) = (matches, window.last()) {
                    found.push(
                        word.atom,
                        Occurrence::new(
                            tokens,
                            (index, index + window.len()),
                            (token.normalized_start, last.normalized_end),
                        ),
                    );
                }
            }
        }
        let text = analysis.normalized.text.as_str();
        if let Some(automaton) = &self.texts {
            for found_match in automaton.find_overlapping_iter(text) {
                let bytes = (found_match.start(), found_match.end());
                // Words match only runs of whole tokens: the match starts where a token starts
                // and ends where one ends.
                let mut whole_tokens = None;
                for target in &self.text_targets[found_match.pattern().as_usize()] {
                    match *target {
                        TextTarget::Regex(index) => found.regexes[index] = true,
                        TextTarget::Literal(atom) => found.push(
                            atom,
                            Occurrence::new(tokens, token_range(tokens, bytes), bytes),
                        ),
                        TextTarget::Word(candidate) => {
                            let Some((first, last)) =
                                *whole_tokens.get_or_insert_with(|| token_run(tokens, bytes))
                            else {
                                if let Some(index) = self.unsplit_token(tokens, bytes) {
                                    let word = &self.words[candidate];
                                    if pos_matches(&tokens[index].pos, &word.pos) {
                                        // A katakana word's spelling lost its trailing ー
                                        // (normalization); inside a longer word it is still there.
                                        let long_vowel = text
                                            [bytes.1..tokens[index].normalized_end]
                                            .starts_with('ー');
                                        let bytes =
                                            (bytes.0, bytes.1 + 3 * usize::from(long_vowel));
                                        found.push(
                                            word.atom,
                                            Occurrence::new(tokens, (index, index + 1), bytes),
                                        );
                                    }
                                }
                                continue;
                            };
                            let word = &self.words[candidate];
                            if tokens[first..=last]
                                .iter()
                                .all(|token| pos_matches(&token.pos, &word.pos))
                            {
                                found.push(
                                    word.atom,
                                    Occurrence::new(tokens, (first, last + 1), bytes),
                                );
                            }
                        }
                    }
                }
            }
        }
        match &self.regex_set {
            Some(set) => {
                for matched in set.matches(text).iter() {
                    found.regexes[self.unfiltered_regexes[matched]] = true;
                }
            }
            None => {
                for &index in &self.unfiltered_regexes {
                    found.regexes[index] = true;
                }
            }
        }
        for (index, (atom, regex)) in self.regexes.iter().enumerate() {
            if !found.regexes[index] {
                continue;
            }
            for found_match in regex.find_iter(text) {
                if found_match.is_empty() {
                    continue;
                }
                let bytes = (found_match.start(), found_match.end());
                found.push(
                    *atom,
                    Occurrence::new(tokens, token_range(tokens, bytes), bytes),
                );
            }
        }
        for &atom in found.present.iter() {
            let list = &mut found.lists[atom];
            if list.len() > 1 {
                list.sort_unstable_by_key(|occurrence| (occurrence.bytes, occurrence.tokens));
                list.dedup();
            }
        }
    }

    /// The token that strictly contains `bytes` (at least two characters) when it is a word no
    /// dictionary splits: a user-dictionary compound IPADIC cannot split either, or a word no
    /// dictionary knows (it has no reading).
    pub(super) fn unsplit_token(&self, tokens: &[Token], bytes: (usize, usize)) -> Option<usize> {
        let index = tokens.partition_point(|token| token.normalized_end <= bytes.0);
        let token = tokens.get(index)?;
        let inside = token.normalized_start <= bytes.0
            && bytes.1 <= token.normalized_end
            && (token.normalized_start, token.normalized_end) != bytes;
        let unsplit =
            token.reading.is_empty() || self.unsplit_compounds.contains(token.surface.as_ref());
        (inside
            && unsplit
            && token.surface[bytes.0 - token.normalized_start..bytes.1 - token.normalized_start]
                .chars()
                .nth(1)
                .is_some())
        .then_some(index)
    }
}
