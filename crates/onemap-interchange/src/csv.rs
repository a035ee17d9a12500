//! CSV ↔ table. Reads UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text")
//! and, when the bytes are not UTF-8, GB18030/GBK (Chinese Excel's default CSV encoding);
//! `,` separated, or `;` / tab when the header line has no comma. Writes UTF-8 with BOM, CRLF,
//! RFC 4180 quoting and formula neutralisation ([`crate::neutralise`]).

use std::borrow::Cow;

use csv::{QuoteStyle, ReaderBuilder, Terminator, WriterBuilder};
use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use crate::error::{ReadError, WriteError};
use crate::format::Format;
use crate::neutralise::neutralise;
use crate::table::{Table, TableBuilder, check_input_size, check_shape};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn column_label(i: usize) -> String {
    format!("#{}", i + 1)
}

/// Reads a CSV file. The first non-blank line is the header; blank lines and lines whose cells
/// are all empty (`,,,`) are skipped; shorter rows are padded with empty cells.
pub fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    check_input_size(Format::Csv, bytes)?;
    let text = decode(bytes)?;
    let delimiter = detect_delimiter(&text);
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(Terminator::CRLF)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let mut builder: Option<TableBuilder> = None;
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let at = e.position().map(|p| lines.line_at(p.byte()));
            ReadError::malformed(Format::Csv, format!("the CSV is malformed: {e}")).at_opt(at)
        })?;
        if !more {
            break;
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        let at = lines.record_line(record.position().map_or(0, csv::Position::byte));
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        match &mut builder {
            None => builder = Some(TableBuilder::new(Format::Csv, cells, at, column_label)?),
            Some(b) => b.push(at, cells)?,
        }
    }
    match builder {
        Some(b) => Ok(b.finish()),
        None => Err(ReadError::malformed(Format::Csv, "the file is empty; its first line must name the columns")),
    }
}

/// The text of the file: UTF-16 by BOM, else UTF-8 (BOM stripped), else GB18030.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    for (bom, encoding) in [(&b"\xFF\xFE"[..], UTF_16LE), (&b"\xFE\xFF"[..], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding.decode_without_bom_handling_and_without_replacement(rest).ok_or_else(|| {
                ReadError::malformed(
                    Format::Csv,
                    format!("the file starts like {} text but is not valid {0}", encoding.name()),
                )
            });
        }
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(utf8) => GB18030.decode_without_bom_handling_and_without_replacement(bytes).ok_or_else(|| {
            let at = LineCounter::new(bytes).line_at(utf8.valid_up_to() as u64);
            ReadError::malformed(
                Format::Csv,
                "the text is neither UTF-8 nor GB18030/GBK; save the file as \"CSV UTF-8\" and import it again",
            )
            .at(at)
        }),
    }
}

/// `,` unless the header line (the first non-blank one) has no comma outside quotes; then tab
/// or `;`, whichever it has more of.
fn detect_delimiter(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut tabs) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    let mut seen_content = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\r' | '\n' if !quoted => {
                if seen_content {
                    break;
                }
                continue;
            }
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
        seen_content = true;
    }
    if commas > 0 || (tabs == 0 && semicolons == 0) {
        b','
    } else if tabs >= semicolons {
        b'\t'
    } else {
        b';'
    }
}

/// Turns byte offsets (visited in increasing order) into physical line numbers, counting
/// `\r\n`, `\n` and a lone `\r` each as one line break.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter { text, offset: 0, line: 1 }
    }

    /// The line a record reported at `byte` starts on. The csv crate reports a record as
    /// starting right after the previous record's first terminator byte, so the `\n` of a
    /// `\r\n` (or the blank lines it skipped) comes first: step over line breaks.
    fn record_line(&mut self, byte: u64) -> u64 {
        let mut b = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len());
        while matches!(self.text.get(b), Some(b'\r' | b'\n')) {
            b += 1;
        }
        self.line_at(b as u64)
    }

    fn line_at(&mut self, byte: u64) -> u64 {
        let end = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len());
        while self.offset < end {
            match self.text[self.offset] {
                b'\n' => self.line += 1,
                b'\r' if self.text.get(self.offset + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.offset += 1;
        }
        self.line
    }
}

/// Writes the table as CSV: UTF-8 with BOM (so Excel opens Chinese correctly), CRLF line
/// ends, the header row fully quoted, data quoted where RFC 4180 needs it, and every cell
/// neutralised against formula injection.
pub fn write_csv(table: &Table) -> Result<Vec<u8>, WriteError> {
    check_shape(table)?;
    let mut out = UTF8_BOM.to_vec();
    // The header is always quoted so a one-column header holding `;` or a tab is not taken
    // for a different delimiter when the file is read back.
    write_records(&mut out, QuoteStyle::Always, std::iter::once(&table.headers))?;
    write_records(&mut out, QuoteStyle::Necessary, table.rows.iter().map(|r| &r.cells))?;
    Ok(out)
}

fn write_records<'a>(
    out: &mut Vec<u8>,
    style: QuoteStyle,
    records: impl Iterator<Item = &'a Vec<String>>,
) -> Result<(), WriteError> {
    let encoder = |message: String| WriteError::Encoder { format: Format::Csv, message };
    let mut w = WriterBuilder::new().terminator(Terminator::CRLF).quote_style(style).from_writer(out);
    for record in records {
        w.write_record(record.iter().map(|c| neutralise(c).into_owned())).map_err(|e| encoder(e.to_string()))?;
    }
    w.flush().map_err(|e| encoder(e.to_string()))
}
