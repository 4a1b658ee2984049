//! Negation (否定): which tokens of an answer belong to a negated predicate, so that a rule can
//! tell 失敗しない from 失敗した (`neg(失敗)` and `pos(失敗)`, see [`crate::rules::expr`]).
//!
//! [`mark_negation`] runs once over an answer's tokens, after spelling variants are unified (a
//! variant merged from several tokens is judged as the one token it has become), and sets
//! [`Token::negated`] on every token of each *negated stretch*: the tokens from the word whose
//! predicate is negated to the end of the negation. The rules below follow IPADIC's analysis,
//! as `jiyu tokenize` shows it.
//!
//! # Negators
//!
//! A token negates when it is
//! - a 助動詞 or 形容詞 with base form ない: ない, なく(て), なかっ(た), なけれ(ば), なし, and the
//!   adjective ない / 無い of 時間がない (IPADIC gives 無い the base form ない too);
//! - a 助動詞 with base form ぬ (ず, ずに, ぬ) or ん (ませ|ん, 分から|ん).
//!
//! Adjectives that merely end in ない — 少ない, 危ない, もったいない, つまらない — are tokens of their
//! own with their own base form, so they negate nothing; nor does the verb なくなる (被害がなくなった).
//!
//! # The stretch of one negator
//!
//! 1. The negator and the 助動詞 that follow it directly (なかっ|た, ませ|ん|でし|た, ない|です).
//! 2. Backwards from the negator, the predicate's chain, at most [`MAX_CHAIN`] tokens: 助動詞 other
//!    than the copula だ (ませ, たく), 動詞 接尾 (れる, られる, せる), 動詞 非自立 (いる, おる, しまう,
//!    もらえる, てる), 形容詞 非自立 (ほしい), the 接続助詞 て/で, and the 係助詞 は/も (してはいない,
//!    良くはない): 守ら|れ|て|い|ない.
//! 3. The word that chain leads to (the head):
//!    - a verb or an adjective, marked: 高まら|ない, 見え|ない, かけ|ず, 高く|ない, 見やすく|ない;
//!      - for the light verbs する and 出来る, also the noun before them, directly or through one
//!        of が/は/も/を: 失敗|し|ない, 理解|でき|ない, 理解|が|でき|ない, 対策|を|し|て|い|ない;
//!      - for the existence verbs ある and いる, also what is denied, as in 4: 必要|あり|ませ|ん,
//!        時間|が|あり|ませ|ん, 人|が|い|ない, 十分|で|は|あり|ませ|ん, 良く|あり|ませ|ん;
//!    - anything else: what is denied, as in 4, with the head as its last token — the negator
//!      then follows a noun, a particle or the copula directly: 問題|ない, 時間|が|ない,
//!      簡単|で|は|ない.
//! 4. What is denied existing or being: an optional は/も, then the copula — で (だ), じゃ, or the
//!    で that IPADIC reads as a case particle when は/も follows it — with the noun before it
//!    (簡単|で|は|ない, 簡単|じゃ|ない, 必要|で|ない, 会社|で|は|ない, 東京|で|は|あり|ませ|ん), or
//!    が/の with the noun before it (時間|が|ない, 知識|の|ない), or a noun or an adjective directly
//!    (問題|ない, 必要|ない, 良く|あり|ませ|ん). Nothing else: in 全く|ない only ない is marked.
//!
//! Nothing before that is marked: in 費用|を|かけ|ず|に the object 費用 is not (the verb かける
//! is); in 情報|共有|し|ない 情報 is not (a rule's word of several tokens, like 情報共有, is
//! negated when its last token is).
//!
//! # Obligation and double negation
//!
//! An obligation is two negations that make a positive, and is not marked at all: a conditional
//! negation (なけれ|ば, ね|ば, なく|て|は, なく|ちゃ, ない|と, なきゃ, なけりゃ) followed by いける or なる
//! and their negator (対策|し|なけれ|ば|なら|ない, し|ない|と|いけ|ない, し|なけれ|ば|いけ|ませ|ん) or by
//! だめ/ダメ/駄目, and なきゃ / なく|ちゃ at the end of the answer or before a symbol (対策しなきゃ。).
//! A conditional without such an ending stays a negation (対策しなければ被害に遭う).
//!
//! Other double negations are not resolved: each negation marks its own stretch, so in
//! し|ない|わけ|で|は|ない ("it is not that I don't") both する and わけ are negated, and so is the
//! verb of 〜しないことはない. A negated-once reading counts.

use crate::token::Token;

/// How many tokens the chain between a head and its negator may have (浸透|し|きれ|て|い|ない has
/// three: きれ, て, い).
pub const MAX_CHAIN: usize = 6;

/// Sets [`Token::negated`] on the tokens of every negated stretch of an answer (see the module
/// documentation); the other tokens are left as they are. One pass over the tokens, walking
/// back at most a few tokens from each negator; nothing is allocated.
pub fn mark_negation(tokens: &mut [Token]) {
    let mut index = 0;
    while index < tokens.len() {
        if !is_negator(&tokens[index]) {
            index += 1;
            continue;
        }
        if let Some(last) = obligation_end(tokens, index) {
            index = last + 1;
            continue;
        }
        let start = stretch_start(tokens, index);
        let mut end = index + 1;
        while end < tokens.len() && is_auxiliary(&tokens[end]) && !is_negator(&tokens[end]) {
            end += 1;
        }
        for token in &mut tokens[start..end] {
            token.negated = true;
        }
        index = end;
    }
}

/// Whether the token negates the predicate before it (see the module documentation).
pub fn is_negator(token: &Token) -> bool {
    match token.base.as_ref() {
        "ない" => is_auxiliary(token) || has_major_pos(token, "形容詞"),
        "ぬ" | "ん" => is_auxiliary(token),
        _ => false,
    }
}

