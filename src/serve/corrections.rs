//! Corrections made in the page: checked like the rows of an overrides file, written to that
//! file at once, and laid over the index's categories whenever answers are read.
//!
//! The file stays one that `jiyu classify/report/index --overrides` accept
//! ([`crate::overrides`]): same columns, no id twice. A new id is one row appended in a single
//! `write` (O_APPEND); an id already in the file has its row replaced by rewriting the file
//! through a temporary file renamed into place, because a second row for the id would make the
//! file an error for every other command. A file Excel saved as Shift_JIS is rewritten as
//! UTF-8 with a BOM on the first correction, so that appended UTF-8 rows never mix encodings.
//!
//! Two tabs saving at once must never lose a correction: the server writes one correction at a
//! time (a mutex), and holds an exclusive lock on the file while it reads and writes it, so a
//! second `jiyu serve` on the same file waits its turn too. Each write is read from the file as
//! it is then, not from memory, and synced before the page is told it is saved.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use encoding_rs::SHIFT_JIS;
use tantivy::{DocAddress, DocId};

use crate::classify::NO_ANSWER;
use crate::error::Error;
use crate::output::spreadsheet_safe;
use crate::overrides::Overrides;
use crate::rules::scheme::{RuleSet, UNCLASSIFIED};
use crate::wording::{agree, counted};

use super::catalog::Catalog;
use super::Served;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// The header of an overrides file the server creates: jiyu's columns, then the question and
/// text of the answer for the person who opens the file (the loader ignores them).
const NEW_HEADER: [&str; 5] = ["id", "categories", "note", "question", "text"];

/// The categories an overrides file gives one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// Strongest first.
    pub categories: Vec<String>,
    pub note: Option<String>,
}

/// The corrections in force: by answer id, and by document for the searches.
#[derive(Debug, Clone, Default)]
pub struct Corrections {
    pub by_id: HashMap<String, Correction>,
    /// Per segment: corrected document → its corrected category ids (see
    /// [`Corrections::corrected`]).
    segments: Vec<BTreeMap<DocId, Vec<u16>>>,
}

impl Corrections {
    fn empty(catalog: &Catalog) -> Corrections {
        Corrections {
            by_id: HashMap::new(),
            segments: vec![BTreeMap::new(); catalog.segments.len()],
        }
    }

    /// The corrected documents of `segment` with their category ids, in document order: a
    /// search lets them through a category filter and counts them by these, not by the
    /// categories the index holds.
    pub fn corrected(&self, segment: usize) -> impl Iterator<Item = (DocId, &[u16])> + '_ {
        self.segments
            .get(segment)
            .into_iter()
            .flat_map(|corrected| corrected.iter().map(|(doc, ids)| (*doc, ids.as_slice())))
    }

    /// Whether any answer is corrected.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    fn set(&mut self, catalog: &Catalog, id: &str, address: DocAddress, correction: Correction) {
        let ids: Vec<u16> = correction
            .categories
            .iter()
            .filter_map(|category| catalog.category_id(category))
            .collect();
        if let Some(segment) = self.segments.get_mut(address.segment_ord as usize) {
            segment.insert(address.doc_id, ids);
        }
        self.by_id.insert(id.to_string(), correction);
    }
}

/// Why a correction was not saved.
#[derive(Debug)]
pub enum SaveError {
    /// The server was started without `--overrides`.
    ReadOnly,
    /// The request names categories that do not fit the answer (the message says why).
    Invalid(String),
    /// No answer has this id.
    NotFound,
    /// The overrides file has an error someone must fix first.
    BrokenFile(String),
    /// Reading or writing the file failed.
    Io(String),
}

/// The overrides file and the corrections in force.
pub struct CorrectionStore {
    path: Option<PathBuf>,
    current: RwLock<Arc<Corrections>>,
    /// One correction written at a time.
    writing: Mutex<()>,
}

