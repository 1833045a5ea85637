//! Scheduled per-org jobs. Every job has one shape (ARCHITECTURE.md §6): its schedule invokes
//! the job's scheduler (`schedule`, the same for every job), which pages the organizations
//! through the sharded org index and sends one message `{job, orgId, runDate}` per org to the
//! job's queue; the job's consumer (`consumers::jobs`, the same dispatcher for every job) runs
//! the job's per-org function for each message, so one org is retried, and dead-lettered, alone.
//! No invocation loops over every org's work.
//!
//! Each per-org function is safe to re-run and to run late. The schedule's input may carry
//! `{"runDate": "YYYY-MM-DD"}` to run every org for that day (catching up); otherwise each org
//! runs for its own date (its time zone) at the schedule's `scheduledTime`.

pub mod books;
pub mod delinquency_snapshot;
pub mod late_fees;
pub mod rent_reminders;
pub mod rent_run;

use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
use chrono::{DateTime, NaiveDate, Utc};
#[cfg(any(test, feature = "fault-injection"))]
use portfolio::ids::OrgId;
use portfolio::platform::ctx::Ctx;
use portfolio::platform::App;
use serde_json::json;
#[cfg(feature = "fault-injection")]
use std::collections::HashMap;
#[cfg(feature = "fault-injection")]
use std::sync::Mutex;

pub use portfolio::jobs::{Job, JobMessage};

/// The functions behind each job (the job itself, and its message, are the product's:
/// `portfolio::jobs`).
pub trait JobFunctions {
    /// The function its schedule invokes (it sends the per-org messages).
    fn scheduler(self) -> &'static str;
    /// The function that drains its queue (one org per message).
    fn consumer(self) -> &'static str;
    /// Runs the job for one org on one day: the job's per-org function (`app` for the ports
    /// a job uses beyond the table).
    fn run_org<'a>(self, app: &'a App, cx: &'a Ctx<'a>, run_date: NaiveDate) -> JobRun<'a>;
}

/// A per-org run in progress.
pub type JobRun<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = portfolio::Result<serde_json::Value>> + Send + 'a>>;

impl JobFunctions for Job {
    fn scheduler(self) -> &'static str {
        match self {
            Job::RentRun => "job-rent-scheduler",
            Job::LateFees => "job-late-fees",
            Job::DelinquencySnapshot => "job-delinquency-snapshot",
            Job::RentReminders => "job-rent-reminders",
            Job::RecurringExpenses => "job-recurring-expenses",
            Job::Depreciation => "job-depreciation",
            Job::KpiRollup => "job-kpi-rollup",
            Job::SftpPoll => "job-sftp-poll",
            Job::BankCatchUp => "job-bank-catch-up",
            Job::Obligations => "job-obligations",
        }
    }

    fn consumer(self) -> &'static str {
        match self {
            Job::RentRun => "consumer-rent-generator",
            Job::LateFees => "consumer-late-fees",
            Job::DelinquencySnapshot => "consumer-delinquency-snapshot",
            Job::RentReminders => "consumer-rent-reminders",
            Job::RecurringExpenses => "consumer-recurring-expenses",
            Job::Depreciation => "consumer-depreciation",
            Job::KpiRollup => "consumer-kpi-rollup",
            Job::SftpPoll => "consumer-sftp-poll",
            Job::BankCatchUp => "consumer-bank-catch-up",
            Job::Obligations => "consumer-obligations",
        }
    }

    fn run_org<'a>(self, app: &'a App, cx: &'a Ctx<'a>, run_date: NaiveDate) -> JobRun<'a> {
        match self {
            Job::RentRun => Box::pin(rent_run::run(cx, run_date)),
            Job::LateFees => Box::pin(late_fees::run(cx, run_date)),
            Job::DelinquencySnapshot => Box::pin(delinquency_snapshot::run(cx, run_date)),
            Job::RentReminders => Box::pin(rent_reminders::run(cx, run_date)),
            Job::RecurringExpenses => Box::pin(books::recurring_expenses(cx, run_date)),
            Job::Depreciation => Box::pin(books::depreciation(cx, run_date)),
            Job::KpiRollup => Box::pin(kpi_rollup(cx, run_date)),
            Job::SftpPoll => Box::pin(sftp_poll(app, cx)),
            Job::BankCatchUp => Box::pin(portfolio::banking::items::request_catch_up(cx)),
            Job::Obligations => Box::pin(portfolio::leasing::obligations::announce_due(cx, run_date)),
        }
    }
}

