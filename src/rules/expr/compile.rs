//! Compiling rules into a [`Program`], and the compiled form that the other stages read
//! ([`super::occurrences`], [`super::evaluate`], [`super::explain`]).
//!
//! Compiling parses every rule, resolves `@references` (unknown ids and cycles are errors),
//! analyzes every word with the same [`Analyzer`] as the answers, and gathers the distinct
//! atoms (words, literals, regexes) of all rules. Evaluating one answer then costs about one
//! pass over its tokens: each atom's occurrences are found once (words through a map from base
//! form to the words starting with it, all literals, word spellings and the regexes' required
//! texts through one Aho-Corasick automaton, then only the regexes that may match), and the rule trees are evaluated over
//! those occurrences in dependency order, so a referenced rule is evaluated once per answer. A rule none of whose atoms occur (directly or
//! through its references) is not evaluated at all: its result is the one it has on an answer
//! without any atom, computed once when compiling.
//!
//! A word of two characters or more also occurs inside one token the dictionary keeps whole: as
//! a run of the IPADIC parts of a user-dictionary compound (標的型 in 標的型メール), or spelled
//! inside a compound IPADIC cannot split either or a word no dictionary knows (セキュリティ in
//! セキュリティポリシー, マイナンバー in マイナンバーカード).
//!
//! `syn(word)` compiles to an `|` of the word and each of its synonyms in the thesaurus
//! ([`crate::thesaurus`], the words search by meaning adds to a query word: its groups for the
//! word's class, flags honoured), each a word atom written as the thesaurus writes it, so the
//! evidence names the synonym that matched. The thesaurus is read only by rules that use
//! `syn()`; a word it has no group for is a warning ([`Program::warnings`]), and matches itself.
//!
//! Every occurrence carries whether it is negated (see [`crate::negation`]): an occurrence of a
//! word, literal or regex is negated when the last token it overlaps is; a `near`/`seq` pair
//! when either of its members is. `neg(x)` and `pos(x)` keep the positions of `x` that are, or
//! are not, negated, so rules that use neither evaluate exactly as before.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexSet, RegexSetBuilder};
use rustc_hash::{FxHashMap, FxHashSet};

use super::ast::{Expr, ExprKind, Function, Span};
use super::error::{CompileError, ParseError};
use super::lexer::lex;
use super::occurrences::pos_matches;
use super::parser::{build_regex, parse};
use super::prefilter::required_texts;
use crate::analyze::{Analyzer, Compound};
use crate::normalize::normalize;

/// Rules compiled together: they may refer to each other with `@id`. Build once, evaluate from
/// any number of threads.
pub struct Program {
    pub(super) rules: Vec<Rule>,
    /// Rule indexes, each after every rule it refers to.
    pub(super) order: Vec<usize>,
    pub(super) atoms: Vec<Atom>,
    pub(super) words: Vec<WordAtom>,
    /// Base form of a word's first token → indexes into `words`.
    /// Looked up once per token of every answer: FxHash, as SipHash showed in profiles.
    pub(super) words_by_first_base: FxHashMap<String, Vec<usize>>,
    /// Surface of a user-dictionary compound → the words that match a run of its IPADIC parts,
    /// with that run's byte range inside the surface (標的型 in 標的型メール).
    pub(super) inside_compounds: FxHashMap<String, Vec<InsideCompound>>,
    /// The user-dictionary compounds IPADIC cannot split either (セキュリティポリシ): inside them,
    /// and inside words no dictionary knows (マイナンバーカード), a word matches where its spelling
    /// occurs.
    pub(super) unsplit_compounds: FxHashSet<String>,
    /// One automaton over the normalized spellings of all words and the texts of all literals,
    /// so the answer is scanned once for both; pattern id → what has that text. A word also
    /// matches a run of whole tokens that spells it, which the analyzer may split differently
    /// in context (`見にくい` alone is one token, in サイトが見にくい it is 見 + にくい).
    /// The automaton also holds each regex's required texts (see [`super::prefilter`]): a
    /// regex that has them runs only on answers in which one occurs.
    pub(super) texts: Option<AhoCorasick>,
    pub(super) text_targets: Vec<Vec<TextTarget>>,
    pub(super) regexes: Vec<(usize, Regex)>,
    /// The indexes into `regexes` of the regexes without required texts.
    pub(super) unfiltered_regexes: Vec<usize>,
    /// The regexes of `unfiltered_regexes` in one set (when there are two or more): one pass
    /// over the text tells which of them to run for their positions.
    pub(super) regex_set: Option<RegexSet>,
    /// Atom → the rules that contain it, directly or through `@references`: only they can have
    /// another result than on an answer without atoms.
    pub(super) rules_by_atom: Vec<Vec<usize>>,
    /// Each rule's result on an answer in which no atom occurs.
    pub(super) idle_results: Vec<bool>,
    /// Problems that did not stop compiling (see [`Program::warnings`]).
    pub(super) warnings: Vec<CompileError>,
}

