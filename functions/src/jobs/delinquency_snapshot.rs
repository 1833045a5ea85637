//! The delinquency snapshot for one org (`job-delinquency-snapshot` →
//! `consumer-delinquency-snapshot`): what was open on the run date, kept for trends (re-running
//! the same day overwrites it).

use chrono::NaiveDate;
use portfolio::billing::delinquency;
use portfolio::platform::ctx::Ctx;
use serde_json::json;

pub async fn run(cx: &Ctx<'_>, run_date: NaiveDate) -> portfolio::Result<serde_json::Value> {
    let d = delinquency::snapshot(cx, Some(run_date)).await?;
    Ok(json!({"asOf": run_date, "leases": d.leases.len()}))
}
