//! The readiness table (一张表) per county and township: stock against what the relief plan's
//! level needs for the relocation population, shelter area per resident, the population and
//! area a standing-by team reaches within 30 / 60 minutes, aviation coverage, and stock
//! expiring soon — each figure with its target, for the table and the map.

use serde::Serialize;
use ts_rs::TS;

use onemap_domain::entity::{EntityBody, EntityKind, Jurisdiction};
use onemap_domain::readiness::{relocation_population, sample_points, share_within};
use onemap_domain::{AdminCode, Point, Tier};

use crate::allocation::LineBalance;
use crate::error::ApiError;
use crate::handlers::{Api, bodies};
use crate::response::beijing_now;

/// One supply the relief level needs, against what the jurisdiction's warehouses can give.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SupplyCheck {
    pub item_code: String,
    pub item_zh: String,
    pub item_en: String,
    pub unit_zh: String,
    #[ts(type = "number")]
    pub needed: u64,
    /// Available (on hand less reserved) in warehouses that lie within the jurisdiction.
    #[ts(type = "number")]
    pub available: i64,
    /// available ÷ needed (1 = exactly enough).
    pub ratio: f64,
}

/// The share of a jurisdiction a team reaches within some minutes.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Reach {
    pub minutes: u32,
    /// Share of the sample points reached (0–1).
    pub share: f64,
    #[ts(type = "number")]
    pub population: u64,
    pub area_km2: f64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReadinessRow {
    pub code: AdminCode,
    pub name_zh: String,
    pub name_en: String,
    pub tier: Tier,
    #[ts(type = "number")]
    pub population: u64,
    pub area_km2: f64,
    /// The relocation population the relief level implies here.
    #[ts(type = "number")]
    pub relocation: u64,
    pub supplies: Vec<SupplyCheck>,
    /// The lowest supply ratio (how far the worst-covered item goes).
    pub supply_ratio: f64,
    pub shelter_area_m2: f64,
    /// Shelter area per resident (m²), against `area_per_resident_m2`.
    pub shelter_per_resident_m2: f64,
    pub reach: Vec<Reach>,
    /// Share of the area within the aviation radius of a base (0–1).
    pub aviation_share: f64,
    /// Stock lines within the jurisdiction that expire within the window, and their units.
    pub expiring_lines: u32,
    #[ts(type = "number")]
    pub expiring_units: i64,
    /// Sample points the area figures are taken from.
    pub samples: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Readiness {
    pub rules: onemap_domain::readiness::ReadinessRules,
    pub plan_zh: String,
    pub rows: Vec<ReadinessRow>,
    /// When it was measured (Beijing time).
    pub at: String,
    pub method_zh: Vec<String>,
    pub method_en: Vec<String>,
}

impl Api {
    pub(crate) fn readiness(&self) -> Result<Readiness, ApiError> {
        let ctx = self.context();
        let rules = &ctx.readiness;
        let plan = self.plan(&rules.relief_plan)?;
        let level = plan.level(rules.relief_level).expect("checked when the rules load");
        let total = relocation_population(plan, rules.relief_level).expect("checked when the rules load");
        let region = AdminCode::parse(&ctx.region.code).map_err(|e| ApiError::new("validation.field", e))?;
        let store = self.store();
        let jurisdictions: Vec<Jurisdiction> = bodies(&**store, EntityKind::Jurisdiction)?
            .into_iter()
            .filter_map(|(_, b)| match b {
                EntityBody::Jurisdiction(j) if region.contains(&j.code) && j.tier <= Tier::Township => Some(j),
                _ => None,
            })
            .collect();
        let warehouses: Vec<(uuid::Uuid, AdminCode)> = bodies(&**store, EntityKind::Warehouse)?
            .into_iter()
            .filter_map(|(r, b)| match b {
                EntityBody::Warehouse(w) => Some((r.entity.id, w.jurisdiction)),
                _ => None,
            })
            .collect();
        let lines: Vec<(AdminCode, onemap_domain::entity::StockLine, LineBalance)> =
            bodies(&**store, EntityKind::StockLine)?
                .into_iter()
                .filter_map(|(r, b)| match b {
                    EntityBody::StockLine(l) => {
                        let at = warehouses.iter().find(|(id, _)| *id == l.warehouse)?.1.clone();
                        Some((at, l, LineBalance::of(&r)))
                    }
                    _ => None,
                })
                .collect();
        let shelters: Vec<(AdminCode, f64)> = bodies(&**store, EntityKind::Shelter)?
            .into_iter()
            .filter_map(|(_, b)| match b {
                EntityBody::Shelter(s) if !s.closed => Some((s.jurisdiction, s.effective_area_m2)),
                _ => None,
            })
            .collect();
        drop(store);
        let teams = self.team_index()?;
        let region_population = jurisdictions.iter().find(|j| j.code == region).map_or(0, |j| j.population).max(1);
        let today = chrono::DateTime::parse_from_rfc3339(&beijing_now()).expect("beijing_now is RFC 3339").date_naive();
        let horizon = today + chrono::Duration::days(i64::from(rules.expiry_days));
        let bases: Vec<Point> = rules.aviation.base.iter().map(|b| Point { lon: b.lon, lat: b.lat }).collect();
        let mut rows = Vec::new();
        for j in &jurisdictions {
            let within = |c: &AdminCode| j.code.contains(c);
            let relocation = if j.code == region {
                total
            } else {
                (total as f64 * j.population as f64 / region_population as f64).ceil() as u64
            };
            let facts = onemap_domain::grading::Facts {
                relocated: u32::try_from(relocation).unwrap_or(u32::MAX),
                ..Default::default()
            };
            let supplies: Vec<SupplyCheck> = level
                .need
                .iter()
                .map(|n| {
                    let needed = n.quantity_for(&facts);
                    let available: i64 = lines
                        .iter()
                        .filter(|(at, l, _)| within(at) && l.item_code == n.item)
                        .map(|(_, _, b)| b.available().max(0))
                        .sum();
                    let item = ctx.items.iter().find(|i| i.code == n.item);
                    SupplyCheck {
                        item_code: n.item.clone(),
                        item_zh: item.map_or_else(|| n.item.clone(), |i| i.name_zh.clone()),
                        item_en: item.map_or_else(|| n.item.clone(), |i| i.name_en.clone()),
                        unit_zh: item.map_or_else(String::new, |i| i.unit_zh.clone()),
                        needed,
                        available,
                        ratio: if needed == 0 { 1.0 } else { available as f64 / needed as f64 },
                    }
                })
                .collect();
            let shelter_area_m2: f64 = shelters.iter().filter(|(at, _)| within(at)).map(|(_, a)| a).sum();
            let samples =
                ctx.areas.get(j.code.as_str()).map_or_else(|| vec![j.seat], |a| sample_points(a, rules.sample_km));
            // The earliest arrival of any standing-by team at each sample point.
            let arrivals: Vec<f64> = samples
                .iter()
                .map(|p| {
                    teams.index.recommend(*p, None, 1, &ctx.router).first().map_or(f64::INFINITY, |pick| pick.minutes)
                })
                .collect();
            let reach = rules
                .reach_minutes
                .iter()
                .map(|&m| {
                    let share =
                        arrivals.iter().filter(|a| **a <= f64::from(m)).count() as f64 / arrivals.len().max(1) as f64;
                    Reach {
                        minutes: m,
                        share,
                        population: (j.population as f64 * share).round() as u64,
                        area_km2: j.area_km2 * share,
                    }
                })
                .collect();
            let (expiring_lines, expiring_units) = lines
                .iter()
                .filter(|(at, l, b)| {
                    within(at)
                        && b.on_hand > 0
                        && l.expiry
                            .as_deref()
                            .and_then(|e| chrono::NaiveDate::parse_from_str(e, "%Y-%m-%d").ok())
                            .is_some_and(|d| d <= horizon)
                })
                .fold((0u32, 0i64), |(n, u), (_, _, b)| (n + 1, u + b.on_hand));
            rows.push(ReadinessRow {
                code: j.code.clone(),
                name_zh: j.name_zh.clone(),
                name_en: j.name_en.clone(),
                tier: j.tier,
                population: j.population,
                area_km2: j.area_km2,
                relocation,
                supply_ratio: supplies.iter().map(|s| s.ratio).fold(f64::INFINITY, f64::min).min(f64::MAX),
                supplies,
                shelter_area_m2,
                shelter_per_resident_m2: if j.population == 0 { 0.0 } else { shelter_area_m2 / j.population as f64 },
                reach,
                aviation_share: share_within(&samples, &bases, rules.aviation.radius_km),
                expiring_lines,
                expiring_units,
                samples: u32::try_from(samples.len()).unwrap_or(u32::MAX),
            });
        }
        rows.sort_by(|a, b| a.tier.cmp(&b.tier).then(a.code.cmp(&b.code)));
        let (r, a) = (&rules.reach_minutes, rules.aviation.radius_km);
        Ok(Readiness {
            plan_zh: plan.zh.clone(),
            at: beijing_now(),
            method_zh: vec![
                format!(
                    "物资：按{}{}级响应所需（转移安置{}人，按人口分摊到乡镇），对比辖区内储备库可用量（在库减已预留）",
                    plan.zh,
                    onemap_domain::response::roman(rules.relief_level),
                    total
                ),
                format!("避难场所：开放场所有效面积 ÷ 常住人口，目标 ≥ {} m²/人", rules.area_per_resident_m2),
                format!(
                    "救援覆盖：每{}公里取样，待命队伍出动准备 + 行驶时间 ≤ {:?} 分钟的样点占比；人口按面积均匀分布估算",
                    rules.sample_km, r
                ),
                format!(
                    "航空覆盖：距航空救援基地 {a} 公里内的样点占比（目标 {} 小时内到达）",
                    rules.aviation.target_hours
                ),
                format!("临期物资：{} 天内到期的在库物资", rules.expiry_days),
            ],
            method_en: vec![
                format!(
                    "Stock: what level {} of {} needs (relocating {total}, shared among townships by population) against what warehouses within the jurisdiction can still give (on hand less reserved)",
                    rules.relief_level, plan.en
                ),
                format!(
                    "Shelters: effective area of open shelters ÷ residents, target ≥ {} m² per resident",
                    rules.area_per_resident_m2
                ),
                format!(
                    "Team reach: share of sample points every {} km that a standing-by team reaches (readiness + travel) within {:?} min; population taken as spread evenly",
                    rules.sample_km, r
                ),
                format!(
                    "Aviation: share of sample points within {a} km of an aviation base (target: there within {} h)",
                    rules.aviation.target_hours
                ),
                format!("Expiring: stock on hand expiring within {} days", rules.expiry_days),
            ],
            rules: rules.clone(),
            rows,
        })
    }
}
