//! Request and response types of the API (exported to TypeScript).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;
use uuid::Uuid;

use onemap_domain::entity::{EntityBody, EntityKind, EntityRef};
use onemap_domain::fixtures::Item;
use onemap_domain::{Point, Taxonomy, Tier};
use onemap_store::Record;

/// Everything a host can ask. JSON: `{"method": "...", "params": {...}}`.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(tag = "method", content = "params", rename_all = "snake_case")]
#[ts(export)]
pub enum Request {
    /// Who this node is, the region it shows, the taxonomy and catalogue.
    Bootstrap,
    /// The situation layers as map features.
    Layers,
    /// One record with what the detail panel shows about it.
    Entity { entity: EntityRef },
    /// Map features changed since a change-feed position (from `Layers` or a previous call).
    Changes {
        #[ts(type = "number")]
        since: u64,
        /// Wait up to this long (ms, at most 25,000) for a change after `since` before
        /// answering (a long poll: the console hears of a commit at once).
        #[serde(default)]
        #[ts(optional)]
        wait_ms: Option<u32>,
    },
    /// Create or edit a record (an operator write). A new record gets a fresh id.
    Upsert { id: Option<Uuid>, body: EntityBody },
    /// The state of this node's sync links to other centres.
    Links,
    /// A ledger movement: stock received or issued, evacuees placed or leaving.
    Move {
        entity: EntityRef,
        account: String,
        #[ts(type = "number")]
        delta: i64,
        reason: String,
    },
    /// Ops this node refused (forged, or beyond their origin's rights), newest first.
    Quarantine,
    /// Places and records whose name, pinyin initials or admin code match `q`.
    Search { q: String, limit: Option<u32> },
    /// What is near an incident: teams by travel time, stock and shelters by distance.
    Nearby { incident: Uuid },
    /// The figures of the KPI panels and charts.
    Stats,
    /// What the command hall's wall shows.
    Wall,
    /// An operator chooses what the wall shows; the wall follows.
    SetWall { control: WallControl },
    /// The grade and plans (with level and reasons) an incident's class, place and facts suggest.
    Suggest { category: String, subtype: String, jurisdiction: String, facts: onemap_domain::grading::Facts },
    /// The plan templates.
    Plans,
    /// Start, upgrade, downgrade or end a plan's response to an incident.
    Decide(crate::response::DecideRequest),
    /// An incident's responses: state, decisions, checklists.
    Responses { incident: Uuid },
    /// File an initial, follow-up or final report on an incident.
    FileReport(crate::reports::FileReportRequest),
    /// An incident's reports and reporting deadlines.
    Reports { incident: Uuid },
    /// The situation picture as the log records it at a moment (Unix ms), and the span the
    /// log covers.
    PictureAt {
        #[ts(type = "number")]
        at_ms: i64,
    },
    /// An incident's journal: every op on it and its checklist, by time.
    Journal { incident: Uuid },
    /// The duty log between two moments (Unix ms): what was received, sent, decided, done.
    DutyLog {
        #[ts(type = "number")]
        from_ms: i64,
        #[ts(type = "number")]
        to_ms: i64,
    },
    /// What operators must act on now: overdue checklist steps and reports, decision
    /// conflicts, over every active incident.
    Alerts,
    /// A filed report as a printable PDF.
    ReportPdf { incident: Uuid, report: Uuid },
    /// The teams to send to an incident: the forces its response level needs, the teams
    /// that arrive first, and why.
    Recommend { incident: Uuid },
    /// Order a team to an incident (the team must be standing by and this centre's to order).
    Dispatch(crate::dispatch::DispatchRequest),
    /// Move a dispatch order to its next stage (departed, arrived, returning, stood down,
    /// cancelled); the team's status follows.
    DispatchStage { order: Uuid, stage: onemap_domain::dispatch::Stage },
    /// The dispatch orders of an incident (of every incident when none), newest first.
    Dispatches { incident: Option<Uuid> },
    /// Reserve units of a stock line for an incident or a shelter.
    Allocate(crate::allocation::AllocateRequest),
    /// Move an allocation to its next stage (shipped, received, cancelled).
    AllocationStage { allocation: Uuid, stage: onemap_domain::allocation::AllocStage },
    /// The allocations to a destination (every allocation when none), newest first.
    Allocations { to: Option<EntityRef> },
    /// Where supplies for a destination (an incident or a shelter) can come from: every
    /// warehouse by distance, with its lines' available quantities and this centre's authority.
    StockFor { to: EntityRef },
    /// The readiness table (一张表) of the region's county and townships.
    Readiness,
    /// Check a registry file (and, with `commit`, import it when no row is bad).
    Import(crate::import::ImportRequest),
    /// How far the running import is.
    ImportProgress,
    /// A registry as a CSV, XLSX, GeoJSON or KML file.
    Export { registry: crate::import::Registry, format: crate::import::FileFormat },
    /// The experts in the pool who cover an event category (every active expert when none):
    /// chief first, then the group, then the pool.
    Experts { category: Option<String> },
    /// Ask the tier above for a team this centre may not order (逐级调动).
    RequestTeam(crate::dispatch::DispatchRequest),
    /// The team requests this centre made or is asked to answer, newest first.
    TeamRequests,
    /// The asked centre's answer to a team request: order the team, pass it up, or decline.
    AnswerRequest { request: Uuid, answer: crate::dispatch::Answer, note: String },
}

