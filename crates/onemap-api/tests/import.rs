//! Registry import and export through the API: good files in all four formats, a file with
//! bad rows reported by file, row and column with nothing applied, the mapping step, and an
//! export that imports back onto the same records unchanged.

mod common;

use base64::Engine as _;
use common::demo;
use onemap_api::import::{ExportFile, FileFormat, ImportReport, ImportRequest, Registry};
use onemap_api::{Api, ApiError, Request, Response};
use onemap_domain::entity::{EntityKind, account};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn import(
    api: &Api,
    registry: Registry,
    file_name: &str,
    bytes: &[u8],
    commit: bool,
) -> Result<ImportReport, ApiError> {
    let req =
        ImportRequest { registry, file_name: file_name.into(), data: b64(bytes), mapping: Default::default(), commit };
    match api.handle(Request::Import(req))? {
        Response::Import(r) => Ok(*r),
        other => panic!("{other:?}"),
    }
}

fn export(api: &Api, registry: Registry, format: FileFormat) -> ExportFile {
    match api.handle(Request::Export { registry, format }).unwrap() {
        Response::Export(f) => *f,
        other => panic!("{other:?}"),
    }
}

fn head(api: &Api) -> u64 {
    api.shared_store().lock().unwrap().head().unwrap()
}

fn count(api: &Api, kind: EntityKind) -> usize {
    api.shared_store().lock().unwrap().list(kind).unwrap().len()
}

const TEAMS_ZH: &str = "编号,名称,队伍类型,专业,人数,装备,所属行政区划代码,驻地区划代码,经度,纬度,出动准备时间,状态\n\
t-new-1,江东乡水上救援志愿队,social,water_rescue;diving,18,冲锋舟:2;救生衣:30,220502000000,220502201000,125.991,41.702,20,standby\n\
t-new-2,金厂镇应急分队,township,flood_fighting,25,抽水泵:4,220502000000,220502100000,126.04,41.61,15,standby\n";

#[test]
fn a_csv_with_chinese_headers_is_mapped_checked_and_imported_in_one_commit() {
    let api = demo();
    let teams = count(&api, EntityKind::Team);
    let preview = import(&api, Registry::Teams, "队伍.csv", TEAMS_ZH.as_bytes(), false).unwrap();
    assert_eq!((preview.rows, preview.valid, preview.errors.len()), (2, 2, 0));
    assert_eq!(preview.row_noun, "line");
    let lat = preview.columns.iter().find(|c| c.column == "lat").unwrap();
    assert_eq!(lat.source.as_deref(), Some("纬度"), "guessed from the aliases");
    assert_eq!(count(&api, EntityKind::Team), teams, "a check writes nothing");

    let before = head(&api);
    let done = import(&api, Registry::Teams, "队伍.csv", TEAMS_ZH.as_bytes(), true).unwrap();
    assert_eq!((done.written, done.created), (Some(2), Some(2)));
    assert_eq!(head(&api), before + 2, "one op per record, in one commit");
    assert_eq!(count(&api, EntityKind::Team), teams + 2);
    // Importing the same file again changes no record count (the keys name the same ids).
    let again = import(&api, Registry::Teams, "队伍.csv", TEAMS_ZH.as_bytes(), true).unwrap();
    assert_eq!(again.created, Some(0));
    assert_eq!(count(&api, EntityKind::Team), teams + 2);
}

#[test]
fn bad_rows_are_named_by_file_row_and_column_and_nothing_is_applied() {
    let api = demo();
    let bad = TEAMS_ZH.replace("41.702", "141.702").replace(",township,", ",no_such_type,");
    let before = head(&api);
    let preview = import(&api, Registry::Teams, "队伍.csv", bad.as_bytes(), false).unwrap();
    assert_eq!((preview.rows, preview.valid), (2, 0));
    let lat = preview.errors.iter().find(|d| d.line == 2).expect("line 2");
    assert_eq!(lat.file, "队伍.csv");
    assert_eq!(lat.field, "lat (纬度)", "{lat:?}");
    let kind = preview.errors.iter().find(|d| d.line == 3).expect("line 3");
    assert_eq!(kind.field, "team_type (队伍类型)");
    assert!(kind.message.contains("no_such_type"), "{}", kind.message);
    let e = import(&api, Registry::Teams, "队伍.csv", bad.as_bytes(), true).unwrap_err();
    assert_eq!(e.code, "import.invalid");
    assert!(e.message.contains("2 of 2 lines are bad; nothing was imported"), "{}", e.message);
    assert_eq!(e.diagnostics.len(), 2);
    assert_eq!(head(&api), before, "nothing applied");
    // A malformed file is refused with where it broke.
    let e = import(&api, Registry::Teams, "t.geojson", b"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}}]}", false).unwrap_err();
    assert_eq!(e.code, "import.unsupported");
    assert!(e.message.contains("t.geojson: feature 1") && e.message.contains("LineString"), "{}", e.message);
    let e = import(&api, Registry::Teams, "t.kml", b"<kml><Document><Placemark><name>x", false).unwrap_err();
    assert_eq!(e.code, "import.malformed", "{}", e.message);
    assert_eq!(head(&api), before);
    let e = import(&api, Registry::Teams, "t.xls", b"", false).unwrap_err();
    assert_eq!(e.code, "import.unsupported");
}

