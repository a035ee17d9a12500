//! The hub as a real process on a PostgreSQL store: it loads the demo region through the op
//! path, serves the same layers and tiles as on SQLite, survives SIGKILL with an
//! acknowledged write intact, and does not load the demo set twice.

mod common;

use common::{Hub, placeholder_ui, repo};
use onemap_store::postgres::testing::TestServer;

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
    let ui = placeholder_ui();
    let ui_dir = ui.path().to_str().expect("utf-8 path");
    let hub = Hub::start(&["--database", &url, "--ui", ui_dir]);
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

    let hub = Hub::start(&["--database", &url, "--ui", ui_dir]);
    let after = hub.rpc(serde_json::json!({"method": "entity", "params": {"entity": entity}}));
    assert_eq!(after["result"]["record"]["balances"]["occupancy"].as_i64(), Some(occupancy + 40));
    let head_again = hub.rpc(serde_json::json!({"method": "changes", "params": {"since": 0}}))["result"]["head"]
        .as_u64()
        .expect("head");
    assert_eq!(head_again, head, "the restart loaded nothing twice");
    hub.kill();
}
