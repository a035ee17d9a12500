//! The DoS limits: each breach is `import.too_large`, naming the limit and where.

use onemap_interchange::limits::{MAX_CELL_BYTES, MAX_COLUMNS, MAX_INPUT_BYTES, MAX_ROWS, MAX_XML_DEPTH};
use onemap_interchange::{Format, ReadError, Table, read, read_csv, read_geojson, read_kml, read_xlsx};
use rust_xlsxwriter::Workbook;

#[track_caller]
fn too_large(result: Result<Table, ReadError>) -> ReadError {
    let e = result.expect_err("expected import.too_large");
    assert_eq!(e.code(), "import.too_large", "{e}");
    e
}

#[test]
fn input_larger_than_64_mib_is_refused_by_every_reader() {
    let bytes = vec![b' '; MAX_INPUT_BYTES + 1];
    for format in Format::ALL {
        let e = too_large(read(format, &bytes));
        assert_eq!(e.to_string(), "the file is 67108865 bytes; files larger than 64 MiB cannot be imported, split it");
    }
}

#[test]
fn csv_rows_up_to_the_limit() {
    let mut text = String::from("n\n");
    for i in 0..MAX_ROWS {
        text.push_str(&format!("{i}\n"));
    }
    let t = read_csv(text.as_bytes()).unwrap();
    assert_eq!(t.rows.len(), MAX_ROWS);
    assert_eq!(t.rows.last().map(|r| r.at), Some(MAX_ROWS as u64 + 1));
    text.push_str("one more\n");
    let e = too_large(read_csv(text.as_bytes()));
    assert_eq!(e.to_string(), "line 200002: the file has more than 200,000 lines; split it");
}

#[test]
fn columns_up_to_the_limit() {
    let header = |n: usize| (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    assert_eq!(read_csv(header(MAX_COLUMNS).as_bytes()).unwrap().headers.len(), MAX_COLUMNS);
    let e = too_large(read_csv(header(MAX_COLUMNS + 1).as_bytes()));
    assert_eq!(e.to_string(), "line 1: the header has 257 columns; at most 256 can be imported");

    // GeoJSON and KML count the lon and lat columns they add.
    let props = |n: usize| (0..n).map(|i| format!("\"p{i}\":1")).collect::<Vec<_>>().join(",");
    let feature = |n: usize| {
        format!(
            r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[1,2]}},"properties":{{{}}}}}"#,
            props(n)
        )
    };
    assert_eq!(read_geojson(feature(MAX_COLUMNS - 2).as_bytes()).unwrap().headers.len(), MAX_COLUMNS);
    let e = too_large(read_geojson(feature(MAX_COLUMNS - 1).as_bytes()));
    assert_eq!(e.to_string(), "feature 1, column `p254`: the file has more than 256 columns (counting lon and lat)");

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for c in 0..=MAX_COLUMNS as u16 {
        sheet.write_string(0, c, format!("c{c}")).unwrap();
    }
    let e = too_large(read_xlsx(&book.save_to_buffer().unwrap(), None));
    assert_eq!(
        e.to_string(),
        "row 1, column `IW`: the sheet uses columns A to IW; at most 256 columns can be imported"
    );
}

#[test]
fn cells_up_to_the_limit() {
    let csv = |n: usize| format!("名称,备注\n甲,{}\n", "x".repeat(n));
    assert_eq!(read_csv(csv(MAX_CELL_BYTES).as_bytes()).unwrap().rows[0].cells[1].len(), MAX_CELL_BYTES);
    let e = too_large(read_csv(csv(MAX_CELL_BYTES + 1).as_bytes()));
    assert_eq!(e.to_string(), "line 2, column `备注`: the cell holds 65537 bytes; a cell may hold at most 64 KiB");

    let kml = format!(
        "<kml><Placemark><description>{}</description><Point><coordinates>1,2</coordinates></Point></Placemark></kml>",
        "通".repeat(MAX_CELL_BYTES / 3 + 1)
    );
    let e = too_large(read_kml(kml.as_bytes()));
    assert_eq!(
        e.to_string(),
        "placemark 1, column `description`: the cell holds 65538 bytes; a cell may hold at most 64 KiB"
    );

    // An Excel cell holds up to 32,767 characters, which in Chinese is more than 64 KiB of UTF-8.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "备注").unwrap();
    sheet.write_string(3, 0, "通".repeat(30_000)).unwrap();
    let e = too_large(read_xlsx(&book.save_to_buffer().unwrap(), None));
    assert_eq!(e.to_string(), "row 4, column `备注`: the cell holds 90000 bytes; a cell may hold at most 64 KiB");
}

#[test]
fn geojson_features_up_to_the_limit() {
    let feature = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}"#;
    let collection =
        |n: usize| format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, vec![feature; n].join(","));
    assert_eq!(read_geojson(collection(MAX_ROWS).as_bytes()).unwrap().rows.len(), MAX_ROWS);
    let e = too_large(read_geojson(collection(MAX_ROWS + 1).as_bytes()));
    assert_eq!(e.to_string(), "feature 200001: the file has more than 200,000 features; split it");
}

#[test]
fn kml_nesting_up_to_the_limit() {
    let placemark = "<Placemark><Point><coordinates>1,2</coordinates></Point></Placemark>";
    // <kml> and <Document> are two levels; the placemark's own elements three more.
    let nested = |folders: usize| {
        format!(
            "<kml><Document>{}{placemark}{}</Document></kml>",
            "<Folder>".repeat(folders),
            "</Folder>".repeat(folders)
        )
    };
    assert_eq!(read_kml(nested(MAX_XML_DEPTH - 5).as_bytes()).unwrap().rows.len(), 1);
    let e = too_large(read_kml(nested(MAX_XML_DEPTH - 4).as_bytes()));
    assert_eq!(e.to_string(), "placemark 1: the XML nests elements more than 1,000 deep");
    let e = too_large(read_kml(format!("<kml>{}", "<a>".repeat(1_000_000)).as_bytes()));
    assert_eq!(e.to_string(), "the XML nests elements more than 1,000 deep");
}
