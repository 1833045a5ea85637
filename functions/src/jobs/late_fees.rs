//! Late fees for one org (`job-late-fees` → `consumer-late-fees`), as of the run date: one fee
//! per rent charge open after its grace period (deterministic ids).

use chrono::NaiveDate;
use portfolio::billing::late_fees;
use portfolio::platform::db::Db;
use portfolio::platform::scope::OrgScope;

pub async fn run(db: &Db, scope: &OrgScope, run_date: NaiveDate) -> portfolio::Result<serde_json::Value> {
    let report = late_fees::assess_org(db, scope, run_date).await?;
    Ok(serde_json::to_value(&report).unwrap_or_default())
}
