//! Applying a batch of ops inside one transaction: log insert (idempotent on origin and
//! seq), then the projection of each kind of change by its own merge rule. Each touched
//! entity row is read once and written once per batch.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value};

use onemap_domain::EntityRef;

use crate::clock::Clock;
use crate::error::StoreError;
use crate::op::{Change, Op};
use crate::store::ApplyReport;

/// An entity's projection row while a batch is being applied.
struct Pending {
    doc: Map<String, Value>,
    /// Field → the stamp that won it.
    stamps: HashMap<String, Rc<str>>,
    balances: BTreeMap<String, i64>,
    lseq: i64,
}

impl Pending {
    fn empty(lseq: i64) -> Self {
        Self { doc: Map::new(), stamps: HashMap::new(), balances: BTreeMap::new(), lseq }
    }

    fn load(doc: &str, stamps: &str, balances: &str) -> Result<Self, StoreError> {
        let by_stamp: BTreeMap<String, Vec<String>> = serde_json::from_str(stamps)?;
        let stamps = by_stamp
            .into_iter()
            .flat_map(|(s, fields)| {
                let s: Rc<str> = s.into();
                fields.into_iter().map(move |f| (f, s.clone()))
            })
            .collect();
        Ok(Self { doc: super::parse_doc(doc)?, stamps, balances: serde_json::from_str(balances)?, lseq: 0 })
    }

    fn stamps_json(&self) -> String {
        let mut by_stamp: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (field, stamp) in &self.stamps {
            by_stamp.entry(stamp).or_default().push(field);
        }
        by_stamp.values_mut().for_each(|v| v.sort_unstable());
        serde_json::to_string(&by_stamp).expect("string maps always serialise")
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

pub(super) fn apply_ops(tx: &Transaction<'_>, ops: &[Op], clock: &Clock) -> Result<ApplyReport, StoreError> {
    ops.iter().try_for_each(check)?;
    let mut insert_op = tx.prepare_cached(
        "INSERT INTO ops (origin, seq, hlc, actor, kind, entity, change, intent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (origin, seq) DO NOTHING",
    )?;
    let mut load = tx.prepare_cached("SELECT doc, stamps, balances FROM entities WHERE kind = ?1 AND id = ?2")?;
    let mut add_event = tx.prepare_cached("INSERT INTO events (lseq, kind, id, event) VALUES (?1, ?2, ?3, ?4)")?;

    let mut pending: HashMap<EntityRef, Pending> = HashMap::new();
    let mut report = ApplyReport::default();
    let mut latest: Option<&Op> = None;
    for op in ops {
        let change_json = serde_json::to_string(&op.change)?;
        let kind = op.entity.kind.as_str();
        let inserted = insert_op.execute(params![
            op.origin.0,
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

        let entry = match pending.entry(op.entity) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let row: Option<(String, String, String)> = load
                    .query_row(params![kind, op.entity.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                let p = match row {
                    Some((d, s, b)) => Pending::load(&d, &s, &b)?,
                    None => Pending::empty(lseq),
                };
                v.insert(p)
            }
        };
        entry.lseq = lseq;
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
        debug_assert_eq!(p.doc.len(), p.stamps.len(), "every merged field has the stamp that won it");
        save.execute(params![
            entity.kind.as_str(),
            entity.id,
            serde_json::to_string(&p.doc)?,
            p.stamps_json(),
            serde_json::to_string(&p.balances)?,
            p.lseq
        ])?;
    }
    report.head = tx.query_row("SELECT coalesce(max(lseq), 0) FROM ops", [], |r| r.get::<_, i64>(0))? as u64;
    Ok(report)
}
