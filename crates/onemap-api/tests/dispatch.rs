//! Dispatch and allocation through the API on the demo region: the recommendation for a
//! flood response, an order walked through its stages with the team's status following,
//! authority by tier, stock reserved, shipped and received, overdraws refused; and two
//! replicas that dispatch one team or overdraw one line at once, which both keep and alert.

mod common;

use common::{decide, demo, flood, sync};
use onemap_api::allocation::AllocateRequest;
use onemap_api::dispatch::DispatchRequest;
use onemap_api::response::AlertKind;
use onemap_api::{Api, Request, Response};
use onemap_domain::allocation::AllocStage;
use onemap_domain::dispatch::{Authority, Stage};
use onemap_domain::entity::{EntityKind, EntityRef, account};
use onemap_domain::response::DecisionAction;
use onemap_store::Record;
use uuid::Uuid;

const ONSET: &str = "2026-07-20T08:00:00+08:00";

fn record(api: &Api, entity: EntityRef) -> Record {
    api.shared_store().lock().unwrap().get(entity).unwrap().expect("record")
}

fn list(api: &Api, kind: EntityKind) -> Vec<Record> {
    api.shared_store().lock().unwrap().list(kind).unwrap()
}

fn team_named(api: &Api, name: &str) -> Uuid {
    list(api, EntityKind::Team)
        .into_iter()
        .find(|r| r.fields["name"] == name)
        .unwrap_or_else(|| panic!("team {name}"))
        .entity
        .id
}

fn status(api: &Api, team: Uuid) -> String {
    record(api, EntityRef { kind: EntityKind::Team, id: team }).fields["status"].as_str().unwrap().to_owned()
}

fn head(api: &Api) -> u64 {
    api.shared_store().lock().unwrap().head().unwrap()
}

fn order(api: &Api, incident: Uuid, team: Uuid) -> Result<Uuid, onemap_api::ApiError> {
    let req = DispatchRequest { incident, team, task: None, reason: "转移受威胁群众".into() };
    match api.handle(Request::Dispatch(req))? {
        Response::Dispatch(v) => Ok(v.id),
        other => panic!("{other:?}"),
    }
}

fn stage(api: &Api, order: Uuid, stage: Stage) -> Result<Stage, onemap_api::ApiError> {
    match api.handle(Request::DispatchStage { order, stage })? {
        Response::DispatchStage(v) => Ok(v.stage),
        other => panic!("{other:?}"),
    }
}

fn alerts(api: &Api) -> Vec<onemap_api::response::Alert> {
    match api.handle(Request::Alerts).unwrap() {
        Response::Alerts(a) => a,
        other => panic!("{other:?}"),
    }
}

