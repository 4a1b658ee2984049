//! Compiling rules into a [`Program`] and evaluating it on analyzed answers.
//!
//! Compiling parses every rule, resolves `@references` (unknown ids and cycles are errors),
//! analyzes every word with the same [`Analyzer`] as the answers, and gathers the distinct
//! atoms (words, literals, regexes) of all rules. Evaluating one answer then costs about one
//! pass over its tokens: each atom's occurrences are found once (words through a map from base
//! form to the words starting with it, all literals and word spellings through one
//! Aho-Corasick automaton, the regexes through one set), and the rule trees are evaluated over those occurrences in dependency order, so
//! a referenced rule is evaluated once per answer. A rule none of whose atoms occur (directly or
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

use std::cell::RefCell;
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexSet, RegexSetBuilder};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::ast::{Expr, ExprKind, Function, Span};
use super::error::{CompileError, ParseError};
use super::lexer::lex;
use super::parser::{build_regex, parse};
use crate::analyze::{Analysis, Analyzer, Compound, Token};
use crate::normalize::normalize;

/// Rules compiled together: they may refer to each other with `@id`. Build once, evaluate from
/// any number of threads.
pub struct Program {
    rules: Vec<Rule>,
    /// Rule indexes, each after every rule it refers to.
    order: Vec<usize>,
    atoms: Vec<Atom>,
    words: Vec<WordAtom>,
    /// Base form of a word's first token → indexes into `words`.
    /// Looked up once per token of every answer: FxHash, as SipHash showed in profiles.
    words_by_first_base: FxHashMap<String, Vec<usize>>,
    /// Surface of a user-dictionary compound → the words that match a run of its IPADIC parts,
    /// with that run's byte range inside the surface (標的型 in 標的型メール).
    inside_compounds: FxHashMap<String, Vec<InsideCompound>>,
    /// The user-dictionary compounds IPADIC cannot split either (セキュリティポリシ): inside them,
    /// and inside words no dictionary knows (マイナンバーカード), a word matches where its spelling
    /// occurs.
    unsplit_compounds: FxHashSet<String>,
    /// One automaton over the normalized spellings of all words and the texts of all literals,
    /// so the answer is scanned once for both; pattern id → what has that text. A word also
    /// matches a run of whole tokens that spells it, which the analyzer may split differently
    /// in context (`見にくい` alone is one token, in サイトが見にくい it is 見 + にくい).
    texts: Option<AhoCorasick>,
    text_targets: Vec<Vec<TextTarget>>,
    regexes: Vec<(usize, Regex)>,
    /// Every regex of `regexes` in one set: one pass over the text tells which of them to run
    /// for their positions (most answers match none).
    regex_set: Option<RegexSet>,
    /// Atom → the rules that contain it, directly or through `@references`: only they can have
    /// another result than on an answer without atoms.
    rules_by_atom: Vec<Vec<usize>>,
    /// Each rule's result on an answer in which no atom occurs.
    idle_results: Vec<bool>,
    /// Problems that did not stop compiling (see [`Program::warnings`]).
    warnings: Vec<CompileError>,
}

thread_local! {
    /// Occurrence lists, one per atom, kept between the answers a thread evaluates: a program
    /// has hundreds of atoms, and allocating their lists for every answer showed in profiles.
    /// Only the lists of the atoms that occurred are filled, and emptied after the answer.
    static OCCURRENCE_LISTS: RefCell<Vec<Vec<Occurrence>>> = const { RefCell::new(Vec::new()) };
}

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

struct Rule {
    id: String,
    source: String,
    /// The spans of the source's tokens, to show a node without comments and line breaks.
    token_spans: Vec<Span>,
    root: Node,
}

struct Node {
    kind: CompiledKind,
    span: Span,
    /// For `syn(word)` (compiled to an `|` of atoms): the word and its synonyms, for `explain`.
    synonyms: Option<Box<SynonymsOf>>,
}

/// What `syn(word)` was compiled from.
struct SynonymsOf {
    word: String,
    /// Each synonym as written, and the group it comes from.
    synonyms: Vec<(String, String)>,
}

/// The children of an `|`. Rules are mostly long `|` lists of words and literals, so the atom
/// children are also kept apart as plain ids: checking them is a tight loop over occurrence
/// lists instead of a recursive call per child, which profiles showed dominating `evaluate`.
struct Alternatives {
    items: Vec<Node>,
    /// Atom ids of the children that are atoms.
    atoms: Vec<usize>,
    /// Indices into `items` of the children that are not atoms.
    others: Vec<usize>,
}

