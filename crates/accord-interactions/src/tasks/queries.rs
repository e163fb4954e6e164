//! The reads behind tasks: the lists people work from and the overdue counts.

use super::*;
use accord_customers::{contacts, organisations};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{Condition, QueryFilter};
use std::collections::HashMap;

/// The most tasks one list holds.
const LIST_MOST: u64 = 500;

pub(super) async fn list(scope: &Scope<'_>, input: ListTasksInput) -> Result<TaskList, ApiError> {
    let me = scope.actor.user_id;
    let mut query = visible(scope).filter(Column::DeletedAt.is_null());
    query = match input.view.unwrap_or_default() {
        TaskView::Mine => query.filter(Column::ResponsibleId.eq(me)),
        TaskView::Controlled => query.filter(Column::ControllerId.eq(me)),
        // Made by the asker or handed on by them, and someone else's now.
        TaskView::Delegated => query.filter(Column::ResponsibleId.ne(me)).filter(
            Condition::any()
                .add(Column::CreatedBy.eq(me))
                .add(Expr::col(Column::Delegations).cast_as("TEXT").like(format!("%{me}%"))),
        ),
        TaskView::Team => query,
    };
    if let Some(responsible_id) = input.responsible_id {
        query = query.filter(Column::ResponsibleId.eq(responsible_id));
    }
    if let Some(department_id) = input.department_id {
        query = query.filter(Column::DepartmentId.eq(department_id));
    }
    if let Some(customer) = input.customer_id {
        query =
            query.filter(Condition::any().add(Column::ContactId.eq(customer)).add(Column::OrganisationId.eq(customer)));
    }
    let progress = input.progress.unwrap_or_default();
    query = match progress {
        TaskProgress::Unfinished => query.filter(Column::Status.is_in([TaskStatus::Open, TaskStatus::Submitted])),
        TaskProgress::Overdue => {
            query.filter(Column::Status.eq(TaskStatus::Open)).filter(Column::Deadline.lt(scope.now))
        }
        TaskProgress::Submitted => query.filter(Column::Status.eq(TaskStatus::Submitted)),
        TaskProgress::Finished => query.filter(Column::Status.is_in([TaskStatus::Done, TaskStatus::Cancelled])),
        TaskProgress::All => query,
    };
    query = match progress {
        TaskProgress::Finished => query.order_by_desc(Column::FinishedAt),
        _ => query.order_by_asc(Column::Deadline),
    };
    let mut tasks = query.order_by_asc(Column::Id).limit(LIST_MOST + 1).all(scope.tx).await?;
    let truncated = tasks.len() as u64 > LIST_MOST;
    tasks.truncate(LIST_MOST as usize);
    Ok(TaskList { tasks: rows(scope, tasks).await?, truncated })
}

/// Tasks with the names of their people and customers.
pub(super) async fn rows(scope: &Scope<'_>, tasks: Vec<Model>) -> Result<Vec<TaskRow>, ApiError> {
    let people: Vec<Uuid> = tasks.iter().flat_map(|t| [Some(t.responsible_id), t.controller_id]).flatten().collect();
    let people = accord_security::users::display_names(scope.tx, &people).await?;
    let customers: Vec<Uuid> = tasks.iter().flat_map(|t| [t.contact_id, t.organisation_id]).flatten().collect();
    let entities = [contacts::SEARCH_ENTITY, organisations::SEARCH_ENTITY];
    let titles: HashMap<Uuid, String> = accord_kernel::search::titles(scope, &customers, &entities)
        .await?
        .into_iter()
        .map(|hit| (hit.id, hit.title))
        .collect();
    let title = |id: Option<Uuid>| id.and_then(|id| titles.get(&id).cloned());
    Ok(tasks
        .into_iter()
        .map(|task| TaskRow {
            responsible_name: people.get(&task.responsible_id).cloned().unwrap_or_default(),
            controller_name: task.controller_id.and_then(|id| people.get(&id).cloned()),
            contact_name: title(task.contact_id),
            organisation_name: title(task.organisation_id),
            overdue: task.overdue_at(scope.now),
            task,
        })
        .collect())
}

/// Open tasks per person and per department within reach, and how many are overdue.
pub(super) async fn overdue(scope: &Scope<'_>) -> Result<OverdueTasks, ApiError> {
    let open: Vec<(Uuid, Option<Uuid>, DateTime<Utc>)> = records::find::<Model>(scope)
        .select_only()
        .columns([Column::ResponsibleId, Column::DepartmentId, Column::Deadline])
        .filter(Column::DeletedAt.is_null())
        .filter(Column::Status.eq(TaskStatus::Open))
        .into_tuple()
        .all(scope.tx)
        .await?;
    let mut by_person: HashMap<Uuid, (i64, i64)> = HashMap::new();
    let mut by_department: HashMap<Option<Uuid>, (i64, i64)> = HashMap::new();
    for (person, department, deadline) in open {
        let late = i64::from(deadline < scope.now);
        for counts in [by_person.entry(person).or_default(), by_department.entry(department).or_default()] {
            counts.0 += 1;
            counts.1 += late;
        }
    }
    let people: Vec<Uuid> = by_person.keys().copied().collect();
    let names = accord_security::users::display_names(scope.tx, &people).await?;
    let departments: HashMap<Uuid, String> =
        accord_security::departments::active(scope).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let sorted = |mut counts: Vec<TaskCount>| {
        counts.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.open.cmp(&a.open)).then(a.name.cmp(&b.name)));
        counts
    };
    Ok(OverdueTasks {
        by_person: sorted(
            by_person
                .into_iter()
                .map(|(id, (open, overdue))| TaskCount {
                    id: Some(id),
                    name: names.get(&id).cloned().unwrap_or_default(),
                    open,
                    overdue,
                })
                .collect(),
        ),
        by_department: sorted(
            by_department
                .into_iter()
                .map(|(id, (open, overdue))| TaskCount {
                    id,
                    name: id.and_then(|id| departments.get(&id).cloned()).unwrap_or_default(),
                    open,
                    overdue,
                })
                .collect(),
        ),
    })
}
