//! `consumer-document-uploaded`: the bucket's ObjectCreated notification. Each new object under
//! `org/<orgId>/documents/…` is checked against what was declared (size, magic bytes) and its
//! version marked available or rejected. Redelivered notifications are no-ops.

use aws_lambda_events::s3::S3Event;
use portfolio::documents::service::{self, CheckOutcome};
use portfolio::platform::auth::OrgScope;
use portfolio::platform::App;

/// S3 event keys are URL-encoded (`+` for space).
fn decode_key(key: &str) -> String {
    let b = key.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match u8::from_str_radix(&key[i + 1..i + 3], 16) {
                Ok(v) => {
                    out.push(v);
                    i += 2;
                }
                Err(_) => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks every object in the event. A transient failure fails the invocation so it is retried;
/// keys that are not document versions are logged and skipped.
pub async fn handle(app: &App, event: S3Event) -> Result<(), lambda_runtime::Error> {
    for record in event.records {
        let Some(raw) = record.s3.object.key else { continue };
        // Only our own bucket's objects speak for an org (the key names it).
        if record.s3.bucket.name.as_deref() != Some(app.config.bucket_name.as_str()) {
            tracing::warn!(bucket = ?record.s3.bucket.name, key = raw, "object from another bucket; skipped");
            continue;
        }
        let key = decode_key(&raw);
        let Some((org, doc, version)) = service::parse_object_key(&key) else {
            tracing::warn!(key, "object is not a document version; skipped");
            continue;
        };
        let scope = OrgScope::trusted_system(org, "system:document-checker");
        let outcome = service::check_upload(&app.db, &app.blob, &scope, &doc, version).await.map_err(|e| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_url_decoded() {
        assert_eq!(decode_key("org/a/b+c%2Fd"), "org/a/b c/d");
        assert_eq!(decode_key("plain"), "plain");
        assert_eq!(decode_key("bad%zz"), "bad%zz");
    }
}
