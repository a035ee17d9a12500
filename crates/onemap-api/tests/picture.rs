//! The requests behind the situation picture, over the demo region: search, what is near an
//! incident, the KPI figures, the wall's state and the long poll for changes.

mod common;

use common::demo;
use std::sync::Arc;
use std::time::{Duration, Instant};

use onemap_api::types::{Layer, Matched, WallControl};
use onemap_api::{Api, Request, Response};
use onemap_domain::{EntityKind, EntityRef};

fn features(api: &Api) -> Vec<onemap_api::types::MapFeature> {
    let Response::Layers(l) = api.handle(Request::Layers).expect("layers") else { panic!("wrong response") };
    l.features
}

fn search(api: &Api, q: &str) -> Vec<onemap_api::types::SearchHit> {
    let Response::Search(hits) = api.handle(Request::Search { q: q.into(), limit: Some(5) }).expect("search") else {
        panic!("wrong response")
    };
    hits
}

#[test]
fn search_finds_dongchang_by_name_initials_and_code_with_its_extent() {
    let api = demo();
    for (q, how) in [
        ("东昌区", Matched::Name),
        ("dcq", Matched::Pinyin),
        ("220502", Matched::Code),
        ("220502000000", Matched::Code),
    ] {
        let hits = search(&api, q);
        let top = hits.first().unwrap_or_else(|| panic!("nothing found for {q}"));
        assert_eq!(
            (top.name_zh.as_str(), top.code.as_deref(), top.matched),
            ("东昌区", Some("220502000000"), how),
            "{q}"
        );
        let [w, s, e, n] = top.bounds.expect("东昌区's boundary is in fixtures/region");
        assert!(
            w < top.point.lon && top.point.lon < e && s < top.point.lat && top.point.lat < n,
            "{q}: seat inside extent"
        );
    }
    // Records are found too, after places: a team by its pinyin initials.
    let team = features(&api).into_iter().find(|f| f.layer == Layer::Teams).expect("a team");
    let (initials, _) = onemap_api::search::pinyin_keys(&team.name);
    let hits = search(&api, &initials);
    assert!(hits.iter().any(|h| h.id == Some(team.id)), "{} by {initials}: {hits:?}", team.name);
}

#[test]
fn nearby_lists_teams_by_arrival_and_only_shelters_with_room() {
    let api = demo();
    let incident = features(&api).into_iter().find(|f| f.layer == Layer::Incidents).expect("an incident");
    let Response::Nearby(n) = api.handle(Request::Nearby { incident: incident.id }).expect("nearby") else { panic!() };
    assert!(!n.teams.is_empty() && !n.warehouses.is_empty() && !n.shelters.is_empty());
    assert!(n.teams.windows(2).all(|w| w[0].minutes <= w[1].minutes), "teams by arrival time");
    assert!(n.warehouses.windows(2).all(|w| w[0].km <= w[1].km), "warehouses by distance");
    assert!(n.shelters.iter().all(|s| s.free > 0 && s.free == s.capacity as i64 - s.occupancy));
    // Arrival = readiness + travel at ≥ the straight line: never faster than 60 km/h as the crow flies.
    for t in &n.teams {
        assert!(t.minutes >= f64::from(t.readiness_min) + t.km, "{}: {} min for {} km", t.name, t.minutes, t.km);
    }
    assert!(n.method_zh.contains("1.5"), "the road factor of console.toml is named: {}", n.method_zh);
    let missing = api.handle(Request::Nearby { incident: uuid::Uuid::nil() }).unwrap_err();
    assert_eq!(missing.code, "not_found");
}

