//! Three hubs in a chain — province ← city ← county, each linked to its parent — as real
//! processes on loopback. Writes at either end cross the middle hub, which is killed with
//! SIGKILL while the others keep writing and then restarted on its port; the county's link
//! finds it again, and at the end all three hold the same ops and show the same picture.

mod common;

use common::{Hub, eventually, placeholder_ui};
use serde_json::json;

#[test]
fn writes_cross_a_middle_hub_that_crashes() {
    let ui = placeholder_ui();
    let ui = ui.path().to_str().expect("utf-8").to_owned();
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().expect("dir")).collect();
    let data = |i: usize| dirs[i].path().to_str().expect("utf-8").to_owned();

    let province = Hub::start(&["--ui", &ui, "--data", &data(0)]);
    let to_province = format!("http://{}", province.addr);
    let city_args = ["--ui", ui.as_str(), "--data", &data(1), "--upstream", to_province.as_str()];
    let city = Hub::start(&city_args);
    let to_city = format!("http://{}", city.addr);
    let county = Hub::start(&["--ui", &ui, "--data", &data(2), "--upstream", &to_city]);

    // Each loaded the demo set as its own ops; the chain carries all three sets everywhere.
    let own = province.head();
    eventually(90, "three demo sets at every hub", || {
        [&province, &city, &county].iter().all(|h| h.head() == 3 * own).then_some(())
    });

    let shelter = province.layers().into_iter().find(|f| f["layer"] == "shelters").expect("a shelter")["id"].clone();
    let entity = json!({"kind": "shelter", "id": shelter});
    let start = province.occupancy(&entity);

    county.place(&entity, 7);
    eventually(30, "the county's write at the province", || (province.occupancy(&entity) == start + 7).then_some(()));

    // The middle hub dies; both ends keep working; it comes back on its port and data, and
    // the county's link (backing off meanwhile) finds it again.
    let port = city.addr.rsplit(':').next().expect("port").to_owned();
    city.kill();
    county.place(&entity, 3);
    province.place(&entity, 100);
    let mut restart = city_args.to_vec();
    restart.extend(["--port", port.as_str()]);
    let city = Hub::start(&restart);
    eventually(60, "both ends' writes everywhere", || {
        [&province, &city, &county].iter().all(|h| h.occupancy(&entity) == start + 110).then_some(())
    });
    eventually(30, "identical pictures", || {
        let p = province.layers();
        (city.layers() == p && county.layers() == p).then_some(())
    });
    let heads: Vec<u64> = [&province, &city, &county].iter().map(|h| h.head()).collect();
    assert!(heads.windows(2).all(|w| w[0] == w[1]), "all logs hold the same ops: {heads:?}");
    for h in [county, city, province] {
        h.kill();
    }
}
