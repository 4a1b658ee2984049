//! Evaluating a compiled [`Program`] on one answer: the rule trees over the answer's occurrence
//! lists, in dependency order (a referenced rule once per answer; a rule none of whose atoms
//! occur keeps its precomputed result), and the evidence of every rule that matched.

use serde::Serialize;

use super::compile::{CompiledKind, Node, Program};
use super::occurrences::Occurrence;
use crate::analyze::Analysis;

/// Whether one rule matched one answer, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    pub matched: bool,
    /// The atom occurrences that made the rule true, in text order; empty when it did not match.
    pub evidence: Vec<Evidence>,
}

/// One occurrence of an atom in an answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Evidence {
    /// The atom as written in the rule: `受ける`, `教育:名詞`, `"見にくい"`, `/DX\s*認定/`.
    pub term: String,
    /// The text it matched, as the respondent wrote it.
    pub text: String,
    /// Character offsets of `text` in the original answer.
    pub start: usize,
    pub end: usize,
}

/// One occurrence of one atom: (atom index, index into that atom's occurrences).
pub(super) type EvidenceId = (u32, u32);

/// A position in the answer with the evidence behind it (an atom occurrence, or a near/seq
/// pair spanning both its members).
pub(super) struct Position {
    pub(super) tokens: (usize, usize),
    pub(super) bytes: (usize, usize),
    pub(super) evidence: PositionEvidence,
}

impl Position {
    /// Whether an atom occurrence behind the position is negated: the occurrence's negation, and
    /// for a pair whether either member is negated. (Read from the evidence rather than kept in
    /// the position: positions are built for every near/seq of every answer, and a field more
    /// showed in instruction counts of rules that use no neg/pos.)
    pub(super) fn negated(&self, occurrences: &[Vec<Occurrence>]) -> bool {
        let negated =
            |&(atom, index): &EvidenceId| occurrences[atom as usize][index as usize].negated;
        match &self.evidence {
            PositionEvidence::One(id) => negated(id),
            PositionEvidence::Many(ids) => ids.iter().any(negated),
        }
    }
}

pub(super) enum PositionEvidence {
    One(EvidenceId),
    Many(Vec<EvidenceId>),
}

impl PositionEvidence {
    pub(super) fn extend_into(&self, out: &mut Vec<EvidenceId>) {
        match self {
            PositionEvidence::One(id) => out.push(*id),
            PositionEvidence::Many(ids) => out.extend_from_slice(ids),
        }
    }
}

/// The result of one rule on one answer, before evidence is turned into text.
#[derive(Default, Clone)]
pub(super) struct RuleState {
    pub(super) matched: bool,
    pub(super) evidence: Vec<EvidenceId>,
}

/// Whether `b` comes after `a` with at most `distance` tokens between them.
pub(super) fn follows(a: &Position, b: &Position, distance: usize) -> bool {
    b.bytes.0 >= a.bytes.1 && b.tokens.0.saturating_sub(a.tokens.1) <= distance
}

pub(super) fn within(a: &Position, b: &Position, distance: usize, ordered: bool) -> bool {
    if ordered {
        return follows(a, b, distance);
    }
    if a.bytes == b.bytes && a.tokens == b.tokens {
        // The same stretch of text is not two things near each other.
        return false;
    }
    let overlap = a.bytes.0 < b.bytes.1 && b.bytes.0 < a.bytes.1;
    overlap || follows(a, b, distance) || follows(b, a, distance)
}

/// Index pairs (left, right) within `distance`; only the first when `first_only`.
pub(super) fn pairs(
    left: &[Position],
    right: &[Position],
    distance: usize,
    ordered: bool,
    first_only: bool,
) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if right.is_empty() {
        return found;
    }
    let mut by_start: Vec<usize> = (0..right.len()).collect();
    by_start.sort_unstable_by_key(|&index| right[index].tokens.0);
    let longest = right
        .iter()
        .map(|position| position.tokens.1 - position.tokens.0)
        .max()
        .unwrap_or(0);
    for (a_index, a) in left.iter().enumerate() {
        // Any b within reach starts in this token window (see `within`).
        let low = a
            .tokens
            .0
            .saturating_sub(distance.saturating_add(longest).saturating_add(1));
        let high = a.tokens.1.saturating_add(distance);
        let first = by_start.partition_point(|&index| right[index].tokens.0 < low);
        for &b_index in &by_start[first..] {
            let b = &right[b_index];
            if b.tokens.0 > high {
                break;
            }
            if within(a, b, distance, ordered) {
                found.push((a_index, b_index));
                if first_only {
                    return found;
                }
            }
        }
    }
    found
}

