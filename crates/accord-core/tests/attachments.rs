//! Files attached to interactions (COMM-1) through the door, on a real SQLite file and a real
//! PostgreSQL database: a file chosen on disk is kept with its SHA-256 and saved back byte for
//! byte where the person chooses; the same file twice is kept once; a removed file stays in
//! the history and the audit log; each kind of bad input (a file that vanished, one too large,
//! a folder, a record that does not take files or does not exist, an archived one) is refused
//! with nothing stored; a file is seen only within its record's reach; and an offline laptop's
//! file reaches the server and another laptop by sync, checked against its hash.

mod common;

use accord_core::data::Engine;
use accord_core::security::{Actor, BuiltInRole};
use accord_core::sync;
use accord_core::{ErrorCode, FieldCode};
use common::{TestDb, department, user};
use rstest::rstest;
use serde_json::{Value, json};
use sha2::Digest;

/// A logged call with Мария Иванова of پارس‌نیرو.
async fn logged_call(db: &TestDb, actor: &Actor) -> Value {
    let topic = db.door.dispatch(actor, "interactions.list_topics", json!({})).await.unwrap();
    let topic_id = match topic["topics"].as_array().and_then(|t| t.first()) {
        Some(topic) => topic["id"].clone(),
        None => db.ok("interactions.define_topic", json!({"name": "Рекламация"})).await["id"].clone(),
    };
    let organisation = db.door.dispatch(actor, "customers.create_organisation", json!({"name": "پارس‌نیرو"})).await;
    let organisation = organisation.unwrap()["organisation"].clone();
    let call = json!({"topic_id": topic_id, "channel": "phone", "organisation_id": organisation["id"],
                      "summary": "Клиент прислал акт с фотографиями"});
    db.door.dispatch(actor, "interactions.log", call).await.unwrap()
}

fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

