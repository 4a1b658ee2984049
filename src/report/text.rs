//! Small text helpers of the report: HTML and Markdown escaping and number formats. (The order
//! in which questions and attribute values are listed is [`crate::text::natural_cmp`].)

use crate::views::significance::Independence;

/// `part` ÷ `whole`, 0 when `whole` is 0.
pub fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// A share as the report prints it: `22.6%`.
pub fn percent(part: usize, whole: usize) -> String {
    percent_of(ratio(part, whole))
}

/// A ratio (0.2255) as the report prints it: `22.6%`.
pub fn percent_of(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

/// A confidence as every output writes it: three decimals ([`rounded_confidence`]), `0.412`.
///
/// [`rounded_confidence`]: crate::output::rounded_confidence
pub fn confidence(value: f64) -> String {
    format!("{:.3}", crate::output::rounded_confidence(value))
}

/// A p-value as the report prints it: `p < 0.001`, else three decimals (`p = 0.023`).
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    }
}

/// A χ² test as the report prints it: `χ²(24) = 123.45, p < 0.001`.
pub fn chi_square(test: &Independence) -> String {
    format!(
        "χ²({}) = {:.2}, {}",
        test.df,
        test.statistic,
        p_value(test.p_value)
    )
}

/// The caution when some expected counts of a test are below 5, e.g. `期待度数が 5 未満のセルが
/// 40 セル中 12（30.0%）`; `None` when there are none.
pub fn small_expected(test: &Independence) -> Option<String> {
    (test.small_expected > 0).then(|| {
        format!(
            "期待度数が 5 未満のセルが {} セル中 {}（{}）",
            count(test.cells),
            count(test.small_expected),
            percent(test.small_expected, test.cells)
        )
    })
}

/// A count with thousands separators: `3,716`.
pub fn count(value: usize) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Text for one line of Markdown (a bullet, a table cell, a heading): line breaks become
/// spaces, and every character Markdown or HTML would read as markup is backslash-escaped,
/// so `<script>` stays text and `|` does not split a table cell. A leading `-`, `+` or `1.`
/// would start a list, so it is escaped too.
pub fn markdown(text: &str) -> String {
    let flat = text.replace("\r\n", " ").replace(['\r', '\n'], " ");
    let flat = flat.trim();
    let mut out = String::with_capacity(flat.len() + 8);
    for (index, ch) in flat.chars().enumerate() {
        let special = matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '&' | '~' | '!'
        );
        let list_marker = index == 0 && matches!(ch, '-' | '+' | '=');
        if special || list_marker {
            out.push('\\');
        }
        out.push(ch);
    }
    // `1. text` or `1) text` would start an ordered list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(out[digits..].chars().next(), Some('.' | ')')) {
        out.insert(digits, '\\');
    }
    out
}

/// What a cross-table's biplot leaves out: `、N が 20 未満の値（漁業、鉱業）を除く`, or nothing.
/// The values are escaped for HTML and Markdown alike by the caller's `escape`.
pub fn small_values_note(
    report: &super::Report,
    table: &super::CrossTable,
    escape: fn(&str) -> String,
) -> String {
    let left_out: Vec<String> = table
        .rows
        .iter()
        .filter(|row| !row.total && row.n > 0 && row.n < report.min_n)
        .map(|row| escape(&super::tally::value_label(&row.value)))
        .collect();
    if left_out.is_empty() {
        String::new()
    } else {
        format!(
            "、N が {} 未満の値（{}）を除く",
            report.min_n,
            left_out.join("、")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_percents() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(3716), "3,716");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(percent(838, 3716), "22.6%");
        assert_eq!(percent(1, 0), "0.0%");
        assert_eq!(confidence(0.0), "0.000");
        assert_eq!(confidence(0.41249), "0.412");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            markdown("<b>太字</b>|a*b*\n- 次"),
            "\\<b\\>太字\\</b\\>\\|a\\*b\\* - 次"
        );
        assert_eq!(markdown("- 先頭"), "\\- 先頭");
        assert_eq!(markdown("1. 一つ目"), "1\\. 一つ目");
    }
}
