//! Search by meaning: what a query word finds besides itself.
//!
//! At query time (the index is unchanged) each word of a query, unless it is a `"phrase"`,
//! stands for:
//!
//! 1. **itself** as typed — matched as always (base forms, notation variants, inside compounds);
//! 2. **its synonyms** from the thesaurus ([`crate::thesaurus`]): at most [`MAX_SYNONYMS`]
//!    words, each matched like a typed word — except that a synonym written in katakana or
//!    Latin letters matches whole words only, not inside longer ones (カスタマ, a spelling of
//!    カスタマー, is not found in カスタマイズ). Another spelling of the word itself (the same
//!    lexeme: ハンコ for 判子) weighs [`SAME_LEXEME_BOOST`] of a typed word's score, another
//!    word [`SYNONYM_BOOST`];
//! 3. **the categories it names** ([`Concepts`]): a label names its category's concepts, one
//!    per part — the label cut at 、・／ and commas, a part in parentheses left out (a
//!    qualifier): 「人材・専門知識不足」 is 人材 and 専門知識不足, 「人材不足、多忙」 is 人材不足 and
//!    多忙. A query word names the category when the word, or one of its synonyms, says all of
//!    one part: each content word of the part (nouns, verbs, adjectives, by base form) is one of
//!    the word's. So 忙しい names 「人材不足、多忙」 through its synonym 多忙, 人手不足 names both
//!    「人材・専門知識不足」 and 「人材不足、多忙」 through its synonym 人材不足, and 補助金 names
//!    「補助金等」; but 費用 does not name 「手間・費用が掛かる」 (費用 says only half of 費用が掛かる,
//!    whose answers may be about effort) and 経営者 does not name 「意識の向上（経営者・従業員）」.
//!    A word that names more than [`MAX_CATEGORIES_PER_WORD`] categories (distinct labels)
//!    names none: it says nothing about any one of them. The category's answers are those of
//!    its scheme's questions with the category in the index.
//!
//!    The words of a category's rule do not name it: a rule lists cue words that say something
//!    only in context (時間, 対応, 難しい in 「セキュリティ対策実施における課題」). In a first
//!    version that let them, every category a rule word named on the concept queries of
//!    `corpus/ipa-2024/concept-queries.tsv` brought answers unrelated to the query.
//!
//! Hits are ranked in tiers: answers that have every query word as typed first (what `--exact`
//! finds, in the same order), then answers that needed a synonym, then answers found only
//! through a category; within a tier by score. A hit says which words matched (typed or
//! synonym) and, when a category brought it, which one (「カテゴリ『…』に該当」).
//!
//! An excluded word (`-word`) excludes its synonyms too, not the categories it names; a phrase
//! is searched as written.

use rustc_hash::FxHashSet;

use crate::analyze::{Analyzer, Token};
use crate::normalize::is_katakana;
use crate::rules::scheme::SchemeOutline;
use crate::thesaurus::{Thesaurus, WordClass};

use super::highlight::{kept_tokens, Pattern};
use super::query::Term;

/// Synonyms searched for one query word at most (the thesaurus's groups are ordered, the
/// word's own lexeme first).
pub const MAX_SYNONYMS: usize = 24;
/// A word that names more categories (distinct labels) than this names none.
pub const MAX_CATEGORIES_PER_WORD: usize = 3;
/// Weight of a match of another spelling of the typed word (same lexeme).
pub const SAME_LEXEME_BOOST: f32 = 0.8;
/// Weight of a match of a synonym.
pub const SYNONYM_BOOST: f32 = 0.5;

/// A word as the thesaurus and the categories see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordForms {
    /// The word normalized.
    pub normalized: String,
    /// The base forms of the tokens a search looks for (inflection dropped), joined.
    pub joined: String,
    /// The base forms of its content words (nouns, verbs, adjectives).
    pub content: Vec<String>,
    /// The class of its last token (体言 for a noun, 用言 for a verb or adjective).
    pub class: Option<WordClass>,
}

impl WordForms {
    /// Analyzes `text` as a query word (not a phrase).
    pub fn of(analyzer: &Analyzer, text: &str) -> WordForms {
        let analysis = analyzer.analyze(text);
        let kept = kept_tokens(&analysis, false);
        WordForms {
            normalized: analysis.normalized.text.clone(),
            joined: kept.iter().map(|(_, token)| token.base.as_ref()).collect(),
            content: kept
                .iter()
                .filter(|(_, token)| is_content(token))
                .map(|(_, token)| token.base.to_string())
                .collect(),
            class: kept
                .last()
                .and_then(|(_, token)| WordClass::of_pos(&token.pos)),
        }
    }

    /// The texts the thesaurus is asked for: the normalized word and its joined base forms.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = vec![self.normalized.clone()];
        if !self.joined.is_empty() && self.joined != self.normalized {
            keys.push(self.joined.clone());
        }
        keys
    }
}

/// Whether a token carries meaning of its own: a noun (not a pronoun, number, suffix or
/// dependent noun: 者 in 経営者 and 等 in 補助金等 are not), a verb or an adjective (not
/// dependent).
fn is_content(token: &Token) -> bool {
    let pos = token.pos.as_ref();
    match token.major_pos() {
        "名詞" => !["非自立", "代名詞", "数", "接尾"]
            .iter()
            .any(|level| pos.contains(level)),
        "動詞" | "形容詞" => !pos.contains("非自立"),
        _ => false,
    }
}

/// One category as a concept: the content words of each part of its label.
#[derive(Debug, Clone)]
pub struct Concept {
    pub scheme: String,
    pub questions: Vec<String>,
    pub category: String,
    pub label: String,
    /// Per part of the label, the base forms of its content words (parts without any left out).
    parts: Vec<Vec<String>>,
}

