//! Rent reminders for one org (`job-rent-reminders` → `consumer-rent-reminders`): rent due in N
//! days (the org's `rentReminderDays`, default 3) and rent overdue on the run date become
//! reminders, once per charge and kind; the notifier sends them.

use chrono::NaiveDate;
use portfolio::notify;
use portfolio::platform::ctx::Ctx;

pub async fn run(cx: &Ctx<'_>, run_date: NaiveDate) -> portfolio::Result<serde_json::Value> {
    let report = notify::create_reminders(cx, Some(run_date)).await?;
    Ok(serde_json::to_value(&report).unwrap_or_default())
}
