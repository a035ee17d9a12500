//! A replica's signing identity and the seals on its change sets: every origin's ops form a
//! hash chain, and the last op of each committed change set carries the origin's Ed25519
//! signature over the chain up to it, so any replica can verify any op it relays, however
//! pages were cut on the way.
//!
//! A node id is derived from the public key (a UUIDv8 of its SHA-256), so a seal can name
//! its key and be checked against the origin without any directory.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use ring::signature::{Ed25519KeyPair, KeyPair as _};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::StoreError;
use crate::op::{NodeId, Op};

/// An Ed25519 public key.
pub type PublicKey = [u8; 32];
/// The hash chain of an origin's ops: SHA-256 over the previous link and the op.
pub type Chain = [u8; 32];
/// The chain before an origin's first op.
pub const GENESIS: Chain = [0; 32];

/// A signature over an origin's chain at one op, closing a change set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Seal {
    /// Ed25519 signature over `onemap-seal-1 ‖ origin ‖ seq ‖ chain`, base64.
    #[serde(with = "b64")]
    #[ts(type = "string")]
    pub sig: Vec<u8>,
    /// The signer's public key, base64: it must be the origin's (the origin id derives from
    /// it), which a receiver checks on arrival, before any chain is known.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "b64_opt")]
    #[ts(optional, type = "string")]
    pub key: Option<Vec<u8>>,
    /// The origin's credential from the deployment CA, on its first seal and whenever it
    /// changes: it grants the origin a jurisdiction and a role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub cert: Option<crate::authority::Credential>,
}

/// The key pair a replica signs its change sets with.
pub struct Identity {
    pair: Ed25519KeyPair,
    pkcs8: Vec<u8>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity").field("node", &self.node()).finish_non_exhaustive()
    }
}

impl Identity {
    /// A fresh random key pair.
    pub fn generate() -> Self {
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).expect("the system random source works");
        Self::from_pkcs8(pkcs8.as_ref()).expect("a freshly generated key parses")
    }

    /// A deterministic key pair from a 32-byte seed (simulations and tests).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed).expect("any 32 bytes are an Ed25519 seed");
        // PKCS#8 v1 wrapping of the seed (RFC 8410), so the identity can be stored like any other.
        let mut pkcs8 =
            vec![0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
        pkcs8.extend_from_slice(seed);
        Self { pair, pkcs8 }
    }

    /// A key pair from its PKCS#8 document (v1 or v2, as `ring` and `rcgen` write them).
    pub fn from_pkcs8(der: &[u8]) -> Result<Self, StoreError> {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map_err(|e| StoreError::Identity(format!("not an Ed25519 PKCS#8 key: {e}")))?;
        Ok(Self { pair, pkcs8: der.to_vec() })
    }

    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    pub fn public(&self) -> PublicKey {
        self.pair.public_key().as_ref().try_into().expect("Ed25519 public keys are 32 bytes")
    }

    pub fn node(&self) -> NodeId {
        node_of(&self.public())
    }

    /// The origin id of one of this identity's lanes.
    pub fn lane(&self, lane: Lane) -> NodeId {
        lane_of(&self.public(), lane)
    }

    /// Signs the chain of `origin` at `seq`.
    pub fn sign(&self, origin: NodeId, seq: u64, chain: &Chain) -> Vec<u8> {
        self.sign_message(&sealed_message(origin, seq, chain))
    }

    /// Signs any message (the CA signing grants).
    pub fn sign_message(&self, message: &[u8]) -> Vec<u8> {
        self.pair.sign(message).as_ref().to_vec()
    }
}

/// A node's two sequences of ops: routine data, and what must go ahead of it on every
/// link (decisions, orders, casualty figures). Each is an origin of its own, so an urgent
/// op never waits behind its node's backlog of routine ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lane {
    Routine,
    Urgent,
}

/// The node id a public key stands for: a UUIDv8 made of the key's SHA-256.
pub fn node_of(key: &PublicKey) -> NodeId {
    lane_of(key, Lane::Routine)
}

/// The origin id of a key's lane: the node id for routine ops; for urgent ones a UUIDv8 of
/// the SHA-256 of the key and `urgent`.
pub fn lane_of(key: &PublicKey, lane: Lane) -> NodeId {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(key);
    if lane == Lane::Urgent {
        ctx.update(b"urgent");
    }
    let bytes: [u8; 16] = ctx.finish().as_ref()[..16].try_into().expect("SHA-256 has 32 bytes");
    NodeId(uuid::Builder::from_custom_bytes(bytes).into_uuid())
}

