//! The figures of the wall's KPI panels and the charts: incidents by grade and category,
//! teams by status, shelter occupancy, and stock by item class now and over time (replayed
//! from the ledger movements in the op log).

use std::collections::BTreeMap;

use onemap_domain::entity::{EntityBody, EntityKind, IncidentStatus, TeamStatus, account};
use onemap_store::Change;

use crate::error::ApiError;
use crate::handlers::{Api, bodies, enum_name};
use crate::types::{CategoryCount, Count, ShelterTotals, Stats, StockClass, StockPoint};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Ops read per page while replaying the ledger.
const PAGE: usize = 10_000;
/// The lifecycle order of team statuses (every status appears, zero or not).
const TEAM_STATUSES: [TeamStatus; 5] =
    [TeamStatus::Standby, TeamStatus::Dispatched, TeamStatus::EnRoute, TeamStatus::OnScene, TeamStatus::Returning];

/// Stock on hand by class at the end of each step: hourly when the ledger spans two days
/// or less, else daily (days start at 00:00 China Standard Time). `moves` are
/// `(unix ms, class, delta)` in any order.
pub fn history(mut moves: Vec<(i64, String, i64)>) -> (Vec<StockPoint>, u32) {
    moves.sort_by_key(|m| m.0);
    let (Some(first), Some(last)) = (moves.first().map(|m| m.0), moves.last().map(|m| m.0)) else {
        return (Vec::new(), 3600);
    };
    let step = if last - first <= 2 * DAY_MS { HOUR_MS } else { DAY_MS };
    const CST_MS: i64 = 8 * HOUR_MS;
    let start_of = |t: i64| (t + CST_MS).div_euclid(step) * step - CST_MS;
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    let mut points = Vec::new();
    let mut i = 0;
    let mut at = start_of(first);
    while at <= last {
        while i < moves.len() && moves[i].0 < at + step {
            *totals.entry(moves[i].1.clone()).or_default() += moves[i].2;
            i += 1;
        }
        points.extend(totals.iter().map(|(class, on_hand)| StockPoint {
            at_ms: at,
            class: class.clone(),
            on_hand: *on_hand,
        }));
        at += step;
    }
    (points, (step / 1000) as u32)
}

impl Api {
    pub(crate) fn stats(&self) -> Result<Stats, ApiError> {
        let store = self.store();
        let ctx = self.context();
        let mut s = Stats {
            active_by_grade: [0; 5],
            active: 0,
            closed: 0,
            by_category: ctx
                .taxonomy
                .category
                .iter()
                .map(|c| CategoryCount {
                    category: c.id.clone(),
                    name_zh: c.zh.clone(),
                    name_en: c.en.clone(),
                    by_grade: [0; 5],
                })
                .collect(),
            teams: TEAM_STATUSES.iter().map(|t| Count { key: enum_name(t), count: 0 }).collect(),
            team_people: 0,
            shelters: ShelterTotals::default(),
            stock: Vec::new(),
            stock_history: Vec::new(),
            history_step_secs: 3600,
        };
        for (_, body) in bodies(&**store, EntityKind::Incident)? {
            let EntityBody::Incident(i) = body else { continue };
            let grade = usize::from(i.grade.unwrap_or(0).min(4));
            if let Some(c) = s.by_category.iter_mut().find(|c| c.category == i.category) {
                c.by_grade[grade] += 1;
            }
            match i.status {
                IncidentStatus::Active => {
                    s.active += 1;
                    s.active_by_grade[grade] += 1;
                }
                IncidentStatus::Closed => s.closed += 1,
            }
        }
        for (_, body) in bodies(&**store, EntityKind::Team)? {
            let EntityBody::Team(t) = body else { continue };
            let key = enum_name(&t.status);
            if let Some(c) = s.teams.iter_mut().find(|c| c.key == key) {
                c.count += 1;
            }
            s.team_people += t.headcount;
        }
        for (r, body) in bodies(&**store, EntityKind::Shelter)? {
            let EntityBody::Shelter(sh) = body else { continue };
            let occupancy = r.balances.get(account::OCCUPANCY).copied().unwrap_or(0);
            s.shelters.count += 1;
            // A closed shelter takes nobody: its places are not capacity.
            if !sh.closed {
                s.shelters.capacity += sh.capacity();
            }
            s.shelters.occupancy += occupancy;
            s.shelters.full += u32::from(occupancy as u64 >= sh.capacity());
        }
        // Each stock line's class, from its item.
        let mut class_of = BTreeMap::new();
        let mut by_class: BTreeMap<String, StockClass> = BTreeMap::new();
        for (r, body) in bodies(&**store, EntityKind::StockLine)? {
            let EntityBody::StockLine(l) = body else { continue };
            let class = ctx.items.iter().find(|i| i.code == l.item_code).map_or("other", |i| i.class.as_str());
            let entry = by_class.entry(class.to_owned()).or_insert_with(|| StockClass {
                class: class.to_owned(),
                on_hand: 0,
                lines: 0,
            });
            entry.on_hand += r.balances.get(account::ON_HAND).copied().unwrap_or(0);
            entry.lines += 1;
            class_of.insert(r.entity.id, class.to_owned());
        }
        s.stock = by_class.into_values().collect();
        let mut moves = Vec::new();
        let mut after = 0;
        loop {
            let page = store.ops_since(after, PAGE)?;
            for (_, op) in &page {
                if let (Change::Move { account: a, delta }, Some(class)) = (&op.change, class_of.get(&op.entity.id))
                    && a == account::ON_HAND
                {
                    moves.push((op.hlc.unix_ms(), class.clone(), *delta));
                }
            }
            match page.last() {
                Some((lseq, _)) if page.len() == PAGE => after = *lseq,
                _ => break,
            }
        }
        (s.stock_history, s.history_step_secs) = history(moves);
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_hourly_within_two_days_and_cumulative() {
        // 2026-11-22 00:30 CST = 2026-11-21 16:30 UTC.
        let t0 = 1_763_742_600_000;
        let moves = vec![
            (t0 + 2 * HOUR_MS, "living".to_owned(), -5),
            (t0, "living".to_owned(), 100),
            (t0 + 10 * 60_000, "rescue".to_owned(), 7),
        ];
        let (points, step) = history(moves);
        assert_eq!(step, 3600);
        // Three hours (00:00, 01:00, 02:00 CST): living 100, 100, 95; rescue 7 throughout.
        let living: Vec<i64> = points.iter().filter(|p| p.class == "living").map(|p| p.on_hand).collect();
        assert_eq!(living, [100, 100, 95]);
        let rescue: Vec<i64> = points.iter().filter(|p| p.class == "rescue").map(|p| p.on_hand).collect();
        assert_eq!(rescue, [7, 7, 7]);
        // Steps start on the hour, China time.
        assert_eq!(points[0].at_ms, t0 - 30 * 60_000);
    }

    #[test]
    fn history_is_daily_beyond_two_days() {
        let t0 = 1_763_742_600_000;
        let (points, step) = history(vec![(t0, "living".into(), 10), (t0 + 3 * DAY_MS, "living".into(), 1)]);
        assert_eq!(step, 86_400);
        assert_eq!(points.iter().map(|p| p.on_hand).collect::<Vec<_>>(), [10, 10, 10, 11]);
        // Days begin at 00:00 CST (16:00 UTC).
        assert_eq!((points[0].at_ms + 8 * HOUR_MS) % DAY_MS, 0);
        assert!(history(Vec::new()).0.is_empty());
    }
}
