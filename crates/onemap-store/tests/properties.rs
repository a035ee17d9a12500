//! Property: the projections are a function of the *set* of ops — any order, duplication or
//! batching of the same ops gives the same records, balances and events.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};
use onemap_store::conformance::Writer;
use onemap_store::{Change, Op, SqliteStore, Store};

fn arb_change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => proptest::collection::btree_map(prop::sample::select(vec!["name", "status", "headcount", "deleted"]), 0i64..5, 1..3)
            .prop_map(|m| Change::Set(m.into_iter().map(|(k, v)| (k.to_owned(), if k == "deleted" { json!(v % 2 == 0) } else { json!(v) })).collect::<Map<String, Value>>())),
        2 => (-50i64..50).prop_map(|delta| Change::Move { account: "on_hand".into(), delta }),
        1 => (0u8..4).prop_map(|d| Change::Append(json!({"decision": d}))),
    ]
}

/// Signed ops from three origins, in change sets of one to a few ops; HLCs deliberately collide.
fn arb_ops() -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec((0usize..3, 0u128..4, 0u64..6, arb_change(), any::<bool>()), 1..40).prop_map(|raw| {
        let mut writers = [Writer::new(1), Writer::new(2), Writer::new(3)];
        let mut open: [Vec<(EntityRef, Change)>; 3] = Default::default();
        let mut hlcs = [0u64; 3];
        let mut out = Vec::new();
        for (origin, entity, hlc, change, close) in raw {
            if open[origin].is_empty() {
                hlcs[origin] = 1_000 + hlc;
            }
            open[origin].push((EntityRef { kind: EntityKind::Team, id: Uuid::from_u128(entity) }, change));
            if close {
                out.extend(writers[origin].commit(hlcs[origin], std::mem::take(&mut open[origin])));
            }
        }
        for (w, rest) in writers.iter_mut().zip(open) {
            if !rest.is_empty() {
                let hlc = 1_000 + rest.len() as u64;
                out.extend(w.commit(hlc, rest));
            }
        }
        out
    })
}

fn apply_all(batches: &[Vec<Op>]) -> onemap_store::Snapshot {
    let mut s = SqliteStore::open_in_memory().expect("open");
    for b in batches {
        s.apply(b).expect("apply");
    }
    s.snapshot().expect("snapshot")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("ONEMAP_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn order_duplication_and_batching_do_not_matter(
        ops in arb_ops(),
        perm in proptest::collection::vec(any::<prop::sample::Index>(), 0..80),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let reference = apply_all(std::slice::from_ref(&ops));
        // Shuffle with duplicates: pick ops by index (with repetition), then append all ops
        // once more in reverse so every op is present at least once.
        let mut shuffled: Vec<Op> = perm.iter().map(|i| ops[i.index(ops.len())].clone()).collect();
        shuffled.extend(ops.iter().rev().cloned());
        let mut bounds: Vec<usize> = cuts.iter().map(|i| i.index(shuffled.len() + 1)).collect();
        bounds.sort_unstable();
        let mut batches = Vec::new();
        let mut start = 0;
        for b in bounds.into_iter().chain([shuffled.len()]) {
            batches.push(shuffled[start..b.max(start)].to_vec());
            start = b.max(start);
        }
        let got = apply_all(&batches);
        prop_assert_eq!(&got, &reference);
        prop_assert_eq!(got.op_count, ops.len() as u64);
    }
}