async fn stored(db: &TestDb) -> (i64, i64) {
    (db.count("attachments").await, db.count("attachment_contents").await)
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_file_is_kept_with_its_hash_saved_back_whole_and_removed_into_the_history(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let me = Actor::local_owner();
    let call = logged_call(&db, &me).await;
    let dir = tempfile::tempdir().unwrap();
    let scan: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let path = file(&dir, "عکس خرابی‌ها.jpg", &scan);

    let attached =
        db.ok("attachments.attach", json!({"table": "interactions", "record_id": call["id"], "path": path})).await;
    assert_eq!(attached["file_name"], "عکس خرابی‌ها.jpg");
    assert_eq!(attached["media_type"], "image/jpeg");
    assert_eq!(attached["size_bytes"], scan.len());
    assert_eq!(attached["sha256"], sha256(&scan));
    assert_eq!(attached["owner_id"], call["owner_id"], "a file belongs where its record does");
    assert_eq!(attached["available"], true);

    // The same file again (a second copy sent by the customer) is a second attachment of the
    // same bytes, kept once.
    let again = file(&dir, "copy.jpg", &scan);
    db.ok("attachments.attach", json!({"table": "interactions", "record_id": call["id"], "path": again})).await;
    let minutes = file(&dir, "Протокол.pdf", b"%PDF-1.7 minutes of the meeting");
    db.ok("attachments.attach", json!({"table": "interactions", "record_id": call["id"], "path": minutes})).await;
    assert_eq!(stored(&db).await, (3, 2));
    let list = db.ok("attachments.list", json!({"table": "interactions", "record_id": call["id"]})).await;
    let names: Vec<&str> =
        list["attachments"].as_array().unwrap().iter().map(|a| a["file_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["عکس خرابی‌ها.jpg", "copy.jpg", "Протокол.pdf"], "oldest first");

    // Saved where the person chose, under its own extension, byte for byte.
    let out = tempfile::tempdir().unwrap();
    let chosen = out.path().join("damage").display().to_string();
    let saved = db.ok("attachments.save", json!({"id": attached["id"], "path": chosen})).await;
    assert_eq!(saved["path"], out.path().join("damage.jpg").display().to_string());
    assert_eq!(std::fs::read(out.path().join("damage.jpg")).unwrap(), scan);

    // A damaged stored copy is never handed out as the file (PostgreSQL's CHECK refuses the
    // damage itself; on a laptop's file a disk fault is imaginable).
    if engine == Engine::Sqlite {
        let minutes_hash = sha256(b"%PDF-1.7 minutes of the meeting");
        db.exec(&format!("UPDATE attachment_contents SET bytes = X'00' WHERE sha256 = '{minutes_hash}'")).await;
        let damaged = &list["attachments"][2];
        let path = out.path().join("minutes.pdf").display().to_string();
        let err = db.call("attachments.save", json!({"id": damaged["id"], "path": path})).await.unwrap_err();
        assert!(err.message.contains("is damaged"), "{err:?}");
        assert!(!out.path().join("minutes.pdf").exists());
    }
    let removed = db.ok("attachments.remove", json!({"id": attached["id"], "version": 1})).await;
    assert!(removed["archived_at"].is_string());
    let list = db.ok("attachments.list", json!({"table": "interactions", "record_id": call["id"]})).await;
    assert_eq!(list["attachments"].as_array().unwrap().len(), 2);
    let with_removed = db
        .ok("attachments.list", json!({"table": "interactions", "record_id": call["id"], "include_removed": true}))
        .await;
    assert_eq!(with_removed["attachments"].as_array().unwrap().len(), 3, "kept for the history");
    let history = db.ok("history.record", json!({"table": "attachments", "id": attached["id"]})).await;
    assert_eq!(history["entries"].as_array().unwrap().len(), 2, "attached, then removed");
    let audit = db.ok("audit.list", json!({"limit": 50})).await;
    let operations: Vec<&str> =
        audit["entries"].as_array().unwrap().iter().map(|e| e["operation"].as_str().unwrap()).collect();
    for op in ["attachments.attach", "attachments.save", "attachments.remove"] {
        assert!(operations.contains(&op), "{op} is audited: {operations:?}");
    }
    let detail = audit["entries"].as_array().unwrap().iter().find(|e| e["operation"] == "attachments.save").unwrap();
    assert_eq!(detail["detail"], "عکس خرابی‌ها.jpg", "the audit names the file, never its folder");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_file_that_vanished_is_too_large_or_has_nowhere_to_go_is_refused_with_nothing_stored(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let me = Actor::local_owner();
    let call = logged_call(&db, &me).await;
    let dir = tempfile::tempdir().unwrap();
    let attach = |path: String| json!({"table": "interactions", "record_id": call["id"], "path": path});

    let gone = file(&dir, "Счёт.pdf", b"invoice");
    std::fs::remove_file(&gone).unwrap();
    let err = db.call("attachments.attach", attach(gone)).await.unwrap_err();
    assert_eq!((err.code, err.fields["path"].code), (ErrorCode::InvalidInput, FieldCode::FileNotFound));
    assert!(err.fields["path"].message.contains("Счёт.pdf is no longer at"), "{err:?}");

    // Larger than Accord keeps: refused by its size, before a byte is read.
    let huge = dir.path().join("video.mp4");
    std::fs::File::create(&huge).unwrap().set_len(accord_core::attachments::MAX_BYTES + 1).unwrap();
    let err = db.call("attachments.attach", attach(huge.display().to_string())).await.unwrap_err();
    assert_eq!(err.fields["path"].code, FieldCode::TooLong);
    assert!(err.fields["path"].message.contains("the largest file Accord keeps is 25.0 MB"), "{err:?}");

    let err = db.call("attachments.attach", attach(dir.path().display().to_string())).await.unwrap_err();
    assert!(err.fields["path"].message.contains("is a folder"), "{err:?}");
    let err = db.call("attachments.attach", attach("notes.txt".into())).await.unwrap_err();
    assert!(err.fields["path"].message.contains("not a full path"), "{err:?}");

    let real = file(&dir, "real.txt", b"real");
    let organisation = db.ok("customers.list_organisations", json!({"limit": 1})).await["items"][0].clone();
    let err = db
        .call("attachments.attach", json!({"table": "organisations", "record_id": organisation["id"], "path": real}))
        .await
        .unwrap_err();
    assert!(err.fields["table"].message.contains("they are attached to interactions"), "{err:?}");
    let nobody = uuid::Uuid::now_v7();
    let err = db
        .call("attachments.attach", json!({"table": "interactions", "record_id": nobody, "path": real}))
        .await
        .unwrap_err();
    assert_eq!((err.code, err.fields["record_id"].code), (ErrorCode::NotFound, FieldCode::UnknownId));
    assert_eq!(stored(&db).await, (0, 0), "nothing stored");

    // Nowhere to save it: a folder that does not exist; nothing written, nothing audited.
    let attached = db.ok("attachments.attach", attach(real)).await;
    let nowhere = dir.path().join("missing").join("real.txt").display().to_string();
    let err = db.call("attachments.save", json!({"id": attached["id"], "path": nowhere})).await.unwrap_err();
    assert!(err.fields["path"].message.contains("does not exist"), "{err:?}");
    // A removal made against an older version is a conflict; the file stays.
    db.ok("attachments.remove", json!({"id": attached["id"], "version": 1})).await;
    let err = db.call("attachments.remove", json!({"id": attached["id"], "version": 1})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_file_is_seen_only_within_its_records_reach_and_changed_only_with_the_right_to_change_it(
    #[case] engine: Engine,
) {
    let db = TestDb::new(engine).await;
    let north = department(&db, "Север", None).await;
    let south = department(&db, "Юг", None).await;
    let olga = user(&db, "olga", BuiltInRole::Sales, Some(&north)).await;
    let reza = user(&db, "reza", BuiltInRole::Sales, Some(&south)).await;
    let ada = user(&db, "ada", BuiltInRole::Auditor, None).await;
    let call = logged_call(&db, &olga).await;
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, "contract.pdf", b"%PDF signed contract");
    let input = json!({"table": "interactions", "record_id": call["id"], "path": path});
    let attached = db.door.dispatch(&olga, "attachments.attach", input.clone()).await.unwrap();
    assert_eq!(attached["attached_by"], "olga", "who attached it, by name");

    let list = json!({"table": "interactions", "record_id": call["id"]});
    let err = db.door.dispatch(&reza, "attachments.list", list.clone()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound, "another department's record is not disclosed");
    let err = db.door.dispatch(&reza, "attachments.attach", input.clone()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    let out = tempfile::tempdir().unwrap().keep().join("x.pdf").display().to_string();
    let err =
        db.door.dispatch(&reza, "attachments.save", json!({"id": attached["id"], "path": out})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);

    // The auditor reads and saves every file, and attaches or removes none.
    let seen = db.door.dispatch(&ada, "attachments.list", list).await.unwrap();
    assert_eq!(seen["attachments"].as_array().unwrap().len(), 1);
    let err = db.door.dispatch(&ada, "attachments.attach", input).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied);
    let err =
        db.door.dispatch(&ada, "attachments.remove", json!({"id": attached["id"], "version": 1})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied);
    assert_eq!(stored(&db).await, (1, 1));
}

#[tokio::test]
async fn an_offline_laptops_file_reaches_the_server_and_another_laptop_by_its_hash() {
    let owner = Actor::local_owner();
    let server = TestDb::new(Engine::Postgres).await;
    let call = logged_call(&server, &owner).await;
    let mut first = TestDb::new(Engine::Sqlite).await;
    let mut second = TestDb::new(Engine::Sqlite).await;
    for laptop in [&mut first, &mut second] {
        sync::create_replica(&laptop.door, &owner, &server.door, &owner, "test server").await.unwrap();
        laptop.reopen().await;
    }
    // Offline on the first laptop: a photo attached to the call.
    let dir = tempfile::tempdir().unwrap();
    let photo: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let path = file(&dir, "Фото дефекта.png", &photo);
    let attached =
        first.ok("attachments.attach", json!({"table": "interactions", "record_id": call["id"], "path": path})).await;
    sync::sync(&first.door, &owner, &server.door, &owner).await.unwrap();
    assert_eq!(stored(&server).await, (1, 1), "the file went with its attachment");

    // The second laptop has the attachment and its file after one round, and saves it whole.
    let report = sync::sync(&second.door, &owner, &server.door, &owner).await.unwrap();
    assert_eq!(report.files_fetched, 1);
    let list = second.ok("attachments.list", json!({"table": "interactions", "record_id": call["id"]})).await;
    assert_eq!(list["attachments"][0]["available"], true);
    let out = tempfile::tempdir().unwrap();
    let saved = out.path().join("photo.png").display().to_string();
    second.ok("attachments.save", json!({"id": attached["id"], "path": saved})).await;
    assert_eq!(std::fs::read(&saved).unwrap(), photo);

    // Another round moves no file again; the server's own attachment reaches both laptops.
    let report = sync::sync(&second.door, &owner, &server.door, &owner).await.unwrap();
    assert_eq!(report.files_fetched, 0);
    let letter = file(&dir, "نامه.txt", "پاسخ به شکایت مشتري".as_bytes());
    server.ok("attachments.attach", json!({"table": "interactions", "record_id": call["id"], "path": letter})).await;
    let report = sync::sync(&first.door, &owner, &server.door, &owner).await.unwrap();
    assert_eq!((report.files_fetched, stored(&first).await), (1, (2, 2)));
}

#[tokio::test]
async fn a_file_damaged_on_the_way_is_refused_whole() {
    let owner = Actor::local_owner();
    let server = TestDb::new(Engine::Postgres).await;
    let good = accord_core::attachments::contents::FileContent::of(sha256(b"good"), b"good");
    let mut bad = accord_core::attachments::contents::FileContent::of(sha256(b"bad"), b"bad");
    bad.content_base64 = accord_core::attachments::contents::FileContent::of(String::new(), b"evil").content_base64;
    let input =
        serde_json::to_value(accord_core::attachments::contents::FileContents { contents: vec![good, bad] }).unwrap();
    let err = server.door.dispatch(&owner, "attachments.store_contents", input).await.unwrap_err();
    assert!(err.fields["contents"].message.contains("does not match its hash"), "{err:?}");
    assert_eq!(stored(&server).await, (0, 0), "neither kept");
}
