//! The deterministic simulator: real stores (SQLite files) and the real link code over a
//! province → 2 cities → 4 counties → 4 townships tree, driven by a seeded generator that
//! writes at random nodes, requests pages over random links, loses, duplicates, delays and
//! reorders them, cuts links and crashes nodes. After the run every link is healed and
//! pulled until nothing moves; then every node must hold every acknowledged op and all
//! replicas must agree. Any failure names its seed, and the same seed replays it exactly.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use onemap_domain::{EntityKind, EntityRef};
use onemap_store::{Change, NodeId, SqliteStore, Store};

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
}

impl Default for Faults {
    fn default() -> Self {
        Self { drop: 0.2, duplicate: 0.1, cut_link: 0.03, heal_link: 0.1, crash: 0.02, restart: 0.2 }
    }
}

/// What a run did, for the report and for failure messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub seed: u64,
    pub writes: usize,
    pub pages_sent: usize,
    pub pages_dropped: usize,
    pub pages_duplicated: usize,
    pub crashes: usize,
    pub ops: u64,
    pub rounds_to_quiesce: usize,
}

struct Node {
    name: String,
    path: PathBuf,
    store: Option<SqliteStore>,
    id: NodeId,
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
const PAGE: usize = 7;

fn team(n: u64) -> EntityRef {
    EntityRef { kind: EntityKind::Team, id: Uuid::from_u128(0x7ea0_0000 + u128::from(n)) }
}

fn stock(n: u64) -> EntityRef {
    EntityRef { kind: EntityKind::StockLine, id: Uuid::from_u128(0x5700_0000 + u128::from(n)) }
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
    let dir = tempfile::Builder::new().prefix("onemap-sim").tempdir_in(scratch()).map_err(|e| fail(e.to_string()))?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut nodes: Vec<Node> = NAMES
        .iter()
        .map(|name| {
            let path = dir.path().join(format!("{name}.db"));
            let store = SqliteStore::open(&path).map_err(|e| fail(format!("open {name}: {e}")))?;
            Ok(Node { name: (*name).to_owned(), path, id: store.node(), store: Some(store) })
        })
        .collect::<Result<_, String>>()?;
    let mut up = [true; EDGES.len()];
    let mut wire: Vec<InFlight> = Vec::new();
    let mut acked: BTreeMap<NodeId, u64> = BTreeMap::new();
    let mut out = Outcome { seed, ..Outcome::default() };

    for _ in 0..steps {
        match rng.u32(0..100) {
            // A local write at a live node: fields of a team, or a stock movement.
            0..=29 => {
                let n = rng.usize(0..nodes.len());
                let Some(store) = nodes[n].store.as_mut() else { continue };
                let changes: Vec<(EntityRef, Change)> = (0..rng.usize(1..4))
                    .map(|_| {
                        if rng.bool() {
                            let status = ["standby", "dispatched", "on_scene"][rng.usize(0..3)];
                            let fields = object(json!({ "status": status, "headcount": rng.u32(1..80) }));
                            (team(rng.u64(0..12)), Change::Set(fields))
                        } else {
                            (stock(rng.u64(0..6)), Change::Move { account: "on_hand".into(), delta: rng.i64(-20..40) })
                        }
                    })
                    .collect();
                let ops = store
                    .commit("sim", "sim.write", changes)
                    .map_err(|e| fail(format!("commit at {}: {e}", nodes[n].name)))?;
                let last = ops.last().expect("at least one change").seq;
                acked.insert(nodes[n].id, last);
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
                    nodes[n].store = Some(reopen(&nodes[n]).map_err(&fail)?);
                }
            }
        }
    }

    // Heal: every node up, every link up, pull both ways until a full round moves nothing.
    for n in &mut nodes {
        if n.store.is_none() {
            n.store = Some(reopen(n).map_err(&fail)?);
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

    // Every acknowledged op is everywhere, and all replicas agree.
    out.ops = acked.values().sum();
    let reference = nodes[0].store.as_ref().expect("healed").snapshot().map_err(|e| fail(e.to_string()))?;
    for n in &nodes {
        let s = n.store.as_ref().expect("healed");
        for (origin, seq) in &acked {
            if !s.contains(*origin, *seq).map_err(|e| fail(e.to_string()))? {
                return Err(fail(format!("{} lacks acknowledged op {origin}/{seq}", n.name)));
            }
        }
        let snap = s.snapshot().map_err(|e| fail(e.to_string()))?;
        if snap.op_count != out.ops {
            return Err(fail(format!("{} holds {} ops, {} were written", n.name, snap.op_count, out.ops)));
        }
        if snap != reference {
            return Err(fail(format!("{} disagrees with {}", n.name, nodes[0].name)));
        }
    }
    Ok(out)
}

fn reopen(n: &Node) -> Result<SqliteStore, String> {
    let s = SqliteStore::open(&n.path).map_err(|e| format!("reopen {}: {e}", n.name))?;
    assert_eq!(s.node(), n.id, "a replica keeps its identity across restarts");
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

/// A fast scratch directory for the simulated stores (tmpfs where there is one).
fn scratch() -> PathBuf {
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() { shm } else { std::env::temp_dir() }
}
