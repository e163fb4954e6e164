//! A team PostgreSQL server that enforces access by itself (SEC-2, SEC-3, SEC-5; ADR 0013).
//!
//! The administrator sets the server up with real `accord server init` and `accord server
//! add-user` processes; each user then connects with `psql` — a separate real process, as an
//! attacker who holds their database password would — and PostgreSQL itself must refuse
//! what the window would: without a second factor nothing is visible, another department's
//! customers stay hidden, a record one does not own cannot be changed, the logs cannot be
//! edited or deleted, and secrets cannot be read. What each user sees through `psql` must be
//! exactly what the core shows them through the door.

use std::collections::BTreeSet;
use std::process::{Command, Output};

use accord_core::{Actor, Credentials, Door};
use serde_json::{Value, json};
use uuid::Uuid;

const ACCORD: &str = env!("CARGO_BIN_EXE_accord");
const PASSWORD: &str = "Correct-horse-42";

fn pg_admin_url() -> String {
    std::env::var("ACCORD_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// `postgres://user[:password]@host:port/` of the test server, for another user and database.
fn url_for(user: &str, password: Option<&str>, database: &str) -> String {
    let admin = pg_admin_url();
    let (scheme_and_user, rest) = admin.split_once('@').expect("the test URL names a user");
    let (scheme, _) = scheme_and_user.split_once("://").expect("a scheme");
    let (host, _) = rest.split_once('/').expect("a database path");
    let auth = match password {
        Some(password) => format!("{user}:{password}"),
        None => user.to_owned(),
    };
    format!("{scheme}://{auth}@{host}/{database}")
}

async fn admin_sql(sql: &str) {
    let pool = sqlx::PgPool::connect(&pg_admin_url()).await.expect("PostgreSQL is running");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(&pool).await.expect(sql);
    pool.close().await;
}

fn accord(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().expect("home");
    let mut command = Command::new(ACCORD);
    command.env("HOME", home.path()).env("XDG_DATA_HOME", home.path()).env("XDG_CONFIG_HOME", home.path());
    command.env_remove("ACCORD_LOGIN").env_remove("ACCORD_PASSWORD").env_remove("ACCORD_DB");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.args(args).output().expect("start accord")
}

fn expect_ok(output: &Output, what: &str) -> Value {
    assert!(output.status.success(), "{what} failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

/// What one `psql` process printed: each result row on a line, and its errors.
struct Psql {
    out: String,
    err: String,
}

/// Runs `sql` in a new `psql` process as `role`; with `session`, the connection first presents
/// that session's token, as the window does.
fn psql(url: &str, session: Option<&str>, sql: &str) -> Psql {
    let mut script = String::new();
    if let Some(token) = session {
        script.push_str(&format!("SET accord.session = '{token}';\n"));
    }
    script.push_str(sql);
    let output = Command::new("psql")
        .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=0", url, "-c", &script])
        .env("PGCONNECT_TIMEOUT", "5")
        .output()
        .expect("psql is installed (postgresql-client)");
    Psql {
        out: String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        err: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    }
}

fn lines(text: &str) -> BTreeSet<String> {
    text.lines().map(str::to_owned).filter(|l| !l.is_empty()).collect()
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// Starts a session through the server's own check, as the window does: the code offered in
/// a statement of its own (committed), then the session; returns the verdict and the token.
fn start_session(url: &str, code: Option<&str>) -> (String, String) {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let attempt = match code {
        Some(code) => {
            let offered = psql(url, None, &format!("SELECT accord.offer_second_factor('{code}')"));
            assert!(offered.err.is_empty(), "offer_second_factor: {}", offered.err);
            format!("'{}'", offered.out)
        }
        None => "NULL".to_owned(),
    };
    let sql = format!(
        "SELECT accord.start_session('{}', encode(sha256('{token}'::bytea), 'hex'), {attempt}, NULL, 'tester', 'psql')",
        Uuid::now_v7()
    );
    let result = psql(url, None, &sql);
    assert!(result.err.is_empty(), "start_session: {}", result.err);
    (result.out, token)
}

struct Office {
    door: Door,
    database: String,
    prefix: String,
    admin_url: String,
    actors: Vec<(&'static str, Actor)>,
}

impl Office {
    fn actor(&self, login: &str) -> &Actor {
        &self.actors.iter().find(|(l, _)| *l == login).expect("a known login").1
    }

    fn role_url(&self, login: &str) -> String {
        // `accord server add-user` names the role `<prefix>_<login>`.
        url_for(&format!("{}_{login}", self.prefix), Some(&format!("{login}-db-password-1")), &self.database)
    }

    async fn ok(&self, actor: &Actor, op: &str, input: Value) -> Value {
        self.door.dispatch(actor, op, input).await.unwrap_or_else(|e| panic!("{op}: {e:?}"))
    }

    /// The organisation names the core shows `login`.
    async fn names_in_the_window(&self, login: &str) -> BTreeSet<String> {
        let page = self.ok(self.actor(login), "customers.list_organisations", json!({"limit": 100})).await;
        page["items"].as_array().unwrap().iter().map(|row| row["name"].as_str().unwrap().to_owned()).collect()
    }
}

async fn department(door: &Door, name: &str, parent: Option<&Value>) -> Value {
    let made = door
        .dispatch(&Actor::local_owner(), "security.create_department", json!({"name": name, "parent_id": parent}))
        .await
        .expect("department");
    made["id"].clone()
}

async fn user(door: &Door, login: &str, role: &str, department: Option<&Value>) -> Actor {
    let roles = door.dispatch(&Actor::local_owner(), "security.list_roles", json!({})).await.expect("roles");
    let role_id = roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == role).unwrap()["id"].clone();
    let input = json!({"login": login, "display_name": login, "password": PASSWORD, "role_id": role_id, "department_id": department});
    door.dispatch(&Actor::local_owner(), "security.create_user", input).await.expect("user");
    let credentials = Credentials {
        login: login.into(),
        password: PASSWORD.into(),
        second_factor: None,
        remember: false,
        os_account: "t".into(),
        machine: "m".into(),
    };
    door.sign_in(credentials).await.expect("signs in").actor
}

/// Sales North (and North-East below it) and South; anna and nina sell in the north, boris in
/// the south, maria manages the north, ada audits everything. Each has one customer, and one
/// customer is shared (made before the server had users). Then the administrator sets the
/// server up and gives each user their own role.
async fn office() -> Office {
    let database = format!("acc_{}", &Uuid::now_v7().simple().to_string()[20..]);
    let prefix = database.clone();
    admin_sql(&format!("CREATE DATABASE {database}")).await;
    let admin_url = url_for("postgres", None, &database);
    let door = Door::open(&admin_url, Uuid::now_v7()).await.expect("migrate");
    door.dispatch(&Actor::local_owner(), "customers.create_organisation", json!({"name": "Shared Ltd"}))
        .await
        .expect("shared");
    let north = department(&door, "Sales North", None).await;
    let north_east = department(&door, "Sales North-East", Some(&north)).await;
    let south = department(&door, "Sales South", None).await;
    let mut actors = Vec::new();
    for (login, role, dept) in [
        ("anna", "sales", Some(&north)),
        ("nina", "sales", Some(&north_east)),
        ("boris", "sales", Some(&south)),
        ("maria", "manager", Some(&north)),
        ("ada", "auditor", None),
    ] {
        actors.push((login, user(&door, login, role, dept).await));
    }
    let office = Office { door, database, prefix, admin_url, actors };
    for login in ["anna", "nina", "boris"] {
        let name = format!("{} Ltd", login[..1].to_uppercase() + &login[1..]);
        office.ok(office.actor(login), "customers.create_organisation", json!({"name": name})).await;
    }
    let init = accord(&["--db", &office.admin_url, "server", "init", "--prefix", &office.prefix], &[]);
    let setup = expect_ok(&init, "accord server init");
    assert_eq!(setup["owner_role"], format!("{}_owner", office.prefix));
    for (login, _) in &office.actors {
        let password = format!("{login}-db-password-1");
        let added = accord(
            &["--db", &office.admin_url, "server", "add-user", "--login", login],
            &[("ACCORD_DB_PASSWORD", &password)],
        );
        let added = expect_ok(&added, "accord server add-user");
        assert_eq!(added["db_role"], format!("{}_{login}", office.prefix));
        assert!(added["password"].is_null(), "a given password is never printed back");
    }
    office
}

impl Drop for Office {
    fn drop(&mut self) {
        let (database, prefix) = (self.database.clone(), self.prefix.clone());
        // Roles are the cluster's, not the database's: every one this test's server made goes.
        let drop_roles = format!(
            "DO $$ DECLARE r record; BEGIN \
               FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE '{prefix}\\_%' LOOP \
                 EXECUTE format('DROP ROLE %I', r.rolname); \
               END LOOP; END $$"
        );
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                admin_sql(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).await;
                admin_sql(&drop_roles).await;
            });
        })
        .join();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_itself_refuses_what_a_user_may_not_see_or_change() {
    let office = office().await;

    // Each user, once signed in on the server, sees through psql exactly what the window shows them.
    for login in ["anna", "nina", "boris", "maria", "ada"] {
        let url = office.role_url(login);
        let (verdict, token) = start_session(&url, None);
        assert_eq!(verdict, "ok", "{login} has no second factor yet");
        let through_psql = psql(&url, Some(&token), "SELECT name FROM organisations");
        assert!(through_psql.err.is_empty(), "{login}: {}", through_psql.err);
        let in_the_window = office.names_in_the_window(login).await;
        assert_eq!(lines(&through_psql.out), in_the_window, "{login}: the server and the core disagree");
    }
    let seen = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(office.names_in_the_window("anna").await, seen(&["Anna Ltd", "Shared Ltd"]));
    assert_eq!(office.names_in_the_window("maria").await, seen(&["Anna Ltd", "Nina Ltd", "Shared Ltd"]));
    assert_eq!(office.names_in_the_window("ada").await, seen(&["Anna Ltd", "Boris Ltd", "Nina Ltd", "Shared Ltd"]));

    // A sales user with psql: another department's customer is neither readable nor changeable,
    // through the table, the search index or the change log.
    let anna = office.role_url("anna");
    let (_, token) = start_session(&anna, None);
    let session = Some(token.as_str());
    let sneak = psql(&anna, session, "SELECT count(*) FROM organisations WHERE name = 'Boris Ltd'");
    assert_eq!(sneak.out, "0");
    let search = psql(&anna, session, "SELECT count(*) FROM search_documents WHERE title LIKE 'Boris%'");
    assert_eq!(search.out, "0", "the search index hides it too");
    let history = psql(&anna, session, "SELECT count(*) FROM change_log c WHERE c.changes::text LIKE '%Boris Ltd%'");
    assert_eq!(history.out, "0", "the change log hides its history too");
    let update = psql(&anna, session, "UPDATE organisations SET name = 'Taken' WHERE name = 'Boris Ltd'");
    assert!(update.err.is_empty(), "{}", update.err);
    let still = psql(&office.admin_url, None, "SELECT count(*) FROM organisations WHERE name = 'Boris Ltd'");
    assert_eq!(still.out, "1", "a record anna does not own is unchanged");
    // Her own record, changed around Accord (no change-log entry, another's name as author):
    // refused at commit, so the history holds every change.
    let around = psql(
        &anna,
        session,
        &format!(
            "UPDATE organisations SET name = 'Quietly renamed', updated_by = '{}' WHERE name = 'Anna Ltd'",
            office.actor("boris").user_id
        ),
    );
    assert!(around.err.contains("without its change-log entry"), "{}", around.err);
    let unchanged = psql(&office.admin_url, None, "SELECT count(*) FROM organisations WHERE name = 'Anna Ltd'");
    assert_eq!(unchanged.out, "1");
    // Even with a hand-written entry she cannot credit the record to another or re-key it.
    let entry = |row: &str| {
        format!(
            "INSERT INTO change_log (hlc, device_id, actor_id, operation, table_name, row_id, action, changes) \
             SELECT (extract(epoch FROM now()) * 1000)::bigint * 65536, gen_random_uuid(), accord.current_user_id(), \
             'x', 'organisations', {row}, 'update', '{{}}' FROM organisations WHERE name = 'Anna Ltd'"
        )
    };
    let credited = psql(
        &anna,
        session,
        &format!(
            "BEGIN; UPDATE organisations SET created_by = '{}' WHERE name = 'Anna Ltd'; {}; COMMIT;",
            office.actor("boris").user_id,
            entry("id")
        ),
    );
    assert!(credited.err.is_empty(), "{}", credited.err);
    let author = psql(&office.admin_url, None, "SELECT created_by FROM organisations WHERE name = 'Anna Ltd'");
    assert_eq!(author.out, office.actor("anna").user_id.to_string(), "the record is still hers");
    let rekeyed = psql(&anna, session, "UPDATE organisations SET id = gen_random_uuid() WHERE name = 'Anna Ltd'");
    assert!(rekeyed.err.contains("keeps its id"), "{}", rekeyed.err);
    // Nor retitle a record's search document, or plant one, by hand.
    for forged in [
        "UPDATE search_documents SET title = 'NEW BANK DETAILS: call +1 555 0199' WHERE title = 'Shared Ltd'",
        "INSERT INTO search_documents (entity, row_id, title, body, archived, owner_id, department_id) \
         VALUES ('organisation', gen_random_uuid(), 'Fake Corp', 'fake corp', false, NULL, NULL)",
    ] {
        let refused = psql(&anna, session, forged);
        assert!(refused.err.contains("changes only with its record"), "{forged}: {}", refused.err);
    }

    // The logs are append-only for every app role, the auditor's included; secrets stay unread.
    let ada = office.role_url("ada");
    let (_, ada_token) = start_session(&ada, None);
    for (url, token) in [(&anna, session), (&ada, Some(ada_token.as_str()))] {
        for attack in [
            "UPDATE audit_log SET detail = 'nothing happened'",
            "DELETE FROM audit_log",
            "INSERT INTO audit_log (id, at, actor_id, device_id, operation, prev_hash, hash) \
             VALUES (gen_random_uuid(), now(), gen_random_uuid(), gen_random_uuid(), 'x', 'x', 'x')",
            "UPDATE audit_head SET hash = 'x'",
            "INSERT INTO change_log (seq, hlc, device_id, actor_id, operation, table_name, row_id, action, changes) \
             VALUES (9000000000, 1, gen_random_uuid(), accord.role_user_id(), 'x', 'organisations', gen_random_uuid(), 'update', '{}')",
            "UPDATE change_log SET changes = '{}'",
            "DELETE FROM change_log",
            "SELECT password_hash FROM users",
            "SELECT totp_secret FROM users",
            "SELECT * FROM recovery_codes",
            "INSERT INTO user_sessions (id, token_hash, user_id, started_at, os_account, machine) \
             VALUES (gen_random_uuid(), 'x', accord.role_user_id(), now(), 'a', 'b')",
            "SELECT accord.count_failure(accord.role_user_id())",
            "CREATE TABLE public.mine (id int)",
            "SELECT pg_stat_get_xact_tuples_fetched('search_documents'::regclass)",
            "ALTER TABLE organisations DISABLE ROW LEVEL SECURITY",
        ] {
            let refused = psql(url, token, attack);
            assert!(
                refused.err.contains("permission denied") || refused.err.contains("must be owner"),
                "{attack}: {} / {}",
                refused.out,
                refused.err
            );
        }
    }
    let forged = psql(
        &anna,
        session,
        &format!(
            "INSERT INTO change_log (hlc, device_id, actor_id, operation, table_name, row_id, action, changes) \
             VALUES (1, gen_random_uuid(), '{}', 'x', 'organisations', gen_random_uuid(), 'update', '{{}}')",
            office.actor("boris").user_id
        ),
    );
    assert!(forged.err.contains("row-level security"), "an entry in another's name: {}", forged.err);
    // The chain grows only through the server's append, in the signed-in actor's own name.
    let in_anothers_name = psql(
        &anna,
        session,
        &format!(
            "SELECT * FROM accord.append_audit(gen_random_uuid(), '{}', gen_random_uuid(), 'security.set_user_role', NULL, NULL, 'x')",
            office.actor("boris").user_id
        ),
    );
    assert!(in_anothers_name.err.contains("signed-in actor"), "{}", in_anothers_name.err);
    let without_a_session = psql(
        &anna,
        None,
        "SELECT * FROM accord.append_audit(gen_random_uuid(), accord.role_user_id(), gen_random_uuid(), 'customers.archive_organisation', NULL, NULL, NULL)",
    );
    assert!(without_a_session.err.contains("signed-in actor"), "{}", without_a_session.err);
    // The auditor reads everything and, as in the window, changes nothing — not even with a
    // hand-written change-log entry.
    let edit = psql(
        &ada,
        Some(&ada_token),
        "BEGIN; UPDATE organisations SET notes = 'edited by the auditor' WHERE name = 'Boris Ltd'; COMMIT;",
    );
    assert!(edit.err.is_empty(), "{}", edit.err);
    let notes = psql(&office.admin_url, None, "SELECT coalesce(notes, '') FROM organisations WHERE name = 'Boris Ltd'");
    assert_eq!(notes.out, "", "the auditor's role changed nothing");
    // A failed sign-in needs no session and takes no lock: someone holding only a database
    // password who keeps that transaction open stalls nobody's audited action.
    let held = Command::new("psql")
        .args(["-X", "-q", &anna, "-c"])
        .arg(
            "BEGIN; SELECT accord.append_audit(gen_random_uuid(), '00000000-0000-0000-0000-000000000000', \
             gen_random_uuid(), 'security.sign_in_failed', NULL, NULL, 'held open'); SELECT pg_sleep(8); COMMIT;",
        )
        .spawn();
    let mut held = held.expect("psql starts");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (verdict, _) = start_session(&office.role_url("nina"), None);
    assert_eq!(verdict, "ok");
    let maria_window = window_as(&office, "maria").await;
    maria_window.sign_in(sign_in_as("maria", None)).await.expect("an audited sign-in while the transaction is held");
    assert!(held.try_wait().expect("psql").is_none(), "the held transaction was still open meanwhile");
    let _ = held.kill();
    let _ = held.wait();
    // Its server side ends too (it would hold its table locks until its sleep ends).
    psql(
        &office.admin_url,
        None,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%held open%' AND pid <> pg_backend_pid()",
    );
    let audit_for_sales = psql(&anna, session, "SELECT count(*) FROM audit_log");
    assert_eq!(audit_for_sales.out, "0", "only administrators and auditors read the audit log");
    let audit_for_auditor = psql(&ada, Some(&ada_token), "SELECT count(*) > 0 FROM audit_log");
    assert_eq!(audit_for_auditor.out, "t");

    // A migration's new tables get the same protection: `accord migrate` re-applies it on a
    // server that was set up (here, a policy an upgrade would have been without).
    psql(&office.admin_url, None, "DROP POLICY accord_read ON contacts");
    let migrated = expect_ok(&accord(&["--db", &office.admin_url, "migrate"], &[]), "accord migrate");
    assert_eq!(migrated["server"]["users_role"], format!("{}_users", office.prefix));
    let restored = psql(
        &office.admin_url,
        None,
        "SELECT count(*) FROM pg_policies WHERE tablename = 'contacts' AND policyname = 'accord_read'",
    );
    assert_eq!(restored.out, "1", "migrate put the policy back");

    // A newcomer's role reads no customer at all — not the shared ones, not their search
    // documents, not through the search function — as in the window.
    user(&office.door, "neo", "newcomer", None).await;
    let added = accord(
        &["--db", &office.admin_url, "server", "add-user", "--login", "neo"],
        &[("ACCORD_DB_PASSWORD", "neo-db-password-1")],
    );
    expect_ok(&added, "add-user neo");
    let neo = office.role_url("neo");
    let (_, neo_token) = start_session(&neo, None);
    for query in [
        "SELECT count(*) FROM organisations",
        "SELECT count(*) FROM search_documents",
        "SELECT count(*) FROM accord.matching_documents(to_tsquery('simple', 'shared:*'), true, NULL, 100)",
    ] {
        assert_eq!(psql(&neo, Some(&neo_token), query).out, "0", "{query}");
    }
    let shared = psql(
        &anna,
        session,
        "SELECT count(*) FROM accord.matching_documents(to_tsquery('simple', 'shared:*'), true, NULL, 100)",
    );
    assert_eq!(shared.out, "1", "a salesperson finds the shared customer: {}", shared.err);

    // Nobody logs in as the owner of the schema.
    let owner = psql(&url_for(&format!("{}_owner", office.prefix), None, &office.database), None, "SELECT 1");
    assert!(owner.err.contains("not permitted to log in"), "{}", owner.err);

    // A deactivated user's open session ends on the server at once, and no new one starts.
    let boris = office.role_url("boris");
    let (_, boris_token) = start_session(&boris, None);
    let before = psql(&boris, Some(&boris_token), "SELECT count(*) FROM organisations");
    assert_eq!(before.out, "2");
    office
        .ok(&Actor::local_owner(), "security.deactivate_user", json!({"user_id": office.actor("boris").user_id}))
        .await;
    let after = psql(&boris, Some(&boris_token), "SELECT count(*) FROM organisations");
    assert_eq!(after.out, "0", "the deactivated user's session sees nothing");
    assert_eq!(start_session(&boris, None).0, "deactivated");
    // And the administrator closes his role: he cannot even connect any more.
    let removed = accord(&["--db", &office.admin_url, "server", "remove-user", "--login", "boris"], &[]);
    assert_eq!(expect_ok(&removed, "remove-user")["can_log_in"], false);
    let refused = psql(&boris, None, "SELECT 1");
    assert!(refused.err.contains("not permitted to log in"), "{}", refused.err);
}

/// The code an authenticator app holding `uri` shows `offset` seconds from now.
fn code_at(uri: &str, offset: i64) -> String {
    let totp = totp_rs::Totp::from_url(uri).expect("a valid otpauth address");
    totp.generate(now().saturating_add_signed(offset)).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_factor_holds_on_the_server_too() {
    let office = office().await;
    let anna = office.actor("anna").clone();
    let enrolment = office.ok(&anna, "security.start_two_factor", json!({})).await;
    let uri = enrolment["otpauth_uri"].as_str().unwrap().to_owned();
    let recovery = office.ok(&anna, "security.confirm_two_factor", json!({"code": code_at(&uri, 0)})).await;
    let recovery_code = recovery["codes"][0].as_str().unwrap().to_owned();
    let url = office.role_url("anna");

    // Her database password alone: no session, and nothing to see.
    let (verdict, token) = start_session(&url, None);
    assert_eq!(verdict, "missing");
    for table in ["organisations", "contacts", "search_documents", "change_log", "users", "departments"] {
        let seen = psql(&url, Some(&token), &format!("SELECT count(*) FROM {table}"));
        assert_eq!(seen.out, "0", "{table} without the second factor: {}", seen.err);
    }
    let window: Vec<String> = [-30, 0, 30].iter().map(|offset| code_at(&uri, *offset)).collect();
    let wrong = (0..).map(|n: u32| format!("{:06}", (n * 7919) % 1_000_000)).find(|c| !window.contains(c)).unwrap();
    assert_eq!(start_session(&url, Some(&wrong)).0, "wrong");

    // The next step's code (the confirming one spent this step's) opens a session, once.
    let next = code_at(&uri, 30);
    let (verdict, token) = start_session(&url, Some(&next));
    assert_eq!(verdict, "ok:code");
    assert_eq!(psql(&url, Some(&token), "SELECT count(*) FROM organisations").out, "2");
    assert_eq!(start_session(&url, Some(&next)).0, "replayed", "a used code is refused on replay");

    // Guessing codes by rolling each offer back gets nowhere: an offer is usable only once its
    // transaction has committed, and committing it counts it (the attack a reviewer ran
    // against the first version, which counted inside the caller's transaction).
    let brute_force = format!(
        "DO $$ DECLARE r text; BEGIN \
           FOR c IN 0..2000 LOOP BEGIN \
             r := accord.start_session(gen_random_uuid(), md5(c::text), \
                    accord.offer_second_factor(CASE WHEN c = 1000 THEN '{}' ELSE lpad(c::text, 6, '0') END), NULL, 'x', 'y'); \
             IF r LIKE 'ok%' THEN RAISE NOTICE 'BROKEN IN'; EXIT; END IF; \
             RAISE EXCEPTION 'no'; \
           EXCEPTION WHEN raise_exception THEN NULL; END; END LOOP; END $$",
        // A right answer among the guesses: an unused recovery code.
        recovery_code.replace('-', "")
    );
    let count_sessions = "SELECT count(*) FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'anna'";
    let before = psql(&office.admin_url, None, count_sessions).out;
    let attack = psql(&url, None, &brute_force);
    assert!(!attack.err.contains("BROKEN IN"), "the right code among the guesses opened nothing: {}", attack.err);
    assert_eq!(psql(&office.admin_url, None, count_sessions).out, before, "no session was opened");
    let rolled_back = psql(&url, None, "BEGIN; SELECT accord.offer_second_factor('123456'); ROLLBACK;");
    assert!(rolled_back.err.is_empty(), "{}", rolled_back.err);

    // Guessing locks the account on the server, whatever the window does: after five failures
    // even a right code is refused.
    for _ in 0..4 {
        start_session(&url, Some(&wrong));
    }
    assert_eq!(start_session(&url, Some(&code_at(&uri, 30))).0, "locked");
    let audit = psql(
        &office.admin_url,
        None,
        "SELECT failed_attempts >= 5, locked_until > now() FROM users WHERE login = 'anna'",
    );
    assert_eq!(audit.out, "t|t");
}

fn sign_in_as(login: &str, code: Option<&str>) -> Credentials {
    Credentials {
        login: login.into(),
        password: PASSWORD.into(),
        second_factor: code.map(str::to_owned),
        remember: false,
        os_account: "tester".into(),
        machine: "laptop".into(),
    }
}

/// A window (a door) connected as `login`'s own role, as Settings → Database makes it.
async fn window_as(office: &Office, login: &str) -> Door {
    let db = accord_core::data::open(&office.role_url(login)).await.expect("connects as the user's role");
    assert!(db.user_role, "{login}'s connection is known to be a user's own role");
    Door::on_server(db, Uuid::now_v7()).await.expect("a door on the user's role")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_and_the_cli_work_as_the_users_own_role() {
    let office = office().await;
    let anna = office.actor("anna").clone();
    let enrolment = office.ok(&anna, "security.start_two_factor", json!({})).await;
    let uri = enrolment["otpauth_uri"].as_str().unwrap().to_owned();
    office.ok(&anna, "security.confirm_two_factor", json!({"code": code_at(&uri, 0)})).await;

    let window = window_as(&office, "anna").await;
    assert!(window.has_users().await.unwrap(), "a user's role never offers the first-administrator set-up");
    let refused = window.sign_in(sign_in_as("anna", None)).await.unwrap_err();
    assert_eq!(refused.code, accord_core::ErrorCode::SecondFactorRequired);
    let wrong = window.sign_in(sign_in_as("boris", None)).await.unwrap_err();
    assert_eq!(wrong.code, accord_core::ErrorCode::SignInFailed, "anna's role signs in only as anna");
    let signed_in = window.sign_in(sign_in_as("anna", Some(&code_at(&uri, 30)))).await.expect("signs in with the code");
    let me = window.session_actor(&signed_in.token).await.expect("the session acts");
    assert!(me.session.is_some());

    // Her scope, her changes, her audited archive, her history — and nothing of Boris's.
    let page = window.dispatch(&me, "customers.list_organisations", json!({"limit": 50})).await.expect("list");
    let names: BTreeSet<String> =
        page["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, office.names_in_the_window("anna").await);
    let made =
        window.dispatch(&me, "customers.create_organisation", json!({"name": "Anna Two"})).await.expect("create");
    let id = made["organisation"]["id"].clone();
    let renamed = json!({"id": id, "version": 1, "changes": {"name": "Anna Three"}});
    window.dispatch(&me, "customers.update_organisation", renamed).await.expect("update her own");
    let history = window.dispatch(&me, "history.record", json!({"table": "organisations", "id": id})).await;
    assert_eq!(history.expect("history")["entries"].as_array().unwrap().len(), 2);

    // Her manager, on his own role, archives it (an audited action) — it is in his department.
    let managers_window = window_as(&office, "maria").await;
    let maria = managers_window.sign_in(sign_in_as("maria", None)).await.expect("maria signs in").actor;
    let archived =
        managers_window.dispatch(&maria, "customers.archive_organisation", json!({"id": id, "version": 2})).await;
    archived.expect("an audited archive on the manager's own role");
    let boris_org = office.ok(office.actor("boris"), "customers.list_organisations", json!({"limit": 10})).await;
    let boris_id =
        boris_org["items"].as_array().unwrap().iter().find(|r| r["name"] == "Boris Ltd").unwrap()["id"].clone();
    let hidden = window.dispatch(&me, "customers.get_organisation", json!({"id": boris_id})).await.unwrap_err();
    assert_eq!(hidden.code, accord_core::ErrorCode::NotFound);
    let search = window.dispatch(&me, "search.query", json!({"text": "Boris"})).await.expect("search");
    assert_eq!(search["hits"].as_array().unwrap().len(), 0);

    // Her export, a background job on her own role, writes what she sees and nothing more; it
    // is hers alone.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("mine.csv");
    let input = json!({"table": "organisations", "format": "csv", "columns": [{"field": "name", "label": "Name"}], "path": path});
    let started = window.dispatch(&me, "segments.export", input).await.expect("an export on her own role");
    window.finish_jobs().await;
    let ended = window.dispatch(&me, "segments.get_export", json!({"id": started["id"]})).await.expect("her export");
    assert_eq!(ended["status"], "finished", "{ended}");
    let sheet = accord_core::sheets::open_file(&path).unwrap();
    let exported: BTreeSet<String> = sheet.rows.map(|r| r.unwrap().cells[0].clone()).collect();
    assert_eq!(exported, office.names_in_the_window("anna").await, "exactly her reach");
    let theirs = managers_window.dispatch(&maria, "segments.get_export", json!({"id": started["id"]})).await;
    assert_eq!(theirs.unwrap_err().code, accord_core::ErrorCode::NotFound, "an export is its exporter's own");

    // The auditor, on her own role, verifies the audit log that anna's archive joined.
    let auditor_window = window_as(&office, "ada").await;
    let ada = auditor_window.sign_in(sign_in_as("ada", None)).await.expect("ada signs in").actor;
    let verified = auditor_window.dispatch(&ada, "audit.verify", json!({})).await.expect("verify");
    assert_eq!(verified["intact"], true, "{verified}");
    let entries = auditor_window.dispatch(&ada, "audit.list", json!({"limit": 100})).await.expect("audit list");
    let entries = entries["entries"].as_array().unwrap();
    let archived_by_maria = entries.iter().any(|e| {
        e["operation"] == "customers.archive_organisation"
            && e["target_id"] == id
            && e["actor_id"] == maria.user_id.to_string()
    });
    assert!(archived_by_maria, "maria's archive is in the audit log: {entries:?}");
    let anna_signed_in = entries.iter().any(|e| {
        e["operation"] == "security.sign_in"
            && e["actor_id"] == me.user_id.to_string()
            && e["detail"].as_str().unwrap_or_default().contains("with a two-factor code")
    });
    assert!(anna_signed_in, "anna's sign-in on the server is audited with its second factor: {entries:?}");

    // Signing out ends the session on the server too.
    window.sign_out(&signed_in.token).await.expect("sign out");
    let ended = window.session_actor(&signed_in.token).await.unwrap_err();
    assert_eq!(ended.code, accord_core::ErrorCode::SignedOut);
    let stale = Actor { session: me.session.clone(), ..me.clone() };
    let after = window.dispatch(&stale, "customers.list_organisations", json!({"limit": 50})).await.expect("list");
    assert_eq!(after["items"].as_array().unwrap().len(), 0, "an ended session's token opens nothing on the server");

    // The CLI, a separate process, signs in as boris on his own role and sees his scope.
    let listed = accord(
        &["--db", &office.role_url("boris"), "--login", "boris", "op", "customers.list_organisations"],
        &[("ACCORD_PASSWORD", PASSWORD)],
    );
    let listed = expect_ok(&listed, "accord op as boris's role");
    let names: BTreeSet<String> =
        listed["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, office.names_in_the_window("boris").await);
}

/// Every operation, called by a user of every default role through a window on their own
/// role: what the role grants is never refused by the server (no `internal` from a missing
/// grant or policy), and what it does not grant is refused by the core as it is everywhere.
/// Generated from the registry, so a domain added later is checked without a new test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_works_on_the_users_own_role_as_their_role_says() {
    use accord_core::door::registry;
    let office = office().await;
    let roles = office.ok(&Actor::local_owner(), "security.list_roles", json!({})).await;
    let mut checked = 0;
    for role in accord_core::BuiltInRole::ALL {
        let login = format!("every_{}", role.key());
        user(&office.door, &login, role.key(), None).await;
        let password = format!("{login}-db-password-1");
        let added = accord(
            &["--db", &office.admin_url, "server", "add-user", "--login", &login],
            &[("ACCORD_DB_PASSWORD", &password)],
        );
        expect_ok(&added, "add-user");
        let window = window_as(&office, &login).await;
        let me = window.sign_in(sign_in_as(&login, None)).await.expect("signs in on the role").actor;
        let view = roles["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == role.key()).unwrap();
        let holds = |permission: &str| {
            view["grants_all"] == true || view["permissions"].as_array().unwrap().iter().any(|p| p == permission)
        };
        for spec in registry::operations() {
            let result = window.dispatch(&me, spec.name, json!({})).await;
            let code = result.as_ref().err().map(|e| e.code);
            if holds(spec.permission.key()) {
                assert!(
                    !matches!(code, Some(accord_core::ErrorCode::Internal | accord_core::ErrorCode::PermissionDenied)),
                    "{} calling {} on their own role: {result:?}",
                    role.key(),
                    spec.name
                );
            } else {
                assert_eq!(
                    code,
                    Some(accord_core::ErrorCode::PermissionDenied),
                    "{} calling {}",
                    role.key(),
                    spec.name
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 7 * 20, "{checked} calls checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_turns_two_factor_on_and_off_on_their_own_role() {
    let office = office().await;
    let window = window_as(&office, "boris").await;
    let boris = window.sign_in(sign_in_as("boris", None)).await.expect("signs in").actor;
    let enrolment = window.dispatch(&boris, "security.start_two_factor", json!({})).await.expect("enrol");
    let uri = enrolment["otpauth_uri"].as_str().unwrap().to_owned();
    let wrong = window.dispatch(&boris, "security.confirm_two_factor", json!({"code": "000000"})).await.unwrap_err();
    assert_eq!(wrong.fields["code"].code, accord_core::FieldCode::InvalidValue);
    let codes = window.dispatch(&boris, "security.confirm_two_factor", json!({"code": code_at(&uri, 0)})).await;
    let codes: Vec<String> =
        codes.expect("confirmed")["codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(codes.len(), 10);
    let secret = psql(
        &office.admin_url,
        None,
        "SELECT totp_secret IS NOT NULL, totp_pending_secret IS NULL FROM users WHERE login = 'boris'",
    );
    assert_eq!(secret.out, "t|t", "the server holds the confirmed secret");

    // From now on the server asks boris for the second factor, also in his window.
    let refused = window.sign_in(sign_in_as("boris", None)).await.unwrap_err();
    assert_eq!(refused.code, accord_core::ErrorCode::SecondFactorRequired);
    let again = window.sign_in(sign_in_as("boris", Some(&codes[0]))).await.expect("a recovery code signs in");
    let me = window.dispatch(&again.actor, "security.my_account", json!({})).await.expect("my account");
    assert_eq!(me["recovery_codes_left"], 9);
    assert!(me["two_factor_since"].is_string());
    let reused = window.sign_in(sign_in_as("boris", Some(&codes[0]))).await.unwrap_err();
    assert_eq!(reused.code, accord_core::ErrorCode::SecondFactorWrong, "a used recovery code is spent");

    let renewed = window.dispatch(&again.actor, "security.renew_recovery_codes", json!({"code": codes[1]})).await;
    let renewed: Vec<String> =
        renewed.expect("renewed")["codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    let old =
        window.dispatch(&again.actor, "security.disable_two_factor", json!({"code": codes[2]})).await.unwrap_err();
    assert_eq!(old.fields["code"].code, accord_core::FieldCode::InvalidValue, "the old codes stopped working");
    window
        .dispatch(&again.actor, "security.disable_two_factor", json!({"code": renewed[0]}))
        .await
        .expect("turned off");
    let off = psql(
        &office.admin_url,
        None,
        "SELECT totp_secret IS NULL, count(r.id) FROM users u LEFT JOIN recovery_codes r ON r.user_id = u.id WHERE login = 'boris' GROUP BY totp_secret",
    );
    assert_eq!(off.out, "t|0");
    window.sign_in(sign_in_as("boris", None)).await.expect("the password alone signs in again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_manages_users_on_their_own_role_and_a_salesperson_cannot() {
    let office = office().await;
    user(&office.door, "root", "administrator", None).await;
    let added = accord(
        &["--db", &office.admin_url, "server", "add-user", "--login", "root"],
        &[("ACCORD_DB_PASSWORD", "root-db-password-1")],
    );
    expect_ok(&added, "add-user root");
    let window = window_as(&office, "root").await;
    let root = window.sign_in(sign_in_as("root", None)).await.expect("root signs in").actor;
    let ok =
        |result: Result<Value, accord_core::ApiError>, what: &str| result.unwrap_or_else(|e| panic!("{what}: {e:?}"));

    // Users, departments and roles are managed from the administrator's own role.
    let east =
        ok(window.dispatch(&root, "security.create_department", json!({"name": "Sales East"})).await, "department");
    let made = window
        .dispatch(
            &root,
            "security.create_user",
            json!({"login": "carl", "display_name": "Carl", "password": PASSWORD, "department_id": east["id"]}),
        )
        .await;
    let carl = ok(made, "create user")["id"].clone();
    let sales = office.ok(&Actor::local_owner(), "security.list_roles", json!({})).await["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["built_in"] == "sales")
        .unwrap()["id"]
        .clone();
    ok(window.dispatch(&root, "security.set_user_role", json!({"user_id": carl, "role_id": sales})).await, "set role");

    // Workflow rules are defined from the administrator's own role too; the server's rules
    // service fires them (`the_servers_rules_service_…`).
    let rule = json!({"rule": {"name": "New customer", "record_table": "organisations", "trigger": {"type": "created"},
        "action": {"type": "notify", "recipients": [carl], "message": "{record}"}}});
    ok(window.dispatch(&root, "workflow.define", rule).await, "a rule defined on the administrator's own role");

    // A departing user in one action: deactivated, their open records handed to a colleague.
    let boris = office.actor("boris").user_id;
    let anna = office.actor("anna").user_id;
    let offboarded =
        window.dispatch(&root, "security.offboard_user", json!({"user_id": boris, "reassign_to": anna})).await;
    ok(offboarded, "offboard");
    let owner = psql(&office.admin_url, None, "SELECT owner_id FROM organisations WHERE name = 'Boris Ltd'");
    assert_eq!(owner.out, anna.to_string(), "boris's customer is anna's now");
    let now = chrono::Utc::now();
    let period = json!({"from": now - chrono::Duration::days(1), "to": now + chrono::Duration::days(1)});
    let report = ok(window.dispatch(&root, "audit.efficiency", period).await, "efficiency");
    assert!(report["people"].as_array().is_some_and(|people| !people.is_empty()), "{report}");

    // A lost phone: the administrator resets anna's second factor from their own role.
    let anna_actor = office.actor("anna").clone();
    let enrolment = office.ok(&anna_actor, "security.start_two_factor", json!({})).await;
    let uri = enrolment["otpauth_uri"].as_str().unwrap().to_owned();
    office.ok(&anna_actor, "security.confirm_two_factor", json!({"code": code_at(&uri, 0)})).await;
    let reset = ok(window.dispatch(&root, "security.reset_two_factor", json!({"user_id": anna})).await, "reset");
    assert_eq!(reset["two_factor"], false);

    // Even an administrator's role cannot set a secret, remove the last administrator or make
    // the administrator role grant less — PostgreSQL refuses what the window refuses.
    let root_url = url_for(&format!("{}_root", office.prefix), Some("root-db-password-1"), &office.database);
    let (_, root_token) = start_session(&root_url, None);
    let root_session = Some(root_token.as_str());
    let secret = psql(&root_url, root_session, &format!("UPDATE users SET totp_secret = 'abcd' WHERE id = '{anna}'"));
    assert!(secret.err.contains("permission denied"), "{}", secret.err);
    let last = psql(&root_url, root_session, &format!("UPDATE users SET active = false WHERE id = '{}'", root.user_id));
    assert!(last.err.contains("last active administrator"), "{}", last.err);
    let weaker = psql(&root_url, root_session, "UPDATE roles SET grants_all = false WHERE built_in = 'administrator'");
    assert!(weaker.err.contains("administrator role grants"), "{}", weaker.err);

    // A salesperson's role can do none of it, even with psql and a session.
    let anna_url = office.role_url("anna");
    let (_, token) = start_session(&anna_url, None);
    let department = psql(
        &anna_url,
        Some(&token),
        "INSERT INTO departments (id, name, created_at, updated_at) VALUES (gen_random_uuid(), 'Mine', now(), now())",
    );
    assert!(department.err.contains("row-level security"), "{}", department.err);
    let promote = psql(
        &anna_url,
        Some(&token),
        &format!(
            "UPDATE users SET role_id = (SELECT id FROM roles WHERE built_in = 'administrator') WHERE id = '{anna}'"
        ),
    );
    assert!(promote.err.is_empty(), "{}", promote.err);
    let role = psql(
        &office.admin_url,
        None,
        &format!("SELECT r.built_in FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = '{anna}'"),
    );
    assert_eq!(role.out, "sales", "anna could not make herself an administrator");
    let grant = psql(
        &anna_url,
        Some(&token),
        "INSERT INTO role_permissions (role_id, permission) SELECT id, 'audit.read' FROM roles WHERE built_in = 'sales'",
    );
    assert!(grant.err.contains("row-level security"), "{}", grant.err);
}

/// A salesperson's laptop on the team server (ADR 0014): the replica is made and synced on
/// her own role, holds only what she may read, and the server holds what she pushes to her
/// rights as they are when she syncs, not as they were when she went offline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_syncs_on_the_users_own_role_and_the_server_holds_it_to_her_rights() {
    let office = office().await;
    let dir = tempfile::tempdir().expect("laptop");
    let replica = format!("sqlite:{}", dir.path().join("anna-offline.sqlite3").display());
    let server = office.role_url("anna");
    let as_anna = [("ACCORD_PASSWORD", PASSWORD)];
    let on_replica = |args: &[&str]| {
        let mut all = vec!["--db", replica.as_str()];
        all.extend_from_slice(args);
        accord(&all, &[])
    };
    let created = accord(&["--db", &replica, "--login", "anna", "replica", "create", "--server", &server], &as_anna);
    let created = expect_ok(&created, "replica create on anna's role");
    assert_eq!(created["rejected"], json!([]));
    let listed = expect_ok(&on_replica(&["op", "customers.list_organisations"]), "list on the replica");
    let names: BTreeSet<String> =
        listed["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, office.names_in_the_window("anna").await, "the replica holds exactly what she may read");
    let status = expect_ok(&on_replica(&["replica", "status"]), "status");
    assert!(!status["server_address"].as_str().unwrap().contains("db-password"), "never a password: {status}");

    // Offline, she renames her customer; the server takes it on her own role.
    let anna_ltd = listed["items"].as_array().unwrap().iter().find(|r| r["name"] == "Anna Ltd").unwrap().clone();
    let get = json!({"id": anna_ltd["id"]}).to_string();
    let card = expect_ok(&on_replica(&["op", "customers.get_organisation", "--json", &get]), "card on the replica");
    let version = card["organisation"]["version"].as_i64().unwrap();
    let rename = json!({"id": anna_ltd["id"], "version": version, "changes": {"name": "Anna Holding"}});
    expect_ok(&on_replica(&["op", "customers.update_organisation", "--json", &rename.to_string()]), "offline edit");
    let synced = accord(&["--db", &replica, "--login", "anna", "sync", "--server", &server], &as_anna);
    let synced = expect_ok(&synced, "sync on anna's role");
    assert_eq!(
        (synced["pushed"].as_i64(), synced["rejected"].as_array().map(Vec::len)),
        (Some(1), Some(0)),
        "{synced}"
    );
    assert!(office.names_in_the_window("anna").await.contains("Anna Holding"));

    // Her role no longer lets her change customers; what she changes offline is refused when
    // she syncs, reported to her, and never reaches the server.
    let auditor = office.door.dispatch(&Actor::local_owner(), "security.list_roles", json!({})).await.unwrap();
    let auditor_id =
        auditor["roles"].as_array().unwrap().iter().find(|r| r["built_in"] == "auditor").unwrap()["id"].clone();
    let anna_id = office.actor("anna").user_id;
    office
        .ok(&Actor::local_owner(), "security.set_user_role", json!({"user_id": anna_id, "role_id": auditor_id}))
        .await;
    let again = json!({"id": anna_ltd["id"], "version": version + 1, "changes": {"city": "Tabriz"}});
    expect_ok(&on_replica(&["op", "customers.update_organisation", "--json", &again.to_string()]), "offline edit 2");
    let refused = accord(&["--db", &replica, "--login", "anna", "sync", "--server", &server], &as_anna);
    let refused = expect_ok(&refused, "sync after the role changed");
    let rejected = refused["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1, "{refused}");
    assert_eq!(rejected[0]["code"], "permission_denied");
    let card = office.ok(&Actor::local_owner(), "customers.get_organisation", json!({"id": anna_ltd["id"]})).await;
    assert!(card["organisation"]["city"].is_null(), "the refused change is not on the server");

    // Deactivated while offline: she can no longer sync at all.
    office.ok(&Actor::local_owner(), "security.deactivate_user", json!({"user_id": anna_id})).await;
    let closed = accord(&["--db", &replica, "--login", "anna", "sync", "--server", &server], &as_anna);
    assert!(!closed.status.success(), "a deactivated user cannot push");
}

/// A manager's laptop on the team server (ADR 0014): her archive made offline joins the
/// server's audit chain on her own role, and the auditor's verification holds; a customer
/// handed to another department while she is offline leaves her laptop at the next sync,
/// though row-level security hides from her the change that moved it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managers_offline_archive_joins_the_audit_chain_and_a_customer_handed_away_leaves_her_laptop() {
    let office = office().await;
    let dir = tempfile::tempdir().expect("laptop");
    let replica = format!("sqlite:{}", dir.path().join("maria-offline.sqlite3").display());
    let server = office.role_url("maria");
    let as_maria = [("ACCORD_PASSWORD", PASSWORD)];
    let on_replica = |args: &[&str]| {
        let mut all = vec!["--db", replica.as_str()];
        all.extend_from_slice(args);
        accord(&all, &[])
    };
    let names_on_replica = || {
        let listed = expect_ok(&on_replica(&["op", "customers.list_organisations"]), "list on the replica");
        listed["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect()
    };
    let created = accord(&["--db", &replica, "--login", "maria", "replica", "create", "--server", &server], &as_maria);
    expect_ok(&created, "replica create on maria's role");
    let names: BTreeSet<String> = names_on_replica();
    assert!(names.contains("Anna Ltd") && names.contains("Nina Ltd"), "{names:?}");

    // Offline, she archives Anna's customer (an audited action).
    let listed = expect_ok(&on_replica(&["op", "customers.list_organisations"]), "list");
    let anna_ltd = listed["items"].as_array().unwrap().iter().find(|r| r["name"] == "Anna Ltd").unwrap().clone();
    let get = json!({"id": anna_ltd["id"]}).to_string();
    let card = expect_ok(&on_replica(&["op", "customers.get_organisation", "--json", &get]), "card on the replica");
    let archive = json!({"id": anna_ltd["id"], "version": card["organisation"]["version"]}).to_string();
    expect_ok(&on_replica(&["op", "customers.archive_organisation", "--json", &archive]), "offline archive");
    // Meanwhile Nina leaves; her customers go to Boris, in the south.
    let nina = office.actor("nina").user_id;
    let boris = office.actor("boris").user_id;
    office.ok(&Actor::local_owner(), "security.offboard_user", json!({"user_id": nina, "reassign_to": boris})).await;

    let synced = accord(&["--db", &replica, "--login", "maria", "sync", "--server", &server], &as_maria);
    let synced = expect_ok(&synced, "sync on maria's role");
    assert_eq!((synced["audit_pushed"].as_i64(), synced["departed"].as_i64()), (Some(1), Some(1)), "{synced}");
    let names: BTreeSet<String> = names_on_replica();
    assert!(!names.contains("Nina Ltd"), "handed to the south, gone from her laptop: {names:?}");

    let auditor_window = window_as(&office, "ada").await;
    let ada = auditor_window.sign_in(sign_in_as("ada", None)).await.expect("ada signs in").actor;
    let verified = auditor_window.dispatch(&ada, "audit.verify", json!({})).await.expect("verify");
    assert_eq!(verified["intact"], true, "{verified}");
    let entries = auditor_window.dispatch(&ada, "audit.list", json!({"limit": 100})).await.expect("audit list");
    let maria = office.actor("maria").user_id.to_string();
    let joined = entries["entries"].as_array().unwrap().iter().any(|e| {
        e["operation"] == "customers.archive_organisation" && e["target_id"] == anna_ltd["id"] && e["actor_id"] == maria
    });
    assert!(joined, "her offline archive is in the server's audit log: {entries}");

    // Sent again (a reply lost): the server's own function skips what its chain holds.
    let laptop = Door::open(&replica, Uuid::now_v7()).await.expect("the replica");
    let state = accord_core::sync::replica_state(&laptop).await.unwrap().unwrap();
    let conn = &laptop.database().conn;
    let sent: Vec<_> = accord_core::audit::own_entries_after(conn, state.device_id, state.user_id, 0, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, record)| record)
        .collect();
    let managers_window = window_as(&office, "maria").await;
    let maria = managers_window.sign_in(sign_in_as("maria", None)).await.expect("maria signs in").actor;
    let input = accord_core::sync::PushAuditInput { entries: sent };
    let again = managers_window.call::<accord_core::sync::PushAudit>(&maria, input).await.expect("sent again");
    assert_eq!(again, accord_core::sync::AuditPushReport { appended: 0, held_already: 1 });
    let verified = auditor_window.dispatch(&ada, "audit.verify", json!({})).await.expect("verify");
    assert_eq!(verified["intact"], true, "{verified}");
}

/// Files on a team server (ADR 0023): anna attaches a file to her call through a window on her
/// own role and saves it back; boris, on his, neither lists it through the door nor reads its
/// bytes through psql, where anna does; and no role changes a kept file or keeps bytes under a
/// hash that is not theirs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_on_the_server_is_read_only_with_its_record_and_kept_as_attached() {
    let office = office().await;
    let topic = office.ok(&Actor::local_owner(), "interactions.define_topic", json!({"name": "Claim"})).await;
    let window = window_as(&office, "anna").await;
    let anna = window.sign_in(sign_in_as("anna", None)).await.expect("anna signs in").actor;
    let orgs = window.dispatch(&anna, "customers.list_organisations", json!({"limit": 10})).await.expect("list");
    let org = orgs["items"].as_array().unwrap().iter().find(|r| r["name"] == "Anna Ltd").unwrap()["id"].clone();
    let call =
        json!({"topic_id": topic["id"], "channel": "phone", "organisation_id": org, "summary": "Photos of the damage"});
    let call = window.dispatch(&anna, "interactions.log", call).await.expect("a call logged on her own role");
    let folder = tempfile::tempdir().unwrap();
    let photo = folder.path().join("damage.jpg");
    std::fs::write(&photo, b"\xFF\xD8\xFF a photo of the damaged pump").unwrap();
    let input = json!({"table": "interactions", "record_id": call["id"], "path": photo});
    let attached = window.dispatch(&anna, "attachments.attach", input).await.expect("attached on her own role");
    let copy = folder.path().join("copy.jpg");
    let save = json!({"id": attached["id"], "path": copy});
    window.dispatch(&anna, "attachments.save", save).await.expect("saved on her own role");
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&photo).unwrap());

    let boris_window = window_as(&office, "boris").await;
    let boris = boris_window.sign_in(sign_in_as("boris", None)).await.expect("boris signs in").actor;
    let list = json!({"table": "interactions", "record_id": call["id"]});
    let hidden = boris_window.dispatch(&boris, "attachments.list", list).await.unwrap_err();
    assert_eq!(hidden.code, accord_core::ErrorCode::NotFound);

    let count = "SELECT count(*) FROM attachment_contents";
    let (anna_url, boris_url) = (office.role_url("anna"), office.role_url("boris"));
    let (_, anna_token) = start_session(&anna_url, None);
    let (_, boris_token) = start_session(&boris_url, None);
    assert_eq!(psql(&anna_url, Some(&anna_token), count).out, "1", "anna reads the file of her call");
    assert_eq!(psql(&boris_url, Some(&boris_token), count).out, "0", "boris reads no file of another department");
    let names = psql(&boris_url, Some(&boris_token), "SELECT count(*) FROM attachments");
    assert_eq!(names.out, "0", "nor which files there are");

    let change = psql(&anna_url, Some(&anna_token), "UPDATE attachment_contents SET bytes = 'x'");
    assert!(change.err.contains("permission denied"), "{}", change.err);
    let forged = psql(
        &boris_url,
        Some(&boris_token),
        &format!(
            "INSERT INTO attachment_contents VALUES ('{}', 4, 'evil', now(), accord.current_user_id())",
            "0".repeat(64)
        ),
    );
    assert!(
        forged.err.contains("attachment_contents_hash"),
        "bytes that are not the hash's are refused: {}",
        forged.err
    );
    let kept = psql(&office.admin_url, None, "SELECT encode(bytes, 'escape') FROM attachment_contents");
    assert!(kept.out.ends_with("a photo of the damaged pump"), "{}", kept.out);
}

/// Rules on a team server (ADR 0022): the quality manager is notified of a new customer that a
/// salesperson of another department created in her window on her own role. Her role may not
/// write a notice for the quality department, so the server's rules service — a separate
/// `accord server rules` process on the administrator's connection — fires the rule, once; the
/// notice waits for the quality manager on her own role, and the salesperson sees none of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_rules_service_fires_a_rule_for_a_change_made_on_a_users_own_role() {
    let office = office().await;
    let quality = department(&office.door, "Quality", None).await;
    let qara = user(&office.door, "qara", "quality", Some(&quality)).await;
    let added = accord(
        &["--db", &office.admin_url, "server", "add-user", "--login", "qara"],
        &[("ACCORD_DB_PASSWORD", "qara-db-password-1")],
    );
    expect_ok(&added, "add-user qara");
    let service = || expect_ok(&accord(&["--db", &office.admin_url, "server", "rules"], &[]), "accord server rules");
    // Its first run starts at the end of the log: the customers made before are no events.
    assert_eq!(service()["fired"], 0);

    let rule = json!({"rule": {"name": "New customer", "record_table": "organisations", "trigger": {"type": "created"},
        "action": {"type": "notify", "recipients": [qara.user_id], "message": "{record} is a new customer"}}});
    office.ok(&Actor::local_owner(), "workflow.define", rule).await;
    let window = window_as(&office, "anna").await;
    let anna = window.sign_in(sign_in_as("anna", None)).await.expect("anna signs in").actor;
    let made = window.dispatch(&anna, "customers.create_organisation", json!({"name": "Nordlicht GmbH"})).await;
    made.expect("anna's customer, saved on her own role whatever the rules say");

    let qaras_window = window_as(&office, "qara").await;
    let qara = qaras_window.sign_in(sign_in_as("qara", None)).await.expect("qara signs in").actor;
    let waiting = qaras_window.dispatch(&qara, "workflow.notices_waiting", json!({})).await.expect("her notices");
    assert_eq!(waiting["waiting"], false, "nothing fired in anna's transaction: {waiting}");

    let run = service();
    assert_eq!(run["fired"], 1, "{run}");
    let notices = qaras_window.dispatch(&qara, "workflow.take_notices", json!({})).await.expect("take her notices");
    let notices = notices["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["title"], "New customer");
    assert_eq!(notices[0]["body"], "Nordlicht GmbH is a new customer");
    assert_eq!(service()["fired"], 0, "once per event, also when the service runs again");

    let (anna_url, token) = (office.role_url("anna"), start_session(&office.role_url("anna"), None).1);
    assert_eq!(psql(&anna_url, Some(&token), "SELECT count(*) FROM notices").out, "0", "not anna's to see");
    let refused = accord(&["--db", &office.role_url("anna"), "server", "rules"], &[]);
    assert!(!refused.status.success(), "a user's own role does not run the rules service");

    // Anna's laptop leaves the rules to the server: offline it fires none (a notice for the
    // quality department would be refused at her sync); the service fires it once it arrives.
    let dir = tempfile::tempdir().expect("laptop");
    let replica = format!("sqlite:{}", dir.path().join("anna-offline.sqlite3").display());
    let as_anna = [("ACCORD_PASSWORD", PASSWORD)];
    let created = accord(&["--db", &replica, "--login", "anna", "replica", "create", "--server", &anna_url], &as_anna);
    expect_ok(&created, "replica create on anna's role");
    let offline = json!({"name": "Offline Oy"}).to_string();
    let made = accord(&["--db", &replica, "op", "customers.create_organisation", "--json", &offline], &[]);
    expect_ok(&made, "a customer made offline");
    let synced = accord(&["--db", &replica, "--login", "anna", "sync", "--server", &anna_url], &as_anna);
    let synced = expect_ok(&synced, "sync on anna's role");
    assert_eq!(
        (synced["pushed"].as_i64(), synced["rejected"].as_array().map(Vec::len)),
        (Some(1), Some(0)),
        "{synced}"
    );
    assert_eq!(service()["fired"], 1);
    let notices = qaras_window.dispatch(&qara, "workflow.take_notices", json!({})).await.expect("take her notices");
    assert_eq!(notices["notices"][0]["body"], "Offline Oy is a new customer", "{notices}");
}
