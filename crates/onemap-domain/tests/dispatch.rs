//! Dispatch rules: the order lifecycle, authority by tier, and the recommendation (the spatial
//! index against a scan of every team); allocation stages and their ledger movements.

use onemap_domain::allocation::{self, AllocStage};
use onemap_domain::dispatch::{Authority, Candidate, Stage, TeamIndex, advance, authority};
use onemap_domain::entity::{Allocation, Dispatch, EntityKind, EntityRef, TeamStatus, account};
use onemap_domain::travel::StraightLine;
use onemap_domain::{AdminCode, Point};
use proptest::prelude::*;
use uuid::Uuid;

fn code(s: &str) -> AdminCode {
    AdminCode::parse(s).unwrap()
}

fn order() -> Dispatch {
    Dispatch {
        incident: Uuid::from_u128(1),
        team: Uuid::from_u128(2),
        task: None,
        ordered_by: code("220502000000"),
        reason: "转移群众".into(),
        eta_min: 12.5,
        dispatched_at: "2026-07-20T10:00:00+08:00".into(),
        departed_at: None,
        arrived_at: None,
        returning_at: None,
        stood_down_at: None,
        cancelled_at: None,
    }
}

fn at(o: &mut Dispatch, s: Stage) {
    let t = Some("2026-07-20T10:05:00+08:00".to_string());
    match s {
        Stage::Dispatched => {}
        Stage::EnRoute => o.departed_at = t,
        Stage::OnScene => o.arrived_at = t,
        Stage::Returning => o.returning_at = t,
        Stage::StoodDown => o.stood_down_at = t,
        Stage::Cancelled => o.cancelled_at = t,
    }
}

const STAGES: [Stage; 6] =
    [Stage::Dispatched, Stage::EnRoute, Stage::OnScene, Stage::Returning, Stage::StoodDown, Stage::Cancelled];

#[test]
fn an_order_moves_only_along_the_lifecycle() {
    // (from, to, allowed): every pair of stages.
    let allowed = [
        (Stage::Dispatched, Stage::EnRoute),
        (Stage::Dispatched, Stage::Cancelled),
        (Stage::EnRoute, Stage::OnScene),
        (Stage::EnRoute, Stage::Returning),
        (Stage::OnScene, Stage::Returning),
        (Stage::Returning, Stage::StoodDown),
    ];
    for from in STAGES {
        for to in STAGES {
            let mut o = order();
            // Walk the order to `from` along the usual path.
            let path: &[Stage] = match from {
                Stage::Dispatched => &[],
                Stage::EnRoute => &[Stage::EnRoute],
                Stage::OnScene => &[Stage::EnRoute, Stage::OnScene],
                Stage::Returning => &[Stage::EnRoute, Stage::OnScene, Stage::Returning],
                Stage::StoodDown => &[Stage::EnRoute, Stage::OnScene, Stage::Returning, Stage::StoodDown],
                Stage::Cancelled => &[Stage::Cancelled],
            };
            for s in path {
                at(&mut o, *s);
            }
            assert_eq!(o.stage(), from);
            let ok = allowed.contains(&(from, to));
            assert_eq!(advance(&o, to).is_ok(), ok, "{from:?} → {to:?}");
            if let Err(e) = advance(&o, to) {
                assert_eq!(e.from, from);
                assert!(e.to_string().contains(&format!("{from:?}")), "{e}");
            }
        }
    }
}

#[test]
fn each_stage_sets_the_team_status_of_the_lifecycle() {
    assert_eq!(Stage::Dispatched.team_status(), TeamStatus::Dispatched);
    assert_eq!(Stage::EnRoute.team_status(), TeamStatus::EnRoute);
    assert_eq!(Stage::OnScene.team_status(), TeamStatus::OnScene);
    assert_eq!(Stage::Returning.team_status(), TeamStatus::Returning);
    assert_eq!(Stage::StoodDown.team_status(), TeamStatus::Standby);
    assert_eq!(Stage::Cancelled.team_status(), TeamStatus::Standby);
    assert!(Stage::StoodDown.closed() && Stage::Cancelled.closed() && !Stage::OnScene.closed());
}

