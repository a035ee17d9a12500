//! Moving ops between replicas. A link pulls pages of a peer's log from the peer's cursor
//! and applies each page with the cursor in one transaction, so a pull is idempotent and
//! resumes exactly where the last committed page ended. The simulator runs the real store
//! and link code over a centre hierarchy with lost, duplicated and reordered messages,
//! partitions and crashes, from a seed that reproduces any failure.
//!
//! Architecture invariant: nothing here knows a transport; HTTP and bundle files carry
//! [`link::Page`]s produced and consumed by these functions.

pub mod bundle;
pub mod client;
pub mod link;
pub mod sim;
pub mod tls;
pub mod wire;
