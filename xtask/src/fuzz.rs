//! `cargo xtask fuzz [csv|xlsx|geojson|kml|all] [--seconds N] [--seed S]`: the interchange
//! readers' fuzz targets, mutating the seed corpus in `fixtures/fuzz/` for N seconds per target
//! (default 60) in a release build. A panic leaves its input in `target/fuzz-crashes/`.

use crate::util::{self, Result, cargo, step};

pub fn run(args: &[String]) -> Result {
    step("fuzz: onemap-interchange readers (crashes go to target/fuzz-crashes/)");
    util::run(
        cargo()
            .args(["run", "--locked", "--release", "-p", "onemap-interchange", "--bin", "onemap-fuzz", "--"])
            .args(args),
    )
}
