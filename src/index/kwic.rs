//! The concordance (KWIC, key word in context), as KH Coder shows it: every occurrence of a word
//! in the indexed answers, with the text on its left and right, aligned on the word.
//!
//! Occurrences are found exactly as a search finds the word (base forms or characters, see
//! [`crate::index::highlight`]), so 漏洩 also lists 漏えい. Contexts are cut by display width:
//! East Asian wide characters take two columns, as in a terminal.
//!
//! Each line carries its answer's categories and attributes, so the concordance can be written
//! as a CSV for Excel ([`to_csv`]: a BOM, CRLF, one column per attribute) or as JSON lines
//! ([`to_jsonl`]).

use std::path::Path;

use tantivy::collector::DocSetCollector;

use crate::error::{Error, Result};
use crate::output::spreadsheet_safe;
use crate::text::{char_width, display_width, natural_cmp};

use super::query::{ParsedQuery, Term};
use super::schema::index_error;
use super::search::{SearchHit, SearchRequest, Searcher};

/// How concordance lines are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum KwicSort {
    /// By answer id, then position in the answer.
    #[default]
    Id,
    /// By the text just left of the word, read right to left (groups what precedes it).
    Left,
    /// By the text right of the word (groups what follows it).
    Right,
}

/// What to list.
#[derive(Debug, Clone)]
pub struct KwicRequest {
    /// The word (or, with spaces, phrase) to list.
    pub word: String,
    /// Only answers of these questions; empty for all.
    pub questions: Vec<String>,
    /// Display columns of context on each side.
    pub width: usize,
    /// At most this many lines; 0 for all.
    pub limit: usize,
    pub sort: KwicSort,
}

impl Default for KwicRequest {
    fn default() -> Self {
        KwicRequest {
            word: String::new(),
            questions: Vec::new(),
            width: 30,
            limit: 0,
            sort: KwicSort::Id,
        }
    }
}

/// One occurrence of the word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KwicLine {
    pub id: String,
    pub question: String,
    /// The context left of the word, at most `width` display columns (cut on the left).
    pub left: String,
    /// The word as the respondent wrote it (漏えい for a search for 漏洩).
    pub keyword: String,
    /// The context right of the word, at most `width` display columns.
    pub right: String,
    /// The answer's categories, strongest first.
    pub categories: Vec<String>,
    /// The answer's attributes (name, value), as the input gave them.
    pub attributes: Vec<(String, String)>,
}

/// Every occurrence of `request.word` in the index, in `request.sort` order.
pub fn kwic(searcher: &Searcher, request: &KwicRequest) -> Result<Vec<KwicLine>> {
    let word = request.word.trim();
    let search = SearchRequest {
        query: word.to_string(),
        questions: request.questions.clone(),
        ..SearchRequest::default()
    };
    let compiled = searcher.compile(&word_query(word), word, &search)?;
    let reader = searcher.snapshot();
    let mut addresses: Vec<_> = reader
        .search(&compiled.query, &DocSetCollector)
        .map_err(|err| index_error(Path::new(searcher.dir()), err))?
        .into_iter()
        .collect();
    addresses.sort();
    let mut hits = Vec::with_capacity(addresses.len());
    for address in addresses {
        hits.push(searcher.hit(&reader, address, 0.0, None)?);
    }
    kwic_in(searcher, request, &hits)
}

/// Every occurrence of `request.word` in the texts of `hits` (found as [`kwic`] finds them;
/// `request.questions` is not applied), each line with its hit's categories and attributes as
/// given, in `request.sort` order.
pub fn kwic_in(
    searcher: &Searcher,
    request: &KwicRequest,
    hits: &[SearchHit],
) -> Result<Vec<KwicLine>> {
    let word = request.word.trim();
    let search = SearchRequest {
        query: word.to_string(),
        ..SearchRequest::default()
    };
    let compiled = searcher.compile(&word_query(word), word, &search)?;
    let analyzer = searcher.analyzer().analyzer();
    let mut lines = Vec::new();
    for hit in hits {
        let analysis = analyzer.analyze(&hit.text);
        for span in compiled.matcher.spans(&analysis) {
            lines.push(KwicLine {
                id: hit.id.clone(),
                question: hit.question.clone(),
                left: cut_left(&hit.text[..span.start], request.width),
                keyword: one_line(&hit.text[span.clone()]),
                right: cut_right(&hit.text[span.end..], request.width),
                categories: hit.categories.clone(),
                attributes: hit.attributes.clone(),
            });
        }
    }
    match request.sort {
        KwicSort::Id => lines.sort_by(|a, b| natural_cmp(&a.id, &b.id)),
        KwicSort::Left => lines.sort_by(|a, b| {
            a.left
                .chars()
                .rev()
                .cmp(b.left.chars().rev())
                .then_with(|| natural_cmp(&a.id, &b.id))
        }),
        KwicSort::Right => lines.sort_by(|a, b| {
            a.right
                .cmp(&b.right)
                .then_with(|| natural_cmp(&a.id, &b.id))
        }),
    }
    if request.limit > 0 {
        lines.truncate(request.limit);
    }
    Ok(lines)
}

/// The query of one word (or, with spaces, one phrase).
fn word_query(word: &str) -> ParsedQuery {
    ParsedQuery {
        groups: vec![vec![Term {
            text: word.to_string(),
            phrase: word.chars().any(char::is_whitespace),
            column: 1,
        }]],
        excluded: Vec::new(),
    }
}