#[test]
fn recommends_the_forces_the_level_needs_soonest_first_with_reasons() {
    let api = demo();
    let inc = flood(&api, ONSET, 150);
    // No response yet: any standing-by team, soonest first.
    let Response::Recommend(r) = api.handle(Request::Recommend { incident: inc }).unwrap() else { panic!() };
    assert_eq!((r.plan.as_deref(), r.level, r.needs.len()), (None, None, 1));
    assert_eq!(r.needs[0].specialty, None);
    assert_eq!(r.centre.as_str(), "220502000000");
    let picks = &r.needs[0].picks;
    assert_eq!(picks.len(), 5);
    assert!(picks.windows(2).all(|w| w[0].minutes <= w[1].minutes), "soonest first");

    // Ⅲ of the flood plan needs 2 water-rescue teams and 1 medical team.
    decide(&api, inc, DecisionAction::Start, Some(3)).expect("start Ⅲ");
    let Response::Recommend(r) = api.handle(Request::Recommend { incident: inc }).unwrap() else { panic!() };
    assert_eq!((r.plan.as_deref(), r.level), (Some("dongchang-flood"), Some(3)));
    let water = r.needs.iter().find(|n| n.specialty.as_deref() == Some("water_rescue")).expect("water rescue need");
    assert_eq!((water.teams, water.dispatched, water.picks.len()), (2, 0, 2));
    assert_eq!(water.zh, "水域救援");
    for p in &water.picks {
        let t = record(&api, EntityRef { kind: EntityKind::Team, id: p.team });
        assert_eq!(t.fields["status"], "standby");
        assert!(t.fields["specialties"].as_array().unwrap().iter().any(|s| s == "water_rescue"));
        assert!((p.minutes - (p.readiness_min + p.travel_min)).abs() < 1e-9);
        assert!(p.why_zh.iter().any(|w| w.contains("水域救援")), "{:?}", p.why_zh);
        assert!(p.why_zh.iter().any(|w| w.contains("预计") && w.contains("分钟")), "{:?}", p.why_zh);
        // Teams of the city or the province are asked for through the city.
        let owner = t.fields["owner"].as_str().unwrap();
        let expect = if owner.starts_with("220502") {
            Authority::Direct
        } else {
            Authority::Request { via: onemap_domain::AdminCode::parse("220500000000").unwrap() }
        };
        assert_eq!(p.authority, expect, "{owner}");
    }
    // No standing-by team with water rescue arrives sooner than the first pick.
    let first = &water.picks[0];
    let Response::Nearby(n) = api.handle(Request::Nearby { incident: inc }).unwrap() else { panic!() };
    for t in n.teams.iter().filter(|t| t.available) {
        let rec = record(&api, EntityRef { kind: EntityKind::Team, id: t.id });
        if rec.fields["specialties"].as_array().unwrap().iter().any(|s| s == "water_rescue") {
            assert!(t.minutes >= first.minutes - 1e-9, "{} arrives in {} < {}", t.name, t.minutes, first.minutes);
        }
    }

    // A team dispatched counts against the need and is no longer recommended.
    let direct = water.picks.iter().find(|p| p.authority == Authority::Direct).map(|p| p.team);
    if let Some(team) = direct {
        order(&api, inc, team).expect("dispatch");
        let Response::Recommend(r) = api.handle(Request::Recommend { incident: inc }).unwrap() else { panic!() };
        let water = r.needs.iter().find(|n| n.specialty.as_deref() == Some("water_rescue")).unwrap();
        assert_eq!((water.dispatched, water.picks.len()), (1, 1));
        assert!(water.picks.iter().all(|p| p.team != team));
    }
}

#[test]
fn an_order_walks_its_stages_and_the_team_status_follows() {
    let api = demo();
    let inc = flood(&api, ONSET, 150);
    let team = team_named(&api, "东昌区防汛抢险队");
    assert_eq!(status(&api, team), "standby");
    let id = order(&api, inc, team).expect("dispatch");
    assert_eq!(status(&api, team), "dispatched");
    // The same team cannot be sent twice.
    let before = head(&api);
    let e = order(&api, inc, team).unwrap_err();
    assert_eq!(e.code, "dispatch.busy");
    assert!(e.message.contains("dispatched") && e.message.contains(&id.to_string()), "{}", e.message);
    assert_eq!(head(&api), before, "nothing written");
    // Arriving before departing is refused and names what is allowed.
    let e = stage(&api, id, Stage::OnScene).unwrap_err();
    assert_eq!(e.code, "dispatch.stage");
    assert!(e.message.contains("EnRoute"), "{}", e.message);
    for (s, st) in [
        (Stage::EnRoute, "en_route"),
        (Stage::OnScene, "on_scene"),
        (Stage::Returning, "returning"),
        (Stage::StoodDown, "standby"),
    ] {
        assert_eq!(stage(&api, id, s).unwrap(), s);
        assert_eq!(status(&api, team), st);
    }
    let Response::Dispatches(list) = api.handle(Request::Dispatches { incident: Some(inc) }).unwrap() else { panic!() };
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].order.stages().len(), 5, "each stage has its time");
    assert!(list[0].next.is_empty());
    assert_eq!(list[0].team_name, "东昌区防汛抢险队");
    // Free again: it can go out anew, and be called off before leaving.
    let again = order(&api, inc, team).expect("dispatch again");
    assert_eq!(stage(&api, again, Stage::Cancelled).unwrap(), Stage::Cancelled);
    assert_eq!(status(&api, team), "standby");
}

