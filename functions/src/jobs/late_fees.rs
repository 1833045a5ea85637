//! `job-late-fees` (daily): assesses late fees for every organization as of its own today.

use portfolio::billing::{late_fees, service};
use portfolio::platform::App;
use serde_json::json;

pub async fn handle(app: &App, input: serde_json::Value) -> Result<serde_json::Value, lambda_runtime::Error> {
    let run_date = super::run_date(&input)?;
    let (mut orgs, mut assessed, mut failed) = (0, 0, 0);
    for org in portfolio::jobs::Job::LateFees.orgs(&app.db).await? {
        let scope = org.scope();
        let result = async {
            let today = match run_date {
                Some(d) => d,
                None => service::org_today(&service::get_org(&app.db, &scope).await?),
            };
            late_fees::assess_org(&app.db, &scope, today).await
        }
        .await;
        match result {
            Ok(r) => assessed += r.assessed,
            Err(e) => {
                failed += 1;
                tracing::error!(org_id = %scope.org_id(), error = %e, "late fees failed for an org; the next run retries");
            }
        }
        orgs += 1;
    }
    if failed > 0 {
        return Err(format!("late fees failed for {failed} of {orgs} orgs").into());
    }
    Ok(json!({"orgs": orgs, "assessed": assessed}))
}
