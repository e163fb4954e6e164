//! Tasks (COMM-5) and workflow rules (COMM-6) through the door, on a real SQLite file and a
//! real PostgreSQL database, with a clock the test sets: a task handed on, returned and
//! accepted with its chain kept; overdue tasks counted per person and department within
//! reach; rules firing once per event — a new record notifying a person natively, a field set
//! to a value giving its owner a task, a birthday and a contract's end on their days, never
//! twice, also after a restart — and the rules refused with nothing stored: one that would loop,
//! and each kind of bad definition.

mod common;

use accord_core::data::Engine;
use accord_core::reminders;
use accord_core::security::{Actor, BuiltInRole};
use accord_core::settings::language::Language;
use accord_core::{ApiError, ErrorCode, FieldCode};
use common::clock::{clocked, set_now};
use common::{TestDb, department, user};
use rstest::rstest;
use serde_json::{Value, json};

async fn as_(db: &TestDb, actor: &Actor, op: &str, input: Value) -> Result<Value, ApiError> {
    db.door.dispatch(actor, op, input).await
}

async fn ok_as(db: &TestDb, actor: &Actor, op: &str, input: Value) -> Value {
    as_(db, actor, op, input.clone()).await.unwrap_or_else(|e| panic!("{op} {input} failed: {e:?}"))
}

fn field_code(err: &ApiError, field: &str) -> FieldCode {
    err.fields.get(field).unwrap_or_else(|| panic!("no error on {field}: {err:?}")).code
}

/// Runs the date rules as a window does; how many fired.
async fn run(db: &TestDb) -> u64 {
    db.ok("workflow.run_due", json!({})).await["fired"].as_u64().unwrap()
}

