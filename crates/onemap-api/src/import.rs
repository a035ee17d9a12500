//! Registry import and export: a CSV, XLSX, GeoJSON or KML file read into a table, its
//! columns mapped onto the registry's (guessed from `fixtures/import.toml`, changed by the
//! operator), every row checked (file, row, column), and — only when no row is bad — written
//! in one commit; and a registry written out in any of the four formats. Progress of a
//! running import is readable while it runs.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use onemap_domain::entity::{EntityBody, EntityKind};
use onemap_domain::fixtures::{Context as ParseContext, FileKind, FixtureRow, Sheet, parse_sheet};
use onemap_domain::{Diagnostic, FieldError};
use onemap_interchange::{Format, GeoColumns, SourceRow, Table};

use crate::error::ApiError;
use crate::handlers::{Api, Command, bodies};

/// The registries that import and export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Registry {
    Teams,
    Warehouses,
    Stock,
    Shelters,
    Hazards,
    Experts,
}

impl Registry {
    fn file_kind(self) -> FileKind {
        match self {
            Self::Teams => FileKind::Teams,
            Self::Warehouses => FileKind::Warehouses,
            Self::Stock => FileKind::Stock,
            Self::Shelters => FileKind::Shelters,
            Self::Hazards => FileKind::Hazards,
            Self::Experts => FileKind::Experts,
        }
    }

    fn entity_kind(self) -> EntityKind {
        match self {
            Self::Teams => EntityKind::Team,
            Self::Warehouses => EntityKind::Warehouse,
            Self::Stock => EntityKind::StockLine,
            Self::Shelters => EntityKind::Shelter,
            Self::Hazards => EntityKind::Hazard,
            Self::Experts => EntityKind::Expert,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Teams => "teams",
            Self::Warehouses => "warehouses",
            Self::Stock => "stock",
            Self::Shelters => "shelters",
            Self::Hazards => "hazards",
            Self::Experts => "experts",
        }
    }
}

/// The file formats, as the console names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FileFormat {
    Csv,
    Xlsx,
    GeoJson,
    Kml,
}

impl From<FileFormat> for Format {
    fn from(f: FileFormat) -> Self {
        match f {
            FileFormat::Csv => Format::Csv,
            FileFormat::Xlsx => Format::Xlsx,
            FileFormat::GeoJson => Format::GeoJson,
            FileFormat::Kml => Format::Kml,
        }
    }
}

/// A file to import into a registry.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ImportRequest {
    pub registry: Registry,
    /// The file's name (its extension says the format).
    pub file_name: String,
    /// The file's bytes, base64.
    pub data: String,
    /// Registry column → the file's column. Columns left out are guessed.
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
    /// Write the rows (when none is bad); otherwise only check them.
    #[serde(default)]
    pub commit: bool,
}

/// One registry column and the file's column that fills it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ColumnMap {
    pub column: String,
    pub source: Option<String>,
}

/// What an import found (and, when committed, wrote).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub registry: Registry,
    pub format: FileFormat,
    /// What one row is called in this format (line, row, feature, placemark).
    pub row_noun: String,
    pub source_headers: Vec<String>,
    pub columns: Vec<ColumnMap>,
    pub rows: u32,
    /// Rows that passed every check.
    pub valid: u32,
    /// Every problem, by file, row and column (the first 500).
    pub errors: Vec<Diagnostic>,
    /// The first rows as they map onto the registry's columns.
    pub sample: Vec<Vec<String>>,
    /// Records written, with how many were new; none unless committed.
    pub written: Option<u32>,
    pub created: Option<u32>,
    #[ts(type = "number | null")]
    pub head: Option<u64>,
}

/// How far a running import is.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub running: bool,
    /// read, check, write, done
    pub phase: String,
    pub done: u32,
    pub total: u32,
}

/// An exported registry.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportFile {
    pub name: String,
    pub mime: String,
    /// The file's bytes, base64.
    pub data: String,
    pub rows: u32,
}

/// The aliases of `fixtures/import.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportAliases {
    pub aliases: BTreeMap<String, Vec<String>>,
}

/// How many problems an import reports.
const SHOWN_ERRORS: usize = 500;
const SAMPLE_ROWS: usize = 5;
/// Rows checked between progress updates.
const PROGRESS_EVERY: usize = 1_000;

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The file column for each registry column: the operator's choice, else one named like it
/// or like one of its aliases.
fn map_columns(
    columns: &[&str],
    headers: &[String],
    chosen: &BTreeMap<String, String>,
    aliases: &ImportAliases,
) -> Vec<ColumnMap> {
    columns
        .iter()
        .map(|c| {
            let guess = || {
                let names: Vec<String> = std::iter::once((*c).to_owned())
                    .chain(aliases.aliases.get(*c).into_iter().flatten().cloned())
                    .map(|n| fold(&n))
                    .collect();
                headers.iter().find(|h| names.contains(&fold(h))).cloned()
            };
            let source = match chosen.get(*c) {
                Some(s) if s.is_empty() => None,
                Some(s) => Some(s.clone()),
                None => guess(),
            };
            ColumnMap { column: (*c).to_owned(), source }
        })
        .collect()
}

