//! Information reporting through the API: a flood's deadlines, an initial report filed in
//! time (titled from the incident), follow-ups numbered while the response runs, the final
//! report after it ends, and refusals that write nothing.

mod common;

use common::{cst, decide, demo, flood, now_ms};
use std::collections::BTreeMap;
use std::path::Path;

use onemap_api::reports::{FileReportRequest, ReportsView};
use onemap_api::{Api, ApiError, Request, Response};
use onemap_domain::reporting::{Channel, ReportKind};
use onemap_domain::response::DecisionAction;
use uuid::Uuid;

fn sections(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn file(api: &Api, incident: Uuid, kind: ReportKind, s: &[(&str, &str)]) -> Result<ReportsView, ApiError> {
    let req = FileReportRequest {
        incident,
        kind,
        to: "市应急管理局".into(),
        channel: Channel::Written,
        sections: sections(s),
    };
    api.handle(Request::FileReport(req)).map(|r| match r {
        Response::FileReport(v) => *v,
        other => panic!("{other:?}"),
    })
}

fn view(api: &Api, incident: Uuid) -> ReportsView {
    let Response::Reports(v) = api.handle(Request::Reports { incident }).expect("reports") else { panic!() };
    *v
}

/// The filed report as PDF: a real PDF with the CJK font subset embedded and a text map
/// (searchable), written to target/reports/ for a look.
fn pdf_of(api: &Api, incident: Uuid, report: Uuid) {
    use base64::Engine as _;
    let Response::ReportPdf(f) = api.handle(Request::ReportPdf { incident, report }).expect("pdf") else { panic!() };
    let bytes = base64::engine::general_purpose::STANDARD.decode(&f.base64).expect("base64");
    assert_eq!(bytes.len(), f.bytes);
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/ToUnicode"), "text can be searched and copied");
    assert!(text.contains("/FontFile"), "the font travels with the file");
    assert!(bytes.len() < 400_000, "the font is subset: {} bytes", bytes.len());
    assert!(f.file_name.starts_with("东昌区江东乡-初报-") && f.file_name.ends_with(".pdf"), "{}", f.file_name);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/reports");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("initial-report.pdf"), &bytes).unwrap();
    let missing = api.handle(Request::ReportPdf { incident, report: Uuid::now_v7() }).unwrap_err();
    assert_eq!(missing.code, "not_found");
}

const INITIAL: [(&str, &str); 4] = [
    ("source", "群众电话 07:42 接报"),
    ("sequence", "浑江堤段漫溢"),
    ("measures", "转移群众150人"),
    ("reporter", "区应急管理局 张三 0435-3212345"),
];

#[test]
fn a_flood_is_reported_in_time_numbered_and_closed() {
    let api = demo();
    let onset = cst(now_ms() - 30 * 60_000);
    let inc = flood(&api, &onset, 150);
    let v = view(&api, inc);
    let initial = v.deadlines.iter().find(|d| d.timer == "nd-initial-2h").expect("the 2 h rule applies to a flood");
    let due = chrono::DateTime::parse_from_rfc3339(&initial.due).unwrap()
        - chrono::DateTime::parse_from_rfc3339(&onset).unwrap();
    assert_eq!(due, chrono::Duration::minutes(120));
    assert!(!initial.overdue && initial.met_by.is_none());
    assert_eq!(v.next.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(), ["初报"]);

    let v = file(&api, inc, ReportKind::Initial, &INITIAL).expect("initial report");
    assert_eq!(v.filed[0].label, "初报");
    pdf_of(&api, inc, v.filed[0].id);
    assert_eq!(v.filed[0].report.title, "东昌区江东乡水旱灾害 受伤1人、转移安置150人（初报）");
    assert_eq!(v.filed[0].report.facts.relocated, 150);
    let met = v.deadlines.iter().find(|d| d.timer == "nd-initial-2h").unwrap();
    assert_eq!(met.met_by.as_deref(), Some("初报"));

    // A response runs: daily follow-ups are due; two are filed and numbered.
    decide(&api, inc, DecisionAction::Start, Some(4)).expect("decision");
    assert!(view(&api, inc).deadlines.iter().any(|d| d.timer == "follow-up-daily"));
    let progress = [("progress", "水位回落"), ("measures", "加固堤防"), ("reporter", "区应急管理局 张三")];
    file(&api, inc, ReportKind::FollowUp, &progress).expect("续报一");
    let v = file(&api, inc, ReportKind::FollowUp, &progress).expect("续报二");
    let labels: Vec<&str> = v.filed.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["初报", "续报一", "续报二"]);
    assert!(v.filed[2].report.title.ends_with("（续报二）"));

    // Ended: the final report is due; filed, nothing may follow.
    decide(&api, inc, DecisionAction::Terminate, None).expect("decision");
    assert!(view(&api, inc).deadlines.iter().any(|d| d.timer == "final-2d" && !d.overdue));
    let end = [
        ("summary", "洪水过程结束"),
        ("handling", "转移安置150人"),
        ("aftermath", "恢复重建评估"),
        ("reporter", "区应急管理局"),
    ];
    let v = file(&api, inc, ReportKind::Final, &end).expect("final");
    assert!(v.next.is_empty(), "nothing follows the final report: {:?}", v.next);
}

#[test]
fn refused_reports_write_nothing() {
    let api = demo();
    let inc = flood(&api, &cst(now_ms() - 10 * 60_000), 150);
    let head = |api: &Api| {
        let Response::Changes(c) = api.handle(Request::Changes { since: 0, wait_ms: None }).unwrap() else { panic!() };
        c.head
    };
    let before = head(&api);
    let e =
        file(&api, inc, ReportKind::FollowUp, &[("progress", "x"), ("measures", "x"), ("reporter", "x")]).unwrap_err();
    assert!(e.message.contains("initial report first"), "{}", e.message);
    let e = file(&api, inc, ReportKind::Initial, &INITIAL[..3]).unwrap_err();
    assert!(e.message.contains("sections.reporter"), "{}", e.message);
    let e = file(&api, Uuid::now_v7(), ReportKind::Initial, &INITIAL).unwrap_err();
    assert_eq!(e.code, "not_found");
    assert_eq!(head(&api), before);
    file(&api, inc, ReportKind::Initial, &INITIAL).expect("initial");
    let e = file(&api, inc, ReportKind::Initial, &INITIAL).unwrap_err();
    assert!(e.message.contains("initial report has been filed"), "{}", e.message);
}
