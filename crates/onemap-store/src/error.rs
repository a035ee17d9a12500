//! Errors of the store, each with a stable code for the API boundary.

use onemap_domain::EntityRef;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL error: {0}")]
    Postgres(#[from] sqlx::Error),
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL schema migration failed: {0}")]
    PgMigration(#[from] sqlx::migrate::MigrateError),
    #[error("the database file failed its integrity check: {0}")]
    Corrupt(String),
    #[error("op {origin}/{seq} is malformed: {reason}")]
    MalformedOp { origin: String, seq: u64, reason: String },
    #[error("{entity:?} field `{field}` is not a plain identifier")]
    BadField { entity: EntityRef, field: String },
    #[error("stored data could not be decoded: {0}")]
    Decode(#[from] serde_json::Error),
    #[error("node identity: {0}")]
    Identity(String),
    #[error("not allowed: {0}")]
    Unauthorized(String),
}

impl StoreError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "store.sqlite",
            Self::Migration(_) => "store.migration",
            #[cfg(feature = "postgres")]
            Self::Postgres(_) => "store.postgres",
            #[cfg(feature = "postgres")]
            Self::PgMigration(_) => "store.migration",
            Self::Corrupt(_) => "store.corrupt",
            Self::MalformedOp { .. } => "store.malformed_op",
            Self::BadField { .. } => "store.bad_field",
            Self::Decode(_) => "store.decode",
            Self::Identity(_) => "store.identity",
            Self::Unauthorized(_) => "store.unauthorized",
        }
    }
}
