//! Scheduled jobs (EventBridge Scheduler). Each is safe to re-run and to run late. The
//! schedule's input may carry `{"runDate": "YYYY-MM-DD"}` to run for a given day (catching up);
//! otherwise each org's own "today" (its time zone) is used.

pub mod delinquency_snapshot;
pub mod late_fees;
pub mod rent_reminders;
pub mod rent_scheduler;

use chrono::NaiveDate;

/// The day a schedule's input asks for, if any.
pub fn run_date(input: &serde_json::Value) -> Result<Option<NaiveDate>, lambda_runtime::Error> {
    match input.get("runDate").and_then(|v| v.as_str()) {
        None => Ok(None),
        Some(d) => Ok(Some(d.parse().map_err(|_| format!("runDate {d:?} is not YYYY-MM-DD"))?)),
    }
}
