//! Offline tile packs. Reads vector tiles from an MBTiles file (SQLite, TMS rows) for the
//! hosts to serve under their own URL scheme; the packs themselves are built by the recipe
//! in `offline-tiles/`.
//!
//! Architecture invariant: a pack is opened read-only and never written by the console.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

#[derive(Debug, thiserror::Error)]
pub enum TileError {
    #[error("tile pack {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("tile pack {path} is not an MBTiles file: {reason}")]
    NotMbtiles { path: String, reason: String },
    #[error("tile {z}/{x}/{y}: {reason}")]
    BadTile { z: u8, x: u32, y: u32, reason: String },
    #[error("tile pack read failed: {0}")]
    Read(#[from] rusqlite::Error),
}

impl TileError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Open { .. } => "tiles.open",
            Self::NotMbtiles { .. } => "tiles.not_mbtiles",
            Self::BadTile { .. } => "tiles.bad_tile",
            Self::Read(_) => "tiles.read",
        }
    }
}

/// An open MBTiles pack.
#[derive(Debug)]
pub struct TilePack {
    conn: Mutex<Connection>,
    metadata: BTreeMap<String, String>,
}

impl TilePack {
    pub fn open(path: &Path) -> Result<Self, TileError> {
        let shown = path.display().to_string();
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|source| TileError::Open { path: shown.clone(), source })?;
        let not = |reason: String| TileError::NotMbtiles { path: shown.clone(), reason };
        let mut metadata = BTreeMap::new();
        {
            let mut stmt = conn
                .prepare("SELECT name, value FROM metadata")
                .map_err(|e| not(format!("no metadata table ({e})")))?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .map_err(|e| not(e.to_string()))?;
            for row in rows {
                let (k, v) = row.map_err(|e| not(e.to_string()))?;
                metadata.insert(k, v);
            }
        }
        conn.prepare("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1")
            .map_err(|e| not(format!("no tiles table ({e})")))?;
        match metadata.get("format").map(String::as_str) {
            Some("pbf") => {}
            other => return Err(not(format!("format is {other:?}, expected \"pbf\" (vector tiles)"))),
        }
        Ok(Self { conn: Mutex::new(conn), metadata })
    }

    pub fn metadata(&self) -> &BTreeMap<String, String> {
        &self.metadata
    }

    /// The decompressed vector tile at XYZ coordinates, or `None` where the pack has none.
    pub fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, TileError> {
        if z > 24 || u64::from(x) >= 1u64 << z || u64::from(y) >= 1u64 << z {
            return Err(TileError::BadTile { z, x, y, reason: "outside the tile grid".into() });
        }
        let tms_row = (1u32 << z) - 1 - y;
        let data: Option<Vec<u8>> = {
            let conn = self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            conn.prepare_cached(
                "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
            )?
            .query_row((z, x, tms_row), |r| r.get(0))
            .optional()?
        };
        data.map(|bytes| gunzip_if_needed(&bytes).map_err(|e| TileError::BadTile { z, x, y, reason: e.to_string() }))
            .transpose()
    }
}

fn gunzip_if_needed(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(bytes.len() * 3);
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
        Ok(out)
    } else {
        Ok(bytes.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn pack(dir: &Path, format: &str) -> std::path::PathBuf {
        let path = dir.join("t.mbtiles");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE metadata (name TEXT, value TEXT);
             CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);",
        )
        .unwrap();
        conn.execute("INSERT INTO metadata VALUES ('format', ?1)", [format]).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"tile-bytes").unwrap();
        // XYZ (1, 0, 0) is TMS row 1 at zoom 1.
        conn.execute("INSERT INTO tiles VALUES (1, 0, 1, ?1)", [gz.finish().unwrap()]).unwrap();
        path
    }

    #[test]
    fn reads_flips_rows_and_gunzips() {
        let dir = tempfile::tempdir().unwrap();
        let p = TilePack::open(&pack(dir.path(), "pbf")).unwrap();
        assert_eq!(p.tile(1, 0, 0).unwrap().as_deref(), Some(&b"tile-bytes"[..]));
        assert_eq!(p.tile(1, 0, 1).unwrap(), None);
        assert_eq!(p.tile(1, 2, 0).unwrap_err().code(), "tiles.bad_tile");
    }

    #[test]
    fn refuses_what_is_not_a_vector_pack() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(TilePack::open(&pack(dir.path(), "png")).unwrap_err().code(), "tiles.not_mbtiles");
        let junk = dir.path().join("junk.mbtiles");
        std::fs::write(&junk, b"junk").unwrap();
        assert!(TilePack::open(&junk).is_err());
    }
}
