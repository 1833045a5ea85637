//! Workflow definitions (a trigger, ordered steps), their instances and tasks, and the trigger's
//! condition: `<path> <op> <literal>` over the event's payload (`amount > 500.00`).

use crate::events::Subject;
use crate::ids::{WorkflowDefinitionId, WorkflowId};
use crate::platform::scope::Role;

use crate::validation::{check_opt_text, check_text, Validate};
use crate::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

pub const DEFINITION_ENTITY: &str = "WorkflowDefinition";
pub const WORKFLOW_ENTITY: &str = "Workflow";
pub const TASK_POINTER_ENTITY: &str = "WorkflowTaskPointer";
/// The event an expense over an approval definition's threshold is held with (instead of
/// `expense.recorded`, which it is recorded with once approved).
pub const EXPENSE_APPROVAL_EVENT: &str = "expense.approval_requested";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
    Ne,
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub path: Vec<String>,
    pub op: Op,
    pub literal: Literal,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number(Decimal),
    Text(String),
    Bool(bool),
}

impl Condition {
    /// `amount > 500.00`, `priority == "emergency"`, `data.flag != true`.
    pub fn parse(s: &str) -> Result<Condition, String> {
        let ops = [(">=", Op::Gte), ("<=", Op::Lte), ("==", Op::Eq), ("!=", Op::Ne), (">", Op::Gt), ("<", Op::Lt)];
        let (at, (sym, op)) = ops
            .iter()
            .filter_map(|(sym, op)| s.find(sym).map(|i| (i, (*sym, *op))))
            .min_by_key(|(i, (sym, _))| (*i, std::cmp::Reverse(sym.len())))
            .ok_or("must be <field> <op> <value> with op one of > >= < <= == !=")?;
        let (left, right) = (s[..at].trim(), s[at + sym.len()..].trim());
        let valid = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let path: Vec<String> = left.split('.').map(str::to_owned).collect();
        if !path.iter().map(String::as_str).collect::<Vec<_>>().iter().all(valid) {
            return Err("the field must be a payload path such as amount or scope.type".into());
        }
        let literal = if let Some(t) = right.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Literal::Text(t.to_owned())
        } else if right == "true" || right == "false" {
            Literal::Bool(right == "true")
        } else {
            let (negative, digits) = match right.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, right),
            };
            let d = crate::validation::amount::parse(digits)
                .map_err(|_| "the value must be a number, \"text\", true or false".to_owned())?;
            Literal::Number(if negative { -d } else { d })
        };
        if matches!(literal, Literal::Text(_) | Literal::Bool(_)) && !matches!(op, Op::Eq | Op::Ne) {
            return Err("text and true/false compare with == or != only".into());
        }
        Ok(Condition { path, op, literal })
    }

    /// Whether `payload` meets the condition (a money object compares by its amount; a missing
    /// field meets nothing).
    pub fn holds(&self, payload: &Value) -> bool {
        let mut v = payload;
        for p in &self.path {
            match v.get(p) {
                Some(next) => v = next,
                None => return false,
            }
        }
        if let Some(amount) = v.get("amount").filter(|_| v.get("currency").is_some()) {
            v = amount;
        }
        use std::cmp::Ordering::*;
        let ord = match (&self.literal, v) {
            (Literal::Number(n), Value::String(s)) => s.parse::<Decimal>().ok().map(|d| d.cmp(n)),
            (Literal::Number(n), Value::Number(x)) => x.to_string().parse::<Decimal>().ok().map(|d| d.cmp(n)),
            (Literal::Text(t), Value::String(s)) => Some(if s == t { Equal } else { Less }),
            (Literal::Bool(b), Value::Bool(x)) => Some(if b == x { Equal } else { Less }),
            _ => None,
        };
        let Some(ord) = ord else { return false };
        match self.op {
            Op::Gt => ord == Greater,
            Op::Gte => ord != Less,
            Op::Lt => ord == Less,
            Op::Lte => ord != Greater,
            Op::Eq => ord == Equal,
            Op::Ne => ord != Equal,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Trigger {
    /// An event type of the catalog (`GET /api/v1/event-types`); `expense.approval_requested`
    /// holds a matching expense unbooked until the workflow completes.
    #[schema(value_type = crate::validation::schema::Text100, example = "expense.approval_requested")]
    pub event_type: String,
    /// Over the event's payload: `amount > 500.00`; absent: every event of the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::validation::schema::Text200>, example = "amount > 500.00")]
    pub condition: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Step {
    #[schema(value_type = crate::validation::schema::Text100)]
    pub name: String,
    /// Anyone with this role may act on the task…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_role: Option<Role>,
    /// …or only this member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::validation::schema::Text100>)]
    pub assignee_user_id: Option<String>,
    /// The task falls due this many days after it opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 365)]
    pub due_in_days: Option<u16>,
}

/// What completing the last task does to the workflow's subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnComplete {
    /// Books the held expense (a rejection voids it).
    ApproveExpense,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowDefinition {
    pub id: WorkflowDefinitionId,
    pub name: String,
    pub trigger: Trigger,
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_complete: Option<OnComplete>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDefinition {
    #[schema(value_type = crate::validation::schema::Text200)]
    pub name: String,
    pub trigger: Trigger,
    #[schema(min_items = 1, max_items = 10)]
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_complete: Option<OnComplete>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// A built-in workflow to start from: the body of a definition to POST (adjust the threshold,
/// the assignees, the due days).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowTemplate {
    /// `expense_approval`, `lease_renewal`, `move_out`.
    pub key: &'static str,
    pub description: &'static str,
    pub definition: CreateDefinition,
}

/// The built-in templates.
pub fn templates() -> Vec<WorkflowTemplate> {
    let step = |name: &str, role: Role, days: u16| Step {
        name: name.into(),
        assignee_role: Some(role),
        assignee_user_id: None,
        due_in_days: Some(days),
    };
    let def =
        |name: &str, event: &str, condition: Option<&str>, steps: Vec<Step>, on: Option<OnComplete>| CreateDefinition {
            name: name.into(),
            trigger: Trigger { event_type: event.into(), condition: condition.map(Into::into) },
            steps,
            on_complete: on,
            enabled: true,
        };
    vec![
        WorkflowTemplate {
            key: "expense_approval",
            description: "An expense over the threshold waits, unbooked, until an owner approves it (rejected: void)",
            definition: def(
                "Expense approval over 500.00",
                EXPENSE_APPROVAL_EVENT,
                Some("amount > 500.00"),
                vec![step("Owner approves", Role::Owner, 3)],
                Some(OnComplete::ApproveExpense),
            ),
        },
        WorkflowTemplate {
            key: "lease_renewal",
            description: "90 days before a lease ends (job-obligations announces it): decide, offer, sign",
            definition: def(
                "Lease renewal",
                "obligation.due",
                Some("kind == \"lease_end\""),
                vec![
                    step("Decide: renew, change the rent, or not renew", Role::Owner, 14),
                    step("Send the renewal offer or the notice", Role::Manager, 14),
                    step("Signed renewal filed", Role::Manager, 30),
                ],
                None,
            ),
        },
        WorkflowTemplate {
            key: "move_out",
            description: "When a lease ends: inspect the unit, settle the deposit, return what is owed",
            definition: def(
                "Move-out",
                "lease.ended",
                None,
                vec![
                    step("Move-out inspection", Role::Manager, 3),
                    step("Deposit settlement", Role::Owner, 7),
                    step("Deposit returned", Role::Manager, 14),
                ],
                None,
            ),
        },
    ]
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateDefinition {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text200>)]
    pub name: Option<String>,
    #[serde(default)]
    pub trigger: Option<Trigger>,
    #[serde(default)]
    #[schema(min_items = 1, max_items = 10)]
    pub steps: Option<Vec<Step>>,
    #[serde(default)]
    pub on_complete: Option<OnComplete>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

pub fn check_trigger(e: &mut Vec<FieldError>, t: &Trigger) {
    let known = crate::catalog::CATALOG.find(&t.event_type).is_some();
    if !known || t.event_type.starts_with("workflow.") {
        e.push(FieldError::new("trigger.eventType", "must be an event type of the catalog (not workflow.*)"));
    }
    if let Some(c) = &t.condition {
        check_text(e, "trigger.condition", c, 200);
        if let Err(m) = Condition::parse(c) {
            e.push(FieldError::new("trigger.condition", m));
        }
    }
}

pub fn check_steps(e: &mut Vec<FieldError>, steps: &[Step]) {
    if steps.is_empty() || steps.len() > 10 {
        e.push(FieldError::new("steps", "give 1 to 10 steps"));
    }
    for (i, s) in steps.iter().enumerate() {
        check_text(e, &format!("steps[{i}].name"), &s.name, 100);
        check_opt_text(e, &format!("steps[{i}].assigneeUserId"), s.assignee_user_id.as_deref(), 100);
        if s.assignee_role.is_some() == s.assignee_user_id.is_some() {
            e.push(FieldError::new(format!("steps[{i}]"), "give exactly one of assigneeRole or assigneeUserId"));
        }
        if s.assignee_role == Some(Role::Readonly) {
            e.push(FieldError::new(format!("steps[{i}].assigneeRole"), "readonly members do not act on tasks"));
        }
        if s.due_in_days.is_some_and(|d| d > 365) {
            e.push(FieldError::new(format!("steps[{i}].dueInDays"), "must be at most 365"));
        }
    }
}

fn check_on_complete(e: &mut Vec<FieldError>, t: &Trigger, on: Option<OnComplete>) {
    let approval = t.event_type == EXPENSE_APPROVAL_EVENT;
    if approval != (on == Some(OnComplete::ApproveExpense)) {
        e.push(FieldError::new(
            "onComplete",
            "approve_expense goes with the trigger expense.approval_requested, and only with it",
        ));
    }
}

impl Validate for CreateDefinition {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_text(&mut e, "name", &self.name, 200);
        check_trigger(&mut e, &self.trigger);
        check_steps(&mut e, &self.steps);
        check_on_complete(&mut e, &self.trigger, self.on_complete);
        e
    }
}

impl Validate for UpdateDefinition {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if let Some(n) = &self.name {
            check_text(&mut e, "name", n, 200);
        }
        if let Some(t) = &self.trigger {
            check_trigger(&mut e, t);
        }
        if let Some(s) = &self.steps {
            check_steps(&mut e, s);
        }
        e
    }
}

impl UpdateDefinition {
    /// The definition after the change, checked whole.
    pub fn apply(self, d: &WorkflowDefinition) -> Result<WorkflowDefinition, Vec<FieldError>> {
        let mut out = d.clone();
        out.name = self.name.map(|n| n.trim().to_owned()).unwrap_or(out.name);
        out.trigger = self.trigger.unwrap_or(out.trigger);
        out.steps = self.steps.unwrap_or(out.steps);
        out.on_complete = self.on_complete.or(out.on_complete);
        out.enabled = self.enabled.unwrap_or(out.enabled);
        let mut e = Vec::new();
        check_on_complete(&mut e, &out.trigger, out.on_complete);
        match e.is_empty() {
            true => Ok(out),
            false => Err(e),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkflowStatus {
    Open,
    Completed,
    Rejected,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Waits for the task before it.
    Pending,
    Open,
    Completed,
    Rejected,
    /// The workflow ended before it was reached.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// `<workflow id>.<n>`.
    pub id: String,
    pub workflow_id: WorkflowId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_user_id: Option<String>,
    pub status: TaskStatus,
    /// Due this many days after it opens…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_in_days: Option<u16>,
    /// …on this day (set when it opens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One line of a workflow's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// `started`, `task.assigned`, `task.completed`, `task.rejected`, `completed`, `rejected`.
    pub what: String,
    /// The member or `system:workflow-runtime`.
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Workflow {
    pub id: WorkflowId,
    pub definition_id: WorkflowDefinitionId,
    pub name: String,
    pub status: WorkflowStatus,
    /// What the triggering event was about (an expense, a lease…).
    pub subject: Subject,
    /// The event that started it (one instance per event and definition).
    #[schema(value_type = String)]
    pub event_id: crate::ids::EventId,
    pub event_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_complete: Option<OnComplete>,
    pub tasks: Vec<Task>,
    pub timeline: Vec<TimelineEntry>,
    pub started_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[schema(ignore)]
    pub v: i64,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskAction {
    #[serde(default)]
    #[schema(value_type = Option<crate::validation::schema::Text500>)]
    pub comment: Option<String>,
}

impl Validate for TaskAction {
    fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        check_opt_text(&mut e, "comment", self.comment.as_deref(), 500);
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conditions_parse_and_compare_money_by_amount() {
        let c = Condition::parse("amount > 500.00").unwrap();
        assert!(c.holds(&json!({"amount": {"amount": "750.00", "currency": "USD"}})));
        assert!(!c.holds(&json!({"amount": {"amount": "500.00", "currency": "USD"}})));
        assert!(!c.holds(&json!({"other": 1})));
        assert!(Condition::parse("amount >= 500").unwrap().holds(&json!({"amount": "500"})));
        let p = Condition::parse("priority == \"emergency\"").unwrap();
        assert!(p.holds(&json!({"priority": "emergency"})) && !p.holds(&json!({"priority": "low"})));
        assert!(Condition::parse("scope.type != \"unit\"").unwrap().holds(&json!({"scope": {"type": "building"}})));
        for bad in ["amount", "amount > abc", "a b > 1", "priority > \"x\"", "> 5", "amount > --5"] {
            assert!(Condition::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_template_is_a_valid_definition() {
        for t in templates() {
            assert_eq!(t.definition.validate(), vec![], "{}", t.key);
        }
    }
}
