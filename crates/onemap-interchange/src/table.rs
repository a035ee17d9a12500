//! The neutral table every reader produces and every writer consumes, and the builders that
//! give every reader the same invariants: unique non-empty headers, rows exactly as wide as
//! the header, `at` strictly increasing, and the limits of [`crate::limits`].

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::error::{ReadError, WriteError};
use crate::format::Format;
use crate::limits::{MAX_CELL_BYTES, MAX_COLUMNS, MAX_INPUT_BYTES, MAX_ROWS, bytes_text, count_text};

/// Rows of text under a header row, as read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<SourceRow>,
}

/// One data row and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    /// Where a person finds the row in the source: the CSV physical line it starts on (the
    /// header is line 1), the XLSX sheet row number as Excel shows it, or the 1-based GeoJSON
    /// feature or KML placemark number. Strictly increasing within a table.
    pub at: u64,
    /// Exactly one cell per header.
    pub cells: Vec<String>,
}

/// Which columns carry a point, for the GeoJSON and KML writers (CSV and XLSX ignore it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoColumns {
    pub lon: String,
    pub lat: String,
    /// The column written as a KML placemark's `<name>` (GeoJSON ignores it).
    pub name: Option<String>,
}

/// The columns the GeoJSON and KML readers append for a point's coordinates.
pub const LON: &str = "lon";
pub const LAT: &str = "lat";

pub(crate) fn check_input_size(format: Format, bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ReadError::too_large(
            format,
            format!(
                "the file is {} bytes; files larger than {} cannot be imported, split it",
                bytes.len(),
                bytes_text(MAX_INPUT_BYTES as u64)
            ),
        ));
    }
    Ok(())
}

fn cell_too_large(format: Format, at: Option<u64>, column: &str, len: usize) -> ReadError {
    ReadError::too_large(
        format,
        format!("the cell holds {len} bytes; a cell may hold at most {}", bytes_text(MAX_CELL_BYTES as u64)),
    )
    .at_opt(at)
    .column(column)
}

fn too_many_rows(format: Format, at: u64) -> ReadError {
    ReadError::too_large(
        format,
        format!("the file has more than {} {}s; split it", count_text(MAX_ROWS), format.row_noun()),
    )
    .at(at)
}

/// Builds a table whose header row is known before its rows (CSV, XLSX).
#[derive(Debug)]
pub(crate) struct TableBuilder {
    format: Format,
    table: Table,
}

impl TableBuilder {
    /// Checks the headers: at most [`MAX_COLUMNS`], none empty, none repeated, none too long.
    /// `label` names a column by position when its header cannot (`#3` in CSV, `C` in XLSX).
    pub(crate) fn new(
        format: Format,
        headers: Vec<String>,
        header_at: u64,
        label: impl Fn(usize) -> String,
    ) -> Result<Self, ReadError> {
        if headers.len() > MAX_COLUMNS {
            return Err(ReadError::too_large(
                format,
                format!("the header has {} columns; at most {MAX_COLUMNS} can be imported", headers.len()),
            )
            .at(header_at));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if h.is_empty() {
                return Err(ReadError::malformed(format, "the header is empty; every column needs a name")
                    .at(header_at)
                    .column(label(i)));
            }
            if h.len() > MAX_CELL_BYTES {
                return Err(cell_too_large(format, Some(header_at), &label(i), h.len()));
            }
            if let Some(first) = seen.insert(h, i) {
                return Err(ReadError::malformed(
                    format,
                    format!("the header appears twice (columns {} and {})", label(first), label(i)),
                )
                .at(header_at)
                .column(h.clone()));
            }
        }
        Ok(TableBuilder { format, table: Table { headers, rows: Vec::new() } })
    }

    /// Adds a row found at `at` (must be after every earlier row). Shorter rows are padded with
    /// empty cells; longer rows are refused, naming the first column past the header by its
    /// position (`#4`).
    pub(crate) fn push(&mut self, at: u64, mut cells: Vec<String>) -> Result<(), ReadError> {
        let width = self.table.headers.len();
        if cells.len() > width {
            return Err(ReadError::malformed(
                self.format,
                format!("the row has {} cells but the header has only {width} columns", cells.len()),
            )
            .at(at)
            .column(format!("#{}", width + 1)));
        }
        if self.table.rows.len() >= MAX_ROWS {
            return Err(too_many_rows(self.format, at));
        }
        if let Some(i) = cells.iter().position(|c| c.len() > MAX_CELL_BYTES) {
            return Err(cell_too_large(self.format, Some(at), &self.table.headers[i], cells[i].len()));
        }
        cells.resize(width, String::new());
        self.table.rows.push(SourceRow { at, cells });
        Ok(())
    }

