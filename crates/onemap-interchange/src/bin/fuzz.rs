//! `onemap-fuzz [csv|xlsx|geojson|kml|all] [--seconds N] [--seed S] [--corpus DIR]`: keeps
//! mutating the seed corpus (`fixtures/fuzz/<target>/`) for N seconds per target (default 60),
//! keeping inputs that produce an outcome not seen before, and prints executions per second.
//! On a panic it writes the input to `target/fuzz-crashes/<target>-<hash>.bin` and exits 1.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use onemap_interchange::fuzz::{self, Target};

/// The message of the last panic, recorded by the hook instead of printed (the XLSX reader
/// contains panics from its parsers, which would otherwise flood the terminal).
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// Inputs kept for novelty, per target, beyond the seeds.
const MAX_POOL: usize = 1024;

struct Options {
    targets: Vec<&'static Target>,
    seconds: u64,
    seed: u64,
    corpus: PathBuf,
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1).collect()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "onemap-fuzz: {e}\nusage: onemap-fuzz [csv|xlsx|geojson|kml|all] [--seconds N] [--seed S] [--corpus DIR]"
            );
            return ExitCode::from(2);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        let mut last = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner());
        *last = info.to_string();
    }));
    println!("onemap-fuzz: seed {}, {} s per target", options.seed, options.seconds);
    for target in &options.targets {
        if let Err(e) = fuzz_one(target, &options) {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut options = Options {
        targets: fuzz::TARGETS.iter().collect(),
        seconds: 60,
        seed: SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64),
        corpus: repository_root().join("fixtures/fuzz"),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--seconds" => options.seconds = value("--seconds")?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--seed" => options.seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--corpus" => options.corpus = PathBuf::from(value("--corpus")?),
            "all" => options.targets = fuzz::TARGETS.iter().collect(),
            name => options.targets = vec![fuzz::target(name).ok_or_else(|| format!("no target `{name}`"))?],
        }
    }
    Ok(options)
}

fn load_corpus(dir: &Path) -> Result<Vec<Vec<u8>>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))).collect()
}

fn fuzz_one(target: &Target, options: &Options) -> Result<(), String> {
    let seeds = load_corpus(&options.corpus.join(target.name))?;
    let mut pool = seeds.clone();
    let mut seen = HashSet::new();
    for seed in &seeds {
        seen.insert(execute(target, seed)?);
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let mut executions: u64 = 0;
    while Instant::now() < deadline {
        // A batch between clock reads.
        for _ in 0..64 {
            let input = target.mutation(&pool, options.seed, executions);
            executions += 1;
            let outcome = execute(target, &input)?;
            if seen.insert(outcome) && pool.len() < seeds.len() + MAX_POOL {
                pool.push(input);
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{:<8} {executions:>9} executions in {secs:.1} s = {:>8.0} exec/s, {} distinct outcomes, {} inputs kept",
        target.name,
        executions as f64 / secs,
        seen.len(),
        pool.len() - seeds.len()
    );
    Ok(())
}

/// Runs the target; on a panic saves the input and reports where.
fn execute(target: &Target, input: &[u8]) -> Result<fuzz::Outcome, String> {
    catch_unwind(AssertUnwindSafe(|| target.run(input))).map_err(|_| {
        let message = LAST_PANIC.lock().map(|m| m.clone()).unwrap_or_default();
        let mut hasher = DefaultHasher::new();
        input.hash(&mut hasher);
        let dir = target_dir().join("fuzz-crashes");
        let path = dir.join(format!("{}-{:016x}.bin", target.name, hasher.finish()));
        let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, input));
        match saved {
            Ok(()) => format!("{}: PANIC {message}\n  input saved to {}", target.name, path.display()),
            Err(e) => {
                format!("{}: PANIC {message}\n  could not save the input to {}: {e}", target.name, path.display())
            }
        }
    })
}

/// The checkout this binary was built from (`crates/onemap-interchange/../..`).
fn repository_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).unwrap_or(manifest).to_path_buf()
}

/// Cargo's target directory (honours `CARGO_TARGET_DIR`).
fn target_dir() -> PathBuf {
    let root = repository_root();
    match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(d) if d.is_absolute() => d,
        Some(d) => root.join(d),
        None => root.join("target"),
    }
}
