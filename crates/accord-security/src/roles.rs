//! Roles: named sets of permissions (SEC-1). The built-in roles exist in every installation;
//! each permission a domain declares is granted to its default roles once, the first time
//! the installation meets it, and from then on only an administrator changes who holds it.

use std::collections::{BTreeSet, HashSet};

use accord_kernel::error::{ApiError, ErrorCode, FieldCode};
use accord_kernel::operation::{Operation, Runtime, Scope};
use accord_kernel::security::{Actor, BuiltInRole, Permission, PermissionSpec, Visibility};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::permissions;
use crate::schema::{known_permissions, role_permissions, roles, users};

/// The id of a built-in role: the same in every installation, so a laptop's replica and its
/// team server agree on it.
pub fn built_in_id(role: BuiltInRole) -> Uuid {
    let index = BuiltInRole::ALL.iter().position(|r| *r == role).unwrap_or_default() as u128;
    Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0100 + index)
}

/// Makes sure every built-in role exists and every declared permission has been granted to
/// its default roles once. Reads first, so an ordinary start writes nothing.
pub async fn sync_catalogue(runtime: &Runtime, catalogue: &[PermissionSpec]) -> Result<(), ApiError> {
    let conn = &runtime.database().conn;
    let known: HashSet<String> =
        known_permissions::Entity::find().all(conn).await?.into_iter().map(|k| k.permission).collect();
    let present: HashSet<String> =
        roles::Entity::find().all(conn).await?.into_iter().filter_map(|r| r.built_in).collect();
    let missing_roles = BuiltInRole::ALL.iter().any(|role| !present.contains(role.key()));
    let new: Vec<CataloguePermission> = catalogue
        .iter()
        .filter(|spec| !known.contains(spec.permission.key()))
        .map(|spec| CataloguePermission {
            key: spec.permission.key().to_owned(),
            default_roles: spec.default_roles.iter().map(|role| role.key().to_owned()).collect(),
        })
        .collect();
    if !missing_roles && new.is_empty() {
        return Ok(());
    }
    runtime.call::<MeetPermissions>(&Actor::local_owner(), MeetPermissionsInput { permissions: new }).await?;
    Ok(())
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CataloguePermission {
    key: String,
    default_roles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct MeetPermissionsInput {
    permissions: Vec<CataloguePermission>,
}

/// Creates missing built-in roles and grants newly met permissions to their default roles.
/// Internal: run by [`sync_catalogue`] when the door opens, not callable by name.
struct MeetPermissions;

impl Operation for MeetPermissions {
    const NAME: &'static str = "security.meet_permissions";
    const PERMISSION: Permission = permissions::ROLES_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Grant permissions new to this installation to their default roles.";
    type Input = MeetPermissionsInput;
    type Output = ();

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<(), ApiError> {
        let present: HashSet<String> =
            roles::Entity::find().all(scope.tx).await?.into_iter().filter_map(|r| r.built_in).collect();
        for role in BuiltInRole::ALL.into_iter().filter(|role| !present.contains(role.key())) {
            roles::Entity::insert(roles::ActiveModel {
                id: Set(built_in_id(role)),
                built_in: Set(Some(role.key().to_owned())),
                name: Set(role.default_name().to_owned()),
                visibility: Set(role.default_visibility().key().to_owned()),
                grants_all: Set(role == BuiltInRole::Administrator),
                created_at: Set(scope.now),
                updated_at: Set(scope.now),
            })
            .exec(scope.tx)
            .await?;
        }
        // Another process may have met them in between: only the still unknown ones count.
        let known: HashSet<String> =
            known_permissions::Entity::find().all(scope.tx).await?.into_iter().map(|k| k.permission).collect();
        let mut granted = Vec::new();
        for permission in input.permissions.iter().filter(|p| !known.contains(&p.key)) {
            known_permissions::Entity::insert(known_permissions::ActiveModel {
                permission: Set(permission.key.clone()),
                first_seen_at: Set(scope.now),
            })
            .exec(scope.tx)
            .await?;
            for role in permission.default_roles.iter().filter_map(|key| BuiltInRole::from_key(key)) {
                grant(scope.tx, built_in_id(role), &permission.key).await?;
            }
            granted.push(format!("{}→{}", permission.key, permission.default_roles.join(",")));
        }
        scope.audit_target("roles", built_in_id(BuiltInRole::Administrator));
        scope.audit_detail(format!("met: {}", granted.join("; ")));
        Ok(())
    }
}

async fn grant(conn: &impl ConnectionTrait, role_id: Uuid, permission: &str) -> Result<(), ApiError> {
    role_permissions::Entity::insert(role_permissions::ActiveModel {
        role_id: Set(role_id),
        permission: Set(permission.to_owned()),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// A role as the administrator's roles × permissions matrix shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RoleView {
    pub id: Uuid,
    /// Set for the built-in roles.
    pub built_in: Option<BuiltInRole>,
    pub name: String,
    pub visibility: Visibility,
    /// The administrator role: every permission, present and future; it cannot be edited.
    pub grants_all: bool,
    /// Sorted; empty when `grants_all`.
    pub permissions: Vec<String>,
    /// How many active users hold it.
    pub active_users: i64,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListRolesInput {}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RoleList {
    pub roles: Vec<RoleView>,
    /// Every permission this installation knows, sorted: the matrix's columns.
    pub permissions: Vec<String>,
}

pub struct ListRoles;

impl Operation for ListRoles {
    const NAME: &'static str = "security.list_roles";
    const PERMISSION: Permission = permissions::USERS_MANAGE;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Every role with its permissions and how many active users hold it.";
    type Input = ListRolesInput;
    type Output = RoleList;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<RoleList, ApiError> {
        let grants = role_permissions::Entity::find().all(scope.tx).await?;
        let active = users::Entity::find().filter(users::Column::Active.eq(true)).all(scope.tx).await?;
        let roles = roles::Entity::find().order_by_asc(roles::Column::Name).all(scope.tx).await?;
        let views = roles
            .into_iter()
            .map(|role| {
                let permissions: BTreeSet<String> = if role.grants_all {
                    BTreeSet::new()
                } else {
                    grants.iter().filter(|g| g.role_id == role.id).map(|g| g.permission.clone()).collect()
                };
                RoleView {
                    id: role.id,
                    built_in: role.built_in.as_deref().and_then(BuiltInRole::from_key),
                    visibility: Visibility::from_key(&role.visibility).unwrap_or(Visibility::Own),
                    grants_all: role.grants_all,
                    permissions: permissions.into_iter().collect(),
                    active_users: active.iter().filter(|u| u.role_id == role.id).count() as i64,
                    name: role.name,
                }
            })
            .collect();
        let mut permissions: Vec<String> =
            known_permissions::Entity::find().all(scope.tx).await?.into_iter().map(|k| k.permission).collect();
        permissions.sort();
        Ok(RoleList { roles: views, permissions })
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SetRolePermissionsInput {
    pub role_id: Uuid,
    /// The role's permissions afterwards, all of them.
    pub permissions: Vec<String>,
}

/// Replaces what a role grants. Audited with what it gained and lost.
pub struct SetRolePermissions;

impl Operation for SetRolePermissions {
    const NAME: &'static str = "security.set_role_permissions";
    const PERMISSION: Permission = permissions::ROLES_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Replace the permissions a role grants (not the administrator role's).";
    type Input = SetRolePermissionsInput;
    type Output = ();

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<(), ApiError> {
        let role = roles::Entity::find_by_id(input.role_id)
            .one(scope.tx)
            .await?
            .ok_or_else(|| ApiError::not_found("role", input.role_id))?;
        if role.grants_all {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "\"{}\" always has every permission, so that administrators cannot lock themselves out; it cannot be edited.",
                    role.name
                ),
            ));
        }
        let known: HashSet<String> =
            known_permissions::Entity::find().all(scope.tx).await?.into_iter().map(|k| k.permission).collect();
        if let Some(unknown) = input.permissions.iter().find(|p| !known.contains(*p)) {
            return Err(ApiError::field(
                "permissions",
                FieldCode::InvalidValue,
                format!("There is no permission \"{unknown}\"; `security.list_roles` lists them."),
            ));
        }
        let before: BTreeSet<String> = role_permissions::Entity::find()
            .filter(role_permissions::Column::RoleId.eq(role.id))
            .all(scope.tx)
            .await?
            .into_iter()
            .map(|g| g.permission)
            .collect();
        let after: BTreeSet<String> = input.permissions.into_iter().collect();
        role_permissions::Entity::delete_many()
            .filter(role_permissions::Column::RoleId.eq(role.id))
            .exec(scope.tx)
            .await?;
        for permission in &after {
            grant(scope.tx, role.id, permission).await?;
        }
        let gained: Vec<&String> = after.difference(&before).collect();
        let lost: Vec<&String> = before.difference(&after).collect();
        scope.audit_target("roles", role.id);
        scope.audit_detail(format!("gained {gained:?}; lost {lost:?}"));
        Ok(())
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SetRoleVisibilityInput {
    pub role_id: Uuid,
    pub visibility: Visibility,
}

/// Sets how far a role sees (SEC-2): its holders' own and shared records, their
/// department's, or every record. Applies at each holder's next call. Audited.
pub struct SetRoleVisibility;

impl Operation for SetRoleVisibility {
    const NAME: &'static str = "security.set_role_visibility";
    const PERMISSION: Permission = permissions::ROLES_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Set how far a role sees: own and shared records, its department's, or all.";
    type Input = SetRoleVisibilityInput;
    type Output = ();

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<(), ApiError> {
        let role = roles::Entity::find_by_id(input.role_id)
            .one(scope.tx)
            .await?
            .ok_or_else(|| ApiError::not_found("role", input.role_id))?;
        if role.grants_all && input.visibility != Visibility::All {
            return Err(ApiError::field(
                "visibility",
                FieldCode::InvalidValue,
                format!("\"{}\" always sees every record, as it may do everything.", role.name),
            ));
        }
        let before = role.visibility.clone();
        let mut change: roles::ActiveModel = role.into();
        change.visibility = Set(input.visibility.key().to_owned());
        change.updated_at = Set(scope.now);
        let role = change.update(scope.tx).await?;
        scope.audit_target("roles", role.id);
        scope.audit_detail(format!("visibility {before} → {}", input.visibility.key()));
        Ok(())
    }
}
