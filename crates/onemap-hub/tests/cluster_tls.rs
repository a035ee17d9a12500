//! A deployment on loopback, every process real and every link TLS with certificates and
//! grants from one CA: province ← city ← county hubs, a duty console on the county and one
//! on the city (the desktop app, in a real window). Each hub writes its share of the
//! demo set; writes are made at both ends; the city hub is killed with SIGKILL right after
//! a burst of writes and restarted; the county hub is cut off (stopped) while others write
//! and comes back. At the end all five stores hold the same ops and the same projections.
//!
//! Needs the desktop binary (`ONEMAP_DESKTOP`) and a display: `cargo xtask test` runs it
//! under Xvfb with `--ignored`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{Hub, eventually, hub_cli, issue, placeholder_ui, repo};
use onemap_store::{SqliteStore, Store};
use serde_json::json;

/// A desktop console process, killed on drop.
struct Console(Child);

impl Console {
    fn start(data: &Path, member: &Path, name: &str, upstream: &str) -> Self {
        let app = std::env::var_os("ONEMAP_DESKTOP").expect("ONEMAP_DESKTOP: the onemap-desktop binary to run");
        let log = std::fs::File::create(data.with_extension("log")).expect("console log");
        let child = Command::new(app)
            .env("ONEMAP_DATA", data)
            .env("ONEMAP_FIXTURES", repo().join("fixtures"))
            .env("ONEMAP_TILES", repo().join("offline-tiles/onemap-basemap.mbtiles"))
            .env("ONEMAP_TLS", member)
            .env("ONEMAP_NODE_NAME", name)
            .env("ONEMAP_UPSTREAM", upstream)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start the desktop console");
        Self(child)
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Op count of a store file another process is writing (WAL lets a reader in).
fn op_count(db: &Path) -> Option<u64> {
    SqliteStore::open(db).ok()?.op_count().ok()
}

#[test]
#[ignore = "needs the desktop binary and a display; run by cargo xtask test"]
fn a_tls_deployment_of_three_hubs_and_two_consoles_converges_through_crashes_and_cuts() {
    let dir = tempfile::tempdir().expect("dir");
    let d = |s: &str| dir.path().join(s);
    let s = |p: PathBuf| p.to_str().expect("utf-8").to_owned();
    hub_cli(&["ca", "init", "--dir", &s(d("ca")), "--name", "吉林省应急指挥部署 CA"]);
    for (name, code, role) in [
        ("province", "220000", "command"),
        ("city", "220500", "command"),
        ("county", "220502", "command"),
        ("console-county", "220502", "duty"),
        ("console-city", "220500", "duty"),
    ] {
        issue(&d("ca"), name, code, role, &d(name));
    }
    let ui = placeholder_ui();
    let ui = s(ui.path().to_path_buf());
    let hub_args = |name: &str, upstream: Option<&str>, ports: Option<(&str, &str)>| -> Vec<String> {
        let (port, sync) = ports.unwrap_or(("0", "0"));
        let mut a = ["--ui", &ui, "--data", &s(d(&format!("{name}-data"))), "--tls", &s(d(name)), "--name", name]
            .map(str::to_owned)
            .to_vec();
        a.extend(["--port".into(), port.into(), "--sync-port".into(), sync.into()]);
        if let Some(u) = upstream {
            a.extend(["--upstream".into(), u.into()]);
        }
        a
    };
    let start = |args: &[String]| Hub::start(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let ports = |h: &Hub| {
        let port = h.addr.rsplit(':').next().expect("port").to_owned();
        let sync = h.sync_url.as_deref().expect("TLS sync").rsplit(':').next().expect("port").to_owned();
        (port, sync)
    };

    let province = start(&hub_args("province", None, None));
    let to_province = province.sync_url.clone().expect("TLS sync");
    let city = start(&hub_args("city", Some(&to_province), None));
    let to_city = city.sync_url.clone().expect("TLS sync");
    let county = start(&hub_args("county", Some(&to_city), None));
    let to_county = county.sync_url.clone().expect("TLS sync");
    let consoles = [
        Console::start(&d("console-county-data"), &d("console-county"), "console-county", &to_county),
        Console::start(&d("console-city-data"), &d("console-city"), "console-city", &to_city),
    ];
    let console_dbs = [d("console-county-data").join("onemap.db"), d("console-city-data").join("onemap.db")];
    // Equal op counts alone could hide different ops (one node has A, another B), so each
    // wait also checks content: `same` must hold at every hub.
    let converged = |hubs: [&Hub; 3], what: &str, same: &dyn Fn(&Hub) -> bool| {
        eventually(120, what, || {
            let head = hubs[0].head();
            let all = hubs.iter().all(|h| h.head() == head && same(h))
                && console_dbs.iter().all(|db| op_count(db) == Some(head));
            (head > 0 && all).then_some(head)
        })
    };
    let shares = converged([&province, &city, &county], "every centre's share of the demo set everywhere", &|h| {
        h.layers() == province.layers() && !h.layers().is_empty()
    });

    // A shelter of 东昌区: the county may place evacuees in it, and so may the province.
    let shelter =
        county.layers().into_iter().find(|f| f["layer"] == "shelters").expect("the county's shelters reached it")["id"]
            .clone();
    let entity = json!({"kind": "shelter", "id": shelter});
    let base = county.occupancy(&entity);
    let entity = &entity;
    let placed = |n: i64| move |h: &Hub| h.occupancy(entity) == base + n;
    county.place(entity, 7);
    province.place(entity, 100);
    converged([&province, &city, &county], "writes at both ends everywhere", &placed(107));

    // The city hub dies with SIGKILL right after a burst it is relaying, and comes back.
    let (city_port, city_sync) = ports(&city);
    for _ in 0..20 {
        province.place(entity, 1);
    }
    city.kill();
    county.place(entity, 3);
    let city = start(&hub_args("city", Some(&to_province), Some((&city_port, &city_sync))));
    converged([&province, &city, &county], "everything across the restarted city hub", &placed(130));

    // The county is cut off while the others write, then comes back.
    let (county_port, county_sync) = ports(&county);
    county.kill();
    province.place(entity, 5);
    city.place(entity, 11);
    let county = start(&hub_args("county", Some(&to_city), Some((&county_port, &county_sync))));
    let total = converged([&province, &city, &county], "everything after the county's link is restored", &placed(146));
    assert!(total > shares, "the writes are in the logs");
    for (name, h) in [("province", &province), ("city", &city), ("county", &county)] {
        let why = || format!("{name}: quarantine {}\nlog:\n{}", h.rpc(json!({"method": "quarantine"})), h.log());
        assert_eq!(h.occupancy(entity), base + 7 + 100 + 20 + 3 + 5 + 11, "every placement counted once; {}", why());
    }

    // Stopped, every store holds the same projections, and nothing was refused.
    drop(consoles);
    let hub_dbs = ["province", "city", "county"].map(|n| d(&format!("{n}-data")).join("onemap.db"));
    for h in [county, city, province] {
        h.kill();
    }
    let snapshots: Vec<_> = hub_dbs
        .iter()
        .chain(&console_dbs)
        .map(|db| {
            let store = SqliteStore::open(db).expect("open a stopped node's store");
            assert!(store.quarantined(10).expect("quarantine").is_empty(), "{}: nothing refused", db.display());
            store.snapshot().expect("snapshot")
        })
        .collect();
    assert_eq!(snapshots[0].op_count, total);
    for (i, snap) in snapshots.iter().enumerate().skip(1) {
        assert!(snap == &snapshots[0], "node {i} disagrees with the province");
    }
}
