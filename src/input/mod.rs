//! Input: survey exports (JSONL, long or wide CSV/TSV, XLSX; UTF-8 or Shift_JIS) read into
//! [`Answer`]s, one per free-text answer, in file order.

use serde::Serialize;

/// One free-text answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// Unique within the input: the id column of a long file, `<respondent id>:<column>` of a
    /// wide one.
    pub id: String,
    /// The question the answer belongs to (`Q6-1`).
    pub question: String,
    /// The text exactly as the respondent wrote it.
    pub text: String,
    /// Every other column of the row, in file order (業種, 従業員数, 取組段階, …).
    pub attributes: Vec<(String, String)>,
}
