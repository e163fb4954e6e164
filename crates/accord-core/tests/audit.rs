//! The audit log against a forger (SEC-5, ADR 0011), on both engines: someone with write
//! access to the database who rewrites an entry and recomputes every later hash and the head
//! — or cuts the newest entries off and moves the head back — passes the hash chain, and is
//! caught by the checkpoints every installation keeps outside the database.

mod common;

use accord_core::data::Engine;
use accord_core::door::Door;
use accord_core::security::Actor;
use accord_kernel::audit::AuditWitness;
use common::TestDb;
use rstest::rstest;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A computer of the team: its own door on the shared database and its own checkpoints.
struct Computer {
    door: Door,
    _folder: tempfile::TempDir,
}

async fn computer(db: &TestDb) -> Computer {
    let folder = tempfile::tempdir().unwrap();
    let witness = AuditWitness::new(folder.path().join("audit-checkpoints.json"), &db.url);
    let door = Door::open(&db.url, Uuid::now_v7()).await.unwrap().witnessed_by(witness);
    Computer { door, _folder: folder }
}

async fn verify(door: &Door) -> Value {
    door.dispatch(&Actor::local_owner(), "audit.verify", json!({})).await.unwrap()
}

async fn archive_and_restore(door: &Door, name: &str) {
    let owner = Actor::local_owner();
    let saved = door.dispatch(&owner, "customers.create_organisation", json!({"name": name})).await.unwrap();
    let id = saved["organisation"]["id"].clone();
    door.dispatch(&owner, "customers.archive_organisation", json!({"id": id, "version": 1})).await.unwrap();
    door.dispatch(&owner, "customers.restore_organisation", json!({"id": id, "version": 2})).await.unwrap();
}

/// The forger knows the chain's rule (the code is public) and recomputes it after a change.
fn chain_hash(prev: &str, parts: &[String], detail: Option<&str>) -> String {
    let mut hasher = Sha256::new();
    for part in std::iter::once(prev).chain(parts.iter().map(String::as_str)) {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    if let Some(detail) = detail {
        hasher.update(detail.as_bytes());
        hasher.update([0x1f]);
    }
    hex::encode(hasher.finalize())
}

/// Rewrites the database's chain from its first entry as `edit` says (`None` drops the entry),
/// recomputing every hash and the head: what a forger with write access can do.
async fn forge(db: &TestDb, edit: impl Fn(i64, &mut String) -> bool) {
    let conn = &db.door.database().conn;
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT seq, id, at, actor_id, device_id, operation, target_table, target_id, detail FROM audit_log ORDER BY seq",
        ))
        .await
        .unwrap();
    let mut prev = "0".repeat(64);
    for row in rows {
        let seq: i64 = row.try_get("", "seq").unwrap();
        let mut operation: String = row.try_get("", "operation").unwrap();
        if !edit(seq, &mut operation) {
            db.exec(&format!("DELETE FROM audit_log WHERE seq = {seq}")).await;
            continue;
        }
        let at: chrono::DateTime<chrono::Utc> = row.try_get("", "at").unwrap();
        let id: Uuid = row.try_get("", "id").unwrap();
        let actor: Uuid = row.try_get("", "actor_id").unwrap();
        let device: Uuid = row.try_get("", "device_id").unwrap();
        let table: Option<String> = row.try_get("", "target_table").unwrap();
        let target: Option<Uuid> = row.try_get("", "target_id").unwrap();
        let detail: Option<String> = row.try_get("", "detail").unwrap();
        let parts = [
            id.to_string(),
            at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            actor.to_string(),
            device.to_string(),
            operation.clone(),
            table.unwrap_or_default(),
            target.map(|t| t.to_string()).unwrap_or_default(),
        ];
        let hash = chain_hash(&prev, &parts, detail.as_deref());
        db.exec(&format!(
            "UPDATE audit_log SET operation = '{operation}', prev_hash = '{prev}', hash = '{hash}' WHERE seq = {seq}"
        ))
        .await;
        prev = hash;
    }
    db.exec(&format!("UPDATE audit_head SET hash = '{prev}' WHERE id = 1")).await;
}

