//! The hub as a real process on a PostgreSQL store: it loads the demo region through the op
//! path, serves the same layers and tiles as on SQLite, survives SIGKILL with an
//! acknowledged write intact, and does not load the demo set twice.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use onemap_store::postgres::testing::TestServer;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Hub {
    child: Child,
    addr: String,
}

impl Hub {
    fn start(database: &str, ui: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_onemap-hub"))
            .arg("serve")
            .arg("--fixtures")
            .arg(repo().join("fixtures"))
            .args(["--database", database, "--port", "0", "--ui"])
            .arg(ui)
            .arg("--tiles")
            .arg(repo().join("offline-tiles/onemap-basemap.mbtiles"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the hub");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("hub output");
        let addr = line
            .trim()
            .strip_prefix("OneMap console: http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected: {line}"))
            .to_owned();
        Self { child, addr }
    }

    /// One HTTP/1.1 exchange; returns (status, body).
    fn http(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .expect("send");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read");
        let text = String::from_utf8_lossy(&raw);
        let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP response");
        let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).expect("status code");
        (status, body.to_owned())
    }

    fn rpc(&self, request: serde_json::Value) -> serde_json::Value {
        let (status, body) = self.http("POST", "/api/rpc", &request.to_string());
        assert_eq!(status, 200, "{request}: {body}");
        serde_json::from_str(&body).expect("JSON response")
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }
}

fn rows(file: &str) -> usize {
    std::fs::read_to_string(repo().join("fixtures/demo").join(file))
        .expect("fixture")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count()
}

#[test]
fn a_hub_on_postgres_serves_the_demo_region_and_keeps_acknowledged_writes() {
    let pg = TestServer::start();
    let url = pg.fresh_db();
    let ui = tempfile::tempdir().expect("tempdir");
    std::fs::write(ui.path().join("index.html"), "<!doctype html><title>OneMap</title>").expect("index");

    let hub = Hub::start(&url, ui.path());
    let layers = hub.rpc(serde_json::json!({"method": "layers"}));
    let features = layers["result"]["features"].as_array().expect("features");
    for (layer, file) in [
        ("teams", "teams.csv"),
        ("warehouses", "warehouses.csv"),
        ("shelters", "shelters.csv"),
        ("hazards", "hazards.csv"),
        ("incidents", "incidents.csv"),
    ] {
        let n = features.iter().filter(|f| f["layer"] == layer).count();
        assert_eq!(n, rows(file), "{layer}");
    }
    let (status, _) = hub.http("GET", "/tiles/12/3480/1524.pbf", "");
    assert_eq!(status, 200, "the basemap tile over 东昌区 is served");

    // An acknowledged ledger movement survives a SIGKILL of the hub.
    let shelter = features.iter().find(|f| f["layer"] == "shelters").expect("a shelter")["id"].clone();
    let entity = serde_json::json!({"kind": "shelter", "id": shelter});
    let before = hub.rpc(serde_json::json!({"method": "entity", "params": {"entity": entity}}));
    let occupancy = before["result"]["record"]["balances"]["occupancy"].as_i64().unwrap_or(0);
    hub.rpc(serde_json::json!({"method": "move", "params": {"entity": entity, "account": "occupancy", "delta": 40, "reason": "evacuees placed"}}));
    let head = hub.rpc(serde_json::json!({"method": "changes", "params": {"since": 0}}))["result"]["head"]
        .as_u64()
        .expect("head");
    hub.kill();

    let hub = Hub::start(&url, ui.path());
    let after = hub.rpc(serde_json::json!({"method": "entity", "params": {"entity": entity}}));
    assert_eq!(after["result"]["record"]["balances"]["occupancy"].as_i64(), Some(occupancy + 40));
    let head_again = hub.rpc(serde_json::json!({"method": "changes", "params": {"since": 0}}))["result"]["head"]
        .as_u64()
        .expect("head");
    assert_eq!(head_again, head, "the restart loaded nothing twice");
    hub.kill();
}
