//! The response workflow through the API on the demo region: suggestions with reasons, a
//! flood response started, a step completed, upgraded and ended; refusals; and two replicas
//! deciding at once, both decisions kept and reported on both, then settled.

mod common;

use common::{decide, demo, empty, flood, sync};
use onemap_api::response::{DecideRequest, ResponseView};
use onemap_api::{Api, Request, Response};
use onemap_domain::entity::EntityBody;
use onemap_domain::grading::Facts;
use onemap_domain::response::DecisionAction;
use onemap_domain::{EntityKind, EntityRef};
use uuid::Uuid;

const ONSET: &str = "2026-07-20T07:40:00+08:00";

fn responses(api: &Api, incident: Uuid) -> Vec<ResponseView> {
    let Response::Responses(v) = api.handle(Request::Responses { incident }).expect("responses") else { panic!() };
    v
}

#[test]
fn suggestions_name_grade_plans_level_and_why() {
    let api = demo();
    let facts = Facts { relocated: 150, injured: 1, ..Facts::default() };
    let req = Request::Suggest {
        category: "natural".into(),
        subtype: "flood_drought".into(),
        jurisdiction: "220502201000".into(),
        facts,
    };
    let Response::Suggest(s) = api.handle(req).expect("suggest") else { panic!() };
    assert!(s.grade.is_none(), "150 relocated is far below the national relief thresholds: {:?}", s.grade);
    assert_eq!(s.plans[0].plan, "dongchang-flood");
    assert_eq!(s.plans[0].level, Some(4));
    assert!(s.plans[0].why.contains(&"relocated 150 ∈ [100, 500)".to_owned()));

    let facts = Facts { dead: 3, ..Facts::default() };
    let req = Request::Suggest {
        category: "accident".into(),
        subtype: "production_safety".into(),
        jurisdiction: "220502120000".into(),
        facts,
    };
    let Response::Suggest(s) = api.handle(req).expect("suggest") else { panic!() };
    let g = s.grade.expect("graded by 493号令");
    assert_eq!((g.grade, g.rule.as_str()), (3, "production_safety_493"));
    assert_eq!(s.plans[0].plan, "dongchang-hazchem");

    let bad = Request::Suggest {
        category: "natural".into(),
        subtype: "flood_drought".into(),
        jurisdiction: "22050".into(),
        facts: Facts::default(),
    };
    assert_eq!(api.handle(bad).unwrap_err().code, "validation.field");
}

#[test]
fn a_flood_response_runs_start_step_upgrade_end() {
    let api = demo();
    let inc = flood(&api, ONSET, 150);

    let v = decide(&api, inc, DecisionAction::Start, Some(4)).expect("start Ⅳ");
    assert_eq!(v.state.level, Some(4));
    assert_eq!(v.decisions.len(), 1);
    assert_eq!(v.decisions[0].decision.decider_role, "区防汛抗旱指挥部办公室主任");
    let steps: Vec<&str> = v.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(steps, ["consult", "initial-report", "patrol", "evacuate"], "by due time");
    assert!(v.steps.iter().all(|s| s.current && !s.done && !s.overdue));

    // The steps are tasks: complete one.
    let consult = v.steps[0].task;
    let entity = EntityRef { kind: EntityKind::Task, id: consult };
    let Response::Entity(d) = api.handle(Request::Entity { entity }).expect("task") else { panic!() };
    let mut fields = d.record.fields.clone();
    fields.remove("demo");
    let EntityBody::Task(mut t) = EntityBody::from_fields(EntityKind::Task, &fields).expect("a task") else { panic!() };
    t.done = true;
    api.handle(Request::Upsert { id: Some(consult), body: EntityBody::Task(t) }).expect("step done");
    let v = &responses(&api, inc)[0];
    assert!(v.steps.iter().find(|s| s.task == consult).expect("step").done);

    let v = decide(&api, inc, DecisionAction::Upgrade, Some(3)).expect("upgrade Ⅲ");
    assert_eq!(v.state.level, Some(3));
    assert_eq!(v.steps.iter().filter(|s| s.current).count(), 5);
    assert_eq!(v.steps.iter().filter(|s| !s.current && s.level == 4).count(), 4, "the Ⅳ checklist stays, as history");
    assert_eq!(v.decisions[1].decision.after, vec![v.decisions[0].id]);

    let v = decide(&api, inc, DecisionAction::Terminate, None).expect("end");
    assert_eq!((v.state.level, v.decisions.len(), v.state.conflict.len()), (None, 3, 0));
    assert_eq!(v.decisions[2].decision.decider_role, "区防汛抗旱指挥部副总指挥", "the level ended decides");
}

#[test]
fn refusals_name_the_problem_and_write_nothing() {
    let api = demo();
    let inc = flood(&api, ONSET, 150);
    let head = |api: &Api| {
        let Response::Changes(c) = api.handle(Request::Changes { since: 0, wait_ms: None }).unwrap() else { panic!() };
        c.head
    };
    let before = head(&api);
    let e = decide(&api, inc, DecisionAction::Upgrade, Some(3)).unwrap_err();
    assert_eq!(e.code, "validation.field");
    assert!(e.message.contains("no response is running"), "{}", e.message);
    let e = decide(&api, Uuid::now_v7(), DecisionAction::Start, Some(4)).unwrap_err();
    assert_eq!(e.code, "not_found");
    let req = DecideRequest {
        incident: inc,
        plan: "no-such-plan".into(),
        action: DecisionAction::Start,
        level: Some(4),
        reason: "x".into(),
    };
    assert!(api.handle(Request::Decide(req)).unwrap_err().message.contains("no-such-plan"));
    let req = DecideRequest {
        incident: inc,
        plan: "dongchang-flood".into(),
        action: DecisionAction::Start,
        level: Some(4),
        reason: " ".into(),
    };
    assert!(api.handle(Request::Decide(req)).unwrap_err().message.contains("reason"));
    assert_eq!(head(&api), before, "nothing was written");
    decide(&api, inc, DecisionAction::Start, Some(4)).expect("start");
    let e = decide(&api, inc, DecisionAction::Start, Some(3)).unwrap_err();
    assert!(e.message.contains("already running"), "{}", e.message);
}

