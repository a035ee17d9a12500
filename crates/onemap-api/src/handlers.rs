//! The handlers behind every request, over any `Store`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use uuid::Uuid;

use onemap_domain::entity::{EntityBody, EntityKind, EntityRef, IncidentStatus, account};
use onemap_domain::fixtures::Item;
use onemap_domain::travel::StraightLine;
use onemap_domain::{Draft, Taxonomy};
use onemap_store::identity::Lane;
use onemap_store::{Change, Record, Store};

use crate::error::ApiError;
use crate::types::{
    Bootstrap, Changes, Committed, EntityDetail, JurisdictionSummary, Layer, Layers, LinkStatus, MapFeature, Matched,
    Region, Request, Response, SearchHit, StockRow,
};
use crate::wall::{Wall, WallConfig};

/// The reference data a node runs with (from `fixtures/`).
#[derive(Debug, Clone)]
pub struct Context {
    pub taxonomy: Taxonomy,
    pub items: Vec<Item>,
    pub region: Region,
    /// Whether this node runs on demonstration data.
    pub demo: bool,
    /// What goes in the urgent lane (`sync.toml`).
    pub urgent: UrgentRules,
    /// Travel-time estimates (`console.toml [travel]`).
    pub router: StraightLine,
    /// The command hall's wall (`console.toml [wall]`).
    pub wall: WallConfig,
    /// Jurisdictions' extents (west, south, east, north) by 12-digit code, from the
    /// boundaries in `fixtures/region/`.
    pub bounds: BTreeMap<String, [f64; 4]>,
    /// Jurisdictions' areas by 12-digit code, from the same boundaries.
    pub areas: BTreeMap<String, geo::MultiPolygon<f64>>,
    /// Shelters' per-capita area standards by jurisdiction (`fixtures/shelters.toml`).
    pub shelter_standards: BTreeMap<onemap_domain::AdminCode, f64>,
    /// Column-name aliases for imports (`fixtures/import.toml`).
    pub import: crate::import::ImportAliases,
    /// What the readiness table measures (`fixtures/readiness.toml`).
    pub readiness: onemap_domain::readiness::ReadinessRules,
    /// Grading rule sets (`fixtures/grading/`).
    pub grading: onemap_domain::grading::Grading,
    /// Plan templates (`fixtures/plans/`).
    pub plans: onemap_domain::plan::PlanSet,
    /// The relief clock's targets (`console.toml [relief]`).
    pub relief: crate::types::ReliefConfig,
    /// Report kinds and deadline timers (`fixtures/reporting.toml`).
    pub reporting: onemap_domain::reporting::ReportingRules,
    /// The fonts reports are printed in (`console.toml [report]`).
    pub report_fonts: crate::report_pdf::ReportConfig,
}

/// Which change sets go ahead of routine data on every link (`fixtures/sync.toml`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrgentRules {
    /// Kinds every change to which is urgent (orders).
    pub kinds: Vec<EntityKind>,
    /// Kinds events appended to which are urgent (decisions).
    pub appends: Vec<EntityKind>,
    /// Fields whose setting is urgent, on any record (casualty figures).
    pub fields: Vec<String>,
}

impl UrgentRules {
    /// The lane of a change set: urgent when any change matches.
    pub fn lane(&self, changes: &[(EntityRef, Change)]) -> Lane {
        let urgent = changes.iter().any(|(entity, change)| {
            self.kinds.contains(&entity.kind)
                || match change {
                    Change::Append(_) => self.appends.contains(&entity.kind),
                    Change::Set(fields) => fields.keys().any(|f| self.fields.contains(f)),
                    Change::Move { .. } => false,
                }
        });
        if urgent { Lane::Urgent } else { Lane::Routine }
    }
}

/// A write, validated before it becomes ops.
#[derive(Debug, Clone)]
pub enum Command {
    Upsert(Box<Draft>),
    Move {
        entity: EntityRef,
        account: String,
        delta: i64,
    },
    /// An append-only event on a record (a response decision on its incident).
    Append {
        entity: EntityRef,
        event: Value,
    },
}

impl Command {
    pub fn upsert(draft: Draft) -> Self {
        Self::Upsert(Box::new(draft))
    }
}

