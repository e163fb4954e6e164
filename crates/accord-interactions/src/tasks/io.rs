//! What the operations on tasks take and give.

use super::*;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CreateTaskInput {
    pub title: String,
    #[serde(default)]
    #[ts(optional)]
    pub description: Option<String>,
    /// Who does it; the person creating it when absent.
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
    /// Who accepts or returns the result; none: handing it in finishes it.
    #[serde(default)]
    #[ts(optional)]
    pub controller_id: Option<Uuid>,
    pub deadline: DateTime<Utc>,
    #[serde(default)]
    #[ts(optional)]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
}

impl CreateTaskInput {
    pub(crate) fn into_model(self, scope: &Scope<'_>) -> Model {
        Model {
            id: Uuid::now_v7(),
            title: self.title,
            description: self.description,
            responsible_id: self.responsible_id.unwrap_or(scope.actor.user_id),
            controller_id: self.controller_id,
            deadline: self.deadline,
            status: TaskStatus::Open,
            result: None,
            return_note: None,
            delegations: serde_json::json!([]),
            contact_id: self.contact_id,
            organisation_id: self.organisation_id,
            about_table: None,
            about_id: None,
            rule_id: None,
            finished_at: None,
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            owner_id: None,
            department_id: None,
        }
    }
}

/// A correction of what the task asks for; who does it changes by delegation.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateTaskInput {
    pub id: Uuid,
    pub version: i64,
    #[serde(default)]
    #[ts(optional)]
    pub title: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "accord_kernel::io::patch::double_option")]
    #[ts(optional)]
    pub description: Option<Option<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub deadline: Option<DateTime<Utc>>,
    /// `null`: no controller.
    #[serde(default, deserialize_with = "accord_kernel::io::patch::double_option")]
    #[ts(optional)]
    pub controller_id: Option<Option<Uuid>>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DelegateTaskInput {
    pub id: Uuid,
    pub version: i64,
    /// The colleague who does it from now on.
    pub to_id: Uuid,
    #[serde(default)]
    #[ts(optional)]
    pub note: Option<String>,
}

/// The result handed in: to the controller, or finishing the task when it has none.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SubmitTaskInput {
    pub id: Uuid,
    pub version: i64,
    pub result: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReturnTaskInput {
    pub id: Uuid,
    pub version: i64,
    /// What is missing, for the responsible person.
    pub note: String,
    /// A new deadline, when the old one no longer leaves time.
    #[serde(default)]
    #[ts(optional)]
    pub deadline: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VersionedTaskInput {
    pub id: Uuid,
    pub version: i64,
}

/// Which tasks a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskView {
    /// The asker's own: they are responsible.
    #[default]
    Mine,
    /// Those the asker controls.
    Controlled,
    /// Those the asker created or handed on to someone else.
    Delegated,
    /// Every task in the asker's reach (a manager: their department's).
    Team,
}

/// How far along the listed tasks are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskProgress {
    /// Open or waiting for the controller.
    #[default]
    Unfinished,
    /// Open and past the deadline.
    Overdue,
    /// Waiting for the controller.
    Submitted,
    /// Done or cancelled.
    Finished,
    All,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListTasksInput {
    #[serde(default)]
    #[ts(optional)]
    pub view: Option<TaskView>,
    #[serde(default)]
    #[ts(optional)]
    pub progress: Option<TaskProgress>,
    /// One person's, in the team view.
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
    /// One department's, in the team view.
    #[serde(default)]
    #[ts(optional)]
    pub department_id: Option<Uuid>,
    /// Those about this contact or organisation.
    #[serde(default)]
    #[ts(optional)]
    pub customer_id: Option<Uuid>,
}

/// A task in a list, with the names the list shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TaskRow {
    #[serde(flatten)]
    #[ts(flatten)]
    pub task: Task,
    pub responsible_name: String,
    pub controller_name: Option<String>,
    pub contact_name: Option<String>,
    pub organisation_name: Option<String>,
    /// Open and past its deadline now.
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TaskList {
    /// By deadline, soonest first; finished ones newest first.
    pub tasks: Vec<TaskRow>,
    /// More matched than the list holds (it holds at most 500).
    pub truncated: bool,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct OverdueTasksInput {}

/// One person's or one department's open and overdue tasks.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TaskCount {
    pub id: Option<Uuid>,
    /// The person's or department's name; "" for tasks of no department.
    pub name: String,
    pub open: i64,
    pub overdue: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct OverdueTasks {
    /// Those with an overdue task first, most overdue first.
    pub by_person: Vec<TaskCount>,
    pub by_department: Vec<TaskCount>,
}
