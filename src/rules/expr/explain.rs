//! Explaining one rule on one answer (`jiyu explain`): its evaluated tree, every node with
//! whether it matched, its evidence and notes (the synonym that matched, a word the dictionary
//! keeps inside a compound).

use serde::Serialize;

use super::ast::Span;
use super::compile::{AtomKind, CompiledKind, Node, Program, SynonymsOf};
use super::evaluate::{CharOffsets, Evidence, EvidenceId, RuleState};
use super::occurrences::Occurrence;
use crate::analyze::Analysis;

/// What kind of node an [`ExplainNode`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Word,
    Literal,
    Regex,
    Ref,
    Not,
    And,
    Or,
    Near,
    Seq,
    Neg,
    Pos,
    Syn,
}

/// One node of a rule's expression, evaluated on one answer (for `jiyu explain`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainNode {
    pub kind: NodeKind,
    /// The node's source text on one line, comments dropped (`研修 & 受ける`, `near(a, b, 5)`,
    /// `"見にくい"`).
    pub text: String,
    /// Whether this node, on its own, is true for the answer.
    pub matched: bool,
    /// The occurrences that make this node true (none for `!` nodes and false nodes).
    pub evidence: Vec<Evidence>,
    /// For words: where one matched inside a compound token, or why one did not match a form
    /// the answer has (the potential form of its verb).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Operands, in source order: one for `!`, neg and pos, two for near/seq, all of an `&`/`|`
    /// chain; none for atoms, `@references` (explain the referenced rule for those) and
    /// `syn()` (its notes say which synonyms matched).
    pub children: Vec<ExplainNode>,
}

