//! The embedded SQLite backend: WAL mode, full synchronous commits, schema migrations and an
//! integrity check on open.

mod io;

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use rusqlite_migration::{M, Migrations};
use serde_json::Value;
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};

use crate::error::StoreError;
use crate::identity::{GENESIS, Identity, Lane, bytes32};
use crate::merge::{self, Local, OwnState, Sequencing, Source, parse_doc};
use crate::op::{Hlc, NodeId, Op, Stored};
use crate::store::{ApplyReport, Quarantined, Record, Snapshot, Store};
use io::SqliteIo;

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../../migrations/001_op_log.sql")),
    M::up(include_str!("../../migrations/002_peer_receive_cursor.sql")),
    M::up(include_str!("../../migrations/003_drop_unused_peer_columns.sql")),
    M::up(include_str!("../../migrations/004_signed_ops_and_quarantine.sql")),
    M::up(include_str!("../../migrations/005_urgent_lane.sql")),
];

/// A replica stored in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    local: Local,
    /// Cached per-origin sequencing state (see `apply`).
    sequencing: Sequencing,
}

impl SqliteStore {
    /// Opens (creating if needed, with a fresh key) the store at `path`, checks its
    /// integrity and migrates it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::init(Connection::open(path)?, None)
    }

    /// Opens the store at `path` as the node holding `identity` (the key its certificate
    /// was issued for): a new store takes the key, an existing one must have it already.
    pub fn open_as(path: &Path, identity: Identity) -> Result<Self, StoreError> {
        Self::init(Connection::open(path)?, Some(identity))
    }

    /// A throw-away store, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?, None)
    }

    /// A throw-away store with a given identity (deterministic simulations).
    pub fn open_in_memory_as(identity: Identity) -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?, Some(identity))
    }

    fn init(mut conn: Connection, given: Option<Identity>) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a commit is on disk before it is acknowledged, even across power loss.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // One plan per statement whatever its parameters: without this, a bound position
        // compared near the urgent lane's partial index re-compiled the log-reading
        // statements on every call.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        let report = Self::integrity_report(&conn)?;
        if report != "ok" {
            return Err(StoreError::Corrupt(report));
        }
        Migrations::from_slice(MIGRATIONS).to_latest(&mut conn)?;
        let meta = |key: &str| -> Result<Option<String>, StoreError> {
            Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
        };
        let stored = (meta("node_id")?, meta("node_key")?);
        let identity = merge::settle_identity(stored, given, |id, key| {
            conn.execute("INSERT INTO meta (key, value) VALUES ('node_id', ?1), ('node_key', ?2)", [id, key])?;
            Ok(())
        })?;
        let max_hlc: Option<i64> = conn.query_row("SELECT max(hlc) FROM ops", [], |r| r.get(0))?;
        Ok(Self { conn, local: Local::new(identity, max_hlc.map(Hlc::from_sql)), sequencing: Sequencing::default() })
    }

    fn integrity_report(conn: &Connection) -> Result<String, StoreError> {
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(lines.join("; "))
    }

    /// Runs `PRAGMA integrity_check`; `"ok"` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Self::integrity_report(&self.conn)
    }

    /// Ops of the log matching `filter` (with `?1` the position after which to read), in
    /// log order, at most `limit`.
    fn read_ops(&self, filter: &str, after: u64, limit: usize) -> Result<Vec<(u64, Op)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT o.lseq, n.node, o.seq, o.hlc, o.actor, o.kind, o.entity, o.change, o.intent, o.seal
             FROM ops o JOIN nodes n ON n.id = o.origin WHERE {filter} ORDER BY o.lseq LIMIT ?2"
        ))?;
        let mut rows = stmt.query(params![after as i64, limit as i64])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(decode_op(row)?);
        }
        Ok(out)
    }
}

fn decode_op(r: &rusqlite::Row<'_>) -> Result<(u64, Op), StoreError> {
    let lseq = r.get::<_, i64>(0)? as u64;
    let (kind, change, seal): (String, String, Option<String>) = (r.get(5)?, r.get(7)?, r.get(9)?);
    let op = Stored {
        lseq,
        origin: r.get(1)?,
        seq: r.get(2)?,
        hlc: r.get(3)?,
        actor: r.get(4)?,
        kind: &kind,
        entity: r.get(6)?,
        change: &change,
        intent: r.get(8)?,
        seal: seal.as_deref(),
    };
    Ok((lseq, op.decode()?))
}

impl Store for SqliteStore {
    fn local(&self) -> &Local {
        &self.local
    }

    fn local_mut(&mut self) -> &mut Local {
        &mut self.local
    }

    fn transact(&mut self, ops: &[Op], source: Source<'_>) -> Result<ApplyReport, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let result = SqliteIo::new(&tx)
            .and_then(|mut io| merge::apply_batch(&mut io, ops, source, &self.local, &mut self.sequencing))
            .and_then(|r| {
                tx.commit()?;
                Ok(r)
            });
        if result.is_err() {
            // The cache may hold node ids and marks the rollback undid.
            self.sequencing = Sequencing::default();
        }
        result
    }

