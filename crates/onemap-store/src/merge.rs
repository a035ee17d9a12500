//! The merge rules, independent of any database: applying a batch of ops to the log and the
//! projections through a backend's [`BatchIo`].
//!
//! Ops of one origin are applied in sequence order, each exactly once: an op at or below the
//! origin's applied high-water mark is a duplicate; the run of ops that follows the mark is
//! verified against the origin's hash chain and applied up to its last valid seal; ops that
//! come early, or after the last seal, are parked until the rest arrives. A seal that does
//! not verify sends its change set to quarantine; an authentic op its origin had no right to
//! make goes into the log (so the origin's sequence stays whole everywhere) and to
//! quarantine, but never into the projections. Each applied op goes into the projection by
//! its kind's merge rule (per-field last writer wins, summed ledgers, kept events); each
//! touched entity row is read once and written once.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde_json::{Map, Value};

use onemap_domain::EntityRef;

use crate::authority::{Authority, Credential, Grant};
use crate::clock::Clock;
use crate::error::StoreError;
use crate::identity::{Chain, Identity, Lane, PublicKey, Seal, Verifier, chain_next, lane_for};
use crate::op::{Change, Hlc, NodeId, Op};
use crate::store::ApplyReport;

/// How far ahead of this replica's clock an op's timestamp may be before the op waits
/// (parked) for the clock to catch up, rather than dragging every replica's clock forward.
pub const MAX_SKEW_SECS: u64 = 600;

/// Where a batch comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// This replica's own change set, just stamped and sealed: its seal needs no check.
    Local,
    /// Anywhere else (a bundle, a replay).
    Other,
    /// A page of `peer`'s log, read up to its position `cursor`, which is recorded with it.
    Peer(&'a str, u64),
}

/// An entity's projection as stored: the merged fields, the stamps that won them and the
/// ledger balances, each as JSON text.
#[derive(Debug, Clone)]
pub struct Row {
    pub doc: String,
    pub stamps: String,
    pub balances: String,
}

/// What a replica keeps per origin: its local number, the highest sequence number applied
/// (all below it are applied too), the chain link at that op (always a sealed one), the
/// origin's public key and its latest credential, once seen.
#[derive(Debug, Clone)]
pub struct OriginRow {
    pub id: i64,
    pub applied: u64,
    pub chain: Chain,
    pub key: Option<PublicKey>,
    pub cert: Option<Credential>,
    /// The key's lane this origin is (routine until a seal has shown otherwise).
    pub lane: Lane,
}

/// The storage operations one batch needs; each backend implements them inside the
/// transaction the batch runs in.
pub trait BatchIo {
    /// The current rows of these entities (entities without a row are left out).
    fn load(&mut self, entities: &[EntityRef]) -> Result<Vec<(EntityRef, Row)>, StoreError>;
    /// What is known of `node`, registering it if new.
    fn origin(&mut self, node: NodeId) -> Result<OriginRow, StoreError>;
    /// Stores the applied mark, chain, key and credential of an origin.
    fn set_origin(&mut self, row: &OriginRow) -> Result<(), StoreError>;
    /// Appends an op to the log; returns its local position (`lseq`).
    fn insert_op(&mut self, origin: &OriginRow, op: &Op, change: &str, seal: Option<&str>) -> Result<i64, StoreError>;
    fn add_event(&mut self, lseq: i64, entity: EntityRef, event: &str) -> Result<(), StoreError>;
    fn parked_count(&mut self) -> Result<u64, StoreError>;
    /// Origins whose next op is parked (waiting for its seal, or for the clock).
    fn parked_heads(&mut self) -> Result<Vec<NodeId>, StoreError>;
    /// Keeps an early op; false if it was parked already.
    fn park(&mut self, origin: i64, seq: u64, op: &str) -> Result<bool, StoreError>;
    /// Takes a parked op out, if there.
    fn unpark(&mut self, origin: i64, seq: u64) -> Result<Option<String>, StoreError>;
    /// Records a refused op with the reason; `lseq` when it is in the log (authentic but
    /// not allowed), none when it never got there (its seal failed).
    fn quarantine(&mut self, op: &Op, lseq: Option<i64>, reason: &str) -> Result<(), StoreError>;
    /// Records that `peer`'s log has been read up to `lseq` (never moves backwards).
    fn set_cursor(&mut self, peer: &str, lseq: u64) -> Result<(), StoreError>;
    fn save(&mut self, entity: EntityRef, row: &Row, lseq: i64) -> Result<(), StoreError>;
    /// The local position of the last op in the log.
    fn head(&mut self) -> Result<u64, StoreError>;
}

