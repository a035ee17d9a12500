//! The merge rules, independent of any database: applying a batch of ops to the log and the
//! projections through a backend's [`BatchIo`].
//!
//! Ops of one origin are applied in sequence order, each exactly once: an op at or below the
//! origin's applied high-water mark is a duplicate, the next one is applied, and one that
//! comes early is parked until its predecessors arrive. Each applied op goes into the log
//! and then into the projection by its kind's merge rule (per-field last writer wins,
//! summed ledgers, kept events); each touched entity row is read once and written once.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde_json::{Map, Value};

use onemap_domain::EntityRef;

use crate::clock::Clock;
use crate::error::StoreError;
use crate::op::{Change, Hlc, NodeId, Op};
use crate::store::ApplyReport;

/// An entity's projection as stored: the merged fields, the stamps that won them and the
/// ledger balances, each as JSON text.
#[derive(Debug, Clone)]
pub struct Row {
    pub doc: String,
    pub stamps: String,
    pub balances: String,
}

/// The storage operations one batch needs; each backend implements them inside the
/// transaction the batch runs in.
pub trait BatchIo {
    /// The current rows of these entities (entities without a row are left out).
    fn load(&mut self, entities: &[EntityRef]) -> Result<Vec<(EntityRef, Row)>, StoreError>;
    /// The local number of `node` and its applied mark, registering the node if new.
    fn origin(&mut self, node: NodeId) -> Result<(i64, u64), StoreError>;
    /// Appends an op to the log; returns its local position (`lseq`).
    fn insert_op(&mut self, origin: i64, op: &Op, change: &str) -> Result<i64, StoreError>;
    fn add_event(&mut self, lseq: i64, entity: EntityRef, event: &str) -> Result<(), StoreError>;
    fn parked_count(&mut self) -> Result<u64, StoreError>;
    /// Keeps an early op; false if it was parked already.
    fn park(&mut self, origin: i64, seq: u64, op: &str) -> Result<bool, StoreError>;
    /// Takes a parked op out, if there.
    fn unpark(&mut self, origin: i64, seq: u64) -> Result<Option<String>, StoreError>;
    fn set_applied(&mut self, origin: i64, applied: u64) -> Result<(), StoreError>;
    /// Records that `peer`'s log has been read up to `lseq` (never moves backwards).
    fn set_cursor(&mut self, peer: &str, lseq: u64) -> Result<(), StoreError>;
    fn save(&mut self, entity: EntityRef, row: &Row, lseq: i64) -> Result<(), StoreError>;
    /// The local position of the last op in the log.
    fn head(&mut self) -> Result<u64, StoreError>;
}

/// A replica's own numbering — identity, clock, next sequence number — shared by the
/// backends so local ops are stamped and counted one way.
#[derive(Debug)]
pub struct Local {
    node: NodeId,
    clock: Clock,
    next_seq: u64,
}

impl Local {
    /// `max_hlc`: the latest clock reading in the log; `applied`: this node's own applied mark.
    pub fn new(node: NodeId, max_hlc: Option<Hlc>, applied: u64) -> Self {
        let clock = Clock::new(node);
        if let Some(h) = max_hlc {
            clock.observe(h, node);
        }
        Self { node, clock, next_seq: applied + 1 }
    }