    fn own_state(&self, lane: Lane) -> Result<OwnState, StoreError> {
        let row: Option<(i64, Option<Vec<u8>>, Option<String>)> = self
            .conn
            .prepare_cached("SELECT applied, chain, cert FROM nodes WHERE node = ?1")?
            .query_row([self.local.identity().lane(lane).0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((applied, chain, cert)) = row else {
            return Ok(OwnState { applied: 0, chain: GENESIS, published: None });
        };
        Ok(OwnState {
            applied: applied as u64,
            chain: chain.map(|c| bytes32(&c, "nodes.chain")).transpose()?.unwrap_or(GENESIS),
            published: cert.map(|c| serde_json::from_str(&c)).transpose()?,
        })
    }

    fn quarantined(&self, limit: usize) -> Result<Vec<Quarantined>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT op, reason, lseq IS NOT NULL, at FROM quarantine ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?, r.get::<_, i64>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (op, reason, logged, at) = row?;
            out.push(Quarantined { op: serde_json::from_str(&op)?, reason, logged, at });
        }
        Ok(out)
    }

    fn versions(&self) -> Result<BTreeMap<NodeId, u64>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT node, applied FROM nodes WHERE applied > 0")?;
        let rows = stmt.query_map([], |r| Ok((NodeId(r.get(0)?), r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn cursor(&self, peer: &str) -> Result<u64, StoreError> {
        let c: Option<i64> = self
            .conn
            .prepare_cached("SELECT recv_lseq FROM peers WHERE peer = ?1")?
            .query_row([peer], |r| r.get(0))
            .optional()?;
        Ok(c.map_or(0, |c| c as u64))
    }

    fn get(&self, entity: EntityRef) -> Result<Option<Record>, StoreError> {
        let row: Option<(String, String, i64)> = self
            .conn
            .prepare_cached("SELECT doc, balances, lseq FROM entities WHERE kind = ?1 AND id = ?2")?
            .query_row(params![entity.kind.as_str(), entity.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((doc, balances, lseq)) = row else { return Ok(None) };
        Ok(Some(Record {
            entity,
            fields: parse_doc(&doc)?,
            balances: serde_json::from_str(&balances)?,
            updated: lseq as u64,
        }))
    }

    fn list(&self, kind: EntityKind) -> Result<Vec<Record>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, doc, balances, lseq FROM entities WHERE kind = ?1 AND doc <> '{}' ORDER BY id",
        )?;
        let rows = stmt.query_map([kind.as_str()], |r| {
            Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, doc, balances, lseq) = row?;
            let record = Record {
                entity: EntityRef { kind, id },
                fields: parse_doc(&doc)?,
                balances: serde_json::from_str(&balances)?,
                updated: lseq as u64,
            };
            if !record.deleted() {
                out.push(record);
            }
        }
        Ok(out)
    }

    fn events(&self, entity: EntityRef) -> Result<Vec<Op>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.lseq, n.node, o.seq, o.hlc, o.actor, o.kind, o.entity, o.change, o.intent, o.seal
             FROM events e JOIN ops o ON o.lseq = e.lseq JOIN nodes n ON n.id = o.origin
             WHERE e.kind = ?1 AND e.id = ?2 ORDER BY o.lseq",
        )?;
        let mut rows = stmt.query(params![entity.kind.as_str(), entity.id])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(decode_op(row)?.1);
        }
        Ok(out)
    }

    fn ops_since(&self, after: u64, limit: usize) -> Result<Vec<(u64, Op)>, StoreError> {
        self.read_ops("o.lseq > ?1", after, limit)
    }

    fn urgent_since(&self, after: u64, limit: usize) -> Result<Vec<(u64, Op)>, StoreError> {
        self.read_ops("o.urgent = 1 AND o.lseq > ?1", after, limit)
    }

    fn contains(&self, origin: NodeId, seq: u64) -> Result<bool, StoreError> {
        let applied: Option<i64> = self
            .conn
            .prepare_cached("SELECT applied FROM nodes WHERE node = ?1")?
            .query_row([origin.0], |r| r.get(0))
            .optional()?;
        Ok(applied.is_some_and(|a| seq >= 1 && seq <= a as u64))
    }

    fn head(&self) -> Result<u64, StoreError> {
        Ok(self.conn.prepare_cached("SELECT coalesce(max(lseq), 0) FROM ops")?.query_row([], |r| r.get::<_, i64>(0))?
            as u64)
    }

    fn op_count(&self) -> Result<u64, StoreError> {
        Ok(self.conn.prepare_cached("SELECT count(*) FROM ops")?.query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let mut records = BTreeMap::new();
        let mut stmt = self.conn.prepare("SELECT kind, id, doc FROM entities")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Uuid>(1)?, r.get::<_, String>(2)?)))? {
            let (kind, id, doc) = row?;
            // Re-serialise so key order is canonical whatever the writer did.
            records.insert(format!("{kind}/{id}"), Value::Object(parse_doc(&doc)?).to_string());
        }
        let mut balances = BTreeMap::new();
        let mut stmt = self.conn.prepare("SELECT kind, id, balances FROM entities")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Uuid>(1)?, r.get::<_, String>(2)?)))? {
            let (kind, id, totals) = row?;
            let totals: BTreeMap<String, i64> = serde_json::from_str(&totals)?;
            for (account, total) in totals {
                balances.insert(format!("{kind}/{id}/{account}"), total);
            }
        }
        let mut events: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT e.kind, e.id, n.node, o.seq, e.event FROM events e JOIN ops o ON o.lseq = e.lseq JOIN nodes n ON n.id = o.origin")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Uuid>(1)?,
                r.get::<_, Uuid>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (kind, id, origin, seq, event) = row?;
            events.entry(format!("{kind}/{id}")).or_default().push(format!("{origin}/{seq} {event}"));
        }
        events.values_mut().for_each(|v| v.sort());
        Ok(Snapshot { records, balances, events, op_count: self.op_count()? })
    }
}
