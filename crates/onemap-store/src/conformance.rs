//! The conformance suite every `Store` backend must pass. Backends call [`run_all`] from
//! their tests with a factory of fresh, empty stores.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};

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

/// A remote op with an explicit stamp.
pub fn remote(origin: u128, seq: u64, hlc: u64, entity: EntityRef, change: Change) -> Op {
    Op {
        origin: NodeId(Uuid::from_u128(origin)),
        seq,
        hlc: Hlc(hlc),
        actor: "test".into(),
        entity,
        change,
        intent: "test".into(),
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
    let batch = vec![
        remote(7, 1, 100, team(2), Change::Set(fields(json!({"name": "a"})))),
        remote(7, 2, 101, team(2), Change::Move { account: "on_hand".into(), delta: 5 }),
    ];
    let first = s.apply(&batch).expect("apply");
    assert_eq!((first.applied, first.duplicates), (2, 0));
    let before = s.snapshot().expect("snapshot");
    let again = s.apply(&batch).expect("apply again");
    assert_eq!((again.applied, again.duplicates), (0, 2));
    assert_eq!(s.snapshot().expect("snapshot"), before, "re-applying changes nothing");
    assert_eq!(s.get(team(2)).expect("get").expect("present").balances["on_hand"], 5);
}

fn last_writer_wins_per_field<S: Store>(fresh: &mut impl FnMut() -> S) {
    let a = remote(1, 1, 200, team(3), Change::Set(fields(json!({"name": "old", "status": "standby"}))));
    let b = remote(2, 1, 300, team(3), Change::Set(fields(json!({"name": "new"}))));
    // Same HLC on two replicas: the greater origin wins, everywhere.
    let c = remote(3, 1, 300, team(3), Change::Set(fields(json!({"name": "tie-break"}))));
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
    let ops = [
        remote(1, 1, 10, line, Change::Move { account: "on_hand".into(), delta: 100 }),
        remote(2, 1, 5, line, Change::Move { account: "on_hand".into(), delta: -30 }),
        remote(2, 2, 6, line, Change::Move { account: "on_hand".into(), delta: -20 }),
    ];
    s.apply(&ops).expect("apply");
    let rec = s.get(line).expect("get").expect("a movement creates the record");
    assert_eq!(rec.balances["on_hand"], 50, "concurrent movements are summed, not overwritten");
    assert!(s.list(EntityKind::StockLine).expect("list").is_empty(), "a record with no fields is not listed");
}

fn events_are_all_kept<S: Store>(s: &mut S) {
    let inc = EntityRef { kind: EntityKind::Incident, id: Uuid::from_u128(5) };
    s.apply(&[
        remote(1, 1, 10, inc, Change::Append(json!({"decision": "start", "level": 4}))),
        remote(2, 1, 10, inc, Change::Append(json!({"decision": "start", "level": 3}))),
    ])
    .expect("apply");
    let snap = s.snapshot().expect("snapshot");
    assert_eq!(snap.events[&format!("incident/{}", inc.id)].len(), 2, "conflicting decisions are both kept");
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
    s.apply(&[remote(1, 1, 10, team(20), Change::Set(fields(json!({"name": "x"}))))]).expect("apply");
    s.apply(&[remote(1, 2, 11, team(20), Change::Set(fields(json!({"deleted": true}))))]).expect("apply");
    assert!(
        s.list(EntityKind::Team).expect("list").iter().all(|r| r.entity != team(20)),
        "deleted records are not listed"
    );
    assert!(s.get(team(20)).expect("get").expect("tombstone kept").deleted());
}

fn early_ops_wait_for_their_predecessors<S: Store>(s: &mut S) {
    let first = remote(9, 1, 10, team(30), Change::Set(fields(json!({"name": "created", "status": "standby"}))));
    let second = remote(9, 2, 11, team(30), Change::Set(fields(json!({"status": "dispatched"}))));
    let third = remote(9, 3, 12, team(30), Change::Set(fields(json!({"status": "on_scene"}))));
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
    let good = remote(11, 1, 10, team(40), Change::Set(fields(json!({"name": "a"}))));
    s.apply_from("city-hub", &[good], 17).expect("apply");
    assert_eq!(s.cursor("city-hub").expect("cursor"), 17);
    // A batch that fails leaves neither its ops nor the cursor behind.
    let bad = remote(11, 2, 11, team(40), Change::Set(Map::new()));
    let before = s.snapshot().expect("snapshot");
    assert!(
        s.apply_from("city-hub", &[remote(11, 3, 12, team(41), Change::Set(fields(json!({"name": "b"})))), bad], 30)
            .is_err()
    );
    assert_eq!(s.cursor("city-hub").expect("cursor"), 17, "the cursor moves only with a committed batch");
    assert_eq!(s.snapshot().expect("snapshot"), before, "nothing of the failed batch is applied");
    // A stale cursor (a resent page) never moves it backwards.
    s.apply_from("city-hub", &[], 5).expect("apply");
    assert_eq!(s.cursor("city-hub").expect("cursor"), 17);
}
