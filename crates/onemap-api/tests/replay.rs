//! Scrubbing the picture back in time and an incident's journal, through the API on the
//! demo region.

mod common;

use common::{decide, demo, flood, now_ms};
use std::time::Duration;

use onemap_api::response::DecideRequest;
use onemap_api::types::Layer;
use onemap_api::{Api, Request, Response};
use onemap_domain::entity::EntityBody;
use onemap_domain::response::DecisionAction;
use onemap_domain::{EntityKind, EntityRef, Point};

fn picture(api: &Api, at_ms: i64) -> onemap_api::replay::Picture {
    let Response::PictureAt(p) = api.handle(Request::PictureAt { at_ms }).expect("picture") else { panic!() };
    p
}

#[test]
fn the_picture_scrubs_back_to_before_a_change_and_forward_again() {
    let api = demo();
    std::thread::sleep(Duration::from_millis(30));
    let before = now_ms();
    std::thread::sleep(Duration::from_millis(30));
    let Response::Layers(l) = api.handle(Request::Layers).unwrap() else { panic!() };
    let team =
        l.features.iter().find(|f| f.layer == Layer::Teams && f.status == "standby").expect("a standby team").clone();
    let entity = EntityRef { kind: EntityKind::Team, id: team.id };
    let Response::Entity(d) = api.handle(Request::Entity { entity }).unwrap() else { panic!() };
    let mut fields = d.record.fields.clone();
    fields.remove("demo");
    let EntityBody::Team(mut t) = EntityBody::from_fields(EntityKind::Team, &fields).unwrap() else { panic!() };
    t.location = Point { lon: 126.05, lat: 41.80 };
    t.status = onemap_domain::entity::TeamStatus::Dispatched;
    api.handle(Request::Upsert { id: Some(team.id), body: EntityBody::Team(t) }).expect("team moved");

    let then = picture(&api, before);
    let now = picture(&api, now_ms() + 1000);
    let at = |p: &onemap_api::replay::Picture| {
        p.features.iter().find(|f| f.id == team.id).map(|f| (f.lon, f.lat, f.status.clone()))
    };
    assert_eq!(at(&then), Some((team.lon, team.lat, "standby".to_owned())), "as it was");
    assert_eq!(at(&now), Some((126.05, 41.80, "dispatched".to_owned())), "as it is");
    assert_eq!(now.features.len(), l.features.len(), "every feature of the live picture");
    // The live picture and the replayed one agree feature by feature.
    let Response::Layers(live) = api.handle(Request::Layers).unwrap() else { panic!() };
    let mut a: Vec<_> = live.features.iter().map(|f| (f.id, f.status.clone(), f.lon.to_bits())).collect();
    let mut b: Vec<_> = now.features.iter().map(|f| (f.id, f.status.clone(), f.lon.to_bits())).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let (first, last) = now.span.expect("a span");
    assert!(first < before && before < last);
    assert!(picture(&api, first - 1).features.is_empty(), "nothing before the log begins");
}

#[test]
fn an_incidents_journal_lists_what_happened_in_order() {
    let api = demo();
    let Response::Layers(l) = api.handle(Request::Layers).unwrap() else { panic!() };
    let inc =
        l.features.iter().find(|f| f.layer == Layer::Incidents && f.status == "active").expect("an active incident").id;
    let req = DecideRequest {
        incident: inc,
        plan: "dongchang-hazchem".into(),
        action: DecisionAction::Start,
        level: Some(4),
        reason: "液氨泄漏，启动Ⅳ级".into(),
    };
    api.handle(Request::Decide(req)).expect("start");
    let Response::Journal(lines) = api.handle(Request::Journal { incident: inc }).unwrap() else { panic!() };
    let intents: Vec<&str> = lines.iter().map(|l| l.intent.as_str()).collect();
    let what: Vec<&str> = lines.iter().map(|l| l.what.as_str()).collect();
    // First the record as the demo set loaded it, then the decision and its three checklist
    // tasks, written in one commit.
    assert_eq!(intents[0], "fixtures.load incidents.csv");
    assert!(what[0].contains("casualties") && what[0].contains("title"), "{what:?}");
    assert_eq!(intents[1..], ["response.start: dongchang-hazchem Ⅳ"; 4]);
    assert_eq!(what[1], "decision");
    assert!(what[2..].iter().all(|w| w.contains("due") && w.contains("owner")), "{what:?}");
    assert!(lines.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "in time order");
}

#[test]
fn the_response_level_on_the_map_and_as_it_was_before_an_upgrade() {
    let api = demo();
    let inc = flood(&api, "2026-07-20T07:40:00+08:00", 150);
    let level_now = || {
        let Response::Layers(l) = api.handle(Request::Layers).unwrap() else { panic!() };
        l.features.iter().find(|f| f.id == inc).expect("on the map").response
    };
    let level_at = |at_ms| picture(&api, at_ms).features.iter().find(|f| f.id == inc).expect("in the picture").response;
    let gap = || std::thread::sleep(Duration::from_millis(30));
    assert_eq!(level_now(), 0, "no response yet");
    gap();
    let before_start = now_ms();
    gap();
    decide(&api, inc, DecisionAction::Start, Some(4)).expect("decision");
    gap();
    let before_upgrade = now_ms();
    gap();
    decide(&api, inc, DecisionAction::Upgrade, Some(3)).expect("decision");
    assert_eq!(level_now(), 3, "the map shows the level in force");
    // The change feed carries it too (a decision touches its incident).
    let Response::Changes(ch) = api.handle(Request::Changes { since: 0, wait_ms: None }).unwrap() else { panic!() };
    assert_eq!(ch.upserted.iter().find(|f| f.id == inc).map(|f| f.response), Some(3));
    assert_eq!(
        (level_at(before_start), level_at(before_upgrade), level_at(now_ms() + 1000)),
        (0, 4, 3),
        "as it was, then as it is"
    );
    decide(&api, inc, DecisionAction::Terminate, None).expect("decision");
    assert_eq!(level_now(), 0);
}
