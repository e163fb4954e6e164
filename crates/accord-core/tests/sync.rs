//! Offline replicas and their server (ADR 0014), on real SQLite files and a real PostgreSQL
//! server: convergence, idempotence, conflicts, archive, rights, damaged batches, and the
//! commit-ordered cursor.

mod common;

use accord_core::data::Engine;
use accord_core::sync::{self, PushChanges, PushChangesInput, ReadChanges, ReadChangesInput};
use accord_core::sync::{Cursor, SyncEntry};
use accord_core::{Actor, ErrorCode};
use common::{TestDb, agreed_organisations};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

fn owner() -> Actor {
    Actor::local_owner()
}

/// A server with a few organisations, and `n` laptops holding replicas of it.
async fn server_and_replicas(n: usize) -> (TestDb, Vec<TestDb>) {
    let server = TestDb::new(Engine::Postgres).await;
    let mut ids = Vec::new();
    for name in ["Vektor", "Пётр и партнёры", "پارس‌نیرو"] {
        let saved = server.ok("customers.create_organisation", json!({"name": name, "city": "Kazan"})).await;
        ids.push(saved["organisation"]["id"].clone());
    }
    // A contact sorts before its organisation by table name: the replica must make the
    // organisation first all the same.
    let contact = json!({"first_name": "Фёдор", "last_name": "Соловьёв", "organisation_id": ids[1]});
    server.ok("customers.create_contact", contact).await;
    let mut replicas = Vec::new();
    for _ in 0..n {
        let mut laptop = TestDb::new(Engine::Sqlite).await;
        let report = sync::create_replica(&laptop.door, &owner(), &server.door, &owner(), "test server").await.unwrap();
        assert_eq!((report.pulled, report.pending), (4, 0), "the replica received every record's entry");
        assert_eq!(laptop.count("contacts").await, 1);
        let installation_device = laptop.door.device_id();
        laptop.reopen().await;
        assert_ne!(laptop.door.device_id(), installation_device, "the replica is a device of its own");
        replicas.push(laptop);
    }
    (server, replicas)
}

async fn round(laptop: &TestDb, server: &TestDb) -> sync::SyncReport {
    sync::sync(&laptop.door, &owner(), &server.door, &owner()).await.expect("sync")
}

/// The organisation named `name` as its card shows it, archived or not.
async fn find(db: &TestDb, name: &str) -> Value {
    let conn = &db.door.database().conn;
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            if db.engine == Engine::Postgres {
                "SELECT id FROM organisations WHERE name = $1"
            } else {
                "SELECT id FROM organisations WHERE name = ?"
            },
            [name.into()],
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{name} exists"));
    let id: Uuid = row.try_get("", "id").unwrap();
    db.ok("customers.get_organisation", json!({"id": id})).await["organisation"].clone()
}

async fn update(db: &TestDb, name: &str, changes: Value) -> Value {
    let org = find(db, name).await;
    db.ok("customers.update_organisation", json!({"id": org["id"], "version": org["version"], "changes": changes}))
        .await
}

#[tokio::test]
async fn laptops_and_the_server_converge_with_nothing_lost() {
    let (server, laptops) = server_and_replicas(2).await;
    let [a, b] = &laptops[..] else { unreachable!() };

    // Offline: both laptops edit the same organisation (different fields) and create records.
    update(a, "Vektor", json!({"name": "Vektor Group"})).await;
    update(b, "Vektor", json!({"city": "Moscow"})).await;
    a.ok("customers.create_organisation", json!({"name": "Made on A"})).await;
    b.ok("customers.create_organisation", json!({"name": "Made on B"})).await;
    // Meanwhile at the office.
    update(&server, "Пётр и партнёры", json!({"notes": "called back"})).await;
    server.ok("customers.create_organisation", json!({"name": "Made at the office"})).await;

    // A new organisation with a contact, pushed in one batch: the organisation first.
    let made = a.ok("customers.create_organisation", json!({"name": "Made on A with a contact"})).await;
    let contact = json!({"first_name": "علی", "last_name": "کریمی", "organisation_id": made["organisation"]["id"]});
    a.ok("customers.create_contact", contact).await;
    let first = round(a, &server).await;
    assert_eq!((first.pushed, first.pending), (4, 0), "A's four entries reached the server: {first:?}");
    round(b, &server).await;
    round(a, &server).await;

    let expected = agreed_organisations(&server).await;
    assert_eq!(expected.len(), 7, "records created on every side all stay");
    assert_eq!(server.count("contacts").await, 2);
    assert_eq!(b.count("contacts").await, 2);
    assert_eq!(agreed_organisations(a).await, expected);
    assert_eq!(agreed_organisations(b).await, expected);
    let vektor = expected.iter().find(|o| o["name"] == "Vektor Group").expect("A's rename won");
    assert_eq!(vektor["city"], "Moscow", "and B's edit of another field won too");
    // Search on the laptop finds what arrived from the server, in its own language.
    let hits = a.ok("search.query", json!({"text": "office"})).await;
    assert_eq!(hits["hits"].as_array().unwrap().len(), 1, "{hits}");
}

#[tokio::test]
async fn a_batch_delivered_again_changes_nothing() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    round(laptop, &server).await;
    let before = (agreed_organisations(&server).await, find(&server, "Vektor").await["version"].clone());

    // The same batch again, days later: every entry is held already.
    let entries = own_entries(laptop).await;
    let replay =
        server.door.call::<PushChanges>(&owner(), PushChangesInput { entries: entries.clone() }).await.unwrap();
    assert_eq!((replay.stored, replay.held_already, replay.records_changed), (0, entries.len() as u32, 0));
    assert_eq!((agreed_organisations(&server).await, find(&server, "Vektor").await["version"].clone()), before);

    // And the server's log pulled again from the start changes nothing on the laptop.
    let all =
        server.door.call::<ReadChanges>(&owner(), ReadChangesInput { after: Cursor::default(), limit: None }).await;
    let laptop_version = find(laptop, "Vektor").await["version"].clone();
    let again =
        laptop.door.call::<PushChanges>(&owner(), PushChangesInput { entries: all.unwrap().entries }).await.unwrap();
    assert_eq!((again.stored, again.records_changed), (0, 0));
    assert_eq!(find(laptop, "Vektor").await["version"], laptop_version);
}

async fn own_entries(db: &TestDb) -> Vec<SyncEntry> {
    accord_core::sync::own_entries_after(&db.door.database().conn, db.door.device_id(), 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, e)| e)
        .collect()
}

#[tokio::test]
async fn concurrent_edits_of_an_important_field_wait_for_a_person_on_every_side() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"kind": "supplier", "city": "Tabriz"})).await;
    update(&server, "Vektor", json!({"kind": "partner"})).await;

    let report = round(laptop, &server).await;
    assert_eq!(report.open_conflicts, 1, "{report:?}");
    assert_eq!(sync::open_conflicts(&server.door.database().conn).await.unwrap(), 1, "the server sees it too");
    // Both sides hold the same value (the one applied first) and the ordinary edit merged.
    assert_eq!(agreed_organisations(laptop).await, agreed_organisations(&server).await);
    let vektor = find(&server, "Vektor").await;
    assert_eq!(vektor["city"], "Tabriz");
    assert_eq!(vektor["kind"], "supplier", "the laptop's change came first and holds until a person chooses");
    for db in [laptop, &server] {
        let conn = &db.door.database().conn;
        let row = conn
            .query_one_raw(Statement::from_string(
                conn.get_database_backend(),
                "SELECT field, kept_value, other_value FROM sync_conflicts",
            ))
            .await
            .unwrap()
            .expect("one conflict");
        let seen: (String, String, String) = (
            row.try_get("", "field").unwrap(),
            row.try_get("", "kept_value").unwrap(),
            row.try_get("", "other_value").unwrap(),
        );
        assert_eq!(seen, ("kind".into(), "\"supplier\"".into(), "\"partner\"".into()), "both values are kept");
    }
}

