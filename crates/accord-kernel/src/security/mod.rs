//! Who is acting and what they may do (SEC-1). Every operation declares the [`Permission`]
//! it needs; domains declare their permissions and the built-in roles that get them by
//! default ([`PermissionSpec`]); the dispatcher checks the actor's [`Grants`] before an
//! operation runs, so operations never check it themselves.

use std::collections::BTreeSet;

use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// A permission an operation can require, named `domain.action` (`customers.read`). Roles
/// stored in the database refer to these names, so a name is never changed once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
pub struct Permission(&'static str);

impl Permission {
    pub const fn new(key: &'static str) -> Self {
        Self(key)
    }

    pub fn key(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Permissions the platform itself declares (the platform domain and the security domain
/// declare them to the registry like any domain's).
pub mod platform {
    use super::Permission;

    /// Search across record kinds; each hit is still shown only to those who may read its kind.
    pub const SEARCH: Permission = Permission::new("search.query");
    /// Read the change history of records one may read.
    pub const HISTORY_READ: Permission = Permission::new("history.read");
    /// Read and verify the audit log of critical actions (administrators and auditors).
    pub const AUDIT_READ: Permission = Permission::new("audit.read");
    /// Choose the database this installation works on, rebuild derived values.
    pub const SETTINGS_MANAGE: Permission = Permission::new("settings.manage");
    /// Sign in and out, and ask who is signed in: held by everyone, signed in or not.
    pub const SESSION: Permission = Permission::new("session.use");
    /// One's own preferences (the window's language). Every role has it.
    pub const PREFERENCES_OWN: Permission = Permission::new("preferences.own");
}

/// The roles every installation starts with. An administrator may change what each of them
/// grants, except the administrator role, which always grants everything so that an
/// installation can never lock its administrators out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BuiltInRole {
    Administrator,
    Manager,
    Sales,
    ServiceDesk,
    Quality,
    /// Reads everything, changes nothing: the quality auditor's role.
    Auditor,
    /// What a new user starts with: their own preferences, no business data (least privilege).
    Newcomer,
}

impl BuiltInRole {
    pub const ALL: [BuiltInRole; 7] = [
        BuiltInRole::Administrator,
        BuiltInRole::Manager,
        BuiltInRole::Sales,
        BuiltInRole::ServiceDesk,
        BuiltInRole::Quality,
        BuiltInRole::Auditor,
        BuiltInRole::Newcomer,
    ];

    /// The stable key stored in `roles.built_in`.
    pub fn key(self) -> &'static str {
        match self {
            BuiltInRole::Administrator => "administrator",
            BuiltInRole::Manager => "manager",
            BuiltInRole::Sales => "sales",
            BuiltInRole::ServiceDesk => "service_desk",
            BuiltInRole::Quality => "quality",
            BuiltInRole::Auditor => "auditor",
            BuiltInRole::Newcomer => "newcomer",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.key() == key)
    }

    /// The name a new installation gives the role; an administrator may rename it.
    pub fn default_name(self) -> &'static str {
        match self {
            BuiltInRole::Administrator => "Administrator",
            BuiltInRole::Manager => "Manager",
            BuiltInRole::Sales => "Sales",
            BuiltInRole::ServiceDesk => "Service desk",
            BuiltInRole::Quality => "Quality",
            BuiltInRole::Auditor => "Auditor (read-only)",
            BuiltInRole::Newcomer => "New user (no data access)",
        }
    }

    /// Which records a holder sees by default (SEC-2): an employee their own and shared
    /// ones, a manager their department's, an executive or auditor everything.
    pub fn default_visibility(self) -> Visibility {
        match self {
            BuiltInRole::Administrator | BuiltInRole::Auditor => Visibility::All,
            BuiltInRole::Manager | BuiltInRole::Quality => Visibility::Department,
            BuiltInRole::Sales | BuiltInRole::ServiceDesk | BuiltInRole::Newcomer => Visibility::Own,
        }
    }
}

/// How far a role sees (SEC-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Records the user owns, and shared ones.
    Own,
    /// Records of the user's department and its sub-departments.
    Department,
    /// Every record.
    All,
}

impl Visibility {
    pub fn key(self) -> &'static str {
        match self {
            Visibility::Own => "own",
            Visibility::Department => "department",
            Visibility::All => "all",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [Visibility::Own, Visibility::Department, Visibility::All].into_iter().find(|v| v.key() == key)
    }
}

/// One permission as a domain declares it: what it allows, and which built-in roles get it
/// when an installation first meets it (at its first start, or when an upgrade brings a new
/// domain). The administrator role is never listed: it has every permission.
#[derive(Debug, Clone)]
pub struct PermissionSpec {
    pub permission: Permission,
    pub summary: &'static str,
    pub default_roles: &'static [BuiltInRole],
}

/// What an actor may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grants {
    /// Every permission: the administrator role, and the owner of a local database before
    /// it has users.
    All,
    /// Exactly these permission keys.
    Only(BTreeSet<String>),
}

impl Grants {
    pub fn allows(&self, permission: Permission) -> bool {
        match self {
            Grants::All => true,
            Grants::Only(keys) => keys.contains(permission.key()),
        }
    }
}

