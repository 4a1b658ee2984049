//! Composing an answer: a category's phrase pools (`pools.rs`) put together as a respondent would
//! write — lead, qualifier, phrase in a frame, tail, now and then a second sentence or a bulleted
//! list — then given the notation variants of real exports. Each variant changes the spelling,
//! never the meaning, so the category an answer was written for stays its truth.

use rand_chacha::ChaCha8Rng;

use super::random::{below, chance, choose, pick, pick_weighted};
use super::survey::{
    QuestionSpec, Style, NON_ANSWERS, NON_ANSWER_PER_MILLE_MAIN, NON_ANSWER_PER_MILLE_OTHER,
};
use super::GeneratedAnswer;

/// One written-in cell of the question of `spec`: a non-answer at the question's rate, else an
/// answer composed for one of its categories (drawn by weight), with notation variants.
pub(super) fn write_answer(spec: &'static QuestionSpec, rng: &mut ChaCha8Rng) -> GeneratedAnswer {
    let non_answer = match spec.style {
        Style::Main => NON_ANSWER_PER_MILLE_MAIN,
        Style::Other { .. } => NON_ANSWER_PER_MILLE_OTHER,
    };
    if chance(rng, non_answer) {
        return GeneratedAnswer {
            question: spec.column,
            scheme: spec.scheme,
            category: None,
            text: (*pick_weighted(rng, &NON_ANSWERS)).to_string(),
        };
    }
    let category = *pick_weighted(rng, spec.categories);
    let text = compose(category, rng);
    GeneratedAnswer {
        question: spec.column,
        scheme: spec.scheme,
        category: Some(category.id),
        text: vary(text, rng),
    }
}

/// The phrase pools of one category.
#[derive(Debug)]
pub(super) struct Category {
    pub(super) id: &'static str,
    pub(super) parts: &'static [Part],
}

/// One way of phrasing a category: `lead? qualifier+phrase in frame, tail?`.
#[derive(Debug)]
pub(super) struct Part {
    /// Sentence openers (`社内に詳しい人がいないので、`), used now and then.
    pub(super) leads: &'static [&'static str],
    /// Put before the phrase (`中小企業向けの`); "" entries make the bare phrase more likely.
    pub(super) qualifiers: &'static [&'static str],
    /// The content: what makes the answer belong to the category.
    pub(super) phrases: &'static [&'static str],
    /// `{}` is replaced by qualifier + phrase.
    pub(super) frames: &'static [&'static str],
    /// Closing sentences, used now and then.
    pub(super) tails: &'static [&'static str],
    /// Whether the bare phrases can be listed as bullet points.
    pub(super) listable: bool,
}

impl Part {
    pub(super) const EMPTY: Part = Part {
        leads: &[],
        qualifiers: &[],
        phrases: &[],
        frames: &["{}"],
        tails: &[],
        listable: false,
    };
}

const LEAD_PER_MILLE: u32 = 220;
const TAIL_PER_MILLE: u32 = 130;
const SECOND_SENTENCE_PER_MILLE: u32 = 70;
const LIST_PER_MILLE: u32 = 40;
const FINAL_PERIOD_PER_MILLE: u32 = 250;

pub(super) fn compose(category: &Category, rng: &mut ChaCha8Rng) -> String {
    let part = pick(rng, category.parts);
    if part.listable && chance(rng, LIST_PER_MILLE) {
        return list(part, rng);
    }
    let mut text = String::new();
    if chance(rng, LEAD_PER_MILLE) && !part.leads.is_empty() {
        text.push_str(choose(rng, part.leads));
    }
    let first = push_body(&mut text, part, rng);
    if chance(rng, SECOND_SENTENCE_PER_MILLE) {
        text.push_str(choose(
            rng,
            &["。また、", "。", "。\n", "。\r\n", "\n", "\r\n"],
        ));
        // About something else: nobody writes the same thing twice.
        let mut second = String::new();
        for _ in 0..8 {
            second.clear();
            if push_body(&mut second, pick(rng, category.parts), rng) != first {
                break;
            }
        }
        text.push_str(&second);
    }
    if chance(rng, TAIL_PER_MILLE) && !part.tails.is_empty() {
        text.push_str(choose(rng, &["。", "。", "。\n", "。\r\n"]));
        text.push_str(choose(rng, part.tails));
    }
    if chance(rng, FINAL_PERIOD_PER_MILLE) {
        text.push('。');
    }
    text
}

