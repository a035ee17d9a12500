//! The `Store` trait: what every backend (embedded SQLite, PostgreSQL for a province hub)
//! offers, so callers never depend on one backend.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use onemap_domain::{EntityKind, EntityRef};

use crate::error::StoreError;
use crate::identity::Lane;
use crate::merge::{Local, OwnState, Source};
use crate::op::{Change, NodeId, Op};

/// The merged state of one entity. (In TypeScript `EntityRecord`, so it does not shadow
/// the built-in `Record<K, V>`.)
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, rename = "EntityRecord")]
pub struct Record {
    pub entity: EntityRef,
    #[ts(type = "Record<string, unknown>")]
    pub fields: Map<String, Value>,
    /// Ledger balances by account (e.g. `on_hand`, `occupancy`).
    #[ts(type = "Record<string, number>")]
    pub balances: BTreeMap<String, i64>,
    /// Local sequence number of the last op that changed this entity.
    #[ts(type = "number")]
    pub updated: u64,
}

impl Record {
    pub fn deleted(&self) -> bool {
        self.fields.get("deleted").and_then(Value::as_bool).unwrap_or(false)
    }
}

/// What one `apply` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// Ops newly added to the log.
    pub applied: usize,
    /// Ops already present (by origin and seq) and skipped.
    pub duplicates: usize,
    /// Ops that came before an earlier op of their origin (or before the seal of their
    /// change set); kept and applied once it arrives.
    pub parked: usize,
    /// Ops refused (forged, or not allowed to their origin) and put in quarantine.
    pub quarantined: usize,
    /// Ops added to the log: the applied ones and those refused for their origin's rights
    /// (logged so the origin's sequence stays whole). A link has moved something when this
    /// is not zero.
    pub logged: usize,
    /// Local sequence number of the last op in the log after the batch.
    pub head: u64,
}

/// An op refused by this replica, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Quarantined {
    pub op: Op,
    pub reason: String,
    /// Whether the op is in the log (authentic, but not allowed to its origin).
    pub logged: bool,
    /// When it was refused (unix milliseconds).
    #[ts(type = "number")]
    pub at: i64,
}

/// The projections in canonical form, for comparing replicas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// `kind/id` → canonical JSON of the merged fields.
    pub records: BTreeMap<String, String>,
    /// `kind/id/account` → balance.
    pub balances: BTreeMap<String, i64>,
    /// `kind/id` → canonical JSON of each append-only event, sorted.
    pub events: BTreeMap<String, Vec<String>>,
    pub op_count: u64,
}

/// A replica's operation log and projections.
pub trait Store {
    /// The backend's one write primitive: applies `ops` in one transaction through
    /// `merge::apply_batch`, advancing the peer's cursor with them when they came from one.
    fn transact(&mut self, ops: &[Op], source: Source<'_>) -> Result<ApplyReport, StoreError>;

    /// The replica's own numbering (identity, clock, next sequence number).
    fn local(&self) -> &Local;
    fn local_mut(&mut self) -> &mut Local;

    /// This replica's identity.
    fn node(&self) -> NodeId {
        self.local().node()
    }

    /// Stamps and seals local changes (next sequence numbers, clock readings, the
    /// signature over the chain), applies them in one transaction and returns the ops once
    /// committed: this is the acknowledgement. Changes this node may not make are refused.
    fn commit(&mut self, actor: &str, intent: &str, changes: Vec<(EntityRef, Change)>) -> Result<Vec<Op>, StoreError> {
        self.commit_in(Lane::Routine, actor, intent, changes)
    }

    /// [`Store::commit`] in a given lane: `Lane::Urgent` for what must go ahead of routine
    /// data on every link.
    fn commit_in(
        &mut self,
        lane: Lane,
        actor: &str,
        intent: &str,
        changes: Vec<(EntityRef, Change)>,
    ) -> Result<Vec<Op>, StoreError> {
        let own = self.own_state(lane)?;
        let ops = self.local().stamp(&own, lane, actor, intent, changes)?;
        let report = self.transact(&ops, Source::Local)?;
        assert_eq!(report.applied, ops.len(), "a local op was not applied: the sequence or the seal is wrong");
        Ok(ops)
    }

    /// Applies a batch of ops from anywhere (another replica, a bundle, a replay) in one
    /// transaction. Ops already present are skipped; ops of one origin are applied in
    /// sequence order, an op whose predecessor has not arrived yet is parked until it does.
    fn apply(&mut self, ops: &[Op]) -> Result<ApplyReport, StoreError> {
        self.transact(ops, Source::Other)
    }

    /// Applies a batch read from `peer`'s log and records, in the same transaction, that
    /// the peer's log has been read up to `cursor` (its local sequence number).
    fn apply_from(&mut self, peer: &str, ops: &[Op], cursor: u64) -> Result<ApplyReport, StoreError> {
        self.transact(ops, Source::Peer(peer, cursor))
    }

    /// Where this replica's own sequence and chain stand in `lane`.
    fn own_state(&self, lane: Lane) -> Result<OwnState, StoreError>;

    /// Ops of urgent lanes after `after` (a local sequence number), at most `limit`, in log
    /// order: what a link sends ahead of the routine page.
    fn urgent_since(&self, after: u64, limit: usize) -> Result<Vec<(u64, Op)>, StoreError>;

    /// The most recent refused ops, newest first.
    fn quarantined(&self, limit: usize) -> Result<Vec<Quarantined>, StoreError>;

    /// The version vector: for every origin known here, the highest sequence number
    /// applied (every op of that origin up to it is here).
    fn versions(&self) -> Result<BTreeMap<NodeId, u64>, StoreError>;

    /// How far `peer`'s log has been read and applied (0 for a new peer).
    fn cursor(&self, peer: &str) -> Result<u64, StoreError>;

    fn get(&self, entity: EntityRef) -> Result<Option<Record>, StoreError>;

    /// All live (not deleted) records of a kind.
    fn list(&self, kind: EntityKind) -> Result<Vec<Record>, StoreError>;

    /// The append-only events of a record (decisions, journal lines): every `Append` op on
    /// it, each kept whole, in local log order.
    fn events(&self, entity: EntityRef) -> Result<Vec<Op>, StoreError>;

    /// Ops in local log order after `after` (a local sequence number), at most `limit`:
    /// the change feed for the UI and the outbox a sync link reads from its cursor.
    fn ops_since(&self, after: u64, limit: usize) -> Result<Vec<(u64, Op)>, StoreError>;

    /// Whether the op `(origin, seq)` has been applied.
    fn contains(&self, origin: NodeId, seq: u64) -> Result<bool, StoreError>;

    /// Change-feed position of the last op in the log (0 when empty).
    fn head(&self) -> Result<u64, StoreError>;

    /// Number of ops in the log.
    fn op_count(&self) -> Result<u64, StoreError>;

    /// Canonical dump of the projections.
    fn snapshot(&self) -> Result<Snapshot, StoreError>;
}