pub(super) struct Rule {
    pub(super) id: String,
    pub(super) source: String,
    /// The spans of the source's tokens, to show a node without comments and line breaks.
    pub(super) token_spans: Vec<Span>,
    pub(super) root: Node,
}

pub(super) struct Node {
    pub(super) kind: CompiledKind,
    pub(super) span: Span,
    /// For `syn(word)` (compiled to an `|` of atoms): the word and its synonyms, for `explain`.
    pub(super) synonyms: Option<Box<SynonymsOf>>,
}

/// What `syn(word)` was compiled from.
pub(super) struct SynonymsOf {
    pub(super) word: String,
    /// Each synonym as written, and the group it comes from.
    pub(super) synonyms: Vec<(String, String)>,
}

/// The children of an `|`. Rules are mostly long `|` lists of words and literals, so the atom
/// children are also kept apart as plain ids: checking them is a tight loop over occurrence
/// lists instead of a recursive call per child, which profiles showed dominating `evaluate`.
pub(super) struct Alternatives {
    pub(super) items: Vec<Node>,
    /// Atom ids of the children that are atoms.
    pub(super) atoms: Vec<usize>,
    /// The same atom ids as a bit set (bit `atom` of word `atom / 64`): an answer in which fewer
    /// atoms occur than the `|` has is checked atom by atom against it.
    atom_bits: Box<[u64]>,
    /// Indices into `items` of the children that are not atoms.
    pub(super) others: Vec<usize>,
}

impl Alternatives {
    pub(super) fn new(items: Vec<Node>) -> Alternatives {
        let mut atoms = Vec::new();
        let mut others = Vec::new();
        for (index, item) in items.iter().enumerate() {
            match item.kind {
                CompiledKind::Atom(atom) => atoms.push(atom),
                _ => others.push(index),
            }
        }
        let mut atom_bits = vec![0u64; atoms.iter().max().map_or(0, |&max| max / 64 + 1)];
        for &atom in &atoms {
            atom_bits[atom / 64] |= 1 << (atom % 64);
        }
        Alternatives {
            items,
            atoms,
            atom_bits: atom_bits.into_boxed_slice(),
            others,
        }
    }

    /// Whether `atom` is one of the children.
    fn has_atom(&self, atom: usize) -> bool {
        self.atom_bits
            .get(atom / 64)
            .is_some_and(|word| word & (1 << (atom % 64)) != 0)
    }

    /// The atom children that may occur in an answer whose occurring atoms are `present`: the
    /// atoms of `present` that are children when they are fewer than the children (the usual
    /// case: a few atoms occur, an `|` has dozens of children), else every atom child.
    pub(super) fn atoms_among<'a>(
        &'a self,
        present: &'a [usize],
    ) -> impl Iterator<Item = usize> + 'a {
        let through_present = present.len() < self.atoms.len();
        let atoms = if through_present {
            present
        } else {
            &self.atoms
        };
        atoms
            .iter()
            .copied()
            .filter(move |&atom| !through_present || self.has_atom(atom))
    }
}

