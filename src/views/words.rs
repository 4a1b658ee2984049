//! Word lists (KH Coder's 抽出語リスト): per question, each word's base form, part of speech,
//! the answers that use it (document frequency), its occurrences, and the same by the values of
//! one attribute.
//!
//! Words are the analyzer's tokens ([`crate::analyze`]): base forms with notation variants
//! merged, so 取組 and 取り組み are one word. A token is a word when its part of speech is one
//! asked for ([`WordFilter::pos`], by default 名詞, 動詞 and 形容詞), when it is not of a kind
//! that carries no meaning of its own ([`EMPTY_POS`]: 非自立, 代名詞, 数, 接尾) and when its
//! base form is not a stop word ([`StopWords`], `dictionaries/stopwords.txt`). Negation stays on
//! the word it denies: 時間がない counts 時間 (and notes that it was negated), the negator ない
//! is a stop word, and words that deny by themselves (不要, 不足, 未対応) are words like any other.
//!
//! [`WordTally`] takes one answer's words at a time (extracted on any thread with
//! [`WordFilter::answer_words`]) and keeps, per question, the counts and each answer's distinct
//! word ids (four bytes a word, for [`crate::views::network`]); [`QuestionWords::list`] gives the
//! sorted list.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::analyze::Token;
use crate::error::{Error, Result};
use crate::text::natural_cmp;

/// The built-in stop words, compiled into the binary.
pub const BUILTIN_STOPWORDS: &str = include_str!("../../dictionaries/stopwords.txt");

/// The parts of speech counted unless told otherwise.
pub const DEFAULT_POS: [&str; 3] = ["名詞", "動詞", "形容詞"];

/// Parts of speech (IPADIC's first two levels) whose tokens are never words: they lean on
/// another word for their meaning (こと as 非自立, てる, にくい), point (これ), count (3, 百) or
/// attach (〜的, 〜化, 〜さん).
pub const EMPTY_POS: [&str; 8] = [
    "名詞,非自立",
    "名詞,代名詞",
    "名詞,数",
    "名詞,接尾",
    "動詞,非自立",
    "動詞,接尾",
    "形容詞,非自立",
    "形容詞,接尾",
];

/// Base forms left out of every word list and network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopWords {
    words: std::collections::BTreeSet<String>,
}

impl StopWords {
    /// The built-in list (`dictionaries/stopwords.txt`).
    pub fn builtin() -> StopWords {
        StopWords::parse("built-in dictionaries/stopwords.txt", BUILTIN_STOPWORDS)
            .expect("the built-in stop words are one word a line")
    }

    /// The list in `path`, which replaces the built-in one.
    pub fn load(path: &Path) -> Result<StopWords> {
        let bytes = std::fs::read(path)
            .map_err(|err| Error::io(path, err).context("cannot read the stop words"))?;
        let text = String::from_utf8(bytes).map_err(|err| {
            let before = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
            let column = String::from_utf8_lossy(
                &before[before
                    .iter()
                    .rposition(|&byte| byte == b'\n')
                    .map_or(0, |at| at + 1)..],
            )
            .chars()
            .count()
                + 1;
            Error::Input {
                path: path.display().to_string(),
                line,
                column,
                message: "the stop words are not UTF-8 text; save the file as UTF-8".to_string(),
            }
        })?;
        StopWords::parse(&path.display().to_string(), &text)
    }

    /// Parses a list: one base form a line, blank lines and `#` comments ignored; a line of
    /// several words is an error (at the first space), as one of them would silently never
    /// match.
    pub fn parse(source: &str, text: &str) -> Result<StopWords> {
        let mut words = std::collections::BTreeSet::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim_start_matches('\u{feff}');
            let content = line.split('#').next().unwrap_or("");
            let word = content.trim();
            if word.is_empty() {
                continue;
            }
            if let Some(at) = word.find(char::is_whitespace) {
                let leading = content.len() - content.trim_start().len();
                return Err(Error::Input {
                    path: source.to_string(),
                    line: index + 1,
                    column: content[..leading + at].chars().count() + 1,
                    message: format!("“{word}” is more than one word; write one base form a line"),
                });
            }
            words.insert(crate::normalize::normalize(word).text);
        }
        Ok(StopWords { words })
    }

    /// Whether `base` is a stop word.
    pub fn contains(&self, base: &str) -> bool {
        self.words.contains(base)
    }
}

