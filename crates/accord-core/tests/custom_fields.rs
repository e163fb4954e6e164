//! Custom fields (CUST-3) through the door, on a real SQLite file and a real PostgreSQL
//! database: an administrator adds, renames, orders, retires and restores fields; records hold
//! values checked by the field's kind; history, search, lists and imports carry them.

mod common;

use accord_core::data::Engine;
use accord_core::security::BuiltInRole;
use accord_core::{ApiError, FieldCode};
use common::TestDb;
use rstest::rstest;
use serde_json::{Value, json};

fn field_code(err: &ApiError, field: &str) -> FieldCode {
    err.fields.get(field).unwrap_or_else(|| panic!("no error on {field}: {err:?}")).code
}

async fn define(db: &TestDb, input: Value) -> Value {
    db.ok("fields.define", input).await
}

/// The fields every test here starts from: a text, a choice, a number on organisations.
async fn standard_fields(db: &TestDb) -> (Value, Value, Value) {
    let region = define(db, json!({"record_table": "organisations", "label": "Region", "kind": "text"})).await;
    let tier = define(
        db,
        json!({"record_table": "organisations", "label": "Tier", "kind": "choice",
               "choices": [{"label": "Gold"}, {"label": "Silver"}]}),
    )
    .await;
    let staff = define(db, json!({"record_table": "organisations", "label": "Employees", "kind": "number"})).await;
    (region, tier, staff)
}

async fn history_of(db: &TestDb, id: &Value) -> Vec<Value> {
    let history = db.ok("history.record", json!({"table": "organisations", "id": id})).await;
    history["entries"].as_array().unwrap().clone()
}

