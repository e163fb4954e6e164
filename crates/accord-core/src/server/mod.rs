//! A team PostgreSQL server that enforces access by itself (SEC-2, SEC-5; ADR 0013).
//!
//! `accord server init` (run once, and again after each `accord migrate`, by a PostgreSQL
//! superuser) makes the schema belong to a role nobody logs in as, gives every Accord user's
//! own login role (`accord server add-user`) only what the window needs, and puts row-level
//! security on every scoped table, generated from the registry, so a domain added later is
//! covered by declaring its record kinds. The checks themselves (who the connection's
//! signed-in user is, what they see, the second factor) are the `SECURITY DEFINER` functions
//! of `functions.sql`, the same rules as the core's `Reach` and sign-in.

use accord_kernel::data::{Database, Engine};
use accord_kernel::error::{ApiError, ErrorCode, FieldCode};
use accord_security::sessions::{ATTEMPTS_BEFORE_LOCK, LONGEST_LOCK_MINUTES};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde::Serialize;
use uuid::Uuid;

use crate::door::registry;

/// The tables every change to which is a business record: row-level security by owner and
/// department. Search documents carry a copy of their record's owner and department.
pub fn scoped_tables() -> Vec<&'static str> {
    registry::record_kinds().map(|kind| kind.table).chain(["search_documents"]).collect()
}

/// What `accord server init` did.
#[derive(Debug, Serialize)]
pub struct ServerSetup {
    pub database: String,
    /// Owns the schema; nobody logs in as it.
    pub owner_role: String,
    /// Every user's login role belongs to it.
    pub users_role: String,
    pub scoped_tables: Vec<&'static str>,
}

/// What `accord server add-user` did; the password is shown once, to hand to the user.
#[derive(Debug, Serialize)]
pub struct ServerUser {
    pub login: String,
    pub db_role: String,
    pub password: Option<String>,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::field(field, FieldCode::InvalidValue, message)
}

/// A PostgreSQL identifier we write into statements unquoted: lower-case letters, digits and
/// underscores, starting with a letter, at most `max` bytes.
fn plain_identifier(name: &str, max: usize) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && name.len() <= max
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

async fn scalar_text(conn: &impl ConnectionTrait, sql: &str) -> Result<Option<String>, ApiError> {
    let row = conn.query_one_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned())).await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<Option<String>>(0)?,
        None => None,
    })
}

/// Refuses anything but a PostgreSQL superuser's connection: ownership moves and roles are
/// made here.
async fn ensure_superuser(db: &Database) -> Result<String, ApiError> {
    if db.engine != Engine::Postgres {
        return Err(invalid("db", "Only a team PostgreSQL server is set up this way; pass --db postgres://…"));
    }
    let conn = &db.conn;
    let is_super = scalar_text(conn, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user").await?;
    if is_super.as_deref() != Some("true") {
        return Err(ApiError::new(
            ErrorCode::PermissionDenied,
            "Setting up a team server needs a PostgreSQL superuser's connection (for example postgres://postgres@server/accord).",
        ));
    }
    scalar_text(conn, "SELECT current_database()::text")
        .await?
        .ok_or_else(|| ApiError::internal("the server did not name its database"))
}

/// The roles of an initialised server, if it is.
async fn setup_roles(conn: &impl ConnectionTrait) -> Result<Option<(String, String)>, ApiError> {
    if scalar_text(conn, "SELECT to_regclass('accord.setup')::text").await?.is_none() {
        return Ok(None);
    }
    let row = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT owner_role, users_role FROM accord.setup WHERE id = 1".to_owned(),
        ))
        .await?;
    Ok(match row {
        Some(row) => Some((row.try_get_by_index(0)?, row.try_get_by_index(1)?)),
        None => None,
    })
}

/// Whether `db` is a team server set up to enforce access itself (`accord server init`).
pub async fn is_set_up(db: &Database) -> Result<bool, ApiError> {
    if db.engine != Engine::Postgres {
        return Ok(false);
    }
    Ok(scalar_text(&db.conn, "SELECT to_regclass('accord.setup')::text").await?.is_some())
}

/// Whether the workflow rules for `db`'s changes are fired by a team server's rules service
/// rather than in each writing transaction: on such a server, and on a laptop's replica of one
/// (ADR 0022).
pub async fn rules_by_service(db: &Database) -> Result<bool, ApiError> {
    match db.engine {
        Engine::Postgres => is_set_up(db).await,
        Engine::Sqlite => crate::sync::rules_by_server(&db.conn).await,
    }
}

