//! `report.html`: one self-contained page — inline CSS, charts as inline SVG, no scripts, no
//! fonts or images from the network — laid out like the survey report and made to print on A4
//! (each question starts a page; charts, headings with their examples and table rows are
//! never cut). The model's labels are marked wherever they are counted or quoted (the light
//! part of a bar, 「うち学習モデルによる推定」, a mark on a quote); the answers that need review
//! are listed least confident first. A wide export's blank cells are shown beside the answers
//! (無回答（空欄）) and in a column of each cross-table; a cross-table row with too few answers
//! to rank is marked ※ instead of ①②③. Before the cross-tables come the question's most used
//! words and their co-occurrence network (inline SVG). Every piece of text from the input or
//! the rules is escaped. Given the address of a `jiyu serve` page (`--link`), each category
//! count and cross-table cell links to that page filtered to the answers counted (question,
//! category, attribute = value); without it the page is the same byte for byte.

use std::fmt::Write as _;

use super::figures::{heading, question_figures};
use super::text::{chi_square, confidence, count, percent, small_expected};
use super::{biplot, CrossTable, QuestionReport, Report};
use crate::classify::Basis;
use crate::text::escape_markup as esc;
use crate::views::significance::Mark;

/// The rank marks of a row's top three cells.
const MARKS: [&str; 3] = ["①", "②", "③"];

/// The title when none is given.
pub const DEFAULT_TITLE: &str = "自由記述の集計と分類（下書き）";

const STYLE: &str = r#"
:root { --ink: #1f2328; --muted: #5b636d; --rule: #d0d7de; --bar: #2f6497; --grey: #a4acb6;
        --amber: #c08a2b; --model: #2e7d6b; --r1: #f6d7a7; --r2: #fae6c6; --r3: #fdf3e2; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN",
       "Yu Gothic", "Meiryo", sans-serif; color: var(--ink); line-height: 1.65;
       max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; font-size: 15px; }
h1 { font-size: 1.55em; margin: 0 0 .3em; border-bottom: 3px solid var(--bar); padding-bottom: .2em; }
h2 { font-size: 1.3em; margin: 1.8em 0 .4em; padding: .15em .5em; background: #eef3f8;
     border-left: 6px solid var(--bar); }
