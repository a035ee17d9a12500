//! OneMap's domain model: jurisdictions, resources, incidents and the taxonomy that classifies
//! them, with the validation rules every write passes through.
//!
//! Architecture invariant: this crate does no I/O. Callers hand it text (a taxonomy file, a
//! fixture CSV) and get typed values or precise diagnostics back; nothing here can touch a
//! file, a clock or the network, so every rule is testable as a pure function.

pub mod admin;
pub mod allocation;
pub mod dispatch;
pub mod entity;
pub mod error;
pub mod fixtures;
pub mod geo;
pub mod grading;
pub mod plan;
pub mod readiness;
pub mod registry;
pub mod reporting;
pub mod request;
pub mod response;
pub mod taxonomy;
pub mod travel;

pub use admin::{AdminCode, Tier};
pub use entity::{Draft, EntityBody, EntityKind, EntityRef};
pub use error::{Diagnostic, FieldError};
pub use geo::Point;
pub use taxonomy::Taxonomy;
