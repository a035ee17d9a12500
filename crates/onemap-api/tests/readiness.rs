//! The readiness table on the demo region: one row for 东昌区 and one per township, each
//! figure consistent with the registries it is measured from and moving when they change.

mod common;

use common::demo;
use onemap_api::allocation::AllocateRequest;
use onemap_api::readiness::Readiness;
use onemap_api::{Api, Request, Response};
use onemap_domain::Tier;
use onemap_domain::entity::{EntityKind, EntityRef, account};

fn readiness(api: &Api) -> Readiness {
    match api.handle(Request::Readiness).unwrap() {
        Response::Readiness(r) => *r,
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_row_per_county_and_township_with_consistent_figures() {
    let api = demo();
    let r = readiness(&api);
    assert_eq!(r.rows[0].code.as_str(), "220502000000");
    assert_eq!(r.rows[0].tier, Tier::County);
    let townships: Vec<_> = r.rows.iter().filter(|x| x.tier == Tier::Township).collect();
    assert!(townships.len() >= 10, "{}", townships.len());
    // The relief plan's Ⅱ starts at 1,200 relocated; townships share it by population.
    assert_eq!(r.rows[0].relocation, 1200);
    let shared: u64 = townships.iter().map(|t| t.relocation).sum();
    assert!((1200..1200 + townships.len() as u64).contains(&shared), "{shared}");
    for row in &r.rows {
        // Tents: 0.25 per relocated person, rounded up.
        let tents = row.supplies.iter().find(|s| s.item_code == "1010101").expect("tents");
        assert_eq!(tents.needed, (row.relocation as f64 * 0.25).ceil() as u64, "{}", row.name_zh);
        assert!(row.supply_ratio <= tents.ratio);
        assert!(row.samples >= 1);
        // Reach only grows with the minutes allowed.
        assert_eq!(row.reach.iter().map(|x| x.minutes).collect::<Vec<_>>(), vec![30, 60]);
        assert!(row.reach[0].share <= row.reach[1].share, "{}", row.name_zh);
        assert!(row.reach[1].population <= row.population);
        assert!((0.0..=1.0).contains(&row.aviation_share));
        if row.population > 0 {
            assert!((row.shelter_per_resident_m2 - row.shelter_area_m2 / row.population as f64).abs() < 1e-9);
        }
    }
    // The county's stock and shelter area are at least its townships' (its warehouses and
    // shelters lie in them).
    let county = &r.rows[0];
    let area: f64 = townships.iter().map(|t| t.shelter_area_m2).sum();
    assert!((county.shelter_area_m2 - area).abs() < 1e-6, "{} vs {area}", county.shelter_area_m2);
    // 通化 is within 200 km of the assumed 三源浦 base: all of it is covered.
    assert!(county.aviation_share > 0.99, "{}", county.aviation_share);
    assert!(!r.method_zh.is_empty() && r.method_zh.len() == r.method_en.len());
}

#[test]
fn reserving_stock_lowers_what_the_table_counts_as_available() {
    let api = demo();
    let before = readiness(&api);
    let tents = |r: &Readiness| r.rows[0].supplies.iter().find(|s| s.item_code == "1010101").unwrap().available;
    let store = api.shared_store();
    let line = store
        .lock()
        .unwrap()
        .list(EntityKind::StockLine)
        .unwrap()
        .into_iter()
        .find(|l| l.fields["item_code"] == "1010101" && l.balances.get(account::ON_HAND).copied().unwrap_or(0) == 110)
        .unwrap();
    let shelter = store.lock().unwrap().list(EntityKind::Shelter).unwrap()[0].entity;
    let req = AllocateRequest {
        line: line.entity.id,
        to: EntityRef { kind: shelter.kind, id: shelter.id },
        quantity: 30,
        reason: "演练".into(),
    };
    api.handle(Request::Allocate(req)).unwrap();
    assert_eq!(tents(&readiness(&api)), tents(&before) - 30);
}
