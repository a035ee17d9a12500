//! Decisions go ahead of bulk data: with thousands of routine ops queued on a link, an
//! urgent change set made after them crosses in the first page and is applied at once;
//! the routine backlog follows, nothing crosses twice, and both sides end equal.

use serde_json::json;
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};
use onemap_store::identity::Lane;
use onemap_store::{Change, SqliteStore, Store};
use onemap_sync::link::{apply_page, read_page};

#[test]
fn an_urgent_change_set_overtakes_a_routine_backlog() {
    let mut county = SqliteStore::open_in_memory().expect("store");
    let mut city = SqliteStore::open_in_memory().expect("store");
    let line = |i: u128| EntityRef { kind: EntityKind::StockLine, id: Uuid::from_u128(i % 300) };
    for batch in 0..5u128 {
        let moves = (0..1000).map(|i| (line(batch * 1000 + i), Change::Move { account: "on_hand".into(), delta: 1 }));
        county.commit("import", "stock.import", moves.collect()).expect("routine");
    }
    let incident = EntityRef { kind: EntityKind::Incident, id: Uuid::from_u128(7) };
    let decision = county
        .commit_in(Lane::Urgent, "commander", "response.start", vec![(incident, Change::Append(json!({"level": 3})))])
        .expect("urgent");

    let page = read_page(&county, 0, 100, &city.versions().expect("versions")).expect("page");
    assert_eq!(page.ops[0], decision[0], "the decision leads the first page");
    apply_page(&mut city, "county", &page).expect("apply");
    assert!(city.contains(decision[0].origin, decision[0].seq).expect("contains"), "and is applied at once");
    assert_eq!(city.op_count().expect("count"), 1, "the routine ops of that page wait for their seal");

    let mut pages = 1;
    let mut crossed = page.ops.len();
    loop {
        let page = read_page(&county, city.cursor("county").expect("cursor"), 100, &city.versions().expect("v"))
            .expect("page");
        crossed += page.ops.len();
        pages += 1;
        apply_page(&mut city, "county", &page).expect("apply");
        if !page.more {
            break;
        }
    }
    assert_eq!(crossed, 5001, "every op crossed exactly once");
    assert!(pages >= 50, "the backlog took its {pages} pages");
    assert_eq!(city.snapshot().expect("snapshot"), county.snapshot().expect("snapshot"));
}
