//! `consumer-receipt-uploaded`: the receipts bucket's ObjectCreated notification. Each new
//! object under `org/<orgId>/receipts/<expenseId>/<receiptId>` is checked (size, magic bytes),
//! read by Textract and stored on its receipt (and its draft expense). Redelivered
//! notifications are no-ops; an unavailable reader fails the invocation so it is retried.

use aws_lambda_events::s3::S3Event;
use portfolio::books::receipts::{self, Checked};
use portfolio::platform::ctx::Ctx;
use portfolio::platform::App;

pub async fn handle(app: &App, event: S3Event) -> Result<(), lambda_runtime::Error> {
    for record in event.records {
        let Some(object) = app.receipts().own_object(&record) else {
            tracing::warn!(bucket = ?record.s3.bucket.name, key = ?record.s3.object.key, "not an org object of the receipts bucket; skipped");
            continue;
        };
        let key = object.key();
        let Some((expense, receipt)) = receipts::parse_object_key(key) else {
            tracing::warn!(key, "object is not a receipt; skipped");
            continue;
        };
        let scope = object.scope("receipt-reader");
        let cx = Ctx::new(&app.db, &scope);
        let outcome = receipts::check_receipt(&cx, app.receipts(), app.receipt_reader(), (&expense, &receipt))
            .await
            .map_err(|e| {
                tracing::error!(key, error = %e, "receipt check failed; will be retried");
                Box::new(e) as lambda_runtime::Error
            })?;
        match outcome {
            Checked::Read => tracing::info!(key, "receipt read"),
            Checked::Unreadable(why) => tracing::warn!(key, why, "receipt kept as unreadable"),
            Checked::Rejected(why) => tracing::warn!(key, why, "receipt rejected"),
            Checked::Skipped(why) => tracing::info!(key, why, "receipt check skipped"),
        }
    }
    Ok(())
}
