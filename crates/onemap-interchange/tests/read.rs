//! Each reader on good input (exact tables) and on each documented error (the message names
//! the line / row / feature / placemark and the column).

use std::io::{Cursor, Read, Write};

use onemap_interchange::{Format, ReadError, SourceRow, Table, read, read_csv, read_geojson, read_kml, read_xlsx};
use rust_xlsxwriter::{ExcelDateTime, Formula, Workbook};

fn row(at: u64, cells: &[&str]) -> SourceRow {
    SourceRow { at, cells: cells.iter().map(|c| c.to_string()).collect() }
}

fn table(headers: &[&str], rows: Vec<SourceRow>) -> Table {
    Table { headers: headers.iter().map(|h| h.to_string()).collect(), rows }
}

#[track_caller]
fn error(result: Result<Table, ReadError>) -> ReadError {
    match result {
        Ok(t) => panic!("expected an error, got {t:?}"),
        Err(e) => e,
    }
}

#[track_caller]
fn assert_error(e: &ReadError, code: &str, at: Option<u64>, column: Option<&str>, message: &str) {
    assert_eq!(e.code(), code, "{e}");
    assert_eq!(e.at, at, "{e}");
    assert_eq!(e.column.as_deref(), column, "{e}");
    assert_eq!(e.to_string(), message);
}

// ---------------------------------------------------------------------------------------- CSV

#[test]
fn csv_registry_with_bom_crlf_quotes_and_lists() {
    let bytes = "\u{feff}名称,类型,装备,经度,纬度\r\n\
                 通化市消防救援支队,消防,冲锋舟;救生衣,125.9398,41.7283\r\n\
                 \"东昌区应急救援队（东昌,二队）\",综合,\"发电机 \"\"大\"\"\",125.9512,41.7218\r\n";
    let t = read_csv(bytes.as_bytes()).unwrap();
    assert_eq!(
        t,
        table(
            &["名称", "类型", "装备", "经度", "纬度"],
            vec![
                row(2, &["通化市消防救援支队", "消防", "冲锋舟;救生衣", "125.9398", "41.7283"]),
                row(3, &["东昌区应急救援队（东昌,二队）", "综合", "发电机 \"大\"", "125.9512", "41.7218"]),
            ]
        )
    );
    assert_eq!(read(Format::Csv, bytes.as_bytes()).unwrap(), t);
}

#[test]
fn csv_in_gbk_as_chinese_excel_saves_it() {
    let text = "场所名称,容量,设施\r\n通化市体育中心,2900,饮用水;医疗点\r\n";
    let (gbk, _, lossy) = encoding_rs::GBK.encode(text);
    assert!(!lossy);
    assert!(std::str::from_utf8(&gbk).is_err(), "the test needs bytes that are not UTF-8");
    let t = read_csv(&gbk).unwrap();
    assert_eq!(t, table(&["场所名称", "容量", "设施"], vec![row(2, &["通化市体育中心", "2900", "饮用水;医疗点"])]));
}

#[test]
fn csv_in_utf16_with_bom_as_excel_unicode_text() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "名称\t人数\r\n通化市救援队\t120\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let t = read_csv(&bytes).unwrap();
    assert_eq!(t, table(&["名称", "人数"], vec![row(2, &["通化市救援队", "120"])]));
}

#[test]
fn csv_bytes_in_no_known_encoding_name_the_line() {
    let e = error(read_csv(b"name,x\r\nok,1\r\n\xFF\xFE\xFD,1\r\n"));
    assert_error(
        &e,
        "import.malformed",
        Some(3),
        None,
        "line 3: the text is neither UTF-8 nor GB18030/GBK; save the file as \"CSV UTF-8\" and import it again",
    );
}