impl Default for StopWords {
    fn default() -> StopWords {
        StopWords::builtin()
    }
}

/// Which tokens are words.
#[derive(Debug, Clone)]
pub struct WordFilter {
    /// Parts of speech to keep, each a prefix of IPADIC's levels: `名詞` keeps every noun,
    /// `名詞,サ変接続` only those.
    pub pos: Vec<String>,
    pub stopwords: StopWords,
}

impl Default for WordFilter {
    fn default() -> WordFilter {
        WordFilter {
            pos: DEFAULT_POS.iter().map(|pos| pos.to_string()).collect(),
            stopwords: StopWords::builtin(),
        }
    }
}

/// Whether `pos` (IPADIC's levels joined by commas) starts with the levels of `prefix`.
fn pos_matches(pos: &str, prefix: &str) -> bool {
    pos == prefix
        || pos
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with(','))
}

/// A word: base form and top-level part of speech.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Word {
    pub base: String,
    pub pos: String,
}

/// One word of one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerWord {
    pub word: Word,
    /// Its tokens in the answer.
    pub occurrences: usize,
    /// Whether one of them was negated (時間 in 時間がない).
    pub negated: bool,
}

impl WordFilter {
    /// Whether `token` is a word.
    pub fn keeps(&self, token: &Token) -> bool {
        let pos = token.pos.as_ref();
        self.pos.iter().any(|wanted| pos_matches(pos, wanted))
            && !EMPTY_POS.iter().any(|empty| pos_matches(pos, empty))
            && token.base.chars().any(char::is_alphanumeric)
            && !self.stopwords.contains(&token.base)
    }

    /// The distinct words of one answer's tokens, ordered by word.
    pub fn answer_words(&self, tokens: &[Token]) -> Vec<AnswerWord> {
        let mut words: BTreeMap<Word, (usize, bool)> = BTreeMap::new();
        for token in tokens.iter().filter(|token| self.keeps(token)) {
            let entry = words
                .entry(Word {
                    base: token.base.to_string(),
                    pos: token.major_pos().to_string(),
                })
                .or_default();
            entry.0 += 1;
            entry.1 |= token.negated;
        }
        words
            .into_iter()
            .map(|(word, (occurrences, negated))| AnswerWord {
                word,
                occurrences,
                negated,
            })
            .collect()
    }
}

/// The counts of one word in one question.
#[derive(Debug, Clone, Default)]
struct WordCount {
    answers: usize,
    occurrences: usize,
    negated: usize,
    /// Answers per attribute value (indexed as [`WordTally::values`]).
    by: Vec<usize>,
}

/// The words of one question as they were counted.
#[derive(Debug, Clone)]
pub struct QuestionWords {
    pub question: String,
    /// Answers counted (with or without words; non-answers are not counted).
    pub answers: usize,
    /// Answers per attribute value (indexed as [`WordTally::values`]).
    pub value_answers: Vec<usize>,
    words: Vec<(Word, WordCount)>,
    ids: HashMap<Word, u32>,
    /// Per answer, its distinct word ids in increasing order.
    docs: Vec<Vec<u32>>,
    /// Per answer, the ids of its categories (indexed as [`QuestionWords::categories`]).
    doc_categories: Vec<Vec<u32>>,
    /// The categories' labels in the order first met.
    pub categories: Vec<String>,
}

/// One row of a word list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordRow {
    pub word: String,
    pub pos: String,
    /// Answers using the word.
    pub answers: usize,
    /// `answers` ÷ the question's answers.
    pub share: f64,
    /// Tokens of the word in all answers.
    pub occurrences: usize,
    /// Answers in which the word was negated.
    pub negated: usize,
    /// Per attribute value (as [`WordList::values`]): answers using the word.
    pub by: Vec<usize>,
}