/// A replica's own side — identity, clock, the rule it admits ops by and the credential it
/// publishes — shared by the backends so local ops are stamped and sealed one way.
#[derive(Debug)]
pub struct Local {
    identity: Identity,
    clock: Clock,
    authority: Authority,
    credential: Option<Credential>,
    /// The grant the credential carries, checked once when configured (it is checked
    /// against the CA's signature, too costly to repeat on every commit).
    grant: Option<Grant>,
}

/// Where this replica's own sequence stands, read before stamping a change set.
#[derive(Debug, Clone)]
pub struct OwnState {
    pub applied: u64,
    pub chain: Chain,
    /// The credential last published in a seal.
    pub published: Option<Credential>,
}

impl Local {
    /// `max_hlc`: the latest clock reading in the log.
    pub fn new(identity: Identity, max_hlc: Option<Hlc>) -> Self {
        let clock = Clock::new(identity.node());
        if let Some(h) = max_hlc {
            clock.observe(h, identity.node());
        }
        Self { identity, clock, authority: Authority::Open, credential: None, grant: None }
    }

    pub fn node(&self) -> NodeId {
        self.identity.node()
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn authority(&self) -> &Authority {
        &self.authority
    }

    /// Sets the rule incoming ops are admitted by and the credential this node publishes;
    /// refuses a credential that is not for this node's key (or not the deployment CA's).
    pub fn configure(&mut self, authority: Authority, credential: Option<Credential>) -> Result<(), StoreError> {
        let grant = credential
            .as_ref()
            .map(|c| authority.grant(c, &self.identity.public()))
            .transpose()
            .map_err(StoreError::Identity)?;
        self.authority = authority;
        self.credential = credential;
        self.grant = grant;
        Ok(())
    }

    /// This node's own grant, as receivers will see it.
    pub fn grant(&self) -> Option<Result<Grant, String>> {
        self.grant.clone().map(Ok)
    }

    /// The ops for local changes: the next sequence numbers, fresh clock readings, and the
    /// seal over the chain on the last one. Refuses changes this node has no right to make.
    pub fn stamp(
        &self,
        own: &OwnState,
        lane: Lane,
        actor: &str,
        intent: &str,
        changes: Vec<(EntityRef, Change)>,
    ) -> Result<Vec<Op>, StoreError> {
        let grant = self.grant();
        let mut ops = Vec::with_capacity(changes.len());
        for ((entity, change), seq) in changes.into_iter().zip(own.applied + 1..) {
            let op = Op {
                origin: self.identity.lane(lane),
                seq,
                hlc: self.clock.now(),
                actor: actor.to_owned(),
                entity,
                change,
                intent: intent.to_owned(),
                seal: None,
            };
            self.authority.admits(grant.as_ref(), &op).map_err(StoreError::Unauthorized)?;
            ops.push(op);
        }
        seal(&self.identity, own, &mut ops, self.credential.as_ref())?;
        Ok(ops)
    }
}

/// Chains a change set of `identity`'s ops, numbered on from `own`, and seals its last op
/// (with the key on the origin's first seal, and the credential when not yet published).
pub fn seal(identity: &Identity, own: &OwnState, ops: &mut [Op], cert: Option<&Credential>) -> Result<(), StoreError> {
    let mut chain = own.chain;
    for (op, seq) in ops.iter().zip(own.applied + 1..) {
        debug_assert!(
            lane_for(&identity.public(), op.origin).is_some() && op.seq == seq,
            "a change set continues the sequence of one of its node's lanes"
        );
        chain = chain_next(&chain, op, &serde_json::to_string(&op.change)?);
    }
    if let Some(last) = ops.last_mut() {
        last.seal = Some(Seal {
            sig: identity.sign(last.origin, last.seq, &chain),
            key: Some(identity.public().to_vec()),
            cert: cert.filter(|c| own.published.as_ref() != Some(*c)).cloned(),
        });
    }
    Ok(())
}

/// A store's identity on open, from what it stored (`node_id`, `node_key`) and the key it
/// was given; `record` stores the identity of a new store.
pub fn settle_identity(
    stored: (Option<String>, Option<String>),
    given: Option<Identity>,
    record: impl FnOnce(&str, &str) -> Result<(), StoreError>,
) -> Result<Identity, StoreError> {
    match stored {
        (Some(id), Some(key)) => {
            let der =
                crate::authority::unhex(&key).ok_or_else(|| StoreError::Corrupt("meta.node_key is not hex".into()))?;
            let identity = Identity::from_pkcs8(&der)?;
            if identity.node().to_string() != id {
                return Err(StoreError::Corrupt(format!("meta.node_id {id} is not the node of meta.node_key")));
            }
            if let Some(g) = given
                && g.node() != identity.node()
            {
                return Err(StoreError::Identity(format!(
                    "this store belongs to node {id}; the key given is node {}",
                    g.node()
                )));
            }
            Ok(identity)
        }
        (Some(id), None) => Err(StoreError::Identity(format!(
            "the store of node {id} predates signed change sets and has no key; start from a new store"
        ))),
        (None, _) => {
            let identity = given.unwrap_or_else(Identity::generate);
            record(&identity.node().to_string(), &crate::authority::hex(identity.pkcs8()))?;
            Ok(identity)
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

/// An origin as a batch sees it: the stored row and the grant its credential carries.
#[derive(Debug, Clone)]
struct Origin {
    row: OriginRow,
    grant: Option<Result<Grant, String>>,
    /// The row's key, decoded.
    verifier: Option<Verifier>,
}

/// Sequencing state a store caches between batches. Drop it whenever a transaction rolls
/// back, since it may hold values the rollback undid.
#[derive(Debug, Default)]
pub struct Sequencing {
    origins: HashMap<NodeId, Origin>,
    /// Rows parked, or `None` until counted.
    parked: Option<u64>,
}

/// The key a seal names, if it is one of the origin's (a key stands for its node's lanes).
fn seal_key(op: &Op, seal: &Seal) -> Result<PublicKey, String> {
    let key = seal.key.as_deref().ok_or("the seal does not name its key")?;
    let key: PublicKey = key.try_into().map_err(|_| "the seal's key is not 32 bytes".to_owned())?;
    if lane_for(&key, op.origin).is_none() {
        return Err("the seal's key is not the origin's".into());
    }
    Ok(key)
}

/// Checks a seal against the origin's key; returns the key and its decoded form, or why
/// the seal is refused.
fn open_seal(origin: &Origin, op: &Op, chain: &Chain, seal: &Seal) -> Result<(PublicKey, Verifier), String> {
    let key = seal_key(op, seal)?;
    let verifier = match (&origin.row.key, &origin.verifier) {
        (Some(known), Some(v)) if *known == key => v.clone(),
        _ => Verifier::new(&key).ok_or("the seal's key is not an Ed25519 key")?,
    };
    if !verifier.verify(op.origin, op.seq, chain, &seal.sig) {
        return Err("the signature does not match the origin's ops".into());
    }
    Ok((key, verifier))
}

/// One batch being applied.
struct Batch<'a, B: BatchIo> {
    io: &'a mut B,
    seq: &'a mut Sequencing,
    authority: &'a Authority,
    /// Ops stamped later than this wait.
    horizon: Hlc,
    /// This replica's key when the batch is its own fresh change set.
    sealed_here: Option<PublicKey>,
    pending: HashMap<EntityRef, Pending>,
    report: ApplyReport,
    latest: Option<(Hlc, NodeId)>,
    touched: BTreeMap<NodeId, Origin>,
}

impl<B: BatchIo> Batch<'_, B> {
    fn origin(&mut self, node: NodeId) -> Result<Origin, StoreError> {
        if let Some(o) = self.touched.get(&node).or_else(|| self.seq.origins.get(&node)) {
            return Ok(o.clone());
        }
        let row = self.io.origin(node)?;
        let grant = match (&row.cert, &row.key) {
            (Some(c), Some(k)) => Some(self.authority.grant(c, k)),
            _ => None,
        };
        let verifier = row.key.as_ref().and_then(Verifier::new);
        let o = Origin { row, grant, verifier };
        self.seq.origins.insert(node, o.clone());
        Ok(o)
    }

    /// Verifies and applies the run of `node`'s ops that follows its applied mark, taken
    /// from `early` (this batch) and the parked ones; what cannot be applied yet goes back
    /// into `early`, to be parked.
    fn advance<'o>(&mut self, node: NodeId, early: &mut BTreeMap<u64, Cow<'o, Op>>) -> Result<(), StoreError> {
        let mut origin = self.origin(node)?;
        // The run, each op with whether it came in this batch (else it was parked).
        let mut run: Vec<(Cow<'o, Op>, bool)> = Vec::new();
        let mut next = origin.row.applied + 1;
        loop {
            // A copy parked earlier is dropped when this batch brings the op again.
            let parked = self.unpark(&origin, next)?;
            match early.remove(&next).map(|op| (op, true)).or(parked.map(|op| (Cow::Owned(op), false))) {
                Some(entry) => run.push(entry),
                None => break,
            }
            next += 1;
        }
        let mut chain = origin.row.chain;
        let mut done = 0;
        // Each op's change as JSON: hashed into the chain here, stored in the log below.
        let mut changes = Vec::with_capacity(run.len());
        for i in 0..run.len() {
            let op = &run[i].0;
            changes.push(serde_json::to_string(&op.change)?);
            chain = chain_next(&chain, op, &changes[i]);
            let Some(seal) = &op.seal else { continue };
            // A replica's own fresh change set needs no check — but only the ops that came
            // with it: one parked here may be anyone's forgery claiming this origin.
            let own_fresh = run[done..=i].iter().all(|(_, from_batch)| *from_batch);
            let checked = match (self.sealed_here, &origin.verifier) {
                (Some(key), Some(v)) if own_fresh && lane_for(&key, node).is_some() => Ok((key, v.clone())),
                _ => open_seal(&origin, op, &chain, seal),
            };
            let (key, verifier) = match checked {
                Ok(key) => key,
                Err(reason) => {
                    // The op carrying the failing seal is refused. The ops before it may be
                    // genuine (a forged op can slip between deliveries of a change set):
                    // they wait on for their own seal, and the origin's sequence is untouched.
                    changes.drain(done..=i);
                    let mut segment: Vec<_> = run.drain(done..=i).map(|(op, _)| op).collect();
                    let sealed = segment.pop().expect("the segment ends at the seal");
                    self.io.quarantine(&sealed, None, &format!("forged or damaged: {reason}"))?;
                    self.report.quarantined += 1;
                    early.extend(segment.into_iter().map(|op| (op.seq, op)));
                    break;
                }
            };
            if run[done..=i].iter().any(|(op, _)| op.hlc > self.horizon) {
                break;
            }
            origin.row.key = Some(key);
            origin.row.lane = lane_for(&key, node).expect("the seal's key is the origin's");
            origin.verifier = Some(verifier);
            if let Some(cert) = &seal.cert {
                origin.grant = Some(self.authority.grant(cert, &key));
                origin.row.cert = Some(cert.clone());
            }
            for ((op, _), change) in run[done..=i].iter().zip(&changes[done..=i]) {
                self.apply_one(op, change, &mut origin)?;
            }
            origin.row.chain = chain;
            self.touched.insert(node, origin.clone());
            done = i + 1;
        }
        early.extend(run.into_iter().skip(done).map(|(op, _)| (op.seq, op)));
        Ok(())
    }

    /// Logs one verified op (its change serialised as `change`) that is next in its
    /// origin's sequence, and projects it if its origin had the right to make it.
    fn apply_one(&mut self, op: &Op, change: &str, origin: &mut Origin) -> Result<(), StoreError> {
        debug_assert_eq!(op.seq, origin.row.applied + 1, "ops of an origin are applied in sequence");
        let seal = op.seal.as_ref().map(serde_json::to_string).transpose()?;
        let lseq = self.io.insert_op(&origin.row, op, change, seal.as_deref())?;
        origin.row.applied = op.seq;
        self.report.logged += 1;
        if let Err(reason) = self.authority.admits(origin.grant.as_ref(), op) {
            self.io.quarantine(op, Some(lseq), &format!("not allowed: {reason}"))?;
            self.report.quarantined += 1;
            return Ok(());
        }
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

    fn parked_count(&mut self) -> Result<u64, StoreError> {
        match self.seq.parked {
            Some(n) => Ok(n),
            None => Ok(*self.seq.parked.insert(self.io.parked_count()?)),
        }
    }

    fn unpark(&mut self, origin: &Origin, seq: u64) -> Result<Option<Op>, StoreError> {
        if self.parked_count()? == 0 {
            return Ok(None);
        }
        let Some(text) = self.io.unpark(origin.row.id, seq)? else { return Ok(None) };
        self.seq.parked = self.seq.parked.map(|n| n - 1);
        Ok(Some(serde_json::from_str(&text)?))
    }

    fn park(&mut self, origin: &Origin, op: &Op) -> Result<bool, StoreError> {
        let parked = self.io.park(origin.row.id, op.seq, &serde_json::to_string(op)?)?;
        if parked {
            self.seq.parked = self.seq.parked.map(|n| n + 1);
        }
        Ok(parked)
    }
}

/// Applies `ops` through `io` (inside the caller's transaction), records the peer cursor
/// the batch was read up to (if it came from a peer) and moves the clock past the ops.
pub fn apply_batch<B: BatchIo>(
    io: &mut B,
    ops: &[Op],
    source: Source<'_>,
    local: &Local,
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
    let horizon = Hlc(local.clock().now().0.saturating_add(MAX_SKEW_SECS << 32));
    let mut batch = Batch {
        io,
        seq: sequencing,
        authority: local.authority(),
        horizon,
        sealed_here: (source == Source::Local).then(|| local.identity().public()),
        pending,
        report: ApplyReport::default(),
        latest: None,
        touched: BTreeMap::new(),
    };
    // Per origin, in order of first appearance, the ops after its applied mark.
    let mut order: Vec<NodeId> = Vec::new();
    let mut early: HashMap<NodeId, BTreeMap<u64, Cow<'_, Op>>> = HashMap::new();
    for op in ops {
        // A seal names its key: one that is not the origin's is refused on arrival, before
        // it could wait beside (or displace) the genuine op of that number.
        if let Some(seal) = &op.seal
            && let Err(reason) = seal_key(op, seal)
        {
            batch.io.quarantine(op, None, &format!("forged or damaged: {reason}"))?;
            batch.report.quarantined += 1;
            continue;
        }
        let origin = batch.origin(op.origin)?;
        let waiting = early.entry(op.origin).or_insert_with(|| {
            order.push(op.origin);
            BTreeMap::new()
        });
        if op.seq <= origin.row.applied || waiting.contains_key(&op.seq) {
            batch.report.duplicates += 1;
        } else {
            waiting.insert(op.seq, Cow::Borrowed(op));
        }
    }
    // Origins held back earlier (an unsealed tail, a clock too far ahead) get another try.
    if batch.parked_count()? > 0 {
        for node in batch.io.parked_heads()? {
            early.entry(node).or_insert_with(|| {
                order.push(node);
                BTreeMap::new()
            });
        }
    }
    for node in order {
        let waiting = early.get_mut(&node).expect("every listed origin has an entry");
        batch.advance(node, waiting)?;
        let origin = batch.origin(node)?;
        for op in std::mem::take(waiting).into_values() {
            if batch.park(&origin, &op)? {
                batch.report.parked += 1;
            } else {
                batch.report.duplicates += 1;
            }
        }
    }

    let Batch { io, seq, pending, mut report, latest, touched, .. } = batch;
    // Keep the clock ahead of everything applied; once per batch is enough.
    if let Some((hlc, origin)) = latest {
        local.clock().observe(hlc, origin);
    }
    for (node, o) in touched {
        io.set_origin(&o.row)?;
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
    if let Source::Peer(peer, lseq) = source {
        io.set_cursor(peer, lseq)?;
    }
    report.head = io.head()?;
    Ok(report)
}
