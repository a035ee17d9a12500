//! `cargo xtask bench`: builds the benchmark binaries in release mode and runs them.

use crate::util::{self, cargo, step, Result};

pub fn run(args: &[String]) -> Result {
    step("store: op apply vs raw rusqlite inserts");
    util::run(cargo().args(["run", "--locked", "--release", "-p", "onemap-store", "--features", "bench", "--bin", "onemap-store-bench", "--"]).args(args))
}