/// The categories of a rule set, as concepts a query word can name.
#[derive(Debug, Clone, Default)]
pub struct Concepts {
    list: Vec<Concept>,
}

/// A category a query word names, and the word that says a part of its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConceptMatch {
    /// Index into [`Concepts::get`].
    pub concept: usize,
    /// The query word or the synonym of it that names the category.
    pub via: String,
}

impl Concepts {
    /// The categories of every scheme, with labels analyzed by `analyzer`.
    pub fn new(schemes: &[SchemeOutline], analyzer: &Analyzer) -> Concepts {
        let mut list = Vec::new();
        for scheme in schemes {
            for category in &scheme.categories {
                let parts = label_parts(&category.label)
                    .iter()
                    .map(|part| WordForms::of(analyzer, part).content)
                    .filter(|content| !content.is_empty())
                    .collect();
                list.push(Concept {
                    scheme: scheme.id.clone(),
                    questions: scheme.questions.clone(),
                    category: category.id.clone(),
                    label: category.label.clone(),
                    parts,
                });
            }
        }
        Concepts { list }
    }

    pub fn get(&self, index: usize) -> &Concept {
        &self.list[index]
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The categories `word` names, given its synonyms (see the module documentation), each
    /// once with the first word that names it: the query word before its synonyms.
    pub fn named_by(&self, word: &WordForms, synonyms: &[WordForms]) -> Vec<ConceptMatch> {
        let mut found: Vec<ConceptMatch> = Vec::new();
        for (index, concept) in self.list.iter().enumerate() {
            let naming = std::iter::once(word)
                .chain(synonyms)
                .find(|forms| concept.parts.iter().any(|part| says(forms, part)));
            if let Some(forms) = naming {
                found.push(ConceptMatch {
                    concept: index,
                    via: forms.normalized.clone(),
                });
            }
        }
        let labels: FxHashSet<&str> = found
            .iter()
            .map(|found| self.list[found.concept].label.as_str())
            .collect();
        if labels.len() > MAX_CATEGORIES_PER_WORD {
            return Vec::new();
        }
        found
    }
}

/// The parts of a label: cut at 、，,・／/, parts in parentheses left out.
fn label_parts(label: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0usize;
    for ch in label.chars() {
        match ch {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '、' | '，' | ',' | '・' | '／' | '/' => parts.push(String::new()),
            _ => {
                if let Some(last) = parts.last_mut() {
                    last.push(ch);
                }
            }
        }
    }
    parts.retain(|part| !part.trim().is_empty());
    parts
}

/// Whether a word (of two characters or more) says all of a label's part: each of the part's
/// content words is one of the word's.
fn says(forms: &WordForms, part: &[String]) -> bool {
    forms.normalized.chars().count() >= 2
        && !part.is_empty()
        && part.iter().all(|word| forms.content.contains(word))
}

/// A synonym searched for a query word.
#[derive(Debug, Clone)]
pub struct Alternative {
    /// As the thesaurus has it (normalized).
    pub word: String,
    /// As the thesaurus writes it, to show.
    pub written: String,
    pub pattern: Pattern,
    /// Another spelling of the query word itself.
    pub same_lexeme: bool,
    /// The thesaurus group it comes from.
    pub source: crate::thesaurus::GroupSource,
}

/// What one query word stands for (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Expansion {
    pub synonyms: Vec<Alternative>,
    pub concepts: Vec<ConceptMatch>,
}

/// The synonyms and categories of the query word `term` (not a phrase), whose own pattern is
/// `typed`.
pub fn expand(
    analyzer: &Analyzer,
    thesaurus: &Thesaurus,
    concepts: Option<&Concepts>,
    term: &Term,
    typed: &Pattern,
) -> Expansion {
    if term.phrase {
        return Expansion::default();
    }
    let forms = WordForms::of(analyzer, &term.text);
    let mut synonyms: Vec<Alternative> = Vec::new();
    let mut synonym_forms: Vec<WordForms> = Vec::new();
    for synonym in thesaurus.synonyms(&forms.keys(), forms.class) {
        if synonyms.len() >= MAX_SYNONYMS {
            break;
        }
        let mut pattern = Pattern::new(
            analyzer,
            &Term {
                text: synonym.word.to_string(),
                phrase: false,
                column: term.column,
            },
        );
        // A synonym written in katakana or Latin letters matches whole words only: as
        // characters it would be found inside other words (カスタマ, a spelling of カスタマー, in
        // カスタマイズ; FORM in INFORMATION).
        if synonym
            .word
            .chars()
            .all(|ch| ch.is_ascii() || is_katakana(ch) || ch == '・')
        {
            pattern.spellings.clear();
        }
        if pattern.is_empty()
            || pattern == *typed
            || synonyms.iter().any(|known| known.pattern == pattern)
        {
            continue;
        }
        synonym_forms.push(WordForms::of(analyzer, &synonym.word));
        synonyms.push(Alternative {
            word: synonym.word.to_string(),
            written: synonym.written,
            pattern,
            same_lexeme: synonym.same_lexeme,
            source: synonym.source,
        });
    }
    let mut concepts = concepts
        .map(|concepts| concepts.named_by(&forms, &synonym_forms))
        .unwrap_or_default();
    // Shown as typed, or as the thesaurus writes the synonym.
    for found in &mut concepts {
        found.via = match synonyms.iter().find(|synonym| synonym.word == found.via) {
            Some(synonym) => synonym.written.clone(),
            None => term.text.clone(),
        };
    }
    Expansion { synonyms, concepts }
}
