//! Applying a batch of ops inside one transaction. Ops of one origin are applied in sequence
//! order, each exactly once: an op at or below the origin's applied high-water mark is a
//! duplicate, the next one is applied, and one that comes early is parked until its
//! predecessors arrive. Each applied op goes into the log and then into the projection by
//! its kind's merge rule; each touched entity row is read once and written once per batch.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value};

use onemap_domain::{EntityKind, EntityRef};

use crate::clock::Clock;
use crate::error::StoreError;
use crate::op::{Change, NodeId, Op};
use crate::store::ApplyReport;

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

    fn load(doc: &str, stamps: &str, balances: &str) -> Result<Self, StoreError> {
        let doc = super::parse_doc(doc)?;
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

/// Reads the current rows of every entity the batch touches, one statement per kind; the
/// entities with no row yet get an empty projection, so the batch never looks them up again.
fn preload(tx: &Transaction<'_>, ops: &[Op]) -> Result<HashMap<EntityRef, Pending>, StoreError> {
    let mut by_kind: BTreeMap<EntityKind, Vec<rusqlite::types::Value>> = BTreeMap::new();
    for op in ops {
        by_kind.entry(op.entity.kind).or_default().push(rusqlite::types::Value::Blob(op.entity.id.as_bytes().to_vec()));
    }
    let mut stmt =
        tx.prepare_cached("SELECT id, doc, stamps, balances FROM entities WHERE kind = ?1 AND id IN rarray(?2)")?;
    let mut out = HashMap::with_capacity(ops.len());
    for (kind, ids) in by_kind {
        let mut rows = stmt.query(params![kind.as_str(), Rc::new(ids)])?;
        while let Some(r) = rows.next()? {
            let id: uuid::Uuid = r.get(0)?;
            let (doc, stamps, balances): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
            out.insert(EntityRef { kind, id }, Pending::load(&doc, &stamps, &balances)?);
        }
    }
    for op in ops {
        out.entry(op.entity).or_insert_with(Pending::empty);
    }
    Ok(out)
}

/// The projection of `entity` as it stands, from the batch or from its row.
fn load_one(tx: &Transaction<'_>, entity: EntityRef) -> Result<Pending, StoreError> {
    let row: Option<(String, String, String)> = tx
        .prepare_cached("SELECT doc, stamps, balances FROM entities WHERE kind = ?1 AND id = ?2")?
        .query_row(params![entity.kind.as_str(), entity.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match row {
        Some((d, s, b)) => Pending::load(&d, &s, &b),
        None => Ok(Pending::empty()),
    }
}

/// What the store knows of one replica's ops: its local number in `nodes` and the highest
/// sequence number applied (all below it are applied too).
#[derive(Debug, Clone, Copy)]
pub(super) struct Origin {
    id: i64,
    applied: u64,
}

/// Sequencing state cached by the store between batches. Dropped whenever a transaction
/// rolls back, since it may hold values the rollback undid.
#[derive(Debug, Default)]
pub(super) struct Sequencing {
    origins: HashMap<NodeId, Origin>,
    /// Rows in `parked`, or `None` until counted.
    parked: Option<u64>,
}

impl Sequencing {
    /// The highest sequence number of `node` applied here (0 if none).
    pub(super) fn applied(&mut self, conn: &rusqlite::Connection, node: NodeId) -> Result<u64, StoreError> {
        if let Some(o) = self.origins.get(&node) {
            return Ok(o.applied);
        }
        let applied: Option<i64> = conn
            .prepare_cached("SELECT applied FROM nodes WHERE node = ?1")?
            .query_row([node.0], |r| r.get(0))
            .optional()?;
        Ok(applied.map_or(0, |a| a as u64))
    }

    fn origin(&mut self, tx: &Transaction<'_>, node: NodeId) -> Result<Origin, StoreError> {
        if let Some(o) = self.origins.get(&node) {
            return Ok(*o);
        }
        tx.prepare_cached("INSERT INTO nodes (node) VALUES (?1) ON CONFLICT (node) DO NOTHING")?.execute([node.0])?;
        let (id, applied): (i64, i64) = tx
            .prepare_cached("SELECT id, applied FROM nodes WHERE node = ?1")?
            .query_row([node.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let o = Origin { id, applied: applied as u64 };
        self.origins.insert(node, o);
        Ok(o)
    }

    fn parked_rows(&mut self, tx: &Transaction<'_>) -> Result<u64, StoreError> {
        if let Some(n) = self.parked {
            return Ok(n);
        }
        let n = tx.query_row("SELECT count(*) FROM parked", [], |r| r.get::<_, i64>(0))? as u64;
        self.parked = Some(n);
        Ok(n)
    }
}

/// One batch being applied.
struct Batch<'t, 'c> {
    tx: &'t Transaction<'c>,
    insert_op: rusqlite::CachedStatement<'t>,
    add_event: rusqlite::CachedStatement<'t>,
    seq: &'t mut Sequencing,
    pending: HashMap<EntityRef, Pending>,
    report: ApplyReport,
    latest: Option<(crate::op::Hlc, NodeId)>,
    touched_origins: BTreeMap<NodeId, Origin>,
}

impl Batch<'_, '_> {
    /// Logs and projects one op that is next in its origin's sequence.
    fn apply_one(&mut self, op: &Op, origin: &mut Origin) -> Result<(), StoreError> {
        debug_assert_eq!(op.seq, origin.applied + 1, "ops of an origin are applied in sequence");
        let kind = op.entity.kind.as_str();
        self.insert_op.execute(params![
            origin.id,
            op.seq as i64,
            op.hlc.to_sql(),
            op.actor,
            kind,
            op.entity.id,
            serde_json::to_string(&op.change)?,
            op.intent
        ])?;
        let lseq = self.tx.last_insert_rowid();
        origin.applied = op.seq;
        self.touched_origins.insert(op.origin, *origin);
        self.report.applied += 1;
        if self.latest.is_none_or(|l| (op.hlc, op.origin) > l) {
            self.latest = Some((op.hlc, op.origin));
        }

        // Ops of this batch were preloaded; an unparked op may touch an entity they did not.
        let entry = match self.pending.entry(op.entity) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => v.insert(load_one(self.tx, op.entity)?),
        };
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
            Change::Append(event) => {
                self.add_event.execute(params![lseq, kind, op.entity.id, event.to_string()])?;
            }
        }
        Ok(())
    }

    /// Takes the parked op `(origin, seq)` out of the `parked` table, if it is there.
    fn unpark(&mut self, origin: &Origin, seq: u64) -> Result<Option<Op>, StoreError> {
        if self.seq.parked_rows(self.tx)? == 0 {
            return Ok(None);
        }
        let text: Option<String> = self
            .tx
            .prepare_cached("DELETE FROM parked WHERE origin = ?1 AND seq = ?2 RETURNING op")?
            .query_row(params![origin.id, seq as i64], |r| r.get(0))
            .optional()?;
        let Some(text) = text else { return Ok(None) };
        self.seq.parked = self.seq.parked.map(|n| n - 1);
        Ok(Some(serde_json::from_str(&text)?))
    }

    fn park(&mut self, origin: &Origin, op: &Op) -> Result<bool, StoreError> {
        let inserted = self
            .tx
            .prepare_cached("INSERT INTO parked (origin, seq, op) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")?
            .execute(params![origin.id, op.seq as i64, serde_json::to_string(op)?])?;
        if inserted == 1 {
            self.seq.parked = self.seq.parked.map(|n| n + 1);
        }
        Ok(inserted == 1)
    }
}

pub(super) fn apply_ops(
    tx: &Transaction<'_>,
    ops: &[Op],
    clock: &Clock,
    sequencing: &mut Sequencing,
) -> Result<ApplyReport, StoreError> {
    ops.iter().try_for_each(check)?;
    let pending = preload(tx, ops)?;
    let mut batch = Batch {
        tx,
        insert_op: tx.prepare_cached(
            "INSERT INTO ops (origin, seq, hlc, actor, kind, entity, change, intent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?,
        add_event: tx.prepare_cached("INSERT INTO events (lseq, kind, id, event) VALUES (?1, ?2, ?3, ?4)")?,
        seq: sequencing,
        pending,
        report: ApplyReport::default(),
        latest: None,
        touched_origins: BTreeMap::new(),
    };
    // Ops of this batch that arrived before a predecessor.
    let mut early: BTreeMap<(NodeId, u64), &Op> = BTreeMap::new();
    for op in ops {
        let mut origin = match batch.touched_origins.get(&op.origin) {
            Some(o) => *o,
            None => batch.seq.origin(tx, op.origin)?,
        };
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
        let origin = match batch.touched_origins.get(&op.origin) {
            Some(o) => *o,
            None => batch.seq.origin(tx, op.origin)?,
        };
        if batch.park(&origin, op)? {
            batch.report.parked += 1;
        } else {
            batch.report.duplicates += 1;
        }
    }

    let Batch { pending, mut report, latest, touched_origins, seq, .. } = batch;
    // Keep the clock ahead of everything applied; once per batch is enough.
    if let Some((hlc, origin)) = latest {
        clock.observe(hlc, origin);
    }
    let mut mark = tx.prepare_cached("UPDATE nodes SET applied = ?2 WHERE id = ?1")?;
    for (node, o) in touched_origins {
        mark.execute(params![o.id, o.applied as i64])?;
        seq.origins.insert(node, o);
    }
    let mut save = tx.prepare_cached(
        "INSERT INTO entities (kind, id, doc, stamps, balances, lseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, stamps = excluded.stamps,
             balances = excluded.balances, lseq = excluded.lseq",
    )?;
    for (entity, p) in pending {
        let Some(lseq) = p.lseq else { continue };
        debug_assert_eq!(p.doc.len(), p.stamps.len(), "every merged field has the stamp that won it");
        save.execute(params![
            entity.kind.as_str(),
            entity.id,
            serde_json::to_string(&p.doc)?,
            p.stamps_json(),
            serde_json::to_string(&p.balances)?,
            lseq
        ])?;
    }
    report.head = tx.query_row("SELECT coalesce(max(lseq), 0) FROM ops", [], |r| r.get::<_, i64>(0))? as u64;
    Ok(report)
}
