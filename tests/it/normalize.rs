//! `jiyu::normalize::normalize` on text that looks like real survey answers: NFKC, case, dash
//! look-alikes, the katakana trailing long-vowel mark, white space, and the map back to the
//! original text.

use std::ops::Range;

use jiyu::normalize::{normalize, Normalized};

fn norm(text: &str) -> String {
    normalize(text).text
}

/// The byte range of the first `needle` in the normalized text.
fn find(normalized: &Normalized, needle: &str) -> Range<usize> {
    let start = normalized
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in {:?}", normalized.text));
    start..start + needle.len()
}

/// The original substring behind the first `needle` of the normalized text.
fn original_of<'a>(original: &'a str, needle: &str) -> &'a str {
    let normalized = normalize(original);
    &original[normalized.original_range(find(&normalized, needle))]
}

// --- NFKC -----------------------------------------------------------------------------------

#[test]
fn full_width_latin_and_digits_become_ascii() {
    assert_eq!(norm("ＩＳＭＳ認証を取得した"), "ISMS認証を取得した");
    assert_eq!(norm("ＩＳＯ２７００１の取得が無い"), "ISO27001の取得が無い");
    assert_eq!(norm("情報セキュリティ５か条"), "情報セキュリティ5か条");
    assert_eq!(
        norm("ＳＥＣＵＲＩＴＹ　ＡＣＴＩＯＮ二つ星"),
        "SECURITY ACTION二つ星"
    );
    assert_eq!(norm("（旧Ｔｗｉｔｔｅｒ）"), "(旧TWITTER)");
}

#[test]
fn half_width_katakana_becomes_full_width() {
    assert_eq!(norm("ｾｷｭﾘﾃｨ"), "セキュリティ");
    assert_eq!(norm("ｶﾞｲﾄﾞ"), "ガイド");
    assert_eq!(norm("ｶﾞｲﾄﾞﾗｲﾝが欲しい"), "ガイドラインが欲しい");
    assert_eq!(norm("ﾊﾟｽﾜｰﾄﾞ管理"), "パスワード管理");
    assert_eq!(norm("ﾃﾞｰﾀのﾊﾞｯｸｱｯﾌﾟ"), "データのバックアップ");
}

#[test]
fn combining_marks_compose() {
    // カ + combining dakuten, as some Mac exports write it.
    assert_eq!(norm("カ\u{3099}イト\u{3099}"), "ガイド");
    assert_eq!(norm("ハ\u{309A}スワート\u{3099}"), "パスワード");
}

#[test]
fn compatibility_characters_are_expanded() {
    assert_eq!(norm("㈱ＡＢＣ"), "(株)ABC");
    assert_eq!(norm("①ウイルス対策"), "1ウイルス対策");
    assert_eq!(norm("５㌫"), "5パーセント");
}

#[test]
fn kanji_and_hiragana_are_left_alone() {
    let text = "取引先に取得を勧める際に有効だった。";
    assert_eq!(norm(text), text);
    let text = "雛形・ひな形、漏洩・漏えい、問い合わせ・問合せ";
    assert_eq!(norm(text), text);
}

// --- case -----------------------------------------------------------------------------------

#[test]
fn latin_letters_fold_to_upper_case() {
    assert_eq!(norm("isms"), "ISMS");
    assert_eq!(norm("Isms認証"), "ISMS認証");
    assert_eq!(norm("ｉｓｍｓ"), "ISMS");
    assert_eq!(norm("gBizIDの取得"), "GBIZIDの取得");
    assert_eq!(norm("Emotetに感染"), "EMOTETに感染");
    assert_eq!(norm("Security Action"), "SECURITY ACTION");
    assert_eq!(norm("it導入補助金"), "IT導入補助金");
}

// --- dashes and the long-vowel mark ----------------------------------------------------------

#[test]
fn dash_look_alikes_after_katakana_become_the_long_vowel_mark() {
    assert_eq!(norm("サ\u{2212}バ"), "サーバ"); // minus sign
    assert_eq!(norm("サ\u{2010}バ"), "サーバ"); // hyphen
    assert_eq!(norm("サ\u{2014}バ"), "サーバ"); // em dash
    assert_eq!(norm("サ\u{2015}バ"), "サーバ"); // horizontal bar
    assert_eq!(norm("サ\u{2500}バ"), "サーバ"); // box drawing
    assert_eq!(norm("サ－バ"), "サーバ"); // full-width hyphen-minus
    assert_eq!(norm("サ-バ"), "サーバ");
    assert_eq!(norm("ﾃﾞ-ﾀ"), "データ");
    assert_eq!(norm("コンピュ\u{2212}タウイルス"), "コンピュータウイルス");
}

