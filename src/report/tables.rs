//! `summary.csv` and `crosstab.csv`: the report's figures for Excel — UTF-8 with a BOM, CRLF,
//! one row per question × category (× attribute value). Shares are ratios (0.2255), rounded to
//! four places.

use crate::error::{Error, Result};

use super::text::ratio;
use super::Report;

/// `question, category, label, count, share, model, question_needs_review, blank`: every
/// category of every question, `unclassified` and `no-answer` included, even when the count is
/// zero. `model` is how many of the category's answers got it from the model (0 without a
/// model); `question_needs_review` the question's answers below the review threshold and
/// `blank` its blank cells (respondents asked who wrote nothing; 0 for an input without
/// respondent rows), the same on each of its rows. After a question's categories come its
/// groups' NET rows (`category` the group's id, `label` `NET：label`): answers having any of
/// the group's categories, each once, and in `model` those whose primary category, one of the
/// group's, the model gave.
pub fn summary_csv(report: &Report) -> Result<Vec<u8>> {
    let mut rows = vec![row(&[
        "question",
        "category",
        "label",
        "count",
        "share",
        "model",
        "question_needs_review",
        "blank",
    ])];
    for question in &report.questions {
        for category in &question.categories {
            rows.push(vec![
                question.question.clone(),
                category.id.clone(),
                category.label.clone(),
                category.count.to_string(),
                share(category.count, question.answers),
                category.from_model.to_string(),
                question.needs_review.to_string(),
                question.blank.to_string(),
            ]);
        }
        for net in &question.nets {
            rows.push(vec![
                question.question.clone(),
                net.id.clone(),
                net.title(),
                net.count.to_string(),
                share(net.count, question.answers),
                net.from_model.to_string(),
                question.needs_review.to_string(),
                question.blank.to_string(),
            ]);
        }
    }
    encode(&rows)
}

/// `question, attribute, value, category, N, count, share, blank, residual, chi2, df, p`: for
/// each `--by` attribute, each of its values (in the cross-tables' order) and each category; N
/// is the value's answers to the question, `blank` its respondents who left the question blank
/// (the same on each of the value's rows). `residual` is the cell's adjusted standardized
/// residual ([`super::CrossRow::residuals`], three decimals; empty where undefined); `chi2`,
/// `df` and `p` the table's test of independence ([`super::CrossTable::test`]), the same on
/// each of the table's rows (empty when there is none). The first eight columns are those of
/// earlier versions. After a value's categories come its NET rows (`category` the group's id,
/// `residual` empty): its answers having any of the group's categories, each once.
pub fn crosstab_csv(report: &Report) -> Result<Vec<u8>> {
    let mut rows = vec![row(&[
        "question",
        "attribute",
        "value",
        "category",
        "N",
        "count",
        "share",
        "blank",
        "residual",
        "chi2",
        "df",
        "p",
    ])];
    for question in &report.questions {
        for table in &question.crosstabs {
            let (chi2, df, p) = match &table.test {
                Some(test) => (
                    format!("{:.3}", test.statistic),
                    test.df.to_string(),
                    p_value(test.p_value),
                ),
                None => Default::default(),
            };
            for cross_row in table.rows.iter().filter(|cross_row| !cross_row.total) {
                for (((category, _), count), residual) in table
                    .categories
                    .iter()
                    .zip(&cross_row.counts)
                    .zip(&cross_row.residuals)
                {
                    rows.push(vec![
                        question.question.clone(),
                        table.attribute.clone(),
                        cross_row.value.clone(),
                        category.clone(),
                        cross_row.n.to_string(),
                        count.to_string(),
                        share(*count, cross_row.n),
                        cross_row.blank.to_string(),
                        residual.map(|r| format!("{r:.3}")).unwrap_or_default(),
                        chi2.clone(),
                        df.clone(),
                        p.clone(),
                    ]);
                }
                for ((id, _), count) in table.nets.iter().zip(&cross_row.nets) {
                    rows.push(vec![
                        question.question.clone(),
                        table.attribute.clone(),
                        cross_row.value.clone(),
                        id.clone(),
                        cross_row.n.to_string(),
                        count.to_string(),
                        share(*count, cross_row.n),
                        cross_row.blank.to_string(),
                        String::new(),
                        chi2.clone(),
                        df.clone(),
                        p.clone(),
                    ]);
                }
            }
        }
    }
    encode(&rows)
}

fn row(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|field| field.to_string()).collect()
}

/// A p-value for a spreadsheet: four decimals from 0.0001 up, else in exponent notation
/// (`2.954e-7`), which Excel reads as a number.
fn p_value(p: f64) -> String {
    if p >= 1e-4 {
        format!("{p:.4}")
    } else {
        format!("{p:.3e}")
    }
}

fn share(count: usize, whole: usize) -> String {
    format!("{:.4}", ratio(count, whole))
}

fn encode(rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for fields in rows {
        writer
            .write_record(fields)
            .map_err(|err| Error::Encode(format!("cannot encode CSV: {err}")))?;
    }
    writer
        .into_inner()
        .map_err(|err| Error::Encode(format!("cannot encode CSV: {err}")))
}
