//! The conformance suite every `Store` backend must pass. Backends call [`run_all`] from
//! their tests with a factory of fresh, empty stores.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use onemap_domain::{AdminCode, EntityKind, EntityRef};

use crate::authority::{Authority, Credential, Grant, Rights, hex};
use crate::identity::{GENESIS, Identity, Lane};
use crate::merge::{OwnState, seal};
use crate::op::{Change, Hlc, NodeId, Op};
use crate::store::Store;

/// Runs every check against stores made by `fresh`.
pub fn run_all<S: Store>(mut fresh: impl FnMut() -> S) {
    commit_then_read(&mut fresh());
    apply_is_idempotent(&mut fresh());
    last_writer_wins_per_field(&mut fresh);
    ledgers_sum(&mut fresh());
    events_are_all_kept(&mut fresh());
    change_feed_is_ordered_and_resumable(&mut fresh());
    deletion_is_a_field(&mut fresh());
    early_ops_wait_for_their_predecessors(&mut fresh());
    peer_cursor_commits_with_the_batch(&mut fresh());
    forged_change_sets_go_to_quarantine(&mut fresh());
    a_forged_seal_takes_no_genuine_op_down(&mut fresh());
    a_forgery_parked_under_this_replicas_own_origin_is_checked(&mut fresh());
    change_sets_cut_across_batches_wait_for_their_seal(&mut fresh());
    authority_is_checked_on_every_op(&mut fresh());
    urgent_change_sets_have_their_own_lane(&mut fresh);
}

fn team(n: u128) -> EntityRef {
    EntityRef { kind: EntityKind::Team, id: Uuid::from_u128(n) }
}

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("test literals are objects"),
    }
}

/// A remote replica writing signed change sets with explicit clock readings, for tests
/// and simulations: what another node would send.
#[derive(Debug)]
pub struct Writer {
    identity: Identity,
    own: OwnState,
    cert: Option<Credential>,
}

impl Writer {
    /// A writer with a deterministic key made from `seed`.
    pub fn new(seed: u8) -> Self {
        Self::with_identity(Identity::from_seed(&[seed; 32]))
    }

    pub fn with_identity(identity: Identity) -> Self {
        Self { identity, own: OwnState { applied: 0, chain: GENESIS, published: None }, cert: None }
    }

    /// Publishes `cert` in the next seal.
    pub fn with_cert(mut self, cert: Credential) -> Self {
        self.cert = Some(cert);
        self
    }

    pub fn node(&self) -> NodeId {
        self.identity.node()
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The next change set: `changes` stamped `hlc`, `hlc + 1`, …, sealed.
    pub fn commit(&mut self, hlc: u64, changes: Vec<(EntityRef, Change)>) -> Vec<Op> {
        let mut ops: Vec<Op> = changes
            .into_iter()
            .zip(0..)
            .map(|((entity, change), i)| Op {
                origin: self.node(),
                seq: self.own.applied + 1 + i,
                hlc: Hlc(hlc + i),
                actor: "test".into(),
                entity,
                change,
                intent: "test".into(),
                seal: None,
            })
            .collect();
        seal(&self.identity, &self.own, &mut ops, self.cert.as_ref()).expect("test ops serialise");
        if let Some(last) = ops.last() {
            let chain = ops.iter().fold(self.own.chain, |c, op| {
                crate::identity::chain_next(&c, op, &serde_json::to_string(&op.change).expect("serialises"))
            });
            self.own = OwnState { applied: last.seq, chain, published: self.cert.clone() };
        }
        ops
    }

    /// A change set of one op.
    pub fn op(&mut self, hlc: u64, entity: EntityRef, change: Change) -> Op {
        self.commit(hlc, vec![(entity, change)]).remove(0)
    }
}

fn commit_then_read<S: Store>(s: &mut S) {
    let ops = s
        .commit(
            "duty-officer",
            "team.upsert",
            vec![(team(1), Change::Set(fields(json!({"name": "东昌区消防救援大队", "headcount": 42}))))],
        )
        .expect("commit");
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].origin, s.node());
    assert_eq!(ops[0].seq, 1, "a fresh replica numbers its ops from 1");
    let rec = s.get(team(1)).expect("get").expect("the committed record is readable");
    assert_eq!(rec.fields["name"], json!("东昌区消防救援大队"));
    assert_eq!(s.list(EntityKind::Team).expect("list").len(), 1);
    let more = s
        .commit("duty-officer", "team.upsert", vec![(team(1), Change::Set(fields(json!({"headcount": 43}))))])
        .expect("commit");
    assert_eq!(more[0].seq, 2, "sequence numbers have no gaps");
    assert!(more[0].hlc > ops[0].hlc, "the clock moves forward");
    assert!(s.contains(s.node(), 2).expect("contains"));
}

