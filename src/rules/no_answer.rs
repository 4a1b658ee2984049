//! Non-answers: 「特になし」, 「なし」, 「わからない」, 「-」 and the like.
//!
//! They are caught before any scheme runs, on the normalized text, so `特になし。`, `特に無し`,
//! `とくになし` and `ﾅｼ` are all one non-answer. An answer that only *starts* like a non-answer
//! (「特にないが、事例があるとよい」) is a real answer and goes on to the schemes.
//!
//! A scheme may add its own phrases ([`ExtraPhrases`], the `[no_answer]` table of its file):
//! they join the built-in list of what a non-answer says, with the same leads and endings.

use std::sync::LazyLock;

use regex::Regex;

/// What a non-answer may start with (「特に」「今のところ」 …), any number of times.
const LEADS: [&str; 11] = [
    "特に",
    "とくに",
    "特別",
    "今のところ",
    "いまのところ",
    "現在のところ",
    "現在",
    "現時点で",
    "現状",
    "今",
    "いま",
];

/// What it then says: there is nothing, or the respondent does not know.
const NOTHING: [&str; 52] = [
    "なし",
    "無し",
    "ナシ",
    "ない",
    "無い",
    "ありません",
    "有りません",
    "ございません",
    "ありませんでした",
    "ないです",
    "無いです",
    "なかった",
    "無かった",
    "なしです",
    "無しです",
    "ないと思う",
    "ないと思います",
    "思いつかない",
    "思い付かない",
    "思いつきません",
    "思い当たらない",
    "不明",
    "未定",
    "無回答",
    "未回答",
    "回答なし",
    "該当なし",
    "該当無し",
    "該当しない",
    "対象外",
    "わからない",
    "分からない",
    "解らない",
    "判らない",
    "わかりません",
    "分かりません",
    "わからないです",
    "分からないです",
    "同上",
    "上記",
    "上記のとおり",
    "上記の通り",
    "NA",
    "N/A",
    "NONE",
    "NOTHING",
    "NO",
    "NIL",
    "無",
    "別に",
    "特段なし",
    "特段無し",
];

/// What a whole answer may consist of to count as a non-answer, after normalization and once
/// punctuation, symbols and white space are gone.
static NON_ANSWER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&pattern(&NOTHING)).expect("the non-answer pattern is a valid regex")
});

/// The pattern of a whole non-answer that says one of `nothing` (regex alternatives): any
/// leads, an optional は, then です, ね or よ at the end.
fn pattern<S: AsRef<str>>(nothing: &[S]) -> String {
    let nothing: Vec<&str> = nothing.iter().map(AsRef::as_ref).collect();
    format!(
        "^({})*(は)?({})(です)?(ね|よ)?$",
        LEADS.join("|"),
        nothing.join("|")
    )
}

/// The letters a non-answer saying one of `nothing` can start with, sorted: an answer whose
/// first letter is none of them is not one, and most answers are told after one letter
/// instead of forty.
fn first_letters<S: AsRef<str>>(nothing: &[S]) -> Vec<char> {
    let mut first: Vec<char> = LEADS
        .iter()
        .copied()
        .chain(nothing.iter().map(AsRef::as_ref))
        .chain(["は"])
        .filter_map(|word| word.chars().next())
        .collect();
    first.sort_unstable();
    first.dedup();
    first
}

/// The letters [`NON_ANSWER`] can start with.
static FIRST_LETTERS: LazyLock<Vec<char>> = LazyLock::new(|| first_letters(&NOTHING));

/// Letters and digits beyond which an answer is not a non-answer: the longest the pattern
/// takes in earnest (「今のところ特に現時点では思い当たらないです」) has 21. Stopping there spares long
/// answers a walk over all their characters.
const MAX_NON_ANSWER_CHARS: usize = 40;

/// Whether `normalized` (text from [`crate::normalize::normalize`]) is a non-answer.
pub fn is_no_answer(normalized: &str) -> bool {
    let Some(key) = key(normalized, &FIRST_LETTERS, MAX_NON_ANSWER_CHARS) else {
        return false;
    };
    // `ー` and `-` alone, empty cells of symbols only, are non-answers too.
    if key.is_empty() || key.chars().all(|ch| ch == 'ー') {
        return true;
    }
    NON_ANSWER.is_match(&key)
}

/// The letters, digits and `/` of `normalized`, or `None` when they cannot make a non-answer:
/// the first is not among `first` (sorted), or there are more than `max_chars`. A key that
/// starts with `ー` is kept whatever `first` says (`ー` alone is a non-answer).
fn key(normalized: &str, first: &[char], max_chars: usize) -> Option<String> {
    let mut key = String::new();
    let mut kept = 0;
    for ch in normalized.chars() {
        if is_letter_or_digit(ch) || ch == '/' {
            if kept == 0 && ch != 'ー' && first.binary_search(&ch).is_err() {
                return None;
            }
            kept += 1;
            if kept > max_chars {
                return None;
            }
            key.push(ch);
        }
    }
    Some(key)
}