#[test]
fn an_operator_mapping_overrides_the_guess() {
    let api = demo();
    let text = TEAMS_ZH.replace("名称", "队名甲");
    let mut req = ImportRequest {
        registry: Registry::Teams,
        file_name: "t.csv".into(),
        data: b64(text.as_bytes()),
        mapping: Default::default(),
        commit: false,
    };
    let Response::Import(r) = api.handle(Request::Import(req.clone())).unwrap() else { panic!() };
    assert_eq!(r.columns.iter().find(|c| c.column == "name").unwrap().source, None);
    assert!(r.errors.iter().any(|d| d.field == "name"), "{:?}", r.errors);
    req.mapping.insert("name".into(), "队名甲".into());
    let Response::Import(r) = api.handle(Request::Import(req)).unwrap() else { panic!() };
    assert_eq!(r.errors.len(), 0, "{:?}", r.errors);
    assert_eq!(r.sample[0][1], "江东乡水上救援志愿队");
}

#[test]
fn every_registry_exports_in_each_format_and_imports_back_unchanged() {
    let api = demo();
    for (registry, kind) in [
        (Registry::Teams, EntityKind::Team),
        (Registry::Warehouses, EntityKind::Warehouse),
        (Registry::Stock, EntityKind::StockLine),
        (Registry::Shelters, EntityKind::Shelter),
        (Registry::Hazards, EntityKind::Hazard),
        (Registry::Experts, EntityKind::Expert),
    ] {
        let n = count(&api, kind);
        for format in [FileFormat::Csv, FileFormat::Xlsx, FileFormat::GeoJson, FileFormat::Kml] {
            if matches!(registry, Registry::Stock | Registry::Experts)
                && matches!(format, FileFormat::GeoJson | FileFormat::Kml)
            {
                assert_eq!(api.handle(Request::Export { registry, format }).unwrap_err().code, "export.unsupported");
                continue;
            }
            let file = export(&api, registry, format);
            assert_eq!(file.rows as usize, n, "{registry:?} {format:?}");
            let bytes = base64::engine::general_purpose::STANDARD.decode(&file.data).unwrap();
            let before = head(&api);
            let r = import(&api, registry, &file.name, &bytes, true)
                .unwrap_or_else(|e| panic!("{registry:?} {format:?}: {e}"));
            assert_eq!(r.created, Some(0), "{registry:?} {format:?}: the same records");
            assert_eq!(count(&api, kind), n);
            // Unchanged records merge to the same fields; quantities need no movement.
            let moved = api
                .shared_store()
                .lock()
                .unwrap()
                .ops_since(0, usize::MAX)
                .unwrap()
                .into_iter()
                .skip(before as usize)
                .filter(|(_, op)| matches!(op.change, onemap_store::Change::Move { .. }))
                .count();
            assert_eq!(moved, 0, "{registry:?} {format:?}");
        }
    }
}

#[test]
fn exported_csv_neutralises_formulas() {
    let api = demo();
    let text = TEAMS_ZH.replace("江东乡水上救援志愿队", "=HYPERLINK(\"http://x\")");
    import(&api, Registry::Teams, "t.csv", text.as_bytes(), true).unwrap();
    let file = export(&api, Registry::Teams, FileFormat::Csv);
    let csv = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(&file.data).unwrap()).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "the formula is neutralised");
    assert!(!csv.contains(",=HYPERLINK"));
}

