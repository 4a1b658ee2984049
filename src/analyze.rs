//! The analyzer: one shared function from answer text to tokens.
//!
//! Classification, indexing and `jiyu tokenize` all call [`Analyzer::analyze`], so a rule, a
//! search query and the index always see the same tokens. The text is normalized first
//! (see [`crate::normalize`]); token offsets point into the original text. Spelling variants are
//! unified on the tokens (see [`crate::variants`]), and then the tokens of negated predicates are
//! marked (see [`crate::negation`]).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_dictionary::dictionary::DetailFields;
use lindera_dictionary::viterbi::Lattice;
use rustc_hash::FxHashMap;

use crate::dictionary::{system_dictionary, user_dictionary};
use crate::error::Result;
use crate::negation::mark_negation;
use crate::normalize::{normalize, Normalized};
use crate::thesaurus::Thesaurus;
use crate::variants::{parse_groups, Variants, BUILTIN_VARIANTS};

pub use crate::token::Token;

/// Index of each field in IPADIC's detail columns (after surface and costs).
const DETAIL_POS: usize = 0;
const DETAIL_POS_DEPTH: usize = 4;
const DETAIL_BASE_FORM: usize = 6;
const DETAIL_READING: usize = 7;

/// The dictionary fields of a lindera token, read in place: lindera's own accessor allocates a
/// vector of them per token, which showed up in profiles of `classify`.
fn detail_fields<'a>(raw: &lindera::token::Token<'a>) -> DetailFields<'a> {
    let id = raw.word_id.id() as usize;
    if raw.word_id.is_unknown() {
        raw.dictionary.unknown_word_details_iter(id)
    } else if raw.word_id.is_system() {
        raw.dictionary.word_details_iter(id)
    } else {
        raw.user_dictionary
            .map_or_else(DetailFields::unk, |user| user.word_details_iter(id))
    }
}

/// What jiyu keeps of a dictionary entry: the same for every token the entry gives.
#[derive(Clone, Copy)]
struct EntryFields {
    /// The entry's spelling; `None` for unknown words, whose surface is the text itself.
    surface: Option<&'static str>,
    pos: &'static str,
    /// `None` when the dictionary has no base form (unknown words): the surface is used.
    base: Option<&'static str>,
    reading: &'static str,
}

impl EntryFields {
    fn read(raw: &lindera::token::Token<'_>) -> EntryFields {
        let mut pos = String::with_capacity(32);
        let mut base = None;
        let mut reading = "";
        for (index, field) in detail_fields(raw).enumerate().take(DETAIL_READING + 1) {
            match index {
                DETAIL_POS..DETAIL_POS_DEPTH => {
                    if index > DETAIL_POS {
                        pos.push(',');
                    }
                    pos.push_str(field);
                }
                DETAIL_BASE_FORM if field != "*" && !field.is_empty() => {
                    base = Some(intern(field));
                }
                DETAIL_READING if field != "*" => reading = intern(field),
                _ => {}
            }
        }
        EntryFields {
            surface: (!raw.word_id.is_unknown()).then(|| intern(&raw.surface)),
            pos: intern(&pos),
            base,
            reading,
        }
    }
}

/// The process's one copy of `text`, a string of a dictionary entry (surface, base form, part of
/// speech, reading). Copies are made once, when an entry is first met, and kept for the life of
/// the process: they are bounded by the dictionaries' size (IPADIC has 392,126 entries; a
/// survey meets a few thousand), and answer text itself never comes here.
fn intern(text: &str) -> &'static str {
    static STRINGS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut strings = STRINGS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(&kept) = strings.get(text) {
        return kept;
    }
    let kept: &'static str = Box::leak(text.into());
    strings.insert(kept);
    kept
}

/// A dictionary entry of one analyzer: (analyzer, dictionary — 0 system, 1 user, 2 unknown
/// words —, entry id).
type EntryKey = (u64, u8, u32);

/// Entries cached per thread; past this many the cache starts over, so memory stays bounded
/// whatever the input (answers use a few thousand distinct entries).
const ENTRY_CACHE_LIMIT: usize = 1 << 16;

/// Distinguishes analyzers in the per-thread entry cache: each may have its own user
/// dictionary, whose entry ids overlap.
static NEXT_ANALYZER_ID: AtomicU64 = AtomicU64::new(0);

