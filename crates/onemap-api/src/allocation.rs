//! Allocation requests (调拨): reserve units of a stock line for an incident or a shelter,
//! ship and receive them, and the allocations of a destination. Every stage writes its ledger
//! movements and the allocation record in one commit; a reservation beyond what the line can
//! still give is refused with the quantity it has.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use onemap_domain::allocation::{self, AllocStage, Movement};
use onemap_domain::dispatch::{Authority, authority};
use onemap_domain::entity::{Allocation, EntityBody, EntityKind, EntityRef, StockLine, account};
use onemap_domain::{Draft, EntityBody as Body};
use onemap_store::Record;

use crate::error::ApiError;
use crate::handlers::{Api, Command, bodies};
use crate::response::beijing_now;

/// Units of a stock line to send somewhere.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AllocateRequest {
    pub line: Uuid,
    pub to: EntityRef,
    #[ts(type = "number")]
    pub quantity: u64,
    pub reason: String,
}

/// An allocation as the console shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AllocationView {
    pub id: Uuid,
    pub allocation: Allocation,
    pub stage: AllocStage,
    pub next: Vec<AllocStage>,
    pub item_zh: String,
    pub unit_zh: String,
    pub warehouse_name: String,
    pub to_name: String,
}

/// A line's ledger as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineBalance {
    pub on_hand: i64,
    pub reserved: i64,
}

impl LineBalance {
    pub(crate) fn of(record: &Record) -> Self {
        let get = |a: &str| record.balances.get(a).copied().unwrap_or(0);
        Self { on_hand: get(account::ON_HAND), reserved: get(account::RESERVED) }
    }

    pub(crate) fn available(self) -> i64 {
        allocation::available(self.on_hand, self.reserved)
    }

    /// Whether the ledger promises or holds less than nothing (only after a merge).
    pub(crate) fn short(self) -> bool {
        self.on_hand < 0 || self.reserved < 0 || self.available() < 0
    }
}

fn moves(ms: Vec<Movement>) -> impl Iterator<Item = Command> {
    ms.into_iter().map(|m| Command::Move { entity: m.entity, account: m.account, delta: m.delta })
}

