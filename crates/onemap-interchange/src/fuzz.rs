//! Fuzz targets, one per reader, and the deterministic mutator that feeds them; shared by the
//! corpus test (`tests/fuzz_corpus.rs`) and the `onemap-fuzz` binary.
//!
//! A target never returns an error: it panics when the reader breaks an invariant. On `Ok`:
//! every row exactly as wide as the header, headers non-empty and unique, `at` strictly
//! increasing, everything within [`crate::limits`], and (CSV, GeoJSON, KML) writing the table
//! and reading it back gives the same cells. On `Err`: a non-empty message that shows the
//! location it names, a stable code, the right format. And, of course, no panic at all.

use std::collections::HashSet;
use std::io::{Cursor, Read, Write};

use crate::limits::{MAX_CELL_BYTES, MAX_COLUMNS, MAX_ROWS};
use crate::neutralise::neutralise;
use crate::{
    Format, GeoColumns, LAT, LON, READ_ERROR_CODES, ReadError, Table, read_csv, read_geojson, read_kml, read_xlsx,
    write_csv, write_geojson, write_kml,
};

/// Fuzz target for [`read_csv`].
pub fn csv(data: &[u8]) {
    run_csv(data);
}

/// Fuzz target for [`read_xlsx`] (first visible sheet).
pub fn xlsx(data: &[u8]) {
    run_xlsx(data);
}

/// Fuzz target for [`read_geojson`].
pub fn geojson(data: &[u8]) {
    run_geojson(data);
}

/// Fuzz target for [`read_kml`].
pub fn kml(data: &[u8]) {
    run_kml(data);
}

/// A coarse description of what a target did with an input (table shape, or error code and
/// wording), so a coverage-free fuzzer can keep inputs that did something new.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Outcome(String);

fn run_csv(data: &[u8]) -> Outcome {
    let result = read_csv(data);
    if let Ok(table) = &result {
        check_table(table);
        csv_round_trip(table);
    }
    outcome(Format::Csv, &result)
}

fn run_xlsx(data: &[u8]) -> Outcome {
    let result = read_xlsx(data, None);
    if let Ok(table) = &result {
        check_table(table);
    }
    outcome(Format::Xlsx, &result)
}

fn run_geojson(data: &[u8]) -> Outcome {
    let result = read_geojson(data);
    if let Ok(table) = &result {
        check_table(table);
        point_round_trip(table, write_geojson, read_geojson);
    }
    outcome(Format::GeoJson, &result)
}

fn run_kml(data: &[u8]) -> Outcome {
    let result = read_kml(data);
    if let Ok(table) = &result {
        check_table(table);
        point_round_trip(table, write_kml, read_kml);
    }
    outcome(Format::Kml, &result)
}

fn check_table(table: &Table) {
    assert!(table.headers.len() <= MAX_COLUMNS, "{} columns", table.headers.len());
    assert!(table.rows.len() <= MAX_ROWS, "{} rows", table.rows.len());
    let mut seen = HashSet::new();
    for h in &table.headers {
        assert!(!h.is_empty(), "empty header in {:?}", table.headers);
        assert!(h.len() <= MAX_CELL_BYTES, "header of {} bytes", h.len());
        assert!(seen.insert(h), "header {h:?} twice");
    }
    let mut last = 0;
    for row in &table.rows {
        assert_eq!(row.cells.len(), table.headers.len(), "row at {} is ragged", row.at);
        assert!(row.at > last, "row at {} follows row at {last}", row.at);
        last = row.at;
        for c in &row.cells {
            assert!(c.len() <= MAX_CELL_BYTES, "cell of {} bytes at {}", c.len(), row.at);
        }
    }
}

fn check_error(format: Format, e: &ReadError) {
    let text = e.to_string();
    assert!(!text.trim().is_empty(), "empty message for {e:?}");
    assert!(READ_ERROR_CODES.contains(&e.code()), "code {}", e.code());
    assert_eq!(e.format, format, "{e:?}");
    if let Some(at) = e.at {
        assert!(text.starts_with(&format!("{} {at}", format.row_noun())), "{text:?} does not name {at}");
    }
    if let Some(column) = &e.column {
        assert!(text.contains(&format!("`{column}`")), "{text:?} does not name {column:?}");
    }
}

