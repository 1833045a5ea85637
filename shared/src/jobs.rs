//! Scheduled jobs as the product sees them: which orgs a job runs for, and the per-org messages
//! a job sends through its queue. A job's org comes from our own org index (`Job::orgs`) or from
//! a message our scheduler sent (`OrgMessage::from_sqs`), so the scope it acts in
//! (`system:<job>`) is never built from an org id a caller chose.

use crate::ids::OrgId;
use crate::platform::auth::OrgScope;
use crate::platform::db::Db;
use crate::Result;
use chrono::NaiveDate;

/// The jobs that act inside orgs; each acts as `system:<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    RentRun,
    LateFees,
    RentReminders,
    DelinquencySnapshot,
}

impl Job {
    pub fn name(self) -> &'static str {
        match self {
            Job::RentRun => "rent-run",
            Job::LateFees => "late-fees",
            Job::RentReminders => "rent-reminders",
            Job::DelinquencySnapshot => "delinquency-snapshot",
        }
    }

    /// Every organization of our org index, shard by shard, for this job.
    pub async fn orgs(self, db: &Db) -> Result<Vec<JobOrg>> {
        let orgs = crate::core::service::all_orgs(db).await?;
        Ok(orgs.into_iter().map(|org_id| JobOrg { job: self, org_id }).collect())
    }
}

/// An org a job runs for, read from our own org index or from the job's own queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOrg {
    job: Job,
    org_id: OrgId,
}

impl JobOrg {
    pub fn job(&self) -> Job {
        self.job
    }

    pub fn org_id(&self) -> &OrgId {
        &self.org_id
    }

    /// `system:<job>` acting inside the org.
    pub fn scope(&self) -> OrgScope {
        OrgScope::system(self.org_id.clone(), self.job.name())
    }
}

/// One org's share of a job, as the job's scheduler queues it: `{"orgId", "runDate"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMessage {
    org: JobOrg,
    run_date: Option<NaiveDate>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    org_id: OrgId,
    #[serde(default)]
    run_date: Option<NaiveDate>,
}

impl OrgMessage {
    /// The message body for one org the scheduler listed.
    pub fn body(org: &JobOrg, run_date: Option<NaiveDate>) -> String {
        serde_json::to_string(&Wire { org_id: org.org_id.clone(), run_date }).expect("serializes")
    }

    /// The message in an SQS record from `job`'s queue; `None` when it is not one (a malformed
    /// body or org id can never succeed).
    pub fn from_sqs(job: Job, record: &aws_lambda_events::sqs::SqsMessage) -> Option<OrgMessage> {
        let w: Wire = serde_json::from_str(record.body.as_deref()?).ok()?;
        Some(OrgMessage { org: JobOrg { job, org_id: w.org_id }, run_date: w.run_date })
    }

    pub fn org(&self) -> &JobOrg {
        &self.org
    }

    pub fn run_date(&self) -> Option<NaiveDate> {
        self.run_date
    }

    /// `system:<job>` acting inside the message's org.
    pub fn scope(&self) -> OrgScope {
        self.org.scope()
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
        let org = JobOrg { job: Job::RentRun, org_id: OrgId::new() };
        let day = NaiveDate::from_ymd_opt(2026, 3, 1);
        let body = OrgMessage::body(&org, day);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v, serde_json::json!({"orgId": org.org_id().as_str(), "runDate": "2026-03-01"}));
        let m = OrgMessage::from_sqs(Job::RentRun, &record(&body)).unwrap();
        assert_eq!((m.org(), m.run_date()), (&org, day));
        assert_eq!(m.scope().actor_id(), "system:rent-run");
        assert_eq!(m.scope().org_id(), org.org_id());
        let without_date = format!(r#"{{"orgId":"{}"}}"#, org.org_id());
        assert_eq!(OrgMessage::from_sqs(Job::RentRun, &record(&without_date)).unwrap().run_date(), None);
    }

    #[test]
    fn malformed_messages_are_not_job_messages() {
        for bad in
            [r#"{"orgId":"acme"}"#, r#"{"runDate":"2026-03-01"}"#, "not json", r#"{"orgId":"org_x","runDate":"x"}"#]
        {
            assert!(OrgMessage::from_sqs(Job::RentRun, &record(bad)).is_none(), "{bad}");
        }
        assert!(OrgMessage::from_sqs(Job::RentRun, &aws_lambda_events::sqs::SqsMessage::default()).is_none());
    }

    #[test]
    fn each_job_acts_as_its_own_system_actor() {
        for (job, actor) in [
            (Job::RentRun, "system:rent-run"),
            (Job::LateFees, "system:late-fees"),
            (Job::RentReminders, "system:rent-reminders"),
            (Job::DelinquencySnapshot, "system:delinquency-snapshot"),
        ] {
            assert_eq!(JobOrg { job, org_id: OrgId::new() }.scope().actor_id(), actor);
        }
    }
}
