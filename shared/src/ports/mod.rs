//! Outbound effects behind narrow traits (ARCHITECTURE §2): what the product asks of the world
//! outside its table — send an email, send a text, POST a signed webhook — with the production
//! adapter beside each trait. `make dev` and the tests use the same adapters pointed at local
//! endpoints (the emulator's SES and SNS, local HTTP receivers), so no test replaces a port with
//! an imitation; a use case only sees the trait, so later providers (Stripe, Plaid, Textract,
//! SFTP) join the same way.

pub mod email;
pub mod receipts;
pub mod sms;
pub mod ssrf;
pub mod webhook;

use std::future::Future;
use std::pin::Pin;

/// What a port call returns: a boxed future, so ports are object-safe (`Arc<dyn Mailer>`).
pub type PortFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A provider refused or could not be reached; the message is the provider's own.
#[derive(Debug, thiserror::Error)]
#[error("{provider}: {message}")]
pub struct PortError {
    pub provider: &'static str,
    pub message: String,
}

impl PortError {
    pub fn new(provider: &'static str, message: impl std::fmt::Display) -> PortError {
        PortError { provider, message: message.to_string() }
    }
}

impl From<PortError> for crate::Error {
    fn from(e: PortError) -> crate::Error {
        crate::Error::Store(crate::platform::db::DbError::Invalid(e.to_string()))
    }
}
