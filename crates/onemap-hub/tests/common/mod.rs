//! Helpers shared by the hub's process tests: start a hub binary, talk HTTP to it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs an `onemap-hub` command (`ca init`, `cert issue`, …) to success.
pub fn hub_cli(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_onemap-hub"))
        .args(args)
        .arg("--fixtures")
        .arg(repo().join("fixtures"))
        .output()
        .expect("run onemap-hub");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// `cert issue` for node `name` of `code` with `role`, from the CA in `ca` into `out`.
pub fn issue(ca: &Path, name: &str, code: &str, role: &str, out: &Path) {
    let (ca, out) = (ca.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    hub_cli(&["cert", "issue", "--ca", ca, "--name", name, "--code", code, "--role", role, "--out", out]);
}

pub struct Hub {
    child: Child,
    /// The hub's standard error, kept in a file.
    log: tempfile::NamedTempFile,
    pub addr: String,
    /// `https://host:port` of the TLS sync endpoints, when the hub runs them.
    pub sync_url: Option<String>,
}

impl Hub {
    /// Starts `onemap-hub serve` with `args` beside the repository's fixtures and tiles.
    pub fn start(args: &[&str]) -> Self {
        let log = tempfile::NamedTempFile::new().expect("log file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_onemap-hub"))
            .arg("serve")
            .arg("--fixtures")
            .arg(repo().join("fixtures"))
            .arg("--tiles")
            .arg(repo().join("offline-tiles/onemap-basemap.mbtiles"))
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(log.reopen().expect("log file"))
            .spawn()
            .expect("start the hub");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut sync_url = None;
        let mut line = String::new();
        loop {
            line.clear();
            if out.read_line(&mut line).expect("hub output") == 0 {
                panic!(
                    "the hub exited before it was ready: {}",
                    std::fs::read_to_string(log.path()).unwrap_or_default()
                );
            }
            match line.trim().strip_prefix("OneMap sync (TLS, client certificates): ") {
                Some(url) => sync_url = Some(url.trim_end_matches('/').to_owned()),
                None => break,
            }
        }
        let addr = line
            .trim()
            .strip_prefix("OneMap console: http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected: {line}"))
            .to_owned();
        Self { child, log, addr, sync_url }
    }

    /// What the hub has written to standard error so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).expect("hub log")
    }

    /// One HTTP/1.1 exchange; returns (status, body).
    pub fn http(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        self.http_bytes(method, path, body.as_bytes())
    }

    /// One HTTP/1.1 exchange with a binary body; returns (status, body as text).
    pub fn http_bytes(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        )
        .expect("send");
        s.write_all(body).expect("send body");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read");
        let text = String::from_utf8_lossy(&raw);
        let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP response");
        let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).expect("status code");
        (status, body.to_owned())
    }

    pub fn rpc(&self, request: serde_json::Value) -> serde_json::Value {
        let (status, body) = self.http("POST", "/api/rpc", &request.to_string());
        assert_eq!(status, 200, "{request}: {body}");
        serde_json::from_str(&body).expect("JSON response")
    }

    /// Stops the hub with SIGKILL (as a crash would).
    pub fn kill(self) {
        drop(self);
    }
}

impl Hub {
    /// The change-feed position of the hub's log (its op count, as nothing is deleted).
    pub fn head(&self) -> u64 {
        self.rpc(serde_json::json!({"method": "changes", "params": {"since": 0}}))["result"]["head"]
            .as_u64()
            .expect("head")
    }

    /// Every map feature, sorted by id, for comparing pictures.
    pub fn layers(&self) -> Vec<serde_json::Value> {
        let mut f = self.rpc(serde_json::json!({"method": "layers"}))["result"]["features"]
            .as_array()
            .expect("features")
            .clone();
        f.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        f
    }

    /// A shelter's occupancy ledger balance.
    pub fn occupancy(&self, entity: &serde_json::Value) -> i64 {
        self.rpc(serde_json::json!({"method": "entity", "params": {"entity": entity}}))["result"]["record"]["balances"]
            ["occupancy"]
            .as_i64()
            .unwrap_or(0)
    }

    /// Places (or, negative, releases) evacuees in a shelter.
    pub fn place(&self, entity: &serde_json::Value, delta: i64) {
        self.rpc(serde_json::json!({"method": "move", "params": {"entity": entity, "account": "occupancy", "delta": delta, "reason": "process test"}}));
    }
}

impl Drop for Hub {
    /// A failing test must not leave hubs running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A directory with a placeholder UI (the hub needs an index.html to serve).
pub fn placeholder_ui() -> tempfile::TempDir {
    let ui = tempfile::tempdir().expect("tempdir");
    std::fs::write(ui.path().join("index.html"), "<!doctype html><title>OneMap</title>").expect("index");
    ui
}

/// Polls `f` until it returns `Some`, for at most `secs` seconds.
pub fn eventually<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < until, "timed out after {secs} s waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}
