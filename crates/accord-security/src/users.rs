//! Users (SEC-1, SEC-4): created by an administrator (or, once, by the first-start set-up),
//! given a role and a department, and deactivated at once when they leave. There is always
//! at least one active administrator.

use accord_kernel::error::{ApiError, ErrorCode, FieldCode, FieldErrors};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::{BuiltInRole, Permission};
use accord_kernel::validate;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, DbBackend, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use crate::password;
use crate::permissions;
use crate::roles::built_in_id;
use crate::schema::{departments, roles, sessions, users};

/// The form a login is stored and compared in: NFKC, lower case, Latin digits, without
/// invisible characters (ZWNJ, bidi marks) and surrounding spaces, so the same login typed on
/// a Persian, Russian or English keyboard is the same login.
pub fn normalise_login(login: &str) -> String {
    let folded: String = login.nfkc().filter(|c| !validate::is_invisible(*c)).collect::<String>().to_lowercase();
    validate::latin_digits(folded.trim())
}

/// Whether any user exists (the first-start set-up is offered while none does).
pub async fn any_user(conn: &impl sea_orm::ConnectionTrait) -> Result<bool, ApiError> {
    Ok(users::Entity::find().one(conn).await?.is_some())
}

/// The display names of those of `ids` who are users (history names the real person).
pub async fn display_names(
    conn: &impl sea_orm::ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, ApiError> {
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.is_empty() {
        return Ok(Default::default());
    }
    let rows = users::Entity::find().filter(users::Column::Id.is_in(unique)).all(conn).await?;
    Ok(rows.into_iter().map(|user| (user.id, user.display_name)).collect())
}

fn check_login(errors: &mut FieldErrors, login: &str) -> String {
    let login = normalise_login(login);
    let length = login.chars().count();
    if length < 2 {
        errors.add("login", FieldCode::TooShort, "A login needs at least 2 characters.");
    } else if length > 100 {
        errors.add("login", FieldCode::TooLong, "A login may have at most 100 characters.");
    } else if let Some(bad) = login.chars().find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))) {
        errors.add(
            "login",
            FieldCode::InvalidValue,
            format!("A login may contain letters, digits and . _ - @ only, not \"{bad}\"."),
        );
    }
    login
}

/// A user as the administrator's users screen shows them; never the password hash.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UserView {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role_id: Uuid,
    pub role_name: String,
    pub department_id: Option<Uuid>,
    pub active: bool,
    /// Set while too many wrong passwords keep the account locked.
    pub locked_until: Option<DateTime<Utc>>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
    /// Whether signing in asks for a code from an authenticator app.
    pub two_factor: bool,
}

pub(crate) async fn view(scope: &Scope<'_>, user: users::Model) -> Result<UserView, ApiError> {
    let role = roles::Entity::find_by_id(user.role_id).one(scope.tx).await?;
    Ok(UserView {
        id: user.id,
        login: user.login,
        display_name: user.display_name,
        role_id: user.role_id,
        role_name: role.map(|r| r.name).unwrap_or_default(),
        department_id: user.department_id,
        active: user.active,
        locked_until: user.locked_until.filter(|until| *until > scope.now),
        last_sign_in_at: user.last_sign_in_at,
        created_at: user.created_at,
        deactivated_at: user.deactivated_at,
        two_factor: user.totp_enabled_at.is_some(),
    })
}

#[derive(Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CreateUserInput {
    pub login: String,
    pub display_name: String,
    /// Hashed with Argon2id at once; never stored, logged or returned.
    pub password: String,
    /// Absent: the "new user" role, which sees no business data until given another.
    #[serde(default)]
    pub role_id: Option<Uuid>,
    #[serde(default)]
    pub department_id: Option<Uuid>,
}

/// Without the password, so no log can ever show it.
impl std::fmt::Debug for CreateUserInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserInput").field("login", &self.login).finish_non_exhaustive()
    }
}

