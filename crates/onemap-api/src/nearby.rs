//! What is near an incident: teams by estimated arrival time, warehouses with their stock
//! and shelters with free places by distance.

use onemap_domain::dispatch::authority;
use onemap_domain::entity::{EntityBody, EntityKind, EntityRef, TeamStatus, account};
use onemap_domain::travel::{Router, km};
use onemap_domain::{Point, Taxonomy};
use onemap_store::Record;
use uuid::Uuid;

use crate::error::ApiError;
use crate::handlers::{Api, bodies, stock_row};
use crate::types::{NearShelter, NearTeam, NearWarehouse, Nearby};

/// How many of each kind the panel lists.
const SHOWN: usize = 12;

fn nearest<T>(mut v: Vec<T>, key: impl Fn(&T) -> f64) -> Vec<T> {
    v.sort_by(|a, b| key(a).total_cmp(&key(b)));
    v.truncate(SHOWN);
    v
}

fn team(
    record: &Record,
    t: onemap_domain::entity::Team,
    at: Point,
    taxonomy: &Taxonomy,
    router: &dyn Router,
) -> NearTeam {
    let speed = taxonomy.team_type(&t.team_type).map_or(40.0, |tt| tt.speed_kmh);
    NearTeam {
        id: record.entity.id,
        km: km(t.location, at),
        minutes: f64::from(t.readiness_min) + router.minutes(t.location, at, speed),
        readiness_min: t.readiness_min,
        available: t.status == TeamStatus::Standby,
        status: crate::handlers::enum_name(&t.status),
        name: t.name,
        team_type: t.team_type,
        headcount: t.headcount,
    }
}

impl Api {
    /// Every warehouse by distance from `at`, with its stock and this centre's authority.
    fn warehouses_near(&self, at: Point) -> Result<Vec<NearWarehouse>, ApiError> {
        let centre = self.centre()?;
        let ctx = self.context();
        let store = self.store();
        let lines = bodies(&**store, EntityKind::StockLine)?;
        let mut out: Vec<NearWarehouse> = bodies(&**store, EntityKind::Warehouse)?
            .into_iter()
            .filter_map(|(r, b)| match b {
                EntityBody::Warehouse(w) => Some(NearWarehouse {
                    id: r.entity.id,
                    km: km(w.location, at),
                    tier: crate::handlers::enum_name(&w.tier),
                    stock: lines
                        .iter()
                        .filter_map(|(l, b)| match b {
                            EntityBody::StockLine(s) if s.warehouse == r.entity.id => Some(stock_row(&ctx.items, l, s)),
                            _ => None,
                        })
                        .collect(),
                    authority: authority(&centre, &w.owner),
                    name: w.name,
                }),
                _ => None,
            })
            .collect();
        out.sort_by(|a, b| a.km.total_cmp(&b.km));
        Ok(out)
    }

    /// Where supplies for an incident or a shelter can come from.
    pub(crate) fn stock_for(&self, to: EntityRef) -> Result<Vec<NearWarehouse>, ApiError> {
        let record = self
            .store()
            .get(to)?
            .filter(|r| !r.deleted())
            .ok_or_else(|| ApiError::not_found(format!("{} {}", to.kind, to.id)))?;
        let at = match EntityBody::from_fields(to.kind, &record.fields) {
            Ok(EntityBody::Incident(i)) => i.location,
            Ok(EntityBody::Shelter(s)) => s.location,
            _ => {
                return Err(ApiError::new(
                    "validation.field",
                    format!("field `to`: supplies go to an incident or a shelter, not a {}", to.kind),
                ));
            }
        };
        self.warehouses_near(at)
    }

    pub(crate) fn nearby(&self, incident: Uuid) -> Result<Nearby, ApiError> {
        let store = self.store();
        let entity = EntityRef { kind: EntityKind::Incident, id: incident };
        let record = store.get(entity)?.ok_or_else(|| ApiError::not_found(format!("incident {incident}")))?;
        let Ok(EntityBody::Incident(i)) = EntityBody::from_fields(EntityKind::Incident, &record.fields) else {
            return Err(ApiError::new("validation.field", format!("incident {incident} has no location yet")));
        };
        let at = i.location;
        let ctx = self.context();
        let teams = bodies(&**store, EntityKind::Team)?
            .into_iter()
            .filter_map(|(r, b)| match b {
                EntityBody::Team(t) => Some(team(&r, t, at, &ctx.taxonomy, &ctx.router)),
                _ => None,
            })
            .collect();
        drop(store);
        let warehouses = self.warehouses_near(at)?;
        let store = self.store();
        let shelters = bodies(&**store, EntityKind::Shelter)?
            .into_iter()
            .filter_map(|(r, b)| match b {
                EntityBody::Shelter(s) => {
                    let occupancy = r.balances.get(account::OCCUPANCY).copied().unwrap_or(0);
                    let free = s.capacity() as i64 - occupancy;
                    (free > 0).then(|| NearShelter {
                        id: r.entity.id,
                        km: km(s.location, at),
                        capacity: s.capacity(),
                        occupancy,
                        free,
                        name: s.name,
                    })
                }
                _ => None,
            })
            .collect();
        let factor = ctx.router.road_factor;
        Ok(Nearby {
            incident,
            location: at,
            teams: nearest(teams, |t: &NearTeam| t.minutes),
            warehouses: nearest(warehouses, |w: &NearWarehouse| w.km),
            shelters: nearest(shelters, |s: &NearShelter| s.km),
            method_zh: format!("出动准备时间 + 直线距离 × {factor} ÷ 队伍类型车速(无路网数据时的估算)"),
            method_en: format!(
                "readiness + straight-line distance × {factor} ÷ the team type's speed (an estimate until road data is imported)"
            ),
        })
    }
}