pub(super) enum CompiledKind {
    Atom(usize),
    Ref(usize),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Alternatives),
    Call {
        ordered: bool,
        left: Box<Node>,
        right: Box<Node>,
        distance: usize,
    },
    /// `neg(inner)` (`negated`) or `pos(inner)`: the positions of `inner` whose negation is
    /// `negated`.
    Polarity {
        negated: bool,
        inner: Box<Node>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum AtomKind {
    Word,
    Literal,
    Regex,
}

pub(super) struct Atom {
    /// As written in the rule.
    pub(super) term: String,
    pub(super) kind: AtomKind,
}

pub(super) struct WordAtom {
    pub(super) atom: usize,
    /// The potential form of the word's last verb, when the dictionary has one (see
    /// `Compiler::potential_form`); only `explain` reads it.
    pub(super) potential: Option<String>,
    /// The word normalized, as it would appear in normalized answer text.
    pub(super) spelling: String,
    pub(super) bases: Vec<String>,
    /// Part-of-speech levels every token of the word must start with.
    pub(super) pos: Vec<String>,
}

/// Builds a program: interns atoms and resolves references while converting trees.
pub(super) struct Compiler<'a> {
    pub(super) analyzer: &'a Analyzer,
    pub(super) ids: HashMap<&'a str, usize>,
    pub(super) atoms: Vec<Atom>,
    pub(super) atom_index: HashMap<(AtomKind, String), usize>,
    pub(super) words: Vec<WordAtom>,
    pub(super) literal_texts: Vec<(usize, String)>,
    pub(super) regexes: Vec<(usize, Regex)>,
    /// Problems that do not stop compiling: a `syn()` word without synonyms. The rule id is
    /// filled in by [`Program::compile`].
    pub(super) warnings: Vec<ParseError>,
}

