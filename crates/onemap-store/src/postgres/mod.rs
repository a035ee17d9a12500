//! The PostgreSQL backend (sqlx), for a centre hub that outgrows one machine. Same schema
//! meaning, same merge code (`merge::apply_batch`) and same conformance suite as SQLite.
//!
//! The `Store` trait is synchronous; this backend runs sqlx on a private current-thread
//! runtime. Call it from a plain thread (e.g. `spawn_blocking`), never from async code.
//! Writers are serialised by a transaction-scoped advisory lock, so the log's `lseq` order
//! is the commit order even with several hub processes on one database.

mod io;
#[cfg(feature = "conformance")]
pub mod testing;

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Connection, PgConnection, Row as _, SqlSafeStr};
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};

use crate::error::StoreError;
use crate::identity::{GENESIS, Identity, Lane, bytes32};
use crate::merge::{self, Local, OwnState, Sequencing, Source, parse_doc};
use crate::op::{Hlc, NodeId, Op, Stored};
use crate::store::{ApplyReport, Quarantined, Record, Snapshot, Store};

/// A replica stored in a PostgreSQL database.
#[derive(Debug)]
pub struct PgStore {
    rt: tokio::runtime::Runtime,
    /// sqlx needs the connection mutably even to read; the lock gives `&self` reads that.
    conn: Mutex<PgConnection>,
    local: Local,
    sequencing: Sequencing,
}

fn migrator() -> Migrator {
    let step = |version, description: &'static str, sql: &'static str| {
        Migration::new(version, description.into(), MigrationType::Simple, sql.into_sql_str(), false)
    };
    Migrator::with_migrations(vec![
        step(1, "op log", include_str!("../../migrations-postgres/001_op_log.sql")),
        step(2, "peer receive cursor", include_str!("../../migrations-postgres/002_peer_receive_cursor.sql")),
        step(3, "drop unused peer columns", include_str!("../../migrations-postgres/003_drop_unused_peer_columns.sql")),
        step(
            4,
            "signed ops and quarantine",
            include_str!("../../migrations-postgres/004_signed_ops_and_quarantine.sql"),
        ),
        step(5, "urgent lane", include_str!("../../migrations-postgres/005_urgent_lane.sql")),
    ])
}

impl PgStore {
    /// Connects to `url` (`postgres://…`), migrates the schema and loads the replica identity
    /// (`identity` as for [`crate::SqliteStore::open_as`]; a fresh key for a new database
    /// when none is given).
    pub fn connect(url: &str, identity: Option<Identity>) -> Result<Self, StoreError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Corrupt(format!("cannot start the PostgreSQL runtime: {e}")))?;
        let mut conn = rt.block_on(PgConnection::connect(url))?;
        rt.block_on(migrator().run(&mut conn))?;
        let mut meta = |key: &'static str| -> Result<Option<String>, StoreError> {
            Ok(rt.block_on(
                sqlx::query_scalar("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(&mut conn),
            )?)
        };
        let stored = (meta("node_id")?, meta("node_key")?);
        let identity = merge::settle_identity(stored, identity, |id, key| {
            rt.block_on(
                sqlx::query("INSERT INTO meta (key, value) VALUES ('node_id', $1), ('node_key', $2)")
                    .bind(id)
                    .bind(key)
                    .execute(&mut conn),
            )?;
            Ok(())
        })?;
        let max_hlc: Option<i64> = rt.block_on(sqlx::query_scalar("SELECT max(hlc) FROM ops").fetch_one(&mut conn))?;
        Ok(Self {
            rt,
            conn: Mutex::new(conn),
            local: Local::new(identity, max_hlc.map(Hlc::from_sql)),
            sequencing: Sequencing::default(),
        })
    }

    fn conn(&self) -> MutexGuard<'_, PgConnection> {
        // A panic mid-transaction leaves nothing half-applied: the transaction was never
        // committed, and the next `begin` starts clean.
        self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn records(&self, kind: EntityKind, id: Option<Uuid>) -> Result<Vec<Record>, StoreError> {
        let rows = self.rt.block_on(
            sqlx::query(
                "SELECT id, doc, balances, lseq FROM entities
                 WHERE kind = $1 AND ($2::uuid IS NULL OR id = $2) AND doc <> '{}' ORDER BY id",
            )
            .bind(kind.as_str())
            .bind(id)
            .fetch_all(&mut *self.conn()),
        )?;
        rows.iter()
            .map(|r| {
                Ok(Record {
                    entity: EntityRef { kind, id: r.try_get(0)? },
                    fields: parse_doc(r.try_get(1)?)?,
                    balances: serde_json::from_str(r.try_get(2)?)?,
                    updated: r.try_get::<i64, _>(3)? as u64,
                })
            })
            .collect()
    }

    /// Ops of the log matching `filter` (with `$1` the position after which to read), in
    /// log order, at most `limit`.
    fn read_ops(&self, filter: &str, after: u64, limit: usize) -> Result<Vec<(u64, Op)>, StoreError> {
        let sql = format!(
            "SELECT o.lseq, n.node, o.seq, o.hlc, o.actor, o.kind, o.entity, o.change, o.intent, o.seal
             FROM ops o JOIN nodes n ON n.id = o.origin WHERE {filter} ORDER BY o.lseq LIMIT $2"
        );
        let rows = self.rt.block_on(
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after as i64).bind(limit as i64).fetch_all(&mut *self.conn()),
        )?;
        decode_rows(&rows)
    }

    fn scalar(&self, sql: &'static str) -> Result<i64, StoreError> {
        Ok(self.rt.block_on(sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *self.conn()))?)
    }
}

