//! The situation picture at any past moment, computed from the op log: the ops of the map's
//! kinds sorted by (HLC, origin, seq) — the order last-writer-wins merges in — folded into
//! records, with a checkpoint of the folded state every so many ops, so the picture at a
//! moment is one checkpoint plus the ops after it. And an incident's journal: every op on
//! the incident and its checklist, in time order.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;
use uuid::Uuid;

use onemap_domain::entity::{EntityBody, EntityKind, EntityRef};
use onemap_store::{Change, Op, Record};

use crate::types::{Layer, MapFeature};

/// One record as folded so far.
#[derive(Debug, Clone, Default, PartialEq)]
struct Folded {
    fields: Map<String, Value>,
    balances: BTreeMap<String, i64>,
}

type State = BTreeMap<EntityRef, Folded>;

/// The map's ops in merge order with checkpoints of the folded state.
#[derive(Debug)]
pub struct Replay {
    ops: Vec<Op>,
    /// `checkpoints[k]` is the state after the first `k × every` ops.
    checkpoints: Vec<State>,
    every: usize,
    /// Each incident's events (decisions), with their place in `ops`.
    events: BTreeMap<Uuid, Vec<(usize, Op)>>,
    /// The store position this was built at.
    pub head: u64,
}

/// Checkpoints at least this many ops apart; at most `MAX_CHECKPOINTS` of them.
const MIN_SPACING: usize = 1024;
const MAX_CHECKPOINTS: usize = 128;

/// The order last-writer-wins merges in: HLC, then origin (then the origin's sequence).
fn merge_order(op: &Op) -> (onemap_store::Hlc, onemap_store::NodeId, u64) {
    (op.hlc, op.origin, op.seq)
}

fn fold(state: &mut State, op: &Op) {
    match &op.change {
        Change::Set(fields) => {
            let rec = state.entry(op.entity).or_default();
            for (k, v) in fields {
                rec.fields.insert(k.clone(), v.clone());
            }
        }
        Change::Move { account, delta } => {
            *state.entry(op.entity).or_default().balances.entry(account.clone()).or_default() += delta
        }
        Change::Append(_) => {}
    }
}

/// The picture at a moment.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Picture {
    /// The moment, Unix milliseconds.
    #[ts(type = "number")]
    pub at_ms: i64,
    pub features: Vec<MapFeature>,
    /// Ops folded to make it (of the map's kinds).
    #[ts(type = "number")]
    pub ops: u64,
    /// The first and last moment the log covers (Unix ms), for the scrubber's range.
    #[ts(type = "[number, number] | null")]
    pub span: Option<(i64, i64)>,
}

impl Replay {
    /// Sorts the map's ops (any order in) and lays out the checkpoints.
    pub fn build(all: impl IntoIterator<Item = Op>, head: u64) -> Self {
        let mut ops: Vec<Op> = all.into_iter().filter(|op| Layer::of(op.entity.kind).is_some()).collect();
        ops.sort_by_key(merge_order);
        let mut events: BTreeMap<Uuid, Vec<(usize, Op)>> = BTreeMap::new();
        for (i, op) in ops.iter().enumerate() {
            if op.entity.kind == EntityKind::Incident && matches!(op.change, Change::Append(_)) {
                events.entry(op.entity.id).or_default().push((i, op.clone()));
            }
        }
        let every = MIN_SPACING.max(ops.len().div_ceil(MAX_CHECKPOINTS));
        let mut checkpoints = vec![State::new()];
        let mut state = State::new();
        for (i, op) in ops.iter().enumerate() {
            fold(&mut state, op);
            if (i + 1) % every == 0 {
                checkpoints.push(state.clone());
            }
        }
        Self { ops, checkpoints, every, events, head }
    }

    /// How many ops are at or before `at_ms` (Unix ms).
    fn prefix(&self, at_ms: i64) -> usize {
        self.ops.partition_point(|op| op.hlc.unix_ms() <= at_ms)
    }

    /// The records of the map's kinds as of `at_ms`: the nearest checkpoint at or before it,
    /// plus the ops after that up to the moment.
    fn state_at(&self, at_ms: i64) -> (State, usize) {
        let n = self.prefix(at_ms);
        let k = (n / self.every).min(self.checkpoints.len() - 1);
        let mut state = self.checkpoints[k].clone();
        for op in &self.ops[k * self.every..n] {
            fold(&mut state, op);
        }
        (state, n)
    }

    fn fold_from_start(&self, at_ms: i64) -> State {
        let mut state = State::new();
        for op in &self.ops[..self.prefix(at_ms)] {
            fold(&mut state, op);
        }
        state
    }

