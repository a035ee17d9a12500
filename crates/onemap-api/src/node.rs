//! Opening a node: its store (a SQLite file, or PostgreSQL for a large hub), its reference
//! data, and the demo set on first start.

use std::path::{Path, PathBuf};

use onemap_store::{Authority, Identity, SqliteStore, Store};

use crate::error::ApiError;
use crate::fixtures::{LoadReport, load_context, load_demo_if_empty, load_roles};
use crate::handlers::Api;

/// Where a node keeps its data and finds its reference data.
#[derive(Debug, Clone)]
pub struct NodePaths {
    /// Directory holding `onemap.db` (created if missing).
    pub data: PathBuf,
    /// The `fixtures/` directory (taxonomy, catalogue, console.toml, demo set).
    pub fixtures: PathBuf,
    /// A `postgres://` URL to keep the store in PostgreSQL instead of `data/onemap.db`.
    pub database: Option<String>,
    /// The node's membership of a deployment: the directory `onemap-hub cert issue` wrote
    /// and the node's name in it. Without one the node stands alone (open authority).
    pub member: Option<(PathBuf, String)>,
}

impl NodePaths {
    pub fn store_file(&self) -> PathBuf {
        self.data.join("onemap.db")
    }
}

/// Opens the node's store and API; loads the demo set if the store is new.
pub fn open(paths: &NodePaths) -> Result<(Api, Option<LoadReport>), ApiError> {
    let store = open_store(paths)?;
    let (ctx, config) = load_context(&paths.fixtures)?;
    let api = Api::new(store, ctx);
    let loaded = load_demo_if_empty(&api, &paths.fixtures, &config)?;
    Ok((api, loaded))
}

/// Opens the store as the member's key (a fresh one without membership) and sets the rule
/// incoming ops are admitted by.
fn open_store(paths: &NodePaths) -> Result<Box<dyn Store + Send>, ApiError> {
    let membership = paths
        .member
        .as_ref()
        .map(|(dir, name)| onemap_sync::tls::membership(dir, name))
        .transpose()
        .map_err(|e| ApiError::new("node.membership", e.to_string()))?;
    let (identity, rule) = match membership {
        Some(m) => {
            let roles = load_roles(&paths.fixtures)?;
            (Some(m.identity), Some((Authority::Deployment { ca: m.ca, roles }, m.credential)))
        }
        None => (None, None),
    };
    let mut store = backend(paths, identity)?;
    if let Some((authority, credential)) = rule {
        store.local_mut().configure(authority, Some(credential))?;
    }
    Ok(store)
}

fn backend(paths: &NodePaths, identity: Option<Identity>) -> Result<Box<dyn Store + Send>, ApiError> {
    match paths.database.as_deref() {
        None => {
            std::fs::create_dir_all(&paths.data)
                .map_err(|e| ApiError::new("node.data_dir", format!("cannot create {}: {e}", paths.data.display())))?;
            Ok(Box::new(match identity {
                Some(id) => SqliteStore::open_as(&paths.store_file(), id)?,
                None => SqliteStore::open(&paths.store_file())?,
            }))
        }
        #[cfg(feature = "postgres")]
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Box::new(onemap_store::postgres::PgStore::connect(url, identity)?))
        }
        Some(other) => Err(ApiError::new(
            "node.database",
            format!("`{other}` is not a database this build can use (postgres://… with the postgres feature)"),
        )),
    }
}

/// Finds the `fixtures/` directory: an explicit path, else next to the executable's
/// installed resources, else the source checkout.
pub fn find_fixtures(explicit: Option<&Path>, candidates: &[PathBuf]) -> Option<PathBuf> {
    explicit
        .map(Path::to_path_buf)
        .into_iter()
        .chain(candidates.iter().cloned())
        .find(|p| p.join("taxonomy.toml").is_file())
}