impl Compiler<'_> {
    /// The atom of a word: `term` as written in the rule, `text` analyzed into the base forms it
    /// matches, `pos` the part-of-speech condition. `None` when the text has no tokens.
    pub(super) fn word_atom(&mut self, term: &str, text: &str, pos: &[String]) -> Option<usize> {
        let (atom, new) = self.intern(AtomKind::Word, term);
        if new {
            let analysis = self.analyzer.analyze(text);
            let bases: Vec<String> = analysis
                .tokens
                .into_iter()
                .map(|token| token.base.into_owned())
                .collect();
            if bases.is_empty() {
                self.atoms.pop();
                self.atom_index.remove(&(AtomKind::Word, term.to_string()));
                return None;
            }
            self.words.push(WordAtom {
                atom,
                potential: self.potential_form(&bases),
                spelling: analysis.normalized.text,
                bases,
                pos: pos.to_vec(),
            });
        }
        Some(atom)
    }

    /// `syn(word)`: an `|` of the word's atom and its synonyms' (see the module documentation).
    pub(super) fn synonyms(
        &mut self,
        word: &str,
        span: Span,
        source: &str,
    ) -> Result<(CompiledKind, SynonymsOf), ParseError> {
        let error = |message: String| ParseError::at(source, span.start, message, &["a word"]);
        let Some(own) = self.word_atom(word, word, &[]) else {
            return Err(error(format!(
                "the word `{word}` of syn() has no tokens after normalization"
            )));
        };
        let thesaurus = self
            .analyzer
            .thesaurus()
            .map_err(|err| error(err.to_string()))?;
        let analysis = self.analyzer.analyze(word);
        let mut keys = vec![analysis.normalized.text.clone()];
        let joined: String = analysis
            .tokens
            .iter()
            .map(|token| token.base.as_ref())
            .collect();
        if joined != keys[0] {
            keys.push(joined);
        }
        let class = analysis
            .tokens
            .last()
            .and_then(|token| crate::thesaurus::WordClass::of_pos(&token.pos));
        let mut items = vec![Node {
            kind: CompiledKind::Atom(own),
            span,
            synonyms: None,
        }];
        let mut synonyms = Vec::new();
        for synonym in thesaurus.synonyms(&keys, class) {
            if let Some(atom) = self.word_atom(&synonym.written, &synonym.word, &[]) {
                if items
                    .iter()
                    .any(|item| matches!(item.kind, CompiledKind::Atom(known) if known == atom))
                {
                    continue;
                }
                items.push(Node {
                    kind: CompiledKind::Atom(atom),
                    span,
                    synonyms: None,
                });
                synonyms.push((synonym.written, synonym.source.to_string()));
            }
        }
        if synonyms.is_empty() {
            self.warnings.push(ParseError::at(
                source,
                span.start,
                format!(
                    "the thesaurus has no synonyms of `{word}`: syn({word}) matches `{word}` only \
                     (add a group to dictionaries/synonyms.tsv, or write the word alone)"
                ),
                &[],
            ));
        }
        Ok((
            CompiledKind::Or(Alternatives::new(items)),
            SynonymsOf {
                word: word.to_string(),
                synonyms,
            },
        ))
    }

    pub(super) fn intern(&mut self, kind: AtomKind, term: &str) -> (usize, bool) {
        if let Some(&index) = self.atom_index.get(&(kind, term.to_string())) {
            return (index, false);
        }
        let index = self.atoms.len();
        self.atoms.push(Atom {
            term: term.to_string(),
            kind,
        });
        self.atom_index.insert((kind, term.to_string()), index);
        (index, true)
    }

    /// The potential form of a word's last verb when the dictionary has it as a verb of its own
    /// (持ち出す → 持ち出せる, 読む → 読める); `None` when the last base form is no verb ending in an
    /// u-row kana, or the dictionary has no such verb. Words do not match it (入る would then
    /// match 入れる, 続く 続ける): `explain` names it when an answer has it.
    pub(super) fn potential_form(&self, bases: &[String]) -> Option<String> {
        let base = bases.last()?;
        let stem_end = base.char_indices().last()?.0;
        let e_row = match &base[stem_end..] {
            "う" => "え",
            "く" => "け",
            "ぐ" => "げ",
            "す" => "せ",
            "つ" => "て",
            "ぬ" => "ね",
            "ぶ" => "べ",
            "む" => "め",
            "る" => "れ",
            _ => return None,
        };
        let verb = |text: &str| {
            matches!(self.analyzer.analyze(text).tokens.as_slice(),
                [token] if token.base == text && token.pos.starts_with("動詞"))
        };
        let potential = format!("{}{e_row}る", &base[..stem_end]);
        (verb(base) && verb(&potential)).then_some(potential)
    }

    /// Converts a parsed tree; `refs` collects the rule's references (target, where).
    pub(super) fn node(
        &mut self,
        expr: &Expr,
        source: &str,
        refs: &mut Vec<(usize, Span)>,
    ) -> Result<Node, ParseError> {
        let error = |message: String, expected: &[&str]| {
            ParseError::at(source, expr.span.start, message, expected)
        };
        let mut synonyms = None;
        let kind = match &expr.kind {
            ExprKind::Word { text, pos } => {
                let Some(atom) = self.word_atom(expr.text(source), text, pos) else {
                    return Err(error(
                        format!(
                            "the word `{text}` has no tokens after normalization; \
                             write it as a \"literal\""
                        ),
                        &["a word"],
                    ));
                };
                CompiledKind::Atom(atom)
            }
            ExprKind::Syn(word) => {
                let (kind, of) = self.synonyms(word, expr.span, source)?;
                synonyms = Some(Box::new(of));
                kind
            }
            ExprKind::Literal(text) => {
                let (atom, new) = self.intern(AtomKind::Literal, expr.text(source));
                if new {
                    let normalized = normalize(text).text;
                    if normalized.is_empty() {
                        return Err(error(
                            "empty literal: write the text to find between the quotes, \
                             like \"見にくい\""
                                .to_string(),
                            &["text"],
                        ));
                    }
                    self.literal_texts.push((atom, normalized));
                }
                CompiledKind::Atom(atom)
            }
            ExprKind::Regex(pattern) => {
                let (atom, new) = self.intern(AtomKind::Regex, expr.text(source));
                if new {
                    let regex = build_regex(pattern)
                        .map_err(|err| error(format!("bad regex: {err}"), &["a valid regex"]))?;
                    self.regexes.push((atom, regex));
                }
                CompiledKind::Atom(atom)
            }
            ExprKind::Ref(id) => {
                let Some(&target) = self.ids.get(id.as_str()) else {
                    let mut known: Vec<&str> = self.ids.keys().copied().collect();
                    known.sort_unstable();
                    return Err(error(
                        format!(
                            "no rule `{id}` in this scheme; the rules are: {}",
                            known.join(", ")
                        ),
                        &known,
                    ));
                };
                refs.push((target, expr.span));
                CompiledKind::Ref(target)
            }
            ExprKind::Not(inner) => CompiledKind::Not(Box::new(self.node(inner, source, refs)?)),
            ExprKind::And(items) => CompiledKind::And(
                items
                    .iter()
                    .map(|item| self.node(item, source, refs))
                    .collect::<Result<_, _>>()?,
            ),
            ExprKind::Or(items) => CompiledKind::Or(Alternatives::new(
                items
                    .iter()
                    .map(|item| self.node(item, source, refs))
                    .collect::<Result<_, _>>()?,
            )),
            ExprKind::Call {
                function,
                left,
                right,
                distance,
            } => CompiledKind::Call {
                ordered: *function == Function::Seq,
                left: Box::new(self.node(left, source, refs)?),
                right: Box::new(self.node(right, source, refs)?),
                distance: *distance,
            },
            ExprKind::Neg(inner) | ExprKind::Pos(inner) => CompiledKind::Polarity {
                negated: matches!(expr.kind, ExprKind::Neg(_)),
                inner: Box::new(self.node(inner, source, refs)?),
            },
        };
        Ok(Node {
            kind,
            span: expr.span,
            synonyms,
        })
    }
}

