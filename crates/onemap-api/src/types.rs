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
    pub reserve_mode: String,
    pub expiry: Option<String>,
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
