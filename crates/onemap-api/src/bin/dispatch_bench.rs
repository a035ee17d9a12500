//! `cargo xtask bench` (dispatch part): recommending teams for an incident among 10,000 teams,
//! from the spatial index beside a scan of every team, in one run.
//!
//! 10,000 teams are spread over 吉林省 with the taxonomy's team types (and their speeds), one
//! to three specialties each and 70 % standing by. For 1,000 incident points in and around
//! 通化市 the three teams that arrive first are asked for, with a random specialty (or any),
//! from the index and by scoring every team; both answers must agree. p50/p99 of each and the
//! ratio are printed; then the `recommend` request as a whole on a store holding those teams.

use std::path::Path;
use std::time::{Duration, Instant};

use onemap_api::fixtures::load_context;
use onemap_api::{Api, Request, Response};
use onemap_domain::dispatch::{Candidate, TeamIndex};
use onemap_domain::entity::{Casualties, EntityBody, EquipmentLine, Incident, IncidentStatus, Team, TeamStatus};
use onemap_domain::{AdminCode, Point};
use onemap_store::SqliteStore;

const TEAMS: usize = 10_000;
const QUERIES: usize = 1_000;
const PICKS: usize = 3;

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let (ctx, _) = load_context(&fixtures).expect("reference data");
    // xorshift: the same teams and queries every run.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut unit = move || (next() >> 11) as f64 / (1u64 << 53) as f64;
    let specialties: Vec<String> = ctx.taxonomy.specialty.iter().map(|t| t.id.clone()).collect();
    let types: Vec<(String, f64)> = ctx.taxonomy.team_type.iter().map(|t| (t.id.clone(), t.speed_kmh)).collect();
    let county = AdminCode::parse("220502000000").expect("东昌区");
    let teams: Vec<Team> = (0..TEAMS)
        .map(|i| {
            let (team_type, _) = &types[i % types.len()];
            let n = 1 + (unit() * 3.0) as usize;
            Team {
                name: format!("队伍{i}"),
                team_type: team_type.clone(),
                specialties: (0..n)
                    .map(|_| specialties[(unit() * specialties.len() as f64) as usize].clone())
                    .collect(),
                headcount: 10 + (unit() * 50.0) as u32,
                equipment: vec![EquipmentLine { name: "冲锋舟".into(), count: 1 }],
                owner: county.clone(),
                base: county.clone(),
                location: Point { lon: 121.6 + unit() * 9.7, lat: 40.8 + unit() * 5.5 },
                readiness_min: 5 + (unit() * 55.0) as u32,
                status: if unit() < 0.7 { TeamStatus::Standby } else { TeamStatus::OnScene },
            }
        })
        .collect();
    let candidates: Vec<Candidate> = teams
        .iter()
        .enumerate()
        .map(|(i, t)| Candidate {
            id: uuid::Uuid::from_u128(i as u128 + 1),
            location: t.location,
            specialties: t.specialties.clone(),
            available: t.status == TeamStatus::Standby,
            readiness_min: f64::from(t.readiness_min),
            speed_kmh: types.iter().find(|(id, _)| *id == t.team_type).map_or(40.0, |(_, v)| *v),
            owner: t.owner.clone(),
        })
        .collect();
    let built = Instant::now();
    let index = TeamIndex::new(candidates);
    let build = built.elapsed();
    let queries: Vec<(Point, Option<String>)> = (0..QUERIES)
        .map(|_| {
            let at = Point { lon: 125.3 + unit() * 1.3, lat: 41.3 + unit() * 0.9 };
            let k = (unit() * (specialties.len() + 1) as f64) as usize;
            (at, specialties.get(k).cloned())
        })
        .collect();
    let router = &ctx.router;
    let time =
        |f: &dyn Fn(Point, Option<&str>) -> Vec<onemap_domain::dispatch::Pick>| -> (Vec<Duration>, Vec<Vec<usize>>) {
            let mut times = Vec::with_capacity(QUERIES);
            let mut answers = Vec::with_capacity(QUERIES);
            for (at, s) in &queries {
                let t = Instant::now();
                let picks = f(*at, s.as_deref());
                times.push(t.elapsed());
                answers.push(picks.iter().map(|p| p.index).collect());
            }
            (times, answers)
        };
    // Alternate the two, twice, and keep each one's second round (warm caches).
    let _ = time(&|at, s| index.recommend(at, s, PICKS, router));
    let _ = time(&|at, s| index.recommend_by_scan(at, s, PICKS, router));
    let (tree, a) = time(&|at, s| index.recommend(at, s, PICKS, router));
    let (scan, b) = time(&|at, s| index.recommend_by_scan(at, s, PICKS, router));
    assert_eq!(a, b, "the index and the scan recommend the same teams");
    let (t50, t99, s50, s99) = (pct(&tree, 0.5), pct(&tree, 0.99), pct(&scan, 0.5), pct(&scan, 0.99));
    println!(
        "recommendation: the {PICKS} teams that arrive first, among {TEAMS} teams (70 % standing by), {QUERIES} incidents"
    );
    println!(
        "  spatial index (R*-tree, exact stop)   p50 {:>7.3} ms   p99 {:>7.3} ms   (goal p99 ≤ 1 ms: {})",
        ms(t50),
        ms(t99),
        if t99 <= Duration::from_millis(1) { "goal met" } else { "goal missed" }
    );
    println!("  scan of every team (baseline)         p50 {:>7.3} ms   p99 {:>7.3} ms", ms(s50), ms(s99));
    println!(
        "  index / scan                          p50 {:>7.3}×      p99 {:>7.3}×",
        ratio(t50, s50),
        ratio(t99, s99)
    );
    println!("  index build: {:.1} ms (once per log head)", ms(build));

    // The request as a whole: incident read, responses, orders, the cached index.
    let api = Api::new(Box::new(SqliteStore::open_in_memory().expect("store")), ctx.clone());
    for t in teams {
        api.handle(Request::Upsert { id: None, body: EntityBody::Team(t) }).expect("team");
    }
    let incident = EntityBody::Incident(Incident {
        title: "江东乡浑江漫堤".into(),
        category: "natural".into(),
        subtype: "flood_drought".into(),
        grade: None,
        jurisdiction: AdminCode::parse("220502201000").expect("江东乡"),
        location: Point { lon: 125.99, lat: 41.70 },
        onset: "2026-07-20T08:00:00+08:00".into(),
        casualties: Casualties { dead: 0, missing: 0, injured: 0 },
        affected: 900,
        relocated: 150,
        houses_damaged: 12,
        direct_loss_cny: 0,
        status: IncidentStatus::Active,
        description: String::new(),
    });
    let Response::Upsert(c) = api.handle(Request::Upsert { id: None, body: incident }).expect("incident") else {
        unreachable!()
    };
    let first = Instant::now();
    api.handle(Request::Recommend { incident: c.entity.id }).expect("recommend");
    let cold = first.elapsed();
    let mut whole = Vec::with_capacity(200);
    for _ in 0..200 {
        let t = Instant::now();
        api.handle(Request::Recommend { incident: c.entity.id }).expect("recommend");
        whole.push(t.elapsed());
    }
    println!(
        "  the `recommend` request on a store of {TEAMS} teams: p50 {:.2} ms, p99 {:.2} ms (first call, building the index: {:.0} ms)",
        ms(pct(&whole, 0.5)),
        ms(pct(&whole, 0.99)),
        ms(cold)
    );
}

fn pct(xs: &[Duration], q: f64) -> Duration {
    let mut v = xs.to_vec();
    v.sort();
    v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
