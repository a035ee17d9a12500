//! Dispatch (调派): the team status lifecycle an order walks through, who may order a team
//! directly and who must ask up the hierarchy (逐级调动), and the recommendation of teams for
//! an incident — the available teams with a needed specialty that arrive first, found with a
//! spatial index, each with the reasons it was chosen.
//!
//! An order's progress is a set of timestamps, one per stage, each set once; its stage is the
//! latest stage set. Fields merge last-writer-wins, so two centres advancing one order at
//! once can only add stages: the stage after a merge is the furthest either reached.

use rstar::{RTree, primitives::GeomWithData};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::admin::AdminCode;
use crate::entity::{Dispatch, TeamStatus};
use crate::geo::Point;
use crate::travel::{Router, km};

/// The stages of an order, in the order a team passes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Stage {
    /// 已调派: ordered, not yet left.
    Dispatched,
    /// 出发
    EnRoute,
    /// 到达
    OnScene,
    /// 返回
    Returning,
    /// 待命: back and ready; the order is closed.
    StoodDown,
    /// 撤销: called off before the team left; the order is closed.
    Cancelled,
}

impl Stage {
    /// The field of [`Dispatch`] that records when the order reached this stage.
    pub fn field(self) -> &'static str {
        match self {
            Self::Dispatched => "dispatched_at",
            Self::EnRoute => "departed_at",
            Self::OnScene => "arrived_at",
            Self::Returning => "returning_at",
            Self::StoodDown => "stood_down_at",
            Self::Cancelled => "cancelled_at",
        }
    }

    /// The team's status while its order is at this stage.
    pub fn team_status(self) -> TeamStatus {
        match self {
            Self::Dispatched => TeamStatus::Dispatched,
            Self::EnRoute => TeamStatus::EnRoute,
            Self::OnScene => TeamStatus::OnScene,
            Self::Returning => TeamStatus::Returning,
            Self::StoodDown | Self::Cancelled => TeamStatus::Standby,
        }
    }

    /// Whether the order is over (the team is free again).
    pub fn closed(self) -> bool {
        matches!(self, Self::StoodDown | Self::Cancelled)
    }

    /// The stages an order at this stage may move to: the next one, a recall on the way
    /// (en route → returning) and a cancellation before departure.
    pub fn next(self) -> &'static [Stage] {
        match self {
            Self::Dispatched => &[Self::EnRoute, Self::Cancelled],
            Self::EnRoute => &[Self::OnScene, Self::Returning],
            Self::OnScene => &[Self::Returning],
            Self::Returning => &[Self::StoodDown],
            Self::StoodDown | Self::Cancelled => &[],
        }
    }
}

impl Dispatch {
    /// Each stage reached, with its time, in lifecycle order.
    pub fn stages(&self) -> Vec<(Stage, &str)> {
        [
            (Stage::Dispatched, Some(&self.dispatched_at)),
            (Stage::EnRoute, self.departed_at.as_ref()),
            (Stage::OnScene, self.arrived_at.as_ref()),
            (Stage::Returning, self.returning_at.as_ref()),
            (Stage::StoodDown, self.stood_down_at.as_ref()),
            (Stage::Cancelled, self.cancelled_at.as_ref()),
        ]
        .into_iter()
        .filter_map(|(s, t)| t.map(|t| (s, t.as_str())))
        .collect()
    }

    /// The furthest stage reached.
    pub fn stage(&self) -> Stage {
        self.stages().last().map_or(Stage::Dispatched, |(s, _)| *s)
    }
}

/// Why a stage change is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("an order at stage {from:?} cannot move to {to:?}; it may move to {allowed:?}")]
pub struct StageError {
    pub from: Stage,
    pub to: Stage,
    pub allowed: Vec<Stage>,
}

/// Checks a stage change of an order.
pub fn advance(order: &Dispatch, to: Stage) -> Result<(), StageError> {
    let from = order.stage();
    if from.next().contains(&to) { Ok(()) } else { Err(StageError { from, to, allowed: from.next().to_vec() }) }
}

/// How a centre may get a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "how", rename_all = "snake_case")]
#[ts(export)]
pub enum Authority {
    /// The team is the centre's own or a subordinate jurisdiction's: order it.
    Direct,
    /// The team belongs to another jurisdiction: ask the centre one tier up (`via`), which
    /// orders it or asks further up in turn (逐级调动).
    Request { via: AdminCode },
    /// Nobody above this centre can order the team (a province asking for another
    /// province's team goes through the national level, outside this system).
    Outside,
}

/// Who may order a team owned by `owner`, seen from the centre of `centre`.
pub fn authority(centre: &AdminCode, owner: &AdminCode) -> Authority {
    if centre.contains(owner) {
        Authority::Direct
    } else {
        match centre.parent() {
            Some(via) => Authority::Request { via },
            None => Authority::Outside,
        }
    }
}

/// A team as the recommender sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: Uuid,
    pub location: Point,
    pub specialties: Vec<String>,
    pub available: bool,
    /// Minutes from call-out to departure.
    pub readiness_min: f64,
    /// The team type's speed on open road.
    pub speed_kmh: f64,
    pub owner: AdminCode,
}

