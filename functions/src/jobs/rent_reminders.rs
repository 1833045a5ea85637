//! `job-rent-reminders` (daily): for every organization, rent due in N days (the org's
//! `rentReminderDays`, default 3) and rent overdue become reminders, once per charge and kind;
//! the notifier sends them.

use portfolio::notify;
use portfolio::platform::App;
use serde_json::json;

pub async fn handle(app: &App, input: serde_json::Value) -> Result<serde_json::Value, lambda_runtime::Error> {
    let run_date = super::run_date(&input)?;
    let (mut orgs, mut created, mut failed) = (0, 0, 0);
    for org in portfolio::jobs::Job::RentReminders.orgs(&app.db).await? {
        let scope = org.scope();
        match notify::create_reminders(&app.db, &scope, run_date).await {
            Ok(r) => created += r.due_soon + r.overdue,
            Err(e) => {
                failed += 1;
                tracing::error!(org_id = %scope.org_id(), error = %e, "reminders failed for an org");
            }
        }
        orgs += 1;
    }
    if failed > 0 {
        return Err(format!("reminders failed for {failed} of {orgs} orgs").into());
    }
    Ok(json!({"orgs": orgs, "created": created}))
}
