//! Benchmark: ops applied per second in batches of 1000 (op log + projections, one
//! transaction per batch) beside raw rusqlite inserts of the same rows into one plain table
//! with the same durability settings. Rounds alternate so machine noise hits both alike.
//! Usage: onemap-store-bench [OPS] [store|raw]   (run by `cargo xtask bench`; naming one side
//! runs only that side, for profiling)

use std::time::Instant;

use rusqlite::{Connection, params};
use serde_json::json;
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};
use onemap_store::conformance::Writer;
use onemap_store::{Change, Hlc, Op, SqliteStore, Store};

const BATCH: usize = 1000;
const ROUNDS: usize = 5;

/// Signed change sets of `BATCH` ops each, as another replica would send them.
fn ops(n: usize) -> Vec<Op> {
    let mut writer = Writer::new(1);
    let changes: Vec<(EntityRef, Change)> = (0..n)
        .map(|i| {
            let entity = EntityRef { kind: EntityKind::Team, id: Uuid::from_u128(i as u128 / 2) };
            let change = if i % 2 == 0 {
                Change::Set(match json!({"name": format!("救援队 {i}"), "team_type": "professional", "headcount": 30 + i % 20,
                    "status": "standby", "readiness_min": 15, "location": {"lon": 125.9 + (i % 100) as f64 * 1e-3, "lat": 41.7}}) {
                    serde_json::Value::Object(m) => m,
                    _ => unreachable!(),
                })
            } else {
                Change::Move { account: "on_hand".into(), delta: (i % 7) as i64 }
            };
            (entity, change)
        })
        .collect();
    let start = Hlc::wall().0;
    changes.chunks(BATCH).enumerate().flat_map(|(k, c)| writer.commit(start + (k * BATCH) as u64, c.to_vec())).collect()
}

fn store_run(ops: &[Op], dir: &std::path::Path, round: usize) -> f64 {
    let mut store = SqliteStore::open(&dir.join(format!("store-{round}.db"))).expect("open store");
    let t = Instant::now();
    for batch in ops.chunks(BATCH) {
        let r = store.apply(batch).expect("apply");
        assert_eq!(r.applied, batch.len(), "{r:?} {:?}", store.quarantined(3));
    }
    t.elapsed().as_secs_f64()
}

fn raw_run(ops: &[Op], dir: &std::path::Path, round: usize) -> f64 {
    let mut conn = Connection::open(dir.join(format!("raw-{round}.db"))).expect("open raw");
    conn.pragma_update(None, "journal_mode", "WAL").expect("wal");
    conn.pragma_update(None, "synchronous", "FULL").expect("sync");
    conn.execute_batch(
        "CREATE TABLE ops (lseq INTEGER PRIMARY KEY, origin BLOB, seq INTEGER, hlc INTEGER, actor TEXT, kind TEXT, entity BLOB, change TEXT, intent TEXT, seal TEXT)",
    )
    .expect("schema");
    let t = Instant::now();
    for batch in ops.chunks(BATCH) {
        let tx = conn.transaction().expect("tx");
        {
            let mut stmt = tx
                .prepare_cached("INSERT INTO ops (origin, seq, hlc, actor, kind, entity, change, intent, seal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .expect("prepare");
            for op in batch {
                let change = serde_json::to_string(&op.change).expect("json");
                let seal = op.seal.as_ref().map(|s| serde_json::to_string(s).expect("json"));
                stmt.execute(params![
                    op.origin.0,
                    op.seq as i64,
                    op.hlc.to_sql(),
                    op.actor,
                    op.entity.kind.as_str(),
                    op.entity.id,
                    change,
                    op.intent,
                    seal
                ])
                .expect("insert");
            }
        }
        tx.commit().expect("commit");
    }
    t.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let ops = ops(n);
    let dir = tempfile::tempdir().expect("tempdir");
    if let Some(side) = std::env::args().nth(2) {
        let t = if side == "raw" { raw_run(&ops, dir.path(), 0) } else { store_run(&ops, dir.path(), 0) };
        println!("{side}: {:.0} ops/s", n as f64 / t);
        return;
    }
    let (mut store, mut raw) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate which goes first.
        if round % 2 == 0 {
            store.push(store_run(&ops, dir.path(), round));
            raw.push(raw_run(&ops, dir.path(), round));
        } else {
            raw.push(raw_run(&ops, dir.path(), round));
            store.push(store_run(&ops, dir.path(), round));
        }
    }
    let (s, r) = (median(store), median(raw));
    println!("store apply, {n} ops in batches of {BATCH} (median of {ROUNDS}):");
    println!("  op log + projections : {:>9.0} ops/s", n as f64 / s);
    println!("  raw rusqlite inserts : {:>9.0} ops/s   (baseline, same rows, same pragmas)", n as f64 / r);
    println!("  overhead             : {:>9.2}x        (goal <= 2x)", s / r);
}
