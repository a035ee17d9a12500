//! Applying a batch of ops inside one transaction: log insert (idempotent on origin and
//! seq), then the projection of each kind of change by its own merge rule. Each touched
//! entity row is read once and written once per batch.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use rusqlite::{Transaction, params};
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
    format!("{:016x}:{}:{:016x}", op.hlc.0, op.origin.0, op.seq)
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

/// Reads the current rows of every entity the batch touches, one statement per kind.
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
    Ok(out)
}

/// The local number of a replica in `nodes`, registering it on first sight.
fn origin_id(tx: &Transaction<'_>, ids: &mut HashMap<NodeId, i64>, node: NodeId) -> Result<i64, StoreError> {
    if let Some(id) = ids.get(&node) {
        return Ok(*id);
    }
    tx.prepare_cached("INSERT INTO nodes (node) VALUES (?1) ON CONFLICT (node) DO NOTHING")?.execute([node.0])?;
    let id = tx.prepare_cached("SELECT id FROM nodes WHERE node = ?1")?.query_row([node.0], |r| r.get(0))?;
    ids.insert(node, id);
    Ok(id)
}

/// Applies `ops`. `origins` caches `nodes` ids; the caller drops it if the transaction
/// rolls back (ids of a rolled-back insert would be stale).
pub(super) fn apply_ops(
    tx: &Transaction<'_>,
    ops: &[Op],
    clock: &Clock,
    origins: &mut HashMap<NodeId, i64>,
) -> Result<ApplyReport, StoreError> {
    ops.iter().try_for_each(check)?;
    let mut insert_op = tx.prepare_cached(
        "INSERT INTO ops (origin, seq, hlc, actor, kind, entity, change, intent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (origin, seq) DO NOTHING",
    )?;
    let mut add_event = tx.prepare_cached("INSERT INTO events (lseq, kind, id, event) VALUES (?1, ?2, ?3, ?4)")?;

    let mut pending = preload(tx, ops)?;
    let mut report = ApplyReport::default();
    let mut latest: Option<&Op> = None;
    for op in ops {
        let change_json = serde_json::to_string(&op.change)?;
        let kind = op.entity.kind.as_str();
        let origin = origin_id(tx, origins, op.origin)?;
        let inserted = insert_op.execute(params![
            origin,
            op.seq as i64,
            op.hlc.to_sql(),
            op.actor,
            kind,
            op.entity.id,
            change_json,
            op.intent
        ])?;
        if inserted == 0 {
            report.duplicates += 1;
            continue;
        }
        report.applied += 1;
        let lseq = tx.last_insert_rowid();
        if latest.is_none_or(|l| op.hlc > l.hlc) {
            latest = Some(op);
        }

        let entry = pending.entry(op.entity).or_insert_with(Pending::empty);
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
                add_event.execute(params![lseq, kind, op.entity.id, event.to_string()])?;
            }
        }
    }
    // Keep the clock ahead of everything applied; once per batch is enough.
    if let Some(op) = latest {
        clock.observe(op.hlc, op.origin);
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
