//! Dispatch requests: the recommendation for an incident (the forces its response level
//! needs, the teams that arrive first, why each), dispatch orders and their stages, and the
//! orders of an incident. An order and its team's status change in one commit.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use onemap_domain::dispatch::{self, Authority, Candidate, Stage, TeamIndex};
use onemap_domain::entity::{Dispatch, EntityBody, EntityKind, EntityRef, Incident, Team, TeamStatus};
use onemap_domain::{AdminCode, Draft};
use onemap_store::Record;

use crate::error::ApiError;
use crate::handlers::{Api, Command, bodies};
use crate::response::beijing_now;

/// How many teams are recommended for a need the plan does not size (no response yet).
const DEFAULT_PICKS: usize = 5;

/// A team to dispatch.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DispatchRequest {
    pub incident: Uuid,
    pub team: Uuid,
    #[serde(default)]
    pub task: Option<Uuid>,
    pub reason: String,
}

/// A recommended team and why.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Recommended {
    pub team: Uuid,
    pub name: String,
    pub team_type: String,
    pub headcount: u32,
    pub km: f64,
    pub readiness_min: f64,
    pub travel_min: f64,
    /// Readiness plus travel.
    pub minutes: f64,
    /// Whether this centre orders it, or asks up the hierarchy.
    pub authority: Authority,
    pub why_zh: Vec<String>,
    pub why_en: Vec<String>,
}

/// One force the response needs and the teams recommended for it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ForceNeed {
    /// Taxonomy specialty id; none: any team.
    pub specialty: Option<String>,
    pub zh: String,
    pub en: String,
    /// How many teams the plan asks for.
    pub teams: u32,
    /// How many are already dispatched to the incident (open orders with the specialty).
    pub dispatched: u32,
    pub basis: String,
    pub picks: Vec<Recommended>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Recommendation {
    pub incident: Uuid,
    /// The plan and level the needs come from; none: no response in force.
    pub plan: Option<String>,
    pub level: Option<u8>,
    pub needs: Vec<ForceNeed>,
    /// This centre (its jurisdiction), whose authority the picks are judged by.
    pub centre: AdminCode,
    pub method_zh: String,
    pub method_en: String,
}

/// A dispatch order as the console shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DispatchView {
    pub id: Uuid,
    pub order: Dispatch,
    pub stage: Stage,
    pub team_name: String,
    /// The stages the order may move to next.
    pub next: Vec<Stage>,
}

/// Every team as of one log head: the spatial index and the records it was built from (the
/// same order).
#[derive(Debug)]
pub struct Teams {
    pub head: u64,
    pub index: TeamIndex,
    pub records: Vec<Team>,
}

fn team_of(record: &Record) -> Result<Team, ApiError> {
    match EntityBody::from_fields(EntityKind::Team, &record.fields) {
        Ok(EntityBody::Team(t)) => Ok(t),
        _ => Err(ApiError::new("validation.field", format!("team {} is not a complete record", record.entity.id))),
    }
}

impl Api {
    /// The jurisdiction of this node's centre: its grant's, else the region it runs.
    pub(crate) fn centre(&self) -> Result<AdminCode, ApiError> {
        if let Some(Ok(g)) = self.store().local().grant() {
            return Ok(g.jurisdiction);
        }
        AdminCode::parse(&self.context().region.code).map_err(|e| ApiError::new("validation.field", e))
    }

    fn incident_body(&self, incident: Uuid) -> Result<Incident, ApiError> {
        let entity = EntityRef { kind: EntityKind::Incident, id: incident };
        let record = self.store().get(entity)?.filter(|r| !r.deleted());
        match record.map(|r| EntityBody::from_fields(EntityKind::Incident, &r.fields)) {
            Some(Ok(EntityBody::Incident(i))) => Ok(i),
            _ => Err(ApiError::not_found(format!("incident {incident}"))),
        }
    }

    /// Every order, with its record id.
    pub(crate) fn orders(&self) -> Result<Vec<(Uuid, Dispatch)>, ApiError> {
        Ok(bodies(&**self.store(), EntityKind::Dispatch)?
            .into_iter()
            .filter_map(|(r, b)| match b {
                EntityBody::Dispatch(d) => Some((r.entity.id, d)),
                _ => None,
            })
            .collect())
    }

