//! Interactions (COMM-1, COMM-2) through the door, on a real SQLite file and a real
//! PostgreSQL database: what, when, with whom, how and who; a contact's, an organisation's and
//! an employee's history newest first, filtered and searched in Persian and Russian; the
//! administrator's list of topics; each kind of bad input refused with nothing stored; and
//! an interaction belonging to its responsible employee's reach.

mod common;

use accord_core::data::Engine;
use accord_core::security::{Actor, BuiltInRole};
use accord_core::{ErrorCode, FieldCode};
use chrono::{Duration, SecondsFormat, Utc};
use common::{TestDb, department, user};
use rstest::rstest;
use serde_json::{Value, json};

fn ago(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes)).to_rfc3339_opts(SecondsFormat::Millis, true)
}

struct Customer {
    topic: Value,
    organisation: Value,
    contact: Value,
}

async fn customer(db: &TestDb) -> Customer {
    let topic = db.ok("interactions.define_topic", json!({"name": "Поставка оборудования"})).await;
    let organisation =
        db.ok("customers.create_organisation", json!({"name": "پارس‌نیرو"})).await["organisation"].clone();
    let contact = db
        .ok(
            "customers.create_contact",
            json!({"first_name": "Мария", "last_name": "Иванова", "organisation_id": organisation["id"]}),
        )
        .await["contact"]
        .clone();
    Customer { topic, organisation, contact }
}

