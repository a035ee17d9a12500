//! Information reporting (信息报送) from data (`fixtures/reporting.toml`): initial, follow-up
//! and final reports (初报/续报/终报) with the elements each must carry, their order and
//! numbering (续报一、续报二…), the report title, and the deadline timers that apply to an
//! incident — when each is due, whether a report met it, whether it is overdue.

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;
use crate::grading::{Applies, Facts, Interval, Metric};
use crate::taxonomy::{Taxonomy, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportKind {
    Initial,
    FollowUp,
    Final,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Channel {
    Phone,
    Written,
    Any,
}

/// What a timer counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Anchor {
    Onset,
    ResponseStart,
    ResponseEnd,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct KindRule {
    pub kind: ReportKind,
    pub zh: String,
    pub en: String,
    /// The text sections a report of this kind must have (the incident's figures are added).
    pub elements: Vec<Term>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Timer {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub applies: Vec<Applies>,
    /// Only incidents whose facts meet one of these intervals.
    #[serde(default)]
    pub when: std::collections::BTreeMap<Metric, Interval>,
    /// Only incidents graded this grade or higher (1 = Ⅰ).
    pub grade_at_most: Option<u8>,
    pub report: ReportKind,
    pub from: Anchor,
    pub minutes: u32,
    /// Repeats this often after each due time while the response runs.
    pub every: Option<u32>,
    pub to: String,
    pub channel: Channel,
    pub source: String,
    pub confidence: String,
}

/// `fixtures/reporting.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReportingRules {
    pub kind: Vec<KindRule>,
    pub timer: Vec<Timer>,
}

impl ReportingRules {
    pub fn from_toml(text: &str, tax: &Taxonomy) -> Result<Self, (u64, FieldError)> {
        let rules: ReportingRules = crate::error::parse_toml(text)?;
        rules.check(tax).map_err(|(anchor, e)| {
            let anchors: Vec<&str> = anchor.iter().map(String::as_str).collect();
            (crate::error::line_of_after(text, &anchors, &e.field), e)
        })?;
        Ok(rules)
    }

    fn check(&self, tax: &Taxonomy) -> Result<(), (Vec<String>, FieldError)> {
        for k in [ReportKind::Initial, ReportKind::FollowUp, ReportKind::Final] {
            let n = self.kind.iter().filter(|r| r.kind == k).count();
            if n != 1 {
                return Err((
                    Vec::new(),
                    FieldError::new("kind", format!("report kind {k:?} is described {n} times, not once")),
                ));
            }
        }
        for r in &self.kind {
            if r.elements.is_empty() {
                return Err((Vec::new(), FieldError::new("elements", format!("{} lists no elements", r.zh))));
            }
        }
        for (k, t) in self.timer.iter().enumerate() {
            let at = |e: FieldError| (vec![format!("id = \"{}\"", t.id)], e);
            if self.timer[..k].iter().any(|o| o.id == t.id) {
                // Reported where it appears the second time.
                let anchor = format!("id = \"{}\"", t.id);
                return Err((
                    vec![anchor.clone(), anchor],
                    FieldError::new("id", format!("timer id `{}` appears twice", t.id)),
                ));
            }
            if t.applies.is_empty() {
                return Err(at(FieldError::new("applies", "a timer applies to at least one class")));
            }
            for a in &t.applies {
                a.check("applies", tax).map_err(at)?;
            }
            for (m, i) in &t.when {
                i.check(m.as_str()).map_err(at)?;
            }
            if t.minutes == 0 || t.every == Some(0) {
                return Err(at(FieldError::new("minutes", "a deadline is at least one minute away")));
            }
            if t.grade_at_most.is_some_and(|g| !(1..=4).contains(&g)) {
                return Err(at(FieldError::new("grade_at_most", "a grade is 1 (Ⅰ) to 4 (Ⅳ)")));
            }
            if !["V", "P", "U"].contains(&t.confidence.as_str()) {
                return Err(at(FieldError::new("confidence", format!("`{}` is not one of V, P, U", t.confidence))));
            }
        }
        Ok(())
    }

    pub fn kind(&self, k: ReportKind) -> &KindRule {
        self.kind.iter().find(|r| r.kind == k).expect("every kind is described once (checked on load)")
    }
}

/// A filed report (an append-only event on its incident).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Report {
    pub kind: ReportKind,
    /// 1 for the initial and final report; 1, 2, … for follow-ups (续报一、续报二…).
    pub number: u32,
    pub title: String,
    pub to: String,
    pub channel: Channel,
    /// Text sections by element id.
    pub sections: std::collections::BTreeMap<String, String>,
    /// The incident's figures when the report was filed.
    pub facts: Facts,
    /// When it was filed, RFC 3339.
    pub filed_at: String,
    pub filed_by: String,
}

/// The report of `kind` that may be filed next after `filed`, with its number, or why not:
/// a follow-up needs an initial report; there is one initial and one final report; nothing
/// follows the final report.
pub fn next_number(filed: &[Report], kind: ReportKind) -> Result<u32, FieldError> {
    let count = |k: ReportKind| filed.iter().filter(|r| r.kind == k).count() as u32;
    if count(ReportKind::Final) > 0 {
        return Err(FieldError::new("kind", "the final report has been filed; nothing follows it"));
    }
    match kind {
        ReportKind::Initial if count(ReportKind::Initial) > 0 => {
            Err(FieldError::new("kind", "the initial report has been filed; file a follow-up"))
        }
        ReportKind::FollowUp | ReportKind::Final if count(ReportKind::Initial) == 0 => {
            Err(FieldError::new("kind", "file the initial report first"))
        }
        ReportKind::FollowUp => Ok(count(ReportKind::FollowUp) + 1),
        _ => Ok(1),
    }
}

/// Checks a report before it is filed: a title, an addressee, every element of its kind.
pub fn check(rules: &ReportingRules, r: &Report) -> Result<(), FieldError> {
    if r.title.trim().is_empty() {
        return Err(FieldError::new("title", "a report has a title"));
    }
    if r.to.trim().is_empty() {
        return Err(FieldError::new("to", "a report names who it goes to"));
    }
    for e in &rules.kind(r.kind).elements {
        if r.sections.get(&e.id).is_none_or(|t| t.trim().is_empty()) {
            return Err(FieldError::new(
                format!("sections.{}", e.id),
                format!("{}「{}」is required", rules.kind(r.kind).zh, e.zh),
            ));
        }
    }
    if let Some(extra) = r.sections.keys().find(|k| !rules.kind(r.kind).elements.iter().any(|e| &e.id == *k)) {
        return Err(FieldError::new(
            format!("sections.{extra}"),
            format!("a {:?} report has no section `{extra}`", r.kind),
        ));
    }
    parse_time("filed_at", &r.filed_at)?;
    Ok(())
}

/// 续报一 … 续报十九, then 续报20 ….
pub fn label(kind: ReportKind, number: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let cn = match number {
        1..=9 => DIGITS[number as usize].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[(number - 10) as usize]),
        n => n.to_string(),
    };
    match kind {
        ReportKind::Initial => "初报".to_owned(),
        ReportKind::FollowUp => format!("续报{cn}"),
        ReportKind::Final => "终报".to_owned(),
    }
}