#[test]
fn a_county_may_not_dispatch_a_province_team_directly() {
    let api = demo();
    let inc = flood(&api, ONSET, 150);
    let team = team_named(&api, "吉林省消防救援总队综合应急救援机动支队通化机动大队");
    let was = status(&api, team);
    let before = head(&api);
    let e = order(&api, inc, team).unwrap_err();
    assert_eq!(e.code, "dispatch.authority");
    assert!(e.message.contains("220000000000") && e.message.contains("220500000000"), "{}", e.message);
    assert_eq!(head(&api), before, "nothing written");
    assert_eq!(status(&api, team), was);
}

/// The stock line of `item` in the county's comprehensive warehouse.
fn county_line(api: &Api, item: &str) -> Uuid {
    let wh = list(api, EntityKind::Warehouse).into_iter().find(|r| r.fields["name"] == "东昌区应急物资储备库").unwrap();
    list(api, EntityKind::StockLine)
        .into_iter()
        .find(|r| r.fields["item_code"] == item && r.fields["warehouse"] == wh.entity.id.to_string())
        .expect("line")
        .entity
        .id
}

fn shelter(api: &Api) -> EntityRef {
    list(api, EntityKind::Shelter).into_iter().find(|r| r.fields["name"] == "滨江公园应急避难场所").unwrap().entity
}

fn balance(api: &Api, e: EntityRef, acc: &str) -> i64 {
    record(api, e).balances.get(acc).copied().unwrap_or(0)
}

fn allocate(api: &Api, line: Uuid, to: EntityRef, quantity: u64) -> Result<Uuid, onemap_api::ApiError> {
    match api.handle(Request::Allocate(AllocateRequest { line, to, quantity, reason: "安置点帐篷".into() }))? {
        Response::Allocate(v) => Ok(v.id),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tents_are_reserved_shipped_and_received_and_an_overdraw_is_refused() {
    let api = demo();
    let line = county_line(&api, "1010101");
    let l = EntityRef { kind: EntityKind::StockLine, id: line };
    let to = shelter(&api);
    assert_eq!(balance(&api, l, account::ON_HAND), 110);
    let a = allocate(&api, line, to, 40).expect("reserve 40");
    assert_eq!((balance(&api, l, account::ON_HAND), balance(&api, l, account::RESERVED)), (110, 40));
    // 70 left to promise: 71 is refused with the 70 named; nothing written.
    let before = head(&api);
    let e = allocate(&api, line, to, 71).unwrap_err();
    assert_eq!(e.code, "ledger.overdraw");
    assert!(e.message.contains("70 available"), "{}", e.message);
    assert_eq!(head(&api), before);
    // A manual issue cannot take reserved units either.
    let issue = Request::Move { entity: l, account: account::ON_HAND.into(), delta: -71, reason: "领用".into() };
    assert_eq!(api.handle(issue).unwrap_err().code, "ledger.overdraw");

    let go = |s| match api.handle(Request::AllocationStage { allocation: a, stage: s }) {
        Ok(Response::AllocationStage(v)) => Ok(v),
        Ok(other) => panic!("{other:?}"),
        Err(e) => Err(e),
    };
    assert_eq!(go(AllocStage::Received).unwrap_err().code, "allocation.stage");
    let v = go(AllocStage::InTransit).unwrap();
    assert_eq!(v.stage, AllocStage::InTransit);
    assert_eq!((balance(&api, l, account::ON_HAND), balance(&api, l, account::RESERVED)), (70, 0));
    let v = go(AllocStage::Received).unwrap();
    assert_eq!(
        (v.stage, v.to_name.as_str(), v.item_zh.is_empty()),
        (AllocStage::Received, "滨江公园应急避难场所", false)
    );
    assert_eq!(balance(&api, to, &account::supplies("1010101")), 40);
    let Response::Allocations(list) = api.handle(Request::Allocations { to: Some(to) }).unwrap() else { panic!() };
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].warehouse_name, "东昌区应急物资储备库");

    // A province warehouse's stock is asked for, not taken.
    let province_line = list_lines_of(&api, "吉林省救灾物资储备库")[0];
    let e = allocate(&api, province_line, to, 1).unwrap_err();
    assert_eq!(e.code, "allocation.authority");
    assert!(e.message.contains("220500000000"), "{}", e.message);
}