#[test]
fn merged_progress_is_the_furthest_stage_either_centre_reached() {
    // One centre marked the team en route, another (later, in merge) marked it on scene:
    // the merged record has both timestamps and reads on scene whatever the order.
    let mut o = order();
    at(&mut o, Stage::OnScene);
    assert_eq!(o.stage(), Stage::OnScene);
    at(&mut o, Stage::EnRoute);
    assert_eq!(o.stage(), Stage::OnScene);
    assert_eq!(o.stages().len(), 3);
}

#[test]
fn a_county_orders_its_own_teams_and_asks_up_for_the_others() {
    let county = code("220502000000"); // 东昌区
    let city = code("220500000000"); // 通化市
    let province = code("220000000000"); // 吉林省
    assert_eq!(authority(&county, &county), Authority::Direct);
    assert_eq!(authority(&county, &code("220502100000")), Authority::Direct, "a township of the county");
    // A province team: the county may not order it; it asks the city (逐级).
    assert_eq!(authority(&county, &province), Authority::Request { via: city.clone() });
    // Another county's team, and the city's own team: asked of the city too.
    assert_eq!(authority(&county, &code("220503000000")), Authority::Request { via: city.clone() });
    assert_eq!(authority(&county, &city), Authority::Request { via: city.clone() });
    // The city orders its counties' teams; it asks the province for the province's.
    assert_eq!(authority(&city, &county), Authority::Direct);
    assert_eq!(authority(&city, &province), Authority::Request { via: province.clone() });
    assert_eq!(authority(&province, &county), Authority::Direct);
    // Another province's team is beyond any centre here.
    assert_eq!(authority(&province, &code("210000000000")), Authority::Outside);
}

fn team(i: u128, lon: f64, lat: f64, spec: &[&str], available: bool, readiness: f64, speed: f64) -> Candidate {
    Candidate {
        id: Uuid::from_u128(i),
        location: Point { lon, lat },
        specialties: spec.iter().map(|s| (*s).to_string()).collect(),
        available,
        readiness_min: readiness,
        speed_kmh: speed,
        owner: code("220502000000"),
    }
}

#[test]
fn recommends_the_team_that_arrives_first_not_the_nearest() {
    let router = StraightLine::new(1.5).unwrap();
    let at = Point { lon: 125.93, lat: 41.73 };
    let index = TeamIndex::new(vec![
        // Nearest, but slow to turn out.
        team(1, 125.935, 41.73, &["water_rescue"], true, 60.0, 40.0),
        // Further, quick and fast.
        team(2, 125.99, 41.73, &["water_rescue"], true, 5.0, 60.0),
        // Nearest of all, but busy.
        team(3, 125.931, 41.73, &["water_rescue"], false, 0.0, 60.0),
        // Quick, but without the specialty.
        team(4, 125.932, 41.73, &["medical"], true, 0.0, 60.0),
    ]);
    let picks = index.recommend(at, Some("water_rescue"), 2, &router);
    let ids: Vec<u128> = picks.iter().map(|p| index.teams()[p.index].id.as_u128()).collect();
    assert_eq!(ids, vec![2, 1]);
    assert!(picks[0].minutes < picks[1].minutes);
    assert!((picks[0].minutes - (5.0 + picks[0].travel_min)).abs() < 1e-9);
    // Any specialty: the medical team is first.
    assert_eq!(index.teams()[index.recommend(at, None, 1, &router)[0].index].id.as_u128(), 4);
    // Nobody has it: nothing.
    assert!(index.recommend(at, Some("diving"), 3, &router).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn the_index_gives_exactly_what_a_scan_of_every_team_gives(
        teams in prop::collection::vec(
            (125.0f64..127.0, 41.0f64..43.0, 0u8..4, any::<bool>(), 0u32..4, 1u32..5),
            0..120,
        ),
        lon in 125.0f64..127.0,
        lat in 41.0f64..43.0,
        count in 0usize..6,
        spec in 0u8..4,
    ) {
        let names = ["water_rescue", "medical", "urban_search", "hazmat"];
        let index = TeamIndex::new(
            teams
                .iter()
                .enumerate()
                .map(|(i, &(lo, la, s, avail, r, v))| {
                    // Coarse readiness and speed steps, so ties happen.
                    team(i as u128, lo, la, &[names[usize::from(s)]], avail, f64::from(r) * 10.0, f64::from(v) * 20.0)
                })
                .collect(),
        );
        let router = StraightLine::new(1.4).unwrap();
        let at = Point { lon, lat };
        let want = if spec == 3 { None } else { Some(names[usize::from(spec)]) };
        prop_assert_eq!(index.recommend(at, want, count, &router), index.recommend_by_scan(at, want, count, &router));
    }
}

fn allocation() -> Allocation {
    Allocation {
        line: Uuid::from_u128(7),
        item_code: "1010101".into(),
        quantity: 40,
        to: EntityRef { kind: EntityKind::Shelter, id: Uuid::from_u128(8) },
        ordered_by: code("220502000000"),
        reason: "安置点帐篷".into(),
        reserved_at: "2026-07-20T10:00:00+08:00".into(),
        ready_at: None,
        shipped_at: None,
        received_at: None,
        cancelled_at: None,
    }
}

#[test]
fn an_allocation_reserves_then_ships_then_is_received() {
    let mut a = allocation();
    let line = a.line_ref();
    let r = allocation::reserve(&a);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].entity, r[0].account.as_str(), r[0].delta), (line, account::RESERVED, 40));
    assert!(allocation::advance(&a, AllocStage::Received).is_err(), "not shipped yet");
    let ship = allocation::advance(&a, AllocStage::InTransit).unwrap();
    let sum = |acc: &str| ship.iter().filter(|m| m.account == acc).map(|m| m.delta).sum::<i64>();
    assert_eq!((sum(account::RESERVED), sum(account::ON_HAND)), (-40, -40));
    a.shipped_at = Some("2026-07-20T11:00:00+08:00".into());
    assert_eq!(a.stage(), AllocStage::InTransit);
    assert!(allocation::advance(&a, AllocStage::Cancelled).is_err(), "a shipped allocation cannot be called off");
    let got = allocation::advance(&a, AllocStage::Received).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].entity, got[0].account.clone(), got[0].delta), (a.to, account::supplies("1010101"), 40));
    a.received_at = Some("2026-07-20T12:00:00+08:00".into());
    assert!(AllocStage::Received.next().is_empty());
    assert_eq!(a.stage(), AllocStage::Received);
}

