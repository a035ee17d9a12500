//! Each writer's exact output, and its refusals.

use std::io::{Cursor, Read};

use onemap_interchange::{
    Axis, Format, GeoColumns, SourceRow, Table, WriteError, write, write_csv, write_geojson, write_kml, write_xlsx,
};

fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, cells)| SourceRow { at: i as u64 + 2, cells: cells.iter().map(|c| c.to_string()).collect() })
            .collect(),
    }
}

fn geo(lon: &str, lat: &str, name: Option<&str>) -> GeoColumns {
    GeoColumns { lon: lon.into(), lat: lat.into(), name: name.map(Into::into) }
}

#[test]
fn csv_is_utf8_with_bom_crlf_quoted_and_neutralised() {
    let t = table(
        &["名称", "备注", "数量", "=header"],
        &[&["通化, 一队", "say \"hi\"", "-3.5", ""], &["=1+1", "多行\n文本", "@x", "－1"]],
    );
    let bytes = write_csv(&t).unwrap();
    let expected = "\u{feff}\"名称\",\"备注\",\"数量\",\"'=header\"\r\n\
                    \"通化, 一队\",\"say \"\"hi\"\"\",-3.5,\r\n\
                    '=1+1,\"多行\n文本\",'@x,'－1\r\n";
    assert_eq!(String::from_utf8(bytes.clone()).unwrap(), expected);
    assert_eq!(write(Format::Csv, &t, None).unwrap(), bytes);
}

#[test]
fn writers_refuse_ragged_tables() {
    let mut t = table(&["a", "b"], &[&["1", "2"], &["3", "4"]]);
    t.rows[1].cells.pop();
    let want = WriteError::RaggedRow { row: 2, cells: 1, headers: 2 };
    assert_eq!(write_csv(&t).unwrap_err(), want);
    assert_eq!(write_xlsx(&t).unwrap_err(), want);
    assert_eq!(write_geojson(&t, &geo("a", "b", None)).unwrap_err(), want);
    assert_eq!(write_kml(&t, &geo("a", "b", None)).unwrap_err(), want);
    assert_eq!(want.to_string(), "row 2 has 1 cells but the table has 2 columns");
}

