//! What the API's integration tests share: a node on the demo region, Beijing times, a
//! flood call in 江东乡 and a response decision.
#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};

use onemap_api::fixtures::{load_context, load_demo_if_empty};
use onemap_api::response::{DecideRequest, ResponseView};
use onemap_api::{Api, ApiError, Request, Response};
use onemap_domain::entity::{Casualties, EntityBody, Incident, IncidentStatus};
use onemap_domain::response::DecisionAction;
use onemap_domain::{AdminCode, Point};
use onemap_store::SqliteStore;
use uuid::Uuid;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// A node with no data (the reference data loaded).
pub fn empty() -> Api {
    let (ctx, _) = load_context(&fixtures()).expect("reference data loads");
    Api::new(Box::new(SqliteStore::open_in_memory().expect("store")), ctx)
}

/// A node on the demo region.
pub fn demo() -> Api {
    let (ctx, config) = load_context(&fixtures()).expect("reference data loads");
    let api = Api::new(Box::new(SqliteStore::open_in_memory().expect("store")), ctx);
    load_demo_if_empty(&api, &fixtures(), &config).expect("demo loads");
    api
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_millis() as i64
}

/// A moment in Beijing time, RFC 3339 to the second.
pub fn cst(ms: i64) -> String {
    let tz = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    chrono::DateTime::from_timestamp_millis(ms)
        .expect("a time")
        .with_timezone(&tz)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A flood call taken in for 江东乡: onset, people relocated, one injured.
pub fn flood(api: &Api, onset: &str, relocated: u32) -> Uuid {
    let body = EntityBody::Incident(Incident {
        title: "江东乡浑江漫堤".into(),
        category: "natural".into(),
        subtype: "flood_drought".into(),
        grade: None,
        jurisdiction: AdminCode::parse("220502201000").expect("江东乡"),
        location: Point { lon: 125.99, lat: 41.70 },
        onset: onset.into(),
        casualties: Casualties { dead: 0, missing: 0, injured: 1 },
        affected: 900,
        relocated,
        houses_damaged: 12,
        direct_loss_cny: 0,
        status: IncidentStatus::Active,
        description: "浑江水位超警戒，堤段漫溢".into(),
    });
    let Response::Upsert(c) = api.handle(Request::Upsert { id: None, body }).expect("incident recorded") else {
        panic!("wrong response")
    };
    c.entity.id
}

/// A decision on the demo flood plan's response to `incident`.
pub fn decide(api: &Api, incident: Uuid, action: DecisionAction, level: Option<u8>) -> Result<ResponseView, ApiError> {
    decide_on(api, "dongchang-flood", incident, action, level)
}

pub fn decide_on(
    api: &Api,
    plan: &str,
    incident: Uuid,
    action: DecisionAction,
    level: Option<u8>,
) -> Result<ResponseView, ApiError> {
    let req = DecideRequest { incident, plan: plan.into(), action, level, reason: "会商研判".into() };
    api.handle(Request::Decide(req)).map(|r| match r {
        Response::Decide(v) => *v,
        other => panic!("wrong response {other:?}"),
    })
}

/// Copies every op of `from` that `to` lacks (open authority: no deployment CA here).
pub fn sync(from: &Api, to: &Api) {
    let ops: Vec<_> =
        from.shared_store().lock().unwrap().ops_since(0, usize::MAX).unwrap().into_iter().map(|(_, op)| op).collect();
    to.shared_store().lock().unwrap().apply(&ops).expect("apply");
}
