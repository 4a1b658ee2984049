//! `report.md`: the report in Markdown, to paste into a document — per question the figures, a
//! table of the categories (with a column of the model's labels when a model classified), ◼
//! headings with bullet examples (the model's marked 「学習モデルによる推定」), the answers that
//! need review (least confident first) and the cross-tables (top three cells marked ①②③ and
//! bold; a row with too few answers to rank marked ※; a wide export's blank cells in a column).
//! Every piece of text from the input or the rules is escaped ([`super::text::markdown`]).

use std::fmt::Write as _;

use super::figures::question_figures;
use super::text::{chi_square, confidence, count, markdown as esc, percent, small_expected};
use super::{biplot_file, CrossTable, QuestionReport, Report};
use crate::classify::Basis;
use crate::views::significance::Mark;

const MARKS: [&str; 3] = ["①", "②", "③"];

/// The whole document.
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "# {}\n\n",
        esc(report
            .title
            .as_deref()
            .unwrap_or(super::html::DEFAULT_TITLE))
    );
    let _ = write!(
        out,
        "入力: {} · {}問・回答 {}件{} · 分類ルール: {}",
        esc(&report.source),
        report.questions.len(),
        count(report.answers),
        if report.counts_blanks {
            format!("・無回答（空欄） {}件", count(report.blank))
        } else {
            String::new()
        },
        esc(&report.rules_origin)
    );
    match &report.model_origin {
        Some(origin) => {
            let _ = write!(out, " · 学習モデル: {}", esc(origin));
        }
        None => out.push_str(" · 学習モデル: なし（ルールのみ）"),
    }
    if let Some(path) = &report.overrides_path {
        let _ = write!(
            out,
            " · 修正ファイル: {} — **{}件の分類は修正ファイルによる**",
            esc(path),
            count(report.overridden)
        );
    }
    out.push_str("\n\n");
    out.push_str(
        "件数は各カテゴリに該当する回答の数（複数該当あり）、割合は設問の回答数（無回答・特になしを含む）に対する比率。",
    );
    if report.counts_blanks {
        out.push_str(
            "無回答（空欄）は回答欄が空の回答者の数で、その割合は設問の回答者（回答＋空欄）に対する比率。",
        );
    }
    let _ = write!(
        out,
        "要確認は分類の信頼度が {} 未満の回答（{}件）。",
        report.review_below,
        count(report.needs_review)
    );
    if report.model_origin.is_some() {
        let _ = write!(
            out,
            "「{}」は、ルールの語ではなく学習モデルが主な分類を決めた回答（{}件）。",
            Basis::Model.label(),
            count(report.from_model)
        );
    }
    out.push('\n');
    for (position, question) in report.questions.iter().enumerate() {
        section(&mut out, report, position, question);
    }
    out
}

