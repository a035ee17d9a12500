//! Opening a node: its store (a SQLite file, or PostgreSQL for a large hub), its reference
//! data, and the demo set on first start.

use std::path::{Path, PathBuf};

use onemap_store::{SqliteStore, Store};

use crate::error::ApiError;
use crate::fixtures::{LoadReport, load_context, load_demo_if_empty};
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

fn open_store(paths: &NodePaths) -> Result<Box<dyn Store + Send>, ApiError> {
    match paths.database.as_deref() {
        None => {
            std::fs::create_dir_all(&paths.data)
                .map_err(|e| ApiError::new("node.data_dir", format!("cannot create {}: {e}", paths.data.display())))?;
            Ok(Box::new(SqliteStore::open(&paths.store_file())?))
        }
        #[cfg(feature = "postgres")]
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Box::new(onemap_store::postgres::PgStore::connect(url)?))
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