    /// The teams in a spatial index, rebuilt when the log has grown since the last build.
    pub fn team_index(&self) -> Result<std::sync::Arc<Teams>, ApiError> {
        let mut cached = self.teams.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let head = self.store().head()?;
        if let Some(t) = cached.as_ref().filter(|t| t.head == head) {
            return Ok(t.clone());
        }
        let ctx = self.context();
        let mut records = Vec::new();
        let mut candidates = Vec::new();
        for (r, b) in bodies(&**self.store(), EntityKind::Team)? {
            let EntityBody::Team(t) = b else { continue };
            let speed = ctx.taxonomy.team_type(&t.team_type).map_or(40.0, |tt| tt.speed_kmh);
            candidates.push(Candidate {
                id: r.entity.id,
                location: t.location,
                specialties: t.specialties.clone(),
                available: t.status == TeamStatus::Standby,
                readiness_min: f64::from(t.readiness_min),
                speed_kmh: speed,
                owner: t.owner.clone(),
            });
            records.push(t);
        }
        let built = std::sync::Arc::new(Teams { head, index: TeamIndex::new(candidates), records });
        *cached = Some(built.clone());
        Ok(built)
    }

    pub(crate) fn recommend(&self, incident: Uuid) -> Result<Recommendation, ApiError> {
        let inc = self.incident_body(incident)?;
        let ctx = self.context();
        let centre = self.centre()?;
        // The needs of the level in force, from its plan; else one need: any team.
        let in_force = self.responses(incident)?.into_iter().find_map(|v| v.state.level.map(|l| (v.plan, l)));
        let mut forces: Vec<(Option<String>, u32, String)> = Vec::new();
        if let Some((plan, level)) = &in_force
            && let Some(l) = self.plan(plan)?.level(*level)
        {
            forces = l.force.iter().map(|f| (Some(f.specialty.clone()), f.teams, f.basis.clone())).collect();
        }
        if forces.is_empty() {
            forces.push((None, DEFAULT_PICKS as u32, String::new()));
        }
        let teams = self.team_index()?;
        let (index, records) = (&teams.index, &teams.records);
        let orders = self.orders()?;
        let open: Vec<&Dispatch> =
            orders.iter().map(|(_, d)| d).filter(|d| d.incident == incident && !d.stage().closed()).collect();
        let factor = ctx.router.road_factor;
        let mut needs = Vec::new();
        for (specialty, count, basis) in forces {
            let term = specialty.as_deref().and_then(|s| ctx.taxonomy.specialty.iter().find(|t| t.id == s));
            let dispatched = open
                .iter()
                .filter(|d| {
                    specialty.as_deref().is_none_or(|s| {
                        index.teams().iter().any(|c| c.id == d.team && c.specialties.iter().any(|x| x == s))
                    })
                })
                .count() as u32;
            let want = if in_force.is_some() { count.saturating_sub(dispatched) as usize } else { count as usize };
            let picks = index
                .recommend(inc.location, specialty.as_deref(), want, &ctx.router)
                .into_iter()
                .map(|p| {
                    let c = &index.teams()[p.index];
                    let t = &records[p.index];
                    let speed = c.speed_kmh;
                    let authority = dispatch::authority(&centre, &c.owner);
                    let (spec_zh, spec_en) = term.map_or_else(
                        || ("待命".to_owned(), "standing by".to_owned()),
                        |s| (format!("待命，具备{}", s.zh), format!("standing by, with {}", s.en)),
                    );
                    let mut why_zh = vec![
                        spec_zh,
                        format!(
                            "预计{:.0}分钟到达：出动准备{}分钟 + 行驶{:.0}分钟（直线{:.1}公里 × {factor} ÷ {speed:.0}公里/小时）",
                            p.minutes, t.readiness_min, p.travel_min, p.km
                        ),
                    ];
                    let mut why_en = vec![
                        spec_en,
                        format!(
                            "arrives in about {:.0} min: {} min to turn out + {:.0} min on the road ({:.1} km straight × {factor} at {speed:.0} km/h)",
                            p.minutes, t.readiness_min, p.travel_min, p.km
                        ),
                    ];
                    match &authority {
                        Authority::Direct => {
                            why_zh.push("本级可直接调派".into());
                            why_en.push("this centre orders it directly".into());
                        }
                        Authority::Request { via } => {
                            why_zh.push(format!("属{}，需经{}逐级调动", t.owner, via));
                            why_en.push(format!("owned by {}: request it through {via}", t.owner));
                        }
                        Authority::Outside => {
                            why_zh.push(format!("属{}，超出本系统调动范围", t.owner));
                            why_en.push(format!("owned by {}: beyond this system's reach", t.owner));
                        }
                    }
                    Recommended {
                        team: c.id,
                        name: t.name.clone(),
                        team_type: t.team_type.clone(),
                        headcount: t.headcount,
                        km: p.km,
                        readiness_min: c.readiness_min,
                        travel_min: p.travel_min,
                        minutes: p.minutes,
                        authority,
                        why_zh,
                        why_en,
                    }
                })
                .collect();
            needs.push(ForceNeed {
                zh: term.map_or_else(|| "任意专业".to_owned(), |t| t.zh.clone()),
                en: term.map_or_else(|| "any specialty".to_owned(), |t| t.en.clone()),
                specialty,
                teams: count,
                dispatched,
                basis,
                picks,
            });
        }
        Ok(Recommendation {
            incident,
            plan: in_force.as_ref().map(|(p, _)| p.clone()),
            level: in_force.map(|(_, l)| l),
            needs,
            centre,
            method_zh: format!("待命队伍中按预计到达时间排序：出动准备时间 + 直线距离 × {factor} ÷ 队伍类型车速"),
            method_en: format!(
                "standing-by teams by estimated arrival: readiness + straight-line distance × {factor} ÷ the team type's speed"
            ),
        })
    }

