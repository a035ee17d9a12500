//! Emergency plan templates (应急预案) as data (`fixtures/plans/*.toml`): scope, lead body,
//! member units and duties, per-level triggers, action checklists with owners and due offsets,
//! resource needs, links to upper/lower/neighbouring plans, lifecycle; the checks that refuse a
//! bad plan set whole; and matching an incident to the plans and level that apply, with why.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::admin::AdminCode;
use crate::error::{Diagnostic, FieldError};
use crate::grading::{Applies, Facts, Interval, Metric};
use crate::taxonomy::Taxonomy;

/// 总体 / 专项 / 部门 plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlanKind {
    Special,
    Departmental,
    Overall,
}

/// draft → reviewed → filed → in force → superseded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Lifecycle {
    Draft,
    Reviewed,
    Filed,
    InForce,
    Superseded,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Links {
    pub upper: Vec<String>,
    pub lower: Vec<String>,
    pub neighbour: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Member {
    pub unit: String,
    pub duties: String,
}

/// One checklist step of a level.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Action {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// The lead body or a member unit.
    pub owner: String,
    /// Due this many minutes after the level is entered.
    pub due_min: u32,
}

/// A supply a level needs: a fixed quantity, or so much per relocated person.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Need {
    /// Catalogue item code (`fixtures/catalogue/items.csv`).
    pub item: String,
    pub quantity: Option<u64>,
    pub per_relocated: Option<f64>,
    /// Where the figure comes from (a standard, the plan's article).
    pub basis: String,
}

impl Need {
    /// The quantity needed for these facts (per-person needs rounded up).
    pub fn quantity_for(&self, facts: &Facts) -> u64 {
        match (self.quantity, self.per_relocated) {
            (Some(q), _) => q,
            (None, Some(r)) => (f64::from(facts.relocated) * r).ceil() as u64,
            (None, None) => 0,
        }
    }
}