async fn insert_user(
    scope: &mut Scope<'_>,
    input: CreateUserInput,
    default_role: BuiltInRole,
) -> Result<UserView, ApiError> {
    let mut errors = FieldErrors::default();
    let login = check_login(&mut errors, &input.login);
    let display_name = validate::required_text(&mut errors, "display_name", &input.display_name, 200);
    password::check_new(&mut errors, "password", &input.password);
    let role_id = input.role_id.unwrap_or(built_in_id(default_role));
    if roles::Entity::find_by_id(role_id).one(scope.tx).await?.is_none() {
        errors.add("role_id", FieldCode::UnknownId, format!("There is no role with id {role_id}."));
    }
    if let Some(department) = input.department_id {
        let found = departments::Entity::find_by_id(department).one(scope.tx).await?;
        if found.is_none_or(|d| d.archived_at.is_some()) {
            errors.add("department_id", FieldCode::UnknownId, format!("There is no department with id {department}."));
        }
    }
    if errors.is_empty() && users::Entity::find().filter(users::Column::Login.eq(&login)).one(scope.tx).await?.is_some()
    {
        errors.add("login", FieldCode::InvalidValue, format!("The login \"{login}\" is taken; choose another."));
    }
    errors.into_result()?;
    let secret = input.password;
    let password_hash = tokio::task::spawn_blocking(move || password::hash(&secret))
        .await
        .map_err(|e| ApiError::internal(format!("the password hasher stopped: {e}")))??;
    // Written without reading anything back: the row's secret columns are not readable by a
    // team server's user roles (ADR 0013), and RETURNING would read them.
    let id = Uuid::now_v7();
    let now = scope.now;
    let insert = sea_orm::sea_query::Query::insert()
        .into_table(users::Entity)
        .columns(
            [
                "id",
                "login",
                "display_name",
                "password_hash",
                "role_id",
                "department_id",
                "active",
                "failed_attempts",
                "created_at",
                "updated_at",
            ]
            .map(sea_orm::sea_query::Alias::new),
        )
        .values_panic([
            id.into(),
            login.into(),
            display_name.into(),
            password_hash.into(),
            role_id.into(),
            input.department_id.into(),
            true.into(),
            0i32.into(),
            now.into(),
            now.into(),
        ])
        .to_owned();
    scope.tx.execute(&insert).await?;
    let user = find_user(scope, id).await?;
    scope.audit_target("users", user.id);
    scope.audit_detail(format!("login {}", user.login));
    view(scope, user).await
}

/// Creates a user. Audited.
pub struct CreateUser;

impl Operation for CreateUser {
    const NAME: &'static str = "security.create_user";
    const PERMISSION: Permission = permissions::USERS_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str =
        "Create a user with a password, a role (by default: no data access) and a department.";
    type Input = CreateUserInput;
    type Output = UserView;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<UserView, ApiError> {
        insert_user(scope, input, BuiltInRole::Newcomer).await
    }
}

/// The first-start set-up: creates the first administrator of a database that has no users
/// yet, and is refused once it has one. Audited.
pub struct CreateFirstAdministrator;

impl Operation for CreateFirstAdministrator {
    const NAME: &'static str = "security.create_first_administrator";
    const PERMISSION: Permission = accord_kernel::security::platform::SETTINGS_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Create the first administrator of a database that has no users yet.";
    type Input = CreateUserInput;
    type Output = UserView;

    async fn run(scope: &mut Scope<'_>, mut input: Self::Input) -> Result<UserView, ApiError> {
        if users::Entity::find().one(scope.tx).await?.is_some() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "This database already has users; an administrator creates further ones.",
            ));
        }
        input.role_id = Some(built_in_id(BuiltInRole::Administrator));
        insert_user(scope, input, BuiltInRole::Administrator).await
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListUsersInput {
    /// Also the deactivated ones.
    #[serde(default)]
    pub include_inactive: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct UserList {
    pub users: Vec<UserView>,
}

pub struct ListUsers;

impl Operation for ListUsers {
    const NAME: &'static str = "security.list_users";
    const PERMISSION: Permission = permissions::USERS_MANAGE;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Every user, by login, with their role and whether they are active or locked.";
    type Input = ListUsersInput;
    type Output = UserList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<UserList, ApiError> {
        let mut query = users::Entity::find().order_by_asc(users::Column::Login);
        if !input.include_inactive {
            query = query.filter(users::Column::Active.eq(true));
        }
        let mut views = Vec::new();
        for user in query.all(scope.tx).await? {
            views.push(view(scope, user).await?);
        }
        Ok(UserList { users: views })
    }
}

/// Refuses to leave the installation without an active administrator other than `leaving`.
/// On PostgreSQL the administrators' rows are locked, so two administrators removing each
/// other at the same moment cannot both succeed.
async fn ensure_other_administrator(scope: &Scope<'_>, leaving: &users::Model) -> Result<(), ApiError> {
    let admin_roles: Vec<Uuid> = roles::Entity::find()
        .filter(roles::Column::GrantsAll.eq(true))
        .all(scope.tx)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if !admin_roles.contains(&leaving.role_id) || !leaving.active {
        return Ok(());
    }
    let mut others = users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::RoleId.is_in(admin_roles))
        .filter(users::Column::Id.ne(leaving.id));
    if scope.tx.get_database_backend() == DbBackend::Postgres {
        others = others.lock_exclusive();
    }
    if others.all(scope.tx).await?.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "{} is the last active administrator; make another user an administrator first.",
                leaving.display_name
            ),
        ));
    }
    Ok(())
}