/// Rows of `lseq, node, seq, hlc, actor, kind, entity, change, intent, seal` as ops.
fn decode_rows(rows: &[sqlx::postgres::PgRow]) -> Result<Vec<(u64, Op)>, StoreError> {
    rows.iter()
        .map(|r| {
            let lseq = r.try_get::<i64, _>(0)? as u64;
            let op = Stored {
                lseq,
                origin: r.try_get(1)?,
                seq: r.try_get(2)?,
                hlc: r.try_get(3)?,
                actor: r.try_get(4)?,
                kind: r.try_get(5)?,
                entity: r.try_get(6)?,
                change: r.try_get(7)?,
                intent: r.try_get(8)?,
                seal: r.try_get(9)?,
            }
            .decode()?;
            Ok((lseq, op))
        })
        .collect()
}

impl Store for PgStore {
    fn local(&self) -> &Local {
        &self.local
    }

    fn local_mut(&mut self) -> &mut Local {
        &mut self.local
    }

    fn transact(&mut self, ops: &[Op], source: Source<'_>) -> Result<ApplyReport, StoreError> {
        let rt = &self.rt;
        let mut conn = self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let tx = rt.block_on(conn.begin())?;
        let mut io = io::PgIo::new(rt, tx);
        let result = rt
            .block_on(sqlx::query("SELECT pg_advisory_xact_lock(7243)").execute(&mut *io.tx))
            .map_err(StoreError::from)
            .and_then(|_| merge::apply_batch(&mut io, ops, source, &self.local, &mut self.sequencing));
        match result {
            Ok(report) => {
                rt.block_on(io.tx.commit())?;
                Ok(report)
            }
            Err(e) => {
                // The cache may hold node ids and marks the rollback undoes.
                self.sequencing = Sequencing::default();
                rt.block_on(io.tx.rollback())?;
                Err(e)
            }
        }
    }

    fn own_state(&self, lane: Lane) -> Result<OwnState, StoreError> {
        let row = self.rt.block_on(
            sqlx::query("SELECT applied, chain, cert FROM nodes WHERE node = $1")
                .bind(self.local.identity().lane(lane).0)
                .fetch_optional(&mut *self.conn()),
        )?;
        let Some(r) = row else { return Ok(OwnState { applied: 0, chain: GENESIS, published: None }) };
        Ok(OwnState {
            applied: r.try_get::<i64, _>(0)? as u64,
            chain: r
                .try_get::<Option<Vec<u8>>, _>(1)?
                .map(|c| bytes32(&c, "nodes.chain"))
                .transpose()?
                .unwrap_or(GENESIS),
            published: r.try_get::<Option<&str>, _>(2)?.map(serde_json::from_str).transpose()?,
        })
    }

    fn quarantined(&self, limit: usize) -> Result<Vec<Quarantined>, StoreError> {
        let rows = self.rt.block_on(
            sqlx::query("SELECT op, reason, lseq IS NOT NULL, at FROM quarantine ORDER BY id DESC LIMIT $1")
                .bind(limit as i64)
                .fetch_all(&mut *self.conn()),
        )?;
        rows.iter()
            .map(|r| {
                Ok(Quarantined {
                    op: serde_json::from_str(r.try_get(0)?)?,
                    reason: r.try_get(1)?,
                    logged: r.try_get(2)?,
                    at: r.try_get(3)?,
                })
            })
            .collect()
    }

    fn versions(&self) -> Result<BTreeMap<NodeId, u64>, StoreError> {
        let rows = self
            .rt
            .block_on(sqlx::query("SELECT node, applied FROM nodes WHERE applied > 0").fetch_all(&mut *self.conn()))?;
        rows.iter().map(|r| Ok((NodeId(r.try_get(0)?), r.try_get::<i64, _>(1)? as u64))).collect()
    }