    pub(crate) fn dispatch(&self, req: DispatchRequest, actor: &str) -> Result<DispatchView, ApiError> {
        let intent = format!("dispatch: team {} → incident {}", req.team, req.incident);
        let (id, commands) = self.dispatch_commands(req)?;
        self.execute(actor, &intent, commands)?;
        self.dispatch_view(id)
    }

    /// The order for `req` and its team's status, checked (authority, standing by) but not
    /// written: the order's id and the commands.
    fn dispatch_commands(&self, req: DispatchRequest) -> Result<(Uuid, Vec<Command>), ApiError> {
        if req.reason.trim().is_empty() {
            return Err(ApiError::new(
                "validation.field",
                "field `reason`: a dispatch order says what the team is to do",
            ));
        }
        let inc = self.incident_body(req.incident)?;
        let team_ref = EntityRef { kind: EntityKind::Team, id: req.team };
        let record = self
            .store()
            .get(team_ref)?
            .filter(|r| !r.deleted())
            .ok_or_else(|| ApiError::not_found(format!("team {}", req.team)))?;
        let team = team_of(&record)?;
        let centre = self.centre()?;
        match dispatch::authority(&centre, &team.owner) {
            Authority::Direct => {}
            Authority::Request { via } => {
                return Err(ApiError::new(
                    "dispatch.authority",
                    format!(
                        "{}（{}）is owned by {}; the centre of {centre} may not order it directly — request it through {via} (逐级调动)",
                        team.name, req.team, team.owner
                    ),
                ));
            }
            Authority::Outside => {
                return Err(ApiError::new(
                    "dispatch.authority",
                    format!(
                        "{}（{}）is owned by {}, beyond the reach of the centre of {centre}",
                        team.name, req.team, team.owner
                    ),
                ));
            }
        }
        if team.status != TeamStatus::Standby {
            let busy = self.orders()?.into_iter().find(|(_, d)| d.team == req.team && !d.stage().closed());
            return Err(ApiError::new(
                "dispatch.busy",
                format!(
                    "{} is {} ({}), not standing by",
                    team.name,
                    crate::handlers::enum_name(&team.status),
                    busy.map_or_else(
                        || "no open order".to_owned(),
                        |(id, d)| format!("order {id} to incident {}", d.incident)
                    )
                ),
            ));
        }
        let ctx = self.context();
        let speed = ctx.taxonomy.team_type(&team.team_type).map_or(40.0, |tt| tt.speed_kmh);
        let eta = f64::from(team.readiness_min)
            + onemap_domain::travel::Router::minutes(&ctx.router, team.location, inc.location, speed);
        let order = Dispatch {
            incident: req.incident,
            team: req.team,
            task: req.task,
            ordered_by: centre,
            reason: req.reason.trim().to_owned(),
            eta_min: (eta * 10.0).round() / 10.0,
            dispatched_at: beijing_now(),
            departed_at: None,
            arrived_at: None,
            returning_at: None,
            stood_down_at: None,
            cancelled_at: None,
        };
        let body = EntityBody::Dispatch(order);
        let id = body.controlling().map_or_else(Uuid::now_v7, |c| c.scoped_id(Uuid::now_v7().into_bytes()));
        let draft = Draft::new(id, body, false, &ctx.taxonomy)?;
        let status = self.team_status_command(&record, Stage::Dispatched)?;
        Ok((id, vec![Command::upsert(draft), status]))
    }