fn id(v: &Value) -> Value {
    v["id"].clone()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_task_is_handed_on_returned_and_accepted_with_its_chain_kept(#[case] engine: Engine) {
    set_now("2026-12-07T08:00:00Z");
    let db = clocked(engine).await;
    let sales = department(&db, "Продажи", None).await;
    let boss = user(&db, "nadia", BuiltInRole::Manager, Some(&sales)).await;
    let olga = user(&db, "olga", BuiltInRole::Sales, Some(&sales)).await;
    let reza = user(&db, "reza", BuiltInRole::Sales, Some(&sales)).await;
    let task = ok_as(
        &db,
        &boss,
        "tasks.create",
        json!({"title": "Подготовить КП для «Ромашки»", "responsible_id": olga.user_id, "controller_id": boss.user_id,
               "deadline": "2026-12-10T15:00:00Z"}),
    )
    .await;
    assert_eq!((task["status"].as_str(), task["owner_id"].as_str()), (Some("open"), Some(&*olga.user_id.to_string())));

    // Olga hands it on to Reza; the chain keeps who, to whom, when and why.
    let handed = ok_as(
        &db,
        &olga,
        "tasks.delegate",
        json!({"id": id(&task), "version": 1, "to_id": reza.user_id, "note": "Reza knows the client"}),
    )
    .await;
    assert_eq!(handed["responsible_id"], json!(reza.user_id));
    assert_eq!(handed["owner_id"], json!(reza.user_id), "it is in Reza's lists now");
    let chain = handed["delegations"].as_array().unwrap();
    assert_eq!(chain.len(), 1);
    assert_eq!((chain[0]["from_id"].clone(), chain[0]["to_id"].clone()), (json!(olga.user_id), json!(reza.user_id)));
    assert_eq!(chain[0]["note"], "Reza knows the client");
    let mine = ok_as(&db, &reza, "tasks.list", json!({})).await;
    assert_eq!(mine["tasks"].as_array().unwrap().len(), 1);
    let delegated = ok_as(&db, &olga, "tasks.list", json!({"view": "delegated"})).await;
    assert_eq!(delegated["tasks"][0]["id"], id(&task), "Olga still sees what she handed on");
    assert_eq!(ok_as(&db, &olga, "tasks.list", json!({})).await["tasks"].as_array().unwrap().len(), 0);

    // Only the person responsible hands in; only the controller accepts or returns.
    let refused = as_(&db, &olga, "tasks.submit", json!({"id": id(&task), "version": 2, "result": "done"})).await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::PermissionDenied);
    let submitted =
        ok_as(&db, &reza, "tasks.submit", json!({"id": id(&task), "version": 2, "result": "КП отправлено"})).await;
    assert_eq!(submitted["status"], "submitted", "with a controller, handing in waits for them");
    let refused = as_(&db, &reza, "tasks.accept", json!({"id": id(&task), "version": 3})).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::PermissionDenied);
    let waiting = ok_as(&db, &boss, "tasks.list", json!({"view": "controlled", "progress": "submitted"})).await;
    assert_eq!(waiting["tasks"][0]["responsible_name"], "reza");

    let returned = ok_as(
        &db,
        &boss,
        "tasks.return",
        json!({"id": id(&task), "version": 3, "note": "Добавьте сроки поставки", "deadline": "2026-12-11T15:00:00Z"}),
    )
    .await;
    assert_eq!(
        (returned["status"].as_str(), returned["return_note"].as_str()),
        (Some("open"), Some("Добавьте сроки поставки"))
    );
    assert_eq!(returned["deadline"], "2026-12-11T15:00:00Z");
    ok_as(&db, &reza, "tasks.submit", json!({"id": id(&task), "version": 4, "result": "КП со сроками"})).await;
    let done = ok_as(&db, &boss, "tasks.accept", json!({"id": id(&task), "version": 5})).await;
    assert_eq!(done["status"], "done");
    assert_eq!(done["finished_at"], "2026-12-07T08:00:00Z");
    assert_eq!(done["result"], "КП со сроками");
    let finished = as_(&db, &reza, "tasks.delegate", json!({"id": id(&task), "version": 6, "to_id": olga.user_id}))
        .await
        .unwrap_err();
    assert_eq!(finished.code, ErrorCode::InvalidInput, "a finished task stays as it is");

    // Without a controller, handing in finishes it.
    let own =
        ok_as(&db, &olga, "tasks.create", json!({"title": "Позвонить", "deadline": "2026-12-08T09:00:00Z"})).await;
    let own = ok_as(&db, &olga, "tasks.submit", json!({"id": id(&own), "version": 1, "result": "Позвонила"})).await;
    assert_eq!(own["status"], "done");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_bad_task_is_refused_on_its_field_with_nothing_stored(#[case] engine: Engine) {
    set_now("2026-12-07T08:00:00Z");
    let db = clocked(engine).await;
    let team = department(&db, "Sales", None).await;
    let ann = user(&db, "ann", BuiltInRole::Sales, Some(&team)).await;
    let before = db.count("tasks").await;
    let cases = [
        (json!({"title": "  ", "deadline": "2026-12-08T09:00:00Z"}), "title"),
        (json!({"title": "Call", "deadline": "2026-12-06T09:00:00Z"}), "deadline"),
        (json!({"title": "Call", "deadline": "2026-12-08T09:00:00Z", "controller_id": ann.user_id}), "controller_id"),
        (
            json!({"title": "Call", "deadline": "2026-12-08T09:00:00Z", "responsible_id": uuid::Uuid::now_v7()}),
            "responsible_id",
        ),
        (
            json!({"title": "Call", "deadline": "2026-12-08T09:00:00Z", "contact_id": uuid::Uuid::now_v7()}),
            "contact_id",
        ),
    ];
    for (input, field) in cases {
        let err = as_(&db, &ann, "tasks.create", input.clone()).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{input}");
        assert!(err.fields.contains_key(field), "{input}: {err:?}");
    }
    assert_eq!(db.count("tasks").await, before, "nothing stored");
    let task = ok_as(&db, &ann, "tasks.create", json!({"title": "Call", "deadline": "2026-12-08T09:00:00Z"})).await;
    let err = as_(&db, &ann, "tasks.delegate", json!({"id": id(&task), "version": 1, "to_id": ann.user_id}))
        .await
        .unwrap_err();
    assert_eq!(field_code(&err, "to_id"), FieldCode::InvalidValue, "already hers");
    let err = as_(&db, &ann, "tasks.return", json!({"id": id(&task), "version": 1, "note": "x"})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied, "no controller to return it");
    assert_eq!(db.ok("tasks.get", json!({"id": id(&task)})).await["version"], 1, "unchanged");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn overdue_tasks_are_counted_per_person_and_department_within_reach(#[case] engine: Engine) {
    set_now("2026-12-07T08:00:00Z");
    let db = clocked(engine).await;
    let sales = department(&db, "Sales", None).await;
    let service = department(&db, "Service", None).await;
    let boss = user(&db, "boss", BuiltInRole::Manager, Some(&sales)).await;
    let ann = user(&db, "ann", BuiltInRole::Sales, Some(&sales)).await;
    let bob = user(&db, "bob", BuiltInRole::Sales, Some(&sales)).await;
    let sam = user(&db, "sam", BuiltInRole::ServiceDesk, Some(&service)).await;
    for (who, deadline) in [
        (&ann, "2026-12-07T12:00:00Z"),
        (&ann, "2026-12-09T12:00:00Z"),
        (&ann, "2026-12-07T09:00:00Z"),
        (&bob, "2026-12-07T10:00:00Z"),
        (&sam, "2026-12-07T10:00:00Z"),
    ] {
        ok_as(&db, who, "tasks.create", json!({"title": "Follow up", "deadline": deadline})).await;
    }
    set_now("2026-12-08T08:00:00Z");
    let counts = ok_as(&db, &boss, "tasks.overdue", json!({})).await;
    let people: Vec<(String, i64, i64)> = counts["by_person"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_owned(), c["open"].as_i64().unwrap(), c["overdue"].as_i64().unwrap()))
        .collect();
    assert_eq!(people, vec![("ann".to_owned(), 3, 2), ("bob".to_owned(), 1, 1)], "Service's task is out of reach");
    assert_eq!(counts["by_department"], json!([{"id": sales, "name": "Sales", "open": 4, "overdue": 3}]));
    let everyone = db.ok("tasks.overdue", json!({})).await;
    assert_eq!(everyone["by_department"].as_array().unwrap().len(), 2, "the owner sees both departments");
    let late = ok_as(&db, &ann, "tasks.list", json!({"progress": "overdue"})).await;
    let late: Vec<&Value> = late["tasks"].as_array().unwrap().iter().collect();
    assert_eq!(late.len(), 2);
    assert!(late.iter().all(|t| t["overdue"] == true));
    assert_eq!(late[0]["deadline"], "2026-12-07T09:00:00Z", "the most overdue first");
}