/// Rescue forces a level calls for: so many teams with a specialty (taxonomy `specialty`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Force {
    pub specialty: String,
    pub teams: u32,
    /// Where the figure comes from (the plan's article, the duty it serves).
    pub basis: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Level {
    /// 1 (Ⅰ, highest) … 4 (Ⅳ).
    pub level: u8,
    /// The role that decides to start, change or end this level.
    pub decider: String,
    /// Any one metric inside its interval starts this level.
    #[serde(default)]
    pub triggers: BTreeMap<Metric, Interval>,
    /// The clause that lets the decider start the level on judgement (其他情形).
    pub manual: Option<String>,
    pub action: Vec<Action>,
    #[serde(default)]
    pub need: Vec<Need>,
    #[serde(default)]
    pub force: Vec<Force>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Plan {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub doc_no: String,
    pub kind: PlanKind,
    pub jurisdiction: AdminCode,
    /// The commanding body (指挥部 / 委员会).
    pub lead: String,
    /// The incident classes covered; an overall plan covers every class and lists none.
    #[serde(default)]
    pub scope: Vec<Applies>,
    pub version: String,
    pub lifecycle: Lifecycle,
    #[ts(type = "string")]
    pub effective: NaiveDate,
    #[ts(type = "string")]
    pub evaluation_due: NaiveDate,
    pub supersedes: Option<String>,
    pub source: String,
    pub confidence: String,
    #[serde(default)]
    pub links: Links,
    pub member: Vec<Member>,
    #[serde(default)]
    pub level: Vec<Level>,
}

/// A plan's problem before it is located: the lines to look after (`level = 2`, then the
/// action or item), and the field.
type Problem = (Vec<String>, FieldError);

impl Plan {
    /// Parses one plan file and checks it on its own (links are checked by [`PlanSet`]).
    pub fn from_toml(file: &str, text: &str, tax: &Taxonomy, items: &[&str]) -> Result<Self, Diagnostic> {
        let plan: Plan = crate::error::parse_toml(text).map_err(|(line, e)| Diagnostic::at(file, line, e))?;
        plan.check(tax, items).map_err(|(anchors, e)| {
            let anchors: Vec<&str> = anchors.iter().map(String::as_str).collect();
            Diagnostic::at(file, crate::error::line_of_after(text, &anchors, &e.field), e)
        })?;
        Ok(plan)
    }

    fn check(&self, tax: &Taxonomy, items: &[&str]) -> Result<(), Problem> {
        let top = |e: FieldError| (Vec::new(), e);
        if !is_plan_id(&self.id) {
            return Err(top(FieldError::new(
                "id",
                format!("`{}` must be lowercase ASCII words joined by `-`", self.id),
            )));
        }
        if !["V", "P", "U"].contains(&self.confidence.as_str()) {
            return Err(top(FieldError::new("confidence", format!("`{}` is not one of V, P, U", self.confidence))));
        }
        if self.evaluation_due <= self.effective {
            return Err(top(FieldError::new(
                "evaluation_due",
                format!("{} is not after `effective` {}", self.evaluation_due, self.effective),
            )));
        }
        match (self.kind, self.scope.is_empty()) {
            (PlanKind::Overall, false) => {
                return Err(top(FieldError::new("scope", "an overall plan covers every class: leave `scope` out")));
            }
            (PlanKind::Special | PlanKind::Departmental, true) => {
                return Err(top(FieldError::new(
                    "scope",
                    "a special or departmental plan names the classes it covers",
                )));
            }
            _ => {}
        }
        for a in &self.scope {
            a.check("scope", tax).map_err(top)?;
        }
        if self.member.is_empty() {
            return Err(top(FieldError::new("member", "a plan names its member units and their duties")));
        }
        let units: Vec<&str> =
            std::iter::once(self.lead.as_str()).chain(self.member.iter().map(|m| m.unit.as_str())).collect();
        if let Some(u) = units.iter().enumerate().find(|(i, u)| units[..*i].contains(u)).map(|(_, u)| u) {
            return Err(top(FieldError::new("unit", format!("unit `{u}` is listed twice"))));
        }
        let mut seen = Vec::new();
        for l in &self.level {
            check_level(l, &seen, &units, items)?;
            for f in &l.force {
                let within = || vec![format!("level = {}", l.level), format!("specialty = \"{}\"", f.specialty)];
                tax.expect("specialty", crate::taxonomy::Vocabulary::Specialty, &f.specialty)
                    .map_err(|e| (within(), e))?;
                if f.teams == 0 {
                    return Err((within(), FieldError::new("teams", "a force need asks for at least one team")));
                }
            }
            seen.push(l.level);
        }
        // One value of a metric starts at most one level.
        for (k, a) in self.level.iter().enumerate() {
            for b in &self.level[k + 1..] {
                for (m, ia) in &a.triggers {
                    if let Some(ib) = b.triggers.get(m).filter(|ib| ia.overlaps(ib)) {
                        let msg = format!("levels {} {ia} and {} {ib} overlap", a.level, b.level);
                        return Err((vec![format!("level = {}", b.level)], FieldError::new(m.as_str(), msg)));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn covers(&self, category: &str, subtype: &str) -> bool {
        self.kind == PlanKind::Overall || self.scope.iter().any(|a| a.matches(category, subtype))
    }

    pub fn level(&self, level: u8) -> Option<&Level> {
        self.level.iter().find(|l| l.level == level)
    }

    /// The highest level whose triggers these facts meet, and which metrics met it.
    pub fn triggered(&self, facts: &Facts) -> Option<(u8, Vec<String>)> {
        self.level
            .iter()
            .filter_map(|l| {
                let hits: Vec<String> = l
                    .triggers
                    .iter()
                    .filter_map(|(m, i)| {
                        m.value(facts).filter(|v| i.contains(*v)).map(|v| format!("{} {v} ∈ {i}", m.as_str()))
                    })
                    .collect();
                (!hits.is_empty()).then_some((l.level, hits))
            })
            .min_by_key(|(level, _)| *level)
    }
}

fn check_level(l: &Level, seen: &[u8], units: &[&str], items: &[&str]) -> Result<(), Problem> {
    let level = format!("level = {}", l.level);
    let at = |e: FieldError| (vec![level.clone()], e);
    let within = |inner: String, e: FieldError| (vec![level.clone(), inner], e);
    if !(1..=4).contains(&l.level) || seen.contains(&l.level) {
        // A repeated level is reported where it repeats.
        let e = FieldError::new("level", format!("level {} is not a distinct level 1–4", l.level));
        return Err(if seen.contains(&l.level) { within(level.clone(), e) } else { at(e) });
    }
    for (m, i) in &l.triggers {
        i.check(m.as_str()).map_err(at)?;
    }
    if l.triggers.is_empty() && l.manual.is_none() {
        return Err(at(FieldError::new(
            "triggers",
            format!("level {} has neither triggers nor a `manual` clause", l.level),
        )));
    }
    if l.action.is_empty() {
        return Err(at(FieldError::new("action", format!("level {} has no checklist", l.level))));
    }
    for (k, a) in l.action.iter().enumerate() {
        if !is_plan_id(&a.id) || l.action[..k].iter().any(|b| b.id == a.id) {
            return Err(at(FieldError::new("id", format!("action id `{}` is not a distinct lowercase id", a.id))));
        }
        if !units.contains(&a.owner.as_str()) {
            return Err(within(
                format!("id = \"{}\"", a.id),
                FieldError::new("owner", format!("`{}` is neither the lead nor a member unit of this plan", a.owner)),
            ));
        }
    }
    for n in &l.need {
        let item = || format!("item = \"{}\"", n.item);
        if !items.contains(&n.item.as_str()) {
            return Err(within(
                item(),
                FieldError::new("item", format!("`{}` is not in the supplies catalogue", n.item)),
            ));
        }
        match (n.quantity, n.per_relocated) {
            (Some(_), None) => {}
            (None, Some(r)) if r.is_finite() && r > 0.0 => {}
            _ => {
                return Err(within(
                    item(),
                    FieldError::new(
                        "per_relocated",
                        format!("item `{}`: give either `quantity` or a `per_relocated` > 0", n.item),
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn is_plan_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
}

/// A plan that applies to an incident, the level it suggests and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlanMatch {
    pub plan: String,
    pub zh: String,
    pub kind: PlanKind,
    pub jurisdiction: AdminCode,
    /// The level the facts trigger (`None`: the plan applies, no trigger is met yet).
    pub level: Option<u8>,
    pub why: Vec<String>,
}

/// Every plan the console knows, checked together.
#[derive(Debug, Clone, Default)]
pub struct PlanSet {
    pub plans: Vec<Plan>,
}

impl PlanSet {
    /// Parses and checks `(file name, text)` plan files. Any problem in any file refuses the
    /// whole set, with every problem found (file, line, field): first each file's own, then,
    /// when there are none, the links between plans.
    pub fn load(files: &[(String, String)], tax: &Taxonomy, items: &[&str]) -> Result<Self, Vec<Diagnostic>> {
        let mut plans = Vec::new();
        let mut problems = Vec::new();
        let mut names = Vec::new();
        for (name, text) in files {
            match Plan::from_toml(name, text, tax, items) {
                Ok(p) => {
                    plans.push(p);
                    names.push((name.as_str(), text.as_str()));
                }
                Err(d) => problems.push(d),
            }
        }
        // Links are checked once every file reads on its own (a broken file would make every
        // link to it look dangling).
        if !problems.is_empty() {
            return Err(problems);
        }
        for (k, p) in plans.iter().enumerate() {
            let (file, text) = names[k];
            let here = |field: &str, message: String| {
                Diagnostic::at(file, crate::error::line_of(text, field), FieldError::new(field, message))
            };
            if plans[..k].iter().any(|q| q.id == p.id) {
                problems.push(here("id", format!("plan id `{}` is used by another file", p.id)));
            }
            let linked = p
                .links
                .upper
                .iter()
                .map(|l| ("upper", l))
                .chain(p.links.lower.iter().map(|l| ("lower", l)))
                .chain(p.links.neighbour.iter().map(|l| ("neighbour", l)));
            for (field, l) in linked.chain(p.supersedes.iter().map(|s| ("supersedes", s))) {
                if !plans.iter().any(|q| &q.id == l) {
                    problems.push(here(field, format!("no plan has id `{l}`")));
                }
            }
            let replaced = plans.iter().find(|q| Some(&q.id) == p.supersedes.as_ref());
            if let Some(s) =
                replaced.filter(|s| p.lifecycle == Lifecycle::InForce && s.lifecycle != Lifecycle::Superseded)
            {
                let msg = format!("`{}` is replaced by this plan in force but is still {:?}", s.id, s.lifecycle);
                problems.push(here("supersedes", msg));
            }
        }
        if problems.is_empty() { Ok(Self { plans }) } else { Err(problems) }
    }

    pub fn get(&self, id: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.id == id)
    }

    /// The plans in force that apply to an incident of this class in this jurisdiction: its
    /// own jurisdiction's and those above it; special and departmental plans before the
    /// overall plan, nearer jurisdictions first. Each with the level its triggers reach.
    pub fn matching(&self, category: &str, subtype: &str, at: &AdminCode, facts: &Facts) -> Vec<PlanMatch> {
        let mut out: Vec<(PlanKind, std::cmp::Reverse<crate::admin::Tier>, PlanMatch)> = self
            .plans
            .iter()
            .filter(|p| p.lifecycle == Lifecycle::InForce && p.jurisdiction.contains(at) && p.covers(category, subtype))
            .map(|p| {
                let mut why = vec![if p.kind == PlanKind::Overall {
                    format!("总体预案覆盖 {} 内各类突发事件", p.jurisdiction.as_str())
                } else {
                    format!("适用范围含 {category}/{subtype}")
                }];
                let level = p.triggered(facts).map(|(level, hits)| {
                    why.extend(hits);
                    level
                });
                let m = PlanMatch {
                    plan: p.id.clone(),
                    zh: p.zh.clone(),
                    kind: p.kind,
                    jurisdiction: p.jurisdiction.clone(),
                    level,
                    why,
                };
                (p.kind, std::cmp::Reverse(p.jurisdiction.tier()), m)
            })
            .collect();
        out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        out.into_iter().map(|(_, _, m)| m).collect()
    }
}
