//! `onemap-sim [SEEDS] [FIRST]`: runs the deterministic sync simulator over many seeds on
//! every core (`cargo xtask bench` runs 100,000), failing on the first seed that does not
//! hold; prints seeds per second beside the same simulator with no faults and no hostile
//! ops (the baseline), and the totals of what went wrong on purpose.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use onemap_sync::sim::{Faults, Outcome, run};

const STEPS: usize = 300;

/// Runs `seeds` seeds from `first` on all cores; returns the summed outcome and seconds.
fn sweep(first: u64, seeds: u64, faults: Faults) -> Result<(Outcome, f64), String> {
    let next = AtomicU64::new(first);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    let parts: Vec<Result<Outcome, String>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut sum = Outcome::default();
                    loop {
                        let seed = next.fetch_add(1, Ordering::Relaxed);
                        if seed >= first + seeds {
                            return Ok(sum);
                        }
                        sum.absorb(&run(seed, STEPS, faults)?);
                        if seed % 10_000 == 9_999 {
                            eprintln!("  … {} seeds", seed + 1 - first);
                        }
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("a simulation thread panicked")).collect()
    });
    let mut total = Outcome::default();
    for p in parts {
        total.absorb(&p?);
    }
    Ok((total, t.elapsed().as_secs_f64()))
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>());
    let seeds = args.next().and_then(Result::ok).unwrap_or(100_000);
    let first = args.next().and_then(Result::ok).unwrap_or(0);
    let calm =
        Faults { drop: 0.0, duplicate: 0.0, cut_link: 0.0, heal_link: 1.0, crash: 0.0, restart: 1.0, hostile: 0.0 };
    let baseline_seeds = (seeds / 100).max(1);
    let result =
        sweep(first, baseline_seeds, calm).and_then(|base| Ok((base, sweep(first, seeds, Faults::default())?)));
    match result {
        Ok(((_, base_s), (o, s))) => {
            let (rate, base_rate) = (seeds as f64 / s, baseline_seeds as f64 / base_s);
            println!("  simulator, {seeds} seeds of {STEPS} steps: all hold");
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