fn apply_is_idempotent<S: Store>(s: &mut S) {
    let batch = Writer::new(7).commit(
        100,
        vec![
            (team(2), Change::Set(fields(json!({"name": "a"})))),
            (team(2), Change::Move { account: "on_hand".into(), delta: 5 }),
        ],
    );
    let first = s.apply(&batch).expect("apply");
    assert_eq!((first.applied, first.duplicates), (2, 0));
    let before = s.snapshot().expect("snapshot");
    let again = s.apply(&batch).expect("apply again");
    assert_eq!((again.applied, again.duplicates), (0, 2));
    assert_eq!(s.snapshot().expect("snapshot"), before, "re-applying changes nothing");
    assert_eq!(s.get(team(2)).expect("get").expect("present").balances["on_hand"], 5);
}

fn last_writer_wins_per_field<S: Store>(fresh: &mut impl FnMut() -> S) {
    // Same HLC on two replicas: the greater origin wins, everywhere.
    let (mut w2, mut w3) = (Writer::new(2), Writer::new(3));
    if w2.node() > w3.node() {
        std::mem::swap(&mut w2, &mut w3);
    }
    let a = Writer::new(1).op(200, team(3), Change::Set(fields(json!({"name": "old", "status": "standby"}))));
    let b = w2.op(300, team(3), Change::Set(fields(json!({"name": "new"}))));
    let c = w3.op(300, team(3), Change::Set(fields(json!({"name": "tie-break"}))));
    let mut snapshots = Vec::new();
    for order in [vec![&a, &b, &c], vec![&c, &b, &a], vec![&b, &a, &c]] {
        let mut s = fresh();
        for op in order {
            s.apply(std::slice::from_ref(op)).expect("apply");
        }
        let rec = s.get(team(3)).expect("get").expect("present");
        assert_eq!(rec.fields["name"], json!("tie-break"), "highest (hlc, origin) wins the field");
        assert_eq!(rec.fields["status"], json!("standby"), "a field no later op touched survives");
        snapshots.push(s.snapshot().expect("snapshot").records);
    }
    assert!(snapshots.windows(2).all(|w| w[0] == w[1]), "any order converges");
}

fn ledgers_sum<S: Store>(s: &mut S) {
    let line = EntityRef { kind: EntityKind::StockLine, id: Uuid::from_u128(4) };
    let mut w2 = Writer::new(2);
    let ops = [
        Writer::new(1).op(10, line, Change::Move { account: "on_hand".into(), delta: 100 }),
        w2.op(5, line, Change::Move { account: "on_hand".into(), delta: -30 }),
        w2.op(6, line, Change::Move { account: "on_hand".into(), delta: -20 }),
    ];
    s.apply(&ops).expect("apply");
    let rec = s.get(line).expect("get").expect("a movement creates the record");
    assert_eq!(rec.balances["on_hand"], 50, "concurrent movements are summed, not overwritten");
    assert!(s.list(EntityKind::StockLine).expect("list").is_empty(), "a record with no fields is not listed");
}