impl CorrectionStore {
    /// Reads the overrides file, when there is one, and lays its corrections over the served
    /// answers. Returns the store and warnings about rows that name no served answer or whose
    /// categories do not fit the answer's scheme (they are not shown, and are left in the file).
    pub fn open(path: Option<PathBuf>, served: &Served) -> crate::Result<(Self, Vec<String>)> {
        let mut corrections = Corrections::empty(&served.catalog);
        let mut warnings = Vec::new();
        if let Some(path) = &path {
            check_writable(path)?;
            if let Some(overrides) = load(path, &served.classifier.rules)? {
                let mut unknown: Vec<&str> = Vec::new();
                for entry in overrides.iter() {
                    let Some((address, question)) = served.locate(&entry.id)? else {
                        unknown.push(&entry.id);
                        continue;
                    };
                    if let Err(problem) =
                        check_categories(&served.classifier.rules, &question, &entry.categories)
                    {
                        warnings.push(format!(
                            "{}:{}: not shown: {problem}",
                            path.display(),
                            entry.line
                        ));
                        continue;
                    }
                    corrections.set(
                        &served.catalog,
                        &entry.id,
                        address,
                        Correction {
                            categories: entry.categories.clone(),
                            note: entry.note.clone(),
                        },
                    );
                }
                if let Some(first) = unknown.first() {
                    warnings.push(format!(
                        "{}: {} {} answers this index does not have (the first: “{first}”); \
                         {} in the file but {} not shown",
                        path.display(),
                        counted(unknown.len(), "correction", "corrections"),
                        agree(unknown.len(), "names", "name"),
                        agree(unknown.len(), "it stays", "they stay"),
                        agree(unknown.len(), "is", "are"),
                    ));
                }
            }
        }
        Ok((
            CorrectionStore {
                path,
                current: RwLock::new(Arc::new(corrections)),
                writing: Mutex::new(()),
            },
            warnings,
        ))
    }

    /// The corrections in force now.
    pub fn current(&self) -> Arc<Corrections> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            // A writer panicked mid-swap; the Arc inside is still whole.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The overrides file, when corrections can be saved.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Checks a correction of answer `id`, writes it to the overrides file and puts it in force.
    /// Blocks: call it off the async threads.
    pub fn save(
        &self,
        served: &Served,
        id: &str,
        categories: Vec<String>,
        note: Option<String>,
    ) -> Result<Correction, SaveError> {
        let io = |err: Error| SaveError::Io(err.to_string());
        let (address, hit) = served.find(id).map_err(io)?.ok_or(SaveError::NotFound)?;
        check_categories(&served.classifier.rules, &hit.question, &categories)
            .map_err(SaveError::Invalid)?;
        let Some(path) = &self.path else {
            return Err(SaveError::ReadOnly);
        };
        let correction = Correction { categories, note };
        let _one_at_a_time = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let row = Row {
            id,
            categories: correction.categories.join("|"),
            note: correction.note.as_deref().unwrap_or(""),
            question: &hit.question,
            text: &hit.text,
        };
        write_row(path, &row, &served.classifier.rules)?;
        let mut next = (*self.current()).clone();
        next.set(&served.catalog, id, address, correction.clone());
        match self.current.write() {
            Ok(mut guard) => *guard = Arc::new(next),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(next),
        }
        Ok(correction)
    }
}

/// Refuses an overrides path the server could never write, before it starts.
fn check_writable(path: &Path) -> crate::Result<()> {
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "--overrides {}: this is a directory; give a CSV file (created when missing)",
            path.display()
        )));
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !directory.is_dir() {
        return Err(Error::Usage(format!(
            "--overrides {}: the directory {} does not exist",
            path.display(),
            directory.display()
        )));
    }
    if path.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|err| Error::io(path, err).context("corrections could not be saved here"))?;
    }
    Ok(())
}

/// The overrides of `path`, or `None` when the file is missing or empty.
fn load(path: &Path, rules: &RuleSet) -> crate::Result<Option<Overrides>> {
    match std::fs::read(path) {
        Ok(bytes) if is_blank(&bytes) => Ok(None),
        Ok(bytes) => Overrides::parse(&bytes, &path.display().to_string(), rules).map(Some),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(Error::io(path, err)),
    }
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes
        .strip_prefix(UTF8_BOM)
        .unwrap_or(bytes)
        .iter()
        .all(u8::is_ascii_whitespace)
}

/// Checks `categories` for an answer to `question` as `jiyu classify --overrides` would: known
/// to the answer's scheme, none twice, `unclassified` and `no-answer` alone. The message is
/// for the page (Japanese).
pub fn check_categories(
    rules: &RuleSet,
    question: &str,
    categories: &[String],
) -> Result<(), String> {
    if categories.is_empty() {
        return Err("カテゴリを1つ以上選んでください".into());
    }
    let scheme = rules.scheme_for(question);
    for (index, category) in categories.iter().enumerate() {
        if categories[..index].contains(category) {
            return Err(format!("カテゴリ「{category}」が2回指定されています"));
        }
        let fits = match scheme {
            _ if category == NO_ANSWER => true,
            Some(scheme) => category == UNCLASSIFIED || scheme.category(category).is_some(),
            None => false,
        };
        if !fits {
            return Err(match scheme {
                Some(scheme) => format!(
                    "設問 {question} の分類（{}）にカテゴリ「{category}」はありません",
                    scheme.id
                ),
                None => {
                    format!("設問 {question} は分類の対象外です（{NO_ANSWER} のみ指定できます）")
                }
            });
        }
    }
    if categories.len() > 1
        && categories
            .iter()
            .any(|category| category == NO_ANSWER || category == UNCLASSIFIED)
    {
        return Err(format!(
            "{NO_ANSWER} と {UNCLASSIFIED} は他のカテゴリと組み合わせられません"
        ));
    }
    Ok(())
}

