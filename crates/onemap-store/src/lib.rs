//! OneMap's data spine: the durable, ordered operation log and the projections derived from
//! it (per-field last-writer-wins records, ledger balances, append-only events).
//!
//! Architecture invariants:
//! - every change is an [`Op`]; projections are a pure function of the set of ops applied,
//!   whatever their order, duplication or batching;
//! - `(origin, seq)` identifies an op everywhere, so applying it twice changes nothing;
//! - a batch is applied in one transaction (op log + projections + cursor), and a local
//!   write is acknowledged only after that transaction commits.
//!
//! This crate never depends on a UI host or a network transport.

pub mod authority;
pub mod clock;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod error;
pub mod identity;
pub mod merge;
pub mod op;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod sqlite;
pub mod store;

pub use authority::{Authority, Credential, Grant, Rights};
pub use error::StoreError;
pub use identity::{Identity, Seal};
pub use op::{Change, Hlc, NodeId, Op};
pub use sqlite::SqliteStore;
pub use store::{ApplyReport, Quarantined, Record, Snapshot, Store};