fn summaries(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|i| i["summary"].as_str().unwrap().to_owned()).collect()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_logged_call_is_in_the_contacts_the_organisations_and_the_employees_history(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let c = customer(&db).await;
    let log = |input: Value| db.ok("interactions.log", input);
    let call = log(json!({"topic_id": c.topic["id"], "channel": "phone", "contact_id": c.contact["id"],
        "summary": "Обсудили сроки поставки", "happened_at": ago(120)}))
    .await;
    assert_eq!(call["form"], "oral", "a call is oral unless said otherwise");
    assert_eq!(call["organisation_id"], c.organisation["id"], "the contact's organisation is the call's");
    assert_eq!(call["owner_id"], call["responsible_id"], "it is the responsible employee's");
    log(json!({"topic_id": c.topic["id"], "channel": "email", "organisation_id": c.organisation["id"],
        "summary": "ارسال پیش‌فاکتور برای مشتري", "happened_at": ago(60)}))
    .await;
    log(json!({"topic_id": c.topic["id"], "channel": "meeting", "form": "visual", "contact_id": c.contact["id"],
        "summary": "Показали образцы на встрече", "happened_at": ago(5)}))
    .await;

    let of_contact = db.ok("interactions.list", json!({"contact_id": c.contact["id"]})).await;
    assert_eq!(summaries(&of_contact), ["Показали образцы на встрече", "Обсудили сроки поставки"], "newest first");
    assert_eq!(of_contact["items"][0]["contact_name"], "Мария Иванова");
    assert_eq!(of_contact["items"][0]["organisation_name"], "پارس‌نیرو");
    assert_eq!(of_contact["items"][0]["form"], "visual");
    let of_organisation = db.ok("interactions.list", json!({"organisation_id": c.organisation["id"]})).await;
    assert_eq!(of_organisation["items"].as_array().unwrap().len(), 3, "its people's interactions too");
    let of_employee = db.ok("interactions.list", json!({"responsible_id": call["responsible_id"]})).await;
    assert_eq!(of_employee["items"].as_array().unwrap().len(), 3);

    // Filters: channel, topic, period; words with another yeh and without the ZWNJ.
    let by_channel =
        db.ok("interactions.list", json!({"organisation_id": c.organisation["id"], "channel": "email"})).await;
    assert_eq!(summaries(&by_channel), ["ارسال پیش‌فاکتور برای مشتري"]);
    let other = db.ok("interactions.define_topic", json!({"name": "Рекламация"})).await;
    let by_topic =
        db.ok("interactions.list", json!({"organisation_id": c.organisation["id"], "topic_id": other["id"]})).await;
    assert!(summaries(&by_topic).is_empty());
    let period = db
        .ok("interactions.list", json!({"organisation_id": c.organisation["id"], "from": ago(90), "to": ago(30)}))
        .await;
    assert_eq!(summaries(&period), ["ارسال پیش‌فاکتور برای مشتري"]);
    for text in ["پیشفاکتور مشتری", "ПОСТАВКИ", "сроки пост"] {
        let found = db.ok("interactions.list", json!({"organisation_id": c.organisation["id"], "text": text})).await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1, "{text} finds one: {found}");
    }
    let everywhere = db.ok("interactions.list", json!({"text": "образцы"})).await;
    assert_eq!(summaries(&everywhere), ["Показали образцы на встрече"], "across everyone's, by the index");
    let found = db.ok("search.query", json!({"text": "образцы"})).await;
    assert_eq!(found["hits"][0]["entity"], "interaction");

    // Pages both ways, newest first.
    let first = db.ok("interactions.list", json!({"organisation_id": c.organisation["id"], "limit": 2})).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let second = db
        .ok(
            "interactions.list",
            json!({"organisation_id": c.organisation["id"], "limit": 2, "after": first["next_cursor"]}),
        )
        .await;
    assert_eq!(summaries(&second), ["Обсудили сроки поставки"]);
    assert!(second["next_cursor"].is_null());
    let back = db
        .ok(
            "interactions.list",
            json!({"organisation_id": c.organisation["id"], "limit": 2, "before": second["prev_cursor"]}),
        )
        .await;
    assert_eq!(summaries(&back), summaries(&first));

    // A correction keeps its history; archiving hides it from the history, restoring brings it back.
    let fixed = db
        .ok(
            "interactions.update",
            json!({"id": call["id"], "version": 1, "changes": {"summary": "Обсудили сроки и цену"}}),
        )
        .await;
    assert_eq!(fixed["version"], 2);
    let history = db.ok("history.record", json!({"table": "interactions", "id": call["id"]})).await;
    let change = &history["entries"][0]["fields"][0];
    assert_eq!((change["field"].as_str(), change["new"].as_str()), (Some("summary"), Some("Обсудили сроки и цену")));
    db.ok("interactions.archive", json!({"id": call["id"], "version": 2})).await;
    let of_contact = db.ok("interactions.list", json!({"contact_id": c.contact["id"]})).await;
    assert_eq!(summaries(&of_contact), ["Показали образцы на встрече"]);
    let archived = db.ok("interactions.list", json!({"contact_id": c.contact["id"], "archived": true})).await;
    assert_eq!(summaries(&archived), ["Обсудили сроки и цену"]);
    db.ok("interactions.restore", json!({"id": call["id"], "version": 3})).await;
    let audit = db.ok("audit.list", json!({"operation": "interactions.archive"})).await;
    assert_eq!(audit["entries"].as_array().unwrap().len(), 1, "archiving is audited");

    // An old call stays with its contact after the contact is archived, and can still be corrected.
    let contact = db.ok("customers.get_contact", json!({"id": c.contact["id"]})).await;
    db.ok("customers.archive_contact", json!({"id": c.contact["id"], "version": contact["version"]})).await;
    db.ok("interactions.update", json!({"id": call["id"], "version": 4, "changes": {"channel": "visit"}})).await;
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn bad_input_is_refused_with_what_to_fix_and_nothing_stored(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let c = customer(&db).await;
    let retired = db.ok("interactions.define_topic", json!({"name": "Old topic"})).await;
    db.ok("interactions.retire_topic", json!({"id": retired["id"], "version": 1})).await;
    let gone = db.ok("customers.create_contact", json!({"first_name": "Gone"})).await["contact"].clone();
    db.ok("customers.archive_contact", json!({"id": gone["id"], "version": 1})).await;
    let elsewhere =
        db.ok("customers.create_organisation", json!({"name": "ООО «Другая»"})).await["organisation"].clone();
    let unknown = uuid::Uuid::now_v7();
    let base =
        json!({"topic_id": c.topic["id"], "channel": "phone", "contact_id": c.contact["id"], "summary": "Звонок"});
    let with = |changes: Value| {
        let mut input = base.clone();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                input.as_object_mut().unwrap().remove(k);
            } else {
                input[k] = v.clone();
            }
        }
        input
    };
    let cases = [
        (with(json!({"contact_id": null})), "contact_id", FieldCode::Required),
        (with(json!({"contact_id": unknown})), "contact_id", FieldCode::UnknownId),
        (with(json!({"contact_id": gone["id"]})), "contact_id", FieldCode::Archived),
        (with(json!({"organisation_id": elsewhere["id"]})), "organisation_id", FieldCode::InvalidValue),
        (with(json!({"topic_id": retired["id"]})), "topic_id", FieldCode::Archived),
        (with(json!({"topic_id": unknown})), "topic_id", FieldCode::UnknownId),
        (with(json!({"summary": " \u{200c}\u{200f} "})), "summary", FieldCode::Required),
        (with(json!({"summary": "a\u{0}b"})), "summary", FieldCode::InvalidValue),
        (
            with(json!({"happened_at": (Utc::now() + Duration::days(1)).to_rfc3339()})),
            "happened_at",
            FieldCode::InvalidValue,
        ),
        (with(json!({"responsible_id": unknown})), "responsible_id", FieldCode::UnknownId),
    ];
    let stored = (db.count("interactions").await, db.count("change_log").await);
    for (input, field, code) in cases {
        let err = db.call("interactions.log", input.clone()).await.expect_err(&format!("{input} is refused"));
        assert_eq!(err.code, ErrorCode::InvalidInput, "{input}: {err:?}");
        assert_eq!(err.fields.get(field).map(|f| f.code), Some(code), "{input}: {err:?}");
        assert!(!err.fields[field].message.is_empty());
    }
    let err = db.call("interactions.log", with(json!({"channel": "fax"}))).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "an unknown channel: {err:?}");
    let err = db.call("interactions.list", json!({"from": ago(10), "to": ago(20)})).await.unwrap_err();
    assert_eq!(err.fields["to"].code, FieldCode::InvalidValue, "a period that ends before it starts");
    assert_eq!((db.count("interactions").await, db.count("change_log").await), stored, "nothing stored");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn the_administrator_keeps_the_topics_each_name_once_and_audited(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let complaint = db.ok("interactions.define_topic", json!({"name": "شکایت مشتری"})).await;
    db.ok("interactions.define_topic", json!({"name": "Delivery"})).await;
    for twin in ["شكايت مشتري", "  DELIVERY ", "delivery\u{200f}"] {
        let err = db.call("interactions.define_topic", json!({"name": twin})).await.unwrap_err();
        assert_eq!(err.fields["name"].code, FieldCode::InvalidValue, "{twin} is the same topic: {err:?}");
    }
    let err = db.call("interactions.define_topic", json!({"name": ""})).await.unwrap_err();
    assert_eq!(err.fields["name"].code, FieldCode::Required);
    let renamed =
        db.ok("interactions.rename_topic", json!({"id": complaint["id"], "version": 1, "name": "Жалоба"})).await;
    db.ok("interactions.retire_topic", json!({"id": renamed["id"], "version": 2})).await;
    let active = db.ok("interactions.list_topics", json!({})).await;
    let names: Vec<&str> = active["topics"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Delivery"]);
    let all = db.ok("interactions.list_topics", json!({"include_retired": true})).await;
    assert_eq!(all["topics"].as_array().unwrap().len(), 2);
    // A retired name may be used again.
    db.ok("interactions.define_topic", json!({"name": "Жалоба"})).await;
    for op in ["interactions.define_topic", "interactions.rename_topic", "interactions.retire_topic"] {
        let audited = db.ok("audit.list", json!({"operation": op})).await;
        assert!(!audited["entries"].as_array().unwrap().is_empty(), "{op} is audited");
    }
    let sales = user(&db, "salma", BuiltInRole::Sales, None).await;
    let err = db.door.dispatch(&sales, "interactions.define_topic", json!({"name": "Mine"})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied, "only the administrator keeps the list");
    let listed = db.door.dispatch(&sales, "interactions.list_topics", json!({})).await.unwrap();
    assert_eq!(listed["topics"].as_array().unwrap().len(), 2, "everyone who logs reads it");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn an_interaction_is_its_responsible_employees_and_seen_within_their_reach(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let c = customer(&db).await;
    let sales = department(&db, "Sales", None).await;
    let north = department(&db, "Sales North", Some(&sales)).await;
    let service = department(&db, "Service", None).await;
    let anna = user(&db, "anna", BuiltInRole::Sales, Some(&north)).await;
    let alex = user(&db, "alex", BuiltInRole::Sales, Some(&north)).await;
    let boris = user(&db, "boris", BuiltInRole::Manager, Some(&sales)).await;
    let sergei = user(&db, "sergei", BuiltInRole::ServiceDesk, Some(&service)).await;
    let call = |actor: &Actor, input: Value| {
        let actor = actor.clone();
        let db = &db;
        async move { db.door.dispatch(&actor, "interactions.log", input).await }
    };
    let annas = call(
        &anna,
        json!({"topic_id": c.topic["id"], "channel": "phone", "organisation_id": c.organisation["id"],
        "summary": "Anna's call"}),
    )
    .await
    .unwrap();
    assert_eq!(annas["department_id"], north);
    // Boris logs a meeting Anna held: it is hers, in her department.
    let on_her_behalf = call(
        &boris,
        json!({"topic_id": c.topic["id"], "channel": "meeting", "organisation_id": c.organisation["id"],
        "summary": "Anna's meeting", "responsible_id": anna.user_id}),
    )
    .await
    .unwrap();
    assert_eq!((&on_her_behalf["owner_id"], &on_her_behalf["department_id"]), (&json!(anna.user_id), &north));
    let history = |actor: &Actor| {
        let actor = actor.clone();
        let db = &db;
        let organisation = c.organisation["id"].clone();
        async move {
            let page = db.door.dispatch(&actor, "interactions.list", json!({"organisation_id": organisation})).await;
            summaries(&page.unwrap())
        }
    };
    assert_eq!(history(&anna).await, ["Anna's meeting", "Anna's call"]);
    assert_eq!(history(&boris).await, ["Anna's meeting", "Anna's call"], "her manager sees the department's");
    assert!(history(&alex).await.is_empty(), "a colleague without department rights sees only their own");
    assert!(history(&sergei).await.is_empty(), "another department's are out of reach");
    let err = db.door.dispatch(&alex, "interactions.get", json!({"id": annas["id"]})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    let of_anna = db.door.dispatch(&boris, "interactions.list", json!({"responsible_id": anna.user_id})).await.unwrap();
    assert_eq!(summaries(&of_anna).len(), 2, "the employee's history");

    // A deactivated colleague cannot be made responsible.
    db.ok("security.deactivate_user", json!({"user_id": sergei.user_id})).await;
    let err = call(
        &boris,
        json!({"topic_id": c.topic["id"], "channel": "phone", "organisation_id": c.organisation["id"],
        "summary": "x", "responsible_id": sergei.user_id}),
    )
    .await
    .unwrap_err();
    assert_eq!(err.fields["responsible_id"].code, FieldCode::InvalidValue);
}
