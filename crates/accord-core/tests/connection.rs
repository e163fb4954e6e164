//! Switching the database this installation works on (settings screen): all or nothing, the
//! password only in the secret store, and a start that survives a server it cannot use.
//!
//! The desktop shell's secret store is the OS keyring; here a map stands in for it so the
//! rest (validation, the real PostgreSQL server, the profile file) is tested for real.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use accord_core::data::{self, Engine};
use accord_core::installation::Installation;
use accord_core::settings::connection::{
    self, ConnectServerInput, ConnectionMode, ConnectionProfile, SecretStore, load_profile,
};
use accord_core::{Actor, ApiError, Door, ErrorCode, FieldCode};
use common::TestDb;
use rstest::rstest;
use serde_json::json;

#[derive(Default)]
struct MapSecrets(Mutex<HashMap<String, String>>);

impl SecretStore for MapSecrets {
    fn save(&self, account: &str, secret: &str) -> Result<(), ApiError> {
        self.0.lock().unwrap().insert(account.to_owned(), secret.to_owned());
        Ok(())
    }
    fn load(&self, account: &str) -> Result<Option<String>, ApiError> {
        Ok(self.0.lock().unwrap().get(account).cloned())
    }
    fn forget(&self, account: &str) -> Result<(), ApiError> {
        self.0.lock().unwrap().remove(account);
        Ok(())
    }
}

/// The shape the core keeps a secret store in.
fn store(secrets: &Arc<MapSecrets>) -> Arc<dyn SecretStore> {
    Arc::clone(secrets) as Arc<dyn SecretStore>
}

impl MapSecrets {
    fn is_empty(&self) -> bool {
        self.0.lock().unwrap().is_empty()
    }
}

struct Home {
    installation: Installation,
    _dir: tempfile::TempDir,
}

fn home() -> Home {
    let dir = tempfile::tempdir().expect("temp dir");
    let installation = Installation::at(&dir.path().join("data"), &dir.path().join("config"));
    Home { installation, _dir: dir }
}

/// The test server's URL split the way the settings screen asks for it: address, user, password.
fn server_parts(url: &str) -> (String, String, String) {
    let rest = url.strip_prefix("postgres://").expect("a postgres:// URL");
    let (userinfo, address) = rest.split_once('@').expect("the test URL names a user");
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    (format!("postgres://{address}"), user.to_owned(), password.to_owned())
}

const PASSWORD_FOR_TRUST_AUTH: &str = "only-in-the-keyring-7f3a";

#[rstest]
#[case::empty_address("", "u", "p", "url", FieldCode::Required)]
#[case::file_address("sqlite:/tmp/x.sqlite3", "u", "p", "url", FieldCode::InvalidValue)]
#[case::credentials_in_the_address("postgres://alice:secret@db.local/accord", "u", "p", "url", FieldCode::InvalidValue)]
#[case::no_host("postgres:///accord", "u", "p", "url", FieldCode::InvalidValue)]
#[case::password_in_the_query(
    "postgres://db.local/accord?sslmode=require&password=secret",
    "u",
    "p",
    "url",
    FieldCode::InvalidValue
)]
#[case::password_file_in_the_query(
    "postgres://db.local/accord?PassFile=/tmp/p",
    "u",
    "p",
    "url",
    FieldCode::InvalidValue
)]
#[case::no_user("postgres://db.local/accord", "  ", "p", "user", FieldCode::Required)]
#[case::no_password("postgres://db.local/accord", "u", "", "password", FieldCode::Required)]
#[tokio::test]
async fn connect_server_refuses_bad_input_and_changes_nothing(
    #[case] url: &str,
    #[case] user: &str,
    #[case] password: &str,
    #[case] field: &str,
    #[case] code: FieldCode,
) {
    let home = home();
    let secrets = Arc::new(MapSecrets::default());
    let input = ConnectServerInput { url: url.into(), user: user.into(), password: password.into() };
    let Err(error) = connection::connect_server(&home.installation, &store(&secrets), input).await else {
        panic!("bad input was accepted");
    };
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(error.fields.get(field).map(|f| f.code), Some(code), "{:?}", error.fields);
    assert!(!error.fields.get(field).unwrap().message.is_empty());
    assert!(!home.installation.connection_file().exists(), "no profile written");
    assert!(secrets.is_empty(), "no password kept");
}