async fn seqs(db: &TestDb, operation: &str) -> Vec<i64> {
    let conn = &db.door.database().conn;
    let sql = format!("SELECT seq FROM audit_log WHERE operation = '{operation}' ORDER BY seq");
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("", "seq").unwrap())
        .collect()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_forger_who_rewrites_an_entry_and_recomputes_the_chain_is_caught_by_who_saw_it(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let office = computer(&db).await;
    let auditor = computer(&db).await;
    // The office computer has seen the chain as it was when it started.
    assert_eq!(verify(&office.door).await["intact"], true);
    archive_and_restore(&office.door, "Evidence Ltd").await;
    archive_and_restore(&office.door, "Later Ltd").await;
    let seen = verify(&auditor.door).await;
    assert_eq!((seen["intact"].as_bool(), seen["rewritten"].as_bool()), (Some(true), Some(false)), "{seen}");

    // The archive of Evidence Ltd becomes a harmless read, every later hash recomputed.
    let archives = seqs(&db, "customers.archive_organisation").await;
    let target = archives[0];
    forge(&db, |seq, operation| {
        if seq == target {
            *operation = "customers.get_organisation".into();
        }
        true
    })
    .await;
    let chain_only = verify(&db.door).await;
    assert_eq!(chain_only["intact"], true, "the chain alone is fooled: why checkpoints exist: {chain_only}");

    for (who, door) in [("the computer that did it", &office.door), ("the auditor's, who verified", &auditor.door)] {
        let report = verify(door).await;
        assert_eq!(
            (report["intact"].as_bool(), report["rewritten"].as_bool()),
            (Some(false), Some(true)),
            "{who}: {report}"
        );
        let first = report["first_broken_seq"].as_i64().unwrap();
        assert!(first <= target, "{who}: reported {first}, the rewrite is at {target}");
        assert!(report["checkpoints_compared"].as_i64().unwrap() >= 1);
    }
    let office_report = verify(&office.door).await;
    assert_eq!(office_report["first_broken_seq"], target, "a checkpoint right before it locates it exactly");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_forger_who_cuts_the_newest_entries_and_moves_the_head_back_is_caught(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let office = computer(&db).await;
    archive_and_restore(&office.door, "Cut Ltd").await;
    let restores = seqs(&db, "customers.restore_organisation").await;
    forge(&db, |seq, _| seq < restores[0]).await;
    assert_eq!(verify(&db.door).await["intact"], true, "the shortened chain is consistent in itself");
    let report = verify(&office.door).await;
    assert_eq!((report["intact"].as_bool(), report["rewritten"].as_bool()), (Some(false), Some(true)), "{report}");
}

/// Verifying while others write never raises a false alarm: no "truncated", no "rewritten".
#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn verification_while_others_write_is_never_a_false_alarm(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let office = std::sync::Arc::new(computer(&db).await);
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let office = office.clone();
            tokio::spawn(async move {
                for i in 0..8 {
                    archive_and_restore(&office.door, &format!("Busy {w}-{i}")).await;
                }
            })
        })
        .collect();
    let mut verifications = 0;
    while !writers.iter().all(|w| w.is_finished()) {
        let report = verify(&office.door).await;
        assert_eq!(report["intact"], true, "a false alarm while writers commit: {report}");
        verifications += 1;
    }
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(verifications > 1, "the verifications overlapped the writes");
    assert_eq!(verify(&office.door).await["intact"], true);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn administrators_and_auditors_read_the_log_by_person_and_operation_and_nobody_else(#[case] engine: Engine) {
    use accord_security::sessions::Credentials;
    let db = TestDb::new(engine).await;
    let roles = db.ok("security.list_roles", json!({})).await;
    let role =
        |key: &str| roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == key).unwrap()["id"].clone();
    let password = "Correct-horse-42";
    for (login, key) in [("olga", "auditor"), ("sam", "sales"), ("mila", "manager")] {
        let input =
            json!({"login": login, "display_name": format!("Ms {login}"), "password": password, "role_id": role(key)});
        db.ok("security.create_user", input).await;
    }
    let sign_in = |login: &str| {
        let credentials = Credentials {
            login: login.into(),
            password: password.into(),
            second_factor: None,
            remember: false,
            os_account: "u".into(),
            machine: "m".into(),
        };
        db.door.sign_in(credentials)
    };
    let mila = sign_in("mila").await.unwrap().actor;
    let olga = sign_in("olga").await.unwrap().actor;
    let sam = sign_in("sam").await.unwrap().actor;
    let wrong = Credentials {
        login: "sam".into(),
        password: "not-his-password".into(),
        second_factor: None,
        remember: false,
        os_account: "u".into(),
        machine: "m".into(),
    };
    db.door.sign_in(wrong).await.unwrap_err();
    let saved = db.door.dispatch(&mila, "customers.create_organisation", json!({"name": "Logged Ltd"})).await.unwrap();
    let archive = json!({"id": saved["organisation"]["id"], "version": 1});
    db.door.dispatch(&mila, "customers.archive_organisation", archive).await.unwrap();

    let everything = db.door.dispatch(&olga, "audit.list", json!({})).await.unwrap();
    let seqs: Vec<i64> = everything["entries"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first: {seqs:?}");
    assert_eq!(everything["entries"][0]["operation"], "customers.archive_organisation");
    assert_eq!(everything["entries"][0]["actor_name"], "Ms mila", "by name");

    let hers = db.door.dispatch(&olga, "audit.list", json!({"actor_id": mila.user_id})).await.unwrap();
    let operations: Vec<&str> =
        hers["entries"].as_array().unwrap().iter().map(|e| e["operation"].as_str().unwrap()).collect();
    assert_eq!(
        operations,
        ["customers.archive_organisation", "security.sign_in"],
        "everything she did that is audited"
    );
    let failed = db.door.dispatch(&olga, "audit.list", json!({"operation": "security.sign_in_failed"})).await.unwrap();
    assert_eq!(failed["entries"].as_array().unwrap().len(), 1);
    assert!(failed["entries"][0]["detail"].as_str().unwrap().contains("sam"));
    assert!(!failed.to_string().contains("not-his-password"), "a typed password is never in the log");

    let first = db.door.dispatch(&olga, "audit.list", json!({"limit": 2})).await.unwrap();
    let next = first["next_before_seq"].clone();
    let second = db.door.dispatch(&olga, "audit.list", json!({"limit": 2, "before_seq": next})).await.unwrap();
    assert!(second["entries"][0]["seq"].as_i64().unwrap() < next.as_i64().unwrap(), "the next page is older");
    let bad = db.door.dispatch(&olga, "audit.list", json!({"limit": 0})).await.unwrap_err();
    assert!(bad.fields.contains_key("limit"));

    for who in [&sam, &mila] {
        let refused = db.door.dispatch(who, "audit.list", json!({})).await.unwrap_err();
        assert_eq!(refused.code, accord_core::ErrorCode::PermissionDenied, "{}", who.display_name);
    }
}

