//! Validation errors: a field-level error from a rule, and a diagnostic that also names where
//! the bad value came from (file and line).

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
