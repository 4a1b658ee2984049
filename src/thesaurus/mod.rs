//! The thesaurus: groups of words that mean the same, for search by meaning and `syn()` rules.
//!
//! Two sources, both embedded in the binary:
//!
//! - **Sudachi's synonym dictionary** (`dictionaries/thesaurus/sudachi-synonyms.txt`, Apache-2.0,
//!   see the README beside it): about 25,000 groups. Each line is one word of a group with its
//!   class (体言 or 用言), its expansion flag and its lexeme number. jiyu honours them:
//!   - a word with flag 0 *triggers* its group: looking it up gives the other words;
//!   - a word with flag 1 is only *expanded to*: found from the others, but looking it up
//!     gives nothing from that group (コスト gives 費用, 費用 does not give コスト);
//!   - a word with flag 2 is left out (the dictionary keeps it as a record of a deletion);
//!   - a word triggers only when the looked-up word is of its class — a noun (名詞) looks up
//!     体言 lines, a verb or adjective 用言 lines (忙しい finds 多忙 through its 用言 line); a
//!     word of another part of speech looks up both;
//!   - words with the same lexeme number are one lexeme written otherwise (ハンコ, 判子, はんこ):
//!     [`Synonym::same_lexeme`] says so, and search ranks them above the other synonyms.
//! - **Domain groups** (`dictionaries/synonyms.tsv`): groups a survey needs that the general
//!   dictionary lacks (ハンコ ≡ 印鑑 ≡ 押印), and cuts of Sudachi's words that mislead in the
//!   domain. Its format is [`parse_domain`]'s.
//!
//! Every word is normalized as answers are ([`crate::normalize`]), so a word is looked up by the
//! same text a query word or a rule word is analyzed into. Nothing here needs the analyzer: the
//! caller looks a word up by its normalized text and by its base forms.
//!
//! Sudachi's file is compiled when jiyu is built ([`compile`]) into a sorted index of its words
//! that is searched in place: nothing is read or parsed when a search starts. The domain file,
//! a few lines, is parsed on first use ([`builtin`]).

pub mod compile;

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::{Error, Result};
use crate::variants::{parse_groups, BUILTIN_VARIANTS};

pub use compile::key;

/// Sudachi's dictionary as `build.rs` compiled it ([`compile`]): its groups, and its sorted
/// index of words.
const BUILTIN_GROUPS: &str = include_str!(concat!(env!("OUT_DIR"), "/thesaurus-groups.txt"));
const BUILTIN_INDEX: &str = include_str!(concat!(env!("OUT_DIR"), "/thesaurus-index.txt"));
/// The domain groups and cuts shipped with jiyu.
pub const BUILTIN_DOMAIN: &str = include_str!("../../dictionaries/synonyms.tsv");

const DOMAIN_SOURCE: &str = "built-in dictionaries/synonyms.tsv";

/// Whether a word is a noun-like word (体言) or a predicate (用言: verbs, adjectives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordClass {
    Noun,
    Predicate,
}

impl WordClass {
    /// The class of a token with IPADIC part of speech `pos` (`名詞,…`, `動詞,…`); `None` for
    /// the other parts of speech, which look up both classes.
    pub fn of_pos(pos: &str) -> Option<WordClass> {
        match pos.split(',').next().unwrap_or("") {
            "名詞" => Some(WordClass::Noun),
            "動詞" | "形容詞" => Some(WordClass::Predicate),
            _ => None,
        }
    }
}

/// Where a group comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupSource {
    /// Sudachi's group number (`000253`).
    Sudachi(String),
    /// A line of a domain file: the built-in `synonyms.tsv` or one given with `--synonyms`,
    /// named by its file name.
    Domain { file: String, line: usize },
}

impl std::fmt::Display for GroupSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GroupSource::Sudachi(number) => write!(f, "Sudachi {number}"),
            GroupSource::Domain { file, line } => write!(f, "{file}:{line}"),
        }
    }
}

