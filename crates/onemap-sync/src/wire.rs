//! The sync wire format, shared by the hub's endpoints and the client: JSON compressed
//! with gzip, and the small JSON messages around it.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

/// Content type of a compressed sync body.
pub const CONTENT_TYPE: &str = "application/vnd.onemap.sync+gzip";

/// Who a node is and what it has (`GET /sync/v1/hello`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub node: String,
    /// The end of its log (to tell how far behind a reader is).
    pub head: u64,
    /// Its version vector, so a pusher sends only what it lacks.
    pub versions: crate::link::Versions,
}

/// A request for the next page of a node's log (`POST /sync/v1/pull`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pull {
    /// The reader's cursor in the source's log.
    pub after: u64,
    /// Ops to scan at most.
    pub limit: usize,
    /// The reader's version vector: ops it already has are left out.
    pub have: crate::link::Versions,
}

/// How far a node has read a peer's log (`GET /sync/v1/cursor?peer=…`, and the answer to a push).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub cursor: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("sync body is not valid gzip: {0}")]
    Gzip(#[from] std::io::Error),
    #[error("sync body is not the expected JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// JSON, then gzip.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let json = serde_json::to_vec(value).expect("sync messages always serialise");
    let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 4), flate2::Compression::fast());
    gz.write_all(&json).expect("writing to memory cannot fail");
    gz.finish().expect("writing to memory cannot fail")
}

/// Inverse of [`encode`], refusing bodies that inflate beyond `limit` bytes.
pub fn decode<T: serde::de::DeserializeOwned>(body: &[u8], limit: u64) -> Result<T, WireError> {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(body).take(limit).read_to_end(&mut json)?;
    Ok(serde_json::from_slice(&json)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_garbage() {
        let c = Cursor { cursor: 42 };
        assert_eq!(decode::<Cursor>(&encode(&c), 1 << 20).expect("decodes"), c);
        assert!(matches!(decode::<Cursor>(b"not gzip", 1 << 20), Err(WireError::Gzip(_))));
        assert!(
            decode::<Cursor>(&encode(&Hello { node: "x".into(), head: 0, versions: Default::default() }), 1 << 20)
                .is_err()
        );
    }
}
