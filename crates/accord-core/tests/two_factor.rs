//! Two-factor sign-in (SEC-3) on both engines, through the door: enrolment with the app's
//! first code, wrong, expired and replayed codes, recovery codes, the lock, an administrator's
//! reset, and two windows racing with one code. Codes are computed by an independent TOTP
//! implementation from the otpauth address the enrolment hands out.

mod common;

use accord_core::data::Engine;
use accord_core::{Actor, ErrorCode};
use accord_security::sessions::{Credentials, SignedIn};
use common::TestDb;
use rstest::rstest;
use serde_json::{Value, json};

const PASSWORD: &str = "Correct-horse-42";

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// The code an authenticator app holding `uri` shows `offset` seconds from now.
fn code_at(uri: &str, offset: i64) -> String {
    let totp = totp_rs::Totp::from_url(uri).expect("a valid otpauth address");
    totp.generate(now().saturating_add_signed(offset)).to_string()
}

/// Six digits no step within the accepted window (one either side of now) produces.
fn wrong_code(uri: &str) -> String {
    let window: Vec<String> = [-30, 0, 30].iter().map(|offset| code_at(uri, *offset)).collect();
    (0..).map(|n: u32| format!("{:06}", (n * 7919) % 1_000_000)).find(|candidate| !window.contains(candidate)).unwrap()
}

fn persian_digits(code: &str) -> String {
    code.chars().map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0x06F0 + d).unwrap())).collect()
}

fn credentials(login: &str, password: &str, code: Option<&str>) -> Credentials {
    Credentials {
        login: login.into(),
        password: password.into(),
        second_factor: code.map(str::to_owned),
        remember: false,
        os_account: "vera".into(),
        machine: "LAPTOP-3".into(),
    }
}

async fn create_user(db: &TestDb, login: &str) -> Value {
    let role_id = db.built_in_role_id("sales").await;
    db.ok(
        "security.create_user",
        json!({"login": login, "display_name": format!("User {login}"), "password": PASSWORD, "role_id": role_id}),
    )
    .await
}

async fn sign_in(db: &TestDb, login: &str, code: Option<&str>) -> Result<SignedIn, accord_core::ApiError> {
    db.door.sign_in(credentials(login, PASSWORD, code)).await
}

struct Enrolled {
    actor: Actor,
    uri: String,
    /// The code that confirmed the enrolment (spent from then on).
    confirmed_with: String,
    recovery_codes: Vec<String>,
}

