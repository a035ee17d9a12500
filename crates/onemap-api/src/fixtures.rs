//! Loading reference data and fixture sets from `fixtures/`: the taxonomy, the item
//! catalogue, the console settings and a demo data set. A fixture set is parsed whole
//! before anything is written; if any file has any bad value, nothing is applied and every
//! problem is reported with its file, line and field.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use onemap_domain::fixtures::{self as parse, FileKind, FixtureRow};
use onemap_domain::{Diagnostic, EntityRef, FieldError, Taxonomy};

use crate::error::ApiError;
use crate::handlers::{Api, Command, Context};
use crate::types::Region;

/// `fixtures/console.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleConfig {
    pub region: Region,
    pub data: DataConfig,
    pub travel: TravelConfig,
    pub wall: crate::wall::WallConfig,
    pub relief: crate::types::ReliefConfig,
    pub report: crate::report_pdf::ReportConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelConfig {
    /// Road length ÷ straight-line distance, for travel estimates without road data.
    pub road_factor: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// Manifest of the fixture set loaded into an empty store, relative to `fixtures/`.
    pub demo: Option<PathBuf>,
}

/// A fixture set's `manifest.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub demonstration: bool,
    pub region: String,
    pub description: String,
    pub generator: Option<String>,
    pub seed: Option<String>,
    pub as_of: Option<String>,
    pub taxonomy: Option<String>,
    pub catalogue: Option<String>,
    pub files: Vec<String>,
}

/// What loading a fixture set wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// `(file, records)` in load order.
    pub files: Vec<(String, usize)>,
    pub ops: usize,
}

fn read(path: &Path) -> Result<String, ApiError> {
    std::fs::read_to_string(path).map_err(|e| {
        ApiError::diagnostics(
            "fixtures.io",
            vec![Diagnostic::at(&path.display().to_string(), 0, FieldError::new("file", e.to_string()))],
        )
    })
}

fn toml_file<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ApiError> {
    let text = read(path)?;
    onemap_domain::error::parse_toml(&text).map_err(|(line, e)| {
        ApiError::diagnostics("fixtures.invalid", vec![Diagnostic::at(&path.display().to_string(), line, e)])
    })
}

/// Reads the deployment's role table (`roles.toml`), checking every kind it names.
pub fn load_roles(fixtures: &Path) -> Result<std::collections::BTreeMap<String, onemap_store::Rights>, ApiError> {
    let path = fixtures.join("roles.toml");
    let roles: std::collections::BTreeMap<String, onemap_store::Rights> = toml_file(&path)?;
    for (role, rights) in &roles {
        if let Some(bad) = rights.writes.iter().find(|k| *k != "*" && onemap_domain::EntityKind::parse(k).is_none()) {
            return Err(ApiError::new(
                "fixtures.invalid",
                format!("{}: role `{role}` writes `{bad}`, which is not an entity kind", path.display()),
            ));
        }
    }
    Ok(roles)
}

/// `sync.toml`: how links treat data.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SyncConfig {
    urgent: crate::handlers::UrgentRules,
}

