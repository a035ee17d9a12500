//! Installs what a task needs and the machine lacks: Debian packages (as root, or prints
//! the `sudo apt-get` line to run), and cargo-installed tools.

use std::process::Command;

use crate::util::{self, Result, run, step};

/// A named set of Debian packages.
pub struct Group {
    pub name: &'static str,
    pub packages: &'static [&'static str],
}

pub const NODE: Group = Group { name: "Node.js", packages: &[] };

/// Building the Tauri desktop app.
pub const DESKTOP_BUILD: Group = Group {
    name: "desktop build libraries",
    packages: &[
        "libwebkit2gtk-4.1-dev",
        "libgtk-3-dev",
        "libayatana-appindicator3-dev",
        "librsvg2-dev",
        "libsoup-3.0-dev",
        "libxdo-dev",
        "pkg-config",
        "build-essential",
        "file",
    ],
};

/// The CJK fonts the console draws with and prints reports in (`console.toml [report]`).
pub const FONTS: Group = Group { name: "CJK fonts", packages: &["fonts-noto-cjk"] };

/// Running the console and its end-to-end tests without a desktop.
pub const TEST_TOOLS: Group = Group {
    name: "test tools",
    packages: &["xvfb", "xauth", "webkit2gtk-driver", "chromium", "strace", "sqlite3", "x11-utils", "imagemagick"],
};

fn installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Installs the missing packages of `group`.
pub fn ensure(group: Group) -> Result {
    if group.packages.is_empty() {
        return if util::has("node") && util::has("npm") {
            Ok(())
        } else {
            Err("node and npm are required (Node.js 20 or later)".into())
        };
    }
    let missing: Vec<&str> = group.packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!("installing {}: {}", group.name, missing.join(" ")));
    if !is_root() {
        return Err(format!(
            "missing Debian packages; run:\n  sudo apt-get update && sudo apt-get install -y {}",
            missing.join(" ")
        ));
    }
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(&missing))
}

/// `tauri-driver` (the WebDriver bridge to the desktop window), from crates.io.
pub fn tauri_driver() -> Result<std::path::PathBuf> {
    let home = std::env::var("CARGO_HOME").map(std::path::PathBuf::from).unwrap_or_else(|_| {
        std::path::PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join(".cargo")
    });
    let bin = home.join("bin/tauri-driver");
    if !bin.is_file() {
        step("installing tauri-driver");
        run(util::cargo().args(["install", "tauri-driver", "--locked", "--version", "2.1.0"]))?;
    }
    Ok(bin)
}
