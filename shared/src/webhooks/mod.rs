//! Outbound webhooks: endpoints an org registers for event types, signed deliveries with retries
//! (exponential backoff with jitter through SQS delays, up to 24 h), the attempt log, and the
//! SSRF guard. Signing secrets are stored encrypted with KMS (`platform::secrets`): shown once
//! at creation, decrypted only by the dispatcher to sign a delivery.

pub mod deliveries;
pub mod endpoints;
pub mod events;
pub mod model;
pub mod service;
pub mod signing;

/// The KMS encryption context's purpose for webhook signing secrets (owned by `platform::secrets`,
/// which the platform's clients are built with).
pub use crate::platform::secrets::WEBHOOK_SIGNING_PURPOSE as SECRETS_PURPOSE;
