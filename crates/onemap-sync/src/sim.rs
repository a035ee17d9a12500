//! The deterministic simulator: real stores (SQLite databases in memory, each kept alive
//! by a second connection that plays the disk, so a crash loses exactly what was not
//! committed) and the real link code over a
//! province → 2 cities → 4 counties → 4 townships tree of deployment members, driven by a
//! seeded generator that writes at random nodes (to records of their own jurisdiction or
//! below), requests pages over random links, loses, duplicates, delays and reorders them,
//! cuts links and crashes nodes — and slips in ops no node should accept: a member changing
//! a record above its jurisdiction, an impostor signing for another node, and a member
//! whose clock runs beyond the skew bound. After the run every link is healed and pulled
//! until nothing moves; then every node must hold every acknowledged op, all replicas must
//! agree, nothing refused may show in any projection, and no clock may have been dragged
//! ahead. Any failure names its seed, and the same seed replays it exactly.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use onemap_domain::{AdminCode, EntityKind, EntityRef};
use onemap_store::authority::{Authority, Credential, Grant, Rights, hex};
use onemap_store::conformance::Writer;
use onemap_store::identity::Lane;
use onemap_store::merge::MAX_SKEW_SECS;
use onemap_store::{Change, Hlc, Identity, NodeId, SqliteStore, Store};

use crate::link::{Page, apply_page, pull_all, read_page};

/// What can go wrong on the wire and at the nodes, in per-step probabilities.
#[derive(Debug, Clone, Copy)]
pub struct Faults {
    pub drop: f64,
    pub duplicate: f64,
    pub cut_link: f64,
    pub heal_link: f64,
    pub crash: f64,
    pub restart: f64,
    /// An op no node should accept, slipped onto a link.
    pub hostile: f64,
}

impl Default for Faults {
    fn default() -> Self {
        Self { drop: 0.2, duplicate: 0.1, cut_link: 0.03, heal_link: 0.1, crash: 0.02, restart: 0.2, hostile: 0.02 }
    }
}

/// What a run did, for the report and for failure messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub seed: u64,
    pub writes: usize,
    pub pages_sent: usize,
    pub pages_dropped: usize,
    pub pages_duplicated: usize,
    pub crashes: usize,
    pub ops: u64,
    /// Hostile ops slipped in, and refusals recorded across all nodes at the end.
    pub hostile: usize,
    pub refused: usize,
    pub rounds_to_quiesce: usize,
}

struct Node {
    name: String,
    /// The store's database (a named in-memory one) and the connection that keeps it.
    path: PathBuf,
    _disk: rusqlite::Connection,
    store: Option<SqliteStore>,
    id: NodeId,
    /// The node's key (a restart opens the store with it) and its jurisdiction.
    seed: [u8; 32],
    code: AdminCode,
}

impl Outcome {
    /// Adds another run's counts (for sweeps over many seeds).
    pub fn absorb(&mut self, o: &Outcome) {
        self.writes += o.writes;
        self.pages_sent += o.pages_sent;
        self.pages_dropped += o.pages_dropped;
        self.pages_duplicated += o.pages_duplicated;
        self.crashes += o.crashes;
        self.ops += o.ops;
        self.hostile += o.hostile;
        self.refused += o.refused;
    }
}

/// A page on its way from `from` to `to`.
struct InFlight {
    from: usize,
    to: usize,
    page: Page,
}

/// The tree's edges, parent first: province 0; cities 1–2; counties 3–6; townships 7–10.
const EDGES: [(usize, usize); 10] = [(0, 1), (0, 2), (1, 3), (1, 4), (2, 5), (2, 6), (3, 7), (4, 8), (5, 9), (6, 10)];
const NAMES: [&str; 11] = [
    "province", "city-1", "city-2", "county-1", "county-2", "county-3", "county-4", "town-1", "town-2", "town-3",
    "town-4",
];
/// The nodes' jurisdictions, in `NAMES` order: 吉林省; 通化市, 白山市; their districts; a
/// township of each district.
const CODES: [&str; 11] = [
    "220000",
    "220500",
    "220600",
    "220502",
    "220503",
    "220602",
    "220605",
    "220502001000",
    "220503001000",
    "220602001000",
    "220605001000",
];
const PAGE: usize = 7;

/// Record `n` of a kind, controlled by `code`.
fn record(kind: EntityKind, code: &AdminCode, n: u64) -> EntityRef {
    EntityRef { kind, id: code.scoped_id(Uuid::from_u128(0x5eed_0000 + u128::from(n)).into_bytes()) }
}

