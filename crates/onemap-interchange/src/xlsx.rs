//! XLSX ↔ table. Reads the first visible worksheet (or a named one) with calamine, cell by
//! cell so a sparse sheet cannot make it allocate a dense grid; formulas give their cached
//! values and are never evaluated. Writes one sheet with rust_xlsxwriter: bold frozen header,
//! every cell a string except canonical decimal numbers, columns sized for Chinese text.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx, XlsxError};
use rust_xlsxwriter::Workbook;

use crate::error::{ReadError, WriteError};
use crate::format::Format;
use crate::limits::{MAX_COLUMNS, MAX_ROWS, MAX_XLSX_XML_BYTES, bytes_text, count_text};
use crate::neutralise::is_plain_decimal;
use crate::table::{Table, TableBuilder, check_input_size, check_shape, number_text};

/// The start of an OLE compound file: an old `.xls` workbook, or an encrypted `.xlsx`.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Reads an XLSX workbook: the sheet named `sheet`, or else the first visible worksheet. The
/// first row with any value is the header; rows with no value are skipped; `at` is the sheet
/// row number as Excel shows it.
///
/// Cells become text: strings as they are, numbers in their shortest form without ".0",
/// booleans `true`/`false`, dates `2026-11-23`, date-times `2026-11-23T08:30:00`, times of day
/// `08:30:00`, durations `PT1H30M0S`. A cell holding an Excel error (`#DIV/0!`, …) is refused.
pub fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Table, ReadError> {
    check_input_size(Format::Xlsx, bytes)?;
    if bytes.starts_with(CFB_MAGIC) {
        return Err(ReadError::unsupported(
            Format::Xlsx,
            "this is an old .xls workbook or a password-protected one; save it as an unprotected .xlsx and import that",
        ));
    }
    // calamine and zip are third-party parsers of hostile input; a panic inside them (such as
    // an arithmetic overflow on an absurd cell reference in a debug build) must become an
    // import error, not bring the console down.
    let grid = catch_unwind(AssertUnwindSafe(|| {
        check_package(bytes, MAX_XLSX_XML_BYTES)?;
        read_grid(bytes, sheet)
    }))
    .unwrap_or_else(|_| Err(ReadError::malformed(Format::Xlsx, "the workbook is damaged and could not be read")))?;
    grid.into_table()
}

fn damaged(e: impl std::fmt::Display) -> ReadError {
    ReadError::malformed(Format::Xlsx, format!("the file is not a readable XLSX workbook ({e})"))
}

/// Decompresses every XML part once, counting, so a zip bomb is refused before calamine
/// believes its declared sizes: together they may not exceed `limit` bytes.
fn check_package(bytes: &[u8], limit: u64) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(damaged)?;
        let name = part.name().map_err(damaged)?.to_ascii_lowercase();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let budget = limit - total;
        let n = std::io::copy(&mut part.by_ref().take(budget + 1), &mut std::io::sink()).map_err(damaged)?;
        total += n;
        if total > limit {
            return Err(ReadError::too_large(
                Format::Xlsx,
                format!("the workbook decompresses to more than {}; split it", bytes_text(limit)),
            ));
        }
    }
    Ok(())
}

fn calamine_error(e: XlsxError) -> ReadError {
    match e {
        XlsxError::Password => ReadError::unsupported(
            Format::Xlsx,
            "the workbook is password-protected; remove the password and import it again",
        ),
        e => damaged(e),
    }
}

#[derive(Debug)]
enum Value {
    Text(String),
    Error(String),
}

/// The non-empty cells of a sheet by row (0-based), each row's cells as (column, value).
#[derive(Debug, Default)]
struct Grid {
    rows: BTreeMap<u32, Vec<(u32, Value)>>,
    min_col: u32,
    max_col: u32,
}

fn read_grid(bytes: &[u8], wanted: Option<&str>) -> Result<Grid, ReadError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(calamine_error)?;
    let name = pick_sheet(&book, wanted)?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(calamine_error)?;
    let mut grid = Grid { min_col: u32::MAX, ..Grid::default() };
    while let Some(cell) = cells.next_cell().map_err(calamine_error)? {
        let (row, col) = cell.get_position();
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::Error(e) => Value::Error(e.to_string()),
            v => match cell_text(v) {
                t if t.is_empty() => continue,
                t => Value::Text(t),
            },
        };
        grid.min_col = grid.min_col.min(col);
        grid.max_col = grid.max_col.max(col);
        if grid.max_col - grid.min_col >= MAX_COLUMNS as u32 {
            return Err(ReadError::too_large(
                Format::Xlsx,
                format!(
                    "the sheet uses columns {} to {}; at most {MAX_COLUMNS} columns can be imported",
                    column_letter(grid.min_col),
                    column_letter(grid.max_col)
                ),
            )
            .at(u64::from(row) + 1)
            .column(column_letter(col)));
        }
        // One header row plus MAX_ROWS data rows.
        if !grid.rows.contains_key(&row) && grid.rows.len() > MAX_ROWS {
            return Err(ReadError::too_large(
                Format::Xlsx,
                format!("the sheet has more than {} rows; split it", count_text(MAX_ROWS)),
            )
            .at(u64::from(row) + 1));
        }
        grid.rows.entry(row).or_default().push((col, value));
    }
    Ok(grid)
}