/// Creates `login`, signs them in and turns two-factor sign-in on as they would.
async fn enrolled(db: &TestDb, login: &str) -> Enrolled {
    create_user(db, login).await;
    let actor = sign_in(db, login, None).await.expect("no code is asked before enrolment").actor;
    let started = db.door.dispatch(&actor, "security.start_two_factor", json!({})).await.unwrap();
    let uri = started["otpauth_uri"].as_str().unwrap().to_owned();
    let confirmed_with = code_at(&uri, 0);
    let confirmed =
        db.door.dispatch(&actor, "security.confirm_two_factor", json!({"code": confirmed_with})).await.unwrap();
    let recovery_codes =
        confirmed["codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    Enrolled { actor, uri, confirmed_with, recovery_codes }
}

async fn failed_attempts(db: &TestDb, login: &str) -> i64 {
    let conn = &db.door.database().conn;
    use sea_orm::{ConnectionTrait, Statement};
    let sql = format!("SELECT failed_attempts FROM users WHERE login = '{login}'");
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap().unwrap();
    i64::from(row.try_get::<i32>("", "failed_attempts").unwrap())
}

async fn audit_details(db: &TestDb, operation: &str) -> Vec<String> {
    let conn = &db.door.database().conn;
    use sea_orm::{ConnectionTrait, Statement};
    let sql = format!("SELECT detail FROM audit_log WHERE operation = '{operation}' ORDER BY seq");
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
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
async fn enrolment_needs_the_apps_first_code_and_shows_a_qr_code(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    create_user(&db, "vera").await;
    let vera = sign_in(&db, "vera", None).await.unwrap().actor;

    let started = db.door.dispatch(&vera, "security.start_two_factor", json!({})).await.unwrap();
    let uri = started["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Accord:vera?"), "{uri}");
    assert!(started["qr_svg"].as_str().unwrap().contains("<svg"), "an SVG QR code");
    let typed: String = started["secret"].as_str().unwrap().split(' ').collect();
    assert!(uri.contains(&format!("secret={typed}")), "the secret to type is the one in the QR code");

    // A wrong code is named at the field, and nothing is switched on.
    let err =
        db.door.dispatch(&vera, "security.confirm_two_factor", json!({"code": wrong_code(uri)})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "{err:?}");
    assert!(err.fields.contains_key("code"), "{err:?}");
    sign_in(&db, "vera", None).await.expect("still no second factor");

    // The code as a Persian keyboard types it, with a space in the middle.
    let code: Vec<char> = persian_digits(&code_at(uri, 0)).chars().collect();
    let typed = format!("{} {}", code[..3].iter().collect::<String>(), code[3..].iter().collect::<String>());
    let confirmed = db.door.dispatch(&vera, "security.confirm_two_factor", json!({"code": typed})).await.unwrap();
    let codes = confirmed["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    assert!(codes.iter().all(|c| c.as_str().unwrap().len() == 19), "xxxx-xxxx-xxxx-xxxx: {codes:?}");

    let account = db.door.dispatch(&vera, "security.my_account", json!({})).await.unwrap();
    assert!(account["two_factor_since"].is_string());
    assert_eq!(account["recovery_codes_left"], 10);
    let again = db.door.dispatch(&vera, "security.start_two_factor", json!({})).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict, "a second enrolment over the first is refused");
    assert_eq!(
        audit_details(&db, "security.confirm_two_factor").await,
        ["two-factor sign-in on; 10 recovery codes issued"]
    );
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn every_sign_in_needs_a_fresh_code_and_wrong_expired_or_replayed_ones_are_refused(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let vera = enrolled(&db, "vera").await;

    let err = sign_in(&db, "vera", None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecondFactorRequired);
    assert_eq!(failed_attempts(&db, "vera").await, 0, "being asked for the code is no failed attempt");

    // A wrong password is refused as before, whatever the code: nothing hints at the second factor.
    let err =
        db.door.sign_in(credentials("vera", "Not-her-password", Some(&code_at(&vera.uri, 30)))).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignInFailed);

    // The enrolment's own code (not "the code now": a test that crosses a 30-second step would
    // then send a new one).
    let err = sign_in(&db, "vera", Some(&vera.confirmed_with)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecondFactorReplayed, "the code that confirmed the enrolment is spent: {err:?}");
    let err = sign_in(&db, "vera", Some(&code_at(&vera.uri, -120))).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecondFactorWrong, "a code four steps old has expired");
    let err = sign_in(&db, "vera", Some(&wrong_code(&vera.uri))).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecondFactorWrong);

    let next = code_at(&vera.uri, 30);
    let session = sign_in(&db, "vera", Some(&next)).await.expect("the next code opens the account");
    assert_eq!(session.actor.user_id, vera.actor.user_id);
    assert_eq!(failed_attempts(&db, "vera").await, 0, "a successful sign-in clears the count");
    let err = sign_in(&db, "vera", Some(&next)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecondFactorReplayed, "a code is accepted once");
    assert_eq!(failed_attempts(&db, "vera").await, 1, "a replayed code is a failed attempt");
    let failures = audit_details(&db, "security.sign_in_failed").await;
    assert!(failures.iter().any(|d| d.contains("wrong two-factor code")), "{failures:?}");
    assert!(failures.iter().any(|d| d.contains("two-factor code used again")), "{failures:?}");
    let sign_ins = audit_details(&db, "security.sign_in").await;
    assert!(sign_ins.last().unwrap().ends_with("from vera@LAPTOP-3; with a two-factor code"), "{sign_ins:?}");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_recovery_code_opens_the_account_once(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let vera = enrolled(&db, "vera").await;
    let recovery = &vera.recovery_codes[3];

    // Typed in capitals, without the dashes.
    let typed = recovery.replace('-', " ").to_uppercase();
    sign_in(&db, "vera", Some(&typed)).await.expect("a recovery code stands in for the app");
    let err = sign_in(&db, "vera", Some(recovery)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecondFactorReplayed);
    let err = sign_in(&db, "vera", Some("abcd-efgh-jkmn-pqrs")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecondFactorWrong);

    let sign_ins = audit_details(&db, "security.sign_in").await;
    assert!(sign_ins.last().unwrap().ends_with("with a recovery code (9 left)"), "{sign_ins:?}");

    // Fresh codes replace the old ones; renewing needs the app's code.
    let err = db.door.dispatch(&vera.actor, "security.renew_recovery_codes", json!({"code": "123"})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let renewed = db
        .door
        .dispatch(&vera.actor, "security.renew_recovery_codes", json!({"code": code_at(&vera.uri, 30)}))
        .await
        .unwrap();
    let fresh = renewed["codes"][0].as_str().unwrap().to_owned();
    let err = sign_in(&db, "vera", Some(&vera.recovery_codes[4])).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecondFactorWrong, "an old recovery code stops working");
    sign_in(&db, "vera", Some(&fresh)).await.expect("a new one works");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn guessing_codes_locks_the_account_like_guessing_passwords(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let vera = enrolled(&db, "vera").await;
    let wrong = wrong_code(&vera.uri);
    for _ in 0..4 {
        assert_eq!(sign_in(&db, "vera", Some(&wrong)).await.unwrap_err().code, ErrorCode::SecondFactorWrong);
    }
    let err = sign_in(&db, "vera", Some(&wrong)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccountLocked, "the fifth wrong code locks: {err:?}");
    let err = sign_in(&db, "vera", Some(&code_at(&vera.uri, 30))).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccountLocked, "even the right code waits for the lock to end");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn two_windows_racing_with_one_code_get_one_session(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let vera = enrolled(&db, "vera").await;
    let code = code_at(&vera.uri, 30);
    let attempts = (0..4).map(|_| sign_in(&db, "vera", Some(&code)));
    let results = futures::future::join_all(attempts).await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    for refused in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(refused.code, ErrorCode::SecondFactorReplayed, "{refused:?}");
    }
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn a_lost_phone_is_reset_by_an_administrator_and_a_user_turns_it_off_with_a_code(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let vera = enrolled(&db, "vera").await;
    let user_id = vera.actor.user_id;

    let users = db.ok("security.list_users", json!({})).await;
    assert_eq!(users["users"].as_array().unwrap().iter().find(|u| u["login"] == "vera").unwrap()["two_factor"], true);
    let refused = db.door.dispatch(&vera.actor, "security.reset_two_factor", json!({"user_id": user_id})).await;
    assert_eq!(refused.unwrap_err().code, ErrorCode::PermissionDenied, "a sales user resets nobody's second factor");

    let reset = db.ok("security.reset_two_factor", json!({"user_id": user_id})).await;
    assert_eq!(reset["two_factor"], false);
    assert!(audit_details(&db, "security.reset_two_factor").await[0].contains("vera"));
    sign_in(&db, "vera", None).await.expect("after a reset the password alone signs in, until they enrol again");
    let err = sign_in(&db, "vera", Some(&vera.recovery_codes[0])).await;
    assert!(err.is_ok(), "a code sent to an account without a second factor is ignored");
    let twice = db.call("security.reset_two_factor", json!({"user_id": user_id})).await.unwrap_err();
    assert_eq!(twice.code, ErrorCode::Conflict);

    // Turning it off oneself needs a code, and the code must be right.
    let again = enrolled(&db, "nina").await;
    let err =
        db.door.dispatch(&again.actor, "security.disable_two_factor", json!({"code": wrong_code(&again.uri)})).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::InvalidInput);
    sign_in(&db, "nina", None).await.unwrap_err();
    db.door
        .dispatch(&again.actor, "security.disable_two_factor", json!({"code": again.recovery_codes[9]}))
        .await
        .unwrap();
    sign_in(&db, "nina", None).await.expect("off again");
}

