//! The entities of the situation picture and the rules a new or edited record must satisfy.
//! A validated [`Draft`] turns into a map of fields; the store merges fields per field
//! (last writer wins) and keeps quantities (stock on hand, shelter occupancy) as ledgers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use ts_rs::TS;
use uuid::Uuid;

use crate::admin::{AdminCode, Tier};
use crate::error::FieldError;
use crate::geo::Point;
use crate::taxonomy::{Taxonomy, Vocabulary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EntityKind {
    Jurisdiction,
    Centre,
    Incident,
    Team,
    Warehouse,
    StockLine,
    Shelter,
    Hazard,
    Task,
    Journal,
    Shift,
    Dispatch,
    Allocation,
    Expert,
    TeamRequest,
}

impl EntityKind {
    pub const ALL: [EntityKind; 15] = [
        Self::Jurisdiction,
        Self::Centre,
        Self::Incident,
        Self::Team,
        Self::Warehouse,
        Self::StockLine,
        Self::Shelter,
        Self::Hazard,
        Self::Task,
        Self::Journal,
        Self::Shift,
        Self::Dispatch,
        Self::Allocation,
        Self::Expert,
        Self::TeamRequest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jurisdiction => "jurisdiction",
            Self::Centre => "centre",
            Self::Incident => "incident",
            Self::Team => "team",
            Self::Warehouse => "warehouse",
            Self::StockLine => "stock_line",
            Self::Shelter => "shelter",
            Self::Hazard => "hazard",
            Self::Task => "task",
            Self::Journal => "journal",
            Self::Shift => "shift",
            Self::Dispatch => "dispatch",
            Self::Allocation => "allocation",
            Self::Expert => "expert",
            Self::TeamRequest => "team_request",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Stable id for a record identified by a natural key (an admin code, a fixture key):
    /// every replica that loads the same record derives the same id.
    pub fn id_for_key(self, key: &str) -> Uuid {
        const NAMESPACE: Uuid = Uuid::from_u128(0x6f6e_656d_6170_4f4e_454d_4150_6b65_7973);
        Uuid::new_v5(&NAMESPACE, format!("{}:{key}", self.as_str()).as_bytes())
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The identity of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub id: Uuid,
}

/// Ledger accounts: quantities that are summed from movements, never overwritten.
pub mod account {
    /// Units of an item on hand in a stock line.
    pub const ON_HAND: &str = "on_hand";
    /// People currently placed in a shelter.
    pub const OCCUPANCY: &str = "occupancy";
    /// Units of a stock line promised to allocations not yet shipped (available = on hand −
    /// reserved).
    pub const RESERVED: &str = "reserved";

    /// Units of an item delivered to an incident or a shelter by allocations.
    pub fn supplies(item_code: &str) -> String {
        format!("supplies_{item_code}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TeamStatus {
    /// 待命
    Standby,
    /// 已调派
    Dispatched,
    /// 出发
    EnRoute,
    /// 到达
    OnScene,
    /// 返回
    Returning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IncidentStatus {
    Active,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Jurisdiction {
    pub code: AdminCode,
    pub tier: Tier,
    pub name_zh: String,
    pub name_en: String,
    pub parent: Option<AdminCode>,
    pub seat: Point,
    pub population: u64,
    pub area_km2: f64,
    pub valid_from: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Centre {
    pub name_zh: String,
    pub name_en: String,
    pub jurisdiction: AdminCode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EquipmentLine {
    pub name: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Team {
    pub name: String,
    pub team_type: String,
    pub specialties: Vec<String>,
    pub headcount: u32,
    pub equipment: Vec<EquipmentLine>,
    /// The jurisdiction whose government commands the team (dispatch authority).
    pub owner: AdminCode,
    /// Where the team is based.
    pub base: AdminCode,
    pub location: Point,
    /// Minutes from call-out to departure.
    pub readiness_min: u32,
    pub status: TeamStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Warehouse {
    pub name: String,
    pub kind: String,
    /// The tier of the government that owns the stock (代储: owner tier ≠ where it sits).
    pub tier: Tier,
    pub owner: AdminCode,
    /// The organisation that physically holds the stock.
    pub holder: String,
    pub jurisdiction: AdminCode,
    pub location: Point,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StockLine {
    pub warehouse: Uuid,
    pub item_code: String,
    pub reserve_mode: String,
    /// ISO date (YYYY-MM-DD) after which the item must be rotated.
    pub expiry: Option<String>,
    /// Hours for an agreement or capacity reserve to become available.
    pub activation_hours: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Shelter {
    pub name: String,
    pub shelter_type: String,
    pub jurisdiction: AdminCode,
    pub location: Point,
    pub effective_area_m2: f64,
    /// Per-capita effective area standard applied (m² per person).
    pub per_capita_m2: f64,
    pub facilities: Vec<String>,
    /// Closed to new arrivals (damaged, flooded, or stood down); people already placed stay
    /// on its ledger until they leave.
    #[serde(default)]
    pub closed: bool,
}

impl Shelter {
    /// Capacity in persons: effective area divided by the per-capita standard.
    pub fn capacity(&self) -> u64 {
        (self.effective_area_m2 / self.per_capita_m2).floor() as u64
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Hazard {
    pub name: String,
    pub hazard_kind: String,
    pub grade: String,
    pub jurisdiction: AdminCode,
    pub location: Point,
    pub threatened_people: u32,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Casualties {
    pub dead: u32,
    pub missing: u32,
    pub injured: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Incident {
    pub title: String,
    pub category: String,
    pub subtype: String,
    /// Event grade 1 (Ⅰ 特别重大) … 4 (Ⅳ 一般); `None` until graded.
    pub grade: Option<u8>,
    pub jurisdiction: AdminCode,
    pub location: Point,
    /// Onset time, RFC 3339.
    pub onset: String,
    pub casualties: Casualties,
    pub affected: u32,
    pub relocated: u32,
    pub houses_damaged: u32,
    #[ts(type = "number")]
    pub direct_loss_cny: u64,
    pub status: IncidentStatus,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Task {
    pub incident: Uuid,
    pub title: String,
    pub owner: String,
    /// Due time, RFC 3339.
    pub due: String,
    pub done: bool,
    /// The response decision whose level laid this step out (a plan checklist step).
    #[serde(default)]
    pub decision: Option<Uuid>,
    /// The plan action it carries out (its id in the plan's level checklist).
    #[serde(default)]
    pub step: Option<String>,
}

/// A duty shift (值班): who is on duty at a centre and when, and the handover note the
/// outgoing shift leaves for the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Shift {
    /// The centre's jurisdiction.
    pub jurisdiction: AdminCode,
    /// RFC 3339.
    pub starts: String,
    pub ends: String,
    /// 带班领导
    pub leader: String,
    /// 值班员
    pub officers: Vec<String>,
    pub phone: String,
    /// 交班记录: what the shift hands over (open matters, pending reports), written at its end.
    #[serde(default)]
    pub handover: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JournalEntry {
    pub incident: Option<Uuid>,
    /// Time of the event recorded, RFC 3339.
    pub at: String,
    pub text: String,
}

/// A dispatch order (调派令): a team sent to an incident. Its progress is one timestamp per
/// stage (see `dispatch::Stage`), each set once, so merged progress only moves forward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dispatch {
    pub incident: Uuid,
    pub team: Uuid,
    /// The step of the incident's checklist the team carries out, if any.
    #[serde(default)]
    pub task: Option<Uuid>,
    /// The centre that gave the order (its jurisdiction).
    pub ordered_by: AdminCode,
    pub reason: String,
    /// Estimated minutes to arrive when ordered (readiness + travel).
    pub eta_min: f64,
    /// RFC 3339 times of each stage.
    pub dispatched_at: String,
    #[serde(default)]
    pub departed_at: Option<String>,
    #[serde(default)]
    pub arrived_at: Option<String>,
    #[serde(default)]
    pub returning_at: Option<String>,
    #[serde(default)]
    pub stood_down_at: Option<String>,
    #[serde(default)]
    pub cancelled_at: Option<String>,
}

/// A stock allocation (调拨单): units of one stock line sent to an incident or a shelter.
/// The quantities live in ledgers (reserved and on hand on the line, delivered supplies at
/// the destination); this record holds the order and one timestamp per stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Allocation {
    pub line: Uuid,
    pub item_code: String,
    #[ts(type = "number")]
    pub quantity: u64,
    /// Where the supplies go: an incident or a shelter.
    pub to: EntityRef,
    /// The centre that gave the order (its jurisdiction).
    pub ordered_by: AdminCode,
    pub reason: String,
    /// RFC 3339 times of each stage.
    pub reserved_at: String,
    /// When an agreement or capacity reserve can ship (reservation + activation delay).
    #[serde(default)]
    pub ready_at: Option<String>,
    #[serde(default)]
    pub shipped_at: Option<String>,
    #[serde(default)]
    pub received_at: Option<String>,
    #[serde(default)]
    pub cancelled_at: Option<String>,
}

/// A request for a team this centre may not order (调动申请), put to the centre one tier up;
/// the answers are events appended to it (see `request`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamRequest {
    pub incident: Uuid,
    pub team: Uuid,
    /// The asking centre.
    pub from: AdminCode,
    /// The centre first asked (one tier up).
    pub to: AdminCode,
    pub reason: String,
    /// RFC 3339.
    pub requested_at: String,
}

/// Where an expert stands in a centre's expert system (S3: 专家组 and 专家库; S4: 首席专家).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExpertTier {
    /// 首席专家
    Chief,
    /// 专家组: consulted first.
    Group,
    /// 专家库
    Pool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExpertStatus {
    /// In the pool.
    Active,
    /// Left it (进入退出机制): kept for the record, not consulted.
    Withdrawn,
}

/// An expert of a centre's expert pool (专家库).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Expert {
    pub name: String,
    /// 专业领域, as the pool records them.
    pub fields: Vec<String>,
    /// The event categories the expert covers (taxonomy `category` ids).
    pub event_classes: Vec<String>,
    pub tier: ExpertTier,
    pub organisation: String,
    pub phone: String,
    /// The centre whose pool it is.
    pub jurisdiction: AdminCode,
    pub status: ExpertStatus,
}

/// The serde tag of [`EntityBody`]; not a field of any record.
const BODY_TAG: &str = "entity_kind";

/// The typed content of a record of each kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
/// JSON: the record's fields plus `entity_kind` naming the variant.
#[serde(tag = "entity_kind", rename_all = "snake_case")]
#[ts(export)]
pub enum EntityBody {
    Jurisdiction(Jurisdiction),
    Centre(Centre),
    Incident(Incident),
    Team(Team),
    Warehouse(Warehouse),
    StockLine(StockLine),
    Shelter(Shelter),
    Hazard(Hazard),
    Task(Task),
    Journal(JournalEntry),
    Shift(Shift),
    Dispatch(Dispatch),
    Allocation(Allocation),
    Expert(Expert),
    TeamRequest(TeamRequest),
}

impl EntityBody {
    pub fn kind(&self) -> EntityKind {
        match self {
            Self::Jurisdiction(_) => EntityKind::Jurisdiction,
            Self::Centre(_) => EntityKind::Centre,
            Self::Incident(_) => EntityKind::Incident,
            Self::Team(_) => EntityKind::Team,
            Self::Warehouse(_) => EntityKind::Warehouse,
            Self::StockLine(_) => EntityKind::StockLine,
            Self::Shelter(_) => EntityKind::Shelter,
            Self::Hazard(_) => EntityKind::Hazard,
            Self::Task(_) => EntityKind::Task,
            Self::Journal(_) => EntityKind::Journal,
            Self::Shift(_) => EntityKind::Shift,
            Self::Dispatch(_) => EntityKind::Dispatch,
            Self::Allocation(_) => EntityKind::Allocation,
            Self::Expert(_) => EntityKind::Expert,
            Self::TeamRequest(_) => EntityKind::TeamRequest,
        }
    }

    /// The jurisdiction that controls this record — whose centre may change it (or one
    /// above): a team's or warehouse's owner; a stock line's warehouse's, a task's or
    /// journal line's incident's (read from their scoped ids); else where it lies.
    pub fn controlling(&self) -> Option<AdminCode> {
        match self {
            Self::Jurisdiction(j) => Some(j.code.clone()),
            Self::Centre(c) => Some(c.jurisdiction.clone()),
            Self::Incident(i) => Some(i.jurisdiction.clone()),
            Self::Team(t) => Some(t.owner.clone()),
            Self::Warehouse(w) => Some(w.owner.clone()),
            Self::StockLine(l) => AdminCode::scope_of(&l.warehouse),
            Self::Shelter(s) => Some(s.jurisdiction.clone()),
            Self::Hazard(h) => Some(h.jurisdiction.clone()),
            Self::Task(t) => AdminCode::scope_of(&t.incident),
            Self::Journal(j) => j.incident.as_ref().and_then(AdminCode::scope_of),
            Self::Shift(s) => Some(s.jurisdiction.clone()),
            Self::Dispatch(d) => Some(d.ordered_by.clone()),
            Self::Allocation(a) => Some(a.ordered_by.clone()),
            Self::Expert(e) => Some(e.jurisdiction.clone()),
            Self::TeamRequest(r) => Some(r.from.clone()),
        }
    }

    /// The id of this record with natural key `key` (every replica derives the same),
    /// scoped to its controlling jurisdiction when it has one.
    pub fn id_for_key(&self, key: &str) -> Uuid {
        let plain = self.kind().id_for_key(key);
        self.controlling().map_or(plain, |c| c.scoped_id(plain.into_bytes()))
    }

    /// Checks every rule that does not need other records (ids referenced are checked by
    /// the caller that can see the store).
    pub fn validate(&self, tax: &Taxonomy) -> Result<(), FieldError> {
        match self {
            Self::Jurisdiction(j) => {
                if j.code.tier() != j.tier {
                    return Err(FieldError::new(
                        "tier",
                        format!("code {} denotes tier {:?}, not {:?}", j.code, j.code.tier(), j.tier),
                    ));
                }
                if j.parent != j.code.parent() {
                    return Err(FieldError::new(
                        "parent_code",
                        format!("the parent of {} is {:?}", j.code, j.code.parent().map(String::from)),
                    ));
                }
                non_empty("name_zh", &j.name_zh)?;
                non_negative("area_km2", j.area_km2)
            }
            Self::Centre(c) => non_empty("name_zh", &c.name_zh),
            Self::Incident(i) => {
                non_empty("title", &i.title)?;
                tax.expect("category", Vocabulary::Category, &i.category)?;
                tax.expect("subtype", Vocabulary::Subtype(&i.category), &i.subtype)?;
                if let Some(g) = i.grade {
                    if !(1..=4).contains(&g) {
                        return Err(FieldError::new("grade", format!("{g} is not a grade; expected 1 (Ⅰ) to 4 (Ⅳ)")));
                    }
                    if tax.category(&i.category).is_some_and(|c| !c.graded) {
                        return Err(FieldError::new("grade", format!("category `{}` is not graded", i.category)));
                    }
                }
                rfc3339("onset", &i.onset)
            }
            Self::Team(t) => {
                non_empty("name", &t.name)?;
                tax.expect("team_type", Vocabulary::TeamType, &t.team_type)?;
                for s in &t.specialties {
                    tax.expect("specialties", Vocabulary::Specialty, s)?;
                }
                if t.headcount == 0 {
                    return Err(FieldError::new("headcount", "a team has at least one member"));
                }
                if let Some(e) = t.equipment.iter().find(|e| e.name.trim().is_empty()) {
                    return Err(FieldError::new(
                        "equipment",
                        format!("an equipment line with count {} has no name", e.count),
                    ));
                }
                Ok(())
            }
            Self::Warehouse(w) => {
                non_empty("name", &w.name)?;
                non_empty("holder", &w.holder)?;
                tax.expect("kind", Vocabulary::WarehouseKind, &w.kind)?;
                if w.owner.tier() != w.tier {
                    return Err(FieldError::new(
                        "owner_code",
                        format!(
                            "owner {} is a {:?} code but the warehouse tier is {:?}",
                            w.owner,
                            w.owner.tier(),
                            w.tier
                        ),
                    ));
                }
                Ok(())
            }
            Self::StockLine(s) => {
                non_empty("item_code", &s.item_code)?;
                tax.expect("reserve_mode", Vocabulary::ReserveMode, &s.reserve_mode)?;
                if let Some(e) = &s.expiry {
                    chrono::NaiveDate::parse_from_str(e, "%Y-%m-%d")
                        .map_err(|err| FieldError::new("expiry", format!("`{e}` is not a YYYY-MM-DD date: {err}")))?;
                }
                match (s.reserve_mode.as_str(), s.activation_hours) {
                    ("physical", Some(h)) => Err(FieldError::new(
                        "activation_hours",
                        format!("physical stock is available at once; got {h} h"),
                    )),
                    ("agreement" | "capacity", None) => Err(FieldError::new(
                        "activation_hours",
                        "an agreement or capacity reserve needs its activation delay in hours",
                    )),
                    _ => Ok(()),
                }
            }
            Self::Shelter(s) => {
                non_empty("name", &s.name)?;
                tax.expect("shelter_type", Vocabulary::ShelterType, &s.shelter_type)?;
                non_negative("effective_area_m2", s.effective_area_m2)?;
                if !(s.per_capita_m2.is_finite() && s.per_capita_m2 > 0.0) {
                    return Err(FieldError::new(
                        "per_capita_m2",
                        format!("{} must be a positive area per person", s.per_capita_m2),
                    ));
                }
                Ok(())
            }
            Self::Hazard(h) => {
                non_empty("name", &h.name)?;
                tax.expect("hazard_kind", Vocabulary::HazardKind, &h.hazard_kind)?;
                tax.expect("grade", Vocabulary::HazardGrade(&h.hazard_kind), &h.grade)
            }
            Self::Task(t) => {
                non_empty("title", &t.title)?;
                rfc3339("due", &t.due)
            }
            Self::Journal(j) => {
                non_empty("text", &j.text)?;
                rfc3339("at", &j.at)
            }
            Self::Shift(s) => {
                non_empty("leader", &s.leader)?;
                if s.officers.iter().all(|o| o.trim().is_empty()) {
                    return Err(FieldError::new("officers", "a shift has at least one duty officer"));
                }
                rfc3339("starts", &s.starts)?;
                rfc3339("ends", &s.ends)?;
                let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
                if at(&s.ends) <= at(&s.starts) {
                    return Err(FieldError::new("ends", format!("{} is not after the start {}", s.ends, s.starts)));
                }
                Ok(())
            }
            Self::Dispatch(d) => {
                non_empty("reason", &d.reason)?;
                non_negative("eta_min", d.eta_min)?;
                for (stage, at) in d.stages() {
                    rfc3339(stage.field(), at)?;
                }
                Ok(())
            }
            Self::Allocation(a) => {
                non_empty("reason", &a.reason)?;
                non_empty("item_code", &a.item_code)?;
                if a.quantity == 0 {
                    return Err(FieldError::new("quantity", "an allocation moves at least one unit"));
                }
                if !matches!(a.to.kind, EntityKind::Incident | EntityKind::Shelter) {
                    return Err(FieldError::new(
                        "to",
                        format!("supplies go to an incident or a shelter, not a {}", a.to.kind),
                    ));
                }
                for (stage, at) in a.stages() {
                    rfc3339(stage.field(), at)?;
                }
                if let Some(t) = &a.ready_at {
                    rfc3339("ready_at", t)?;
                }
                Ok(())
            }
            Self::TeamRequest(r) => {
                non_empty("reason", &r.reason)?;
                if r.from.parent().as_ref() != Some(&r.to) {
                    return Err(FieldError::new(
                        "to",
                        format!("a request from {} goes to the tier above it, not to {}", r.from, r.to),
                    ));
                }
                rfc3339("requested_at", &r.requested_at)
            }
            Self::Expert(e) => {
                non_empty("name", &e.name)?;
                non_empty("organisation", &e.organisation)?;
                if e.fields.is_empty() {
                    return Err(FieldError::new("fields", "an expert has at least one field"));
                }
                if e.event_classes.is_empty() {
                    return Err(FieldError::new("event_classes", "an expert covers at least one event category"));
                }
                for c in &e.event_classes {
                    tax.expect("event_classes", Vocabulary::Category, c)?;
                }
                if !e.phone.chars().all(|c| c.is_ascii_digit() || "-+ ()".contains(c)) || e.phone.trim().is_empty() {
                    return Err(FieldError::new("phone", format!("`{}` is not a phone number", e.phone)));
                }
                Ok(())
            }
        }
    }

    /// The record as a map of top-level fields (the unit of last-writer-wins merging).
    pub fn to_fields(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(mut m)) => {
                m.remove(BODY_TAG);
                m
            }
            other => unreachable!("an entity body always serialises to an object, got {other:?}"),
        }
    }

    /// Rebuilds a typed record from its merged fields.
    pub fn from_fields(kind: EntityKind, fields: &Map<String, Value>) -> Result<Self, serde_json::Error> {
        let mut m = fields.clone();
        m.remove("demo");
        m.remove("deleted");
        m.insert(BODY_TAG.into(), Value::String(kind.as_str().into()));
        serde_json::from_value(Value::Object(m))
    }
}

/// A validated record ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub entity: EntityRef,
    pub body: EntityBody,
    /// Demonstration data is marked so it can never pass for real records.
    pub demo: bool,
}

impl Draft {
    pub fn new(id: Uuid, body: EntityBody, demo: bool, tax: &Taxonomy) -> Result<Self, FieldError> {
        body.validate(tax)?;
        Ok(Self { entity: EntityRef { kind: body.kind(), id }, body, demo })
    }

    pub fn fields(&self) -> Map<String, Value> {
        let mut m = self.body.to_fields();
        if self.demo {
            m.insert("demo".into(), Value::Bool(true));
        }
        m
    }
}

fn non_empty(field: &str, s: &str) -> Result<(), FieldError> {
    if s.trim().is_empty() { Err(FieldError::new(field, "must not be empty")) } else { Ok(()) }
}

fn non_negative(field: &str, v: f64) -> Result<(), FieldError> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(FieldError::new(field, format!("{v} must be a non-negative number")))
    }
}

fn rfc3339(field: &str, s: &str) -> Result<(), FieldError> {
    chrono::DateTime::parse_from_rfc3339(s).map(|_| ()).map_err(|e| {
        FieldError::new(field, format!("`{s}` is not an RFC 3339 time (e.g. 2025-08-12T14:30:00+08:00): {e}"))
    })
}