/// Byte offsets of a text to character offsets, for offsets asked in any order.
pub(super) struct CharOffsets<'a> {
    pub(super) text: &'a str,
    /// (byte offset, character offset) pairs seen so far, sorted by byte offset.
    pub(super) known: Vec<(usize, usize)>,
}

impl<'a> CharOffsets<'a> {
    pub(super) fn new(text: &'a str) -> CharOffsets<'a> {
        CharOffsets {
            text,
            known: vec![(0, 0)],
        }
    }

    /// The character offset of byte `offset` (characters starting before it).
    pub(super) fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let index = self.known.partition_point(|&(byte, _)| byte <= offset);
        let (byte, chars) = self.known[index.saturating_sub(1)];
        if byte == offset {
            return chars;
        }
        let counted = self.text.as_bytes()[byte..offset]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40)
            .count();
        let result = chars + counted;
        self.known.insert(index, (offset, result));
        result
    }
}

impl Program {
    /// One outcome per rule, in the order given to [`Program::compile`].
    ///
    /// `analysis` must come from [`Analyzer::analyze`] on `original_text`.
    pub fn evaluate(&self, analysis: &Analysis, original_text: &str) -> Vec<RuleOutcome> {
        self.with_occurrences(analysis, |occurrences, present| {
            let states = self.evaluate_rules(occurrences, Some(present));
            self.outcomes(&states, occurrences, analysis, original_text)
        })
    }

    /// The rules' results as outcomes with their evidence in text.
    pub(super) fn outcomes(
        &self,
        states: &[RuleState],
        occurrences: &[Vec<Occurrence>],
        analysis: &Analysis,
        original_text: &str,
    ) -> Vec<RuleOutcome> {
        let mut chars = CharOffsets::new(original_text);
        states
            .iter()
            .map(|state| RuleOutcome {
                matched: state.matched,
                evidence: self.evidence(
                    &state.evidence,
                    occurrences,
                    analysis,
                    original_text,
                    &mut chars,
                ),
            })
            .collect()
    }

    /// The atoms that occur in an answer, as indexes (each once, in no particular order): what
    /// [`Program::evaluate_hiding`] can hide.
    pub fn atoms_present(&self, analysis: &Analysis) -> Vec<usize> {
        self.with_occurrences(analysis, |_, present| present.to_vec())
    }

    /// [`Program::evaluate`] as if the atoms for which `hidden` is true did not occur in the
    /// answer: what the rules would say had they been written without those atoms.
    pub fn evaluate_hiding(
        &self,
        analysis: &Analysis,
        original_text: &str,
        hidden: impl Fn(usize) -> bool,
    ) -> Vec<RuleOutcome> {
        self.with_occurrences(analysis, |occurrences, present| {
            let mut visible = Vec::with_capacity(present.len());
            for &atom in present {
                if hidden(atom) {
                    occurrences[atom].clear();
                } else {
                    visible.push(atom);
                }
            }
            let states = self.evaluate_rules(occurrences, Some(&visible));
            self.outcomes(&states, occurrences, analysis, original_text)
        })
    }