/// The word list of one question, most used first.
#[derive(Debug, Clone, PartialEq)]
pub struct WordList {
    pub question: String,
    pub answers: usize,
    /// The attribute's values and their answers to the question (empty without `--by`).
    pub values: Vec<(String, usize)>,
    pub rows: Vec<WordRow>,
}

/// Word counts of every question, one answer at a time.
#[derive(Debug, Clone, Default)]
pub struct WordTally {
    /// Questions in the order first met.
    pub questions: Vec<QuestionWords>,
    index: HashMap<String, usize>,
    /// The attribute's values in the order first met (answers without it: the empty value).
    pub values: Vec<String>,
    value_index: HashMap<String, usize>,
}

impl WordTally {
    pub fn new() -> WordTally {
        WordTally::default()
    }

    /// Counts one answer of `question`: its `words` (from [`WordFilter::answer_words`]), the
    /// value of the `--by` attribute if one is tallied, and its categories' labels (for the
    /// network's category nodes; empty when not wanted).
    pub fn add(
        &mut self,
        question: &str,
        value: Option<&str>,
        categories: &[&str],
        words: &[AnswerWord],
    ) {
        let value = value.map(|value| match self.value_index.get(value) {
            Some(&at) => at,
            None => {
                self.values.push(value.to_string());
                self.value_index
                    .insert(value.to_string(), self.values.len() - 1);
                self.values.len() - 1
            }
        });
        let at = match self.index.get(question) {
            Some(&at) => at,
            None => {
                self.questions.push(QuestionWords {
                    question: question.to_string(),
                    answers: 0,
                    value_answers: Vec::new(),
                    words: Vec::new(),
                    ids: HashMap::new(),
                    docs: Vec::new(),
                    doc_categories: Vec::new(),
                    categories: Vec::new(),
                });
                self.index
                    .insert(question.to_string(), self.questions.len() - 1);
                self.questions.len() - 1
            }
        };
        let tally = &mut self.questions[at];
        tally.answers += 1;
        if let Some(value) = value {
            if tally.value_answers.len() <= value {
                tally.value_answers.resize(value + 1, 0);
            }
            tally.value_answers[value] += 1;
        }
        let mut doc = Vec::with_capacity(words.len());
        for word in words {
            let id = match tally.ids.get(&word.word) {
                Some(&id) => id,
                None => {
                    let id = tally.words.len() as u32;
                    tally.ids.insert(word.word.clone(), id);
                    tally.words.push((word.word.clone(), WordCount::default()));
                    id
                }
            };
            let count = &mut tally.words[id as usize].1;
            count.answers += 1;
            count.occurrences += word.occurrences;
            count.negated += usize::from(word.negated);
            if let Some(value) = value {
                if count.by.len() <= value {
                    count.by.resize(value + 1, 0);
                }
                count.by[value] += 1;
            }
            doc.push(id);
        }
        doc.sort_unstable();
        doc.dedup();
        tally.docs.push(doc);
        let mut doc_categories: Vec<u32> = categories
            .iter()
            .map(|label| {
                let at = match tally.categories.iter().position(|known| known == label) {
                    Some(at) => at,
                    None => {
                        tally.categories.push(label.to_string());
                        tally.categories.len() - 1
                    }
                };
                at as u32
            })
            .collect();
        doc_categories.sort_unstable();
        doc_categories.dedup();
        tally.doc_categories.push(doc_categories);
    }

    /// The tally of `question`, if it had an answer.
    pub fn question(&self, question: &str) -> Option<&QuestionWords> {
        self.index.get(question).map(|&at| &self.questions[at])
    }
}

impl QuestionWords {
    /// The distinct words counted.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Word `id`'s word.
    pub fn word(&self, id: u32) -> &Word {
        &self.words[id as usize].0
    }