    pub(crate) fn finish(self) -> Table {
        self.table
    }
}

/// Builds a table whose columns are discovered row by row (GeoJSON properties, KML data), with
/// `lon` and `lat` appended last.
#[derive(Debug)]
pub(crate) struct KeyedTableBuilder {
    format: Format,
    names: Vec<String>,
    index: HashMap<String, usize>,
    rows: Vec<(KeyedRow, [String; 2])>,
}

/// One row being gathered by a [`KeyedTableBuilder`].
#[derive(Debug)]
pub(crate) struct KeyedRow {
    at: u64,
    cells: Vec<(usize, String)>,
}

impl KeyedRow {
    pub(crate) fn at(&self) -> u64 {
        self.at
    }
}

impl KeyedTableBuilder {
    pub(crate) fn new(format: Format) -> Self {
        KeyedTableBuilder { format, names: Vec::new(), index: HashMap::new(), rows: Vec::new() }
    }

    /// Starts row `at` (must be after every earlier row); refuses the row past [`MAX_ROWS`].
    pub(crate) fn row(&self, at: u64) -> Result<KeyedRow, ReadError> {
        if self.rows.len() >= MAX_ROWS {
            return Err(too_many_rows(self.format, at));
        }
        Ok(KeyedRow { at, cells: Vec::new() })
    }

    /// Sets cell `name` of `row`, creating the column on first sight. Refuses empty, reserved
    /// (`lon`, `lat`) and repeated names, too many columns and too long cells.
    pub(crate) fn set(&mut self, row: &mut KeyedRow, name: &str, value: String) -> Result<(), ReadError> {
        let err = |e: ReadError| Err(e.at(row.at));
        if name.is_empty() {
            return err(ReadError::malformed(self.format, "a value has an empty name; every column needs a name"));
        }
        if name == LON || name == LAT {
            return err(ReadError::malformed(
                self.format,
                format!("`{name}` clashes with the coordinate column the importer adds from the point"),
            )
            .column(name));
        }
        if name.len() > MAX_CELL_BYTES {
            return err(ReadError::too_large(
                self.format,
                format!(
                    "a column name is {} bytes long; at most {} is allowed",
                    name.len(),
                    bytes_text(MAX_CELL_BYTES as u64)
                ),
            ));
        }
        if value.len() > MAX_CELL_BYTES {
            return err(cell_too_large(self.format, None, name, value.len()));
        }
        let next = self.names.len();
        let i = match self.index.entry(name.to_string()) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                if next + 3 > MAX_COLUMNS {
                    return err(ReadError::too_large(
                        self.format,
                        format!("the file has more than {MAX_COLUMNS} columns (counting lon and lat)"),
                    )
                    .column(name));
                }
                e.insert(next);
                self.names.push(name.to_string());
                next
            }
        };
        if row.cells.iter().any(|(j, _)| *j == i) {
            return err(ReadError::malformed(self.format, "the value is given twice").column(name));
        }
        row.cells.push((i, value));
        Ok(())
    }

    /// Finishes `row` with its point, already rendered as text.
    pub(crate) fn push(&mut self, row: KeyedRow, lon: String, lat: String) {
        self.rows.push((row, [lon, lat]));
    }

    pub(crate) fn finish(self) -> Table {
        let width = self.names.len() + 2;
        let mut headers = self.names;
        headers.push(LON.to_string());
        headers.push(LAT.to_string());
        let rows = self
            .rows
            .into_iter()
            .map(|(row, [lon, lat])| {
                let mut cells = vec![String::new(); width];
                for (i, v) in row.cells {
                    cells[i] = v;
                }
                cells[width - 2] = lon;
                cells[width - 1] = lat;
                SourceRow { at: row.at, cells }
            })
            .collect();
        Table { headers, rows }
    }
}

/// Checks a point and renders it as the `lon`, `lat` cells (shortest round-trip text,
/// integers without ".0").
pub(crate) fn point_cells(format: Format, at: u64, lon: f64, lat: f64) -> Result<(String, String), ReadError> {
    let bad = |axis: &str, column: &str, v: f64, range: &str| {
        Err(ReadError::malformed(format, format!("{axis} {v} is not a number from {range}")).at(at).column(column))
    };
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return bad("longitude", LON, lon, "-180 to 180");
    }
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return bad("latitude", LAT, lat, "-90 to 90");
    }
    // `+ 0.0` turns -0 into 0: JSON reads `-0` back as the integer 0.
    Ok((number_text(lon + 0.0), number_text(lat + 0.0)))
}