pub(crate) async fn find_user(scope: &Scope<'_>, id: Uuid) -> Result<users::Model, ApiError> {
    users::Entity::find_by_id(id).one(scope.tx).await?.ok_or_else(|| ApiError::not_found("user", id))
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DeactivateUserInput {
    pub user_id: Uuid,
}

/// A departing user: no further sign-in, and every open session ends at its next call.
/// Audited. `security.offboard_user` does the same and hands their records to a colleague.
pub struct DeactivateUser;

impl Operation for DeactivateUser {
    const NAME: &'static str = "security.deactivate_user";
    const PERMISSION: Permission = permissions::USERS_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Deactivate a departing user at once: no further sign-in, open sessions end.";
    type Input = DeactivateUserInput;
    type Output = UserView;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<UserView, ApiError> {
        deactivate(scope, input.user_id).await
    }
}

/// Deactivates a user in the scope's transaction: no further sign-in, every open session
/// ended; names the user as the audit target. Refuses the last active administrator.
pub async fn deactivate(scope: &mut Scope<'_>, user_id: Uuid) -> Result<UserView, ApiError> {
    let user = find_user(scope, user_id).await?;
    if !user.active {
        return Err(ApiError::new(ErrorCode::Conflict, format!("{} is already deactivated.", user.display_name)));
    }
    ensure_other_administrator(scope, &user).await?;
    let mut change: users::ActiveModel = user.into();
    change.active = Set(false);
    change.deactivated_at = Set(Some(scope.now));
    change.updated_at = Set(scope.now);
    let user = change.update(scope.tx).await?;
    let ended = sessions::Entity::update_many()
        .col_expr(sessions::Column::EndedAt, Expr::value(scope.now))
        .col_expr(sessions::Column::EndReason, Expr::value("deactivated"))
        .filter(sessions::Column::UserId.eq(user.id))
        .filter(sessions::Column::EndedAt.is_null())
        .exec(scope.tx)
        .await?;
    scope.audit_target("users", user.id);
    scope.audit_detail(format!("ended {} open sessions", ended.rows_affected));
    view(scope, user).await
}

/// A user as colleagues see them: a name to pick and to show as a record's owner.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Colleague {
    pub id: Uuid,
    pub display_name: String,
    pub department_id: Option<Uuid>,
    pub active: bool,
}

impl From<users::Model> for Colleague {
    fn from(user: users::Model) -> Self {
        Self { id: user.id, display_name: user.display_name, department_id: user.department_id, active: user.active }
    }
}

/// The active user `id`, to be handed something (`field` names the input field that held the
/// id): a clear field error for an unknown or deactivated one.
pub async fn active_colleague(scope: &Scope<'_>, id: Uuid, field: &str) -> Result<Colleague, ApiError> {
    let Some(user) = users::Entity::find_by_id(id).one(scope.tx).await? else {
        return Err(ApiError::field(field, FieldCode::UnknownId, format!("There is no user with id {id}.")));
    };
    if !user.active {
        return Err(ApiError::field(
            field,
            FieldCode::InvalidValue,
            format!("{} is deactivated; choose an active colleague.", user.display_name),
        ));
    }
    Ok(user.into())
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListColleaguesInput {}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Colleagues {
    /// Every user, active or not (a record's owner may have left), by name.
    pub users: Vec<Colleague>,
    /// Every active department by name.
    pub departments: Vec<crate::departments::Department>,
}

/// Who works here: the names behind records' owners and departments, and whom to hand
/// something to. Never a login, a role or anything about signing in.
pub struct ListColleagues;

impl Operation for ListColleagues {
    const NAME: &'static str = "security.list_colleagues";
    const PERMISSION: Permission = permissions::DIRECTORY;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "Every colleague's name and department, and every department: for owners and pickers.";
    type Input = ListColleaguesInput;
    type Output = Colleagues;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Colleagues, ApiError> {
        let users = users::Entity::find().order_by_asc(users::Column::DisplayName).all(scope.tx).await?;
        let departments = crate::departments::active(scope).await?;
        Ok(Colleagues { users: users.into_iter().map(Colleague::from).collect(), departments })
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SetUserRoleInput {
    pub user_id: Uuid,
    pub role_id: Uuid,
}

/// Gives a user another role; the last administrator cannot be demoted. Audited.
pub struct SetUserRole;

impl Operation for SetUserRole {
    const NAME: &'static str = "security.set_user_role";
    const PERMISSION: Permission = permissions::USERS_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Give a user another role (the last administrator keeps theirs).";
    type Input = SetUserRoleInput;
    type Output = UserView;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<UserView, ApiError> {
        let user = find_user(scope, input.user_id).await?;
        let role = roles::Entity::find_by_id(input.role_id).one(scope.tx).await?.ok_or_else(|| {
            ApiError::field("role_id", FieldCode::UnknownId, format!("There is no role with id {}.", input.role_id))
        })?;
        if !role.grants_all {
            ensure_other_administrator(scope, &user).await?;
        }
        let from = user.role_id;
        let mut change: users::ActiveModel = user.into();
        change.role_id = Set(role.id);
        change.updated_at = Set(scope.now);
        let user = change.update(scope.tx).await?;
        scope.audit_target("users", user.id);
        scope.audit_detail(format!("role {from} → {} ({})", role.id, role.name));
        view(scope, user).await
    }
}
