//! Departments (SEC-2): a tree that scopes what managers see. A record belongs to its
//! creator's department; a manager sees their department's records and its sub-departments'.

use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;
use accord_kernel::validate;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::permissions;
use crate::schema::departments;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Department {
    pub id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
}

impl From<departments::Model> for Department {
    fn from(d: departments::Model) -> Self {
        Self { id: d.id, name: d.name, parent_id: d.parent_id }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CreateDepartmentInput {
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

/// Creates a department, optionally under another. Audited.
pub struct CreateDepartment;

impl Operation for CreateDepartment {
    const NAME: &'static str = "security.create_department";
    const PERMISSION: Permission = permissions::USERS_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Create a department, optionally inside another.";
    type Input = CreateDepartmentInput;
    type Output = Department;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Department, ApiError> {
        let mut errors = FieldErrors::default();
        let name = validate::required_text(&mut errors, "name", &input.name, 200);
        if let Some(parent) = input.parent_id {
            let found = departments::Entity::find_by_id(parent).one(scope.tx).await?;
            if found.is_none_or(|d| d.archived_at.is_some()) {
                errors.add("parent_id", FieldCode::UnknownId, format!("There is no department with id {parent}."));
            }
        }
        errors.into_result()?;
        let department = departments::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set(name),
            parent_id: Set(input.parent_id),
            created_at: Set(scope.now),
            updated_at: Set(scope.now),
            archived_at: Set(None),
        }
        .insert(scope.tx)
        .await?;
        scope.audit_target("departments", department.id);
        Ok(department.into())
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListDepartmentsInput {}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DepartmentList {
    /// Every active department by name; `parent_id` makes the tree.
    pub departments: Vec<Department>,
}

pub struct ListDepartments;

impl Operation for ListDepartments {
    const NAME: &'static str = "security.list_departments";
    const PERMISSION: Permission = permissions::USERS_MANAGE;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Every active department, with its parent.";
    type Input = ListDepartmentsInput;
    type Output = DepartmentList;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<DepartmentList, ApiError> {
        Ok(DepartmentList { departments: active(scope).await? })
    }
}

/// Every active department by name.
pub async fn active(scope: &Scope<'_>) -> Result<Vec<Department>, ApiError> {
    let rows = departments::Entity::find()
        .filter(departments::Column::ArchivedAt.is_null())
        .order_by_asc(departments::Column::Name)
        .all(scope.tx)
        .await?;
    Ok(rows.into_iter().map(Department::from).collect())
}

/// `root` and every department below it, however deep. Departments are few (tens, not
/// thousands), so the tree is read whole and walked here, the same on both engines.
pub async fn tree_under(conn: &impl sea_orm::ConnectionTrait, root: Uuid) -> Result<Vec<Uuid>, ApiError> {
    let edges: Vec<(Uuid, Option<Uuid>)> = departments::Entity::find()
        .select_only()
        .columns([departments::Column::Id, departments::Column::ParentId])
        .into_tuple()
        .all(conn)
        .await?;
    let mut tree = vec![root];
    let mut next = 0;
    // Breadth first; `tree.contains` stops a cycle a damaged table might hold.
    while next < tree.len() {
        let parent = tree[next];
        let children: Vec<Uuid> = edges.iter().filter(|(_, p)| *p == Some(parent)).map(|(id, _)| *id).collect();
        for child in children {
            if !tree.contains(&child) {
                tree.push(child);
            }
        }
        next += 1;
    }
    Ok(tree)
}