#[tokio::test]
async fn an_unreachable_server_is_refused_and_the_app_stays_embedded() {
    let home = home();
    let secrets = Arc::new(MapSecrets::default());
    let input =
        ConnectServerInput { url: "postgres://127.0.0.1:1/accord".into(), user: "alice".into(), password: "pw".into() };
    let Err(error) = connection::connect_server(&home.installation, &store(&secrets), input).await else {
        panic!("connected to a closed port");
    };
    assert_eq!(error.code, ErrorCode::DatabaseUnavailable);
    assert!(!error.message.contains("pw"), "the message never carries the password: {}", error.message);
    assert_eq!(load_profile(&home.installation), ConnectionProfile::Embedded);
    assert!(secrets.is_empty());
}

#[tokio::test]
async fn a_server_connection_is_kept_without_its_password_in_files_and_used_at_the_next_start() {
    let server = TestDb::new(Engine::Postgres).await;
    let (url, user, password) = server_parts(&server.url);
    let password = if password.is_empty() { PASSWORD_FOR_TRUST_AUTH.to_owned() } else { password };
    let home = home();
    let secrets = Arc::new(MapSecrets::default());

    let connected = connection::connect_server(
        &home.installation,
        &store(&secrets),
        ConnectServerInput { url: url.clone(), user: user.clone(), password: password.clone() },
    )
    .await
    .expect("connects to the test server");
    assert_eq!(connected.settings.mode, ConnectionMode::Server);
    assert_eq!(connected.settings.server_url.as_deref(), Some(url.as_str()));

    let profile_text = std::fs::read_to_string(home.installation.connection_file()).expect("profile saved");
    assert!(!profile_text.contains(&password), "the password is not in the profile file");
    assert_eq!(secrets.load(&format!("{user}@{url}")).unwrap().as_deref(), Some(password.as_str()));

    // The next start opens the server again, and what is saved there is on the server.
    let restarted = connection::open_saved(&home.installation, &store(&secrets)).await.expect("opens");
    assert_eq!(restarted.settings.mode, ConnectionMode::Server);
    assert_eq!(restarted.settings.problem, None);
    restarted
        .door
        .dispatch(&Actor::local_owner(), "customers.create_organisation", json!({"name": "Saved on the server"}))
        .await
        .expect("works on the server");
    let listed = server.ok("customers.list_organisations", json!({})).await;
    assert_eq!(listed["items"][0]["name"], "Saved on the server");

    // Back to the embedded database: the password is forgotten.
    let embedded = connection::use_embedded(&home.installation, &store(&secrets)).await.expect("switches back");
    assert_eq!(embedded.settings.mode, ConnectionMode::Embedded);
    assert_eq!(load_profile(&home.installation), ConnectionProfile::Embedded);
    assert!(secrets.is_empty(), "the server password is forgotten");
}

#[tokio::test]
async fn a_start_without_the_server_password_falls_back_to_the_embedded_database_and_says_why() {
    let home = home();
    std::fs::create_dir_all(home.installation.connection_file().parent().unwrap()).unwrap();
    std::fs::write(
        home.installation.connection_file(),
        r#"{"mode":"server","url":"postgres://127.0.0.1:5432/accord","user":"alice"}"#,
    )
    .unwrap();
    let connected = connection::open_saved(&home.installation, &store(&Arc::default())).await.expect("still starts");
    assert_eq!(connected.settings.mode, ConnectionMode::Embedded);
    let problem = connected.settings.problem.expect("says why");
    assert!(problem.contains("keyring"), "{problem}");
    assert!(home.installation.embedded_database_path().exists(), "the embedded database is created");
}

