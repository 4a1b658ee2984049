//! Required literals of a regex: a set of texts one of which every match of the regex contains
//! (`/(会社|企業)の(取り組み|取組)?(例|事例)/` → 会社の, 企業の). The program adds them to the
//! automaton that finds the words and literals, so one scan of an answer tells which regexes
//! can match it at all; only those run. A regex without such a set (one that can match the
//! empty string, or whose every part is a large class) always runs.
//!
//! The sets come from the regex's syntax tree ([`regex_syntax::hir::Hir`]) parsed with the
//! flags the rules' regexes are built with (case-insensitive), so a folded letter (`[Aa]`)
//! gives both spellings.

use regex_syntax::hir::{Class, Hir, HirKind};
use regex_syntax::ParserBuilder;

/// The most texts a set may hold; larger sets are given up for a smaller one.
const MAX_TEXTS: usize = 64;
/// The most characters a class may hold to count as a set of one-character texts.
const MAX_CLASS_CHARS: usize = 10;

/// A set of texts one of which every match of `pattern` (compiled case-insensitively, as
/// [`super::parser::build_regex`] compiles it) contains; `None` when there is no useful one.
/// No text of the set is empty.
pub(super) fn required_texts(pattern: &str) -> Option<Vec<String>> {
    let hir = ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .ok()?;
    let texts = needed(&hir)?;
    texts
        .into_iter()
        .map(|bytes| String::from_utf8(bytes).ok())
        .collect()
}

/// Every text `hir` can match, when they are few (at most [`MAX_TEXTS`]).
fn exact(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(literal) => Some(vec![literal.0.to_vec()]),
        HirKind::Class(class) => class_texts(class),
        HirKind::Capture(capture) => exact(&capture.sub),
        HirKind::Repetition(repetition) => match (repetition.min, repetition.max) {
            (1, Some(1)) => exact(&repetition.sub),
            (0, Some(1)) => {
                let mut texts = exact(&repetition.sub)?;
                texts.push(Vec::new());
                distinct(texts)
            }
            _ => None,
        },
        HirKind::Concat(items) => items.iter().try_fold(vec![Vec::new()], |texts, item| {
            product(&texts, &exact(item)?)
        }),
        HirKind::Alternation(items) => {
            let mut texts = Vec::new();
            for item in items {
                texts.extend(exact(item)?);
            }
            distinct(texts)
        }
    }
}

/// A set of non-empty texts one of which every match of `hir` contains.
fn needed(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(_) | HirKind::Class(_) => exact(hir).filter(|texts| usable(texts)),
        HirKind::Capture(capture) => needed(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => needed(&repetition.sub),
        HirKind::Repetition(_) => None,
        HirKind::Alternation(items) => {
            let mut texts = Vec::new();
            for item in items {
                texts.extend(needed(item)?);
            }
            distinct(texts)
        }
        HirKind::Concat(items) => {
            // Each item's own set, and the texts of each run of items whose texts are all
            // known (会社の from (会社|企業) then の); the best of them.
            let mut best: Option<Vec<Vec<u8>>> = None;
            let mut consider = |texts: Vec<Vec<u8>>| {
                if usable(&texts) && best.as_ref().is_none_or(|known| better(&texts, known)) {
                    best = Some(texts);
                }
            };
            let mut run: Option<Vec<Vec<u8>>> = None;
            for item in items {
                if let Some(texts) = needed(item) {
                    consider(texts);
                }
                match exact(item) {
                    Some(texts) => {
                        run = match run.take() {
                            None => Some(texts),
                            Some(before) => product(&before, &texts).or(Some(texts)),
                        };
                        if let Some(texts) = &run {
                            consider(texts.clone());
                        }
                    }
                    None => run = None,
                }
            }
            best
        }
    }
}

/// The characters of a small class, each as a text.
fn class_texts(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut texts = Vec::new();
    match class {
        Class::Unicode(class) => {
            for range in class.ranges() {
                for ch in range.start()..=range.end() {
                    if texts.len() == MAX_CLASS_CHARS {
                        return None;
                    }
                    texts.push(ch.to_string().into_bytes());
                }
            }
        }
        Class::Bytes(class) => {
            for range in class.ranges() {
                for byte in range.start()..=range.end() {
                    // Bytes above ASCII are parts of characters, no texts of their own.
                    if texts.len() == MAX_CLASS_CHARS || !byte.is_ascii() {
                        return None;
                    }
                    texts.push(vec![byte]);
                }
            }
        }
    }
    // A class of no characters matches nothing; it is left to the regex.
    (!texts.is_empty()).then_some(texts)
}

/// Every text of `a` followed by every text of `b`, when they are not too many.
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len().saturating_mul(b.len()) > MAX_TEXTS {
        return None;
    }
    distinct(
        a.iter()
            .flat_map(|first| b.iter().map(move |second| [&first[..], second].concat()))
            .collect(),
    )
}

/// `texts` without repeats, when they are not too many.
fn distinct(mut texts: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    texts.sort_unstable();
    texts.dedup();
    (texts.len() <= MAX_TEXTS).then_some(texts)
}

/// Whether a set can stand for its regex: not empty, no empty text (every answer contains it).
fn usable(texts: &[Vec<u8>]) -> bool {
    !texts.is_empty() && texts.iter().all(|text| !text.is_empty())
}

/// Whether `a` filters better than `b`: a longer shortest text (rarer), then fewer texts.
fn better(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    let shortest = |texts: &[Vec<u8>]| texts.iter().map(Vec::len).min().unwrap_or(0);
    (shortest(a), std::cmp::Reverse(a.len())) > (shortest(b), std::cmp::Reverse(b.len()))
}

#[cfg(test)]
mod tests {
    use super::required_texts;

    fn texts(pattern: &str) -> Option<Vec<String>> {
        required_texts(pattern)
    }

    #[test]
    fn alternatives_followed_by_a_literal_give_each_joined() {
        let found = texts("(会社|企業|事業者|事業所)[はがで](どう|どのように)").expect("a set");
        assert_eq!(found.len(), 4 * 3 * 2);
        for text in ["会社はどう", "事業所でどのように", "企業がどう"] {
            assert!(found.contains(&text.to_string()), "{text} in {found:?}");
        }
    }

    #[test]
    fn letters_come_in_both_cases_and_large_classes_are_skipped() {
        let found = texts("(^|[^A-Z])AI([^A-Z]|$)").expect("a set");
        assert!(found.contains(&"AI".to_string()) && found.contains(&"ai".to_string()));
        assert!(found.iter().all(|text| text.eq_ignore_ascii_case("AI")));
    }

    #[test]
    fn what_can_match_empty_text_has_no_set() {
        assert_eq!(texts("(ない)?"), None);
        assert_eq!(texts("a*"), None);
        assert_eq!(texts("^$"), None);
        assert_eq!(texts("ない|"), None);
        assert_eq!(texts("[^。、]{0,8}"), None);
    }

    #[test]
    fn an_optional_part_joins_with_and_without_it() {
        let found = texts("取引先の?(個人)?情報").expect("a set");
        for text in [
            "取引先の個人情報",
            "取引先個人情報",
            "取引先の情報",
            "取引先情報",
        ] {
            assert!(found.contains(&text.to_string()), "{text} in {found:?}");
        }
    }
}