/// A report title stating place, type, casualties and the key figure, as reporting rules ask:
/// e.g. `东昌区江东乡洪涝灾害 转移安置150人（初报）`.
pub fn title(place: &str, what: &str, f: &Facts, kind: ReportKind, number: u32) -> String {
    let mut figures = Vec::new();
    if f.dead > 0 {
        figures.push(format!("死亡{}人", f.dead));
    }
    if f.missing > 0 {
        figures.push(format!("失踪{}人", f.missing));
    }
    if f.injured > 0 {
        figures.push(format!("受伤{}人", f.injured));
    }
    if f.relocated > 0 {
        figures.push(format!("转移安置{}人", f.relocated));
    }
    let figures = if figures.is_empty() { "暂无人员伤亡".to_owned() } else { figures.join("、") };
    format!("{place}{what} {figures}（{}）", label(kind, number))
}

/// What a timer needs to know about an incident.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    pub category: &'a str,
    pub subtype: &'a str,
    pub grade: Option<u8>,
    pub facts: &'a Facts,
    pub onset: &'a str,
    /// When its (first) response started and ended, if it did.
    pub response_start: Option<&'a str>,
    pub response_end: Option<&'a str>,
}

/// One deadline as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Deadline {
    pub timer: String,
    pub zh: String,
    pub en: String,
    pub report: ReportKind,
    pub to: String,
    pub channel: Channel,
    pub due: String,
    /// The report that met it, as its label: filed by the due time, or — for a deadline that
    /// does not repeat — after it (`late`, 迟报).
    pub met_by: Option<String>,
    /// Met, but after the due time.
    pub late: bool,
    /// Due time passed and no report of its kind.
    pub overdue: bool,
    pub source: String,
    pub confidence: String,
}