    pub fn node(&self) -> NodeId {
        self.node
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The ops for local changes: the next sequence numbers and fresh clock readings.
    pub fn stamp(&self, actor: &str, intent: &str, changes: Vec<(EntityRef, Change)>) -> Vec<Op> {
        changes
            .into_iter()
            .zip(self.next_seq..)
            .map(|((entity, change), seq)| Op {
                origin: self.node,
                seq,
                hlc: self.clock.now(),
                actor: actor.to_owned(),
                entity,
                change,
                intent: intent.to_owned(),
            })
            .collect()
    }

    /// After a local commit: every stamped op must have been applied.
    pub fn committed(&mut self, ops: &[Op], report: &ApplyReport) {
        assert_eq!(report.applied, ops.len(), "a local op was not applied: the sequence counter is behind");
        self.next_seq += ops.len() as u64;
    }

    /// After applying ops from elsewhere: our own ops may come back from a peer or a
    /// backup, and their numbers must never be reused.
    pub fn absorbed(&mut self, ops: &[Op]) {
        if let Some(max_own) = ops.iter().filter(|o| o.origin == self.node).map(|o| o.seq).max() {
            self.next_seq = self.next_seq.max(max_own + 1);
        }
    }
}

/// Parses a JSON object column.
pub fn parse_doc(text: &str) -> Result<Map<String, Value>, StoreError> {
    match serde_json::from_str(text)? {
        Value::Object(m) => Ok(m),
        other => Err(StoreError::Corrupt(format!("a projection column is not a JSON object: {other}"))),
    }
}

/// An entity's projection row while a batch is being applied.
struct Pending {
    doc: Map<String, Value>,
    /// Field → the stamp that won it.
    stamps: HashMap<String, Rc<str>>,
    balances: BTreeMap<String, i64>,
    /// Local position of the last op of this batch that touched the entity; `None` while
    /// untouched (preloaded for an op that turned out to be a duplicate).
    lseq: Option<i64>,
}

impl Pending {
    fn empty() -> Self {
        Self { doc: Map::new(), stamps: HashMap::new(), balances: BTreeMap::new(), lseq: None }
    }

    fn load(row: &Row) -> Result<Self, StoreError> {
        let (doc, stamps, balances) = (&row.doc, &row.stamps, &row.balances);
        let doc = parse_doc(doc)?;
        let by_stamp: BTreeMap<String, StampedFields> = serde_json::from_str(stamps)?;
        let mut out: HashMap<String, Rc<str>> = HashMap::with_capacity(doc.len());
        let mut rest = None;
        for (stamp, fields) in by_stamp {
            let stamp: Rc<str> = stamp.into();
            match fields {
                StampedFields::Listed(fields) => out.extend(fields.into_iter().map(|f| (f, stamp.clone()))),
                StampedFields::Rest(_) => rest = Some(stamp),
            }
        }
        if let Some(stamp) = rest {
            for field in doc.keys() {
                out.entry(field.clone()).or_insert_with(|| stamp.clone());
            }
        }
        Ok(Self { doc, stamps: out, balances: serde_json::from_str(balances)?, lseq: None })
    }

    /// `{"<stamp>": ["field", …], "<most common stamp>": "*"}`.
    fn stamps_json(&self) -> String {
        let mut by_stamp: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (field, stamp) in &self.stamps {
            by_stamp.entry(stamp).or_default().push(field);
        }
        let most = by_stamp.iter().max_by_key(|(_, f)| f.len()).map(|(s, _)| *s);
        let out: BTreeMap<&str, StampedFields<&str>> = by_stamp
            .into_iter()
            .map(|(s, mut fields)| {
                if Some(s) == most {
                    (s, StampedFields::Rest(RestMarker))
                } else {
                    fields.sort_unstable();
                    (s, StampedFields::Listed(fields))
                }
            })
            .collect();
        serde_json::to_string(&out).expect("string maps always serialise")
    }
}

/// The fields one stamp won: listed, or `"*"` for every field no other stamp lists.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum StampedFields<S = String> {
    Listed(Vec<S>),
    Rest(RestMarker),
}

/// The string `"*"`.
#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
struct RestMarker;

impl TryFrom<String> for RestMarker {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if s == "*" { Ok(Self) } else { Err(format!("expected \"*\", got {s:?}")) }
    }
}

impl From<RestMarker> for &'static str {
    fn from(_: RestMarker) -> Self {
        "*"
    }
}

/// The sortable form of an op's last-writer-wins stamp: fixed-width hex HLC, then origin,
/// then the origin's sequence number. The last part makes the order total even if a
/// replica's clock ever repeated a reading.
fn stamp_key(op: &Op) -> String {
    let mut s = String::with_capacity(16 + 1 + 36 + 1 + 16);
    push_hex(&mut s, op.hlc.0);
    s.push(':');
    s.push_str(op.origin.0.hyphenated().encode_lower(&mut uuid::Uuid::encode_buffer()));
    s.push(':');
    push_hex(&mut s, op.seq);
    s
}