/// A deterministic 32-byte seed for key `k` of simulation `seed`.
fn key_seed(seed: u64, k: u8) -> [u8; 32] {
    let mut out = [k; 32];
    out[..8].copy_from_slice(&seed.to_le_bytes());
    out
}

/// The deployment CA's grant of `role` over `code` to `identity`.
fn grant(ca: &Identity, identity: &Identity, name: &str, code: &AdminCode) -> Credential {
    let grant =
        Grant { name: name.into(), jurisdiction: code.clone(), role: "command".into(), key: hex(&identity.public()) };
    Credential::issue(ca, grant)
}

/// Hostile writers: a member of county-1 reaching above its jurisdiction, an impostor
/// signing as the province, and a township member whose clock runs far ahead.
struct Hostile {
    overreach: Writer,
    impostor: Writer,
    skewed: Writer,
    province: NodeId,
    /// Ops the skewed member sent (none may be applied anywhere).
    skewed_sent: Vec<(NodeId, u64)>,
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("literals here are objects"),
    }
}

/// Runs one simulation of `steps` steps from `seed`.
pub fn run(seed: u64, steps: usize, faults: Faults) -> Result<Outcome, String> {
    let fail = |what: String| format!("seed {seed}: {what}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let ca = Identity::from_seed(&key_seed(seed, 200));
    let authority = Authority::Deployment {
        ca: ca.public(),
        roles: [("command".to_owned(), Rights { writes: vec!["*".into()] })].into_iter().collect(),
    };
    let mut nodes: Vec<Node> = NAMES
        .iter()
        .zip(CODES)
        .zip(0u8..)
        .map(|((name, code), k)| {
            let uri = format!("file:onemap-sim-{}-{seed}-{name}?mode=memory&cache=shared", std::process::id());
            let disk = rusqlite::Connection::open(&uri).map_err(|e| fail(format!("create {name}: {e}")))?;
            let code = AdminCode::parse(code).expect("the codes above are valid");
            let node = Node {
                name: (*name).to_owned(),
                path: uri.into(),
                _disk: disk,
                store: None,
                id: NodeId(Uuid::nil()),
                seed: key_seed(seed, k),
                code,
            };
            let store = open(&node, &ca, &authority).map_err(&fail)?;
            Ok(Node { id: store.node(), store: Some(store), ..node })
        })
        .collect::<Result<_, String>>()?;
    let hostile_writer = |k: u8, name: &str, code: &AdminCode| {
        let identity = Identity::from_seed(&key_seed(seed, k));
        let cert = grant(&ca, &identity, name, code);
        Writer::with_identity(identity).with_cert(cert)
    };
    let mut hostile = Hostile {
        overreach: hostile_writer(100, "county-1 (compromised)", &nodes[3].code),
        impostor: Writer::with_identity(Identity::from_seed(&key_seed(seed, 101))),
        skewed: hostile_writer(102, "town-2 (clock ahead)", &nodes[8].code),
        province: nodes[0].id,
        skewed_sent: Vec::new(),
    };
    let mut up = [true; EDGES.len()];
    let mut wire: Vec<InFlight> = Vec::new();
    let mut acked: BTreeMap<NodeId, u64> = BTreeMap::new();
    let mut out = Outcome { seed, ..Outcome::default() };

    for _ in 0..steps {
        match rng.u32(0..100) {
            // A local write at a live node: fields of a team, or a stock movement.
            0..=29 => {
                let n = rng.usize(0..nodes.len());
                // Its own records, or those of a jurisdiction below it.
                let below: Vec<AdminCode> =
                    nodes.iter().map(|m| m.code.clone()).filter(|c| nodes[n].code.contains(c)).collect();
                let Some(store) = nodes[n].store.as_mut() else { continue };
                let changes: Vec<(EntityRef, Change)> = (0..rng.usize(1..4))
                    .map(|_| {
                        let code = &below[rng.usize(0..below.len())];
                        if rng.bool() {
                            let status = ["standby", "dispatched", "on_scene"][rng.usize(0..3)];
                            let fields = object(json!({ "status": status, "headcount": rng.u32(1..80) }));
                            (record(EntityKind::Team, code, rng.u64(0..4)), Change::Set(fields))
                        } else {
                            let line = record(EntityKind::StockLine, code, rng.u64(0..3));
                            (line, Change::Move { account: "on_hand".into(), delta: rng.i64(-20..40) })
                        }
                    })
                    .collect();
                // One change set in five is urgent (a decision), in the node's other lane.
                let lane = if rng.u8(0..5) == 0 { Lane::Urgent } else { Lane::Routine };
                let ops = store
                    .commit_in(lane, "sim", "sim.write", changes)
                    .map_err(|e| fail(format!("commit at {}: {e}", nodes[n].name)))?;
                let last = ops.last().expect("at least one change");
                acked.insert(last.origin, last.seq);
                out.writes += 1;
            }
            // A pull request over a random link in a random direction.
            30..=64 => {
                let e = rng.usize(0..EDGES.len());
                if !up[e] {
                    continue;
                }
                let (a, b) = EDGES[e];
                let (from, to) = if rng.bool() { (a, b) } else { (b, a) };
                let (Some(source), Some(target)) = (&nodes[from].store, &nodes[to].store) else { continue };
                let after = target.cursor(&nodes[from].name).map_err(|e| fail(e.to_string()))?;
                let have = target.versions().map_err(|e| fail(e.to_string()))?;
                let page = read_page(source, after, PAGE, &have).map_err(|e| fail(e.to_string()))?;
                out.pages_sent += 1;
                if rng.f64() < faults.drop {
                    out.pages_dropped += 1;
                    continue;
                }
                if rng.f64() < faults.duplicate {
                    out.pages_duplicated += 1;
                    wire.push(InFlight { from, to, page: page.clone() });
                }
                wire.push(InFlight { from, to, page });
            }
            // Delivery of a random page in flight: the wire reorders freely.
            65..=89 => {
                if wire.is_empty() {
                    continue;
                }
                let m = wire.swap_remove(rng.usize(0..wire.len()));
                let peer = nodes[m.from].name.clone();
                let Some(target) = nodes[m.to].store.as_mut() else { continue };
                apply_page(target, &peer, &m.page).map_err(|e| fail(format!("apply at {}: {e}", nodes[m.to].name)))?;
            }
            // A hostile op slipped onto a random link.
            90 if rng.f64() < faults.hostile * 50.0 => {
                let e = rng.usize(0..EDGES.len());
                let (from, to) = if rng.bool() { EDGES[e] } else { (EDGES[e].1, EDGES[e].0) };
                let op = hostile.next(&mut rng, &nodes);
                out.hostile += 1;
                wire.push(InFlight { from, to, page: Page { ops: vec![op], cursor: 0, more: false } });
            }
            // Links fail and come back.
            90..=94 => {
                let e = rng.usize(0..EDGES.len());
                if up[e] && rng.f64() < faults.cut_link * 10.0 {
                    up[e] = false;
                } else if !up[e] && rng.f64() < faults.heal_link * 10.0 {
                    up[e] = true;
                }
            }
            // Nodes crash (losing everything not committed) and restart from their files.
            _ => {
                let n = rng.usize(0..nodes.len());
                if nodes[n].store.is_some() && rng.f64() < faults.crash * 5.0 {
                    nodes[n].store = None;
                    wire.retain(|m| m.to != n);
                    out.crashes += 1;
                } else if nodes[n].store.is_none() && rng.f64() < faults.restart * 5.0 {
                    nodes[n].store = Some(open(&nodes[n], &ca, &authority).map_err(&fail)?);
                }
            }
        }
    }

    // Heal: every node up, every link up, pull both ways until a full round moves nothing.
    for n in &mut nodes {
        if n.store.is_none() {
            n.store = Some(open(n, &ca, &authority).map_err(&fail)?);
        }
    }
    for round in 1..=64 {
        let mut moved = 0;
        for (a, b) in EDGES {
            for (from, to) in [(a, b), (b, a)] {
                let peer = nodes[from].name.clone();
                let (src, dst) = pair(&mut nodes, from, to);
                moved +=
                    pull_all(src, dst, &peer, PAGE).map_err(|e| fail(format!("heal {peer}→{}: {e}", NAMES[to])))?;
            }
        }
        if moved == 0 {
            out.rounds_to_quiesce = round;
            break;
        }
    }
    if out.rounds_to_quiesce == 0 {
        return Err(fail("the network did not quiesce in 64 rounds".into()));
    }

    // Every acknowledged op is everywhere, all replicas agree, nothing refused shows, and
    // the clock-skewed member's ops wait everywhere without dragging any clock ahead.
    out.ops = acked.values().sum();
    let reference = nodes[0].store.as_ref().expect("healed").snapshot().map_err(|e| fail(e.to_string()))?;
    if reference.op_count < out.ops {
        return Err(fail(format!("{} holds {} ops, {} were acknowledged", nodes[0].name, reference.op_count, out.ops)));
    }
    if let Some(bad) = reference.records.iter().find(|(_, doc)| doc.contains("hostile")) {
        return Err(fail(format!("a refused op shows in a projection: {bad:?}")));
    }
    for n in &nodes {
        let s = n.store.as_ref().expect("healed");
        for (origin, seq) in &acked {
            if !s.contains(*origin, *seq).map_err(|e| fail(e.to_string()))? {
                return Err(fail(format!("{} lacks acknowledged op {origin}/{seq}", n.name)));
            }
        }
        for (origin, seq) in &hostile.skewed_sent {
            if s.contains(*origin, *seq).map_err(|e| fail(e.to_string()))? {
                return Err(fail(format!("{} applied {origin}/{seq}, stamped beyond the skew bound", n.name)));
            }
        }
        let snap = s.snapshot().map_err(|e| fail(e.to_string()))?;
        if snap != reference {
            return Err(fail(format!(
                "{} disagrees with {}: {}",
                n.name,
                nodes[0].name,
                difference(&snap, &reference)
            )));
        }
        out.refused += s.quarantined(usize::MAX >> 1).map_err(|e| fail(e.to_string()))?.len();
        if s.local().clock().now().0 > Hlc::wall().0 + ((MAX_SKEW_SECS / 2) << 32) {
            return Err(fail(format!("{}'s clock was dragged ahead", n.name)));
        }
    }
    Ok(out)
}

impl Hostile {
    /// The next hostile op, of a random kind.
    fn next(&mut self, rng: &mut fastrand::Rng, nodes: &[Node]) -> onemap_store::Op {
        let set = |what: &str| Change::Set(object(json!({ "status": "hostile", "by": what })));
        match rng.u8(0..3) {
            0 => {
                // Above its jurisdiction: the province's or the other city's records.
                let target = &nodes[[0, 2][rng.usize(0..2)]].code;
                self.overreach.op(Hlc::wall().0, record(EntityKind::Team, target, rng.u64(0..4)), set("overreach"))
            }
            1 => {
                let mut op =
                    self.impostor.op(Hlc::wall().0, record(EntityKind::Team, &nodes[0].code, 0), set("impostor"));
                op.origin = self.province;
                op
            }
            _ => {
                let ahead = Hlc::wall().0 + ((2 * MAX_SKEW_SECS) << 32);
                let op = self.skewed.op(
                    ahead,
                    record(EntityKind::Team, &nodes[8].code, 9),
                    Change::Set(object(json!({ "status": "standby" }))),
                );
                self.skewed_sent.push((op.origin, op.seq));
                op
            }
        }
    }
}

/// Opens (or reopens) a node's store as its key, a member of the simulated deployment.
fn open(n: &Node, ca: &Identity, authority: &Authority) -> Result<SqliteStore, String> {
    let identity = Identity::from_seed(&n.seed);
    let cert = grant(ca, &identity, &n.name, &n.code);
    let mut s = SqliteStore::open_as(&n.path, identity).map_err(|e| format!("open {}: {e}", n.name))?;
    s.local_mut().configure(authority.clone(), Some(cert)).map_err(|e| format!("configure {}: {e}", n.name))?;
    assert!(n.id.0.is_nil() || s.node() == n.id, "a replica keeps its identity across restarts");
    Ok(s)
}

/// Two distinct nodes' stores, one shared and one mutable.
fn pair(nodes: &mut [Node], from: usize, to: usize) -> (&SqliteStore, &mut SqliteStore) {
    assert_ne!(from, to, "a link joins two different nodes");
    let (src, dst) = if from < to {
        let (l, r) = nodes.split_at_mut(to);
        (&l[from], &mut r[0])
    } else {
        let (l, r) = nodes.split_at_mut(from);
        (&r[0], &mut l[to])
    };
    (src.store.as_ref().expect("healed"), dst.store.as_mut().expect("healed"))
}

/// The first difference between two snapshots, for the failure message.
fn difference(a: &onemap_store::Snapshot, b: &onemap_store::Snapshot) -> String {
    fn first<V: PartialEq + std::fmt::Debug>(
        what: &str,
        a: &BTreeMap<String, V>,
        b: &BTreeMap<String, V>,
    ) -> Option<String> {
        let k = a.keys().chain(b.keys()).find(|k| a.get(*k) != b.get(*k))?;
        Some(format!("{what} {k}: {:?} vs {:?}", a.get(k), b.get(k)))
    }
    first("record", &a.records, &b.records)
        .or_else(|| first("balance", &a.balances, &b.balances))
        .or_else(|| first("events", &a.events, &b.events))
        .unwrap_or_else(|| format!("op count {} vs {}", a.op_count, b.op_count))
}