fn events_are_all_kept<S: Store>(s: &mut S) {
    let inc = EntityRef { kind: EntityKind::Incident, id: Uuid::from_u128(5) };
    s.apply(&[
        Writer::new(1).op(10, inc, Change::Append(json!({"decision": "start", "level": 4}))),
        Writer::new(2).op(10, inc, Change::Append(json!({"decision": "start", "level": 3}))),
    ])
    .expect("apply");
    let snap = s.snapshot().expect("snapshot");
    assert_eq!(snap.events[&format!("incident/{}", inc.id)].len(), 2, "conflicting decisions are both kept");
    // Read back whole, each with its origin; a record's fields are no events, other records'
    // events are not its own.
    s.commit("op", "t", vec![(inc, Change::Set(fields(json!({"title": "x"}))))]).expect("commit");
    s.apply(&[Writer::new(3).op(10, team(9), Change::Append(json!({"journal": "x"})))]).expect("apply");
    let events = s.events(inc).expect("events");
    let mut levels: Vec<(u64, i64)> = events
        .iter()
        .map(|op| match &op.change {
            Change::Append(v) => (op.seq, v["level"].as_i64().expect("level")),
            other => panic!("not an event: {other:?}"),
        })
        .collect();
    levels.sort_unstable();
    assert_eq!(levels, [(1, 3), (1, 4)]);
    assert_eq!(events.iter().map(|op| op.origin).collect::<std::collections::BTreeSet<_>>().len(), 2);
    assert!(s.events(EntityRef { kind: EntityKind::Incident, id: Uuid::from_u128(6) }).expect("events").is_empty());
}

fn change_feed_is_ordered_and_resumable<S: Store>(s: &mut S) {
    for i in 0..5u128 {
        s.commit("op", "t", vec![(team(10 + i), Change::Set(fields(json!({"name": i.to_string()}))))]).expect("commit");
    }
    let first = s.ops_since(0, 3).expect("feed");
    assert_eq!(first.len(), 3);
    let rest = s.ops_since(first[2].0, 100).expect("feed");
    assert_eq!(rest.len(), 2);
    let all: Vec<u64> = first.iter().chain(&rest).map(|(l, _)| *l).collect();
    assert!(all.windows(2).all(|w| w[0] < w[1]), "the feed is in log order");
    assert_eq!(rest[1].1.change, Change::Set(fields(json!({"name": "4"}))), "ops come back as written");
}

fn deletion_is_a_field<S: Store>(s: &mut S) {
    let mut w = Writer::new(1);
    s.apply(&[w.op(10, team(20), Change::Set(fields(json!({"name": "x"}))))]).expect("apply");
    s.apply(&[w.op(11, team(20), Change::Set(fields(json!({"deleted": true}))))]).expect("apply");
    assert!(
        s.list(EntityKind::Team).expect("list").iter().all(|r| r.entity != team(20)),
        "deleted records are not listed"
    );
    assert!(s.get(team(20)).expect("get").expect("tombstone kept").deleted());
}

fn early_ops_wait_for_their_predecessors<S: Store>(s: &mut S) {
    let mut w = Writer::new(9);
    let first = w.op(10, team(30), Change::Set(fields(json!({"name": "created", "status": "standby"}))));
    let second = w.op(11, team(30), Change::Set(fields(json!({"status": "dispatched"}))));
    let third = w.op(12, team(30), Change::Set(fields(json!({"status": "on_scene"}))));
    let r = s.apply(&[third.clone(), second.clone()]).expect("apply");
    assert_eq!((r.applied, r.parked), (0, 2), "ops 2 and 3 wait for op 1");
    assert!(s.get(team(30)).expect("get").is_none(), "nothing of a parked op is visible");
    assert!(!s.contains(first.origin, 3).expect("contains"));
    let r = s.apply(std::slice::from_ref(&second)).expect("apply");
    assert_eq!((r.applied, r.duplicates), (0, 1), "a parked op sent again is a duplicate");
    assert_eq!(s.versions().expect("versions").get(&first.origin), None, "nothing of origin 9 is applied yet");
    let r = s.apply(&[first]).expect("apply");
    assert_eq!(r.applied, 3, "op 1 releases the parked ops 2 and 3");
    assert_eq!(s.versions().expect("versions")[&third.origin], 3, "the version vector follows");
    let rec = s.get(team(30)).expect("get").expect("present");
    assert_eq!(rec.fields["status"], json!("on_scene"));
    assert!(s.contains(third.origin, 3).expect("contains"));
    assert_eq!(s.op_count().expect("count"), 3);
}