/// Sets up (or brings up to date) the server's roles, ownership, grants and policies, in one
/// transaction: applied whole or not at all. `prefix` names the two group roles
/// (`<prefix>_owner`, `<prefix>_users`); by default the database's name, kept on later runs.
pub async fn init(db: &Database, prefix: Option<&str>) -> Result<ServerSetup, ApiError> {
    let database = ensure_superuser(db).await?;
    let (owner_role, users_role) = match (setup_roles(&db.conn).await?, prefix) {
        (Some(roles), None) => roles,
        (_, prefix) => {
            let prefix = prefix.unwrap_or(&database);
            if !plain_identifier(prefix, 40) {
                return Err(invalid(
                    "prefix",
                    format!(
                        "\"{prefix}\" cannot name the server's roles: pass --prefix with lower-case Latin letters, digits and underscores (at most 40)."
                    ),
                ));
            }
            (format!("{prefix}_owner"), format!("{prefix}_users"))
        }
    };
    if !plain_identifier(&database, 63) {
        return Err(invalid(
            "db",
            format!("Rename the database \"{database}\" to lower-case Latin letters, digits and underscores first."),
        ));
    }
    let tx = db.conn.begin().await?;
    for statement in setup_statements(&database, &owner_role, &users_role) {
        if let Err(e) = tx.execute_unprepared(&statement).await {
            let head: String = statement.chars().take(300).collect();
            tracing::error!(statement = %head, "a set-up statement failed");
            return Err(e.into());
        }
    }
    tx.commit().await?;
    tracing::info!(database, owner_role, users_role, "team server set up");
    Ok(ServerSetup { database, owner_role, users_role, scoped_tables: scoped_tables() })
}

/// Brings ownership, grants and policies up to date after a migration, on a server that was
/// set up; does nothing on one that was not (or on SQLite).
pub async fn reapply_if_set_up(db: &Database) -> Result<Option<ServerSetup>, ApiError> {
    if db.engine != Engine::Postgres || setup_roles(&db.conn).await?.is_none() {
        return Ok(None);
    }
    init(db, None).await.map(Some)
}

/// Gives the Accord user `login` their own PostgreSQL login role, a member of the users group,
/// recorded so the server's checks know whose it is. `password` is the role's password; when
/// none is given a random one is made and returned once.
pub async fn add_user(
    db: &Database,
    login: &str,
    db_role: Option<&str>,
    password: Option<String>,
) -> Result<ServerUser, ApiError> {
    ensure_superuser(db).await?;
    let Some((_, users_role)) = setup_roles(&db.conn).await? else {
        return Err(ApiError::new(
            ErrorCode::SchemaOutdated,
            "This server is not set up yet: run `accord server init` first.",
        ));
    };
    let login = accord_security::users::normalise_login(login);
    let user_id = user_id_of(&db.conn, &login).await?;
    let db_role = match db_role {
        Some(role) => role.to_owned(),
        None => default_role_name(&users_role, &login, user_id),
    };
    if !plain_identifier(&db_role, 63) {
        return Err(invalid(
            "db_role",
            format!(
                "\"{db_role}\" cannot be a role name: use lower-case Latin letters, digits and underscores (at most 63)."
            ),
        ));
    }
    let generated = password.is_none();
    let password = password.unwrap_or_else(random_password);
    if password.chars().count() < 12 {
        return Err(invalid("password", "A database password needs at least 12 characters."));
    }
    let tx = db.conn.begin().await?;
    let exists = scalar_text(&tx, &format!("SELECT rolname::text FROM pg_roles WHERE rolname = '{db_role}'")).await?;
    let verb = if exists.is_some() { "ALTER" } else { "CREATE" };
    // A SCRAM verifier made here: the password itself never reaches the server or its log.
    let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
    tx.execute_unprepared(&format!(
        "{verb} ROLE {db_role} LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD {}",
        quote_literal(&verifier)
    ))
    .await?;
    tx.execute_unprepared(&format!("GRANT {users_role} TO {db_role}")).await?;
    // A transaction left open (psql, a crashed tool) must not hold the log's head for long.
    tx.execute_unprepared(&format!("ALTER ROLE {db_role} SET idle_in_transaction_session_timeout = '2min'")).await?;
    // One role per user and one user per role: running it again re-points both.
    tx.execute_unprepared(&format!(
        "DELETE FROM accord.server_roles WHERE role_name = '{db_role}' OR user_id = '{user_id}'"
    ))
    .await?;
    tx.execute_unprepared(&format!(
        "INSERT INTO accord.server_roles (role_name, user_id) VALUES ('{db_role}', '{user_id}')"
    ))
    .await?;
    tx.commit().await?;
    tracing::info!(login, db_role, "team server user added");
    Ok(ServerUser { login, db_role, password: generated.then_some(password) })
}