#[tokio::test]
async fn a_damaged_profile_file_means_the_embedded_database() {
    let home = home();
    std::fs::create_dir_all(home.installation.connection_file().parent().unwrap()).unwrap();
    std::fs::write(home.installation.connection_file(), "{ not json").unwrap();
    let connected = connection::open_saved(&home.installation, &store(&Arc::default())).await.expect("starts");
    assert_eq!(connected.settings.mode, ConnectionMode::Embedded);
}

#[tokio::test]
async fn only_an_administrator_may_switch_the_database() {
    use accord_core::host;
    use accord_core::settings::connection::ConnectServer;
    let viewer =
        Actor::with_permissions(Actor::local_owner().user_id, "Viewer", &[accord_core::customers::permissions::READ]);
    let input = json!({"url": "postgres://db.local/accord", "user": "u", "password": "p"});
    let result = host::serve::<ConnectServer, _, _>(&viewer, input, |_| async {
        panic!("the switch must not run for a viewer");
    })
    .await;
    assert_eq!(result.map_err(|e| e.code), Err(ErrorCode::PermissionDenied));
}

#[tokio::test]
async fn a_host_operation_through_the_database_door_says_where_it_runs() {
    let db = TestDb::new(Engine::Sqlite).await;
    let error = db.call("settings.get_connection", json!({})).await.expect_err("not a database operation");
    assert_eq!(error.code, ErrorCode::UnknownOperation);
    assert!(error.message.contains("desktop app"), "{}", error.message);
}

/// A new, empty database on the test server, dropped at the end; `setup` runs in it first.
async fn scratch_database(setup: &str) -> (String, impl Drop) {
    struct Dropper(String);
    impl Drop for Dropper {
        fn drop(&mut self) {
            let name = self.0.clone();
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async {
                    let admin = sqlx::PgPool::connect(&common::pg_admin_url()).await.expect("admin");
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&admin).await;
                });
            })
            .join();
        }
    }
    let name = format!("accord_s_{}", uuid::Uuid::now_v7().simple());
    let admin = sqlx::PgPool::connect(&common::pg_admin_url()).await.expect("admin");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.expect("create");
    let (base, _) = common::pg_admin_url().rsplit_once('/').map(|(b, d)| (b.to_owned(), d.to_owned())).expect("path");
    let url = format!("{base}/{name}");
    if !setup.is_empty() {
        let pool = sqlx::PgPool::connect(&url).await.expect("scratch");
        sqlx::raw_sql(sqlx::AssertSqlSafe(setup.to_owned())).execute(&pool).await.expect("setup");
        pool.close().await;
    }
    (url, Dropper(name))
}

async fn table_count(url: &str) -> i64 {
    let pool = sqlx::PgPool::connect(url).await.expect("connect");
    let sql = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'";
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.expect("count");
    pool.close().await;
    n
}

fn server_input(url: &str) -> ConnectServerInput {
    let (address, user, password) = server_parts(url);
    let password = if password.is_empty() { PASSWORD_FOR_TRUST_AUTH.to_owned() } else { password };
    ConnectServerInput { url: address, user, password }
}

#[tokio::test]
async fn a_database_of_another_application_is_never_set_up_for_accord() {
    let (url, _drop) = scratch_database("CREATE TABLE invoices (id integer primary key)").await;
    let home = home();
    let secrets = Arc::new(MapSecrets::default());
    let error = connection::connect_server(&home.installation, &store(&secrets), server_input(&url))
        .await
        .err()
        .expect("refused");
    assert_eq!(error.code, ErrorCode::DatabaseUnavailable, "{}", error.message);
    assert!(error.message.contains("another application"), "{}", error.message);
    let db = data::open(&url).await.expect("open");
    let error = data::migrate(&db).await.expect_err("an administrator's migrate refuses too");
    assert_eq!(error.code, ErrorCode::DatabaseUnavailable);
    assert!(error.message.contains("another application"), "{}", error.message);
    db.conn.close().await.expect("close");
    assert_eq!(table_count(&url).await, 1, "only the other application's table");
    assert!(secrets.is_empty());
}

