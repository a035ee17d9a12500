//! KML ↔ table. Reads every `Placemark` (in any Document/Folder nesting) as a row: `name`,
//! `description`, `ExtendedData/Data` and `ExtendedData/SchemaData/SimpleData` become columns,
//! the `Point` becomes `lon` and `lat`. Streaming quick-xml parser; entities other than XML's
//! five and character references are refused, and so is any DOCTYPE. Writes a KML 2.2
//! Document with one Point placemark per row and every other column as `ExtendedData/Data`.

use quick_xml::NsReader;
use quick_xml::XmlVersion;
use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use crate::error::{Axis, ReadError, WriteError};
use crate::format::Format;
use crate::geojson::{coordinate, geo_indices};
use crate::limits::{MAX_XML_DEPTH, count_text};
use crate::table::{
    GeoColumns, KeyedRow, KeyedTableBuilder, Table, check_input_size, check_shape, number_text, point_cells,
};

const KML_NAMESPACES: [&str; 4] = [
    "http://www.opengis.net/kml/2.2",
    "http://earth.google.com/kml/2.2",
    "http://earth.google.com/kml/2.1",
    "http://earth.google.com/kml/2.0",
];

const OTHER_GEOMETRIES: [&str; 6] = ["LineString", "LinearRing", "Polygon", "MultiGeometry", "Model", "Track"];

/// Where the parser is, as far as a placemark's row is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ctx {
    /// Outside any placemark (Document, Folder, …).
    Outside,
    Placemark,
    /// Text to become the cell of this column (`name`, `description`, `value`, `SimpleData`).
    Cell(String),
    ExtendedData,
    Data(String),
    SchemaData,
    Point,
    Coordinates,
    /// Inside something that carries nothing for the row.
    Ignored,
}

/// The placemark being read.
#[derive(Debug)]
struct Current {
    row: KeyedRow,
    points: usize,
    point: Option<(String, String)>,
    other_geometry: Option<String>,
}

fn malformed(detail: impl Into<String>) -> ReadError {
    ReadError::malformed(Format::Kml, detail)
}

