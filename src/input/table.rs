//! Tables with a header row — CSV, TSV and XLSX sheets — turned into answers: which column is
//! the id, the question and the text (long exports) or the respondent id and the free-text
//! columns (wide exports), and which are attributes. The readers hand over decoded cells; this
//! module knows nothing of bytes or workbooks.

use super::options::InputOptions;
use super::{input_error, Answer, Row, RowOut};
use crate::error::Result;

/// How a reader names the cells of its rows in messages: "field 3" in a CSV line, "cell C5"
/// in a sheet.
#[derive(Debug, Clone)]
pub(super) enum Places {
    /// Delimited text: columns are fields, numbered from 1.
    Fields,
    /// A sheet whose used range starts at 0-based column `first_column`.
    Sheet { name: String, first_column: usize },
}

impl Places {
    /// The 1-based column of cell `index` as reported in the error position.
    pub fn column_number(&self, index: usize) -> usize {
        match self {
            Places::Fields => index + 1,
            Places::Sheet { first_column, .. } => first_column + index + 1,
        }
    }

    /// "field 3" or "cell C5".
    pub fn describe(&self, line: usize, index: usize) -> String {
        match self {
            Places::Fields => format!("field {}", index + 1),
            Places::Sheet { .. } => {
                format!("cell {}{line}", column_letters(self.column_number(index)))
            }
        }
    }

    /// A prefix for messages about a sheet, so the row numbers are not taken for another's.
    fn context(&self) -> String {
        match self {
            Places::Fields => String::new(),
            Places::Sheet { name, .. } => format!("sheet “{name}”: "),
        }
    }
}

