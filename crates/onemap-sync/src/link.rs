//! One direction of a link: read a page of the source's log, apply it at the target.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use onemap_store::{ApplyReport, NodeId, Op, Store, StoreError};

/// A reader's version vector: per origin, the highest sequence number it already has.
pub type Versions = BTreeMap<NodeId, u64>;

/// A page of a replica's log, as sent over a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The ops, in the source's log order.
    pub ops: Vec<Op>,
    /// The source's log position the page ends at: the reader's next cursor.
    pub cursor: u64,
    /// Whether the source has more after this page.
    pub more: bool,
}

/// Reads the page of `source`'s log after `after` (the reader's cursor), scanning at most
/// `limit` ops and leaving out those the reader already has by its version vector `have`
/// (its own ops coming back, ops it relayed), so they never cross the wire again.
///
/// Urgent ops (decisions, orders, casualty figures: their origins' urgent lanes) the
/// reader lacks come first, from anywhere after the cursor, so they never wait behind a
/// backlog of routine data; the routine scan later leaves them out by `have`.
pub fn read_page(source: &dyn Store, after: u64, limit: usize, have: &Versions) -> Result<Page, StoreError> {
    assert!(limit > 0, "a page scans at least one op");
    let lacks = |op: &Op| have.get(&op.origin).is_none_or(|&seq| op.seq > seq);
    let urgent: Vec<Op> = source.urgent_since(after, limit)?.into_iter().map(|(_, op)| op).filter(lacks).collect();
    let rows = source.ops_since(after, limit)?;
    let cursor = rows.last().map_or(after, |(lseq, _)| *lseq);
    let more = rows.len() == limit && source.head()? > cursor;
    let sent: BTreeSet<(NodeId, u64)> = urgent.iter().map(|op| (op.origin, op.seq)).collect();
    let routine = rows.into_iter().map(|(_, op)| op).filter(|op| lacks(op) && !sent.contains(&(op.origin, op.seq)));
    Ok(Page { ops: urgent.into_iter().chain(routine).collect(), cursor, more })
}

/// Applies a page read from `peer` and advances the peer's cursor in the same transaction.
pub fn apply_page(target: &mut dyn Store, peer: &str, page: &Page) -> Result<ApplyReport, StoreError> {
    target.apply_from(peer, &page.ops, page.cursor)
}

/// Pulls everything `source` has that `target` has not read yet, page by page; returns the
/// number of ops added to `target`'s log.
pub fn pull_all(source: &dyn Store, target: &mut dyn Store, peer: &str, limit: usize) -> Result<usize, StoreError> {
    let mut logged = 0;
    loop {
        let page = read_page(source, target.cursor(peer)?, limit, &target.versions()?)?;
        logged += apply_page(target, peer, &page)?.logged;
        if !page.more {
            return Ok(logged);
        }
    }
}