impl Alternatives {
    fn new(items: Vec<Node>) -> Alternatives {
        let mut atoms = Vec::new();
        let mut others = Vec::new();
        for (index, item) in items.iter().enumerate() {
            match item.kind {
                CompiledKind::Atom(atom) => atoms.push(atom),
                _ => others.push(index),
            }
        }
        Alternatives {
            items,
            atoms,
            others,
        }
    }
}

enum CompiledKind {
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
enum AtomKind {
    Word,
    Literal,
    Regex,
}

struct Atom {
    /// As written in the rule.
    term: String,
    kind: AtomKind,
}

struct WordAtom {
    atom: usize,
    /// The potential form of the word's last verb, when the dictionary has one (see
    /// `Compiler::potential_form`); only `explain` reads it.
    potential: Option<String>,
    /// The word normalized, as it would appear in normalized answer text.
    spelling: String,
    bases: Vec<String>,
    /// Part-of-speech levels every token of the word must start with.
    pos: Vec<String>,
}

/// Where an atom occurs in one answer: a token range and a byte range of the normalized text,
/// and whether the last token it overlaps is negated (never, when it overlaps none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Occurrence {
    tokens: (usize, usize),
    bytes: (usize, usize),
    negated: bool,
}

impl Occurrence {
    /// The occurrence covering the tokens `tokens` (a half-open range of `all`).
    fn new(all: &[Token], tokens: (usize, usize), bytes: (usize, usize)) -> Occurrence {
        let negated = tokens.1 > tokens.0 && all.get(tokens.1 - 1).is_some_and(|last| last.negated);
        Occurrence {
            tokens,
            bytes,
            negated,
        }
    }
}

/// One occurrence of one atom: (atom index, index into that atom's occurrences).
type EvidenceId = (u32, u32);

/// A position in the answer with the evidence behind it (an atom occurrence, or a near/seq
/// pair spanning both its members).
struct Position {
    tokens: (usize, usize),
    bytes: (usize, usize),
    evidence: PositionEvidence,
}

impl Position {
    /// Whether an atom occurrence behind the position is negated: the occurrence's negation, and
    /// for a pair whether either member is negated. (Read from the evidence rather than kept in
    /// the position: positions are built for every near/seq of every answer, and a field more
    /// showed in instruction counts of rules that use no neg/pos.)
    fn negated(&self, occurrences: &[Vec<Occurrence>]) -> bool {
        let negated =
            |&(atom, index): &EvidenceId| occurrences[atom as usize][index as usize].negated;
        match &self.evidence {
            PositionEvidence::One(id) => negated(id),
            PositionEvidence::Many(ids) => ids.iter().any(negated),
        }
    }
}

enum PositionEvidence {
    One(EvidenceId),
    Many(Vec<EvidenceId>),
}

impl PositionEvidence {
    fn extend_into(&self, out: &mut Vec<EvidenceId>) {
        match self {
            PositionEvidence::One(id) => out.push(*id),
            PositionEvidence::Many(ids) => out.extend_from_slice(ids),
        }
    }
}

/// The result of one rule on one answer, before evidence is turned into text.
#[derive(Default, Clone)]
struct RuleState {
    matched: bool,
    evidence: Vec<EvidenceId>,
}

/// Builds a program: interns atoms and resolves references while converting trees.
struct Compiler<'a> {
    analyzer: &'a Analyzer,
    ids: HashMap<&'a str, usize>,
    atoms: Vec<Atom>,
    atom_index: HashMap<(AtomKind, String), usize>,
    words: Vec<WordAtom>,
    literal_texts: Vec<(usize, String)>,
    regexes: Vec<(usize, Regex)>,
    /// Problems that do not stop compiling: a `syn()` word without synonyms. The rule id is
    /// filled in by [`Program::compile`].
    warnings: Vec<ParseError>,
}

