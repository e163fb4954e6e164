//! Scheduled contacts (COMM-3) through the door, on a real SQLite file and a real PostgreSQL
//! database, with a clock the test sets: a weekly call's reminder falls due at its start
//! minus its lead, across a daylight-saving change; each reminder is given once — also after
//! a restart, and a reminder missed while the app was closed is given at the next take;
//! marking an occurrence done logs the interaction and moves the series on; snooze and skip;
//! the week's occurrences; each kind of bad input refused with nothing stored.

mod common;

use accord_core::data::Engine;
use accord_core::security::BuiltInRole;
use accord_core::{ErrorCode, FieldCode};
use chrono::{DateTime, Utc};
use common::clock::{clocked, set_now};
use common::{TestDb, department, user};
use rstest::rstest;
use serde_json::{Value, json};

struct Customer {
    topic: Value,
    organisation: Value,
    contact: Value,
}

async fn customer(db: &TestDb) -> Customer {
    let topic = db.ok("interactions.define_topic", json!({"name": "Еженедельный созвон"})).await;
    let organisation =
        db.ok("customers.create_organisation", json!({"name": "ООО «Ромашка»"})).await["organisation"].clone();
    let contact = db
        .ok(
            "customers.create_contact",
            json!({"first_name": "Анна", "last_name": "Петрова", "organisation_id": organisation["id"]}),
        )
        .await["contact"]
        .clone();
    Customer { topic, organisation, contact }
}

