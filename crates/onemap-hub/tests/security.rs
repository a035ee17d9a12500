//! What a province hub refuses from members of its own deployment, over the real TLS sync
//! endpoint: a county's change to a province record, a wall display (viewer role) writing,
//! a change set altered after it was signed, an impostor signing as the province, and a
//! replayed change set. Each is refused and recorded — in the quarantine the console shows,
//! or (a replay) in the hub's log — and nothing of it reaches the projections. (A peer
//! whose certificate another CA issued never gets past the handshake: `tls_sync.rs`.)

mod common;

use std::path::Path;

use common::{Hub, eventually, hub_cli, issue, placeholder_ui};
use onemap_domain::{AdminCode, EntityKind, EntityRef};
use onemap_store::conformance::Writer;
use onemap_store::{Change, Op};
use onemap_sync::link::Page;
use onemap_sync::wire::{self, CONTENT_TYPE, Cursor};
use serde_json::json;

/// A member of the deployment writing signed change sets with its own key and grant.
fn member(dir: &Path, name: &str) -> Writer {
    let m = onemap_sync::tls::membership(dir, name).expect("membership files");
    Writer::with_identity(m.identity).with_cert(m.credential)
}

/// Pushes `ops` to the hub's TLS sync endpoint as the node `as_node`, presenting the
/// certificate of member `name`; the HTTP status of the answer.
fn push_as(hub: &Hub, dir: &Path, name: &str, as_node: &str, ops: Vec<Op>) -> u16 {
    let tls = onemap_sync::tls::client_config(dir, name).expect("client TLS");
    let config = ureq::Agent::config_builder().tls_config(tls).http_status_as_error(false).build();
    let agent: ureq::Agent = config.into();
    let url = format!("{}/sync/v1/pages?peer={as_node}", hub.sync_url.as_deref().expect("TLS sync"));
    let body = wire::encode(&Page { ops, cursor: 1, more: false });
    let mut resp = agent.post(&url).header("content-type", CONTENT_TYPE).send(&body[..]).expect("push");
    let status = resp.status().as_u16();
    if status == 200 {
        let _: Cursor = wire::decode(&resp.body_mut().read_to_vec().expect("answer"), 1 << 20).expect("cursor");
    }
    status
}

/// Pushes `ops` as member `name`'s own node.
fn push(hub: &Hub, dir: &Path, name: &str, ops: Vec<Op>) {
    let node = onemap_sync::tls::membership(dir, name).expect("membership files").identity.node().to_string();
    assert_eq!(push_as(hub, dir, name, &node, ops), 200, "{name} pushing as itself");
}

#[test]
fn a_hub_refuses_and_records_what_its_members_may_not_do() {
    let dir = tempfile::tempdir().expect("dir");
    let d = |s: &str| dir.path().join(s);
    hub_cli(&["ca", "init", "--dir", d("ca").to_str().expect("utf-8")]);
    issue(&d("ca"), "province", "220000", "command", &d("province"));
    issue(&d("ca"), "county", "220502", "command", &d("county"));
    issue(&d("ca"), "wall", "220502", "viewer", &d("wall"));
    let ui = placeholder_ui();
    let data = d("province-data");
    let province = Hub::start(&[
        "--ui",
        ui.path().to_str().expect("utf-8"),
        "--data",
        data.to_str().expect("utf-8"),
        "--tls",
        d("province").to_str().expect("utf-8"),
        "--name",
        "province",
        "--sync-port",
        "0",
    ]);
    let record = |code: &str, n: u8| EntityRef {
        kind: EntityKind::Incident,
        id: AdminCode::parse(code).expect("code").scoped_id([n; 16]),
    };
    let set = |v: serde_json::Value| Change::Set(v.as_object().expect("object").clone());
    let (province_record, county_record) = (record("220000", 1), record("220502", 2));
    let head = province.head();

    // The county's own record is accepted; its change to a province record is not.
    let mut county = member(&d("county"), "county");
    let own = county.commit(1, vec![(county_record, set(json!({"title": "县级事件"})))]);
    let overreach = county.commit(2, vec![(province_record, set(json!({"title": "县改省"})))]);
    push(&province, &d("county"), "county", [own.clone(), overreach].concat());
    // A viewer (a wall display) may not write at all.
    let mut wall = member(&d("wall"), "wall");
    push(&province, &d("wall"), "wall", wall.commit(3, vec![(county_record, set(json!({"title": "大屏"})))]));
    // A change set altered after it was signed.
    let mut altered = county.commit(4, vec![(county_record, set(json!({"title": "原文"})))]);
    altered[0].change = set(json!({"title": "篡改"}));
    push(&province, &d("county"), "county", altered);
    // An impostor: the county's key signing ops that claim to be the province's.
    let mut impostor = Writer::new(77).commit(5, vec![(province_record, set(json!({"title": "冒名"})))]);
    impostor[0].origin = onemap_sync::tls::membership(&d("province"), "province").expect("files").identity.node();
    impostor[0].seq = head + 1; // the province's next op: all of its log is its own so far
    push(&province, &d("county"), "county", impostor);

    let refused = eventually(10, "four refusals in the quarantine", || {
        let q = province.rpc(json!({"method": "quarantine"}))["result"].as_array().cloned().unwrap_or_default();
        (q.len() >= 4).then_some(q)
    });
    let reasons: Vec<&str> = refused.iter().map(|q| q["reason"].as_str().expect("reason")).collect();
    let has = |needle: &str| reasons.iter().any(|r| r.contains(needle));
    assert!(has("belongs to jurisdiction 220000000000, outside its own"), "{reasons:?}");
    assert!(has("the role may not write"), "{reasons:?}");
    assert!(has("signature does not match"), "{reasons:?}");
    assert!(has("the seal's key is not the origin's"), "{reasons:?}");
    assert_eq!(refused.len(), 4, "nothing else was refused: {reasons:?}");
    let logged: Vec<bool> = refused.iter().map(|q| q["logged"].as_bool().expect("logged")).collect();
    assert_eq!(logged.iter().filter(|&&l| l).count(), 2, "the authentic ones are in the log, the forged are not");

    let detail = |e: EntityRef| {
        province.http("POST", "/api/rpc", &json!({"method": "entity", "params": {"entity": e}}).to_string())
    };
    assert!(detail(county_record).1.contains("县级事件"), "own record accepted");
    let (status, body) = detail(province_record);
    assert!(
        status != 200 && !body.contains("县改省") && !body.contains("冒名"),
        "nothing reached the province's record: {body}"
    );

    // The county's genuine change set pushed again changes nothing and is noted.
    let before = province.head();
    push(&province, &d("county"), "county", own);
    assert_eq!(province.head(), before, "a replay applies nothing");
    assert!(province.log().contains("already here (resent or replayed)"), "{}", province.log());

    // A member may push only as the node its certificate was issued to.
    let status = push_as(&province, &d("county"), "county", "some-other-node", Vec::new());
    assert_eq!(status, 403, "a certificate does not let a member act as another node");
    assert!(province.log().contains("acting as some-other-node"), "{}", province.log());
    assert_eq!(before, head + 3, "the county's own op and the two refused authentic ops were logged");
}
