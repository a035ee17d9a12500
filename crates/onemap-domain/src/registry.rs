//! A registry record as a row of its file's columns — the inverse of the fixture parser, so
//! an exported file imports back onto the same records (the key column holds the record id).

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::entity::{EntityBody, account};
use crate::fixtures::FileKind;
use crate::geo::Point;

fn num(v: impl ToString) -> String {
    v.to_string()
}

fn coords(p: Point) -> [String; 2] {
    [num(p.lon), num(p.lat)]
}

fn balance(balances: &BTreeMap<String, i64>, account: &str) -> String {
    num(balances.get(account).copied().unwrap_or(0))
}

fn enum_text<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        other => unreachable!("unit enums serialise to strings, got {other:?}"),
    }
}

/// The row of `kind`'s columns for a record (`None` when the record is of another kind).
/// Quantities (stock on hand, shelter occupancy) come from the record's ledgers.
pub fn row(kind: FileKind, id: Uuid, body: &EntityBody, balances: &BTreeMap<String, i64>) -> Option<Vec<String>> {
    let key = id.to_string();
    let cells = match (kind, body) {
        (FileKind::Teams, EntityBody::Team(t)) => {
            let [lon, lat] = coords(t.location);
            vec![
                key,
                t.name.clone(),
                t.team_type.clone(),
                t.specialties.join(";"),
                num(t.headcount),
                t.equipment.iter().map(|e| format!("{}:{}", e.name, e.count)).collect::<Vec<_>>().join(";"),
                t.owner.to_string(),
                t.base.to_string(),
                lon,
                lat,
                num(t.readiness_min),
                enum_text(&t.status),
            ]
        }
        (FileKind::Warehouses, EntityBody::Warehouse(w)) => {
            let [lon, lat] = coords(w.location);
            vec![
                key,
                w.name.clone(),
                w.kind.clone(),
                enum_text(&w.tier),
                w.owner.to_string(),
                w.holder.clone(),
                w.jurisdiction.to_string(),
                lon,
                lat,
            ]
        }
        (FileKind::Stock, EntityBody::StockLine(l)) => vec![
            key,
            l.warehouse.to_string(),
            l.item_code.clone(),
            balance(balances, account::ON_HAND),
            l.reserve_mode.clone(),
            l.expiry.clone().unwrap_or_default(),
            l.activation_hours.map(num).unwrap_or_default(),
        ],
        (FileKind::Shelters, EntityBody::Shelter(s)) => {
            let [lon, lat] = coords(s.location);
            vec![
                key,
                s.name.clone(),
                s.shelter_type.clone(),
                s.jurisdiction.to_string(),
                lon,
                lat,
                num(s.effective_area_m2),
                num(s.per_capita_m2),
                balance(balances, account::OCCUPANCY),
                s.facilities.join(";"),
            ]
        }
        (FileKind::Hazards, EntityBody::Hazard(h)) => {
            let [lon, lat] = coords(h.location);
            vec![
                key,
                h.name.clone(),
                h.hazard_kind.clone(),
                h.grade.clone(),
                h.jurisdiction.to_string(),
                lon,
                lat,
                num(h.threatened_people),
                h.description.clone(),
            ]
        }
        (FileKind::Experts, EntityBody::Expert(e)) => vec![
            key,
            e.name.clone(),
            e.fields.join(";"),
            e.event_classes.join(";"),
            enum_text(&e.tier),
            e.organisation.clone(),
            e.phone.clone(),
            e.jurisdiction.to_string(),
            enum_text(&e.status),
        ],
        _ => return None,
    };
    debug_assert_eq!(cells.len(), kind.columns().len(), "a row has one cell per column of {kind:?}");
    Some(cells)
}
