//! The delinquency snapshot for one org (`job-delinquency-snapshot` →
//! `consumer-delinquency-snapshot`): what was open on the run date, kept for trends (re-running
//! the same day overwrites it).

use chrono::NaiveDate;
use portfolio::billing::delinquency;
use portfolio::platform::db::Db;
use portfolio::platform::scope::OrgScope;
use serde_json::json;

pub async fn run(db: &Db, scope: &OrgScope, run_date: NaiveDate) -> portfolio::Result<serde_json::Value> {
    let d = delinquency::snapshot(db, scope, Some(run_date)).await?;
    Ok(json!({"asOf": run_date, "leases": d.leases.len()}))
}