/// Reads the reference data a node runs with: taxonomy, catalogue and console settings.
pub fn load_context(fixtures: &Path) -> Result<(Context, ConsoleConfig), ApiError> {
    let tax_path = fixtures.join("taxonomy.toml");
    let taxonomy = Taxonomy::from_toml(&read(&tax_path)?).map_err(|(line, e)| {
        ApiError::diagnostics("fixtures.invalid", vec![Diagnostic::at(&tax_path.display().to_string(), line, e)])
    })?;
    let items_path = fixtures.join("catalogue/items.csv");
    let items = parse::parse_items(&items_path.display().to_string(), &read(&items_path)?)
        .map_err(|d| ApiError::diagnostics("fixtures.invalid", d))?;
    let console_path = fixtures.join("console.toml");
    let config: ConsoleConfig = toml_file(&console_path)?;
    let router = onemap_domain::travel::StraightLine::new(config.travel.road_factor).map_err(|e| {
        ApiError::diagnostics(
            "fixtures.invalid",
            vec![Diagnostic::at(
                &console_path.display().to_string(),
                0,
                FieldError::new("travel.road_factor", e.message),
            )],
        )
    })?;
    let sync: SyncConfig = toml_file(&fixtures.join("sync.toml"))?;
    let (bounds, areas) = load_boundaries(&fixtures.join("region"))?;
    let codes: Vec<&str> = items.iter().map(|i| i.code.as_str()).collect();
    let invalid = |d: Vec<Diagnostic>| ApiError::diagnostics("fixtures.invalid", d);
    let grading_files = toml_dir(&fixtures.join("grading"))?;
    let mut grading = onemap_domain::grading::Grading::default();
    let mut problems = Vec::new();
    for (name, text) in &grading_files {
        match onemap_domain::grading::RuleSet::from_toml(text, &taxonomy) {
            Ok(set) => grading.sets.push(set),
            Err((line, e)) => problems.push(Diagnostic::at(name, line, e)),
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let reporting_path = fixtures.join("reporting.toml");
    let reporting = onemap_domain::reporting::ReportingRules::from_toml(&read(&reporting_path)?, &taxonomy)
        .map_err(|(line, e)| invalid(vec![Diagnostic::at(&reporting_path.display().to_string(), line, e)]))?;
    let plans =
        onemap_domain::plan::PlanSet::load(&toml_dir(&fixtures.join("plans"))?, &taxonomy, &codes).map_err(invalid)?;
    let import: crate::import::ImportAliases = toml_file(&fixtures.join("import.toml"))?;
    let shelter_standards = shelter_standards(&fixtures.join("shelters.toml"))?;
    let readiness_path = fixtures.join("readiness.toml");
    let readiness = onemap_domain::readiness::ReadinessRules::from_toml(&read(&readiness_path)?, &plans)
        .map_err(|(line, e)| invalid(vec![Diagnostic::at(&readiness_path.display().to_string(), line, e)]))?;
    let ctx = Context {
        taxonomy,
        items,
        region: config.region.clone(),
        demo: config.data.demo.is_some(),
        urgent: sync.urgent,
        router,
        wall: config.wall.clone(),
        bounds,
        areas,
        import,
        shelter_standards,
        readiness,
        grading,
        plans,
        relief: config.relief.clone(),
        reporting,
        report_fonts: config.report.clone(),
    };
    Ok((ctx, config))
}

/// Shelters' per-capita area standards by jurisdiction (`fixtures/shelters.toml`).
pub fn shelter_standards(path: &Path) -> Result<std::collections::BTreeMap<onemap_domain::AdminCode, f64>, ApiError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        per_capita_m2: std::collections::BTreeMap<String, f64>,
    }
    let file: File = toml_file(path)?;
    file.per_capita_m2
        .into_iter()
        .map(|(code, v)| {
            let bad = |m: String| {
                ApiError::diagnostics(
                    "fixtures.invalid",
                    vec![Diagnostic::at(
                        &path.display().to_string(),
                        0,
                        FieldError::new(format!("per_capita_m2.{code}"), m),
                    )],
                )
            };
            let c = onemap_domain::AdminCode::parse(&code).map_err(bad)?;
            if !(v.is_finite() && v > 0.0) {
                return Err(bad(format!("{v} is not a positive area per person")));
            }
            Ok((c, v))
        })
        .collect()
}

/// Every `*.toml` file of `dir` as (path, text), by name; a missing directory holds none.
fn toml_dir(dir: &Path) -> Result<Vec<(String, String)>, ApiError> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files.into_iter().map(|p| Ok((p.display().to_string(), read(&p)?))).collect()
}

/// Jurisdictions' extents (for framing one on the map) and areas (for measuring over one).
type Boundaries =
    (std::collections::BTreeMap<String, [f64; 4]>, std::collections::BTreeMap<String, geo::MultiPolygon<f64>>);

/// Every boundary in the GeoJSON files of `dir` (feature property `code`, a 12-digit admin
/// code): its extent and its area. No directory, no boundaries.
fn load_boundaries(dir: &Path) -> Result<Boundaries, ApiError> {
    use geo::BoundingRect;
    let mut out = std::collections::BTreeMap::new();
    let mut areas = std::collections::BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok((out, areas)) };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
        .collect();
    files.sort();
    for path in files {
        let name = path.display().to_string();
        let bad = |field: &str, m: String| {
            ApiError::diagnostics("fixtures.invalid", vec![Diagnostic::at(&name, 0, FieldError::new(field, m))])
        };
        let fc: geojson::FeatureCollection = read(&path)?
            .parse::<geojson::GeoJson>()
            .map_err(|e| bad("file", e.to_string()))?
            .try_into()
            .map_err(|e: geojson::Error| bad("file", e.to_string()))?;
        for (n, f) in fc.features.into_iter().enumerate() {
            let code = f.property("code").and_then(serde_json::Value::as_str).map(str::to_owned);
            let (Some(code), Some(geometry)) = (code, f.geometry) else {
                return Err(bad(&format!("features[{n}]"), "a boundary needs a `code` property and a geometry".into()));
            };
            let geom: geo::Geometry<f64> = geometry
                .try_into()
                .map_err(|e: geojson::Error| bad(&format!("features[{n}].geometry"), e.to_string()))?;
            if let Some(r) = geom.bounding_rect() {
                out.insert(code.clone(), [r.min().x, r.min().y, r.max().x, r.max().y]);
            }
            let area = match geom {
                geo::Geometry::Polygon(p) => geo::MultiPolygon(vec![p]),
                geo::Geometry::MultiPolygon(m) => m,
                _ => {
                    return Err(bad(
                        &format!("features[{n}].geometry"),
                        "a boundary is a Polygon or MultiPolygon".into(),
                    ));
                }
            };
            areas.insert(code, area);
        }
    }
    Ok((out, areas))
}

/// A fixture set parsed and checked, not yet written.
#[derive(Debug)]
pub struct ParsedSet {
    pub manifest: Manifest,
    pub files: Vec<(String, Vec<FixtureRow>)>,
}