/// The first token of the negated stretch that ends with the negator at `negator`.
fn stretch_start(tokens: &[Token], negator: usize) -> usize {
    let mut start = negator;
    while start > 0 && negator - start < MAX_CHAIN && is_chain_link(&tokens[start - 1]) {
        start -= 1;
    }
    let Some(head) = start.checked_sub(1) else {
        return start;
    };
    let token = &tokens[head];
    match token.major_pos() {
        "動詞" => match token.base.as_ref() {
            "する" | "出来る" | "できる" => light_verb_object(tokens, head).unwrap_or(head),
            "ある" | "有る" | "いる" | "居る" => head
                .checked_sub(1)
                .and_then(|before| denied(tokens, before))
                .unwrap_or(head),
            _ => head,
        },
        "形容詞" => head,
        _ => denied(tokens, head).unwrap_or(start),
    }
}

/// The noun a light verb (する, 出来る) at `verb` makes a predicate of: right before it, or before
/// one of が/は/も/を.
fn light_verb_object(tokens: &[Token], verb: usize) -> Option<usize> {
    let before = verb.checked_sub(1)?;
    if is_noun(&tokens[before]) {
        return Some(before);
    }
    let noun = before.checked_sub(1)?;
    (is_particle(&tokens[before], &["が", "は", "も", "を"]) && is_noun(&tokens[noun]))
        .then_some(noun)
}

/// The first token of what is denied existing or being, when its last token is `last` (step 4 of
/// the module documentation).
fn denied(tokens: &[Token], last: usize) -> Option<usize> {
    let mut at = last;
    if is_particle(&tokens[at], &["は", "も"]) {
        at = at.checked_sub(1)?;
    }
    let token = &tokens[at];
    // で|は before ない is 〜ではない, "is not …", whether IPADIC calls the で a copula or not.
    let copula = is_copula(token)
        || (is_particle(token, &["で"])
            && tokens
                .get(at + 1)
                .is_some_and(|next| is_particle(next, &["は", "も"])));
    if copula || is_particle(token, &["が", "の"]) {
        let before = at.checked_sub(1)?;
        return is_noun(&tokens[before]).then_some(before);
    }
    (is_noun(token) || token.major_pos() == "形容詞").then_some(at)
}

/// For a negator that opens an obligation (see the module documentation), the index of the
/// obligation's last token; `None` for any other negator.
fn obligation_end(tokens: &[Token], negator: usize) -> Option<usize> {
    let token = &tokens[negator];
    let at = |offset: usize| tokens.get(negator + offset);
    let is_conjunction = |token: Option<&Token>, surface: &str| {
        token.is_some_and(|token| is_particle(token, &[surface]))
    };
    // The first token after the conditional, and whether the conditional may end the answer.
    let (next, may_end) = match token.surface.as_ref() {
        "なけれ" | "ね" if is_conjunction(at(1), "ば") => (negator + 2, false),
        "なく" if is_conjunction(at(1), "て") && is_conjunction(at(2), "は") => {
            (negator + 3, false)
        }
        "なく" if is_conjunction(at(1), "ちゃ") => (negator + 2, true),
        "ない" if is_conjunction(at(1), "と") => (negator + 2, false),
        "なきゃ" | "なけりゃ" => (negator + 1, true),
        _ => return None,
    };
    let Some(closer) = tokens.get(next) else {
        return may_end.then_some(next - 1);
    };
    match closer.base.as_ref() {
        "だめ" | "ダメ" | "駄目" => Some(next),
        "いける" | "なる" if closer.major_pos() == "動詞" => (next + 1..tokens.len())
            .take(2)
            .take_while(|&index| is_auxiliary(&tokens[index]))
            .find(|&index| is_negator(&tokens[index])),
        _ => (may_end && closer.major_pos() == "記号").then_some(next - 1),
    }
}

/// Whether the token may stand between a head and its negator (step 2 of the module
/// documentation).
fn is_chain_link(token: &Token) -> bool {
    match token.major_pos() {
        "助動詞" => !is_copula(token) && !is_negator(token),
        "動詞" | "形容詞" => matches!(second_pos(token), "接尾" | "非自立"),
        "助詞" => match second_pos(token) {
            "接続助詞" => matches!(token.surface.as_ref(), "て" | "で"),
            "係助詞" => matches!(token.surface.as_ref(), "は" | "も"),
            _ => false,
        },
        _ => false,
    }
}

/// The copula before a negation: で (base form だ) and じゃ.
fn is_copula(token: &Token) -> bool {
    match token.surface.as_ref() {
        "で" => token.base == "だ",
        "じゃ" => matches!(token.major_pos(), "助詞" | "助動詞"),
        _ => false,
    }
}

fn is_auxiliary(token: &Token) -> bool {
    has_major_pos(token, "助動詞")
}

fn is_noun(token: &Token) -> bool {
    has_major_pos(token, "名詞")
}

/// A particle (助詞) spelled as one of `surfaces`.
fn is_particle(token: &Token, surfaces: &[&str]) -> bool {
    has_major_pos(token, "助詞") && surfaces.contains(&token.surface.as_ref())
}

/// Whether the first level of the token's part of speech is `major` ([`Token::major_pos`]
/// without splitting the text: this runs for every token that could be a negator).
fn has_major_pos(token: &Token, major: &str) -> bool {
    token
        .pos
        .strip_prefix(major)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(','))
}

/// The second level of the token's part of speech (`自立`, `非自立`, `接続助詞`, …).
fn second_pos(token: &Token) -> &str {
    token.pos.split(',').nth(1).unwrap_or("")
}