/// The API over one store.
pub struct Api {
    store: Mutex<Box<dyn Store + Send>>,
    ctx: Context,
    /// The sync links' last reports, by peer URL.
    links: Mutex<BTreeMap<String, LinkStatus>>,
    /// Bumped whenever the store may have changed; long polls wait on it.
    changed: (Mutex<u64>, Condvar),
    pub(crate) wall: Wall,
    /// The replay index of the log, kept while the log does not grow.
    replay: Mutex<Option<std::sync::Arc<crate::replay::Replay>>>,
    /// The teams' spatial index, kept while the log does not grow.
    pub(crate) teams: Mutex<Option<std::sync::Arc<crate::dispatch::Teams>>>,
    /// How far the running import is.
    pub(crate) import_progress: Mutex<crate::import::ImportProgress>,
    /// The report fonts, read on the first PDF.
    pub(crate) fonts: std::sync::OnceLock<crate::report_pdf::Fonts>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api").field("region", &self.ctx.region.code).finish_non_exhaustive()
    }
}

/// Changes read per `changes` call; the UI asks again while it gets full pages.
const CHANGE_PAGE: usize = 5_000;

/// How many refused ops the console lists.
const QUARANTINE_SHOWN: usize = 500;

/// The longest a `changes` call waits for a change.
const LONGEST_WAIT_MS: u32 = 25_000;
/// A waiting `changes` call looks at the log at least this often, so a writer that does
/// not announce its commit (a sync link in another process) is seen soon anyway.
const RECHECK: Duration = Duration::from_millis(200);

impl Api {
    pub fn new(store: Box<dyn Store + Send>, ctx: Context) -> Self {
        let wall = Wall::new(&ctx.wall);
        Self {
            store: Mutex::new(store),
            ctx,
            links: Mutex::default(),
            changed: Default::default(),
            wall,
            replay: Mutex::default(),
            teams: Mutex::default(),
            import_progress: Mutex::default(),
            fonts: std::sync::OnceLock::new(),
        }
    }

    /// Wakes the `changes` calls waiting for news: call after writing to the store other
    /// than through [`Api::execute`] (sync links do).
    pub fn notify_changed(&self) {
        let (count, cv) = &self.changed;
        *count.lock().unwrap_or_else(std::sync::PoisonError::into_inner) += 1;
        cv.notify_all();
    }

