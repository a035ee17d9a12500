//! Parsing of fixture files (the demo region's CSV registries and the item catalogue) into
//! validated drafts. A file is accepted whole or not at all: every bad value is reported with
//! its file, line and field, and nothing of a file with any error is returned.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::admin::{AdminCode, Tier};
use crate::entity::{
    Casualties, Centre, Draft, EntityBody, EntityKind, EquipmentLine, Expert, Hazard, Incident, IncidentStatus,
    Jurisdiction, Shelter, StockLine, Team, Warehouse, account,
};
use crate::error::{Diagnostic, FieldError};
use crate::geo::Point;
use crate::taxonomy::Taxonomy;

/// The registries a fixture set may contain, in the order they must load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jurisdictions,
    Centres,
    Teams,
    Warehouses,
    Stock,
    Shelters,
    Hazards,
    Experts,
    Incidents,
}

impl FileKind {
    /// Recognises a registry by its file name (`teams.csv`).
    pub fn from_file_name(name: &str) -> Option<Self> {
        Some(match name.rsplit('/').next()? {
            "jurisdictions.csv" => Self::Jurisdictions,
            "centres.csv" => Self::Centres,
            "teams.csv" => Self::Teams,
            "warehouses.csv" => Self::Warehouses,
            "stock.csv" => Self::Stock,
            "shelters.csv" => Self::Shelters,
            "hazards.csv" => Self::Hazards,
            "experts.csv" => Self::Experts,
            "incidents.csv" => Self::Incidents,
            _ => return None,
        })
    }

    /// The registry's columns, in file order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Jurisdictions => &[
                "code",
                "name_zh",
                "name_en",
                "parent_code",
                "seat_lon",
                "seat_lat",
                "population",
                "area_km2",
                "valid_from",
            ],
            Self::Centres => &["key", "name_zh", "name_en", "jurisdiction_code"],
            Self::Teams => &[
                "key",
                "name",
                "team_type",
                "specialties",
                "headcount",
                "equipment",
                "owner_code",
                "base_code",
                "lon",
                "lat",
                "readiness_min",
                "status",
            ],
            Self::Warehouses => {
                &["key", "name", "kind", "tier", "owner_code", "holder", "jurisdiction_code", "lon", "lat"]
            }
            Self::Stock => {
                &["key", "warehouse_key", "item_code", "quantity", "reserve_mode", "expiry", "activation_hours"]
            }
            Self::Shelters => &[
                "key",
                "name",
                "shelter_type",
                "jurisdiction_code",
                "lon",
                "lat",
                "effective_area_m2",
                "per_capita_m2",
                "occupancy",
                "facilities",
            ],
            Self::Hazards => &[
                "key",
                "name",
                "hazard_kind",
                "grade",
                "jurisdiction_code",
                "lon",
                "lat",
                "threatened_people",
                "description",
            ],
            Self::Experts => &[
                "key",
                "name",
                "fields",
                "event_classes",
                "tier",
                "organisation",
                "phone",
                "jurisdiction_code",
                "status",
            ],
            Self::Incidents => &[
                "key",
                "title",
                "category",
                "subtype",
                "grade",
                "jurisdiction_code",
                "lon",
                "lat",
                "onset",
                "dead",
                "missing",
                "injured",
                "affected",
                "relocated",
                "houses_damaged",
                "direct_loss_cny",
                "status",
                "description",
            ],
        }
    }
}

/// One item of the supplies catalogue (`fixtures/catalogue/items.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Item {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_zh: String,
    pub unit_en: String,
    pub class: String,
}

