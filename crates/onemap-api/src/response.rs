//! The response workflow requests: what grade and plans an incident's facts suggest, the
//! plans, deciding a response level (an append-only event on the incident plus the level's
//! checklist as tasks, in one commit) and an incident's responses with their checklists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use onemap_domain::entity::{EntityBody, EntityKind, EntityRef, Task};
use onemap_domain::grading::{Facts, Suggestion};
use onemap_domain::plan::{Plan, PlanMatch};
use onemap_domain::response::{Decision, DecisionAction, ResponseState, checklist, overdue};
use onemap_domain::{AdminCode, Draft};
use onemap_store::Change;

use crate::error::ApiError;
use crate::handlers::{Api, Command};

/// The grade and plans an incident's class, place and facts suggest.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Suggested {
    /// `None`: no grading rule covers the class, or no criterion is met yet.
    pub grade: Option<Suggestion>,
    pub plans: Vec<PlanMatch>,
}

/// A response decision to record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DecideRequest {
    pub incident: Uuid,
    pub plan: String,
    pub action: DecisionAction,
    pub level: Option<u8>,
    pub reason: String,
}

/// One recorded decision.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DecisionRow {
    pub id: Uuid,
    pub decision: Decision,
}

/// One checklist step as it stands.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StepRow {
    /// The task record (complete it with `upsert`, `done: true`).
    pub task: Uuid,
    pub decision: Uuid,
    /// The level whose checklist it belongs to.
    pub level: u8,
    pub step: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub done: bool,
    pub overdue: bool,
    /// Whether it belongs to the level in force (else to an earlier level of this response).
    pub current: bool,
}

/// A plan's response to one incident.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ResponseView {
    pub plan: String,
    pub plan_zh: String,
    pub state: ResponseState,
    /// In causal order.
    pub decisions: Vec<DecisionRow>,
    /// The checklists of every level entered, the current one first, each by due time.
    pub steps: Vec<StepRow>,
    /// When the view was computed (overdue is judged against it), RFC 3339.
    pub now: String,
}

/// The event an incident carries for a decision.
const DECISION_EVENT: &str = "decision";

/// The decisions among an incident's events, by id. An event that does not read as a
/// decision is kept in the log but not folded.
pub(crate) fn decisions_of(events: &[onemap_store::Op]) -> BTreeMap<Uuid, Decision> {
    let mut out = BTreeMap::new();
    for op in events {
        let Change::Append(v) = &op.change else { continue };
        let Some(d) = v.get(DECISION_EVENT).and_then(|d| serde_json::from_value::<Decision>(d.clone()).ok()) else {
            continue;
        };
        let Some(id) = v.get("id").and_then(|i| serde_json::from_value::<Uuid>(i.clone()).ok()) else { continue };
        out.insert(id, d);
    }
    out
}

/// The highest response level in force over an incident's plans (1 = Ⅰ), 0 for none.
pub(crate) fn level_in_force(decisions: &BTreeMap<Uuid, Decision>) -> u8 {
    let plans: std::collections::BTreeSet<&str> = decisions.values().map(|d| d.plan.as_str()).collect();
    plans.into_iter().filter_map(|p| ResponseState::fold(p, decisions).level).min().unwrap_or(0)
}