#[test]
fn two_centres_deciding_at_once_are_both_kept_and_reported() {
    let county = demo();
    let city = empty();
    let inc = flood(&county, ONSET, 600);
    decide(&county, inc, DecisionAction::Start, Some(4)).expect("county starts Ⅳ");
    sync(&county, &city);
    assert_eq!(responses(&city, inc)[0].state.level, Some(4));

    // Link down: the county upgrades, the city ends it, each upon the same state.
    decide(&county, inc, DecisionAction::Upgrade, Some(3)).expect("county upgrades");
    decide(&city, inc, DecisionAction::Terminate, None).expect("city ends");
    sync(&county, &city);
    sync(&city, &county);
    let (a, b) = (&responses(&county, inc)[0], &responses(&city, inc)[0]);
    assert_eq!(a.state, b.state, "both replicas fold the same state");
    assert_eq!(a.state.heads.len(), 2);
    let kinds: Vec<DecisionAction> = a.state.conflict.iter().map(|c| c.action).collect();
    assert!(kinds.contains(&DecisionAction::Upgrade) && kinds.contains(&DecisionAction::Terminate), "{kinds:?}");

    // Settled by a decision made upon both.
    let settle =
        if a.state.level.is_some() { (DecisionAction::Terminate, None) } else { (DecisionAction::Start, Some(3)) };
    let v = decide(&county, inc, settle.0, settle.1).expect("settle");
    assert_eq!((v.state.heads.len(), v.state.conflict.len()), (1, 0));
    assert_eq!(v.decisions.last().unwrap().decision.after.len(), 2);
}

fn alerts(api: &Api) -> Vec<onemap_api::response::Alert> {
    let Response::Alerts(a) = api.handle(Request::Alerts).expect("alerts") else { panic!() };
    a
}

#[test]
fn alerts_name_overdue_reports_steps_and_conflicts() {
    use onemap_api::response::AlertKind;
    let county = demo();
    // The demo's ammonia leak (onset 2026-11-21) has no report: its 1 h and 3 h limits passed.
    let a = alerts(&county);
    let leak: Vec<&str> = a
        .iter()
        .filter(|x| x.title.contains("液氨") && x.kind == AlertKind::ReportOverdue)
        .map(|x| x.text.as_str())
        .collect();
    assert_eq!(leak.len(), 2, "{a:#?}");
    assert!(leak[0].starts_with("事故单位报告"), "{leak:?}");

    // A response started 4 hours ago elsewhere (its ops arrive by sync): its steps are overdue.
    let city = empty();
    let inc = flood(&county, ONSET, 150);
    sync(&county, &city);
    let decision = Uuid::now_v7();
    let four_h_ago = (chrono::Utc::now() - chrono::Duration::hours(4))
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    let at = four_h_ago.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let plan = city.context().plans.get("dongchang-flood").unwrap().clone();
    let d = onemap_domain::response::Decision {
        incident: inc,
        plan: plan.id.clone(),
        action: DecisionAction::Start,
        level: Some(4),
        decider_role: plan.level(4).unwrap().decider.clone(),
        recorded_by: "通化市".into(),
        reason: "会商".into(),
        at: at.clone(),
        after: vec![],
    };
    let mut commands = vec![onemap_api::handlers::Command::Append {
        entity: EntityRef { kind: EntityKind::Incident, id: inc },
        event: serde_json::json!({ "decision": d, "id": decision }),
    }];
    for step in onemap_domain::response::checklist(&plan, 4, decision, &at).unwrap() {
        let body = EntityBody::Task(onemap_domain::entity::Task {
            incident: inc,
            title: step.title,
            owner: step.owner,
            due: step.due,
            done: false,
            decision: Some(decision),
            step: Some(step.action),
        });
        let id = body.controlling().unwrap().scoped_id(step.id.into_bytes());
        commands.push(onemap_api::handlers::Command::upsert(
            onemap_domain::Draft::new(id, body, false, &city.context().taxonomy).unwrap(),
        ));
    }
    city.execute("operator", "response.start", commands).expect("written at the city");
    sync(&city, &county);
    let a = alerts(&county);
    let steps: Vec<&str> = a
        .iter()
        .filter(|x| x.incident == Some(inc) && x.kind == AlertKind::StepOverdue)
        .map(|x| x.text.as_str())
        .collect();
    assert_eq!(steps.len(), 4, "all four Ⅳ steps are past due: {a:#?}");
    assert!(steps.contains(&"防指办公室组织会商研判（区应急管理局）"), "{steps:?}");
    // The flood's 2 h initial report is also past due (onset 07:40 on 2026-07-20).
    assert!(a.iter().any(|x| x.incident == Some(inc) && x.kind == AlertKind::ReportOverdue));

    // Both centres decide at once: a conflict alert on both.
    decide(&county, inc, DecisionAction::Upgrade, Some(3)).expect("county");
    decide(&city, inc, DecisionAction::Terminate, None).expect("city");
    sync(&county, &city);
    sync(&city, &county);
    for api in [&county, &city] {
        let conflicts: Vec<String> = alerts(api)
            .into_iter()
            .filter(|x| x.incident == Some(inc) && x.kind == AlertKind::Conflict)
            .map(|x| x.text)
            .collect();
        assert_eq!(conflicts, ["东昌区防汛抗旱应急预案"]);
    }
}