/// Appends qualifier + phrase in a frame; returns the phrase.
fn push_body(text: &mut String, part: &Part, rng: &mut ChaCha8Rng) -> &'static str {
    let qualifier = if part.qualifiers.is_empty() {
        ""
    } else {
        choose(rng, part.qualifiers)
    };
    let phrase = choose(rng, part.phrases);
    let frame = choose(rng, part.frames);
    let (before, after) = frame.split_once("{}").unwrap_or((frame, ""));
    text.push_str(before);
    text.push_str(qualifier);
    text.push_str(phrase);
    text.push_str(after);
    phrase
}

/// Two or three of the part's phrases as a bulleted list, one a line.
fn list(part: &Part, rng: &mut ChaCha8Rng) -> String {
    let count = (2 + below(rng, 2)).min(part.phrases.len());
    let mut chosen: Vec<&str> = Vec::with_capacity(count);
    while chosen.len() < count {
        let phrase = choose(rng, part.phrases);
        if !chosen.contains(&phrase) {
            chosen.push(phrase);
        }
    }
    let style = below(rng, 4);
    let line_break = if chance(rng, 500) { "\r\n" } else { "\n" };
    let mut text = String::new();
    for (index, phrase) in chosen.iter().enumerate() {
        if index > 0 {
            text.push_str(line_break);
        }
        match style {
            0 => text.push('・'),
            1 => text.push(['①', '②', '③'][index]),
            2 => text.push_str(&format!("{}.", index + 1)),
            _ => text.push_str("- "),
        }
        text.push_str(phrase);
    }
    text
}

/// Applies the notation variants of real exports. Each changes the spelling, never the meaning.
pub(super) fn vary(text: String, rng: &mut ChaCha8Rng) -> String {
    let mut text = text;
    // Words first: each is decided for the whole answer, as one person writes consistently.
    if chance(rng, 300) {
        replace(&mut text, "パソコン", "PC");
    }
    if chance(rng, 250) {
        replace(&mut text, "サーバー", "サーバ");
        replace(&mut text, "ユーザー", "ユーザ");
    }
    if chance(rng, 200) {
        replace(&mut text, "ウイルス", "ウィルス");
    }
    if text.contains("ホームページ") {
        let to = choose(
            rng,
            &[
                "ホームページ",
                "ホームページ",
                "HP",
                "Webサイト",
                "ウェブサイト",
            ],
        );
        replace(&mut text, "ホームページ", to);
    }
    if text.contains("SECURITY ACTION") {
        let to = *pick_weighted(
            rng,
            &[
                (6u32, "SECURITY ACTION"),
                (2, "セキュリティアクション"),
                (1, "Security Action"),
                (1, "SECURITY　ACTION"),
                (1, "SECURITY-ACTION"),
            ],
        );
        replace(&mut text, "SECURITY ACTION", to);
    }
    if text.contains("eラーニング") {
        let to = choose(
            rng,
            &[
                "eラーニング",
                "eラーニング",
                "ｅラーニング",
                "e-ラーニング",
                "Eラーニング",
                "イーラーニング",
            ],
        );
        replace(&mut text, "eラーニング", to);
    }
    if text.contains("ひな形") {
        let to = choose(rng, &["ひな形", "雛形", "ひな型", "雛型"]);
        replace(&mut text, "ひな形", to);
    }
    if chance(rng, 120) {
        replace(&mut text, "セキュリティ", "セキュリティー");
    }
    if chance(rng, 450) {
        replace(&mut text, "漏洩", "漏えい");
    }
    if text.contains("問い合わせ") {
        let to = choose(rng, &["問い合わせ", "問い合わせ", "問合せ", "問合わせ"]);
        replace(&mut text, "問い合わせ", to);
    }
    if chance(rng, 300) {
        replace(&mut text, "わか", "分か");
    }
    if chance(rng, 300) {
        replace(&mut text, "ほしい", "欲しい");
    }
    if chance(rng, 300) {
        replace(&mut text, "よい", "良い");
    }
    if chance(rng, 120) {
        replace(&mut text, "でき", "出来");
    }
    if chance(rng, 150) {
        replace(&mut text, "ありがたい", "有難い");
    }
    // Punctuation and character widths.
    if text.contains('「') {
        if chance(rng, 350) {
            text = text.replace(['「', '」'], "\"");
        } else if chance(rng, 100) {
            text = text.replace('「', "『").replace('」', "』");
        }
    }
    if chance(rng, 30) {
        replace(&mut text, "、", "，");
    } else if chance(rng, 40) {
        replace(&mut text, "、", ",");
    }
    if chance(rng, 50) {
        text = space_around_latin(&text);
    }
    if chance(rng, 130) {
        text = full_width_latin(&text);
    }
    if chance(rng, 20) {
        text = half_width_kana(&text);
    }
    if chance(rng, 15) {
        text.push_str(choose(rng, &[" ", "　"]));
    }
    text
}

