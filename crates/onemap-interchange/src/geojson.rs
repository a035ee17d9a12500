//! GeoJSON ↔ table. Reads a FeatureCollection (or one Feature) of Point features: properties
//! become columns in order of first appearance, the point becomes `lon` and `lat`. Writes a
//! FeatureCollection of Points whose properties are the other columns, as strings.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{Axis, ReadError, WriteError};
use crate::format::Format;
use crate::table::{
    GeoColumns, KeyedTableBuilder, LAT, LON, Table, check_input_size, check_shape, number_text, point_cells,
};

/// A JSON value that keeps object members in document order (serde_json's own `Value` sorts
/// them unless a crate-wide feature is switched on).
#[derive(Debug)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Int(_) | Json::UInt(_) | Json::Float(_) => "a number",
            Json::Str(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match *self {
            Json::Int(i) => Some(i as f64),
            Json::UInt(u) => Some(u as f64),
            Json::Float(f) => Some(f),
            _ => None,
        }
    }

    /// A scalar as a cell: strings as they are, numbers shortest (integers without ".0"),
    /// booleans `true`/`false`, null empty. `None` for arrays and objects.
    fn scalar_text(&self) -> Option<String> {
        match self {
            Json::Null => Some(String::new()),
            Json::Bool(b) => Some(b.to_string()),
            Json::Int(i) => Some(i.to_string()),
            Json::UInt(u) => Some(u.to_string()),
            Json::Float(f) => Some(number_text(*f)),
            Json::Str(s) => Some(s.clone()),
            Json::Array(_) | Json::Object(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::UInt(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            members.push((k, v));
        }
        Ok(Json::Object(members))
    }
}

fn malformed(detail: impl Into<String>) -> ReadError {
    ReadError::malformed(Format::GeoJson, detail)
}

/// Reads a GeoJSON FeatureCollection, or a single Feature, of Point features. Columns are the
/// property names in order of first appearance, then `lon` and `lat` from the point. Property
/// values: strings as they are, numbers shortest (integers without ".0"), booleans
/// `true`/`false`, null empty, arrays of scalars joined with `;`; objects are refused.
pub fn read_geojson(bytes: &[u8]) -> Result<Table, ReadError> {
    check_input_size(Format::GeoJson, bytes)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Json = serde_json::from_slice(bytes).map_err(|e| {
        malformed(format!("the file is not valid JSON (line {}, column {}): {e}", e.line(), e.column()))
    })?;
    let features: Vec<&Json> = match doc.get("type") {
        Some(Json::Str(t)) if t == "FeatureCollection" => match doc.get("features") {
            Some(Json::Array(items)) => items.iter().collect(),
            Some(other) => return Err(malformed(format!("`features` is {}, not an array", other.kind()))),
            None => return Err(malformed("the FeatureCollection has no `features` array")),
        },
        Some(Json::Str(t)) if t == "Feature" => vec![&doc],
        Some(Json::Str(t)) if GEOMETRY_TYPES.contains(&t.as_str()) => {
            return Err(ReadError::unsupported(
                Format::GeoJson,
                format!("the file is a bare {t} geometry; only a FeatureCollection of Point features can be imported"),
            ));
        }
        _ => return Err(malformed("the file is not a GeoJSON FeatureCollection or Feature (no such `type`)")),
    };
    let mut table = KeyedTableBuilder::new(Format::GeoJson);
    for (i, feature) in features.into_iter().enumerate() {
        let at = i as u64 + 1;
        let mut row = table.row(at)?;
        if !matches!(feature.get("type"), Some(Json::Str(t)) if t == "Feature") {
            return Err(malformed("this is not a Feature (its `type` must be \"Feature\")").at(at));
        }
        match feature.get("properties") {
            None | Some(Json::Null) => {}
            Some(Json::Object(props)) => {
                for (name, value) in props {
                    let text = property_text(value).map_err(|d| malformed(d).at(at).column(name.clone()))?;
                    table.set(&mut row, name, text)?;
                }
            }
            Some(other) => return Err(malformed(format!("`properties` is {}, not an object", other.kind())).at(at)),
        }
        let (lon, lat) = point(feature.get("geometry"), at)?;
        table.push(row, lon, lat);
    }
    Ok(table.finish())
}

const GEOMETRY_TYPES: [&str; 7] =
    ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"];

fn property_text(value: &Json) -> Result<String, String> {
    if let Some(text) = value.scalar_text() {
        return Ok(text);
    }
    match value {
        Json::Array(items) => {
            let parts: Option<Vec<String>> = items.iter().map(Json::scalar_text).collect();
            parts.map(|p| p.join(";")).ok_or_else(|| {
                "the value is a list holding lists or objects; only a list of plain values can be imported".to_string()
            })
        }
        _ => Err(format!("the value is {}; only plain values and lists of them can be imported", value.kind())),
    }
}

fn point(geometry: Option<&Json>, at: u64) -> Result<(String, String), ReadError> {
    let geometry = match geometry {
        None | Some(Json::Null) => {
            return Err(malformed("the feature has no geometry; every feature needs a Point").at(at));
        }
        Some(g) => g,
    };
    match geometry.get("type") {
        Some(Json::Str(t)) if t == "Point" => {}
        Some(Json::Str(t)) if GEOMETRY_TYPES.contains(&t.as_str()) => {
            return Err(ReadError::unsupported(
                Format::GeoJson,
                format!("geometry is a {t}; only Point features can be imported"),
            )
            .at(at));
        }
        _ => return Err(malformed("the geometry has no valid GeoJSON `type`").at(at)),
    }
    let coords = match geometry.get("coordinates") {
        Some(Json::Array(c)) if c.len() >= 2 => c,
        _ => return Err(malformed("the Point's `coordinates` must be [longitude, latitude]").at(at)),
    };
    match (coords[0].as_f64(), coords[1].as_f64()) {
        (Some(lon), Some(lat)) => point_cells(Format::GeoJson, at, lon, lat),
        _ => Err(malformed("the Point's coordinates must be numbers").at(at)),
    }
}

/// Writes a FeatureCollection with one Point feature per row, the point from `geo.lon` and
/// `geo.lat` (parsed as numbers; a bad value is refused naming row and column) and every other
/// column as a string property, in column order. `geo.name` is ignored.
pub fn write_geojson(table: &Table, geo: &GeoColumns) -> Result<Vec<u8>, WriteError> {
    check_shape(table)?;
    let (lon_i, lat_i) = geo_indices(table, geo, Format::GeoJson)?;
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for (r, row) in table.rows.iter().enumerate() {
        let lon = coordinate(row.cells[lon_i].as_str(), r + 1, &geo.lon, Axis::Longitude)?;
        let lat = coordinate(row.cells[lat_i].as_str(), r + 1, &geo.lat, Axis::Latitude)?;
        out.push_str(if r == 0 { "\n" } else { ",\n" });
        out.push_str("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[");
        out.push_str(&format!("{},{}", number_text(lon), number_text(lat)));
        out.push_str("]},\"properties\":{");
        let props = table.headers.iter().zip(&row.cells).enumerate().filter(|(i, _)| *i != lon_i && *i != lat_i);
        for (n, (_, (name, value))) in props.enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str(&json_string(name));
            out.push(':');
            out.push_str(&json_string(value));
        }
        out.push_str("}}");
    }
    out.push_str("\n]}\n");
    Ok(out.into_bytes())
}

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The positions of the point's columns, refusing other columns that the reader would take
/// for the point (`lon`, `lat`).
pub(crate) fn geo_indices(table: &Table, geo: &GeoColumns, format: Format) -> Result<(usize, usize), WriteError> {
    let find = |name: &str| {
        table
            .headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| WriteError::NoSuchColumn { column: name.to_string() })
    };
    let (lon_i, lat_i) = (find(&geo.lon)?, find(&geo.lat)?);
    for (i, h) in table.headers.iter().enumerate() {
        if i != lon_i && i != lat_i && (h == LON || h == LAT) {
            return Err(WriteError::ColumnClash {
                format,
                column: h.clone(),
                what: "the coordinate column an import adds from the point",
            });
        }
    }
    Ok((lon_i, lat_i))
}

/// A cell parsed as a coordinate, range-checked.
pub(crate) fn coordinate(cell: &str, row: usize, column: &str, axis: Axis) -> Result<f64, WriteError> {
    let limit = match axis {
        Axis::Longitude => 180.0,
        Axis::Latitude => 90.0,
    };
    match cell.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= limit => Ok(v),
        _ => Err(WriteError::BadCoordinate { row, column: column.to_string(), value: cell.to_string(), axis }),
    }
}
