//! Information reporting on the shipped rules (`fixtures/reporting.toml`): which timers apply
//! to which incidents, each deadline at its boundary (met just in time, overdue one second
//! late), daily follow-ups while a response runs, report order and numbering, required
//! elements, and bad rule files refused with line and field.

use std::collections::BTreeMap;

use onemap_domain::Taxonomy;
use onemap_domain::grading::Facts;
use onemap_domain::reporting::{self, Channel, Report, ReportKind, ReportingRules, Subject};

const RULES: &str = include_str!("../../../fixtures/reporting.toml");

fn tax() -> Taxonomy {
    Taxonomy::from_toml(include_str!("../../../fixtures/taxonomy.toml")).unwrap()
}

fn rules() -> ReportingRules {
    ReportingRules::from_toml(RULES, &tax()).expect("fixtures/reporting.toml is valid")
}

fn report(kind: ReportKind, number: u32, at: &str) -> Report {
    Report {
        kind,
        number,
        title: "t".into(),
        to: "市应急管理局".into(),
        channel: Channel::Written,
        sections: BTreeMap::new(),
        facts: Facts::default(),
        filed_at: at.into(),
        filed_by: "x".into(),
    }
}

fn subject<'a>(category: &'a str, subtype: &'a str, grade: Option<u8>, facts: &'a Facts) -> Subject<'a> {
    Subject {
        category,
        subtype,
        grade,
        facts,
        onset: "2026-07-20T08:00:00+08:00",
        response_start: None,
        response_end: None,
    }
}

fn ids(d: &[reporting::Deadline]) -> Vec<&str> {
    d.iter().map(|x| x.timer.as_str()).collect()
}

/// `(category, subtype, grade, facts, the timers that apply)`.
type Applies<'a> = (&'a str, &'a str, Option<u8>, &'a Facts, Vec<&'a str>);

#[test]
fn which_timers_apply() {
    let r = rules();
    let none = Facts::default();
    let now = "2026-07-20T08:00:00+08:00";
    // Table: (category, subtype, grade, facts, timers due).
    let ten_missing = Facts { missing: 10, ..Facts::default() };
    let nine_missing = Facts { missing: 9, ..Facts::default() };
    let cases: Vec<Applies> = vec![
        ("accident", "production_safety", Some(4), &none, vec!["ps-unit-1h", "ps-city-3h"]),
        (
            "accident",
            "production_safety",
            Some(2),
            &none,
            vec!["ps-unit-1h", "ps-city-3h", "major-phone-30m", "major-written-1h"],
        ),
        ("natural", "flood_drought", Some(4), &none, vec!["nd-initial-2h"]),
        ("natural", "flood_drought", None, &nine_missing, vec!["nd-initial-2h"]),
        ("natural", "flood_drought", None, &ten_missing, vec!["nd-initial-2h", "nd-initial-2h-province"]),
        (
            "natural",
            "earthquake",
            Some(1),
            &ten_missing,
            vec!["nd-initial-2h", "nd-initial-2h-province", "major-phone-30m", "major-written-1h"],
        ),
        ("natural", "flood_drought", Some(3), &none, vec!["nd-initial-2h"]),
        ("social_security", "terrorism", None, &none, vec![]),
    ];
    for (c, s, g, f, want) in cases {
        let d = reporting::deadlines(&r, &subject(c, s, g, f), &[], now).unwrap();
        assert_eq!(ids(&d), want, "{c}/{s} grade {g:?} {f:?}");
    }
}

#[test]
fn each_deadline_is_met_at_its_due_time_and_missed_one_second_later() {
    let r = rules();
    let f = Facts::default();
    let s = subject("accident", "production_safety", Some(4), &f);
    // ps-unit-1h: due 09:00 (+08:00); ps-city-3h: due 11:00.
    let on_time = [report(ReportKind::Initial, 1, "2026-07-20T09:00:00+08:00")];
    let late = [report(ReportKind::Initial, 1, "2026-07-20T09:00:01+08:00")];
    let d = reporting::deadlines(&r, &s, &on_time, "2026-07-20T12:00:00+08:00").unwrap();
    assert_eq!(d[0].due, "2026-07-20T09:00:00+08:00");
    assert_eq!((d[0].met_by.as_deref(), d[0].late, d[0].overdue), (Some("初报"), false, false));
    let d = reporting::deadlines(&r, &s, &late, "2026-07-20T12:00:00+08:00").unwrap();
    assert_eq!(
        (d[0].met_by.as_deref(), d[0].late, d[0].overdue),
        (Some("初报"), true, false),
        "one second late: filed late (迟报), not overdue"
    );
    assert!(!d[1].late, "the 3 h limit was met in time");
    assert_eq!((d[1].met_by.as_deref(), d[1].overdue), (Some("初报"), false), "still within the 3 h one");
    // Not yet due, nothing filed: open, not overdue; a second past due: overdue.
    let d = reporting::deadlines(&r, &s, &[], "2026-07-20T09:00:00+08:00").unwrap();
    assert!(!d[0].overdue);
    let d = reporting::deadlines(&r, &s, &[], "2026-07-20T09:00:01+08:00").unwrap();
    assert!(d[0].overdue);
    // Time zones: 01:00Z is 09:00+08:00.
    let z = [report(ReportKind::Initial, 1, "2026-07-20T01:00:00Z")];
    assert!(reporting::deadlines(&r, &s, &z, "2026-07-20T12:00:00+08:00").unwrap()[0].met_by.is_some());
}

