//! Validation errors: a field-level error from a rule, and a diagnostic that also names where
//! the bad value came from (file and line); and reading TOML documents with such errors.

use serde::Serialize;
use ts_rs::TS;

/// A value that breaks a domain rule, with the field it was found in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, TS)]
#[error("field `{field}`: {message}")]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// A bad value located in an input document: `teams.csv:12: field `lon`: …`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, TS)]
#[error("{file}:{line}: field `{field}`: {message}")]
#[ts(export)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line number in the file; 0 when the problem concerns the whole file.
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl Diagnostic {
    pub fn at(file: &str, line: u64, err: FieldError) -> Self {
        Self { file: file.to_owned(), line, field: err.field, message: err.message }
    }
}

/// Parses a TOML document; an error carries the 1-based line it points at (0 if unknown)
/// and the key it is about: for an unknown key that key, else the one set on that line (else
/// the one the message names, else `document`).
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, (u64, FieldError)> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| 1 + text[..s.start].matches('\n').count() as u64);
        // The key the message names, else the key set on the line the error points at.
        let on_line = || {
            let l = text.lines().nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
            let (lhs, _) = l.split_once('=')?;
            Some(lhs.trim().rsplit('.').next()?.trim().to_owned())
        };
        let named = || e.message().split('`').nth(1).map(str::to_owned);
        let field =
            if e.message().starts_with("unknown field") { named().or_else(on_line) } else { on_line().or_else(named) };
        let field = field.unwrap_or_else(|| "document".to_owned());
        (line, FieldError::new(field, e.message()))
    })
}

/// The 1-based line where a rule found after parsing points: the first line that sets the
/// field's last key (as any part of a dotted key, a `[…]`/`[[…]]` header or an inline table's key), searched
/// from the lines that start with each of `anchors` in turn, each below the one before (e.g.
/// `level = 2`, then `id = "patrol"`; the same anchor twice: its second occurrence); 0 when
/// none does.
pub fn line_of_after(text: &str, anchors: &[&str], field: &str) -> u64 {
    let key = field.rsplit('.').next().unwrap_or(field);
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    for (k, a) in anchors.iter().enumerate() {
        // Each anchor after the first is looked for below the one before it.
        let from = if k == 0 { 0 } else { start + 1 };
        if let Some(i) = lines.iter().skip(from).position(|l| l.trim_start().starts_with(a)) {
            start = from + i;
        }
    }
    let sets = |l: &str| {
        let t = l.trim_start();
        if t.starts_with('#') || !(t.starts_with('[') || t.contains('=')) {
            return false;
        }
        let lhs = t.split('=').next().unwrap_or_default().trim().trim_start_matches('[').trim_end_matches(']');
        lhs.split('.').any(|seg| seg.trim().trim_matches('"') == key)
            || t.contains(&format!("{{ {key} ="))
            || t.contains(&format!(", {key} ="))
    };
    lines.iter().enumerate().skip(start).find(|(_, l)| sets(l)).map_or(0, |(i, _)| i as u64 + 1)
}

/// [`line_of_after`] from the top of the text.
pub fn line_of(text: &str, field: &str) -> u64 {
    line_of_after(text, &[], field)
}