/// A parsed row: the record to write and the ledger movements that set its quantities.
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureRow {
    pub line: u64,
    pub draft: Draft,
    pub movements: Vec<(&'static str, i64)>,
}

/// What earlier files of the set (or the store) already define, for cross-references.
#[derive(Debug, Default, Clone)]
pub struct Context {
    pub jurisdictions: BTreeSet<AdminCode>,
    pub warehouses: BTreeMap<String, Uuid>,
    pub items: BTreeSet<String>,
    /// Shelters' per-capita area standard by jurisdiction (`fixtures/shelters.toml`).
    pub per_capita_m2: BTreeMap<AdminCode, f64>,
}

impl Context {
    /// The per-capita area standard of the nearest jurisdiction configured at or above `code`.
    pub fn per_capita_standard(&self, code: &AdminCode) -> Option<f64> {
        std::iter::successors(Some(code.clone()), AdminCode::parent).find_map(|c| self.per_capita_m2.get(&c).copied())
    }
}

/// Parses the item catalogue.
pub fn parse_items(file: &str, text: &str) -> Result<Vec<Item>, Vec<Diagnostic>> {
    const COLS: &[&str] = &["code", "name_zh", "name_en", "unit_zh", "unit_en", "class"];
    let mut seen = BTreeSet::new();
    read_rows(file, text, COLS, |row| {
        let code = row.text("code")?;
        if code.len() != 7 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new("code", format!("`{code}` is not a 7-digit GB/T 38565 code")));
        }
        if !seen.insert(code.clone()) {
            return Err(FieldError::new("code", format!("`{code}` appears twice")));
        }
        Ok(Item {
            code,
            name_zh: row.text("name_zh")?,
            name_en: row.text("name_en")?,
            unit_zh: row.text("unit_zh")?,
            unit_en: row.text("unit_en")?,
            class: row.text("class")?,
        })
    })
}

/// Parses one registry CSV file. On success the context learns the keys the file defines.
pub fn parse_file(
    file: &str,
    kind: FileKind,
    text: &str,
    tax: &Taxonomy,
    ctx: &mut Context,
    demo: bool,
) -> Result<Vec<FixtureRow>, Vec<Diagnostic>> {
    let sheet = csv_sheet(file, text)?;
    parse_sheet(file, kind, &sheet, tax, ctx, demo)
}

