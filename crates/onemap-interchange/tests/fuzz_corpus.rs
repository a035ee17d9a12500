//! Runs every fuzz target over its seed corpus (`fixtures/fuzz/<target>/`) and over a fixed
//! number of deterministic mutations of it. A panic is reported with the target, and the
//! seed file or the (run seed, mutation number) that reproduces it:
//! `fuzz::target(name).mutation(&corpus, SEED, case)`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use onemap_interchange::fuzz::{self, Target};

const SEED: u64 = 0x0E3A_2026_1123;

fn corpus(target: &Target) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/fuzz").join(target.name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    files.sort();
    files.into_iter().map(|p| (p.clone(), std::fs::read(&p).expect("corpus file"))).collect()
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_else(|| "non-text panic".into())
}

/// Runs `mutations` mutations after the seeds (sized so the whole file stays well under 20 s in
/// a debug build on two cores).
fn run_target(name: &str, mutations: u64) {
    let target = fuzz::target(name).expect("target");
    let seeds = corpus(target);
    assert!(seeds.len() >= 5, "{name}: only {} seed files", seeds.len());
    let mut failures = Vec::new();
    for (path, bytes) in &seeds {
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| target.run(bytes))) {
            failures.push(format!("{name}: seed {} panicked: {}", path.display(), panic_text(&*p)));
        }
    }
    let inputs: Vec<Vec<u8>> = seeds.into_iter().map(|(_, b)| b).collect();
    let started = Instant::now();
    let mut outcomes = std::collections::HashSet::new();
    for case in 0..mutations {
        let input = target.mutation(&inputs, SEED, case);
        match catch_unwind(AssertUnwindSafe(|| target.run(&input))) {
            Ok(outcome) => {
                outcomes.insert(outcome);
            }
            Err(p) => failures.push(format!(
                "{name}: mutation {case} (run seed {SEED:#x}) panicked: {}; reproduce with \
                 fuzz::target(\"{name}\").mutation(&corpus, {SEED:#x}, {case})",
                panic_text(&*p)
            )),
        }
    }
    eprintln!(
        "{name}: {mutations} mutations in {:.1} s, {} distinct outcomes",
        started.elapsed().as_secs_f64(),
        outcomes.len()
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    // The mutations must reach past the first parse error into the readers.
    assert!(outcomes.len() >= 10, "{name}: only {} distinct outcomes", outcomes.len());
}

#[test]
fn csv_corpus_and_mutations() {
    run_target("csv", 20_000);
}

#[test]
fn xlsx_corpus_and_mutations() {
    run_target("xlsx", 3_000);
}

#[test]
fn geojson_corpus_and_mutations() {
    run_target("geojson", 20_000);
}

#[test]
fn kml_corpus_and_mutations() {
    run_target("kml", 20_000);
}
