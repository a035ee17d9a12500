//! OneMap interchange: registry tables (rescue teams, warehouses and stock lines, shelters,
//! hazards, experts) to and from the files operators exchange — CSV, XLSX, GeoJSON and KML.
//!
//! What it owns: turning bytes into a neutral [`Table`] of text cells (headers, rows, and
//! where each row is in the source so a message can point at it), and a table back into
//! bytes; the encodings, delimiters, quoting, formula neutralisation, spreadsheet cell
//! rendering, point geometry, and the size limits that keep a hostile file from exhausting
//! memory.
//!
//! What it never does: decide what a column means or whether a value is valid for a registry
//! (the domain crate maps columns and validates every row), and any I/O — no files, clock or
//! network; callers hand it bytes and get bytes back. It depends on no other OneMap crate.

mod csv;
pub mod error;
mod format;
pub mod fuzz;
mod geojson;
mod kml;
pub mod limits;
pub mod neutralise;
mod table;
mod xlsx;

pub use crate::csv::{read_csv, write_csv};
pub use crate::error::{Axis, READ_ERROR_CODES, ReadError, ReadErrorKind, WriteError};
pub use crate::format::Format;
pub use crate::geojson::{read_geojson, write_geojson};
pub use crate::kml::{read_kml, write_kml};
pub use crate::table::{GeoColumns, LAT, LON, SourceRow, Table};
pub use crate::xlsx::{read_xlsx, write_xlsx};

/// Reads a file of `format` into a table (XLSX: the first visible worksheet).
pub fn read(format: Format, bytes: &[u8]) -> Result<Table, ReadError> {
    match format {
        Format::Csv => read_csv(bytes),
        Format::Xlsx => read_xlsx(bytes, None),
        Format::GeoJson => read_geojson(bytes),
        Format::Kml => read_kml(bytes),
    }
}

/// Writes a table as `format`. GeoJSON and KML need `geo` (which columns hold the point);
/// CSV and XLSX ignore it.
pub fn write(format: Format, table: &Table, geo: Option<&GeoColumns>) -> Result<Vec<u8>, WriteError> {
    match (format, geo) {
        (Format::Csv, _) => write_csv(table),
        (Format::Xlsx, _) => write_xlsx(table),
        (Format::GeoJson, Some(geo)) => write_geojson(table, geo),
        (Format::Kml, Some(geo)) => write_kml(table, geo),
        (Format::GeoJson | Format::Kml, None) => Err(WriteError::NoGeoColumns { format }),
    }
}