/// A table of text cells from any file format: the header, and each row with where it is in
/// the source (a CSV line, a spreadsheet row, a feature's number).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Parses a registry's rows, whatever file they came from; the header must hold exactly the
/// registry's columns. Every bad row is reported (file, row, column); nothing is returned if
/// any is bad. On success the context learns the keys the rows define.
pub fn parse_sheet(
    file: &str,
    kind: FileKind,
    sheet: &Sheet,
    tax: &Taxonomy,
    ctx: &mut Context,
    demo: bool,
) -> Result<Vec<FixtureRow>, Vec<Diagnostic>> {
    let mut keys = BTreeSet::new();
    let mut new_codes = BTreeSet::new();
    let mut new_warehouses = BTreeMap::new();
    let rows = each_row(file, sheet, kind.columns(), |row| {
        let key_field = if kind == FileKind::Jurisdictions { "code" } else { "key" };
        let key = row.text(key_field)?;
        if !keys.insert(key.clone()) {
            return Err(FieldError::new(key_field, format!("`{key}` appears twice in this file")));
        }
        let known = |field: &str, code: &AdminCode| -> Result<(), FieldError> {
            if ctx.jurisdictions.contains(code) || new_codes.contains(code) {
                Ok(())
            } else {
                Err(FieldError::new(
                    field,
                    format!("jurisdiction {code} is not defined (load jurisdictions.csv first)"),
                ))
            }
        };
        let mut movements = Vec::new();
        let body = match kind {
            FileKind::Jurisdictions => {
                let code = row.code("code")?;
                let parent = row.opt_text("parent_code").map(|p| AdminCode::field("parent_code", &p)).transpose()?;
                if let Some(p) = &parent {
                    known("parent_code", p)?;
                }
                new_codes.insert(code.clone());
                EntityBody::Jurisdiction(Jurisdiction {
                    tier: code.tier(),
                    code,
                    name_zh: row.text("name_zh")?,
                    name_en: row.text("name_en")?,
                    parent,
                    seat: row.point("seat_lon", "seat_lat")?,
                    population: row.num("population")?,
                    area_km2: row.num("area_km2")?,
                    valid_from: row.num("valid_from")?,
                })
            }
            FileKind::Centres => {
                let jurisdiction = row.code("jurisdiction_code")?;
                known("jurisdiction_code", &jurisdiction)?;
                EntityBody::Centre(Centre {
                    name_zh: row.text("name_zh")?,
                    name_en: row.text("name_en")?,
                    jurisdiction,
                })
            }
            FileKind::Teams => {
                let (owner, base) = (row.code("owner_code")?, row.code("base_code")?);
                known("owner_code", &owner)?;
                known("base_code", &base)?;
                EntityBody::Team(Team {
                    name: row.text("name")?,
                    team_type: row.text("team_type")?,
                    specialties: row.list("specialties"),
                    headcount: row.num("headcount")?,
                    equipment: row.equipment("equipment")?,
                    owner,
                    base,
                    location: row.point("lon", "lat")?,
                    readiness_min: row.num("readiness_min")?,
                    status: row.enumeration("status")?,
                })
            }
            FileKind::Warehouses => {
                let (owner, jurisdiction) = (row.code("owner_code")?, row.code("jurisdiction_code")?);
                known("owner_code", &owner)?;
                known("jurisdiction_code", &jurisdiction)?;
                EntityBody::Warehouse(Warehouse {
                    name: row.text("name")?,
                    kind: row.text("kind")?,
                    tier: Tier::parse(&row.text("tier")?).map_err(|m| FieldError::new("tier", m))?,
                    owner,
                    holder: row.text("holder")?,
                    jurisdiction,
                    location: row.point("lon", "lat")?,
                })
            }
            FileKind::Stock => {
                let wkey = row.text("warehouse_key")?;
                let warehouse = *ctx
                    .warehouses
                    .get(&wkey)
                    .ok_or_else(|| FieldError::new("warehouse_key", format!("warehouse `{wkey}` is not defined")))?;
                let item_code = row.text("item_code")?;
                if !ctx.items.contains(&item_code) {
                    return Err(FieldError::new("item_code", format!("`{item_code}` is not in the item catalogue")));
                }
                let quantity: u32 = row.num("quantity")?;
                movements.push((account::ON_HAND, i64::from(quantity)));
                EntityBody::StockLine(StockLine {
                    warehouse,
                    item_code,
                    reserve_mode: row.text("reserve_mode")?,
                    expiry: row.opt_text("expiry"),
                    activation_hours: row.opt_num("activation_hours")?,
                })
            }
            FileKind::Shelters => {
                let jurisdiction = row.code("jurisdiction_code")?;
                known("jurisdiction_code", &jurisdiction)?;
                // No value: the standard configured for the jurisdiction (or above) applies.
                let per_capita_m2 = match row.opt_num("per_capita_m2")? {
                    Some(v) => v,
                    None => ctx.per_capita_standard(&jurisdiction).ok_or_else(|| {
                        FieldError::new(
                            "per_capita_m2",
                            format!("no value, and no standard is configured for {jurisdiction} or above"),
                        )
                    })?,
                };
                let shelter = Shelter {
                    name: row.text("name")?,
                    shelter_type: row.text("shelter_type")?,
                    jurisdiction,
                    location: row.point("lon", "lat")?,
                    effective_area_m2: row.num("effective_area_m2")?,
                    per_capita_m2,
                    facilities: row.list("facilities"),
                    closed: false,
                };
                let occupancy: u32 = row.num("occupancy")?;
                if u64::from(occupancy) > shelter.capacity() {
                    return Err(FieldError::new(
                        "occupancy",
                        format!("{occupancy} exceeds the capacity of {} persons", shelter.capacity()),
                    ));
                }
                movements.push((account::OCCUPANCY, i64::from(occupancy)));
                EntityBody::Shelter(shelter)
            }
            FileKind::Experts => {
                let jurisdiction = row.code("jurisdiction_code")?;
                known("jurisdiction_code", &jurisdiction)?;
                EntityBody::Expert(Expert {
                    name: row.text("name")?,
                    fields: row.list("fields"),
                    event_classes: row.list("event_classes"),
                    tier: row.enumeration("tier")?,
                    organisation: row.text("organisation")?,
                    phone: row.text("phone")?,
                    jurisdiction,
                    status: row.enumeration("status")?,
                })
            }
            FileKind::Hazards => {
                let jurisdiction = row.code("jurisdiction_code")?;
                known("jurisdiction_code", &jurisdiction)?;
                EntityBody::Hazard(Hazard {
                    name: row.text("name")?,
                    hazard_kind: row.text("hazard_kind")?,
                    grade: row.text("grade")?,
                    jurisdiction,
                    location: row.point("lon", "lat")?,
                    threatened_people: row.num("threatened_people")?,
                    description: row.opt_text("description").unwrap_or_default(),
                })
            }
            FileKind::Incidents => {
                let jurisdiction = row.code("jurisdiction_code")?;
                known("jurisdiction_code", &jurisdiction)?;
                EntityBody::Incident(Incident {
                    title: row.text("title")?,
                    category: row.text("category")?,
                    subtype: row.text("subtype")?,
                    grade: row.opt_num("grade")?,
                    jurisdiction,
                    location: row.point("lon", "lat")?,
                    onset: row.text("onset")?,
                    casualties: Casualties {
                        dead: row.num("dead")?,
                        missing: row.num("missing")?,
                        injured: row.num("injured")?,
                    },
                    affected: row.num("affected")?,
                    relocated: row.num("relocated")?,
                    houses_damaged: row.num("houses_damaged")?,
                    direct_loss_cny: row.num("direct_loss_cny")?,
                    status: row.enumeration::<IncidentStatus>("status")?,
                    description: row.opt_text("description").unwrap_or_default(),
                })
            }
        };
        // A key that is a record id (an export's) names that record; any other key is a
        // natural key the id is derived from.
        let id = match Uuid::parse_str(&key) {
            Ok(id) if AdminCode::scope_of(&id).is_some() => {
                if AdminCode::scope_of(&id) != body.controlling() {
                    return Err(FieldError::new(
                        key_field,
                        format!(
                            "`{key}` is the id of a record controlled by {}, not by {}",
                            AdminCode::scope_of(&id).map_or_else(String::new, String::from),
                            body.controlling().map_or_else(String::new, String::from)
                        ),
                    ));
                }
                id
            }
            _ => body.id_for_key(&key),
        };
        if body.kind() == EntityKind::Warehouse {
            new_warehouses.insert(key.clone(), id);
        }
        let draft = Draft::new(id, body, demo, tax)?;
        Ok(FixtureRow { line: row.line, draft, movements })
    })?;
    ctx.jurisdictions.extend(new_codes);
    ctx.warehouses.extend(new_warehouses);
    Ok(rows)
}

