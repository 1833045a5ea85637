//! SMS: one text to one E.164 number. Production: SNS `Publish` to a phone number.

use super::{PortError, PortFuture};

/// Sends text messages.
pub trait Texter: Send + Sync {
    /// `to` is E.164 (`+15550100100`).
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> PortFuture<'a, Result<(), PortError>>;
}

/// SNS.
pub struct Sns {
    client: aws_sdk_sns::Client,
}

impl Sns {
    pub fn new(sdk: &aws_config::SdkConfig) -> Sns {
        Sns { client: aws_sdk_sns::Client::new(sdk) }
    }
}

impl Texter for Sns {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> PortFuture<'a, Result<(), PortError>> {
        Box::pin(async move {
            self.client
                .publish()
                .phone_number(to)
                .message(text)
                .send()
                .await
                .map_err(|e| PortError::new("SNS", aws_sdk_sns::error::DisplayErrorContext(e)))?;
            Ok(())
        })
    }
}
