//! The events of webhook endpoints.

use super::model::WebhookStatus;
use crate::events::EventSpec;
use crate::ids::{DeliveryId, WebhookId};
use chrono::{DateTime, Utc};

crate::domain_event! {
    /// An endpoint was registered.
    WebhookCreated = "webhook.created", version 1, subject "webhook" by webhook_id {
        webhook_id: WebhookId,
        url: String,
        event_types: Vec<String>,
        status: WebhookStatus,
    }

    /// An endpoint's URL, event types, description or status changed.
    WebhookUpdated = "webhook.updated", version 1, subject "webhook" by webhook_id {
        webhook_id: WebhookId,
        url: String,
        event_types: Vec<String>,
        status: WebhookStatus,
    }

    /// An endpoint was deleted.
    WebhookDeleted = "webhook.deleted", version 1, subject "webhook" by webhook_id {
        webhook_id: WebhookId,
        url: String,
        event_types: Vec<String>,
        status: WebhookStatus,
    }

    /// An endpoint failing for too long was disabled.
    WebhookDisabled = "webhook.disabled", version 1, subject "webhook" by webhook_id {
        webhook_id: WebhookId,
        url: String,
        failing_since: Option<DateTime<Utc>>,
        reason: Option<String>,
    }

    /// A delivery was asked to be sent again.
    WebhookRedeliveryRequested = "webhook.redelivery_requested", version 1, subject "webhook" by webhook_id {
        webhook_id: WebhookId,
        delivery_id: DeliveryId,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<WebhookCreated>(),
    EventSpec::of::<WebhookUpdated>(),
    EventSpec::of::<WebhookDeleted>(),
    EventSpec::of::<WebhookDisabled>(),
    EventSpec::of::<WebhookRedeliveryRequested>(),
];

macro_rules! from_webhook {
    ($($t:ident),*) => {$(
        impl From<&super::model::WebhookRecord> for $t {
            fn from(w: &super::model::WebhookRecord) -> Self {
                $t { webhook_id: w.id.clone(), url: w.url.clone(), event_types: w.event_types.clone(), status: w.status }
            }
        }
    )*};
}
from_webhook!(WebhookCreated, WebhookUpdated, WebhookDeleted);
