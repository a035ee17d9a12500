//! The sync simulator over a fixed seed set: every seed must converge with no acknowledged
//! op lost. `ONEMAP_SIM_SEEDS` runs more (the benchmark runs many more).

use onemap_sync::sim::{Faults, Outcome, run};

#[test]
fn every_seed_converges_with_nothing_lost() {
    let seeds: u64 = std::env::var("ONEMAP_SIM_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let mut total = Outcome::default();
    for seed in 0..seeds {
        total.absorb(&run(seed, 300, Faults::default()).unwrap_or_else(|e| panic!("{e}")));
    }
    // The faults and attacks must actually have happened, or the test proved nothing.
    let t = &total;
    let counts = [t.pages_dropped, t.pages_duplicated, t.crashes, t.hostile, t.refused, t.ops as usize];
    assert!(counts.iter().all(|&c| c > 0), "{total:?}");
}

#[test]
fn a_seed_replays_exactly() {
    assert_eq!(run(42, 300, Faults::default()), run(42, 300, Faults::default()));
}