fn instant(value: &Value) -> DateTime<Utc> {
    value.as_str().expect("an instant").parse().expect("RFC 3339")
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_weekly_call_reminds_once_at_its_lead_across_daylight_saving_and_done_logs_it(#[case] engine: Engine) {
    set_now("2026-03-16T08:00:00Z");
    let mut db = clocked(engine).await;
    let c = customer(&db).await;
    // Mondays 10:00 in Berlin, three times; Berlin moves to summer time on 29 March.
    let series = db
        .ok(
            "interactions.schedule",
            json!({"topic_id": c.topic["id"], "channel": "phone", "contact_id": c.contact["id"],
            "note": "Сроки поставки", "starts_at": "2026-03-23T10:00:00", "time_zone": "Europe/Berlin",
            "recurrence": "FREQ=WEEKLY;BYDAY=MO;COUNT=3", "lead_minutes": 15}),
        )
        .await;
    assert_eq!(instant(&series["due_at"]), at("2026-03-23T09:00:00Z"), "10:00 CET");
    assert_eq!(instant(&series["remind_at"]), at("2026-03-23T08:45:00Z"), "fifteen minutes before");
    assert_eq!(series["organisation_id"], c.organisation["id"]);

    set_now("2026-03-23T08:44:00Z");
    let none = db.ok("interactions.take_due_reminders", json!({})).await;
    assert_eq!(none["reminders"], json!([]), "not before its lead");
    assert_eq!(instant(&none["next_at"]), at("2026-03-23T08:45:00Z"), "the scheduler sleeps until then");

    set_now("2026-03-23T08:46:00Z");
    let due = db.ok("interactions.take_due_reminders", json!({})).await;
    let reminder = &due["reminders"][0];
    assert_eq!(due["reminders"].as_array().unwrap().len(), 1);
    assert_eq!(
        (reminder["topic"].as_str(), reminder["contact_name"].as_str(), reminder["organisation_name"].as_str()),
        (Some("Еженедельный созвон"), Some("Анна Петрова"), Some("ООО «Ромашка»"))
    );
    assert_eq!(instant(&reminder["due_at"]), at("2026-03-23T09:00:00Z"));
    assert!(due["next_at"].is_null(), "nothing else is due to be reminded");
    let again = db.ok("interactions.take_due_reminders", json!({})).await;
    assert_eq!(again["reminders"], json!([]), "given once");
    db.reopen().await;
    let after_restart = db.ok("interactions.take_due_reminders", json!({})).await;
    assert_eq!(after_restart["reminders"], json!([]), "never twice, also after a restart");

    // Done: the call is on the contact's history and the series moves on a week, to 10:00 CEST.
    set_now("2026-03-23T09:20:00Z");
    let current = db.ok("interactions.get_scheduled", json!({"id": series["id"]})).await;
    let done = db
        .ok(
            "interactions.complete_scheduled",
            json!({"id": series["id"], "version": current["version"],
            "summary": "Договорились о сроках"}),
        )
        .await;
    assert_eq!(done["interaction"]["channel"], "phone");
    assert_eq!(done["interaction"]["topic_id"], c.topic["id"]);
    let history = db.ok("interactions.list", json!({"contact_id": c.contact["id"]})).await;
    assert_eq!(history["items"][0]["summary"], "Договорились о сроках");
    assert_eq!(instant(&done["scheduled"]["due_at"]), at("2026-03-30T08:00:00Z"), "10:00 CEST is 08:00 UTC");
    assert_eq!(instant(&done["scheduled"]["remind_at"]), at("2026-03-30T07:45:00Z"));

    // The app was closed through the next reminder: it is given at the next take, once.
    set_now("2026-03-30T11:00:00Z");
    db.reopen().await;
    let missed = db.ok("interactions.take_due_reminders", json!({})).await;
    assert_eq!(missed["reminders"].as_array().unwrap().len(), 1, "a missed reminder is not lost");
    assert_eq!(db.ok("interactions.take_due_reminders", json!({})).await["reminders"], json!([]));

    // Snoozed, it comes back after the minutes asked for.
    let current = db.ok("interactions.get_scheduled", json!({"id": series["id"]})).await;
    let snoozed = db
        .ok("interactions.snooze_reminder", json!({"id": series["id"], "version": current["version"], "minutes": 10}))
        .await;
    assert_eq!(instant(&snoozed["remind_at"]), at("2026-03-30T11:10:00Z"));
    set_now("2026-03-30T11:09:00Z");
    assert_eq!(db.ok("interactions.take_due_reminders", json!({})).await["reminders"], json!([]));
    set_now("2026-03-30T11:10:30Z");
    assert_eq!(db.ok("interactions.take_due_reminders", json!({})).await["reminders"].as_array().unwrap().len(), 1);

    // Skipped this week, done the last week: the series is over.
    let current = db.ok("interactions.get_scheduled", json!({"id": series["id"]})).await;
    let skipped =
        db.ok("interactions.skip_occurrence", json!({"id": series["id"], "version": current["version"]})).await;
    assert_eq!(instant(&skipped["due_at"]), at("2026-04-06T08:00:00Z"));
    assert_eq!(skipped["exceptions"], json!(["2026-03-30T08:00:00Z"]));
    let last = db
        .ok(
            "interactions.complete_scheduled",
            json!({"id": series["id"], "version": skipped["version"], "summary": "Итог"}),
        )
        .await;
    assert!(last["scheduled"]["due_at"].is_null() && last["scheduled"]["remind_at"].is_null(), "over");
    let err = db
        .call(
            "interactions.complete_scheduled",
            json!({"id": series["id"], "version": last["scheduled"]["version"], "summary": "x"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "nothing open is left to complete");
    assert_eq!(
        db.ok("interactions.list", json!({"contact_id": c.contact["id"]})).await["items"].as_array().unwrap().len(),
        2
    );
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_weeks_occurrences_show_what_is_done_due_and_planned(#[case] engine: Engine) {
    set_now("2026-12-07T06:00:00Z");
    let db = clocked(engine).await;
    let c = customer(&db).await;
    let daily = db
        .ok("interactions.schedule", json!({"topic_id": c.topic["id"], "channel": "phone", "organisation_id": c.organisation["id"],
            "starts_at": "2026-12-07T09:30:00", "time_zone": "Asia/Tehran", "recurrence": "FREQ=DAILY;BYDAY=MO,TU,WE,TH,SA,SU",
            "duration_minutes": 20}))
        .await;
    db.ok(
        "interactions.schedule",
        json!({"topic_id": c.topic["id"], "channel": "meeting", "contact_id": c.contact["id"],
        "starts_at": "2026-12-09T15:00:00", "time_zone": "Europe/Moscow"}),
    )
    .await;
    db.ok("interactions.complete_scheduled", json!({"id": daily["id"], "version": 1, "summary": "Первый звонок"}))
        .await;
    let week = db
        .ok("interactions.list_occurrences", json!({"from": "2026-12-06T20:30:00Z", "to": "2026-12-13T20:30:00Z"}))
        .await;
    let items = week["items"].as_array().unwrap();
    let states: Vec<(&str, &str)> =
        items.iter().map(|o| (o["starts_at"].as_str().unwrap(), o["state"].as_str().unwrap())).collect();
    assert_eq!(
        states,
        [
            ("2026-12-07T06:00:00Z", "done"),
            ("2026-12-08T06:00:00Z", "due"),
            ("2026-12-09T06:00:00Z", "planned"),
            ("2026-12-09T12:00:00Z", "due"),
            ("2026-12-10T06:00:00Z", "planned"),
            ("2026-12-12T06:00:00Z", "planned"),
            ("2026-12-13T06:00:00Z", "planned"),
        ],
        "Tehran 09:30 is 06:00 UTC, no Friday; Moscow 15:00 is 12:00 UTC"
    );
    assert_eq!(items[0]["ends_at"], "2026-12-07T06:20:00Z");
    for (from, to) in
        [("2026-12-08T00:00:00Z", "2026-12-07T00:00:00Z"), ("2026-01-01T00:00:00Z", "2027-06-01T00:00:00Z")]
    {
        let err = db.call("interactions.list_occurrences", json!({"from": from, "to": to})).await.unwrap_err();
        assert_eq!(err.fields["to"].code, FieldCode::InvalidValue);
    }
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn bad_schedules_are_refused_on_their_field_with_nothing_stored(#[case] engine: Engine) {
    set_now("2026-03-01T08:00:00Z");
    let db = clocked(engine).await;
    let c = customer(&db).await;
    let gone = db.ok("customers.create_contact", json!({"first_name": "Ушедший"})).await["contact"].clone();
    db.ok("customers.archive_contact", json!({"id": gone["id"], "version": 1})).await;
    let base = json!({"topic_id": c.topic["id"], "channel": "phone", "contact_id": c.contact["id"],
        "starts_at": "2026-03-10T10:00:00", "time_zone": "Europe/Berlin"});
    let with = |field: &str, value: Value| {
        let mut input = base.clone();
        input[field] = value;
        input
    };
    let cases = [
        (with("recurrence", json!("FREQ=FORTNIGHTLY")), "recurrence"),
        (with("recurrence", json!("FREQ=WEEKLY;UNTIL=20260101T000000Z")), "recurrence"),
        (with("recurrence", json!("FREQ=WEEKLY;BYDAY=MO;UNTIL=20270101")), "recurrence"),
        (with("time_zone", json!("Europe/Atlantis")), "time_zone"),
        (with("starts_at", json!("2026-03-29T02:30:00")), "starts_at"),
        (with("contact_id", gone["id"].clone()), "contact_id"),
        (with("duration_minutes", json!(0)), "duration_minutes"),
        (with("lead_minutes", json!(-5)), "lead_minutes"),
    ];
    let stored = (db.count("scheduled_contacts").await, db.count("change_log").await);
    for (input, field) in cases {
        let err = db.call("interactions.schedule", input.clone()).await.expect_err(&format!("{input} is refused"));
        assert_eq!(err.code, ErrorCode::InvalidInput, "{input}: {err:?}");
        assert!(err.fields.contains_key(field), "{input}: the problem is on {field}: {err:?}");
    }
    assert_eq!((db.count("scheduled_contacts").await, db.count("change_log").await), stored, "nothing stored");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_contact_scheduled_for_a_colleague_reminds_the_colleague_only(#[case] engine: Engine) {
    set_now("2026-12-07T08:00:00Z");
    let db = clocked(engine).await;
    let c = customer(&db).await;
    let sales = department(&db, "Sales", None).await;
    let anna = user(&db, "anna", BuiltInRole::Sales, Some(&sales)).await;
    let boris = user(&db, "boris", BuiltInRole::Manager, Some(&sales)).await;
    let planned = db
        .door
        .dispatch(
            &boris,
            "interactions.schedule",
            json!({"topic_id": c.topic["id"], "channel": "phone",
            "organisation_id": c.organisation["id"], "starts_at": "2026-12-07T12:00:00", "time_zone": "Europe/Moscow",
            "responsible_id": anna.user_id, "lead_minutes": 30}),
        )
        .await
        .unwrap();
    assert_eq!(planned["owner_id"], json!(anna.user_id), "hers");
    set_now("2026-12-07T08:31:00Z");
    let take = |actor: &accord_core::security::Actor| {
        let actor = actor.clone();
        let db = &db;
        async move { db.door.dispatch(&actor, "interactions.take_due_reminders", json!({})).await.unwrap() }
    };
    assert_eq!(take(&boris).await["reminders"], json!([]), "the manager who planned it is not reminded");
    assert_eq!(take(&anna).await["reminders"].as_array().unwrap().len(), 1, "the responsible person is");
}

/// What a notifier was asked to show, in order.
#[derive(Default)]
struct Shown(std::sync::Mutex<Vec<accord_core::reminders::Notification>>);

impl accord_core::reminders::Notifier for Shown {
    fn show(&self, notification: &accord_core::reminders::Notification) -> Result<(), String> {
        self.0.lock().unwrap().push(notification.clone());
        Ok(())
    }
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn the_scheduler_shows_each_due_reminder_once_in_the_windows_language(#[case] engine: Engine) {
    use accord_core::reminders::{self, pass};
    use accord_core::settings::language::Language;
    set_now("2026-12-07T08:00:00Z");
    let mut db = clocked(engine).await;
    let c = customer(&db).await;
    let owner = accord_core::Actor::local_owner();
    db.ok(
        "interactions.schedule",
        json!({"topic_id": c.topic["id"], "channel": "phone", "contact_id": c.contact["id"],
        "starts_at": "2026-12-07T12:00:00", "time_zone": "Europe/Moscow", "lead_minutes": 10, "note": "Счёт №42"}),
    )
    .await;
    let shown = Shown::default();
    let first = pass(&db.door, &owner, Language::Ru, &shown).await.unwrap();
    assert!(first.shown.is_empty());
    assert_eq!(first.next_at, Some(at("2026-12-07T08:50:00Z")), "12:00 Moscow less ten minutes");
    assert_eq!(reminders::sleep_for(first.next_at, at("2026-12-07T08:00:00Z")), reminders::MAX_SLEEP);

    set_now("2026-12-07T08:50:00Z");
    let second = pass(&db.door, &owner, Language::Ru, &shown).await.unwrap();
    assert_eq!(second.shown.len(), 1);
    assert_eq!(second.shown[0].title, "Звонок: Анна Петрова (ООО «Ромашка»)");
    assert_eq!(second.shown[0].body, "12:00 · Еженедельный созвон\nСчёт №42");
    assert!(pass(&db.door, &owner, Language::Ru, &shown).await.unwrap().shown.is_empty(), "once");
    db.reopen().await;
    assert!(pass(&db.door, &owner, Language::Ru, &shown).await.unwrap().shown.is_empty(), "once, after a restart");
    assert_eq!(shown.0.lock().unwrap().len(), 1);

    // Someone who may not log interactions has no reminders, and no error.
    let auditor = user(&db, "ada", BuiltInRole::Auditor, None).await;
    assert_eq!(pass(&db.door, &auditor, Language::En, &shown).await.unwrap(), reminders::Pass::default());
}