    /// Ops folded in all.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    pub fn picture(&self, at_ms: i64) -> Picture {
        let (state, n) = self.state_at(at_ms);
        self.picture_of(state, n, at_ms)
    }

    /// The same picture folded from the first op, without checkpoints: what rebuilding the
    /// projection costs (the benchmark's baseline).
    pub fn picture_from_start(&self, at_ms: i64) -> Picture {
        let n = self.prefix(at_ms);
        self.picture_of(self.fold_from_start(at_ms), n, at_ms)
    }

    fn picture_of(&self, state: State, n: usize, at_ms: i64) -> Picture {
        let features = state
            .into_iter()
            .filter_map(|(entity, f)| {
                let layer = Layer::of(entity.kind)?;
                let record = Record { entity, fields: f.fields, balances: f.balances, updated: 0 };
                if record.deleted() {
                    return None;
                }
                let mut f = crate::handlers::feature(layer, &record)?;
                // The response level as the decisions made by then leave it.
                if let Some(events) = self.events.get(&entity.id) {
                    let then: Vec<Op> = events.iter().take_while(|(i, _)| *i < n).map(|(_, op)| op.clone()).collect();
                    f.response = crate::response::level_in_force(&crate::response::decisions_of(&then));
                }
                Some(f)
            })
            .collect();
        let span = self.ops.first().zip(self.ops.last()).map(|(a, b)| (a.hlc.unix_ms(), b.hlc.unix_ms()));
        Picture { at_ms, features, ops: n as u64, span }
    }
}

/// One line of an incident's journal.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct JournalLine {
    /// When it happened (the op's time), Unix ms.
    #[ts(type = "number")]
    pub at_ms: i64,
    pub actor: String,
    /// The command that produced it, e.g. `response.start: dongchang-flood Ⅳ`.
    pub intent: String,
    pub entity: EntityRef,
    /// What changed: field names, a movement, or the event's kind.
    pub what: String,
    pub origin: String,
}

/// The journal of `incident` from `ops` (any order): ops on the incident itself and on
/// records that belong to it (its tasks and journal lines), by time.
pub fn journal(incident: Uuid, ops: &[Op], belongs: impl Fn(&EntityRef) -> bool) -> Vec<JournalLine> {
    let mut lines: Vec<(&Op, JournalLine)> = ops
        .iter()
        .filter(|op| (op.entity.kind == EntityKind::Incident && op.entity.id == incident) || belongs(&op.entity))
        .map(|op| {
            let what = match &op.change {
                Change::Set(f) => f.keys().cloned().collect::<Vec<_>>().join(", "),
                Change::Move { account, delta } => format!("{account} {delta:+}"),
                Change::Append(v) => {
                    v.as_object().and_then(|o| o.keys().find(|k| *k != "id").cloned()).unwrap_or_default()
                }
            };
            let line = JournalLine {
                at_ms: op.hlc.unix_ms(),
                actor: op.actor.clone(),
                intent: op.intent.clone(),
                entity: op.entity,
                what,
                origin: op.origin.0.to_string(),
            };
            (op, line)
        })
        .collect();
    lines.sort_by_key(|(op, _)| merge_order(op));
    lines.into_iter().map(|(_, l)| l).collect()
}

/// Whether a record belongs to an incident (a task or journal line of it).
pub fn belongs_to(incident: Uuid, body: &EntityBody) -> bool {
    match body {
        EntityBody::Task(t) => t.incident == incident,
        EntityBody::Journal(j) => j.incident == Some(incident),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onemap_store::{Hlc, NodeId};
    use serde_json::json;

    /// Ops on 40 teams from 3 origins, times shuffled: sets, moves and a deletion.
    fn ops(n: usize) -> Vec<Op> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..n)
            .map(|i| {
                let r = next();
                let entity = EntityRef { kind: EntityKind::Team, id: Uuid::from_u128(u128::from(r % 40)) };
                let change = match r % 7 {
                    0 => Change::Move { account: "on_hand".into(), delta: (r % 11) as i64 - 5 },
                    1 => Change::Set(json!({ "deleted": r % 2 == 0 }).as_object().unwrap().clone()),
                    _ => Change::Set(
                        json!({ "status": format!("s{}", r % 5), "name": format!("t{i}") })
                            .as_object()
                            .unwrap()
                            .clone(),
                    ),
                };
                // Seconds 1,000,000 + (0..10,000), fraction 0: unix_ms is the second × 1000.
                let hlc = Hlc(((1_000_000 + (next() % 10_000)) << 32) | (i as u64));
                Op {
                    origin: NodeId(Uuid::from_u128(u128::from(r % 3))),
                    seq: i as u64 + 1,
                    hlc,
                    actor: "a".into(),
                    entity,
                    change,
                    intent: "t".into(),
                    seal: None,
                }
            })
            .collect()
    }

    #[test]
    fn a_checkpointed_picture_equals_folding_from_the_start() {
        let all = ops(20_000);
        let replay = Replay::build(all.clone(), 0);
        assert!(replay.checkpoints.len() > 5, "checkpoints laid out");
        for k in 0..60 {
            let at = (1_000_000 + k * 170) * 1000;
            assert_eq!(replay.state_at(at).0, replay.fold_from_start(at), "at {at}");
        }
        // Input order does not matter.
        let mut reversed = all;
        reversed.reverse();
        let again = Replay::build(reversed, 0);
        assert_eq!(again.state_at(1_005_000_000).0, replay.state_at(1_005_000_000).0);
    }

    #[test]
    fn before_the_first_op_nothing_and_after_the_last_everything() {
        let replay = Replay::build(ops(3_000), 0);
        assert!(replay.state_at(999_999_000).0.is_empty());
        assert_eq!(replay.state_at(i64::MAX).1, 3_000);
    }
}
