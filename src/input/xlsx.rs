//! Excel workbooks: one sheet, loaded whole by calamine, its first non-empty row the header;
//! cells are turned into text as Excel shows them and handed to [`Layout`].
//!
//! Positions in errors: the row and column numbers of the sheet (the message also names the
//! cell, `C5`).

use std::cell::Cell as Flag;
use std::io::{Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use calamine::{Cell, Data, DataRef, Range, Reader, Xlsx, XlsxError};

use super::options::InputOptions;
use super::table::{clean_header_name, column_letters, Layout, Places};
use super::{input_error, RowOut, RowSource};
use crate::error::{Error, Result};

/// The most cells a sheet's table (from its first to its last non-empty cell) may span. The
/// sheet is held as one dense grid, so a stray cell far from the table (one at XFD1048576
/// makes 17 billion cells) would otherwise ask for more memory than there is and abort the
/// process. Ten million cells is 100,000 respondents × 100 columns, about 320 MB.
const MAX_SHEET_CELLS: u64 = 10_000_000;

/// Reads one sheet of a workbook row by row.
pub(super) struct SheetReader {
    range: Range<Data>,
    /// 0-based sheet row of the range's first row.
    first_row: usize,
    /// Index within the range of the next row to read.
    next_row: usize,
    layout: Layout,
}

/// Loads the sheet `options.sheet` (else the first) of the workbook in `source` and reads its
/// header row.
pub(super) fn open<RS: Read + Seek>(
    source: RS,
    path: &str,
    options: &InputOptions,
) -> Result<SheetReader> {
    let not_a_workbook = |message: String| Error::Input {
        path: path.to_string(),
        line: 1,
        column: 1,
        message: format!("cannot read this as an Excel workbook (.xlsx): {message}"),
    };
    // calamine parses untrusted ZIP and XML; a bug there must become an error, not a crash,
    // and not a panic message on the terminal either.
    let loaded = quietly(|| -> Result<(String, Range<Data>)> {
        let mut workbook = Xlsx::new(source).map_err(|err| not_a_workbook(err.to_string()))?;
        let names = workbook.sheet_names();
        let name = match &options.sheet {
            Some(wanted) => {
                if !names.iter().any(|name| name == wanted) {
                    // An input error like every other problem with the file, so the message
                    // has the file:line:column form scripts and editors look for.
                    return Err(input_error(
                        path,
                        1,
                        1,
                        format!(
                            "there is no sheet named “{wanted}”; the sheets are: {} \
                             (choose one with --sheet)",
                            quoted_list(&names)
                        ),
                    ));
                }
                wanted.clone()
            }
            None => match names.first() {
                Some(first) => first.clone(),
                None => return Err(not_a_workbook("the workbook has no sheets".to_string())),
            },
        };
        let range = sheet_range(&mut workbook, &name, path)?
            .map_err(|err| not_a_workbook(format!("sheet “{name}”: {err}")))?;
        Ok((name, range))
    });
    let (name, range) = match loaded {
        Ok(result) => result?,
        Err(_) => {
            return Err(not_a_workbook(
                "the XLSX reader failed on this file".to_string(),
            ))
        }
    };
    let Some((first_row, first_column)) = range.start() else {
        return Err(input_error(
            path,
            1,
            1,
            format!("sheet “{name}” is empty; expected a header row"),
        ));
    };
    let first_row = first_row as usize;
    let width = range.width();
    let names = (0..width)
        .map(|column| clean_header_name(&cell_text(range.get((0, column)))))
        .collect();
    let places = Places::Sheet {
        name,
        first_column: first_column as usize,
    };
    let layout = Layout::new(path, places, names, first_row + 1, options)?;
    Ok(SheetReader {
        range,
        first_row,
        next_row: 1,
        layout,
    })
}

/// The non-empty cells of sheet `name` as one grid, as calamine's `worksheet_range` reads
/// them, but refusing a sheet whose cells span more than [`MAX_SHEET_CELLS`] before the grid
/// is allocated. The outer error is jiyu's (placed at the far corner of the cells), the inner
/// one calamine's.
fn sheet_range<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    name: &str,
    path: &str,
) -> Result<Result<Range<Data>, XlsxError>> {
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or the like: no cells, which the caller reports as an empty sheet.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Ok(Range::default())),
        Err(err) => return Ok(Err(err)),
    };
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let (mut first, mut last) = ((u32::MAX, u32::MAX), (0, 0));
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) if matches!(cell.get_value(), DataRef::Empty) => {}
            Ok(Some(cell)) => {
                let (row, column) = cell.get_position();
                first = (first.0.min(row), first.1.min(column));
                last = (last.0.max(row), last.1.max(column));
                cells.push(Cell::new(
                    (row, column),
                    Data::from(cell.get_value().clone()),
                ));
            }
            Ok(None) => break,
            Err(err) => return Ok(Err(err)),
        }
    }
    if let Some(span) = span(first, last).filter(|span| *span > MAX_SHEET_CELLS) {
        let corner = |(row, column): (u32, u32)| {
            format!("{}{}", column_letters(column as usize + 1), row as u64 + 1)
        };
        return Err(input_error(
            path,
            last.0 as usize + 1,
            last.1 as usize + 1,
            format!(
                "sheet “{name}”: its cells span {} to {}, {span} cells, more than the \
                 {MAX_SHEET_CELLS} jiyu reads; a cell far from the table is probably stray: \
                 delete the rows and columns after the table",
                corner(first),
                corner(last)
            ),
        ));
    }
    Ok(Ok(Range::from_sparse(cells)))
}

