//! Small helpers: running commands with a visible step line, paths of the checkout.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the repository").to_path_buf()
}

/// Cargo's target directory (honours `CARGO_TARGET_DIR`, which CI points outside the clone).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || root().join("target"),
        |d| {
            let d = PathBuf::from(d);
            if d.is_absolute() { d } else { root().join(d) }
        },
    )
}

/// Runs a command in the repository root, streaming its output; fails with the command line.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let started = Instant::now();
    let status = cmd.current_dir_if_unset().status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        eprintln!("   done in {:.1} s: {shown}", started.elapsed().as_secs_f64());
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Prints a step header so long runs show where they are.
pub fn step(what: &str) {
    eprintln!("\n==> {what}");
}

trait CurrentDir {
    fn current_dir_if_unset(&mut self) -> &mut Self;
}

impl CurrentDir for Command {
    fn current_dir_if_unset(&mut self) -> &mut Self {
        if self.get_current_dir().is_none() {
            self.current_dir(root());
        }
        self
    }
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

pub fn npm(dir: &str) -> Command {
    let mut c = Command::new("npm");
    c.current_dir(root().join(dir));
    c
}

pub fn has(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

/// `npm ci` in `dir` unless its node_modules matches the lock file already.
pub fn npm_install(dir: &str) -> Result {
    let d = root().join(dir);
    let lock = d.join("package-lock.json");
    let stamp = d.join("node_modules/.package-lock.json");
    let fresh = match (
        std::fs::metadata(&lock).and_then(|m| m.modified()),
        std::fs::metadata(&stamp).and_then(|m| m.modified()),
    ) {
        (Ok(l), Ok(s)) => s >= l,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    step(&format!("installing npm packages in {dir}/"));
    run(npm(dir).args(["ci", "--no-audit", "--no-fund"]))
}

/// Builds the UI into `ui/dist`.
pub fn build_ui() -> Result {
    crate::deps::ensure(crate::deps::NODE)?;
    npm_install("ui")?;
    step("building the UI (ui/dist)");
    run(npm("ui").args(["run", "build"]))
}

pub fn run_tiles(args: &[String]) -> Result {
    step("building the offline basemap pack");
    run(Command::new("bash").arg(root().join("offline-tiles/build.sh")).args(args))
}

pub fn bundle() -> Result {
    crate::deps::ensure(crate::deps::DESKTOP_BUILD)?;
    build_ui()?;
    npm_install("installer")?;
    step("building the desktop .deb (release)");
    run(npm("installer").args(["run", "deb"]))?;
    let dir = target_dir().join("release/bundle/deb");
    let debs: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .collect();
    if debs.is_empty() {
        return Err(format!("no .deb was produced in {}", dir.display()));
    }
    for d in debs {
        eprintln!("bundle: {}", d.display());
    }
    Ok(())
}
