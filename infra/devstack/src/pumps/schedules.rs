//! `AWS::Scheduler::Schedule`s of the template, fired on their clock (EventBridge Scheduler does
//! not run in the emulator).

use super::logical_target;
use crate::server::Gateway;
use crate::template::Template;
use std::sync::Arc;

/// An `AWS::Scheduler::Schedule` of the template that targets a function.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: String,
    pub function: String,
    pub expression: String,
    pub input: String,
}

pub fn schedules(template: &Template) -> Vec<Schedule> {
    let mut out = Vec::new();
    for (id, res) in template.resources_of("AWS::Scheduler::Schedule") {
        let p = &res["Properties"];
        let Some(target) = logical_target(&p["Target"]["Arn"]) else { continue };
        let Some(f) = template.functions.iter().find(|f| f.logical_id == target) else { continue };
        out.push(Schedule {
            name: id,
            function: f.binary.clone(),
            expression: p["ScheduleExpression"].as_str().unwrap_or_default().to_owned(),
            input: p["Target"]["Input"].as_str().unwrap_or("{}").to_owned(),
        });
    }
    out
}

impl Schedule {
    /// The next UTC time after `after` that the schedule fires: a `cron(...)` expression of
    /// EventBridge Scheduler (minutes hours day-of-month month day-of-week year, evaluated in UTC;
    /// the `cron` crate reads the same fields, and the same day-of-week numbers, 1 = SUN) or a
    /// `rate(N minutes|hours|days)`. `None` for what neither understands (`L`, `W`, `#`).
    pub fn next_after(&self, after: chrono::DateTime<chrono::Utc>) -> Option<chrono::DateTime<chrono::Utc>> {
        let e = self.expression.trim();
        if let Some(body) = e.strip_prefix("cron(").and_then(|s| s.strip_suffix(')')) {
            if body.split_whitespace().count() != 6 {
                return None;
            }
            // The crate's expressions start with seconds.
            let schedule: cron::Schedule = format!("0 {body}").parse().ok()?;
            return schedule.after(&after).next();
        }
        let body = e.strip_prefix("rate(")?.strip_suffix(')')?;
        let (n, unit) = body.split_once(' ')?;
        let n: i64 = n.parse().ok()?;
        let step = match unit.trim_end_matches('s') {
            "minute" => chrono::Duration::minutes(n),
            "hour" => chrono::Duration::hours(n),
            "day" => chrono::Duration::days(n),
            _ => return None,
        };
        Some(after + step)
    }

    /// The input with the scheduler's context attributes filled in.
    pub fn input_at(&self, at: chrono::DateTime<chrono::Utc>) -> serde_json::Value {
        let text = self.input.replace("<aws.scheduler.scheduled-time>", &at.to_rfc3339());
        serde_json::from_str(&text).unwrap_or_else(|_| serde_json::json!({}))
    }
}

/// Fires one schedule forever, like EventBridge Scheduler.
pub async fn run_schedule(schedule: Schedule, gateway: Arc<Gateway>) {
    let Some(f) = gateway.functions.iter().find(|f| f.def.name == schedule.function) else { return };
    let functions::Handler::Job(handler) = f.def.handler else { return };
    let mut after = chrono::Utc::now();
    while let Some(next) = schedule.next_after(after) {
        let wait = (next - chrono::Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        after = next;
        match f.app() {
            Ok(app) => match f.timed(handler(app, schedule.input_at(next))).await {
                Ok(out) => tracing::info!(schedule = schedule.name, %out, "schedule ran"),
                Err(e) => tracing::error!(schedule = schedule.name, error = %e, "scheduled job failed"),
            },
            Err(e) => tracing::error!(function = f.def.name, error = %e, "function init failed"),
        }
    }
}

#[cfg(test)]
mod schedule_tests {
    use super::*;

    #[test]
    fn crons_and_rates_fire_when_eventbridge_would() {
        let s = |e: &str| Schedule { name: "s".into(), function: "f".into(), expression: e.into(), input: "{}".into() };
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&chrono::Utc);
        let daily = s("cron(0 5 * * ? *)");
        assert_eq!(daily.next_after(at("2026-11-21T04:00:00Z")), Some(at("2026-11-21T05:00:00Z")));
        assert_eq!(daily.next_after(at("2026-11-21T05:00:00Z")), Some(at("2026-11-22T05:00:00Z")));
        assert_eq!(s("rate(10 minutes)").next_after(at("2026-11-21T04:00:00Z")), Some(at("2026-11-21T04:10:00Z")));
        // Weekly and monthly forms too (2026-11-21 is a Saturday).
        assert_eq!(s("cron(0 5 ? * MON *)").next_after(at("2026-11-21T04:00:00Z")), Some(at("2026-11-23T05:00:00Z")));
        assert_eq!(s("cron(15 10 ? * 6 *)").next_after(at("2026-11-21T04:00:00Z")), Some(at("2026-11-27T10:15:00Z")));
        assert_eq!(s("cron(0 0 1 * ? *)").next_after(at("2026-11-21T04:00:00Z")), Some(at("2026-12-01T00:00:00Z")));
        assert_eq!(s("cron(30 23 * * ? *)").next_after(at("2026-12-31T23:30:00Z")), Some(at("2027-01-01T23:30:00Z")));
        assert_eq!(s("cron(0 5 L * ? *)").next_after(at("2026-11-21T04:00:00Z")), None, "not emulated");
        assert_eq!(s("cron(0 5 * *)").next_after(at("2026-11-21T04:00:00Z")), None);
        let input = Schedule { input: r#"{"scheduledTime": "<aws.scheduler.scheduled-time>"}"#.into(), ..daily };
        assert_eq!(input.input_at(at("2026-11-21T05:00:00Z"))["scheduledTime"], "2026-11-21T05:00:00+00:00");
    }

    #[test]
    fn the_templates_schedules_target_job_functions() {
        let t = Template::load_default().unwrap();
        let all = schedules(&t);
        let names: Vec<&str> = all.iter().map(|s| s.function.as_str()).collect();
        for job in functions::jobs::Job::ALL.map(functions::jobs::JobFunctions::scheduler) {
            assert!(names.contains(&job), "{job} has no schedule");
        }
        for s in &all {
            assert!(s.next_after(chrono::Utc::now()).is_some(), "{} is not emulated", s.expression);
        }
    }
}
