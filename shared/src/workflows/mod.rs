//! Workflows: definitions (a trigger — an event type and a condition over its payload — and
//! ordered steps assigned to a role or a member, each with a due date), instances started by
//! `consumer-workflow-runtime` once per (definition, event), and tasks completed or rejected by
//! their assignees. The last task completing closes the instance; an expense-approval
//! definition holds a matching expense unbooked until then (rejected: void).

pub mod events;
pub mod model;
pub mod runtime;
pub mod service;