#[test]
fn hyphen_between_latin_and_katakana_is_dropped() {
    assert_eq!(norm("e-ラーニング"), "Eラーニング");
    assert_eq!(norm("e\u{2010}ラーニング"), "Eラーニング");
    assert_eq!(norm("ｅ－ラーニング"), "Eラーニング");
    assert_eq!(
        norm("セキュリティの e-ラーニング"),
        "セキュリティのEラーニング"
    );
}

#[test]
fn dash_look_alikes_elsewhere_become_a_hyphen() {
    assert_eq!(norm("Wi\u{2010}Fi"), "WI-FI");
    assert_eq!(norm("2024\u{2212}01\u{2212}15"), "2024-01-15");
    assert_eq!(norm("ISO\u{2013}27001"), "ISO-27001");
    assert_eq!(norm("J－CRAT"), "J-CRAT");
    assert_eq!(norm("対策\u{2015}未実施"), "対策-未実施");
}

#[test]
fn long_vowel_mark_outside_katakana_is_kept() {
    assert_eq!(norm("すごーい"), "すごーい");
    assert_eq!(norm("ー"), "ー");
}

// --- trailing long-vowel mark ----------------------------------------------------------------

#[test]
fn long_katakana_words_lose_a_trailing_long_vowel_mark() {
    assert_eq!(norm("セキュリティー"), "セキュリティ");
    assert_eq!(norm("サーバー"), "サーバ");
    assert_eq!(norm("サーバーの管理"), "サーバの管理");
    assert_eq!(norm("セキュリティーポリシー"), "セキュリティーポリシ");
    assert_eq!(norm("ユーザーID"), "ユーザID");
    assert_eq!(norm("メーカー・ベンダー"), "メーカ・ベンダ");
    assert_eq!(norm("ｻｰﾊﾞｰ"), "サーバ");
    assert_eq!(norm("ｾｷｭﾘﾃｨｰ対策"), "セキュリティ対策");
    assert_eq!(norm("サーバ\u{2212}"), "サーバ");
}

#[test]
fn short_katakana_words_keep_their_long_vowel_mark() {
    assert_eq!(norm("キー"), "キー");
    assert_eq!(norm("ツアー"), "ツアー");
    assert_eq!(norm("USBキーを紛失"), "USBキーを紛失");
    assert_eq!(norm("ツアーに参加"), "ツアーに参加");
    // Inside a word the mark always stays.
    assert_eq!(norm("コンピューターウイルス"), "コンピューターウイルス");
    assert_eq!(norm("データ"), "データ");
}

// --- white space ----------------------------------------------------------------------------

#[test]
fn white_space_collapses_to_one_space_and_the_ends_are_trimmed() {
    assert_eq!(norm("情報\u{3000}セキュリティ"), "情報 セキュリティ");
    assert_eq!(norm("研修を実施\n\n今後も継続"), "研修を実施 今後も継続");
    assert_eq!(norm("一行目\r\n二行目\r\n"), "一行目 二行目");
    assert_eq!(norm("項目\t\t値"), "項目 値");
    assert_eq!(norm("  前後の空白  "), "前後の空白");
    assert_eq!(norm("\u{3000}\u{3000}全角\u{3000}\u{3000}"), "全角");
    // A space between Latin and Japanese only separates scripts (PDF copies add it).
    assert_eq!(norm("CSR 報告書"), "CSR報告書");
    assert_eq!(norm("IT 導入補助金"), "IT導入補助金");
    assert_eq!(
        norm("SECURITY ACTION の 二つ星"),
        "SECURITY ACTIONの 二つ星"
    );
    assert_eq!(norm("A \u{3000}\t\r\n B"), "A B");
    assert_eq!(norm("制御\u{0007}文字"), "制御 文字");
}

#[test]
fn empty_and_blank_text_normalize_to_nothing() {
    assert_eq!(norm(""), "");
    assert_eq!(norm(" \u{3000}\r\n\t"), "");
}

