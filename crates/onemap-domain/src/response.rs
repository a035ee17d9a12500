//! The response-level state machine (应急响应 Ⅰ–Ⅳ): decisions to start, upgrade, downgrade
//! or end a plan's response are append-only records, each naming the decisions it was made
//! upon; the state is folded from them in causal order. Two decisions made upon the same
//! state (two centres deciding at once) are both kept and reported as a conflict until a
//! decision made upon both settles it. Entering a level lays out its checklist with due times.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::FieldError;
use crate::plan::Plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DecisionAction {
    /// 启动
    Start,
    /// 升级 (to a higher level: a smaller number)
    Upgrade,
    /// 降级
    Downgrade,
    /// 终止
    Terminate,
}

/// One response decision (an append-only record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Decision {
    pub incident: Uuid,
    /// The plan whose response this is.
    pub plan: String,
    pub action: DecisionAction,
    /// The level entered (none when the response ends).
    pub level: Option<u8>,
    /// The role the plan names as deciding this level.
    pub decider_role: String,
    /// Who recorded it (operator and centre).
    pub recorded_by: String,
    pub reason: String,
    /// When it was decided, RFC 3339.
    pub at: String,
    /// The decisions this one was made upon: the response's latest decisions as the deciding
    /// centre saw them (empty for the first start).
    pub after: Vec<Uuid>,
}

impl Decision {
    /// The rules a decision satisfies on its own.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.reason.trim().is_empty() {
            return Err(FieldError::new("reason", "a decision states its reason"));
        }
        if self.decider_role.trim().is_empty() {
            return Err(FieldError::new("decider_role", "a decision names the deciding role"));
        }
        parse_time("at", &self.at)?;
        match (self.action, self.level) {
            (DecisionAction::Terminate, None) => Ok(()),
            (DecisionAction::Terminate, Some(l)) => {
                Err(FieldError::new("level", format!("ending a response enters no level (got {l})")))
            }
            (_, Some(1..=4)) => Ok(()),
            (_, l) => Err(FieldError::new("level", format!("{l:?} is not a response level 1 (Ⅰ) to 4 (Ⅳ)"))),
        }
    }
}

fn parse_time(field: &str, s: &str) -> Result<DateTime<FixedOffset>, FieldError> {
    DateTime::parse_from_rfc3339(s).map_err(|e| FieldError::new(field, format!("`{s}` is not an RFC 3339 time: {e}")))
}

/// A response as its decisions make it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ResponseState {
    pub plan: String,
    /// The level in force (none: not started, or ended).
    pub level: Option<u8>,
    /// The decisions in causal order (each after the ones it was made upon; ties by time, id).
    pub order: Vec<Uuid>,
    /// The latest decisions: the ones no other decision was made upon. More than one is a
    /// conflict.
    pub heads: Vec<Uuid>,
    /// When heads disagree: each head and the level it leaves the response at.
    pub conflict: Vec<ConflictingHead>,
    /// The decision that entered the current level (its checklist is the one in force).
    pub entered_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ConflictingHead {
    pub decision: Uuid,
    pub action: DecisionAction,
    pub level: Option<u8>,
    pub recorded_by: String,
    pub at: String,
}

impl ResponseState {
    pub fn active(&self) -> bool {
        self.level.is_some()
    }