fn xlsx_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut part = archive.by_name(name).unwrap();
    let mut text = String::new();
    part.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn xlsx_has_a_bold_frozen_header_strings_and_plain_numbers() {
    let long = "通化市东昌区应急管理局防汛抗旱指挥部办公室";
    let t = table(
        &["名称", "数量", "编号", "公式"],
        &[&[long, "2900", "007", "=1+1"], &["甲", "-3.5", "220502199001011234", "@SUM(A1)"]],
    );
    let bytes = write_xlsx(&t).unwrap();
    assert_eq!(write(Format::Xlsx, &t, None).unwrap().len(), bytes.len());
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    // Frozen below the header row.
    assert!(sheet.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#), "{sheet}");
    // Canonical decimals are numbers; "007" and an 18-digit ID stay text; nothing is a formula.
    assert!(sheet.contains(r#"<c r="B2"><v>2900</v></c>"#), "{sheet}");
    assert!(sheet.contains(r#"<c r="B3"><v>-3.5</v></c>"#), "{sheet}");
    assert!(sheet.contains(r#"<c r="C2" t="s">"#), "{sheet}");
    assert!(sheet.contains(r#"<c r="C3" t="s">"#), "{sheet}");
    assert!(!sheet.contains("<f>"), "{sheet}");
    // The header cells carry the bold style.
    let styles = xlsx_part(&bytes, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "{styles}");
    assert!(sheet.contains(r#"<c r="A1" s="1" t="s">"#), "{sheet}");
    // Column A fits 21 Chinese characters (42 widths + 2); B has the minimum.
    assert!(sheet.contains(r#"<col min="1" max="1" width="44.7109375" customWidth="1"/>"#), "{sheet}");
    assert!(sheet.contains(r#"<col min="2" max="2" width="6.7109375" customWidth="1"/>"#), "{sheet}");
    let strings = xlsx_part(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("<t>=1+1</t>"), "{strings}");
}

#[test]
fn geojson_is_a_collection_of_points_with_string_properties() {
    let t = table(
        &["名称", "lon", "容量", "lat"],
        &[&["体育中心 \"东\"", "125.9365", "2900", "41.7349"], &["中学", " 126 ", "", "-0.50"]],
    );
    let bytes = write_geojson(&t, &geo("lon", "lat", Some("名称"))).unwrap();
    let expected = "{\"type\":\"FeatureCollection\",\"features\":[\n\
        {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[125.9365,41.7349]},\"properties\":{\"名称\":\"体育中心 \\\"东\\\"\",\"容量\":\"2900\"}},\n\
        {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[126,-0.5]},\"properties\":{\"名称\":\"中学\",\"容量\":\"\"}}\n\
        ]}\n";
    assert_eq!(String::from_utf8(bytes).unwrap(), expected);
    let empty = write_geojson(&table(&["lon", "lat"], &[]), &geo("lon", "lat", None)).unwrap();
    assert_eq!(String::from_utf8(empty).unwrap(), "{\"type\":\"FeatureCollection\",\"features\":[\n]}\n");
}

#[test]
fn point_writers_refuse_bad_coordinates_and_columns() {
    let t = table(&["名称", "经度", "纬度"], &[&["甲", "125.9", "41.7"], &["乙", "125.9", "北纬41"]]);
    let g = geo("经度", "纬度", None);
    for result in [write_geojson(&t, &g), write_kml(&t, &g)] {
        let e = result.unwrap_err();
        assert_eq!(
            e,
            WriteError::BadCoordinate {
                row: 2, column: "纬度".into(), value: "北纬41".into(), axis: Axis::Latitude
            }
        );
        assert_eq!(e.to_string(), "row 2, column `纬度`: `北纬41` is not a latitude (a number from -90 to 90)");
    }
    let out_of_range = table(&["x", "y"], &[&["181", "0"]]);
    let e = write_geojson(&out_of_range, &geo("x", "y", None)).unwrap_err();
    assert_eq!(e.to_string(), "row 1, column `x`: `181` is not a longitude (a number from -180 to 180)");
    let e = write_kml(&t, &geo("经度", "高度", None)).unwrap_err();
    assert_eq!(e.to_string(), "the table has no column `高度`");
    let clash = table(&["lon", "经度", "纬度"], &[]);
    let e = write_geojson(&clash, &geo("经度", "纬度", None)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "column `lon` clashes with the coordinate column an import adds from the point; rename it before exporting as GeoJSON"
    );
    let e = write(Format::Kml, &t, None).unwrap_err();
    assert_eq!(e.to_string(), "a KML export needs to know which columns hold the longitude and latitude");
}

#[test]
fn kml_is_a_document_of_point_placemarks_with_extended_data() {
    let t = table(&["name", "类型", "lon", "lat"], &[&["A & B <危>", "滑坡\r\n\"重点\"", "125.9601", "41.7188"]]);
    let bytes = write_kml(&t, &geo("lon", "lat", Some("name"))).unwrap();
    let expected = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n\
        \x20 <Placemark>\n\
        \x20   <name>A &amp; B &lt;危&gt;</name>\n\
        \x20   <ExtendedData>\n\
        \x20     <Data name=\"类型\"><value>滑坡&#13;\n&quot;重点&quot;</value></Data>\n\
        \x20   </ExtendedData>\n\
        \x20   <Point><coordinates>125.9601,41.7188</coordinates></Point>\n\
        \x20 </Placemark>\n\
        </Document>\n</kml>\n";
    assert_eq!(String::from_utf8(bytes).unwrap(), expected);
}

#[test]
fn kml_name_from_another_column_is_also_data_and_clashes_are_refused() {
    let t = table(&["名称", "lon", "lat"], &[&["甲", "1", "2"]]);
    let text = String::from_utf8(write_kml(&t, &geo("lon", "lat", Some("名称"))).unwrap()).unwrap();
    assert!(text.contains("<name>甲</name>"), "{text}");
    assert!(text.contains("<Data name=\"名称\"><value>甲</value></Data>"), "{text}");
    let clash = table(&["名称", "name", "lon", "lat"], &[]);
    let e = write_kml(&clash, &geo("lon", "lat", Some("名称"))).unwrap_err();
    assert!(matches!(&e, WriteError::ColumnClash { column, .. } if column == "name"), "{e}");
    let control = table(&["名称", "lon", "lat"], &[&["甲\u{1}", "1", "2"]]);
    let e = write_kml(&control, &geo("lon", "lat", None)).unwrap_err();
    assert_eq!(e.to_string(), "row 1, column `名称`: the cell holds a control character that KML (XML) cannot carry");
}