#[tokio::test]
async fn an_archive_beats_an_offline_edit_and_nothing_archived_comes_back() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    let vektor = find(&server, "Vektor").await;
    server.ok("customers.archive_organisation", json!({"id": vektor["id"], "version": vektor["version"]})).await;

    round(laptop, &server).await;
    round(laptop, &server).await;
    let on_laptop = find(laptop, "Vektor").await;
    assert!(on_laptop["archived_at"].is_string(), "archived on the laptop too: {on_laptop}");
    assert_eq!(on_laptop["city"], "Tabriz", "the offline edit is kept in the archived record");
    assert_eq!(agreed_organisations(laptop).await, agreed_organisations(&server).await);
}

#[tokio::test]
async fn a_change_the_pusher_may_not_make_is_reported_and_never_applied() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    let entries = own_entries(laptop).await;

    // Someone who may read customers but not change them.
    let reader = Actor::with_permissions(
        owner().user_id,
        "Reader",
        &[sync::REPLICATE, accord_core::customers::permissions::READ],
    );
    let report = server.door.call::<PushChanges>(&reader, PushChangesInput { entries: entries.clone() }).await.unwrap();
    assert_eq!(report.stored, 0);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].code, ErrorCode::PermissionDenied);
    assert!(report.rejected[0].reason.contains("customers.write"), "{:?}", report.rejected[0]);
    assert_eq!(find(&server, "Vektor").await["city"], "Kazan");

    // Nobody pushes another person's changes.
    let someone_else = Actor::with_permissions(
        Uuid::now_v7(),
        "Other",
        &[sync::REPLICATE, accord_core::customers::permissions::WRITE],
    );
    let report = server.door.call::<PushChanges>(&someone_else, PushChangesInput { entries }).await.unwrap();
    assert_eq!((report.stored, report.rejected.len()), (0, 1));
    assert_eq!(find(&server, "Vektor").await["city"], "Kazan");
}

#[tokio::test]
async fn a_damaged_batch_is_refused_whole() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    update(laptop, "Пётр и партнёры", json!({"city": "Tabriz"})).await;
    let mut entries = own_entries(laptop).await;
    entries[1].changes = "{\"city\": {\"old\": \"Kazan\", \"ne".into();
    let before = server.footprint().await;
    let err = server.door.call::<PushChanges>(&owner(), PushChangesInput { entries }).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("damaged"), "{}", err.message);
    assert_eq!(server.footprint().await, before, "not even the first, sound entry was applied");

    // The same batch sound is applied.
    let report = round(laptop, &server).await;
    assert_eq!(report.pushed, 2);
}

#[tokio::test]
async fn a_change_dated_days_ahead_stays_pending_with_what_to_fix_and_the_pull_goes_on() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    let mut entries = own_entries(laptop).await;
    entries[0].hlc += THREE_DAYS;
    let before = server.footprint().await;
    let err = server.door.call::<PushChanges>(&owner(), PushChangesInput { entries }).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("more than a day ahead"), "{}", err.message);
    assert_eq!(server.footprint().await, before);

    // A laptop whose clock ran days ahead: its changes wait (nothing is taken back), it is
    // told what to fix, and it still receives the office's changes.
    let ahead = own_entries(laptop).await.iter().map(|e| e.hlc).max().unwrap() + THREE_DAYS;
    let id = find(laptop, "Пётр и партнёры").await["id"].as_str().unwrap().parse().unwrap();
    forge_own_entry(laptop, "organisations", id, "update", json!({"city": {"old": "Kazan", "new": "Sochi"}}), ahead)
        .await;
    update(&server, "Vektor", json!({"notes": "from the office"})).await;
    let report = round(laptop, &server).await;
    let problem = report.push_problem.clone().expect("the push was refused");
    assert!(problem.message.contains("more than a day ahead"), "{}", problem.message);
    assert_eq!((report.rejected.len(), report.pending), (0, 2), "{report:?}");
    assert_eq!(find(laptop, "Vektor").await["notes"], "from the office", "pulled all the same");
    assert_eq!(find(laptop, "Vektor").await["city"], "Tabriz", "its own change kept");
}

const THREE_DAYS: i64 = (3 * 24 * 3600 * 1000i64) << 16;

#[tokio::test]
async fn a_change_the_server_holds_already_is_acknowledged_whatever_the_rights_are_now() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    let entries = own_entries(laptop).await;
    server.door.call::<PushChanges>(&owner(), PushChangesInput { entries: entries.clone() }).await.unwrap();
    // The reply was lost; meanwhile the user lost the right to change customers.
    let reader = Actor::with_permissions(
        owner().user_id,
        "Reader",
        &[sync::REPLICATE, accord_core::customers::permissions::READ],
    );
    let report = server.door.call::<PushChanges>(&reader, PushChangesInput { entries }).await.unwrap();
    assert_eq!((report.held_already, report.rejected.len()), (1, 0), "{report:?}");
}

#[tokio::test]
async fn a_change_damaged_on_the_laptop_is_set_aside_and_the_rest_goes_through() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    let id: Uuid = find(laptop, "Vektor").await["id"].as_str().unwrap().parse().unwrap();
    forge_own_entry(laptop, "organisations", id, "update", json!("not a field map"), 0).await;
    update(laptop, "Пётр и партнёры", json!({"city": "Tabriz"})).await;
    let report = round(laptop, &server).await;
    assert_eq!((report.pushed, report.rejected.len(), report.pending), (1, 1, 0), "{report:?}");
    assert!(report.rejected[0].reason.contains("damaged on this laptop"), "{:?}", report.rejected[0]);
    assert_eq!(find(&server, "Пётр и партнёры").await["city"], "Tabriz");
    assert_eq!(laptop.ok("sync.list_rejected", json!({})).await.as_array().map(Vec::len), Some(1));
}

/// An entry of the laptop's own device, written straight into its log, as a damaged disk or
/// an older build might have left it.
async fn forge_own_entry(laptop: &TestDb, table: &str, row_id: Uuid, action: &str, changes: Value, hlc: i64) {
    use sea_orm::sea_query::{Alias, Query};
    let newest = own_entries(laptop).await.iter().map(|e| e.hlc).max().unwrap_or(1 << 16).max(hlc - 1);
    let insert = Query::insert()
        .into_table(Alias::new("change_log"))
        .columns(
            ["hlc", "device_id", "actor_id", "operation", "table_name", "row_id", "action", "changes"].map(Alias::new),
        )
        .values_panic([
            (newest + 1).into(),
            laptop.door.device_id().into(),
            owner().user_id.into(),
            "customers.update_organisation".into(),
            table.into(),
            row_id.into(),
            action.into(),
            match changes {
                Value::String(text) => text,
                other => other.to_string(),
            }
            .into(),
        ])
        .to_owned();
    laptop.door.database().conn.execute(&insert).await.expect("forged entry");
}