/// Who a record belongs to (SEC-2): the user who owns it and the department it belongs to.
/// A record without a department is shared: everyone who may read its kind sees it (records
/// made before a database had users, and records of users outside any department).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Ownership {
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
}

/// Which records an actor sees (SEC-2), resolved at each call from their role's
/// [`Visibility`] and their place in the department tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every record.
    All,
    /// The records `user_id` owns, the records of `departments`, and shared records.
    Limited { user_id: Uuid, departments: Vec<Uuid> },
}

impl Reach {
    /// What a role's visibility means for a user of `department` whose sub-departments
    /// (with itself) are `department_tree`.
    pub fn of(visibility: Visibility, user_id: Uuid, department_tree: Vec<Uuid>) -> Self {
        match visibility {
            Visibility::All => Reach::All,
            Visibility::Department => Reach::Limited { user_id, departments: department_tree },
            Visibility::Own => Reach::Limited { user_id, departments: Vec::new() },
        }
    }

    pub fn sees(&self, ownership: Ownership) -> bool {
        match self {
            Reach::All => true,
            Reach::Limited { user_id, departments } => match ownership.department_id {
                None => true,
                Some(department) => ownership.owner_id == Some(*user_id) || departments.contains(&department),
            },
        }
    }

    /// The same rule as [`Reach::sees`] over a table's `owner_id` and `department_id`
    /// columns (of `table`, or unqualified); `None` when every row is visible.
    pub fn condition(&self, table: Option<&'static str>) -> Option<sea_orm::Condition> {
        use sea_orm::sea_query::{Alias, Expr, ExprTrait};
        let Reach::Limited { user_id, departments } = self else { return None };
        let column = |name: &'static str| match table {
            Some(table) => Expr::col((Alias::new(table), Alias::new(name))),
            None => Expr::col(Alias::new(name)),
        };
        let mut visible =
            sea_orm::Condition::any().add(column("department_id").is_null()).add(column("owner_id").eq(*user_id));
        if !departments.is_empty() {
            visible = visible.add(column("department_id").is_in(departments.iter().copied()));
        }
        Some(visible)
    }

    /// The rows [`Reach::condition`] leaves out (its negation, written so that a record
    /// without an owner is not lost to SQL's unknown); `None` when every row is visible.
    pub fn outside_condition(&self) -> Option<sea_orm::Condition> {
        use sea_orm::sea_query::{Alias, Expr, ExprTrait};
        let Reach::Limited { user_id, departments } = self else { return None };
        let column = |name: &'static str| Expr::col(Alias::new(name));
        let mut outside = sea_orm::Condition::all()
            .add(column("department_id").is_not_null())
            .add(sea_orm::Condition::any().add(column("owner_id").is_null()).add(column("owner_id").ne(*user_id)));
        if !departments.is_empty() {
            outside = outside.add(column("department_id").is_not_in(departments.iter().copied()));
        }
        Some(outside)
    }
}

/// A signed-in session's token: the only key to the session, so it is never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(std::sync::Arc<str>);

impl SessionToken {
    pub fn new(token: &str) -> Self {
        Self(token.into())
    }

    /// The token itself, for the server that checks it; never for a log.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// The person (or process) on whose behalf an operation runs.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub display_name: String,
    pub grants: Grants,
    /// The user's department: what they create belongs to it.
    pub department_id: Option<Uuid>,
    /// What they see.
    pub reach: Reach,
    /// The session a signed-in user acts in; a team server that enforces access itself sees
    /// nothing for a connection that does not present it (ADR 0013).
    pub session: Option<SessionToken>,
}

impl Actor {
    /// The owner of a local, single-user database (the embedded default and the CLI).
    /// Its id is fixed so that every entry it writes is attributable to the same person.
    pub fn local_owner() -> Self {
        Self {
            user_id: Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001),
            display_name: "Local owner".into(),
            grants: Grants::All,
            department_id: None,
            reach: Reach::All,
            session: None,
        }
    }

    /// An actor with exactly `permissions` who sees every record (tests, and the security
    /// domain's internal steps); [`Actor::in_department`] narrows what they see.
    pub fn with_permissions(user_id: Uuid, display_name: impl Into<String>, permissions: &[Permission]) -> Self {
        Self {
            user_id,
            display_name: display_name.into(),
            grants: Grants::Only(permissions.iter().map(|p| p.key().to_owned()).collect()),
            department_id: None,
            reach: Reach::All,
            session: None,
        }
    }

    /// The same actor as a member of `department` who sees as far as `reach`.
    pub fn in_department(self, department_id: Option<Uuid>, reach: Reach) -> Self {
        Self { department_id, reach, ..self }
    }

    /// Someone at a window of a database that has users, before they sign in: they may only
    /// sign in, and see nothing.
    pub fn anonymous() -> Self {
        Self::with_permissions(Uuid::nil(), "Not signed in", &[platform::SESSION])
            .in_department(None, Reach::Limited { user_id: Uuid::nil(), departments: Vec::new() })
    }

    /// Who a record this actor creates belongs to.
    pub fn ownership(&self) -> Ownership {
        Ownership { owner_id: Some(self.user_id), department_id: self.department_id }
    }

    pub fn is_anonymous(&self) -> bool {
        self.user_id.is_nil()
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.grants.allows(permission)
    }
}
