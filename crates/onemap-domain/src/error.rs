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
/// and the key it is about when the message names one (else `document`).
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, (u64, FieldError)> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| 1 + text[..s.start].matches('\n').count() as u64);
        let field = e.message().split('`').nth(1).unwrap_or("document").to_owned();
        (line, FieldError::new(field, e.message()))
    })
}