/// Edits without recomputing: an entry inserted with a made-up hash, or two entries' contents
/// swapped, break the chain at exactly that entry.
#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn an_inserted_or_reordered_entry_breaks_the_chain_at_that_entry(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    archive_and_restore(&db.door, "Order Ltd").await;
    let archive = seqs(&db, "customers.archive_organisation").await[0];
    let restore = seqs(&db, "customers.restore_organisation").await[0];
    // Reordered: the archive and the restore trade places (their contents swap).
    db.exec(&format!(
        "UPDATE audit_log SET operation = CASE WHEN seq = {archive} THEN 'customers.restore_organisation' \
         ELSE 'customers.archive_organisation' END WHERE seq IN ({archive}, {restore})"
    ))
    .await;
    let report = verify(&db.door).await;
    assert_eq!(
        (report["intact"].as_bool(), report["first_broken_seq"].as_i64()),
        (Some(false), Some(archive)),
        "{report}"
    );
    db.exec(&format!(
        "UPDATE audit_log SET operation = CASE WHEN seq = {archive} THEN 'customers.archive_organisation' \
         ELSE 'customers.restore_organisation' END WHERE seq IN ({archive}, {restore})"
    ))
    .await;
    assert_eq!(verify(&db.door).await["intact"], true, "put back, it verifies again");

    // Inserted: an entry that follows the last one, with a hash the forger made up.
    let conn = &db.door.database().conn;
    let (id, actor) = (Uuid::now_v7(), Uuid::now_v7());
    let insert = match engine {
        Engine::Sqlite => format!(
            "INSERT INTO audit_log (id, at, actor_id, device_id, operation, prev_hash, hash) \
             SELECT x'{}', at, x'{}', device_id, 'security.sign_in', hash, '{}' FROM audit_log ORDER BY seq DESC LIMIT 1",
            id.simple(),
            actor.simple(),
            "f".repeat(64)
        ),
        Engine::Postgres => format!(
            "INSERT INTO audit_log (id, at, actor_id, device_id, operation, prev_hash, hash) \
             SELECT '{id}', at, '{actor}', device_id, 'security.sign_in', hash, '{}' FROM audit_log ORDER BY seq DESC LIMIT 1",
            "f".repeat(64)
        ),
    };
    conn.execute_unprepared(&insert).await.unwrap();
    let inserted = seqs(&db, "security.sign_in").await;
    let report = verify(&db.door).await;
    assert_eq!(report["intact"], false);
    assert_eq!(report["first_broken_seq"].as_i64(), inserted.last().copied(), "{report}");
}
