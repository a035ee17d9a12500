//! Benchmark: catch-up of N ops from a county replica to a city hub over loopback HTTP — the
//! real hub routes and the real sync client — beside the same catch-up in-process (the link
//! code with no HTTP), and the bytes on the wire per op beside the uncompressed JSON of the
//! same ops. Usage: sync_bench [OPS]   (run by `cargo xtask bench`)

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::json;
use uuid::Uuid;

use onemap_api::Api;
use onemap_api::fixtures::load_context;
use onemap_domain::{EntityKind, EntityRef};
use onemap_hub::server::{Hub, router};
use onemap_store::{Change, SqliteStore, Store};
use onemap_sync::client::Upstream;
use onemap_sync::link::pull_all;

const PAGE: usize = 1000;

fn fill(store: &mut SqliteStore, n: usize) -> u64 {
    let mut json_bytes = 0u64;
    for start in (0..n).step_by(1000) {
        let changes: Vec<(EntityRef, Change)> = (start..(start + 1000).min(n))
            .map(|i| {
                if i % 4 == 3 {
                    let line =
                        EntityRef { kind: EntityKind::StockLine, id: Uuid::from_u128(0x5700_0000 + (i % 500) as u128) };
                    (line, Change::Move { account: "on_hand".into(), delta: (i % 13) as i64 - 6 })
                } else {
                    let team =
                        EntityRef { kind: EntityKind::Team, id: Uuid::from_u128(0x7ea0_0000 + (i % 2000) as u128) };
                    let status = ["standby", "dispatched", "en_route", "on_scene"][i % 4];
                    let fields = json!({"status": status, "readiness_min": 5 + i % 55});
                    (team, Change::Set(fields.as_object().expect("object").clone()))
                }
            })
            .collect();
        for op in store.commit("bench", "bench.fill", changes).expect("commit") {
            json_bytes += serde_json::to_vec(&op).expect("json").len() as u64;
        }
    }
    json_bytes
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut county = SqliteStore::open(&dir.path().join("county.db")).expect("county store");
    let json_bytes = fill(&mut county, n);

    // Baseline: the same catch-up in-process, no HTTP.
    let mut city0 = SqliteStore::open(&dir.path().join("city-local.db")).expect("store");
    let t = Instant::now();
    let moved = pull_all(&county, &mut city0, "county", PAGE).expect("pull");
    let local = t.elapsed().as_secs_f64();
    assert_eq!(moved, n);

    // Over loopback HTTP: a city hub in this process, the county pushing to it.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let (ctx, _) = load_context(&fixtures).expect("reference data");
    let city_store = SqliteStore::open(&dir.path().join("city-hub.db")).expect("store");
    let api = Arc::new(Api::new(Box::new(city_store), ctx));
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = router(Hub { api: api.clone(), tiles: None }, dir.path().to_path_buf());
    rt.spawn(async move { axum::serve(listener, app).await });

    let county: Mutex<Box<dyn Store + Send>> = Mutex::new(Box::new(county));
    let upstream = Upstream::new(&format!("http://{addr}"), PAGE);
    let t = Instant::now();
    let round = upstream.round(&county).expect("sync round");
    let http = t.elapsed().as_secs_f64();
    assert_eq!(round.pushed, n, "every op crossed once");
    let held = api.shared_store().lock().expect("lock").op_count().expect("count");
    assert_eq!(held, n as u64, "the city holds every op");
    let (sent, received) = upstream.bytes();

    println!("sync catch-up, {n} ops county -> city, pages of {PAGE}:");
    println!("  over loopback HTTP     : {:>9.0} ops/s   (goal >= 20000)", n as f64 / http);
    println!("  in-process, no HTTP    : {:>9.0} ops/s   (baseline)  ratio {:.2}x", n as f64 / local, http / local);
    println!(
        "  bytes on the wire      : {:>9.1} B/op    (goal <= 60)  sent {sent} B, received {received} B",
        (sent + received) as f64 / n as f64
    );
    println!("  uncompressed op JSON   : {:>9.1} B/op    (baseline)", json_bytes as f64 / n as f64);
}