impl Request {
    /// Whether the request changes anything (a read-only view may not send it).
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Self::Upsert { .. }
                | Self::Move { .. }
                | Self::SetWall { .. }
                | Self::Decide(_)
                | Self::FileReport(_)
                | Self::Dispatch(_)
                | Self::DispatchStage { .. }
                | Self::Allocate(_)
                | Self::AllocationStage { .. }
                | Self::Import(crate::import::ImportRequest { commit: true, .. })
                | Self::RequestTeam(_)
                | Self::AnswerRequest { .. }
        )
    }
}

/// The answer to a [`Request`], tagged with the same method name.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "method", content = "result", rename_all = "snake_case")]
#[ts(export)]
pub enum Response {
    Bootstrap(Box<Bootstrap>),
    Layers(Layers),
    Entity(Box<EntityDetail>),
    Changes(Changes),
    Links(Vec<LinkStatus>),
    Upsert(Committed),
    Move(Committed),
    Quarantine(Vec<onemap_store::Quarantined>),
    Search(Vec<SearchHit>),
    Nearby(Box<Nearby>),
    Stats(Box<Stats>),
    Wall(WallState),
    SetWall(WallState),
    Suggest(crate::response::Suggested),
    Plans(Vec<onemap_domain::plan::Plan>),
    Decide(Box<crate::response::ResponseView>),
    Responses(Vec<crate::response::ResponseView>),
    FileReport(Box<crate::reports::ReportsView>),
    Reports(Box<crate::reports::ReportsView>),
    PictureAt(crate::replay::Picture),
    Journal(Vec<crate::replay::JournalLine>),
    DutyLog(crate::duty::DutyLog),
    Alerts(Vec<crate::response::Alert>),
    ReportPdf(crate::reports::PdfFile),
    Recommend(Box<crate::dispatch::Recommendation>),
    Dispatch(Box<crate::dispatch::DispatchView>),
    DispatchStage(Box<crate::dispatch::DispatchView>),
    Dispatches(Vec<crate::dispatch::DispatchView>),
    Allocate(Box<crate::allocation::AllocationView>),
    AllocationStage(Box<crate::allocation::AllocationView>),
    Allocations(Vec<crate::allocation::AllocationView>),
    StockFor(Vec<NearWarehouse>),
    Readiness(Box<crate::readiness::Readiness>),
    Import(Box<crate::import::ImportReport>),
    ImportProgress(crate::import::ImportProgress),
    Export(Box<crate::import::ExportFile>),
    Experts(Vec<crate::dispatch::ExpertRow>),
    RequestTeam(Box<crate::dispatch::TeamRequestView>),
    TeamRequests(Vec<crate::dispatch::TeamRequestView>),
    AnswerRequest(Box<crate::dispatch::TeamRequestView>),
}

/// A search result: a jurisdiction (with its tier, admin code and extent) or a record of a
/// situation layer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SearchHit {
    /// The record's layer; `None` for a jurisdiction.
    pub layer: Option<Layer>,
    /// The record's id; `None` for a jurisdiction.
    pub id: Option<Uuid>,
    /// The jurisdiction's 12-digit admin code; `None` for a record.
    pub code: Option<String>,
    pub tier: Option<Tier>,
    pub name_zh: String,
    pub name_en: String,
    /// The record's location, or the jurisdiction's seat.
    pub point: Point,
    /// West, south, east, north, when the jurisdiction's boundary is known.
    pub bounds: Option<[f64; 4]>,
    pub matched: Matched,
}

