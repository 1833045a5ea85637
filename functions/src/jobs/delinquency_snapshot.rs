//! `job-delinquency-snapshot` (daily): stores each organization's delinquency for the day.

use portfolio::billing::delinquency;
use portfolio::platform::App;
use serde_json::json;

pub async fn handle(app: &App, input: serde_json::Value) -> Result<serde_json::Value, lambda_runtime::Error> {
    let run_date = super::run_date(&input)?;
    let (mut orgs, mut failed) = (0, 0);
    for org in portfolio::jobs::Job::DelinquencySnapshot.orgs(&app.db).await? {
        let scope = org.scope();
        if let Err(e) = delinquency::snapshot(&app.db, &scope, run_date).await {
            failed += 1;
            tracing::error!(org_id = %scope.org_id(), error = %e, "snapshot failed for an org");
        }
        orgs += 1;
    }
    if failed > 0 {
        return Err(format!("snapshots failed for {failed} of {orgs} orgs").into());
    }
    Ok(json!({"orgs": orgs}))
}
