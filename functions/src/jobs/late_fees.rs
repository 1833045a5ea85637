//! Late fees for one org (`job-late-fees` → `consumer-late-fees`), as of the run date: one fee
//! per rent charge open after its grace period (deterministic ids).

use chrono::NaiveDate;
use portfolio::billing::late_fees;
use portfolio::platform::ctx::Ctx;

pub async fn run(cx: &Ctx<'_>, run_date: NaiveDate) -> portfolio::Result<serde_json::Value> {
    let report = late_fees::assess_org(cx, run_date).await?;
    Ok(serde_json::to_value(&report).unwrap_or_default())
}