    /// The team record with its status set for `stage` (the same fields, one changed).
    fn team_status_command(&self, team: &Record, stage: Stage) -> Result<Command, ApiError> {
        let mut t = team_of(team)?;
        t.status = stage.team_status();
        let demo = team.fields.get("demo").and_then(serde_json::Value::as_bool).unwrap_or(false);
        Ok(Command::upsert(Draft::new(team.entity.id, EntityBody::Team(t), demo, &self.context().taxonomy)?))
    }

    pub(crate) fn dispatch_stage(&self, order: Uuid, stage: Stage, actor: &str) -> Result<DispatchView, ApiError> {
        let mut d = self.order(order)?;
        dispatch::advance(&d, stage).map_err(|e| ApiError::new("dispatch.stage", format!("order {order}: {e}")))?;
        let now = Some(beijing_now());
        match stage {
            Stage::Dispatched => unreachable!("no stage leads back to dispatched"),
            Stage::EnRoute => d.departed_at = now,
            Stage::OnScene => d.arrived_at = now,
            Stage::Returning => d.returning_at = now,
            Stage::StoodDown => d.stood_down_at = now,
            Stage::Cancelled => d.cancelled_at = now,
        }
        let team_ref = EntityRef { kind: EntityKind::Team, id: d.team };
        let team = self
            .store()
            .get(team_ref)?
            .filter(|r| !r.deleted())
            .ok_or_else(|| ApiError::not_found(format!("team {}", d.team)))?;
        let status = self.team_status_command(&team, stage)?;
        let draft = Draft::new(order, EntityBody::Dispatch(d), false, &self.context().taxonomy)?;
        self.execute(
            actor,
            &format!("dispatch.{}: {order}", crate::handlers::enum_name(&stage)),
            vec![Command::upsert(draft), status],
        )?;
        self.dispatch_view(order)
    }

    /// One order, read by its id.
    fn order(&self, id: Uuid) -> Result<Dispatch, ApiError> {
        let record = self.store().get(EntityRef { kind: EntityKind::Dispatch, id })?.filter(|r| !r.deleted());
        match record.map(|r| EntityBody::from_fields(EntityKind::Dispatch, &r.fields)) {
            Some(Ok(EntityBody::Dispatch(d))) => Ok(d),
            _ => Err(ApiError::not_found(format!("dispatch order {id}"))),
        }
    }

    fn dispatch_view(&self, id: Uuid) -> Result<DispatchView, ApiError> {
        let order = self.order(id)?;
        self.view_of(id, order)
    }

    fn view_of(&self, id: Uuid, order: Dispatch) -> Result<DispatchView, ApiError> {
        let team = self.store().get(EntityRef { kind: EntityKind::Team, id: order.team })?;
        let team_name = team.and_then(|r| team_of(&r).ok()).map_or_else(|| order.team.to_string(), |t| t.name);
        let stage = order.stage();
        Ok(DispatchView { id, stage, team_name, next: stage.next().to_vec(), order })
    }

    /// The orders of one incident (every incident when none), newest first.
    pub(crate) fn dispatches(&self, incident: Option<Uuid>) -> Result<Vec<DispatchView>, ApiError> {
        let mut orders: Vec<(Uuid, Dispatch)> =
            self.orders()?.into_iter().filter(|(_, d)| incident.is_none_or(|i| d.incident == i)).collect();
        orders.sort_by(|a, b| b.1.dispatched_at.cmp(&a.1.dispatched_at).then(b.0.cmp(&a.0)));
        orders.into_iter().map(|(id, d)| self.view_of(id, d)).collect()
    }
}

/// An expert to consult, with the record id.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExpertRow {
    pub id: Uuid,
    pub expert: onemap_domain::entity::Expert,
}