fn list_lines_of(api: &Api, warehouse: &str) -> Vec<Uuid> {
    let wh = list(api, EntityKind::Warehouse).into_iter().find(|r| r.fields["name"] == warehouse).unwrap();
    list(api, EntityKind::StockLine)
        .into_iter()
        .filter(|r| r.fields["warehouse"] == wh.entity.id.to_string())
        .map(|r| r.entity.id)
        .collect()
}

#[test]
fn two_consoles_sending_one_team_to_two_incidents_both_keep_it_and_alert() {
    let a = demo();
    let b = common::empty();
    let inc1 = flood(&a, ONSET, 150);
    let inc2 = flood(&a, ONSET, 80);
    sync(&a, &b);
    let team = team_named(&a, "东昌区防汛抢险队");
    // Link down: each console dispatches the team.
    order(&a, inc1, team).expect("a dispatches");
    order(&b, inc2, team).expect("b dispatches");
    sync(&a, &b);
    sync(&b, &a);
    for api in [&a, &b] {
        let Response::Dispatches(all) = api.handle(Request::Dispatches { incident: None }).unwrap() else { panic!() };
        assert_eq!(all.len(), 2, "both orders kept");
        let conflicts: Vec<_> = alerts(api).into_iter().filter(|x| x.kind == AlertKind::DispatchConflict).collect();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].subject, EntityRef { kind: EntityKind::Team, id: team });
        assert!(conflicts[0].text.contains(&inc1.to_string()) && conflicts[0].text.contains(&inc2.to_string()));
    }
    // Calling one order off settles it.
    let Response::Dispatches(all) = a.handle(Request::Dispatches { incident: Some(inc2) }).unwrap() else { panic!() };
    stage(&a, all[0].id, Stage::Cancelled).expect("cancel");
    assert!(alerts(&a).iter().all(|x| x.kind != AlertKind::DispatchConflict));
}

#[test]
fn two_consoles_overdrawing_one_line_converge_and_raise_an_overdraw() {
    let a = demo();
    let b = common::empty();
    sync(&a, &b);
    let line = county_line(&a, "1010101");
    let l = EntityRef { kind: EntityKind::StockLine, id: line };
    let to = shelter(&a);
    // 110 on hand; each console promises 60 while the link is down.
    allocate(&a, line, to, 60).expect("a reserves");
    allocate(&b, line, to, 60).expect("b reserves");
    assert!(alerts(&a).iter().all(|x| x.kind != AlertKind::Overdraw), "no overdraw seen alone");
    sync(&a, &b);
    sync(&b, &a);
    for api in [&a, &b] {
        assert_eq!((balance(api, l, account::ON_HAND), balance(api, l, account::RESERVED)), (110, 120));
        let over: Vec<_> = alerts(api).into_iter().filter(|x| x.kind == AlertKind::Overdraw).collect();
        assert_eq!(over.len(), 1);
        assert_eq!(over[0].subject, l);
        assert!(over[0].text.contains("10 short"), "{}", over[0].text);
    }
    assert_eq!(record(&a, l).balances, record(&b, l).balances, "both replicas agree");
    // Nothing more can be promised until it is settled.
    assert_eq!(allocate(&a, line, to, 1).unwrap_err().code, "ledger.overdraw");
}