impl Api {
    fn set_progress(&self, phase: &str, done: usize, total: usize) {
        let mut p = self.import_progress.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *p = ImportProgress {
            running: phase != "done",
            phase: phase.to_owned(),
            done: u32::try_from(done).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        };
    }

    pub(crate) fn import_progress(&self) -> ImportProgress {
        self.import_progress.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// What the rows refer to that the store already holds: jurisdictions, and warehouses by
    /// id and by name (a stock file names its warehouse either way).
    fn parse_context(&self) -> Result<ParseContext, ApiError> {
        let store = self.store();
        let mut ctx = ParseContext {
            items: self.context().items.iter().map(|i| i.code.clone()).collect(),
            per_capita_m2: self.context().shelter_standards.clone(),
            ..Default::default()
        };
        for (_, b) in bodies(&**store, EntityKind::Jurisdiction)? {
            if let EntityBody::Jurisdiction(j) = b {
                ctx.jurisdictions.insert(j.code);
            }
        }
        for (r, b) in bodies(&**store, EntityKind::Warehouse)? {
            if let EntityBody::Warehouse(w) = b {
                ctx.warehouses.insert(r.entity.id.to_string(), r.entity.id);
                ctx.warehouses.insert(w.name, r.entity.id);
            }
        }
        Ok(ctx)
    }

    pub(crate) fn import(&self, req: ImportRequest, actor: &str) -> Result<ImportReport, ApiError> {
        let result = self.import_inner(req, actor);
        self.set_progress("done", 0, 0);
        result
    }

    fn import_inner(&self, req: ImportRequest, actor: &str) -> Result<ImportReport, ApiError> {
        let format = Format::from_file_name(&req.file_name).ok_or_else(|| {
            ApiError::new(
                "import.unsupported",
                format!("`{}`: import takes .csv, .xlsx, .geojson (.json) or .kml files", req.file_name),
            )
        })?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(req.data.as_bytes())
            .map_err(|e| ApiError::new("validation.field", format!("field `data`: not base64: {e}")))?;
        self.set_progress("read", 0, bytes.len());
        let table = onemap_interchange::read(format, &bytes)
            .map_err(|e| ApiError::new(e.code(), format!("{}: {e}", req.file_name)))?;
        let kind = req.registry.file_kind();
        let columns = map_columns(kind.columns(), &table.headers, &req.mapping, &self.context().import);
        let file_format = match format {
            Format::Csv => FileFormat::Csv,
            Format::Xlsx => FileFormat::Xlsx,
            Format::GeoJson => FileFormat::GeoJson,
            Format::Kml => FileFormat::Kml,
        };
        let mut report = ImportReport {
            registry: req.registry,
            format: file_format,
            row_noun: format.row_noun().to_owned(),
            source_headers: table.headers.clone(),
            columns: columns.clone(),
            rows: u32::try_from(table.rows.len()).unwrap_or(u32::MAX),
            valid: 0,
            errors: Vec::new(),
            sample: Vec::new(),
            written: None,
            created: None,
            head: None,
        };
        // A registry column mapped to a file column the file does not have, or to none.
        let mut problems = Vec::new();
        let mut index = Vec::with_capacity(columns.len());
        for c in &columns {
            match &c.source {
                Some(s) => match table.headers.iter().position(|h| h == s) {
                    Some(i) => index.push(Some(i)),
                    None => {
                        problems.push(Diagnostic::at(
                            &req.file_name,
                            1,
                            FieldError::new(&c.column, format!("the file has no column `{s}`")),
                        ));
                        index.push(None);
                    }
                },
                None => index.push(None),
            }
        }
        let sheet = Sheet {
            headers: columns.iter().map(|c| c.column.clone()).collect(),
            rows: table
                .rows
                .iter()
                .map(|SourceRow { at, cells }| {
                    (*at, index.iter().map(|i| i.map_or_else(String::new, |i| cells[i].clone())).collect())
                })
                .collect(),
        };
        report.sample = sheet.rows.iter().take(SAMPLE_ROWS).map(|(_, r)| r.clone()).collect();
        let tax = self.context().taxonomy.clone();
        let mut ctx = self.parse_context()?;
        // Checked in chunks, so a large file shows progress; one context across chunks, so
        // keys repeated between chunks are still caught.
        let mut parsed: Vec<FixtureRow> = Vec::with_capacity(sheet.rows.len());
        let total = sheet.rows.len();
        for (n, chunk) in sheet.rows.chunks(PROGRESS_EVERY).enumerate() {
            self.set_progress("check", n * PROGRESS_EVERY, total);
            let part = Sheet { headers: sheet.headers.clone(), rows: chunk.to_vec() };
            match parse_sheet(&req.file_name, kind, &part, &tax, &mut ctx, false) {
                Ok(rows) => parsed.extend(rows),
                Err(d) => problems.extend(d),
            }
        }
        let bad_rows: BTreeSet<u64> = problems.iter().map(|d| d.line).collect();
        report.valid =
            u32::try_from(sheet.rows.iter().filter(|(at, _)| !bad_rows.contains(at)).count()).unwrap_or(u32::MAX);
        // Name the file's column beside the registry's, so the operator finds it.
        for d in &mut problems {
            if let Some(src) = columns.iter().find(|c| c.column == d.field).and_then(|c| c.source.as_ref())
                && src != &d.field
            {
                d.field = format!("{} ({src})", d.field);
            }
        }
        problems.truncate(SHOWN_ERRORS);
        report.errors = problems;
        if !req.commit {
            return Ok(report);
        }
        if !report.errors.is_empty() {
            let mut e = ApiError::diagnostics("import.invalid", report.errors);
            e.message = format!(
                "{} of {} {}s are bad; nothing was imported. {}",
                report.rows - report.valid,
                report.rows,
                report.row_noun,
                e.message
            );
            return Err(e);
        }
        self.set_progress("write", 0, parsed.len());
        let (commands, created) = self.import_commands(parsed)?;
        let written = commands.iter().filter(|c| matches!(c, Command::Upsert(_))).count();
        let head = self.execute(actor, &format!("import.{}: {}", req.registry.name(), req.file_name), commands)?;
        report.written = Some(u32::try_from(written).unwrap_or(u32::MAX));
        report.created = Some(created);
        report.head = Some(head);
        Ok(report)
    }

    /// The upserts of the rows, and the ledger movements that bring each record's quantities
    /// to the file's figures (the difference from what the ledger holds now).
    fn import_commands(&self, rows: Vec<FixtureRow>) -> Result<(Vec<Command>, u32), ApiError> {
        let store = self.store();
        let mut commands = Vec::with_capacity(rows.len() * 2);
        let mut created = 0;
        for row in rows {
            let existing = store.get(row.draft.entity)?.filter(|r| !r.deleted());
            if existing.is_none() {
                created += 1;
            }
            let entity = row.draft.entity;
            commands.push(Command::upsert(row.draft));
            for (account, figure) in &row.movements {
                let now = existing.as_ref().and_then(|r| r.balances.get(*account).copied()).unwrap_or(0);
                if figure - now != 0 {
                    commands.push(Command::Move { entity, account: (*account).to_owned(), delta: figure - now });
                }
            }
        }
        Ok((commands, created))
    }

    pub(crate) fn export(&self, registry: Registry, format: FileFormat) -> Result<ExportFile, ApiError> {
        let kind = registry.file_kind();
        let store = self.store();
        let mut rows: Vec<SourceRow> = Vec::new();
        for (r, b) in bodies(&**store, registry.entity_kind())? {
            if let Some(cells) = onemap_domain::registry::row(kind, r.entity.id, &b, &r.balances) {
                rows.push(SourceRow { at: rows.len() as u64 + 2, cells });
            }
        }
        drop(store);
        let n = rows.len();
        let table = Table { headers: kind.columns().iter().map(|c| (*c).to_owned()).collect(), rows };
        let geo = GeoColumns { lon: "lon".into(), lat: "lat".into(), name: Some("name".into()) };
        let f: Format = format.into();
        let geo = match registry {
            // A stock line is where its warehouse is; an expert has no place on the map.
            Registry::Stock | Registry::Experts if matches!(f, Format::GeoJson | Format::Kml) => {
                return Err(ApiError::new(
                    "export.unsupported",
                    format!("{} have no coordinates: export them as CSV or XLSX", registry.name()),
                ));
            }
            _ => Some(&geo),
        };
        let bytes =
            onemap_interchange::write(f, &table, geo).map_err(|e| ApiError::new("export.failed", e.to_string()))?;
        let (ext, mime) = match f {
            Format::Csv => ("csv", "text/csv"),
            Format::Xlsx => ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Format::GeoJson => ("geojson", "application/geo+json"),
            Format::Kml => ("kml", "application/vnd.google-earth.kml+xml"),
        };
        Ok(ExportFile {
            name: format!("{}-{}.{ext}", registry.name(), self.context().region.code),
            mime: mime.to_owned(),
            data: base64::engine::general_purpose::STANDARD.encode(bytes),
            rows: u32::try_from(n).unwrap_or(u32::MAX),
        })
    }
}