/// One row to write.
struct Row<'a> {
    id: &'a str,
    categories: String,
    note: &'a str,
    question: &'a str,
    text: &'a str,
}

/// Where jiyu's columns are in a file's header.
struct Layout {
    width: usize,
    id: usize,
    categories: usize,
    note: Option<usize>,
    question: Option<usize>,
    text: Option<usize>,
}

impl Layout {
    fn of(header: &csv::StringRecord) -> Option<Layout> {
        let names: Vec<String> = header
            .iter()
            .map(|name| {
                name.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
                    .to_ascii_lowercase()
            })
            .collect();
        let find = |wanted: &str| names.iter().position(|name| name == wanted);
        Some(Layout {
            width: names.len(),
            id: find("id")?,
            categories: find("categories")?,
            note: find("note"),
            question: find("question"),
            text: find("text"),
        })
    }

    /// `row` as the fields of this layout; `keep` (an existing row) provides the other columns.
    fn fields(&self, row: &Row<'_>, keep: Option<&csv::StringRecord>) -> Vec<String> {
        let mut fields: Vec<String> = (0..self.width)
            .map(|index| {
                keep.and_then(|record| record.get(index))
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        let mut put = |index: Option<usize>, value: &str| {
            if let Some(slot) = index.and_then(|index| fields.get_mut(index)) {
                *slot = value.to_string();
            }
        };
        put(Some(self.id), row.id);
        put(Some(self.categories), &row.categories);
        put(self.note, &single_line(row.note));
        put(self.question, row.question);
        // Only for the person who opens the file: jiyu reads the id, categories and note.
        put(self.text, &spreadsheet_safe(&single_line(row.text)));
        fields
    }
}

/// Line breaks as spaces, so each correction stays one line for the person reading the file.
fn single_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

fn csv_line(fields: &[String], terminator: csv::Terminator) -> Result<Vec<u8>, SaveError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(Vec::new());
    writer
        .write_record(fields)
        .map_err(|err| SaveError::Io(format!("cannot encode CSV: {err}")))?;
    writer
        .into_inner()
        .map_err(|err| SaveError::Io(format!("cannot encode CSV: {err}")))
}

/// Writes `row` to the overrides file at `path`: appended when its id is new, replacing its
/// row otherwise. The file is checked first, so a file that another command would refuse is
/// never made worse.
fn write_row(path: &Path, row: &Row<'_>, rules: &RuleSet) -> Result<(), SaveError> {
    let io = |err: std::io::Error| SaveError::Io(format!("{}: {err}", path.display()));
    // A rewrite by another process renames a new file into place while we wait for the lock
    // of the old one: then lock again, the new one.
    for _ in 0..16 {
        let mut file = match std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
        {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::OpenOptions::new()
                    .read(true)
                    .append(true)
                    .create_new(true)
                    .open(path)
                {
                    Ok(file) => file,
                    Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    Err(err) => return Err(io(err)),
                }
            }
            Err(err) => return Err(io(err)),
        };
        file.lock().map_err(io)?;
        if !still_at(path, &file) {
            continue;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;
        if is_blank(&bytes) {
            return write_new(path, file, row);
        }
        Overrides::parse(&bytes, &path.display().to_string(), rules).map_err(|err| {
            SaveError::BrokenFile(format!(
                "修正ファイルに誤りがあるため保存できません。ファイルを直してから再度保存してください: {err}"
            ))
        })?;
        let (text, converted) = decode(&bytes);
        let crlf = text.contains("\r\n") || !text.contains('\n');
        let terminator = if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        let mut records: Vec<csv::StringRecord> = Vec::new();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for record in reader.records() {
            records.push(record.map_err(|err| SaveError::BrokenFile(err.to_string()))?);
        }
        let layout = records.first().and_then(Layout::of).ok_or_else(|| {
            SaveError::BrokenFile("修正ファイルの見出し行に id と categories がありません".into())
        })?;
        let existing = records.iter().skip(1).position(|record| {
            record
                .get(layout.id)
                .is_some_and(|field| field.trim() == row.id)
        });
        if existing.is_none() && !converted {
            let mut line = Vec::new();
            if !matches!(bytes.last(), Some(b'\n' | b'\r')) {
                line.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
            line.extend(csv_line(&layout.fields(row, None), terminator)?);
            // One write of the whole row to a file opened for appending.
            file.write_all(&line).map_err(io)?;
            file.sync_data().map_err(io)?;
            return Ok(());
        }
        match existing {
            Some(index) => {
                let record = &records[index + 1];
                records[index + 1] = csv::StringRecord::from(layout.fields(row, Some(record)));
            }
            None => records.push(csv::StringRecord::from(layout.fields(row, None))),
        }
        let mut out = UTF8_BOM.to_vec();
        for (index, record) in records.iter().enumerate() {
            let mut fields: Vec<String> = record.iter().map(str::to_string).collect();
            if index == 0 {
                // The BOM is written once, above; not again inside the first header name.
                if let Some(first) = fields.first_mut() {
                    *first = first.trim_start_matches('\u{FEFF}').to_string();
                }
            }
            out.extend(csv_line(&fields, terminator)?);
        }
        return replace(path, &file, &out);
    }
    Err(SaveError::Io(format!(
        "{}: the file kept being replaced while waiting for its lock",
        path.display()
    )))
}

/// Writes the header and the first row into an empty file.
fn write_new(path: &Path, mut file: std::fs::File, row: &Row<'_>) -> Result<(), SaveError> {
    let io = |err: std::io::Error| SaveError::Io(format!("{}: {err}", path.display()));
    let header: Vec<String> = NEW_HEADER.iter().map(|name| name.to_string()).collect();
    let layout = Layout {
        width: NEW_HEADER.len(),
        id: 0,
        categories: 1,
        note: Some(2),
        question: Some(3),
        text: Some(4),
    };
    file.set_len(0).map_err(io)?;
    let mut bytes = UTF8_BOM.to_vec();
    bytes.extend(csv_line(&header, csv::Terminator::CRLF)?);
    bytes.extend(csv_line(&layout.fields(row, None), csv::Terminator::CRLF)?);
    file.write_all(&bytes).map_err(io)?;
    file.sync_data().map_err(io)
}

/// Replaces the file at `path` (whose lock `locked` holds) with `bytes`, through a temporary
/// file renamed into place with the old file's permissions.
fn replace(path: &Path, locked: &std::fs::File, bytes: &[u8]) -> Result<(), SaveError> {
    let io = |err: std::io::Error| SaveError::Io(format!("{}: {err}", path.display()));
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::NamedTempFile::new_in(directory).map_err(io)?;
    temporary.write_all(bytes).map_err(io)?;
    if let Ok(metadata) = locked.metadata() {
        // Keep the file readable by whoever could read it before.
        let _ = temporary.as_file().set_permissions(metadata.permissions());
    }
    temporary.as_file().sync_all().map_err(io)?;
    temporary.persist(path).map_err(|err| io(err.error))?;
    if let Ok(directory) = std::fs::File::open(directory) {
        // Make the rename itself durable (not possible on every platform; harmless there).
        let _ = directory.sync_all();
    }
    Ok(())
}

/// Whether `file` is still the file at `path` (another writer may have renamed a new one in).
#[cfg(unix)]
fn still_at(path: &Path, file: &std::fs::File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), file.metadata()) {
        (Ok(at_path), Ok(open)) => at_path.ino() == open.ino() && at_path.dev() == open.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(_path: &Path, _file: &std::fs::File) -> bool {
    true
}

/// The file's text without its BOM, and whether it was not UTF-8 (so it must be rewritten).
fn decode(bytes: &[u8]) -> (String, bool) {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return (String::from_utf8_lossy(rest).into_owned(), false);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), false),
        Err(_) => (
            SHIFT_JIS.decode_without_bom_handling(bytes).0.into_owned(),
            true,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(id: &'a str, categories: &str) -> Row<'a> {
        Row {
            id,
            categories: categories.to_string(),
            note: "",
            question: "Q6-1",
            text: "研修\nがほしい",
        }
    }

    fn layout() -> Layout {
        Layout::of(&csv::StringRecord::from(vec![
            "\u{FEFF}ID",
            "text",
            "Categories",
        ]))
        .expect("a layout")
    }

    #[test]
    fn rows_follow_the_header_of_the_file() {
        let layout = layout();
        assert_eq!((layout.width, layout.id, layout.categories), (3, 0, 2));
        assert_eq!(layout.note, None);
        assert_eq!(
            layout.fields(&row("a", "x|y"), None),
            vec!["a", "研修 がほしい", "x|y"]
        );
        let old = csv::StringRecord::from(vec!["a", "old text", "z"]);
        assert_eq!(
            layout.fields(&row("a", "x"), Some(&old)),
            vec!["a", "研修 がほしい", "x"]
        );
    }

    #[test]
    fn shift_jis_files_are_decoded_and_marked_for_rewriting() {
        let (bytes, _, _) = SHIFT_JIS.encode("id,categories\r\nR1:Q6-1,教育\r\n");
        let (text, converted) = decode(&bytes);
        assert!(converted);
        assert!(text.contains("教育"));
        assert_eq!(decode(b"\xEF\xBB\xBFid").0, "id");
        assert!(is_blank(b"\xEF\xBB\xBF \r\n"));
    }
}
