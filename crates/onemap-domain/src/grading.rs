//! Event grading from data: rule sets (`fixtures/grading/*.toml`) of half-open metric
//! intervals per grade, matched "any of, highest grade wins", with the rule, source and
//! interval behind every suggestion. The metrics, facts and intervals here are shared with
//! the plans' level triggers.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;
use crate::taxonomy::{Taxonomy, Vocabulary};

/// What is known about an incident that rules measure. A metric whose fact is unknown
/// (`None`) matches no interval.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Facts {
    pub dead: u32,
    pub missing: u32,
    /// Injured people; for production-safety grading, serious injuries incl. acute poisoning.
    pub injured: u32,
    /// Urgently relocated people plus people needing emergency living aid.
    pub relocated: u32,
    pub affected: u32,
    /// Collapsed and severely damaged houses, in rooms (间).
    pub houses_damaged: u32,
    #[ts(type = "number")]
    pub direct_loss_cny: u64,
    /// Burned forest area, hectares (forest fires).
    pub burned_area_ha: Option<f64>,
    /// Earthquake magnitude (M).
    pub magnitude: Option<f64>,
    /// Population density around the epicentre, for the earthquake magnitude criteria.
    pub density: Option<Density>,
}

/// Population density classes of the earthquake plan (人口密集: > 200 persons/km² in the
/// epicentral county; 人口较密集; other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Density {
    Dense,
    Populated,
    Sparse,
}

/// A measurable quantity a rule's interval applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Metric {
    Dead,
    Missing,
    /// Dead plus missing (死亡和失踪).
    DeadMissing,
    Injured,
    Relocated,
    Affected,
    HousesDamaged,
    DirectLossCny,
    BurnedAreaHa,
    /// The magnitude, when the epicentre is in a densely populated area.
    MagnitudeDense,
    /// The magnitude, when the epicentre is in a populated (较密集) area.
    MagnitudePopulated,
}

impl Metric {
    /// The metric's value for these facts (`None`: not known, or not this metric's case).
    pub fn value(self, f: &Facts) -> Option<f64> {
        let magnitude_in = |d: Density| f.magnitude.filter(|_| f.density == Some(d));
        match self {
            Self::Dead => Some(f64::from(f.dead)),
            Self::Missing => Some(f64::from(f.missing)),
            Self::DeadMissing => Some(f64::from(f.dead) + f64::from(f.missing)),
            Self::Injured => Some(f64::from(f.injured)),
            Self::Relocated => Some(f64::from(f.relocated)),
            Self::Affected => Some(f64::from(f.affected)),
            Self::HousesDamaged => Some(f64::from(f.houses_damaged)),
            Self::DirectLossCny => Some(f.direct_loss_cny as f64),
            Self::BurnedAreaHa => f.burned_area_ha,
            Self::MagnitudeDense => magnitude_in(Density::Dense),
            Self::MagnitudePopulated => magnitude_in(Density::Populated),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dead => "dead",
            Self::Missing => "missing",
            Self::DeadMissing => "dead_missing",
            Self::Injured => "injured",
            Self::Relocated => "relocated",
            Self::Affected => "affected",
            Self::HousesDamaged => "houses_damaged",
            Self::DirectLossCny => "direct_loss_cny",
            Self::BurnedAreaHa => "burned_area_ha",
            Self::MagnitudeDense => "magnitude_dense",
            Self::MagnitudePopulated => "magnitude_populated",
        }
    }
}

/// A half-open interval `[gte, lt)` — "以上含本数，以下不含本数". A missing bound is open.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Interval {
    pub gte: Option<f64>,
    pub lt: Option<f64>,
}

impl Interval {
    pub fn contains(&self, v: f64) -> bool {
        self.gte.is_none_or(|lo| v >= lo) && self.lt.is_none_or(|hi| v < hi)
    }

    /// Whether two intervals share a value.
    pub fn overlaps(&self, o: &Interval) -> bool {
        let lo = match (self.gte, o.gte) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let hi = match (self.lt, o.lt) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match (lo, hi) {
            (Some(lo), Some(hi)) => lo < hi,
            _ => true,
        }
    }

    pub fn check(&self, field: &str) -> Result<(), FieldError> {
        for b in [self.gte, self.lt].into_iter().flatten() {
            if !b.is_finite() || b < 0.0 {
                return Err(FieldError::new(field, format!("bound {b} is not a finite quantity ≥ 0")));
            }
        }
        match (self.gte, self.lt) {
            (None, None) => Err(FieldError::new(field, "an interval needs `gte`, `lt` or both")),
            (Some(lo), Some(hi)) if lo >= hi => {
                Err(FieldError::new(field, format!("empty interval: gte {lo} is not below lt {hi}")))
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.gte, self.lt) {
            (Some(lo), Some(hi)) => write!(f, "[{lo}, {hi})"),
            (Some(lo), None) => write!(f, "≥ {lo}"),
            (None, Some(hi)) => write!(f, "< {hi}"),
            (None, None) => write!(f, "any"),
        }
    }
}

/// An incident class a rule set applies to (a subtype, or every subtype of a category).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Applies {
    pub category: String,
    pub subtype: Option<String>,
}

impl Applies {
    pub fn matches(&self, category: &str, subtype: &str) -> bool {
        self.category == category && self.subtype.as_deref().is_none_or(|s| s == subtype)
    }

