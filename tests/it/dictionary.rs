//! The analyzer's dictionaries and what it marks on tokens: every domain term of
//! `dictionaries/user.csv` stays one token, alone and inside answers; `--user-dict` files add
//! terms; a bad row is reported at its line; the tokens of negated predicates are marked
//! (`Token::negated`, see `jiyu::negation`) in real-looking answers, and adjectives that merely
//! end in ない, obligations and affirmative answers are not.

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use jiyu::normalize::normalize;
use jiyu::{Analyzer, Error, Token};

const USER_CSV: &str = include_str!("../../dictionaries/user.csv");

/// One analyzer for the whole test binary: building it loads the 46 MB dictionary.
fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(&[]).expect("the built-in dictionaries load"))
}

/// The rows of user.csv as (line number, surface, part of speech, reading).
fn user_rows() -> Vec<(usize, &'static str, &'static str, &'static str)> {
    USER_CSV
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(index, line)| {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(
                fields.len(),
                3,
                "user.csv:{}: {line:?} is not `surface,part of speech,reading`",
                index + 1
            );
            (index + 1, fields[0], fields[1], fields[2])
        })
        .collect()
}

fn surfaces(tokens: &[Token]) -> Vec<&str> {
    tokens.iter().map(|token| token.surface.as_ref()).collect()
}

fn token<'a>(tokens: &'a [Token], surface: &str) -> &'a Token {
    tokens
        .iter()
        .find(|token| token.surface == surface)
        .unwrap_or_else(|| panic!("no token {surface:?} in {:?}", surfaces(tokens)))
}

fn is_katakana_reading(reading: &str) -> bool {
    !reading.is_empty() && reading.chars().all(jiyu::normalize::is_katakana)
}

#[test]
fn the_user_dictionary_is_large_and_well_formed() {
    let rows = user_rows();
    assert!(rows.len() >= 90, "only {} domain terms", rows.len());
    let mut seen = std::collections::HashMap::new();
    for &(line, surface, pos, reading) in &rows {
        assert_eq!(pos, "名詞", "user.csv:{line}: {surface} is not a noun");
        assert!(
            is_katakana_reading(reading),
            "user.csv:{line}: the reading {reading:?} of {surface} is not katakana"
        );
        let normalized = normalize(surface).text;
        if let Some(previous) = seen.insert(normalized.clone(), line) {
            panic!("user.csv:{line}: {surface} ({normalized}) repeats line {previous}");
        }
    }
    for required in [
        "SECURITY ACTION",
        "一つ星",
        "二つ星",
        "IT導入補助金",
        "情報セキュリティ5か条",
        "自社診断",
        "ランサムウェア",
        "フィッシングメール",
        "マルウェア",
        "eラーニング",
        "ISMS",
        "ISO27001",
        "Pマーク",
        "DMARC",
        "CSIRT",
        "CISO",
        "BCP",
        "DX認定",
        "GビズID",
        "サプライチェーン",
        "テレワーク",
        "UTM",
        "EDR",
        "多要素認証",
    ] {
        assert!(
            rows.iter().any(|&(_, surface, _, _)| surface == required),
            "user.csv lacks {required}"
        );
    }
}

/// The canonical form of `form` in dictionaries/variants.tsv, or `form` itself.
fn canonical(form: &str) -> String {
    let groups = jiyu::variants::parse_groups("variants.tsv", jiyu::variants::BUILTIN_VARIANTS)
        .expect("variants.tsv parses");
    groups
        .into_iter()
        .find(|group| group.variants.iter().any(|variant| variant == form))
        .map_or_else(|| form.to_string(), |group| group.canonical)
}