fn peer_cursor_commits_with_the_batch<S: Store>(s: &mut S) {
    assert_eq!(s.cursor("city-hub").expect("cursor"), 0, "a new peer has been read from the start");
    let mut w = Writer::new(11);
    let good = w.op(10, team(40), Change::Set(fields(json!({"name": "a"}))));
    s.apply_from("city-hub", &[good], 17).expect("apply");
    assert_eq!(s.cursor("city-hub").expect("cursor"), 17);
    // A batch that fails leaves neither its ops nor the cursor behind.
    let next = w.op(12, team(41), Change::Set(fields(json!({"name": "b"}))));
    let mut bad = next.clone();
    bad.change = Change::Set(Map::new());
    let before = s.snapshot().expect("snapshot");
    assert!(s.apply_from("city-hub", &[next, bad], 30).is_err());
    assert_eq!(s.cursor("city-hub").expect("cursor"), 17, "the cursor moves only with a committed batch");
    assert_eq!(s.snapshot().expect("snapshot"), before, "nothing of the failed batch is applied");
    // A stale cursor (a resent page) never moves it backwards.
    s.apply_from("city-hub", &[], 5).expect("apply");
    assert_eq!(s.cursor("city-hub").expect("cursor"), 17);
}

fn forged_change_sets_go_to_quarantine<S: Store>(s: &mut S) {
    let mut w = Writer::new(21);
    let genuine = w.op(10, team(50), Change::Set(fields(json!({"name": "真"}))));
    let mut altered = genuine.clone();
    altered.change = Change::Set(fields(json!({"name": "假"})));
    let r = s.apply(std::slice::from_ref(&altered)).expect("apply");
    assert_eq!((r.applied, r.quarantined, r.logged), (0, 1, 0), "an altered op is refused, not logged");
    assert!(s.get(team(50)).expect("get").is_none(), "nothing of it is visible");
    let q = s.quarantined(10).expect("quarantine");
    assert!(q[0].reason.contains("signature") && !q[0].logged, "{q:?}");
    assert_eq!(q[0].op, altered, "the refused op is kept as received");
    // Another node's key cannot speak for this origin.
    let mut impostor = Writer::new(22).op(10, team(50), Change::Set(fields(json!({"name": "冒名"}))));
    impostor.origin = genuine.origin;
    assert_eq!(s.apply(&[impostor]).expect("apply").quarantined, 1);
    assert!(s.quarantined(10).expect("quarantine")[0].reason.contains("key"));
    // The genuine op is still welcome: the forgeries took nothing of its origin's sequence.
    let r = s.apply(std::slice::from_ref(&genuine)).expect("apply");
    assert_eq!(r.applied, 1);
    assert_eq!(s.get(team(50)).expect("get").expect("present").fields["name"], json!("真"));
    // Its replay is a duplicate, not a second application.
    assert_eq!(s.apply(&[genuine]).expect("apply").duplicates, 1);
}

fn change_sets_cut_across_batches_wait_for_their_seal<S: Store>(s: &mut S) {
    let mut w = Writer::new(23);
    let ops =
        w.commit(10, (0..3).map(|i| (team(60 + i), Change::Set(fields(json!({"name": i.to_string()}))))).collect());
    let r = s.apply(&ops[..2]).expect("apply");
    assert_eq!((r.applied, r.parked), (0, 2), "unsealed ops wait for the seal of their change set");
    assert!(s.get(team(60)).expect("get").is_none());
    let r = s.apply(&ops[2..]).expect("apply");
    assert_eq!(r.applied, 3, "the seal releases the whole change set");
    assert_eq!(s.versions().expect("versions")[&w.node()], 3);
}