#[tokio::test]
async fn a_foreign_sqlite_file_is_refused_with_its_bytes_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("other-app.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}?mode=rwc", path.display())).await.expect("create");
    sqlx::raw_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").execute(&pool).await.expect("table");
    pool.close().await;
    let bytes = std::fs::read(&path).expect("read");
    let error = Door::open(&format!("sqlite:{}", path.display()), uuid::Uuid::now_v7()).await.err().expect("refused");
    assert_eq!(error.code, ErrorCode::DatabaseUnavailable);
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
}

#[tokio::test]
async fn a_server_that_is_behind_is_refused_until_an_administrator_migrates_it() {
    let (url, _drop) = scratch_database("").await;
    let home = home();
    let secrets = Arc::new(MapSecrets::default());
    let error = connection::connect_server(&home.installation, &store(&secrets), server_input(&url))
        .await
        .err()
        .expect("refused");
    assert_eq!(error.code, ErrorCode::SchemaOutdated);
    assert!(error.message.contains("accord migrate"), "{}", error.message);
    assert_eq!(table_count(&url).await, 0, "a user's window changed nothing");

    let db = data::open(&url).await.expect("open");
    data::migrate(&db).await.expect("the administrator migrates");
    db.conn.close().await.expect("close");
    let connected = connection::connect_server(&home.installation, &store(&secrets), server_input(&url))
        .await
        .expect("connects now");
    assert_eq!(connected.settings.mode, ConnectionMode::Server);
}

#[tokio::test]
async fn a_server_that_never_answers_is_reported_within_seconds() {
    // Accepts the connection and then says nothing, like a host behind a silent firewall.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let _silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let home = home();
    let secrets = Arc::new(MapSecrets::default());
    let input = ConnectServerInput {
        url: format!("postgres://127.0.0.1:{port}/accord"),
        user: "u".into(),
        password: "p".into(),
    };
    let started = std::time::Instant::now();
    let error = connection::connect_server(&home.installation, &store(&secrets), input).await.err().expect("refused");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(6),
        "told in about 3 s, not after the 10 s pool timeout"
    );
    assert_eq!(error.code, ErrorCode::DatabaseUnavailable);
    assert!(error.message.contains("did not answer within 3 seconds"), "{}", error.message);
}

fn sign_in_input(login: &str, password: &str, remember: bool) -> accord_core::settings::session::SignInInput {
    serde_json::from_value(json!({"login": login, "password": password, "remember": remember})).unwrap()
}

/// As if the remembered sessions of this (embedded) database had been made a month ago.
async fn expire_sessions(door: &Door) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
    let sql = "UPDATE user_sessions SET expires_at = ? WHERE expires_at IS NOT NULL";
    door.database()
        .conn
        .execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, sql, [yesterday.into()]))
        .await
        .unwrap();
}