/// Appends `v` as 16 lower-case hex digits.
fn push_hex(s: &mut String, v: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..16).rev() {
        s.push(DIGITS[((v >> (shift * 4)) & 0xf) as usize] as char);
    }
}

fn check(op: &Op) -> Result<(), StoreError> {
    let malformed = |reason: String| StoreError::MalformedOp { origin: op.origin.to_string(), seq: op.seq, reason };
    if op.seq == 0 {
        return Err(malformed("sequence numbers start at 1".into()));
    }
    if let Change::Set(fields) = &op.change {
        if fields.is_empty() {
            return Err(malformed("a set change with no fields".into()));
        }
        if let Some(f) = fields.keys().find(|f| !is_field_name(f)) {
            return Err(StoreError::BadField { entity: op.entity, field: f.clone() });
        }
    }
    if let Change::Move { account, .. } = &op.change
        && !is_field_name(account)
    {
        return Err(malformed(format!("account `{account}` is not a plain identifier")));
    }
    Ok(())
}

fn is_field_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// What the store knows of one replica's ops: its local number and the highest sequence
/// number applied (all below it are applied too).
#[derive(Debug, Clone, Copy)]
struct Origin {
    id: i64,
    applied: u64,
}

/// Sequencing state a store caches between batches. Drop it whenever a transaction rolls
/// back, since it may hold values the rollback undid.
#[derive(Debug, Default)]
pub struct Sequencing {
    origins: HashMap<NodeId, Origin>,
    /// Rows parked, or `None` until counted.
    parked: Option<u64>,
}

/// One batch being applied.
struct Batch<'a, B: BatchIo> {
    io: &'a mut B,
    seq: &'a mut Sequencing,
    pending: HashMap<EntityRef, Pending>,
    report: ApplyReport,
    latest: Option<(Hlc, NodeId)>,
    touched: BTreeMap<NodeId, Origin>,
}

impl<B: BatchIo> Batch<'_, B> {
    fn origin(&mut self, node: NodeId) -> Result<Origin, StoreError> {
        if let Some(o) = self.touched.get(&node).or_else(|| self.seq.origins.get(&node)) {
            return Ok(*o);
        }
        let (id, applied) = self.io.origin(node)?;
        let o = Origin { id, applied };
        self.seq.origins.insert(node, o);
        Ok(o)
    }

    /// Logs and projects one op that is next in its origin's sequence.
    fn apply_one(&mut self, op: &Op, origin: &mut Origin) -> Result<(), StoreError> {
        debug_assert_eq!(op.seq, origin.applied + 1, "ops of an origin are applied in sequence");
        let lseq = self.io.insert_op(origin.id, op, &serde_json::to_string(&op.change)?)?;
        origin.applied = op.seq;
        self.touched.insert(op.origin, *origin);
        self.report.applied += 1;
        if self.latest.is_none_or(|l| (op.hlc, op.origin) > l) {
            self.latest = Some((op.hlc, op.origin));
        }
        // Ops of this batch were preloaded; an unparked op may touch an entity they did not.
        if !self.pending.contains_key(&op.entity) {
            let row = self.io.load(std::slice::from_ref(&op.entity))?;
            let p = row.first().map(|(_, r)| Pending::load(r)).transpose()?.unwrap_or_else(Pending::empty);
            self.pending.insert(op.entity, p);
        }
        let entry = self.pending.get_mut(&op.entity).expect("inserted above");
        entry.lseq = Some(lseq);
        match &op.change {
            Change::Set(fields) => {
                let stamp: Rc<str> = stamp_key(op).into();
                for (field, value) in fields {
                    let wins = entry.stamps.get(field).is_none_or(|old| *stamp > **old);
                    if wins {
                        entry.doc.insert(field.clone(), value.clone());
                        entry.stamps.insert(field.clone(), stamp.clone());
                    }
                }
            }
            Change::Move { account, delta } => {
                let total = entry.balances.entry(account.clone()).or_insert(0);
                *total = total.checked_add(*delta).ok_or_else(|| StoreError::MalformedOp {
                    origin: op.origin.to_string(),
                    seq: op.seq,
                    reason: format!("balance of `{account}` would overflow"),
                })?;
            }
            Change::Append(event) => self.io.add_event(lseq, op.entity, &event.to_string())?,
        }
        Ok(())
    }

    fn unpark(&mut self, origin: &Origin, seq: u64) -> Result<Option<Op>, StoreError> {
        let count = match self.seq.parked {
            Some(n) => n,
            None => *self.seq.parked.insert(self.io.parked_count()?),
        };
        if count == 0 {
            return Ok(None);
        }
        let Some(text) = self.io.unpark(origin.id, seq)? else { return Ok(None) };
        self.seq.parked = self.seq.parked.map(|n| n - 1);
        Ok(Some(serde_json::from_str(&text)?))
    }

    fn park(&mut self, origin: &Origin, op: &Op) -> Result<bool, StoreError> {
        let parked = self.io.park(origin.id, op.seq, &serde_json::to_string(op)?)?;
        if parked {
            self.seq.parked = self.seq.parked.map(|n| n + 1);
        }
        Ok(parked)
    }
}