/// Now, in Beijing time (UTC+8, the one time zone of every centre), to the second, RFC 3339.
pub(crate) fn beijing_now() -> String {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    chrono::Utc::now().with_timezone(&cst).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

impl Api {
    pub(crate) fn suggest(
        &self,
        category: &str,
        subtype: &str,
        jurisdiction: &str,
        facts: &Facts,
    ) -> Result<Suggested, ApiError> {
        let at = AdminCode::field("jurisdiction", jurisdiction)?;
        let ctx = self.context();
        Ok(Suggested {
            grade: ctx.grading.suggest(category, subtype, facts),
            plans: ctx.plans.matching(category, subtype, &at, facts),
        })
    }

    pub(crate) fn plan(&self, id: &str) -> Result<&Plan, ApiError> {
        self.context()
            .plans
            .get(id)
            .ok_or_else(|| ApiError::new("validation.field", format!("field `plan`: no plan has id `{id}`")))
    }

    /// The decisions recorded on an incident, by id.
    fn decisions(&self, incident: Uuid) -> Result<BTreeMap<Uuid, Decision>, ApiError> {
        let entity = EntityRef { kind: EntityKind::Incident, id: incident };
        Ok(decisions_of(&self.store().events(entity)?))
    }

    /// Records a decision upon the response's current state, with the checklist of the level
    /// it enters, in one commit; answers the response as it now stands.
    pub(crate) fn decide(&self, req: DecideRequest, actor: &str) -> Result<ResponseView, ApiError> {
        let plan = self.plan(&req.plan)?.clone();
        let entity = EntityRef { kind: EntityKind::Incident, id: req.incident };
        if self.store().get(entity)?.is_none_or(|r| r.deleted()) {
            return Err(ApiError::not_found(format!("incident {}", req.incident)));
        }
        let decisions = self.decisions(req.incident)?;
        let state = ResponseState::fold(&plan.id, &decisions);
        // The level whose decider decides: the one entered, or the one ended.
        let role_level = req.level.or(state.level).unwrap_or(4);
        let decider_role = plan.level(role_level).map(|l| l.decider.clone()).unwrap_or_default();
        state.check(&plan, req.action, req.level, &decider_role)?;
        let id = Uuid::now_v7();
        let decision = Decision {
            incident: req.incident,
            plan: plan.id.clone(),
            action: req.action,
            level: req.level,
            decider_role,
            recorded_by: self.recorder(actor),
            reason: req.reason.trim().to_owned(),
            at: beijing_now(),
            after: state.heads.clone(),
        };
        decision.validate()?;
        let mut commands = vec![Command::Append { entity, event: json!({ DECISION_EVENT: decision, "id": id }) }];
        if let Some(level) = req.level {
            for step in checklist(&plan, level, id, &decision.at)? {
                let body = EntityBody::Task(Task {
                    incident: req.incident,
                    title: step.title,
                    owner: step.owner,
                    due: step.due,
                    done: false,
                    decision: Some(id),
                    step: Some(step.action),
                });
                let task_id = body.controlling().map_or(step.id, |c| c.scoped_id(step.id.into_bytes()));
                commands.push(Command::upsert(Draft::new(task_id, body, false, &self.context().taxonomy)?));
            }
        }
        let intent = format!(
            "response.{}: {} {}",
            serde_json::to_value(req.action).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            plan.id,
            req.level.map_or(String::new(), |l| onemap_domain::response::roman(l).to_owned())
        );
        self.execute(actor, &intent, commands)?;
        self.response_of(req.incident, &plan)
    }

    pub(crate) fn recorder(&self, actor: &str) -> String {
        let store = self.store();
        match store.local().grant() {
            Some(Ok(g)) => format!("{} {actor}", g.jurisdiction),
            _ => format!("{} {actor}", &store.node().to_string()[..8]),
        }
    }

    /// Every plan's response to an incident that has decisions.
    pub(crate) fn responses(&self, incident: Uuid) -> Result<Vec<ResponseView>, ApiError> {
        let decisions = self.decisions(incident)?;
        let plans: std::collections::BTreeSet<&str> = decisions.values().map(|d| d.plan.as_str()).collect();
        plans.into_iter().map(|p| self.response_of(incident, self.plan(p)?)).collect()
    }

    fn response_of(&self, incident: Uuid, plan: &Plan) -> Result<ResponseView, ApiError> {
        let decisions = self.decisions(incident)?;
        let state = ResponseState::fold(&plan.id, &decisions);
        let now = beijing_now();
        let mut steps = Vec::new();
        for r in self.store().list(EntityKind::Task)? {
            let Ok(EntityBody::Task(t)) = EntityBody::from_fields(EntityKind::Task, &r.fields) else { continue };
            let (Some(decision), Some(step)) = (t.decision, t.step.clone()) else { continue };
            let Some(level) =
                decisions.get(&decision).filter(|d| d.plan == plan.id && t.incident == incident).and_then(|d| d.level)
            else {
                continue;
            };
            steps.push(StepRow {
                task: r.entity.id,
                decision,
                level,
                step,
                overdue: overdue(&t.due, t.done, &now)?,
                title: t.title,
                owner: t.owner,
                due: t.due,
                done: t.done,
                current: state.entered_by == Some(decision),
            });
        }
        let at = |s: &StepRow| chrono::DateTime::parse_from_rfc3339(&s.due).ok();
        steps.sort_by(|a, b| {
            b.current.cmp(&a.current).then_with(|| at(a).cmp(&at(b))).then_with(|| a.step.cmp(&b.step))
        });
        let rows = state.order.iter().map(|id| DecisionRow { id: *id, decision: decisions[id].clone() }).collect();
        Ok(ResponseView { plan: plan.id.clone(), plan_zh: plan.zh.clone(), state, decisions: rows, steps, now })
    }
}

/// Something an operator must act on now.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Alert {
    /// The incident concerned, if any (a stock line or a shelter alert has none).
    pub incident: Option<Uuid>,
    /// The record to open: the incident, the team, the stock line or the shelter.
    pub subject: EntityRef,
    /// The subject's name or title.
    pub title: String,
    pub kind: AlertKind,
    /// What is due or in conflict, in the record's words.
    pub text: String,
    /// When it was due (RFC 3339); none for a conflict.
    pub due: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AlertKind {
    /// A checklist step of the level in force is past due.
    StepOverdue,
    /// A reporting deadline has passed with no report.
    ReportOverdue,
    /// Two centres' decisions on one response disagree.
    Conflict,
    /// One team has more than one open dispatch order (two centres sent it at once).
    DispatchConflict,
    /// A stock line has promised or shipped more than it holds (allocations merged from
    /// two centres).
    Overdraw,
    /// Stock expires within the warning window (90 days).
    Expiring,
    /// A shelter holds more people than its capacity.
    ShelterFull,
    /// A centre below asks this centre for a team (逐级调动): approve, pass up or decline.
    TeamRequest,
}

impl Api {
    /// Overdue steps, overdue reports and decision conflicts of every active incident.
    pub(crate) fn alerts(&self) -> Result<Vec<Alert>, ApiError> {
        let incidents: Vec<(Uuid, onemap_domain::entity::Incident)> =
            crate::handlers::bodies(&**self.store(), EntityKind::Incident)?
                .into_iter()
                .filter_map(|(r, b)| match b {
                    EntityBody::Incident(i) if i.status == onemap_domain::entity::IncidentStatus::Active => {
                        Some((r.entity.id, i))
                    }
                    _ => None,
                })
                .collect();
        let mut out = Vec::new();
        for (id, inc) in incidents {
            let alert = |kind, text: String, due: Option<String>| Alert {
                incident: Some(id),
                subject: EntityRef { kind: EntityKind::Incident, id },
                title: inc.title.clone(),
                kind,
                text,
                due,
            };
            for v in self.responses(id)? {
                if !v.state.conflict.is_empty() {
                    out.push(alert(AlertKind::Conflict, v.plan_zh.clone(), None));
                }
                for s in v.steps.iter().filter(|s| s.current && s.overdue) {
                    out.push(alert(AlertKind::StepOverdue, format!("{}（{}）", s.title, s.owner), Some(s.due.clone())));
                }
            }
            for d in self.reports(id)?.deadlines.into_iter().filter(|d| d.overdue) {
                out.push(alert(AlertKind::ReportOverdue, format!("{} → {}", d.zh, d.to), Some(d.due)));
            }
        }
        out.extend(self.resource_alerts()?);
        Ok(out)
    }
}