/// Closes the Accord user `login`'s own role: it may no longer log in and its open connections
/// end now (deactivating the user in Accord ends their sessions; this closes the door to the
/// server itself, for a departing user). Returns the role's name.
pub async fn remove_user(db: &Database, login: &str) -> Result<String, ApiError> {
    ensure_superuser(db).await?;
    let login = accord_security::users::normalise_login(login);
    let user_id = user_id_of(&db.conn, &login).await?;
    let role = scalar_text(&db.conn, &format!("SELECT role_name FROM accord.server_roles WHERE user_id = '{user_id}'"))
        .await?
        .ok_or_else(|| invalid("login", format!("\"{login}\" has no role of their own on this server.")))?;
    if !plain_identifier(&role, 63) {
        return Err(ApiError::internal("a recorded role name is not a plain identifier"));
    }
    db.conn.execute_unprepared(&format!("ALTER ROLE {role} NOLOGIN")).await?;
    db.conn
        .execute_unprepared(&format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"))
        .await?;
    tracing::info!(login, role, "team server user's role closed");
    Ok(role)
}

async fn user_id_of(conn: &impl ConnectionTrait, login: &str) -> Result<Uuid, ApiError> {
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM users WHERE login = $1",
            [login.into()],
        ))
        .await?;
    match row {
        Some(row) => Ok(row.try_get_by_index(0)?),
        None => Err(invalid(
            "login",
            format!("There is no Accord user \"{login}\": create the user in Administration → Users first."),
        )),
    }
}

/// `<group prefix>_<login>` for a plain login, else `<group prefix>_u_<user id>`.
fn default_role_name(users_role: &str, login: &str, user_id: Uuid) -> String {
    let prefix = users_role.trim_end_matches("_users");
    let named = format!("{prefix}_{login}");
    if plain_identifier(&named, 63) { named } else { format!("{prefix}_u_{}", &user_id.simple().to_string()[..16]) }
}

fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..24).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// How far ahead of the server's clock a change-log stamp may be (a stamp is milliseconds
/// times 65,536 plus a counter): a forged stamp far in the future would stall a device's clock.
const DAY_MS: i64 = 86_400_000;

/// Whether the signed-in user holds, for a search document's kind (its `entity`), the
/// permission `of` names: generated from the registry's searchable kinds.
fn by_entity(alias: &str, of: impl Fn(&accord_kernel::catalogue::RecordKind) -> &'static str) -> String {
    let cases: String = registry::record_kinds()
        .filter_map(|kind| {
            kind.search_entity.map(|entity| format!(" WHEN '{entity}' THEN (SELECT accord.may('{}'))", of(kind)))
        })
        .collect();
    format!("(CASE {alias}entity{cases} ELSE false END)")
}

/// The signed-in user is known (the connection presented an open session's token).
const SIGNED_IN: &str = "(SELECT accord.current_user_id()) IS NOT NULL";

/// The core's `Reach` over a row's owner and department.
fn visible(alias: &str) -> String {
    format!(
        "{SIGNED_IN} AND ((SELECT accord.sees_all()) OR {alias}department_id IS NULL \
         OR {alias}owner_id = (SELECT accord.current_user_id()) \
         OR {alias}department_id = ANY ((SELECT accord.visible_departments())::uuid[]))"
    )
}

/// The public columns of `users`; the password hash and two-factor secrets are not among them.
const USER_COLUMNS: &str = "id, login, display_name, role_id, department_id, active, failed_attempts, \
    locked_until, last_sign_in_at, created_at, updated_at, deactivated_at, totp_enabled_at";

/// What an administrator's role may change of a user.
const UPDATABLE_USER_COLUMNS: &str = "display_name, role_id, department_id, active, failed_attempts, locked_until, last_sign_in_at, updated_at, deactivated_at";

/// Functions a user's role may call (the rest run only inside them).
const CALLABLE: [&str; 18] = [
    "commit_horizon()",
    "role_user_id()",
    "current_user_id()",
    "sees_all()",
    "visible_departments()",
    "may(text)",
    "sign_in_record(text)",
    "record_failed_sign_in()",
    "offer_second_factor(text)",
    "start_session(uuid, text, uuid, integer, text, text)",
    "begin_two_factor(text)",
    "confirm_two_factor(text, text[])",
    "renew_recovery_codes(text, text[])",
    "disable_two_factor(text)",
    "append_audit(uuid, uuid, uuid, text, text, uuid, text)",
    "append_offline_audit(jsonb)",
    "reset_two_factor(uuid)",
    "matching_documents(tsquery, boolean, text[], integer)",
];
const INTERNAL: [&str; 12] = [
    "count_failure(uuid)",
    "totp(text, bigint)",
    "claim_second_factor(uuid, text, timestamp with time zone)",
    "replace_recovery_codes(uuid, text[])",
    "stamp_author()",
    "require_change_entry()",
    "keep_an_administrator()",
    "chain_entry(uuid, timestamp with time zone, uuid, uuid, text, text, uuid, text)",
    "chain_waiting()",
    "step_of(text, text, timestamp with time zone)",
    "proved_user(text)",
    "require_record_change()",
];

