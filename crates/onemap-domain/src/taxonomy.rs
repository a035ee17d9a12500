//! The classification data the console runs on — event categories and subtypes, grades Ⅰ–Ⅳ,
//! warning colours, team types, specialties, hazard kinds, shelter types, reserve modes and
//! warehouse kinds — parsed from `fixtures/taxonomy.toml`, never written in code.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Taxonomy {
    pub version: String,
    pub source: String,
    pub category: Vec<Category>,
    pub grade: Vec<Grade>,
    pub warning_level: Vec<WarningLevel>,
    pub team_type: Vec<TeamType>,
    pub specialty: Vec<Term>,
    pub hazard_kind: Vec<HazardKind>,
    pub shelter_type: Vec<Term>,
    pub reserve_mode: Vec<Term>,
    pub warehouse_kind: Vec<Term>,
}

/// An identifier with its Chinese and English labels.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Term {
    pub id: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Category {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// 社会安全事件 are not graded under 突发事件应对法 Art. 3.
    pub graded: bool,
    pub subtype: Vec<Term>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Grade {
    pub id: u8,
    pub roman: String,
    pub zh: String,
    pub en: String,
    pub colour: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct WarningLevel {
    pub level: u8,
    pub colour: String,
    pub hex: String,
    pub zh: String,
    pub en: String,
    pub meaning_zh: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TeamType {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub pillar: String,
    pub speed_kmh: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct HazardKind {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub grade: Vec<Term>,
}

/// Which list of the taxonomy an identifier must come from.
#[derive(Debug, Clone, Copy)]
pub enum Vocabulary<'a> {
    Category,
    Subtype(&'a str),
    TeamType,
    Specialty,
    HazardKind,
    HazardGrade(&'a str),
    ShelterType,
    ReserveMode,
    WarehouseKind,
}

impl Taxonomy {
    /// Parses and checks the taxonomy file. Errors carry the TOML line when known.
    pub fn from_toml(text: &str) -> Result<Self, (u64, FieldError)> {
        let tax: Taxonomy = crate::error::parse_toml(text)?;
        tax.check().map_err(|e| (0, e))?;
        Ok(tax)
    }

    fn check(&self) -> Result<(), FieldError> {
        let mut grades: Vec<u8> = self.grade.iter().map(|g| g.id).collect();
        grades.sort_unstable();
        if grades != [1, 2, 3, 4] {
            return Err(FieldError::new("grade", format!("grades must be exactly 1..=4, found {grades:?}")));
        }
        let mut levels: Vec<u8> = self.warning_level.iter().map(|w| w.level).collect();
        levels.sort_unstable();
        if levels != [1, 2, 3, 4] {
            return Err(FieldError::new("warning_level", format!("levels must be exactly 1..=4, found {levels:?}")));
        }
        if let Some(t) = self.team_type.iter().find(|t| !(t.speed_kmh.is_finite() && t.speed_kmh > 0.0)) {
            return Err(FieldError::new(
                "team_type.speed_kmh",
                format!("team type `{}`: {} is not a travelling speed (km/h > 0)", t.id, t.speed_kmh),
            ));
        }
        let lists: [(&str, Vec<&str>); 8] = [
            ("category", self.category.iter().map(|c| c.id.as_str()).collect()),
            ("team_type", self.team_type.iter().map(|t| t.id.as_str()).collect()),
            ("specialty", self.specialty.iter().map(|t| t.id.as_str()).collect()),
            ("hazard_kind", self.hazard_kind.iter().map(|t| t.id.as_str()).collect()),
            ("shelter_type", self.shelter_type.iter().map(|t| t.id.as_str()).collect()),
            ("reserve_mode", self.reserve_mode.iter().map(|t| t.id.as_str()).collect()),
            ("warehouse_kind", self.warehouse_kind.iter().map(|t| t.id.as_str()).collect()),
            ("category.subtype", self.category.iter().flat_map(|c| c.subtype.iter().map(|s| s.id.as_str())).collect()),
        ];
        for (name, ids) in lists {
            if ids.is_empty() {
                return Err(FieldError::new(name, "list is empty"));
            }
            for (i, id) in ids.iter().enumerate() {
                if !is_ident(id) {
                    return Err(FieldError::new(name, format!("id `{id}` must be snake_case ASCII")));
                }
                if ids[..i].contains(id) {
                    return Err(FieldError::new(name, format!("id `{id}` appears twice")));
                }
            }
        }
        Ok(())
    }

    /// Checks that `id` belongs to the vocabulary; the error lists what would be accepted.
    pub fn expect(&self, field: &str, vocab: Vocabulary<'_>, id: &str) -> Result<(), FieldError> {
        let ids: Vec<&str> = match vocab {
            Vocabulary::Category => self.category.iter().map(|c| c.id.as_str()).collect(),
            Vocabulary::Subtype(cat) => self
                .category
                .iter()
                .find(|c| c.id == cat)
                .map(|c| c.subtype.iter().map(|s| s.id.as_str()).collect())
                .unwrap_or_default(),
            Vocabulary::TeamType => self.team_type.iter().map(|t| t.id.as_str()).collect(),
            Vocabulary::Specialty => self.specialty.iter().map(|t| t.id.as_str()).collect(),
            Vocabulary::HazardKind => self.hazard_kind.iter().map(|t| t.id.as_str()).collect(),
            Vocabulary::HazardGrade(kind) => self
                .hazard_kind
                .iter()
                .find(|k| k.id == kind)
                .map(|k| k.grade.iter().map(|g| g.id.as_str()).collect())
                .unwrap_or_default(),
            Vocabulary::ShelterType => self.shelter_type.iter().map(|t| t.id.as_str()).collect(),
            Vocabulary::ReserveMode => self.reserve_mode.iter().map(|t| t.id.as_str()).collect(),
            Vocabulary::WarehouseKind => self.warehouse_kind.iter().map(|t| t.id.as_str()).collect(),
        };
        if ids.contains(&id) {
            Ok(())
        } else {
            Err(FieldError::new(field, format!("`{id}` is not one of: {}", ids.join(", "))))
        }
    }

    pub fn team_type(&self, id: &str) -> Option<&TeamType> {
        self.team_type.iter().find(|t| t.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.category.iter().find(|c| c.id == id)
    }
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && s.as_bytes()[0].is_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../fixtures/taxonomy.toml");

    #[test]
    fn the_shipped_taxonomy_loads() {
        let tax = Taxonomy::from_toml(SHIPPED).expect("fixtures/taxonomy.toml is valid");
        assert!(tax.team_type.iter().all(|t| t.speed_kmh > 0.0));
    }

    #[test]
    fn refuses_a_team_type_that_does_not_move() {
        let bad = SHIPPED.replacen("speed_kmh = 60", "speed_kmh = 0", 1);
        assert_ne!(bad, SHIPPED, "the fixture has a team type at 60 km/h");
        let (_, e) = Taxonomy::from_toml(&bad).unwrap_err();
        assert_eq!(e.field, "team_type.speed_kmh");
        assert!(e.message.contains("fire_rescue"), "{}", e.message);
    }
}