#[test]
fn stats_agree_with_the_layers_and_follow_the_ledger() {
    let api = demo();
    let stats = |api: &Api| match api.handle(Request::Stats).expect("stats") {
        Response::Stats(s) => s,
        _ => panic!("wrong response"),
    };
    let s = stats(&api);
    let f = features(&api);
    let count = |layer, status: &str| f.iter().filter(|x| x.layer == layer && x.status == status).count() as u32;
    assert_eq!(s.active, count(Layer::Incidents, "active"));
    assert_eq!(s.closed, count(Layer::Incidents, "closed"));
    assert_eq!(s.active_by_grade.iter().sum::<u32>(), s.active);
    assert_eq!(
        s.teams.iter().map(|c| c.count).sum::<u32>() as usize,
        f.iter().filter(|x| x.layer == Layer::Teams).count()
    );
    assert_eq!(s.teams.iter().find(|c| c.key == "standby").map(|c| c.count), Some(count(Layer::Teams, "standby")));
    assert_eq!(s.shelters.count as usize, f.iter().filter(|x| x.layer == Layer::Shelters).count());
    let history_now: i64 = {
        let last = s.stock_history.last().expect("history").at_ms;
        s.stock_history.iter().filter(|p| p.at_ms == last).map(|p| p.on_hand).sum()
    };
    assert_eq!(
        history_now,
        s.stock.iter().map(|c| c.on_hand).sum::<i64>(),
        "the replayed ledger ends at today's stock"
    );

    // A shelter takes 120 people: occupancy follows.
    let shelter = f.iter().find(|x| x.layer == Layer::Shelters).expect("a shelter");
    let entity = EntityRef { kind: EntityKind::Shelter, id: shelter.id };
    api.handle(Request::Move { entity, account: "occupancy".into(), delta: 120, reason: "test".into() }).expect("move");
    assert_eq!(stats(&api).shelters.occupancy, s.shelters.occupancy + 120);
}

#[test]
fn the_wall_follows_checked_choices() {
    let api = demo();
    let Response::Wall(before) = api.handle(Request::Wall).expect("wall") else { panic!() };
    assert_eq!(before.control.layers.len(), 5);
    assert!(before.control.spotlight.is_none() && before.spotlight_secs >= 3 && !before.classification.is_empty());
    let incident = features(&api).into_iter().find(|f| f.layer == Layer::Incidents).expect("an incident");
    let control = WallControl {
        spotlight: Some(incident.id),
        layers: vec![Layer::Incidents, Layer::Teams, Layer::Incidents],
        region: Some("220502".into()),
    };
    let Response::SetWall(after) = api.handle(Request::SetWall { control }).expect("set") else { panic!() };
    assert_eq!(after.version, before.version + 1);
    assert_eq!(after.control.layers, [Layer::Incidents, Layer::Teams], "duplicates dropped");
    assert_eq!(after.control.region.as_deref(), Some("220502000000"), "six-digit codes are padded");
    let Response::Wall(read) = api.handle(Request::Wall).expect("wall") else { panic!() };
    assert_eq!(read, after);

    let bad = |control| api.handle(Request::SetWall { control }).unwrap_err();
    let unknown = bad(WallControl { spotlight: Some(uuid::Uuid::nil()), layers: vec![], region: None });
    assert_eq!(unknown.code, "not_found");
    let nowhere = bad(WallControl { spotlight: None, layers: vec![], region: Some("110101000000".into()) });
    assert_eq!(nowhere.code, "validation.field");
    assert!(nowhere.message.contains("110101000000"), "{}", nowhere.message);
    let Response::Wall(kept) = api.handle(Request::Wall).expect("wall") else { panic!() };
    assert_eq!(kept, after, "a refused choice changes nothing");
    assert!(Request::SetWall { control: kept.control }.writes() && !Request::Wall.writes());
}

#[test]
fn a_long_poll_answers_as_soon_as_a_write_commits() {
    let api = Arc::new(demo());
    let Response::Layers(l) = api.handle(Request::Layers).expect("layers") else { panic!() };
    let shelter = l.features.iter().find(|f| f.layer == Layer::Shelters).expect("a shelter").id;
    let writer = {
        let api = api.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            let entity = EntityRef { kind: EntityKind::Shelter, id: shelter };
            api.handle(Request::Move { entity, account: "occupancy".into(), delta: 5, reason: "test".into() })
                .expect("move");
            Instant::now()
        })
    };
    let t = Instant::now();
    let Response::Changes(c) = api.handle(Request::Changes { since: l.head, wait_ms: Some(10_000) }).expect("changes")
    else {
        panic!()
    };
    let answered = Instant::now();
    let committed = writer.join().expect("writer");
    assert!(c.head > l.head && c.upserted.iter().any(|f| f.id == shelter));
    assert!(t.elapsed() < Duration::from_secs(5), "answered on the commit, not the timeout");
    assert!(answered.duration_since(committed) < Duration::from_millis(150), "woken by the commit");
    // Nothing new: waits about as long as asked, then answers empty.
    let t = Instant::now();
    let Response::Changes(none) = api.handle(Request::Changes { since: c.head, wait_ms: Some(400) }).expect("changes")
    else {
        panic!()
    };
    assert!(none.upserted.is_empty() && none.head == c.head);
    assert!(t.elapsed() >= Duration::from_millis(380), "{:?}", t.elapsed());
}
