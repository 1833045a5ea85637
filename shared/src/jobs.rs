//! Scheduled per-org jobs as the product sees them (ARCHITECTURE §6): which jobs exist, and the
//! one message a job's scheduler sends per (job, org, run date). The scope a job acts in
//! (`system:<job>`) comes only from such a message received from the job's own queue
//! (`ReceivedJob::from_sqs`), never from an org id a caller chose.

use crate::ids::OrgId;
use crate::platform::scope::OrgScope;
use chrono::NaiveDate;

/// The per-org jobs. The serialized name is the message's `job` and the actor's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Job {
    /// Rent and deposit charges due (`billing::rent_run`).
    RentRun,
    /// Late fees on rent open after its grace period (`billing::late_fees`).
    LateFees,
    /// The day's delinquency aging, kept for trends (`billing::delinquency`).
    DelinquencySnapshot,
    /// Rent due in N days and overdue rent become reminders (`notify`).
    RentReminders,
    /// Each occurrence of a recurring expense due by the day is booked once (`books::recurring`).
    RecurringExpenses,
    /// Each ended month's depreciation of each fixed asset is posted once (`books::assets`).
    Depreciation,
    /// The day's KPI facts (`reports::kpi`); a past run date recomputes that day.
    KpiRollup,
    /// New files on the org's SFTP server become imports (`integrations::sftp::poll`); every
    /// 15 minutes, the run date only names the day.
    SftpPoll,
    /// Each active bank of the org is synced once a day (`banking::items::request_catch_up`), in
    /// case a webhook of Plaid's was lost.
    BankCatchUp,
    /// What falls due on the obligations board within a week (or is overdue) is announced once
    /// (`obligation.due`, which the notifier emails to the owners).
    Obligations,
}

impl Job {
    pub const ALL: [Job; 10] = [
        Job::RentRun,
        Job::LateFees,
        Job::DelinquencySnapshot,
        Job::RentReminders,
        Job::RecurringExpenses,
        Job::Depreciation,
        Job::KpiRollup,
        Job::SftpPoll,
        Job::BankCatchUp,
        Job::Obligations,
    ];

    /// The message's `job`; the job acts as `system:<name>`.
    pub const fn name(self) -> &'static str {
        match self {
            Job::RentRun => "rent-run",
            Job::LateFees => "late-fees",
            Job::DelinquencySnapshot => "delinquency-snapshot",
            Job::RentReminders => "rent-reminders",
            Job::RecurringExpenses => "recurring-expenses",
            Job::Depreciation => "depreciation",
            Job::KpiRollup => "kpi-rollup",
            Job::SftpPoll => "sftp-poll",
            Job::BankCatchUp => "bank-catch-up",
            Job::Obligations => "obligations",
        }
    }
}

/// The message a scheduler sends for one (job, org, run date).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobMessage {
    pub job: Job,
    pub org_id: OrgId,
    pub run_date: NaiveDate,
}

/// A job message as received from the job's own queue: the only way to a job's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedJob {
    message: JobMessage,
}

impl ReceivedJob {
    /// The message in an SQS record of a job queue; an error (for the log) when the body is not
    /// one, which can never succeed on a retry.
    pub fn from_sqs(record: &aws_lambda_events::sqs::SqsMessage) -> Result<ReceivedJob, String> {
        let body = record.body.as_deref().ok_or("a job message without a body")?;
        let message = serde_json::from_str(body).map_err(|e| format!("not a job message: {e}"))?;
        Ok(ReceivedJob { message })
    }

    pub fn message(&self) -> &JobMessage {
        &self.message
    }

    /// `system:<job>` acting inside the message's org.
    pub fn scope(&self) -> OrgScope {
        OrgScope::system(self.message.org_id.clone(), self.message.job.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(body: &str) -> aws_lambda_events::sqs::SqsMessage {
        let mut m = aws_lambda_events::sqs::SqsMessage::default();
        m.body = Some(body.to_owned());
        m
    }

    #[test]
    fn a_job_message_round_trips_and_names_its_job_as_the_actor() {
        let org = OrgId::new();
        let m = JobMessage { job: Job::LateFees, org_id: org.clone(), run_date: "2027-01-01".parse().unwrap() };
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(text, format!(r#"{{"job":"late-fees","orgId":"{org}","runDate":"2027-01-01"}}"#));
        let received = ReceivedJob::from_sqs(&record(&text)).unwrap();
        assert_eq!(received.message(), &m);
        assert_eq!(received.scope().actor_id(), "system:late-fees");
        assert_eq!(received.scope().org_id(), &org);
        for job in Job::ALL {
            assert_eq!(serde_json::to_value(job).unwrap(), job.name());
        }
    }

    #[test]
    fn malformed_messages_are_not_job_messages() {
        for bad in [
            r#"{"job":"nope","orgId":"org_01ARZ3NDEKTSV4RRFFQ69G5FAV","runDate":"2027-01-01"}"#,
            r#"{"job":"rent-run","orgId":"acme","runDate":"2027-01-01"}"#,
            r#"{"job":"rent-run","orgId":"org_01ARZ3NDEKTSV4RRFFQ69G5FAV"}"#,
            "not json",
        ] {
            assert!(ReceivedJob::from_sqs(&record(bad)).is_err(), "{bad}");
        }
        assert!(ReceivedJob::from_sqs(&aws_lambda_events::sqs::SqsMessage::default()).is_err());
    }
}
