//! The sync simulator over a fixed seed set: every seed must converge with no acknowledged
//! op lost. `ONEMAP_SIM_SEEDS` runs more (the benchmark runs many more).

use onemap_sync::sim::{Faults, run};

#[test]
fn every_seed_converges_with_nothing_lost() {
    let seeds: u64 = std::env::var("ONEMAP_SIM_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let mut totals = [0u64; 6];
    for seed in 0..seeds {
        let o = run(seed, 300, Faults::default()).unwrap_or_else(|e| panic!("{e}"));
        for (t, v) in totals.iter_mut().zip([o.pages_dropped, o.pages_duplicated, o.crashes, o.hostile, o.refused]) {
            *t += v as u64;
        }
        totals[5] += o.ops;
    }
    // The faults and attacks must actually have happened, or the test proved nothing.
    assert!(totals.iter().all(|&t| t > 0), "dropped, duplicated, crashes, hostile, refused, ops: {totals:?}");
}

#[test]
fn a_seed_replays_exactly() {
    assert_eq!(run(42, 300, Faults::default()), run(42, 300, Faults::default()));
}
