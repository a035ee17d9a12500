//! What the command hall's wall shows: chosen by an operator at any console of the node
//! (`set_wall`), followed by every wall view (`wall`). Kept in memory: a restarted node's
//! wall starts again on the whole region, rotating through active incidents.

use std::sync::Mutex;

use onemap_domain::entity::{EntityKind, EntityRef};
use onemap_domain::{AdminCode, EntityBody};

use crate::error::ApiError;
use crate::handlers::Api;
use crate::types::{Layer, WallControl, WallState};

/// `console.toml [wall]`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WallConfig {
    pub spotlight_secs: u32,
    pub classification: String,
}

/// The wall's current choice.
#[derive(Debug)]
pub struct Wall(Mutex<WallState>);

impl Wall {
    pub fn new(config: &WallConfig) -> Self {
        Self(Mutex::new(WallState {
            version: 1,
            control: WallControl { spotlight: None, layers: Layer::ALL.to_vec(), region: None },
            spotlight_secs: config.spotlight_secs.max(3),
            classification: config.classification.clone(),
        }))
    }

    pub fn state(&self) -> WallState {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

impl Api {
    /// Checks and applies an operator's choice for the wall.
    pub(crate) fn set_wall(&self, mut control: WallControl) -> Result<WallState, ApiError> {
        if let Some(id) = control.spotlight {
            let incident = EntityRef { kind: EntityKind::Incident, id };
            if self.store().get(incident)?.is_none_or(|r| r.deleted()) {
                return Err(ApiError::not_found(format!("incident {id} (spotlight)")));
            }
        }
        if let Some(code) = &control.region {
            let code = AdminCode::parse(code)
                .map_err(|m| ApiError::new("validation.field", format!("field `region`: {m}")))?;
            let known = self.store().list(EntityKind::Jurisdiction)?.iter().any(|r| {
                matches!(EntityBody::from_fields(EntityKind::Jurisdiction, &r.fields), Ok(EntityBody::Jurisdiction(j)) if j.code == code)
            });
            if !known {
                return Err(ApiError::new("validation.field", format!("field `region`: no jurisdiction {code} here")));
            }
            control.region = Some(code.to_string());
        }
        let mut seen = Vec::new();
        control.layers.retain(|l| {
            !seen.contains(l) && {
                seen.push(*l);
                true
            }
        });
        let mut state = self.wall.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.control != control {
            state.control = control;
            state.version += 1;
        }
        Ok(state.clone())
    }
}