#[test]
fn every_domain_term_alone_is_one_noun_token() {
    let mut failures = Vec::new();
    for (line, surface, _, reading) in user_rows() {
        let normalized = normalize(surface).text;
        let tokens = analyzer().analyze(surface).tokens;
        let whole = match tokens.as_slice() {
            [only] => only,
            _ => {
                failures.push(format!(
                    "user.csv:{line}: {surface} splits into {:?}",
                    surfaces(&tokens)
                ));
                continue;
            }
        };
        // A spelling variant (情報漏えい) reads as its canonical form (情報漏洩).
        if whole.surface != normalized
            || whole.base != canonical(&normalized)
            || whole.major_pos() != "名詞"
            || whole.reading != reading
            || (whole.start, whole.end) != (0, surface.len())
        {
            failures.push(format!("user.csv:{line}: {surface} gives {whole:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn domain_terms_stay_whole_in_running_text() {
    let tokens = analyzer()
        .analyze("IT導入補助金の申請にSECURITY ACTIONの二つ星が必要")
        .tokens;
    assert_eq!(
        surfaces(&tokens),
        [
            "IT導入補助金",
            "の",
            "申請",
            "に",
            "SECURITY ACTION",
            "の",
            "二つ星",
            "が",
            "必要"
        ]
    );
    assert_eq!(token(&tokens, "二つ星").base, "二つ星");
    assert_eq!(token(&tokens, "IT導入補助金").major_pos(), "名詞");

    let text = "ＩＳＭＳの研修を受けた";
    let tokens = analyzer().analyze(text).tokens;
    assert_eq!(
        surfaces(&tokens),
        ["ISMS", "の", "研修", "を", "受け", "た"]
    );
    let isms = token(&tokens, "ISMS");
    assert_eq!(&text[isms.start..isms.end], "ＩＳＭＳ");
    let received = token(&tokens, "受け");
    assert_eq!(received.base, "受ける");
    assert_eq!(received.major_pos(), "動詞");
}

#[test]
fn domain_terms_in_answers_of_the_survey() {
    let cases: &[(&str, &[&str])] = &[
        (
            "ランサムウェアの具体的な被害情報と対策方法",
            &["ランサムウェア"],
        ),
        (
            "重大な損害をもたらすマルウェアや、詐欺サイト等",
            &["マルウェア"],
        ),
        (
            "ISO27001 の取得が無い状態での取引先の信頼性向上に繋がった",
            &["ISO27001", "取引先"],
        ),
        (
            "CSIRT に相当する委員会があるが、そこを中心として情報セキュリティに関する記事を載せている",
            &["CSIRT", "情報セキュリティ"],
        ),
        (
            "IT 導入補助金が採択された。補助金の申請に必要でなければ宣言は行わなかったと思う",
            &["IT導入補助金", "補助金"],
        ),
        (
            "各部門ごとの自社診断の結果に大きなばらつきがあった",
            &["自社診断"],
        ),
        (
            "迷惑メール（マルウェアが添付されたものなど）の数が軽減した",
            &["迷惑メール", "マルウェア"],
        ),
        (
            "サプライチェーン全体の情報セキュリティに対する意識が低い",
            &["サプライチェーン", "情報セキュリティ"],
        ),
        ("CIO、CISO が不在", &["CISO"]),
        ("DMARC の導入支援サービス", &["DMARC"]),
        (
            "ｻｲﾊﾞｰ攻撃やﾌｨｯｼﾝｸﾞﾒｰﾙへの対策、ＵＴＭとＥＤＲの導入",
            &["サイバ攻撃", "フィッシングメール", "UTM", "EDR"],
        ),
        (
            "５分でできる情報セキュリティ自社診断を実施して一つ星から二つ星へ",
            &["5分でできる情報セキュリティ自社診断", "一つ星", "二つ星"],
        ),
        (
            "GビズIDを取得し、DX認定とＰマークを目指す",
            &["GビズID", "DX認定", "Pマーク"],
        ),
        (
            "テレワーク用に多要素認証とBCPを整備",
            &["テレワーク", "多要素認証", "BCP"],
        ),
        (
            "情報セキュリティ５ヶ条を守っている",
            &["情報セキュリティ5ヶ条"],
        ),
        ("メールの誤送信を防ぐ", &["誤送信"]),
    ];
    for (text, expected) in cases {
        let tokens = analyzer().analyze(text).tokens;
        for surface in *expected {
            let found = token(&tokens, surface);
            assert_eq!(found.base, canonical(surface), "in {text:?}");
            assert_eq!(found.major_pos(), "名詞", "in {text:?}");
        }
    }
}

#[test]
fn token_offsets_of_domain_terms_point_at_what_the_respondent_wrote() {
    let text = "セキュリティの e-ラーニング、ホワイトハッカー研修";
    let tokens = analyzer().analyze(text).tokens;
    let learning = token(&tokens, "Eラーニング");
    assert_eq!(&text[learning.start..learning.end], "e-ラーニング");
    // ハッカー is normalized to ハッカ, which IPADIC alone reads as 薄荷 (peppermint).
    let hacker = token(&tokens, "ホワイトハッカ");
    assert_eq!(hacker.reading, "ホワイトハッカー");
    assert_eq!(&text[hacker.start..hacker.end], "ホワイトハッカー");
}

/// The surfaces of the tokens of `text` marked negated, in order.
fn negated(text: &str) -> Vec<String> {
    analyzer()
        .analyze(text)
        .tokens
        .iter()
        .filter(|token| token.negated)
        .map(|token| token.surface.to_string())
        .collect()
}

fn assert_negated(cases: &[(&str, &[&str])]) {
    let mut failures = Vec::new();
    for &(text, expected) in cases {
        let found = negated(text);
        if found != expected {
            failures.push(format!(
                "{text}: negated {found:?}, expected {expected:?} (tokens {:?})",
                surfaces(&analyzer().analyze(text).tokens)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn negated_predicates_are_marked_in_answers() {
    assert_negated(&[
        // A verb and its negator.
        (
            "セキュリティ意識が高まらない社員もいる",
            &["高まら", "ない"],
        ),
        ("効果が見えないので続けるか迷っている", &["見え", "ない"]),
        ("予算が足りない", &["足り", "ない"]),
        ("費用をかけずに対策したい", &["かけ", "ず"]),
        ("知らぬ間に感染していた", &["知ら", "ぬ"]),
        ("何をすればいいのか分からん", &["分から", "ん"]),
        ("パスワードを使わないで済む方法", &["使わ", "ない"]),
        ("ログが残らなくて困った", &["残ら", "なく"]),
        ("研修には参加しなかった", &["参加", "し", "なかっ", "た"]),
        (
            "特に変わりませんでした",
            &["変わり", "ませ", "ん", "でし", "た"],
        ),
        // Through auxiliaries, passive and aspect verbs.
        (
            "社内ルールが守られていない",
            &["守ら", "れ", "て", "い", "ない"],
        ),
        ("メリットを感じられない", &["感じ", "られ", "ない"]),
        ("これ以上はやりたくない", &["やり", "たく", "ない"]),
        (
            "まだ対策を行っておりません",
            &["行っ", "て", "おり", "ませ", "ん"],
        ),
        // The noun of a light verb (する, できる) is negated with it.
        ("研修を受けたが失敗しない", &["失敗", "し", "ない"]),
        (
            "規程の内容を理解できない従業員が多い",
            &["理解", "でき", "ない"],
        ),
        (
            "説明を聞いても理解ができない",
            &["理解", "が", "でき", "ない"],
        ),
        (
            "社員に浸透しきれていない",
            &["浸透", "し", "きれ", "て", "い", "ない"],
        ),
        (
            "対策をしていない取引先がある",
            &["対策", "を", "し", "て", "い", "ない"],
        ),
        ("情報共有しない部署がある", &["共有", "し", "ない"]),
        // What is denied existing or being.
        ("対策に割く時間がない", &["時間", "が", "ない"]),
        ("対策に割く時間が無い", &["時間", "が", "無い"]),
        ("今のところ問題ない", &["問題", "ない"]),
        (
            "特別な対策は必要ありません",
            &["必要", "あり", "ませ", "ん"],
        ),
        ("知識のない社員が多い", &["知識", "の", "ない"]),
        ("専門の人がいない", &["人", "が", "い", "ない"]),
        ("中小企業には簡単ではない", &["簡単", "で", "は", "ない"]),
        ("正直、簡単じゃない", &["簡単", "じゃ", "ない"]),
        (
            "体制が十分ではありません",
            &["十分", "で", "は", "あり", "ませ", "ん"],
        ),
        // 〜ではない after a noun, whose で IPADIC reads as a case particle (他人事 is 他|人事).
        (
            "他人事ではないと社員が意識するようになった",
            &["人事", "で", "は", "ない"],
        ),
        (
            "本社ではありません",
            &["本社", "で", "は", "あり", "ませ", "ん"],
        ),
        // A place is not what is negated: only the verb is.
        ("社内ではできない", &["でき", "ない"]),
        ("今の教材は見やすくない", &["見やすく", "ない"]),
        // An adverb is not what is negated.
        ("効果は全くない", &["ない"]),
    ]);
}

#[test]
fn adjectives_ending_in_nai_and_affirmative_answers_are_not_negated() {
    assert_negated(&[
        ("専門の人材が少ない", &[]),
        ("危ないメールが多い", &[]),
        ("使わないのはもったいないと感じる", &["使わ", "ない"]),
        ("研修がつまらない", &[]),
        ("研修を受けて失敗した", &[]),
        ("取引先からの信頼が高まった", &[]),
        ("ウイルス被害がなくなった", &[]),
        ("専門家に相談したいが、ないし外部に委託したい", &[]),
    ]);
}

#[test]
fn obligations_are_not_negations() {
    assert_negated(&[
        ("社員全員が対策しなければならない", &[]),
        ("パスワードは変更しなければいけません", &[]),
        ("もっと勉強しないといけない", &[]),
        ("ルールを守らなくてはならない", &[]),
        ("バックアップを取らないとだめ", &[]),
        ("早く対策しなきゃ。", &[]),
        ("早く対策しなくちゃ", &[]),
        // A conditional without an obligation is a negation.
        ("対策しなければ被害に遭う", &["対策", "し", "なけれ"]),
        // Double negations count once each.
        (
            "しないわけではない",
            &["し", "ない", "わけ", "で", "は", "ない"],
        ),
    ]);
}

#[test]
fn merged_spelling_variants_are_negated_as_one_token() {
    let tokens = analyzer()
        .analyze("取引先に情報漏えいしないよう求められた")
        .tokens;
    let leak = token(&tokens, "情報漏えい");
    assert_eq!(leak.base, "情報漏洩");
    assert!(leak.negated);
    let tokens = analyzer().analyze("わかりにくくない説明がほしい").tokens;
    let hard = token(&tokens, "わかりにくく");
    assert_eq!(hard.base, "分かりにくい");
    assert!(hard.negated);
    assert!(!token(&tokens, "説明").negated);
}

/// Across the labeled corpus: every run of negated tokens ends with a negator or the auxiliaries
/// right after one, and every negator is marked unless it belongs to an obligation.
#[test]
fn negated_runs_hold_a_negator_across_the_corpus() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/ipa-2024/labeled.jsonl");
    let corpus = std::fs::read_to_string(path).expect("the labeled corpus is in the repository");
    let mut runs = 0;
    for line in corpus.lines().filter(|line| !line.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
        let text = value["text"].as_str().expect("a text field");
        let tokens = analyzer().analyze(text).tokens;
        let mut index = 0;
        while index < tokens.len() {
            if !tokens[index].negated {
                index += 1;
                continue;
            }
            let end = (index..tokens.len())
                .find(|&end| !tokens[end].negated)
                .unwrap_or(tokens.len());
            assert!(
                tokens[index..end].iter().any(jiyu::negation::is_negator),
                "{text}: a negated run without a negator: {:?}",
                surfaces(&tokens[index..end])
            );
            runs += 1;
            index = end;
        }
        for negator in tokens
            .iter()
            .filter(|token| jiyu::negation::is_negator(token))
        {
            let obligation = ["なければ", "ないと", "なくては", "なきゃ", "なくちゃ"]
                .iter()
                .any(|form| text.contains(form));
            assert!(
                negator.negated || obligation,
                "{text}: the negator {} is not marked",
                negator.surface
            );
        }
    }
    assert!(runs > 0, "the corpus has negations");
}

fn write_user_dictionary(rows: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new()
        .suffix(".csv")
        .tempfile()
        .expect("a temporary file");
    file.write_all(rows.as_bytes()).expect("write the rows");
    file.flush().expect("flush the rows");
    file
}

#[test]
fn an_extra_user_dictionary_adds_terms() {
    let text = "ホワイトリスト方式で運用し、ｚｅｒｏ　ｔｒｕｓｔを検討";
    let before = analyzer().analyze(text).tokens;
    assert!(
        !surfaces(&before).contains(&"ホワイトリスト方式"),
        "IPADIC alone already keeps ホワイトリスト方式 whole: {:?}",
        surfaces(&before)
    );

    let file = write_user_dictionary(
        "# our own terms\n\
         \n\
         ホワイトリスト方式,名詞,ホワイトリストホウシキ\r\n\
         zero trust,名詞,ゼロトラスト\n",
    );
    let extended = Analyzer::new(&[file.path()]).expect("the extra dictionary loads");
    let tokens = extended.analyze(text).tokens;
    let whitelist = token(&tokens, "ホワイトリスト方式");
    assert_eq!(whitelist.base, "ホワイトリスト方式");
    assert_eq!(whitelist.reading, "ホワイトリストホウシキ");
    assert_eq!(whitelist.major_pos(), "名詞");
    // The extra file's surfaces are normalized too: `zero trust` meets `ｚｅｒｏ　ｔｒｕｓｔ`.
    let zero_trust = token(&tokens, "ZERO TRUST");
    assert_eq!(
        &text[zero_trust.start..zero_trust.end],
        "ｚｅｒｏ　ｔｒｕｓｔ"
    );
    // The built-in terms are still there.
    let tokens = extended.analyze("二つ星とEDR").tokens;
    assert_eq!(surfaces(&tokens), ["二つ星", "と", "EDR"]);
}

fn input_error_at(rows: &str) -> (String, usize) {
    let file = write_user_dictionary(rows);
    let path: &Path = file.path();
    match Analyzer::new(&[path]) {
        Err(Error::Input { path: at, line, .. }) => {
            assert_eq!(at, path.display().to_string());
            (at, line)
        }
        Err(other) => panic!("expected an input error for {rows:?}, got {other}"),
        Ok(_) => panic!("the bad row in {rows:?} was accepted"),
    }
}

#[test]
fn a_bad_user_dictionary_row_is_reported_at_its_line() {
    // A missing reading on line 4, after a comment, a blank line and a good row.
    let (_, line) = input_error_at(
        "# terms\n\
         \n\
         ホワイトリスト方式,名詞,ホワイトリストホウシキ\n\
         ログ保全,名詞\n\
         監査ログ,名詞,カンサログ\n",
    );
    assert_eq!(line, 4);
    // Too many fields on the first line.
    let (_, line) = input_error_at("ログ保全,名詞,ログホゼン,余計\n");
    assert_eq!(line, 1);
    // An empty field, after CRLF lines.
    let (_, line) = input_error_at("監査ログ,名詞,カンサログ\r\nログ保全,,ログホゼン\r\n");
    assert_eq!(line, 2);
    // The message says what a row looks like.
    let file = write_user_dictionary("ログ保全\n");
    let message = match Analyzer::new(&[file.path()]) {
        Err(err) => err.to_string(),
        Ok(_) => panic!("a row without commas was accepted"),
    };
    assert!(message.contains(":1:"), "{message}");
    assert!(
        message.contains("surface,part of speech,reading"),
        "{message}"
    );
}

#[test]
fn a_missing_user_dictionary_is_an_io_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let missing = dir.path().join("missing.csv");
    match Analyzer::new(&[missing.as_path()]) {
        Err(err @ Error::Io { .. }) => {
            // The message as before: path, what jiyu was doing, the system's error.
            let prefix = format!("{}: cannot read the user dictionary: ", missing.display());
            assert!(err.to_string().starts_with(&prefix), "{err}");
            assert_eq!(err.io_kind(), Some(std::io::ErrorKind::NotFound));
        }
        Err(other) => panic!("expected an I/O error, got {other}"),
        Ok(_) => panic!("a missing user dictionary was accepted"),
    }
}