/// A writer with key `seed` holding `ca`'s credential for `code` and `role`.
pub fn member(ca: &Identity, seed: u8, name: &str, code: &str, role: &str) -> Writer {
    let w = Writer::new(seed);
    let grant = Grant {
        name: name.into(),
        jurisdiction: AdminCode::parse(code).expect("code"),
        role: role.into(),
        key: hex(&w.identity().public()),
    };
    w.with_cert(Credential::issue(ca, grant))
}

fn authority_is_checked_on_every_op<S: Store>(s: &mut S) {
    let ca = Identity::from_seed(&[90; 32]);
    let roles = [("command", vec!["*"]), ("duty", vec!["incident", "team"]), ("viewer", vec![])]
        .into_iter()
        .map(|(r, w)| (r.to_owned(), Rights { writes: w.into_iter().map(str::to_owned).collect() }))
        .collect();
    s.local_mut().configure(Authority::Deployment { ca: ca.public(), roles }, None).expect("configure");
    let mut province = member(&ca, 31, "吉林省应急管理厅", "220000", "command");
    let mut county = member(&ca, 32, "东昌区应急管理局", "220502", "command");
    let mut viewer = member(&ca, 33, "东昌区大屏", "220502", "viewer");
    let mut rogue = member(&Identity::from_seed(&[91; 32]), 34, "冒充", "220000", "command");
    let scoped = |code: &str, n: u8| EntityRef {
        kind: EntityKind::Incident,
        id: AdminCode::parse(code).expect("code").scoped_id([n; 16]),
    };
    let (p_rec, c_rec) = (scoped("220000", 1), scoped("220502", 2));
    let set = |v: Value| Change::Set(fields(v));
    let r = s.apply(&province.commit(10, vec![(p_rec, set(json!({"name": "省级"})))])).expect("apply");
    assert_eq!(r.applied, 1, "the province writes its own record");
    let r = s.apply(&county.commit(11, vec![(p_rec, set(json!({"name": "县改省"})))])).expect("apply");
    assert_eq!((r.applied, r.quarantined), (0, 1), "a county may not change a province's record");
    assert_eq!(r.logged, 1, "it is logged all the same, keeping the county's sequence whole");
    assert_eq!(s.get(p_rec).expect("get").expect("present").fields["name"], json!("省级"));
    let q = &s.quarantined(1).expect("quarantine")[0];
    assert!(q.logged && q.reason.contains("220000000000"), "{q:?}");
    let r = s
        .apply(
            &county
                .commit(12, vec![(c_rec, set(json!({"name": "县级"}))), (p_rec, Change::Append(json!({"report": 1})))]),
        )
        .expect("apply");
    assert_eq!(r.applied, 2, "after a refused op its origin goes on: own records, and reports to any tier");
    assert_eq!(s.apply(&province.commit(13, vec![(c_rec, set(json!({"level": 3})))])).expect("apply").applied, 1);
    let r = s.apply(&viewer.commit(14, vec![(c_rec, set(json!({"name": "大屏"})))])).expect("apply");
    assert_eq!(r.quarantined, 1, "a viewer may not write");
    assert!(s.quarantined(1).expect("quarantine")[0].reason.contains("may not write"));
    let r = s.apply(&rogue.commit(15, vec![(p_rec, set(json!({"name": "冒充"})))])).expect("apply");
    assert_eq!(r.quarantined, 1, "a credential from another CA grants nothing");
    assert!(s.quarantined(1).expect("quarantine")[0].reason.contains("CA"));
    let err = s.commit("x", "t", vec![(c_rec, set(json!({"name": "local"})))]).expect_err("no credential here");
    assert_eq!(err.code(), "store.unauthorized");
    assert_eq!(s.get(c_rec).expect("get").expect("present").fields["name"], json!("县级"));
}