h3 { font-size: 1.05em; margin: 1.1em 0 .3em; }
.meta, .note, figcaption, .legend, .count-note { color: var(--muted); font-size: .88em; }
.meta span + span::before { content: " · "; }
nav ol { columns: 2; padding-left: 1.4em; margin: .4em 0; font-size: .92em; }
nav a { color: var(--bar); text-decoration: none; }
.figures { display: flex; flex-wrap: wrap; gap: .4em 1.4em; margin: .3em 0 .6em; }
.figures b { font-size: 1.15em; }
.override { color: var(--amber); font-weight: bold; }
.model { color: var(--model); }
.needs-review { color: var(--amber); }
.why { display: block; color: var(--muted); font-size: .8em; }
figure { margin: .6em 0 1em; }
figure svg { width: 100%; height: auto; max-width: 820px; display: block; }
figure:not(.view) svg text { font-family: inherit; font-size: 13px; fill: var(--ink); }
figure:not(.view) svg .value { fill: var(--muted); font-size: 12px; }
figure:not(.view) svg .value .model { fill: var(--model); }
figure.ca svg { max-width: 760px; }
.lead { margin: 1.2em 0 .2em; }
.category { margin: 0 0 .9em; }
.category h3 { margin-bottom: .15em; }
.category h3 .n, .review h3 .n { font-weight: normal; color: var(--muted); font-size: .9em; }
.category ul, .review ul { margin: .2em 0 0; padding-left: 1.5em; }
.category li, .review li { margin: .1em 0; }
.category li.none { list-style: none; color: var(--muted); }
.id { color: var(--muted); font-size: .78em; margin-left: .5em; white-space: nowrap; }
.review { border: 1px dashed var(--rule); padding: .3em .9em .6em; margin: 1.2em 0; background: #fbfbfc; }
.crosstab { margin: 1.4em 0; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .8em; table-layout: fixed; }
th, td { border: 1px solid var(--rule); padding: .25em .35em; }
thead th { background: #eef3f8; font-weight: normal; vertical-align: bottom; line-height: 1.3; }
tbody th { text-align: left; font-weight: normal; overflow-wrap: anywhere; }
td { text-align: right; white-space: nowrap; }
td .c { display: block; color: var(--muted); font-size: .85em; }
tr.total th, tr.total td { background: #f6f8fa; font-weight: bold; }
td.r1 { background: var(--r1); font-weight: bold; }
td.r2 { background: var(--r2); font-weight: bold; }
td.r3 { background: var(--r3); font-weight: bold; }
td.other, th.other { color: var(--muted); }
.mark { margin-right: .15em; }
.sig-up, .sig-down { margin-right: .15em; font-weight: bold; }
.sig-up { color: #b3261e; }
.sig-down { color: #1f5fa8; }
table.words { width: 60%; min-width: 22em; }
table.words td.pos { text-align: left; color: var(--muted); }
.caution { color: var(--amber); margin-left: .2em; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.question { break-before: page; }
  h2, h3 { break-after: avoid; }
  figure, .category, .figures, tr, .legend, table.words { break-inside: avoid; }
  .crosstab { overflow: visible; }
  thead { display: table-header-group; }
  nav a { color: inherit; }
}
"#;

/// The whole page.
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<meta name=\"generator\" content=\"jiyu {}\">",
        env!("CARGO_PKG_VERSION")
    );
    match &report.title {
        Some(title) => {
            let _ = writeln!(out, "<title>{}</title>", esc(title));
        }
        None => {
            let _ = writeln!(
                out,
                "<title>自由記述の集計 — {}</title>",
                esc(&report.source)
            );
        }
    }
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    header(&mut out, report);
    for (index, question) in report.questions.iter().enumerate() {
        question_section(&mut out, report, index, question);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn header(out: &mut String, report: &Report) {
    let _ = write!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">",
        esc(report.title.as_deref().unwrap_or(DEFAULT_TITLE))
    );
    let _ = write!(out, "<span>入力: {}</span>", esc(&report.source));
    let _ = write!(
        out,
        "<span>{}問・回答 {}件{}</span>",
        report.questions.len(),
        count(report.answers),
        if report.counts_blanks {
            format!("・無回答（空欄） {}件", count(report.blank))
        } else {
            String::new()
        }
    );
    let _ = write!(
        out,
        "<span>分類ルール: {}</span>",
        esc(&report.rules_origin)
    );
    match &report.model_origin {
        Some(origin) => {
            let _ = write!(out, "<span>学習モデル: {}</span>", esc(origin));
        }
        None => out.push_str("<span>学習モデル: なし（ルールのみ）</span>"),
    }
    if let Some(path) = &report.overrides_path {
        let _ = write!(
            out,
            "<span>修正ファイル: {} — <span class=\"override\">{}件の分類は修正ファイルによる</span></span>",
            esc(path),
            count(report.overridden)
        );
    }
    out.push_str("</p>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">jiyu が分類ルール{}で自動分類した下書きです。件数は各カテゴリに該当する回答の数で、\
         1件の回答が複数のカテゴリに該当することがあります。割合は設問の回答数（無回答・特になしを含む）に対する比率です。{}\
         回答例は、そのカテゴリだけに該当し根拠語がはっきりした、長すぎも短すぎもしない、信頼度の高い回答から、\
         似通ったものを除き、異なる語を含むものを選んでいます。\
         <span class=\"needs-review\">要確認</span>は分類の信頼度が {} 未満の回答（全体で {}件）で、設問ごとに信頼度の低い順に載せています。{}</p>",
        if report.model_origin.is_some() {
            "と学習モデル"
        } else {
            ""
        },
        if report.counts_blanks {
            "無回答（空欄）は回答欄が空の回答者の数で、その割合は設問の回答者（回答＋空欄）に対する比率です。"
        } else {
            ""
        },
        report.review_below,
        count(report.needs_review),
        if report.model_origin.is_some() {
            format!(
                "<span class=\"model\">{}</span>は、ルールの語ではなく学習モデルが主な分類を決めた回答（全体で {}件）で、棒グラフでは薄い色の部分です。",
                Basis::Model.label(),
                count(report.from_model)
            )
        } else {
            String::new()
        }
    );
    out.push_str("<nav><ol>\n");
    for (index, question) in report.questions.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li><a href=\"#q{}\">{}</a>（{}件）</li>",
            index + 1,
            esc(&heading(question)),
            count(question.answers)
        );
    }
    out.push_str("</ol></nav>\n</header>\n");
}

/// `text` (already HTML) as a link to the page of [`Report::link`] filtered by `filters` (the
/// page's URL parameters), or as it is without a page.
fn to_page(report: &Report, filters: &[(&str, &str)], text: String) -> String {
    let Some(base) = &report.link else {
        return text;
    };
    let query = serde_urlencoded::to_string(filters).unwrap_or_default();
    format!(
        "<a class=\"to-page\" href=\"{}\" title=\"この回答をページで見る\">{text}</a>",
        esc(&format!("{base}/?{query}"))
    )
}

fn question_section(out: &mut String, report: &Report, index: usize, question: &QuestionReport) {
    let figures = question_figures(report, question);
    let _ = writeln!(
        out,
        "<section class=\"question\" id=\"q{}\">\n<h2>{}</h2>",
        index + 1,
        esc(&figures.heading)
    );
    out.push_str("<div class=\"figures\">");
    for item in figures.items() {
        let class = item
            .class
            .map(|class| format!(" class=\"{class}\""))
            .unwrap_or_default();
        let number = if item.emphasized {
            format!("<b>{}</b>", count(item.count))
        } else {
            count(item.count)
        };
        let detail = item
            .detail
            .map(|detail| format!("（{}）", esc(&detail)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<span{class}>{} {number}件{detail}</span>",
            esc(&item.label)
        );
    }
    out.push_str("</div>\n");
    let Some(scheme) = &question.scheme else {
        out.push_str(
            "<p class=\"note\">この設問を分類するスキームはありません（件数のみ）。</p>\n",
        );
        if question.needs_review > 0 {
            review(out, report, question);
        }
        words(out, question);
        out.push_str("</section>\n");
        return;
    };
    let _ = writeln!(
        out,
        "<figure>{}<figcaption>カテゴリ別の件数と割合（スキーム {}、n = {}、複数該当あり）{}</figcaption></figure>",
        bar_chart(question),
        esc(scheme),
        count(question.answers),
        if question.from_model > 0 {
            format!(
                "。棒の薄い色の部分は<span class=\"model\">{}</span>",
                Basis::Model.label()
            )
        } else {
            String::new()
        }
    );
    nets(out, question);
    if report.examples > 0 {
        out.push_str("<p class=\"lead\">フリー回答の一例は、下記のとおりである。</p>\n");
        for category in question.categories.iter().filter(|c| c.is_heading) {
            out.push_str("<div class=\"category\">");
            let _ = write!(
                out,
                "<h3>◼ {} <span class=\"n\">（{}件、{}",
                esc(&category.label),
                to_page(
                    report,
                    &[("question", &question.question), ("category", &category.id)],
                    count(category.count)
                ),
                percent(category.count, question.answers)
            );
            if category.overridden > 0 {
                let _ = write!(
                    out,
                    "、<span class=\"override\">うち修正 {}件</span>",
                    count(category.overridden)
                );
            }
            if category.from_model > 0 {
                let _ = write!(
                    out,
                    "、<span class=\"model\">うち{} {}件</span>",
                    Basis::Model.label(),
                    count(category.from_model)
                );
            }
            out.push_str("）</span></h3>\n<ul>\n");
            if category.examples.is_empty() {
                out.push_str("<li class=\"none\">（該当する回答なし）</li>\n");
            }
            for example in &category.examples {
                let _ = writeln!(
                    out,
                    "<li>{}<span class=\"id\">{}{}</span>{}</li>",
                    esc(&example.text),
                    esc(&example.id),
                    if example.overridden { "・修正" } else { "" },
                    if example.from_model {
                        format!("<span class=\"id model\">{}</span>", Basis::Model.label())
                    } else {
                        String::new()
                    }
                );
            }
            out.push_str("</ul></div>\n");
        }
    }
    review(out, report, question);
    words(out, question);
    for table in &question.crosstabs {
        cross_table(out, report, question, table);
    }
    out.push_str("</section>\n");
}

/// 「よく使われた語」: the question's most used words as a table, then its co-occurrence
/// network as inline SVG (every text in it escaped by the SVG writer).
fn words(out: &mut String, question: &QuestionReport) {
    let Some(list) = &question.words else {
        return;
    };
    let _ = writeln!(
        out,
        "<div class=\"words\"><h3>よく使われた語（上位{}語）</h3>",
        count(list.rows.len())
    );
    if list.rows.is_empty() {
        out.push_str("<p class=\"note\">数えられる語がありません。</p></div>\n");
        return;
    }
    out.push_str(
        "<table class=\"words\"><colgroup><col style=\"width:40%\"><col style=\"width:20%\"><col style=\"width:20%\"><col style=\"width:20%\"></colgroup>\n<thead><tr><th>語</th><th>品詞</th><th>回答数</th><th>割合</th></tr></thead>\n<tbody>\n",
    );
    for row in &list.rows {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td class=\"pos\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&row.word),
            esc(&row.pos),
            count(row.answers),
            percent(row.answers, list.answers)
        );
    }
    let _ = writeln!(
        out,
        "</tbody>\n</table>\n<p class=\"legend\">回答数は語を含む回答の数、割合はそれを無回答・特になしを除く回答 {}件で割ったもの。語は基本形（表記ゆれは統一）、一般的な語（する、こと など）は除く。</p>",
        count(list.answers)
    );
    if let Some(drawn) = &question.network {
        let _ = writeln!(
            out,
            "<figure class=\"network\">{}<figcaption>共起ネットワーク（{}語、Jaccard係数の上位{}本）。円の面積は語を含む回答数、色はモジュラリティによるグループ、実線は同じグループ内の共起</figcaption></figure>",
            drawn.svg().trim_end(),
            count(drawn.nodes.len()),
            count(drawn.edges.len())
        );
    }
    out.push_str("</div>\n");
}

/// 「要確認の回答」: the question's answers below the threshold, least confident first, each with
/// its categories, basis and confidence.
fn review(out: &mut String, report: &Report, question: &QuestionReport) {
    let _ = write!(
        out,
        "<div class=\"review\"><h3>要確認の回答 <span class=\"n\">（{}件",
        count(question.needs_review)
    );
    if question.scheme.is_some() {
        let unclassified = question.count(crate::rules::scheme::UNCLASSIFIED);
        let _ = write!(out, "、うち分類できなかった回答 {}件", count(unclassified));
    }
    out.push_str("）</span></h3>\n");
    if question.review.is_empty() {
        out.push_str("<p class=\"note\">ありません。</p></div>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">分類の信頼度が {} 未満の回答です。信頼度の低い順に並べています（分類できなかった回答は信頼度 0 で先頭、同じ文面はまとめて表示）。ルールの見直しや、修正ファイル（--overrides）での分類に使ってください。</p>\n<ul>",
        report.review_below
    );
    for answer in &question.review {
        let times = match answer.count {
            1 => String::new(),
            n => format!(" ほか同文 {}件", count(n - 1)),
        };
        let categories: Vec<&str> = answer
            .categories
            .iter()
            .map(|id| question.label(id))
            .collect();
        let basis = if answer.basis == Basis::Model {
            format!("<span class=\"model\">{}</span>", answer.basis.label())
        } else {
            answer.basis.label().to_string()
        };
        let _ = writeln!(
            out,
            "<li>{}<span class=\"id\">{}{}</span><span class=\"why\">{} · {} · 信頼度 {}</span></li>",
            esc(&answer.text),
            esc(&answer.id),
            times,
            esc(&categories.join("、")),
            basis,
            confidence(answer.confidence)
        );
    }
    out.push_str("</ul>");
    let more = question.needs_review - question.review_listed();
    if more > 0 {
        let _ = write!(
            out,
            "<p class=\"note\">ほか {}件は省略（いずれも上の回答と同じかより高い信頼度）。</p>",
            count(more)
        );
    }
    out.push_str("</div>\n");
}

/// Approximate width of `text` at 13px: full-width characters 13, others 7.5.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|ch| if ch.is_ascii() { 7.5 } else { 13.0 })
        .sum()
}

/// A horizontal bar chart of every category's count and share, scaled so the longest bar
/// spans the plot; `unclassified` and `no-answer` in grey. The part of a bar that the model
/// labeled is lighter, and its count follows the share; the plot is narrower then, to leave
/// room for it.
fn bar_chart(question: &QuestionReport) -> String {
    const WIDTH: f64 = 820.0;
    const LABEL: f64 = 360.0;
    const PLOT_X: f64 = 372.0;
    let with_model = question.from_model > 0;
    let plot: f64 = if with_model { 190.0 } else { 330.0 };
    const ROW: f64 = 30.0;
    const BAR: f64 = 19.0;
    let rows = &question.categories;
    let height = ROW * rows.len() as f64 + 8.0;
    let largest = rows.iter().map(|row| row.count).max().unwrap_or(0).max(1);
    let mut svg = String::new();
    let summary: Vec<String> = rows
        .iter()
        .map(|row| match row.from_model {
            0 => format!("{} {}件", row.label, row.count),
            n => format!(
                "{} {}件（うち{} {}件）",
                row.label,
                row.count,
                Basis::Model.label(),
                n
            ),
        })
        .collect();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        esc(&summary.join("、"))
    );
    let _ = write!(
        svg,
        "<line x1=\"{PLOT_X}\" y1=\"2\" x2=\"{PLOT_X}\" y2=\"{}\" stroke=\"#d0d7de\"/>",
        height - 2.0
    );
    for (index, row) in rows.iter().enumerate() {
        let top = 4.0 + ROW * index as f64;
        let middle = top + ROW / 2.0;
        let squeeze = if text_width(&row.label) > LABEL - 4.0 {
            format!(
                " textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"",
                LABEL - 4.0
            )
        } else {
            String::new()
        };
        let _ = write!(
            svg,
            "<text x=\"{LABEL}\" y=\"{middle}\" text-anchor=\"end\" dominant-baseline=\"central\"{squeeze}>{}</text>",
            esc(&row.label)
        );
        let width =
            (plot * row.count as f64 / largest as f64).max(if row.count > 0 { 1.5 } else { 0.0 });
        let color = match (row.is_heading, row.id.as_str()) {
            (true, _) => "#2f6497",
            (false, crate::rules::scheme::UNCLASSIFIED) => "#c08a2b",
            (false, _) => "#a4acb6",
        };
        let _ = write!(
            svg,
            "<rect x=\"{PLOT_X}\" y=\"{}\" width=\"{width:.1}\" height=\"{BAR}\" fill=\"{color}\"/>",
            middle - BAR / 2.0
        );
        if row.from_model > 0 {
            // The model's part at the end of the bar, at least as wide as a hairline.
            let part = (width * row.from_model as f64 / row.count as f64).max(1.5);
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{}\" width=\"{part:.1}\" height=\"{BAR}\" fill=\"#9fc3e6\"/>",
                PLOT_X + width - part,
                middle - BAR / 2.0
            );
        }
        let _ = write!(
            svg,
            "<text class=\"value\" x=\"{:.1}\" y=\"{middle}\" dominant-baseline=\"central\">{}件（{}）{}</text>",
            PLOT_X + width + 6.0,
            count(row.count),
            percent(row.count, question.answers),
            match row.from_model {
                0 => String::new(),
                n => format!(" <tspan class=\"model\">うち学習モデル {}件</tspan>", count(n)),
            }
        );
    }
    svg.push_str("</svg>");
    svg
}