/// Cells from `first` to `last` (row, column), both included; `None` when there are none.
fn span(first: (u32, u32), last: (u32, u32)) -> Option<u64> {
    let rows = u64::from(last.0.checked_sub(first.0)?) + 1;
    let columns = u64::from(last.1.checked_sub(first.1)?) + 1;
    Some(rows * columns)
}

thread_local! {
    /// True while this thread runs [`quietly`].
    static QUIET: Flag<bool> = const { Flag::new(false) };
}

/// Runs `load` and turns a panic in it into an error, without the panic message: the panic
/// hook is wrapped once so that it says nothing for a panic on a thread inside `quietly`, and
/// hands every other panic to the hook that was there before.
fn quietly<T>(load: impl FnOnce() -> Result<T>) -> std::thread::Result<Result<T>> {
    static WRAP_HOOK: Once = Once::new();
    WRAP_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Flag::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|quiet| quiet.set(true));
    let result = catch_unwind(AssertUnwindSafe(load));
    QUIET.with(|quiet| quiet.set(false));
    result
}

impl RowSource for SheetReader {
    fn read_row(&mut self, out: &mut RowOut) -> Result<bool> {
        if self.next_row >= self.range.height() {
            return Ok(false);
        }
        let row = self.next_row;
        self.next_row += 1;
        let cells = (0..self.layout.width())
            .map(|column| cell_text(self.range.get((row, column))))
            .collect();
        let line = self.first_row + row + 1;
        self.layout.answers(cells, &|_| line, out)?;
        Ok(true)
    }
}

/// A cell as text, the way it reads in Excel: integers without `.0`, dates as
/// `2024-05-01` (with ` 09:30:00` when there is a time), booleans as TRUE/FALSE, error values
/// as `#N/A`, empty cells as "".
pub(super) fn cell_text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(text)) => text.clone(),
        Some(Data::Int(number)) => number.to_string(),
        Some(Data::Float(number)) => number_text(*number),
        Some(Data::Bool(value)) => if *value { "TRUE" } else { "FALSE" }.to_string(),
        Some(Data::DateTime(datetime)) => {
            let serial = datetime.as_f64();
            if datetime.is_duration() {
                duration_text(serial)
            } else if (0.0..2_958_466.0).contains(&serial) {
                // Only within Excel's own date range (to 9999-12-31), where calamine's
                // conversion is defined.
                let (year, month, day, hour, minute, second, _) = datetime.to_ymd_hms_milli();
                let time = format!("{hour:02}:{minute:02}:{second:02}");
                if serial < 1.0 {
                    time
                } else if (hour, minute, second) == (0, 0, 0) {
                    format!("{year:04}-{month:02}-{day:02}")
                } else {
                    format!("{year:04}-{month:02}-{day:02} {time}")
                }
            } else {
                number_text(serial)
            }
        }
        Some(Data::DateTimeIso(text)) | Some(Data::DurationIso(text)) => text.clone(),
        Some(Data::Error(error)) => error.to_string(),
    }
}

/// `3` for 3.0, `3.5` for 3.5: Excel stores every number as a float.
fn number_text(number: f64) -> String {
    // Below 2^53 every integer is exact, so the cast loses nothing.
    if number.is_finite() && number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// A duration in days as `H:MM:SS`, as Excel's `[h]:mm:ss` shows it.
fn duration_text(days: f64) -> String {
    if !days.is_finite() || days.abs() > 1e9 {
        return number_text(days);
    }
    let total = (days * 86_400.0).round() as i64;
    let sign = if total < 0 { "-" } else { "" };
    let total = total.abs();
    format!(
        "{sign}{}:{:02}:{:02}",
        total / 3600,
        (total / 60) % 60,
        total % 60
    )
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("“{name}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(50.0), "50");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(3.5), "3.5");
        assert_eq!(number_text(0.1), "0.1");
        assert_eq!(duration_text(1.5), "36:00:00");
    }
}