mod ledger_property {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Step {
        Reserve { on: usize, quantity: u64 },
        Ship { on: usize, nth: usize },
        Cancel { on: usize, nth: usize },
        Sync { from: usize },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0usize..2, 1u64..60).prop_map(|(on, quantity)| Step::Reserve { on, quantity }),
            (0usize..2, 0usize..4).prop_map(|(on, nth)| Step::Ship { on, nth }),
            (0usize..2, 0usize..4).prop_map(|(on, nth)| Step::Cancel { on, nth }),
            (0usize..2).prop_map(|from| Step::Sync { from }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]
        /// Whatever two consoles do to one line while their link comes and goes, once synced
        /// they hold the same ledger, and it is short (on hand, reserved or available below
        /// zero) exactly when both raise an overdraw alert on it.
        #[test]
        fn the_ledger_is_never_short_without_an_overdraw_alert(steps in prop::collection::vec(step(), 1..14)) {
            let a = demo();
            let b = common::empty();
            sync(&a, &b);
            let line = county_line(&a, "1010101");
            let l = EntityRef { kind: EntityKind::StockLine, id: line };
            let to = shelter(&a);
            let apis = [&a, &b];
            for s in steps {
                match s {
                    Step::Reserve { on, quantity } => {
                        let before = head(apis[on]);
                        if allocate(apis[on], line, to, quantity).is_err() {
                            prop_assert_eq!(head(apis[on]), before, "a refused reservation writes nothing");
                        }
                    }
                    Step::Ship { on, nth } | Step::Cancel { on, nth } => {
                        let Response::Allocations(all) = apis[on].handle(Request::Allocations { to: None }).unwrap() else { panic!() };
                        if let Some(v) = all.get(nth) {
                            let stage = if matches!(s, Step::Ship { .. }) { AllocStage::InTransit } else { AllocStage::Cancelled };
                            let _ = apis[on].handle(Request::AllocationStage { allocation: v.id, stage });
                        }
                    }
                    Step::Sync { from } => sync(apis[from], apis[1 - from]),
                }
                // Alone, each console only writes what its own ledger allows.
                for api in apis {
                    let (on_hand, reserved) = (balance(api, l, account::ON_HAND), balance(api, l, account::RESERVED));
                    let short = on_hand < 0 || reserved < 0 || on_hand - reserved < 0;
                    let alerted = alerts(api).iter().any(|x| x.kind == AlertKind::Overdraw && x.subject == l);
                    prop_assert_eq!(short, alerted, "on hand {}, reserved {}", on_hand, reserved);
                }
            }
            sync(&a, &b);
            sync(&b, &a);
            prop_assert_eq!(&record(&a, l).balances, &record(&b, l).balances);
            let (on_hand, reserved) = (balance(&a, l, account::ON_HAND), balance(&a, l, account::RESERVED));
            // A reservation released twice (shipped here, cancelled there) shows as reserved < 0.
            let short = on_hand < 0 || reserved < 0 || on_hand - reserved < 0;
            for api in apis {
                let alerted = alerts(api).iter().any(|x| x.kind == AlertKind::Overdraw && x.subject == l);
                prop_assert_eq!(short, alerted);
            }
        }
    }
}

#[test]
fn evacuees_are_placed_within_capacity_and_not_in_a_closed_shelter() {
    let api = demo();
    let to = shelter(&api);
    let rec = record(&api, to);
    let capacity = (rec.fields["effective_area_m2"].as_f64().unwrap() / rec.fields["per_capita_m2"].as_f64().unwrap())
        .floor() as i64;
    let place = |delta: i64| {
        api.handle(Request::Move {
            entity: to, account: account::OCCUPANCY.into(), delta, reason: "转移安置".into()
        })
    };
    place(150).expect("place 150");
    assert_eq!(balance(&api, to, account::OCCUPANCY), 150);
    let e = place(capacity).unwrap_err();
    assert_eq!(e.code, "shelter.full");
    assert!(e.message.contains(&format!("{} free places", capacity - 150)), "{}", e.message);
    place(-50).expect("50 leave");
    assert_eq!(place(-101).unwrap_err().code, "ledger.overdraw", "more cannot leave than are there");
    // Closed: nobody more, those there may still leave.
    let Ok(onemap_domain::EntityBody::Shelter(mut s)) =
        onemap_domain::EntityBody::from_fields(EntityKind::Shelter, &rec.fields)
    else {
        panic!()
    };
    s.closed = true;
    let capacity_of = |api: &Api| match api.handle(Request::Stats).unwrap() {
        Response::Stats(st) => st.shelters.capacity,
        other => panic!("{other:?}"),
    };
    let before = capacity_of(&api);
    api.handle(Request::Upsert { id: Some(to.id), body: onemap_domain::EntityBody::Shelter(s) }).expect("close");
    assert_eq!(capacity_of(&api), before - capacity as u64, "a closed shelter's places are not capacity");
    let Response::Layers(l) = api.handle(Request::Layers).unwrap() else { panic!() };
    assert_eq!(l.features.iter().find(|f| f.id == to.id).unwrap().status, "closed", "the map shows it closed");
    let e = place(1).unwrap_err();
    assert_eq!(e.code, "shelter.closed");
    assert!(e.message.contains("滨江公园应急避难场所"), "{}", e.message);
    place(-100).expect("the rest leave");
    assert_eq!(balance(&api, to, account::OCCUPANCY), 0);
}

