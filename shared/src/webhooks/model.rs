//! Webhook endpoints and deliveries as stored and as answered, and their inputs.

use crate::ids::{DeliveryId, WebhookId};
use crate::validation::{check_opt_text, check_text, Validate};
use crate::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const WEBHOOK_ENTITY: &str = "Webhook";
pub const DELIVERY_ENTITY: &str = "WebhookDelivery";
pub const URL_MAX: usize = 2048;
pub const MAX_EVENT_TYPES: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WebhookStatus {
    Active,
    /// Not sent to (disabled by a person, or after failing for 3 days).
    Disabled,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookRecord {
    pub id: WebhookId,
    pub url: String,
    /// Event types (`payment.received`), `<resource>.*`, or `*`.
    pub event_types: Vec<String>,
    /// The signing secret, encrypted with KMS (base64; `platform::secrets`): never stored in
    /// plaintext.
    pub secret_ciphertext: String,
    pub status: WebhookStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Since when every delivery has failed (cleared by a success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_since: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub v: i64,
}

impl WebhookRecord {
    pub fn wants(&self, event_type: &str) -> bool {
        self.event_types.iter().any(|t| {
            t == "*" || t == event_type || t.strip_suffix('*').is_some_and(|prefix| event_type.starts_with(prefix))
        })
    }
}

/// An endpoint as the API shows it (the secret only on create).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub id: WebhookId,
    pub url: String,
    pub event_types: Vec<String>,
    pub status: WebhookStatus,
    pub description: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Shown once, in the create response: keep it to verify `Portfolio-Signature`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl Webhook {
    /// The endpoint as answered, without its secret.
    pub fn from_record(r: WebhookRecord) -> Webhook {
        Webhook {
            id: r.id,
            url: r.url,
            event_types: r.event_types,
            status: r.status,
            description: r.description,
            failing_since: r.failing_since,
            disabled_reason: r.disabled_reason,
            created_at: r.created_at,
            updated_at: r.updated_at,
            secret: None,
        }
    }
}

fn check_event_types(e: &mut Vec<FieldError>, types: &[String]) {
    if types.is_empty() || types.len() > MAX_EVENT_TYPES {
        e.push(FieldError::new("eventTypes", format!("give 1 to {MAX_EVENT_TYPES} event types")));
    }
    for (i, t) in types.iter().enumerate() {
        // `*`, an exact type, or a prefix ending in `.*` (`payment.*`): what `wants` matches.
        let parts: Vec<&str> = t.split('.').collect();
        let word = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        let last = parts.last().copied().unwrap_or_default();
        let ok = t == "*"
            || (t.len() <= 100
                && parts.len() >= 2
                && parts[..parts.len() - 1].iter().all(word)
                && (word(&last) || last == "*"));
        if !ok {
            e.push(FieldError::new(
                format!("eventTypes[{i}]"),
                "an event type such as payment.received, payment.*, or *",
            ));
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateWebhook {
    /// https (http only to localhost when running locally).
    #[schema(value_type = crate::validation::schema::Url)]
    pub url: String,
    #[schema(value_type = Vec<crate::validation::schema::EventTypeFilter>, min_items = 1, max_items = 50)]
    pub event_types: Vec<String>,
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub description: Option<String>,
}

impl Validate for CreateWebhook {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "url", &self.url, URL_MAX);
        check_event_types(&mut e, &self.event_types);
        check_opt_text(&mut e, "description", self.description.as_deref(), 500);
        e
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateWebhook {
    #[schema(value_type = Option<crate::validation::schema::Url>)]
    pub url: Option<String>,
    #[schema(value_type = Option<Vec<crate::validation::schema::EventTypeFilter>>, min_items = 1, max_items = 50)]
    pub event_types: Option<Vec<String>>,
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub description: Option<String>,
    /// `active` re-enables an endpoint that was disabled.
    pub status: Option<WebhookStatus>,
}

impl Validate for UpdateWebhook {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if let Some(u) = &self.url {
            check_text(&mut e, "url", u, URL_MAX);
        }
        if let Some(t) = &self.event_types {
            check_event_types(&mut e, t);
        }
        check_opt_text(&mut e, "description", self.description.as_deref(), 500);
        e
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Not yet delivered; `nextRetryAt` says when it is tried again.
    Pending,
    Succeeded,
    /// Gave up (24 h of failures, or the endpoint was disabled).
    Failed,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub at: DateTime<Utc>,
    /// The receiver's status code, if it answered.
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    #[schema(value_type = String)]
    pub event_id: crate::ids::EventId,
    pub event_type: String,
    pub status: DeliveryStatus,
    pub attempts: Vec<Attempt>,
    pub next_retry_at: Option<DateTime<Utc>>,
    /// When the current series of attempts started (the 24 h budget counts from here).
    pub series_started_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The exact body sent (the event as JSON).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    #[schema(ignore)]
    pub payload: String,
}

/// `:redeliver` takes no input (an empty object or no body).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Redeliver {}

impl Validate for Redeliver {
    fn validate(&self) -> Vec<FieldError> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(types: &[&str]) -> WebhookRecord {
        WebhookRecord {
            id: WebhookId::new(),
            url: "https://x.example".into(),
            event_types: types.iter().map(|t| t.to_string()).collect(),
            secret_ciphertext: "s".into(),
            status: WebhookStatus::Active,
            description: None,
            failing_since: None,
            disabled_reason: None,
            created_at: crate::platform::clock::now(),
            updated_at: crate::platform::clock::now(),
            v: 1,
        }
    }

    #[test]
    fn every_accepted_pattern_matches_what_it_says() {
        assert!(hook(&["*"]).wants("payment.received"));
        assert!(hook(&["payment.*"]).wants("payment.received") && !hook(&["payment.*"]).wants("charge.created"));
        assert!(hook(&["workflow.task.*"]).wants("workflow.task.completed"));
        assert!(
            hook(&["payment.received"]).wants("payment.received")
                && !hook(&["payment.received"]).wants("payment.reversed")
        );
        let check = |t: &str| {
            let mut e = Vec::new();
            check_event_types(&mut e, &[t.to_owned()]);
            e.is_empty()
        };
        for ok in ["*", "payment.*", "payment.received", "workflow.task.*", "member.role_changed"] {
            assert!(check(ok), "{ok}");
        }
        for bad in ["*.received", "payment", "Payment.Received", "payment..x", "a.*.b", ""] {
            assert!(!check(bad), "{bad}");
        }
    }
}
