//! Sync over TLS with client certificates from a deployment CA, as operators set it up with
//! `onemap-hub ca init` and `cert issue`: peers with the CA's certificates converge; a peer
//! whose certificate another CA issued is refused at the handshake (and logged), nothing of
//! it crosses; and with TLS on, the plain console port offers no sync endpoints at all.

mod common;

use common::{Hub, eventually, hub_cli, issue, placeholder_ui};
use serde_json::json;

#[test]
fn only_peers_of_the_deployment_ca_sync() {
    let dir = tempfile::tempdir().expect("dir");
    let p = |s: &str| dir.path().join(s).to_str().expect("utf-8").to_owned();
    hub_cli(&["ca", "init", "--dir", &p("ca")]);
    let d = |s: &str| dir.path().join(s);
    issue(&d("ca"), "city", "220500", "command", &d("city"));
    issue(&d("ca"), "county", "220502", "command", &d("county"));
    hub_cli(&["ca", "init", "--dir", &p("rogue-ca"), "--name", "Not our CA"]);
    issue(&d("rogue-ca"), "rogue", "220502", "command", &d("rogue"));

    let ui = placeholder_ui();
    let ui = ui.path().to_str().expect("utf-8").to_owned();
    let city = Hub::start(&[
        "--ui",
        &ui,
        "--data",
        &p("city-data"),
        "--tls",
        &p("city"),
        "--name",
        "city",
        "--sync-port",
        "0",
    ]);
    let sync = city.sync_url.clone().expect("the city runs TLS sync");
    assert!(sync.starts_with("https://"), "{sync}");

    let county = Hub::start(&[
        "--ui",
        &ui,
        "--data",
        &p("county-data"),
        "--tls",
        &p("county"),
        "--name",
        "county",
        "--sync-port",
        "0",
        "--upstream",
        &sync,
    ]);
    // Each wrote its own share of the demo set; over TLS each gets the other's.
    let own = city.head();
    let both = eventually(60, "the county and the city to converge over TLS", || {
        let (c, k) = (city.head(), county.head());
        (c == k && c > own).then_some(c)
    });

    let rogue = Hub::start(&[
        "--ui",
        &ui,
        "--data",
        &p("rogue-data"),
        "--tls",
        &p("rogue"),
        "--name",
        "rogue",
        "--sync-port",
        "0",
        "--upstream",
        &sync,
    ]);
    let link = eventually(30, "the rogue's link to fail", || {
        let links = rogue.rpc(json!({"method": "links"}))["result"].as_array().cloned().unwrap_or_default();
        links.into_iter().find(|l| l["up"] == false && l["error"].is_string())
    });
    assert!(link["error"].as_str().unwrap_or("").contains(&sync), "{link}");
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(city.head(), both, "nothing of the rogue crossed");

    // With TLS on, the console port serves no sync endpoint.
    let (status, body) = city.http("GET", "/sync/v1/hello", "");
    assert_eq!(status, 404, "sync is only behind TLS: {body}");
    for h in [rogue, county, city] {
        h.kill();
    }
}