/// A node of another centre (its region code), empty until synced.
fn centre(code: &str) -> Api {
    let (mut ctx, _) = onemap_api::fixtures::load_context(&common::fixtures()).expect("reference data");
    ctx.region.code = code.into();
    Api::new(Box::new(onemap_store::SqliteStore::open_in_memory().expect("store")), ctx)
}

fn answer(
    api: &Api,
    request: Uuid,
    answer: onemap_api::dispatch::Answer,
    note: &str,
) -> Result<onemap_api::dispatch::TeamRequestView, onemap_api::ApiError> {
    match api.handle(Request::AnswerRequest { request, answer, note: note.into() })? {
        Response::AnswerRequest(v) => Ok(*v),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_province_team_is_asked_for_level_by_level_and_ordered_by_the_province() {
    use onemap_api::dispatch::Answer;
    use onemap_domain::request::RequestStatus;
    let county = demo();
    let city = centre("220500000000");
    let province = centre("220000000000");
    let inc = flood(&county, ONSET, 600);
    let team = team_named(&county, "吉林省森林消防总队通化支队");
    let was = status(&county, team);
    let Response::RequestTeam(v) = county
        .handle(Request::RequestTeam(DispatchRequest {
            incident: inc,
            team,
            task: None,
            reason: "江东乡堤段抢险".into(),
        }))
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (v.request.to.as_str(), v.state.status, v.mine_to_answer),
        ("220500000000", RequestStatus::Pending, false)
    );
    assert_eq!(
        answer(&county, v.id, Answer::Approve, "").unwrap_err().code,
        "request.not_yours",
        "the county may not answer its own request"
    );
    // The county may not use a request for its own team.
    let own = team_named(&county, "东昌区防汛抢险队");
    let e = county
        .handle(Request::RequestTeam(DispatchRequest { incident: inc, team: own, task: None, reason: "x".into() }))
        .unwrap_err();
    assert_eq!(e.code, "dispatch.authority");

    // The city sees it among its alerts, may not order a province team, and passes it up.
    sync(&county, &city);
    assert!(alerts(&city).iter().any(|a| a.kind == AlertKind::TeamRequest && a.subject.id == v.id));
    assert!(alerts(&county).iter().all(|a| a.kind != AlertKind::TeamRequest), "not the asker's to answer");
    assert_eq!(answer(&city, v.id, Answer::Approve, "").unwrap_err().code, "dispatch.authority");
    assert_eq!(answer(&city, v.id, Answer::Decline, "").unwrap_err().code, "validation.field", "a decline says why");
    let fwd = answer(&city, v.id, Answer::Forward, "市级无此力量，报省").unwrap();
    assert_eq!((fwd.state.asked.as_str(), fwd.mine_to_answer), ("220000000000", false));

    // The province orders it; the order and the team's status arrive back at the county.
    sync(&city, &province);
    sync(&county, &province);
    let done = answer(&province, v.id, Answer::Approve, "同意调派").unwrap();
    assert_eq!(done.state.status, RequestStatus::Approved);
    let order = done.state.order.expect("an order");
    sync(&province, &city);
    sync(&city, &county);
    let Response::TeamRequests(mine) = county.handle(Request::TeamRequests).unwrap() else { panic!() };
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].state.status, mine[0].state.order, mine[0].state.history.len()),
        (RequestStatus::Approved, Some(order), 2)
    );
    let Response::Dispatches(orders) = county.handle(Request::Dispatches { incident: Some(inc) }).unwrap() else {
        panic!()
    };
    assert_eq!(orders.len(), 1);
    assert_eq!((orders[0].id, orders[0].order.ordered_by.as_str()), (order, "220000000000"));
    assert_eq!(status(&county, team), "dispatched");
    assert_ne!(was, "dispatched");
    // Settled: a late answer is refused.
    assert_eq!(answer(&province, v.id, Answer::Decline, "迟到").unwrap_err().code, "request.not_yours");
}
