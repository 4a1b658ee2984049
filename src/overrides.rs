//! Overrides: the corrections staff make to jiyu's labels, read from a CSV file and applied to
//! classified answers.
//!
//! An overrides file has a header row with `id` and `categories` (category ids joined by `|`,
//! strongest first) and optionally `note`; other columns (the answer's text or question, kept
//! there for the reader) are allowed and ignored. UTF-8 with or without a BOM, or Shift_JIS as
//! Excel saves it. `classify`, `report` and `index` only read it; `eval` can take it as gold.
//!
//! Every mistake is an error naming the line, never skipped: a category no scheme has, an id
//! given twice, a row without categories ([`Overrides::load`]); a category that the answer's
//! own scheme does not have, and an id that the input never contained ([`OverrideSession`],
//! which checks ids once the whole input has been read, so that callers can still refuse to
//! write their output).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use encoding_rs::SHIFT_JIS;

use crate::classify::{Basis, CategoryEvidence, Classification, Classified, NO_ANSWER};
use crate::error::{Error, Result};
use crate::input::Answer;
use crate::rules::scheme::{RuleSet, UNCLASSIFIED};

/// One corrected answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The answer id, as `classify` outputs it (`R00001:Q6-1` for a wide export).
    pub id: String,
    /// Category ids, strongest first.
    pub categories: Vec<String>,
    /// Why the label was changed, if the file says.
    pub note: Option<String>,
    /// The line of the file the row starts on.
    pub line: usize,
}

/// Every override of one file.
#[derive(Debug, Clone)]
pub struct Overrides {
    path: String,
    entries: Vec<Override>,
    by_id: HashMap<String, usize>,
    /// 1-based field numbers of `id` and `categories`, for error positions.
    id_field: usize,
    categories_field: usize,
}

impl Overrides {
    /// Reads and checks an overrides file against the categories of `rules`.
    pub fn load(path: &Path, rules: &RuleSet) -> Result<Overrides> {
        let bytes = std::fs::read(path).map_err(|err| Error::io(path, err))?;
        Overrides::parse(&bytes, &path.display().to_string(), rules)
    }