/// A laptop on the embedded database may remember who signed in: the token goes to the OS
/// keyring only, the next start is signed in, signing out or the session's end forgets it,
/// and a team server never remembers anyone.
#[tokio::test]
async fn a_laptop_remembers_who_signed_in_until_they_sign_out_and_a_team_server_never_does() {
    use accord_core::access::users::CreateUserInput;
    const PASSWORD: &str = "Correct-horse-42";
    let home = home();
    let secrets = Arc::new(MapSecrets::default());
    let keyring = store(&secrets);
    let start = || connection::open_saved(&home.installation, &keyring);

    let laptop = start().await.unwrap();
    let admin: CreateUserInput =
        serde_json::from_value(json!({"login": "ada", "display_name": "Ada", "password": PASSWORD})).unwrap();
    laptop.session.create_first_administrator(&laptop.door, admin).await.unwrap();
    assert!(secrets.is_empty(), "nobody is remembered unless they ask");
    laptop.session.sign_out(&laptop.door).await.unwrap();
    let status = laptop.session.sign_in(&laptop.door, sign_in_input("ada", PASSWORD, true)).await.unwrap();
    assert!(status.can_remember);
    let kept: Vec<String> = secrets.0.lock().unwrap().values().cloned().collect();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].len() == 64 && kept[0].chars().all(|c| c.is_ascii_hexdigit()), "the session token, in the keyring");
    let folders =
        [home.installation.data_dir().to_owned(), home.installation.connection_file().parent().unwrap().to_owned()];
    let files = folders.iter().filter_map(|folder| std::fs::read_dir(folder).ok()).flatten();
    for file in files.flatten().filter(|f| f.path().is_file()) {
        let bytes = std::fs::read(file.path()).unwrap();
        assert!(!bytes.windows(64).any(|w| w == kept[0].as_bytes()), "the token is in {}", file.path().display());
    }
    drop(laptop);

    // The next start: signed in as Ada without being asked.
    let restarted = start().await.unwrap();
    let status = restarted.session.status(&restarted.door).await.unwrap();
    assert_eq!(status.user.map(|u| u.display_name).as_deref(), Some("Ada"));
    restarted.session.dispatch(&restarted.door, "customers.list_organisations", json!({})).await.expect("works as Ada");

    // Signing out forgets it; the start after asks again.
    restarted.session.sign_out(&restarted.door).await.unwrap();
    assert!(secrets.is_empty(), "signing out forgets the remembered sign-in");
    drop(restarted);
    let asked = start().await.unwrap();
    assert!(asked.session.status(&asked.door).await.unwrap().user.is_none());

    // A remembered session ends on its own, and is then forgotten too.
    asked.session.sign_in(&asked.door, sign_in_input("ada", PASSWORD, true)).await.unwrap();
    expire_sessions(&asked.door).await;
    drop(asked);
    let expired = start().await.unwrap();
    assert!(expired.session.status(&expired.door).await.unwrap().user.is_none(), "an expired session asks again");
    assert!(secrets.is_empty(), "and its token is forgotten");
    drop(expired);

    // A team server always asks: nothing but the server password is kept.
    let server = TestDb::new(Engine::Postgres).await;
    let (url, user, password) = server_parts(&server.url);
    let password = if password.is_empty() { PASSWORD_FOR_TRUST_AUTH.to_owned() } else { password };
    let team =
        connection::connect_server(&home.installation, &store(&secrets), ConnectServerInput { url, user, password })
            .await
            .unwrap();
    let admin: CreateUserInput =
        serde_json::from_value(json!({"login": "ada", "display_name": "Ada", "password": PASSWORD})).unwrap();
    team.session.create_first_administrator(&team.door, admin).await.unwrap();
    let status = team.session.sign_in(&team.door, sign_in_input("ada", PASSWORD, true)).await.unwrap();
    assert!(!status.can_remember, "a team server's window offers no remembering");
    assert_eq!(secrets.0.lock().unwrap().len(), 1, "only the server password is in the keyring");
    assert!(!secrets.0.lock().unwrap().keys().any(|k| k.starts_with("signed-in@")));
}