#[rstest]
#[case::sqlite(Engine::Sqlite)]
#[case::postgres(Engine::Postgres)]
#[tokio::test]
async fn secrets_and_codes_are_stored_nowhere_but_the_users_row(#[case] engine: Engine) {
    let db = TestDb::new(engine).await;
    let vera = enrolled(&db, "vera").await;
    let next = code_at(&vera.uri, 30);
    sign_in(&db, "vera", Some(&next)).await.unwrap();
    sign_in(&db, "vera", Some(&vera.recovery_codes[0])).await.unwrap();
    let secret = vera.uri.split("secret=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    let secret_hex = hex::encode(totp_rs::Totp::from_url(&vera.uri).unwrap().secret().as_bytes());

    let conn = &db.door.database().conn;
    use sea_orm::{ConnectionTrait, Statement};
    let mut stored = String::new();
    for (sql, columns) in [
        ("SELECT operation, detail FROM audit_log", &["operation", "detail"][..]),
        ("SELECT operation, changes FROM change_log", &["operation", "changes"][..]),
        ("SELECT code_hash FROM recovery_codes", &["code_hash"][..]),
    ] {
        let statement = Statement::from_string(conn.get_database_backend(), sql.to_owned());
        for row in conn.query_all_raw(statement).await.unwrap() {
            for column in columns {
                stored.push_str(&row.try_get::<Option<String>>("", column).unwrap().unwrap_or_default());
                stored.push('\n');
            }
        }
    }
    assert!(!stored.contains(&secret) && !stored.contains(&secret_hex), "the TOTP secret is stored elsewhere");
    for code in vera.recovery_codes.iter().map(String::as_str).chain([next.as_str()]) {
        assert!(!stored.contains(code) && !stored.contains(&code.replace('-', "")), "{code} is stored");
    }
}
