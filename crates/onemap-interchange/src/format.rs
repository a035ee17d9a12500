//! The four interchange formats, how a file name maps to one, and what a "row" is called in each.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A file format the registries are imported from and exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Comma-separated values (also `;` or tab separated on import).
    Csv,
    /// Office Open XML workbook (Excel 2007+).
    Xlsx,
    /// A GeoJSON FeatureCollection of Point features.
    GeoJson,
    /// A KML 2.2 document of Point placemarks.
    Kml,
}

impl Format {
    /// Every format, in the order the console lists them.
    pub const ALL: [Format; 4] = [Format::Csv, Format::Xlsx, Format::GeoJson, Format::Kml];

    /// The format a file name implies by its extension (case-insensitive): `.csv`, `.xlsx`,
    /// `.geojson` or `.json`, `.kml`. `None` for anything else (including old `.xls`).
    pub fn from_file_name(name: &str) -> Option<Format> {
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "geojson" | "json" => Some(Format::GeoJson),
            "kml" => Some(Format::Kml),
            _ => None,
        }
    }

    /// What a person calls one record in this format, as used in messages ("line 17",
    /// "row 5", "feature 3", "placemark 2").
    pub fn row_noun(self) -> &'static str {
        match self {
            Format::Csv => "line",
            Format::Xlsx => "row",
            Format::GeoJson => "feature",
            Format::Kml => "placemark",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Csv => "CSV",
            Format::Xlsx => "XLSX",
            Format::GeoJson => "GeoJSON",
            Format::Kml => "KML",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_map_by_extension_case_insensitively() {
        assert_eq!(Format::from_file_name("救援队伍.CSV"), Some(Format::Csv));
        assert_eq!(Format::from_file_name("a.b.Xlsx"), Some(Format::Xlsx));
        assert_eq!(Format::from_file_name("shelters.geojson"), Some(Format::GeoJson));
        assert_eq!(Format::from_file_name("shelters.json"), Some(Format::GeoJson));
        assert_eq!(Format::from_file_name("hazards.kml"), Some(Format::Kml));
        assert_eq!(Format::from_file_name("old.xls"), None);
        assert_eq!(Format::from_file_name("csv"), None);
        assert_eq!(Format::from_file_name("notes.txt"), None);
    }

    #[test]
    fn nouns_and_serde_names() {
        let nouns: Vec<_> = Format::ALL.iter().map(|f| f.row_noun()).collect();
        assert_eq!(nouns, ["line", "row", "feature", "placemark"]);
        let json = serde_json::to_string(&Format::ALL).unwrap();
        assert_eq!(json, r#"["csv","xlsx","geo_json","kml"]"#);
        let back: Vec<Format> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Format::ALL);
    }
}