/// For each atom, the rules that contain it directly or through `@references` (`order` puts
/// every rule after the rules it refers to).
pub(super) fn rules_by_atom(
    rules: &[Rule],
    references: &[Vec<(usize, Span)>],
    order: &[usize],
    atom_count: usize,
) -> Vec<Vec<usize>> {
    let mut atoms_of_rule: Vec<Vec<usize>> = vec![Vec::new(); rules.len()];
    for &index in order {
        let mut atoms = Vec::new();
        collect_atoms(&rules[index].root, &mut atoms);
        for &(target, _) in &references[index] {
            atoms.extend_from_slice(&atoms_of_rule[target]);
        }
        atoms.sort_unstable();
        atoms.dedup();
        atoms_of_rule[index] = atoms;
    }
    let mut by_atom = vec![Vec::new(); atom_count];
    for (rule, atoms) in atoms_of_rule.iter().enumerate() {
        for &atom in atoms {
            by_atom[atom].push(rule);
        }
    }
    by_atom
}

/// The atoms of a rule tree (not those behind its references).
pub(super) fn collect_atoms(node: &Node, out: &mut Vec<usize>) {
    match &node.kind {
        CompiledKind::Atom(atom) => out.push(*atom),
        CompiledKind::Ref(_) => {}
        CompiledKind::Not(inner) => collect_atoms(inner, out),
        CompiledKind::And(items) => items.iter().for_each(|item| collect_atoms(item, out)),
        CompiledKind::Or(alternatives) => alternatives
            .items
            .iter()
            .for_each(|item| collect_atoms(item, out)),
        CompiledKind::Call { left, right, .. } => {
            collect_atoms(left, out);
            collect_atoms(right, out);
        }
        CompiledKind::Polarity { inner, .. } => collect_atoms(inner, out),
    }
}

/// A word that matches a run of a compound's parts: `words[word]`, at `bytes` of the compound.
#[derive(Debug, Clone, Copy)]
pub(super) struct InsideCompound {
    pub(super) word: usize,
    pub(super) bytes: (usize, usize),
}

/// For each compound of the analyzer, the words of two characters or more whose tokens equal a
/// run of its parts (base forms and parts of speech as a word matches tokens); compounds no word
/// matches are left out.
pub(super) fn words_inside_compounds(
    compounds: &[Compound],
    words: &[WordAtom],
) -> FxHashMap<String, Vec<InsideCompound>> {
    let mut inside: FxHashMap<String, Vec<InsideCompound>> = FxHashMap::default();
    for compound in compounds {
        let parts = &compound.parts;
        if parts.len() < 2 {
            continue;
        }
        for (index, word) in words.iter().enumerate() {
            let length = word.bases.len();
            if length >= parts.len() || word.spelling.chars().nth(1).is_none() {
                continue;
            }
            for start in 0..=parts.len() - length {
                let run = &parts[start..start + length];
                if run
                    .iter()
                    .zip(&word.bases)
                    .all(|(part, base)| part.base == *base && pos_matches(&part.pos, &word.pos))
                {
                    inside
                        .entry(compound.surface.clone())
                        .or_default()
                        .push(InsideCompound {
                            word: index,
                            bytes: (run[0].normalized_start, run[length - 1].normalized_end),
                        });
                }
            }
        }
    }
    inside
}

