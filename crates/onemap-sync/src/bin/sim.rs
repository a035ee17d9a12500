//! `onemap-sim [SEEDS] [FIRST]`: runs the deterministic sync simulator over many seeds, one
//! worker process per core, failing on the first seed that does not hold; prints seeds per
//! second beside the same simulator with no faults and no hostile ops (the baseline), and
//! the totals of what went wrong on purpose.
//!
//! Workers are processes, not threads: SQLite keeps process-wide allocator and page-cache
//! locks, and threads of one process queued on them for a third of their time.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use onemap_sync::sim::{Faults, Outcome, run};

const STEPS: usize = 300;
const WORKER: &str = "--worker";

/// The run's fault mix: the default one, or none at all (the baseline).
fn faults(calm: bool) -> Faults {
    if calm {
        Faults { drop: 0.0, duplicate: 0.0, cut_link: 0.0, heal_link: 1.0, crash: 0.0, restart: 1.0, hostile: 0.0 }
    } else {
        Faults::default()
    }
}

/// A worker: seeds `first + k`, `first + k + n`, … below `first + seeds`; prints its summed
/// outcome as one JSON line.
fn worker(first: u64, seeds: u64, k: u64, n: u64, calm: bool) -> Result<(), String> {
    let mut sum = Outcome::default();
    for seed in (first + k..first + seeds).step_by(n as usize) {
        sum.absorb(&run(seed, STEPS, faults(calm))?);
        if seed % 10_000 == 9_999 {
            eprintln!("  … seed {seed} held");
        }
    }
    println!("{}", serde_json::to_string(&sum).map_err(|e| e.to_string())?);
    Ok(())
}

/// Runs `seeds` seeds from `first` in one worker process per core; returns the summed
/// outcome and seconds.
fn sweep(first: u64, seeds: u64, calm: bool) -> Result<(Outcome, f64), String> {
    let n = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let t = Instant::now();
    let children = (0..n)
        .map(|k| {
            Command::new(&exe)
                .args([WORKER, &first.to_string(), &seeds.to_string(), &k.to_string(), &n.to_string()])
                .arg(if calm { "calm" } else { "faults" })
                .stdout(Stdio::piped())
                .spawn()
                .map_err(|e| format!("cannot start worker {k}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut total = Outcome::default();
    let mut failed = None;
    for (k, mut child) in children.into_iter().enumerate() {
        let out = child.stdout.take().expect("stdout is piped");
        let line = BufReader::new(out).lines().next().transpose().map_err(|e| e.to_string())?;
        let status = child.wait().map_err(|e| e.to_string())?;
        match line.filter(|_| status.success()) {
            Some(l) => total.absorb(&serde_json::from_str(&l).map_err(|e| format!("worker {k}: {e}"))?),
            None => failed = failed.or(Some(format!("worker {k} failed ({status})"))),
        }
    }
    match failed {
        Some(f) => Err(f),
        None => Ok((total, t.elapsed().as_secs_f64())),
    }
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, default: u64| args.get(i).and_then(|a| a.parse::<u64>().ok()).unwrap_or(default);
    if args.first().map(String::as_str) == Some(WORKER) {
        let calm = args.get(5).map(String::as_str) == Some("calm");
        return match worker(num(1, 0), num(2, 0), num(3, 0), num(4, 1).max(1), calm) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("simulator: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let (seeds, first) = (num(0, 100_000), num(1, 0));
    let baseline_seeds = (seeds / 100).max(1);
    let result = sweep(first, baseline_seeds, true).and_then(|base| Ok((base, sweep(first, seeds, false)?)));
    match result {
        Ok(((_, base_s), (o, s))) => {
            let (rate, base_rate) = (seeds as f64 / s, baseline_seeds as f64 / base_s);
            println!("  simulator, seeds {first}–{} of {STEPS} steps: all hold", first + seeds - 1);
            println!("  with faults and hostile ops : {rate:>8.1} seeds/s");
            println!("  no faults ({baseline_seeds} seeds)     : {base_rate:>8.1} seeds/s   (baseline)");
            println!("  ratio                       : {:>8.2}×", base_rate / rate);
            println!(
                "  faults: {} pages dropped, {} duplicated, {} crashes; {} hostile ops, {} refusals recorded; {} ops acknowledged",
                o.pages_dropped, o.pages_duplicated, o.crashes, o.hostile, o.refused, o.ops
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("simulator: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