fn setup_statements(database: &str, owner: &str, users: &str) -> Vec<String> {
    let mut sql = vec![
        format!(
            "DO $$ BEGIN \
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN CREATE ROLE {owner} NOLOGIN; END IF; \
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{users}') THEN CREATE ROLE {users} NOLOGIN; END IF; \
             END $$"
        ),
        "CREATE SCHEMA IF NOT EXISTS accord".to_owned(),
        "CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA accord".to_owned(),
        "CREATE TABLE IF NOT EXISTS accord.setup (id integer PRIMARY KEY CHECK (id = 1), owner_role text NOT NULL, \
           users_role text NOT NULL, applied_at timestamptz NOT NULL)"
            .to_owned(),
        format!(
            "INSERT INTO accord.setup VALUES (1, '{owner}', '{users}', now()) ON CONFLICT (id) DO UPDATE \
             SET owner_role = EXCLUDED.owner_role, users_role = EXCLUDED.users_role, applied_at = now()"
        ),
        // Second factors offered for a sign-in, each usable once, minutes at most.
        "CREATE TABLE IF NOT EXISTS accord.code_attempts (id uuid PRIMARY KEY, user_id uuid NOT NULL, \
           code text NOT NULL, offered_in xid8 NOT NULL, locked_before boolean NOT NULL, offered_at timestamptz NOT NULL)"
            .to_owned(),
        // Failed sign-ins waiting to join the audit chain (see accord.append_audit).
        "CREATE TABLE IF NOT EXISTS accord.pending_audit (id uuid PRIMARY KEY, at timestamptz NOT NULL, \
           actor_id uuid NOT NULL, device_id uuid NOT NULL, operation text NOT NULL, target_table text, \
           target_id uuid, detail text)"
            .to_owned(),
        // Earlier versions' signatures.
        "DROP FUNCTION IF EXISTS accord.start_session(uuid, text, text, integer, text, text)".to_owned(),
        "DROP FUNCTION IF EXISTS accord.claim_second_factor(uuid, text)".to_owned(),
        "DROP FUNCTION IF EXISTS accord.matching_documents(tsquery)".to_owned(),
        "DROP FUNCTION IF EXISTS accord.login_user_id()".to_owned(),
        "CREATE TABLE IF NOT EXISTS accord.server_roles (role_name text PRIMARY KEY, \
           user_id uuid NOT NULL UNIQUE REFERENCES public.users (id), created_at timestamptz NOT NULL DEFAULT now())"
            .to_owned(),
        // Everything belongs to the owner role; an administrator migrates as a superuser.
        format!("ALTER SCHEMA accord OWNER TO {owner}"),
        format!("ALTER SCHEMA public OWNER TO {owner}"),
        format!(
            "DO $$ DECLARE t record; BEGIN \
               FOR t IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', 'accord') LOOP \
                 EXECUTE format('ALTER TABLE %I.%I OWNER TO {owner}', t.schemaname, t.tablename); \
               END LOOP; END $$"
        ),
        include_str!("functions.sql")
            .replace("{attempts}", &ATTEMPTS_BEFORE_LOCK.to_string())
            .replace("{longest_lock}", &LONGEST_LOCK_MINUTES.to_string())
            .replace("{owner}", owner),
        // The functions generated from the registry's record kinds.
        matching_documents(),
        require_record_change(),
        commit_horizon(),
    ];
    // An earlier version marked the full-text match leakproof for speed; EXPLAIN ANALYZE then
    // counted hidden rows, so it is undone (the search goes through matching_documents).
    sql.push("ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) NOT LEAKPROOF".to_owned());
    for function in CALLABLE.iter().chain(INTERNAL.iter()) {
        sql.push(format!("ALTER FUNCTION accord.{function} OWNER TO {owner}"));
        sql.push(format!("REVOKE ALL ON FUNCTION accord.{function} FROM PUBLIC"));
    }
    for function in CALLABLE {
        sql.push(format!("GRANT EXECUTE ON FUNCTION accord.{function} TO {users}"));
    }
    sql.extend(grants(database, users));
    // Statistics counters tell how many rows a statement read, hidden ones included (a
    // review recovered hidden words by counting): a user's role reads none of them.
    sql.push(
        "DO $$ DECLARE f record; BEGIN \
           FOR f IN SELECT p.oid::regprocedure AS fn FROM pg_proc p \
                     WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname LIKE 'pg\\_stat\\_get\\_%' LOOP \
             EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.fn); \
           END LOOP; END $$"
            .to_owned(),
    );
    // The commit horizon of sync leaves out other databases' transactions: only
    // accord.commit_horizon(), run as the owner, reads which sessions run where.
    sql.push(format!("GRANT pg_read_all_stats TO {owner}"));
    sql.push(format!("GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer) TO {owner}"));
    sql.extend(policies(owner, users));
    sql.extend(record_triggers());
    sql
}