/// The value of `field` in each history entry that changed it, oldest first.
fn changes_of(entries: &[Value], field: &str) -> Vec<(Value, Value)> {
    let mut changes: Vec<(Value, Value)> = entries
        .iter()
        .flat_map(|e| e["fields"].as_array().unwrap().iter())
        .filter(|f| f["field"] == field)
        .map(|f| (f["old"].clone(), f["new"].clone()))
        .collect();
    changes.reverse();
    changes
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_custom_field_is_added_set_renamed_retired_and_restored_keeping_its_history(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let (region, tier, _) = standard_fields(&db).await;
    assert_eq!(region["key"], "region");
    assert_eq!(
        tier["choices"],
        json!([{"key": "gold", "label": "Gold", "retired": false}, {"key": "silver", "label": "Silver", "retired": false}])
    );

    let org = db
        .ok(
            "customers.create_organisation",
            json!({"name": "Nordwind", "custom": {"region": " Север ", "tier": "gold"}}),
        )
        .await["organisation"]
        .clone();
    assert_eq!(org["custom"], json!({"region": "Север", "tier": "gold"}), "trimmed, stored by key");
    let saved = db
        .ok(
            "customers.update_organisation",
            json!({"id": org["id"], "version": 1, "changes": {"custom": {"tier": "Silver", "region": null}}}),
        )
        .await["organisation"]
        .clone();
    assert_eq!(saved["custom"], json!({"tier": "silver"}), "a label picks its choice; null clears");

    let entries = history_of(&db, &org["id"]).await;
    assert_eq!(
        changes_of(&entries, "custom.region"),
        vec![(Value::Null, json!("Север")), (json!("Север"), Value::Null)]
    );
    assert_eq!(
        changes_of(&entries, "custom.tier"),
        vec![(Value::Null, json!("gold")), (json!("gold"), json!("silver"))]
    );

    // Renaming changes the label only: values are kept by key.
    let renamed = db.ok("fields.update", json!({"id": tier["id"], "version": 1, "label": "Customer tier"})).await;
    assert_eq!((renamed["label"].as_str(), renamed["key"].as_str()), (Some("Customer tier"), Some("tier")));
    let card = db.ok("customers.get_organisation", json!({"id": org["id"]})).await;
    assert_eq!(card["organisation"]["custom"]["tier"], "silver");
    let page = db.ok("customers.list_organisations", json!({})).await;
    assert_eq!(page["items"][0]["custom"], json!({"tier": "silver"}), "lists carry custom values for their columns");

    // Retired: no longer offered or settable; what records hold, and its history, stay.
    db.ok("fields.retire", json!({"id": tier["id"], "version": 2})).await;
    let offered = db.ok("fields.list", json!({"record_table": "organisations"})).await;
    let keys: Vec<&str> = offered["fields"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["region", "employees"]);
    let refused = db
        .call(
            "customers.update_organisation",
            json!({"id": org["id"], "version": 2, "changes": {"custom": {"tier": "gold"}}}),
        )
        .await
        .unwrap_err();
    assert_eq!(field_code(&refused, "custom.tier"), FieldCode::Archived);
    let card = db.ok("customers.get_organisation", json!({"id": org["id"]})).await;
    assert_eq!(card["organisation"]["custom"]["tier"], "silver", "retiring keeps the values");
    assert_eq!(changes_of(&history_of(&db, &org["id"]).await, "custom.tier").len(), 2);
    // Saving the record with the retired field's value unchanged is allowed.
    db.ok(
        "customers.update_organisation",
        json!({"id": org["id"], "version": 2, "changes": {"name": "Nordwind AG", "custom": {"tier": "silver"}}}),
    )
    .await;

    db.ok("fields.restore", json!({"id": tier["id"], "version": 3})).await;
    db.ok(
        "customers.update_organisation",
        json!({"id": org["id"], "version": 3, "changes": {"custom": {"tier": "gold"}}}),
    )
    .await;

    // Every change to a field is audited, and the field has a history of its own.
    let audit = db.ok("audit.list", json!({})).await;
    let operations: Vec<&str> =
        audit["entries"].as_array().unwrap().iter().map(|e| e["operation"].as_str().unwrap()).collect();
    for op in ["fields.define", "fields.update", "fields.retire", "fields.restore"] {
        assert!(operations.contains(&op), "{op} is audited: {operations:?}");
    }
    let field_history = db.ok("history.record", json!({"table": "custom_fields", "id": tier["id"]})).await;
    assert_eq!(field_history["entries"].as_array().unwrap().len(), 4);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn adding_a_field_rewrites_no_record(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let items: Vec<Value> = (0..300).map(|i| json!({"name": format!("Org {i}")})).collect();
    db.ok("customers.import_organisations", json!({"items": items})).await;
    let log_before = db.count("change_log").await;
    define(&db, json!({"record_table": "organisations", "label": "Region", "kind": "text"})).await;
    assert_eq!(db.count("change_log").await, log_before + 1, "only the field's own entry");
    let page = db.ok("customers.list_organisations", json!({"limit": 5})).await;
    for row in page["items"].as_array().unwrap() {
        assert_eq!(row["custom"], json!({}));
    }
    let org = db.ok("customers.get_organisation", json!({"id": page["items"][0]["id"]})).await;
    assert_eq!(org["organisation"]["version"], 1, "no record got a new version");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn each_kind_of_field_takes_only_its_kind_of_value_and_a_refusal_stores_nothing(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    standard_fields(&db).await;
    for (label, kind, extra) in [
        ("Revenue", "decimal", json!({})),
        ("Founded", "date", json!({})),
        ("Sectors", "multi_choice", json!({"choices": [{"label": "Food"}, {"label": "Retail"}, {"label": "Energy"}]})),
        ("Key account", "yes_no", json!({})),
        ("Main contact", "link", json!({"link_table": "contacts"})),
    ] {
        let mut input = json!({"record_table": "organisations", "label": label, "kind": kind});
        input.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        define(&db, input).await;
    }
    let contact = db.ok("customers.create_contact", json!({"first_name": "Ada"})).await["contact"].clone();

    // Good values, as people type them, are normalised.
    let org = db
        .ok(
            "customers.create_organisation",
            json!({"name": "Good", "custom": {
                "employees": "۱۲ ۰۰۰", "revenue": "1250,50", "founded": "۲۰۲۶-۰۱-۰۵",
                "sectors": ["retail", "Food", "retail"], "key_account": true, "main_contact": contact["id"]}}),
        )
        .await["organisation"]
        .clone();
    assert_eq!(
        org["custom"],
        json!({"employees": 12000, "revenue": "1250.50", "founded": "2026-01-05",
               "sectors": ["food", "retail"], "key_account": true, "main_contact": contact["id"]})
    );

    let before = db.footprint().await;
    let cases: Vec<(Value, &str, FieldCode)> = vec![
        (json!({"employees": "12a"}), "custom.employees", FieldCode::InvalidValue),
        (json!({"employees": 1.5}), "custom.employees", FieldCode::InvalidValue),
        (json!({"revenue": "12,5,0"}), "custom.revenue", FieldCode::InvalidValue),
        (json!({"revenue": true}), "custom.revenue", FieldCode::WrongType),
        (json!({"founded": "07/12/2026"}), "custom.founded", FieldCode::InvalidValue),
        (json!({"founded": "2026-02-30"}), "custom.founded", FieldCode::InvalidValue),
        (json!({"tier": "Platinum"}), "custom.tier", FieldCode::InvalidValue),
        (json!({"sectors": ["food", 3]}), "custom.sectors", FieldCode::WrongType),
        (json!({"key_account": "yes"}), "custom.key_account", FieldCode::WrongType),
        (json!({"main_contact": "not-an-id"}), "custom.main_contact", FieldCode::InvalidValue),
        (json!({"main_contact": uuid::Uuid::now_v7()}), "custom.main_contact", FieldCode::UnknownId),
        (json!({"region": "a\u{0}b"}), "custom.region", FieldCode::InvalidValue),
        (json!({"region": "x".repeat(1001)}), "custom.region", FieldCode::TooLong),
        (json!({"colour": "red"}), "custom.colour", FieldCode::UnknownField),
    ];
    for (custom, field, code) in cases {
        let err = db.call("customers.create_organisation", json!({"name": "Bad", "custom": custom})).await.unwrap_err();
        assert_eq!(field_code(&err, field), code, "{custom}: {err:?}");
        assert!(!err.fields[field].message.is_empty());
    }
    assert_eq!(db.footprint().await, before, "a refused record leaves nothing behind");

    // An import reports each row's problems under its item, and stores none of the rows.
    let err = db
        .call(
            "customers.import_organisations",
            json!({"items": [{"name": "Ok", "custom": {"tier": "gold"}}, {"name": "Bad", "custom": {"founded": "tomorrow"}},
                             {"name": "Gone", "custom": {"main_contact": uuid::Uuid::now_v7()}}]}),
        )
        .await
        .unwrap_err();
    assert_eq!(field_code(&err, "items.1.custom.founded"), FieldCode::InvalidValue);
    assert_eq!(field_code(&err, "items.2.custom.main_contact"), FieldCode::UnknownId);
    assert_eq!(db.footprint().await, before);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn persian_and_russian_fields_and_values_are_ordinary(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let persian = define(
        &db,
        json!({"record_table": "contacts", "label": "سطح مشتری", "kind": "choice",
               "choices": [{"label": "طلایی"}, {"label": "نقره‌ای"}]}),
    )
    .await;
    assert_eq!(persian["key"], "field_1", "a label without Latin letters gets a numbered key");
    assert_eq!(persian["choices"][1]["key"], "choice_2");
    let russian = define(&db, json!({"record_table": "contacts", "label": "Отрасль", "kind": "text"})).await;
    assert_eq!(russian["key"], "field_2");

    // Arabic yeh and kaf, as a Windows keyboard types them, pick the Persian label's choice.
    let contact = db
        .ok(
            "customers.create_contact",
            json!({"first_name": "مریم", "custom": {"field_1": "طلايي", "field_2": "Машиностроение"}}),
        )
        .await["contact"]
        .clone();
    assert_eq!(contact["custom"], json!({"field_1": "choice_1", "field_2": "Машиностроение"}));
    let hits = db.ok("search.query", json!({"text": "машиностро"})).await;
    assert_eq!(hits["hits"][0]["title"], "مریم", "custom text is searchable");

    // The same label twice is refused, in any letter variant.
    let err = db
        .call("fields.define", json!({"record_table": "contacts", "label": "سطح مشتري", "kind": "text"}))
        .await
        .unwrap_err();
    assert_eq!(field_code(&err, "label"), FieldCode::InvalidValue);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn fields_are_defined_only_by_administrators_and_bad_definitions_are_explained(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let (region, tier, staff) = standard_fields(&db).await;
    let sales = common::user(&db, "sam", BuiltInRole::Sales, None).await;
    let listed = db.door.dispatch(&sales, "fields.list", json!({})).await.expect("a salesperson sees the fields");
    assert_eq!(listed["fields"].as_array().unwrap().len(), 3);
    assert!(listed["targets"].as_array().unwrap().iter().any(|t| t["table"] == "contacts"));
    let refused = db
        .door
        .dispatch(&sales, "fields.define", json!({"record_table": "organisations", "label": "X", "kind": "text"}))
        .await
        .unwrap_err();
    assert_eq!(refused.code, accord_core::ErrorCode::PermissionDenied);

    let cases: Vec<(Value, &str, FieldCode)> = vec![
        (json!({"record_table": "audit_log", "label": "X", "kind": "text"}), "record_table", FieldCode::InvalidValue),
        (json!({"record_table": "organisations", "label": "  ", "kind": "text"}), "label", FieldCode::Required),
        (json!({"record_table": "organisations", "label": "region", "kind": "text"}), "label", FieldCode::InvalidValue),
        (
            json!({"record_table": "organisations", "label": "X", "kind": "text", "key": "Region!"}),
            "key",
            FieldCode::InvalidValue,
        ),
        (
            json!({"record_table": "organisations", "label": "X", "kind": "text", "key": "tier"}),
            "key",
            FieldCode::InvalidValue,
        ),
        (json!({"record_table": "organisations", "label": "X", "kind": "choice"}), "choices", FieldCode::Required),
        (
            json!({"record_table": "organisations", "label": "X", "kind": "choice", "choices": [{"label": "A"}, {"label": "a"}]}),
            "choices.1.label",
            FieldCode::InvalidValue,
        ),
        (
            json!({"record_table": "organisations", "label": "X", "kind": "text", "choices": [{"label": "A"}]}),
            "choices",
            FieldCode::InvalidValue,
        ),
        (json!({"record_table": "organisations", "label": "X", "kind": "link"}), "link_table", FieldCode::Required),
        (
            json!({"record_table": "organisations", "label": "X", "kind": "link", "link_table": "users"}),
            "link_table",
            FieldCode::InvalidValue,
        ),
    ];
    let before = db.count("custom_fields").await;
    for (input, field, code) in cases {
        let err = db.call("fields.define", input.clone()).await.unwrap_err();
        assert_eq!(field_code(&err, field), code, "{input}: {err:?}");
    }
    assert_eq!(db.count("custom_fields").await, before);

    // A choice in use cannot be dropped, only retired; the order is the administrator's.
    let err = db
        .call("fields.update", json!({"id": tier["id"], "version": 1, "choices": [{"key": "gold", "label": "Gold"}]}))
        .await
        .unwrap_err();
    assert_eq!(field_code(&err, "choices"), FieldCode::InvalidValue);
    let updated = db
        .ok(
            "fields.update",
            json!({"id": tier["id"], "version": 1, "choices": [
                {"key": "silver", "label": "Silver"}, {"key": "gold", "label": "Gold", "retired": true}, {"label": "Bronze"}]}),
        )
        .await;
    assert_eq!(updated["choices"][2], json!({"key": "bronze", "label": "Bronze", "retired": false}));
    let err =
        db.call("customers.create_organisation", json!({"name": "A", "custom": {"tier": "gold"}})).await.unwrap_err();
    assert_eq!(field_code(&err, "custom.tier"), FieldCode::InvalidValue, "a retired choice is no longer offered");

    let err = db
        .call("fields.reorder", json!({"record_table": "organisations", "ids": [staff["id"], region["id"]]}))
        .await
        .unwrap_err();
    assert_eq!(field_code(&err, "ids"), FieldCode::InvalidValue);
    db.ok("fields.reorder", json!({"record_table": "organisations", "ids": [staff["id"], region["id"], tier["id"]]}))
        .await;
    let listed = db.ok("fields.list", json!({"record_table": "organisations"})).await;
    let keys: Vec<&str> = listed["fields"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["employees", "region", "tier"]);
}
