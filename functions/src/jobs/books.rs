//! The books' daily per-org jobs: recurring expenses (`job-recurring-expenses` →
//! `consumer-recurring-expenses`) book each occurrence due by the run date once; depreciation
//! (`job-depreciation` → `consumer-depreciation`) posts each ended month once. Both are safe to
//! re-run and to run late: every booking and posting has a deterministic id.

use chrono::NaiveDate;
use portfolio::books::{assets, recurring};
use portfolio::platform::ctx::Ctx;
use serde_json::json;

pub async fn recurring_expenses(cx: &Ctx<'_>, run_date: NaiveDate) -> portfolio::Result<serde_json::Value> {
    let booked = recurring::run_recurring(cx, run_date).await?;
    Ok(json!({"runDate": run_date, "booked": booked}))
}

pub async fn depreciation(cx: &Ctx<'_>, run_date: NaiveDate) -> portfolio::Result<serde_json::Value> {
    let posted = assets::run_depreciation(cx, run_date).await?;
    Ok(json!({"runDate": run_date, "posted": posted}))
}