    /// Every rule's result, computed in dependency order so `@references` are looked up. With
    /// `present` (the atoms that occur), only the rules that contain one of them are evaluated;
    /// the others keep their result on an answer without atoms. Without `present`, every rule
    /// is evaluated (and the atoms that occur are read off `occurrences`).
    pub(super) fn evaluate_rules(
        &self,
        occurrences: &[Vec<Occurrence>],
        present: Option<&[usize]>,
    ) -> Vec<RuleState> {
        let occurring: Vec<usize>;
        let atoms_present = match present {
            Some(present) => present,
            None => {
                occurring = (0..occurrences.len())
                    .filter(|&atom| !occurrences[atom].is_empty())
                    .collect();
                &occurring
            }
        };
        let mut states: Vec<RuleState> = match present {
            Some(_) => self
                .idle_results
                .iter()
                .map(|&matched| RuleState {
                    matched,
                    evidence: Vec::new(),
                })
                .collect(),
            None => vec![RuleState::default(); self.rules.len()],
        };
        let mut due = vec![present.is_none(); self.rules.len()];
        for &atom in present.unwrap_or_default() {
            for &rule in &self.rules_by_atom[atom] {
                due[rule] = true;
            }
        }
        for &index in &self.order {
            if !due[index] {
                continue;
            }
            let mut evidence = Vec::new();
            let matched = self.eval(
                &self.rules[index].root,
                occurrences,
                atoms_present,
                &states,
                true,
                &mut evidence,
            );
            if matched {
                evidence.sort_unstable();
                evidence.dedup();
            } else {
                evidence.clear();
            }
            states[index] = RuleState { matched, evidence };
        }
        states
    }

    /// Whether `node` is true. When `want_evidence`, the occurrences that make it true are
    /// appended to `out`; a false node leaves `out` as it was. `present` lists the atoms whose
    /// occurrence lists are not empty, each once.
    pub(super) fn eval(
        &self,
        node: &Node,
        occurrences: &[Vec<Occurrence>],
        present: &[usize],
        states: &[RuleState],
        want_evidence: bool,
        out: &mut Vec<EvidenceId>,
    ) -> bool {
        match &node.kind {
            CompiledKind::Atom(atom) => {
                let list = &occurrences[*atom];
                if want_evidence {
                    out.extend((0..list.len()).map(|index| (*atom as u32, index as u32)));
                }
                !list.is_empty()
            }
            CompiledKind::Ref(rule) => {
                let state = &states[*rule];
                if want_evidence && state.matched {
                    out.extend_from_slice(&state.evidence);
                }
                state.matched
            }
            CompiledKind::Not(inner) => !self.eval(inner, occurrences, present, states, false, out),
            CompiledKind::And(items) => {
                let mark = out.len();
                for item in items {
                    if !self.eval(item, occurrences, present, states, want_evidence, out) {
                        out.truncate(mark);
                        return false;
                    }
                }
                true
            }
            CompiledKind::Or(alternatives) => {
                let mut any = false;
                for atom in alternatives.atoms_among(present) {
                    let list = &occurrences[atom];
                    if list.is_empty() {
                        continue;
                    }
                    if !want_evidence {
                        return true;
                    }
                    any = true;
                    out.extend((0..list.len()).map(|index| (atom as u32, index as u32)));
                }
                for &index in &alternatives.others {
                    if self.eval(
                        &alternatives.items[index],
                        occurrences,
                        present,
                        states,
                        want_evidence,
                        out,
                    ) {
                        any = true;
                        if !want_evidence {
                            break;
                        }
                    }
                }
                any
            }
            CompiledKind::Call {
                ordered,
                left,
                right,
                distance,
            } => {
                let left = self.positions(left, occurrences, present);
                if left.is_empty() {
                    return false;
                }
                let right = self.positions(right, occurrences, present);
                let pairs = pairs(&left, &right, *distance, *ordered, !want_evidence);
                if want_evidence {
                    for &(a, b) in &pairs {
                        left[a].evidence.extend_into(out);
                        right[b].evidence.extend_into(out);
                    }
                }
                !pairs.is_empty()
            }
            CompiledKind::Polarity { negated, inner } => {
                if let CompiledKind::Atom(atom) = inner.kind {
                    // The common case, without building positions.
                    let mut any = false;
                    for (index, occurrence) in occurrences[atom].iter().enumerate() {
                        if occurrence.negated != *negated {
                            continue;
                        }
                        if !want_evidence {
                            return true;
                        }
                        any = true;
                        out.push((atom as u32, index as u32));
                    }
                    return any;
                }
                let positions = self.positions(node, occurrences, present);
                if want_evidence {
                    for position in &positions {
                        position.evidence.extend_into(out);
                    }
                }
                !positions.is_empty()
            }
        }
    }