/// Which lane of `key` the origin `origin` is, if it is one of the key's.
pub fn lane_for(key: &PublicKey, origin: NodeId) -> Option<Lane> {
    [Lane::Routine, Lane::Urgent].into_iter().find(|&l| lane_of(key, l) == origin)
}

fn sealed_message(origin: NodeId, seq: u64, chain: &Chain) -> Vec<u8> {
    let mut m = Vec::with_capacity(13 + 16 + 8 + 32);
    m.extend_from_slice(b"onemap-seal-1");
    m.extend_from_slice(origin.0.as_bytes());
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(chain);
    m
}

/// An origin's public key, decoded once for the many seals it checks.
#[derive(Debug, Clone)]
pub struct Verifier(ed25519_dalek::VerifyingKey);

impl Verifier {
    /// `None` when the bytes are not a valid Ed25519 point.
    pub fn new(key: &PublicKey) -> Option<Self> {
        ed25519_dalek::VerifyingKey::from_bytes(key).ok().map(Self)
    }

    /// Whether `sig` is this key's signature over `origin`'s chain at `seq`.
    pub fn verify(&self, origin: NodeId, seq: u64, chain: &Chain, sig: &[u8]) -> bool {
        self.verify_message(&sealed_message(origin, seq, chain), sig)
    }

    /// Whether `sig` is this key's signature over `message`. Verification runs at every
    /// hop for every change set, so it uses ed25519-dalek (several times ring's speed on
    /// a decoded key); signing and hashing stay with ring, which TLS already brings.
    pub fn verify_message(&self, message: &[u8], sig: &[u8]) -> bool {
        ed25519_dalek::Signature::from_slice(sig).is_ok_and(|sig| self.0.verify_strict(message, &sig).is_ok())
    }
}

/// Whether `sig` is `key`'s signature over `message`.
pub fn verify_message(key: &PublicKey, message: &[u8], sig: &[u8]) -> bool {
    Verifier::new(key).is_some_and(|v| v.verify_message(message, sig))
}

/// The next link of an origin's chain after `op`, whose change serialises to `change`.
/// Every field but the seal is covered, each length-prefixed; the change is canonical JSON
/// (object keys sorted, as serde_json writes them without `preserve_order`; floats
/// round-trip exactly with `float_roundtrip`), so every replica hashes the same bytes.
pub fn chain_next(prev: &Chain, op: &Op, change: &str) -> Chain {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(prev);
    ctx.update(op.origin.0.as_bytes());
    ctx.update(&op.seq.to_be_bytes());
    ctx.update(&op.hlc.0.to_be_bytes());
    for part in [op.actor.as_bytes(), op.entity.kind.as_str().as_bytes(), change.as_bytes(), op.intent.as_bytes()] {
        ctx.update(&(part.len() as u64).to_be_bytes());
        ctx.update(part);
    }
    ctx.update(op.entity.id.as_bytes());
    ctx.finish().as_ref().try_into().expect("SHA-256 has 32 bytes")
}

/// Reads a stored 32-byte value (public key or chain link).
pub fn bytes32(v: &[u8], what: &str) -> Result<[u8; 32], StoreError> {
    v.try_into().map_err(|_| StoreError::Corrupt(format!("{what} is {} bytes, not 32", v.len())))
}

mod b64 {
    use super::*;

    pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(v))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        B64.decode(s.trim_end_matches('=')).map_err(serde::de::Error::custom)
    }
}

mod b64_opt {
    use super::*;

    pub fn serialize<S: serde::Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => b64::serialize(v, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        b64::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids_follow_keys_and_signatures_bind_origin_seq_and_chain() {
        let a = Identity::from_seed(&[1; 32]);
        let b = Identity::generate();
        assert_ne!(a.node(), b.node());
        assert_eq!(a.node().0.get_version_num(), 8);
        let again = Identity::from_pkcs8(a.pkcs8()).expect("round trip");
        assert_eq!(again.node(), a.node());
        let chain = [7; 32];
        let sig = a.sign(a.node(), 3, &chain);
        let (va, vb) = (Verifier::new(&a.public()).expect("a key"), Verifier::new(&b.public()).expect("a key"));
        assert!(va.verify(a.node(), 3, &chain, &sig));
        assert!(!va.verify(a.node(), 4, &chain, &sig), "another seq");
        assert!(!va.verify(b.node(), 3, &chain, &sig), "another origin");
        assert!(!va.verify(a.node(), 3, &[8; 32], &sig), "another chain");
        assert!(!vb.verify(a.node(), 3, &chain, &sig), "another key");
    }
}
