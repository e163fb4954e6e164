//! Users, roles, sign-in and sessions (SEC-1, SEC-3, SEC-4) on both engines, through the door.

mod common;

use accord_core::ErrorCode;
use accord_core::data::Engine;
use accord_core::door::registry;
use accord_core::security::BuiltInRole;
use accord_security::sessions::{Credentials, SignedIn};
use common::TestDb;
use rstest::rstest;
use serde_json::{Value, json};

const PASSWORD: &str = "Correct-horse-42";

fn credentials(login: &str, password: &str) -> Credentials {
    Credentials {
        login: login.into(),
        password: password.into(),
        second_factor: None,
        remember: false,
        os_account: "anna".into(),
        machine: "DESK-07".into(),
    }
}

async fn create_user(db: &TestDb, login: &str, role: BuiltInRole) -> Value {
    let role_id = db.built_in_role_id(role.key()).await;
    db.ok(
        "security.create_user",
        json!({"login": login, "display_name": format!("User {login}"), "password": PASSWORD, "role_id": role_id}),
    )
    .await
}

async fn signed_in(db: &TestDb, login: &str) -> SignedIn {
    db.door.sign_in(credentials(login, PASSWORD)).await.expect("signs in")
}

async fn audit_details(db: &TestDb, operation: &str) -> Vec<String> {
    let conn = &db.door.database().conn;
    use sea_orm::{ConnectionTrait, Statement};
    conn.query_all_raw(Statement::from_sql_and_values(
        conn.get_database_backend(),
        match conn.get_database_backend() {
            sea_orm::DbBackend::Postgres => "SELECT detail FROM audit_log WHERE operation = $1 ORDER BY seq",
            _ => "SELECT detail FROM audit_log WHERE operation = ? ORDER BY seq",
        },
        [operation.into()],
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get::<Option<String>>("", "detail").unwrap().unwrap_or_default())
    .collect()
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_new_database_has_the_default_roles_and_a_new_user_has_minimal_access(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let roles = db.ok("security.list_roles", json!({})).await;
    let of = |key: &str| -> Value {
        roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == key).cloned().unwrap()
    };
    assert_eq!(of("administrator")["grants_all"], true);
    assert_eq!(
        of("sales")["permissions"],
        json!([
            "attachments.read",
            "attachments.write",
            "customers.read",
            "customers.write",
            "duplicates.find",
            "fields.read",
            "history.read",
            "imports.run",
            "interactions.read",
            "interactions.write",
            "preferences.own",
            "search.query",
            "security.directory",
            "security.own_account",
            "segments.manage",
            "segments.read",
            "session.use",
            "sync.replicate",
            "sync.resolve",
            "tasks.read",
            "tasks.write"
        ])
    );
    assert_eq!(
        of("auditor")["permissions"],
        json!([
            "attachments.read",
            "audit.read",
            "customers.read",
            "duplicates.find",
            "fields.read",
            "history.read",
            "interactions.read",
            "preferences.own",
            "search.query",
            "security.directory",
            "security.own_account",
            "segments.read",
            "session.use",
            "sync.replicate",
            "tasks.read",
            "workflow.read"
        ])
    );
    assert_eq!(of("newcomer")["permissions"], json!(["preferences.own", "security.own_account", "session.use"]));
    let catalogue: Vec<&str> = roles["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(catalogue.contains(&"users.manage") && catalogue.contains(&"customers.archive"), "{catalogue:?}");

    let newcomer =
        db.ok("security.create_user", json!({"login": "Neu", "display_name": "Neu", "password": PASSWORD})).await;
    assert_eq!(newcomer["role_name"], "New user (no data access)");
    let session = signed_in(&db, "neu").await;
    let err = db.door.dispatch(&session.actor, "customers.list_organisations", json!({})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied);
    assert!(err.message.contains("customers.read"), "the message names the permission to ask for: {}", err.message);
}

/// Generated from the registry: each default role, signed in, calls every registered
/// operation; each call is refused with `permission_denied` exactly when the role lacks the
/// operation's permission (a permitted call may still fail for its empty input).
#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn every_operation_is_allowed_or_refused_exactly_as_each_default_role_says(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let roles = db.ok("security.list_roles", json!({})).await;
    let mut checked = 0;
    for role in BuiltInRole::ALL {
        let login = format!("user-{}", role.key());
        create_user(&db, &login, role).await;
        let session = signed_in(&db, &login).await;
        let view = roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == role.key()).unwrap();
        let holds = |permission: &str| {
            view["grants_all"] == true || view["permissions"].as_array().unwrap().iter().any(|p| p == permission)
        };
        for spec in registry::operations() {
            let result = db.door.dispatch(&session.actor, spec.name, json!({})).await;
            let refused = matches!(&result, Err(e) if e.code == ErrorCode::PermissionDenied);
            assert_eq!(
                refused,
                !holds(spec.permission.key()),
                "{} calling {} (needs {}): {result:?}",
                role.key(),
                spec.name,
                spec.permission
            );
            checked += 1;
        }
    }
    assert!(checked >= 7 * 20, "{checked} calls checked");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn wrong_passwords_and_unknown_logins_are_refused_audited_and_lock_the_account(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let anna = create_user(&db, "anna", BuiltInRole::Sales).await;

    let err = db.door.sign_in(credentials("nobody", PASSWORD)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignInFailed);
    let err = db.door.sign_in(credentials("anna", "wrong-password")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignInFailed, "a wrong password reads like an unknown login");
    let failures = audit_details(&db, "security.sign_in_failed").await;
    assert_eq!(failures.len(), 2);
    assert!(
        failures[0].contains("nobody") && failures[0].contains("unknown login") && failures[0].contains("anna@DESK-07")
    );
    assert!(failures[1].contains("wrong password"));

    for _ in 2..5 {
        assert_eq!(
            db.door.sign_in(credentials("anna", "wrong-password")).await.unwrap_err().code,
            ErrorCode::SignInFailed
        );
    }
    // The fifth wrong password locks the account, and then even the right one is refused.
    let err = db.door.sign_in(credentials("anna", "still-wrong-pw")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccountLocked);
    assert_eq!(
        db.door.sign_in(credentials("anna", "wrong-password")).await.unwrap_err().code,
        ErrorCode::AccountLocked
    );
    let err = db.door.sign_in(credentials("Anna", PASSWORD)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccountLocked);
    assert!(err.message.contains("locked until"), "{}", err.message);
    let users = db.ok("security.list_users", json!({})).await;
    let listed = users["users"].as_array().unwrap().iter().find(|u| u["id"] == anna["id"]).unwrap();
    assert!(listed["locked_until"].is_string(), "the users screen shows the lock: {listed}");

    // Once the lock has passed, the right password opens a session and clears the count.
    db.exec("UPDATE users SET locked_until = NULL WHERE login = 'anna'").await;
    let session = signed_in(&db, "anna").await;
    assert_eq!(session.actor.display_name, "User anna");
    let signed = audit_details(&db, "security.sign_in").await;
    assert_eq!(signed, vec!["from anna@DESK-07".to_owned()]);
    assert_eq!(db.door.sign_in(credentials("anna", "wrong-password")).await.unwrap_err().code, ErrorCode::SignInFailed);
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_deactivated_users_open_session_ends_at_its_next_call(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let boris = create_user(&db, "boris", BuiltInRole::Sales).await;
    let session = signed_in(&db, "boris").await;
    let actor = db.door.session_actor(&session.token).await.unwrap();
    db.door.dispatch(&actor, "customers.create_organisation", json!({"name": "Boris's lead"})).await.unwrap();

    let deactivated = db.ok("security.deactivate_user", json!({"user_id": boris["id"]})).await;
    assert_eq!(deactivated["active"], false);
    let err = db.door.session_actor(&session.token).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignedOut);
    let err = db.door.sign_in(credentials("boris", PASSWORD)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied);
    assert!(err.message.contains("deactivated"));
    let listed = db.ok("security.list_users", json!({})).await;
    assert!(listed["users"].as_array().unwrap().iter().all(|u| u["id"] != boris["id"]), "hidden from active users");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn the_last_administrator_can_be_neither_deactivated_nor_demoted(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let first = db
        .ok(
            "security.create_first_administrator",
            json!({"login": "admin", "display_name": "Admin", "password": PASSWORD}),
        )
        .await;
    let again = db
        .call(
            "security.create_first_administrator",
            json!({"login": "admin2", "display_name": "A2", "password": PASSWORD}),
        )
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict, "the set-up runs once");

    let sales = db.built_in_role_id(BuiltInRole::Sales.key()).await;
    let err = db.call("security.deactivate_user", json!({"user_id": first["id"]})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("last active administrator"), "{}", err.message);
    let err = db.call("security.set_user_role", json!({"user_id": first["id"], "role_id": sales})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);

    let second = create_user(&db, "second-admin", BuiltInRole::Administrator).await;
    db.ok("security.set_user_role", json!({"user_id": first["id"], "role_id": sales})).await;
    let err = db.call("security.deactivate_user", json!({"user_id": second["id"]})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "now the second is the last");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_role_change_applies_at_the_next_call_and_is_audited(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    create_user(&db, "vera", BuiltInRole::Sales).await;
    let session = signed_in(&db, "vera").await;
    let sales = db.built_in_role_id(BuiltInRole::Sales.key()).await;
    db.ok(
        "security.set_role_permissions",
        json!({"role_id": sales, "permissions": ["customers.read", "preferences.own"]}),
    )
    .await;
    let actor = db.door.session_actor(&session.token).await.unwrap();
    let err = db.door.dispatch(&actor, "customers.create_organisation", json!({"name": "X"})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PermissionDenied);
    let details = audit_details(&db, "security.set_role_permissions").await;
    assert_eq!(details.len(), 1);
    assert!(details[0].contains("customers.write") && details[0].contains("lost"), "{details:?}");

    let admin = db.built_in_role_id(BuiltInRole::Administrator.key()).await;
    let err = db.call("security.set_role_permissions", json!({"role_id": admin, "permissions": []})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "the administrator role cannot be emptied");
    let err = db
        .call("security.set_role_permissions", json!({"role_id": sales, "permissions": ["customers.fly"]}))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.fields.contains_key("permissions"));
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn logins_are_one_login_whatever_the_keyboard_and_bad_input_is_named(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let created =
        db.ok("security.create_user", json!({"login": " Reza۱۲ ", "display_name": "رضا", "password": PASSWORD})).await;
    assert_eq!(created["login"], "reza12");
    db.door.sign_in(credentials("REZA12", PASSWORD)).await.expect("case and digits fold");
    db.door.sign_in(credentials("reza\u{200c}۱۲", PASSWORD)).await.expect("a ZWNJ does not matter");

    let taken = db
        .call("security.create_user", json!({"login": "reza12", "display_name": "R", "password": PASSWORD}))
        .await
        .unwrap_err();
    assert_eq!(taken.fields["login"].message, "The login \"reza12\" is taken; choose another.");
    let users_before = db.count("users").await;
    let bad = db
        .call("security.create_user", json!({"login": "a b", "display_name": "", "password": "short"}))
        .await
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput);
    for field in ["login", "display_name", "password"] {
        assert!(bad.fields.contains_key(field), "{field} is named: {:?}", bad.fields);
    }
    assert_eq!(db.count("users").await, users_before, "nothing stored");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn passwords_and_tokens_are_stored_nowhere_and_old_hashes_are_upgraded(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    create_user(&db, "lena", BuiltInRole::Quality).await;
    let session = signed_in(&db, "lena").await;
    let _ = db.door.sign_in(credentials("lena", "Typed-wrong-77")).await;
    let conn = &db.door.database().conn;
    use sea_orm::{ConnectionTrait, Statement};
    let backend = conn.get_database_backend();
    let dump = |sql: &str| Statement::from_string(backend, sql.to_owned());
    // Every text column a secret could have slipped into.
    let mut stored = String::new();
    for (sql, columns) in [
        ("SELECT operation, detail FROM audit_log", &["operation", "detail"][..]),
        ("SELECT operation, changes FROM change_log", &["operation", "changes"][..]),
        ("SELECT login, display_name, password_hash FROM users", &["login", "display_name", "password_hash"][..]),
        ("SELECT token_hash, os_account, machine FROM user_sessions", &["token_hash", "os_account", "machine"][..]),
    ] {
        for row in conn.query_all_raw(dump(sql)).await.unwrap() {
            for column in columns {
                stored.push_str(&row.try_get::<Option<String>>("", column).unwrap().unwrap_or_default());
                stored.push('\n');
            }
        }
    }
    for secret in [PASSWORD, "Typed-wrong-77", session.token.as_str()] {
        assert!(!stored.contains(secret), "{secret} is stored somewhere");
    }
    assert!(stored.contains("$argon2id$v=19$m=19456,t=2,p=1$"));

    // A hash made under weaker parameters still opens the account and is replaced at once.
    use argon2::password_hash::{PasswordHasher, SaltString};
    let weak_params = argon2::Params::new(4096, 1, 1, None).unwrap();
    let weak = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, weak_params)
        .hash_password(PASSWORD.as_bytes(), &SaltString::encode_b64(b"0123456789abcdef").unwrap())
        .unwrap()
        .to_string();
    db.exec(&format!("UPDATE users SET password_hash = '{weak}' WHERE login = 'lena'")).await;
    signed_in(&db, "lena").await;
    let row = conn.query_one_raw(dump("SELECT password_hash FROM users WHERE login = 'lena'")).await.unwrap().unwrap();
    let rehashed: String = row.try_get("", "password_hash").unwrap();
    assert!(rehashed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{rehashed}");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn history_names_the_person_who_made_each_change(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    create_user(&db, "anna", BuiltInRole::Sales).await;
    create_user(&db, "boris", BuiltInRole::Manager).await;
    let anna = signed_in(&db, "anna").await.actor;
    let boris = signed_in(&db, "boris").await.actor;
    let saved = db.door.dispatch(&anna, "customers.create_organisation", json!({"name": "Named Ltd"})).await.unwrap();
    let id = saved["organisation"]["id"].clone();
    let change = json!({"id": id, "version": 1, "changes": {"city": "Tabriz"}});
    db.door.dispatch(&boris, "customers.update_organisation", change).await.unwrap();
    let history = db.door.dispatch(&anna, "history.record", json!({"table": "organisations", "id": id})).await.unwrap();
    let names: Vec<&str> =
        history["entries"].as_array().unwrap().iter().map(|e| e["actor_name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["User boris", "User anna"], "newest first, each by name");
}

/// The window's session: no sign-in on a database without users; after the first
/// administrator is set up, whoever has not signed in can do nothing but sign in.
#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_window_asks_who_is_there_once_the_database_has_users(#[case] engine: Engine) {
    use accord_core::access::users::CreateUserInput;
    use accord_core::settings::session::{Session, SignInInput};
    let db = TestDb::new(engine).await;
    let window = Session::default();
    let status = window.status(&db.door).await.unwrap();
    assert!(!status.has_users && status.user.is_none());
    window.dispatch(&db.door, "customers.list_organisations", json!({})).await.expect("the owner of a new database");

    let admin: CreateUserInput =
        serde_json::from_value(json!({"login": "admin", "display_name": "Ada Admin", "password": PASSWORD})).unwrap();
    let status = window.create_first_administrator(&db.door, admin).await.unwrap();
    assert_eq!(status.user.as_ref().map(|u| (u.display_name.as_str(), u.all_permissions)), Some(("Ada Admin", true)));

    let other_window = Session::default();
    let err = other_window.dispatch(&db.door, "customers.list_organisations", json!({})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignedOut, "another window must sign in");
    let wrong = SignInInput { login: "admin".into(), password: "nope-nope-nope".into(), code: None, remember: None };
    assert_eq!(other_window.sign_in(&db.door, wrong).await.unwrap_err().code, ErrorCode::SignInFailed);

    let status = window.sign_out(&db.door).await.unwrap();
    assert!(status.has_users && status.user.is_none());
    let err = window.dispatch(&db.door, "customers.list_organisations", json!({})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignedOut);
    let right = SignInInput { login: "ADMIN".into(), password: PASSWORD.into(), code: None, remember: None };
    window.sign_in(&db.door, right).await.unwrap();
    window.dispatch(&db.door, "customers.list_organisations", json!({})).await.expect("signed in again");
    let signed_in = audit_details(&db, "security.sign_in").await;
    assert_eq!(signed_in.len(), 2, "both sign-ins are audited with the OS account and machine: {signed_in:?}");
}
