//! Outbound webhooks: endpoints an org registers for event types, signed deliveries with retries
//! (exponential backoff with jitter through SQS delays, up to 24 h), the attempt log, and the
//! SSRF guard.

pub mod model;
pub mod service;
pub mod signing;
pub mod ssrf;