#[test]
fn a_cancelled_reservation_gives_the_units_back() {
    let a = allocation();
    let m = allocation::advance(&a, AllocStage::Cancelled).unwrap();
    assert_eq!((m[0].account.as_str(), m[0].delta), (account::RESERVED, -40));
    assert_eq!(allocation::available(100, 40), 60);
    assert_eq!(allocation::available(100, 120), -20);
}

#[test]
fn a_request_is_answered_only_by_the_centre_asked_and_only_once() {
    use onemap_domain::request::{RequestEvent, RequestStatus, fold};
    let (city, province) = (code("220500000000"), code("220000000000"));
    let t = || "2026-07-20T10:00:00+08:00".to_string();
    let fwd = RequestEvent::Forwarded { by: city.clone(), to: province.clone(), at: t(), note: String::new() };
    let ok = RequestEvent::Approved { by: province.clone(), order: Uuid::from_u128(9), at: t(), note: String::new() };
    let no = RequestEvent::Declined { by: city.clone(), at: t(), note: "无".into() };
    let s = fold(&city, &[]);
    assert_eq!((s.status, &s.asked), (RequestStatus::Pending, &city));
    // Forwarded, then approved by the province.
    let s = fold(&city, &[fwd.clone(), ok.clone()]);
    assert_eq!((s.status, s.order, &s.asked), (RequestStatus::Approved, Some(Uuid::from_u128(9)), &province));
    // The province answering before it was asked: not acted on, kept as late.
    let s = fold(&city, &[ok.clone(), fwd.clone()]);
    assert_eq!((s.status, s.late.len(), &s.asked), (RequestStatus::Pending, 1, &province));
    // The city declining while the province approves (after a forward both saw): the first
    // settles it in every replica's merge order; the other is late.
    let s = fold(&city, &[fwd.clone(), ok.clone(), no.clone()]);
    assert_eq!((s.status, s.late.len()), (RequestStatus::Approved, 1));
    let s = fold(&city, &[no, fwd, ok]);
    assert_eq!((s.status, s.late.len()), (RequestStatus::Declined, 2));
}