#[tokio::test]
async fn one_change_the_server_cannot_apply_is_taken_back_and_the_rest_goes_through() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    // A change to an organisation that never existed anywhere: no server can make a record
    // of it (it has no kind, no owner), so this record alone is refused.
    let ghost = Uuid::now_v7();
    forge_own_entry(laptop, "organisations", ghost, "update", json!({"name": {"old": null, "new": "Ghost"}}), 0).await;
    update(laptop, "Пётр и партнёры", json!({"city": "Tabriz"})).await;

    let report = round(laptop, &server).await;
    assert_eq!((report.pushed, report.rejected.len()), (2, 1), "{report:?}");
    assert_eq!(report.rejected[0].row_id, ghost);
    assert!(report.rejected[0].reason.contains("could not apply"), "{}", report.rejected[0].reason);
    assert_eq!(report.push_problem, None);
    assert_eq!(find(&server, "Vektor").await["city"], "Tabriz");
    assert_eq!(find(&server, "Пётр и партнёры").await["city"], "Tabriz", "the change after it went through");
    assert_eq!(agreed_organisations(&server).await, agreed_organisations(laptop).await);

    // Kept on the laptop for a person, out of its log: the next sync sends nothing again.
    let listed = laptop.ok("sync.list_rejected", json!({})).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["row_id"], json!(ghost));
    assert_eq!(listed[0]["fields"]["name"]["new"], "Ghost");
    let status = laptop.ok("sync.replica_status", json!({})).await;
    assert_eq!((status["pending"].as_i64(), status["rejected"].as_i64()), (Some(0), Some(1)), "{status}");
    let again = round(laptop, &server).await;
    assert_eq!((again.pushed, again.pushed_before, again.rejected.len()), (0, 0, 0), "{again:?}");
    assert_eq!(server.ok("sync.replica_status", json!({})).await, Value::Null, "a server is no replica");
}

#[tokio::test]
async fn changes_refused_for_lost_rights_are_taken_back_so_laptop_and_server_agree() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz", "notes": "met at the fair"})).await;
    laptop.ok("customers.create_organisation", json!({"name": "Offline Co"})).await;
    let before = agreed_organisations(&server).await;

    // While the laptop was away, its user lost the right to change customers.
    let reader = Actor::with_permissions(
        owner().user_id,
        "Reader",
        &[sync::REPLICATE, accord_core::customers::permissions::READ],
    );
    let report = sync::sync(&laptop.door, &owner(), &server.door, &reader).await.expect("sync");
    assert_eq!((report.pushed, report.rejected.len()), (0, 2), "{report:?}");
    assert!(report.rejected.iter().all(|r| r.code == ErrorCode::PermissionDenied), "{report:?}");
    assert_eq!(agreed_organisations(&server).await, before, "the server applied nothing");
    // The laptop shows what the server holds: Vektor as it was, no "Offline Co", and the
    // field first set by the refused change empty again.
    assert_eq!(agreed_organisations(laptop).await, before);
    let vektor = find(laptop, "Vektor").await;
    assert_eq!((vektor["city"].as_str(), vektor["notes"].as_str()), (Some("Kazan"), None));
    let hits = laptop.ok("search.query", json!({"text": "Offline"})).await;
    assert_eq!(hits["hits"], json!([]), "nor does search find the record taken back: {hits}");
    let listed = laptop.ok("sync.list_rejected", json!({})).await;
    let mut actions: Vec<&str> = listed.as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    actions.sort();
    assert_eq!(actions, ["insert", "update"], "{listed}");
    assert!(listed[0]["reason"].as_str().unwrap().contains("customers.write"), "{listed}");
}

#[tokio::test]
async fn a_replica_refuses_another_server() {
    let (_server, laptops) = server_and_replicas(1).await;
    let other = TestDb::new(Engine::Postgres).await;
    let err = sync::sync(&laptops[0].door, &owner(), &other.door, &owner()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("another server"), "{}", err.message);
}