/// A recommended team with its estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    /// Index into the candidates the index was built from.
    pub index: usize,
    pub km: f64,
    /// Readiness plus travel.
    pub minutes: f64,
    pub travel_min: f64,
}

/// Mean radius of the earth in km (the same sphere as [`km`]).
const EARTH_KM: f64 = 6_371.008_8;

/// A point on the unit sphere: the straight-line (chord) distance between two of these
/// grows with the great-circle distance, so the nearest by chord is the nearest on the map.
fn unit(p: Point) -> [f64; 3] {
    let (lat, lon) = (p.lat.to_radians(), p.lon.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Great-circle km of a chord on the unit sphere.
fn arc_km(chord: f64) -> f64 {
    2.0 * EARTH_KM * (chord / 2.0).min(1.0).asin()
}

/// The teams in a spatial index (an R*-tree on the unit sphere), for recommendations.
#[derive(Debug)]
pub struct TeamIndex {
    teams: Vec<Candidate>,
    tree: RTree<GeomWithData<[f64; 3], usize>>,
    /// The shortest readiness and the fastest speed of any team: the bound that lets a
    /// search stop once no team further out could arrive sooner.
    min_readiness: f64,
    max_speed: f64,
}

impl TeamIndex {
    pub fn new(teams: Vec<Candidate>) -> Self {
        let tree =
            RTree::bulk_load(teams.iter().enumerate().map(|(i, t)| GeomWithData::new(unit(t.location), i)).collect());
        let min_readiness = teams.iter().map(|t| t.readiness_min).fold(f64::INFINITY, f64::min);
        let max_speed = teams.iter().map(|t| t.speed_kmh).fold(0.0, f64::max);
        Self { teams, tree, min_readiness, max_speed }
    }

    pub fn teams(&self) -> &[Candidate] {
        &self.teams
    }

    /// The `count` available teams with `specialty` (any, when `None`) that arrive at `at`
    /// first, soonest first (ties: nearer, then by id). Exact: teams are visited nearest
    /// first and the search stops once the `count`-th best arrival is no later than the
    /// earliest any further team could make (fastest speed, shortest readiness).
    pub fn recommend(&self, at: Point, specialty: Option<&str>, count: usize, router: &dyn Router) -> Vec<Pick> {
        let mut best: Vec<Pick> = Vec::with_capacity(count + 1);
        if count == 0 || self.max_speed <= 0.0 {
            return best;
        }
        let here = unit(at);
        // A lower bound on the minutes of any team at great-circle distance `d`.
        let bound = |d: f64| self.min_readiness + router.floor_factor() * d / self.max_speed * 60.0;
        for (g, chord2) in self.tree.nearest_neighbor_iter_with_distance_2(&here) {
            let d = arc_km(chord2.sqrt());
            // Strictly below (with room for rounding): a team further out with the same
            // minutes could still rank first by id.
            if best.len() == count && best[count - 1].minutes < bound(d) - 1e-9 {
                break;
            }
            let t = &self.teams[g.data];
            if !t.available || specialty.is_some_and(|s| !t.specialties.iter().any(|x| x == s)) {
                continue;
            }
            let travel_min = router.minutes(t.location, at, t.speed_kmh);
            let pick =
                Pick { index: g.data, km: km(t.location, at), minutes: t.readiness_min + travel_min, travel_min };
            let pos = best.partition_point(|b| rank(b, &self.teams) <= rank(&pick, &self.teams));
            if pos < count {
                best.insert(pos, pick);
                best.truncate(count);
            }
        }
        best
    }

    /// The same answer by scoring every team: the reference the index is tested and
    /// benchmarked against.
    pub fn recommend_by_scan(
        &self,
        at: Point,
        specialty: Option<&str>,
        count: usize,
        router: &dyn Router,
    ) -> Vec<Pick> {
        let mut all: Vec<Pick> = self
            .teams
            .iter()
            .enumerate()
            .filter(|(_, t)| t.available && specialty.is_none_or(|s| t.specialties.iter().any(|x| x == s)))
            .map(|(i, t)| {
                let travel_min = router.minutes(t.location, at, t.speed_kmh);
                Pick { index: i, km: km(t.location, at), minutes: t.readiness_min + travel_min, travel_min }
            })
            .collect();
        all.sort_by(|a, b| {
            rank(a, &self.teams).partial_cmp(&rank(b, &self.teams)).unwrap_or(std::cmp::Ordering::Equal)
        });
        all.truncate(count);
        all
    }
}

/// The order picks are ranked in: sooner, then nearer, then by id (a total order).
fn rank(p: &Pick, teams: &[Candidate]) -> (OrdF64, OrdF64, Uuid) {
    (OrdF64(p.minutes), OrdF64(p.km), teams[p.index].id)
}

/// An `f64` ordered by `total_cmp` (minutes and km are finite).
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrdF64(f64);

impl Eq for OrdF64 {}
impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrdF64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}