fn outcome(format: Format, result: &Result<Table, ReadError>) -> Outcome {
    let bucket = |n: usize| match n {
        0..=2 => n,
        3..=4 => 3,
        5..=8 => 4,
        _ => 5,
    };
    match result {
        Ok(t) => Outcome(format!("ok {} {}", bucket(t.headers.len()), bucket(t.rows.len()))),
        Err(e) => {
            check_error(format, e);
            // The wording without the values it quotes (numbers, names, text in backticks):
            // one outcome per kind of complaint.
            let unquoted = match (e.detail.find('`'), e.detail.rfind('`')) {
                (Some(first), Some(last)) if first < last => format!("{}{}", &e.detail[..first], &e.detail[last + 1..]),
                _ => e.detail.clone(),
            };
            let words: Vec<&str> = unquoted
                .split_whitespace()
                .map(|w| w.trim_end_matches([',', ';', ':', '.']))
                .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic()))
                .take(9)
                .collect();
            Outcome(format!("{} {}", e.code(), words.join(" ")))
        }
    }
}

/// CSV written from a table reads back as the same cells, neutralised, without the rows that
/// are entirely empty (skipped on reading).
fn csv_round_trip(table: &Table) {
    let headers: Vec<String> = table.headers.iter().map(|h| neutralise(h).into_owned()).collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| neutralise(c).into_owned()).collect::<Vec<_>>())
        .filter(|cells| cells.iter().any(|c| !c.is_empty()))
        .collect();
    // Neutralising can merge two headers (`=a`, `'=a`) or push a cell past the limit: the
    // export is then legitimately not importable.
    let distinct: HashSet<&String> = headers.iter().collect();
    if distinct.len() != headers.len() || headers.iter().chain(rows.iter().flatten()).any(|c| c.len() > MAX_CELL_BYTES)
    {
        return;
    }
    let bytes = write_csv(table).expect("a table read from CSV can be written");
    let back = read_csv(&bytes).unwrap_or_else(|e| panic!("written CSV does not read back: {e}"));
    assert_eq!(back.headers, headers, "CSV round trip changed the header");
    let back_rows: Vec<Vec<String>> = back.rows.into_iter().map(|r| r.cells).collect();
    assert_eq!(back_rows, rows, "CSV round trip changed the cells");
}

/// GeoJSON / KML written from a table they read (points in `lon`, `lat`) reads back equal.
fn point_round_trip(
    table: &Table,
    write: fn(&Table, &GeoColumns) -> Result<Vec<u8>, crate::WriteError>,
    read: fn(&[u8]) -> Result<Table, ReadError>,
) {
    let geo = GeoColumns { lon: LON.into(), lat: LAT.into(), name: None };
    // KML cannot carry some control characters; the writer refuses them, which is correct.
    let Ok(bytes) = write(table, &geo) else { return };
    let back = read(&bytes).unwrap_or_else(|e| panic!("written file does not read back: {e}"));
    assert_eq!(&back, table, "round trip changed the table");
}

/// Bytes that mean something to a reader, spliced in by the mutator.
const CSV_TOKENS: &[&[u8]] = &[
    b"\"",
    b",",
    b";",
    b"\t",
    b"\r\n",
    b"\n",
    b"\r",
    b"\"\"",
    b"=",
    b"\xEF\xBB\xBF",
    b"\xD6\xD0\xCE\xC4",
    b"\xFF\xFE",
    b"\xFE\xFF",
    "名称".as_bytes(),
    b"lon",
    b"lat",
    b",,,,\r\n",
    b"\x80",
    b"\"a\nb\"",
];
const GEOJSON_TOKENS: &[&[u8]] = &[
    br#"{"type":"Feature","geometry":{"type":"Point","coordinates":[125.9,41.7]},"properties":{"a":"b"}}"#,
    br#""LineString""#,
    br#""Point""#,
    b"null",
    b"1e400",
    b"-1e-400",
    b"NaN",
    b"[",
    b"]",
    b"{",
    b"}",
    br#""lon""#,
    br#""lat""#,
    b"[1,[2]]",
    br#"{"a":1}"#,
    b"18446744073709551616",
    b",",
    br#""features""#,
    br#""properties""#,
    b"true",
    br#""""#,
    b"-0",
    b"2900.0",
    br#"["a","b"]"#,
    b"\\u0000",
    b"\\ud800",
];
const KML_TOKENS: &[&[u8]] = &[
    b"<Placemark>",
    b"</Placemark>",
    b"<Point><coordinates>125.9,41.7</coordinates></Point>",
    b"<!DOCTYPE kml [<!ENTITY e \"x\">]>",
    b"&e;",
    b"&amp;",
    b"&#13;",
    b"&#0;",
    b"&#x110000;",
    b"<![CDATA[",
    b"]]>",
    b"<Data name=\"lon\"><value>",
    b"</value></Data>",
    b"<SimpleData name=\"x\">",
    b"</SimpleData>",
    b"<Folder>",
    b"</Folder>",
    b" xmlns=\"http://www.opengis.net/kml/2.2\"",
    b"<LineString>",
    b"<name>",
    b"</name>",
    b"<kml>",
    b"</kml>",
    b"<ExtendedData>",
    b"</ExtendedData>",
    b"<x:Point xmlns:x=\"urn:x\">",
    b"1e999",
    b"<!-- -->",
];
const XLSX_TOKENS: &[&[u8]] = &[
    b"<c r=\"XFD1048576\" t=\"s\"><v>0</v></c>",
    b" t=\"e\"",
    b"<v>#DIV/0!</v>",
    b"r=\"A4294967296\"",
    b"<v>1e308</v>",
    b"<v>NaN</v>",
    b" t=\"b\"",
    b" t=\"d\"",
    b"<f>1+1</f>",
    b" s=\"1\"",
    b"<row r=\"9\">",
    b"</row>",
    b"<si><t>",
    b"</t></si>",
    b"numFmtId=\"14\"",
    b" t=\"inlineStr\"><is><t>x</t></is>",
    b"<v>45983.5</v>",
    b"<v>99999999</v>",
    b" t=\"s\"",
    b"<v>4294967295</v>",
    b"<c r=\"AAAAAAA1\">",
    b"<dimension ref=\"A1:XFD1048576\"/>",
    b"state=\"hidden\"",
];

