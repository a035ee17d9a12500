//! The SQLite side of a batch: the `BatchIo` operations over one rusqlite transaction.

use rusqlite::{CachedStatement, OptionalExtension, Transaction, params};

use onemap_domain::EntityRef;

use crate::error::StoreError;
use crate::identity::{GENESIS, Lane, bytes32};
use crate::merge::{BatchIo, OriginRow, Row};
use crate::op::{NodeId, Op};

pub(super) struct SqliteIo<'t> {
    tx: &'t Transaction<'t>,
    insert_op: CachedStatement<'t>,
}

impl<'t> SqliteIo<'t> {
    pub(super) fn new(tx: &'t Transaction<'t>) -> Result<Self, StoreError> {
        let insert_op = tx.prepare_cached(
            "INSERT INTO ops (origin, seq, hlc, actor, kind, entity, change, intent, seal, urgent)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        Ok(Self { tx, insert_op })
    }
}

impl BatchIo for SqliteIo<'_> {
    fn load(&mut self, entities: &[EntityRef]) -> Result<Vec<(EntityRef, Row)>, StoreError> {
        let mut by_kind: std::collections::BTreeMap<_, Vec<String>> = Default::default();
        for e in entities {
            by_kind.entry(e.kind).or_default().push(e.id.simple().to_string());
        }
        // One statement per kind for the whole batch, not one per entity: the ids go in as a
        // JSON array of hex strings. (rusqlite's `rarray` pointer binding leaked each array.)
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, doc, stamps, balances FROM entities
             WHERE kind = ?1 AND id IN (SELECT unhex(value) FROM json_each(?2))",
        )?;
        let mut out = Vec::new();
        for (kind, ids) in by_kind {
            let mut rows = stmt.query(params![kind.as_str(), serde_json::to_string(&ids)?])?;
            while let Some(r) = rows.next()? {
                let row = Row { doc: r.get(1)?, stamps: r.get(2)?, balances: r.get(3)? };
                out.push((EntityRef { kind, id: r.get(0)? }, row));
            }
        }
        Ok(out)
    }

    fn origin(&mut self, node: NodeId) -> Result<OriginRow, StoreError> {
        self.tx
            .prepare_cached("INSERT INTO nodes (node) VALUES (?1) ON CONFLICT (node) DO NOTHING")?
            .execute([node.0])?;
        let mut stmt =
            self.tx.prepare_cached("SELECT id, applied, chain, key, cert, lane FROM nodes WHERE node = ?1")?;
        let mut rows = stmt.query([node.0])?;
        let r = rows.next()?.expect("registered just above");
        Ok(OriginRow {
            id: r.get(0)?,
            applied: r.get::<_, i64>(1)? as u64,
            chain: r.get::<_, Option<Vec<u8>>>(2)?.map(|c| bytes32(&c, "nodes.chain")).transpose()?.unwrap_or(GENESIS),
            key: r.get::<_, Option<Vec<u8>>>(3)?.map(|k| bytes32(&k, "nodes.key")).transpose()?,
            cert: r.get::<_, Option<String>>(4)?.map(|c| serde_json::from_str(&c)).transpose()?,
            lane: if r.get::<_, i64>(5)? == 1 { Lane::Urgent } else { Lane::Routine },
        })
    }

    fn set_origin(&mut self, row: &OriginRow) -> Result<(), StoreError> {
        let cert = row.cert.as_ref().map(serde_json::to_string).transpose()?;
        self.tx
            .prepare_cached("UPDATE nodes SET applied = ?2, chain = ?3, key = ?4, cert = ?5, lane = ?6 WHERE id = ?1")?
            .execute(params![
                row.id,
                row.applied as i64,
                &row.chain[..],
                row.key.as_ref().map(|k| &k[..]),
                cert,
                i64::from(row.lane == Lane::Urgent)
            ])?;
        Ok(())
    }

    fn insert_op(&mut self, origin: &OriginRow, op: &Op, change: &str, seal: Option<&str>) -> Result<i64, StoreError> {
        self.insert_op.execute(params![
            origin.id,
            op.seq as i64,
            op.hlc.to_sql(),
            op.actor,
            op.entity.kind.as_str(),
            op.entity.id,
            change,
            op.intent,
            seal,
            origin.lane == Lane::Urgent
        ])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn add_event(&mut self, lseq: i64, entity: EntityRef, event: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT INTO events (lseq, kind, id, event) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![lseq, entity.kind.as_str(), entity.id, event])?;
        Ok(())
    }

    fn parked_count(&mut self) -> Result<u64, StoreError> {
        Ok(self.tx.prepare_cached("SELECT count(*) FROM parked")?.query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    fn park(&mut self, origin: i64, seq: u64, op: &str) -> Result<bool, StoreError> {
        let n = self
            .tx
            .prepare_cached("INSERT INTO parked (origin, seq, op) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")?
            .execute(params![origin, seq as i64, op])?;
        Ok(n == 1)
    }

    fn unpark(&mut self, origin: i64, seq: u64) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("DELETE FROM parked WHERE origin = ?1 AND seq = ?2 RETURNING op")?
            .query_row(params![origin, seq as i64], |r| r.get(0))
            .optional()?)
    }

    fn parked_heads(&mut self) -> Result<Vec<NodeId>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT n.node FROM parked p JOIN nodes n ON n.id = p.origin WHERE p.seq = n.applied + 1",
        )?;
        let rows = stmt.query_map([], |r| Ok(NodeId(r.get(0)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn quarantine(&mut self, op: &Op, lseq: Option<i64>, reason: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO quarantine (origin, seq, lseq, op, reason, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, CAST(unixepoch('subsec') * 1000 AS INTEGER))",
            )?
            .execute(params![op.origin.0, op.seq as i64, lseq, serde_json::to_string(op)?, reason])?;
        Ok(())
    }

    fn set_cursor(&mut self, peer: &str, lseq: u64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO peers (peer, recv_lseq) VALUES (?1, ?2)
                 ON CONFLICT (peer) DO UPDATE SET recv_lseq = max(recv_lseq, excluded.recv_lseq)",
            )?
            .execute(params![peer, lseq as i64])?;
        Ok(())
    }

    fn save(&mut self, entity: EntityRef, row: &Row, lseq: i64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO entities (kind, id, doc, stamps, balances, lseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, stamps = excluded.stamps,
                     balances = excluded.balances, lseq = excluded.lseq",
            )?
            .execute(params![entity.kind.as_str(), entity.id, row.doc, row.stamps, row.balances, lseq])?;
        Ok(())
    }

    fn head(&mut self) -> Result<u64, StoreError> {
        Ok(self.tx.prepare_cached("SELECT coalesce(max(lseq), 0) FROM ops")?.query_row([], |r| r.get::<_, i64>(0))?
            as u64)
    }
}