/// The org's KPI facts of the day (`reports::kpi`).
async fn kpi_rollup(cx: &Ctx<'_>, run_date: NaiveDate) -> portfolio::Result<serde_json::Value> {
    let row = portfolio::reports::kpi::rollup(cx, run_date).await?;
    Ok(json!({"date": run_date, "occupancyRate": row.occupancy_rate, "delinquent": row.delinquent}))
}

/// New files on the org's SFTP server become imports.
async fn sftp_poll<'a>(app: &'a App, cx: &'a Ctx<'a>) -> portfolio::Result<serde_json::Value> {
    let deps = portfolio::integrations::sftp::poll::Deps {
        sftp: app.sftp(),
        keys: app.sftp_keys(),
        imports: app.imports(),
        allow_loopback: app.config.webhooks.allow_private,
    };
    portfolio::integrations::sftp::poll::run(cx, &deps).await
}

/// The day a schedule's input asks for, if any.
pub fn run_date(input: &serde_json::Value) -> Result<Option<NaiveDate>, lambda_runtime::Error> {
    match input.get("runDate").and_then(|v| v.as_str()) {
        None => Ok(None),
        Some(d) => Ok(Some(d.parse().map_err(|_| format!("runDate {d:?} is not YYYY-MM-DD"))?)),
    }
}

/// When the schedule fired (`scheduledTime` of its input), else now.
pub fn scheduled_time(input: &serde_json::Value) -> Result<DateTime<Utc>, lambda_runtime::Error> {
    match input.get("scheduledTime").and_then(|v| v.as_str()) {
        None => Ok(portfolio::platform::clock::now()),
        Some(t) => Ok(DateTime::parse_from_rfc3339(t)
            .map_err(|_| format!("scheduledTime {t:?} is not an RFC 3339 time"))?
            .with_timezone(&Utc)),
    }
}

/// The org's date at `at` in its time zone (UTC if the zone is unknown).
pub fn org_date(timezone: &str, at: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::UTC);
    at.with_timezone(&tz).date_naive()
}

/// Orgs read per page of the org index (each page is sent before the next is read).
const ORG_PAGE: i32 = 100;

/// The scheduler of every job: one message per org to the job's queue (`JOB_QUEUE_URL`).
/// Re-running sends the messages again; every job's per-org function makes that harmless.
pub async fn schedule(
    app: &App,
    job: Job,
    input: serde_json::Value,
) -> Result<serde_json::Value, lambda_runtime::Error> {
    let queue = app.config.jobs.queue_url.as_deref().ok_or("JOB_QUEUE_URL is not set")?;
    let fixed = run_date(&input)?;
    let at = scheduled_time(&input)?;
    let mut sent = 0;
    for shard in 0..portfolio::platform::db::keys::ORG_SHARDS {
        let mut start = None;
        loop {
            let (orgs, next) = portfolio::core::service::orgs_page(&app.db, shard, start, ORG_PAGE).await?;
            let messages: Vec<JobMessage> = orgs
                .into_iter()
                .map(|o| JobMessage { job, run_date: fixed.unwrap_or_else(|| org_date(&o.timezone, at)), org_id: o.id })
                .collect();
            for chunk in messages.chunks(10) {
                send_batch(app, queue, chunk).await?;
                sent += chunk.len();
            }
            match next {
                Some(k) => start = Some(k),
                None => break,
            }
        }
    }
    tracing::info!(job = job.name(), orgs = sent, ?fixed, %at, "job messages sent");
    Ok(json!({"job": job, "orgs": sent, "runDate": fixed, "scheduledTime": at}))
}

