//! Two hubs as real processes on loopback, the county's syncing with the city's: both
//! converge on everything either wrote, including across a SIGKILL of the county hub and a
//! restart, and a write at either end reaches the other.

mod common;

use common::{Hub, eventually, placeholder_ui};
use serde_json::json;

#[test]
fn a_county_hub_and_a_city_hub_converge_across_a_crash() {
    let ui = placeholder_ui();
    let ui_dir = ui.path().to_str().expect("utf-8 path");
    let (city_data, county_data) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let city = Hub::start(&["--ui", ui_dir, "--data", city_data.path().to_str().expect("path")]);
    let upstream = format!("http://{}", city.addr);
    let county_args = ["--ui", ui_dir, "--data", county_data.path().to_str().expect("path"), "--upstream", &upstream];
    let county = Hub::start(&county_args);

    // Each loaded the demo set as its own ops; after sync each holds both sets.
    let own = city.head();
    eventually(60, "the first sync", || (city.head() == 2 * own && county.head() == 2 * own).then_some(()));

    let shelter = city.layers().into_iter().find(|f| f["layer"] == "shelters").expect("a shelter")["id"].clone();
    let entity = json!({"kind": "shelter", "id": shelter});
    let start = city.occupancy(&entity);
    city.place(&entity, 25);
    eventually(30, "the city's write at the county", || (county.occupancy(&entity) == start + 25).then_some(()));

    county.kill();
    city.place(&entity, 5);
    let county = Hub::start(&county_args);
    eventually(30, "the write made while the county was down", || {
        (county.occupancy(&entity) == start + 30).then_some(())
    });

    county.place(&entity, -10);
    eventually(30, "the county's write at the city", || (city.occupancy(&entity) == start + 20).then_some(()));
    eventually(30, "identical pictures", || (city.layers() == county.layers()).then_some(()));
    assert_eq!(city.head(), county.head(), "both logs hold the same ops");

    // The county reports its link to the city as up and caught up; the city has no links.
    let link = eventually(10, "a caught-up link report", || {
        let links = county.rpc(json!({"method": "links"}))["result"].as_array().cloned().unwrap_or_default();
        links.into_iter().find(|l| l["up"] == true && l["behind"] == 0 && l["ahead"] == 0)
    });
    assert_eq!(link["peer"], upstream.as_str());
    assert!(link["sent_bytes"].as_u64().unwrap_or(0) > 0 && link["last_ok_ms"].as_i64().is_some(), "{link}");
    assert_eq!(city.rpc(json!({"method": "links"}))["result"], json!([]));
    county.kill();
    city.kill();
}
