//! Loading the demo region through the operation path, and refusing bad fixture files with
//! precise diagnostics and nothing applied.

use std::path::{Path, PathBuf};

use onemap_api::fixtures::{apply_set, load_context, load_demo_if_empty, parse_set};
use onemap_api::{Api, Request, Response};
use onemap_domain::EntityKind;
use onemap_store::SqliteStore;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn api() -> Api {
    let (ctx, _) = load_context(&fixtures()).expect("reference data loads");
    Api::new(Box::new(SqliteStore::open_in_memory().expect("store")), ctx)
}

/// Copies the demo set into a temp dir so a test can break one file.
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(fixtures().join("demo")).expect("demo dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

fn count_lines(path: &Path) -> usize {
    std::fs::read_to_string(path).expect("read").lines().skip(1).filter(|l| !l.trim().is_empty()).count()
}

#[test]
fn the_demo_region_loads_through_ops_and_matches_its_files() {
    let api = api();
    let (_, config) = load_context(&fixtures()).expect("context");
    let report = load_demo_if_empty(&api, &fixtures(), &config).expect("loads").expect("store was empty");
    assert!(report.ops > 0);
    let demo = fixtures().join("demo");
    let Response::Layers(layers) = api.handle(Request::Layers).expect("layers") else { panic!("wrong response") };
    let count = |layer: onemap_api::types::Layer| layers.features.iter().filter(|f| f.layer == layer).count();
    use onemap_api::types::Layer::*;
    assert_eq!(count(Teams), count_lines(&demo.join("teams.csv")));
    assert_eq!(count(Warehouses), count_lines(&demo.join("warehouses.csv")));
    assert_eq!(count(Shelters), count_lines(&demo.join("shelters.csv")));
    assert_eq!(count(Hazards), count_lines(&demo.join("hazards.csv")));
    assert_eq!(count(Incidents), count_lines(&demo.join("incidents.csv")));
    assert!(count(Teams) >= 40 && count(Warehouses) >= 15 && count(Shelters) >= 25 && count(Hazards) >= 30);
    assert!(layers.features.iter().all(|f| f.demo), "every demo record is marked as demonstration data");
    // Loading again does nothing: the region is already there.
    assert!(load_demo_if_empty(&api, &fixtures(), &config).expect("second load").is_none());
}

#[test]
fn stock_quantities_are_ledger_movements() {
    let api = api();
    let (_, config) = load_context(&fixtures()).expect("context");
    load_demo_if_empty(&api, &fixtures(), &config).expect("loads");
    let Response::Layers(layers) = api.handle(Request::Layers).expect("layers") else { panic!() };
    let warehouse =
        layers.features.iter().find(|f| f.layer == onemap_api::types::Layer::Warehouses).expect("a warehouse");
    let Response::Entity(detail) = api
        .handle(Request::Entity { entity: onemap_domain::EntityRef { kind: EntityKind::Warehouse, id: warehouse.id } })
        .expect("detail")
    else {
        panic!()
    };
    assert!(!detail.stock.is_empty(), "{} has stock lines", warehouse.name);
    let line = &detail.stock[0];
    let overdraw = api.handle(Request::Move {
        entity: onemap_domain::EntityRef { kind: EntityKind::StockLine, id: line.id },
        account: "on_hand".into(),
        delta: -(line.on_hand + 1),
        reason: "issue to incident".into(),
    });
    let err = overdraw.expect_err("overdraw refused");
    assert_eq!(err.code, "ledger.overdraw");
    assert!(err.message.contains(&line.on_hand.to_string()), "names the available quantity: {}", err.message);
}

/// Each case: the file to break, the index of the line to replace (0 = header), a transform,
/// and the field the diagnostic must name (on that line: index + 1).
#[test]
fn bad_files_are_refused_whole_with_file_line_and_field() {
    type Edit = fn(&str) -> String;
    let cases: &[(&str, usize, Edit, &str)] = &[
        ("teams.csv", 3, |l| replace_col(l, 8, "181.5"), "lon"),
        ("teams.csv", 5, |l| replace_col(l, 4, "-3"), "headcount"),
        ("teams.csv", 2, |l| replace_col(l, 2, "space_marines"), "team_type"),
        ("teams.csv", 4, |l| replace_col(l, 7, "2205021"), "base_code"),
        ("shelters.csv", 6, |l| replace_col(l, 5, "125.9x"), "lat"),
        ("stock.csv", 7, |l| replace_col(l, 3, "-10"), "quantity"),
        ("stock.csv", 9, |l| replace_col(l, 1, "no-such-warehouse"), "warehouse_key"),
        ("incidents.csv", 2, |l| replace_col(l, 8, "yesterday"), "onset"),
        ("hazards.csv", 3, |l| replace_col(l, 3, "huge_1"), "grade"),
        ("jurisdictions.csv", 0, |l| l.replace("seat_lat", "seat_latitude"), "seat_lat"),
    ];
    let (ctx, _) = load_context(&fixtures()).expect("context");
    for (file, line, edit, want_field) in cases {
        let want_line = *line as u64 + 1;
        let dir = demo_copy();
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines[*line] = edit(&lines[*line]);
        std::fs::write(&path, lines.join("\n") + "\n").expect("write");

        let Err(err) = parse_set(&dir.path().join("manifest.toml"), &ctx) else {
            panic!("{file} line {want_line}: the bad value was accepted");
        };
        assert_eq!(err.code, "fixtures.invalid");
        let d = err
            .diagnostics
            .iter()
            .find(|d| d.file.ends_with(file) && d.line == want_line && d.field == *want_field)
            .unwrap_or_else(|| {
                panic!("{file}: expected line {want_line} field {want_field}, got {:#?}", err.diagnostics)
            });
        assert!(!d.message.is_empty());

        // Nothing of a bad set is applied: the store stays empty.
        let api = Api::new(Box::new(SqliteStore::open_in_memory().expect("store")), ctx.clone());
        let (_, mut config) = load_context(&fixtures()).expect("context");
        config.data.demo = Some(dir.path().join("manifest.toml"));
        assert!(load_demo_if_empty(&api, Path::new("/"), &config).is_err());
        let Response::Layers(l) = api.handle(Request::Layers).expect("layers") else { panic!() };
        assert!(l.features.is_empty() && l.head == 0, "{file}: nothing applied");
    }
}

#[test]
fn every_row_becomes_one_record_op_plus_its_movements() {
    let (ctx, _) = load_context(&fixtures()).expect("context");
    let set = parse_set(&fixtures().join("demo/manifest.toml"), &ctx).expect("parses");
    let expected_ops: usize = set
        .files
        .iter()
        .map(|(_, rows)| rows.iter().map(|r| 1 + r.movements.iter().filter(|(_, d)| *d != 0).count()).sum::<usize>())
        .sum();
    let api = Api::new(Box::new(SqliteStore::open_in_memory().expect("store")), ctx);
    let report = apply_set(&api, set).expect("applies");
    assert_eq!(report.ops, expected_ops);
}

/// Replaces the 0-based column `col` of a simple CSV line (no quoted commas in these files'
/// first columns).
fn replace_col(line: &str, col: usize, value: &str) -> String {
    let mut rec: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .expect("a record")
        .expect("parses")
        .iter()
        .map(str::to_owned)
        .collect();
    rec[col] = value.to_owned();
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record(&rec).expect("write");
    String::from_utf8(w.into_inner().expect("flush")).expect("utf8").trim_end().to_owned()
}
