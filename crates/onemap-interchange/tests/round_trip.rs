//! `read(write(t)) == t` for every format, for tables whose cells survive the format.

use onemap_interchange::{Format, GeoColumns, SourceRow, Table, read, write};

fn table(headers: &[&str], rows: &[(u64, &[&str])]) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .map(|(at, cells)| SourceRow { at: *at, cells: cells.iter().map(|c| c.to_string()).collect() })
            .collect(),
    }
}

fn round_trip(format: Format, t: &Table, geo: Option<&GeoColumns>) -> Table {
    let bytes = write(format, t, geo).unwrap_or_else(|e| panic!("{format}: {e}"));
    read(format, &bytes).unwrap_or_else(|e| panic!("{format}: {e}"))
}

#[test]
fn csv_round_trips_exactly() {
    // `at` is the physical line: the quoted newline in row 3 pushes the next row to line 5.
    let t = table(
        &["名称", "类型", "装备", "人数", "备注"],
        &[
            (2, &["通化市消防救援支队", "消防", "冲锋舟;救生衣", "120", ""]),
            (3, &["东昌区\"一队\", 二分队", "综合", "发电机", "-3.5", "第一行\r\n第二行"]),
            (5, &["  空格  ", "", "", "007", "a\tb"]),
        ],
    );
    assert_eq!(round_trip(Format::Csv, &t, None), t);
}

#[test]
fn csv_neutralised_cells_read_back_with_the_quote() {
    let t = table(&["公式", "数"], &[(2, &["=HYPERLINK(\"x\")", "-3.5"]), (3, &["＠A1", "+1"])]);
    let back = round_trip(Format::Csv, &t, None);
    assert_eq!(back, table(&["公式", "数"], &[(2, &["'=HYPERLINK(\"x\")", "-3.5"]), (3, &["'＠A1", "'+1"])]));
}

#[test]
fn xlsx_round_trips_exactly() {
    let t = table(
        &["名称", "人数", "比例", "编号", "身份证号", "公式", "日期"],
        &[
            (
                2,
                &[
                    "通化市消防救援支队",
                    "2900",
                    "0.30000000000000004",
                    "007",
                    "220502199001011234",
                    "=1+1",
                    "2026-11-23",
                ],
            ),
            (3, &["东昌区\n救援队", "-3.5", "1.50", "", "", "@SUM(A1)", "true"]),
            (4, &["", "", "", "", "", "", "唯一非空"]),
        ],
    );
    assert_eq!(round_trip(Format::Xlsx, &t, None), t);
}

#[test]
fn geojson_round_trips_with_lon_lat_columns_last() {
    let t = table(
        &["名称", "容量", "设施", "lon", "lat"],
        &[
            (1, &["通化市体育中心", "2900", "饮用水;医疗点", "125.9365", "41.7349"]),
            (2, &["东昌区\"第一\"中学\n", "", "true", "126", "-0.5"]),
        ],
    );
    let geo = GeoColumns { lon: "lon".into(), lat: "lat".into(), name: None };
    assert_eq!(round_trip(Format::GeoJson, &t, Some(&geo)), t);
}

#[test]
fn kml_round_trips_with_the_name_column_first_and_lon_lat_last() {
    let t = table(
        &["name", "类型", "措施", "lon", "lat"],
        &[
            (1, &["江东滑坡 & <崩塌>", "滑坡", "监测;搬迁\r\n第二行", "125.9601", "41.7188"]),
            (2, &["", "", "  ", "-180", "90"]),
        ],
    );
    let geo = GeoColumns { lon: "lon".into(), lat: "lat".into(), name: Some("name".into()) };
    assert_eq!(round_trip(Format::Kml, &t, Some(&geo)), t);
    let without_name = GeoColumns { name: None, ..geo };
    assert_eq!(round_trip(Format::Kml, &t, Some(&without_name)), t);
}

#[test]
fn point_columns_come_back_as_lon_lat() {
    // Another name for the point's columns is read back as `lon`, `lat`, at the end.
    let t = table(&["经度", "名称", "纬度"], &[(1, &["125.9", "甲", "41.7"])]);
    let geo = GeoColumns { lon: "经度".into(), lat: "纬度".into(), name: None };
    let want = table(&["名称", "lon", "lat"], &[(1, &["甲", "125.9", "41.7"])]);
    assert_eq!(round_trip(Format::GeoJson, &t, Some(&geo)), want);
    assert_eq!(round_trip(Format::Kml, &t, Some(&geo)), want);
}

#[test]
fn negative_zero_coordinates_are_read_as_zero() {
    let bytes = br#"{"type":"Feature","geometry":{"type":"Point","coordinates":[-0.0,-0]},"properties":{"z":-0.0}}"#;
    let t = read(Format::GeoJson, bytes).unwrap();
    assert_eq!(t, table(&["z", "lon", "lat"], &[(1, &["-0", "0", "0"])]));
    let geo = GeoColumns { lon: "lon".into(), lat: "lat".into(), name: None };
    assert_eq!(round_trip(Format::GeoJson, &t, Some(&geo)), t);
}