/// The reason the cursor is commit-ordered: a transaction that takes its sequence number
/// first and commits last must still be shipped, once.
#[tokio::test]
async fn the_cursor_never_skips_an_entry_that_commits_late() {
    let server = TestDb::new(Engine::Postgres).await;
    let slow = sqlx::PgPool::connect(&server.url).await.unwrap();
    let mut slow_tx = slow.begin().await.unwrap();
    let slow_row = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO change_log (hlc, device_id, actor_id, operation, table_name, row_id, action, changes) \
         VALUES (1, $1, $2, 'test.slow', 'organisations', $3, 'update', '{}')",
    )
    .bind(Uuid::now_v7())
    .bind(owner().user_id)
    .bind(slow_row)
    .execute(&mut *slow_tx)
    .await
    .unwrap();

    // A fast transaction takes a later sequence number and commits first.
    server.ok("customers.create_organisation", json!({"name": "Fast"})).await;
    let reader = owner();
    let read = |after| server.door.call::<ReadChanges>(&reader, ReadChangesInput { after, limit: None });
    let early = read(Cursor::default()).await.unwrap();
    assert!(early.entries.is_empty(), "nothing after a transaction still running is shipped yet");

    slow_tx.commit().await.unwrap();
    let late = read(early.next).await.unwrap();
    let rows: Vec<Uuid> = late.entries.iter().map(|e| e.row_id).collect();
    assert_eq!(rows.len(), 2, "both entries, each once");
    assert_eq!(rows[0], slow_row, "in commit order by transaction: the slow one began first");
    let after_both = read(late.next).await.unwrap();
    assert!(after_both.entries.is_empty() && after_both.complete);

    // Many writers at once: every entry is read exactly once across interleaved reads.
    let mut cursor = late.next;
    let mut seen = std::collections::HashSet::new();
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let url = server.url.clone();
            tokio::spawn(async move {
                let door = accord_core::Door::open(&url, Uuid::now_v7()).await.unwrap();
                for j in 0..10 {
                    let name = format!("Writer {i} record {j}");
                    door.dispatch(&Actor::local_owner(), "customers.create_organisation", json!({"name": name}))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    loop {
        let done = writers.iter().all(|w| w.is_finished());
        let page = read(cursor).await.unwrap();
        for entry in &page.entries {
            assert!(seen.insert((entry.device_id, entry.hlc)), "an entry was shipped twice");
        }
        cursor = page.next;
        if done && page.complete {
            break;
        }
    }
    assert_eq!(seen.len(), 80, "every entry of every writer was shipped");
}

/// Both sides edit the kind of "Vektor" at once: a conflict on the laptop and the server.
async fn conflict_on_vektor() -> (TestDb, Vec<TestDb>) {
    let (server, laptops) = server_and_replicas(1).await;
    update(&laptops[0], "Vektor", json!({"kind": "supplier"})).await;
    update(&server, "Vektor", json!({"kind": "partner"})).await;
    assert_eq!(round(&laptops[0], &server).await.open_conflicts, 1);
    (server, laptops)
}

#[tokio::test]
async fn a_person_resolves_a_conflict_on_the_laptop_and_both_sides_converge() {
    let (server, laptops) = conflict_on_vektor().await;
    let laptop = &laptops[0];
    let listed = laptop.ok("sync.list_conflicts", json!({})).await;
    let conflicts = listed["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{listed}");
    let conflict = &conflicts[0];
    assert_eq!((conflict["title"].as_str(), conflict["field"].as_str()), (Some("Vektor"), Some("kind")));
    assert_eq!((&conflict["kept"]["value"], &conflict["other"]["value"]), (&json!("supplier"), &json!("partner")));
    assert_ne!(conflict["kept"]["device_id"], conflict["other"]["device_id"], "each value says where it was made");

    // Keep theirs: an ordinary change, in the record's history, that syncs.
    let vektor = find(laptop, "Vektor").await;
    let input = json!({"table": "organisations", "row_id": vektor["id"], "field": "kind", "version": vektor["version"], "choice": "other"});
    let resolved = laptop.ok("sync.resolve_conflict", input.clone()).await;
    assert_eq!(resolved["remaining"], 0);
    assert_eq!(find(laptop, "Vektor").await["kind"], "partner");
    let again = laptop.call("sync.resolve_conflict", input).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict, "resolved already: {}", again.message);

    round(laptop, &server).await;
    for db in [laptop, &server] {
        assert_eq!(db.ok("sync.list_conflicts", json!({})).await["conflicts"], json!([]), "closed everywhere");
        assert_eq!(find(db, "Vektor").await["kind"], "partner");
    }
    let history = server.ok("history.record", json!({"table": "organisations", "id": vektor["id"]})).await;
    let operations: Vec<&str> =
        history["entries"].as_array().unwrap().iter().map(|e| e["operation"].as_str().unwrap()).collect();
    assert!(operations.contains(&"sync.resolve_conflict"), "{operations:?}");
}

#[tokio::test]
async fn keeping_the_value_a_field_holds_still_closes_the_conflict_everywhere() {
    let (server, laptops) = conflict_on_vektor().await;
    let vektor = find(&server, "Vektor").await;
    let input = json!({"table": "organisations", "row_id": vektor["id"], "field": "kind", "version": vektor["version"], "choice": "kept"});
    server.ok("sync.resolve_conflict", input).await;
    assert_eq!(find(&server, "Vektor").await["version"], vektor["version"], "nothing of the record changed");
    round(&laptops[0], &server).await;
    for db in [&laptops[0], &server] {
        assert_eq!(db.ok("sync.list_conflicts", json!({})).await["conflicts"], json!([]));
        assert_eq!(find(db, "Vektor").await["kind"], "supplier");
    }
    assert_eq!(agreed_organisations(&laptops[0]).await, agreed_organisations(&server).await);
}

#[tokio::test]
async fn an_edited_value_must_fit_the_field_and_nothing_is_stored_otherwise() {
    let (server, _laptops) = conflict_on_vektor().await;
    let vektor = find(&server, "Vektor").await;
    let before = server.footprint().await;
    let input = json!({"table": "organisations", "row_id": vektor["id"], "field": "kind", "version": vektor["version"], "choice": {"value": "martian"}});
    let err = server.call("sync.resolve_conflict", input).await.unwrap_err();
    assert_eq!(err.fields["value"].code, accord_core::FieldCode::InvalidValue, "{err:?}");
    assert_eq!(server.footprint().await, before);
    let input = json!({"table": "organisations", "row_id": vektor["id"], "field": "kind", "version": vektor["version"], "choice": {"value": "prospect"}});
    server.ok("sync.resolve_conflict", input).await;
    assert_eq!(find(&server, "Vektor").await["kind"], "prospect");

    // Choosing who a record belongs to hands it over: only with the right to manage users.
    let sales = Actor::with_permissions(
        owner().user_id,
        "Sales",
        &[sync::RESOLVE, accord_core::customers::permissions::READ, accord_core::customers::permissions::WRITE],
    );
    let vektor = find(&server, "Vektor").await;
    let input = json!({"table": "organisations", "row_id": vektor["id"], "field": "owner_id", "version": vektor["version"], "choice": {"value": Uuid::now_v7()}});
    let err = server.door.dispatch(&sales, "sync.resolve_conflict", input).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied, "{err:?}");
    assert!(err.message.contains("users.manage"), "{}", err.message);
}

/// Years of a big team: one page holds changes from more devices than SQLite nests in one
/// condition; it is stored whole, and held the second time.
#[tokio::test]
async fn a_page_from_two_thousand_devices_is_applied_once() {
    let laptop = TestDb::new(Engine::Sqlite).await;
    let now = chrono::Utc::now().timestamp_millis() << 16;
    let entries: Vec<SyncEntry> = (0..2000)
        .map(|i| SyncEntry {
            hlc: now + i,
            device_id: Uuid::now_v7(),
            actor_id: owner().user_id,
            operation: "customers.create_organisation".into(),
            table: "organisations".into(),
            row_id: Uuid::now_v7(),
            action: accord_core::changelog::ChangeAction::Insert,
            changes: json!({"name": {"old": null, "new": format!("Device {i} Ltd")}, "kind": {"old": null, "new": "customer"}})
                .to_string(),
        })
        .collect();
    let first = laptop.door.call::<PushChanges>(&owner(), PushChangesInput { entries: entries.clone() }).await.unwrap();
    assert_eq!((first.stored, first.records_changed), (2000, 2000));
    let again = laptop.door.call::<PushChanges>(&owner(), PushChangesInput { entries }).await.unwrap();
    assert_eq!((again.stored, again.held_already), (0, 2000));
    assert_eq!(laptop.count("organisations").await, 2000);
}

#[tokio::test]
async fn an_entry_that_sets_a_records_identity_is_refused_whole() {
    let (server, laptops) = server_and_replicas(1).await;
    update(&laptops[0], "Vektor", json!({"city": "Tabriz"})).await;
    let mut entries = own_entries(&laptops[0]).await;
    let victim = find(&server, "Пётр и партнёры").await["id"].clone();
    entries[0].changes =
        json!({"id": {"old": null, "new": victim}, "name": {"old": null, "new": "Taken over"}}).to_string();
    entries[0].row_id = Uuid::now_v7();
    let before = server.footprint().await;
    let err = server.door.call::<PushChanges>(&owner(), PushChangesInput { entries }).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("\"id\""), "{}", err.message);
    assert_eq!(server.footprint().await, before);
    assert_eq!(find(&server, "Пётр и партнёры").await["name"], "Пётр и партнёры");
}

/// The organisation `id` as a database holds it (bookkeeping aside), or `None`.
async fn organisation_row(db: &TestDb, id: &Value) -> Option<Value> {
    agreed_organisations(db).await.into_iter().find(|row| row["id"] == *id)
}

