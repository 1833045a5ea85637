//! The daily rent run for one org (`job-rent-scheduler` → `consumer-rent-generator`): every rent
//! and deposit charge due through the run date plus the org's lead time, under deterministic ids
//! (re-running never duplicates).

use chrono::NaiveDate;
use portfolio::billing::rent_run::{self, RunOptions};
use portfolio::platform::ctx::Ctx;

pub async fn run(cx: &Ctx<'_>, run_date: NaiveDate) -> portfolio::Result<serde_json::Value> {
    let report = rent_run::run_org(cx, Some(run_date), &RunOptions::default()).await?;
    Ok(serde_json::to_value(&report).unwrap_or_default())
}