fn pick_sheet(book: &Xlsx<Cursor<&[u8]>>, wanted: Option<&str>) -> Result<String, ReadError> {
    let sheets: Vec<_> = book.sheets_metadata().iter().filter(|s| s.typ == SheetType::WorkSheet).collect();
    let found = match wanted {
        Some(w) => sheets.iter().find(|s| s.name == w),
        None => sheets.iter().find(|s| s.visible == SheetVisible::Visible).or(sheets.first()),
    };
    match (found, wanted) {
        (Some(s), _) => Ok(s.name.clone()),
        (None, Some(w)) => {
            let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
            Err(ReadError::malformed(
                Format::Xlsx,
                format!("the workbook has no worksheet named `{w}`; it has: {}", names.join(", ")),
            ))
        }
        (None, None) => Err(ReadError::malformed(Format::Xlsx, "the workbook has no worksheet")),
    }
}

impl Grid {
    fn into_table(self) -> Result<Table, ReadError> {
        let mut rows = self.rows.into_iter();
        let Some((header_row, header_cells)) = rows.next() else {
            return Err(ReadError::malformed(Format::Xlsx, "the sheet is empty; its first row must name the columns"));
        };
        let (min_col, width) = (self.min_col, (self.max_col - self.min_col) as usize + 1);
        let label = |i: usize| column_letter(min_col + i as u32);
        let spread = |row: u32, cells: Vec<(u32, Value)>, names: Option<&[String]>| {
            let mut out = vec![String::new(); width];
            for (col, value) in cells {
                let i = (col - min_col) as usize;
                match value {
                    Value::Text(t) => out[i] = t,
                    Value::Error(e) => {
                        let column = names.map_or_else(|| label(i), |n| n[i].clone());
                        return Err(ReadError::malformed(
                            Format::Xlsx,
                            format!("the cell holds the Excel error {e}; fix or clear it and import again"),
                        )
                        .at(u64::from(row) + 1)
                        .column(column));
                    }
                }
            }
            Ok(out)
        };
        let headers = spread(header_row, header_cells, None)?;
        let mut builder = TableBuilder::new(Format::Xlsx, headers.clone(), u64::from(header_row) + 1, label)?;
        for (row, cells) in rows {
            builder.push(u64::from(row) + 1, spread(row, cells, Some(&headers))?)?;
        }
        Ok(builder.finish())
    }
}

fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => datetime_text(dt),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// ISO 8601: `2026-11-23` for a whole day, `2026-11-23T08:30:00` otherwise, `08:30:00` for a
/// time of day (a serial below 1), `PT1H30M0S` for a duration; milliseconds when present.
fn datetime_text(dt: &ExcelDateTime) -> String {
    if dt.is_duration() {
        let ms = (dt.as_f64() * 86_400_000.0).round() as i64;
        let (sign, ms) = if ms < 0 { ("-", ms.unsigned_abs()) } else { ("", ms.unsigned_abs()) };
        let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        return if milli == 0 { format!("{sign}PT{h}H{m}M{s}S") } else { format!("{sign}PT{h}H{m}M{s}.{milli:03}S") };
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    let time = if ms == 0 { format!("{h:02}:{mi:02}:{s:02}") } else { format!("{h:02}:{mi:02}:{s:02}.{ms:03}") };
    let v = dt.as_f64();
    if (0.0..1.0).contains(&v) && (h, mi, s, ms) != (0, 0, 0, 0) {
        time
    } else if (h, mi, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{time}")
    }
}

/// Excel's column name for a 0-based index: 0 → `A`, 26 → `AA`.
pub(crate) fn column_letter(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.iter().rev().map(|&b| char::from(b)).collect()
}

/// A cell written as a number: a plain decimal whose shortest form is itself, so "007",
/// "1.50" and an 18-digit ID number stay text and nothing is lost.
fn as_number(cell: &str) -> Option<f64> {
    if !is_plain_decimal(cell) {
        return None;
    }
    let v: f64 = cell.parse().ok()?;
    (v.is_finite() && number_text(v) == cell).then_some(v)
}

/// How many character widths a cell needs: East Asian wide characters count two.
fn display_width(cell: &str) -> usize {
    cell.lines().map(|l| l.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()).max().unwrap_or(0)
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Writes the table as a one-sheet workbook: bold header row frozen at the top, cells as
/// strings (never formulas), canonical decimal numbers as numbers, column widths fitted to the
/// text (Chinese characters counted double, between 6 and 60 characters).
pub fn write_xlsx(table: &Table) -> Result<Vec<u8>, WriteError> {
    check_shape(table)?;
    let encoder = |e: rust_xlsxwriter::XlsxError| WriteError::Encoder { format: Format::Xlsx, message: e.to_string() };
    let too_big =
        |what: &str| WriteError::Encoder { format: Format::Xlsx, message: format!("too many {what} for a worksheet") };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, header) in table.headers.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| too_big("columns"))?;
        sheet.write_string_with_format(0, col, header, &bold).map_err(|e| WriteError::BadHeader {
            column: header.clone(),
            reason: format!("cannot be written to XLSX: {e}"),
        })?;
        let widest = table.rows.iter().map(|r| display_width(&r.cells[c])).max().unwrap_or(0);
        let width = (widest.max(display_width(header)) + 2).clamp(6, 60);
        sheet.set_column_width(col, width as f64).map_err(encoder)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let at = u32::try_from(r + 1).map_err(|_| too_big("rows"))?;
        for (c, cell) in row.cells.iter().enumerate().filter(|(_, cell)| !cell.is_empty()) {
            let col = c as u16; // fits: checked on the header row
            let written = match as_number(cell) {
                Some(v) => sheet.write_number(at, col, v).map(|_| ()),
                None => sheet.write_string(at, col, cell).map(|_| ()),
            };
            written.map_err(|e| WriteError::Unrepresentable {
                row: r + 1,
                column: table.headers[c].clone(),
                reason: format!("cannot be written to XLSX: {e}"),
            })?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(encoder)?;
    book.save_to_buffer().map_err(encoder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbook_of(cells: usize) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for r in 0..cells {
            sheet.write_string(r as u32, 0, "通化市").unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn decompressed_size_is_counted_not_believed() {
        // Smaller than the limit compressed, larger decompressed.
        let bytes = workbook_of(20_000);
        assert!(bytes.len() < 128 * 1024, "compressed to {} bytes", bytes.len());
        check_package(&bytes, 4 * 1024 * 1024).unwrap();
        let e = check_package(&bytes, 256 * 1024).unwrap_err();
        assert_eq!(e.code(), "import.too_large");
        assert_eq!(e.to_string(), "the workbook decompresses to more than 256 KiB; split it");
    }

    #[test]
    fn column_letters() {
        let letters: Vec<String> =
            [0, 1, 25, 26, 27, 51, 52, 701, 702, 16_383].into_iter().map(column_letter).collect();
        assert_eq!(letters, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"]);
    }

    #[test]
    fn numbers_are_written_as_numbers_only_when_nothing_is_lost() {
        assert_eq!(as_number("2900"), Some(2900.0));
        assert_eq!(as_number("-3.5"), Some(-3.5));
        for text in ["007", "1.50", "220502199001011234", "1e5", "+1", "", "１"] {
            assert_eq!(as_number(text), None, "{text}");
        }
    }

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("通化市"), 6);
        assert_eq!(display_width("ＡＢ（）"), 8);
        assert_eq!(display_width("短\n更长的一行"), 10);
    }

    #[test]
    fn durations_and_times() {
        use calamine::ExcelDateTimeType::{DateTime, TimeDelta};
        let text = |v, t| datetime_text(&ExcelDateTime::new(v, t, false));
        assert_eq!(text(1.5, TimeDelta), "PT36H0M0S");
        assert_eq!(text(-0.25, TimeDelta), "-PT6H0M0S");
        assert_eq!(text(0.5 / 86_400.0, TimeDelta), "PT0H0M0.500S");
        assert_eq!(text(0.354_166_666_666_666_7, DateTime), "08:30:00");
        assert_eq!(text(46_349.0, DateTime), "2026-11-23");
        assert_eq!(text(46_349.5, DateTime), "2026-11-23T12:00:00");
        assert_eq!(text(f64::NAN, DateTime), "1899-12-31");
    }
}