/// The attribute names of `lines`, in the order they first appear.
pub fn attribute_names(lines: &[KwicLine]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in lines {
        for (name, _) in &line.attributes {
            if !names.iter().any(|known| known == name) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// The value of attribute `name` of `line`, empty when it has none.
pub fn attribute<'a>(line: &'a KwicLine, name: &str) -> &'a str {
    line.attributes
        .iter()
        .find(|(attribute, _)| attribute.trim() == name.trim())
        .map_or("", |(_, value)| value.as_str())
}

/// The lines as a CSV for Excel: UTF-8 with a BOM, CRLF; `id, question, left, word, right,
/// categories` (joined with `|`), then one column per name of `attributes`, every cell as a
/// spreadsheet should show it ([`spreadsheet_safe`]).
pub fn to_csv(lines: &[KwicLine], attributes: &[String]) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let encode = |err: csv::Error| Error::Encode(format!("cannot encode CSV: {err}"));
    let header = ["id", "question", "left", "word", "right", "categories"]
        .into_iter()
        .map(str::to_string)
        .chain(
            attributes
                .iter()
                .map(|name| spreadsheet_safe(name).into_owned()),
        );
    writer.write_record(header).map_err(encode)?;
    for line in lines {
        let categories = line.categories.join("|");
        let fixed = [
            line.id.as_str(),
            &line.question,
            &line.left,
            &line.keyword,
            &line.right,
            &categories,
        ];
        let row = fixed
            .into_iter()
            .chain(attributes.iter().map(|name| attribute(line, name)))
            .map(|cell| spreadsheet_safe(cell).into_owned());
        writer.write_record(row).map_err(encode)?;
    }
    writer
        .into_inner()
        .map_err(|err| Error::Encode(format!("cannot encode CSV: {err}")))
}

/// One line as JSON: `id, question, left, word, right, categories, attributes` (an object).
pub fn to_json(line: &KwicLine) -> serde_json::Value {
    let attributes: serde_json::Map<String, serde_json::Value> = line
        .attributes
        .iter()
        .map(|(name, value)| (name.clone(), serde_json::Value::String(value.clone())))
        .collect();
    serde_json::json!({
        "id": line.id,
        "question": line.question,
        "left": line.left,
        "word": line.keyword,
        "right": line.right,
        "categories": line.categories,
        "attributes": attributes,
    })
}

/// The lines as JSON lines ([`to_json`]), each ended by `\n`.
pub fn to_jsonl(lines: &[KwicLine]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&to_json(line).to_string());
        out.push('\n');
    }
    out
}

/// The lines as text: id, left context right-aligned, the word (highlighted when `color`), right
/// context; ids and words padded so every column lines up.
pub fn render(lines: &[KwicLine], width: usize, color: bool) -> Vec<String> {
    let id_width = lines
        .iter()
        .map(|line| display_width(&line.id))
        .max()
        .unwrap_or(0);
    let keyword_width = lines
        .iter()
        .map(|line| display_width(&line.keyword))
        .max()
        .unwrap_or(0);
    lines
        .iter()
        .map(|line| {
            let keyword = if color {
                format!("\x1b[1;31m{}\x1b[0m", line.keyword)
            } else {
                line.keyword.clone()
            };
            let text = format!(
                "{}{}  {}{}  {}{}  {}",
                line.id,
                pad(id_width, &line.id),
                pad(width, &line.left),
                line.left,
                keyword,
                pad(keyword_width, &line.keyword),
                line.right
            );
            text.trim_end().to_string()
        })
        .collect()
}

/// Spaces that fill `text` up to `width` display columns.
fn pad(width: usize, text: &str) -> String {
    " ".repeat(width.saturating_sub(display_width(text)))
}

/// The end of `text` that fits in `width` columns, on one line.
fn cut_left(text: &str, width: usize) -> String {
    let text = one_line(text);
    let mut used = 0;
    let mut start = text.len();
    for (at, ch) in text.char_indices().rev() {
        used += char_width(ch);
        if used > width {
            break;
        }
        start = at;
    }
    text[start..].to_string()
}

/// The start of `text` that fits in `width` columns, on one line.
fn cut_right(text: &str, width: usize) -> String {
    let text = one_line(text);
    let mut used = 0;
    let mut end = 0;
    for (at, ch) in text.char_indices() {
        used += char_width(ch);
        if used > width {
            break;
        }
        end = at + ch.len_utf8();
    }
    text[..end].to_string()
}

/// Line breaks and tabs as spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|ch| if ch.is_control() { ' ' } else { ch })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_never_split_a_wide_character() {
        assert_eq!(cut_left("ABC情報", 5), "C情報");
        assert_eq!(cut_left("ABC情報", 4), "情報");
        assert_eq!(cut_left("AB情報", 3), "報");
        assert_eq!(cut_right("情報A\nB", 5), "情報A");
        assert_eq!(cut_right("情報A\nB", 6), "情報A ");
    }

    #[test]
    fn lines_align_on_the_word() {
        let line = |id: &str, left: &str, keyword: &str, right: &str| KwicLine {
            id: id.into(),
            question: "Q".into(),
            left: left.into(),
            keyword: keyword.into(),
            right: right.into(),
            categories: Vec::new(),
            attributes: Vec::new(),
        };
        let lines = render(
            &[
                line("a-1", "情報", "漏洩", "を防ぐ"),
                line("a-10", "ID", "漏えい", "対策"),
            ],
            6,
            false,
        );
        assert_eq!(lines[0], "a-1     情報  漏洩    を防ぐ");
        assert_eq!(lines[1], "a-10      ID  漏えい  対策");
    }
}