/// Waits for the offline preparation to end, and returns how it ended.
async fn finished(
    work: &accord_core::settings::offline::OfflineWork,
    current: &connection::Connected,
) -> accord_core::settings::offline::OfflineJob {
    for _ in 0..600 {
        let status = work.status(current).await.expect("status");
        let job = status.job.expect("a job was started");
        if job.state != accord_core::settings::offline::JobState::Running {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the offline preparation never ended");
}

#[tokio::test]
async fn a_laptop_prepares_its_offline_copy_works_on_it_and_sends_the_work_back() {
    use accord_core::settings::offline::{JobState, OfflineWork};
    let server = TestDb::new(Engine::Postgres).await;
    let vektor = server.ok("customers.create_organisation", json!({"name": "Vektor", "city": "Kazan"})).await;
    let id = vektor["organisation"]["id"].clone();
    let home = home();
    let secrets = Arc::new(MapSecrets::default());
    let input = server_input(&server.url);
    let (url, user) = (input.url.clone(), input.user.clone());
    let online = Arc::new(connection::connect_server(&home.installation, &store(&secrets), input).await.unwrap());
    let work = OfflineWork::new(home.installation.clone());
    assert_eq!(work.status(&online).await.unwrap().replica, None, "no copy yet");

    let actor = online.session.actor(&online.door).await.unwrap();
    work.prepare(Arc::clone(&online), actor.clone()).unwrap();
    let job = finished(&work, &online).await;
    assert_eq!(job.state, JobState::Done, "{job:?}");
    assert!(job.progress.pulled >= 1 && job.report.as_ref().is_some_and(|r| r.pulled >= 1), "{job:?}");
    let replica = work.status(&online).await.unwrap().replica.expect("the copy");
    assert!(replica.state.last_sync_at.is_some());
    assert_eq!(replica.pending, 0);

    // Offline, the window works on the copy as the same person.
    let offline = connection::open_replica(&home.installation, &url, &user, None).await.unwrap();
    assert_eq!(offline.settings.mode, ConnectionMode::Offline);
    let me = offline.session.actor(&offline.door).await.unwrap();
    assert_eq!(me.user_id, actor.user_id);
    let status = offline.session.status(&offline.door).await.unwrap();
    assert!(status.has_users, "the copy never offers to set up a first administrator");
    assert_eq!(status.user.map(|u| u.id), Some(actor.user_id), "the window shows who works offline");
    let card = offline.door.dispatch(&me, "customers.get_organisation", json!({"id": id})).await.unwrap();
    let edit = json!({"id": id, "version": card["organisation"]["version"], "changes": {"city": "Тебриз"}});
    offline.door.dispatch(&me, "customers.update_organisation", edit).await.unwrap();
    assert_eq!(work.status(&offline).await.unwrap().replica.map(|r| r.pending), Some(1));

    // A preparation cancelled before its first batch sends nothing and says so.
    work.prepare(Arc::clone(&online), actor.clone()).unwrap();
    work.cancel();
    let job = finished(&work, &online).await;
    assert_eq!(job.state, JobState::Cancelled, "{job:?}");
    assert_eq!(job.error.map(|e| e.code), Some(ErrorCode::Cancelled));
    assert_eq!(work.status(&online).await.unwrap().replica.map(|r| r.pending), Some(1), "still waiting");

    // Back online, the next preparation sends it.
    let back = connection::reopen_server(&home.installation, &store(&secrets)).await.unwrap();
    assert_eq!(back.settings.mode, ConnectionMode::Server);
    work.prepare(Arc::new(back), actor).unwrap();
    let job = finished(&work, &online).await;
    assert_eq!((job.state, job.report.map(|r| r.pushed)), (JobState::Done, Some(1)));
    let on_server = server.ok("customers.get_organisation", json!({"id": id})).await;
    assert_eq!(on_server["organisation"]["city"], "Тебриз");

    // A start that cannot use the server opens the copy instead of the empty embedded file.
    secrets.forget(&format!("{user}@{url}")).unwrap();
    let started = connection::open_saved(&home.installation, &store(&secrets)).await.unwrap();
    assert_eq!(started.settings.mode, ConnectionMode::Offline);
    assert!(
        started.settings.problem.as_deref().is_some_and(|p| p.contains("working offline")),
        "{:?}",
        started.settings
    );
}
