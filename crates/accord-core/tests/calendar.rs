//! The calendar over scheduled contacts (COMM-3, COMM-4) through the door, on a real SQLite
//! file and a real PostgreSQL database, with a clock the test sets: changing a series,
//! dragging one occurrence to another time (a once-only contact moves; one taken out of a
//! recurring series becomes a once-only contact), the planned contacts of a customer, the
//! team's week within a manager's department, and the .ics export read back field by field
//! by an independent parser (Python's `icalendar`).

mod common;

use accord_core::data::Engine;
use accord_core::security::BuiltInRole;
use accord_core::{ErrorCode, FieldCode};
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
    let topic = db.ok("interactions.define_topic", json!({"name": "پیگیری پیش‌فاکتور"})).await;
    let organisation =
        db.ok("customers.create_organisation", json!({"name": "شرکت آلفا; تهران, ایران"})).await["organisation"]
            .clone();
    let contact = db
        .ok(
            "customers.create_contact",
            json!({"first_name": "مریم", "last_name": "رضایی", "organisation_id": organisation["id"]}),
        )
        .await["contact"]
        .clone();
    Customer { topic, organisation, contact }
}

fn starts(occurrences: &Value) -> Vec<(String, String)> {
    occurrences["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["starts_at"].as_str().unwrap().to_owned(), o["scheduled_id"].as_str().unwrap().to_owned()))
        .collect()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn an_occurrence_dragged_to_another_time_moves_alone_and_a_done_one_stays(#[case] engine: Engine) {
    set_now("2026-12-07T06:00:00Z");
    let db = clocked(engine).await;
    let c = customer(&db).await;
    // Tehran 10:00 (06:30 UTC) every weekday but Friday.
    let series = db
        .ok(
            "interactions.schedule",
            json!({"topic_id": c.topic["id"], "channel": "phone", "contact_id": c.contact["id"],
            "starts_at": "2026-12-07T10:00:00", "time_zone": "Asia/Tehran",
            "recurrence": "FREQ=WEEKLY;BYDAY=SA,SU,MO,TU,WE,TH", "duration_minutes": 20}),
        )
        .await;
    let id = series["id"].as_str().unwrap().to_owned();
    let week = json!({"from": "2026-12-07T00:00:00Z", "to": "2026-12-10T00:00:00Z"});
    assert_eq!(starts(&db.ok("interactions.list_occurrences", week.clone()).await).len(), 3);

    // Wednesday's call is dragged to 14:00 Tehran and lengthened to 45 minutes.
    let moved = db
        .ok(
            "interactions.move_occurrence",
            json!({"id": id, "version": 1, "occurrence": "2026-12-09T06:30:00Z", "to": "2026-12-09T10:30:00Z",
            "duration_minutes": 45}),
        )
        .await;
    assert!(moved["moved"]["recurrence"].is_null(), "taken out as a once-only contact");
    assert_ne!(moved["moved"]["id"], json!(id));
    assert_eq!(moved["moved"]["due_at"], "2026-12-09T10:30:00Z");
    assert_eq!(moved["moved"]["remind_at"], "2026-12-09T10:15:00Z", "its reminder moves with it");
    assert_eq!(moved["moved"]["contact_id"], c.contact["id"]);
    assert_eq!(moved["series"]["due_at"], "2026-12-07T06:30:00Z", "the series' open occurrence is unchanged");
    let after = db.ok("interactions.list_occurrences", week.clone()).await;
    let moved_id = moved["moved"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        starts(&after),
        [
            ("2026-12-07T06:30:00Z".to_owned(), id.clone()),
            ("2026-12-08T06:30:00Z".to_owned(), id.clone()),
            ("2026-12-09T10:30:00Z".to_owned(), moved_id.clone()),
        ],
        "Wednesday 10:00 is gone from the series; the moved call is at 14:00"
    );
    assert_eq!(after["items"][2]["ends_at"], "2026-12-09T11:15:00Z");
    assert_eq!(after["items"][2]["topic"], "پیگیری پیش‌فاکتور");
    assert_eq!(after["items"][2]["contact_name"], "مریم رضایی");

    // A once-only contact moves itself, and may be moved again.
    let again = db
        .ok(
            "interactions.move_occurrence",
            json!({"id": moved_id, "version": 1, "occurrence": "2026-12-09T10:30:00Z", "to": "2026-12-08T12:00:00Z"}),
        )
        .await;
    assert_eq!(again["moved"]["id"], json!(moved_id));
    assert_eq!(again["series"]["id"], json!(moved_id));
    assert_eq!(again["moved"]["due_at"], "2026-12-08T12:00:00Z");
    assert_eq!(again["moved"]["duration_minutes"], 45);

    // Monday's call is done; it stays when it happened, and the past is not a plan.
    set_now("2026-12-07T07:00:00Z");
    let current = db.ok("interactions.get_scheduled", json!({"id": id})).await;
    db.ok(
        "interactions.complete_scheduled",
        json!({"id": id, "version": current["version"], "summary": "تماس انجام شد"}),
    )
    .await;
    let current = db.ok("interactions.get_scheduled", json!({"id": id})).await;
    let stored = (db.count("scheduled_contacts").await, db.count("change_log").await);
    let refusals = [
        (json!({"occurrence": "2026-12-07T06:30:00Z", "to": "2026-12-07T12:00:00Z"}), "occurrence"),
        (json!({"occurrence": "2026-12-09T06:30:00Z", "to": "2026-12-10T08:00:00Z"}), "occurrence"),
        (json!({"occurrence": "2026-12-08T06:31:00Z", "to": "2026-12-10T08:00:00Z"}), "occurrence"),
        (json!({"occurrence": "2026-12-08T06:30:00Z", "to": "2026-12-06T08:00:00Z"}), "to"),
        (
            json!({"occurrence": "2026-12-08T06:30:00Z", "to": "2026-12-10T08:00:00Z", "duration_minutes": 0}),
            "duration_minutes",
        ),
    ];
    for (mut input, field) in refusals {
        input["id"] = json!(id);
        input["version"] = current["version"].clone();
        let err = db.call("interactions.move_occurrence", input.clone()).await.expect_err(&format!("{input}"));
        assert_eq!(err.code, ErrorCode::InvalidInput, "{input}: {err:?}");
        assert!(err.fields.contains_key(field), "{input}: on {field}: {err:?}");
    }
    assert_eq!((db.count("scheduled_contacts").await, db.count("change_log").await), stored, "nothing stored");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_changed_series_keeps_what_is_done_and_its_planned_contacts_show_on_the_customer(#[case] engine: Engine) {
    set_now("2026-12-07T06:00:00Z");
    let db = clocked(engine).await;
    let c = customer(&db).await;
    let plan = json!({"topic_id": c.topic["id"], "channel": "phone", "contact_id": c.contact["id"],
        "starts_at": "2026-12-07T10:00:00", "time_zone": "Asia/Tehran", "recurrence": "FREQ=DAILY"});
    let series = db.ok("interactions.schedule", plan.clone()).await;
    let id = series["id"].clone();
    set_now("2026-12-07T07:00:00Z");
    let done = db.ok("interactions.complete_scheduled", json!({"id": id, "version": 1, "summary": "انجام شد"})).await;
    assert_eq!(done["scheduled"]["due_at"], "2026-12-08T06:30:00Z");

    // Only the note changes: today's done call is not opened again.
    let mut change = plan.clone();
    change["id"] = id.clone();
    change["version"] = done["scheduled"]["version"].clone();
    change["note"] = json!("قیمت جدید");
    let noted = db.ok("interactions.update_scheduled", change.clone()).await;
    assert_eq!(noted["due_at"], "2026-12-08T06:30:00Z");
    assert_eq!(noted["note"], "قیمت جدید");

    // A longer lead moves the reminder; a new time restarts the series from now.
    change["version"] = noted["version"].clone();
    change["lead_minutes"] = json!(60);
    let earlier = db.ok("interactions.update_scheduled", change.clone()).await;
    assert_eq!(earlier["remind_at"], "2026-12-08T05:30:00Z");
    change["version"] = earlier["version"].clone();
    change["starts_at"] = json!("2026-12-07T16:00:00");
    let later = db.ok("interactions.update_scheduled", change.clone()).await;
    assert_eq!(later["due_at"], "2026-12-07T12:30:00Z", "today at 16:00 Tehran, still ahead");

    // A bad change is refused on its field, and the series is as it was.
    change["version"] = later["version"].clone();
    change["recurrence"] = json!("FREQ=DAILY;UNTIL=20261201T000000Z");
    let err = db.call("interactions.update_scheduled", change.clone()).await.unwrap_err();
    assert_eq!(err.fields["recurrence"].code, FieldCode::InvalidValue);
    assert_eq!(db.ok("interactions.get_scheduled", json!({"id": id})).await["version"], later["version"]);

    // The customer's planned contacts: the contact's and, through it, the organisation's.
    let once = db
        .ok(
            "interactions.schedule",
            json!({"topic_id": c.topic["id"], "channel": "meeting", "organisation_id": c.organisation["id"],
            "starts_at": "2026-12-20T11:00:00", "time_zone": "Asia/Tehran"}),
        )
        .await;
    let of_contact = db.ok("interactions.list_scheduled", json!({"contact_id": c.contact["id"]})).await;
    assert_eq!(of_contact["items"].as_array().unwrap().len(), 1);
    assert_eq!(of_contact["items"][0]["contact_name"], "مریم رضایی");
    assert_eq!(of_contact["items"][0]["topic"], "پیگیری پیش‌فاکتور");
    let of_organisation = db.ok("interactions.list_scheduled", json!({"organisation_id": c.organisation["id"]})).await;
    let ids: Vec<&Value> = of_organisation["items"].as_array().unwrap().iter().map(|s| &s["id"]).collect();
    assert_eq!(ids, [&id, &once["id"]], "by when they are due");
    db.ok("interactions.cancel_scheduled", json!({"id": once["id"], "version": 1})).await;
    let left = db.ok("interactions.list_scheduled", json!({"organisation_id": c.organisation["id"]})).await;
    assert_eq!(left["items"].as_array().unwrap().len(), 1, "a cancelled series is not planned");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn the_team_week_is_the_managers_department_and_a_colleague_sees_their_own(#[case] engine: Engine) {
    set_now("2026-12-07T06:00:00Z");
    let db = clocked(engine).await;
    let c = customer(&db).await;
    let sales = department(&db, "Sales", None).await;
    let service = department(&db, "Service", None).await;
    let anna = user(&db, "anna", BuiltInRole::Sales, Some(&sales)).await;
    let boris = user(&db, "boris", BuiltInRole::Manager, Some(&sales)).await;
    let vera = user(&db, "vera", BuiltInRole::ServiceDesk, Some(&service)).await;
    let plan = |who: &accord_core::security::Actor, hour: u32| {
        let who = who.clone();
        let db = &db;
        let topic = c.topic["id"].clone();
        let organisation = c.organisation["id"].clone();
        async move {
            db.door
                .dispatch(
                    &who,
                    "interactions.schedule",
                    json!({"topic_id": topic, "channel": "phone", "organisation_id": organisation,
                    "starts_at": format!("2026-12-08T{hour:02}:00:00"), "time_zone": "Europe/Moscow"}),
                )
                .await
                .unwrap()
        }
    };
    plan(&anna, 10).await;
    plan(&boris, 11).await;
    plan(&vera, 12).await;
    let week = json!({"from": "2026-12-07T00:00:00Z", "to": "2026-12-14T00:00:00Z"});
    let count = |who: &accord_core::security::Actor, input: Value| {
        let who = who.clone();
        let db = &db;
        async move {
            db.door.dispatch(&who, "interactions.list_occurrences", input).await.unwrap()["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count(&boris, week.clone()).await, 2, "the manager's team: Anna's and his own, not Service's");
    assert_eq!(count(&anna, week.clone()).await, 1, "a salesperson sees her own");
    assert_eq!(count(&vera, week.clone()).await, 1);
    assert_eq!(db.ok("interactions.list_occurrences", week.clone()).await["items"].as_array().unwrap().len(), 3);
    let mut annas = week.clone();
    annas["responsible_id"] = json!(anna.user_id);
    assert_eq!(count(&boris, annas.clone()).await, 1, "one colleague's calendar");
    assert_eq!(count(&vera, annas).await, 0, "another department's colleague is out of reach");
}

/// What Python's `icalendar` reads from the file: per event its fields, and the zones.
fn read_back(path: &std::path::Path) -> Value {
    const READER: &str = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
def when(v):
    dt = v.dt
    return {"local": dt.strftime('%Y-%m-%dT%H:%M:%S'), "zone": str(dt.tzinfo.zone if hasattr(dt.tzinfo, 'zone') else dt.tzinfo), "utc": dt.astimezone(__import__('datetime').timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}
events = []
for e in cal.walk('VEVENT'):
    ex = e.get('EXDATE')
    exdates = []
    if ex is not None:
        for group in (ex if isinstance(ex, list) else [ex]):
            exdates += [when(d) for d in group.dts]
    rule = e.get('RRULE')
    alarm = [a for a in e.walk('VALARM')]
    events.append({
        "uid": str(e['UID']), "summary": str(e['SUMMARY']),
        "description": str(e['DESCRIPTION']) if 'DESCRIPTION' in e else None,
        "start": when(e['DTSTART']), "end": when(e['DTEND']),
        "rrule": rule.to_ical().decode() if rule is not None else None,
        "exdates": exdates,
        "alarm": str(alarm[0]['TRIGGER'].dt) if alarm else None,
    })
zones = [str(z['TZID']) for z in cal.walk('VTIMEZONE')]
print(json.dumps({"version": str(cal['VERSION']), "events": events, "zones": zones}, ensure_ascii=False))
"#;
    let output = std::process::Command::new("/usr/bin/python3")
        .args(["-c", READER])
        .arg(path)
        .output()
        .expect("python3 runs (the test command installs python3-icalendar)");
    assert!(output.status.success(), "icalendar read the file: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("the reader's JSON")
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn the_ics_export_reads_back_field_by_field_in_an_independent_parser(#[case] engine: Engine) {
    set_now("2026-03-16T08:00:00Z");
    let db = clocked(engine).await;
    let c = customer(&db).await;
    let weekly = db
        .ok(
            "interactions.schedule",
            json!({"topic_id": c.topic["id"], "channel": "phone", "contact_id": c.contact["id"],
            "note": "Цены, сроки; оплата\nвторая строка", "starts_at": "2026-03-23T10:00:00", "time_zone": "Europe/Berlin",
            "recurrence": "FREQ=WEEKLY;BYDAY=MO;COUNT=4", "lead_minutes": 30, "duration_minutes": 45}),
        )
        .await;
    // The first Monday is skipped: an exception the file must carry.
    db.ok("interactions.skip_occurrence", json!({"id": weekly["id"], "version": 1})).await;
    db.ok(
        "interactions.schedule",
        json!({"topic_id": c.topic["id"], "channel": "meeting", "organisation_id": c.organisation["id"],
        "starts_at": "2026-03-25T09:30:00", "time_zone": "Asia/Tehran"}),
    )
    .await;
    let folder = tempfile::tempdir().unwrap();
    let exported = db
        .ok("interactions.export_calendar", json!({"path": folder.path().join("تقویم تیم").display().to_string()}))
        .await;
    assert_eq!(exported["events"], 2);
    let path = std::path::PathBuf::from(exported["path"].as_str().unwrap());
    assert_eq!(path, folder.path().join("تقویم تیم.ics"), ".ics is added");
    let raw = std::fs::read_to_string(&path).unwrap();
    assert!(raw.lines().all(|line| line.len() <= 76), "lines are folded at 75 octets (plus CR)");
    assert!(raw.contains("\r\n"), "content lines end with CRLF");

    let calendar = read_back(&path);
    assert_eq!(calendar["version"], "2.0");
    let zones: Vec<&str> = calendar["zones"].as_array().unwrap().iter().map(|z| z.as_str().unwrap()).collect();
    assert_eq!(zones, ["Asia/Tehran", "Europe/Berlin"], "a VTIMEZONE for each zone used");
    let events = calendar["events"].as_array().unwrap();
    let berlin = events.iter().find(|e| e["uid"] == format!("{}@accord", weekly["id"].as_str().unwrap())).unwrap();
    assert_eq!(berlin["summary"], "پیگیری پیش‌فاکتور — مریم رضایی (شرکت آلفا; تهران, ایران)");
    assert_eq!(berlin["description"], "Цены, сроки; оплата\nвторая строка");
    assert_eq!(berlin["start"]["local"], "2026-03-23T10:00:00");
    assert_eq!(berlin["start"]["zone"], "Europe/Berlin");
    assert_eq!(berlin["start"]["utc"], "2026-03-23T09:00:00Z");
    assert_eq!(berlin["end"]["local"], "2026-03-23T10:45:00");
    assert_eq!(berlin["rrule"], "FREQ=WEEKLY;COUNT=4;BYDAY=MO");
    assert_eq!(berlin["exdates"][0]["local"], "2026-03-23T10:00:00");
    assert_eq!(berlin["exdates"][0]["zone"], "Europe/Berlin");
    assert_eq!(berlin["alarm"], "-1 day, 23:30:00", "thirty minutes before");
    let tehran = events.iter().find(|e| e["uid"] != berlin["uid"]).unwrap();
    assert_eq!(tehran["summary"], "پیگیری پیش‌فاکتور — شرکت آلفا; تهران, ایران");
    assert_eq!(tehran["start"]["utc"], "2026-03-25T06:00:00Z", "09:30 Tehran is 06:00 UTC");
    assert!(tehran["rrule"].is_null());

    let audit = db.ok("audit.list", json!({"operation": "interactions.export_calendar"})).await;
    assert_eq!(audit["entries"].as_array().unwrap().len(), 1, "an export is audited");

    for (bad, why) in
        [("calendar.ics", "a path that is not full"), ("/no/such/folder/calendar.ics", "a missing folder")]
    {
        let err = db.call("interactions.export_calendar", json!({"path": bad})).await.expect_err(why);
        assert!(err.fields.contains_key("path"), "{why}: {err:?}");
    }
}
