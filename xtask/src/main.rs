//! `cargo xtask run | test | bench | fuzz | tiles | bundle` — the project's only build scripts.
//! Each task first installs what it needs and is missing (Debian packages, npm packages,
//! tauri-driver), so the same command works on a fresh machine and on a developer's.

mod bench;
mod deps;
mod e2e;
mod fuzz;
mod util;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

  run      install what is missing, build, and open the console on the demo region
           (with no display: serve it to a browser and print the URL)
  test     install what is missing and run the whole test suite
  bench    run the benchmarks; each figure is printed beside a baseline from the same run
  fuzz     fuzz the import readers: [csv|xlsx|geojson|kml|all] [--seconds N] [--seed S]
  tiles    rebuild the offline basemap pack (args are passed to offline-tiles/build.sh)
  bundle   build the desktop .deb into target/bundle/";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let result = match task.as_str() {
        "run" => e2e::run_console(&rest),
        "test" => e2e::test_all(&rest),
        "bench" => bench::run(&rest),
        "fuzz" => fuzz::run(&rest),
        "tiles" => util::run_tiles(&rest),
        "bundle" => util::bundle(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}