impl Compiler<'_> {
    /// The atom of a word: `term` as written in the rule, `text` analyzed into the base forms it
    /// matches, `pos` the part-of-speech condition. `None` when the text has no tokens.
    fn word_atom(&mut self, term: &str, text: &str, pos: &[String]) -> Option<usize> {
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
    fn synonyms(
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

    fn intern(&mut self, kind: AtomKind, term: &str) -> (usize, bool) {
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
    fn potential_form(&self, bases: &[String]) -> Option<String> {
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
    fn node(
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
        let (texts, text_targets) = automaton(spellings.chain(literals), first_rule)?;
        let regex_set = match compiler.regexes.len() {
            0 | 1 => None,
            _ => Some(
                RegexSetBuilder::new(compiler.regexes.iter().map(|(_, regex)| regex.as_str()))
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
    fn outcomes(
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
                states: &states,
                analysis,
                original_text,
                source: &rule.source,
                token_spans: &rule.token_spans,
            };
            self.explain_node(&rule.root, &context, &mut chars)
        })
    }

    fn explain_node(
        &self,
        node: &Node,
        context: &ExplainContext,
        chars: &mut CharOffsets,
    ) -> ExplainNode {
        let mut ids = Vec::new();
        let matched = self.eval(node, context.occurrences, context.states, true, &mut ids);
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
    fn word_notes(
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

    /// Calls `with` with every atom's occurrences in the answer (one list per atom, each in
    /// text order) and the atoms that occur.
    fn with_occurrences<R>(
        &self,
        analysis: &Analysis,
        with: impl FnOnce(&mut [Vec<Occurrence>], &[usize]) -> R,
    ) -> R {
        // Taken out of the thread's slot, so a panic in `with` only loses the lists.
        let mut lists = OCCURRENCE_LISTS.with(|lists| std::mem::take(&mut *lists.borrow_mut()));
        if lists.len() < self.atoms.len() {
            lists.resize_with(self.atoms.len(), Vec::new);
        }
        let mut found = Found {
            lists: &mut lists[..self.atoms.len()],
            present: Vec::new(),
        };
        self.find_occurrences(analysis, &mut found);
        let Found {
            lists: occurrences,
            present,
        } = found;
        let result = with(&mut *occurrences, &present);
        for &atom in &present {
            occurrences[atom].clear();
        }
        OCCURRENCE_LISTS.with(|slot| *slot.borrow_mut() = lists);
        result
    }

    /// Fills `found` with the occurrences of every atom in the answer, each list in text order.
    fn find_occurrences(&self, analysis: &Analysis, found: &mut Found) {
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
        let matching_regexes = self.regex_set.as_ref().map(|set| set.matches(text));
        for (index, (atom, regex)) in self.regexes.iter().enumerate() {
            if matching_regexes
                .as_ref()
                .is_some_and(|matching| !matching.matched(index))
            {
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
        for &atom in &found.present {
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
    fn unsplit_token(&self, tokens: &[Token], bytes: (usize, usize)) -> Option<usize> {
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

    /// Every rule's result, computed in dependency order so `@references` are looked up. With
    /// `present` (the atoms that occur), only the rules that contain one of them are evaluated;
    /// the others keep their result on an answer without atoms.
    fn evaluate_rules(
        &self,
        occurrences: &[Vec<Occurrence>],
        present: Option<&[usize]>,
    ) -> Vec<RuleState> {
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
    /// appended to `out`; a false node leaves `out` as it was.
    fn eval(
        &self,
        node: &Node,
        occurrences: &[Vec<Occurrence>],
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
            CompiledKind::Not(inner) => !self.eval(inner, occurrences, states, false, out),
            CompiledKind::And(items) => {
                let mark = out.len();
                for item in items {
                    if !self.eval(item, occurrences, states, want_evidence, out) {
                        out.truncate(mark);
                        return false;
                    }
                }
                true
            }
            CompiledKind::Or(alternatives) => {
                let mut any = false;
                for &atom in &alternatives.atoms {
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
                let left = self.positions(left, occurrences);
                if left.is_empty() {
                    return false;
                }
                let right = self.positions(right, occurrences);
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
                let positions = self.positions(node, occurrences);
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
    /// parser guarantees the arguments of near/seq/neg/pos are such nodes.
    fn positions(&self, node: &Node, occurrences: &[Vec<Occurrence>]) -> Vec<Position> {
        match &node.kind {
            CompiledKind::Atom(atom) => occurrences[*atom]
                .iter()
                .enumerate()
                .map(|(index, occurrence)| Position {
                    tokens: occurrence.tokens,
                    bytes: occurrence.bytes,
                    evidence: PositionEvidence::One((*atom as u32, index as u32)),
                })
                .collect(),
            CompiledKind::Or(alternatives) => alternatives
                .items
                .iter()
                .flat_map(|item| self.positions(item, occurrences))
                .collect(),
            CompiledKind::Call {
                ordered,
                left,
                right,
                distance,
            } => {
                let left = self.positions(left, occurrences);
                if left.is_empty() {
                    return Vec::new();
                }
                let right = self.positions(right, occurrences);
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
                    })
                    .collect()
            }
            CompiledKind::Polarity { negated, inner } => {
                let mut positions = self.positions(inner, occurrences);
                positions.retain(|position| position.negated(occurrences) == *negated);
                positions
            }
            CompiledKind::Ref(_) | CompiledKind::Not(_) | CompiledKind::And(_) => Vec::new(),
        }
    }

    /// Evidence ids as deduplicated text evidence, in text order.
    fn evidence(
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

/// What `explain` says of a `syn(word)` node: which synonyms matched (and from which group), or
/// which it looked for.
fn synonym_notes(of: &SynonymsOf, evidence: &[Evidence]) -> Vec<String> {
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

/// The occurrence lists being filled for one answer, and which atoms occur.
struct Found<'a> {
    lists: &'a mut [Vec<Occurrence>],
    present: Vec<usize>,
}

impl Found<'_> {
    fn push(&mut self, atom: usize, occurrence: Occurrence) {
        let list = &mut self.lists[atom];
        if list.is_empty() {
            self.present.push(atom);
        }
        list.push(occurrence);
    }
}

/// For each atom, the rules that contain it directly or through `@references` (`order` puts
/// every rule after the rules it refers to).
fn rules_by_atom(
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
fn collect_atoms(node: &Node, out: &mut Vec<usize>) {
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
struct InsideCompound {
    word: usize,
    bytes: (usize, usize),
}

/// For each compound of the analyzer, the words of two characters or more whose tokens equal a
/// run of its parts (base forms and parts of speech as a word matches tokens); compounds no word
/// matches are left out.
fn words_inside_compounds(
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
enum TextTarget {
    /// The spelling of `words[index]`.
    Word(usize),
    /// The text of a literal atom.
    Literal(usize),
}

/// The first and last token of the run of whole tokens covering exactly `bytes`, if there is one.
fn token_run(tokens: &[Token], bytes: (usize, usize)) -> Option<(usize, usize)> {
    let first = tokens.partition_point(|token| token.normalized_start < bytes.0);
    let last = tokens.partition_point(|token| token.normalized_end < bytes.1);
    let (first_token, last_token) = (tokens.get(first)?, tokens.get(last)?);
    (first_token.normalized_start == bytes.0
        && last_token.normalized_end == bytes.1
        && first <= last)
        .then_some((first, last))
}

/// One automaton over distinct texts, and for each of its pattern ids the items with that text.
fn automaton<'t, T>(
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

struct ExplainContext<'a> {
    occurrences: &'a [Vec<Occurrence>],
    states: &'a [RuleState],
    analysis: &'a Analysis,
    original_text: &'a str,
    source: &'a str,
    token_spans: &'a [Span],
}

/// The source of `span` on one line: its tokens, one space where the source had white space,
/// line breaks or comments between them (none just inside parentheses).
fn compact_text(source: &str, token_spans: &[Span], span: Span) -> String {
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

/// Rule indexes in an order where every rule comes after the rules it refers to; an error names
/// the first cycle found.
fn evaluation_order(
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

/// Whether a token's part of speech starts with the condition's levels.
fn pos_matches(token_pos: &str, condition: &[String]) -> bool {
    let mut levels = token_pos.split(',');
    condition
        .iter()
        .all(|wanted| levels.next() == Some(wanted.as_str()))
}

/// The tokens overlapping a byte range of the normalized text (an empty range at the next
/// token when none does).
fn token_range(tokens: &[Token], bytes: (usize, usize)) -> (usize, usize) {
    let first = tokens.partition_point(|token| token.normalized_end <= bytes.0);
    let end = tokens.partition_point(|token| token.normalized_start < bytes.1);
    (first, end.max(first))
}

/// Whether `b` comes after `a` with at most `distance` tokens between them.
fn follows(a: &Position, b: &Position, distance: usize) -> bool {
    b.bytes.0 >= a.bytes.1 && b.tokens.0.saturating_sub(a.tokens.1) <= distance
}

fn within(a: &Position, b: &Position, distance: usize, ordered: bool) -> bool {
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
fn pairs(
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
struct CharOffsets<'a> {
    text: &'a str,
    /// (byte offset, character offset) pairs seen so far, sorted by byte offset.
    known: Vec<(usize, usize)>,
}

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> CharOffsets<'a> {
        CharOffsets {
            text,
            known: vec![(0, 0)],
        }
    }

    /// The character offset of byte `offset` (characters starting before it).
    fn at(&mut self, offset: usize) -> usize {
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
