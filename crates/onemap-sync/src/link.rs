//! One direction of a link: read a page of the source's log, apply it at the target.

use serde::{Deserialize, Serialize};

use onemap_store::{ApplyReport, Op, Store, StoreError};

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

/// Reads the page of `source`'s log after `after` (the reader's cursor), at most `limit` ops.
pub fn read_page(source: &dyn Store, after: u64, limit: usize) -> Result<Page, StoreError> {
    assert!(limit > 0, "a page holds at least one op");
    let rows = source.ops_since(after, limit)?;
    let cursor = rows.last().map_or(after, |(lseq, _)| *lseq);
    let more = rows.len() == limit && source.head()? > cursor;
    Ok(Page { ops: rows.into_iter().map(|(_, op)| op).collect(), cursor, more })
}

/// Applies a page read from `peer` and advances the peer's cursor in the same transaction.
pub fn apply_page(target: &mut dyn Store, peer: &str, page: &Page) -> Result<ApplyReport, StoreError> {
    target.apply_from(peer, &page.ops, page.cursor)
}

/// Pulls everything `source` has that `target` has not read yet, page by page.
pub fn pull_all(source: &dyn Store, target: &mut dyn Store, peer: &str, limit: usize) -> Result<usize, StoreError> {
    let mut applied = 0;
    loop {
        let page = read_page(source, target.cursor(peer)?, limit)?;
        applied += apply_page(target, peer, &page)?.applied;
        if !page.more {
            return Ok(applied);
        }
    }
}