/// What a user's role may touch at all; row-level security narrows it further. No app role
/// may update or delete the change log or the audit log.
fn grants(database: &str, users: &str) -> Vec<String> {
    let record_tables: Vec<&str> = registry::record_kinds().map(|kind| kind.table).collect();
    vec![
        format!("REVOKE ALL ON DATABASE {database} FROM PUBLIC"),
        format!("GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {users}"),
        "REVOKE ALL ON SCHEMA public FROM PUBLIC".to_owned(),
        "REVOKE ALL ON SCHEMA accord FROM PUBLIC".to_owned(),
        format!("GRANT USAGE ON SCHEMA public, accord TO {users}"),
        format!("REVOKE ALL ON ALL TABLES IN SCHEMA public, accord FROM PUBLIC, {users}"),
        format!("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public, accord FROM PUBLIC, {users}"),
        format!("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {users}"),
        format!("GRANT SELECT ON seaql_migrations, derived_versions, accord.setup TO {users}"),
        format!("GRANT SELECT, INSERT, UPDATE ON {} TO {users}", record_tables.join(", ")),
        // Columns named: the sequence numbers are the server's, not a user's to choose.
        format!(
            "GRANT SELECT, INSERT (entity, row_id, title, subtitle, body, archived, owner_id, department_id), UPDATE ON search_documents TO {users}"
        ),
        format!(
            "GRANT SELECT, INSERT (hlc, device_id, actor_id, operation, table_name, row_id, action, changes) ON change_log TO {users}"
        ),
        // The audit log is appended to only through accord.append_audit.
        format!("GRANT SELECT ON audit_log TO {users}"),
        format!("GRANT SELECT ON audit_head TO {users}"),
        format!("GRANT SELECT, INSERT, UPDATE ON roles, departments TO {users}"),
        format!("GRANT SELECT, INSERT, DELETE ON role_permissions TO {users}"),
        format!("GRANT SELECT, INSERT ON known_permissions TO {users}"),
        format!("GRANT SELECT ({USER_COLUMNS}) ON users TO {users}"),
        format!("GRANT INSERT ({USER_COLUMNS}, password_hash) ON users TO {users}"),
        // Two-factor columns are written only by the server's functions (a reset included).
        format!("GRANT UPDATE ({UPDATABLE_USER_COLUMNS}) ON users TO {users}"),
        format!("GRANT SELECT, UPDATE (ended_at, end_reason) ON user_sessions TO {users}"),
        format!("GRANT SELECT (id, user_id, created_at, used_at) ON recovery_codes TO {users}"),
        // Sync: which server this is, and the conflicts merged records keep (ADR 0014).
        format!("GRANT SELECT ON database_identity TO {users}"),
        format!("GRANT SELECT, INSERT, DELETE ON sync_conflicts TO {users}"),
        // A replica's own state, empty on a server: read, so asking a server says "not a replica".
        format!("GRANT SELECT ON sync_replica, sync_rejected TO {users}"),
        format!("GRANT SELECT, INSERT ON sync_devices TO {users}"),
        // Imports are each user's own bookkeeping (the operations read only the user's own);
        // freshness rules are read by everyone and set by `freshness.manage` (ADR 0018).
        format!("GRANT SELECT, INSERT, UPDATE ON imports, import_rows, import_batches TO {users}"),
        format!("GRANT SELECT, INSERT, UPDATE ON exports TO {users}"),
        format!("GRANT SELECT, INSERT, UPDATE ON freshness_rules TO {users}"),
        // Attached files: kept by hash, never changed or deleted by a user (ADR 0023).
        format!("GRANT SELECT, INSERT ON attachment_contents TO {users}"),
    ]
}

/// On every record kind's table: who changed a record is the signed-in user, and no change
/// commits without its change-log entry (for users' own roles; see functions.sql).
fn record_triggers() -> Vec<String> {
    let guards = ["users", "roles"].into_iter().flat_map(|table| {
        [
            format!("DROP TRIGGER IF EXISTS accord_keep_an_administrator ON {table}"),
            format!(
                "CREATE TRIGGER accord_keep_an_administrator BEFORE UPDATE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION accord.keep_an_administrator()"
            ),
        ]
    });
    let documents = [
        "DROP TRIGGER IF EXISTS accord_document_with_record ON search_documents".to_owned(),
        "CREATE CONSTRAINT TRIGGER accord_document_with_record AFTER INSERT OR UPDATE ON search_documents \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord.require_record_change()"
            .to_owned(),
    ];
    registry::record_kinds()
        .flat_map(|kind| {
            let table = kind.table;
            [
                format!("DROP TRIGGER IF EXISTS accord_stamp_author ON {table}"),
                format!(
                    "CREATE TRIGGER accord_stamp_author BEFORE INSERT OR UPDATE ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION accord.stamp_author()"
                ),
                format!("DROP TRIGGER IF EXISTS accord_change_logged ON {table}"),
                format!(
                    "CREATE CONSTRAINT TRIGGER accord_change_logged AFTER INSERT OR UPDATE ON {table} \
                     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord.require_change_entry()"
                ),
            ]
        })
        .chain(guards)
        .chain(documents)
        .collect()
}