#[tokio::test]
async fn records_entering_the_users_reach_arrive_whole_and_those_leaving_it_go() {
    use accord_core::security::BuiltInRole::{Manager, Sales};
    use common::{credentials, department, user};
    let server = TestDb::new(Engine::Postgres).await;
    let north = department(&server, "North", None).await;
    let south = department(&server, "South", None).await;
    let mila = user(&server, "mila", Manager, Some(&north)).await;
    let boris = user(&server, "boris", Sales, Some(&south)).await;
    let alex = user(&server, "alex", Sales, Some(&north)).await;
    // Boris's customer has a history before Mila may see it.
    let created =
        server.door.dispatch(&boris, "customers.create_organisation", json!({"name": "Южный клиент", "city": "Сочи"}));
    let client = created.await.unwrap()["organisation"].clone();
    let id = client["id"].clone();
    let changes = json!({"id": id, "version": 1, "changes": {"notes": "визит в марте", "city": "Адлер"}});
    server.door.dispatch(&boris, "customers.update_organisation", changes).await.unwrap();

    let laptop = TestDb::new(Engine::Sqlite).await;
    sync::create_replica(&laptop.door, &owner(), &server.door, &mila, "test server").await.unwrap();
    assert_eq!(laptop.count("organisations").await, 0, "nothing of North yet");

    // Boris leaves; his customers go to Alex, in North: into Mila's reach, with their past.
    server.ok("security.offboard_user", json!({"user_id": boris.user_id, "reassign_to": alex.user_id})).await;
    sync::sync(&laptop.door, &owner(), &server.door, &mila).await.unwrap();
    let on_server = organisation_row(&server, &id).await.expect("on the server");
    assert_eq!(on_server["notes"], "визит в марте");
    assert_eq!(organisation_row(&laptop, &id).await, Some(on_server.clone()), "arrived whole");
    assert_eq!(
        laptop.ok("history.record", json!({"table": "organisations", "id": id})).await["entries"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );

    // Managers now see only their own records: Alex's customer leaves Mila's laptop.
    let roles = server.ok("security.list_roles", json!({})).await;
    let manager = roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == "manager").unwrap()["id"].clone();
    server.ok("security.set_role_visibility", json!({"role_id": manager, "visibility": "own"})).await;
    let mila = server.door.sign_in(credentials("mila")).await.unwrap().actor;
    sync::sync(&laptop.door, &owner(), &server.door, &mila).await.unwrap();
    assert_eq!(organisation_row(&laptop, &id).await, None, "gone from the laptop");
    assert_eq!(laptop.count("search_documents").await, 0, "and from its search");

    // Seen again, it comes back whole.
    server.ok("security.set_role_visibility", json!({"role_id": manager, "visibility": "department"})).await;
    let mila = server.door.sign_in(credentials("mila")).await.unwrap().actor;
    sync::sync(&laptop.door, &owner(), &server.door, &mila).await.unwrap();
    assert_eq!(organisation_row(&laptop, &id).await, Some(on_server));
}

#[tokio::test]
async fn archiving_or_handing_over_offline_needs_the_same_rights_as_online() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    let vektor = find(laptop, "Vektor").await;
    laptop.ok("customers.archive_organisation", json!({"id": vektor["id"], "version": vektor["version"]})).await;
    // A record made offline that names someone else as its owner (a forged or damaged log).
    let stranger = Uuid::now_v7();
    let planted = Uuid::now_v7();
    let changes = json!({"name": {"old": null, "new": "Planted"}, "kind": {"old": null, "new": "customer"},
        "owner_id": {"old": null, "new": stranger}});
    forge_own_entry(laptop, "organisations", planted, "insert", changes, 0).await;

    // A salesperson: may change customers, not archive them or hand them over.
    let sales = Actor::with_permissions(
        owner().user_id,
        "Sales",
        &[sync::REPLICATE, accord_core::customers::permissions::READ, accord_core::customers::permissions::WRITE],
    );
    let report = sync::sync(&laptop.door, &owner(), &server.door, &sales).await.expect("sync");
    let reasons: Vec<&str> = report.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(report.rejected.len(), 2, "{report:?}");
    assert!(reasons.iter().any(|r| r.contains("customers.archive")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("another owner")), "{reasons:?}");
    assert_eq!(find(&server, "Vektor").await["archived_at"], Value::Null, "not archived on the server");
    assert_eq!(find(laptop, "Vektor").await["archived_at"], Value::Null, "nor any longer on the laptop");
    assert_eq!(agreed_organisations(&server).await, agreed_organisations(laptop).await);
    // The archive happened on the laptop, and the server's log says so — and that it never
    // took effect there.
    assert_eq!(report.audit_pushed, 1, "{report:?}");
    let said = server_audit_detail(&server, vektor["id"].as_str().unwrap()).await;
    assert!(said.is_some_and(|detail| detail.contains(sync::NOT_APPLIED)), "the entry says it was not applied");
}

/// The detail of the server's newest audit entry about record `id`.
async fn server_audit_detail(server: &TestDb, id: &str) -> Option<String> {
    let conn = &server.door.database().conn;
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            "SELECT detail FROM audit_log WHERE target_id = CAST($1 AS uuid) ORDER BY seq DESC LIMIT 1",
            [id.into()],
        ))
        .await
        .unwrap()?;
    row.try_get("", "detail").unwrap()
}

#[tokio::test]
async fn nobody_pushes_under_another_users_laptop_and_a_restored_laptop_is_told() {
    let (server, laptops) = server_and_replicas(2).await;
    let (laptop, other) = (&laptops[0], &laptops[1]);
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    round(laptop, &server).await;

    // Someone else (another user) sends changes stamped with that laptop's device.
    let mut forged = own_entries(laptop).await;
    let intruder = Actor::with_permissions(
        Uuid::now_v7(),
        "Intruder",
        &[sync::REPLICATE, accord_core::customers::permissions::READ, accord_core::customers::permissions::WRITE],
    );
    for entry in &mut forged {
        entry.actor_id = intruder.user_id;
        entry.hlc += 1 << 20;
    }
    let err = server.door.call::<PushChanges>(&intruder, PushChangesInput { entries: forged }).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied, "{err:?}");
    assert!(err.message.contains("belongs to someone else"), "{}", err.message);

    // A laptop restored from an older backup re-uses a stamp the server holds, for another change.
    let mut reused = own_entries(laptop).await;
    reused[0].changes = json!({"city": {"old": "Kazan", "new": "Sochi"}}).to_string();
    let before = server.footprint().await;
    let err = server.door.call::<PushChanges>(&owner(), PushChangesInput { entries: reused }).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "{err:?}");
    assert!(err.message.contains("older backup"), "{}", err.message);
    assert_eq!(server.footprint().await, before);
    assert_eq!(find(&server, "Vektor").await["city"], "Tabriz");
    // The other laptop, its own device, syncs as ever.
    update(other, "Пётр и партнёры", json!({"city": "Sochi"})).await;
    assert_eq!(round(other, &server).await.pushed, 1);
}