/// Excel's column name for a 1-based column number: 1 → A, 27 → AA.
pub(super) fn column_letters(mut number: usize) -> String {
    let mut letters = Vec::new();
    while number > 0 {
        let remainder = (number - 1) % 26;
        letters.push(char::from(b'A' + remainder as u8));
        number = (number - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Which column plays which part.
#[derive(Debug)]
enum Roles {
    /// One answer a row.
    Long {
        id: usize,
        question: usize,
        text: usize,
    },
    /// One row per respondent; each non-empty text column is one answer.
    Wide {
        id: usize,
        texts: Vec<(usize, String)>,
    },
}

/// The meaning of every column of a table, read from its header row.
#[derive(Debug)]
pub(super) struct Layout {
    path: String,
    places: Places,
    roles: Roles,
    /// The other named columns, in header order.
    attributes: Vec<(usize, String)>,
    /// Columns without a name: Excel leaves them after the last real column. They must stay
    /// empty, or a value would be dropped without a word.
    unnamed: Vec<usize>,
    names: Vec<String>,
}

/// A header name as the user means it: no surrounding spaces, no stray BOM.
pub(super) fn clean_header_name(name: &str) -> String {
    name.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
        .to_string()
}

impl Layout {
    /// Reads the header `names` (already cleaned) found on `line`.
    pub fn new(
        path: &str,
        places: Places,
        names: Vec<String>,
        line: usize,
        options: &InputOptions,
    ) -> Result<Layout> {
        let context = places.context();
        let error = |column: usize, message: String| {
            input_error(path, line, column, format!("{context}{message}"))
        };
        // Where the single column called `name` is; `None` if there is none.
        let find = |name: &str| -> Result<Option<usize>> {
            let mut found = names.iter().enumerate().filter(|(_, n)| n.as_str() == name);
            let first = found.next().map(|(index, _)| index);
            if let (Some(first), Some((second, _))) = (first, found.next()) {
                return Err(error(
                    places.column_number(second),
                    format!(
                        "the header has two columns named “{name}” ({} and {}); \
                         rename one so it is clear which to read",
                        places.describe(line, first),
                        places.describe(line, second)
                    ),
                ));
            }
            Ok(first)
        };
        let listing = names
            .iter()
            .filter(|name| !name.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let missing = |wanted: &[(&str, &str)], hint: &str| {
            let quoted: Vec<String> = wanted.iter().map(|(name, _)| format!("“{name}”")).collect();
            let options: Vec<&str> = wanted.iter().map(|(_, option)| *option).collect();
            let noun = if wanted.len() == 1 {
                "column"
            } else {
                "columns"
            };
            error(
                1,
                format!(
                    "the header has no {noun} {}; it has: {listing}. Name the right {} with {}{hint}",
                    quoted.join(", "),
                    noun,
                    options.join(", ")
                ),
            )
        };

        let roles = if options.text_columns.is_empty() {
            let id_name = options.id_column.as_deref().unwrap_or("id");
            let question_name = options.question_column.as_deref().unwrap_or("question");
            let text_name = options.text_column.as_deref().unwrap_or("text");
            let wanted = [
                (id_name, "--id-column", find(id_name)?),
                (question_name, "--question-column", find(question_name)?),
                (text_name, "--text-column", find(text_name)?),
            ];
            match wanted {
                [(_, _, Some(id)), (_, _, Some(question)), (_, _, Some(text))] => {
                    Roles::Long { id, question, text }
                }
                _ => {
                    let absent: Vec<(&str, &str)> = wanted
                        .iter()
                        .filter(|(_, _, index)| index.is_none())
                        .map(|(name, option, _)| (*name, *option))
                        .collect();
                    return Err(missing(
                        &absent,
                        "; for a wide export (one row per respondent, one column per question) \
                         give --id-column and --text-columns",
                    ));
                }
            }
        } else {
            // `open` makes sure a wide export names its id column.
            let id_name = options.id_column.as_deref().unwrap_or("id");
            let mut absent = Vec::new();
            let id = find(id_name)?;
            if id.is_none() {
                absent.push((id_name, "--id-column"));
            }
            let mut texts = Vec::new();
            for name in &options.text_columns {
                match find(name)? {
                    Some(index) => texts.push((index, name.clone())),
                    None => absent.push((name.as_str(), "--text-columns")),
                }
            }
            match id {
                Some(id) if absent.is_empty() => Roles::Wide { id, texts },
                _ => return Err(missing(&absent, "")),
            }
        };

        let used: Vec<usize> = match &roles {
            Roles::Long { id, question, text } => vec![*id, *question, *text],
            Roles::Wide { id, texts } => std::iter::once(*id)
                .chain(texts.iter().map(|(index, _)| *index))
                .collect(),
        };
        let mut attributes = Vec::new();
        let mut unnamed = Vec::new();
        for (index, name) in names.iter().enumerate() {
            if name.is_empty() {
                unnamed.push(index);
            } else if !used.contains(&index) {
                attributes.push((index, name.clone()));
            }
        }
        Ok(Layout {
            path: path.to_string(),
            places,
            roles,
            attributes,
            unnamed,
            names,
        })
    }

    /// Number of columns in the header.
    pub fn width(&self) -> usize {
        self.names.len()
    }

    /// The header names, for messages.
    pub fn name(&self, index: usize) -> &str {
        self.names.get(index).map_or("", String::as_str)
    }

    /// Turns one row into answers appended to `out`, and reports a wide export's row (with its
    /// blank text cells) to `out`'s observer. `cells` has one decoded cell per header column;
    /// `line_of(index)` is the line (row) where cell `index` starts. A row with nothing but
    /// whitespace is a blank line and gives no answer.
    pub fn answers(
        &self,
        mut cells: Vec<String>,
        line_of: &dyn Fn(usize) -> usize,
        out: &mut RowOut,
    ) -> Result<()> {
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            return Ok(());
        }
        let error = |index: usize, message: String| {
            let line = line_of(index);
            input_error(
                &self.path,
                line,
                self.places.column_number(index),
                format!(
                    "{}{} ({}): {message}",
                    self.places.context(),
                    self.places.describe(line, index),
                    self.describe_column(index)
                ),
            )
        };
        if let Some(&index) = self
            .unnamed
            .iter()
            .find(|&&index| cells.get(index).is_some_and(|cell| !cell.trim().is_empty()))
        {
            return Err(error(
                index,
                "this cell has a value but its column has no name in the header; \
                 name the column or empty it"
                    .to_string(),
            ));
        }
        let line = line_of(0);
        let mut take = |index: usize| cells.get_mut(index).map(std::mem::take).unwrap_or_default();
        match &self.roles {
            Roles::Long { id, question, text } => {
                let answer_id = take(*id).trim().to_string();
                if answer_id.is_empty() {
                    return Err(error(*id, "the answer id is empty".to_string()));
                }
                let question = take(*question).trim().to_string();
                let text = take(*text);
                let attributes = self
                    .attributes
                    .iter()
                    .map(|(index, name)| (name.clone(), take(*index)))
                    .collect();
                out.push(
                    line,
                    Answer {
                        id: answer_id,
                        question,
                        text,
                        attributes,
                    },
                );
            }
            Roles::Wide { id, texts } => {
                let respondent = take(*id).trim().to_string();
                if respondent.is_empty() {
                    return Err(error(
                        *id,
                        "the respondent id is empty, so this row's answers would have no id"
                            .to_string(),
                    ));
                }
                let attributes: Vec<(String, String)> = self
                    .attributes
                    .iter()
                    .map(|(index, name)| (name.clone(), take(*index)))
                    .collect();
                let mut blank: Vec<&str> = Vec::new();
                for (index, name) in texts {
                    let text = take(*index);
                    if text.trim().is_empty() {
                        blank.push(name);
                        continue;
                    }
                    out.push(
                        line,
                        Answer {
                            id: format!("{respondent}:{name}"),
                            question: name.clone(),
                            text,
                            attributes: attributes.clone(),
                        },
                    );
                }
                out.row(&Row {
                    respondent: &respondent,
                    attributes: &attributes,
                    blank: &blank,
                });
            }
        }
        Ok(())
    }

    /// "“text”" for a named column, "no name" for an unnamed one.
    fn describe_column(&self, index: usize) -> String {
        match self.name(index) {
            "" => "a column with no name".to_string(),
            name => format!("“{name}”"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
    }
}