/// An analyzed answer: its normalized text and tokens.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub normalized: Normalized,
    pub tokens: Vec<Token>,
}

/// A user-dictionary entry the analyzer keeps as one token (標的型メール, セキュリティポリシー): its
/// surface, and its parts as IPADIC alone segments it.
#[derive(Debug, Clone)]
pub struct Compound {
    /// The entry as it appears in normalized text.
    pub surface: String,
    /// IPADIC's tokens of the surface, spelling variants unified: several for 標的型メール, one
    /// where IPADIC cannot split it either (セキュリティポリシ, a run of katakana it does not
    /// know); `normalized_start`/`normalized_end` are byte offsets into `surface`.
    pub parts: Vec<Token>,
}

/// Turns text into tokens. Cheap to share between threads; build it once per run.
pub struct Analyzer {
    /// Unique in the process (see [`NEXT_ANALYZER_ID`]).
    id: u64,
    segmenter: Segmenter,
    /// Spelling variants unified on tokens (see [`crate::variants`]).
    variants: Variants,
    /// The user-dictionary entries kept as one token, in the user dictionary's order.
    compounds: Vec<Compound>,
    /// The thesaurus with the domain files given (`--synonyms`); `None`: the built-in one.
    thesaurus: Option<std::sync::Arc<Thesaurus>>,
}

thread_local! {
    /// Lindera's lattice is the tokenizer's scratch memory; reusing it per thread avoids
    /// allocating it for every answer.
    static LATTICE: RefCell<Lattice> = RefCell::new(Lattice::default());

    /// The fields of the dictionary entries this thread has met. Reading them from the
    /// dictionary means validating and splitting the entry's text for every token, which
    /// profiles showed costing a fifth of the analysis.
    static ENTRIES: RefCell<FxHashMap<EntryKey, EntryFields>> = RefCell::default();
}

impl Analyzer {
    /// IPADIC plus the built-in domain terms plus the rows of `extra_user_dictionaries`, with
    /// the built-in spelling variants (`dictionaries/variants.tsv`).
    pub fn new(extra_user_dictionaries: &[&Path]) -> Result<Analyzer> {
        let system = system_dictionary()?;
        let user = user_dictionary(&system, extra_user_dictionaries)?;
        let mut ipadic_alone = Analyzer {
            id: NEXT_ANALYZER_ID.fetch_add(1, Ordering::Relaxed),
            segmenter: Segmenter::new(Mode::Normal, system.clone(), None),
            variants: Variants::default(),
            compounds: Vec::new(),
            thesaurus: None,
        };
        let mut analyzer = Analyzer {
            id: NEXT_ANALYZER_ID.fetch_add(1, Ordering::Relaxed),
            segmenter: Segmenter::new(Mode::Normal, system, Some(user.dictionary)),
            variants: Variants::default(),
            compounds: Vec::new(),
            thesaurus: None,
        };
        let groups = parse_groups("built-in dictionaries/variants.tsv", BUILTIN_VARIANTS)?;
        // Variant forms are analyzed by this very analyzer (still without variants), so they
        // line up with the tokens of answers.
        let variants = Variants::new(&groups, |form| {
            analyzer
                .tokenize_normalized(&normalize(form))
                .into_iter()
                .map(|token| token.base.into_owned())
                .collect()
        });
        ipadic_alone.variants = variants.clone();
        analyzer.variants = variants;
        analyzer.compounds = user
            .surfaces
            .into_iter()
            .filter_map(|surface| {
                let normalized = normalize(&surface);
                (analyzer.tokenize_normalized(&normalized).len() == 1).then(|| Compound {
                    parts: ipadic_alone.tokenize_normalized(&normalized),
                    surface,
                })
            })
            .collect();
        Ok(analyzer)
    }

    /// The same analyzer with the groups and cuts of `files` (domain thesaurus files in
    /// `dictionaries/synonyms.tsv`'s format) added to the built-in thesaurus, for search by
    /// meaning, related words and `syn()` in rules. An unreadable or malformed file is an error
    /// naming it (and its line and column).
    pub fn with_synonyms(mut self, files: &[&Path]) -> Result<Analyzer> {
        if files.is_empty() {
            return Ok(self);
        }
        let mut texts = Vec::with_capacity(files.len());
        for path in files {
            let text = std::fs::read_to_string(path).map_err(|err| crate::Error::io(path, err))?;
            texts.push((path.display().to_string(), text));
        }
        self.thesaurus = Some(std::sync::Arc::new(crate::thesaurus::with_domain_files(
            &texts,
        )?));
        Ok(self)
    }