/// A database's audit chain, oldest first: id, operation, device, target, time.
async fn audit_trail(db: &TestDb) -> Vec<(Uuid, String, Uuid, Option<Uuid>, chrono::DateTime<chrono::Utc>)> {
    let conn = &db.door.database().conn;
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT id, operation, device_id, target_id, at FROM audit_log ORDER BY seq",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "id").unwrap(),
                r.try_get("", "operation").unwrap(),
                r.try_get("", "device_id").unwrap(),
                r.try_get("", "target_id").unwrap(),
                r.try_get("", "at").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn audit_entries_made_offline_join_the_servers_chain_in_order_and_it_still_verifies() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    // Offline: three audited actions, in this order.
    let vektor = find(laptop, "Vektor").await;
    let archived =
        laptop.ok("customers.archive_organisation", json!({"id": vektor["id"], "version": vektor["version"]})).await;
    let version = archived["version"].clone();
    laptop.ok("customers.restore_organisation", json!({"id": vektor["id"], "version": version})).await;
    let petr = find(laptop, "Пётр и партнёры").await;
    laptop.ok("customers.archive_organisation", json!({"id": petr["id"], "version": petr["version"]})).await;
    // Meanwhile at the office: an audited action of the server's own, later than all three.
    let pars = find(&server, "پارس‌نیرو").await;
    server.ok("customers.archive_organisation", json!({"id": pars["id"], "version": pars["version"]})).await;
    // The laptop's own (its installation's entries from before it became a replica stay).
    let offline: Vec<_> =
        audit_trail(laptop).await.into_iter().filter(|entry| entry.2 == laptop.door.device_id()).collect();
    assert_eq!(offline.len(), 3, "{offline:?}");

    let report = round(laptop, &server).await;
    assert_eq!(report.audit_pushed, 3, "{report:?}");
    let trail = audit_trail(&server).await;
    let joined = &trail[trail.len() - 3..];
    assert_eq!(joined, &offline[..], "the laptop's entries follow the server's, in the order they happened, unchanged");
    assert_eq!(joined[0].1, "customers.archive_organisation");
    assert_eq!(joined[0].2, laptop.door.device_id(), "each names the laptop it was made on");
    let detail = server_audit_detail(&server, petr["id"].as_str().unwrap()).await;
    assert!(!detail.unwrap_or_default().contains(sync::NOT_APPLIED), "an archive the server applied is not flagged");
    assert!(joined[2].4 < trail[trail.len() - 4].4, "each keeps the time it happened, before the office's own");
    let verified = server.ok("audit.verify", json!({})).await;
    assert_eq!(verified["intact"], true, "{verified}");
    assert_eq!(verified["entries"], trail.len());
    assert_eq!(laptop.ok("audit.verify", json!({})).await["intact"], true, "the laptop's own chain holds too");

    // Sent again (a lost reply, a later round): nothing is appended twice.
    assert_eq!(round(laptop, &server).await.audit_pushed, 0);
    let records: Vec<_> = offline_records(laptop).await;
    let again = server.door.call::<sync::PushAudit>(&owner(), sync::PushAuditInput { entries: records.clone() }).await;
    assert_eq!(again.unwrap(), sync::AuditPushReport { appended: 0, held_already: 3 });
    assert_eq!(audit_trail(&server).await, trail);

    // Entries no honest laptop of this user sends are refused whole, and nothing is appended.
    let before = server.footprint().await;
    let someone_else = Actor::with_permissions(Uuid::now_v7(), "Someone", &[sync::REPLICATE]);
    let mut fresh = records[0].clone();
    fresh.id = Uuid::now_v7();
    let refusals = [
        (
            owner(),
            accord_core::audit::AuditRecord { operation: "customers.drop_everything".into(), ..fresh.clone() },
            ErrorCode::InvalidInput,
            "not an audited action",
        ),
        (
            owner(),
            accord_core::audit::AuditRecord { at: chrono::Utc::now() + chrono::Duration::days(2), ..fresh.clone() },
            ErrorCode::InvalidInput,
            "more than a day ahead",
        ),
        (someone_else, fresh.clone(), ErrorCode::PermissionDenied, "someone other than you"),
    ];
    for (actor, record, code, said) in refusals {
        let input = sync::PushAuditInput { entries: vec![fresh_copy(&record), record] };
        let err = server.door.call::<sync::PushAudit>(&actor, input).await.unwrap_err();
        assert_eq!(err.code, code, "{err:?}");
        assert!(err.message.contains(said), "{}", err.message);
    }
    let too_many = sync::PushAuditInput { entries: vec![fresh.clone(); 201] };
    let err = server.door.call::<sync::PushAudit>(&owner(), too_many).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "{err:?}");
    assert_eq!(server.footprint().await, before);
    assert_eq!(server.ok("audit.verify", json!({})).await["intact"], true);
}

/// The laptop's audit entries as it sends them.
async fn offline_records(laptop: &TestDb) -> Vec<accord_core::audit::AuditRecord> {
    let conn = &laptop.door.database().conn;
    let state = sync::replica_state(&laptop.door).await.unwrap().unwrap();
    let entries = accord_core::audit::own_entries_after(conn, state.device_id, state.user_id, 0, 100).await.unwrap();
    entries.into_iter().map(|(_, record)| record).collect()
}

/// A valid entry ahead of a bad one in the same batch: refused with it.
fn fresh_copy(record: &accord_core::audit::AuditRecord) -> accord_core::audit::AuditRecord {
    accord_core::audit::AuditRecord {
        id: Uuid::now_v7(),
        operation: "customers.archive_organisation".into(),
        at: chrono::Utc::now(),
        ..record.clone()
    }
}

#[tokio::test]
async fn a_full_disk_during_apply_leaves_the_laptop_whole_and_the_next_sync_finishes() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    let notes = "Переговоры о поставке; مذاکره درباره‌ی قرارداد. ".repeat(8);
    for n in 0..300 {
        server.ok("customers.create_organisation", json!({"name": format!("Org {n:03}"), "notes": notes})).await;
    }
    // The laptop's disk fills up: SQLite's own limit on the file's pages gives the same
    // SQLITE_FULL a full disk does (the laptop's database has one connection).
    let pages = laptop_pages(laptop).await;
    laptop.exec(&format!("PRAGMA max_page_count = {}", pages + 24)).await;

    let err = sync::sync(&laptop.door, &owner(), &server.door, &owner()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::StorageFull, "{err:?}");
    assert!(err.message.contains("free some space"), "{}", err.message);
    assert_eq!(find(&server, "Vektor").await["city"], "Tabriz", "the push went through before the disk was full");
    let integrity = laptop
        .door
        .database()
        .conn
        .query_one_raw(Statement::from_string(sea_orm::DbBackend::Sqlite, "PRAGMA integrity_check"));
    assert_eq!(integrity.await.unwrap().unwrap().try_get::<String>("", "integrity_check").unwrap(), "ok");

    // Space is freed: the next sync takes up where the last one stopped.
    laptop.exec("PRAGMA max_page_count = 1073741823").await;
    let report = round(laptop, &server).await;
    assert_eq!(report.pending, 0);
    assert!(report.pulled > 0 && report.pulled <= 300, "only what had not arrived: {report:?}");
    assert_eq!(agreed_organisations(laptop).await, agreed_organisations(&server).await);
    assert_eq!(laptop.count("change_log").await, server.count("change_log").await, "every entry once");
}

async fn laptop_pages(laptop: &TestDb) -> i64 {
    let conn = &laptop.door.database().conn;
    let row = conn.query_one_raw(Statement::from_string(sea_orm::DbBackend::Sqlite, "PRAGMA page_count")).await;
    row.unwrap().unwrap().try_get("", "page_count").unwrap()
}

