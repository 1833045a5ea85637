//! Email: one plain-text message to one recipient. Production: SES v2 `SendEmail` from the
//! org-wide verified sender (`NOTIFY_FROM_EMAIL`).

use super::{PortError, PortFuture};

/// One plain-text email.
#[derive(Debug, Clone, Copy)]
pub struct Email<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
}

/// Sends email.
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, email: Email<'a>) -> PortFuture<'a, Result<(), PortError>>;
}

/// SES v2.
pub struct Ses {
    client: aws_sdk_sesv2::Client,
    from: Option<String>,
}

impl Ses {
    pub fn new(sdk: &aws_config::SdkConfig, from: Option<String>) -> Ses {
        Ses { client: aws_sdk_sesv2::Client::new(sdk), from }
    }
}

impl Mailer for Ses {
    fn send<'a>(&'a self, email: Email<'a>) -> PortFuture<'a, Result<(), PortError>> {
        use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
        Box::pin(async move {
            let from = self.from.as_deref().ok_or_else(|| PortError::new("SES", "NOTIFY_FROM_EMAIL is not set"))?;
            let text =
                |s: &str| Content::builder().data(s).charset("UTF-8").build().map_err(|e| PortError::new("SES", e));
            let message =
                Message::builder().subject(text(email.subject)?).body(Body::builder().text(text(email.text)?).build());
            self.client
                .send_email()
                .from_email_address(from)
                .destination(Destination::builder().to_addresses(email.to).build())
                .content(EmailContent::builder().simple(message.build()).build())
                .send()
                .await
                .map_err(|e| PortError::new("SES", aws_sdk_sesv2::error::DisplayErrorContext(e)))?;
            Ok(())
        })
    }
}
