//! Information reporting requests: filing an initial, follow-up or final report (an
//! append-only event on the incident, numbered, titled and checked against the reporting
//! rules) and an incident's reports with the deadlines that apply to it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use onemap_domain::entity::{EntityBody, EntityKind, EntityRef, Incident};
use onemap_domain::grading::Facts;
use onemap_domain::reporting::{self, Channel, Deadline, KindRule, Report, ReportKind, Subject};
use onemap_domain::response::DecisionAction;
use onemap_store::Change;

use crate::error::ApiError;
use crate::handlers::{Api, Command};

/// A report to file.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct FileReportRequest {
    pub incident: Uuid,
    pub kind: ReportKind,
    pub to: String,
    pub channel: Channel,
    /// Text by element id (the kind's elements, from `reports`).
    pub sections: BTreeMap<String, String>,
}

/// One filed report.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FiledReport {
    pub id: Uuid,
    /// 初报, 续报一, …, 终报.
    pub label: String,
    pub report: Report,
}

/// An incident's reports and deadlines.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportsView {
    /// In filing order.
    pub filed: Vec<FiledReport>,
    pub deadlines: Vec<Deadline>,
    /// The report kinds and the elements each needs (for the form).
    pub kinds: Vec<KindRule>,
    /// The kinds that may be filed next, with their label.
    pub next: Vec<(ReportKind, String)>,
    pub now: String,
}

/// A generated file, base64 in JSON.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PdfFile {
    pub file_name: String,
    pub base64: String,
    #[ts(type = "number")]
    pub bytes: usize,
}

/// The event an incident carries for a report.
const REPORT_EVENT: &str = "report";

impl Api {
    fn incident(&self, id: Uuid) -> Result<Incident, ApiError> {
        let entity = EntityRef { kind: EntityKind::Incident, id };
        let record = self
            .store()
            .get(entity)?
            .filter(|r| !r.deleted())
            .ok_or_else(|| ApiError::not_found(format!("incident {id}")))?;
        match EntityBody::from_fields(EntityKind::Incident, &record.fields) {
            Ok(EntityBody::Incident(i)) => Ok(i),
            _ => Err(ApiError::new("store.corrupt", format!("incident {id} does not read as an incident"))),
        }
    }

    fn filed_reports(&self, incident: Uuid) -> Result<Vec<FiledReport>, ApiError> {
        let entity = EntityRef { kind: EntityKind::Incident, id: incident };
        let mut out = Vec::new();
        for op in self.store().events(entity)? {
            let Change::Append(v) = op.change else { continue };
            let Some(r) = v.get(REPORT_EVENT).and_then(|r| serde_json::from_value::<Report>(r.clone()).ok()) else {
                continue;
            };
            let Some(id) = v.get("id").and_then(|i| serde_json::from_value::<Uuid>(i.clone()).ok()) else { continue };
            out.push(FiledReport { id, label: reporting::label(r.kind, r.number), report: r });
        }
        Ok(out)
    }

    /// Files a report: numbered after the ones filed, titled from the incident, with its
    /// figures as they stand; refused whole if out of order or missing an element.
    pub(crate) fn file_report(&self, req: FileReportRequest, actor: &str) -> Result<ReportsView, ApiError> {
        let inc = self.incident(req.incident)?;
        let filed: Vec<Report> = self.filed_reports(req.incident)?.into_iter().map(|f| f.report).collect();
        let number = reporting::next_number(&filed, req.kind)?;
        let facts = facts_of(&inc);
        let report = Report {
            kind: req.kind,
            number,
            title: reporting::title(&self.place(&inc), &self.subtype_name(&inc), &facts, req.kind, number),
            to: req.to.trim().to_owned(),
            channel: req.channel,
            sections: req.sections.into_iter().map(|(k, v)| (k, v.trim().to_owned())).collect(),
            facts,
            filed_at: crate::response::beijing_now(),
            filed_by: self.recorder(actor),
        };
        reporting::check(&self.context().reporting, &report)?;
        let entity = EntityRef { kind: EntityKind::Incident, id: req.incident };
        let event = json!({ REPORT_EVENT: report, "id": Uuid::now_v7() });
        self.execute(
            actor,
            &format!("report.{}", reporting::label(report.kind, number)),
            vec![Command::Append { entity, event }],
        )?;
        self.reports(req.incident)
    }

