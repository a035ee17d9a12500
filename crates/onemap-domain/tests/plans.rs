//! The demo region's plan templates (`fixtures/plans/`): they load as one checked set, every
//! level trigger of the flood plan holds at its boundaries, matching names the plans, level
//! and reasons, and a bad plan file refuses the whole set with file, line and field.

use std::path::Path;

use onemap_domain::grading::Facts;
use onemap_domain::plan::{Lifecycle, PlanKind, PlanSet};
use onemap_domain::{AdminCode, Taxonomy};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"))
}

fn taxonomy() -> Taxonomy {
    Taxonomy::from_toml(&std::fs::read_to_string(root().join("taxonomy.toml")).unwrap()).unwrap()
}

fn items() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("catalogue/items.csv")).unwrap();
    text.lines().skip(1).filter_map(|l| l.split(',').next()).map(str::to_owned).collect()
}

fn files() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(root().join("plans"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

fn load(files: &[(String, String)]) -> Result<PlanSet, Vec<onemap_domain::Diagnostic>> {
    let items = items();
    let codes: Vec<&str> = items.iter().map(String::as_str).collect();
    PlanSet::load(files, &taxonomy(), &codes)
}

#[test]
fn the_shipped_plans_load_as_one_set() {
    let set = load(&files()).expect("fixtures/plans is valid");
    assert_eq!(set.plans.len(), 10);
    let kinds = |k: PlanKind| set.plans.iter().filter(|p| p.kind == k).count();
    assert_eq!((kinds(PlanKind::Overall), kinds(PlanKind::Special), kinds(PlanKind::Departmental)), (1, 8, 1));
    let old = set.get("dongchang-flood-2021").unwrap();
    assert_eq!(old.lifecycle, Lifecycle::Superseded);
    assert_eq!(set.get("dongchang-flood").unwrap().supersedes.as_deref(), Some("dongchang-flood-2021"));
}

#[test]
fn flood_plan_levels_start_at_each_boundary() {
    let set = load(&files()).unwrap();
    let plan = set.get("dongchang-flood").unwrap();
    let level = |set_facts: &dyn Fn(&mut Facts)| {
        let mut f = Facts::default();
        set_facts(&mut f);
        plan.triggered(&f).map(|(l, _)| l)
    };
    // Relocated: 100 / 500 / 1200 / 2000 (以上含本数).
    let relocated = [
        (99, None),
        (100, Some(4)),
        (499, Some(4)),
        (500, Some(3)),
        (1199, Some(3)),
        (1200, Some(2)),
        (1999, Some(2)),
        (2000, Some(1)),
    ];
    for (n, want) in relocated {
        assert_eq!(level(&|f| f.relocated = n), want, "relocated {n}");
    }
    // Dead and missing together: 1 / 3 / 5 / 10.
    let dead_missing =
        [(0, None), (1, Some(4)), (2, Some(4)), (3, Some(3)), (4, Some(3)), (5, Some(2)), (9, Some(2)), (10, Some(1))];
    for (n, want) in dead_missing {
        assert_eq!(level(&|f| f.missing = n), want, "dead+missing {n}");
    }
    assert_eq!(
        level(&|f| {
            f.dead = 2;
            f.missing = 1;
        }),
        Some(3)
    );
    // Houses: 50 / 200 / 500 / 1000.
    let houses = [(49, None), (50, Some(4)), (200, Some(3)), (500, Some(2)), (999, Some(2)), (1000, Some(1))];
    for (n, want) in houses {
        assert_eq!(level(&|f| f.houses_damaged = n), want, "houses {n}");
    }
    // Any one metric; the highest level wins.
    assert_eq!(
        level(&|f| {
            f.relocated = 150;
            f.houses_damaged = 600;
        }),
        Some(2)
    );
}

#[test]
fn every_shipped_trigger_is_half_open() {
    // For each level trigger with a lower bound: the bound itself starts the level, the value
    // just below does not start it.
    let set = load(&files()).unwrap();
    for p in &set.plans {
        for l in &p.level {
            for (m, i) in &l.triggers {
                if let Some(lo) = i.gte {
                    assert!(i.contains(lo), "{} Ⅳ{} {}: {lo} ∉ {i}", p.id, l.level, m.as_str());
                    assert!(!i.contains(lo - 1e-9), "{} {} {}", p.id, l.level, m.as_str());
                }
                if let Some(hi) = i.lt {
                    assert!(!i.contains(hi), "{} {} {}: {hi} ∈ {i}", p.id, l.level, m.as_str());
                }
            }
        }
    }
}

#[test]
fn a_flood_in_dongchang_matches_its_plans_with_reasons() {
    let set = load(&files()).unwrap();
    let jiangdong = AdminCode::parse("220502201000").unwrap();
    let facts = Facts { relocated: 150, ..Facts::default() };
    let m = set.matching("natural", "flood_drought", &jiangdong, &facts);
    let ids: Vec<&str> = m.iter().map(|x| x.plan.as_str()).collect();
    // Special plans first (county before city), then the overall plan; the superseded 2021
    // version and the departmental plan that is only filed are not in force.
    assert_eq!(ids, ["dongchang-flood", "dongchang-relief", "tonghua-flood", "dongchang-overall"]);
    assert_eq!(m[0].level, Some(4));
    assert!(m[0].why.iter().any(|w| w == "relocated 150 ∈ [100, 500)"), "{:?}", m[0].why);
    assert_eq!(m[1].level, None, "the relief plan starts at 300 relocated");
    // Outside the county: only plans whose jurisdiction contains the incident.
    let elsewhere = AdminCode::parse("220503000000").unwrap();
    let ids: Vec<String> =
        set.matching("natural", "flood_drought", &elsewhere, &facts).into_iter().map(|x| x.plan).collect();
    assert_eq!(ids, ["tonghua-flood"]);
}

#[test]
fn level_needs_scale_with_the_relocated_population() {
    let set = load(&files()).unwrap();
    let l4 = set.get("dongchang-flood").unwrap().level(4).unwrap();
    let facts = Facts { relocated: 150, ..Facts::default() };
    let q: Vec<(&str, u64)> = l4.need.iter().map(|n| (n.item.as_str(), n.quantity_for(&facts))).collect();
    assert_eq!(q, [("1010101", 38), ("1020201", 150)]);
}

/// Each broken edit of a good plan: refused, with the file, line and field; the whole set
/// with it is refused too.
#[test]
fn bad_plan_files_are_refused_whole_with_file_line_and_field() {
    let good = files();
    let (name, text) = good.iter().find(|(n, _)| n == "dongchang-flood.toml").unwrap().clone();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let cases: Vec<(&str, String, u64, &str)> = vec![
        ("unknown field", text.replacen("lead = ", "leader = ", 1), line_of("lead = "), "leader"),
        (
            "bad date",
            text.replace("effective = \"2024-05-20\"", "effective = \"2024-13-40\""),
            line_of("effective = "),
            "effective",
        ),
        (
            "owner not a member",
            text.replacen("owner = \"区水利局\"", "owner = \"区水务集团\"", 1),
            line_of("owner = \"区水利局\""),
            "owner",
        ),
        (
            "overlapping triggers",
            text.replace(
                "triggers.relocated = { gte = 500, lt = 1200 }",
                "triggers.relocated = { gte = 450, lt = 1200 }",
            ),
            line_of("triggers.relocated = { gte = 500"),
            "relocated",
        ),
        (
            "unknown item",
            text.replacen("item = \"1010101\"", "item = \"9999999\"", 1),
            line_of("item = \"1010101\""),
            "item",
        ),
        (
            "unknown lifecycle",
            text.replace("lifecycle = \"in_force\"", "lifecycle = \"active\""),
            line_of("lifecycle = "),
            "lifecycle",
        ),
        (
            "dangling link",
            text.replace("upper = [\"tonghua-flood\"]", "upper = [\"jilin-flood\"]"),
            line_of("links = "),
            "upper",
        ),
        ("duplicate level", text.replace("level = 3\n", "level = 4\n"), line_of("level = 3"), "level"),
    ];
    for (what, bad, line, field) in cases {
        assert_ne!(bad, text, "{what}: the edit must apply");
        let set: Vec<(String, String)> =
            good.iter().map(|(n, t)| (n.clone(), if *n == name { bad.clone() } else { t.clone() })).collect();
        let problems = load(&set).expect_err(what);
        assert_eq!(problems.len(), 1, "{what}: {problems:?}");
        let d = &problems[0];
        assert_eq!((d.file.as_str(), d.line, d.field.as_str()), (name.as_str(), line, field), "{what}: {d}");
    }
}
