//! The error every service returns. It carries no AWS types: the store's failures arrive already
//! classified (`platform::db::DbError`), and the HTTP edge maps this enum to problem+json once.

use crate::platform::db::DbError;

/// One invalid input field, named by its JSON path (`address.city`, `labels[3]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing does not exist in this org (or belongs to another org: same answer).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request is well formed but clashes with the current state (duplicate, last owner, …).
    #[error("{0}")]
    Conflict(String),
    /// The member may act in the org, but not on this (a task assigned to someone else).
    #[error("{0}")]
    Forbidden(String),
    /// The input breaks a rule of the model.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The store failed in a way the caller cannot fix.
    #[error(transparent)]
    Store(#[from] DbError),
    /// A provider is known to be down (its circuit breaker is open): retry after this long.
    #[error("{detail}")]
    Unavailable { detail: String, retry_after_secs: u64 },
    /// A provider gave no usable answer (timeout, 5xx): nothing was changed here.
    #[error("{0}")]
    Upstream(String),
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