#[test]
fn csv_delimiter_is_detected_from_the_header() {
    let semi = read_csv("仓库;物资;单价\n储备库;棉被;85,5\n".as_bytes()).unwrap();
    assert_eq!(semi, table(&["仓库", "物资", "单价"], vec![row(2, &["储备库", "棉被", "85,5"])]));
    let tab = read_csv("姓名\t专业\n王建国\t地质;滑坡\n".as_bytes()).unwrap();
    assert_eq!(tab, table(&["姓名", "专业"], vec![row(2, &["王建国", "地质;滑坡"])]));
    // A comma anywhere in the header wins, even if the header has semicolons too.
    let comma = read_csv("a;b,c\n1;2,3\n".as_bytes()).unwrap();
    assert_eq!(comma, table(&["a;b", "c"], vec![row(2, &["1;2", "3"])]));
    // Separators inside a quoted header do not count.
    let quoted = read_csv("\"a,b\";c\n1;2\n".as_bytes()).unwrap();
    assert_eq!(quoted, table(&["a,b", "c"], vec![row(2, &["1", "2"])]));
}

#[test]
fn csv_line_numbers_count_physical_lines() {
    let bytes = "\r\n名称,备注\r\n\"甲\",\"第一行\r\n第二行\"\r\n\r\n,,\r\n乙,\r\n丙\r\n";
    let t = read_csv(bytes.as_bytes()).unwrap();
    assert_eq!(
        t,
        table(&["名称", "备注"], vec![row(3, &["甲", "第一行\r\n第二行"]), row(7, &["乙", ""]), row(8, &["丙", ""])])
    );
    // Old Mac line ends (a lone CR) count as lines too.
    let t = read_csv(b"a,b\r1,2\r3,4\r").unwrap();
    assert_eq!(t, table(&["a", "b"], vec![row(2, &["1", "2"]), row(3, &["3", "4"])]));
    // A header-only file is an empty table.
    assert_eq!(read_csv(b"a,b\n").unwrap(), table(&["a", "b"], vec![]));
}

#[test]
fn csv_keeps_spaces_and_drops_only_line_end_carriage_returns() {
    let t = read_csv(b"a,b\n 1 ,x\r\n\" q\r\",2\n").unwrap();
    assert_eq!(t, table(&["a", "b"], vec![row(2, &[" 1 ", "x"]), row(3, &[" q\r", "2"])]));
}

#[test]
fn csv_row_longer_than_the_header_names_its_line_and_column() {
    let e = error(read_csv("名称,经度,纬度\n短,125.9\n长,125.9,41.7,多余\n".as_bytes()));
    assert_error(
        &e,
        "import.malformed",
        Some(3),
        Some("#4"),
        "line 3, column `#4`: the row has 4 cells but the header has only 3 columns",
    );
}

#[test]
fn csv_duplicate_and_empty_headers_name_the_column() {
    let e = error(read_csv("名称,经度,名称\n".as_bytes()));
    assert_error(
        &e,
        "import.malformed",
        Some(1),
        Some("名称"),
        "line 1, column `名称`: the header appears twice (columns #1 and #3)",
    );
    let e = error(read_csv(b"\nname,,lat\n"));
    assert_error(
        &e,
        "import.malformed",
        Some(2),
        Some("#2"),
        "line 2, column `#2`: the header is empty; every column needs a name",
    );
}

#[test]
fn csv_without_a_header_is_refused() {
    for empty in [&b""[..], b"\xEF\xBB\xBF", b"\r\n\r\n", b",,,\n"] {
        let e = error(read_csv(empty));
        assert_error(&e, "import.malformed", None, None, "the file is empty; its first line must name the columns");
    }
}

// --------------------------------------------------------------------------------------- XLSX

fn workbook(build: impl FnOnce(&mut Workbook) -> Result<(), rust_xlsxwriter::XlsxError>) -> Vec<u8> {
    let mut book = Workbook::new();
    build(&mut book).unwrap();
    book.save_to_buffer().unwrap()
}

