//! The PostgreSQL side of a batch: the `BatchIo` operations inside one sqlx transaction.

use sqlx::{Postgres, Row as _, Transaction};
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};

use crate::error::StoreError;
use crate::identity::{GENESIS, Lane, bytes32};
use crate::merge::{BatchIo, OriginRow, Row};
use crate::op::{NodeId, Op};

pub(super) struct PgIo<'r, 'c> {
    rt: &'r tokio::runtime::Runtime,
    pub(super) tx: Transaction<'c, Postgres>,
}

impl<'r, 'c> PgIo<'r, 'c> {
    pub(super) fn new(rt: &'r tokio::runtime::Runtime, tx: Transaction<'c, Postgres>) -> Self {
        Self { rt, tx }
    }
}

impl BatchIo for PgIo<'_, '_> {
    fn load(&mut self, entities: &[EntityRef]) -> Result<Vec<(EntityRef, Row)>, StoreError> {
        let mut by_kind: std::collections::BTreeMap<EntityKind, Vec<Uuid>> = Default::default();
        for e in entities {
            by_kind.entry(e.kind).or_default().push(e.id);
        }
        let mut out = Vec::new();
        for (kind, ids) in by_kind {
            let rows = self.rt.block_on(
                sqlx::query("SELECT id, doc, stamps, balances FROM entities WHERE kind = $1 AND id = ANY($2)")
                    .bind(kind.as_str())
                    .bind(&ids)
                    .fetch_all(&mut *self.tx),
            )?;
            for r in rows {
                let row = Row { doc: r.try_get(1)?, stamps: r.try_get(2)?, balances: r.try_get(3)? };
                out.push((EntityRef { kind, id: r.try_get(0)? }, row));
            }
        }
        Ok(out)
    }

    fn origin(&mut self, node: NodeId) -> Result<OriginRow, StoreError> {
        let r = self.rt.block_on(
            sqlx::query(
                "INSERT INTO nodes (node) VALUES ($1) ON CONFLICT (node) DO UPDATE SET node = excluded.node
                 RETURNING id, applied, chain, key, cert, lane",
            )
            .bind(node.0)
            .fetch_one(&mut *self.tx),
        )?;
        Ok(OriginRow {
            id: r.try_get(0)?,
            applied: r.try_get::<i64, _>(1)? as u64,
            chain: r
                .try_get::<Option<Vec<u8>>, _>(2)?
                .map(|c| bytes32(&c, "nodes.chain"))
                .transpose()?
                .unwrap_or(GENESIS),
            key: r.try_get::<Option<Vec<u8>>, _>(3)?.map(|k| bytes32(&k, "nodes.key")).transpose()?,
            cert: r.try_get::<Option<&str>, _>(4)?.map(serde_json::from_str).transpose()?,
            lane: if r.try_get::<i16, _>(5)? == 1 { Lane::Urgent } else { Lane::Routine },
        })
    }

    fn set_origin(&mut self, row: &OriginRow) -> Result<(), StoreError> {
        let cert = row.cert.as_ref().map(serde_json::to_string).transpose()?;
        self.rt.block_on(
            sqlx::query("UPDATE nodes SET applied = $2, chain = $3, key = $4, cert = $5, lane = $6 WHERE id = $1")
                .bind(row.id)
                .bind(row.applied as i64)
                .bind(&row.chain[..])
                .bind(row.key.as_ref().map(|k| &k[..]))
                .bind(cert)
                .bind(i16::from(row.lane == Lane::Urgent))
                .execute(&mut *self.tx),
        )?;
        Ok(())
    }

    fn insert_op(&mut self, origin: &OriginRow, op: &Op, change: &str, seal: Option<&str>) -> Result<i64, StoreError> {
        Ok(self.rt.block_on(
            sqlx::query_scalar(
                "INSERT INTO ops (origin, seq, hlc, actor, kind, entity, change, intent, seal, urgent)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING lseq",
            )
            .bind(origin.id)
            .bind(op.seq as i64)
            .bind(op.hlc.to_sql())
            .bind(&op.actor)
            .bind(op.entity.kind.as_str())
            .bind(op.entity.id)
            .bind(change)
            .bind(&op.intent)
            .bind(seal)
            .bind(origin.lane == Lane::Urgent)
            .fetch_one(&mut *self.tx),
        )?)
    }