#[test]
fn normalized_text_is_a_fixed_point_for_answers() {
    for text in [
        "ＩＳＭＳの研修を受けた",
        "ｾｷｭﾘﾃｨｰ対策のｶﾞｲﾄﾞﾗｲﾝ",
        "e‐ラーニングでサーバーの管理を学ぶ",
        "一行目\r\n二行目\u{3000}三行目",
        "サ−バ",
    ] {
        let once = norm(text);
        assert_eq!(norm(&once), once, "normalizing {text:?} twice");
    }
}

// --- map back to the original ----------------------------------------------------------------

#[test]
fn ranges_map_back_to_the_original_text() {
    assert_eq!(original_of("ｶﾞｲﾄﾞを見た", "ガイド"), "ｶﾞｲﾄﾞ");
    assert_eq!(original_of("ｶﾞｲﾄﾞを見た", "を"), "を");
    assert_eq!(original_of("ｶﾞｲﾄﾞを見た", "見た"), "見た");
    assert_eq!(original_of("ＩＳＭＳの研修を受けた", "ISMS"), "ＩＳＭＳ");
    assert_eq!(original_of("ＩＳＭＳの研修を受けた", "研修"), "研修");
    assert_eq!(original_of("isms認証", "ISMS認証"), "isms認証");
    assert_eq!(original_of("サ−バが停止", "サーバ"), "サ−バ");
    assert_eq!(
        original_of("e‐ラーニングを導入", "Eラーニング"),
        "e‐ラーニング"
    );
    assert_eq!(original_of("e‐ラーニングを導入", "E"), "e");
    assert_eq!(
        original_of("e‐ラーニングを導入", "ラーニング"),
        "ラーニング"
    );
    assert_eq!(original_of("カ\u{3099}イト\u{3099}", "ガ"), "カ\u{3099}");
    assert_eq!(original_of("㈱ＡＢＣ", "株"), "㈱");
    assert_eq!(original_of("㈱ＡＢＣ", "ABC"), "ＡＢＣ");
}

#[test]
fn a_dropped_long_vowel_mark_belongs_to_its_word() {
    // The token セキュリティ points at everything the respondent wrote, ー included.
    assert_eq!(
        original_of("セキュリティーの研修", "セキュリティ"),
        "セキュリティー"
    );
    assert_eq!(original_of("ｻｰﾊﾞｰが落ちた", "サーバ"), "ｻｰﾊﾞｰ");
    assert_eq!(original_of("ｻｰﾊﾞｰが落ちた", "が"), "が");
    assert_eq!(original_of("ユーザーIDの管理", "ユーザ"), "ユーザー");
    assert_eq!(original_of("ユーザーIDの管理", "ID"), "ID");
    assert_eq!(original_of("サーバ−", "サーバ"), "サーバ−");
}

#[test]
fn ranges_across_collapsed_white_space_cover_it() {
    let original = "  ＳＥＣＵＲＩＴＹ\u{3000}\r\nＡＣＴＩＯＮの二つ星\n";
    assert_eq!(
        original_of(original, "SECURITY ACTION"),
        "ＳＥＣＵＲＩＴＹ\u{3000}\r\nＡＣＴＩＯＮ"
    );
    assert_eq!(original_of(original, "二つ星"), "二つ星");
    assert_eq!(original_of("CSR 報告書", "報告書"), "報告書");
}

#[test]
fn empty_and_out_of_range_requests_map_to_empty_ranges() {
    let normalized = normalize("ＩＳＭＳの研修");
    assert_eq!(normalized.text, "ISMSの研修");
    // Empty at a character: the position of that character in the original.
    let at = normalized.original_range(4..4);
    assert!(at.is_empty());
    assert_eq!(at.start, "ＩＳＭＳ".len());
    // Past the end: the end of the original.
    let past = normalized.original_range(100..200);
    assert_eq!(past, "ＩＳＭＳの研修".len().."ＩＳＭＳの研修".len());
    assert_eq!(normalize("").original_range(0..3), 0..0);
}