/// One word of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The word, normalized.
    pub word: String,
    /// The word as the dictionary writes it (セミナー), to show.
    pub written: String,
    /// Its class; `None` (either) for domain words.
    pub class: Option<WordClass>,
    /// Looking the word up gives its group (flag 0); otherwise it is only expanded to.
    pub trigger: bool,
    /// The word's lexeme numbers within its group, one bit each (bit n for number n): words
    /// that share one are one lexeme. An abbreviation may stand for several (`1/2`).
    pub lexemes: u64,
}

/// A group of words that mean the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub source: GroupSource,
    pub entries: Vec<Entry>,
}

/// A word found for a looked-up word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synonym {
    /// The synonym, normalized.
    pub word: String,
    /// As the dictionary writes it, to show.
    pub written: String,
    /// Another spelling, abbreviation or translation of the looked-up word itself.
    pub same_lexeme: bool,
    /// The group that gave it (the first, when several did).
    pub source: GroupSource,
}

/// Sudachi's compiled dictionary with a domain file applied.
#[derive(Debug, Default)]
pub struct Thesaurus {
    /// [`compile::Compiled`]'s texts.
    groups: Cow<'static, str>,
    index: Cow<'static, str>,
    /// The domain file's groups, and where each of their words is: (group, entry).
    domain: Vec<Group>,
    domain_words: FxHashMap<String, Vec<(usize, usize)>>,
    /// Words that left Sudachi's groups.
    removed: FxHashSet<String>,
    /// Pairs of words that are not synonyms, both orders.
    separated: FxHashSet<(String, String)>,
    /// Each normalized notation variant (`dictionaries/variants.tsv`) → every spelling of its
    /// group, so a word is found whichever spelling the dictionary has.
    variants: FxHashMap<String, Vec<String>>,
}

/// What the domain file says: groups to add, words to take out of Sudachi's groups, pairs that
/// are not synonyms.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DomainFile {
    pub groups: Vec<Group>,
    /// Words (normalized) that leave every group of Sudachi's dictionary.
    pub removed: Vec<String>,
    /// Pairs of words (normalized) that are not synonyms, whatever group holds both.
    pub separated: Vec<(String, String)>,
}

/// The built-in thesaurus (Sudachi's dictionary with `dictionaries/synonyms.tsv` applied). The
/// domain file is parsed on first use; the embedded files are checked by the tests, so an error
/// here means a broken build.
pub fn builtin() -> Result<&'static Thesaurus> {
    static BUILTIN: OnceLock<std::result::Result<Thesaurus, String>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            let domain = parse_domain(DOMAIN_SOURCE, BUILTIN_DOMAIN).map_err(|e| e.to_string())?;
            Ok(Thesaurus::from_texts(
                Cow::Borrowed(BUILTIN_GROUPS),
                Cow::Borrowed(BUILTIN_INDEX),
                &domain,
            ))
        })
        .as_ref()
        .map_err(|message| Error::Dictionary(format!("the built-in thesaurus: {message}")))
}

/// The built-in thesaurus with the groups and cuts of more domain files (`--synonyms`, in
/// [`parse_domain`]'s format) applied after `dictionaries/synonyms.tsv`'s: each `(source, text)`
/// is a file's name for messages and its text. A file's errors name it, its line and column.
pub fn with_domain_files(files: &[(String, String)]) -> Result<Thesaurus> {
    let mut domain = parse_domain(DOMAIN_SOURCE, BUILTIN_DOMAIN)?;
    for (source, text) in files {
        let more = parse_domain(source, text)?;
        domain.groups.extend(more.groups);
        domain.removed.extend(more.removed);
        domain.separated.extend(more.separated);
    }
    Ok(Thesaurus::from_texts(
        Cow::Borrowed(BUILTIN_GROUPS),
        Cow::Borrowed(BUILTIN_INDEX),
        &domain,
    ))
}

fn input_error(source: &str, line: usize, column: usize, message: impl Into<String>) -> Error {
    Error::Input {
        path: source.to_string(),
        line,
        column,
        message: message.into(),
    }
}