/// Applies `ops` through `io` (inside the caller's transaction), records the peer cursor
/// the batch was read up to (if it came from a peer) and moves `clock` past the ops.
pub fn apply_batch<B: BatchIo>(
    io: &mut B,
    ops: &[Op],
    cursor: Option<(&str, u64)>,
    clock: &Clock,
    sequencing: &mut Sequencing,
) -> Result<ApplyReport, StoreError> {
    ops.iter().try_for_each(check)?;
    let mut entities: Vec<EntityRef> = ops.iter().map(|o| o.entity).collect();
    entities.sort_unstable();
    entities.dedup();
    let mut pending: HashMap<EntityRef, Pending> = HashMap::with_capacity(entities.len());
    for (entity, row) in io.load(&entities)? {
        pending.insert(entity, Pending::load(&row)?);
    }
    for e in entities {
        pending.entry(e).or_insert_with(Pending::empty);
    }
    let mut batch =
        Batch { io, seq: sequencing, pending, report: ApplyReport::default(), latest: None, touched: BTreeMap::new() };
    // Ops of this batch that arrived before a predecessor.
    let mut early: BTreeMap<(NodeId, u64), &Op> = BTreeMap::new();
    for op in ops {
        let mut origin = batch.origin(op.origin)?;
        if op.seq <= origin.applied || early.contains_key(&(op.origin, op.seq)) {
            batch.report.duplicates += 1;
            continue;
        }
        if op.seq > origin.applied + 1 {
            early.insert((op.origin, op.seq), op);
            continue;
        }
        batch.apply_one(op, &mut origin)?;
        // Release the successors that were waiting, in this batch or from earlier ones.
        loop {
            let next = origin.applied + 1;
            if let Some(waiting) = early.remove(&(op.origin, next)) {
                batch.apply_one(waiting, &mut origin)?;
            } else if let Some(waiting) = batch.unpark(&origin, next)? {
                batch.apply_one(&waiting, &mut origin)?;
            } else {
                break;
            }
        }
    }
    for op in early.into_values() {
        let origin = batch.origin(op.origin)?;
        if batch.park(&origin, op)? {
            batch.report.parked += 1;
        } else {
            batch.report.duplicates += 1;
        }
    }

    let Batch { io, seq, pending, mut report, latest, touched } = batch;
    // Keep the clock ahead of everything applied; once per batch is enough.
    if let Some((hlc, origin)) = latest {
        clock.observe(hlc, origin);
    }
    for (node, o) in touched {
        io.set_applied(o.id, o.applied)?;
        seq.origins.insert(node, o);
    }
    for (entity, p) in pending {
        let Some(lseq) = p.lseq else { continue };
        debug_assert_eq!(p.doc.len(), p.stamps.len(), "every merged field has the stamp that won it");
        let row = Row {
            doc: serde_json::to_string(&p.doc)?,
            stamps: p.stamps_json(),
            balances: serde_json::to_string(&p.balances)?,
        };
        io.save(entity, &row, lseq)?;
    }
    if let Some((peer, lseq)) = cursor {
        io.set_cursor(peer, lseq)?;
    }
    report.head = io.head()?;
    Ok(report)
}
