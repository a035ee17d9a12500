//! Benchmark: catch-up of N ops from a county replica to a city hub over loopback HTTP — the
//! real hub routes and the real sync client — beside the same catch-up in-process (the link
//! code with no HTTP), and the bytes on the wire per op beside the uncompressed JSON of the
//! same ops; then a smaller catch-up over a simulated poor link (64 kbit/s each way, 300 ms
//! each way = 600 ms RTT, 1 % of segments delayed by one more RTT as a retransmission
//! would be) beside the time the payload alone needs at that bandwidth.
//! Usage: sync_bench [OPS] [POOR_LINK_OPS]   (run by `cargo xtask bench`)

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::json;
use uuid::Uuid;

use onemap_api::Api;
use onemap_api::fixtures::load_context;
use onemap_domain::{EntityKind, EntityRef};
use onemap_hub::server::{Hub, router, sync_router};
use onemap_store::{Change, SqliteStore, Store};
use onemap_sync::client::Upstream;
use onemap_sync::link::pull_all;

const PAGE: usize = 1000;

/// Writes `n` ops in change sets of `per` (an import: 1000; operator edits: 1); returns the
/// bytes of their uncompressed JSON.
fn fill(store: &mut SqliteStore, n: usize, per: usize) -> u64 {
    let mut json_bytes = 0u64;
    for start in (0..n).step_by(per) {
        let changes: Vec<(EntityRef, Change)> = (start..(start + per).min(n))
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

/// Serves a hub (console and sync routes, plain HTTP) on a free loopback port.
fn serve(rt: &tokio::runtime::Runtime, api: Arc<Api>, ui: &Path) -> std::net::SocketAddr {
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let hub = Hub { api, tiles: None };
    let app = router(hub.clone(), ui.to_path_buf()).merge(sync_router(hub));
    rt.spawn(async move { axum::serve(listener, app).await });
    addr
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut county = SqliteStore::open(&dir.path().join("county.db")).expect("county store");
    let json_bytes = fill(&mut county, n, 1000);

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
    let addr = serve(&rt, api.clone(), dir.path());

    let county: Mutex<Box<dyn Store + Send>> = Mutex::new(Box::new(county));
    let upstream = Upstream::new(&format!("http://{addr}"), PAGE, None);
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

    // Operator edits: every op its own change set, so every op carries a seal.
    let e = 10_000;
    let mut desk = SqliteStore::open(&dir.path().join("desk.db")).expect("store");
    let edit_json = fill(&mut desk, e, 1);
    let (ctx, _) = load_context(&fixtures).expect("reference data");
    let hub = Arc::new(Api::new(Box::new(SqliteStore::open(&dir.path().join("desk-hub.db")).expect("store")), ctx));
    let desk_link = Upstream::new(&format!("http://{}", serve(&rt, hub, dir.path())), PAGE, None);
    let desk: Mutex<Box<dyn Store + Send>> = Mutex::new(Box::new(desk));
    assert_eq!(desk_link.round(&desk).expect("sync round").pushed, e);
    let (sent, received) = desk_link.bytes();
    println!("sync of {e} operator edits, one op per signed change set:");
    println!(
        "  bytes on the wire      : {:>9.1} B/op    (each op sealed: signature and key)",
        (sent + received) as f64 / e as f64
    );
    println!("  uncompressed op JSON   : {:>9.1} B/op    (baseline)", edit_json as f64 / e as f64);

    // A fresh hub behind a simulated poor link, so only the field node's ops cross it.
    let m: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let mut field = SqliteStore::open(&dir.path().join("field.db")).expect("store");
    fill(&mut field, m, 1000);
    let (ctx, _) = load_context(&fixtures).expect("reference data");
    let far = Arc::new(Api::new(Box::new(SqliteStore::open(&dir.path().join("far-hub.db")).expect("store")), ctx));
    let far_addr = serve(&rt, far, dir.path());
    let shaped = rt.block_on(shaper::start(far_addr)).expect("shaper");
    let field: Mutex<Box<dyn Store + Send>> = Mutex::new(Box::new(field));
    let poor = Upstream::new(&format!("http://{shaped}"), 5000, None);
    let t = Instant::now();
    let round = poor.round(&field).expect("sync over the poor link");
    let took = t.elapsed().as_secs_f64();
    assert_eq!(round.pushed, m);
    let (sent, received) = poor.bytes();
    let ideal = (sent + received) as f64 * 8.0 / shaper::BITS_PER_SECOND;
    println!("sync over a simulated 64 kbit/s, 600 ms RTT, 1 % loss link, {m} ops:");
    println!("  took                   : {took:>9.1} s");
    println!("  payload / bandwidth    : {ideal:>9.1} s       (baseline: {} B at 64 kbit/s)", sent + received);
    println!("  ratio                  : {:>9.2}x        (goal <= 1.2x)", took / ideal);
}

/// A TCP proxy that behaves like a poor WAN link: each direction is serialised at
/// 64 kbit/s, every segment arrives 300 ms after it was sent, and 1 % of segments arrive
/// one round trip later still (as a retransmission would).
mod shaper {
    use std::net::SocketAddr;
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::time::Instant;

    pub const BITS_PER_SECOND: f64 = 64_000.0;
    const ONE_WAY: Duration = Duration::from_millis(300);
    const SEGMENT: usize = 1460;
    const LOSS: f64 = 0.01;

    pub async fn start(target: SocketAddr) -> std::io::Result<SocketAddr> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move {
            let mut seed = 0x5eed_u64;
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(target).await else { continue };
                seed = seed.wrapping_add(1);
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                tokio::spawn(pump(cr, sw, seed));
                tokio::spawn(pump(sr, cw, seed ^ 0xffff));
            }
        });
        Ok(addr)
    }

    /// Moves bytes one way with the link's bandwidth, delay and loss.
    async fn pump(mut from: impl AsyncReadExt + Unpin, mut to: impl AsyncWriteExt + Unpin + Send + 'static, seed: u64) {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
        tokio::spawn(async move {
            while let Some((at, chunk)) = rx.recv().await {
                tokio::time::sleep_until(at).await;
                if to.write_all(&chunk).await.is_err() {
                    break;
                }
            }
            let _ = to.shutdown().await;
        });
        let mut free_at = Instant::now();
        let mut buf = vec![0u8; SEGMENT];
        let mut rng = fastrand::Rng::with_seed(seed);
        loop {
            let n = match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let on_wire = Duration::from_secs_f64(n as f64 * 8.0 / BITS_PER_SECOND);
            free_at = free_at.max(Instant::now()) + on_wire;
            let late = if rng.f64() < LOSS { 2 * ONE_WAY } else { Duration::ZERO };
            if tx.send((free_at + ONE_WAY + late, buf[..n].to_vec())).is_err() {
                break;
            }
        }
    }
}
