//! The efficiency report (SEC-6) on both engines: per person and period, sign-ins, failed
//! sign-ins, audited actions and records changed, checked against counts read straight from
//! the audit log and the change log; and its XLSX export, read back by an independent reader.

mod common;

use std::io::Cursor;

use accord_core::data::Engine;
use accord_core::{Actor, ErrorCode};
use accord_security::sessions::Credentials;
use base64::Engine as _;
use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, Utc};
use common::TestDb;
use rstest::rstest;
use serde_json::{Value, json};

const PASSWORD: &str = "Correct-horse-42";

async fn user(db: &TestDb, login: &str, name: &str, role: &str) -> Actor {
    let role_id = db.built_in_role_id(role).await;
    db.ok(
        "security.create_user",
        json!({"login": login, "display_name": name, "password": PASSWORD, "role_id": role_id}),
    )
    .await;
    sign_in(db, login, PASSWORD).await.expect("signs in")
}

async fn sign_in(db: &TestDb, login: &str, password: &str) -> Result<Actor, accord_core::ApiError> {
    let credentials = Credentials {
        login: login.into(),
        password: password.into(),
        second_factor: None,
        remember: false,
        os_account: "t".into(),
        machine: "m".into(),
    };
    db.door.sign_in(credentials).await.map(|signed_in| signed_in.actor)
}

/// What `actor` wrote to the change log, counted straight from it.
async fn changes_by(db: &TestDb, actor: &Actor) -> i64 {
    let conn = &db.door.database().conn;
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT COUNT(*) FROM change_log WHERE actor_id = $1",
        _ => "SELECT COUNT(*) FROM change_log WHERE actor_id = ?",
    };
    let row = conn.query_one_raw(Statement::from_sql_and_values(backend, sql, [actor.user_id.into()])).await.unwrap();
    row.unwrap().try_get_by_index::<i64>(0).unwrap()
}

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    let conn = &db.door.database().conn;
    use sea_orm::{ConnectionTrait, Statement};
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await.unwrap();
    row.unwrap().try_get_by_index::<i64>(0).unwrap()
}

fn period(hours_before: i64, hours_after: i64) -> Value {
    json!({"from": Utc::now() - Duration::hours(hours_before), "to": Utc::now() + Duration::hours(hours_after)})
}

fn person<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["display_name"] == name)
        .unwrap_or_else(|| panic!("{name} in {report}"))
}

