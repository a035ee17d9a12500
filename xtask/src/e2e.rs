//! `run` and `test`: launching the console, and the whole test suite from unit tests to the
//! end-to-end runs in Chromium (against the hub) and in the real desktop window.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::deps::{self, DESKTOP_BUILD, NODE, TEST_TOOLS};
use crate::util::{self, Result, cargo, root, run, step};

fn has_display() -> bool {
    std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
        || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
}

/// `cargo xtask run`: the desktop app on the demo region, or the browser console.
pub fn run_console(args: &[String]) -> Result {
    let browser = args.iter().any(|a| a == "--browser") || !has_display();
    deps::ensure(NODE)?;
    deps::ensure(deps::FONTS)?;
    util::build_ui()?;
    if browser {
        if !has_display() {
            eprintln!("\nNo display found (DISPLAY/WAYLAND_DISPLAY unset): serving the console to a browser instead.");
        }
        step("starting the OneMap hub");
        let port = args.iter().position(|a| a == "--port").and_then(|i| args.get(i + 1)).map_or("8787", String::as_str);
        return run(cargo().args([
            "run",
            "--locked",
            "-p",
            "onemap-hub",
            "--bin",
            "onemap-hub",
            "--",
            "serve",
            "--port",
            port,
        ]));
    }
    deps::ensure(DESKTOP_BUILD)?;
    step("starting the OneMap desktop console");
    run(cargo().args(["run", "--locked", "-p", "onemap-desktop", "--bin", "onemap-desktop"]))
}

/// One suite of the test run, with its outcome.
struct Outcome {
    name: &'static str,
    result: Result,
}

/// `cargo xtask test`: everything, in order; every suite runs even if one fails.
pub fn test_all(_args: &[String]) -> Result {
    deps::ensure(NODE)?;
    deps::ensure(DESKTOP_BUILD)?;
    deps::ensure(deps::FONTS)?;
    deps::ensure(TEST_TOOLS)?;
    let driver = deps::tauri_driver()?;
    util::npm_install("ui")?;

    let mut outcomes = Vec::new();
    let mut suite = |name: &'static str, f: &mut dyn FnMut() -> Result| {
        step(name);
        let result = f();
        if let Err(e) = &result {
            eprintln!("!! {name} failed: {e}");
        }
        outcomes.push(Outcome { name, result });
    };
    suite("UI unit tests (vitest)", &mut || run(util::npm("ui").args(["test"])));
    suite("UI build", &mut || run(util::npm("ui").args(["run", "build"])));
    suite("Rust lints (rustfmt, clippy -D warnings)", &mut || {
        run(cargo().args(["fmt", "--all", "--", "--check"]))?;
        run(cargo().args([
            "clippy",
            "--locked",
            "--workspace",
            "--all-targets",
            "--features",
            "onemap-store/bench,onemap-store/postgres,onemap-hub/bench",
            "--",
            "-D",
            "warnings",
        ]))
    });
    suite("Rust unit, property, conformance (SQLite and PostgreSQL) and crash tests", &mut || {
        // The PostgreSQL backend's conformance test starts its own server on loopback.
        run(cargo().args([
            "test",
            "--locked",
            "--workspace",
            "--exclude",
            "onemap-desktop",
            "--features",
            "onemap-store/postgres",
        ]))
    });
    suite("generated TypeScript bindings match the Rust API types", &mut || {
        run(Command::new("git").args(["diff", "--exit-code", "--stat", "--", "ui/src/lib/bindings"]))
    });
    let built = cargo()
        .args(["build", "--locked", "-p", "onemap-hub", "-p", "onemap-desktop"])
        .status()
        .is_ok_and(|s| s.success());
    suite(
        "browser end-to-end: commander, wall and response workflow (Chromium via playwright-core, against the hub)",
        &mut || {
            if !built {
                return Err("the hub and desktop binaries did not build".into());
            }
            browser_e2e()
        },
    );
    suite("desktop smoke test (tauri-driver + WebKitWebDriver under Xvfb)", &mut || {
        if !built {
            return Err("the hub and desktop binaries did not build".into());
        }
        desktop_e2e(&driver)
    });
    suite("deployment over TLS: three hubs and two desktop consoles under Xvfb", &mut || {
        if !built {
            return Err("the hub and desktop binaries did not build".into());
        }
        run(Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1280x800x24"])
            .arg(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["test", "--locked", "-p", "onemap-hub", "--test", "cluster_tls", "--", "--ignored"])
            .env("ONEMAP_DESKTOP", util::target_dir().join("debug/onemap-desktop")))
    });

    eprintln!("\n==> summary");
    for o in &outcomes {
        eprintln!("   {} {}", if o.result.is_ok() { "PASS" } else { "FAIL" }, o.name);
    }
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    println!("suites: {} passed, {} failed", outcomes.len() - failed, failed);
    if failed == 0 { Ok(()) } else { Err(format!("{failed} suite(s) failed")) }
}

fn screenshots() -> PathBuf {
    let dir = root().join("target/screenshots");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn fresh_dir(name: &str) -> Result<PathBuf> {
    let dir = root().join("target/e2e").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// Kills the child when dropped, so a failing test never leaves a server behind.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the hub on a free loopback port over a fresh data dir; returns it and its URL.
fn start_hub(data: &Path) -> Result<(Guard, String)> {
    let bin = util::target_dir().join("debug/onemap-hub");
    let mut child = Command::new(&bin)
        .current_dir(root())
        .args(["serve", "--port", "0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let guard = Guard(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
    let url = line
        .trim()
        .strip_prefix("OneMap console: ")
        .ok_or_else(|| format!("unexpected hub output: {line}"))?
        .to_owned();
    Ok((guard, url))
}

/// The commander layout (at `/`), the wall (at `/wall/`), the response workflow (intake
/// to the end of a response), dispatch and allocation, the readiness table with registry
/// import and export, and record editing with team requests and experts, each against a
/// fresh hub.
fn browser_e2e() -> Result {
    let scripts = [
        ("browser", "ui/e2e/browser-smoke.mjs"),
        ("wall", "ui/e2e/wall-e2e.mjs"),
        ("response", "ui/e2e/response-e2e.mjs"),
        ("dispatch", "ui/e2e/dispatch-e2e.mjs"),
        ("registry", "ui/e2e/registry-e2e.mjs"),
        ("editor", "ui/e2e/editor-e2e.mjs"),
    ];
    for (name, script) in scripts {
        let data = fresh_dir(name)?;
        let (_hub, url) = start_hub(&data)?;
        eprintln!("   hub at {url}: {script}");
        run(Command::new("node").arg(root().join(script)).arg(&url).arg(screenshots()))?;
    }
    Ok(())
}

fn desktop_e2e(driver: &Path) -> Result {
    let data = fresh_dir("desktop")?;
    // The console syncs with a centre hub, as a deployed one does.
    let (_hub, hub_url) = start_hub(&fresh_dir("desktop-hub")?)?;
    run(Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1600x960x24"])
        .arg("node")
        .arg(root().join("e2e/desktop-smoke.mjs"))
        .env("TAURI_DRIVER", driver)
        .env("ONEMAP_APP", util::target_dir().join("debug/onemap-desktop"))
        .env("ONEMAP_DATA", &data)
        .env("ONEMAP_SCREENSHOTS", screenshots())
        .env("ONEMAP_STRACE_LOG", data.join("connect.strace"))
        .env("ONEMAP_UPSTREAM", hub_url.trim_end_matches('/')))
}