/// The search's candidates on a user's own role: row-level security would keep `@@` (not
/// leakproof) off the full-text index and scan every document, so this function matches
/// through the index as the owner and returns only the newest `lim` documents the signed-in
/// user may see — by the kind's read permission and the reach, as the policy does. The caller
/// sees only the rows returned (EXPLAIN shows no hidden row; statistics counters are closed).
fn matching_documents() -> String {
    let readable = by_entity("d.", |kind| kind.read_permission.key());
    format!(
        "CREATE OR REPLACE FUNCTION accord.matching_documents(q tsquery, include_archived boolean, \
               entities text[], lim integer) RETURNS SETOF search_documents \
             LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, accord, pg_temp AS $$ \
               SELECT d.* FROM search_documents d \
                WHERE d.tsv @@ q AND (include_archived OR NOT d.archived) \
                  AND (entities IS NULL OR d.entity = ANY (entities)) \
                  AND {readable} AND {} \
                ORDER BY d.doc_id + 0 DESC LIMIT lim \
             $$",
        visible("d.")
    )
}

/// A search document a user's role writes must come with its record's change in the same
/// transaction (the app writes both together), so nobody retitles or plants a document by hand:
/// a change-log entry of the record in this transaction (every change of a record has one;
/// by `tx_id`, which a savepoint of a sync push shares with its transaction, unlike `xmin`).
fn require_record_change() -> String {
    let cases: String = registry::record_kinds()
        .filter_map(|kind| kind.search_entity.map(|entity| (entity, kind.table)))
        .map(|(entity, table)| {
            format!(
                " WHEN '{entity}' THEN EXISTS (SELECT 1 FROM change_log c WHERE c.table_name = '{table}' \
                   AND c.row_id = NEW.row_id AND c.tx_id = pg_current_xact_id())"
            )
        })
        .collect();
    format!(
        "CREATE OR REPLACE FUNCTION accord.require_record_change() RETURNS trigger \
             LANGUAGE plpgsql SET search_path = public, accord, pg_temp AS $$ \
             BEGIN \
               IF accord.role_user_id() IS NULL THEN RETURN NULL; END IF; \
               IF NOT (CASE NEW.entity{cases} ELSE false END) THEN \
                 RAISE EXCEPTION 'a search document changes only with its record: change records through Accord' \
                   USING ERRCODE = '42501'; \
               END IF; \
               RETURN NULL; \
             END $$"
    )
}

/// `accord.commit_horizon()`: the kernel's commit horizon of sync (ADR 0014), for users' own
/// roles, which may not read other sessions themselves.
fn commit_horizon() -> String {
    format!(
        "CREATE OR REPLACE FUNCTION accord.commit_horizon() RETURNS bigint \
         LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ {} $$",
        accord_kernel::sync::COMMIT_HORIZON
    )
}