    fn add_event(&mut self, lseq: i64, entity: EntityRef, event: &str) -> Result<(), StoreError> {
        self.rt.block_on(
            sqlx::query("INSERT INTO events (lseq, kind, id, event) VALUES ($1, $2, $3, $4)")
                .bind(lseq)
                .bind(entity.kind.as_str())
                .bind(entity.id)
                .bind(event)
                .execute(&mut *self.tx),
        )?;
        Ok(())
    }

    fn parked_count(&mut self) -> Result<u64, StoreError> {
        let n: i64 = self.rt.block_on(sqlx::query_scalar("SELECT count(*) FROM parked").fetch_one(&mut *self.tx))?;
        Ok(n as u64)
    }

    fn park(&mut self, origin: i64, seq: u64, op: &str) -> Result<bool, StoreError> {
        let done = self.rt.block_on(
            sqlx::query("INSERT INTO parked (origin, seq, op) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(origin)
                .bind(seq as i64)
                .bind(op)
                .execute(&mut *self.tx),
        )?;
        Ok(done.rows_affected() == 1)
    }

    fn unpark(&mut self, origin: i64, seq: u64) -> Result<Option<String>, StoreError> {
        Ok(self.rt.block_on(
            sqlx::query_scalar("DELETE FROM parked WHERE origin = $1 AND seq = $2 RETURNING op")
                .bind(origin)
                .bind(seq as i64)
                .fetch_optional(&mut *self.tx),
        )?)
    }

    fn parked_heads(&mut self) -> Result<Vec<NodeId>, StoreError> {
        let rows: Vec<Uuid> = self.rt.block_on(
            sqlx::query_scalar(
                "SELECT n.node FROM parked p JOIN nodes n ON n.id = p.origin WHERE p.seq = n.applied + 1",
            )
            .fetch_all(&mut *self.tx),
        )?;
        Ok(rows.into_iter().map(NodeId).collect())
    }

    fn quarantine(&mut self, op: &Op, lseq: Option<i64>, reason: &str) -> Result<(), StoreError> {
        self.rt.block_on(
            sqlx::query(
                "INSERT INTO quarantine (origin, seq, lseq, op, reason, at)
                 VALUES ($1, $2, $3, $4, $5, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)",
            )
            .bind(op.origin.0)
            .bind(op.seq as i64)
            .bind(lseq)
            .bind(serde_json::to_string(op)?)
            .bind(reason)
            .execute(&mut *self.tx),
        )?;
        Ok(())
    }

    fn set_cursor(&mut self, peer: &str, lseq: u64) -> Result<(), StoreError> {
        self.rt.block_on(
            sqlx::query(
                "INSERT INTO peers (peer, recv_lseq) VALUES ($1, $2)
                 ON CONFLICT (peer) DO UPDATE SET recv_lseq = greatest(peers.recv_lseq, excluded.recv_lseq)",
            )
            .bind(peer)
            .bind(lseq as i64)
            .execute(&mut *self.tx),
        )?;
        Ok(())
    }

    fn save(&mut self, entity: EntityRef, row: &Row, lseq: i64) -> Result<(), StoreError> {
        self.rt.block_on(
            sqlx::query(
                "INSERT INTO entities (kind, id, doc, stamps, balances, lseq) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, stamps = excluded.stamps,
                     balances = excluded.balances, lseq = excluded.lseq",
            )
            .bind(entity.kind.as_str())
            .bind(entity.id)
            .bind(&row.doc)
            .bind(&row.stamps)
            .bind(&row.balances)
            .bind(lseq)
            .execute(&mut *self.tx),
        )?;
        Ok(())
    }

    fn head(&mut self) -> Result<u64, StoreError> {
        let n: i64 = self
            .rt
            .block_on(sqlx::query_scalar("SELECT coalesce(max(lseq), 0)::bigint FROM ops").fetch_one(&mut *self.tx))?;
        Ok(n as u64)
    }
}
