//! The response-level state machine on the demo flood plan: the walk-through start Ⅳ →
//! upgrade Ⅲ → end, every refused transition, checklists with due times, overdue steps, and
//! two centres deciding at once (both kept, reported, settled by a later decision).

use std::collections::BTreeMap;
use std::path::Path;

use onemap_domain::Taxonomy;
use onemap_domain::plan::{Plan, PlanSet};
use onemap_domain::response::{Decision, DecisionAction, ResponseState, checklist, overdue};
use uuid::Uuid;

use DecisionAction::*;

fn plans() -> PlanSet {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"));
    let tax = Taxonomy::from_toml(&std::fs::read_to_string(root.join("taxonomy.toml")).unwrap()).unwrap();
    let items_csv = std::fs::read_to_string(root.join("catalogue/items.csv")).unwrap();
    let items: Vec<&str> = items_csv.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    let files: Vec<(String, String)> = std::fs::read_dir(root.join("plans"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    PlanSet::load(&files, &tax, &items).unwrap()
}

const INCIDENT: Uuid = Uuid::from_u128(0x1234);

fn decision(plan: &Plan, action: DecisionAction, level: Option<u8>, at: &str, after: &[Uuid], by: &str) -> Decision {
    let role_level = level.unwrap_or(4);
    Decision {
        incident: INCIDENT,
        plan: plan.id.clone(),
        action,
        level,
        decider_role: plan.level(role_level).map(|l| l.decider.clone()).unwrap_or_default(),
        recorded_by: by.to_owned(),
        reason: "会商研判".to_owned(),
        at: at.to_owned(),
        after: after.to_vec(),
    }
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

#[test]
fn start_upgrade_end_with_checklists() {
    let set = plans();
    let plan = set.get("dongchang-flood").unwrap();
    let mut log = BTreeMap::new();
    let s0 = ResponseState::fold(&plan.id, &log);
    assert_eq!((s0.level, s0.heads.len()), (None, 0));

    // Start Ⅳ at 08:00 (+08:00): four steps, due at the plan's offsets.
    let d1 = decision(plan, Start, Some(4), "2026-07-20T08:00:00+08:00", &[], "东昌区 值班员");
    d1.validate().unwrap();
    s0.check(plan, Start, Some(4), &d1.decider_role).unwrap();
    log.insert(id(1), d1);
    let s1 = ResponseState::fold(&plan.id, &log);
    assert_eq!((s1.level, s1.entered_by, s1.heads.clone()), (Some(4), Some(id(1)), vec![id(1)]));
    let steps = checklist(plan, 4, id(1), "2026-07-20T08:00:00+08:00").unwrap();
    let due: Vec<(&str, &str)> = steps.iter().map(|s| (s.action.as_str(), s.due.as_str())).collect();
    assert_eq!(
        due,
        [
            ("consult", "2026-07-20T09:00:00+08:00"),
            ("patrol", "2026-07-20T10:00:00+08:00"),
            ("evacuate", "2026-07-20T11:00:00+08:00"),
            ("initial-report", "2026-07-20T10:00:00+08:00"),
        ]
    );
    // The same decision lays out the same step ids on every replica; another one, others.
    assert_eq!(steps, checklist(plan, 4, id(1), "2026-07-20T08:00:00+08:00").unwrap());
    assert_ne!(steps[0].id, checklist(plan, 4, id(9), "2026-07-20T08:00:00+08:00").unwrap()[0].id);

    // Upgrade to Ⅲ, decided by the level's own decider.
    let d2 = decision(plan, Upgrade, Some(3), "2026-07-20T10:30:00+08:00", &[id(1)], "东昌区 值班员");
    assert_eq!(d2.decider_role, "区防汛抗旱指挥部副总指挥");
    s1.check(plan, Upgrade, Some(3), &d2.decider_role).unwrap();
    log.insert(id(2), d2);
    let s2 = ResponseState::fold(&plan.id, &log);
    assert_eq!((s2.level, s2.entered_by, s2.order.clone()), (Some(3), Some(id(2)), vec![id(1), id(2)]));
    assert_eq!(checklist(plan, 3, id(2), "2026-07-20T10:30:00+08:00").unwrap().len(), 5);

    // End it (the current level's decider).
    let mut d3 = decision(plan, Terminate, None, "2026-07-21T18:00:00+08:00", &[id(2)], "东昌区 值班员");
    d3.decider_role = plan.level(3).unwrap().decider.clone();
    s2.check(plan, Terminate, None, &d3.decider_role).unwrap();
    log.insert(id(3), d3);
    let s3 = ResponseState::fold(&plan.id, &log);
    assert_eq!((s3.level, s3.entered_by, s3.conflict.len()), (None, None, 0));
}

/// `(what, state, plan, action, level, decider role, the field the refusal names)`.
type Refusal<'a> = (&'a str, &'a ResponseState, &'a Plan, DecisionAction, Option<u8>, String, &'a str);

#[test]
fn refused_transitions_say_why() {
    let set = plans();
    let flood = set.get("dongchang-flood").unwrap();
    let fire = set.get("dongchang-forest-fire").unwrap();
    let none = ResponseState::fold(&flood.id, &BTreeMap::new());
    let role = |p: &Plan, l: u8| p.level(l).unwrap().decider.clone();
    let mut log = BTreeMap::new();
    log.insert(id(1), decision(flood, Start, Some(3), "2026-07-20T08:00:00+08:00", &[], "x"));
    let at3 = ResponseState::fold(&flood.id, &log);
    let cases: Vec<Refusal> = vec![
        ("upgrade with nothing running", &none, flood, Upgrade, Some(3), role(flood, 3), "action"),
        ("end with nothing running", &none, flood, Terminate, None, role(flood, 4), "action"),
        ("start twice", &at3, flood, Start, Some(2), role(flood, 2), "action"),
        ("upgrade to the same level", &at3, flood, Upgrade, Some(3), role(flood, 3), "level"),
        ("upgrade downwards", &at3, flood, Upgrade, Some(4), role(flood, 4), "level"),
        ("downgrade upwards", &at3, flood, Downgrade, Some(2), role(flood, 2), "level"),
        ("downgrade to the same level", &at3, flood, Downgrade, Some(3), role(flood, 3), "level"),
        ("a level the plan lacks", &none, fire, Start, Some(2), role(fire, 3), "level"),
        ("the wrong decider", &none, flood, Start, Some(2), role(flood, 4), "decider_role"),
        ("end naming a level", &at3, flood, Terminate, Some(4), role(flood, 3), "level"),
        ("start without a level", &none, flood, Start, None, role(flood, 4), "level"),
    ];
    for (what, state, plan, action, level, decider, field) in cases {
        let e = state.check(plan, action, level, &decider).expect_err(what);
        assert_eq!(e.field, field, "{what}: {e}");
    }
    // And the accepted ones next to them.
    at3.check(flood, Upgrade, Some(2), &role(flood, 2)).unwrap();
    at3.check(flood, Downgrade, Some(4), &role(flood, 4)).unwrap();
    at3.check(flood, Terminate, None, &role(flood, 3)).unwrap();
}

#[test]
fn a_decision_without_reason_or_with_a_bad_time_is_refused() {
    let set = plans();
    let plan = set.get("dongchang-flood").unwrap();
    let mut d = decision(plan, Start, Some(4), "2026-07-20T08:00:00+08:00", &[], "x");
    d.reason = "  ".into();
    assert_eq!(d.validate().unwrap_err().field, "reason");
    let mut d = decision(plan, Start, Some(4), "2026-07-20 08:00", &[], "x");
    assert_eq!(d.validate().unwrap_err().field, "at");
    d.at = "2026-07-20T08:00:00+08:00".into();
    d.level = Some(5);
    assert_eq!(d.validate().unwrap_err().field, "level");
}

/// The county upgrades to Ⅲ while the city, upon the same state, ends the response. Both are
/// kept; the state reports the two heads; a later decision made upon both settles it.
#[test]
fn concurrent_decisions_are_kept_and_reported_then_settled() {
    let set = plans();
    let plan = set.get("dongchang-flood").unwrap();
    let mut log = BTreeMap::new();
    log.insert(id(10), decision(plan, Start, Some(4), "2026-07-20T08:00:00+08:00", &[], "东昌区"));
    log.insert(id(20), decision(plan, Upgrade, Some(3), "2026-07-20T09:00:00+08:00", &[id(10)], "东昌区"));
    log.insert(id(5), decision(plan, Terminate, None, "2026-07-20T09:00:30+08:00", &[id(10)], "通化市"));
    let s = ResponseState::fold(&plan.id, &log);
    assert_eq!(s.heads, vec![id(5), id(20)]);
    assert_eq!(s.conflict.len(), 2);
    let by: Vec<(&str, Option<u8>)> = s.conflict.iter().map(|c| (c.recorded_by.as_str(), c.level)).collect();
    assert_eq!(by, [("通化市", None), ("东昌区", Some(3))]);
    // Causal order by time among the ready: the start, the upgrade (09:00), the end (09:00:30).
    assert_eq!(s.order, vec![id(10), id(20), id(5)]);

    // The same decisions arriving in another order fold to the same state.
    let mut other = BTreeMap::new();
    for k in [5, 20, 10] {
        other.insert(id(k), log[&id(k)].clone());
    }
    assert_eq!(ResponseState::fold(&plan.id, &other), s);

    // The city restarts at Ⅲ upon both heads: one head again, no conflict.
    log.insert(id(30), decision(plan, Start, Some(3), "2026-07-20T09:10:00+08:00", &[id(5), id(20)], "通化市"));
    let settled = ResponseState::fold(&plan.id, &log);
    assert_eq!((settled.heads.clone(), settled.conflict.len(), settled.level), (vec![id(30)], 0, Some(3)));
}

#[test]
fn decisions_of_other_plans_do_not_mix() {
    let set = plans();
    let flood = set.get("dongchang-flood").unwrap();
    let relief = set.get("dongchang-relief").unwrap();
    let mut log = BTreeMap::new();
    log.insert(id(1), decision(flood, Start, Some(4), "2026-07-20T08:00:00+08:00", &[], "x"));
    log.insert(id(2), decision(relief, Start, Some(3), "2026-07-20T08:05:00+08:00", &[], "x"));
    assert_eq!(ResponseState::fold(&flood.id, &log).level, Some(4));
    assert_eq!(ResponseState::fold(&relief.id, &log).level, Some(3));
}

#[test]
fn steps_are_overdue_only_when_open_past_due() {
    let due = "2026-07-20T10:00:00+08:00";
    assert!(!overdue(due, false, "2026-07-20T09:59:59+08:00").unwrap());
    assert!(!overdue(due, false, "2026-07-20T02:00:00Z").unwrap(), "10:00+08:00 is 02:00Z: not past");
    assert!(overdue(due, false, "2026-07-20T02:00:01Z").unwrap());
    assert!(!overdue(due, true, "2026-07-21T00:00:00+08:00").unwrap());
    assert_eq!(overdue("tomorrow", false, due).unwrap_err().field, "due");
}
