//! Functions triggered by events rather than HTTP.

pub mod document_uploaded;
pub mod events;
pub mod notifier;
pub mod outbox_relay;
pub mod rent_generator;
pub mod webhook_dispatcher;