    /// Parses the bytes of an overrides file; `path` is only used in messages.
    pub fn parse(bytes: &[u8], path: &str, rules: &RuleSet) -> Result<Overrides> {
        let error = |line: usize, column: usize, message: String| Error::Input {
            path: path.to_string(),
            line,
            column,
            message,
        };
        let text = decode(bytes, path)?;
        let mut records = parse_csv(&text, path)?.into_iter();
        let Some(header) = records.next() else {
            return Err(error(
                1,
                1,
                "the overrides file is empty; it needs a header row with id and categories \
                 (and optionally note)"
                    .into(),
            ));
        };
        let names: Vec<String> = header
            .fields
            .iter()
            .map(|name| {
                name.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
                    .to_ascii_lowercase()
            })
            .collect();
        let find = |wanted: &str| -> Result<Option<usize>> {
            let mut found = names.iter().enumerate().filter(|(_, name)| *name == wanted);
            let first = found.next().map(|(index, _)| index);
            if let Some((second, _)) = found.next() {
                return Err(error(
                    header.line,
                    second + 1,
                    format!("the header has two columns named “{wanted}”"),
                ));
            }
            Ok(first)
        };
        let (Some(id_index), Some(categories_index)) = (find("id")?, find("categories")?) else {
            return Err(error(
                header.line,
                1,
                format!(
                    "the header needs the columns “id” and “categories” (and optionally “note”); \
                     it has: {}",
                    header.fields.join(", ")
                ),
            ));
        };
        let note_index = find("note")?;
        let known = known_categories(rules);

        let mut entries: Vec<Override> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for record in records {
            if record.fields.iter().all(|field| field.trim().is_empty()) {
                continue;
            }
            if record.fields.len() > names.len() {
                return Err(error(
                    record.line,
                    names.len() + 1,
                    format!(
                        "this row has {} fields but the header only {}; a value would be lost",
                        record.fields.len(),
                        names.len()
                    ),
                ));
            }
            let field = |index: usize| record.fields.get(index).map_or("", |f| f.trim());
            let id = field(id_index);
            if id.is_empty() {
                return Err(error(
                    record.line,
                    id_index + 1,
                    "the id is empty; give the answer id as `jiyu classify` outputs it".into(),
                ));
            }
            if let Some(&first) = by_id.get(id) {
                return Err(error(
                    record.line,
                    id_index + 1,
                    format!(
                        "the id “{id}” is overridden twice (first on line {}); keep one row",
                        entries[first].line
                    ),
                ));
            }
            let categories: Vec<String> = field(categories_index)
                .split('|')
                .map(str::trim)
                .filter(|category| !category.is_empty())
                .map(str::to_string)
                .collect();
            let categories_error =
                |message: String| error(record.line, categories_index + 1, message);
            if categories.is_empty() {
                return Err(categories_error(format!(
                    "no categories for “{id}”; give category ids joined by |, or delete the row \
                     to keep jiyu's label"
                )));
            }
            for (index, category) in categories.iter().enumerate() {
                if !known.contains(category.as_str()) {
                    return Err(categories_error(format!(
                        "unknown category “{category}” for “{id}”; the categories are: {}",
                        known.iter().copied().collect::<Vec<_>>().join(", ")
                    )));
                }
                if categories[..index].contains(category) {
                    return Err(categories_error(format!(
                        "the category “{category}” is given twice for “{id}”"
                    )));
                }
            }
            if categories.len() > 1
                && categories
                    .iter()
                    .any(|category| category == NO_ANSWER || category == UNCLASSIFIED)
            {
                return Err(categories_error(format!(
                    "{NO_ANSWER} and {UNCLASSIFIED} stand alone; they cannot be combined with \
                     other categories (“{id}”)"
                )));
            }
            let note = note_index
                .map(field)
                .filter(|note| !note.is_empty())
                .map(str::to_string);
            by_id.insert(id.to_string(), entries.len());
            entries.push(Override {
                id: id.to_string(),
                categories,
                note,
                line: record.line,
            });
        }
        Ok(Overrides {
            path: path.to_string(),
            entries,
            by_id,
            id_field: id_index + 1,
            categories_field: categories_index + 1,
        })
    }

    /// The file the overrides came from, for messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The overrides in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Override> {
        self.entries.iter()
    }

    /// The override of an answer id.
    pub fn get(&self, id: &str) -> Option<&Override> {
        self.by_id.get(id).map(|&index| &self.entries[index])
    }

    /// Starts applying the overrides to one pass over an input.
    pub fn session(&self) -> OverrideSession<'_> {
        OverrideSession {
            overrides: self,
            seen: vec![false; self.entries.len()],
            applied: 0,
        }
    }

    /// Checks that `entry`'s categories belong to the scheme of `question`.
    fn check_for_question(&self, entry: &Override, question: &str, rules: &RuleSet) -> Result<()> {
        let scheme = rules.scheme_for(question);
        for category in &entry.categories {
            let fits = match scheme {
                _ if category == NO_ANSWER => true,
                Some(scheme) => category == UNCLASSIFIED || scheme.category(category).is_some(),
                None => false,
            };
            if !fits {
                let message = match scheme {
                    Some(scheme) => format!(
                        "“{}” is an answer to {question}, sorted by scheme `{}`, which has no \
                         category “{category}”; its categories are: {}, {UNCLASSIFIED}, {NO_ANSWER}",
                        entry.id,
                        scheme.id,
                        scheme
                            .categories
                            .iter()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => format!(
                        "“{}” is an answer to {question}, which no scheme sorts; it can only be \
                         overridden as {NO_ANSWER}",
                        entry.id
                    ),
                };
                return Err(Error::Input {
                    path: self.path.clone(),
                    line: entry.line,
                    column: self.categories_field,
                    message,
                });
            }
        }
        Ok(())
    }
}

/// One pass of an input through the overrides: applies them and remembers which ids were seen,
/// so that [`OverrideSession::finish`] can refuse ids the input does not have.
#[derive(Debug)]
pub struct OverrideSession<'a> {
    overrides: &'a Overrides,
    seen: Vec<bool>,
    applied: usize,
}

