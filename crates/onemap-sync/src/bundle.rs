//! Change-set files for when no link exists at all (a USB stick between centres): a
//! bundle is one page of the exporter's log with the exporter's identity, applied on import
//! exactly like a page received over the network (same sequencing, same cursor).

use serde::{Deserialize, Serialize};

use onemap_store::{ApplyReport, Store, StoreError};

use crate::link::{Page, Versions, apply_page, read_page};
use crate::wire::{self, WireError};

/// First bytes of every bundle file: the format and its version.
const MAGIC: &[u8] = b"ONEMAP-BUNDLE-1\n";
/// Largest inflated bundle accepted.
const LIMIT: u64 = 1 << 30;

#[derive(Debug, Serialize, Deserialize)]
struct Bundle {
    /// The exporting node.
    from: String,
    page: Page,
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("not a OneMap bundle (it does not start with {:?})", String::from_utf8_lossy(MAGIC).trim())]
    NotABundle,
    #[error("the bundle is damaged: {0}")]
    Damaged(#[from] WireError),
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

/// Everything in `source`'s log after `after` that a receiver with version vector `have`
/// lacks, as bundle bytes.
pub fn export(source: &dyn Store, after: u64, have: &Versions) -> Result<Vec<u8>, BundleError> {
    let head = source.head()?;
    let page =
        read_page(source, after, usize::try_from(head.saturating_sub(after)).unwrap_or(usize::MAX).max(1), have)?;
    debug_assert!(!page.more, "an export takes the whole rest of the log");
    let mut out = MAGIC.to_vec();
    out.extend(wire::encode(&Bundle { from: source.node().to_string(), page }));
    Ok(out)
}

/// Applies a bundle; returns what it did and the exporting node.
pub fn import(target: &mut dyn Store, bytes: &[u8]) -> Result<(String, ApplyReport), BundleError> {
    let body = bytes.strip_prefix(MAGIC).ok_or(BundleError::NotABundle)?;
    let bundle: Bundle = wire::decode(body, LIMIT)?;
    let report = apply_page(target, &bundle.from, &bundle.page)?;
    Ok((bundle.from, report))
}
