//! The demo data is placed plausibly: every located record lies inside the polygon of the
//! jurisdiction it names (township polygons for 东昌区, county polygons elsewhere in 通化市).

use std::collections::BTreeMap;
use std::path::Path;

use geo::{Contains, MultiPolygon, Point};

use onemap_api::fixtures::{load_context, parse_set};
use onemap_domain::entity::EntityBody;

fn polygons(file: &str) -> BTreeMap<String, MultiPolygon<f64>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/region").join(file);
    let text = std::fs::read_to_string(&path).expect("region file");
    let fc: geojson::FeatureCollection = text.parse().expect("GeoJSON");
    fc.features
        .into_iter()
        .map(|f| {
            let code = f.property("code").and_then(|v| v.as_str()).expect("code property").to_owned();
            let geom: geo::Geometry<f64> = f.geometry.expect("geometry").try_into().expect("geo geometry");
            let mp = match geom {
                geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                geo::Geometry::MultiPolygon(mp) => mp,
                other => panic!("{code}: unexpected geometry {other:?}"),
            };
            (code, mp)
        })
        .collect()
}

#[test]
fn every_demo_point_lies_in_its_jurisdiction() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let (ctx, _) = load_context(&fixtures).expect("context");
    let set = parse_set(&fixtures.join("demo/manifest.toml"), &ctx).expect("demo set parses");
    let mut areas = polygons("dongchang-townships.geojson");
    areas.extend(polygons("tonghua-counties.geojson"));
    areas.extend(polygons("jilin-cities.geojson"));
    let mut checked = 0;
    for (file, rows) in &set.files {
        for row in rows {
            let (code, at) = match &row.draft.body {
                EntityBody::Team(t) => (&t.base, t.location),
                EntityBody::Warehouse(w) => (&w.jurisdiction, w.location),
                EntityBody::Shelter(s) => (&s.jurisdiction, s.location),
                EntityBody::Hazard(h) => (&h.jurisdiction, h.location),
                EntityBody::Incident(i) => (&i.jurisdiction, i.location),
                _ => continue,
            };
            let area = areas.get(code.as_str()).unwrap_or_else(|| panic!("{file}:{}: no polygon for {code}", row.line));
            assert!(
                area.contains(&Point::new(at.lon, at.lat)),
                "{file}:{}: ({}, {}) is outside {code}",
                row.line,
                at.lon,
                at.lat
            );
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} points checked");
}