/// What a notifier was asked to show, in order.
#[derive(Default)]
struct Shown(std::sync::Mutex<Vec<reminders::Notification>>);

impl reminders::Notifier for Shown {
    fn show(&self, notification: &reminders::Notification) -> Result<(), String> {
        self.0.lock().unwrap().push(notification.clone());
        Ok(())
    }
}

/// A rule as `workflow.define` takes it.
fn rule(name: &str, table: &str, trigger: Value, condition: Option<Value>, action: Value) -> Value {
    let mut rule = json!({"name": name, "record_table": table, "trigger": trigger, "action": action});
    if let Some(condition) = condition {
        rule["condition"] = condition;
    }
    json!({"rule": rule})
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_new_record_fires_its_rule_once_and_notifies_a_person_natively(#[case] engine: Engine) {
    set_now("2026-12-07T08:00:00Z");
    let db = clocked(engine).await;
    let quality = department(&db, "Quality", None).await;
    let sales = department(&db, "Sales", None).await;
    let qm = user(&db, "qm", BuiltInRole::Quality, Some(&quality)).await;
    let ann = user(&db, "ann", BuiltInRole::Sales, Some(&sales)).await;
    // The complaint rule's shape, on a kind that exists today: a new medical customer is
    // reported to the quality manager at once.
    let defined = db
        .ok(
            "workflow.define",
            rule(
                "مشتری پزشکی جدید",
                "organisations",
                json!({"type": "created"}),
                Some(json!({"type": "condition", "field": "industry", "op": "is", "value": "Medical"})),
                json!({"type": "notify", "recipients": [qm.user_id], "message": "{record} ({city}) — new medical customer"}),
            ),
        )
        .await;
    let audited = db.ok("audit.list", json!({"operation": "workflow.define"})).await;
    assert_eq!(audited["entries"].as_array().unwrap().len(), 1, "defining a rule is audited");

    let clinic = ok_as(
        &db,
        &ann,
        "customers.create_organisation",
        json!({"name": "Клиника «Здоровье»", "industry": "Medical", "city": "Казань"}),
    )
    .await;
    ok_as(&db, &ann, "customers.create_organisation", json!({"name": "Steel Works", "industry": "Metals"})).await;

    let waiting = ok_as(&db, &qm, "workflow.notices_waiting", json!({})).await;
    assert_eq!(waiting["waiting"], true);
    // The quality manager's Accord shows it as a native notification, once, opening the record.
    let shown = Shown::default();
    let pass = reminders::pass(&db.door, &qm, Language::Fa, &shown).await.unwrap();
    assert_eq!(pass.shown.len(), 1, "only the medical customer");
    let notification = &pass.shown[0];
    assert_eq!(notification.title, "مشتری پزشکی جدید");
    assert_eq!(notification.body, "Клиника «Здоровье» (Казань) — new medical customer");
    let clinic_id: uuid::Uuid = clinic["organisation"]["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(notification.opens, reminders::Opens::Record { table: "organisations".into(), id: clinic_id });
    assert!(reminders::pass(&db.door, &qm, Language::Fa, &shown).await.unwrap().shown.is_empty(), "shown once");
    assert!(ok_as(&db, &qm, "workflow.take_notices", json!({})).await["notices"].as_array().unwrap().is_empty());
    assert!(
        ok_as(&db, &ann, "workflow.take_notices", json!({})).await["notices"].as_array().unwrap().is_empty(),
        "only for her"
    );

    // A change to the clinic is no new record: nothing fires again.
    let org = &clinic["organisation"];
    ok_as(
        &db,
        &ann,
        "customers.update_organisation",
        json!({"id": org["id"], "version": 1, "changes": {"city": "Самара"}}),
    )
    .await;
    let list = db.ok("workflow.list", json!({})).await;
    assert_eq!(list["rules"][0]["fired"], 1);
    assert_eq!(db.count("notices").await, 1);
    let firings = db.ok("workflow.list_firings", json!({"rule_id": defined["id"]})).await;
    assert_eq!(firings["firings"][0]["event_key"], "created");
    assert_eq!(firings["firings"][0]["outcome_table"], "notices");

    // Switched off, it fires no more.
    db.ok("workflow.switch_off", json!({"id": defined["id"], "version": 1})).await;
    ok_as(&db, &ann, "customers.create_organisation", json!({"name": "Dental Plus", "industry": "Medical"})).await;
    assert_eq!(db.count("notices").await, 1);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_field_set_to_a_value_gives_the_records_owner_a_task(#[case] engine: Engine) {
    set_now("2026-12-07T08:00:00Z");
    let db = clocked(engine).await;
    let sales = department(&db, "Sales", None).await;
    let ann = user(&db, "ann", BuiltInRole::Sales, Some(&sales)).await;
    db.ok(
        "workflow.define",
        rule(
            "A new decision maker",
            "contacts",
            json!({"type": "changed", "field": "role"}),
            Some(json!({"type": "condition", "field": "role", "op": "is", "value": "Director"})),
            json!({"type": "create_task", "title": "Introduce yourself to {record}", "responsible": {"type": "record_owner"},
                   "deadline_days": 2}),
        ),
    )
    .await;
    let contact = ok_as(
        &db,
        &ann,
        "customers.create_contact",
        json!({"first_name": "Мария", "last_name": "Иванова", "role": "Buyer"}),
    )
    .await["contact"]
        .clone();
    assert_eq!(db.count("tasks").await, 0, "a buyer is not the value");
    let changed = ok_as(
        &db,
        &ann,
        "customers.update_contact",
        json!({"id": contact["id"], "version": 1, "changes": {"role": "Director"}}),
    )
    .await;
    let tasks = ok_as(&db, &ann, "tasks.list", json!({})).await;
    let tasks = tasks["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1, "the owner's task");
    assert_eq!(tasks[0]["title"], "Introduce yourself to Мария Иванова");
    assert_eq!(tasks[0]["deadline"], "2026-12-09T08:00:00Z");
    assert_eq!(tasks[0]["contact_id"], contact["id"]);
    assert!(tasks[0]["rule_id"].is_string());
    // Another field changing does not set the role again.
    ok_as(
        &db,
        &ann,
        "customers.update_contact",
        json!({"id": contact["id"], "version": changed["contact"]["version"], "changes": {"phone": "+7 912 345-67-89"}}),
    )
    .await;
    assert_eq!(db.count("tasks").await, 1);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_birthday_and_a_contracts_end_fire_on_their_day_once_also_after_a_restart(#[case] engine: Engine) {
    set_now("2026-12-01T05:00:00Z");
    let mut db = clocked(engine).await;
    let sales = department(&db, "Sales", None).await;
    let ann = user(&db, "ann", BuiltInRole::Sales, Some(&sales)).await;
    db.ok("fields.define", json!({"record_table": "contacts", "label": "Birthday", "kind": "date"})).await;
    db.ok("fields.define", json!({"record_table": "organisations", "label": "Contract end", "kind": "date"})).await;
    let topic = db.ok("interactions.define_topic", json!({"name": "Поздравление"})).await;
    db.ok(
        "workflow.define",
        rule(
            "Birthday call",
            "contacts",
            json!({"type": "date_reached", "field": "custom.birthday", "days": 0, "yearly": true}),
            None,
            json!({"type": "schedule_contact", "topic_id": topic["id"], "channel": "phone", "responsible": {"type": "record_owner"},
                   "days": 0, "at": "10:00:00", "time_zone": "Asia/Tehran", "note": "تولد {record} مبارک"}),
        ),
    )
    .await;
    db.ok(
        "workflow.define",
        rule(
            "Contract ends in 30 days",
            "organisations",
            json!({"type": "date_reached", "field": "custom.contract_end", "days": -30}),
            None,
            json!({"type": "create_task", "title": "Renew the contract with {record}", "responsible": {"type": "record_owner"},
                   "deadline_days": 14}),
        ),
    )
    .await;
    let zahra = ok_as(
        &db,
        &ann,
        "customers.create_contact",
        json!({"first_name": "زهرا", "last_name": "احمدی", "custom": {"birthday": "1990-12-07"}}),
    )
    .await["contact"]
        .clone();
    ok_as(
        &db,
        &ann,
        "customers.create_contact",
        json!({"first_name": "Ivan", "last_name": "Petrov", "custom": {"birthday": "1985-12-09"}}),
    )
    .await;
    ok_as(
        &db,
        &ann,
        "customers.create_organisation",
        json!({"name": "Romashka", "custom": {"contract_end": "2027-01-06"}}),
    )
    .await;
    ok_as(
        &db,
        &ann,
        "customers.create_organisation",
        json!({"name": "Alpha", "custom": {"contract_end": "2027-03-01"}}),
    )
    .await;

    assert_eq!(run(&db).await, 0, "no day has come on the 1st");
    set_now("2026-12-07T05:00:00Z");
    assert_eq!(run(&db).await, 2, "Zahra's birthday, and Romashka's contract ends in 30 days");
    assert_eq!(run(&db).await, 0, "never twice");
    db.reopen().await;
    assert_eq!(run(&db).await, 0, "not after a restart either");

    let planned = ok_as(&db, &ann, "interactions.list_scheduled", json!({"contact_id": zahra["id"]})).await;
    let planned = planned["items"].as_array().unwrap();
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0]["due_at"], "2026-12-07T06:30:00Z", "10:00 in Tehran");
    assert_eq!(planned[0]["note"], "تولد زهرا احمدی مبارک");
    let tasks = ok_as(&db, &ann, "tasks.list", json!({})).await;
    assert_eq!(tasks["tasks"][0]["title"], "Renew the contract with Romashka");

    // Missed while closed: the 9th's birthday is caught up on the 10th, once.
    set_now("2026-12-10T05:00:00Z");
    assert_eq!(run(&db).await, 1, "Ivan's birthday from yesterday");
    assert_eq!(run(&db).await, 0);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_customer_fallen_quiet_fires_once_per_quiet_spell(#[case] engine: Engine) {
    set_now("2026-12-01T05:00:00Z");
    let db = clocked(engine).await;
    let topic = db.ok("interactions.define_topic", json!({"name": "Check-in"})).await;
    db.ok(
        "workflow.define",
        rule(
            "Ten quiet days",
            "organisations",
            json!({"type": "quiet", "days": 10}),
            None,
            json!({"type": "create_task", "title": "Get back in touch with {record}", "responsible": {"type": "record_owner"},
                   "deadline_days": 2}),
        ),
    )
    .await;
    let alpha = db.ok("customers.create_organisation", json!({"name": "Альфа"})).await["organisation"].clone();
    let beta = db.ok("customers.create_organisation", json!({"name": "بتا"})).await["organisation"].clone();
    let call = |org: &Value| json!({"topic_id": topic["id"], "channel": "phone", "organisation_id": org["id"], "summary": "Spoke"});
    set_now("2026-12-05T09:00:00Z");
    db.ok("interactions.log", call(&beta)).await;

    set_now("2026-12-11T05:00:00Z");
    assert_eq!(run(&db).await, 1, "Альфа has been quiet for ten days; بتا was called on the 5th");
    assert_eq!(run(&db).await, 0, "once");
    let tasks = db.ok("tasks.list", json!({"view": "team"})).await;
    assert_eq!(tasks["tasks"][0]["title"], "Get back in touch with Альфа");
    set_now("2026-12-15T05:00:00Z");
    assert_eq!(run(&db).await, 1, "بتا's ten days are up");
    db.ok("interactions.log", call(&alpha)).await;
    set_now("2026-12-24T05:00:00Z");
    assert_eq!(run(&db).await, 0, "Альфа was called on the 15th: nine days");
    set_now("2026-12-25T05:00:00Z");
    assert_eq!(run(&db).await, 1, "a new quiet spell for Альфа");
    assert_eq!(db.count("tasks").await, 3);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_rule_that_would_loop_or_names_what_is_not_there_is_refused_with_nothing_stored(#[case] engine: Engine) {
    set_now("2026-12-07T08:00:00Z");
    let db = clocked(engine).await;
    let team = department(&db, "Quality", None).await;
    let qm = user(&db, "qm", BuiltInRole::Quality, Some(&team)).await;
    let task = json!({"type": "create_task", "title": "Check {record}", "responsible": {"type": "record_owner"}, "deadline_days": 1});
    let notify = json!({"type": "notify", "recipients": [qm.user_id], "message": "New task"});

    // A task that creates a task that creates a task…
    let err = db
        .call("workflow.define", rule("Echo", "tasks", json!({"type": "created"}), None, task.clone()))
        .await
        .unwrap_err();
    assert_eq!(field_code(&err, "action"), FieldCode::InvalidValue);
    assert!(err.fields["action"].message.contains("trigger itself"), "{err:?}");
    // …and the loop through another rule: tasks → scheduled contacts → tasks.
    let topic = db.ok("interactions.define_topic", json!({"name": "Follow-up"})).await;
    let call_back = json!({"type": "schedule_contact", "topic_id": topic["id"], "channel": "phone",
                           "responsible": {"type": "record_owner"}, "days": 1, "at": "10:00:00", "time_zone": "Europe/Moscow"});
    db.ok("workflow.define", rule("Call about each task", "tasks", json!({"type": "created"}), None, call_back)).await;
    let err = db.call(
        "workflow.define",
        rule("Task per call", "scheduled_contacts", json!({"type": "created"}), None, task.clone()),
    );
    let err = err.await.unwrap_err();
    assert!(err.fields["action"].message.contains("“Call about each task”"), "names the rules: {err:?}");
    // Notifying about a task creates no task: no loop.
    db.ok("workflow.define", rule("Tell the manager", "tasks", json!({"type": "created"}), None, notify)).await;

    let bad = [
        (rule("x", "nowhere", json!({"type": "created"}), None, task.clone()), "record_table"),
        (rule("x", "rule_firings", json!({"type": "created"}), None, task.clone()), "record_table"),
        (rule("x", "tasks", json!({"type": "quiet", "days": 10}), None, task.clone()), "trigger.type"),
        (rule("x", "contacts", json!({"type": "quiet", "days": 0}), None, task.clone()), "trigger.days"),
        (rule("x", "contacts", json!({"type": "changed", "field": "shoe_size"}), None, task.clone()), "trigger.field"),
        (
            rule("x", "contacts", json!({"type": "date_reached", "field": "email", "days": 0}), None, task.clone()),
            "trigger.field",
        ),
        (
            rule(
                "x",
                "contacts",
                json!({"type": "created"}),
                None,
                json!({"type": "schedule_contact", "topic_id": topic["id"], "channel": "phone", "responsible": {"type": "record_owner"},
                       "days": 1, "at": "10:00:00", "time_zone": "Mars/Olympus"}),
            ),
            "action.time_zone",
        ),
        (
            rule(
                "x",
                "interaction_topics",
                json!({"type": "created"}),
                None,
                json!({"type": "schedule_contact", "topic_id": topic["id"], "channel": "phone", "responsible": {"type": "record_owner"},
                       "days": 1, "at": "10:00:00", "time_zone": "Europe/Moscow"}),
            ),
            "action.type",
        ),
        (
            rule(
                "x",
                "contacts",
                json!({"type": "created"}),
                None,
                json!({"type": "notify", "recipients": [], "message": "hi"}),
            ),
            "action.recipients",
        ),
        (
            rule(
                "x",
                "contacts",
                json!({"type": "created"}),
                None,
                json!({"type": "email", "to": "nobody", "subject": "s", "body": "b"}),
            ),
            "action.to",
        ),
        (
            rule(
                " ",
                "contacts",
                json!({"type": "created"}),
                None,
                json!({"type": "email", "to": "{email}", "subject": "s", "body": "b"}),
            ),
            "name",
        ),
    ];
    for (input, field) in bad {
        let err = db.call("workflow.define", input.clone()).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{input}");
        assert!(err.fields.contains_key(field), "{input}: {err:?}");
    }
    assert_eq!(db.count("workflow_rules").await, 2, "only the two good rules");
    let audited = db.ok("audit.list", json!({"operation": "workflow.define"})).await;
    assert_eq!(audited["entries"].as_array().unwrap().len(), 2, "a refused rule leaves no audit entry");
}
