//! `consumer-import`: the imports bucket's ObjectCreated notification. `org/<orgId>/imports/
//! <importId>/source.csv` is validated (and committed unless a dry run); `commit.csv` (a dry
//! run's file copied by `:commit`) is committed. Redelivered notifications find the import past
//! that step and do nothing; a failure fails the invocation so it is retried (rows already
//! written are skipped).

use aws_lambda_events::s3::S3Event;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::App;

pub async fn handle(app: &App, event: S3Event) -> Result<(), lambda_runtime::Error> {
    for record in event.records {
        let Some(object) = app.imports().own_object(&record) else {
            tracing::warn!(bucket = ?record.s3.bucket.name, key = ?record.s3.object.key, "not an org object of the imports bucket; skipped");
            continue;
        };
        let key = object.key().to_owned();
        let scope = object.scope("importer");
        let cx = Ctx::new(&app.db, &scope);
        match portfolio::imports::service::on_object(&cx, app.imports(), &key).await {
            Ok(Some(i)) => {
                tracing::info!(key, status = ?i.status, counts = ?i.counts, errors = i.error_count, "import")
            }
            Ok(None) => tracing::warn!(key, "not an import file; skipped"),
            Err(e) => {
                tracing::error!(key, error = %e, "import failed; will be retried");
                return Err(Box::new(e));
            }
        }
    }
    Ok(())
}