impl Api {
    /// Active experts covering `category` (all active ones when none), chief first, then the
    /// group, then the pool, by name.
    pub(crate) fn experts(&self, category: Option<&str>) -> Result<Vec<ExpertRow>, ApiError> {
        use onemap_domain::entity::{ExpertStatus, ExpertTier};
        if let Some(c) = category
            && self.context().taxonomy.category(c).is_none()
        {
            return Err(ApiError::new("validation.field", format!("field `category`: `{c}` is not an event category")));
        }
        let mut out: Vec<ExpertRow> = bodies(&**self.store(), EntityKind::Expert)?
            .into_iter()
            .filter_map(|(r, b)| match b {
                EntityBody::Expert(e)
                    if e.status == ExpertStatus::Active
                        && category.is_none_or(|c| e.event_classes.iter().any(|x| x == c)) =>
                {
                    Some(ExpertRow { id: r.entity.id, expert: e })
                }
                _ => None,
            })
            .collect();
        let rank = |t: ExpertTier| match t {
            ExpertTier::Chief => 0,
            ExpertTier::Group => 1,
            ExpertTier::Pool => 2,
        };
        out.sort_by(|a, b| {
            rank(a.expert.tier).cmp(&rank(b.expert.tier)).then_with(|| a.expert.name.cmp(&b.expert.name))
        });
        Ok(out)
    }
}

/// The event key of an answer appended to a team request.
const ANSWER_EVENT: &str = "answer";

/// How the asked centre answers a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Answer {
    /// Order the team (this centre must be able to).
    Approve,
    /// Pass the request to the tier above.
    Forward,
    Decline,
}

/// A team request as the console shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TeamRequestView {
    pub id: Uuid,
    pub request: onemap_domain::entity::TeamRequest,
    pub state: onemap_domain::request::RequestState,
    pub team_name: String,
    pub incident_title: String,
    /// Whether this centre is the one asked now (it may answer).
    pub mine_to_answer: bool,
    /// Whether this centre could order the team itself (approve) rather than forward.
    pub can_order: bool,
}

impl Api {
    fn request_events(&self, id: Uuid) -> Result<Vec<onemap_domain::request::RequestEvent>, ApiError> {
        let ops = self.store().events(EntityRef { kind: EntityKind::TeamRequest, id })?;
        Ok(ops
            .iter()
            .filter_map(|op| match &op.change {
                onemap_store::Change::Append(v) => {
                    v.get(ANSWER_EVENT).and_then(|e| serde_json::from_value(e.clone()).ok())
                }
                _ => None,
            })
            .collect())
    }

    fn request_view(&self, id: Uuid, r: onemap_domain::entity::TeamRequest) -> Result<TeamRequestView, ApiError> {
        let centre = self.centre()?;
        let state = onemap_domain::request::fold(&r.to, &self.request_events(id)?);
        let store = self.store();
        let team = store.get(EntityRef { kind: EntityKind::Team, id: r.team })?;
        let incident = store.get(EntityRef { kind: EntityKind::Incident, id: r.incident })?;
        drop(store);
        let owner = team.as_ref().and_then(|t| team_of(t).ok()).map(|t| t.owner);
        Ok(TeamRequestView {
            id,
            mine_to_answer: state.status == onemap_domain::request::RequestStatus::Pending && state.asked == centre,
            can_order: owner.is_some_and(|o| dispatch::authority(&centre, &o) == Authority::Direct),
            team_name: crate::allocation::name_of(team.as_ref()),
            incident_title: crate::allocation::name_of(incident.as_ref()),
            state,
            request: r,
        })
    }