/// What a text of the program's automaton stands for.
#[derive(Clone, Copy)]
pub(super) enum TextTarget {
    /// The spelling of `words[index]`.
    Word(usize),
    /// The text of a literal atom.
    Literal(usize),
    /// A required text of `regexes[index]`: the regex may match the answer.
    Regex(usize),
}

/// One automaton over distinct texts, and for each of its pattern ids the items with that text.
pub(super) fn automaton<'t, T>(
    items: impl Iterator<Item = (&'t str, T)>,
    first_rule: &str,
) -> Result<(Option<AhoCorasick>, Vec<Vec<T>>), CompileError> {
    let mut patterns: Vec<&str> = Vec::new();
    let mut by_pattern: Vec<Vec<T>> = Vec::new();
    let mut pattern_ids: HashMap<&str, usize> = HashMap::new();
    for (text, item) in items {
        let id = *pattern_ids.entry(text).or_insert_with(|| {
            patterns.push(text);
            by_pattern.push(Vec::new());
            patterns.len() - 1
        });
        by_pattern[id].push(item);
    }
    if patterns.is_empty() {
        return Ok((None, by_pattern));
    }
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
        .map_err(|err| CompileError {
            rule: first_rule.to_string(),
            error: ParseError::at(
                "",
                0,
                format!("the words and literals of these rules are too many: {err}"),
                &[],
            ),
        })?;
    Ok((Some(automaton), by_pattern))
}

/// Rule indexes in an order where every rule comes after the rules it refers to; an error names
/// the first cycle found.
pub(super) fn evaluation_order(
    rules: &[Rule],
    references: &[Vec<(usize, Span)>],
) -> Result<Vec<usize>, CompileError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; rules.len()];
    let mut order = Vec::with_capacity(rules.len());
    for root in 0..rules.len() {
        if marks[root] != Mark::New {
            continue;
        }
        // Depth-first, iteratively: (rule, index of its next reference to follow).
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        marks[root] = Mark::Open;
        while let Some(&mut (rule, ref mut next)) = stack.last_mut() {
            if let Some(&(target, span)) = references[rule].get(*next) {
                *next += 1;
                match marks[target] {
                    Mark::Done => {}
                    Mark::New => {
                        marks[target] = Mark::Open;
                        stack.push((target, 0));
                    }
                    Mark::Open => {
                        let from = stack
                            .iter()
                            .position(|&(open, _)| open == target)
                            .unwrap_or(0);
                        let mut cycle: Vec<&str> = stack[from..]
                            .iter()
                            .map(|&(open, _)| rules[open].id.as_str())
                            .collect();
                        cycle.push(rules[target].id.as_str());
                        let source = &rules[rule].source;
                        return Err(CompileError {
                            rule: rules[rule].id.clone(),
                            error: ParseError::at(
                                source,
                                span.start,
                                format!(
                                    "`{}` makes a cycle of references: {}; a rule cannot \
                                     depend on itself",
                                    span.text(source),
                                    cycle.join(" → ")
                                ),
                                &[],
                            ),
                        });
                    }
                }
            } else {
                marks[rule] = Mark::Done;
                order.push(rule);
                stack.pop();
            }
        }
    }
    Ok(order)
}