#[tokio::test]
async fn a_record_handed_to_another_department_leaves_the_laptop_at_the_next_sync() {
    use accord_core::security::BuiltInRole::{Manager, Sales};
    use common::{department, user};
    let server = TestDb::new(Engine::Postgres).await;
    let north = department(&server, "North", None).await;
    let south = department(&server, "South", None).await;
    let mila = user(&server, "mila", Manager, Some(&north)).await;
    let alex = user(&server, "alex", Sales, Some(&north)).await;
    let boris = user(&server, "boris", Sales, Some(&south)).await;
    for name in ["Северный клиент", "شرکت شمال"] {
        server.door.dispatch(&alex, "customers.create_organisation", json!({"name": name})).await.unwrap();
    }
    let laptop = TestDb::new(Engine::Sqlite).await;
    sync::create_replica(&laptop.door, &owner(), &server.door, &mila, "test server").await.unwrap();
    assert_eq!(laptop.count("organisations").await, 2);
    let steady = sync::sync(&laptop.door, &owner(), &server.door, &mila).await.unwrap();
    assert_eq!(steady.reach_asked, 0, "the server's summary and the laptop's agree: nothing to ask");

    // Alex leaves; his customers go to Boris, in South: out of Mila's reach, and no entry she
    // may read says so.
    server.ok("security.offboard_user", json!({"user_id": alex.user_id, "reassign_to": boris.user_id})).await;
    let report = sync::sync(&laptop.door, &owner(), &server.door, &mila).await.unwrap();
    assert_eq!(report.departed, 2, "{report:?}");
    assert_eq!(laptop.count("organisations").await, 0, "gone from the laptop");
    assert_eq!(laptop.count("search_documents").await, 0, "and from its search");
    assert_eq!(laptop.count("change_log").await, 0, "with their history");
    assert_eq!(server.count("organisations").await, 2, "the server keeps them");
    let after = sync::sync(&laptop.door, &owner(), &server.door, &mila).await.unwrap();
    assert_eq!((after.departed, after.reach_asked), (0, 0), "{after:?}");
}

#[tokio::test]
async fn a_contact_made_offline_for_an_organisation_archived_meanwhile_is_kept_and_flagged() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    let vektor = find(laptop, "Vektor").await;
    let made =
        laptop.ok("customers.create_contact", json!({"first_name": "Ирина", "organisation_id": vektor["id"]})).await;
    let irina = made["contact"]["id"].clone();
    let at_office = find(&server, "Vektor").await;
    server.ok("customers.archive_organisation", json!({"id": at_office["id"], "version": at_office["version"]})).await;
    assert_eq!(server.ok("sync.list_archived_references", json!({})).await["references"], json!([]));

    round(laptop, &server).await;
    for db in [laptop, &server] {
        let listed = db.ok("sync.list_archived_references", json!({})).await;
        let references = listed["references"].as_array().unwrap();
        assert_eq!(references.len(), 1, "{listed}");
        let flagged = &references[0];
        assert_eq!((&flagged["row_id"], flagged["field"].as_str()), (&irina, Some("organisation_id")));
        assert_eq!((&flagged["target_id"], flagged["target_title"].as_str()), (&vektor["id"], Some("Vektor")));
        assert_eq!(flagged["title"], "Ирина");
        let on_card = json!({"table": "contacts", "row_id": irina});
        assert_eq!(
            db.ok("sync.list_archived_references", on_card).await["references"].as_array().map(Vec::len),
            Some(1)
        );
    }
    assert_eq!(server.count("contacts").await, 2, "the contact is kept on the server");

    // Someone who sees the contact but not the organisation (handed to another department) is
    // not told of it.
    let elsewhere = Uuid::now_v7();
    server.exec(&format!("UPDATE organisations SET department_id = '{elsewhere}' WHERE name = 'Vektor'")).await;
    server.exec(&format!("UPDATE search_documents SET department_id = '{elsewhere}' WHERE title = 'Vektor'")).await;
    let nearby = Actor::with_permissions(
        Uuid::now_v7(),
        "Nearby",
        &[sync::RESOLVE, accord_core::customers::permissions::READ, accord_core::customers::permissions::WRITE],
    )
    .in_department(None, accord_core::security::Reach::Limited { user_id: Uuid::now_v7(), departments: vec![] });
    let seen = server.door.dispatch(&nearby, "sync.list_archived_references", json!({})).await.unwrap();
    assert_eq!(seen["references"], json!([]), "an organisation out of reach is not named");
    server.exec("UPDATE organisations SET department_id = NULL WHERE name = 'Vektor'").await;
    server.exec("UPDATE search_documents SET department_id = NULL WHERE title = 'Vektor'").await;

    // A person restores the organisation: nothing is flagged any more, on either side.
    let archived = find(&server, "Vektor").await;
    server.ok("customers.restore_organisation", json!({"id": archived["id"], "version": archived["version"]})).await;
    round(laptop, &server).await;
    for db in [laptop, &server] {
        assert_eq!(db.ok("sync.list_archived_references", json!({})).await["references"], json!([]));
    }
}

#[tokio::test]
async fn a_server_that_lost_a_laptops_changes_gets_them_again() {
    let (server, laptops) = server_and_replicas(1).await;
    let laptop = &laptops[0];
    update(laptop, "Vektor", json!({"city": "Tabriz"})).await;
    assert_eq!(round(laptop, &server).await.pushed, 1);
    // The server is restored from a backup taken before that sync: the change is gone.
    server.exec(&format!("DELETE FROM change_log WHERE device_id = '{}'", laptop.door.device_id())).await;
    server.exec("UPDATE organisations SET city = 'Kazan' WHERE name = 'Vektor'").await;

    let report = round(laptop, &server).await;
    assert!(report.server_restored, "{report:?}");
    assert_eq!((report.pushed, report.pulled), (1, 0), "the lost change sent again, nothing stored twice: {report:?}");
    assert_eq!(find(&server, "Vektor").await["city"], "Tabriz");
    assert_eq!(agreed_organisations(laptop).await, agreed_organisations(&server).await);
    assert!(!round(laptop, &server).await.server_restored, "told once");
}

#[tokio::test]
async fn a_server_restored_from_an_older_copy_is_read_again_from_the_start_so_nothing_new_is_skipped() {
    let server_dir = tempfile::tempdir().unwrap();
    let mut server = TestDb::new(Engine::Sqlite).await;
    server.ok("customers.create_organisation", json!({"name": "Vektor"})).await;
    let backup = server_dir.path().join("backup.sqlite3");
    server.exec(&format!("VACUUM INTO '{}'", backup.display())).await;
    for name in ["Later 1", "Later 2", "Later 3"] {
        server.ok("customers.create_organisation", json!({"name": name})).await;
    }
    let mut laptop = TestDb::new(Engine::Sqlite).await;
    sync::create_replica(&laptop.door, &owner(), &server.door, &owner(), "test server").await.unwrap();
    laptop.reopen().await;
    assert_eq!(laptop.count("organisations").await, 4);

    // The server is put back to the older copy, and someone adds a customer there: its entry
    // takes a place in the log the laptop's cursor has passed already.
    server.door = accord_core::Door::open(&format!("sqlite:{}", backup.display()), Uuid::now_v7()).await.unwrap();
    server.ok("customers.create_organisation", json!({"name": "After the restore"})).await;
    let report = round(&laptop, &server).await;
    assert!(report.server_restored, "{report:?}");
    assert!(organisation_names(&laptop).await.contains(&"After the restore".to_owned()), "not skipped");
}