    /// Answers using word `id`.
    pub fn answers_of(&self, id: u32) -> usize {
        self.words[id as usize].1.answers
    }

    /// Per answer, its distinct word ids in increasing order.
    pub fn docs(&self) -> &[Vec<u32>] {
        &self.docs
    }

    /// Per answer, its category ids (indexes into [`QuestionWords::categories`]).
    pub fn doc_categories(&self) -> &[Vec<u32>] {
        &self.doc_categories
    }

    /// Word ids by the order of the lists: most answers first, then most occurrences, then the
    /// base form in natural order, then the part of speech — a total order, so lists and
    /// networks do not depend on the order answers came in.
    pub fn ranked_ids(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.words.len() as u32).collect();
        ids.sort_by(|&a, &b| {
            let (word_a, count_a) = &self.words[a as usize];
            let (word_b, count_b) = &self.words[b as usize];
            count_b
                .answers
                .cmp(&count_a.answers)
                .then(count_b.occurrences.cmp(&count_a.occurrences))
                .then_with(|| natural_cmp(&word_a.base, &word_b.base))
                .then_with(|| word_a.cmp(word_b))
        });
        ids
    }

    /// The words used by at least `min_count` answers, most used first, at most `top` of
    /// them (0: all). `values` are the tally's attribute values ([`WordTally::values`]).
    pub fn list(&self, values: &[String], min_count: usize, top: usize) -> WordList {
        let rows = self
            .ranked_ids()
            .into_iter()
            .map(|id| &self.words[id as usize])
            .filter(|(_, count)| count.answers >= min_count.max(1))
            .take(if top == 0 { usize::MAX } else { top })
            .map(|(word, count)| WordRow {
                word: word.base.clone(),
                pos: word.pos.clone(),
                answers: count.answers,
                share: crate::report::text::ratio(count.answers, self.answers),
                occurrences: count.occurrences,
                negated: count.negated,
                by: (0..values.len())
                    .map(|value| count.by.get(value).copied().unwrap_or(0))
                    .collect(),
            })
            .collect();
        WordList {
            question: self.question.clone(),
            answers: self.answers,
            values: values
                .iter()
                .enumerate()
                .map(|(at, value)| {
                    (
                        value.clone(),
                        self.value_answers.get(at).copied().unwrap_or(0),
                    )
                })
                .collect(),
            rows,
        }
    }
}

/// Which answers to count, and what to keep of them.
#[derive(Debug, Clone, Default)]
pub struct WordQuery {
    /// Only these questions (empty: every question).
    pub questions: Vec<String>,
    /// Count by the values of this attribute.
    pub by: Option<String>,
    /// Only answers having this category (its id or its label); needs a classifier.
    pub category: Option<String>,
    /// Keep each answer's category labels, for the network's category nodes; needs a
    /// classifier.
    pub category_labels: bool,
}

