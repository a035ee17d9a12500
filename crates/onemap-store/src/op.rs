//! The operation: the unit of change, of audit and of sync.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use ts_rs::TS;
use uuid::Uuid;

use onemap_domain::EntityRef;

/// A replica's identity (one per store file). An op's origin is the replica that wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export, type = "string")]
pub struct NodeId(pub Uuid);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A hybrid logical clock reading (uhlc's NTP64 layout: seconds since the Unix epoch in the
/// high 32 bits, fraction in the low 32). Ordered; ties between replicas are broken by origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export, type = "string")]
pub struct Hlc(#[serde(with = "hex_u64")] pub u64);

impl Hlc {
    /// Order-preserving mapping into SQLite's signed 64-bit integers.
    pub fn to_sql(self) -> i64 {
        (self.0 ^ (1 << 63)) as i64
    }

    pub fn from_sql(v: i64) -> Self {
        Self((v as u64) ^ (1 << 63))
    }

    /// The physical time of the reading, in Unix milliseconds.
    pub fn unix_ms(self) -> i64 {
        ((self.0 >> 32) * 1000 + (((self.0 & 0xffff_ffff) * 1000) >> 32)) as i64
    }

    /// The wall clock now, as a reading (for ops stamped outside a replica's clock).
    pub fn wall() -> Self {
        let since_unix = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Self(uhlc::NTP64::from(since_unix).as_u64())
    }
}

mod hex_u64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{v:016x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let s = String::deserialize(d)?;
        u64::from_str_radix(&s, 16).map_err(serde::de::Error::custom)
    }
}

/// What an op does to its entity. Each kind of data has its own merge rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Change {
    /// Set fields; per field, the write with the greatest `(hlc, origin)` wins.
    /// Deletion is the field `deleted: true`, merged like any other.
    Set(#[ts(type = "Record<string, unknown>")] Map<String, Value>),
    /// A ledger movement on a quantity account; balances are sums, never overwritten.
    Move { account: String, delta: i64 },
    /// An append-only event (decisions, journal lines): all are kept, none overwrite.
    Append(#[ts(type = "unknown")] Value),
}

/// One operation of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Op {
    pub origin: NodeId,
    /// Position in the origin's own sequence, from 1, without gaps.
    #[ts(type = "number")]
    pub seq: u64,
    pub hlc: Hlc,
    /// Who acted (operator account or system component).
    pub actor: String,
    pub entity: EntityRef,
    pub change: Change,
    /// The command that produced the op, for the audit journal.
    pub intent: String,
    /// On the last op of each change set: the origin's signature over its chain up to here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub seal: Option<crate::identity::Seal>,
}

/// The columns of a stored op, as both backends read them (`lseq` for error messages).
#[derive(Debug)]
pub(crate) struct Stored<'a> {
    pub lseq: u64,
    pub origin: uuid::Uuid,
    pub seq: i64,
    pub hlc: i64,
    pub actor: String,
    pub kind: &'a str,
    pub entity: uuid::Uuid,
    pub change: &'a str,
    pub intent: String,
    pub seal: Option<&'a str>,
}

impl Stored<'_> {
    pub(crate) fn decode(self) -> Result<Op, crate::StoreError> {
        let kind = onemap_domain::EntityKind::parse(self.kind).ok_or_else(|| {
            crate::StoreError::Corrupt(format!("op at lseq {} has unknown entity kind `{}`", self.lseq, self.kind))
        })?;
        Ok(Op {
            origin: NodeId(self.origin),
            seq: self.seq as u64,
            hlc: Hlc::from_sql(self.hlc),
            actor: self.actor,
            entity: EntityRef { kind, id: self.entity },
            change: serde_json::from_str(self.change)?,
            intent: self.intent,
            seal: self.seal.map(serde_json::from_str).transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Hlc;

    #[test]
    fn a_reading_maps_back_to_its_wall_time() {
        let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        let ms = Hlc::wall().unix_ms();
        let after = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        assert!(before <= ms && ms <= after, "{before} ≤ {ms} ≤ {after}");
        // Half a second past the epoch: the fraction is the low 32 bits.
        assert_eq!(Hlc(1 << 31).unix_ms(), 500);
    }
}
