//! What a team server that enforces access itself costs (ADR 0013): the bench database is set
//! up with `accord_core::server::init`, a manager of the first of the bench's departments (the
//! second below it) gets their own role, and the same list and search run through a door on
//! that role — the core's narrowing and PostgreSQL's row-level security together.

use accord_core::access::roles::built_in_id;
use accord_core::access::users::{CreateUser, CreateUserInput};
use accord_core::data::{self, RawPool};
use accord_core::{Actor, ApiError, BuiltInRole, Credentials, Door};
use uuid::Uuid;

use super::internal;

/// The group-role prefix of the bench's server; its roles are dropped with the database.
const PREFIX: &str = "accord_bench_rls";
const LOGIN: &str = "bench_manager";
const PASSWORD: &str = "bench-manager-password-42";

/// Drops every role the bench's server made (roles outlive the database they served).
pub(super) fn drop_roles_sql() -> String {
    format!(
        "DO $$ DECLARE r record; BEGIN \
           FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE '{PREFIX}\\_%' LOOP \
             EXECUTE format('DROP ROLE %I', r.rolname); \
           END LOOP; END $$"
    )
}

/// A door on the manager's own role and the manager signed in through it.
pub(super) async fn manager_on_own_role(
    door: &Door,
    url: &str,
    departments: &[Uuid],
) -> Result<(Door, Actor), ApiError> {
    let db = door.database();
    let RawPool::Postgres(pool) = &db.raw else { return Err(internal("the server bench needs PostgreSQL")) };
    for (i, id) in departments.iter().enumerate() {
        let parent = if i == 1 { format!("'{}'", departments[0]) } else { "NULL".to_owned() };
        let sql = format!(
            "INSERT INTO departments (id, name, parent_id, created_at, updated_at) \
             VALUES ('{id}', 'Bench {i}', {parent}, now(), now()) ON CONFLICT (id) DO NOTHING"
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(pool).await.map_err(internal)?;
    }
    let input = CreateUserInput {
        login: LOGIN.to_owned(),
        display_name: "Bench manager".to_owned(),
        password: PASSWORD.to_owned(),
        role_id: Some(built_in_id(BuiltInRole::Manager)),
        department_id: Some(departments[0]),
    };
    door.call::<CreateUser>(&Actor::local_owner(), input).await?;
    accord_core::server::init(db, Some(PREFIX)).await?;
    let role = accord_core::server::add_user(db, LOGIN, None, Some(PASSWORD.to_owned())).await?.db_role;
    let own = data::open_server(url, &role, PASSWORD).await?;
    let own_door = Door::on_server(own, Uuid::now_v7()).await?;
    let credentials = Credentials {
        login: LOGIN.to_owned(),
        password: PASSWORD.to_owned(),
        second_factor: None,
        remember: false,
        os_account: "bench".to_owned(),
        machine: "bench".to_owned(),
    };
    let manager = own_door.sign_in(credentials).await?.actor;
    Ok((own_door, manager))
}