    /// The positions of a node that has them (atoms, `|` of such, near/seq, neg/pos); the
    /// parser guarantees the arguments of near/seq/neg/pos are such nodes. `present` lists the
    /// atoms that occur (see [`Program::eval`]).
    pub(super) fn positions(
        &self,
        node: &Node,
        occurrences: &[Vec<Occurrence>],
        present: &[usize],
    ) -> Vec<Position> {
        let mut positions = Vec::new();
        self.positions_into(node, occurrences, present, &mut positions);
        positions
    }

    /// [`Program::positions`], appended to `out`.
    fn positions_into(
        &self,
        node: &Node,
        occurrences: &[Vec<Occurrence>],
        present: &[usize],
        out: &mut Vec<Position>,
    ) {
        let atom_positions = |atom: usize, out: &mut Vec<Position>| {
            out.extend(
                occurrences[atom]
                    .iter()
                    .enumerate()
                    .map(|(index, occurrence)| Position {
                        tokens: occurrence.tokens,
                        bytes: occurrence.bytes,
                        evidence: PositionEvidence::One((atom as u32, index as u32)),
                    }),
            )
        };
        match &node.kind {
            CompiledKind::Atom(atom) => atom_positions(*atom, out),
            CompiledKind::Or(alternatives) => {
                for atom in alternatives.atoms_among(present) {
                    atom_positions(atom, out);
                }
                for &index in &alternatives.others {
                    self.positions_into(&alternatives.items[index], occurrences, present, out);
                }
            }
            CompiledKind::Call {
                ordered,
                left,
                right,
                distance,
            } => {
                let left = self.positions(left, occurrences, present);
                if left.is_empty() {
                    return;
                }
                let right = self.positions(right, occurrences, present);
                out.extend(
                    pairs(&left, &right, *distance, *ordered, false)
                        .into_iter()
                        .map(|(a, b)| {
                            let (a, b) = (&left[a], &right[b]);
                            let mut evidence = Vec::new();
                            a.evidence.extend_into(&mut evidence);
                            b.evidence.extend_into(&mut evidence);
                            Position {
                                tokens: (a.tokens.0.min(b.tokens.0), a.tokens.1.max(b.tokens.1)),
                                bytes: (a.bytes.0.min(b.bytes.0), a.bytes.1.max(b.bytes.1)),
                                evidence: PositionEvidence::Many(evidence),
                            }
                        }),
                )
            }
            CompiledKind::Polarity { negated, inner } => {
                let mut inner_positions = self.positions(inner, occurrences, present);
                inner_positions.retain(|position| position.negated(occurrences) == *negated);
                out.append(&mut inner_positions);
            }
            CompiledKind::Ref(_) | CompiledKind::Not(_) | CompiledKind::And(_) => {}
        }
    }

    /// Evidence ids as deduplicated text evidence, in text order.
    pub(super) fn evidence(
        &self,
        ids: &[EvidenceId],
        occurrences: &[Vec<Occurrence>],
        analysis: &Analysis,
        original_text: &str,
        chars: &mut CharOffsets,
    ) -> Vec<Evidence> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut evidence: Vec<Evidence> = ids
            .into_iter()
            .filter_map(|(atom, index)| {
                let occurrence = occurrences.get(atom as usize)?.get(index as usize)?;
                let original = analysis
                    .normalized
                    .original_range(occurrence.bytes.0..occurrence.bytes.1);
                Some(Evidence {
                    term: self.atoms[atom as usize].term.clone(),
                    text: original_text
                        .get(original.clone())
                        .unwrap_or_default()
                        .to_string(),
                    start: chars.at(original.start),
                    end: chars.at(original.end),
                })
            })
            .collect();
        evidence.sort_unstable_by(|a, b| (a.start, a.end, &a.term).cmp(&(b.start, b.end, &b.term)));
        evidence.dedup();
        evidence
    }
}