    fn cursor(&self, peer: &str) -> Result<u64, StoreError> {
        let c: Option<i64> = self.rt.block_on(
            sqlx::query_scalar("SELECT recv_lseq FROM peers WHERE peer = $1")
                .bind(peer)
                .fetch_optional(&mut *self.conn()),
        )?;
        Ok(c.map_or(0, |c| c as u64))
    }

    fn get(&self, entity: EntityRef) -> Result<Option<Record>, StoreError> {
        // `records` skips rows with no fields; a ledger-only record is still a record here.
        let row = self.rt.block_on(
            sqlx::query("SELECT doc, balances, lseq FROM entities WHERE kind = $1 AND id = $2")
                .bind(entity.kind.as_str())
                .bind(entity.id)
                .fetch_optional(&mut *self.conn()),
        )?;
        row.map(|r| {
            Ok(Record {
                entity,
                fields: parse_doc(r.try_get(0)?)?,
                balances: serde_json::from_str(r.try_get(1)?)?,
                updated: r.try_get::<i64, _>(2)? as u64,
            })
        })
        .transpose()
    }

    fn list(&self, kind: EntityKind) -> Result<Vec<Record>, StoreError> {
        Ok(self.records(kind, None)?.into_iter().filter(|r| !r.deleted()).collect())
    }

    fn events(&self, entity: EntityRef) -> Result<Vec<Op>, StoreError> {
        let rows = self.rt.block_on(
            sqlx::query(
                "SELECT o.lseq, n.node, o.seq, o.hlc, o.actor, o.kind, o.entity, o.change, o.intent, o.seal
                 FROM events e JOIN ops o ON o.lseq = e.lseq JOIN nodes n ON n.id = o.origin
                 WHERE e.kind = $1 AND e.id = $2 ORDER BY o.lseq",
            )
            .bind(entity.kind.as_str())
            .bind(entity.id)
            .fetch_all(&mut *self.conn()),
        )?;
        Ok(decode_rows(&rows)?.into_iter().map(|(_, op)| op).collect())
    }

    fn ops_since(&self, after: u64, limit: usize) -> Result<Vec<(u64, Op)>, StoreError> {
        self.read_ops("o.lseq > $1", after, limit)
    }

    fn urgent_since(&self, after: u64, limit: usize) -> Result<Vec<(u64, Op)>, StoreError> {
        self.read_ops("o.urgent AND o.lseq > $1", after, limit)
    }

    fn contains(&self, origin: NodeId, seq: u64) -> Result<bool, StoreError> {
        let applied: Option<i64> = self.rt.block_on(
            sqlx::query_scalar("SELECT applied FROM nodes WHERE node = $1")
                .bind(origin.0)
                .fetch_optional(&mut *self.conn()),
        )?;
        Ok(applied.is_some_and(|a| seq >= 1 && seq <= a as u64))
    }

    fn head(&self) -> Result<u64, StoreError> {
        Ok(self.scalar("SELECT coalesce(max(lseq), 0)::bigint FROM ops")? as u64)
    }

    fn op_count(&self) -> Result<u64, StoreError> {
        Ok(self.scalar("SELECT count(*) FROM ops")? as u64)
    }

    fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let mut conn = self.conn();
        let rows =
            self.rt.block_on(sqlx::query("SELECT kind, id, doc, balances FROM entities").fetch_all(&mut *conn))?;
        let (mut records, mut balances) = (BTreeMap::new(), BTreeMap::new());
        for r in &rows {
            let (kind, id): (String, Uuid) = (r.try_get(0)?, r.try_get(1)?);
            records.insert(format!("{kind}/{id}"), serde_json::Value::Object(parse_doc(r.try_get(2)?)?).to_string());
            let totals: BTreeMap<String, i64> = serde_json::from_str(r.try_get(3)?)?;
            for (account, total) in totals {
                balances.insert(format!("{kind}/{id}/{account}"), total);
            }
        }
        let rows = self.rt.block_on(
            sqlx::query(
                "SELECT e.kind, e.id, n.node, o.seq, e.event FROM events e
                 JOIN ops o ON o.lseq = e.lseq JOIN nodes n ON n.id = o.origin",
            )
            .fetch_all(&mut *conn),
        )?;
        let mut events: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &rows {
            let (kind, id, origin, seq, event): (String, Uuid, Uuid, i64, String) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?);
            events.entry(format!("{kind}/{id}")).or_default().push(format!("{origin}/{seq} {event}"));
        }
        events.values_mut().for_each(|v| v.sort());
        drop(conn);
        Ok(Snapshot { records, balances, events, op_count: self.op_count()? })
    }
}
