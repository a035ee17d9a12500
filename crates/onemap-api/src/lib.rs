//! OneMap's one command surface. Every host (the desktop app over Tauri IPC, the hub over
//! HTTP) forwards the same [`Request`] to [`Api::handle`] and returns the same [`Response`]
//! or [`ApiError`]; the TypeScript types of all three are generated from these definitions.
//!
//! API boundary: errors leave as stable `{code, message}` pairs; nothing here knows about
//! Tauri, HTTP or JSON transport beyond serde.

pub mod allocation;
pub mod dispatch;
pub mod duty;
pub mod error;
pub mod fixtures;
pub mod handlers;
pub mod import;
pub mod links;
mod nearby;
pub mod node;
pub mod readiness;
pub mod replay;
pub mod report_pdf;
pub mod reports;
pub mod response;
pub mod search;
mod stats;
pub mod types;
pub mod wall;

pub use error::ApiError;
pub use handlers::{Api, Context};
pub use types::{Request, Response};