/// Row-level security: `FORCE`d on business tables and the logs (nobody is exempt but a
/// superuser); on the security tables the owner role — which only the functions run as —
/// reads past it.
fn policies(owner: &str, users: &str) -> Vec<String> {
    let mut sql = Vec::new();
    let mut protect = |table: &str, force: bool, rules: Vec<(&str, String)>| {
        sql.push(format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"));
        sql.push(format!("ALTER TABLE {table} {} ROW LEVEL SECURITY", if force { "FORCE" } else { "NO FORCE" }));
        sql.push(format!(
            "DO $$ DECLARE p record; BEGIN \
               FOR p IN SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = '{table}' LOOP \
                 EXECUTE format('DROP POLICY %I ON {table}', p.policyname); \
               END LOOP; END $$"
        ));
        for (name, rule) in rules {
            sql.push(format!("CREATE POLICY {name} ON {table} {rule}"));
        }
    };
    let visible = visible("");
    for table in scoped_tables() {
        // A kind is read and written with its permissions, as in the window (a newcomer reads
        // nothing, an auditor changes nothing); search documents follow their record's.
        let (readable, writable) = match registry::record_kind(table) {
            Some(kind) => (
                format!("(SELECT accord.may('{}')) AND {visible}", kind.read_permission.key()),
                format!("(SELECT accord.may('{}')) AND {visible}", kind.write_permission.key()),
            ),
            None => (
                format!("{} AND {visible}", by_entity("", |kind| kind.read_permission.key())),
                format!("{} AND {visible}", by_entity("", |kind| kind.write_permission.key())),
            ),
        };
        let mut rules = vec![
            ("accord_read", format!("FOR SELECT TO {users} USING ({readable})")),
            ("accord_insert", format!("FOR INSERT TO {users} WITH CHECK ({writable})")),
            ("accord_update", format!("FOR UPDATE TO {users} USING ({writable}) WITH CHECK ({SIGNED_IN})")),
        ];
        if table == "search_documents" {
            // accord.matching_documents reads as the owner and applies the reach itself.
            rules.push(("accord_owner_search", format!("FOR SELECT TO {owner} USING (true)")));
        }
        protect(table, true, rules);
    }
    // A change-log entry is seen by whoever sees its record (or made it).
    let of_visible_records: Vec<String> = registry::record_kinds()
        .map(|kind| format!("(table_name = '{0}' AND row_id IN (SELECT id FROM {0}))", kind.table))
        .collect();
    protect(
        "change_log",
        true,
        vec![
            (
                "accord_read",
                format!(
                    "FOR SELECT TO {users} USING ({SIGNED_IN} AND ((SELECT accord.sees_all()) \
                     OR actor_id = (SELECT accord.current_user_id()) OR {}))",
                    of_visible_records.join(" OR ")
                ),
            ),
            (
                "accord_insert",
                format!(
                    "FOR INSERT TO {users} WITH CHECK (actor_id = (SELECT accord.current_user_id()) \
                     AND hlc < ((extract(epoch FROM now()) * 1000)::bigint + {DAY_MS}) * 65536 AND ({}))",
                    of_visible_records.join(" OR ")
                ),
            ),
        ],
    );
    // An attached file is read by whoever sees an attachment naming it, and by who sent it
    // (a laptop sends its files before the entries that attach them; keeping one is an
    // insert that must see its own row). Anyone signed in may keep one under their own name;
    // the table's CHECK holds it to its hash.
    let me = "(SELECT accord.current_user_id())";
    protect(
        "attachment_contents",
        true,
        vec![
            (
                "accord_read",
                format!(
                    "FOR SELECT TO {users} USING ({SIGNED_IN} AND (kept_by = {me} OR sha256 IN (SELECT a.sha256 FROM attachments a)))"
                ),
            ),
            ("accord_insert", format!("FOR INSERT TO {users} WITH CHECK ({SIGNED_IN} AND kept_by = {me})")),
        ],
    );
    // A conflict shows two values of a record's field: seen and kept only with its record.
    let of_its_record = of_visible_records.join(" OR ");
    protect(
        "sync_conflicts",
        true,
        vec![
            ("accord_read", format!("FOR SELECT TO {users} USING ({SIGNED_IN} AND ({of_its_record}))")),
            ("accord_insert", format!("FOR INSERT TO {users} WITH CHECK ({SIGNED_IN} AND ({of_its_record}))")),
            ("accord_delete", format!("FOR DELETE TO {users} USING ({SIGNED_IN} AND ({of_its_record}))")),
        ],
    );
    // A replica's device is bound to its user at the first push; one sees only one's own.
    protect(
        "sync_devices",
        true,
        vec![
            ("accord_read", format!("FOR SELECT TO {users} USING (user_id = (SELECT accord.current_user_id()))")),
            (
                "accord_insert",
                format!("FOR INSERT TO {users} WITH CHECK (user_id = (SELECT accord.current_user_id()))"),
            ),
            // accord.append_offline_audit checks, as the owner, whose device an entry names.
            ("accord_owner_read", format!("FOR SELECT TO {owner} USING (true)")),
        ],
    );
    protect(
        "audit_log",
        true,
        vec![
            ("accord_read", format!("FOR SELECT TO {users} USING ((SELECT accord.may('audit.read')))")),
            // accord.append_audit appends as the owner, after checking who acts.
            ("accord_append", format!("FOR INSERT TO {owner} WITH CHECK (true)")),
            ("accord_owner_read", format!("FOR SELECT TO {owner} USING (true)")),
        ],
    );
    let manage = |permission: &str| format!("(SELECT accord.may('{permission}'))");
    // An import, its rows and its batches are its starter's alone (ADR 0018).
    let own_import = "started_by = (SELECT accord.current_user_id())";
    protect(
        "imports",
        false,
        vec![(
            "accord_own",
            format!(
                "FOR ALL TO {users} USING ({SIGNED_IN} AND {own_import}) WITH CHECK ({SIGNED_IN} AND {own_import})"
            ),
        )],
    );
    // So is an export (its file is on the exporter's computer; that it happened is audited).
    protect(
        "exports",
        false,
        vec![(
            "accord_own",
            format!(
                "FOR ALL TO {users} USING ({SIGNED_IN} AND {own_import}) WITH CHECK ({SIGNED_IN} AND {own_import})"
            ),
        )],
    );
    let of_own_import = format!("import_id IN (SELECT id FROM imports WHERE {own_import})");
    for table in ["import_rows", "import_batches"] {
        protect(
            table,
            false,
            vec![(
                "accord_own",
                format!(
                    "FOR ALL TO {users} USING ({SIGNED_IN} AND {of_own_import}) WITH CHECK ({SIGNED_IN} AND {of_own_import})"
                ),
            )],
        );
    }
    protect(
        "freshness_rules",
        false,
        vec![
            ("accord_read", format!("FOR SELECT TO {users} USING ({SIGNED_IN})")),
            ("accord_insert", format!("FOR INSERT TO {users} WITH CHECK ({})", manage("freshness.manage"))),
            (
                "accord_update",
                format!("FOR UPDATE TO {users} USING ({0}) WITH CHECK ({0})", manage("freshness.manage")),
            ),
        ],
    );
    protect(
        "users",
        false,
        vec![
            ("accord_read", format!("FOR SELECT TO {users} USING ({SIGNED_IN})")),
            ("accord_insert", format!("FOR INSERT TO {users} WITH CHECK ({})", manage("users.manage"))),
            ("accord_update", format!("FOR UPDATE TO {users} USING ({0}) WITH CHECK ({0})", manage("users.manage"))),
        ],
    );
    protect(
        "departments",
        false,
        vec![
            ("accord_read", format!("FOR SELECT TO {users} USING ({SIGNED_IN})")),
            ("accord_write", format!("FOR ALL TO {users} USING ({0}) WITH CHECK ({0})", manage("users.manage"))),
        ],
    );
    // Roles and what they grant are read at start-up, before anyone signs in.
    for table in ["roles", "role_permissions", "known_permissions"] {
        protect(
            table,
            false,
            vec![
                ("accord_read", format!("FOR SELECT TO {users} USING (true)")),
                ("accord_insert", format!("FOR INSERT TO {users} WITH CHECK ({})", manage("roles.manage"))),
                (
                    "accord_update",
                    format!("FOR UPDATE TO {users} USING ({0}) WITH CHECK ({0})", manage("roles.manage")),
                ),
                ("accord_delete", format!("FOR DELETE TO {users} USING ({})", manage("roles.manage"))),
            ],
        );
    }
    protect(
        "user_sessions",
        false,
        vec![
            (
                "accord_own",
                format!(
                    "FOR SELECT TO {users} USING (user_id = (SELECT accord.role_user_id()) OR {})",
                    manage("users.manage")
                ),
            ),
            (
                "accord_end",
                // Ending a session, never reopening one.
                format!(
                    "FOR UPDATE TO {users} USING ((user_id = (SELECT accord.role_user_id()) OR {0}) AND ended_at IS NULL) \
                     WITH CHECK (ended_at IS NOT NULL)",
                    manage("users.manage")
                ),
            ),
        ],
    );
    // Counted (how many are left) by their user and administrators; never read, never made
    // but by the server's own functions or an administrator's connection.
    protect(
        "recovery_codes",
        false,
        vec![(
            "accord_read",
            format!(
                "FOR SELECT TO {users} USING (user_id = (SELECT accord.role_user_id()) OR {})",
                manage("users.manage")
            ),
        )],
    );
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_written_unquoted_are_plain() {
        assert!(plain_identifier("accord", 40));
        assert!(plain_identifier("accord_t_01", 40));
        assert!(!plain_identifier("Accord", 40));
        assert!(!plain_identifier("1accord", 40));
        assert!(!plain_identifier("acc\"; DROP", 40));
        assert!(!plain_identifier("анна", 40));
        assert!(!plain_identifier(&"a".repeat(41), 40));
    }

    #[test]
    fn a_login_that_cannot_name_a_role_gets_one_from_its_id() {
        let id = Uuid::now_v7();
        assert_eq!(default_role_name("accord_users", "anna", id), "accord_anna");
        let persian = default_role_name("accord_users", "مریم", id);
        assert!(persian.starts_with("accord_u_") && plain_identifier(&persian, 63), "{persian}");
    }

    #[test]
    fn every_scoped_table_is_protected() {
        let statements = policies("accord_owner", "accord_users").join("\n");
        for table in scoped_tables() {
            assert!(statements.contains(&format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY")), "{table}");
            assert!(statements.contains(&format!("CREATE POLICY accord_read ON {table}")), "{table}");
        }
    }
}
