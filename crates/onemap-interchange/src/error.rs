//! Read and write errors: a stable code for the UI, where the problem is, and an English
//! sentence an operator can act on.

use crate::format::Format;

/// The stable codes a [`ReadError`] can carry.
pub const READ_ERROR_CODES: [&str; 3] = ["import.malformed", "import.too_large", "import.unsupported"];

/// What kind of problem stopped an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadErrorKind {
    /// The bytes are not a valid file of the format, or break a rule of the neutral table
    /// (duplicate header, a row longer than the header, a coordinate out of range).
    Malformed,
    /// The file exceeds one of the limits in [`crate::limits`].
    TooLarge,
    /// The file is valid but uses something this importer does not take (a LineString, a
    /// password-protected workbook, a DOCTYPE).
    Unsupported,
}

impl ReadErrorKind {
    /// The stable code: `import.malformed`, `import.too_large` or `import.unsupported`.
    pub fn code(self) -> &'static str {
        match self {
            ReadErrorKind::Malformed => READ_ERROR_CODES[0],
            ReadErrorKind::TooLarge => READ_ERROR_CODES[1],
            ReadErrorKind::Unsupported => READ_ERROR_CODES[2],
        }
    }
}

/// Why a file could not be turned into a [`crate::Table`], and where.
///
/// `Display` gives the whole sentence, location first: "line 17, column `lat`: …",
/// "feature 3: geometry is a LineString; only Point features can be imported".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(*.format, *.at, .column.as_deref(), .detail))]
pub struct ReadError {
    pub kind: ReadErrorKind,
    /// The format that was being read; its [`Format::row_noun`] names `at`.
    pub format: Format,
    /// The line (CSV, header is line 1), sheet row (XLSX, 1-based), feature (GeoJSON,
    /// 1-based) or placemark (KML, 1-based) the problem is in, when it is in one.
    pub at: Option<u64>,
    /// The column (by header name, or by letter or position when it has no usable name).
    pub column: Option<String>,
    /// The problem itself, without the location.
    pub detail: String,
}

fn render(format: Format, at: Option<u64>, column: Option<&str>, detail: &str) -> String {
    match (at, column) {
        (Some(at), Some(col)) => format!("{} {at}, column `{col}`: {detail}", format.row_noun()),
        (Some(at), None) => format!("{} {at}: {detail}", format.row_noun()),
        (None, Some(col)) => format!("column `{col}`: {detail}"),
        (None, None) => detail.to_string(),
    }
}

impl ReadError {
    pub(crate) fn new(kind: ReadErrorKind, format: Format, detail: impl Into<String>) -> Self {
        ReadError { kind, format, at: None, column: None, detail: detail.into() }
    }

    pub(crate) fn malformed(format: Format, detail: impl Into<String>) -> Self {
        Self::new(ReadErrorKind::Malformed, format, detail)
    }

    pub(crate) fn too_large(format: Format, detail: impl Into<String>) -> Self {
        Self::new(ReadErrorKind::TooLarge, format, detail)
    }

    pub(crate) fn unsupported(format: Format, detail: impl Into<String>) -> Self {
        Self::new(ReadErrorKind::Unsupported, format, detail)
    }

    pub(crate) fn at(mut self, at: u64) -> Self {
        self.at = Some(at);
        self
    }

    pub(crate) fn at_opt(mut self, at: Option<u64>) -> Self {
        self.at = at;
        self
    }

    pub(crate) fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// The stable code: `import.malformed`, `import.too_large` or `import.unsupported`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// Which coordinate a bad value was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Longitude,
    Latitude,
}

impl Axis {
    fn describe(self) -> &'static str {
        match self {
            Axis::Longitude => "a longitude (a number from -180 to 180)",
            Axis::Latitude => "a latitude (a number from -90 to 90)",
        }
    }
}

/// Why a table could not be written. Rows are numbered from 1 in the order of
/// [`crate::Table::rows`] (the header is not counted).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("row {row} has {cells} cells but the table has {headers} columns")]
    RaggedRow { row: usize, cells: usize, headers: usize },
    #[error("a {format} export needs to know which columns hold the longitude and latitude")]
    NoGeoColumns { format: Format },
    #[error("the table has no column `{column}`")]
    NoSuchColumn { column: String },
    #[error("column `{column}` clashes with {what}; rename it before exporting as {format}")]
    ColumnClash { format: Format, column: String, what: &'static str },
    #[error("row {row}, column `{column}`: `{value}` is not {}", .axis.describe())]
    BadCoordinate { row: usize, column: String, value: String, axis: Axis },
    #[error("row {row}, column `{column}`: {reason}")]
    Unrepresentable { row: usize, column: String, reason: String },
    #[error("column `{column}`: the header {reason}")]
    BadHeader { column: String, reason: String },
    #[error("could not build the {format} file: {message}")]
    Encoder { format: Format, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_put_the_location_first() {
        let e = ReadError::malformed(Format::Csv, "not a number").at(17).column("lat");
        assert_eq!(e.to_string(), "line 17, column `lat`: not a number");
        assert_eq!(e.code(), "import.malformed");
        let e = ReadError::unsupported(Format::GeoJson, "geometry is a LineString").at(3);
        assert_eq!(e.to_string(), "feature 3: geometry is a LineString");
        assert_eq!(e.code(), "import.unsupported");
        let e = ReadError::too_large(Format::Kml, "too big").column("x");
        assert_eq!(e.to_string(), "column `x`: too big");
        assert_eq!(e.code(), "import.too_large");
        let e = ReadError::too_large(Format::Xlsx, "too big").at_opt(None);
        assert_eq!(e.to_string(), "too big");
    }

    #[test]
    fn write_errors_name_row_and_column() {
        let e =
            WriteError::BadCoordinate { row: 4, column: "纬度".into(), value: "abc".into(), axis: Axis::Latitude };
        assert_eq!(e.to_string(), "row 4, column `纬度`: `abc` is not a latitude (a number from -90 to 90)");
    }
}
