//! The duty log: an hour of a duty officer's work appears in it — the call taken in, the
//! response started, a step done, the initial report sent, a note, the shift's handover —
//! and nothing from before the window or from loading the demo set; bad shifts are refused.

mod common;

use common::{cst, demo, flood, now_ms};
use std::collections::BTreeMap;

use onemap_api::duty::DutyKind;
use onemap_api::reports::FileReportRequest;
use onemap_api::response::DecideRequest;
use onemap_api::{Request, Response};
use onemap_domain::entity::{EntityBody, JournalEntry, Shift};
use onemap_domain::reporting::{Channel, ReportKind};
use onemap_domain::response::DecisionAction;
use onemap_domain::{AdminCode, EntityKind, EntityRef};

fn shift(start_ms: i64, hours: i64, handover: &str) -> EntityBody {
    EntityBody::Shift(Shift {
        jurisdiction: AdminCode::parse("220502000000").unwrap(),
        starts: cst(start_ms),
        ends: cst(start_ms + hours * 3_600_000),
        leader: "李带班".into(),
        officers: vec!["王值班".into(), "赵值班".into()],
        phone: "0435-3210000".into(),
        handover: handover.into(),
    })
}

#[test]
fn an_hour_on_duty_is_in_the_log() {
    let api = demo();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let from = now_ms();
    let Response::Upsert(s) =
        api.handle(Request::Upsert { id: None, body: shift(from - 3_600_000, 8, "") }).expect("shift")
    else {
        panic!()
    };

    let inc = flood(&api, &cst(from - 600_000), 150);
    let Response::Decide(v) = api
        .handle(Request::Decide(DecideRequest {
            incident: inc,
            plan: "dongchang-flood".into(),
            action: DecisionAction::Start,
            level: Some(4),
            reason: "转移150人".into(),
        }))
        .expect("start")
    else {
        panic!()
    };
    let step = &v.steps[0];
    let entity = EntityRef { kind: EntityKind::Task, id: step.task };
    let Response::Entity(d) = api.handle(Request::Entity { entity }).unwrap() else { panic!() };
    let mut fields = d.record.fields.clone();
    fields.remove("demo");
    let EntityBody::Task(mut t) = EntityBody::from_fields(EntityKind::Task, &fields).unwrap() else { panic!() };
    t.done = true;
    api.handle(Request::Upsert { id: Some(step.task), body: EntityBody::Task(t) }).expect("step done");
    let sections: BTreeMap<String, String> =
        [("source", "电话"), ("sequence", "漫堤"), ("measures", "转移"), ("reporter", "王值班")]
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
    api.handle(Request::FileReport(FileReportRequest {
        incident: inc,
        kind: ReportKind::Initial,
        to: "市应急管理局".into(),
        channel: Channel::Written,
        sections,
    }))
    .expect("initial report");
    let note = EntityBody::Journal(JournalEntry {
        incident: Some(inc),
        at: cst(now_ms()),
        text: "市局来电询问转移情况".into(),
    });
    api.handle(Request::Upsert { id: None, body: note }).expect("note");
    api.handle(Request::Upsert {
        id: Some(s.entity.id), body: shift(from - 3_600_000, 8, "江东乡汛情续报待报")
    })
    .expect("handover");

    let Response::DutyLog(log) = api.handle(Request::DutyLog { from_ms: from, to_ms: now_ms() + 1000 }).expect("log")
    else {
        panic!()
    };
    let kinds: Vec<DutyKind> = log.lines.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            DutyKind::Handover,
            DutyKind::Received,
            DutyKind::Decided,
            DutyKind::Done,
            DutyKind::Sent,
            DutyKind::Note,
            DutyKind::Handover
        ],
        "{:#?}",
        log.lines
    );
    assert_eq!(log.lines[1].text, "江东乡浑江漫堤");
    assert!(log.lines[2].text.contains("启动 Ⅳ级响应"), "{}", log.lines[2].text);
    assert!(
        log.lines[4].text.ends_with("→ 市应急管理局") && log.lines[4].text.contains("（初报）"),
        "{}",
        log.lines[4].text
    );
    assert_eq!(log.lines[6].text, "交班：江东乡汛情续报待报");
    assert!(log.lines[1..6].iter().all(|l| l.incident == Some(inc)));
    assert_eq!(log.shifts.len(), 1);

    // A window before any of it: only what happened then (the demo load is never listed).
    let Response::DutyLog(early) = api.handle(Request::DutyLog { from_ms: 0, to_ms: from - 1 }).unwrap() else {
        panic!()
    };
    assert!(early.lines.is_empty(), "{:?}", early.lines);
    assert_eq!(api.handle(Request::DutyLog { from_ms: 10, to_ms: 5 }).unwrap_err().code, "validation.field");
}

#[test]
fn a_shift_that_ends_before_it_starts_or_has_nobody_is_refused() {
    let api = demo();
    let t = now_ms();
    let backwards = shift(t, -1, "");
    assert!(api.handle(Request::Upsert { id: None, body: backwards }).unwrap_err().message.contains("ends"));
    let EntityBody::Shift(mut empty) = shift(t, 8, "") else { panic!() };
    empty.officers = vec![" ".into()];
    assert!(
        api.handle(Request::Upsert { id: None, body: EntityBody::Shift(empty) })
            .unwrap_err()
            .message
            .contains("officers")
    );
}
