//! `consumer-document-uploaded`: the bucket's ObjectCreated notification. Each new object under
//! `org/<orgId>/documents/…` is checked against what was declared (size, magic bytes) and its
//! version marked available or rejected. Redelivered notifications are no-ops.

use aws_lambda_events::s3::S3Event;
use portfolio::documents::service::{self, CheckOutcome};
use portfolio::platform::ctx::Ctx;
use portfolio::platform::App;

/// Checks every object in the event. A transient failure fails the invocation so it is retried;
/// keys that are not document versions are logged and skipped.
pub async fn handle(app: &App, event: S3Event) -> Result<(), lambda_runtime::Error> {
    for record in event.records {
        // Only our own bucket's objects under `org/<orgId>/` speak for an org (the key names it).
        let Some(object) = app.blob().own_object(&record) else {
            tracing::warn!(bucket = ?record.s3.bucket.name, key = ?record.s3.object.key, "not an org object of our bucket; skipped");
            continue;
        };
        let key = object.key();
        let Some((_, doc, version)) = service::parse_object_key(key) else {
            // The exports the functions write share the bucket (`org/<orgId>/exports/…`).
            if key.split('/').nth(2) == Some("exports") {
                tracing::debug!(key, "an export; not a document");
            } else {
                tracing::warn!(key, "object is not a document version; skipped");
            }
            continue;
        };
        let scope = object.scope("document-checker");
        let outcome =
            service::check_upload(&Ctx::new(&app.db, &scope), app.blob(), &doc, version).await.map_err(|e| {
                tracing::error!(key, error = %e, "document check failed; will be retried");
                Box::new(e) as lambda_runtime::Error
            })?;
        match outcome {
            CheckOutcome::Available => tracing::info!(key, "document version available"),
            CheckOutcome::Rejected(reason) => tracing::warn!(key, reason, "document version rejected"),
            CheckOutcome::Skipped(why) => tracing::info!(key, why, "document check skipped"),
        }
    }
    Ok(())
}
