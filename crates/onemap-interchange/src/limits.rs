//! Size limits every reader enforces, so a hostile or mistaken file cannot exhaust memory.
//! Each breach is an `import.too_large` error naming the limit.

/// Largest file accepted, in bytes (64 MiB).
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;
/// Most data rows (lines, sheet rows, features, placemarks) in one file.
pub const MAX_ROWS: usize = 200_000;
/// Most columns in one table (including `lon` and `lat` for GeoJSON and KML).
pub const MAX_COLUMNS: usize = 256;
/// Longest cell (or header), in bytes of UTF-8 (64 KiB).
pub const MAX_CELL_BYTES: usize = 64 * 1024;
/// Deepest nesting of elements in a KML file (folders in folders), so the parser's stack
/// stays small whatever the file.
pub const MAX_XML_DEPTH: usize = 1_000;
/// Most bytes the XML parts of an XLSX package (sheets, shared strings, styles, workbook,
/// relationships) may decompress to, all together (256 MiB). Checked by decompressing
/// before the workbook is parsed, so a zip bomb is refused without being believed.
pub const MAX_XLSX_XML_BYTES: u64 = 256 * 1024 * 1024;

/// Human text for a byte count in messages ("64 MiB", "64 KiB").
pub(crate) fn bytes_text(n: u64) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// "200,000" for messages.
pub(crate) fn count_text(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert_eq!(bytes_text(MAX_INPUT_BYTES as u64), "64 MiB");
        assert_eq!(bytes_text(MAX_CELL_BYTES as u64), "64 KiB");
        assert_eq!(bytes_text(1000), "1000 bytes");
        assert_eq!(count_text(MAX_ROWS), "200,000");
        assert_eq!(count_text(256), "256");
        assert_eq!(count_text(1_234_567), "1,234,567");
    }
}
