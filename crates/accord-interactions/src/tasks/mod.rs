//! Tasks (COMM-5): a piece of work with a responsible person and a deadline, handed on as a
//! chain of delegations, and — when it has a controller — finished only when the controller
//! accepts the result or worked on again when they return it. Overdue lists per person and per
//! department read the open tasks past their deadline.
//!
//! A task belongs to its current responsible person (`owner_id`) and their department, so
//! delegating it moves it into the new person's lists and reach.

mod io;
mod operations;
mod queries;

use accord_kernel::changelog::ChangeAction;
use accord_kernel::error::{ApiError, ErrorCode, FieldCode, FieldErrors};
use accord_kernel::io::IdInput;
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records::{self, Record, Reference};
use accord_kernel::search::SearchDocument;
use accord_kernel::security::{Ownership, Permission};
use accord_kernel::standard_record_methods;
use accord_kernel::validate;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{Condition, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use io::*;
pub use operations::*;

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, TS)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Being worked on by the responsible person (also after the controller returned it).
    #[sea_orm(string_value = "open")]
    Open,
    /// The result is handed in and waits for the controller.
    #[sea_orm(string_value = "submitted")]
    Submitted,
    /// Finished: accepted by the controller, or handed in when it had none.
    #[sea_orm(string_value = "done")]
    Done,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

impl TaskStatus {
    fn finished(self) -> bool {
        matches!(self, TaskStatus::Done | TaskStatus::Cancelled)
    }
}

/// One link of the delegation chain: who handed the task to whom, when, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Delegation {
    pub from_id: Uuid,
    pub to_id: Uuid,
    pub at: DateTime<Utc>,
    /// Who did it: the responsible person, or the controller or author reassigning it.
    pub by_id: Uuid,
    pub note: Option<String>,
}

/// A task as stored and as the UI receives it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "tasks")]
#[ts(rename = "Task")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    /// Who does it now; it is theirs (`owner_id`), in their department.
    pub responsible_id: Uuid,
    /// Who accepts or returns the result; none: handing it in finishes it.
    pub controller_id: Option<Uuid>,
    pub deadline: DateTime<Utc>,
    pub status: TaskStatus,
    /// What the responsible person handed in.
    pub result: Option<String>,
    /// Why the controller last returned it.
    pub return_note: Option<String>,
    /// Every hand-over, oldest first (`Delegation`).
    #[ts(type = "Array<Delegation>")]
    pub delegations: Json,
    pub contact_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    /// The record it is about when that is another kind (a workflow rule's record).
    pub about_table: Option<String>,
    pub about_id: Option<Uuid>,
    /// The workflow rule that created it (COMM-6).
    pub rule_id: Option<Uuid>,
    pub finished_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type Task = Model;

/// The entity of its search documents.
pub const SEARCH_ENTITY: &str = "task";

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "tasks";
    const LABEL: &'static str = "task";
    const READ_PERMISSION: Permission = crate::permissions::TASKS_READ;
    const WRITE_PERMISSION: Permission = crate::permissions::TASKS_WRITE;
    const SEARCH_ENTITY: Option<&'static str> = Some(SEARCH_ENTITY);
    const IMPORTANT_FIELDS: &'static [&'static str] = &["deadline", "status", "responsible_id", "controller_id"];
    const REFERENCES: &'static [Reference] = &[
        Reference { field: "contact_id", table: "contacts" },
        Reference { field: "organisation_id", table: "organisations" },
    ];

    standard_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        let mut terms = vec![self.title.clone()];
        terms.extend(self.description.clone());
        terms.extend(self.result.clone());
        Some(SearchDocument {
            entity: SEARCH_ENTITY,
            row_id: self.id,
            title: self.title.clone(),
            subtitle: Some(self.deadline.format("%Y-%m-%d %H:%M UTC").to_string()),
            terms,
            archived: self.deleted_at.is_some(),
        })
    }
}

impl Model {
    /// The delegation chain, oldest first.
    pub fn chain(&self) -> Vec<Delegation> {
        serde_json::from_value(self.delegations.clone()).unwrap_or_default()
    }

    fn overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.status == TaskStatus::Open && self.deadline < now
    }
}

const TITLE_MAX: usize = 300;
const TEXT_MAX: usize = 20_000;