    /// The thesaurus of this analyzer: the built-in one, with the files of
    /// [`Analyzer::with_synonyms`] when there were any.
    pub fn thesaurus(&self) -> Result<&Thesaurus> {
        match &self.thesaurus {
            Some(thesaurus) => Ok(thesaurus),
            None => crate::thesaurus::builtin(),
        }
    }

    /// The user-dictionary entries this analyzer keeps as one token, so a rule word can also
    /// match a part of one (標的型 in 標的型メール).
    pub fn compounds(&self) -> &[Compound] {
        &self.compounds
    }

    /// Normalizes `text` and splits it into tokens.
    pub fn analyze(&self, text: &str) -> Analysis {
        let normalized = normalize(text);
        let tokens = self.tokenize_normalized(&normalized);
        Analysis { normalized, tokens }
    }

    /// Tokens of already normalized text; offsets are mapped back through `normalized`.
    /// Negation is marked after variants are unified, so a token merged from several is judged
    /// as the one token it has become.
    pub fn tokenize_normalized(&self, normalized: &Normalized) -> Vec<Token> {
        let mut tokens = self.variants.canonicalize(self.segment(normalized));
        mark_negation(&mut tokens);
        tokens
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
            ENTRIES.with(|entries| {
                let mut entries = entries.borrow_mut();
                if entries.len() > ENTRY_CACHE_LIMIT {
                    entries.clear();
                }
                raw_tokens
                    .iter()
                    .map(|raw| {
                        let (normalized_start, normalized_end) = (raw.byte_start, raw.byte_end);
                        let dictionary = if raw.word_id.is_unknown() {
                            2
                        } else {
                            u8::from(!raw.word_id.is_system())
                        };
                        let fields = *entries
                            .entry((self.id, dictionary, raw.word_id.id()))
                            .or_insert_with(|| EntryFields::read(raw));
                        // An entry's tokens are spelled as the entry; the comparison only
                        // guards that assumption.
                        let surface = match fields.surface {
                            Some(spelling) if spelling == raw.surface => Cow::Borrowed(spelling),
                            _ => Cow::Owned(raw.surface.to_string()),
                        };
                        let original = normalized.original_range(normalized_start..normalized_end);
                        Token {
                            base: fields.base.map_or_else(|| surface.clone(), Cow::Borrowed),
                            surface,
                            pos: Cow::Borrowed(fields.pos),
                            reading: Cow::Borrowed(fields.reading),
                            start: original.start,
                            end: original.end,
                            normalized_start,
                            normalized_end,
                            negated: false,
                        }
                    })
                    .collect()
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::Analyzer;

    #[test]
    fn dictionary_strings_are_shared_and_answer_text_is_owned() {
        let analyzer = Analyzer::new(&[]).expect("the built-in dictionaries load");
        let first = analyzer.analyze("研修を受けた");
        let second = analyzer.analyze("もっと研修がほしい");
        let training = |tokens: &[super::Token]| {
            tokens
                .iter()
                .find(|token| token.surface == "研修")
                .cloned()
                .expect("研修 is a token")
        };
        let (a, b) = (training(&first.tokens), training(&second.tokens));
        for (x, y) in [
            (&a.surface, &b.surface),
            (&a.pos, &b.pos),
            (&a.reading, &b.reading),
        ] {
            assert!(matches!((x, y), (Cow::Borrowed(_), Cow::Borrowed(_))));
            assert!(std::ptr::eq(x.as_ptr(), y.as_ptr()), "one copy of {x}");
        }
        assert_eq!(
            (a.pos.as_ref(), a.reading.as_ref()),
            ("名詞,サ変接続,*,*", "ケンシュウ")
        );
        // A word no dictionary has is the respondent's text: owned, never kept by the process.
        let unknown = analyzer.analyze("ZQXVW");
        let token = &unknown.tokens[0];
        assert_eq!(token.surface, "ZQXVW");
        assert!(matches!(token.surface, Cow::Owned(_)));
        assert!(matches!(token.base, Cow::Owned(_)));
    }
}