fn section(out: &mut String, report: &Report, position: usize, question: &QuestionReport) {
    let figures = question_figures(report, question);
    let _ = write!(out, "\n## {}\n\n", esc(&figures.heading));
    let items: Vec<String> = figures
        .items()
        .into_iter()
        .map(|item| {
            let detail = item
                .detail
                .map(|detail| format!("（{detail}）"))
                .unwrap_or_default();
            // Labels and details are jiyu's own words and figures: nothing to escape.
            format!("{} {}件{detail}", item.label, count(item.count))
        })
        .collect();
    out.push_str(&items.join(" · "));
    out.push_str("\n\n");
    if question.scheme.is_none() {
        out.push_str("この設問を分類するスキームはありません（件数のみ）。\n");
        if question.needs_review > 0 {
            review(out, report, question);
        }
        words(out, position, question);
        return;
    }
    let with_model = report.model_origin.is_some();
    if with_model {
        let _ = writeln!(
            out,
            "| カテゴリ | 件数 | 割合 | うち{} |\n|---|---:|---:|---:|",
            Basis::Model.label()
        );
    } else {
        out.push_str("| カテゴリ | 件数 | 割合 |\n|---|---:|---:|\n");
    }
    for net in &question.nets {
        let _ = write!(
            out,
            "| **{}** | {} | {} |",
            esc(&net.title()),
            count(net.count),
            percent(net.count, question.answers)
        );
        if with_model {
            let _ = write!(out, " {} |", count(net.from_model));
        }
        out.push('\n');
    }
    for category in &question.categories {
        let _ = write!(
            out,
            "| {} | {} | {} |",
            esc(&category.label),
            count(category.count),
            percent(category.count, question.answers)
        );
        if with_model {
            let _ = write!(out, " {} |", count(category.from_model));
        }
        out.push('\n');
    }
    if report.examples > 0 {
        out.push_str("\nフリー回答の一例は、下記のとおりである。\n");
        for category in question.categories.iter().filter(|c| c.is_heading) {
            let _ = write!(
                out,
                "\n#### ◼ {}（{}件",
                esc(&category.label),
                count(category.count)
            );
            if category.overridden > 0 {
                let _ = write!(out, "、うち修正 {}件", count(category.overridden));
            }
            if category.from_model > 0 {
                let _ = write!(
                    out,
                    "、うち{} {}件",
                    Basis::Model.label(),
                    count(category.from_model)
                );
            }
            out.push_str("）\n\n");
            if category.examples.is_empty() {
                out.push_str("（該当する回答なし）\n");
            }
            for example in &category.examples {
                if example.from_model {
                    let _ = writeln!(out, "- {} （{}）", esc(&example.text), Basis::Model.label());
                } else {
                    let _ = writeln!(out, "- {}", esc(&example.text));
                }
            }
        }
    }
    review(out, report, question);
    words(out, position, question);
    for (table_index, table) in question.crosstabs.iter().enumerate() {
        cross_table(out, report, table);
        if let Some(ca) = &table.ca {
            let _ = writeln!(
                out,
                "\n![対応分析: カテゴリ × {}]({})\n\n対応分析（カテゴリ × {}、件数は表と同じ{}）: 第1軸 {:.1}%、第2軸 {:.1}%（総慣性 {:.4}）。\
                 原点から同じ方向に離れているカテゴリと値ほど結びつきが強く、原点の近くは全体と似た構成。",
                esc(&table.attribute),
                biplot_file(position, table_index),
                esc(&table.attribute),
                small_values(report, table),
                100.0 * ca.share(0),
                100.0 * ca.share(1),
                ca.total_inertia
            );
        }
    }
}

/// 「よく使われた語」: the question's most used words as a table, and a link to its
/// co-occurrence network's picture, a file beside report.md.
fn words(out: &mut String, position: usize, question: &QuestionReport) {
    let Some(list) = &question.words else {
        return;
    };
    let _ = write!(
        out,
        "\n### よく使われた語（上位{}語）\n\n",
        count(list.rows.len())
    );
    if list.rows.is_empty() {
        out.push_str("数えられる語がありません。\n");
        return;
    }
    let _ = writeln!(
        out,
        "割合は、語を含む回答の数を無回答・特になしを除く回答 {}件で割ったもの。\n\n| 語 | 品詞 | 回答数 | 割合 |\n|---|---|---:|---:|",
        count(list.answers)
    );
    for row in &list.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            esc(&row.word),
            esc(&row.pos),
            count(row.answers),
            percent(row.answers, list.answers)
        );
    }
    if let Some(drawn) = &question.network {
        let _ = write!(
            out,
            "\n![共起ネットワーク: {}]({})\n\n共起ネットワーク（{}語、Jaccard係数の上位{}本、色はモジュラリティによるグループ）。\n",
            esc(&question.question),
            super::network_file(position, &question.question),
            count(drawn.nodes.len()),
            count(drawn.edges.len())
        );
    }
}

