//! A laptop's replica made and synced by real `accord` processes against a real PostgreSQL
//! server (ADR 0014): a change made offline reaches the server and the server's reach the
//! laptop, and a pull killed midway resumes with nothing lost and nothing applied twice.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use accord_core::{Actor, Door};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

const ACCORD: &str = env!("CARGO_BIN_EXE_accord");

fn pg_admin_url() -> String {
    std::env::var("ACCORD_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

async fn new_server_database() -> String {
    let name = format!("accord_o_{}", Uuid::now_v7().simple());
    let admin = sqlx::PgPool::connect(&pg_admin_url()).await.expect("PostgreSQL is running");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.expect("create");
    let (base, _) = pg_admin_url().rsplit_once('/').map(|(b, d)| (b.to_owned(), d.to_owned())).expect("db path");
    format!("{base}/{name}")
}

/// `accord` as the laptop runs it: its own app-data folder (so its own device id).
fn accord(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(ACCORD);
    command.env("XDG_DATA_HOME", home).env("XDG_CONFIG_HOME", home).env("HOME", home).args(args);
    command
}

fn expect_ok(output: &Output, what: &str) -> Value {
    assert!(output.status.success(), "{what} failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

/// Every organisation's id, name, city and archive mark, in id order.
async fn organisations(url: &str) -> Vec<(Uuid, String, Option<String>, i32)> {
    let door = Door::open(url, Uuid::now_v7()).await.expect("open");
    let conn = &door.database().conn;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT id, name, city, CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END AS archived FROM organisations ORDER BY id"
                .to_owned(),
        ))
        .await
        .expect("organisations");
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "id").unwrap(),
                r.try_get("", "name").unwrap(),
                r.try_get("", "city").unwrap(),
                r.try_get("", "archived").unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_works_offline_and_syncs_through_the_cli() {
    let server = new_server_database().await;
    let office = Door::open(&server, Uuid::now_v7()).await.expect("migrate the server");
    let saved = office
        .dispatch(&Actor::local_owner(), "customers.create_organisation", json!({"name": "Vektor", "city": "Kazan"}))
        .await
        .expect("create");
    let vektor: Uuid = saved["organisation"]["id"].as_str().unwrap().parse().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("laptop");
    let replica = format!("sqlite:{}", dir.path().join("replica.sqlite3").display());
    let created = expect_ok(
        &accord(&home, &["--db", &replica, "replica", "create", "--server", &server]).output().unwrap(),
        "replica create",
    );
    assert_eq!(created["pulled"], 1);

    // Offline: the laptop edits; the office edits another field meanwhile.
    let input = json!({"id": vektor, "version": 1, "changes": {"name": "Vektor Group"}}).to_string();
    expect_ok(
        &accord(&home, &["--db", &replica, "op", "customers.update_organisation", "--json", &input]).output().unwrap(),
        "offline edit",
    );
    office
        .dispatch(
            &Actor::local_owner(),
            "customers.update_organisation",
            json!({"id": vektor, "version": 1, "changes": {"city": "Moscow"}}),
        )
        .await
        .expect("office edit");
    let status = expect_ok(&accord(&home, &["--db", &replica, "replica", "status"]).output().unwrap(), "status");
    assert_eq!(status["server_address"], server.as_str());

    let report = expect_ok(&accord(&home, &["--db", &replica, "sync", "--server", &server]).output().unwrap(), "sync");
    assert_eq!((report["pushed"].as_i64(), report["pending"].as_i64()), (Some(1), Some(0)), "{report}");
    let on_server = organisations(&server).await;
    assert_eq!(on_server, vec![(vektor, "Vektor Group".into(), Some("Moscow".into()), 0)]);
    assert_eq!(organisations(&replica).await, on_server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_killed_midway_resumes_with_nothing_lost_or_doubled() {
    let server = new_server_database().await;
    let seeded = Command::new(ACCORD)
        .args(["--db", &server, "seed", "--orgs", "20000", "--contacts", "0"])
        .output()
        .expect("seed");
    expect_ok(&seeded, "seed");

    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("laptop");
    let file = dir.path().join("replica.sqlite3");
    let replica = format!("sqlite:{}", file.display());
    let mut creating = accord(&home, &["--db", &replica, "replica", "create", "--server", &server])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start replica create");
    // Killed once part of the server's log is in: a page stored, the next one under way.
    let started = Instant::now();
    loop {
        if started.elapsed() > Duration::from_secs(60) {
            panic!("the replica never started pulling");
        }
        if pulled_so_far(&file).await > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    creating.kill().expect("kill");
    let _ = creating.wait();
    // Mostly between pages; now and then while the stored pages are being merged — both
    // must resume.
    let partial = pulled_so_far(&file).await;

    let report =
        expect_ok(&accord(&home, &["--db", &replica, "sync", "--server", &server]).output().unwrap(), "resume");
    assert_eq!(report["pulled"].as_i64().unwrap() + partial, 20000, "the rest, and only the rest: {report}");
    assert_eq!(organisations(&replica).await, organisations(&server).await);
    let again = expect_ok(&accord(&home, &["--db", &replica, "sync", "--server", &server]).output().unwrap(), "again");
    assert_eq!(again["pulled"], 0);
}

/// How many change-log entries a (possibly half-made) replica holds; 0 before it exists.
async fn pulled_so_far(file: &Path) -> i64 {
    if !file.exists() {
        return 0;
    }
    let Ok(pool) = sqlx::SqlitePool::connect(&format!("sqlite:{}?mode=ro", file.display())).await else { return 0 };
    let count = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM change_log").fetch_one(&pool).await.unwrap_or(0);
    pool.close().await;
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_upgraded_by_a_newer_accord_tells_the_laptop_to_update_and_nothing_is_applied() {
    let server = new_server_database().await;
    let office = Door::open(&server, Uuid::now_v7()).await.expect("migrate the server");
    let saved = office
        .dispatch(&Actor::local_owner(), "customers.create_organisation", json!({"name": "Vektor", "city": "Kazan"}))
        .await
        .expect("create");
    let vektor: Uuid = saved["organisation"]["id"].as_str().unwrap().parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("laptop");
    let replica = format!("sqlite:{}", dir.path().join("replica.sqlite3").display());
    expect_ok(
        &accord(&home, &["--db", &replica, "replica", "create", "--server", &server]).output().unwrap(),
        "replica create",
    );
    let input = json!({"id": vektor, "version": 1, "changes": {"city": "Tabriz"}}).to_string();
    expect_ok(
        &accord(&home, &["--db", &replica, "op", "customers.update_organisation", "--json", &input]).output().unwrap(),
        "offline edit",
    );

    // The office installs a newer Accord, which changes the server's schema.
    let conn = &office.database().conn;
    let future = "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_from_the_future', 0)";
    conn.execute_unprepared(future).await.expect("a newer schema");
    let before = server_log_size(conn).await;
    let refused = accord(&home, &["--db", &replica, "sync", "--server", &server]).output().unwrap();
    assert!(!refused.status.success(), "a laptop on an older Accord may not sync");
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("newer version of Accord") && said.contains("Install the newer Accord"), "{said}");
    assert_eq!(server_log_size(conn).await, before, "nothing applied on the server");
    let status = expect_ok(&accord(&home, &["--db", &replica, "replica", "status"]).output().unwrap(), "status");
    assert_eq!(status["pending"], 1, "the offline change waits on the laptop: {status}");

    // Once this laptop's Accord is as new as the server's (here: the server's newer step
    // taken back), it syncs as ever.
    conn.execute_unprepared("DELETE FROM seaql_migrations WHERE version = 'm20991231_000001_from_the_future'")
        .await
        .expect("back");
    let report = expect_ok(&accord(&home, &["--db", &replica, "sync", "--server", &server]).output().unwrap(), "sync");
    assert_eq!((report["pushed"].as_i64(), report["pending"].as_i64()), (Some(1), Some(0)), "{report}");
    assert_eq!(organisations(&server).await[0].2.as_deref(), Some("Tabriz"));
}

/// How many change-log entries the server holds, read on a connection opened before.
async fn server_log_size(conn: &sea_orm::DatabaseConnection) -> i64 {
    let count = Statement::from_string(conn.get_database_backend(), "SELECT COUNT(*) AS n FROM change_log");
    conn.query_one_raw(count).await.expect("count").expect("a row").try_get("", "n").expect("n")
}