/// Splits normalized text into runs of one script (kanji, hiragana, katakana, Latin and digits,
/// anything else one character at a time), roughly the size of tokens. Spaces are left out.
fn script_runs(text: &str) -> Vec<Range<usize>> {
    fn script(ch: char) -> u8 {
        match ch {
            '\u{4E00}'..='\u{9FFF}' | '々' => 1,
            '\u{3041}'..='\u{3096}' => 2,
            _ if jiyu::normalize::is_katakana(ch) => 3,
            _ if ch.is_ascii_alphanumeric() => 4,
            _ => 0,
        }
    }
    let mut runs: Vec<(Range<usize>, u8)> = Vec::new();
    for (start, ch) in text.char_indices() {
        let end = start + ch.len_utf8();
        let kind = script(ch);
        match runs.last_mut() {
            Some((range, last)) if kind != 0 && *last == kind && range.end == start => {
                range.end = end
            }
            _ => runs.push((start..end, kind)),
        }
    }
    runs.into_iter()
        .map(|(range, _)| range)
        .filter(|range| &text[range.clone()] != " ")
        .collect()
}

#[test]
fn every_token_sized_range_of_the_corpus_maps_back_exactly() {
    let mut answers: Vec<String> = vec![
        "ｾｷｭﾘﾃｨｰ対策のｶﾞｲﾄﾞﾗｲﾝがほしい".into(),
        "ＩＳＭＳ・Ｐマーク取得済み。ｻｰﾊﾞｰはＵＴＭで保護\r\n".into(),
        "セキュリティの e-ラーニング".into(),
        "Ｗｉ−Ｆｉ（無線ＬＡＮ）のパスワードをユーザー毎に変更した".into(),
        "５分でできる情報セキュリティ自社診断を実施　→　二つ星を宣言".into(),
        "IT 導入補助金が採択された。補助金の申請に必要でなければ宣言は行わなかったと思う".into(),
        "コンピューターウイルス対策ソフト（ｳｲﾙｽﾊﾞｽﾀｰ）を導入、ＵＳＢキーも管理".into(),
    ];
    // The 146 real answers of the IPA 2024 report.
    let corpus = include_str!("../../corpus/ipa-2024/labeled.jsonl");
    for line in corpus.lines().filter(|line| !line.trim().is_empty()) {
        let answer: serde_json::Value = serde_json::from_str(line).expect("labeled.jsonl is JSON");
        answers.push(
            answer["text"]
                .as_str()
                .expect("every answer has text")
                .to_string(),
        );
    }
    let mut checked = 0;
    for original in &answers {
        let normalized = normalize(original);
        let runs = script_runs(&normalized.text);
        // Each run and each pair of adjacent runs (IT導入補助金, ISMSの, セキュリティの).
        let candidates = runs.iter().cloned().chain(
            runs.windows(2)
                .filter(|pair| pair[0].end == pair[1].start)
                .map(|pair| pair[0].start..pair[1].end),
        );
        for range in candidates {
            let piece = &normalized.text[range.clone()];
            let back = normalized.original_range(range.clone());
            assert!(
                original.is_char_boundary(back.start) && original.is_char_boundary(back.end),
                "{piece:?} of {original:?} maps to {back:?}, not on character boundaries"
            );
            let source = &original[back.clone()];
            assert_eq!(
                normalize(source).text,
                piece,
                "{piece:?} of {original:?} maps back to {source:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} ranges checked");
}

#[test]
fn spelling_variants_are_written_in_normalized_form() {
    // dictionaries/variants.tsv is looked up with normalized tokens, so a form the normalizer
    // would change could never match; and a form in two groups would be ambiguous.
    let text = include_str!("../../dictionaries/variants.tsv");
    let mut seen = std::collections::HashMap::new();
    let mut groups = 0;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        groups += 1;
        let forms: Vec<&str> = line.split('\t').collect();
        assert!(
            forms.len() >= 2,
            "variants.tsv:{}: a group needs a canonical form and at least one variant",
            index + 1
        );
        for form in forms {
            assert!(!form.is_empty(), "variants.tsv:{}: empty form", index + 1);
            assert_eq!(
                norm(form),
                form,
                "variants.tsv:{}: {form:?} is not in normalized form",
                index + 1
            );
            if let Some(previous) = seen.insert(form.to_string(), index + 1) {
                panic!(
                    "variants.tsv:{}: {form:?} is already in the group on line {previous}",
                    index + 1
                );
            }
        }
    }
    assert!(groups >= 50, "only {groups} variant groups");
}