/// Reads a CSV document with exactly `columns` and maps each row, collecting every error.
fn read_rows<T>(
    file: &str,
    text: &str,
    columns: &[&str],
    each: impl FnMut(&Row<'_>) -> Result<T, FieldError>,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    each_row(file, &csv_sheet(file, text)?, columns, each)
}

/// Reads CSV text into a sheet; a malformed record is reported by line.
fn csv_sheet(file: &str, text: &str) -> Result<Sheet, Vec<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(|n| n.trim().to_owned()).collect(),
        Err(e) => return Err(vec![Diagnostic::at(file, 1, FieldError::new("header", e.to_string()))]),
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => rows.push((r.position().map_or(0, csv::Position::line), r.iter().map(str::to_owned).collect())),
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                errors.push(Diagnostic::at(file, line, FieldError::new("row", e.to_string())));
            }
        }
    }
    if errors.is_empty() { Ok(Sheet { headers, rows }) } else { Err(errors) }
}

fn each_row<T>(
    file: &str,
    sheet: &Sheet,
    columns: &[&str],
    mut each: impl FnMut(&Row<'_>) -> Result<T, FieldError>,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let names: Vec<&str> = sheet.headers.iter().map(|h| h.trim()).collect();
    let mut errors = Vec::new();
    for col in columns {
        if !names.contains(col) {
            errors.push(Diagnostic::at(file, 1, FieldError::new(*col, "column is missing from the header")));
        }
    }
    for name in &names {
        if !columns.contains(name) {
            errors.push(Diagnostic::at(
                file,
                1,
                FieldError::new(*name, format!("unknown column; expected: {}", columns.join(", "))),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = Vec::new();
    for (line, cells) in &sheet.rows {
        let row = Row { names: &names, record: cells, line: *line };
        match each(&row) {
            Ok(v) => out.push(v),
            Err(e) => errors.push(Diagnostic::at(file, *line, e)),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

struct Row<'a> {
    names: &'a [&'a str],
    record: &'a [String],
    line: u64,
}

impl Row<'_> {
    fn raw(&self, field: &str) -> &str {
        let i = self.names.iter().position(|n| *n == field).expect("columns are checked against the header first");
        self.record.get(i).map_or("", |c| c.trim())
    }

    fn opt_text(&self, field: &str) -> Option<String> {
        let v = self.raw(field);
        (!v.is_empty()).then(|| v.to_owned())
    }

    fn text(&self, field: &str) -> Result<String, FieldError> {
        self.opt_text(field).ok_or_else(|| FieldError::new(field, "value is missing"))
    }

    fn opt_num<N: std::str::FromStr>(&self, field: &str) -> Result<Option<N>, FieldError> {
        let v = self.raw(field);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse().map(Some).map_err(|_| {
            let hint = if v.starts_with('-') { " (must not be negative)" } else { "" };
            FieldError::new(field, format!("`{v}` is not a valid {}{hint}", std::any::type_name::<N>()))
        })
    }

    fn num<N: std::str::FromStr>(&self, field: &str) -> Result<N, FieldError> {
        self.opt_num(field)?.ok_or_else(|| FieldError::new(field, "value is missing"))
    }

    fn code(&self, field: &str) -> Result<AdminCode, FieldError> {
        AdminCode::field(field, &self.text(field)?)
    }

    fn point(&self, lon: &str, lat: &str) -> Result<Point, FieldError> {
        Point::new(self.num(lon)?, self.num(lat)?)
            .map_err(|e| FieldError::new(if e.field == "lon" { lon } else { lat }, e.message))
    }

    fn list(&self, field: &str) -> Vec<String> {
        self.raw(field).split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    }

    fn equipment(&self, field: &str) -> Result<Vec<EquipmentLine>, FieldError> {
        self.list(field)
            .into_iter()
            .map(|entry| {
                let (name, count) = entry
                    .split_once(':')
                    .ok_or_else(|| FieldError::new(field, format!("`{entry}` is not `名称:数量`")))?;
                let count = count
                    .trim()
                    .parse()
                    .map_err(|_| FieldError::new(field, format!("`{entry}` has no whole-number count")))?;
                Ok(EquipmentLine { name: name.trim().to_owned(), count })
            })
            .collect()
    }

    fn enumeration<E: serde::de::DeserializeOwned>(&self, field: &str) -> Result<E, FieldError> {
        let v = self.text(field)?;
        serde_json::from_value(serde_json::Value::String(v.clone())).map_err(|e| FieldError::new(field, e.to_string()))
    }
}
