//! `cargo xtask bench` (replay part): the situation picture at an arbitrary past moment of a
//! log of 100,000 map ops, beside rebuilding it from the first op, from one run.
//!
//! The demo region is loaded, then one incident's activity is committed through the store in
//! change sets of 500: its figures updated, teams moving and changing status, shelter
//! occupancy moving. Then, at 50 moments spread over the log, the picture is computed from
//! the replay index (a checkpoint plus the ops after it) and from the first op (the full
//! projection rebuild); p50/p95 of each and the ratio. The index build (once per log head)
//! and re-applying the same ops to a fresh SQLite store are printed for reference.

use std::path::Path;
use std::time::{Duration, Instant};

use onemap_api::fixtures::{load_context, load_demo_if_empty};
use onemap_api::types::Layer;
use onemap_api::{Api, Request, Response};
use onemap_domain::EntityRef;
use onemap_store::{Change, SqliteStore, Store};
use serde_json::json;

const OPS: usize = 100_000;
const BATCH: usize = 500;
const MOMENTS: usize = 50;

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let (ctx, config) = load_context(&fixtures).expect("reference data");
    let api = Api::new(Box::new(SqliteStore::open_in_memory().expect("store")), ctx);
    load_demo_if_empty(&api, &fixtures, &config).expect("demo");
    let Response::Layers(l) = api.handle(Request::Layers).expect("layers") else { unreachable!() };
    let of = |layer: Layer| -> Vec<EntityRef> {
        l.features.iter().filter(|f| f.layer == layer).map(|f| EntityRef { kind: layer.kind(), id: f.id }).collect()
    };
    let (teams, shelters) = (of(Layer::Teams), of(Layer::Shelters));
    let incident = of(Layer::Incidents)[0];

    // xorshift: the same log every run.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let statuses = ["standby", "dispatched", "en_route", "on_scene", "returning"];
    let started = Instant::now();
    let mut written = 0;
    while written < OPS {
        let mut changes = Vec::with_capacity(BATCH);
        for _ in 0..BATCH {
            let r = next();
            let change = match r % 10 {
                0 | 1 => (
                    incident,
                    Change::Set(
                        json!({ "relocated": r % 5000, "affected": r % 20000 })
                            .as_object()
                            .cloned()
                            .unwrap_or_default(),
                    ),
                ),
                2 => (
                    shelters[(r as usize / 10) % shelters.len()],
                    Change::Move { account: "occupancy".into(), delta: (r % 21) as i64 - 10 },
                ),
                _ => {
                    let t = teams[(r as usize / 10) % teams.len()];
                    let (lon, lat) =
                        (125.70 + (r % 5000) as f64 / 10_000.0, 41.55 + (r / 5000 % 3500) as f64 / 10_000.0);
                    let status = statuses[(r / 7 % 5) as usize];
                    (
                        t,
                        Change::Set(
                            json!({ "location": { "lon": lon, "lat": lat }, "status": status })
                                .as_object()
                                .cloned()
                                .unwrap_or_default(),
                        ),
                    )
                }
            };
            changes.push(change);
        }
        api.shared_store().lock().expect("store").commit("bench", "replay bench", changes).expect("commit");
        written += BATCH;
    }
    let write = started.elapsed();

    let t = Instant::now();
    let replay = api.replay_index().expect("index");
    let build = t.elapsed();
    let Response::PictureAt(p) = api.handle(Request::PictureAt { at_ms: i64::MAX }).expect("picture") else {
        unreachable!()
    };
    let (first, last) = p.span.expect("span");
    let moments: Vec<i64> =
        (0..MOMENTS).map(|i| first + (last - first) * (i as i64 * 37 % MOMENTS as i64) / MOMENTS as i64).collect();
    let (mut fast, mut full) = (Vec::new(), Vec::new());
    for &at in &moments {
        let t = Instant::now();
        let a = replay.picture(at);
        fast.push(t.elapsed());
        let t = Instant::now();
        let b = replay.picture_from_start(at);
        full.push(t.elapsed());
        assert_eq!(a.features.len(), b.features.len(), "the same picture both ways at {at}");
        assert_eq!(a.ops, b.ops);
    }

    // The store's own projection rebuild: the same ops applied to a fresh SQLite store.
    let ops: Vec<_> = api
        .shared_store()
        .lock()
        .expect("store")
        .ops_since(0, usize::MAX)
        .expect("ops")
        .into_iter()
        .map(|(_, op)| op)
        .collect();
    let mut fresh = SqliteStore::open_in_memory().expect("store");
    let t = Instant::now();
    for chunk in ops.chunks(5_000) {
        fresh.apply(chunk).expect("apply");
    }
    let reapply = t.elapsed();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let q = |v: &mut Vec<Duration>, p: f64| {
        v.sort();
        ms(v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1])
    };
    let (f50, f95, b50, b95) = (q(&mut fast, 0.5), q(&mut fast, 0.95), q(&mut full, 0.5), q(&mut full, 0.95));
    println!(
        "replay: the picture at {MOMENTS} past moments of a log of {} map ops ({} features; written in {:.1} s)",
        replay.len(),
        p.features.len(),
        write.as_secs_f64()
    );
    println!(
        "  from the replay index (checkpoint + ops after) p50 {f50:.1} ms   p95 {f95:.1} ms   (goal ≤ 200 ms: {})",
        if f95 <= 200.0 { "goal met" } else { "goal missed" }
    );
    println!("  folded from the first op (full rebuild)        p50 {b50:.1} ms   p95 {b95:.1} ms   (baseline)");
    println!(
        "  index / full                                   p50 {:.3}×       p95 {:.3}×        (goal ≤ 0.1×: {})",
        f50 / b50,
        f95 / b95,
        if f95 / b95 <= 0.1 && f50 / b50 <= 0.1 { "goal met" } else { "goal missed" }
    );
    println!(
        "  index build, once per log head: {:.1} ms; the same {} ops re-applied to a fresh SQLite store: {:.1} ms",
        ms(build),
        ops.len(),
        ms(reapply)
    );
}
