//! Text helpers every output shares: the natural order of questions, attribute values and ids
//! (the report, `jiyu search`, `jiyu kwic` and the page list values in this one order), and the
//! width of text on a terminal (`kwic`, `suggest`, the caret under an error), and the escaping
//! of text inside HTML and SVG.

use std::cmp::Ordering;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` safe inside an HTML or SVG element or attribute value: the five XML special
/// characters escaped, and the control characters XML 1.0 does not allow (all below U+0020 but
/// tab, line feed and carriage return) left out.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Compares two strings in natural order, the order of the survey's questions and values:
/// `Q6-1` < `Q7-2` < `Q9` < `Q10` < `Q10-1`, `1～5名` < `6～20名` < `21～50名` < `301名以上`,
/// `R2:Q6-1` < `R10:Q6-1`.
///
/// The strings are read from the start. Where both have a run of ASCII digits, the runs compare
/// as the numbers they write, of any length (`9` < `10`; leading zeros do not count, so `Q09`
/// and `Q9` are the same number). Everything else compares one character at a time by code
/// point, a digit like any other character (`x-` < `x1` < `xa`, since `-` < `1` < `a`), and a
/// string that ends first comes first (`Q10` < `Q10-1`). Strings that differ only in leading
/// zeros are then ordered by code point (`Q09` < `Q9`), so the order is total: only equal
/// strings compare equal, and a sort gives the same result whatever the order it starts from.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    natural_order(a, b).then_with(|| a.cmp(b))
}

/// [`natural_cmp`] without its final tie-break.
fn natural_order(mut a: &str, mut b: &str) -> Ordering {
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (a_digits, a_rest) = a.split_at(a.len() - a.trim_start_matches(is_digit).len());
                let (b_digits, b_rest) = b.split_at(b.len() - b.trim_start_matches(is_digit).len());
                let a_number = a_digits.trim_start_matches('0');
                let b_number = b_digits.trim_start_matches('0');
                // Without leading zeros, the longer run is the larger number.
                let order = a_number
                    .len()
                    .cmp(&b_number.len())
                    .then_with(|| a_number.cmp(b_number));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (a_rest, b_rest);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
            }
        }
    }
}

fn is_digit(ch: char) -> bool {
    ch.is_ascii_digit()
}

/// Terminal columns `text` takes: East Asian wide and full-width characters count 2.
pub fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Terminal columns a character takes: 2 for East Asian wide and full-width characters, 0 for
/// combining marks and zero-width characters, 1 otherwise.
pub fn char_width(ch: char) -> usize {
    UnicodeWidthChar::width(ch).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_controls_left_out() {
        assert_eq!(
            escape_markup("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape_markup("a\u{0}b\u{1b}c\td\ne\r"), "abc\td\ne\r");
    }

    fn sorted(values: &[&'static str]) -> Vec<&'static str> {
        let mut values = values.to_vec();
        values.sort_by(|a, b| natural_cmp(a, b));
        values
    }

    #[test]
    fn the_survey_sorts_in_its_own_order() {
        assert_eq!(
            sorted(&["Q14", "Q10-1", "Q9", "Q6-1", "Q15", "Q10", "Q7-2", "Q13-1", "Q12"]),
            ["Q6-1", "Q7-2", "Q9", "Q10", "Q10-1", "Q12", "Q13-1", "Q14", "Q15"]
        );
        assert_eq!(
            sorted(&[
                "301名以上",
                "1～5名",
                "51～100名",
                "21～50名",
                "6～20名",
                "101～300名"
            ]),
            [
                "1～5名",
                "6～20名",
                "21～50名",
                "51～100名",
                "101～300名",
                "301名以上"
            ]
        );
        assert_eq!(
            sorted(&["60代以上", "20代", "40代", "30代", "50代"]),
            ["20代", "30代", "40代", "50代", "60代以上"]
        );
        assert_eq!(
            sorted(&[
                "R10:Q6-1",
                "R2:Q7-2",
                "R2:Q6-1",
                "ipa-010",
                "ipa-002",
                "R00015:Q10-1"
            ]),
            [
                "R2:Q6-1",
                "R2:Q7-2",
                "R10:Q6-1",
                "R00015:Q10-1",
                "ipa-002",
                "ipa-010"
            ]
        );
    }

    #[test]
    fn edge_cases_have_one_answer() {
        // A digit is a character like any other where the other string has none.
        assert_eq!(natural_cmp("x-", "x1"), Ordering::Less);
        assert_eq!(natural_cmp("x1", "xa"), Ordering::Less);
        // The same number: ordered by code point, never equal.
        assert_eq!(natural_cmp("Q09", "Q9"), Ordering::Less);
        assert_eq!(natural_cmp("Q9", "Q09"), Ordering::Greater);
        assert_eq!(natural_cmp("Q9", "Q9"), Ordering::Equal);
        assert_eq!(natural_cmp("Q09", "Q10"), Ordering::Less);
        // Numbers of any length, beyond every integer type.
        assert_eq!(
            natural_cmp(
                "id-99999999999999999999999999999999999999999",
                "id-100000000000000000000000000000000000000000"
            ),
            Ordering::Less
        );
        assert_eq!(natural_cmp("", "0"), Ordering::Less);
        assert_eq!(natural_cmp("Q10", "Q10-1"), Ordering::Less);
    }

    #[test]
    fn the_order_is_total_and_consistent() {
        let values = [
            "",
            "0",
            "00",
            "1",
            "01",
            "x",
            "x-",
            "x1",
            "x01",
            "xa",
            "Q9",
            "Q09",
            "Q10",
            "Q10-1",
            "1～5名",
            "１～５名",
            "6～20名",
            "a1b2",
            "a01b2",
            "a1b02",
            "a1b",
            "a1",
            "-",
            "無回答",
            "第9営業所",
            "第09営業所",
            "第10営業所",
        ];
        for a in values {
            for b in values {
                let order = natural_cmp(a, b);
                assert_eq!(order, natural_cmp(b, a).reverse(), "{a:?} {b:?}");
                assert_eq!(order == Ordering::Equal, a == b, "{a:?} {b:?}");
                for c in values {
                    if order == Ordering::Less && natural_cmp(b, c) == Ordering::Less {
                        assert_eq!(natural_cmp(a, c), Ordering::Less, "{a:?} {b:?} {c:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn widths_count_wide_characters_twice() {
        assert_eq!(display_width("ISMS"), 4);
        assert_eq!(display_width("漏えい"), 6);
        assert_eq!(display_width("ｾｷｭﾘﾃｨ"), 6);
        assert_eq!(display_width("ＩＳＭＳ～"), 10);
        assert_eq!(display_width("★"), 1);
        assert_eq!(char_width('漏'), 2);
        assert_eq!(char_width('ｾ'), 1);
        assert_eq!(char_width('\u{3099}'), 0);
    }
}