impl Program {
    /// Compiles `rules`, each `(rule id, expression source)`.
    ///
    /// Parses every expression, checks that each `@reference` names a rule of `rules` and that
    /// no rule depends on itself (the error names the cycle), compiles regexes and analyzes
    /// words with `analyzer`, which must be the analyzer the answers go through.
    pub fn compile(
        analyzer: &Analyzer,
        rules: &[(String, String)],
    ) -> Result<Program, CompileError> {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (index, (id, source)) in rules.iter().enumerate() {
            if ids.insert(id.as_str(), index).is_some() {
                return Err(CompileError {
                    rule: id.clone(),
                    error: ParseError::at(
                        source,
                        0,
                        format!("the rule id `{id}` is used twice"),
                        &[],
                    ),
                });
            }
        }
        let mut compiler = Compiler {
            analyzer,
            ids,
            atoms: Vec::new(),
            atom_index: HashMap::new(),
            words: Vec::new(),
            literal_texts: Vec::new(),
            regexes: Vec::new(),
            warnings: Vec::new(),
        };
        let mut warnings = Vec::new();
        let mut compiled = Vec::with_capacity(rules.len());
        let mut references = Vec::with_capacity(rules.len());
        for (id, source) in rules {
            let wrap = |error: ParseError| CompileError {
                rule: id.clone(),
                error,
            };
            let expr = parse(source).map_err(wrap)?;
            let mut refs = Vec::new();
            let root = compiler.node(&expr, source, &mut refs).map_err(wrap)?;
            warnings.extend(compiler.warnings.drain(..).map(wrap));
            let token_spans = lex(source)
                .map(|tokens| tokens.into_iter().map(|token| token.span).collect())
                .unwrap_or_default();
            compiled.push(Rule {
                id: id.clone(),
                source: source.clone(),
                token_spans,
                root,
            });
            references.push(refs);
        }
        let order = evaluation_order(&compiled, &references)?;

        let mut words_by_first_base: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (index, word) in compiler.words.iter().enumerate() {
            if let Some(first) = word.bases.first() {
                words_by_first_base
                    .entry(first.clone())
                    .or_default()
                    .push(index);
            }
        }
        let inside_compounds = words_inside_compounds(analyzer.compounds(), &compiler.words);
        let unsplit_compounds = analyzer
            .compounds()
            .iter()
            .filter(|compound| compound.parts.len() < 2)
            .map(|compound| compound.surface.clone())
            .collect();
        let rules_by_atom = rules_by_atom(&compiled, &references, &order, compiler.atoms.len());
        let first_rule = compiled.first().map_or("", |rule| rule.id.as_str());
        let spellings = compiler
            .words
            .iter()
            .enumerate()
            .map(|(index, word)| (word.spelling.as_str(), TextTarget::Word(index)));
        let literals = compiler
            .literal_texts
            .iter()
            .map(|(atom, text)| (text.as_str(), TextTarget::Literal(*atom)));
        let mut required = Vec::new();
        let mut unfiltered_regexes = Vec::new();
        for (index, (_, regex)) in compiler.regexes.iter().enumerate() {
            match required_texts(regex.as_str()) {
                Some(texts) => required.extend(texts.into_iter().map(|text| (text, index))),
                None => unfiltered_regexes.push(index),
            }
        }
        let required = required
            .iter()
            .map(|(text, index)| (text.as_str(), TextTarget::Regex(*index)));
        let (texts, text_targets) =
            automaton(spellings.chain(literals).chain(required), first_rule)?;
        let regex_set = match unfiltered_regexes.len() {
            0 | 1 => None,
            _ => Some(
                RegexSetBuilder::new(
                    unfiltered_regexes
                        .iter()
                        .map(|&index| compiler.regexes[index].1.as_str()),
                )
                .case_insensitive(true)
                .build()
                // Each pattern compiled alone above; together they only fail on size.
                .map_err(|err| CompileError {
                    rule: first_rule.to_string(),
                    error: ParseError::at("", 0, format!("the regexes together: {err}"), &[]),
                })?,
            ),
        };
        let mut program = Program {
            rules: compiled,
            order,
            atoms: compiler.atoms,
            words: compiler.words,
            words_by_first_base,
            inside_compounds,
            unsplit_compounds,
            texts,
            text_targets,
            regexes: compiler.regexes,
            unfiltered_regexes,
            regex_set,
            rules_by_atom,
            idle_results: Vec::new(),
            warnings,
        };
        let no_occurrences = vec![Vec::new(); program.atoms.len()];
        program.idle_results = program
            .evaluate_rules(&no_occurrences, None)
            .into_iter()
            .map(|state| state.matched)
            .collect();
        Ok(program)
    }

    /// Problems that did not stop compiling, each with its rule and place: a `syn(word)` whose
    /// word the thesaurus has no synonyms for (it matches the word alone).
    pub fn warnings(&self) -> &[CompileError] {
        &self.warnings
    }

    /// The rule ids, in the order given to [`Program::compile`].
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|rule| rule.id.as_str())
    }

    /// The index of the rule `id`.
    pub fn rule_index(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|rule| rule.id == id)
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}