impl OverrideSession<'_> {
    /// The override of `answer`, checked against its question's scheme, if there is one.
    pub fn take(&mut self, answer: &Answer, rules: &RuleSet) -> Result<Option<&Override>> {
        let overrides = self.overrides;
        let Some(&index) = overrides.by_id.get(&answer.id) else {
            return Ok(None);
        };
        let entry = &overrides.entries[index];
        overrides.check_for_question(entry, &answer.question, rules)?;
        self.seen[index] = true;
        self.applied += 1;
        Ok(Some(entry))
    }

    /// Replaces the categories of `item` with its override, if it has one. The evidence of the
    /// categories the rules matched too is kept; the others get none.
    pub fn apply(&mut self, item: &mut Classified, rules: &RuleSet) -> Result<()> {
        let Some(entry) = self.take(&item.answer, rules)? else {
            return Ok(());
        };
        let evidence = entry
            .categories
            .iter()
            .map(|category| {
                item.classification
                    .evidence
                    .iter()
                    .find(|evidence| &evidence.category == category)
                    .cloned()
                    .unwrap_or_else(|| CategoryEvidence {
                        category: category.clone(),
                        matches: Vec::new(),
                    })
            })
            .collect();
        item.classification = Classification {
            scheme: rules
                .scheme_for(&item.answer.question)
                .map(|scheme| scheme.id.clone()),
            categories: entry.categories.clone(),
            evidence,
            basis: Basis::Override,
            confidence: Some(1.0),
        };
        item.overridden = true;
        Ok(())
    }

    /// How many answers were overridden so far.
    pub fn applied(&self) -> usize {
        self.applied
    }

    /// Ends the pass: an override whose id the input did not contain is an error with its line.
    pub fn finish(self) -> Result<usize> {
        let missing: Vec<&Override> = self
            .overrides
            .entries
            .iter()
            .zip(&self.seen)
            .filter(|(_, seen)| !**seen)
            .map(|(entry, _)| entry)
            .collect();
        if let Some(first) = missing.first() {
            let more = match missing.len() {
                1 => String::new(),
                n => format!(" ({} more unknown ids after this one)", n - 1),
            };
            return Err(Error::Input {
                path: self.overrides.path.clone(),
                line: first.line,
                column: self.overrides.id_field,
                message: format!(
                    "unknown id “{}”: no answer of the input has it (ids are as `jiyu classify` \
                     outputs them, e.g. `<respondent id>:<column>` for a wide export){more}",
                    first.id
                ),
            });
        }
        Ok(self.applied)
    }
}

/// Every category id an override may name: those of every scheme, `no-answer` and
/// `unclassified`, sorted.
fn known_categories(rules: &RuleSet) -> BTreeSet<&str> {
    let mut known: BTreeSet<&str> = rules
        .schemes
        .iter()
        .flat_map(|scheme| {
            scheme
                .categories
                .iter()
                .map(|category| category.id.as_str())
        })
        .collect();
    known.insert(NO_ANSWER);
    known.insert(UNCLASSIFIED);
    known
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of the file. The same rule as the input module's detection: a BOM or valid UTF-8
/// is UTF-8, anything else Shift_JIS (what Excel on Japanese Windows saves). An overrides file
/// is small, so it is decoded whole.
fn decode(bytes: &[u8], path: &str) -> Result<String> {
    let error = |line: usize, column: usize, message: &str| Error::Input {
        path: path.to_string(),
        line,
        column,
        message: message.to_string(),
    };
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(error(
            1,
            1,
            "this is UTF-16 text, which jiyu does not read; save it as “CSV UTF-8” instead",
        ));
    }
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|err| {
                let (line, column) = place(&String::from_utf8_lossy(&rest[..err.valid_up_to()]));
                error(
                    line,
                    column,
                    "not valid UTF-8, though the file starts with a UTF-8 BOM",
                )
            });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    match SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => {
            let (lossy, _) = SHIFT_JIS.decode_without_bom_handling(bytes);
            let bad = lossy.find('\u{FFFD}').unwrap_or(lossy.len());
            let (line, column) = place(&lossy[..bad]);
            Err(error(
                line,
                column,
                "neither UTF-8 nor Shift_JIS; save the overrides file as “CSV UTF-8”",
            ))
        }
    }
}