fn replace(text: &mut String, from: &str, to: &str) {
    if text.contains(from) {
        *text = text.replace(from, to);
    }
}

/// `IT導入補助金` → `IT 導入補助金`, as some respondents (and the report's typesetting) space
/// Latin words.
pub(super) fn space_around_latin(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous: Option<char> = None;
    for ch in text.chars() {
        if let Some(before) = previous {
            let latin = |c: char| c.is_ascii_alphanumeric();
            let japanese = |c: char| !c.is_ascii() && c.is_alphanumeric();
            if (latin(before) && japanese(ch)) || (japanese(before) && latin(ch)) {
                out.push(' ');
            }
        }
        out.push(ch);
        previous = Some(ch);
    }
    out
}

/// `ISMS` → `ＩＳＭＳ`: Latin letters, digits and the spaces between them in full width.
pub(super) fn full_width_latin(text: &str) -> String {
    text.chars()
        .map(|ch| match ch {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '/' | '.' | '(' | ')' => {
                char::from_u32(u32::from(ch) - 0x21 + 0xFF01).unwrap_or(ch)
            }
            ' ' => '\u{3000}',
            _ => ch,
        })
        .collect()
}

/// Katakana (and 。「」、・) in half width: `セキュリティ` → `ｾｷｭﾘﾃｨ`, `ガ` → `ｶﾞ`.
pub(super) fn half_width_kana(text: &str) -> String {
    const FULL: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
    let half = |base: char| -> Option<char> {
        FULL.chars()
            .position(|full| full == base)
            .and_then(|index| char::from_u32(0xFF66 + index as u32))
    };
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '。' => out.push('｡'),
            '「' => out.push('｢'),
            '」' => out.push('｣'),
            '、' => out.push('､'),
            '・' => out.push('･'),
            'ー' | '\u{30A1}'..='\u{30FA}' => {
                let mut parts = Vec::with_capacity(2);
                unicode_normalization::char::decompose_canonical(ch, |part| parts.push(part));
                let converted = match parts.as_slice() {
                    [base] => half(*base).map(|base| (base, None)),
                    [base, '\u{3099}'] => half(*base).map(|base| (base, Some('ﾞ'))),
                    [base, '\u{309A}'] => half(*base).map(|base| (base, Some('ﾟ'))),
                    _ => None,
                };
                match converted {
                    Some((base, mark)) => {
                        out.push(base);
                        out.extend(mark);
                    }
                    None => out.push(ch),
                }
            }
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::survey::QUESTIONS;

    #[test]
    fn every_string_round_trips_through_shift_jis() {
        let mut strings: Vec<&str> = NON_ANSWERS.iter().map(|(_, text)| *text).collect();
        for spec in &QUESTIONS {
            for (_, category) in spec.categories {
                for part in category.parts {
                    for pool in [
                        part.leads,
                        part.qualifiers,
                        part.phrases,
                        part.frames,
                        part.tails,
                    ] {
                        strings.extend(pool.iter().copied());
                    }
                }
            }
        }
        for text in strings {
            for variant in [
                text.to_string(),
                full_width_latin(text),
                half_width_kana(text),
            ] {
                let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&variant);
                assert!(!unmappable, "{variant:?} is not Shift_JIS");
                let (decoded, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
                assert_eq!(decoded, variant, "{variant:?} does not round-trip");
            }
        }
    }

    #[test]
    fn half_width_kana_keeps_voicing() {
        assert_eq!(half_width_kana("セキュリティーガイド。"), "ｾｷｭﾘﾃｨｰｶﾞｲﾄﾞ｡");
        assert_eq!(half_width_kana("パソコンとヴ"), "ﾊﾟｿｺﾝとｳﾞ");
        assert_eq!(half_width_kana("ヶ月"), "ヶ月");
    }

    #[test]
    fn full_width_latin_and_spaces() {
        assert_eq!(full_width_latin("ISMS 2024"), "ＩＳＭＳ　２０２４");
        assert_eq!(space_around_latin("IT導入補助金とPC"), "IT 導入補助金と PC");
    }
}