/// Parses a domain file: one group a line, `#` comments and blank lines ignored.
///
/// - `コスト<TAB>費用<TAB>予算` — a group: each word finds the others;
/// - `ハンコ,判子,はんこ<TAB>印鑑` — spellings of one lexeme share a cell, separated by commas;
/// - `コスト<TAB>(無料)` — a word in parentheses is found from the others but finds nothing
///   itself (Sudachi's flag 1);
/// - `-ソフト` — the word leaves every group of Sudachi's dictionary;
/// - `-信頼<TAB>信憑` — the first word and each of the others are not synonyms, whatever group
///   holds them both.
pub fn parse_domain(source: &str, text: &str) -> Result<DomainFile> {
    let mut file = DomainFile::default();
    let file_name = std::path::Path::new(source).file_name().map_or_else(
        || source.to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('-').or_else(|| line.strip_prefix('－')) {
            let words: Vec<String> = rest
                .split('\t')
                .map(str::trim)
                .filter(|word| !word.is_empty())
                .map(key)
                .collect();
            match words.split_first() {
                None => {
                    return Err(input_error(
                        source,
                        number,
                        1,
                        "a cut names a word after `-` (`-ソフト`, or `-信頼<TAB>信憑`)",
                    ))
                }
                Some((word, [])) => file.removed.push(word.clone()),
                Some((word, others)) => {
                    for other in others {
                        file.separated.push((word.clone(), other.clone()));
                    }
                }
            }
            continue;
        }
        let mut entries = Vec::new();
        let mut column = 1;
        for (lexeme, cell) in line.split('\t').enumerate() {
            let cell_column = column;
            column += cell.chars().count() + 1;
            if lexeme >= 64 {
                return Err(input_error(
                    source,
                    number,
                    cell_column,
                    "a group has at most 64 words: split it",
                ));
            }
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let (cell, trigger) = match cell
                .strip_prefix(['(', '（'])
                .map(|inner| inner.strip_suffix([')', '）']))
            {
                Some(Some(inner)) => (inner, false),
                Some(None) => {
                    return Err(input_error(
                        source,
                        number,
                        cell_column,
                        "this parenthesis is never closed: write `(無料)`",
                    ))
                }
                None => (cell, true),
            };
            for spelling in cell.split([',', '、']) {
                let written = spelling.trim();
                let word = key(written);
                if word.is_empty() {
                    return Err(input_error(
                        source,
                        number,
                        cell_column,
                        "an empty spelling: separate the spellings of one word with commas \
                         (`ハンコ,判子`)",
                    ));
                }
                entries.push(Entry {
                    word,
                    written: written.to_string(),
                    class: None,
                    trigger,
                    lexemes: 1 << lexeme,
                });
            }
        }
        let lexemes = entries.iter().fold(0u64, |all, entry| all | entry.lexemes);
        if lexemes.count_ones() < 2 {
            return Err(input_error(
                source,
                number,
                1,
                "a group needs at least two tab-separated words (`ハンコ<TAB>印鑑<TAB>押印`)",
            ));
        }
        if !entries.iter().any(|entry| entry.trigger) {
            return Err(input_error(
                source,
                number,
                1,
                "every word of this group is in parentheses, so none finds the others",
            ));
        }
        file.groups.push(Group {
            source: GroupSource::Domain {
                file: file_name.clone(),
                line: number,
            },
            entries,
        });
    }
    Ok(file)
}

impl Thesaurus {
    /// A compiled Sudachi dictionary ([`compile::compile`]) with `domain` applied: its removed
    /// words left out of Sudachi's groups, its groups added, its pairs separated.
    pub fn new(sudachi: compile::Compiled, domain: &DomainFile) -> Thesaurus {
        Thesaurus::from_texts(
            Cow::Owned(sudachi.groups),
            Cow::Owned(sudachi.index),
            domain,
        )
    }