/// Anna (sales) signs in twice and creates two organisations; Boris (a manager) signs in once, mistypes his
/// password once, creates one and archives it; someone tries a login that does not exist.
async fn a_day_at_work(db: &TestDb) -> (Actor, Actor) {
    let anna = user(db, "anna", "Анна Петрова", "sales").await;
    sign_in(db, "anna", PASSWORD).await.unwrap();
    let boris = user(db, "boris", "=HYPERLINK(\"http://evil.example\")", "manager").await;
    sign_in(db, "boris", "not-his-password").await.unwrap_err();
    sign_in(db, "nobody", PASSWORD).await.unwrap_err();
    for name in ["Kafe Roma", "شرکت آرمان"] {
        db.door.dispatch(&anna, "customers.create_organisation", json!({"name": name})).await.unwrap();
    }
    let saved = db.door.dispatch(&boris, "customers.create_organisation", json!({"name": "Brief Ltd"})).await.unwrap();
    let organisation = &saved["organisation"];
    db.door
        .dispatch(
            &boris,
            "customers.archive_organisation",
            json!({"id": organisation["id"], "version": organisation["version"]}),
        )
        .await
        .unwrap();
    (anna, boris)
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn the_report_counts_what_each_person_did_in_the_period(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let (anna, boris) = a_day_at_work(&db).await;
    let report = db.ok("audit.efficiency", period(1, 1)).await;

    let a = person(&report, "Анна Петрова");
    assert_eq!(a["sign_ins"], 2);
    assert_eq!(a["failed_sign_ins"], 0);
    let anna_changes = changes_by(&db, &anna).await;
    assert!(anna_changes >= 2, "two organisations are at least two changed records");
    assert_eq!(a["records_changed"], anna_changes);
    let created =
        a["operations"].as_array().unwrap().iter().find(|o| o["operation"] == "customers.create_organisation");
    assert_eq!(created.unwrap()["records_changed"], anna_changes);
    assert!(a["last_activity_at"].is_string());

    let b = person(&report, "=HYPERLINK(\"http://evil.example\")");
    assert_eq!(b["sign_ins"], 1);
    assert_eq!(b["failed_sign_ins"], 1);
    assert_eq!(b["actions"], 1, "archiving is an audited action; signing in is counted apart");
    let boris_changes = changes_by(&db, &boris).await;
    assert_eq!(b["records_changed"], boris_changes);
    let archived =
        b["operations"].as_array().unwrap().iter().find(|o| o["operation"] == "customers.archive_organisation");
    assert_eq!(archived.unwrap()["actions"], 1);

    // The unknown login's failure belongs to nobody, and is still counted.
    let not_users = report["people"].as_array().unwrap().iter().filter(|p| p["display_name"].is_null());
    assert!(not_users.clone().any(|p| p["failed_sign_ins"].as_u64().unwrap() >= 1), "{report}");

    // One person only; a period before any of it; a period that ends before it starts.
    let only_anna =
        db.ok("audit.efficiency", json!({"from": report["from"], "to": report["to"], "user_id": anna.user_id})).await;
    assert_eq!(only_anna["people"].as_array().unwrap().len(), 1);
    assert_eq!(only_anna["people"][0]["display_name"], "Анна Петрова");
    let earlier = db.ok("audit.efficiency", period(5, -3)).await;
    assert_eq!(earlier["people"], json!([]), "nothing happened three hours ago");
    let err = db.call("audit.efficiency", period(-1, -1)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.fields.contains_key("to"), "{err:?}");
    let err = db.call("audit.efficiency", period(24 * 500, 0)).await.unwrap_err();
    assert!(err.fields.contains_key("to"), "a period longer than 400 days is refused: {err:?}");
    let err = db.door.dispatch(&anna, "audit.efficiency", period(1, 1)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied, "a sales user does not read colleagues' activity");
}

fn labels() -> Value {
    json!({
        "people_sheet": "کارکنان", "operations_sheet": "عملیات", "person": "شخص", "sign_ins": "ورود",
        "failed_sign_ins": "ورود ناموفق", "actions": "اقدامات", "records_changed": "رکوردهای تغییریافته",
        "last_activity": "آخرین فعالیت", "operation": "عملیات", "unknown_person": "ناشناس"
    })
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn the_xlsx_export_holds_the_report_reads_right_to_left_and_is_audited(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    a_day_at_work(&db).await;
    let input = json!({"report": period(1, 1), "labels": labels(), "right_to_left": true, "utc_offset_minutes": 210});
    let file = db.ok("audit.export_efficiency", input.clone()).await;
    assert!(file["file_name"].as_str().unwrap().ends_with(".xlsx"));
    let bytes = base64::engine::general_purpose::STANDARD.decode(file["content_base64"].as_str().unwrap()).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("a valid XLSX file");
    assert_eq!(book.sheet_names(), ["کارکنان", "عملیات"]);

    let people = book.worksheet_range("کارکنان").unwrap();
    let rows: Vec<&[Data]> = people.rows().collect();
    assert_eq!(rows[0][0], Data::String("شخص".into()));
    assert_eq!(rows[0][4], Data::String("رکوردهای تغییریافته".into()));
    let row_of = |name: &str| rows.iter().find(|r| r[0] == Data::String(name.into())).copied();
    let anna = row_of("Анна Петрова").expect("Anna's row");
    assert_eq!(anna[1], Data::Float(2.0), "two sign-ins");
    assert!(matches!(anna[5], Data::DateTime(_)), "the last activity is a date cell: {:?}", anna[5]);
    let boris = row_of("=HYPERLINK(\"http://evil.example\")").expect("a name that looks like a formula stays text");
    assert_eq!(boris[2], Data::Float(1.0));
    assert!(row_of("ناشناس").is_some(), "the unknown login's row is named in the user's words");
    let formulas = book.worksheet_formula("کارکنان").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell is a formula");

    let operations = book.worksheet_range("عملیات").unwrap();
    assert!(operations.rows().any(|r| r[1] == Data::String("customers.archive_organisation".into())));

    let audited = scalar(&db, "SELECT COUNT(*) FROM audit_log WHERE operation = 'audit.export_efficiency'").await;
    assert_eq!(audited, 1, "the export is in the audit log");

    let mut bad = input.clone();
    bad["labels"]["people_sheet"] = json!("a/b");
    bad["labels"]["person"] = json!(" ");
    let err = db.call("audit.export_efficiency", bad).await.unwrap_err();
    assert!(err.fields.contains_key("labels.people_sheet") && err.fields.contains_key("labels.person"), "{err:?}");
    let audited = scalar(&db, "SELECT COUNT(*) FROM audit_log WHERE operation = 'audit.export_efficiency'").await;
    assert_eq!(audited, 1, "a refused export leaves no entry");
}