    /// Returns once the log has grown past `since`, or after `wait`.
    fn wait_for_change(&self, since: u64, wait: Duration) -> Result<(), ApiError> {
        let deadline = Instant::now() + wait;
        let (count, cv) = &self.changed;
        loop {
            let seen = *count.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if self.store().head()? > since {
                return Ok(());
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) else {
                return Ok(());
            };
            let guard = count.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if *guard == seen {
                let _ = cv.wait_timeout(guard, left.min(RECHECK)).unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        }
    }

    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// Records what a sync link last saw, for the `links` request.
    pub fn report_link(&self, status: LinkStatus) {
        let mut links = self.links.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        links.insert(status.peer.clone(), status);
    }

    /// The node's store, shared with sync links (which lock it page by page).
    pub fn shared_store(&self) -> &Mutex<Box<dyn Store + Send>> {
        &self.store
    }

    /// One record, as stored.
    pub fn get(&self, entity: EntityRef) -> Result<Option<Record>, ApiError> {
        Ok(self.store().get(entity)?)
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Box<dyn Store + Send>> {
        // A panic while holding the lock cannot leave the store half-written (SQLite rolls the
        // transaction back), so a poisoned lock is safe to keep using.
        self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A fresh id for a new record, scoped to the jurisdiction that controls it (else to
    /// this node's own), so every replica can check who may change it.
    fn new_id(&self, body: &EntityBody) -> Uuid {
        let fresh = Uuid::now_v7();
        let own = || match self.store().local().grant() {
            Some(Ok(g)) => Some(g.jurisdiction),
            _ => None,
        };
        body.controlling().or_else(own).map_or(fresh, |code| code.scoped_id(fresh.into_bytes()))
    }

    /// Handles one request from any host.
    pub fn handle(&self, req: Request) -> Result<Response, ApiError> {
        match req {
            Request::Bootstrap => self.bootstrap().map(|b| Response::Bootstrap(Box::new(b))),
            Request::Layers => self.layers().map(Response::Layers),
            Request::Entity { entity } => self.detail(entity).map(|d| Response::Entity(Box::new(d))),
            Request::Changes { since, wait_ms } => {
                if let Some(ms) = wait_ms.filter(|ms| *ms > 0) {
                    self.wait_for_change(since, Duration::from_millis(ms.min(LONGEST_WAIT_MS).into()))?;
                }
                self.changes(since).map(Response::Changes)
            }
            Request::Search { q, limit } => {
                let limit = limit.map_or(crate::search::DEFAULT_LIMIT, |l| l as usize);
                Ok(Response::Search(crate::search::search(self.search_candidates()?, &q, limit)))
            }
            Request::Nearby { incident } => self.nearby(incident).map(|n| Response::Nearby(Box::new(n))),
            Request::Stats => self.stats().map(|s| Response::Stats(Box::new(s))),
            Request::Wall => Ok(Response::Wall(self.wall.state())),
            Request::SetWall { control } => self.set_wall(control).map(Response::SetWall),
            Request::Links => {
                let links = self.links.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                Ok(Response::Links(links.values().cloned().collect()))
            }
            Request::Quarantine => Ok(Response::Quarantine(self.store().quarantined(QUARANTINE_SHOWN)?)),
            Request::Suggest { category, subtype, jurisdiction, facts } => {
                self.suggest(&category, &subtype, &jurisdiction, &facts).map(Response::Suggest)
            }
            Request::Plans => Ok(Response::Plans(self.ctx.plans.plans.clone())),
            Request::Decide(req) => self.decide(req, "operator").map(|v| Response::Decide(Box::new(v))),
            Request::Responses { incident } => self.responses(incident).map(Response::Responses),
            Request::FileReport(req) => self.file_report(req, "operator").map(|v| Response::FileReport(Box::new(v))),
            Request::Reports { incident } => self.reports(incident).map(|v| Response::Reports(Box::new(v))),
            Request::PictureAt { at_ms } => self.replay_index().map(|r| Response::PictureAt(r.picture(at_ms))),
            Request::Journal { incident } => self.journal(incident).map(Response::Journal),
            Request::DutyLog { from_ms, to_ms } => self.duty_log(from_ms, to_ms).map(Response::DutyLog),
            Request::Alerts => self.alerts().map(Response::Alerts),
            Request::ReportPdf { incident, report } => self.report_pdf(incident, report).map(Response::ReportPdf),
            Request::Recommend { incident } => self.recommend(incident).map(|r| Response::Recommend(Box::new(r))),
            Request::Dispatch(req) => self.dispatch(req, "operator").map(|v| Response::Dispatch(Box::new(v))),
            Request::DispatchStage { order, stage } => {
                self.dispatch_stage(order, stage, "operator").map(|v| Response::DispatchStage(Box::new(v)))
            }
            Request::Dispatches { incident } => self.dispatches(incident).map(Response::Dispatches),
            Request::Allocate(req) => self.allocate(req, "operator").map(|v| Response::Allocate(Box::new(v))),
            Request::AllocationStage { allocation, stage } => {
                self.allocation_stage(allocation, stage, "operator").map(|v| Response::AllocationStage(Box::new(v)))
            }
            Request::Allocations { to } => self.allocations(to).map(Response::Allocations),
            Request::StockFor { to } => self.stock_for(to).map(Response::StockFor),
            Request::Readiness => self.readiness().map(|r| Response::Readiness(Box::new(r))),
            Request::Import(req) => self.import(req, "operator").map(|r| Response::Import(Box::new(r))),
            Request::ImportProgress => Ok(Response::ImportProgress(self.import_progress())),
            Request::Export { registry, format } => {
                self.export(registry, format).map(|f| Response::Export(Box::new(f)))
            }
            Request::Experts { category } => self.experts(category.as_deref()).map(Response::Experts),
            Request::RequestTeam(req) => self.request_team(req, "operator").map(|v| Response::RequestTeam(Box::new(v))),
            Request::TeamRequests => self.team_requests().map(Response::TeamRequests),
            Request::AnswerRequest { request, answer, note } => {
                self.answer_request(request, answer, &note, "operator").map(|v| Response::AnswerRequest(Box::new(v)))
            }
            Request::Upsert { id, body } => {
                let id = match id {
                    Some(id) => id,
                    None => self.new_id(&body),
                };
                let draft = Draft::new(id, body, false, &self.ctx.taxonomy)?;
                let entity = draft.entity;
                self.check_references(&draft)?;
                let head =
                    self.execute("operator", &format!("{}.upsert", entity.kind), vec![Command::upsert(draft)])?;
                Ok(Response::Upsert(Committed { entity, ops: 1, head }))
            }
            Request::Move { entity, account, delta, reason } => {
                if reason.trim().is_empty() {
                    return Err(ApiError::new("validation.field", "field `reason`: a ledger movement needs a reason"));
                }
                let record = self
                    .store()
                    .get(entity)?
                    .ok_or_else(|| ApiError::not_found(format!("{} {}", entity.kind, entity.id)))?;
                let allowed = matches!(
                    (entity.kind, account.as_str()),
                    (EntityKind::StockLine, account::ON_HAND) | (EntityKind::Shelter, account::OCCUPANCY)
                );
                if !allowed {
                    return Err(ApiError::new(
                        "validation.field",
                        format!("field `account`: {} has no ledger `{account}`", entity.kind),
                    ));
                }
                let balance = record.balances.get(&account).copied().unwrap_or(0);
                // Units reserved for allocations are not free to issue.
                let reserved = if account == account::ON_HAND {
                    record.balances.get(account::RESERVED).copied().unwrap_or(0)
                } else {
                    0
                };
                if entity.kind == EntityKind::Shelter && delta > 0 {
                    self.check_placing(&record, balance, delta)?;
                }
                if balance - reserved + delta < 0 {
                    return Err(ApiError::new(
                        "ledger.overdraw",
                        format!(
                            "{account} of {} {} is {balance} ({reserved} of it reserved); a movement of {delta} would overdraw it",
                            entity.kind, entity.id
                        ),
                    ));
                }
                let head = self.execute(
                    "operator",
                    &format!("{}.move: {reason}", entity.kind),
                    vec![Command::Move { entity, account, delta }],
                )?;
                Ok(Response::Move(Committed { entity, ops: 1, head }))
            }
        }
    }

    /// Turns validated commands into ops and commits them in one transaction. Returns the
    /// change-feed head once the write is durable.
    pub fn execute(&self, actor: &str, intent: &str, commands: Vec<Command>) -> Result<u64, ApiError> {
        let changes = commands
            .into_iter()
            .map(|c| match c {
                Command::Upsert(d) => (d.entity, Change::Set(d.fields())),
                Command::Move { entity, account, delta } => (entity, Change::Move { account, delta }),
                Command::Append { entity, event } => (entity, Change::Append(event)),
            })
            .collect();
        let changes: Vec<_> = changes;
        let lane = self.ctx.urgent.lane(&changes);
        let head = {
            let mut store = self.store();
            store.commit_in(lane, actor, intent, changes)?;
            store.head()?
        };
        self.notify_changed();
        Ok(head)
    }

    /// The replay index at the log's head: reused while nothing was written since it was built.
    pub fn replay_index(&self) -> Result<std::sync::Arc<crate::replay::Replay>, ApiError> {
        let mut cached = self.replay.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let store = self.store();
        let head = store.head()?;
        if let Some(r) = cached.as_ref().filter(|r| r.head == head) {
            return Ok(r.clone());
        }
        let ops = store.ops_since(0, usize::MAX)?.into_iter().map(|(_, op)| op);
        let built = std::sync::Arc::new(crate::replay::Replay::build(ops, head));
        *cached = Some(built.clone());
        Ok(built)
    }

    /// An incident's journal: everything recorded on it and its checklist, by time.
    fn journal(&self, incident: Uuid) -> Result<Vec<crate::replay::JournalLine>, ApiError> {
        let store = self.store();
        let mut own = BTreeSet::new();
        for kind in [EntityKind::Task, EntityKind::Journal] {
            for (r, body) in bodies(&**store, kind)? {
                if crate::replay::belongs_to(incident, &body) {
                    own.insert(r.entity);
                }
            }
        }
        let ops: Vec<_> = store.ops_since(0, usize::MAX)?.into_iter().map(|(_, op)| op).collect();
        Ok(crate::replay::journal(incident, &ops, |e| own.contains(e)))
    }

    /// Everything search looks through: the jurisdictions and the situation records.
    fn search_candidates(&self) -> Result<Vec<SearchHit>, ApiError> {
        let store = self.store();
        let mut out = Vec::new();
        for r in store.list(EntityKind::Jurisdiction)? {
            let Ok(EntityBody::Jurisdiction(j)) = EntityBody::from_fields(EntityKind::Jurisdiction, &r.fields) else {
                continue;
            };
            out.push(SearchHit {
                layer: None,
                id: None,
                bounds: self.ctx.bounds.get(j.code.as_str()).copied(),
                code: Some(j.code.to_string()),
                tier: Some(j.tier),
                name_zh: j.name_zh,
                name_en: j.name_en,
                point: j.seat,
                matched: Matched::Name,
            });
        }
        for layer in Layer::ALL {
            for r in store.list(layer.kind())?.iter().filter(|r| !r.deleted()) {
                let Some(f) = feature(layer, r) else { continue };
                out.push(SearchHit {
                    layer: Some(layer),
                    id: Some(f.id),
                    code: None,
                    tier: None,
                    name_zh: f.name,
                    name_en: String::new(),
                    point: onemap_domain::Point { lon: f.lon, lat: f.lat },
                    bounds: None,
                    matched: Matched::Name,
                });
            }
        }
        Ok(out)
    }

    fn check_references(&self, draft: &Draft) -> Result<(), ApiError> {
        if let EntityBody::StockLine(s) = &draft.body {
            let w = EntityRef { kind: EntityKind::Warehouse, id: s.warehouse };
            if self.store().get(w)?.is_none() {
                return Err(ApiError::new(
                    "validation.field",
                    format!("field `warehouse`: warehouse {} does not exist", s.warehouse),
                ));
            }
            if !self.ctx.items.iter().any(|i| i.code == s.item_code) {
                return Err(ApiError::new(
                    "validation.field",
                    format!("field `item_code`: `{}` is not in the item catalogue", s.item_code),
                ));
            }
        }
        Ok(())
    }

    fn bootstrap(&self) -> Result<Bootstrap, ApiError> {
        let store = self.store();
        let mut jurisdictions: Vec<JurisdictionSummary> = store
            .list(EntityKind::Jurisdiction)?
            .iter()
            .filter_map(|r| match EntityBody::from_fields(EntityKind::Jurisdiction, &r.fields) {
                Ok(EntityBody::Jurisdiction(j)) => Some(JurisdictionSummary {
                    code: j.code.to_string(),
                    name_zh: j.name_zh,
                    name_en: j.name_en,
                    tier: j.tier,
                    parent: j.parent.map(String::from),
                }),
                _ => None,
            })
            .collect();
        jurisdictions.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(Bootstrap {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            node: store.node().to_string(),
            region: self.ctx.region.clone(),
            demo: self.ctx.demo,
            taxonomy: self.ctx.taxonomy.clone(),
            items: self.ctx.items.clone(),
            jurisdictions,
            relief: self.ctx.relief.clone(),
        })
    }

    fn layers(&self) -> Result<Layers, ApiError> {
        let store = self.store();
        let head = store.head()?;
        let mut features = Vec::new();
        for layer in Layer::ALL {
            features.extend(store.list(layer.kind())?.iter().filter_map(|r| feature(layer, r)));
        }
        for f in features.iter_mut() {
            with_response(&**store, f)?;
        }
        Ok(Layers { features, head })
    }

    fn changes(&self, since: u64) -> Result<Changes, ApiError> {
        let store = self.store();
        let ops = store.ops_since(since, CHANGE_PAGE)?;
        let head = ops.last().map_or(since, |(lseq, _)| *lseq);
        let touched: BTreeSet<EntityRef> =
            ops.iter().map(|(_, op)| op.entity).filter(|e| Layer::of(e.kind).is_some()).collect();
        let (mut upserted, mut removed) = (Vec::new(), Vec::new());
        for entity in touched {
            let layer = Layer::of(entity.kind).expect("filtered to layer kinds above");
            match store.get(entity)?.filter(|r| !r.deleted()).and_then(|r| feature(layer, &r)) {
                Some(mut f) => {
                    with_response(&**store, &mut f)?;
                    upserted.push(f);
                }
                None => removed.push(entity.id),
            }
        }
        Ok(Changes { upserted, removed, head })
    }

    fn detail(&self, entity: EntityRef) -> Result<EntityDetail, ApiError> {
        let store = self.store();
        let record = store.get(entity)?.ok_or_else(|| ApiError::not_found(format!("{} {}", entity.kind, entity.id)))?;
        let mut derived = Map::new();
        let mut stock = Vec::new();
        match EntityBody::from_fields(entity.kind, &record.fields) {
            Ok(EntityBody::Shelter(s)) => {
                let occupancy = record.balances.get(account::OCCUPANCY).copied().unwrap_or(0);
                derived.insert("capacity".into(), s.capacity().into());
                derived.insert("occupancy".into(), occupancy.into());
                derived.insert("free".into(), (s.capacity() as i64 - occupancy).into());
            }
            Ok(EntityBody::Warehouse(_)) => {
                for line in store.list(EntityKind::StockLine)? {
                    let Ok(EntityBody::StockLine(s)) = EntityBody::from_fields(EntityKind::StockLine, &line.fields)
                    else {
                        continue;
                    };
                    if s.warehouse != entity.id {
                        continue;
                    }
                    stock.push(stock_row(&self.ctx.items, &line, &s));
                }
                stock.sort_by(|a, b| a.item_code.cmp(&b.item_code));
                derived.insert("stock_lines".into(), stock.len().into());
            }
            Ok(EntityBody::Team(t)) => {
                if let Some(tt) = self.ctx.taxonomy.team_type(&t.team_type) {
                    derived.insert("team_type_zh".into(), tt.zh.clone().into());
                    derived.insert("team_type_en".into(), tt.en.clone().into());
                }
            }
            Ok(_) => {}
            Err(e) => {
                derived.insert("incomplete".into(), Value::String(format!("the record is not complete yet: {e}")));
            }
        }
        Ok(EntityDetail { record, derived, stock })
    }
}

/// Sets an incident feature's response level from its decisions.
fn with_response(store: &dyn Store, f: &mut MapFeature) -> Result<(), ApiError> {
    if f.layer == Layer::Incidents {
        let events = store.events(EntityRef { kind: EntityKind::Incident, id: f.id })?;
        f.response = crate::response::level_in_force(&crate::response::decisions_of(&events));
    }
    Ok(())
}

/// The map feature of a record, if the record is complete enough to draw.
pub(crate) fn feature(layer: Layer, r: &Record) -> Option<MapFeature> {
    let body = EntityBody::from_fields(layer.kind(), &r.fields).ok()?;
    let demo = r.fields.get("demo").and_then(Value::as_bool).unwrap_or(false);
    let (name, loc, class, status, grade) = match body {
        EntityBody::Incident(i) => {
            let status = match i.status {
                IncidentStatus::Active => "active",
                IncidentStatus::Closed => "closed",
            };
            (i.title, i.location, i.category, status.to_owned(), i.grade.unwrap_or(0))
        }
        EntityBody::Team(t) => (t.name, t.location, t.team_type, enum_name(&t.status), 0),
        EntityBody::Warehouse(w) => (w.name, w.location, enum_name(&w.tier), w.kind, 0),
        EntityBody::Shelter(s) => {
            let occupancy = r.balances.get(account::OCCUPANCY).copied().unwrap_or(0);
            let status = if s.closed {
                "closed"
            } else if occupancy as u64 >= s.capacity() {
                "full"
            } else if occupancy > 0 {
                "in_use"
            } else {
                "open"
            };
            (s.name, s.location, s.shelter_type, status.to_owned(), 0)
        }
        EntityBody::Hazard(h) => (h.name, h.location, h.hazard_kind, h.grade, 0),
        _ => return None,
    };
    Some(MapFeature {
        id: r.entity.id,
        layer,
        lon: loc.lon,
        lat: loc.lat,
        name,
        class,
        status,
        grade,
        response: 0,
        demo,
    })
}

/// The live records of `kind` that are complete enough to read as their entity body.
pub(crate) fn bodies(store: &dyn Store, kind: EntityKind) -> Result<Vec<(Record, EntityBody)>, ApiError> {
    Ok(store
        .list(kind)?
        .into_iter()
        .filter(|r| !r.deleted())
        .filter_map(|r| EntityBody::from_fields(kind, &r.fields).ok().map(|b| (r, b)))
        .collect())
}

/// A stock line as the panels list it: with its item's names and unit, and on hand.
pub(crate) fn stock_row(items: &[Item], line: &Record, s: &onemap_domain::entity::StockLine) -> StockRow {
    let item = items.iter().find(|i| i.code == s.item_code);
    StockRow {
        id: line.entity.id,
        item_zh: item.map_or_else(|| s.item_code.clone(), |i| i.name_zh.clone()),
        item_en: item.map_or_else(|| s.item_code.clone(), |i| i.name_en.clone()),
        unit_zh: item.map_or_else(String::new, |i| i.unit_zh.clone()),
        item_code: s.item_code.clone(),
        on_hand: line.balances.get(account::ON_HAND).copied().unwrap_or(0),
        reserved: line.balances.get(account::RESERVED).copied().unwrap_or(0),
        available: crate::allocation::LineBalance::of(line).available(),
        reserve_mode: s.reserve_mode.clone(),
        expiry: s.expiry.clone(),
        activation_hours: s.activation_hours,
    }
}

pub(crate) fn enum_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        other => unreachable!("unit enums serialise to strings, got {other:?}"),
    }
}