    fn from_texts(
        groups: Cow<'static, str>,
        index: Cow<'static, str>,
        domain: &DomainFile,
    ) -> Thesaurus {
        let mut domain_words: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        for (group_index, group) in domain.groups.iter().enumerate() {
            for (entry_index, entry) in group.entries.iter().enumerate() {
                domain_words
                    .entry(entry.word.clone())
                    .or_default()
                    .push((group_index, entry_index));
            }
        }
        let mut separated = FxHashSet::default();
        for (a, b) in &domain.separated {
            separated.insert((a.clone(), b.clone()));
            separated.insert((b.clone(), a.clone()));
        }
        let mut variants: FxHashMap<String, Vec<String>> = FxHashMap::default();
        // The analyzer refuses a broken built-in variants file before anything gets here.
        for group in
            parse_groups("built-in dictionaries/variants.tsv", BUILTIN_VARIANTS).unwrap_or_default()
        {
            let spellings: Vec<String> = std::iter::once(&group.canonical)
                .chain(&group.variants)
                .map(|form| key(form))
                .collect();
            for spelling in &spellings {
                variants.insert(spelling.clone(), spellings.clone());
            }
        }
        Thesaurus {
            groups,
            index,
            domain: domain.groups.clone(),
            domain_words,
            removed: domain.removed.iter().cloned().collect(),
            separated,
            variants,
        }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.lines().count() + self.domain.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every group that holds `word` (normalized), each with the index of the word's entry in
    /// it: the domain file's first (written for the survey at hand), then Sudachi's; a removed
    /// word is in no group of Sudachi's.
    pub fn groups_of(&self, word: &str) -> Vec<(Group, usize)> {
        let mut found = Vec::new();
        for &(group, entry) in self.domain_words.get(word).into_iter().flatten() {
            found.push((self.domain[group].clone(), entry));
        }
        if !self.removed.contains(word) {
            for offset in self.offsets(word) {
                let group = self.sudachi_group(offset);
                if let Some(at) = group.entries.iter().position(|entry| entry.word == word) {
                    found.push((group, at));
                }
            }
        }
        found
    }

    /// Whether any group holds `word` (normalized).
    pub fn knows(&self, word: &str) -> bool {
        !self.groups_of(word).is_empty()
    }

    /// The synonyms of a word, looked up by each of `keys` (its normalized text, its base forms
    /// joined; they count as the word itself and are never returned) and by the other
    /// notation variants of each, in the groups that one of them triggers for `class` (see the
    /// module documentation): first the other spellings of the word's own lexeme, then the
    /// others, each in the order of [`Thesaurus::groups_of`], each word once.
    pub fn synonyms(&self, keys: &[String], class: Option<WordClass>) -> Vec<Synonym> {
        let mut words: Vec<String> = Vec::new();
        for word in keys {
            for spelling in self
                .variants
                .get(word)
                .map_or(std::slice::from_ref(word), Vec::as_slice)
            {
                if !words.contains(spelling) {
                    words.push(spelling.clone());
                }
            }
        }
        let mut found: Vec<Synonym> = Vec::new();
        let mut seen: Vec<GroupSource> = Vec::new();
        for word in &words {
            for (group, at) in self.groups_of(word) {
                let trigger = &group.entries[at];
                let class_fits = match (class, trigger.class) {
                    (Some(wanted), Some(class)) => wanted == class,
                    _ => true,
                };
                if !trigger.trigger || !class_fits {
                    continue;
                }
                if !seen.contains(&group.source) {
                    seen.push(group.source.clone());
                }
                for entry in &group.entries {
                    if words.contains(&entry.word)
                        || self.separated.contains(&(word.clone(), entry.word.clone()))
                    {
                        continue;
                    }
                    let same_lexeme = entry.lexemes & trigger.lexemes != 0;
                    match found.iter_mut().find(|known| known.word == entry.word) {
                        Some(known) => known.same_lexeme |= same_lexeme,
                        None => found.push(Synonym {
                            word: entry.word.clone(),
                            written: entry.written.clone(),
                            same_lexeme,
                            source: group.source.clone(),
                        }),
                    }
                }
            }
        }
        // Stable: group order within each kind.
        found.sort_by_key(|synonym| !synonym.same_lexeme);
        found
    }

    /// The byte offsets of the groups of Sudachi's dictionary that hold `word`: a binary search
    /// over the sorted lines of the index.
    fn offsets(&self, word: &str) -> Vec<usize> {
        let index = self.index.as_ref();
        let bytes = index.as_bytes();
        // `low` and `high` are line starts; the line sought is within [low, high).
        let (mut low, mut high) = (0, bytes.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let start = bytes[low..middle]
                .iter()
                .rposition(|&byte| byte == b'\n')
                .map_or(low, |at| low + at + 1);
            let end = bytes[start..high]
                .iter()
                .position(|&byte| byte == b'\n')
                .map_or(high, |at| start + at);
            let line = &index[start..end];
            let mut fields = line.split('\t');
            match fields.next().unwrap_or("").cmp(word) {
                std::cmp::Ordering::Equal => {
                    return fields.filter_map(|offset| offset.parse().ok()).collect()
                }
                std::cmp::Ordering::Less => low = end + 1,
                std::cmp::Ordering::Greater => high = start,
            }
        }
        Vec::new()
    }

    /// The group of Sudachi's dictionary whose line starts at `offset`, its removed words left
    /// out.
    fn sudachi_group(&self, offset: usize) -> Group {
        let line = self
            .groups
            .get(offset..)
            .and_then(|rest| rest.lines().next())
            .unwrap_or("");
        let mut fields = line.split('\t');
        let source = GroupSource::Sudachi(fields.next().unwrap_or("").to_string());
        let entries = fields
            .filter_map(|field| {
                let mut parts = field.splitn(5, ',');
                let class = match parts.next()? {
                    "2" => WordClass::Predicate,
                    _ => WordClass::Noun,
                };
                let trigger = parts.next()? == "0";
                let lexemes = parts.next()?.parse().ok()?;
                let word = parts.next()?;
                let written = parts.next().unwrap_or(word);
                (!self.removed.contains(word)).then(|| Entry {
                    word: word.to_string(),
                    written: written.to_string(),
                    class: Some(class),
                    trigger,
                    lexemes,
                })
            })
            .collect();
        Group { source, entries }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
000253,1,0,1,0,0,0,(ビジネス),コスト,,
000253,1,0,1,0,0,1,(ビジネス),cost,,
000253,1,0,2,0,0,0,(ビジネス),経費,,
000253,1,1,3,0,0,0,(ビジネス),費用,,
000253,1,2,4,0,0,0,(ビジネス),物入り,,

022522,1,0,1,0,0,0,(),多忙,,
022522,1,0,2,0,0,0,(),繁忙,,
022522,2,0,3,0,0,0,(),忙しい,,

000116,1,0,1,0,0,0,(IT/娯楽),インターネットゲーム,,
000116,1,0,1/2,0,2,0,(IT/娯楽),ネトゲ,,
000116,1,0,2,0,0,0,(IT/娯楽),ネットゲーム,,
";

    fn sample(domain: &DomainFile) -> Thesaurus {
        Thesaurus::new(
            compile::compile(SAMPLE).expect("the sample compiles"),
            domain,
        )
    }

    fn words(synonyms: &[Synonym]) -> Vec<&str> {
        synonyms
            .iter()
            .map(|synonym| synonym.word.as_str())
            .collect()
    }

    #[test]
    fn flags_classes_and_lexemes_are_honoured() {
        let thesaurus = sample(&DomainFile::default());
        let cost = thesaurus.synonyms(&[key("コスト")], Some(WordClass::Noun));
        // cost is the same lexeme (a translation); 費用 (flag 1) is expanded to; 物入り (flag 2)
        // is left out.
        assert_eq!(words(&cost), vec!["COST", "経費", "費用"]);
        assert!(cost[0].same_lexeme && !cost[1].same_lexeme);
        assert_eq!(cost[0].source, GroupSource::Sudachi("000253".into()));
        // 費用 is never a trigger.
        assert!(thesaurus
            .synonyms(&[key("費用")], Some(WordClass::Noun))
            .is_empty());
        // 忙しい triggers as a predicate only; 多忙 as a noun.
        let busy = thesaurus.synonyms(&[key("忙しい")], Some(WordClass::Predicate));
        assert_eq!(words(&busy), vec!["多忙", "繁忙"]);
        assert!(thesaurus
            .synonyms(&[key("忙しい")], Some(WordClass::Noun))
            .is_empty());
        assert_eq!(
            words(&thesaurus.synonyms(&[key("多忙")], None)),
            vec!["繁忙", "忙しい"]
        );
        // An abbreviation of two lexemes is the same lexeme as both.
        let game = thesaurus.synonyms(&[key("ネトゲ")], None);
        assert_eq!(words(&game), vec!["インターネットゲーム", "ネットゲーム"]);
        assert!(game.iter().all(|synonym| synonym.same_lexeme));
        assert!(thesaurus.knows("費用") && !thesaurus.knows("物入り"));
        assert_eq!(thesaurus.len(), 3);
    }

    #[test]
    fn the_domain_file_adds_cuts_and_separates() {
        let domain = parse_domain(
            "domain",
            "# comment\nハンコ,判子\t印鑑\t押印\t(スタンプ)\n-経費\n-コスト\tCOST\n",
        )
        .unwrap();
        let thesaurus = sample(&domain);
        let seal = thesaurus.synonyms(&[key("ハンコ")], None);
        assert_eq!(words(&seal), vec!["判子", "印鑑", "押印", "スタンプ"]);
        assert_eq!(
            seal[0].source,
            GroupSource::Domain {
                file: "domain".to_string(),
                line: 2
            }
        );
        assert!(thesaurus.synonyms(&[key("スタンプ")], None).is_empty());
        assert_eq!(
            words(&thesaurus.synonyms(&[key("コスト")], None)),
            vec!["費用"]
        );
        assert!(thesaurus.synonyms(&[key("経費")], None).is_empty());
        for (text, column) in [
            ("ハンコ\n", 1),
            ("-\n", 1),
            ("a\t(b\n", 3),
            ("(a)\t(b)\n", 1),
            ("a,\tb\n", 1),
        ] {
            let Err(Error::Input {
                line, column: at, ..
            }) = parse_domain("domain", text)
            else {
                panic!("{text:?} is refused");
            };
            assert_eq!((line, at), (1, column), "{text:?}");
        }
    }

    #[test]
    fn words_taken_as_normalized_are() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/dictionaries/thesaurus/sudachi-synonyms.txt"
        ))
        .expect("the shipped dictionary is readable");
        let mut checked = 0;
        for line in text.lines().filter(|line| !line.is_empty()) {
            let word = line.split(',').nth(8).unwrap_or_default();
            if compile::is_normalized(word) {
                assert_eq!(crate::normalize::normalize(word).text, word);
                checked += 1;
            }
        }
        assert!(checked > 40_000, "{checked}");
        assert!(!compile::is_normalized("セキュリティー") && !compile::is_normalized("cost"));
        assert_eq!(key("セキュリティー"), "セキュリティ");
        assert!(compile::is_normalized("データベース") && !compile::is_normalized("サーバー管理"));
        // The compiled copy in the binary is what the shipped file compiles to.
        let compiled = compile::compile(&text).expect("the shipped dictionary compiles");
        assert_eq!(compiled.groups, BUILTIN_GROUPS);
        assert_eq!(compiled.index, BUILTIN_INDEX);
    }

    #[test]
    fn the_builtin_files_parse() {
        let thesaurus = builtin().expect("the built-in thesaurus parses");
        assert!(thesaurus.len() > 24_000, "{}", thesaurus.len());
        let customer = thesaurus.synonyms(&[key("顧客")], Some(WordClass::Noun));
        assert!(words(&customer).contains(&"クライアント"));
        // Every line of the index is found by its word.
        for line in BUILTIN_INDEX.lines().step_by(97) {
            let word = line.split('\t').next().unwrap_or_default();
            assert!(!thesaurus.offsets(word).is_empty(), "{word}");
        }
        assert!(thesaurus.offsets("ZZZ無い語").is_empty());
        let Err(compile::SyntaxError { line, column, .. }) =
            compile::compile("000001,1,0,1,0,0,0,(),曖昧,,\n000001,1,3,1,0,0,0,(),あいまい,,\n")
        else {
            panic!("flag 3 is refused");
        };
        assert_eq!((line, column), (2, 10));
    }
}