async fn organisation_names(db: &TestDb) -> Vec<String> {
    agreed_organisations(db).await.iter().map(|o| o["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn oversized_questions_to_the_server_are_refused_with_what_to_fix() {
    let (server, _laptops) = server_and_replicas(0).await;
    let ids: Vec<Uuid> = (0..1001).map(|_| Uuid::now_v7()).collect();
    let input = sync::ReadableAmongInput { table: "organisations".into(), row_ids: ids };
    let err = server.door.call::<sync::ReadableAmong>(&owner(), input).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "{err:?}");
    assert!(err.fields["row_ids"].message.contains("at most 1000"), "{err:?}");
    let held = (0..11).map(|n| sync::EntryRef { device_id: Uuid::now_v7(), hlc: n }).collect();
    let input = sync::CheckContinuityInput { held, cursor: Cursor::default() };
    let err = server.door.call::<sync::CheckContinuity>(&owner(), input).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "{err:?}");
    assert!(err.message.contains("at most 10"), "{}", err.message);
    // A kind the server does not know is no error: nothing of it is readable.
    let input = sync::ReadableAmongInput { table: "martians".into(), row_ids: vec![Uuid::now_v7()] };
    assert_eq!(server.door.call::<sync::ReadableAmong>(&owner(), input).await.unwrap(), Vec::<Uuid>::new());
}

#[tokio::test]
async fn custom_fields_reach_laptops_and_their_values_merge_field_by_field() {
    let server = TestDb::new(Engine::Postgres).await;
    for (label, kind) in [("Region", "text"), ("Employees", "number")] {
        server.ok("fields.define", json!({"record_table": "organisations", "label": label, "kind": kind})).await;
    }
    server.ok("customers.create_organisation", json!({"name": "Vektor", "custom": {"region": "Volga"}})).await;
    let mut laptops = Vec::new();
    for _ in 0..2 {
        let mut laptop = TestDb::new(Engine::Sqlite).await;
        sync::create_replica(&laptop.door, &owner(), &server.door, &owner(), "test server").await.unwrap();
        laptop.reopen().await;
        laptops.push(laptop);
    }
    let [a, b] = &laptops[..] else { unreachable!() };
    // The laptop knows the fields: it checks values offline as the server would.
    let err = a
        .call("customers.create_organisation", json!({"name": "X", "custom": {"employees": "many"}}))
        .await
        .unwrap_err();
    assert_eq!(err.fields["custom.employees"].code, accord_core::FieldCode::InvalidValue);

    // Offline, each laptop sets another custom value of the same organisation; one clears one.
    update(a, "Vektor", json!({"custom": {"employees": 120}})).await;
    update(b, "Vektor", json!({"custom": {"region": null}})).await;
    round(a, &server).await;
    round(b, &server).await;
    round(a, &server).await;
    for db in [&server, a, b] {
        assert_eq!(find(db, "Vektor").await["custom"], json!({"employees": 120}), "both edits kept, on every side");
    }
    let conflicts = server.count("sync_conflicts").await;
    assert_eq!(conflicts, 0, "edits of different custom fields are not conflicts");
}

/// A merge made offline on a laptop reaches the server as the changes it made (the contact
/// moved, the other record archived, the merge kept); undone in the office, the undo reaches
/// the laptop.
#[tokio::test]
async fn a_merge_made_offline_reaches_the_server_and_its_undo_comes_back() {
    let server = TestDb::new(Engine::Postgres).await;
    let kept = server.ok("customers.create_organisation", json!({"name": "Vektor"})).await["organisation"].clone();
    let gone = server.ok("customers.create_organisation", json!({"name": "Вектор"})).await["organisation"].clone();
    let person = json!({"first_name": "Olga", "organisation_id": gone["id"]});
    let person = server.ok("customers.create_contact", person).await["contact"].clone();
    let mut laptop = TestDb::new(Engine::Sqlite).await;
    sync::create_replica(&laptop.door, &owner(), &server.door, &owner(), "test server").await.unwrap();
    laptop.reopen().await;

    let found = laptop.ok("duplicates.find", json!({"table": "organisations"})).await;
    assert_eq!(found["pairs"].as_array().unwrap().len(), 1, "the laptop finds the pair offline: {found}");
    let merged = laptop
        .ok(
            "duplicates.merge",
            json!({"table": "organisations", "survivor": {"id": kept["id"], "version": 1},
                   "merged": {"id": gone["id"], "version": 1}, "take": []}),
        )
        .await;
    round(&laptop, &server).await;
    let on_server = server.ok("customers.get_contact", json!({"id": person["id"]})).await;
    assert_eq!(on_server["organisation_id"], kept["id"], "the contact moved on the server too");
    assert!(find(&server, "Вектор").await["archived_at"].is_string());
    let merges = server.ok("duplicates.list_merges", json!({"table": "organisations", "row_id": gone["id"]})).await;
    assert_eq!(merges["merges"][0]["merge"]["id"], merged["merge"]["id"]);

    server.ok("duplicates.undo_merge", json!({"id": merged["merge"]["id"], "version": 1})).await;
    round(&laptop, &server).await;
    let on_laptop = laptop.ok("customers.get_contact", json!({"id": person["id"]})).await;
    assert_eq!(on_laptop["organisation_id"], gone["id"], "the undo reached the laptop");
    assert!(find(&laptop, "Вектор").await["archived_at"].is_null());
    assert_eq!(server.count("sync_conflicts").await, 0);
}

/// COMM-6 offline: a rule fires where the change is made — on the laptop, offline — and its
/// task and firing travel with the record; the server, applying the laptop's changes, does not
/// fire the rule a second time, and nothing comes back doubled.
#[tokio::test]
async fn a_rule_fires_once_on_the_laptop_offline_and_not_again_on_the_server() {
    let server = TestDb::new(Engine::Postgres).await;
    server
        .ok(
            "workflow.define",
            json!({"rule": {"name": "New medical customer", "record_table": "organisations", "trigger": {"type": "created"},
                   "condition": {"type": "condition", "field": "industry", "op": "is", "value": "Medical"},
                   "action": {"type": "create_task", "title": "Welcome {record}", "responsible": {"type": "record_owner"},
                              "deadline_days": 3}}}),
        )
        .await;
    let mut laptop = TestDb::new(Engine::Sqlite).await;
    sync::create_replica(&laptop.door, &owner(), &server.door, &owner(), "test server").await.unwrap();
    laptop.reopen().await;
    assert_eq!(laptop.count("workflow_rules").await, 1, "the rule reached the laptop");

    laptop.ok("customers.create_organisation", json!({"name": "Клиника «Здоровье»", "industry": "Medical"})).await;
    assert_eq!((laptop.count("tasks").await, laptop.count("rule_firings").await), (1, 1), "fired offline");
    round(&laptop, &server).await;
    assert_eq!(server.count("organisations").await, 1);
    assert_eq!((server.count("tasks").await, server.count("rule_firings").await), (1, 1), "arrived, not fired again");
    let task = server.ok("tasks.list", json!({"view": "team"})).await;
    assert_eq!(task["tasks"][0]["title"], "Welcome Клиника «Здоровье»");
    round(&laptop, &server).await;
    assert_eq!((laptop.count("tasks").await, laptop.count("rule_firings").await), (1, 1), "nothing doubled");
}

/// The rules service is a team server's (ADR 0022; its work is `cli/tests/team_server.rs`):
/// elsewhere every window fires the rules itself, and a service beside them would fire a
/// "field set" rule a second time. It says so and does nothing.
#[tokio::test]
async fn the_rules_service_runs_only_on_a_set_up_team_server() {
    use accord_core::workflow::{RunLogged, RunLoggedInput};
    for engine in [Engine::Postgres, Engine::Sqlite] {
        let db = TestDb::new(engine).await;
        let refused = db.door.call::<RunLogged>(&owner(), RunLoggedInput::default()).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        assert!(refused.message.contains("accord server init"), "{}", refused.message);
        assert_eq!(db.count("rules_service").await, 0);
    }
}
