//! The events of workflows.

use crate::events::EventSpec;
use crate::ids::{WorkflowDefinitionId, WorkflowId};
use crate::platform::scope::Role;
use chrono::NaiveDate;

crate::domain_event! {
    /// A definition was added or changed.
    WorkflowDefinitionSaved = "workflow.definition_saved", version 1, subject "workflow_definition" by definition_id {
        definition_id: WorkflowDefinitionId,
        name: String,
        event_type: String,
        enabled: bool,
    }

    /// An event met a definition's trigger: an instance started.
    WorkflowStarted = "workflow.started", version 1, subject "workflow" by workflow_id {
        workflow_id: WorkflowId,
        definition_id: WorkflowDefinitionId,
        subject_type: String,
        subject_id: String,
        event_type: String,
    }

    /// A task opened for its assignee.
    WorkflowTaskAssigned = "workflow.task.assigned", version 1, subject "workflow" by workflow_id {
        workflow_id: WorkflowId,
        task_id: String,
        name: String,
        assignee_role: Option<Role>,
        assignee_user_id: Option<String>,
        due_on: Option<NaiveDate>,
    }

    /// A task was completed.
    WorkflowTaskCompleted = "workflow.task.completed", version 1, subject "workflow" by workflow_id {
        workflow_id: WorkflowId,
        task_id: String,
        by: String,
        comment: Option<String>,
    }

    /// A task was rejected (the workflow is rejected with it).
    WorkflowTaskRejected = "workflow.task.rejected", version 1, subject "workflow" by workflow_id {
        workflow_id: WorkflowId,
        task_id: String,
        by: String,
        comment: Option<String>,
    }

    /// The last task completed.
    WorkflowCompleted = "workflow.completed", version 1, subject "workflow" by workflow_id {
        workflow_id: WorkflowId,
        subject_type: String,
        subject_id: String,
    }

    /// A task was rejected: the workflow ends there.
    WorkflowRejected = "workflow.rejected", version 1, subject "workflow" by workflow_id {
        workflow_id: WorkflowId,
        subject_type: String,
        subject_id: String,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<WorkflowDefinitionSaved>(),
    EventSpec::of::<WorkflowStarted>(),
    EventSpec::of::<WorkflowTaskAssigned>(),
    EventSpec::of::<WorkflowTaskCompleted>(),
    EventSpec::of::<WorkflowTaskRejected>(),
    EventSpec::of::<WorkflowCompleted>(),
    EventSpec::of::<WorkflowRejected>(),
];
