//! `cargo xtask bench`: the benchmarks, each printed beside a baseline measured in the same
//! run: store apply vs raw inserts, sync catch-up over HTTP vs in-process, the simulator's
//! 100,000 seeds vs fault-free runs, the picture at a past moment vs a full rebuild, team
//! recommendation from the spatial index vs a scan, a 50,000-row import vs plain parsing, map frame
//! times and update latency vs a bare map page, desktop cold start vs a bare Tauri window.

use std::process::Command;

use crate::deps::{self, DESKTOP_BUILD, NODE, TEST_TOOLS};
use crate::util::{self, Result, cargo, root, step, target_dir};

pub fn run(args: &[String]) -> Result {
    step("store: op apply vs raw rusqlite inserts");
    util::run(
        cargo()
            .args([
                "run",
                "--locked",
                "--release",
                "-p",
                "onemap-store",
                "--features",
                "bench",
                "--bin",
                "onemap-store-bench",
                "--",
            ])
            .args(args),
    )?;
    step("sync: catch-up county -> city over loopback HTTP vs in-process");
    util::run(cargo().args([
        "run",
        "--locked",
        "--release",
        "-p",
        "onemap-hub",
        "--features",
        "bench",
        "--bin",
        "sync_bench",
    ]))?;
    step("sync simulator: 100,000 seeds over all cores vs the same with no faults");
    util::run(cargo().args([
        "run",
        "--locked",
        "--release",
        "-p",
        "onemap-sync",
        "--bin",
        "onemap-sim",
        "--",
        "100000",
    ]))?;
    step("replay: the picture at a past moment (100,000 ops) vs rebuilding it from the first op");
    util::run(cargo().args(["run", "--locked", "--release", "-p", "onemap-api", "--bin", "replay_bench"]))?;
    step("dispatch: recommending teams among 10,000 from the spatial index vs a scan of every team");
    util::run(cargo().args(["run", "--locked", "--release", "-p", "onemap-api", "--bin", "dispatch_bench"]))?;
    step("import: a 50,000-row registry CSV through the API (with progress) vs plain CSV parsing");
    util::run(cargo().args(["run", "--locked", "--release", "-p", "onemap-api", "--bin", "import_bench"]))?;
    map_bench()?;
    cold_start()
}

/// The map in headless Chromium (ui/bench/map-bench.mjs, reference/stack.md §8): console vs
/// bare.html frame times with 10,000 teams, 100,000 (clustered) vs 10,000, and the latency
/// from an API commit to the feature drawn.
fn map_bench() -> Result {
    deps::ensure(NODE)?;
    deps::ensure(deps::FONTS)?;
    deps::ensure(TEST_TOOLS)?;
    util::run(cargo().args(["build", "--locked", "-p", "onemap-hub"]))?;
    util::build_ui()?;
    step("map: frame times console vs bare.html (10,000 teams), 100,000 vs 10,000, update latency");
    util::run(
        Command::new("node")
            .arg(root().join("ui/bench/map-bench.mjs"))
            .arg(target_dir().join("debug/onemap-hub"))
            .arg(root().join("fixtures"))
            .arg(target_dir().join("bench/map-bench.json")),
    )
}

fn cold_start() -> Result {
    deps::ensure(NODE)?;
    deps::ensure(DESKTOP_BUILD)?;
    deps::ensure(deps::FONTS)?;
    deps::ensure(TEST_TOOLS)?;
    let driver = deps::tauri_driver()?;
    util::build_ui()?;
    step("desktop: cold start to first rendered map vs a bare Tauri window");
    util::run(cargo().args([
        "build",
        "--locked",
        "--release",
        "-p",
        "onemap-desktop",
        "--bin",
        "onemap-desktop",
        "--example",
        "bare_window",
    ]))?;
    let data = target_dir().join("bench/desktop-data");
    let _ = std::fs::remove_dir_all(&data);
    // The bare page gets the same number of features per layer as the demo set holds.
    let count = |file: &str| {
        std::fs::read_to_string(root().join("fixtures/demo").join(file))
            .map_or(0, |t| t.lines().skip(1).filter(|l| !l.trim().is_empty()).count())
    };
    let query = format!(
        "?incidents={}&teams={}&warehouses={}&shelters={}&hazards={}",
        count("incidents.csv"),
        count("teams.csv"),
        count("warehouses.csv"),
        count("shelters.csv"),
        count("hazards.csv")
    );
    util::run(
        Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1600x960x24", "node"])
            .arg(root().join("e2e/cold-start.mjs"))
            .env("TAURI_DRIVER", driver)
            .env("ONEMAP_APP", target_dir().join("release/onemap-desktop"))
            .env("ONEMAP_BARE_APP", target_dir().join("release/examples/bare_window"))
            .env("ONEMAP_BARE_QUERY", query)
            .env("ONEMAP_DATA", data),
    )
}