fn cross_table(out: &mut String, report: &Report, question: &QuestionReport, table: &CrossTable) {
    let _ = writeln!(
        out,
        "<div class=\"crosstab\"><h3>クロス集計: {}</h3>\n<table>",
        esc(&table.attribute)
    );
    let blanks = report.counts_blanks;
    // Fixed column widths, so every table of the report lines up the same way: the value
    // column, N, the blank cells, then the categories sharing the rest equally.
    let columns = table.categories.len() + table.nets.len();
    let share = if blanks { 64.0 } else { 72.0 } / columns.max(1) as f64;
    let _ = writeln!(
        out,
        "<colgroup><col style=\"width:21%\"><col style=\"width:7%\">{}{}</colgroup>",
        if blanks {
            "<col style=\"width:8%\">"
        } else {
            ""
        },
        format!("<col style=\"width:{share:.2}%\">").repeat(columns)
    );
    let _ = write!(
        out,
        "<thead><tr><th>{}</th><th>N</th>{}",
        esc(&table.attribute),
        if blanks {
            "<th class=\"other\">無回答（空欄）</th>"
        } else {
            ""
        }
    );
    for ((_, label), ranked) in table.categories.iter().zip(&table.ranked) {
        let _ = write!(
            out,
            "<th class=\"cat{}\">{}</th>",
            if *ranked { "" } else { " other" },
            esc(label)
        );
    }
    for (_, title) in &table.nets {
        let _ = write!(out, "<th class=\"cat net\">{}</th>", esc(title));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        let value = if row.total {
            "全体".to_string()
        } else if row.value.is_empty() {
            "（空欄）".to_string()
        } else {
            row.value.clone()
        };
        let _ = write!(
            out,
            "<tr{}><th>{}{}</th><td>{}</td>",
            if row.total { " class=\"total\"" } else { "" },
            esc(&value),
            if row.small {
                "<span class=\"caution\">※</span>"
            } else {
                ""
            },
            count(row.n)
        );
        if blanks {
            let _ = write!(
                out,
                "<td class=\"other\">{}<span class=\"c\">{}</span></td>",
                percent(row.blank, row.n + row.blank),
                count(row.blank)
            );
        }
        let filter = format!("{}={}", table.attribute, row.value);
        for ((((cell, rank), ranked), residual), (category, _)) in row
            .counts
            .iter()
            .zip(&row.ranks)
            .zip(&table.ranked)
            .zip(&row.residuals)
            .zip(&table.categories)
        {
            let class = match rank {
                Some(rank) => format!(" class=\"r{rank}\""),
                None if !*ranked => " class=\"other\"".to_string(),
                None => String::new(),
            };
            let mark = rank
                .map(|rank| format!("<span class=\"mark\">{}</span>", MARKS[rank - 1]))
                .unwrap_or_default();
            let sig = match Mark::of(*residual) {
                Some(Mark::Above) => "<span class=\"sig-up\">▲</span>",
                Some(Mark::Below) => "<span class=\"sig-down\">▽</span>",
                None => "",
            };
            // Answers without the attribute's value cannot be filtered to: no link.
            let counted = if row.total {
                to_page(
                    report,
                    &[("question", &question.question), ("category", category)],
                    count(*cell),
                )
            } else if row.value.is_empty() {
                count(*cell)
            } else {
                to_page(
                    report,
                    &[
                        ("question", &question.question),
                        ("category", category),
                        ("where", &filter),
                    ],
                    count(*cell),
                )
            };
            let _ = write!(
                out,
                "<td{class}>{mark}{sig}{}<span class=\"c\">{counted}</span></td>",
                percent(*cell, row.n),
            );
        }
        for cell in &row.nets {
            let _ = write!(
                out,
                "<td class=\"net\">{}<span class=\"c\">{}</span></td>",
                percent(*cell, row.n),
                count(*cell)
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    let _ = write!(
        out,
        "<p class=\"legend\">上段は N に対する割合、下段は件数。①②③ と網掛けは行ごとの上位3カテゴリ（同数は同順位）。{}",
        if blanks {
            "無回答（空欄）の割合は、その行の回答者（N＋空欄）に対する比率。"
        } else {
            ""
        }
    );
    if table.rows.iter().any(|row| row.small) {
        let _ = write!(
            out,
            "<br><span class=\"caution\">※</span> N が {} 未満の行は、件数が少なく割合が大きく振れるため、上位の印を付けていません（割合は参考値）。",
            report.min_n
        );
    }
    let _ = write!(
        out,
        "<br><span class=\"sig-up\">▲</span><span class=\"sig-down\">▽</span>は調整済み残差が 1.96 以上／−1.96 以下のセル（5%水準で全体より多い／少ない）。\
         残差はカテゴリごとに「該当する・しない」× {} の表で求めています（複数該当の回答も各表で1件）。",
        esc(&table.attribute)
    );
    match &table.test {
        Some(test) => {
            let _ = write!(
                out,
                "<br>独立性の検定（主な分類 × {}、各回答を1件として）: {}{}",
                esc(&table.attribute),
                chi_square(test),
                small_expected(test)
                    .map(|note| format!(
                        "。<span class=\"caution\">{note}で、検定の近似は不確かです</span>"
                    ))
                    .unwrap_or_default()
            );
        }
        None => out.push_str(
            "<br>独立性の検定: 回答のある値または主な分類が1つだけのため、検定できません。",
        ),
    }
    out.push_str("</p>\n");
    if let (Some(ca), Some(plot)) = (&table.ca, biplot(question, table)) {
        let _ = writeln!(
            out,
            "<figure class=\"view ca\">{}<figcaption>対応分析（カテゴリ × {}、件数は表と同じ{}）: 第1軸 {:.1}%、第2軸 {:.1}%（総慣性 {:.4}）。\
             原点から同じ方向に離れているカテゴリと値ほど結びつきが強く、原点の近くは全体と似た構成です。</figcaption></figure>",
            plot.svg,
            esc(&table.attribute),
            small_values(report, table),
            100.0 * ca.share(0),
            100.0 * ca.share(1),
            ca.total_inertia
        );
    }
    out.push_str("</div>\n");
}

/// The values a cross-table's biplot leaves out, for its caption.
fn small_values(report: &Report, table: &CrossTable) -> String {
    super::text::small_values_note(report, table, esc)
}

/// The NET rows of a question's groups: each group's label, its member categories and the
/// answers having any of them (each once); nothing for a question without groups.
fn nets(out: &mut String, question: &QuestionReport) {
    if question.nets.is_empty() {
        return;
    }
    out.push_str(
        "<table class=\"words nets\"><colgroup><col style=\"width:30%\"><col style=\"width:40%\"><col style=\"width:15%\"><col style=\"width:15%\"></colgroup>\n<thead><tr><th>グループ</th><th>含むカテゴリ</th><th>件数</th><th>割合</th></tr></thead>\n<tbody>\n",
    );
    for net in &question.nets {
        let members: Vec<&str> = net
            .members
            .iter()
            .map(|member| question.label(member))
            .collect();
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td class=\"pos\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&net.title()),
            esc(&members.join("、")),
            count(net.count),
            percent(net.count, question.answers)
        );
    }
    out.push_str(
        "</tbody>\n</table>\n<p class=\"legend\">NET は、グループのいずれかのカテゴリに該当する回答の数（複数に該当しても1件）。</p>\n",
    );
}