async fn send_batch(app: &App, queue: &str, chunk: &[JobMessage]) -> Result<(), lambda_runtime::Error> {
    let entries = chunk
        .iter()
        .enumerate()
        .map(|(i, m)| {
            SendMessageBatchRequestEntry::builder()
                .id(i.to_string())
                .message_body(serde_json::to_string(m).expect("a job message serializes"))
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let out = app.sqs().send_message_batch().queue_url(queue).set_entries(Some(entries)).send().await?;
    if !out.failed.is_empty() {
        // The schedule's retry sends every message again (harmless, see above).
        return Err(format!("{} of {} job messages were not accepted", out.failed.len(), chunk.len()).into());
    }
    Ok(())
}

/// Test hook: (job, org) pairs whose per-org run fails, with the attempts made so far.
#[cfg(feature = "fault-injection")]
static FAILING: Mutex<Option<HashMap<(Job, String), u32>>> = Mutex::new(None);

#[cfg(feature = "fault-injection")]
/// Makes every run of `job` for `org` fail (tests of retries and the DLQ).
pub fn fail_for_org(job: Job, org: &str) {
    FAILING.lock().expect("hook").get_or_insert_with(HashMap::new).insert((job, org.to_owned()), 0);
}

#[cfg(feature = "fault-injection")]
/// How many runs of `job` for `org` the hook has failed.
pub fn failed_attempts(job: Job, org: &str) -> u32 {
    FAILING.lock().expect("hook").as_ref().and_then(|m| m.get(&(job, org.to_owned())).copied()).unwrap_or(0)
}

#[cfg(feature = "fault-injection")]
/// `Some(attempt)` when the hook fails this run (counted).
pub fn injected_failure(job: Job, org: &OrgId) -> Option<u32> {
    let mut guard = FAILING.lock().expect("hook");
    let attempts = guard.as_mut()?.get_mut(&(job, org.as_str().to_owned()))?;
    *attempts += 1;
    Some(*attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_typed_and_round_trip() {
        let org = OrgId::parse("org_01ARZ3NDEKTSV4RRFFQ69G5FAV").unwrap();
        let m = JobMessage { job: Job::LateFees, org_id: org, run_date: "2027-01-01".parse().unwrap() };
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(text, r#"{"job":"late-fees","orgId":"org_01ARZ3NDEKTSV4RRFFQ69G5FAV","runDate":"2027-01-01"}"#);
        assert_eq!(serde_json::from_str::<JobMessage>(&text).unwrap(), m);
        for job in Job::ALL {
            assert_eq!(serde_json::to_value(job).unwrap(), job.name());
            assert!(job.scheduler().starts_with("job-") && job.consumer().starts_with("consumer-"));
        }
    }

    #[test]
    fn each_org_runs_for_its_own_date_at_the_scheduled_time() {
        let at = scheduled_time(&json!({"scheduledTime": "2027-01-01T03:00:00Z"})).unwrap();
        assert_eq!(org_date("America/New_York", at), "2026-12-31".parse::<NaiveDate>().unwrap());
        assert_eq!(org_date("Europe/Berlin", at), "2027-01-01".parse::<NaiveDate>().unwrap());
        assert_eq!(org_date("Not/AZone", at), "2027-01-01".parse::<NaiveDate>().unwrap());
        assert!(scheduled_time(&json!({"scheduledTime": "yesterday"})).is_err());
        assert_eq!(run_date(&json!({"runDate": "2026-02-10"})).unwrap(), "2026-02-10".parse().ok());
        assert!(run_date(&json!({"runDate": "2026-13-10"})).is_err());
    }
}
