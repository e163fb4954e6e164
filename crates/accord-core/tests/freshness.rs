//! Data freshness (CUST-6) through the door, on a real SQLite file and a real PostgreSQL
//! database: one's own records not confirmed for longer than their kind allows are listed,
//! oldest first, and counted; an administrator's rule changes the months (audited);
//! confirming is one action with its history; bad input is refused with nothing changed.

mod common;

use accord_core::data::Engine;
use accord_core::{ErrorCode, FieldCode};
use chrono::{Months, Utc};
use common::TestDb;
use rstest::rstest;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// Sets a column of a record to a moment, as if it had been written then.
async fn backdate(db: &TestDb, table: &str, id: &Value, column: &str, months_ago: u32) {
    let conn = &db.door.database().conn;
    let at = Utc::now().checked_sub_months(Months::new(months_ago)).unwrap();
    let id: uuid::Uuid = serde_json::from_value(id.clone()).unwrap();
    let sql = match db.engine {
        Engine::Postgres => format!("UPDATE {table} SET {column} = $1 WHERE id = $2"),
        _ => format!("UPDATE {table} SET {column} = ? WHERE id = ?"),
    };
    conn.execute_raw(Statement::from_sql_and_values(conn.get_database_backend(), sql, [at.into(), id.into()]))
        .await
        .unwrap();
}

fn titles(stale: &Value, table: &str) -> Vec<String> {
    let kind = stale["kinds"].as_array().unwrap().iter().find(|k| k["table"] == table).unwrap();
    kind["records"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_owned()).collect()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn own_records_not_confirmed_for_too_long_are_flagged_and_confirmed_in_one_action(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let org = |name: &str| db.ok("customers.create_organisation", json!({"name": name}));
    let old_org = org("ООО «Старая»").await["organisation"].clone();
    let fresh_org = org("پارس‌نیرو").await["organisation"].clone();
    let someone_elses = org("Someone Else's Ltd").await["organisation"].clone();
    let contact = |first: &str| {
        db.ok("customers.create_contact", json!({"first_name": first, "organisation_id": fresh_org["id"]}))
    };
    let never = contact("Никогда").await["contact"].clone();
    let lately = contact("Lately").await["contact"].clone();
    backdate(&db, "organisations", &old_org["id"], "created_at", 14).await;
    backdate(&db, "organisations", &someone_elses["id"], "created_at", 30).await;
    db.exec("UPDATE organisations SET owner_id = NULL WHERE name = 'Someone Else''s Ltd'").await;
    backdate(&db, "contacts", &never["id"], "created_at", 13).await;
    backdate(&db, "contacts", &lately["id"], "created_at", 20).await;
    backdate(&db, "contacts", &lately["id"], "confirmed_at", 2).await;

    let rules = db.ok("freshness.rules", json!({})).await;
    assert_eq!(
        rules["rules"],
        json!([{"table": "organisations", "months": 12, "set": false}, {"table": "contacts", "months": 12, "set": false}])
    );
    let stale = db.ok("freshness.stale", json!({})).await;
    assert_eq!(
        titles(&stale, "organisations"),
        ["ООО «Старая»"],
        "one's own, older than 12 months; not the fresh one, not someone else's"
    );
    assert_eq!(titles(&stale, "contacts"), ["Никогда"], "confirmed two months ago is current");
    assert_eq!(stale["total"], 2);

    // A stricter rule for contacts: confirmed two months ago is stale now, after the older one.
    let set = db.ok("freshness.set_rule", json!({"table": "contacts", "months": 1})).await;
    assert_eq!(set["rules"][1], json!({"table": "contacts", "months": 1, "set": true}));
    let stale = db.ok("freshness.stale", json!({"table": "contacts"})).await;
    assert_eq!(titles(&stale, "contacts"), ["Никогда", "Lately"], "the oldest first");
    let audited = db.ok("audit.list", json!({"operation": "freshness.set_rule"})).await;
    assert_eq!(audited["entries"].as_array().unwrap().len(), 1);

    // Confirming is one action: the record leaves the list, and its history says so.
    let current = db.ok("customers.get_contact", json!({"id": never["id"]})).await;
    let confirmed = db
        .ok("freshness.confirm", json!({"table": "contacts", "id": never["id"], "version": current["version"]}))
        .await;
    assert_eq!(confirmed["version"], current["version"].as_i64().unwrap() + 1);
    assert_eq!(titles(&db.ok("freshness.stale", json!({"table": "contacts"})).await, "contacts"), ["Lately"]);
    let history = db.ok("history.record", json!({"table": "contacts", "id": never["id"]})).await;
    assert!(history.to_string().contains("confirmed_at"), "{history}");

    // Bad input changes nothing.
    let months = db.call("freshness.set_rule", json!({"table": "contacts", "months": 0})).await.unwrap_err();
    assert_eq!(months.fields["months"].code, FieldCode::InvalidValue);
    let table = db.call("freshness.set_rule", json!({"table": "audit_log", "months": 6})).await.unwrap_err();
    assert_eq!(table.fields["table"].code, FieldCode::InvalidValue);
    let stale_version =
        db.call("freshness.confirm", json!({"table": "contacts", "id": lately["id"], "version": 0})).await.unwrap_err();
    assert_eq!(stale_version.code, ErrorCode::Conflict);
    assert_eq!(titles(&db.ok("freshness.stale", json!({"table": "contacts"})).await, "contacts"), ["Lately"]);
}
