//! Every grading rule shipped in `fixtures/grading/`, checked value by value against the
//! legal text: each boundary, the value just below it, and the "any one criterion, highest
//! grade" rule. The expected grades are written from the source documents, not read back
//! from the rule files.

use onemap_domain::Taxonomy;
use onemap_domain::grading::{Density, Facts, Grading, Metric, RuleSet};

fn taxonomy() -> Taxonomy {
    Taxonomy::from_toml(include_str!("../../../fixtures/taxonomy.toml")).expect("taxonomy")
}

fn grading() -> Grading {
    let tax = taxonomy();
    let files = [
        include_str!("../../../fixtures/grading/production_safety.toml"),
        include_str!("../../../fixtures/grading/forest_fire.toml"),
        include_str!("../../../fixtures/grading/earthquake.toml"),
        include_str!("../../../fixtures/grading/natural_disaster_relief.toml"),
    ];
    Grading { sets: files.iter().map(|t| RuleSet::from_toml(t, &tax).expect("rule file")).collect() }
}

/// `(facts, expected grade, the metric that must be among the reasons)`.
type Case = (Facts, Option<u8>, Option<Metric>);

fn run(class: (&str, &str), cases: &[Case], rule: &str) {
    let g = grading();
    for (i, (facts, want, metric)) in cases.iter().enumerate() {
        let got = g.suggest(class.0, class.1, facts);
        assert_eq!(got.as_ref().map(|s| s.grade), *want, "case {i}: {facts:?} → {got:?}");
        if let (Some(s), Some(m)) = (&got, metric) {
            assert_eq!(s.rule, rule, "case {i}");
            assert!(s.because.iter().any(|r| r.metric == *m), "case {i}: {m:?} not among {:?}", s.because);
        }
    }
}

fn f(set: impl FnOnce(&mut Facts)) -> Facts {
    let mut x = Facts::default();
    set(&mut x);
    x
}

#[test]
fn production_safety_decree_493_every_boundary() {
    use Metric::*;
    let cases: Vec<Case> = vec![
        // Deaths: 3 / 10 / 30 (以上含本数).
        (f(|x| x.dead = 0), Some(4), Some(Dead)),
        (f(|x| x.dead = 2), Some(4), Some(Dead)),
        (f(|x| x.dead = 3), Some(3), Some(Dead)),
        (f(|x| x.dead = 9), Some(3), Some(Dead)),
        (f(|x| x.dead = 10), Some(2), Some(Dead)),
        (f(|x| x.dead = 29), Some(2), Some(Dead)),
        (f(|x| x.dead = 30), Some(1), Some(Dead)),
        // Serious injuries: 10 / 50 / 100.
        (f(|x| x.injured = 9), Some(4), Some(Injured)),
        (f(|x| x.injured = 10), Some(3), Some(Injured)),
        (f(|x| x.injured = 49), Some(3), Some(Injured)),
        (f(|x| x.injured = 50), Some(2), Some(Injured)),
        (f(|x| x.injured = 99), Some(2), Some(Injured)),
        (f(|x| x.injured = 100), Some(1), Some(Injured)),
        // Direct loss: 1000万 / 5000万 / 1亿.
        (f(|x| x.direct_loss_cny = 9_999_999), Some(4), Some(DirectLossCny)),
        (f(|x| x.direct_loss_cny = 10_000_000), Some(3), Some(DirectLossCny)),
        (f(|x| x.direct_loss_cny = 49_999_999), Some(3), Some(DirectLossCny)),
        (f(|x| x.direct_loss_cny = 50_000_000), Some(2), Some(DirectLossCny)),
        (f(|x| x.direct_loss_cny = 99_999_999), Some(2), Some(DirectLossCny)),
        (f(|x| x.direct_loss_cny = 100_000_000), Some(1), Some(DirectLossCny)),
        // Any one criterion: the highest grade wins.
        (
            f(|x| {
                x.dead = 2;
                x.injured = 55;
                x.direct_loss_cny = 12_000_000;
            }),
            Some(2),
            Some(Injured),
        ),
    ];
    run(("accident", "production_safety"), &cases, "production_safety_493");
}

#[test]
fn forest_fire_article_40_every_boundary() {
    use Metric::*;
    let area = |ha: f64| f(|x| x.burned_area_ha = Some(ha));
    let cases: Vec<Case> = vec![
        (area(0.5), Some(4), Some(BurnedAreaHa)),
        (area(0.999), Some(4), Some(BurnedAreaHa)),
        (area(1.0), Some(3), Some(BurnedAreaHa)),
        (area(99.9), Some(3), Some(BurnedAreaHa)),
        (area(100.0), Some(2), Some(BurnedAreaHa)),
        (area(999.0), Some(2), Some(BurnedAreaHa)),
        (area(1000.0), Some(1), Some(BurnedAreaHa)),
        (f(|x| x.dead = 1), Some(4), Some(Dead)),
        (f(|x| x.dead = 3), Some(3), Some(Dead)),
        (f(|x| x.dead = 10), Some(2), Some(Dead)),
        (f(|x| x.dead = 30), Some(1), Some(Dead)),
        (f(|x| x.injured = 1), Some(4), Some(Injured)),
        (f(|x| x.injured = 9), Some(4), Some(Injured)),
        (f(|x| x.injured = 10), Some(3), Some(Injured)),
        (f(|x| x.injured = 50), Some(2), Some(Injured)),
        (f(|x| x.injured = 100), Some(1), Some(Injured)),
        // Nothing known about area or casualties: no suggestion, the operator grades.
        (Facts::default(), None, None),
    ];
    run(("natural", "forest_grass_fire"), &cases, "forest_fire_2008");
}

