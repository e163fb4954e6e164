//! Security (SEC-1…SEC-4): users, roles and their permissions, departments, signing in (with
//! an optional second factor) and the sessions a signed-in window acts through.
//!
//! The permissions themselves are declared by the domains whose operations need them; the
//! registry collects them and [`roles::sync_catalogue`] grants each new one to its default
//! roles. The door resolves a session to an [`accord_kernel::Actor`] before every call.

pub mod departments;
mod password;
pub mod roles;
mod schema;
pub mod sessions;
pub mod two_factor;
pub mod users;

use accord_kernel::catalogue::Domain;

pub use password::{MAX_LENGTH as PASSWORD_MAX_LENGTH, MIN_LENGTH as PASSWORD_MIN_LENGTH};

/// What this domain's operations require. Only the administrator role holds them by default.
pub mod permissions {
    use accord_kernel::security::Permission;

    /// Create, deactivate and reassign users; departments.
    pub const USERS_MANAGE: Permission = Permission::new("users.manage");
    /// Change what roles grant.
    pub const ROLES_MANAGE: Permission = Permission::new("roles.manage");
    /// See colleagues' names and departments (a record's owner, whom to hand a task to).
    pub const DIRECTORY: Permission = Permission::new("security.directory");
    /// One's own sign-in: two-factor enrolment and recovery codes. Every role has it.
    pub const OWN_ACCOUNT: Permission = Permission::new("security.own_account");
}

/// The operations of this domain.
pub fn domain() -> Domain {
    use accord_kernel::security::BuiltInRole::{Auditor, Manager, Newcomer, Quality, Sales, ServiceDesk};
    use permissions::{DIRECTORY, OWN_ACCOUNT, ROLES_MANAGE, USERS_MANAGE};
    use {departments as d, roles as r, two_factor as t, users as u};
    Domain::new("security")
        .permission(USERS_MANAGE, "Create, deactivate and reassign users; manage departments.", &[])
        .permission(ROLES_MANAGE, "Change which permissions each role grants and how far it sees.", &[])
        .permission(
            DIRECTORY,
            "See colleagues' names and departments.",
            &[Manager, Sales, ServiceDesk, Quality, Auditor],
        )
        .permission(
            OWN_ACCOUNT,
            "Manage one's own sign-in: two-factor authentication and recovery codes.",
            &[Manager, Sales, ServiceDesk, Quality, Auditor, Newcomer],
        )
        .operation::<u::CreateFirstAdministrator>()
        .operation::<u::CreateUser>()
        .operation::<u::ListUsers>()
        .operation::<u::DeactivateUser>()
        .operation::<u::SetUserRole>()
        .operation::<r::ListRoles>()
        .operation::<r::SetRolePermissions>()
        .operation::<r::SetRoleVisibility>()
        .operation::<u::ListColleagues>()
        .operation::<d::CreateDepartment>()
        .operation::<d::ListDepartments>()
        .operation::<t::ReadMyAccount>()
        .operation::<t::StartTwoFactor>()
        .operation::<t::ConfirmTwoFactor>()
        .operation::<t::RenewRecoveryCodes>()
        .operation::<t::DisableTwoFactor>()
        .operation::<t::ResetTwoFactor>()
}
