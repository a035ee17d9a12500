//! Readiness (一张表): what it measures and against which targets (`fixtures/readiness.toml`),
//! and the pure parts of measuring it — the relocation population a relief plan's level
//! implies, sample points spread over a jurisdiction's area, and reach of aviation bases.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldError, parse_toml};
use crate::geo::Point;
use crate::grading::Metric;
use crate::plan::PlanSet;

/// An aviation rescue base (航空救援基地 / 航空护林站).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AviationBase {
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub source: String,
    /// V (verified), P (plausible), U (unverified).
    pub confidence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Aviation {
    /// Coverage radius of a base (S0: 200 km).
    pub radius_km: f64,
    /// The response-time target within that radius (S0: 2 h).
    pub target_hours: f64,
    pub base: Vec<AviationBase>,
}

/// The readiness table's rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReadinessRules {
    /// The relief plan whose level's needs stock is measured against.
    pub relief_plan: String,
    pub relief_level: u8,
    /// Shelter area per resident the table measures against (m²).
    pub area_per_resident_m2: f64,
    /// Travel-time thresholds for a team's reach (minutes), ascending.
    pub reach_minutes: Vec<u32>,
    /// Spacing of the sample points spread over each jurisdiction (km).
    pub sample_km: f64,
    /// Stock expiring within this many days is counted.
    pub expiry_days: u32,
    pub aviation: Aviation,
}

impl ReadinessRules {
    /// Parses and checks the rules; the plan and level must exist. An error names its line
    /// and field.
    pub fn from_toml(text: &str, plans: &PlanSet) -> Result<Self, (u64, FieldError)> {
        let rules: Self = parse_toml(text)?;
        let at = |field: &str| crate::error::line_of(text, field);
        let plan = plans.plans.iter().find(|p| p.id == rules.relief_plan).ok_or_else(|| {
            (
                at("relief_plan"),
                FieldError::new("relief_plan", format!("no plan `{}` in fixtures/plans", rules.relief_plan)),
            )
        })?;
        if relocation_population(plan, rules.relief_level).is_none() {
            return Err((
                at("relief_level"),
                FieldError::new(
                    "relief_level",
                    format!("plan `{}` has no level {} with a `relocated` trigger", plan.id, rules.relief_level),
                ),
            ));
        }
        if !(rules.area_per_resident_m2.is_finite() && rules.area_per_resident_m2 > 0.0) {
            return Err((
                at("area_per_resident_m2"),
                FieldError::new("area_per_resident_m2", "must be a positive area"),
            ));
        }
        if rules.reach_minutes.is_empty() || rules.reach_minutes.windows(2).any(|w| w[0] >= w[1]) {
            return Err((at("reach_minutes"), FieldError::new("reach_minutes", "give one or more ascending minutes")));
        }
        if !(rules.sample_km.is_finite() && (0.1..=50.0).contains(&rules.sample_km)) {
            return Err((at("sample_km"), FieldError::new("sample_km", "must be between 0.1 and 50 km")));
        }
        for b in &rules.aviation.base {
            Point::new(b.lon, b.lat)
                .map_err(|e| (at("lon"), FieldError::new(format!("aviation.base `{}`", b.name), e.message)))?;
        }
        Ok(rules)
    }
}

/// The relocation population a plan's level implies: the lower bound of its `relocated`
/// trigger (the fewest relocated people that start the level).
pub fn relocation_population(plan: &crate::plan::Plan, level: u8) -> Option<u64> {
    plan.level(level)?.triggers.get(&Metric::Relocated)?.gte.map(|g| g.ceil() as u64)
}

/// Points on a grid of `spacing_km` inside `area` (lon/lat), at least one (the interior point
/// nearest its centroid when the area is smaller than one cell).
pub fn sample_points(area: &geo::MultiPolygon<f64>, spacing_km: f64) -> Vec<Point> {
    use geo::{BoundingRect, Contains, InteriorPoint};
    let Some(r) = area.bounding_rect() else { return Vec::new() };
    let lat0 = f64::midpoint(r.min().y, r.max().y).to_radians();
    let dlat = spacing_km / 110.574;
    let dlon = spacing_km / (111.320 * lat0.cos().max(0.01));
    let mut out = Vec::new();
    let mut y = r.min().y + dlat / 2.0;
    while y < r.max().y {
        let mut x = r.min().x + dlon / 2.0;
        while x < r.max().x {
            if area.contains(&geo::Point::new(x, y)) {
                out.push(Point { lon: x, lat: y });
            }
            x += dlon;
        }
        y += dlat;
    }
    if out.is_empty()
        && let Some(p) = area.interior_point()
    {
        out.push(Point { lon: p.x(), lat: p.y() });
    }
    out
}

/// The share of `points` within `radius_km` of any of `bases`.
pub fn share_within(points: &[Point], bases: &[Point], radius_km: f64) -> f64 {
    if points.is_empty() {
        return 0.0;
    }
    let near = points.iter().filter(|p| bases.iter().any(|b| crate::travel::km(**p, *b) <= radius_km)).count();
    near as f64 / points.len() as f64
}
