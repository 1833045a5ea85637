//! Webhooks' use cases, one file each: `endpoints` (CRUD; the secret is shown once) and
//! `deliveries` (fan-out of an event to the endpoints that want it, one delivery item per event
//! and endpoint with a deterministic id, one attempt with its retry schedule, redelivery, and
//! disabling endpoints that fail for 3 days). This façade keeps callers' paths.

pub use super::deliveries::{
    active_endpoints, attempt, backoff_secs, delivery_id, dispatch, redeliver, DeliveryMessage, Outcome, DISABLE_AFTER,
    GIVE_UP_AFTER,
};
pub use super::endpoints::{create, delete, get_record, list, list_deliveries, update};
