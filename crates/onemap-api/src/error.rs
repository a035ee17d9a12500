//! The error every command returns: a stable code and a human-readable message.

use serde::Serialize;
use ts_rs::TS;

use onemap_domain::{Diagnostic, FieldError};
use onemap_store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, TS)]
#[error("{code}: {message}")]
#[ts(export)]
pub struct ApiError {
    /// Stable identifier, e.g. `validation.field`, `not_found`, `store.sqlite`.
    pub code: String,
    pub message: String,
    /// Located problems (file, line, field) when the request carried a document.
    pub diagnostics: Vec<Diagnostic>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_owned(), message: message.into(), diagnostics: Vec::new() }
    }

    pub fn not_found(what: impl std::fmt::Display) -> Self {
        Self::new("not_found", format!("{what} does not exist"))
    }

    pub fn diagnostics(code: &str, diagnostics: Vec<Diagnostic>) -> Self {
        let first = diagnostics.first().map(ToString::to_string).unwrap_or_default();
        let message = match diagnostics.len() {
            0 => "invalid input".to_owned(),
            1 => first,
            n => format!("{first} (and {} more problems)", n - 1),
        };
        Self { code: code.to_owned(), message, diagnostics }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::new("validation.field", e.to_string())
    }
}