/// What a new task must satisfy: a title, a deadline that has not passed, and people who are
/// active colleagues; whom it is about must be an active customer.
async fn check_new(scope: &Scope<'_>, errors: &mut FieldErrors, m: &mut Model) -> Result<Ownership, ApiError> {
    m.title = validate::required_text(errors, "title", &m.title, TITLE_MAX);
    m.description = validate::optional_text(errors, "description", m.description.as_deref(), TEXT_MAX);
    check_deadline(scope, errors, m.deadline);
    if m.contact_id.is_some() || m.organisation_id.is_some() {
        crate::interactions::settle_whom(scope, errors, m.contact_id, &mut m.organisation_id).await?;
    }
    if let Some(controller_id) = m.controller_id {
        check_controller(scope, errors, m.responsible_id, controller_id).await?;
    }
    crate::interactions::ownership_of(scope, errors, m.responsible_id).await
}

fn check_deadline(scope: &Scope<'_>, errors: &mut FieldErrors, deadline: DateTime<Utc>) {
    if deadline < scope.now - chrono::Duration::minutes(1) {
        errors.add("deadline", FieldCode::InvalidValue, "This deadline has passed; choose a time from now on.");
    }
}

async fn check_controller(
    scope: &Scope<'_>,
    errors: &mut FieldErrors,
    responsible_id: Uuid,
    controller_id: Uuid,
) -> Result<(), ApiError> {
    if controller_id == responsible_id {
        errors.add(
            "controller_id",
            FieldCode::InvalidValue,
            "The controller checks the responsible person's result; choose someone else, or no controller.",
        );
        return Ok(());
    }
    if controller_id == scope.actor.user_id {
        return Ok(());
    }
    match accord_security::users::active_colleague(scope, controller_id, "controller_id").await {
        Ok(_) => Ok(()),
        Err(refused) => errors.merge_from(refused),
    }
}

/// The tasks the actor sees: those within their reach (SEC-2), and those they take part in —
/// doing, controlling, having given or handed on — wherever they sit, so a task handed to
/// another department stays in the lists of who gave it.
pub(crate) fn visible(scope: &Scope<'_>) -> sea_orm::Select<Entity> {
    let me = scope.actor.user_id;
    let involved = Condition::any()
        .add(Column::ResponsibleId.eq(me))
        .add(Column::ControllerId.eq(me))
        .add(Column::CreatedBy.eq(me))
        // The chain names everyone who held it; its text is searched, the same on both engines.
        .add(Expr::col(Column::Delegations).cast_as("TEXT").like(format!("%{me}%")));
    // Unscoped only to widen reach by the actor's own part in the task, never beyond it.
    let all = records::find_unscoped::<Model>();
    match scope.actor.reach.condition(None) {
        Some(reach) => all.filter(Condition::any().add(reach).add(involved)),
        None => all,
    }
}

/// The task `id` the actor sees (`records::load` for tasks).
async fn load_visible(scope: &Scope<'_>, id: Uuid) -> Result<Model, ApiError> {
    visible(scope).filter(Column::Id.eq(id)).one(scope.tx).await?.ok_or_else(|| {
        ApiError::not_found(Model::LABEL, id).with_field("id", FieldCode::UnknownId, "No task with this id exists.")
    })
}

/// The task `id` the actor read at `version` and wants to change (`records::load_for_change`).
async fn load_for_change(scope: &Scope<'_>, id: Uuid, version: i64) -> Result<Model, ApiError> {
    let task = load_visible(scope, id).await?;
    records::ensure_version(&task, version)?;
    records::ensure_active(&task, "id")?;
    Ok(task)
}

/// Refuses a change to a finished task.
fn ensure_unfinished(task: &Model) -> Result<(), ApiError> {
    if !task.status.finished() {
        return Ok(());
    }
    Err(ApiError::new(ErrorCode::InvalidInput, "This task is finished; it can no longer be changed.").with_field(
        "id",
        FieldCode::InvalidValue,
        "The task is done or cancelled.",
    ))
}

/// Refuses anyone but `allowed` (with what they may do, for the message).
fn ensure_person(scope: &Scope<'_>, allowed: &[Option<Uuid>], who: &str) -> Result<(), ApiError> {
    if allowed.contains(&Some(scope.actor.user_id)) {
        return Ok(());
    }
    Err(ApiError::new(ErrorCode::PermissionDenied, format!("Only {who} may do this with this task.")))
}