/// One reader's fuzz target: its name (and corpus folder), the function and the tokens its
/// mutations splice in.
#[derive(Debug)]
pub struct Target {
    pub name: &'static str,
    pub format: Format,
    run: fn(&[u8]) -> Outcome,
    tokens: &'static [&'static [u8]],
}

/// The four targets, in the order `all` runs them.
pub const TARGETS: [Target; 4] = [
    Target { name: "csv", format: Format::Csv, run: run_csv, tokens: CSV_TOKENS },
    Target { name: "xlsx", format: Format::Xlsx, run: run_xlsx, tokens: XLSX_TOKENS },
    Target { name: "geojson", format: Format::GeoJson, run: run_geojson, tokens: GEOJSON_TOKENS },
    Target { name: "kml", format: Format::Kml, run: run_kml, tokens: KML_TOKENS },
];

/// The target called `name` (`csv`, `xlsx`, `geojson`, `kml`).
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Mutated inputs are cut to this size so a run stays fast.
pub const MAX_MUTATED_BYTES: usize = 256 * 1024;

impl Target {
    /// Runs the target on `data`; panics if the reader breaks an invariant.
    pub fn run(&self, data: &[u8]) -> Outcome {
        (self.run)(data)
    }

    /// Mutation `case` of the run seeded `seed`: picks one input of `corpus` and mutates it.
    /// The same (`corpus`, `seed`, `case`) always gives the same bytes, so a failure reproduces.
    pub fn mutation(&self, corpus: &[Vec<u8>], seed: u64, case: u64) -> Vec<u8> {
        let mut m = Mutator::new(seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let empty = Vec::new();
        let input = if corpus.is_empty() { &empty } else { &corpus[m.below(corpus.len())] };
        if self.format == Format::Xlsx
            && m.below(4) != 0
            && let Some(bytes) = m.mutate_zip(input, self.tokens)
        {
            return bytes;
        }
        m.mutate(input, corpus, self.tokens)
    }
}

/// A small deterministic mutator (SplitMix64): bit flips, interesting bytes, inserts, deletes,
/// chunk duplication, splices between inputs, and format tokens; for XLSX also the same on one
/// decompressed XML part, re-zipped.
#[derive(Debug, Clone)]
pub struct Mutator {
    state: u64,
}

impl Mutator {
    pub fn new(seed: u64) -> Self {
        Mutator { state: seed }
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    /// `input` with one to four random mutations, cut to [`MAX_MUTATED_BYTES`].
    pub fn mutate(&mut self, input: &[u8], corpus: &[Vec<u8>], tokens: &[&[u8]]) -> Vec<u8> {
        let mut data = input.to_vec();
        for _ in 0..1 + self.below(4) {
            self.mutate_once(&mut data, corpus, tokens);
        }
        data.truncate(MAX_MUTATED_BYTES);
        data
    }

    fn mutate_once(&mut self, data: &mut Vec<u8>, corpus: &[Vec<u8>], tokens: &[&[u8]]) {
        const INTERESTING: &[u8] = b"\0\xFF\x7F\x80\"',;<>&\n\r\t{}[]-9.0e ";
        let len = data.len();
        match self.below(9) {
            0 if len > 0 => {
                let i = self.below(len);
                data[i] ^= 1 << self.below(8);
            }
            1 if len > 0 => {
                let i = self.below(len);
                data[i] = INTERESTING[self.below(INTERESTING.len())];
            }
            2 => {
                let at = self.below(len + 1);
                let n = 1 + self.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| self.next() as u8).collect();
                data.splice(at..at, bytes);
            }
            3 if len > 0 => {
                let at = self.below(len);
                let n = 1 + self.below((len - at).min(64));
                data.drain(at..at + n);
            }
            4 if len > 0 => {
                // Duplicate a chunk, sometimes many times (long cells, many rows, deep nesting).
                let from = self.below(len);
                let n = 1 + self.below((len - from).min(256));
                let chunk = data[from..from + n].to_vec();
                let times = if self.below(8) == 0 { 1 + self.below(512) } else { 1 };
                let at = self.below(len + 1);
                data.splice(at..at, chunk.iter().copied().cycle().take(n * times));
            }
            5 if !corpus.is_empty() => {
                // Splice: our prefix, another input's suffix.
                let other = &corpus[self.below(corpus.len())];
                let cut = self.below(len + 1);
                let from = self.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            6 | 7 if !tokens.is_empty() => {
                let token = tokens[self.below(tokens.len())];
                let at = self.below(len + 1);
                if self.below(2) == 0 || at == len {
                    data.splice(at..at, token.iter().copied());
                } else {
                    let end = (at + token.len()).min(len);
                    data.splice(at..end, token.iter().copied());
                }
            }
            _ if len > 1 => {
                // Swap two bytes (reorders structure cheaply).
                let (a, b) = (self.below(len), self.below(len));
                data.swap(a, b);
            }
            _ => data.push(self.next() as u8),
        }
    }

    /// `input` read as a zip package: one XML part mutated (splicing with the other parts),
    /// the package written again (stored or deflated). `None` if `input` is not a readable zip.
    pub fn mutate_zip(&mut self, input: &[u8], tokens: &[&[u8]]) -> Option<Vec<u8>> {
        let mut archive = zip::ZipArchive::new(Cursor::new(input)).ok()?;
        let mut parts = Vec::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).ok()?;
            let name = file.name().ok()?.to_string();
            let mut bytes = Vec::new();
            file.by_ref().take(MAX_MUTATED_BYTES as u64 * 4).read_to_end(&mut bytes).ok()?;
            parts.push((name, bytes));
        }
        let xml: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].0.ends_with(".xml")).collect();
        if xml.is_empty() {
            return None;
        }
        let chosen = xml[self.below(xml.len())];
        let others: Vec<Vec<u8>> = parts.iter().map(|(_, b)| b.clone()).collect();
        parts[chosen].1 = self.mutate(&parts[chosen].1, &others, tokens);
        if self.below(16) == 0 {
            // Sometimes drop a part altogether (no shared strings, no styles, no workbook).
            parts.remove(xml[self.below(xml.len())]);
        }
        let method = if self.below(8) == 0 { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, bytes) in &parts {
            writer.start_file(name.as_str(), options).ok()?;
            writer.write_all(bytes).ok()?;
        }
        Some(writer.finish().ok()?.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_deterministic_and_differ() {
        let corpus = vec![b"a,b\r\n1,2\r\n".to_vec(), b"x;y\n3;4\n".to_vec()];
        let t = target("csv").unwrap();
        let a: Vec<_> = (0..50).map(|i| t.mutation(&corpus, 7, i)).collect();
        let b: Vec<_> = (0..50).map(|i| t.mutation(&corpus, 7, i)).collect();
        assert_eq!(a, b);
        let distinct: HashSet<_> = a.iter().collect();
        assert!(distinct.len() > 40, "only {} distinct mutations", distinct.len());
        assert!(a.iter().all(|m| m.len() <= MAX_MUTATED_BYTES));
    }

    #[test]
    fn targets_are_found_by_name() {
        let names: Vec<_> = TARGETS.iter().map(|t| t.name).collect();
        assert_eq!(names, ["csv", "xlsx", "geojson", "kml"]);
        assert_eq!(target("kml").map(|t| t.format), Some(Format::Kml));
        assert!(target("pdf").is_none());
    }

    #[test]
    #[should_panic(expected = "ragged")]
    fn a_ragged_table_breaks_the_invariants() {
        check_table(&Table {
            headers: vec!["a".into(), "b".into()],
            rows: vec![crate::SourceRow { at: 2, cells: vec!["1".into()] }],
        });
    }

    #[test]
    #[should_panic(expected = "follows")]
    fn rows_out_of_order_break_the_invariants() {
        let row = |at| crate::SourceRow { at, cells: vec!["1".into()] };
        check_table(&Table { headers: vec!["a".into()], rows: vec![row(3), row(3)] });
    }

    #[test]
    fn targets_accept_good_and_bad_input_without_panicking() {
        csv(b"name,lat\r\n\xE9\x80\x9A,41.7\r\n");
        csv(b"");
        geojson(br#"{"type":"FeatureCollection","features":[]}"#);
        geojson(b"{");
        kml(b"<kml><Placemark><Point><coordinates>1,2</coordinates></Point></Placemark></kml>");
        kml(b"<kml><Placemark>");
        xlsx(b"PK\x03\x04");
    }
}
