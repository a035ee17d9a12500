//! Bundles carry a centre's changes on a USB stick: an import converges like a network
//! page, a second import changes nothing, and a damaged or foreign file is refused whole.

use serde_json::json;
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};
use onemap_store::{Change, SqliteStore, Store};
use onemap_sync::bundle::{BundleError, export, import};

fn team(n: u128) -> EntityRef {
    EntityRef { kind: EntityKind::Team, id: Uuid::from_u128(n) }
}

#[test]
fn a_bundle_moves_changes_without_a_link() {
    let mut county = SqliteStore::open_in_memory().expect("store");
    let mut city = SqliteStore::open_in_memory().expect("store");
    for i in 0..20u128 {
        let fields = json!({"name": format!("队伍 {i}"), "headcount": 10 + i as u64});
        county
            .commit("duty", "team.upsert", vec![(team(i), Change::Set(fields.as_object().expect("object").clone()))])
            .expect("commit");
    }
    city.commit(
        "duty",
        "team.upsert",
        vec![(team(100), Change::Set(json!({"name": "市级"}).as_object().expect("o").clone()))],
    )
    .expect("commit");

    let bytes = export(&county, 0, &city.versions().expect("versions")).expect("export");
    let (from, report) = import(&mut city, &bytes).expect("import");
    assert_eq!(from, county.node().to_string());
    assert_eq!(report.applied, 20);
    for i in 0..20u128 {
        let (c, k) =
            (city.get(team(i)).expect("get").expect("at city"), county.get(team(i)).expect("get").expect("at county"));
        assert_eq!((c.fields, c.balances), (k.fields, k.balances), "team {i}");
    }
    assert_eq!(city.cursor(&from).expect("cursor"), county.head().expect("head"), "the next bundle can start here");

    let again = import(&mut city, &bytes).expect("import again");
    assert_eq!((again.1.applied, again.1.duplicates), (0, 20), "importing twice changes nothing");

    // Damaged and foreign files are refused whole, and nothing of them is applied.
    let before = city.snapshot().expect("snapshot");
    let mut damaged = bytes.clone();
    let mid = damaged.len() / 2;
    damaged[mid] ^= 0xff;
    assert!(matches!(import(&mut city, &damaged), Err(BundleError::Damaged(_))));
    assert!(matches!(import(&mut city, b"PK\x03\x04 a zip file"), Err(BundleError::NotABundle)));
    assert_eq!(city.snapshot().expect("snapshot"), before);
}
