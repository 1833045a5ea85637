//! Functions triggered by events rather than HTTP.

pub mod bank_sync;
pub mod books;
pub mod document_uploaded;
pub mod events;
pub mod exports;
pub mod import;
pub mod jobs;
pub mod notifier;
pub mod outbox_relay;
pub mod receipt_uploaded;
pub mod webhook_dispatcher;
pub mod workflow_runtime;
