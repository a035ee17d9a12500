//! The sync simulator over a fixed seed set: every seed must converge with no acknowledged
//! op lost. `ONEMAP_SIM_SEEDS` runs more (the benchmark runs many more).

use onemap_sync::sim::{Faults, run};

#[test]
fn every_seed_converges_with_nothing_lost() {
    let seeds: u64 = std::env::var("ONEMAP_SIM_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let mut totals = (0usize, 0usize, 0usize, 0u64);
    for seed in 0..seeds {
        let o = run(seed, 300, Faults::default()).unwrap_or_else(|e| panic!("{e}"));
        totals.0 += o.pages_dropped;
        totals.1 += o.pages_duplicated;
        totals.2 += o.crashes;
        totals.3 += o.ops;
    }
    // The faults must actually have happened, or the test proved nothing.
    assert!(totals.0 > 0 && totals.1 > 0 && totals.2 > 0 && totals.3 > 0, "{totals:?}");
}

#[test]
fn a_seed_replays_exactly() {
    assert_eq!(run(42, 300, Faults::default()), run(42, 300, Faults::default()));
}