/// 1-based line and character column of the end of `before`.
fn place(before: &str) -> (usize, usize) {
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |at| at + 1);
    (line, before[start..].chars().count() + 1)
}

/// One CSV record and the line it starts on.
struct Record {
    line: usize,
    fields: Vec<String>,
}

/// Splits CSV text into records (RFC 4180 as Excel writes it: `""` inside quotes, quoted cells
/// over several lines, `\r\n`, `\n` or `\r` line ends). Broken quoting is an error with its line,
/// not a silently merged cell.
fn parse_csv(text: &str, path: &str) -> Result<Vec<Record>> {
    let error = |line: usize, column: usize, message: &str| Error::Input {
        path: path.to_string(),
        line,
        column,
        message: message.to_string(),
    };
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let record_line = line;
        let mut fields: Vec<String> = Vec::new();
        loop {
            let mut field = String::new();
            let mut record_ends = false;
            if chars.peek() == Some(&'"') {
                chars.next();
                let (opened_line, opened_field) = (line, fields.len() + 1);
                loop {
                    match chars.next() {
                        None => {
                            return Err(error(
                                opened_line,
                                opened_field,
                                "a quoted field is never closed (a \" is missing)",
                            ))
                        }
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(ch) => {
                            if ch == '\n' || (ch == '\r' && chars.peek() != Some(&'\n')) {
                                line += 1;
                            }
                            field.push(ch);
                        }
                    }
                }
                match chars.peek() {
                    None | Some(',') | Some('\r') | Some('\n') => {}
                    Some(_) => {
                        return Err(error(
                            line,
                            fields.len() + 1,
                            "text after the closing quote of a field; write a \" inside a \
                             quoted field as \"\"",
                        ))
                    }
                }
            }
            loop {
                match chars.next() {
                    None => {
                        record_ends = true;
                        break;
                    }
                    Some(',') => break,
                    Some('\r') => {
                        if chars.peek() == Some(&'\n') {
                            chars.next();
                        }
                        line += 1;
                        record_ends = true;
                        break;
                    }
                    Some('\n') => {
                        line += 1;
                        record_ends = true;
                        break;
                    }
                    Some(ch) => field.push(ch),
                }
            }
            fields.push(field);
            if record_ends {
                break;
            }
        }
        records.push(Record {
            line: record_line,
            fields,
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records_keep_their_first_line_and_quoted_line_breaks() {
        let records = parse_csv(
            "id,note\r\na,\"two\r\nlines\"\r\nb,\"say \"\"hi\"\"\"\n",
            "f",
        )
        .expect("parses");
        let lines: Vec<usize> = records.iter().map(|record| record.line).collect();
        assert_eq!(lines, vec![1, 2, 4]);
        assert_eq!(records[1].fields, vec!["a", "two\r\nlines"]);
        assert_eq!(records[2].fields, vec!["b", "say \"hi\""]);
    }

    #[test]
    fn broken_quoting_is_an_error_with_its_line() {
        let err = parse_csv("id,note\na,\"open\nb,c\n", "f")
            .err()
            .expect("refused");
        assert!(
            err.to_string().starts_with("f:2:2: a quoted field"),
            "{err}"
        );
        let err = parse_csv("id,note\na,\"x\"y\n", "f")
            .err()
            .expect("refused");
        assert!(err.to_string().starts_with("f:2:2: text after"), "{err}");
    }

    #[test]
    fn shift_jis_and_bom_are_decoded() {
        let (sjis, _, _) = SHIFT_JIS.encode("id,note\r\na,メモ\r\n");
        assert_eq!(decode(&sjis, "f").expect("sjis"), "id,note\r\na,メモ\r\n");
        assert_eq!(decode(b"\xEF\xBB\xBFid", "f").expect("bom"), "id");
    }
}