    pub fn check(&self, field: &str, tax: &Taxonomy) -> Result<(), FieldError> {
        tax.expect(&format!("{field}.category"), Vocabulary::Category, &self.category)?;
        if let Some(s) = &self.subtype {
            tax.expect(&format!("{field}.subtype"), Vocabulary::Subtype(&self.category), s)?;
        }
        Ok(())
    }
}

/// One grade's criteria: any metric inside its interval gives the grade.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GradeCriteria {
    pub grade: u8,
    pub when: BTreeMap<Metric, Interval>,
}

/// A grading rule set: one legal source, the incidents it covers, criteria per grade.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RuleSet {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// Document and article, e.g. 国务院令第493号 第三条.
    pub source: String,
    /// V verified, P plausible, U unverified (reference/domain-rules.md).
    pub confidence: String,
    pub applies: Vec<Applies>,
    pub grade: Vec<GradeCriteria>,
}

impl RuleSet {
    /// Parses one rule-set file and checks it against the taxonomy; errors carry the line.
    pub fn from_toml(text: &str, tax: &Taxonomy) -> Result<Self, (u64, FieldError)> {
        let set: RuleSet = crate::error::parse_toml(text)?;
        set.check(tax).map_err(|(grade, e)| {
            let anchor: Vec<String> = grade.map(|g| format!("grade = {g}")).into_iter().collect();
            let anchors: Vec<&str> = anchor.iter().map(String::as_str).collect();
            (crate::error::line_of_after(text, &anchors, &e.field), e)
        })?;
        Ok(set)
    }

    /// The first problem, with the grade whose criteria it is in (if any).
    fn check(&self, tax: &Taxonomy) -> Result<(), (Option<u8>, FieldError)> {
        self.check_head(tax).map_err(|e| (None, e))?;
        let mut seen = Vec::new();
        for g in &self.grade {
            let at = |e: FieldError| (Some(g.grade), e);
            if !(1..=4).contains(&g.grade) || seen.contains(&g.grade) {
                return Err(at(FieldError::new("grade", format!("grade {} is not a distinct grade 1–4", g.grade))));
            }
            seen.push(g.grade);
            if g.when.is_empty() {
                return Err(at(FieldError::new("when", format!("grade {} has no criteria", g.grade))));
            }
            for (m, i) in &g.when {
                i.check(&format!("grade.when.{}", m.as_str())).map_err(at)?;
            }
        }
        if seen.is_empty() {
            return Err((None, FieldError::new("grade", "no grades")));
        }
        // One value of a metric gives at most one grade.
        for (k, a) in self.grade.iter().enumerate() {
            for b in &self.grade[k + 1..] {
                for (m, ia) in &a.when {
                    if let Some(ib) = b.when.get(m).filter(|ib| ia.overlaps(ib)) {
                        let msg = format!("grades {} {ia} and {} {ib} overlap", a.grade, b.grade);
                        return Err((Some(b.grade), FieldError::new(format!("grade.when.{}", m.as_str()), msg)));
                    }
                }
            }
        }
        Ok(())
    }

    fn check_head(&self, tax: &Taxonomy) -> Result<(), FieldError> {
        if !["V", "P", "U"].contains(&self.confidence.as_str()) {
            return Err(FieldError::new("confidence", format!("`{}` is not one of V, P, U", self.confidence)));
        }
        if self.applies.is_empty() {
            return Err(FieldError::new("applies", "a rule set applies to at least one category"));
        }
        for a in &self.applies {
            a.check("applies", tax)?;
        }
        Ok(())
    }

    /// The grade these facts reach under this rule set: the highest (lowest number) grade
    /// any metric matches, with every metric that matched that grade.
    pub fn grade(&self, facts: &Facts) -> Option<Suggestion> {
        let mut best: Option<Suggestion> = None;
        for g in &self.grade {
            let because: Vec<Reason> = g
                .when
                .iter()
                .filter_map(|(m, i)| {
                    let v = m.value(facts)?;
                    i.contains(v).then(|| Reason {
                        metric: *m,
                        value: v,
                        interval: *i,
                        text: format!("{} {v} ∈ {i}", m.as_str()),
                    })
                })
                .collect();
            if because.is_empty() || best.as_ref().is_some_and(|b| b.grade <= g.grade) {
                continue;
            }
            best = Some(Suggestion {
                grade: g.grade,
                rule: self.id.clone(),
                rule_zh: self.zh.clone(),
                source: self.source.clone(),
                confidence: self.confidence.clone(),
                because,
            });
        }
        best
    }
}

/// One metric inside one grade's interval.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Reason {
    pub metric: Metric,
    pub value: f64,
    pub interval: Interval,
    /// E.g. `dead 10 ∈ [10, 30)`.
    pub text: String,
}

/// A suggested grade and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Suggestion {
    pub grade: u8,
    pub rule: String,
    pub rule_zh: String,
    pub source: String,
    pub confidence: String,
    pub because: Vec<Reason>,
}

/// Every rule set the console grades with.
#[derive(Debug, Clone, Default)]
pub struct Grading {
    pub sets: Vec<RuleSet>,
}

impl Grading {
    /// The suggestion for an incident class and its facts: over the rule sets that apply,
    /// the highest grade (ties: the first set, in file order). `None` when no set applies or
    /// no criterion matched.
    pub fn suggest(&self, category: &str, subtype: &str, facts: &Facts) -> Option<Suggestion> {
        self.sets
            .iter()
            .filter(|s| s.applies.iter().any(|a| a.matches(category, subtype)))
            .filter_map(|s| s.grade(facts))
            .min_by_key(|s| s.grade)
    }
}