/// What `explain` says of a `syn(word)` node: which synonyms matched (and from which group), or
/// which it looked for.
pub(super) fn synonym_notes(of: &SynonymsOf, evidence: &[Evidence]) -> Vec<String> {
    let mut notes = Vec::new();
    for found in evidence {
        if found.term == of.word {
            continue;
        }
        if let Some((synonym, group)) = of.synonyms.iter().find(|(word, _)| *word == found.term) {
            let note = format!(
                "「{}」 matched {synonym}, a synonym of {} ({group})",
                found.text, of.word
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    if evidence.is_empty() {
        notes.push(if of.synonyms.is_empty() {
            format!("the thesaurus has no synonyms of {}", of.word)
        } else {
            let words: Vec<&str> = of.synonyms.iter().map(|(word, _)| word.as_str()).collect();
            format!(
                "looked for {} and its synonyms {}",
                of.word,
                words.join(", ")
            )
        });
    }
    notes
}

pub(super) struct ExplainContext<'a> {
    pub(super) occurrences: &'a [Vec<Occurrence>],
    /// The atoms that occur.
    pub(super) present: &'a [usize],
    pub(super) states: &'a [RuleState],
    pub(super) analysis: &'a Analysis,
    pub(super) original_text: &'a str,
    pub(super) source: &'a str,
    pub(super) token_spans: &'a [Span],
}

/// The source of `span` on one line: its tokens, one space where the source had white space,
/// line breaks or comments between them (none just inside parentheses).
pub(super) fn compact_text(source: &str, token_spans: &[Span], span: Span) -> String {
    let first = token_spans.partition_point(|token| token.start < span.start);
    let mut text = String::new();
    let mut previous: Option<(usize, &str)> = None;
    for token in token_spans[first..]
        .iter()
        .take_while(|token| token.end <= span.end)
    {
        let token_text = token.text(source);
        if let Some((end, previous_text)) = previous {
            let inside_parentheses =
                matches!(previous_text, "(" | "（") || matches!(token_text, ")" | "）");
            if end < token.start && !inside_parentheses {
                text.push(' ');
            }
        }
        text.push_str(token_text);
        previous = Some((token.end, token_text));
    }
    if text.is_empty() {
        span.text(source).to_string()
    } else {
        text
    }
}

impl Program {
    /// The tree of rule `rule_index` evaluated on one answer, node by node.
    ///
    /// # Panics
    /// If `rule_index` is not below [`Program::len`].
    pub fn explain(
        &self,
        analysis: &Analysis,
        original_text: &str,
        rule_index: usize,
    ) -> ExplainNode {
        self.with_occurrences(analysis, |occurrences, present| {
            let states = self.evaluate_rules(occurrences, Some(present));
            let rule = &self.rules[rule_index];
            let mut chars = CharOffsets::new(original_text);
            let context = ExplainContext {
                occurrences,
                present,
                states: &states,
                analysis,
                original_text,
                source: &rule.source,
                token_spans: &rule.token_spans,
            };
            self.explain_node(&rule.root, &context, &mut chars)
        })
    }

    pub(super) fn explain_node(
        &self,
        node: &Node,
        context: &ExplainContext,
        chars: &mut CharOffsets,
    ) -> ExplainNode {
        let mut ids = Vec::new();
        let matched = self.eval(
            node,
            context.occurrences,
            context.present,
            context.states,
            true,
            &mut ids,
        );
        let evidence = self.evidence(
            &ids,
            context.occurrences,
            context.analysis,
            context.original_text,
            chars,
        );
        let (kind, children): (NodeKind, Vec<&Node>) = match &node.kind {
            _ if node.synonyms.is_some() => (NodeKind::Syn, Vec::new()),
            CompiledKind::Atom(atom) => (
                match self.atoms[*atom].kind {
                    AtomKind::Word => NodeKind::Word,
                    AtomKind::Literal => NodeKind::Literal,
                    AtomKind::Regex => NodeKind::Regex,
                },
                Vec::new(),
            ),
            CompiledKind::Ref(_) => (NodeKind::Ref, Vec::new()),
            CompiledKind::Not(inner) => (NodeKind::Not, vec![inner.as_ref()]),
            CompiledKind::And(items) => (NodeKind::And, items.iter().collect()),
            CompiledKind::Or(alternatives) => (NodeKind::Or, alternatives.items.iter().collect()),
            CompiledKind::Call {
                ordered,
                left,
                right,
                ..
            } => (
                if *ordered {
                    NodeKind::Seq
                } else {
                    NodeKind::Near
                },
                vec![left.as_ref(), right.as_ref()],
            ),
            CompiledKind::Polarity { negated, inner } => (
                if *negated {
                    NodeKind::Neg
                } else {
                    NodeKind::Pos
                },
                vec![inner.as_ref()],
            ),
        };
        let notes = match (&node.kind, &node.synonyms) {
            (_, Some(of)) => synonym_notes(of, &evidence),
            (CompiledKind::Atom(atom), None) if self.atoms[*atom].kind == AtomKind::Word => {
                self.word_notes(*atom, matched, &ids, context)
            }
            _ => Vec::new(),
        };
        ExplainNode {
            kind,
            text: compact_text(context.source, context.token_spans, node.span),
            matched,
            evidence,
            notes,
            children: children
                .into_iter()
                .map(|child| self.explain_node(child, context, chars))
                .collect(),
        }
    }

    /// What `explain` adds to a word: where it matched inside a compound token, and when it did
    /// not match, the potential form of its verb that the answer has.
    pub(super) fn word_notes(
        &self,
        atom: usize,
        matched: bool,
        ids: &[EvidenceId],
        context: &ExplainContext,
    ) -> Vec<String> {
        let tokens = &context.analysis.tokens;
        let text = context.analysis.normalized.text.as_str();
        let mut notes = Vec::new();
        for &(id_atom, index) in ids {
            let Some(occurrence) = context
                .occurrences
                .get(id_atom as usize)
                .and_then(|list| list.get(index as usize))
            else {
                continue;
            };
            if let Some(token) = tokens.get(occurrence.tokens.0) {
                let whole = (token.normalized_start, token.normalized_end);
                if occurrence.tokens.1 == occurrence.tokens.0 + 1 && occurrence.bytes != whole {
                    notes.push(format!(
                        "「{}」 inside 「{}」, which the dictionary keeps as one word",
                        &text[occurrence.bytes.0..occurrence.bytes.1],
                        token.surface
                    ));
                }
            }
        }
        if !matched {
            for word in self.words.iter().filter(|word| word.atom == atom) {
                let Some(potential) = &word.potential else {
                    continue;
                };
                if let Some(token) = tokens.iter().find(|token| token.base == *potential) {
                    notes.push(format!(
                        "the answer has 「{}」 ({potential}, the potential form of {}), which the \
                         word does not match: add {potential} to the rule to count it",
                        token.surface,
                        word.bases.last().map_or("", String::as_str)
                    ));
                }
            }
        }
        notes.sort();
        notes.dedup();
        notes
    }
}
