//! Test helper for the crash test: applies ops to a store file in a loop and prints the
//! `(seq)` of each op after its commit returned, i.e. after it was acknowledged.
//! Usage: onemap-store-crashwriter PATH BATCH_SIZE

use std::io::Write;

use serde_json::json;
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};
use onemap_store::{Change, SqliteStore, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: onemap-store-crashwriter PATH BATCH_SIZE")?;
    let batch: u64 = args.next().ok_or("missing BATCH_SIZE")?.parse()?;
    let mut store = SqliteStore::open(std::path::Path::new(&path))?;
    println!("node {}", store.node());
    let mut out = std::io::stdout().lock();
    let mut n: u64 = 0;
    loop {
        let changes = (0..batch)
            .map(|i| {
                let k = n + i;
                let entity = EntityRef { kind: EntityKind::StockLine, id: Uuid::from_u128(u128::from(k % 97)) };
                let change = if k.is_multiple_of(3) {
                    Change::Move { account: "on_hand".into(), delta: 1 }
                } else {
                    Change::Set(match json!({"note": format!("write {k}"), "k": k}) {
                        serde_json::Value::Object(m) => m,
                        _ => unreachable!(),
                    })
                };
                (entity, change)
            })
            .collect();
        let ops = store.commit("crashwriter", "test.write", changes)?;
        for op in &ops {
            writeln!(out, "ack {}", op.seq)?;
        }
        out.flush()?;
        n += batch;
    }
}
