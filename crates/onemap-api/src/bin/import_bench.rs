//! `cargo xtask bench` (import part): importing a 50,000-row team registry CSV through the API
//! — read, columns mapped, every row checked, one commit — with its progress shown while it
//! runs, beside plain CSV parsing of the same file, as rows per second, in one run.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use onemap_api::fixtures::{load_context, load_demo_if_empty};
use onemap_api::import::{ImportRequest, Registry};
use onemap_api::{Api, Request, Response};
use onemap_store::SqliteStore;

const ROWS: usize = 50_000;

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let (ctx, config) = load_context(&fixtures).expect("reference data");
    // A store on disk, as a hub runs it (WAL, synchronous=FULL).
    let dir = std::env::temp_dir().join(format!("onemap-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = SqliteStore::open(&dir.join("bench.db")).expect("store");
    let api = Arc::new(Api::new(Box::new(store), ctx));
    load_demo_if_empty(&api, &fixtures, &config).expect("demo");

    let types = ["fire_rescue", "professional", "social", "township", "village", "militia"];
    let specs =
        ["water_rescue;diving", "flood_fighting;evacuation", "urban_search", "medical", "fire_suppression;hazmat"];
    let towns = ["220502001000", "220502100000", "220502201000", "220502200000", "220502120000"];
    let mut csv =
        String::from("编号,名称,队伍类型,专业,人数,装备,所属行政区划代码,驻地区划代码,经度,纬度,出动准备时间,状态\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "bench-{i},东昌区应急分队{i},{},{},{},冲锋舟:{};救生衣:{},220502000000,{},{:.6},{:.6},{},standby\n",
            types[i % types.len()],
            specs[i % specs.len()],
            8 + i % 40,
            1 + i % 3,
            10 + i % 50,
            towns[i % towns.len()],
            125.80 + (i % 997) as f64 * 0.0003,
            41.60 + (i % 991) as f64 * 0.0003,
            5 + i % 55,
        ));
    }
    let bytes = csv.into_bytes();
    println!("import: {ROWS} team rows, {:.1} MB of CSV with Chinese headers", bytes.len() as f64 / 1e6);

    // Baseline: the csv crate reading every record of the same bytes.
    let t = Instant::now();
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let mut cells = 0usize;
    for r in reader.records() {
        cells += r.expect("record").len();
    }
    let parse = t.elapsed();
    assert_eq!(cells, ROWS * 12);

    // The import, with a watcher showing its progress as an operator's console would.
    let req = ImportRequest {
        registry: Registry::Teams,
        file_name: "teams-50k.csv".into(),
        data: base64::engine::general_purpose::STANDARD.encode(&bytes),
        mapping: Default::default(),
        commit: true,
    };
    let watcher = {
        let api = api.clone();
        std::thread::spawn(move || {
            let mut last = String::new();
            loop {
                std::thread::sleep(Duration::from_millis(250));
                let Ok(Response::ImportProgress(p)) = api.handle(Request::ImportProgress) else { continue };
                if p.phase == "done" {
                    break;
                }
                let line = format!("  … {} {}/{}", p.phase, p.done, p.total);
                if line != last {
                    println!("{line}");
                    last = line;
                }
            }
        })
    };
    let t = Instant::now();
    let Response::Import(report) = api.handle(Request::Import(req)).expect("import") else { unreachable!() };
    let import = t.elapsed();
    watcher.join().expect("watcher");
    assert_eq!((report.rows as usize, report.created), (ROWS, Some(ROWS as u32)), "{:?}", report.errors.first());

    let rate = |d: Duration| ROWS as f64 / d.as_secs_f64();
    println!(
        "  plain CSV parse (baseline)               {:>10.0} rows/s   ({:.0} ms)",
        rate(parse),
        parse.as_secs_f64() * 1e3
    );
    println!(
        "  import: read, map, check, one commit     {:>10.0} rows/s   ({:.0} ms)   {:.3}× the parse rate",
        rate(import),
        import.as_secs_f64() * 1e3,
        rate(import) / rate(parse)
    );
    drop(api);
    let _ = std::fs::remove_dir_all(&dir);
}