#[test]
fn earthquake_plan_2012_every_boundary() {
    use Metric::*;
    let quake = |m: f64, d: Density| {
        f(|x| {
            x.magnitude = Some(m);
            x.density = Some(d);
        })
    };
    let cases: Vec<Case> = vec![
        (f(|x| x.dead = 9), Some(4), Some(DeadMissing)),
        (
            f(|x| {
                x.dead = 6;
                x.missing = 4;
            }),
            Some(3),
            Some(DeadMissing),
        ),
        (f(|x| x.missing = 49), Some(3), Some(DeadMissing)),
        (f(|x| x.dead = 50), Some(2), Some(DeadMissing)),
        (f(|x| x.dead = 299), Some(2), Some(DeadMissing)),
        (f(|x| x.dead = 300), Some(1), Some(DeadMissing)),
        // Populated (较密集): 4.0 / 5.0 / 6.0 / 7.0.
        (quake(3.9, Density::Populated), Some(4), Some(DeadMissing)),
        (quake(4.0, Density::Populated), Some(4), Some(MagnitudePopulated)),
        (quake(5.0, Density::Populated), Some(3), Some(MagnitudePopulated)),
        (quake(6.0, Density::Populated), Some(2), Some(MagnitudePopulated)),
        (quake(6.9, Density::Populated), Some(2), Some(MagnitudePopulated)),
        (quake(7.0, Density::Populated), Some(1), Some(MagnitudePopulated)),
        // Dense (密集): 4.0 / 5.0 / 6.0.
        (quake(4.0, Density::Dense), Some(3), Some(MagnitudeDense)),
        (quake(4.9, Density::Dense), Some(3), Some(MagnitudeDense)),
        (quake(5.0, Density::Dense), Some(2), Some(MagnitudeDense)),
        (quake(6.0, Density::Dense), Some(1), Some(MagnitudeDense)),
        // Sparse: the magnitude alone grades nothing; no deaths is still 一般 (Ⅳ).
        (quake(6.5, Density::Sparse), Some(4), Some(DeadMissing)),
    ];
    run(("natural", "earthquake"), &cases, "earthquake_2012");
}

#[test]
fn natural_disaster_relief_national_every_boundary() {
    use Metric::*;
    let cases: Vec<Case> = vec![
        (f(|x| x.dead = 19), None, None),
        (f(|x| x.dead = 20), Some(4), Some(DeadMissing)),
        (
            f(|x| {
                x.dead = 30;
                x.missing = 20;
            }),
            Some(3),
            Some(DeadMissing),
        ),
        (f(|x| x.missing = 100), Some(2), Some(DeadMissing)),
        (f(|x| x.dead = 199), Some(2), Some(DeadMissing)),
        (f(|x| x.dead = 200), Some(1), Some(DeadMissing)),
        (f(|x| x.relocated = 99_999), None, None),
        (f(|x| x.relocated = 100_000), Some(4), Some(Relocated)),
        (f(|x| x.relocated = 500_000), Some(3), Some(Relocated)),
        (f(|x| x.relocated = 1_000_000), Some(2), Some(Relocated)),
        (f(|x| x.relocated = 2_000_000), Some(1), Some(Relocated)),
        (f(|x| x.houses_damaged = 9_999), None, None),
        (f(|x| x.houses_damaged = 10_000), Some(4), Some(HousesDamaged)),
        (f(|x| x.houses_damaged = 100_000), Some(3), Some(HousesDamaged)),
        (f(|x| x.houses_damaged = 200_000), Some(2), Some(HousesDamaged)),
        (f(|x| x.houses_damaged = 300_000), Some(1), Some(HousesDamaged)),
    ];
    run(("natural", "flood_drought"), &cases, "natural_disaster_relief_national");
}

#[test]
fn a_class_without_rules_gets_no_suggestion() {
    let g = grading();
    assert!(g.suggest("social_security", "terrorism", &f(|x| x.dead = 100)).is_none());
}

#[test]
fn a_suggestion_names_its_source_and_interval() {
    let g = grading();
    let s = g.suggest("accident", "production_safety", &f(|x| x.dead = 10)).expect("graded");
    assert!(s.source.contains("国务院令第493号"), "{}", s.source);
    assert_eq!(s.because[0].text, "dead 10 ∈ [10, 30)");
}

/// A broken rule file is refused whole, naming line and field.
#[test]
fn bad_rule_files_are_refused_with_line_and_field() {
    let tax = taxonomy();
    let good = include_str!("../../../fixtures/grading/production_safety.toml");
    let cases: [(&str, String, u64, &str); 6] = [
        ("unknown metric", good.replace("when.dead = { gte = 30 }", "when.deaths = { gte = 30 }"), 14, "deaths"),
        (
            "empty interval",
            good.replace("when.dead = { gte = 10, lt = 30 }", "when.dead = { gte = 30, lt = 10 }"),
            20,
            "grade.when.dead",
        ),
        (
            "overlap",
            good.replace("when.dead = { gte = 3, lt = 10 }", "when.dead = { gte = 3, lt = 11 }"),
            26,
            "grade.when.dead",
        ),
        (
            "unknown subtype",
            good.replace("subtype = \"production_safety\"", "subtype = \"mining\""),
            10,
            "applies.subtype",
        ),
        ("grade out of range", good.replace("grade = 4 #", "grade = 5 #"), 31, "grade"),
        ("bad confidence", good.replace("confidence = \"V\"", "confidence = \"sure\""), 9, "confidence"),
    ];
    for (what, text, line, field) in cases {
        assert_ne!(text, good, "{what}: the edit must apply");
        let (l, e) = RuleSet::from_toml(&text, &tax).expect_err(what);
        assert_eq!(e.field, field, "{what}: {e}");
        assert_eq!(l, line, "{what}: {e}");
    }
}