    /// Folds a plan's decisions for one incident (any order in; the same state out).
    pub fn fold(plan: &str, decisions: &BTreeMap<Uuid, Decision>) -> Self {
        let ids: BTreeSet<Uuid> = decisions.iter().filter(|(_, d)| d.plan == plan).map(|(id, _)| *id).collect();
        let cited: BTreeSet<Uuid> = ids.iter().flat_map(|id| decisions[id].after.iter().copied()).collect();
        let heads: Vec<Uuid> = ids.iter().copied().filter(|id| !cited.contains(id)).collect();
        // Causal order: repeatedly take the earliest (time, id) decision whose priors are placed.
        let mut order = Vec::with_capacity(ids.len());
        let mut placed = BTreeSet::new();
        let key = |id: &Uuid| (parse_time("at", &decisions[id].at).ok(), *id);
        while placed.len() < ids.len() {
            let ready = ids
                .iter()
                .filter(|id| !placed.contains(*id))
                .filter(|id| decisions[*id].after.iter().all(|p| placed.contains(p) || !ids.contains(p)))
                .min_by_key(|id| key(id));
            // A cycle cannot be written (a decision names existing ones), but stay total.
            let next =
                ready.copied().unwrap_or_else(|| *ids.iter().find(|id| !placed.contains(*id)).expect("an unplaced id"));
            placed.insert(next);
            order.push(next);
        }
        let mut level = None;
        let mut entered_by = None;
        for id in &order {
            let d = &decisions[id];
            level = d.level;
            entered_by = d.level.map(|_| *id);
        }
        let conflict = if heads.len() > 1 {
            heads
                .iter()
                .map(|h| {
                    let d = &decisions[h];
                    ConflictingHead {
                        decision: *h,
                        action: d.action,
                        level: d.level,
                        recorded_by: d.recorded_by.clone(),
                        at: d.at.clone(),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        Self { plan: plan.to_owned(), level, order, heads, conflict, entered_by }
    }

    /// Checks that `action` to `level` may be decided now under `plan` by `decider_role`:
    /// start only when no response runs, upgrade to a higher and downgrade to a lower level
    /// of the plan, end only a running response. A conflict must be settled first: a
    /// decision is made upon every head (the caller sets `after` to them).
    pub fn check(
        &self,
        plan: &Plan,
        action: DecisionAction,
        level: Option<u8>,
        decider_role: &str,
    ) -> Result<(), FieldError> {
        let target = match (action, level) {
            (DecisionAction::Terminate, None) => self.level,
            (DecisionAction::Terminate, Some(_)) => {
                return Err(FieldError::new("level", "ending a response enters no level"));
            }
            (_, Some(l)) => Some(l),
            (_, None) => return Err(FieldError::new("level", "name the level to enter")),
        };
        match (action, self.level, level) {
            (DecisionAction::Start, Some(cur), _) => {
                return Err(FieldError::new(
                    "action",
                    format!("a level {} response is already running; upgrade, downgrade or end it", roman(cur)),
                ));
            }
            (DecisionAction::Upgrade | DecisionAction::Downgrade | DecisionAction::Terminate, None, _) => {
                return Err(FieldError::new("action", "no response is running; start one first"));
            }
            (DecisionAction::Upgrade, Some(cur), Some(l)) if l >= cur => {
                return Err(FieldError::new(
                    "level",
                    format!("an upgrade goes above {} (to a smaller number), not to {}", roman(cur), roman(l)),
                ));
            }
            (DecisionAction::Downgrade, Some(cur), Some(l)) if l <= cur => {
                return Err(FieldError::new(
                    "level",
                    format!("a downgrade goes below {} (to a larger number), not to {}", roman(cur), roman(l)),
                ));
            }
            _ => {}
        }
        let Some(target) = target else { unreachable!("an ended response was refused above") };
        let Some(pl) = plan.level(target) else {
            return Err(FieldError::new("level", format!("plan `{}` has no level {}", plan.id, roman(target))));
        };
        if pl.decider != decider_role {
            return Err(FieldError::new(
                "decider_role",
                format!("level {} of `{}` is decided by {}, not {decider_role}", roman(target), plan.id, pl.decider),
            ));
        }
        Ok(())
    }
}

pub fn roman(level: u8) -> &'static str {
    match level {
        1 => "Ⅰ",
        2 => "Ⅱ",
        3 => "Ⅲ",
        4 => "Ⅳ",
        _ => "?",
    }
}

/// One checklist step laid out when a level is entered.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Step {
    /// Derived from the decision and the action id: every replica lays out the same ids.
    pub id: Uuid,
    pub action: String,
    pub title: String,
    pub owner: String,
    /// RFC 3339, the decision's time plus the action's offset (in the decision's offset).
    pub due: String,
}

/// The checklist of `plan`'s `level` entered by decision `decision` at `at`.
pub fn checklist(plan: &Plan, level: u8, decision: Uuid, at: &str) -> Result<Vec<Step>, FieldError> {
    let t = parse_time("at", at)?;
    let l = plan
        .level(level)
        .ok_or_else(|| FieldError::new("level", format!("plan `{}` has no level {}", plan.id, roman(level))))?;
    Ok(l.action
        .iter()
        .map(|a| Step {
            id: Uuid::new_v5(&decision, a.id.as_bytes()),
            action: a.id.clone(),
            title: a.zh.clone(),
            owner: a.owner.clone(),
            due: (t + Duration::minutes(i64::from(a.due_min))).to_rfc3339(),
        })
        .collect())
}

/// Whether a step due at `due` and not done is overdue at `now` (both RFC 3339).
pub fn overdue(due: &str, done: bool, now: &str) -> Result<bool, FieldError> {
    Ok(!done && parse_time("due", due)? < parse_time("now", now)?)
}
