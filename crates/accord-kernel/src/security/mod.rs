//! Who is acting and what they may do (SEC-1). The dispatcher checks the permission every
//! operation declares; operations never check it themselves.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A permission an operation can require. Stable names: roles stored later refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    CustomersRead,
    CustomersWrite,
    CustomersArchive,
    HistoryRead,
    AuditRead,
    /// Choose the database this installation works on (embedded or a team server).
    SettingsManage,
    /// One's own preferences (the window's language). Every role has it.
    PreferencesOwn,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::CustomersRead,
        Permission::CustomersWrite,
        Permission::CustomersArchive,
        Permission::HistoryRead,
        Permission::AuditRead,
        Permission::SettingsManage,
        Permission::PreferencesOwn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::CustomersRead => "customers_read",
            Permission::CustomersWrite => "customers_write",
            Permission::CustomersArchive => "customers_archive",
            Permission::HistoryRead => "history_read",
            Permission::AuditRead => "audit_read",
            Permission::SettingsManage => "settings_manage",
            Permission::PreferencesOwn => "preferences_own",
        }
    }
}

/// Built-in roles until administrators manage roles in the database (SEC-1 issue).
/// A new user starts as `Viewer`: least privilege.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Agent,
    Administrator,
}

impl Role {
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Viewer => &[CustomersRead, PreferencesOwn],
            Role::Agent => &[CustomersRead, CustomersWrite, CustomersArchive, HistoryRead, PreferencesOwn],
            Role::Administrator => Permission::ALL,
        }
    }
}

/// The person (or process) on whose behalf an operation runs.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub display_name: String,
    pub role: Role,
}

impl Actor {
    /// The owner of a local, single-user database (the embedded default and the CLI).
    /// Its id is fixed so that every entry it writes is attributable to the same person.
    pub fn local_owner() -> Self {
        Self {
            user_id: Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001),
            display_name: "Local owner".into(),
            role: Role::Administrator,
        }
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.role.permissions().contains(&permission)
    }
}
