//! Several real `accord` processes on one database, as when the window and a script work
//! on one file or a team shares a server: every operation succeeds (no `busy`, `locked` or
//! `internal`), nothing is lost, no change-log identity repeats, and the file stays sound.

use std::path::Path;
use std::process::{Command, Output};

use accord_core::data::Engine;
use accord_core::{Actor, Door};
use rstest::rstest;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

const ACCORD: &str = env!("CARGO_BIN_EXE_accord");

fn pg_admin_url() -> String {
    std::env::var("ACCORD_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A fresh database: a file in `dir`, or a new database on the test server.
async fn fresh_database(engine: Engine, dir: &Path) -> String {
    match engine {
        Engine::Sqlite => format!("sqlite:{}", dir.join("shared.sqlite3").display()),
        Engine::Postgres => {
            let name = format!("accord_p_{}", Uuid::now_v7().simple());
            let admin = sqlx::PgPool::connect(&pg_admin_url()).await.expect("PostgreSQL is running");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await
                .expect("create");
            let (base, _) =
                pg_admin_url().rsplit_once('/').map(|(b, d)| (b.to_owned(), d.to_owned())).expect("db path");
            format!("{base}/{name}")
        }
    }
}

/// One `accord op` run, as a script would start it; `home` is the installation's app-data
/// folder, so processes with one home share one device id.
fn accord_op(url: &str, home: &Path, op: &str, input: &Value) -> Output {
    Command::new(ACCORD)
        .env("XDG_DATA_HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("HOME", home)
        .args(["--db", url, "op", op, "--json", &input.to_string()])
        .output()
        .expect("start accord")
}

fn expect_ok(output: &Output, what: &str) -> Value {
    assert!(output.status.success(), "{what} failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

async fn scalar(door: &Door, sql: &str) -> i64 {
    let conn = &door.database().conn;
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await;
    row.expect("query").expect("a row").try_get_by_index::<i64>(0).expect("a number")
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_sharing_a_device_write_one_database_without_an_error(#[case] engine: Engine) {
    const WRITERS: usize = 4;
    const ROUNDS: usize = 25;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(engine, dir.path()).await;
    let door = Door::open(&url, Uuid::now_v7()).await.expect("migrate");
    let mut orgs = Vec::new();
    for w in 0..WRITERS {
        let input = json!({"name": format!("Writer {w} Ltd")});
        let saved = door.dispatch(&Actor::local_owner(), "customers.create_organisation", input).await.expect("create");
        orgs.push(saved["organisation"]["id"].as_str().expect("id").to_owned());
    }
    // One installation: the window and scripts share its device id.
    let home = dir.path().join("home");

    let workers: Vec<_> = orgs
        .iter()
        .enumerate()
        .map(|(w, org)| {
            let (url, home, org) = (url.clone(), home.clone(), org.clone());
            std::thread::spawn(move || {
                for round in 0..ROUNDS {
                    // Reads the row, then writes it: the pattern that failed on the lock upgrade.
                    let update = json!({"id": org, "version": round + 1, "changes": {"city": format!("City {round}")}});
                    expect_ok(&accord_op(&url, &home, "customers.update_organisation", &update), "update");
                    let create = json!({"name": format!("Made by {w} in round {round}")});
                    expect_ok(&accord_op(&url, &home, "customers.create_organisation", &create), "create");
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("no writer failed");
    }

    let expected_orgs = (WRITERS + WRITERS * ROUNDS) as i64;
    assert_eq!(scalar(&door, "SELECT COUNT(*) FROM organisations").await, expected_orgs, "every create kept");
    let versions =
        scalar(&door, "SELECT CAST(SUM(version) AS BIGINT) FROM organisations WHERE name LIKE 'Writer %'").await;
    assert_eq!(versions, (WRITERS * (1 + ROUNDS)) as i64, "every update kept");
    let entries = scalar(&door, "SELECT COUNT(*) FROM change_log").await;
    assert_eq!(entries, expected_orgs + (WRITERS * ROUNDS) as i64, "one change-log entry per change");
    let identities =
        scalar(&door, "SELECT COUNT(*) FROM (SELECT DISTINCT device_id, hlc FROM change_log) AS ids").await;
    assert_eq!(identities, entries, "no two entries share a (device, stamp)");
    let devices = scalar(&door, "SELECT COUNT(DISTINCT device_id) FROM change_log").await;
    assert_eq!(devices, 2, "the test's own door and the one shared installation");
    if engine == Engine::Sqlite {
        let conn = &door.database().conn;
        let row = conn
            .query_one_raw(Statement::from_string(conn.get_database_backend(), "PRAGMA integrity_check"))
            .await
            .expect("integrity_check")
            .expect("a row");
        assert_eq!(row.try_get_by_index::<String>(0).expect("text"), "ok");
    }
    drop(door);
    drop_database(&url).await;
}

async fn drop_database(url: &str) {
    if let Some((_, name)) = url.strip_prefix("postgres://").and_then(|rest| rest.rsplit_once('/')) {
        let admin = sqlx::PgPool::connect(&pg_admin_url()).await.expect("PostgreSQL is running");
        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&admin).await.expect("drop");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_starting_together_on_a_new_installation_agree_on_one_device_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(Engine::Sqlite, dir.path()).await;
    let home = dir.path().join("new-home");
    let starters: Vec<_> = (0..4)
        .map(|i| {
            let (url, home) = (url.clone(), home.clone());
            std::thread::spawn(move || {
                let input = json!({"name": format!("First start {i}")});
                expect_ok(&accord_op(&url, &home, "customers.create_organisation", &input), "create");
            })
        })
        .collect();
    for starter in starters {
        starter.join().expect("every process started");
    }
    let door = Door::open(&url, Uuid::now_v7()).await.expect("open");
    assert_eq!(scalar(&door, "SELECT COUNT(DISTINCT device_id) FROM change_log").await, 1, "one device id");
    let kept = std::fs::read_to_string(home.join("accord").join("device-id")).expect("the device id file");
    let conn = &door.database().conn;
    let sql = "SELECT device_id FROM change_log LIMIT 1";
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.expect("query");
    let used: Uuid = row.expect("an entry").try_get_by_index(0).expect("a uuid");
    assert_eq!(used.to_string(), kept.trim(), "the id in the file is the one every process used");
    let leftovers = std::fs::read_dir(home.join("accord")).expect("folder").filter_map(Result::ok);
    let names: Vec<String> = leftovers.map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "no candidate file left behind: {names:?}");
}

/// What `accord` wrote to stderr (its log and its error) for one run.
fn logged(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_password_in_a_database_address_never_reaches_the_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(ACCORD)
        .env("ACCORD_LOG", "trace")
        .env("XDG_DATA_HOME", dir.path())
        .env("HOME", dir.path())
        .args([
            "--db",
            "postgres://alice:Sup3r-S3cret@127.0.0.1:9/accord",
            "op",
            "search.query",
            "--json",
            "{\"text\":\"a\"}",
        ])
        .output()
        .expect("start accord");
    assert!(!output.status.success(), "nothing listens on port 9");
    let log = logged(&output);
    assert!(log.contains("database_unavailable"), "{log}");
    assert!(!log.contains("Sup3r-S3cret"), "the password leaked: {log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_error_is_logged_in_detail_under_the_incident_id_the_user_sees() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(Engine::Sqlite, dir.path()).await;
    let door = Door::open(&url, Uuid::now_v7()).await.expect("migrate");
    // Damage the database the way a failing disk or a foreign tool could.
    door.database().conn.execute_unprepared("DROP TABLE search_fts").await.expect("drop");
    drop(door);

    let mut command = Command::new(ACCORD);
    command.env("ACCORD_LOG", "info").env("XDG_DATA_HOME", dir.path()).env("HOME", dir.path());
    let output =
        command.args(["--db", &url, "op", "search.query", "--json", "{\"text\":\"acme\"}"]).output().expect("run");
    let log = logged(&output);
    let error_start = log.find('{').expect("the error as JSON after the log lines");
    let error: Value = serde_json::from_str(&log[error_start..]).expect("the error");
    assert_eq!(error["code"], "internal");
    let message = error["message"].as_str().expect("message");
    let incident =
        message.split("incident ").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("an incident id");
    let detail_line =
        log.lines().find(|line| line.contains(incident) && line.contains("database error")).expect("logged");
    assert!(detail_line.contains("search_fts"), "the log keeps the detail: {detail_line}");
    assert!(!message.contains("search_fts"), "the user's message does not: {message}");
}

/// `accord op` as a given user, the password in the environment as a script would pass it.
fn accord_op_as(url: &str, home: &Path, login: Option<&str>, password: &str, op: &str, input: &Value) -> Output {
    let mut command = Command::new(ACCORD);
    command.env("XDG_DATA_HOME", home).env("XDG_CONFIG_HOME", home).env("HOME", home).env("ACCORD_PASSWORD", password);
    if let Some(login) = login {
        command.args(["--login", login]);
    }
    command.args(["--db", url, "op", op, "--json", &input.to_string()]).output().expect("start accord")
}

fn error_code(output: &Output) -> String {
    assert!(!output.status.success(), "expected a refusal, got {}", String::from_utf8_lossy(&output.stdout));
    let error: Value = serde_json::from_slice(&output.stderr).expect("a JSON error");
    error["code"].as_str().unwrap_or_default().to_owned()
}

/// A script signs in as a user: its changes carry that user's name, its rights are the
/// user's role's, and a wrong password or a deactivated user is refused; on a team server
/// with users, nobody cannot act at all.
#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_acts_as_its_signed_in_user_with_that_users_rights(#[case] engine: Engine) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database(engine, dir.path()).await;
    let door = Door::open(&url, Uuid::now_v7()).await.expect("migrate");
    let owner = Actor::local_owner();
    let roles = door.dispatch(&owner, "security.list_roles", json!({})).await.expect("roles");
    let role =
        |key: &str| roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == key).unwrap()["id"].clone();
    let password = "Script-password-1";
    for (login, key) in [("anna", "sales"), ("olga", "auditor")] {
        let input =
            json!({"login": login, "display_name": login.to_uppercase(), "password": password, "role_id": role(key)});
        door.dispatch(&owner, "security.create_user", input).await.expect("user");
    }
    let home = dir.path().join("home");
    let create = json!({"name": "Scripted Ltd"});
    let saved = expect_ok(
        &accord_op_as(&url, &home, Some("anna"), password, "customers.create_organisation", &create),
        "anna creates",
    );
    let id = saved["organisation"]["id"].clone();
    let history =
        door.dispatch(&owner, "history.record", json!({"table": "organisations", "id": id})).await.expect("history");
    assert_eq!(history["entries"][0]["actor_name"], "ANNA");

    let refused = accord_op_as(&url, &home, Some("olga"), password, "customers.create_organisation", &create);
    assert_eq!(error_code(&refused), "permission_denied", "an auditor reads only");
    let refused =
        accord_op_as(&url, &home, Some("anna"), "not-her-password", "customers.list_organisations", &json!({}));
    assert_eq!(error_code(&refused), "sign_in_failed");
    let anonymous = accord_op_as(&url, &home, None, "", "customers.list_organisations", &json!({}));
    match engine {
        Engine::Postgres => assert_eq!(error_code(&anonymous), "signed_out", "a team server does not serve nobody"),
        Engine::Sqlite => {
            expect_ok(&anonymous, "the owner of a local file");
        }
    }
    let users = door.dispatch(&owner, "security.list_users", json!({})).await.expect("users");
    let anna = users["users"].as_array().unwrap().iter().find(|u| u["login"] == "anna").unwrap()["id"].clone();
    door.dispatch(&owner, "security.deactivate_user", json!({"user_id": anna})).await.expect("deactivate");
    let refused = accord_op_as(&url, &home, Some("anna"), password, "customers.list_organisations", &json!({}));
    assert_eq!(error_code(&refused), "permission_denied", "a deactivated user cannot sign in");
}