/// The non-answer phrases a scheme adds to the built-in ones: an answer is a non-answer of the
/// scheme when, normalized and without punctuation, symbols and white space, it says one of
/// them — whole, after any of the built-in leads (特に, 今のところ, 現状 …, and は), and with
/// です, ね or よ after it. So the phrase 「問題はない」 takes 「今のところ特に問題はない。」 too, and
/// not 「問題はないが、回線が遅い」.
#[derive(Debug, Clone)]
pub struct ExtraPhrases {
    pattern: Regex,
    first_letters: Vec<char>,
    max_chars: usize,
}

impl ExtraPhrases {
    /// Compiles `phrases`; `Err(i)` when phrase `i` has no letter or digit, so it could match
    /// nothing (or, empty, everything).
    pub fn new(phrases: &[String]) -> Result<ExtraPhrases, usize> {
        let mut keys: Vec<String> = Vec::with_capacity(phrases.len());
        for (index, phrase) in phrases.iter().enumerate() {
            let key: String = crate::normalize::normalize(phrase)
                .text
                .chars()
                .filter(|&ch| is_letter_or_digit(ch) || ch == '/')
                .collect();
            if !key.chars().any(|ch| ch != 'ー' && ch != '/') {
                return Err(index);
            }
            keys.push(key);
        }
        let longest = keys
            .iter()
            .map(|key| key.chars().count())
            .max()
            .unwrap_or(0);
        let alternatives: Vec<String> = keys.iter().map(|key| regex::escape(key)).collect();
        // No phrase matches nothing (an empty alternative would take a bare 「特に」).
        let source = if alternatives.is_empty() {
            "[^\\s\\S]".to_string()
        } else {
            pattern(&alternatives)
        };
        Ok(ExtraPhrases {
            pattern: Regex::new(&source).expect("escaped phrases make a valid regex"),
            first_letters: first_letters(&keys),
            max_chars: longest + MAX_NON_ANSWER_CHARS,
        })
    }

    /// Whether `normalized` (text from [`crate::normalize::normalize`]) says one of the phrases.
    pub fn matches(&self, normalized: &str) -> bool {
        key(normalized, &self.first_letters, self.max_chars)
            .is_some_and(|key| !key.is_empty() && self.pattern.is_match(&key))
    }
}

/// `char::is_alphanumeric`, with kana and kanji — most of every answer — answered without
/// Unicode's tables (their lookup showed in profiles).
fn is_letter_or_digit(ch: char) -> bool {
    match ch {
        '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー' | '\u{4E00}'..='\u{9FFF}' => true,
        _ => ch.is_alphanumeric(),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_letter_or_digit, is_no_answer, LEADS, NON_ANSWER, NOTHING};
    use crate::normalize::normalize;

    /// [`is_no_answer`] without the first-letter shortcut: the key, then the pattern.
    fn by_pattern_alone(normalized: &str) -> bool {
        let key: String = normalized
            .chars()
            .filter(|&ch| is_letter_or_digit(ch) || ch == '/')
            .collect();
        if key.chars().count() > super::MAX_NON_ANSWER_CHARS {
            return false;
        }
        key.is_empty() || key.chars().all(|ch| ch == 'ー') || NON_ANSWER.is_match(&key)
    }

    #[test]
    fn the_first_letter_shortcut_changes_no_verdict() {
        let mut texts: Vec<String> = Vec::new();
        for lead in LEADS.iter().chain(&["", "は", "特に特に"]) {
            for nothing in NOTHING {
                for tail in ["", "です", "ですね", "。", "が、事例がほしい", "ー"] {
                    texts.push(format!("{lead}{nothing}{tail}"));
                    texts.push(format!("「{lead}、{nothing}{tail}」"));
                }
            }
        }
        texts.extend(
            [
                "ー",
                "ーー",
                "-",
                "・",
                "",
                "ー特になし",
                "NA",
                "n/a",
                "特段なし",
            ]
            .map(String::from),
        );
        // Real answers, of every kind.
        let corpus = include_str!("../../corpus/ipa-2024/labeled.jsonl");
        texts.extend(corpus.lines().filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            Some(value.get("text")?.as_str()?.to_string())
        }));
        let mut non_answers = 0;
        for text in &texts {
            let normalized = normalize(text).text;
            let verdict = is_no_answer(&normalized);
            assert_eq!(verdict, by_pattern_alone(&normalized), "{text:?}");
            non_answers += usize::from(verdict);
        }
        // Both verdicts occur, so the comparison says something.
        assert!(
            non_answers > 500 && non_answers < texts.len() - 500,
            "{non_answers}"
        );
    }

    #[test]
    fn the_shortcut_agrees_with_unicode_everywhere() {
        for ch in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_letter_or_digit(ch), ch.is_alphanumeric(), "{ch:?}");
        }
    }
}
