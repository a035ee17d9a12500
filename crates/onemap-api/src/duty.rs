//! The duty log (值班日志): everything a centre received and sent in a time window — calls
//! taken in as incidents, reports filed upward, response decisions, checklist steps done,
//! journal notes and shift handovers — read from the op log, so it is complete by
//! construction; and the shifts on duty in that window.

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use onemap_domain::entity::{EntityBody, EntityKind, Shift};
use onemap_domain::reporting::Report;
use onemap_domain::response::Decision;
use onemap_store::{Change, Op};

use crate::error::ApiError;
use crate::handlers::{Api, bodies};

/// What a duty-log line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DutyKind {
    /// 接报: an incident taken in.
    Received,
    /// 报送: a report filed.
    Sent,
    /// 决策: a response decision.
    Decided,
    /// A checklist step completed.
    Done,
    /// A journal note.
    Note,
    /// 交接班: a shift recorded or handed over.
    Handover,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DutyLine {
    #[ts(type = "number")]
    pub at_ms: i64,
    pub kind: DutyKind,
    /// One line, in the record's own words (title, report title and addressee, decision).
    pub text: String,
    pub incident: Option<Uuid>,
    pub actor: String,
    /// The centre (node) it was recorded at.
    pub origin: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DutyLog {
    pub lines: Vec<DutyLine>,
    /// The shifts overlapping the window.
    pub shifts: Vec<(Uuid, Shift)>,
}

fn text(fields: &serde_json::Map<String, Value>, key: &str) -> String {
    fields.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// The duty-log line an op makes, if it makes one. `first_set` says whether this is the
/// first `Set` of its record in the log (a record created, not edited).
fn line_of(op: &Op, first_set: bool) -> Option<DutyLine> {
    let at_ms = op.hlc.unix_ms();
    let line = |kind: DutyKind, text: String, incident: Option<Uuid>| DutyLine {
        at_ms,
        kind,
        text,
        incident,
        actor: op.actor.clone(),
        origin: op.origin.0.to_string(),
    };
    match (&op.change, op.entity.kind) {
        (Change::Set(f), EntityKind::Incident) if first_set => {
            Some(line(DutyKind::Received, text(f, "title"), Some(op.entity.id)))
        }
        (Change::Set(f), EntityKind::Task) if f.get("done").and_then(Value::as_bool) == Some(true) && !first_set => {
            let incident = f.get("incident").and_then(|v| serde_json::from_value(v.clone()).ok());
            Some(line(DutyKind::Done, text(f, "title"), incident))
        }
        (Change::Set(f), EntityKind::Journal) => {
            let incident = f.get("incident").and_then(|v| serde_json::from_value(v.clone()).ok());
            Some(line(DutyKind::Note, text(f, "text"), incident))
        }
        (Change::Set(f), EntityKind::Shift) => {
            let handover = text(f, "handover");
            let what = if handover.is_empty() {
                format!("值班 {} {}", text(f, "leader"), text(f, "starts"))
            } else {
                format!("交班：{handover}")
            };
            Some(line(DutyKind::Handover, what, None))
        }
        (Change::Append(v), EntityKind::Incident) => {
            let incident = Some(op.entity.id);
            if let Some(r) = v.get("report").and_then(|r| serde_json::from_value::<Report>(r.clone()).ok()) {
                return Some(line(DutyKind::Sent, format!("{} → {}", r.title, r.to), incident));
            }
            let d = v.get("decision").and_then(|d| serde_json::from_value::<Decision>(d.clone()).ok())?;
            let level = d.level.map_or(String::new(), |l| format!(" {}级", onemap_domain::response::roman(l)));
            let action = match d.action {
                onemap_domain::response::DecisionAction::Start => "启动",
                onemap_domain::response::DecisionAction::Upgrade => "升级为",
                onemap_domain::response::DecisionAction::Downgrade => "降级为",
                onemap_domain::response::DecisionAction::Terminate => "终止",
            };
            Some(line(
                DutyKind::Decided,
                format!("{} {action}{level}响应（{}）：{}", d.plan, d.decider_role, d.reason),
                incident,
            ))
        }
        _ => None,
    }
}

impl Api {
    /// The duty log between two moments (Unix ms, inclusive).
    pub(crate) fn duty_log(&self, from_ms: i64, to_ms: i64) -> Result<DutyLog, ApiError> {
        if to_ms < from_ms {
            return Err(ApiError::new(
                "validation.field",
                format!("field `to_ms`: {to_ms} is before `from_ms` {from_ms}"),
            ));
        }
        let store = self.store();
        let mut seen = std::collections::BTreeSet::new();
        let mut lines = Vec::new();
        // Every op is read (a record's first write may lie before the window); the log is in
        // local order, which is each record's own order of arrival.
        for (_, op) in store.ops_since(0, usize::MAX)? {
            let first_set = matches!(op.change, Change::Set(_)) && seen.insert(op.entity);
            let at = op.hlc.unix_ms();
            if (from_ms..=to_ms).contains(&at) {
                lines.extend(line_of(&op, first_set).filter(|_| !op.intent.starts_with("fixtures.")));
            }
        }
        lines.sort_by_key(|l| l.at_ms);
        let overlaps = |s: &Shift| {
            let ms = |t: &str| chrono::DateTime::parse_from_rfc3339(t).map(|d| d.timestamp_millis()).ok();
            ms(&s.starts).is_some_and(|a| a <= to_ms) && ms(&s.ends).is_some_and(|b| b >= from_ms)
        };
        let mut shifts: Vec<(Uuid, Shift)> = bodies(&**store, EntityKind::Shift)?
            .into_iter()
            .filter_map(|(r, b)| match b {
                EntityBody::Shift(s) if overlaps(&s) => Some((r.entity.id, s)),
                _ => None,
            })
            .collect();
        shifts.sort_by(|a, b| a.1.starts.cmp(&b.1.starts));
        Ok(DutyLog { lines, shifts })
    }
}