/// A workbook whose first sheet's XML is replaced by `sheet_data` inside `<sheetData>`.
fn workbook_with_sheet_data(sheet_data: &str) -> Vec<u8> {
    let base = workbook(|b| {
        b.add_worksheet().write_string(0, 0, "x")?;
        Ok(())
    });
    let mut archive = zip::ZipArchive::new(Cursor::new(base)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            bytes = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
                 <sheetData>{sheet_data}</sheetData></worksheet>"
            )
            .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn xlsx_cells_become_text() {
    let bytes = workbook(|b| {
        let s = b.add_worksheet();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        let datetime = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let time = rust_xlsxwriter::Format::new().set_num_format("hh:mm:ss");
        for (c, h) in ["名称", "人数", "比例", "值班", "成立", "集结", "时刻", "金额"].iter().enumerate()
        {
            s.write_string(0, c as u16, *h)?;
        }
        s.write_string(1, 0, "通化市消防救援支队")?;
        s.write_number(1, 1, 2900.0)?;
        s.write_number(1, 2, 0.1 + 0.2)?;
        s.write_boolean(1, 3, true)?;
        s.write_datetime_with_format(1, 4, &ExcelDateTime::from_ymd(2026, 11, 23)?, &date)?;
        s.write_datetime_with_format(1, 5, &ExcelDateTime::from_ymd(2026, 11, 23)?.and_hms(8, 30, 0)?, &datetime)?;
        s.write_datetime_with_format(1, 6, &ExcelDateTime::from_hms(8, 30, 0)?, &time)?;
        // The cached value is read; the formula is never evaluated (it would give 5800).
        s.write_formula(1, 7, Formula::new("=B2*2").set_result("42"))?;
        s.write_string(2, 0, "=HYPERLINK(\"x\")")?;
        s.write_number(2, 1, -3.5)?;
        s.write_boolean(2, 3, false)?;
        Ok(())
    });
    let t = read_xlsx(&bytes, None).unwrap();
    assert_eq!(
        t,
        table(
            &["名称", "人数", "比例", "值班", "成立", "集结", "时刻", "金额"],
            vec![
                row(
                    2,
                    &[
                        "通化市消防救援支队",
                        "2900",
                        "0.30000000000000004",
                        "true",
                        "2026-11-23",
                        "2026-11-23T08:30:00",
                        "08:30:00",
                        "42",
                    ]
                ),
                row(3, &["=HYPERLINK(\"x\")", "-3.5", "", "false", "", "", "", ""]),
            ]
        )
    );
    assert_eq!(read(Format::Xlsx, &bytes).unwrap(), t);
}

#[test]
fn xlsx_header_is_the_first_row_with_a_value_and_rows_keep_sheet_numbers() {
    let bytes = workbook(|b| {
        let notes = b.add_worksheet().set_name("说明")?;
        notes.write_string(0, 0, "填写说明")?;
        notes.set_hidden(true);
        let s = b.add_worksheet().set_name("避难场所")?;
        s.set_active(true);
        s.write_string(2, 1, "场所")?;
        s.write_string(2, 2, "容量")?;
        s.write_string(3, 1, "体育中心")?;
        s.write_number(3, 2, 2900)?;
        s.write_string(6, 1, "第一中学")?;
        let third = b.add_worksheet().set_name("库存")?;
        third.write_string(0, 0, "物资")?;
        third.write_string(1, 0, "棉被")?;
        Ok(())
    });
    // The hidden first sheet is skipped; B3 is the header; empty rows are skipped.
    let t = read_xlsx(&bytes, None).unwrap();
    assert_eq!(t, table(&["场所", "容量"], vec![row(4, &["体育中心", "2900"]), row(7, &["第一中学", ""])]));
    let t = read_xlsx(&bytes, Some("库存")).unwrap();
    assert_eq!(t, table(&["物资"], vec![row(2, &["棉被"])]));
    let e = error(read_xlsx(&bytes, Some("队伍")));
    assert_error(
        &e,
        "import.malformed",
        None,
        None,
        "the workbook has no worksheet named `队伍`; it has: 说明, 避难场所, 库存",
    );
}

#[test]
fn xlsx_error_cell_names_row_and_column_header() {
    let bytes = workbook(|b| {
        let s = b.add_worksheet();
        s.write_string(0, 0, "名称")?;
        s.write_string(0, 1, "人均")?;
        s.write_string(1, 0, "集安市救援队")?;
        s.write_formula(4, 1, Formula::new("=1/0").set_result("#DIV/0!"))?;
        Ok(())
    });
    let e = error(read_xlsx(&bytes, None));
    assert_error(
        &e,
        "import.malformed",
        Some(5),
        Some("人均"),
        "row 5, column `人均`: the cell holds the Excel error #DIV/0!; fix or clear it and import again",
    );
}

#[test]
fn xlsx_value_under_no_header_names_the_column_letter() {
    let bytes = workbook(|b| {
        let s = b.add_worksheet();
        s.write_string(0, 0, "名称")?;
        s.write_string(1, 0, "甲")?;
        s.write_string(1, 2, "无表头")?;
        Ok(())
    });
    let e = error(read_xlsx(&bytes, None));
    assert_error(
        &e,
        "import.malformed",
        Some(1),
        Some("B"),
        "row 1, column `B`: the header is empty; every column needs a name",
    );
}

#[test]
fn xlsx_that_is_not_a_workbook() {
    let e = error(read_xlsx(b"name,lat\n", None));
    assert_eq!(e.code(), "import.malformed");
    assert!(e.to_string().starts_with("the file is not a readable XLSX workbook"), "{e}");
    let e = error(read_xlsx(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old excel", None));
    assert_eq!(e.code(), "import.unsupported");
    assert!(e.to_string().contains("old .xls workbook or a password-protected one"), "{e}");
    let e = error(read_xlsx(
        &workbook(|b| {
            b.add_worksheet();
            Ok(())
        }),
        None,
    ));
    assert_error(&e, "import.malformed", None, None, "the sheet is empty; its first row must name the columns");
}

#[test]
fn xlsx_inline_and_shared_strings_and_cell_positions_from_raw_xml() {
    let bytes = workbook_with_sheet_data(
        "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>名称</t></is></c><c r=\"C2\" t=\"inlineStr\"><is><t>数量</t></is></c></row>\
         <row r=\"5\"><c r=\"C5\"><v>12</v></c><c r=\"B5\" t=\"s\"><v>0</v></c></row>",
    );
    // Shared string 0 is the "x" the base workbook wrote; cells out of order are placed by `r`.
    let t = read_xlsx(&bytes, None).unwrap();
    assert_eq!(t, table(&["名称", "数量"], vec![row(5, &["x", "12"])]));
}

#[test]
fn xlsx_absurd_cell_reference_is_an_error_not_a_panic() {
    // calamine's cell-reference arithmetic overflows on this (a panic in debug builds); the
    // reader contains it.
    let bytes = workbook_with_sheet_data("<row><c r=\"A99999999999\" t=\"s\"><v>0</v></c></row>");
    match read_xlsx(&bytes, None) {
        Err(e) => assert_eq!(e.code(), "import.malformed"),
        Ok(t) if cfg!(debug_assertions) => panic!("a debug build should refuse it, got {t:?}"),
        Ok(_) => {}
    }
}

#[test]
fn xlsx_far_apart_cells_are_refused_without_a_dense_grid() {
    let bytes = workbook_with_sheet_data(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>\
         <row r=\"1048576\"><c r=\"XFD1048576\" t=\"s\"><v>0</v></c></row>",
    );
    let e = error(read_xlsx(&bytes, None));
    assert_error(
        &e,
        "import.too_large",
        Some(1_048_576),
        Some("XFD"),
        "row 1048576, column `XFD`: the sheet uses columns A to XFD; at most 256 columns can be imported",
    );
}

// ------------------------------------------------------------------------------------ GeoJSON

const FC_HEAD: &str = r#"{"type":"FeatureCollection","features":["#;

fn point_feature(props: &str, lon: &str, lat: &str) -> String {
    format!(r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},"properties":{props}}}"#)
}

fn collection(features: &[String]) -> Vec<u8> {
    format!("{FC_HEAD}{}]}}", features.join(",")).into_bytes()
}

#[test]
fn geojson_properties_become_columns_in_order_of_first_appearance() {
    let bytes = collection(&[
        point_feature(
            r#"{"名称":"通化市体育中心","容量":2900,"设施":["饮用水","医疗点",3,true,null],"开放":true,"备注":null}"#,
            "125.9365",
            "41.7349",
        ),
        point_feature(r#"{"面积":12.5,"名称":"东昌区第一中学","容量":850.0,"大数":1e21}"#, "125.9471", "41.7251,380"),
        point_feature("null", "126", "-0.5"),
    ]);
    let t = read_geojson(&bytes).unwrap();
    assert_eq!(
        t,
        table(
            &["名称", "容量", "设施", "开放", "备注", "面积", "大数", "lon", "lat"],
            vec![
                row(1, &["通化市体育中心", "2900", "饮用水;医疗点;3;true;", "true", "", "", "", "125.9365", "41.7349"]),
                row(2, &["东昌区第一中学", "850", "", "", "", "12.5", "1000000000000000000000", "125.9471", "41.7251"]),
                row(3, &["", "", "", "", "", "", "", "126", "-0.5"]),
            ]
        )
    );
    assert_eq!(read(Format::GeoJson, &bytes).unwrap(), t);
}

#[test]
fn geojson_single_feature_with_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(point_feature(r#"{"名称":"甲"}"#, "125.9", "41.7").as_bytes());
    assert_eq!(read_geojson(&bytes).unwrap(), table(&["名称", "lon", "lat"], vec![row(1, &["甲", "125.9", "41.7"])]));
    let empty = read_geojson(br#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    assert_eq!(empty, table(&["lon", "lat"], vec![]));
}

#[test]
fn geojson_non_point_geometry_names_the_feature_and_type() {
    let bytes = collection(&[
        point_feature("{}", "125.9", "41.7"),
        point_feature("{}", "125.9", "41.7"),
        r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[125.9,41.7],[126,41.8]]},"properties":{}}"#.into(),
    ]);
    let e = error(read_geojson(&bytes));
    assert_error(
        &e,
        "import.unsupported",
        Some(3),
        None,
        "feature 3: geometry is a LineString; only Point features can be imported",
    );
}

#[test]
fn geojson_feature_errors_name_feature_and_property() {
    let cases: [(String, &str, Option<&str>, &str); 7] = [
        (
            point_feature(r#"{"联系人":{"姓名":"王"}}"#, "125.9", "41.7"),
            "import.malformed",
            Some("联系人"),
            "feature 2, column `联系人`: the value is an object; only plain values and lists of them can be imported",
        ),
        (
            point_feature(r#"{"设施":[["a"]]}"#, "125.9", "41.7"),
            "import.malformed",
            Some("设施"),
            "feature 2, column `设施`: the value is a list holding lists or objects; only a list of plain values can be imported",
        ),
        (
            point_feature(r#"{"lat":41.7}"#, "125.9", "41.7"),
            "import.malformed",
            Some("lat"),
            "feature 2, column `lat`: `lat` clashes with the coordinate column the importer adds from the point",
        ),
        (
            point_feature("{}", "125.9", "91"),
            "import.malformed",
            Some("lat"),
            "feature 2, column `lat`: latitude 91 is not a number from -90 to 90",
        ),
        (
            point_feature("{}", "-180.5", "41"),
            "import.malformed",
            Some("lon"),
            "feature 2, column `lon`: longitude -180.5 is not a number from -180 to 180",
        ),
        (
            r#"{"type":"Feature","geometry":null,"properties":{}}"#.into(),
            "import.malformed",
            None,
            "feature 2: the feature has no geometry; every feature needs a Point",
        ),
        (
            point_feature(r#"{"a":1,"a":2}"#, "125.9", "41.7"),
            "import.malformed",
            Some("a"),
            "feature 2, column `a`: the value is given twice",
        ),
    ];
    for (feature, code, column, message) in cases {
        let bytes = collection(&[point_feature(r#"{"a":"ok"}"#, "125.9", "41.7"), feature]);
        let e = error(read_geojson(&bytes));
        assert_error(&e, code, Some(2), column, message);
    }
}

#[test]
fn geojson_that_is_not_a_feature_collection() {
    let e = error(read_geojson(br#"{"type":"Point","coordinates":[125.9,41.7]}"#));
    assert_error(
        &e,
        "import.unsupported",
        None,
        None,
        "the file is a bare Point geometry; only a FeatureCollection of Point features can be imported",
    );
    let e = error(read_geojson(br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,1]}}]}"#));
    assert_eq!(e.code(), "import.malformed");
    assert!(e.to_string().starts_with("the file is not valid JSON (line 1, column "), "{e}");
    let e = error(read_geojson(br#"{"features":[]}"#));
    assert_eq!(e.to_string(), "the file is not a GeoJSON FeatureCollection or Feature (no such `type`)");
    let nested = format!(r#"{{"type":"Feature","properties":{{"a":{}{}}}}}"#, "[".repeat(500), "]".repeat(500));
    let e = error(read_geojson(nested.as_bytes()));
    assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
}

// ---------------------------------------------------------------------------------------- KML

const KML_OPEN: &str =
    r#"<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>"#;
const KML_CLOSE: &str = "</Document></kml>";

fn kml(body: &str) -> Vec<u8> {
    format!("{KML_OPEN}{body}{KML_CLOSE}").into_bytes()
}

#[test]
fn kml_placemarks_in_nested_folders_become_rows() {
    let bytes = kml(r##"<name>通化市隐患点</name><Folder><name>地质灾害</name><Folder>
        <Placemark id="p1"><name>江东滑坡 &amp; 崩塌</name>
          <description><![CDATA[<b>重点</b> 监测]]></description>
          <styleUrl>#red</styleUrl>
          <ExtendedData><Data name="类型"><displayName>类</displayName><value>滑坡</value></Data>
            <Data name="措施"><value>监测;搬迁</value></Data></ExtendedData>
          <Point><extrude>0</extrude><coordinates> 125.9601,41.7188,0 </coordinates></Point>
        </Placemark></Folder></Folder>
        <Placemark><name>储罐区</name>
          <ExtendedData><SchemaData schemaUrl="#s"><SimpleData name="物质">液氨&#x3B;硫酸</SimpleData>
          <SimpleData name="类型">危化品</SimpleData></SchemaData></ExtendedData>
          <Point><coordinates>125.9284,41.7402</coordinates></Point>
        </Placemark>"##);
    let t = read_kml(&bytes).unwrap();
    assert_eq!(
        t,
        table(
            &["name", "description", "类型", "措施", "物质", "lon", "lat"],
            vec![
                row(1, &["江东滑坡 & 崩塌", "<b>重点</b> 监测", "滑坡", "监测;搬迁", "", "125.9601", "41.7188"]),
                row(2, &["储罐区", "", "危化品", "", "液氨;硫酸", "125.9284", "41.7402"]),
            ]
        )
    );
    assert_eq!(read(Format::Kml, &bytes).unwrap(), t);
}

#[test]
fn kml_with_a_prefix_or_no_namespace_and_foreign_elements() {
    let prefixed = r#"<k:kml xmlns:k="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><k:Placemark>
        <k:name>甲</k:name><gx:name>not this</gx:name><k:Point><k:coordinates>125.9,41.7</k:coordinates></k:Point>
        </k:Placemark></k:kml>"#;
    let t = read_kml(prefixed.as_bytes()).unwrap();
    assert_eq!(t, table(&["name", "lon", "lat"], vec![row(1, &["甲", "125.9", "41.7"])]));
    let bare = "<kml><Placemark><Point><coordinates>126,42</coordinates></Point></Placemark></kml>";
    assert_eq!(read_kml(bare.as_bytes()).unwrap(), table(&["lon", "lat"], vec![row(1, &["126", "42"])]));
}

#[test]
fn kml_doctype_is_refused_before_any_entity() {
    let bytes = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE kml [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>{KML_OPEN}\
         <Placemark><name>&b;</name><Point><coordinates>1,2</coordinates></Point></Placemark>{KML_CLOSE}"
    );
    let bytes = bytes.replacen(r#"<?xml version="1.0" encoding="UTF-8"?>"#, "", 1);
    let e = error(read_kml(bytes.as_bytes()));
    assert_error(
        &e,
        "import.unsupported",
        None,
        None,
        "the file has a DOCTYPE declaration; KML files with DTDs or entities are refused",
    );
}

#[test]
fn kml_placemark_errors_name_the_placemark() {
    let good = "<Placemark><Point><coordinates>125.9,41.7</coordinates></Point></Placemark>";
    let cases: [(&str, &str, Option<&str>, &str); 7] = [
        (
            "<Placemark><name>堤防</name><LineString><coordinates>1,2 3,4</coordinates></LineString></Placemark>",
            "import.unsupported",
            None,
            "placemark 2: geometry is a LineString; only Point placemarks can be imported",
        ),
        (
            "<Placemark><name>无坐标</name></Placemark>",
            "import.malformed",
            None,
            "placemark 2: the placemark has no Point with coordinates; every placemark needs one",
        ),
        (
            "<Placemark><Point><coordinates>125.9,141.7</coordinates></Point></Placemark>",
            "import.malformed",
            Some("lat"),
            "placemark 2, column `lat`: latitude 141.7 is not a number from -90 to 90",
        ),
        (
            "<Placemark><Point><coordinates>125.9,41.7 126,42</coordinates></Point></Placemark>",
            "import.malformed",
            None,
            "placemark 2: the Point's coordinates must be one \"longitude,latitude[,altitude]\", not `125.9,41.7 126,42`",
        ),
        (
            "<Placemark><Point><coordinates>东,北</coordinates></Point></Placemark>",
            "import.malformed",
            None,
            "placemark 2: the Point's coordinates `东,北` are not numbers",
        ),
        (
            "<Placemark><ExtendedData><Data name=\"lon\"><value>1</value></Data></ExtendedData></Placemark>",
            "import.malformed",
            Some("lon"),
            "placemark 2, column `lon`: `lon` clashes with the coordinate column the importer adds from the point",
        ),
        (
            "<Placemark><name>&xxe;</name></Placemark>",
            "import.malformed",
            None,
            "placemark 2: the entity `&xxe;` is not defined; only XML's own entities are allowed",
        ),
    ];
    for (placemark, code, column, message) in cases {
        let e = error(read_kml(&kml(&format!("{good}{placemark}{good}"))));
        assert_error(&e, code, Some(2), column, message);
    }
}

#[test]
fn kml_that_is_not_kml() {
    let e = error(read_kml(b"<gpx><wpt lat=\"41.7\" lon=\"125.9\"/></gpx>"));
    assert_error(
        &e,
        "import.malformed",
        None,
        None,
        "this is not a KML document: its root element is <gpx>, not <kml>",
    );
    let e = error(read_kml(b""));
    assert_error(&e, "import.malformed", None, None, "the file has no <kml> element");
    let e = error(read_kml(&kml("<Placemark><name>甲</Placemark>")));
    assert_eq!(e.code(), "import.malformed");
    assert_eq!(e.at, Some(1));
    assert!(e.to_string().starts_with("placemark 1: the XML is malformed near line 1:"), "{e}");
    let e = error(read_kml(b"<kml>\xFF</kml>"));
    assert_error(&e, "import.malformed", None, None, "the file is not UTF-8 text (near line 1)");
    // An empty document is an empty table.
    assert_eq!(read_kml(&kml("")).unwrap(), table(&["lon", "lat"], vec![]));
}