#[test]
fn daily_follow_ups_run_while_the_response_runs() {
    let r = rules();
    let f = Facts::default();
    let mut s = subject("natural", "flood_drought", Some(4), &f);
    s.response_start = Some("2026-07-20T10:00:00+08:00");
    let filed = [
        report(ReportKind::Initial, 1, "2026-07-20T09:30:00+08:00"),
        report(ReportKind::FollowUp, 1, "2026-07-21T09:00:00+08:00"),
    ];
    // At 07-22 12:00: follow-up due 07-21 10:00 met by 续报一; 07-22 10:00 missed; 07-23 10:00 open.
    let d = reporting::deadlines(&r, &s, &filed, "2026-07-22T12:00:00+08:00").unwrap();
    let daily: Vec<(&str, Option<&str>, bool)> = d
        .iter()
        .filter(|x| x.timer == "follow-up-daily")
        .map(|x| (x.due.as_str(), x.met_by.as_deref(), x.overdue))
        .collect();
    assert_eq!(
        daily,
        [
            ("2026-07-21T10:00:00+08:00", Some("续报一"), false),
            ("2026-07-22T10:00:00+08:00", None, true),
            ("2026-07-23T10:00:00+08:00", None, false),
        ]
    );
    // The response ended 07-22 08:00: no follow-up after it; the final report is due 2 days later.
    s.response_end = Some("2026-07-22T08:00:00+08:00");
    let d = reporting::deadlines(&r, &s, &filed, "2026-07-22T12:00:00+08:00").unwrap();
    assert_eq!(d.iter().filter(|x| x.timer == "follow-up-daily").count(), 1);
    let fin = d.iter().find(|x| x.timer == "final-2d").expect("final timer");
    assert_eq!((fin.due.as_str(), fin.overdue), ("2026-07-24T08:00:00+08:00", false));
}

#[test]
fn reports_go_in_order_and_are_numbered() {
    use ReportKind::*;
    let at = "2026-07-20T09:00:00+08:00";
    assert_eq!(reporting::next_number(&[], Initial), Ok(1));
    assert_eq!(reporting::next_number(&[], FollowUp).unwrap_err().field, "kind");
    assert_eq!(reporting::next_number(&[], Final).unwrap_err().field, "kind");
    let mut filed = vec![report(Initial, 1, at)];
    assert!(reporting::next_number(&filed, Initial).is_err(), "one initial report");
    assert_eq!(reporting::next_number(&filed, FollowUp), Ok(1));
    filed.push(report(FollowUp, 1, at));
    assert_eq!(reporting::next_number(&filed, FollowUp), Ok(2));
    filed.push(report(Final, 1, at));
    assert!(reporting::next_number(&filed, FollowUp).is_err(), "nothing after the final report");
    let labels: Vec<String> = [(Initial, 1), (FollowUp, 1), (FollowUp, 10), (FollowUp, 12), (FollowUp, 25), (Final, 1)]
        .into_iter()
        .map(|(k, n)| reporting::label(k, n))
        .collect();
    assert_eq!(labels, ["初报", "续报一", "续报十", "续报十二", "续报25", "终报"]);
    let f = Facts { dead: 1, relocated: 150, ..Facts::default() };
    assert_eq!(
        reporting::title("东昌区江东乡", "洪涝灾害", &f, FollowUp, 2),
        "东昌区江东乡洪涝灾害 死亡1人、转移安置150人（续报二）"
    );
    assert_eq!(
        reporting::title("东昌区", "森林火灾", &Facts::default(), Initial, 1),
        "东昌区森林火灾 暂无人员伤亡（初报）"
    );
}

#[test]
fn a_report_carries_every_element_of_its_kind() {
    let r = rules();
    let mut rep = report(ReportKind::Initial, 1, "2026-07-20T09:00:00+08:00");
    for (k, v) in [
        ("source", "群众电话 07:42"),
        ("sequence", "堤段漫溢"),
        ("measures", "转移群众"),
        ("reporter", "区应急局 张三 0435-1234567"),
    ] {
        rep.sections.insert(k.into(), v.into());
    }
    reporting::check(&r, &rep).expect("complete");
    let mut missing = rep.clone();
    missing.sections.insert("measures".into(), "  ".into());
    assert_eq!(reporting::check(&r, &missing).unwrap_err().field, "sections.measures");
    let mut extra = rep.clone();
    extra.sections.insert("aftermath".into(), "x".into());
    assert_eq!(reporting::check(&r, &extra).unwrap_err().field, "sections.aftermath");
    let mut untitled = rep.clone();
    untitled.title = String::new();
    assert_eq!(reporting::check(&r, &untitled).unwrap_err().field, "title");
}

#[test]
fn bad_rule_files_are_refused_with_line_and_field() {
    let line_of = |needle: &str| RULES.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let cases: Vec<(&str, String, u64, &str)> = vec![
        (
            "unknown anchor",
            RULES.replacen("from = \"onset\"", "from = \"receipt\"", 1),
            line_of("from = \"onset\""),
            "from",
        ),
        ("zero minutes", RULES.replacen("minutes = 60", "minutes = 0", 1), line_of("minutes = 60"), "minutes"),
        (
            "unknown subtype",
            RULES.replacen("subtype = \"production_safety\"", "subtype = \"mining\"", 1),
            line_of("subtype = \"production_safety\""),
            "applies.subtype",
        ),
        (
            "duplicate timer",
            RULES.replacen("id = \"ps-city-3h\"", "id = \"ps-unit-1h\"", 1),
            line_of("id = \"ps-city-3h\""),
            "id",
        ),
        (
            "unknown field",
            RULES.replacen("channel = \"any\"", "medium = \"any\"", 1),
            line_of("channel = \"any\""),
            "medium",
        ),
    ];
    for (what, text, line, field) in cases {
        assert_ne!(text, RULES, "{what}: the edit must apply");
        let (l, e) = ReportingRules::from_toml(&text, &tax()).expect_err(what);
        assert_eq!((l, e.field.as_str()), (line, field), "{what}: {e}");
    }
}