/// The name a record goes by (its `name` or `title` field).
pub(crate) fn name_of(record: Option<&Record>) -> String {
    record
        .and_then(|r| r.fields.get("name").or_else(|| r.fields.get("title")))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

impl Api {
    fn line(&self, id: Uuid) -> Result<(Record, StockLine), ApiError> {
        let record = self
            .store()
            .get(EntityRef { kind: EntityKind::StockLine, id })?
            .filter(|r| !r.deleted())
            .ok_or_else(|| ApiError::not_found(format!("stock line {id}")))?;
        match Body::from_fields(EntityKind::StockLine, &record.fields) {
            Ok(Body::StockLine(l)) => Ok((record, l)),
            _ => Err(ApiError::not_found(format!("stock line {id}"))),
        }
    }

    pub(crate) fn allocate(&self, req: AllocateRequest, actor: &str) -> Result<AllocationView, ApiError> {
        if req.reason.trim().is_empty() {
            return Err(ApiError::new(
                "validation.field",
                "field `reason`: an allocation says what the supplies are for",
            ));
        }
        if !matches!(req.to.kind, EntityKind::Incident | EntityKind::Shelter) {
            return Err(ApiError::new(
                "validation.field",
                format!("field `to`: supplies go to an incident or a shelter, not a {}", req.to.kind),
            ));
        }
        if self.store().get(req.to)?.is_none_or(|r| r.deleted()) {
            return Err(ApiError::not_found(format!("{} {}", req.to.kind, req.to.id)));
        }
        let quantity = i64::try_from(req.quantity).ok().filter(|q| *q > 0 && *q < 1_000_000_000).ok_or_else(|| {
            ApiError::new(
                "validation.field",
                format!("field `quantity`: {} is not a quantity of 1 to 999,999,999", req.quantity),
            )
        })?;
        let (record, line) = self.line(req.line)?;
        let centre = self.centre()?;
        let warehouse = self.store().get(EntityRef { kind: EntityKind::Warehouse, id: line.warehouse })?;
        let owner = match warehouse.as_ref().map(|w| Body::from_fields(EntityKind::Warehouse, &w.fields)) {
            Some(Ok(Body::Warehouse(w))) => w.owner,
            _ => return Err(ApiError::not_found(format!("warehouse {} of stock line {}", line.warehouse, req.line))),
        };
        if let Authority::Request { .. } | Authority::Outside = authority(&centre, &owner) {
            let via = centre.parent().map_or_else(|| "the national level".to_owned(), |p| p.to_string());
            return Err(ApiError::new(
                "allocation.authority",
                format!(
                    "stock line {} belongs to {} ({owner}); the centre of {centre} may not allocate it directly — request it through {via} (逐级调拨)",
                    req.line,
                    name_of(warehouse.as_ref())
                ),
            ));
        }
        let balance = LineBalance::of(&record);
        let item = self.context().items.iter().find(|i| i.code == line.item_code);
        if balance.available() < quantity {
            return Err(ApiError::new(
                "ledger.overdraw",
                format!(
                    "stock line {} ({} {}) has {} available ({} on hand, {} reserved); {quantity} were asked for",
                    req.line,
                    line.item_code,
                    item.map_or("", |i| i.name_zh.as_str()),
                    balance.available().max(0),
                    balance.on_hand,
                    balance.reserved
                ),
            ));
        }
        let now = beijing_now();
        let ready_at = line.activation_hours.map(|h| {
            let t = chrono::DateTime::parse_from_rfc3339(&now).expect("beijing_now is RFC 3339");
            (t + chrono::Duration::hours(i64::from(h))).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        });
        let a = Allocation {
            line: req.line,
            item_code: line.item_code.clone(),
            quantity: req.quantity,
            to: req.to,
            ordered_by: centre,
            reason: req.reason.trim().to_owned(),
            reserved_at: now,
            ready_at,
            shipped_at: None,
            received_at: None,
            cancelled_at: None,
        };
        let body = EntityBody::Allocation(a.clone());
        let id = body.controlling().map_or_else(Uuid::now_v7, |c| c.scoped_id(Uuid::now_v7().into_bytes()));
        let draft = Draft::new(id, body, false, &self.context().taxonomy)?;
        let mut commands = vec![Command::upsert(draft)];
        commands.extend(moves(allocation::reserve(&a)));
        self.execute(
            actor,
            &format!("allocate: {} × {} → {} {}", a.quantity, a.item_code, a.to.kind, a.to.id),
            commands,
        )?;
        self.allocation_view(id)
    }

    pub(crate) fn allocation_stage(
        &self,
        id: Uuid,
        stage: AllocStage,
        actor: &str,
    ) -> Result<AllocationView, ApiError> {
        let mut a = self.allocation(id)?;
        let ms = allocation::advance(&a, stage)
            .map_err(|e| ApiError::new("allocation.stage", format!("allocation {id}: {e}")))?;
        if stage == AllocStage::InTransit {
            // Shipping takes the units off the shelf: refuse if the shelf no longer has them.
            let (record, _) = self.line(a.line)?;
            let b = LineBalance::of(&record);
            let q = i64::try_from(a.quantity).unwrap_or(i64::MAX);
            if b.on_hand < q {
                return Err(ApiError::new(
                    "ledger.overdraw",
                    format!("stock line {} has {} on hand; shipping allocation {id} needs {q}", a.line, b.on_hand),
                ));
            }
            if let Some(ready) = &a.ready_at
                && ready.as_str() > beijing_now().as_str()
            {
                return Err(ApiError::new(
                    "allocation.not_ready",
                    format!("allocation {id} draws on an agreement or capacity reserve that is available from {ready}"),
                ));
            }
        }
        let now = Some(beijing_now());
        match stage {
            AllocStage::Reserved => unreachable!("no stage leads back to reserved"),
            AllocStage::InTransit => a.shipped_at = now,
            AllocStage::Received => a.received_at = now,
            AllocStage::Cancelled => a.cancelled_at = now,
        }
        let draft = Draft::new(id, EntityBody::Allocation(a), false, &self.context().taxonomy)?;
        let mut commands = vec![Command::upsert(draft)];
        commands.extend(moves(ms));
        self.execute(actor, &format!("allocation.{}: {id}", crate::handlers::enum_name(&stage)), commands)?;
        self.allocation_view(id)
    }

    fn allocations_raw(&self) -> Result<Vec<(Uuid, Allocation)>, ApiError> {
        Ok(bodies(&**self.store(), EntityKind::Allocation)?
            .into_iter()
            .filter_map(|(r, b)| match b {
                EntityBody::Allocation(a) => Some((r.entity.id, a)),
                _ => None,
            })
            .collect())
    }

    /// One allocation, read by its id.
    fn allocation(&self, id: Uuid) -> Result<Allocation, ApiError> {
        let record = self.store().get(EntityRef { kind: EntityKind::Allocation, id })?.filter(|r| !r.deleted());
        match record.map(|r| Body::from_fields(EntityKind::Allocation, &r.fields)) {
            Some(Ok(Body::Allocation(a))) => Ok(a),
            _ => Err(ApiError::not_found(format!("allocation {id}"))),
        }
    }

    fn allocation_view(&self, id: Uuid) -> Result<AllocationView, ApiError> {
        let a = self.allocation(id)?;
        self.view(id, a)
    }

    fn view(&self, id: Uuid, a: Allocation) -> Result<AllocationView, ApiError> {
        let store = self.store();
        let line = store.get(a.line_ref())?;
        let warehouse = line
            .as_ref()
            .and_then(|l| l.fields.get("warehouse"))
            .and_then(|w| serde_json::from_value::<Uuid>(w.clone()).ok())
            .map(|w| store.get(EntityRef { kind: EntityKind::Warehouse, id: w }))
            .transpose()?
            .flatten();
        let to = store.get(a.to)?;
        drop(store);
        let item = self.context().items.iter().find(|i| i.code == a.item_code);
        let stage = a.stage();
        Ok(AllocationView {
            id,
            stage,
            next: stage.next().to_vec(),
            item_zh: item.map_or_else(|| a.item_code.clone(), |i| i.name_zh.clone()),
            unit_zh: item.map_or_else(String::new, |i| i.unit_zh.clone()),
            warehouse_name: name_of(warehouse.as_ref()),
            to_name: name_of(to.as_ref()),
            allocation: a,
        })
    }

    /// The allocations to one destination (every allocation when none), newest first.
    pub(crate) fn allocations(&self, to: Option<EntityRef>) -> Result<Vec<AllocationView>, ApiError> {
        let mut all: Vec<(Uuid, Allocation)> =
            self.allocations_raw()?.into_iter().filter(|(_, a)| to.is_none_or(|t| a.to == t)).collect();
        all.sort_by(|x, y| y.1.reserved_at.cmp(&x.1.reserved_at).then(y.0.cmp(&x.0)));
        all.into_iter().map(|(id, a)| self.view(id, a)).collect()
    }
}

/// Stock expiring within this many days is flagged.
const EXPIRY_WARNING_DAYS: i64 = 90;

impl Api {
    /// Alerts on resources, whatever the incident: a team in two open orders, a line
    /// promised or shipped beyond what it holds, stock near expiry, a shelter over capacity.
    pub(crate) fn resource_alerts(&self) -> Result<Vec<crate::response::Alert>, ApiError> {
        use crate::response::{Alert, AlertKind};
        let mut out = Vec::new();
        for v in self.team_requests()?.into_iter().filter(|v| v.mine_to_answer) {
            out.push(Alert {
                incident: Some(v.request.incident),
                subject: EntityRef { kind: EntityKind::TeamRequest, id: v.id },
                title: v.team_name,
                kind: AlertKind::TeamRequest,
                text: format!("{} asks for it: {}", v.request.from, v.request.reason),
                due: None,
            });
        }
        let orders = self.orders()?;
        let mut by_team: std::collections::BTreeMap<Uuid, Vec<&onemap_domain::entity::Dispatch>> = Default::default();
        for (_, d) in orders.iter().filter(|(_, d)| !d.stage().closed()) {
            by_team.entry(d.team).or_default().push(d);
        }
        let store = self.store();
        for (team, open) in by_team.into_iter().filter(|(_, v)| v.len() > 1) {
            let subject = EntityRef { kind: EntityKind::Team, id: team };
            let incidents: Vec<String> = open.iter().map(|d| format!("{}（{}）", d.incident, d.ordered_by)).collect();
            out.push(Alert {
                incident: open.first().map(|d| d.incident),
                subject,
                title: name_of(store.get(subject)?.as_ref()),
                kind: AlertKind::DispatchConflict,
                text: format!("{} open orders: {}", open.len(), incidents.join("; ")),
                due: None,
            });
        }
        let today = chrono::DateTime::parse_from_rfc3339(&beijing_now()).expect("beijing_now is RFC 3339").date_naive();
        for (r, b) in bodies(&**store, EntityKind::StockLine)? {
            let EntityBody::StockLine(l) = b else { continue };
            let bal = LineBalance::of(&r);
            let item = self.context().items.iter().find(|i| i.code == l.item_code);
            let title = item.map_or_else(|| l.item_code.clone(), |i| format!("{} {}", l.item_code, i.name_zh));
            let mut push = |kind, text: String, due: Option<String>| {
                out.push(Alert { incident: None, subject: r.entity, title: title.clone(), kind, text, due });
            };
            if bal.short() {
                let text = if bal.reserved < 0 {
                    // An allocation shipped on one console and cancelled on another: its
                    // reservation was released twice.
                    format!(
                        "{} on hand, {} reserved: an allocation was both shipped and cancelled",
                        bal.on_hand, bal.reserved
                    )
                } else {
                    format!(
                        "{} on hand, {} reserved: {} short",
                        bal.on_hand,
                        bal.reserved,
                        -bal.available().min(bal.on_hand)
                    )
                };
                push(AlertKind::Overdraw, text, None);
            }
            if let Some(d) = l.expiry.as_deref().and_then(|e| chrono::NaiveDate::parse_from_str(e, "%Y-%m-%d").ok())
                && bal.on_hand > 0
                && (d - today).num_days() <= EXPIRY_WARNING_DAYS
            {
                push(AlertKind::Expiring, format!("{} units expire on {d}", bal.on_hand), Some(d.to_string()));
            }
        }
        for (r, b) in bodies(&**store, EntityKind::Shelter)? {
            let EntityBody::Shelter(s) = b else { continue };
            let occupancy = r.balances.get(account::OCCUPANCY).copied().unwrap_or(0);
            let capacity = i64::try_from(s.capacity()).unwrap_or(i64::MAX);
            if occupancy > capacity {
                out.push(Alert {
                    incident: None,
                    subject: r.entity,
                    title: s.name,
                    kind: AlertKind::ShelterFull,
                    text: format!("{occupancy} placed, capacity {capacity}"),
                    due: None,
                });
            }
        }
        Ok(out)
    }
}

impl Api {
    /// Placing `delta` more people in a shelter: it must be open and have the places.
    pub(crate) fn check_placing(&self, record: &Record, occupancy: i64, delta: i64) -> Result<(), ApiError> {
        let Ok(Body::Shelter(s)) = Body::from_fields(EntityKind::Shelter, &record.fields) else {
            return Err(ApiError::not_found(format!("shelter {}", record.entity.id)));
        };
        if s.closed {
            return Err(ApiError::new("shelter.closed", format!("{} is closed: nobody can be placed there", s.name)));
        }
        let capacity = i64::try_from(s.capacity()).unwrap_or(i64::MAX);
        let free = (capacity - occupancy).max(0);
        if delta > free {
            return Err(ApiError::new(
                "shelter.full",
                format!(
                    "{} has {free} free places ({occupancy} placed, capacity {capacity}); {delta} cannot be placed",
                    s.name
                ),
            ));
        }
        Ok(())
    }
}