/// 「要確認の回答」: the question's answers below the threshold, least confident first, each with
/// its categories, basis and confidence.
fn review(out: &mut String, report: &Report, question: &QuestionReport) {
    let _ = write!(
        out,
        "\n### 要確認の回答（{}件",
        count(question.needs_review)
    );
    if question.scheme.is_some() {
        let unclassified = question.count(crate::rules::scheme::UNCLASSIFIED);
        let _ = write!(out, "、うち分類できなかった回答 {}件", count(unclassified));
    }
    out.push_str("）\n\n");
    if question.review.is_empty() {
        out.push_str("ありません。\n");
        return;
    }
    let _ = writeln!(
        out,
        "分類の信頼度が {} 未満の回答を、信頼度の低い順に示す（分類できなかった回答は信頼度 0 で先頭、同じ文面はまとめて表示）。\n",
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
        let _ = writeln!(
            out,
            "- {} （{}{} · {} · {} · 信頼度 {}）",
            esc(&answer.text),
            esc(&answer.id),
            times,
            esc(&categories.join("、")),
            answer.basis.label(),
            confidence(answer.confidence)
        );
    }
    let more = question.needs_review - question.review_listed();
    if more > 0 {
        let _ = writeln!(
            out,
            "\nほか {}件は省略（いずれも上の回答と同じかより高い信頼度）。",
            count(more)
        );
    }
}

fn cross_table(out: &mut String, report: &Report, table: &CrossTable) {
    let blanks = report.counts_blanks;
    let _ = write!(
        out,
        "\n### クロス集計: {}\n\n| {} | N |{}",
        esc(&table.attribute),
        esc(&table.attribute),
        if blanks {
            " 無回答（空欄） |"
        } else {
            ""
        }
    );
    for (_, label) in &table.categories {
        let _ = write!(out, " {} |", esc(label));
    }
    for (_, title) in &table.nets {
        let _ = write!(out, " **{}** |", esc(title));
    }
    out.push_str("\n|---|---:|");
    if blanks {
        out.push_str("---:|");
    }
    for _ in 0..table.categories.len() + table.nets.len() {
        out.push_str("---:|");
    }
    out.push('\n');
    for row in &table.rows {
        let value = if row.total {
            "全体".to_string()
        } else if row.value.is_empty() {
            "（空欄）".to_string()
        } else {
            esc(&row.value)
        };
        let _ = write!(
            out,
            "| {}{} | {} |",
            value,
            if row.small { " ※" } else { "" },
            count(row.n)
        );
        if blanks {
            let _ = write!(out, " {} |", percent(row.blank, row.n + row.blank));
        }
        for ((cell, rank), residual) in row.counts.iter().zip(&row.ranks).zip(&row.residuals) {
            let share = percent(*cell, row.n);
            let sig = Mark::of(*residual).map_or("", Mark::symbol);
            match rank {
                Some(rank) => {
                    let _ = write!(out, " {}{sig}**{}** |", MARKS[rank - 1], share);
                }
                None => {
                    let _ = write!(out, " {sig}{share} |");
                }
            }
        }
        for cell in &row.nets {
            let _ = write!(out, " {} |", percent(*cell, row.n));
        }
        out.push('\n');
    }
    out.push_str("\n割合は N に対する比率。①②③ と太字は行ごとの上位3カテゴリ（同数は同順位）。");
    if blanks {
        out.push_str("無回答（空欄）の割合は、その行の回答者（N＋空欄）に対する比率。");
    }
    if table.rows.iter().any(|row| row.small) {
        let _ = write!(
            out,
            "※ N が {} 未満の行は、件数が少なく割合が大きく振れるため、上位の印を付けていません（割合は参考値）。",
            report.min_n
        );
    }
    let _ = write!(
        out,
        "▲▽は調整済み残差が 1.96 以上／−1.96 以下のセル（5%水準で全体より多い／少ない）。\
         残差はカテゴリごとに「該当する・しない」× {} の表で求めた（複数該当の回答も各表で1件）。",
        esc(&table.attribute)
    );
    match &table.test {
        Some(test) => {
            let _ = write!(
                out,
                "独立性の検定（主な分類 × {}、各回答を1件として）: {}{}。",
                esc(&table.attribute),
                esc(&chi_square(test)),
                small_expected(test)
                    .map(|note| format!("。※ {note}で、検定の近似は不確か"))
                    .unwrap_or_default()
            );
        }
        None => {
            out.push_str("独立性の検定: 回答のある値または主な分類が1つだけのため、検定できない。")
        }
    }
    out.push('\n');
}

/// The values a cross-table's biplot leaves out, for its caption.
fn small_values(report: &Report, table: &CrossTable) -> String {
    super::text::small_values_note(report, table, esc)
}