/// Reads a KML document (UTF-8): one row per `Placemark`, columns in order of first
/// appearance, then `lon` and `lat`. Text is kept as written (not trimmed); a placemark
/// without exactly one Point is refused, naming its number.
pub fn read_kml(bytes: &[u8]) -> Result<Table, ReadError> {
    check_input_size(Format::Kml, bytes)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        malformed(format!("the file is not UTF-8 text (near line {})", line_of(bytes, e.valid_up_to())))
    })?;
    let mut reader = NsReader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut table = KeyedTableBuilder::new(Format::Kml);
    let mut stack: Vec<Ctx> = Vec::new();
    let mut current: Option<Current> = None;
    let mut placemarks: u64 = 0;
    let mut buffer = String::new();
    let mut seen_root = false;
    loop {
        let at = current.as_ref().map(|c| c.row.at());
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (is_kml(&ns), event),
            Err(e) => {
                let line = line_of(bytes, usize::try_from(reader.error_position()).unwrap_or(usize::MAX));
                return Err(malformed(format!("the XML is malformed near line {line}: {e}")).at_opt(at));
            }
        };
        match event {
            Event::DocType(_) => {
                return Err(ReadError::unsupported(
                    Format::Kml,
                    "the file has a DOCTYPE declaration; KML files with DTDs or entities are refused",
                ));
            }
            Event::Start(e) => {
                let local = e.local_name();
                let name = if ns { local.as_ref() } else { "" };
                let parent = match stack.last() {
                    Some(p) => p,
                    None if name == "kml" => &Ctx::Outside,
                    None => {
                        return Err(malformed(format!(
                            "this is not a KML document: its root element is <{}>, not <kml>",
                            e.name().as_ref()
                        )));
                    }
                };
                let ctx = match (parent, name) {
                    (Ctx::Outside, "Placemark") => {
                        placemarks += 1;
                        current =
                            Some(Current { row: table.row(placemarks)?, points: 0, point: None, other_geometry: None });
                        Ctx::Placemark
                    }
                    (Ctx::Outside, _) => Ctx::Outside,
                    (Ctx::Placemark, "Placemark") => {
                        return Err(malformed("the placemark contains another Placemark").at_opt(at));
                    }
                    (Ctx::Placemark, "name" | "description") => Ctx::Cell(name.to_string()),
                    (Ctx::Placemark, "ExtendedData") => Ctx::ExtendedData,
                    (Ctx::Placemark, "Point") => Ctx::Point,
                    (Ctx::Placemark, g) if OTHER_GEOMETRIES.contains(&g) => {
                        if let Some(c) = current.as_mut() {
                            c.other_geometry.get_or_insert_with(|| g.to_string());
                        }
                        Ctx::Ignored
                    }
                    (Ctx::ExtendedData, "Data") => Ctx::Data(name_attribute(&e, "Data", at)?),
                    (Ctx::ExtendedData, "SchemaData") => Ctx::SchemaData,
                    (Ctx::Data(column), "value") => Ctx::Cell(column.clone()),
                    (Ctx::SchemaData, "SimpleData") => Ctx::Cell(name_attribute(&e, "SimpleData", at)?),
                    (Ctx::Point, "coordinates") => Ctx::Coordinates,
                    _ => Ctx::Ignored,
                };
                seen_root = true;
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(ReadError::too_large(
                        Format::Kml,
                        format!("the XML nests elements more than {} deep", count_text(MAX_XML_DEPTH)),
                    )
                    .at_opt(at));
                }
                if matches!(ctx, Ctx::Cell(_) | Ctx::Coordinates) {
                    buffer.clear();
                }
                stack.push(ctx);
            }
            Event::End(_) => {
                let Some(ctx) = stack.pop() else {
                    return Err(malformed("the XML has a closing tag without an opening one").at_opt(at));
                };
                let Some(c) = current.as_mut() else { continue };
                match ctx {
                    Ctx::Cell(column) => table.set(&mut c.row, &column, std::mem::take(&mut buffer))?,
                    Ctx::Coordinates => c.point = Some(parse_point(&buffer, c.row.at())?),
                    Ctx::Point => c.points += 1,
                    Ctx::Placemark => {
                        if let Some(c) = current.take() {
                            finish_placemark(&mut table, c)?;
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if capturing(&stack) {
                    buffer.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::CData(t) => {
                if capturing(&stack) {
                    buffer.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match resolve_predefined_entity(&r) {
                        Some(s) => s.to_string(),
                        None => {
                            return Err(malformed(format!(
                                "the entity `&{};` is not defined; only XML's own entities are allowed",
                                &*r
                            ))
                            .at_opt(at));
                        }
                    },
                    Err(e) => return Err(malformed(format!("bad character reference `&{};`: {e}", &*r)).at_opt(at)),
                };
                if capturing(&stack) {
                    buffer.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(malformed("the XML ends before all its elements are closed").at_opt(current.map(|c| c.row.at())));
    }
    if !seen_root {
        return Err(malformed("the file has no <kml> element"));
    }
    Ok(table.finish())
}

fn is_kml(ns: &ResolveResult<'_>) -> bool {
    match ns {
        ResolveResult::Unbound => true,
        ResolveResult::Bound(ns) => KML_NAMESPACES.contains(&ns.as_ref()),
        ResolveResult::Unknown(_) => false,
    }
}

fn capturing(stack: &[Ctx]) -> bool {
    matches!(stack.last(), Some(Ctx::Cell(_) | Ctx::Coordinates))
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

fn name_attribute(e: &BytesStart<'_>, element: &str, at: Option<u64>) -> Result<String, ReadError> {
    for attr in e.attributes() {
        let attr =
            attr.map_err(|err| malformed(format!("a {element} element has a bad attribute: {err}")).at_opt(at))?;
        if attr.key.local_name().as_ref() == "name" {
            return attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .map_err(|err| malformed(format!("a {element} element has a bad name: {err}")).at_opt(at));
        }
    }
    Err(malformed(format!("a {element} element has no `name` attribute")).at_opt(at))
}

/// `lon,lat[,alt]`: two or three numbers separated by commas (spaces around them tolerated).
fn parse_point(text: &str, at: u64) -> Result<(String, String), ReadError> {
    let parts: Vec<&str> = text.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()).collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(malformed(format!(
            "the Point's coordinates must be one \"longitude,latitude[,altitude]\", not `{}`",
            text.trim()
        ))
        .at(at));
    }
    match (parts[0].parse::<f64>(), parts[1].parse::<f64>()) {
        (Ok(lon), Ok(lat)) => point_cells(Format::Kml, at, lon, lat),
        _ => Err(malformed(format!("the Point's coordinates `{}` are not numbers", text.trim())).at(at)),
    }
}

fn finish_placemark(table: &mut KeyedTableBuilder, c: Current) -> Result<(), ReadError> {
    let at = c.row.at();
    if let Some(g) = c.other_geometry {
        return Err(ReadError::unsupported(
            Format::Kml,
            format!("geometry is a {g}; only Point placemarks can be imported"),
        )
        .at(at));
    }
    if c.points > 1 {
        return Err(malformed("the placemark has more than one Point").at(at));
    }
    match c.point {
        Some((lon, lat)) => {
            table.push(c.row, lon, lat);
            Ok(())
        }
        None => Err(malformed("the placemark has no Point with coordinates; every placemark needs one").at(at)),
    }
}

/// Characters XML 1.0 cannot carry, even escaped.
fn xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Escapes text content; carriage returns as `&#13;` so XML's newline normalisation keeps them.
fn text(s: &str) -> String {
    escape(s).replace('\r', "&#13;")
}

/// Escapes an attribute value; tab, newline and carriage return as references so attribute
/// normalisation keeps them.
fn attribute(s: &str) -> String {
    escape(s).replace('\t', "&#9;").replace('\n', "&#10;").replace('\r', "&#13;")
}

/// Writes a KML 2.2 Document with one Placemark per row: `<name>` from `geo.name` when given,
/// every column except the point's as `ExtendedData/Data` (the `<name>` column too, unless it
/// is itself called `name`), and the Point from `geo.lon`, `geo.lat`.
pub fn write_kml(table: &Table, geo: &GeoColumns) -> Result<Vec<u8>, WriteError> {
    check_shape(table)?;
    let (lon_i, lat_i) = geo_indices(table, geo, Format::Kml)?;
    let name_i = match &geo.name {
        Some(n) => Some(
            table.headers.iter().position(|h| h == n).ok_or_else(|| WriteError::NoSuchColumn { column: n.clone() })?,
        ),
        None => None,
    };
    // A `<name>` element reads back as column `name`, so a different column of that name
    // would collide with it.
    if let Some(i) = name_i
        && let Some(clash) = table.headers.iter().enumerate().find(|(j, h)| *j != i && h.as_str() == "name")
    {
        return Err(WriteError::ColumnClash {
            format: Format::Kml,
            column: clash.1.clone(),
            what: "the placemark's <name>, which is written from another column",
        });
    }
    let data: Vec<usize> = (0..table.headers.len())
        .filter(|&i| i != lon_i && i != lat_i && !(Some(i) == name_i && table.headers[i] == "name"))
        .collect();
    for &i in &data {
        if table.headers[i].chars().any(xml_forbidden) {
            return Err(WriteError::BadHeader {
                column: table.headers[i].clone(),
                reason: "holds a control character that KML (XML) cannot carry".into(),
            });
        }
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n",
    );
    for (r, row) in table.rows.iter().enumerate() {
        if let Some(c) = row.cells.iter().position(|c| c.chars().any(xml_forbidden)) {
            return Err(WriteError::Unrepresentable {
                row: r + 1,
                column: table.headers[c].clone(),
                reason: "the cell holds a control character that KML (XML) cannot carry".into(),
            });
        }
        let lon = coordinate(&row.cells[lon_i], r + 1, &geo.lon, Axis::Longitude)?;
        let lat = coordinate(&row.cells[lat_i], r + 1, &geo.lat, Axis::Latitude)?;
        out.push_str("  <Placemark>\n");
        if let Some(i) = name_i {
            out.push_str(&format!("    <name>{}</name>\n", text(&row.cells[i])));
        }
        if !data.is_empty() {
            out.push_str("    <ExtendedData>\n");
            for &i in &data {
                out.push_str(&format!(
                    "      <Data name=\"{}\"><value>{}</value></Data>\n",
                    attribute(&table.headers[i]),
                    text(&row.cells[i])
                ));
            }
            out.push_str("    </ExtendedData>\n");
        }
        out.push_str(&format!(
            "    <Point><coordinates>{},{}</coordinates></Point>\n  </Placemark>\n",
            number_text(lon),
            number_text(lat)
        ));
    }
    out.push_str("</Document>\n</kml>\n");
    Ok(out.into_bytes())
}