#[test]
fn a_stock_import_sets_quantities_by_the_difference_on_the_ledger() {
    let api = demo();
    let file = export(&api, Registry::Stock, FileFormat::Csv);
    let csv = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(&file.data).unwrap()).unwrap();
    // The county warehouse's tents: 110 on hand → 150.
    let line = csv.lines().find(|l| l.contains(",1010101,110,")).expect("the 110 tents line").to_owned();
    let id = line.split(',').next().unwrap().trim_start_matches('\u{feff}').to_owned();
    let edited = format!("{}\r\n{}\r\n", csv.lines().next().unwrap(), line.replace(",1010101,110,", ",1010101,150,"));
    let r = import(&api, Registry::Stock, "stock.csv", edited.as_bytes(), true).unwrap();
    assert_eq!(r.created, Some(0));
    let rec = api
        .shared_store()
        .lock()
        .unwrap()
        .get(onemap_domain::EntityRef { kind: EntityKind::StockLine, id: id.parse().unwrap() })
        .unwrap()
        .unwrap();
    assert_eq!(rec.balances.get(account::ON_HAND), Some(&150));
}

#[test]
fn experts_are_listed_by_the_event_category_they_cover_chief_first() {
    let api = demo();
    let Response::Experts(all) = api.handle(Request::Experts { category: None }).unwrap() else { panic!() };
    assert_eq!(all.len(), 11, "the withdrawn expert is not consulted");
    assert_eq!(all[0].expert.tier, onemap_domain::entity::ExpertTier::Chief);
    let Response::Experts(natural) = api.handle(Request::Experts { category: Some("natural".into()) }).unwrap() else {
        panic!()
    };
    assert!(natural.iter().all(|e| e.expert.event_classes.iter().any(|c| c == "natural")));
    assert!(natural.iter().any(|e| e.expert.fields.iter().any(|f| f == "防汛抢险")));
    // Every one of the four categories is covered (S3: 专家覆盖4大类突发事件).
    for c in ["natural", "accident", "public_health", "social_security"] {
        let Response::Experts(v) = api.handle(Request::Experts { category: Some(c.into()) }).unwrap() else { panic!() };
        assert!(!v.is_empty(), "{c}");
    }
    assert_eq!(api.handle(Request::Experts { category: Some("weather".into()) }).unwrap_err().code, "validation.field");
    // A bad expert row names its column.
    let bad = "编号,姓名,专业领域,事件类别,层级,单位,电话,行政区划代码,状态\ne-1,张三,水利,no_such_class,pool,某单位,0435-1,220502000000,active\n";
    let mut req = ImportRequest {
        registry: Registry::Experts,
        file_name: "专家.csv".into(),
        data: b64(bad.as_bytes()),
        mapping: Default::default(),
        commit: false,
    };
    for (col, src) in [
        ("name", "姓名"),
        ("fields", "专业领域"),
        ("event_classes", "事件类别"),
        ("tier", "层级"),
        ("organisation", "单位"),
        ("phone", "电话"),
    ] {
        req.mapping.insert(col.into(), src.into());
    }
    let Response::Import(r) = api.handle(Request::Import(req)).unwrap() else { panic!() };
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!((r.errors[0].line, r.errors[0].field.as_str()), (2, "event_classes (事件类别)"));
}

#[test]
fn a_shelter_without_its_own_standard_takes_the_jurisdictions() {
    let api = demo();
    // 通化市 configures 2.0 m² per person (fixtures/shelters.toml): 3,000 m² hold 1,500.
    let csv = "key,name,shelter_type,jurisdiction_code,lon,lat,effective_area_m2,per_capita_m2,occupancy,facilities\n\
sh-new-1,江东乡中心小学操场,emergency,220502201000,125.99,41.70,3000,,0,water;toilet\n\
sh-new-2,江东乡文化广场,emergency,220502201000,125.991,41.701,3000,1.5,0,water\n";
    let r = import(&api, Registry::Shelters, "避难场所.csv", csv.as_bytes(), true).unwrap();
    assert_eq!(r.created, Some(2));
    let shelters = api.shared_store().lock().unwrap().list(EntityKind::Shelter).unwrap();
    let get = |name: &str| {
        shelters.iter().find(|s| s.fields["name"] == name).unwrap().fields["per_capita_m2"].as_f64().unwrap()
    };
    assert_eq!(get("江东乡中心小学操场"), 2.0, "the city's standard");
    assert_eq!(get("江东乡文化广场"), 1.5, "its own value wins");
    let id = shelters.iter().find(|s| s.fields["name"] == "江东乡中心小学操场").unwrap().entity.id;
    let Response::Entity(d) =
        api.handle(Request::Entity { entity: onemap_domain::EntityRef { kind: EntityKind::Shelter, id } }).unwrap()
    else {
        panic!()
    };
    assert_eq!(d.derived["capacity"], 1500);
}
