//! Sudachi's synonym dictionary compiled into two sorted texts that are searched in place, so
//! the thesaurus needs no loading at run time. `build.rs` runs this on the shipped file (this
//! module and [`crate::normalize`] are compiled into the build script too, so they use nothing
//! else of the crate); the tests and other dictionaries may run it at run time.
//!
//! - **groups**: one line per group — its number, then its words, tab-separated, each
//!   `class,flag,lexemes,word[,written]`: class 1 (体言) or 2 (用言), flag 0 (a trigger) or 1
//!   (only expanded to), lexemes the lexeme numbers as a bit mask (bit n for number n), the
//!   word normalized ([`crate::normalize`]), and as the dictionary writes it when that differs
//!   (セミナー for セミナ), to show. Flag-2 words (kept by the dictionary as a record of a
//!   deletion) are left out, a word repeated in a group is kept once, and groups left with
//!   fewer than two words are dropped.
//! - **index**: one line per normalized word, sorted by its bytes — the word, then the byte
//!   offset of each group line that holds it, tab-separated.

use crate::normalize::normalize;

/// The compiled texts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Compiled {
    pub groups: String,
    pub index: String,
}

/// A line of the dictionary that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The normalized form of a word.
pub fn key(word: &str) -> String {
    if is_normalized(word) {
        return word.to_string();
    }
    normalize(word).text
}

/// Whether [`normalize`] leaves `word` as it is, judged from its characters alone: kana, kanji,
/// 々, upper-case ASCII letters and digits, and ー followed by katakana (a final ー may be
/// dropped). Nearly every word of the dictionary is such, and skipping the normalizer for them
/// keeps compiling fast.
pub fn is_normalized(word: &str) -> bool {
    let katakana = |ch: char| ('\u{30A1}'..='\u{30FA}').contains(&ch) || ch == 'ー';
    let mut chars = word.chars().peekable();
    let mut any = false;
    while let Some(ch) = chars.next() {
        any = true;
        let plain = ('\u{3041}'..='\u{3096}').contains(&ch)
            || ('\u{30A1}'..='\u{30FA}').contains(&ch)
            || ('\u{4E00}'..='\u{9FFF}').contains(&ch)
            || ch == '々'
            || ch.is_ascii_uppercase()
            || ch.is_ascii_digit()
            || (ch == 'ー' && chars.peek().is_some_and(|&next| katakana(next)));
        if !plain {
            return false;
        }
    }
    any
}

/// One word of a group being read.
struct Word {
    class: u8,
    flag: u8,
    lexemes: u64,
    word: String,
    written: String,
}

/// Compiles the dictionary's CSV (see `dictionaries/thesaurus/README.md` for its columns).
pub fn compile(text: &str) -> Result<Compiled, SyntaxError> {
    let mut compiled = Compiled::default();
    let mut keys: Vec<(String, usize)> = Vec::new();
    let mut group: Option<(String, Vec<Word>)> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            write_group(group.take(), &mut compiled.groups, &mut keys);
            continue;
        }
        let mut fields = [""; 9];
        let mut count = 0;
        for (slot, field) in fields.iter_mut().zip(line.splitn(10, ',')) {
            *slot = field;
            count += 1;
        }
        let error = |field: usize, message: String| SyntaxError {
            line: number,
            column: fields[..field]
                .iter()
                .map(|text| text.chars().count() + 1)
                .sum::<usize>()
                + 1,
            message,
        };
        if count < 9 {
            return Err(error(
                0,
                format!(
                    "a line has 9 or more comma-separated fields (group, class, flag, lexeme, \
                     …, word); this one has {count}"
                ),
            ));
        }
        let class = match fields[1] {
            "1" => 1,
            "2" => 2,
            other => {
                return Err(error(
                    1,
                    format!("the class is 1 (体言) or 2 (用言), not `{other}`"),
                ))
            }
        };
        let flag = match fields[2] {
            "0" => 0,
            "1" => 1,
            "2" => 2,
            other => {
                return Err(error(
                    2,
                    format!("the expansion flag is 0, 1 or 2, not `{other}`"),
                ))
            }
        };
        // One number, or several for an abbreviation of several lexemes (`1/2`).
        let mut lexemes = 0u64;
        for part in fields[3].split('/') {
            match part.parse::<u32>() {
                Ok(lexeme) if lexeme < 64 => lexemes |= 1 << lexeme,
                _ => {
                    return Err(error(
                        3,
                        format!(
                            "the lexeme number is a number below 64, or several joined by `/`, \
                             not `{}`",
                            fields[3]
                        ),
                    ))
                }
            }
        }
        if group.as_ref().is_some_and(|(id, _)| id != fields[0]) {
            write_group(group.take(), &mut compiled.groups, &mut keys);
        }
        let (_, words) = group.get_or_insert_with(|| (fields[0].to_string(), Vec::new()));
        let written = fields[8].trim();
        let word = key(written);
        // The compiled lines are tab- and comma-separated: such a word could not be read back.
        if flag == 2 || word.is_empty() || written.contains(['\t', ',']) {
            continue;
        }
        if words.iter().any(|known| known.word == word) {
            continue;
        }
        words.push(Word {
            class,
            flag,
            lexemes,
            word,
            written: written.to_string(),
        });
    }
    write_group(group.take(), &mut compiled.groups, &mut keys);
    keys.sort();
    let mut at = 0;
    while at < keys.len() {
        let word = &keys[at].0;
        compiled.index.push_str(word);
        while at < keys.len() && keys[at].0 == *word {
            compiled.index.push('\t');
            compiled.index.push_str(&keys[at].1.to_string());
            at += 1;
        }
        compiled.index.push('\n');
    }
    Ok(compiled)
}

/// Appends a group of two words or more to `groups`, and its words with the line's offset to
/// `keys`.
fn write_group(
    group: Option<(String, Vec<Word>)>,
    groups: &mut String,
    keys: &mut Vec<(String, usize)>,
) {
    let Some((id, words)) = group else {
        return;
    };
    if words.len() < 2 {
        return;
    }
    let offset = groups.len();
    groups.push_str(&id);
    for word in words {
        groups.push_str(&format!(
            "\t{},{},{},{}",
            word.class, word.flag, word.lexemes, word.word
        ));
        if word.written != word.word {
            groups.push(',');
            groups.push_str(&word.written);
        }
        keys.push((word.word, offset));
    }
    groups.push('\n');
}