/// The most deadlines listed (a year of daily follow-ups).
const MAX_DEADLINES: usize = 400;

/// The deadlines of every timer that applies to `s`, given the reports filed, at `now`.
/// A repeating timer lists its due times up to the next one not yet met (or the response's
/// end). A report meets a deadline when it is of the timer's kind and filed before it was due
/// and after the previous due time of the same timer; a report filed after a deadline that
/// does not repeat meets it late (and it is no longer overdue).
pub fn deadlines(
    rules: &ReportingRules,
    s: &Subject<'_>,
    filed: &[Report],
    now: &str,
) -> Result<Vec<Deadline>, FieldError> {
    let now_t = parse_time("now", now)?;
    let mut out = Vec::new();
    for t in &rules.timer {
        if !t.applies.iter().any(|a| a.matches(s.category, s.subtype)) {
            continue;
        }
        if !t.when.is_empty() && !t.when.iter().any(|(m, i)| m.value(s.facts).is_some_and(|v| i.contains(v))) {
            continue;
        }
        if t.grade_at_most.is_some_and(|g| s.grade.is_none_or(|x| x > g)) {
            continue;
        }
        let base = match t.from {
            Anchor::Onset => Some(s.onset),
            Anchor::ResponseStart => s.response_start,
            Anchor::ResponseEnd => s.response_end,
        };
        let Some(base) = base else { continue };
        let mut due = parse_time("onset", base)? + Duration::minutes(i64::from(t.minutes));
        let mut since: Option<DateTime<FixedOffset>> = None;
        let end = s.response_end.map(|e| parse_time("response_end", e)).transpose()?;
        loop {
            let met = filed.iter().find(|r| {
                r.kind == t.report
                    && parse_time("filed_at", &r.filed_at).is_ok_and(|at| at <= due && since.is_none_or(|s| at > s))
            });
            // A deadline that does not repeat is still met by a later report, as 迟报.
            let late = if met.is_none() && t.every.is_none() {
                filed
                    .iter()
                    .find(|r| r.kind == t.report && parse_time("filed_at", &r.filed_at).is_ok_and(|at| at > due))
            } else {
                None
            };
            let overdue = met.is_none() && late.is_none() && now_t > due;
            out.push(Deadline {
                timer: t.id.clone(),
                zh: t.zh.clone(),
                en: t.en.clone(),
                report: t.report,
                to: t.to.clone(),
                channel: t.channel,
                due: due.to_rfc3339(),
                met_by: met.or(late).map(|r| label(r.kind, r.number)),
                late: late.is_some(),
                overdue,
                source: t.source.clone(),
                confidence: t.confidence.clone(),
            });
            let Some(every) = t.every else { break };
            // Repeat while the response runs: up to the first due time not yet reached or met.
            if met.is_none() && now_t <= due {
                break;
            }
            since = Some(due);
            due += Duration::minutes(i64::from(every));
            if end.is_some_and(|e| due > e) || out.len() >= MAX_DEADLINES {
                break;
            }
        }
    }
    Ok(out)
}

fn parse_time(field: &str, s: &str) -> Result<DateTime<FixedOffset>, FieldError> {
    DateTime::parse_from_rfc3339(s).map_err(|e| FieldError::new(field, format!("`{s}` is not an RFC 3339 time: {e}")))
}