/// Parses every file of the set named by `manifest_path`. Returns all diagnostics of all
/// files if any is bad.
pub fn parse_set(manifest_path: &Path, context: &Context) -> Result<ParsedSet, ApiError> {
    let (taxonomy, items) = (&context.taxonomy, &context.items);
    let manifest: Manifest = toml_file(manifest_path)?;
    let dir = manifest_path.parent().unwrap_or(Path::new("."));
    let mut ctx = parse::Context {
        items: items.iter().map(|i| i.code.clone()).collect(),
        per_capita_m2: context.shelter_standards.clone(),
        ..Default::default()
    };
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for name in &manifest.files {
        let path = dir.join(name);
        let shown = path.display().to_string();
        let Some(kind) = FileKind::from_file_name(name) else {
            problems.push(Diagnostic::at(
                &manifest_path.display().to_string(),
                0,
                FieldError::new("files", format!("`{name}` is not a known registry file")),
            ));
            continue;
        };
        match read(&path)
            .map_err(|e| e.diagnostics)
            .and_then(|text| parse::parse_file(&shown, kind, &text, taxonomy, &mut ctx, manifest.demonstration))
        {
            Ok(rows) => files.push((name.clone(), rows)),
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        Ok(ParsedSet { manifest, files })
    } else {
        Err(ApiError::diagnostics("fixtures.invalid", problems))
    }
}

/// Writes a parsed set through the same command path as operator edits, one transaction
/// per file, so fixture records audit and sync like any other data.
pub fn apply_set(api: &Api, set: ParsedSet) -> Result<LoadReport, ApiError> {
    let mut report = LoadReport::default();
    for (name, rows) in set.files {
        let mut commands = Vec::with_capacity(rows.len() * 2);
        for row in &rows {
            commands.push(Command::upsert(row.draft.clone()));
            for (account, delta) in &row.movements {
                if *delta != 0 {
                    commands.push(Command::Move {
                        entity: row.draft.entity,
                        account: (*account).to_owned(),
                        delta: *delta,
                    });
                }
            }
        }
        report.ops += commands.len();
        api.execute("fixtures", &format!("fixtures.load {name}"), commands)?;
        report.files.push((name, rows.len()));
    }
    Ok(report)
}

/// Loads the configured demo set into an empty store; a store that already holds the
/// region, or has written anything, is left as it is. Returns `None` when nothing was
/// loaded. A member of a deployment loads only its share (see [`owned_by`]), and only from
/// its command seat.
pub fn load_demo_if_empty(api: &Api, fixtures: &Path, config: &ConsoleConfig) -> Result<Option<LoadReport>, ApiError> {
    let Some(manifest) = &config.data.demo else { return Ok(None) };
    let region = onemap_domain::AdminCode::parse(&config.region.code)
        .map_err(|m| ApiError::new("fixtures.invalid", format!("console.toml region.code: {m}")))?;
    let marker = EntityRef { kind: onemap_domain::EntityKind::Jurisdiction, id: region.record_id() };
    let (written, member) = {
        let store = api.shared_store().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (store.own_state(onemap_store::identity::Lane::Routine)?.applied > 0, store.local().grant())
    };
    if written || api.get(marker)?.is_some() {
        return Ok(None);
    }
    let ctx = api.context();
    let mut set = parse_set(&fixtures.join(manifest), ctx)?;
    match member {
        None => {}
        // Consoles of a centre take the centre's records from its hub; its command seat
        // (the hub) writes them.
        Some(Ok(grant)) if grant.role != "command" => return Ok(None),
        Some(Ok(grant)) => {
            let mine = owned_by(&set, &grant.jurisdiction);
            for (_, rows) in &mut set.files {
                rows.retain(&mine);
            }
        }
        Some(Err(why)) => return Err(ApiError::new("node.membership", why)),
    }
    apply_set(api, set).map(Some)
}

/// The rows of a shared set that the centre of `own` writes: those it is the nearest centre
/// for (the set's own centres decide), so across a deployment each record is loaded once,
/// by the centre that controls it.
pub fn owned_by(set: &ParsedSet, own: &onemap_domain::AdminCode) -> impl Fn(&FixtureRow) -> bool + use<> {
    let centres: std::collections::BTreeSet<onemap_domain::AdminCode> = set
        .files
        .iter()
        .flat_map(|(_, rows)| rows)
        .filter_map(|r| match &r.draft.body {
            onemap_domain::EntityBody::Centre(c) => Some(c.jurisdiction.clone()),
            _ => None,
        })
        .collect();
    let own = own.clone();
    move |row: &FixtureRow| {
        let nearest = row.draft.body.controlling().and_then(|c| {
            std::iter::successors(Some(c), onemap_domain::AdminCode::parent).find(|c| centres.contains(c))
        });
        match nearest {
            Some(c) => c == own,
            // Controlled by no centre of the set: the topmost centre writes it.
            None => own.parent().is_none_or(|p| {
                !std::iter::successors(Some(p), onemap_domain::AdminCode::parent).any(|a| centres.contains(&a))
            }),
        }
    }
}