/// How a search hit matched the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Matched {
    /// The Chinese or English name.
    Name,
    /// Pinyin initials (东昌区 → dcq) or full pinyin (dongchangqu).
    Pinyin,
    /// The admin code or its leading digits.
    Code,
}

/// What can reach an incident, and where its people can go.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Nearby {
    pub incident: Uuid,
    pub location: Point,
    /// Teams by estimated travel time, fastest first.
    pub teams: Vec<NearTeam>,
    /// Warehouses by distance, with their stock.
    pub warehouses: Vec<NearWarehouse>,
    /// Shelters with free places, by distance.
    pub shelters: Vec<NearShelter>,
    /// How travel times are estimated (shown beside them).
    pub method_zh: String,
    pub method_en: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct NearTeam {
    pub id: Uuid,
    pub name: String,
    pub team_type: String,
    pub status: String,
    pub headcount: u32,
    pub km: f64,
    /// Minutes from call-out to departure.
    pub readiness_min: u32,
    /// Estimated minutes from call-out to arrival: readiness plus travel.
    pub minutes: f64,
    /// Standing by, so it can be dispatched now.
    pub available: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct NearWarehouse {
    pub id: Uuid,
    pub name: String,
    pub tier: String,
    pub km: f64,
    pub stock: Vec<StockRow>,
    /// Whether this centre allocates from it, or asks up the hierarchy.
    pub authority: onemap_domain::dispatch::Authority,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct NearShelter {
    pub id: Uuid,
    pub name: String,
    pub km: f64,
    #[ts(type = "number")]
    pub capacity: u64,
    #[ts(type = "number")]
    pub occupancy: i64,
    #[ts(type = "number")]
    pub free: i64,
}

/// The figures behind the wall's KPI panels and the charts.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Stats {
    /// Active incidents by grade: index 0 ungraded, 1–4 grades Ⅰ–Ⅳ.
    pub active_by_grade: [u32; 5],
    pub active: u32,
    pub closed: u32,
    /// Incidents (active and closed) by category, each by grade (index 0 ungraded).
    pub by_category: Vec<CategoryCount>,
    /// Teams by status (`standby`, `dispatched`, …), in the taxonomy's order of the lifecycle.
    pub teams: Vec<Count>,
    /// People in all teams.
    pub team_people: u32,
    pub shelters: ShelterTotals,
    /// Stock on hand by item class, now.
    pub stock: Vec<StockClass>,
    /// Stock on hand by item class over time, from the ledger in the op log.
    pub stock_history: Vec<StockPoint>,
    /// The width of one history step, in seconds (3,600 or 86,400).
    pub history_step_secs: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Count {
    pub key: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CategoryCount {
    pub category: String,
    pub name_zh: String,
    pub name_en: String,
    pub by_grade: [u32; 5],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[ts(export)]
pub struct ShelterTotals {
    pub count: u32,
    #[ts(type = "number")]
    pub capacity: u64,
    #[ts(type = "number")]
    pub occupancy: i64,
    pub full: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StockClass {
    /// The catalogue's item class (`living`, …).
    pub class: String,
    #[ts(type = "number")]
    pub on_hand: i64,
    pub lines: u32,
}

/// Stock on hand of one class at the end of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StockPoint {
    /// Start of the step (Unix ms).
    #[ts(type = "number")]
    pub at_ms: i64,
    pub class: String,
    #[ts(type = "number")]
    pub on_hand: i64,
}

/// What an operator asks the wall to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WallControl {
    /// The incident to keep in the spotlight; `None` rotates through the active ones.
    pub spotlight: Option<Uuid>,
    /// The layers shown.
    pub layers: Vec<Layer>,
    /// The jurisdiction framed (12-digit admin code); `None` for the console's region.
    pub region: Option<String>,
}

/// What the wall shows now; `version` grows with every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WallState {
    #[ts(type = "number")]
    pub version: u64,
    pub control: WallControl,
    /// Seconds each active incident stays in the spotlight while rotating.
    pub spotlight_secs: u32,
    /// The classification line of exports and the wall.
    pub classification: String,
}

/// One sync link as the node last saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LinkStatus {
    /// Where the peer is (its URL).
    pub peer: String,
    /// The peer's node id, once it has answered.
    pub node: Option<String>,
    pub up: bool,
    /// When a round last completed (Unix ms).
    #[ts(type = "number | null")]
    pub last_ok_ms: Option<i64>,
    /// Why the last round failed, while the link is down.
    pub error: Option<String>,
    /// Ops of the peer's log not yet read here.
    #[ts(type = "number")]
    pub behind: u64,
    /// Ops of this node's log the peer has not read yet.
    #[ts(type = "number")]
    pub ahead: u64,
    #[ts(type = "number")]
    pub sent_bytes: u64,
    #[ts(type = "number")]
    pub received_bytes: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Bootstrap {
    pub version: String,
    pub node: String,
    pub region: Region,
    pub demo: bool,
    pub taxonomy: Taxonomy,
    pub items: Vec<Item>,
    pub jurisdictions: Vec<JurisdictionSummary>,
    pub relief: ReliefConfig,
}

/// The relief clock's targets: hours after onset (`console.toml [relief]`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReliefConfig {
    pub targets: Vec<ReliefTarget>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReliefTarget {
    pub hours: u32,
    pub zh: String,
    pub en: String,
}

/// The area the console opens on.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Region {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub centre: Point,
    pub zoom: f64,
    /// West, south, east, north.
    pub bounds: [f64; 4],
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct JurisdictionSummary {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub tier: Tier,
    pub parent: Option<String>,
}

/// The map layers of the situation picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Layer {
    Incidents,
    Teams,
    Warehouses,
    Shelters,
    Hazards,
}

impl Layer {
    pub const ALL: [Layer; 5] = [Self::Incidents, Self::Teams, Self::Warehouses, Self::Shelters, Self::Hazards];

    pub fn kind(self) -> EntityKind {
        match self {
            Self::Incidents => EntityKind::Incident,
            Self::Teams => EntityKind::Team,
            Self::Warehouses => EntityKind::Warehouse,
            Self::Shelters => EntityKind::Shelter,
            Self::Hazards => EntityKind::Hazard,
        }
    }

    pub fn of(kind: EntityKind) -> Option<Layer> {
        Self::ALL.into_iter().find(|l| l.kind() == kind)
    }
}

/// A point feature of a situation layer, with the properties the style uses.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MapFeature {
    pub id: Uuid,
    pub layer: Layer,
    pub lon: f64,
    pub lat: f64,
    pub name: String,
    /// The styling class: team type, warehouse tier, shelter type, hazard kind, incident category.
    pub class: String,
    /// Team status, incident status, shelter open/full, hazard grade.
    pub status: String,
    /// Incident grade 1–4 (0 when ungraded or not an incident).
    pub grade: u8,
    /// The highest response level in force for an incident, 1 (Ⅰ) – 4 (Ⅳ); 0 for none.
    pub response: u8,
    pub demo: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Layers {
    pub features: Vec<MapFeature>,
    /// Change-feed position these features reflect; pass it to `changes`.
    #[ts(type = "number")]
    pub head: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Changes {
    /// Features added or changed.
    pub upserted: Vec<MapFeature>,
    /// Features removed (deleted records).
    pub removed: Vec<Uuid>,
    #[ts(type = "number")]
    pub head: u64,
}

/// A record with its derived figures, for the detail panel.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct EntityDetail {
    pub record: Record,
    /// Figures computed from the record and its ledgers (capacity, free places, …).
    #[ts(type = "Record<string, unknown>")]
    pub derived: Map<String, Value>,
    /// Stock lines of a warehouse, with item names and quantities on hand.
    pub stock: Vec<StockRow>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StockRow {
    pub id: Uuid,
    pub item_code: String,
    pub item_zh: String,
    pub item_en: String,
    pub unit_zh: String,
    #[ts(type = "number")]
    pub on_hand: i64,
    /// Promised to allocations not yet shipped.
    #[ts(type = "number")]
    pub reserved: i64,
    /// What can still be allocated: on hand less reserved.
    #[ts(type = "number")]
    pub available: i64,
    pub reserve_mode: String,
    pub expiry: Option<String>,
    /// Hours an agreement or capacity reserve takes to become available.
    pub activation_hours: Option<u32>,
}

/// An acknowledged write: the ops are durable.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Committed {
    pub entity: EntityRef,
    pub ops: usize,
    #[ts(type = "number")]
    pub head: u64,
}
