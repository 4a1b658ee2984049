//! Non-answers: 「特になし」, 「なし」, 「わからない」, 「-」 and the like.
//!
//! They are caught before any scheme runs, on the normalized text, so `特になし。`, `特に無し`,
//! `とくになし` and `ﾅｼ` are all one non-answer. An answer that only *starts* like a non-answer
//! (「特にないが、事例があるとよい」) is a real answer and goes on to the schemes.

use std::sync::LazyLock;

use regex::Regex;

/// The category id every non-answer gets.
pub const NO_ANSWER: &str = "no-answer";
/// Its label in reports.
pub const NO_ANSWER_LABEL: &str = "無回答・特になし";

/// What a whole answer may consist of to count as a non-answer, after normalization and once
/// punctuation, symbols and white space are gone.
static NON_ANSWER: LazyLock<Regex> = LazyLock::new(|| {
    let nothing = "(なし|無し|ナシ|ない|無い|ありません|有りません|ございません|ありませんでした|\
                   ないです|無いです|なかった|無かった|なしです|無しです|ないと思う|ないと思います|\
                   思いつかない|思い付かない|思いつきません|思い当たらない|\
                   不明|未定|無回答|未回答|回答なし|該当なし|該当無し|該当しない|対象外|\
                   わからない|分からない|解らない|判らない|わかりません|分かりません|\
                   わからないです|分からないです|\
                   同上|上記|上記のとおり|上記の通り|\
                   NA|N/A|NONE|NOTHING|NO|NIL|無|別に|特段なし|特段無し)";
    Regex::new(&format!(
        "^(特に|とくに|特別|今のところ|いまのところ|現在のところ|現在|現時点で|現状|今|いま)*\
         (は)?{nothing}(です)?(ね|よ)?$"
    ))
    .expect("the non-answer pattern is a valid regex")
});

/// Letters and digits beyond which an answer is not a non-answer: the longest the pattern
/// takes in earnest (「今のところ特に現時点では思い当たらないです」) has 21. Stopping there spares long
/// answers a walk over all their characters.
const MAX_NON_ANSWER_CHARS: usize = 40;

/// Whether `normalized` (text from [`crate::normalize::normalize`]) is a non-answer.
pub fn is_no_answer(normalized: &str) -> bool {
    let mut key = String::new();
    let mut kept = 0;
    for ch in normalized.chars() {
        if is_letter_or_digit(ch) || ch == '/' {
            kept += 1;
            if kept > MAX_NON_ANSWER_CHARS {
                return false;
            }
            key.push(ch);
        }
    }
    // `ー` and `-` alone, empty cells of symbols only, are non-answers too.
    if key.is_empty() || key.chars().all(|ch| ch == 'ー') {
        return true;
    }
    NON_ANSWER.is_match(&key)
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
    use super::is_letter_or_digit;

    #[test]
    fn the_shortcut_agrees_with_unicode_everywhere() {
        for ch in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_letter_or_digit(ch), ch.is_alphanumeric(), "{ch:?}");
        }
    }
}
