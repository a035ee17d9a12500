//! The hub serves one UI at three places — the console at `/` and `/console/`, the wall at
//! `/wall/` — and the wall's API reads everything but changes nothing, however it is asked.

mod common;

use common::{Hub, placeholder_ui};
use serde_json::json;

#[test]
fn the_wall_reads_but_may_not_write() {
    let ui = placeholder_ui();
    std::fs::create_dir(ui.path().join("assets")).expect("assets dir");
    std::fs::write(ui.path().join("assets/app.js"), "export {}").expect("asset");
    let data = tempfile::tempdir().expect("dir");
    let hub = Hub::start(&["--ui", ui.path().to_str().expect("utf-8"), "--data", data.path().to_str().expect("utf-8")]);

    for path in ["/", "/console/", "/wall/"] {
        let (status, body) = hub.http("GET", path, "");
        assert_eq!(status, 200, "{path}");
        assert!(body.contains("<title>OneMap</title>"), "{path}: {body}");
        let (status, body) = hub.http("GET", &format!("{path}assets/app.js"), "");
        assert_eq!((status, body.as_str()), (200, "export {}"), "{path}assets/app.js");
    }
    for path in ["/wall", "/console"] {
        let (status, _) = hub.http("GET", path, "");
        assert_eq!(status, 308, "{path} redirects to {path}/ so relative URLs stay under it");
    }

    let layers = hub.rpc(json!({"method": "layers"}));
    let shelter = layers["result"]["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["layer"] == "shelters")
        .expect("a shelter")["id"]
        .clone();
    let head = hub.head();
    let writes = [
        json!({"method": "move", "params": {"entity": {"kind": "shelter", "id": shelter}, "account": "occupancy", "delta": 5, "reason": "wall"}}),
        json!({"method": "set_wall", "params": {"control": {"spotlight": null, "layers": ["teams"], "region": null}}}),
    ];
    for w in &writes {
        let (status, body) = hub.http("POST", "/wall/api/rpc", &w.to_string());
        assert_eq!(status, 403, "{w}: {body}");
        let err: serde_json::Value = serde_json::from_str(&body).expect("an ApiError");
        assert_eq!(err["code"], "auth.read_only", "{body}");
    }
    assert_eq!(hub.head(), head, "nothing was written");
    let (status, body) = hub.http("POST", "/wall/api/rpc", &json!({"method": "wall"}).to_string());
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""layers":["incidents","teams","warehouses","shelters","hazards"]"#), "{body}");

    // A console (at either place) chooses; the wall reads the choice.
    let (status, body) = hub.http("POST", "/console/api/rpc", &writes[1].to_string());
    assert_eq!(status, 200, "{body}");
    let (_, body) = hub.http("POST", "/wall/api/rpc", &json!({"method": "wall"}).to_string());
    assert!(body.contains(r#""layers":["teams"]"#), "{body}");
}
