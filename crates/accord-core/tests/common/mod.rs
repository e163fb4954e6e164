//! A fresh database per test, on a real SQLite file or a real PostgreSQL server.
#![allow(dead_code)]

use accord_core::data::Engine;
use accord_core::{Actor, ApiError, Door};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use uuid::Uuid;

pub struct TestDb {
    pub door: Door,
    pub url: String,
    pub engine: Engine,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
    /// The test's clock, kept across a restart (`reopen`).
    time: Option<fn() -> chrono::DateTime<chrono::Utc>>,
}

pub fn pg_admin_url() -> String {
    std::env::var("ACCORD_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("the PostgreSQL URL has a database path");
    format!("{base}/{name}")
}

async fn pg_admin(sql: &str) {
    let pool = sqlx::PgPool::connect(&pg_admin_url()).await.expect("PostgreSQL is running (scripts/test.sh starts it)");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(&pool).await.expect("admin statement");
    pool.close().await;
}

impl TestDb {
    /// An empty, unmigrated database.
    pub async fn empty_url(engine: Engine) -> (String, Option<tempfile::TempDir>, Option<String>) {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite:{}", dir.path().join("accord.sqlite3").display());
                (url, Some(dir), None)
            }
            Engine::Postgres => {
                let name = format!("accord_t_{}", Uuid::now_v7().simple());
                pg_admin(&format!("CREATE DATABASE {name}")).await;
                (with_database(&pg_admin_url(), &name), None, Some(name))
            }
        }
    }

    pub async fn new(engine: Engine) -> Self {
        let (url, dir, pg_name) = Self::empty_url(engine).await;
        let door = Door::open(&url, Uuid::now_v7()).await.expect("open and migrate");
        Self { door, url, engine, _dir: dir, pg_name, time: None }
    }

    /// A new database whose operations see the time `now` gives (what falls due when).
    pub async fn on_time(engine: Engine, now: fn() -> chrono::DateTime<chrono::Utc>) -> Self {
        let (url, dir, pg_name) = Self::empty_url(engine).await;
        let door = Door::open(&url, Uuid::now_v7()).await.expect("open and migrate").on_time(now);
        Self { door, url, engine, _dir: dir, pg_name, time: Some(now) }
    }

    /// Opens the database again with a new door, as after a restart.
    pub async fn reopen(&mut self) {
        let door = Door::open(&self.url, self.door.device_id()).await.expect("reopen");
        self.door = match self.time {
            Some(now) => door.on_time(now),
            None => door,
        };
    }

    pub async fn call(&self, op: &str, input: Value) -> Result<Value, ApiError> {
        self.door.dispatch(&Actor::local_owner(), op, input).await
    }

    /// The id of the built-in role with `key` (`sales`, `manager`…), as the roles screen lists it.
    pub async fn built_in_role_id(&self, key: &str) -> Value {
        let roles = self.ok("security.list_roles", serde_json::json!({})).await;
        let role = roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == key);
        role.unwrap_or_else(|| panic!("the built-in role {key} exists"))["id"].clone()
    }

    pub async fn ok(&self, op: &str, input: Value) -> Value {
        match self.call(op, input.clone()).await {
            Ok(v) => v,
            Err(e) => panic!("{op} {input} failed: {e:?}"),
        }
    }

    pub async fn exec(&self, sql: &str) {
        let conn = &self.door.database().conn;
        conn.execute_unprepared(sql).await.expect("test statement");
    }

    pub async fn count(&self, table: &str) -> i64 {
        let conn = &self.door.database().conn;
        let row = conn
            .query_one_raw(Statement::from_string(
                conn.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("one row");
        row.try_get::<i64>("", "n").expect("n")
    }

    /// Rows of every table an operation may write, to prove a failure left nothing behind.
    pub async fn footprint(&self) -> [i64; 6] {
        [
            self.count("organisations").await,
            self.count("contacts").await,
            self.count("organisation_relations").await,
            self.count("change_log").await,
            self.count("search_documents").await,
            self.count("audit_log").await,
        ]
    }
}

/// Every organisation as a person sees it, in id order, with the database's own version.
pub async fn organisation_rows(db: &TestDb) -> Vec<Value> {
    let conn = &db.door.database().conn;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT id, version, name, kind, city, notes, tax_id, sort_name, \
             CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END AS archived FROM organisations ORDER BY id",
        ))
        .await
        .expect("organisations");
    rows.iter()
        .map(|r| {
            serde_json::json!({
                "id": r.try_get::<Uuid>("", "id").unwrap(),
                "version": r.try_get::<i64>("", "version").unwrap(),
                "name": r.try_get::<String>("", "name").unwrap(),
                "kind": r.try_get::<String>("", "kind").unwrap(),
                "city": r.try_get::<Option<String>>("", "city").unwrap(),
                "notes": r.try_get::<Option<String>>("", "notes").unwrap(),
                "tax_id": r.try_get::<Option<String>>("", "tax_id").unwrap(),
                "sort_name": r.try_get::<String>("", "sort_name").unwrap(),
                "archived": r.try_get::<i32>("", "archived").unwrap(),
            })
        })
        .collect()
}

/// What every database that converged agrees on: the organisations without their versions
/// (each database's own counter).
pub async fn agreed_organisations(db: &TestDb) -> Vec<Value> {
    let mut rows = organisation_rows(db).await;
    for row in &mut rows {
        row.as_object_mut().expect("an object").remove("version");
    }
    rows
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Drop runs outside async; use a private runtime on a plain thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(pg_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")));
            })
            .join();
        }
    }
}

/// The password every test user gets.
pub const PASSWORD: &str = "Correct-horse-42";

pub async fn department(db: &TestDb, name: &str, parent: Option<&Value>) -> Value {
    db.ok("security.create_department", serde_json::json!({"name": name, "parent_id": parent})).await["id"].clone()
}

/// Creates a user with a built-in role and signs them in: their actor.
pub async fn user(
    db: &TestDb,
    login: &str,
    role: accord_core::security::BuiltInRole,
    department: Option<&Value>,
) -> Actor {
    let roles = db.ok("security.list_roles", serde_json::json!({})).await;
    let role_id =
        roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == role.key()).unwrap()["id"].clone();
    db.ok(
        "security.create_user",
        serde_json::json!({"login": login, "display_name": login, "password": PASSWORD, "role_id": role_id, "department_id": department}),
    )
    .await;
    db.door.sign_in(credentials(login)).await.expect("signs in").actor
}

pub fn credentials(login: &str) -> accord_security::sessions::Credentials {
    accord_security::sessions::Credentials {
        login: login.into(),
        password: PASSWORD.into(),
        second_factor: None,
        remember: false,
        os_account: "t".into(),
        machine: "m".into(),
    }
}

/// A clock the test sets, which the door's operations see as now (per test thread: each
/// test runs on its own). The change log's clock keeps the system's.
pub mod clock {
    use std::cell::Cell;

    use accord_core::data::Engine;
    use chrono::{DateTime, Utc};

    thread_local! {
        static NOW: Cell<i64> = const { Cell::new(0) };
    }

    pub fn test_now() -> DateTime<Utc> {
        DateTime::from_timestamp_millis(NOW.with(Cell::get)).unwrap_or_default()
    }

    pub fn set_now(at: &str) {
        let at: DateTime<Utc> = at.parse().expect("an RFC 3339 instant");
        NOW.with(|now| now.set(at.timestamp_millis()));
    }

    /// A fresh database whose operations run on the test's clock.
    pub async fn clocked(engine: Engine) -> super::TestDb {
        super::TestDb::on_time(engine, test_now).await
    }
}