    /// A filed report as a PDF (the fonts are read on the first one).
    pub(crate) fn report_pdf(&self, incident: Uuid, report: Uuid) -> Result<PdfFile, ApiError> {
        use base64::Engine as _;
        let inc = self.incident(incident)?;
        let filed = self.filed_reports(incident)?;
        let f = filed
            .iter()
            .find(|f| f.id == report)
            .ok_or_else(|| ApiError::not_found(format!("report {report} of incident {incident}")))?;
        let fonts = match self.fonts.get() {
            Some(f) => f,
            None => {
                let loaded = crate::report_pdf::Fonts::load(&self.context().report_fonts)?;
                self.fonts.get_or_init(|| loaded)
            }
        };
        let tax = &self.context().taxonomy;
        let category = tax.category(&inc.category).map_or_else(|| inc.category.clone(), |c| c.zh.clone());
        let page = crate::report_pdf::Page {
            kind: self.context().reporting.kind(f.report.kind),
            label: &f.label,
            onset: &inc.onset,
            place: &self.place(&inc),
            class: &format!("{category} / {}", self.subtype_name(&inc)),
            classification: &self.context().wall.classification,
        };
        let pdf = crate::report_pdf::render(fonts, &f.report, &page)?;
        let date = f.report.filed_at.get(..10).unwrap_or_default().replace('-', "");
        Ok(PdfFile {
            file_name: format!("{}-{}-{date}.pdf", self.place(&inc), f.label),
            bytes: pdf.len(),
            base64: base64::engine::general_purpose::STANDARD.encode(pdf),
        })
    }

    pub(crate) fn reports(&self, incident: Uuid) -> Result<ReportsView, ApiError> {
        let inc = self.incident(incident)?;
        let filed = self.filed_reports(incident)?;
        let reports: Vec<Report> = filed.iter().map(|f| f.report.clone()).collect();
        let (start, end) = self.response_span(incident)?;
        let facts = facts_of(&inc);
        let subject = Subject {
            category: &inc.category,
            subtype: &inc.subtype,
            grade: inc.grade,
            facts: &facts,
            onset: &inc.onset,
            response_start: start.as_deref(),
            response_end: end.as_deref(),
        };
        let now = crate::response::beijing_now();
        let rules = &self.context().reporting;
        let deadlines = reporting::deadlines(rules, &subject, &reports, &now)?;
        let next = [ReportKind::Initial, ReportKind::FollowUp, ReportKind::Final]
            .into_iter()
            .filter_map(|k| reporting::next_number(&reports, k).ok().map(|n| (k, reporting::label(k, n))))
            .collect();
        Ok(ReportsView { filed, deadlines, kinds: rules.kind.clone(), next, now })
    }

    /// When the incident's first response started, and when its responses all ended (none
    /// when one still runs).
    fn response_span(&self, incident: Uuid) -> Result<(Option<String>, Option<String>), ApiError> {
        let views = self.responses(incident)?;
        let at = |d: &onemap_domain::response::Decision| chrono::DateTime::parse_from_rfc3339(&d.at).ok();
        let decisions: Vec<&onemap_domain::response::Decision> =
            views.iter().flat_map(|v| v.decisions.iter().map(|r| &r.decision)).collect();
        let start =
            decisions.iter().filter(|d| d.action == DecisionAction::Start).min_by_key(|d| at(d)).map(|d| d.at.clone());
        let running = views.iter().any(|v| v.state.level.is_some());
        let end = if running || views.is_empty() {
            None
        } else {
            decisions
                .iter()
                .filter(|d| d.action == DecisionAction::Terminate)
                .max_by_key(|d| at(d))
                .map(|d| d.at.clone())
        };
        Ok((start, end))
    }

    /// The incident's place for a title: its jurisdiction's name (its county's before it).
    fn place(&self, inc: &Incident) -> String {
        let name = |code: &onemap_domain::AdminCode| {
            let entity = EntityRef { kind: EntityKind::Jurisdiction, id: code.record_id() };
            self.store()
                .get(entity)
                .ok()
                .flatten()
                .and_then(|r| r.fields.get("name_zh").and_then(|v| v.as_str().map(str::to_owned)))
        };
        let own = name(&inc.jurisdiction).unwrap_or_else(|| inc.jurisdiction.to_string());
        let county = std::iter::successors(Some(inc.jurisdiction.clone()), onemap_domain::AdminCode::parent)
            .find(|c| c.tier() == onemap_domain::Tier::County && *c != inc.jurisdiction)
            .and_then(|c| name(&c));
        county.map_or(own.clone(), |c| format!("{c}{own}"))
    }

    fn subtype_name(&self, inc: &Incident) -> String {
        let tax = &self.context().taxonomy;
        tax.category(&inc.category)
            .and_then(|c| c.subtype.iter().find(|s| s.id == inc.subtype))
            .map_or_else(|| inc.subtype.clone(), |s| s.zh.clone())
    }
}

/// The figures rules measure, as the incident record has them.
pub(crate) fn facts_of(inc: &Incident) -> Facts {
    Facts {
        dead: inc.casualties.dead,
        missing: inc.casualties.missing,
        injured: inc.casualties.injured,
        relocated: inc.relocated,
        affected: inc.affected,
        houses_damaged: inc.houses_damaged,
        direct_loss_cny: inc.direct_loss_cny,
        ..Facts::default()
    }
}