/// What analyzes the answers: the analyzer alone, or the classifier (rules and model) when
/// categories are wanted.
#[derive(Clone, Copy)]
pub enum WordSource<'a> {
    Analyzer(&'a crate::Analyzer),
    Classifier(&'a crate::classify::Classifier),
}

/// Counts the words of `answers` that `query` selects. Non-answers (特になし, わからない …: the
/// built-in check, and with a classifier every answer it files under `no-answer`) are not
/// counted: their words say nothing of the question's topic. Fails on a bad input row (with its
/// file, line and column), on a `--question`, `--by` or `--category` no answer has, and when
/// categories are asked of an analyzer alone.
pub fn tally_words<I>(
    answers: I,
    source: WordSource<'_>,
    filter: &WordFilter,
    query: &WordQuery,
    progress: &indicatif::ProgressBar,
) -> Result<WordTally>
where
    I: Iterator<Item = Result<crate::Answer>> + Send,
{
    use crate::classify::NO_ANSWER;
    use crate::rules::scheme::UNCLASSIFIED;

    let answers = answers.filter(|answer| {
        answer.as_ref().map_or(true, |answer| {
            query.questions.is_empty() || query.questions.contains(&answer.question)
        })
    });
    let mut tally = WordTally::new();
    let mut by_seen = false;
    let mut attribute_names: Vec<String> = Vec::new();
    let mut add = |answer: &crate::Answer, categories: &[&str], words: &[AnswerWord]| {
        let value = query.by.as_deref().map(|name| {
            let value = answer
                .attributes
                .iter()
                .find(|(attribute, _)| attribute == name)
                .map(|(_, value)| value.trim());
            by_seen |= value.is_some();
            value.unwrap_or("")
        });
        for (name, _) in &answer.attributes {
            if !attribute_names.contains(name) {
                attribute_names.push(name.clone());
            }
        }
        tally.add(&answer.question, value, categories, words);
    };
    match source {
        WordSource::Analyzer(analyzer) => {
            if query.category.is_some() || query.category_labels {
                return Err(Error::Usage(
                    "categories need the rules: count the words with a classifier".to_string(),
                ));
            }
            crate::classify::pipeline::map_in_order(
                answers,
                |answer| {
                    let analysis = analyzer.analyze(&answer.text);
                    let words = (!crate::classify::is_no_answer(&analysis.normalized.text))
                        .then(|| filter.answer_words(&analysis.tokens));
                    (answer, words)
                },
                progress,
                |(answer, words)| {
                    if let Some(words) = words {
                        add(&answer, &[], &words);
                    }
                    Ok(())
                },
            )?;
        }
        WordSource::Classifier(classifier) => {
            let rules = &classifier.rules;
            if let Some(category) = &query.category {
                let known = rules.schemes.iter().any(|scheme| {
                    scheme
                        .categories
                        .iter()
                        .any(|known| &known.id == category || &known.label == category)
                });
                if !known {
                    return Err(Error::Usage(format!(
                        "--category {category}: no scheme of the rules ({}) has this category \
                         (give its id or its label, as `jiyu rules check` lists them)",
                        rules.origin
                    )));
                }
            }
            crate::classify::pipeline::classify_stream_extracting(
                answers,
                classifier,
                None,
                progress,
                |_, analysis| filter.answer_words(&analysis.tokens),
                |item, words| {
                    if item
                        .classification
                        .categories
                        .iter()
                        .any(|id| id == NO_ANSWER)
                    {
                        return Ok(());
                    }
                    let scheme = rules.scheme_for(&item.answer.question);
                    let labels: Vec<String> = item
                        .classification
                        .categories
                        .iter()
                        .filter(|id| id.as_str() != UNCLASSIFIED && id.as_str() != NO_ANSWER)
                        .map(|id| rules.label(scheme, id))
                        .collect();
                    if let Some(category) = &query.category {
                        let has = item
                            .classification
                            .categories
                            .iter()
                            .any(|id| id == category)
                            || labels.iter().any(|label| label == category);
                        if !has {
                            return Ok(());
                        }
                    }
                    let kept: Vec<&str> = if query.category_labels {
                        labels.iter().map(String::as_str).collect()
                    } else {
                        Vec::new()
                    };
                    add(&item.answer, &kept, &words);
                    Ok(())
                },
            )?;
        }
    }
    for question in &query.questions {
        if tally.question(question).is_none() && query.category.is_none() {
            return Err(Error::Usage(format!(
                "--question {question}: no answer of the input is to this question"
            )));
        }
    }
    if let Some(name) = &query.by {
        if !by_seen && tally.questions.iter().any(|question| question.answers > 0) {
            return Err(Error::Usage(format!(
                "--by {name}: no answer has this attribute; the input's attributes are: {}",
                if attribute_names.is_empty() {
                    "(none)".to_string()
                } else {
                    attribute_names.join(", ")
                }
            )));
        }
    }
    Ok(tally)
}

/// The header of a value's columns: the value, or （空欄） for answers without the attribute.
fn value_name(value: &str) -> &str {
    if value.is_empty() {
        "（空欄）"
    } else {
        value
    }
}

/// `lists` as CSV for Excel (UTF-8 with a BOM, CRLF): `question, word, pos, answers, share,
/// occurrences, negated`, then per attribute value `VALUE:answers` and `VALUE:share` (the
/// share of the value's answers to the question). Shares are ratios rounded to four places.
pub fn words_csv(lists: &[WordList]) -> Result<Vec<u8>> {
    let values: Vec<&str> = lists
        .first()
        .map(|list| {
            list.values
                .iter()
                .map(|(value, _)| value.as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let encode = |err: csv::Error| Error::Encode(format!("cannot encode CSV: {err}"));
    let mut header: Vec<String> = [
        "question",
        "word",
        "pos",
        "answers",
        "share",
        "occurrences",
        "negated",
    ]
    .iter()
    .map(|name| name.to_string())
    .collect();
    for value in &values {
        header.push(format!("{}:answers", value_name(value)));
        header.push(format!("{}:share", value_name(value)));
    }
    writer.write_record(&header).map_err(encode)?;
    for list in lists {
        for row in &list.rows {
            let mut record = vec![
                list.question.clone(),
                row.word.clone(),
                row.pos.clone(),
                row.answers.to_string(),
                format!("{:.4}", row.share),
                row.occurrences.to_string(),
                row.negated.to_string(),
            ];
            for (count, (_, n)) in row.by.iter().zip(&list.values) {
                record.push(count.to_string());
                record.push(format!("{:.4}", crate::report::text::ratio(*count, *n)));
            }
            writer.write_record(&record).map_err(encode)?;
        }
    }
    writer
        .into_inner()
        .map_err(|err| Error::Encode(format!("cannot encode CSV: {err}")))
}

/// `lists` as JSON lines, one word a line: `question, word, pos, answers, share, occurrences,
/// negated` and `by`: per attribute value `{value, answers, share}`.
pub fn words_jsonl(lists: &[WordList]) -> Result<Vec<u8>> {
    #[derive(Serialize)]
    struct ByValue<'a> {
        value: &'a str,
        answers: usize,
        share: f64,
    }
    #[derive(Serialize)]
    struct Line<'a> {
        question: &'a str,
        word: &'a str,
        pos: &'a str,
        answers: usize,
        share: f64,
        occurrences: usize,
        negated: usize,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        by: Vec<ByValue<'a>>,
    }
    let round = |share: f64| (share * 10_000.0).round() / 10_000.0;
    let mut out = Vec::new();
    for list in lists {
        for row in &list.rows {
            let line = Line {
                question: &list.question,
                word: &row.word,
                pos: &row.pos,
                answers: row.answers,
                share: round(row.share),
                occurrences: row.occurrences,
                negated: row.negated,
                by: row
                    .by
                    .iter()
                    .zip(&list.values)
                    .map(|(count, (value, n))| ByValue {
                        value,
                        answers: *count,
                        share: round(crate::report::text::ratio(*count, *n)),
                    })
                    .collect(),
            };
            serde_json::to_writer(&mut out, &line)
                .map_err(|err| Error::Encode(format!("cannot encode JSON: {err}")))?;
            out.push(b'\n');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_parse_one_a_line_and_name_the_place_of_a_bad_line() {
        let words = StopWords::parse("s.txt", "# comment\nする\n\n  こと # trailing\n").unwrap();
        assert!(words.contains("する") && words.contains("こと"));
        assert!(!words.contains("# comment"));
        let err = StopWords::parse("s.txt", "する\n  対策 費用\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.txt:2:5: “対策 費用” is more than one word; write one base form a line"
        );
        assert!(StopWords::builtin().contains("する"));
    }

    #[test]
    fn pos_prefixes_match_whole_levels() {
        assert!(pos_matches("名詞,サ変接続,*,*", "名詞"));
        assert!(pos_matches("名詞,サ変接続,*,*", "名詞,サ変接続"));
        assert!(!pos_matches("名詞,サ変接続,*,*", "名詞,サ"));
        assert!(!pos_matches("連体詞,*,*,*", "名詞"));
    }
}