    /// Asks the tier above for a team this centre may not order.
    pub(crate) fn request_team(&self, req: DispatchRequest, actor: &str) -> Result<TeamRequestView, ApiError> {
        if req.reason.trim().is_empty() {
            return Err(ApiError::new(
                "validation.field",
                "field `reason`: a request says what the team is needed for",
            ));
        }
        self.incident_body(req.incident)?;
        let team = self
            .store()
            .get(EntityRef { kind: EntityKind::Team, id: req.team })?
            .filter(|r| !r.deleted())
            .ok_or_else(|| ApiError::not_found(format!("team {}", req.team)))?;
        let t = team_of(&team)?;
        let centre = self.centre()?;
        let via = match dispatch::authority(&centre, &t.owner) {
            Authority::Request { via } => via,
            Authority::Direct => {
                return Err(ApiError::new(
                    "dispatch.authority",
                    format!("{} is this centre's to order: dispatch it", t.name),
                ));
            }
            Authority::Outside => {
                return Err(ApiError::new(
                    "dispatch.authority",
                    format!("{} is beyond the reach of any centre above {centre}", t.name),
                ));
            }
        };
        let body = EntityBody::TeamRequest(onemap_domain::entity::TeamRequest {
            incident: req.incident,
            team: req.team,
            from: centre,
            to: via,
            reason: req.reason.trim().to_owned(),
            requested_at: beijing_now(),
        });
        let id = body.controlling().map_or_else(Uuid::now_v7, |c| c.scoped_id(Uuid::now_v7().into_bytes()));
        let draft = Draft::new(id, body, false, &self.context().taxonomy)?;
        self.execute(
            actor,
            &format!("request: {} for incident {}", t.name, req.incident),
            vec![Command::upsert(draft)],
        )?;
        self.team_request(id)
    }

    fn team_request(&self, id: Uuid) -> Result<TeamRequestView, ApiError> {
        let record = self
            .store()
            .get(EntityRef { kind: EntityKind::TeamRequest, id })?
            .filter(|r| !r.deleted())
            .ok_or_else(|| ApiError::not_found(format!("team request {id}")))?;
        match EntityBody::from_fields(EntityKind::TeamRequest, &record.fields) {
            Ok(EntityBody::TeamRequest(r)) => self.request_view(id, r),
            _ => Err(ApiError::not_found(format!("team request {id}"))),
        }
    }

    /// The requests this centre made or is asked to answer, newest first.
    pub(crate) fn team_requests(&self) -> Result<Vec<TeamRequestView>, ApiError> {
        let centre = self.centre()?;
        let mut out = Vec::new();
        for (r, b) in bodies(&**self.store(), EntityKind::TeamRequest)? {
            if let EntityBody::TeamRequest(req) = b {
                out.push((r.entity.id, req));
            }
        }
        let mut views: Vec<TeamRequestView> = out
            .into_iter()
            .map(|(id, r)| self.request_view(id, r))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|v| {
                v.request.from == centre || v.state.asked == centre || v.state.history.iter().any(|e| e.by() == &centre)
            })
            .collect();
        views.sort_by(|a, b| b.request.requested_at.cmp(&a.request.requested_at).then(b.id.cmp(&a.id)));
        Ok(views)
    }

    /// The asked centre's answer: order the team (in the same commit), pass it up, or decline.
    pub(crate) fn answer_request(
        &self,
        id: Uuid,
        answer: Answer,
        note: &str,
        actor: &str,
    ) -> Result<TeamRequestView, ApiError> {
        use onemap_domain::request::RequestEvent;
        let view = self.team_request(id)?;
        let centre = self.centre()?;
        if !view.mine_to_answer {
            return Err(ApiError::new(
                "request.not_yours",
                format!(
                    "team request {id} is {:?} and awaits {}, not this centre ({centre})",
                    view.state.status, view.state.asked
                ),
            ));
        }
        let at = beijing_now();
        let entity = EntityRef { kind: EntityKind::TeamRequest, id };
        let note = note.trim().to_owned();
        let (event, mut commands) = match answer {
            Answer::Approve => {
                // The order this centre gives, and the team's status, with the answer.
                let order = self.dispatch_commands(DispatchRequest {
                    incident: view.request.incident,
                    team: view.request.team,
                    task: None,
                    reason: view.request.reason.clone(),
                })?;
                (RequestEvent::Approved { by: centre, order: order.0, at, note }, order.1)
            }
            Answer::Forward => {
                let to = centre.parent().ok_or_else(|| {
                    ApiError::new(
                        "request.not_yours",
                        format!("{centre} has no tier above to pass team request {id} to"),
                    )
                })?;
                (RequestEvent::Forwarded { by: centre, to, at, note }, Vec::new())
            }
            Answer::Decline => {
                if note.is_empty() {
                    return Err(ApiError::new("validation.field", "field `note`: a declined request says why"));
                }
                (RequestEvent::Declined { by: centre, at, note }, Vec::new())
            }
        };
        commands.push(Command::Append { entity, event: serde_json::json!({ ANSWER_EVENT: event }) });
        self.execute(actor, &format!("request.{}: {id}", crate::handlers::enum_name(&answer)), commands)?;
        self.team_request(id)
    }
}