fn urgent_change_sets_have_their_own_lane<S: Store>(fresh: &mut impl FnMut() -> S) {
    let mut a = fresh();
    let routine =
        a.commit("op", "t", vec![(team(70), Change::Set(fields(json!({"name": "routine"}))))]).expect("commit");
    let urgent = a
        .commit_in(Lane::Urgent, "op", "decision", vec![(team(71), Change::Append(json!({"decision": "level Ⅲ"})))])
        .expect("commit");
    assert_ne!(urgent[0].origin, routine[0].origin, "the urgent lane is an origin of its own");
    assert_eq!((urgent[0].seq, routine[0].seq), (1, 1), "each lane has its own sequence");
    assert_eq!(routine[0].origin, a.node(), "routine ops carry the node id");
    let feed = a.urgent_since(0, 10).expect("urgent feed");
    assert_eq!(feed.iter().map(|(_, op)| op.clone()).collect::<Vec<_>>(), urgent, "only urgent ops are listed");
    assert_eq!(a.ops_since(0, 10).expect("feed").len(), 2);
    // Another replica verifies the urgent lane by the same key, with no routine op yet.
    let mut b = fresh();
    let r = b.apply(&urgent).expect("apply");
    assert_eq!((r.applied, r.quarantined), (1, 0), "an urgent change set stands on its own");
    assert_eq!(b.urgent_since(0, 10).expect("relayed urgent feed").len(), 1, "and is urgent there too, for relaying");
}

fn a_forged_seal_takes_no_genuine_op_down<S: Store>(s: &mut S) {
    // A genuine change set of three ops; an impostor's sealed op claims the origin's seq 2.
    let mut w = Writer::new(24);
    let ops = w.commit(10, (0..3).map(|i| (team(80 + i), Change::Set(fields(json!({"n": i}))))).collect());
    let mut forged = Writer::new(25).op(10, team(80), Change::Set(fields(json!({"n": "forged"}))));
    forged.origin = w.node();
    forged.seq = 2;
    assert_eq!(s.apply(&ops[..1]).expect("apply").parked, 1, "op 1 waits for its seal");
    let r = s.apply(std::slice::from_ref(&forged)).expect("apply");
    assert_eq!((r.quarantined, r.parked), (1, 1), "the forged seal is refused, genuine op 1 waits on: {r:?}");
    assert_eq!(s.apply(&ops[2..]).expect("apply").applied, 0, "op 3 waits for op 2");
    let r = s.apply(&ops[1..2]).expect("apply");
    assert_eq!(r.applied, 3, "the genuine ops all survived the forgery: {r:?}");
    assert_eq!(s.get(team(81)).expect("get").expect("present").fields["n"], json!(1));
}

fn a_forgery_parked_under_this_replicas_own_origin_is_checked<S: Store>(s: &mut S) {
    // Someone else's op claiming this replica's next-but-one sequence number, its seal
    // naming this replica's (public) key, waits…
    let mut forged = Writer::new(26).op(10, team(90), Change::Set(fields(json!({"name": "forged"}))));
    forged.origin = s.node();
    forged.seq = 2;
    forged.seal.as_mut().expect("sealed").key = Some(s.local().identity().public().to_vec());
    assert_eq!(s.apply(std::slice::from_ref(&forged)).expect("apply").parked, 1);
    // …and when this replica commits its op 1, the forgery is checked, not taken as its own.
    let ops = s.commit("op", "t", vec![(team(91), Change::Set(fields(json!({"name": "own"}))))]).expect("commit");
    assert_eq!(ops[0].seq, 1);
    assert!(s.get(team(90)).expect("get").is_none(), "the forgery is not applied");
    assert!(s.quarantined(1).expect("quarantine")[0].reason.contains("signature"), "it is refused");
    let next = s.commit("op", "t", vec![(team(92), Change::Set(fields(json!({"name": "own 2"}))))]).expect("commit");
    assert_eq!(next[0].seq, 2, "and took nothing of the sequence");
}