/// Refuses a table whose rows are not exactly as wide as its header (the fields are public,
/// so a caller can build one).
pub(crate) fn check_shape(table: &Table) -> Result<(), WriteError> {
    let headers = table.headers.len();
    match table.rows.iter().position(|r| r.cells.len() != headers) {
        Some(i) => Err(WriteError::RaggedRow { row: i + 1, cells: table.rows[i].cells.len(), headers }),
        None => Ok(()),
    }
}

/// A number as a cell: shortest text that reads back to the same `f64`, integers without
/// ".0" (2900.0 → "2900"), never exponent notation.
pub(crate) fn number_text(v: f64) -> String {
    format!("{v}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(i: usize) -> String {
        format!("#{}", i + 1)
    }

    #[test]
    fn builder_pads_short_rows_and_refuses_long_ones() {
        let mut b = TableBuilder::new(Format::Csv, vec!["a".into(), "b".into()], 1, label).unwrap();
        b.push(2, vec!["1".into()]).unwrap();
        let e = b.push(3, vec!["1".into(), "2".into(), "3".into()]).unwrap_err();
        assert_eq!(e.to_string(), "line 3, column `#3`: the row has 3 cells but the header has only 2 columns");
        let t = b.finish();
        assert_eq!(t.rows, vec![SourceRow { at: 2, cells: vec!["1".into(), String::new()] }]);
    }

    #[test]
    fn headers_must_be_named_and_unique() {
        let e = TableBuilder::new(Format::Csv, vec!["a".into(), String::new()], 1, label).unwrap_err();
        assert_eq!(e.to_string(), "line 1, column `#2`: the header is empty; every column needs a name");
        let e = TableBuilder::new(Format::Xlsx, vec!["名称".into(), "x".into(), "名称".into()], 4, |i| {
            ["A", "B", "C"][i].to_string()
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "row 4, column `名称`: the header appears twice (columns A and C)");
        assert_eq!(e.column.as_deref(), Some("名称"));
    }

    #[test]
    fn keyed_rows_fill_columns_in_order_of_first_sight() {
        let mut b = KeyedTableBuilder::new(Format::GeoJson);
        let mut r = b.row(1).unwrap();
        b.set(&mut r, "b", "1".into()).unwrap();
        b.push(r, "125.9".into(), "41.7".into());
        let mut r = b.row(2).unwrap();
        b.set(&mut r, "a", "x".into()).unwrap();
        b.set(&mut r, "b", "2".into()).unwrap();
        assert!(b.set(&mut r, "a", "y".into()).unwrap_err().to_string().contains("given twice"));
        let e = b.set(&mut r, "lat", "y".into()).unwrap_err();
        assert_eq!(e.at, Some(2));
        assert_eq!(e.column.as_deref(), Some("lat"));
        b.push(r, "126".into(), "42".into());
        let t = b.finish();
        assert_eq!(t.headers, ["b", "a", "lon", "lat"]);
        assert_eq!(t.rows[0].cells, ["1", "", "125.9", "41.7"]);
        assert_eq!(t.rows[1].cells, ["2", "x", "126", "42"]);
    }

    #[test]
    fn keyed_columns_are_limited() {
        let mut b = KeyedTableBuilder::new(Format::Kml);
        let mut r = b.row(1).unwrap();
        for i in 0..MAX_COLUMNS - 2 {
            b.set(&mut r, &format!("c{i}"), String::new()).unwrap();
        }
        let e = b.set(&mut r, "one-too-many", String::new()).unwrap_err();
        assert_eq!(e.code(), "import.too_large");
        assert_eq!(e.at, Some(1));
    }

    #[test]
    fn numbers_and_points_render_shortest() {
        assert_eq!(number_text(2900.0), "2900");
        assert_eq!(number_text(125.9), "125.9");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(point_cells(Format::Kml, 1, 125.93, 41.72).unwrap(), ("125.93".into(), "41.72".into()));
        assert_eq!(point_cells(Format::Kml, 1, -0.0, -0.0).unwrap(), ("0".into(), "0".into()));
        let e = point_cells(Format::Kml, 4, 125.0, 91.0).unwrap_err();
        assert_eq!(e.to_string(), "placemark 4, column `lat`: latitude 91 is not a number from -90 to 90");
        let e = point_cells(Format::GeoJson, 2, f64::NAN, 1.0).unwrap_err();
        assert_eq!(e.column.as_deref(), Some("lon"));
    }
}
