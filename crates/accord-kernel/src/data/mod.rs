//! Opening a database (SQLite file or PostgreSQL URL), its connection settings, and
//! migrations with the refusal of schemas newer than this binary.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use accord_migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::error::{ApiError, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The raw driver pool beside SeaORM's connection: used where the engines need their own SQL
/// (search) and by the benchmark's raw-SQL baselines.
#[derive(Debug, Clone)]
pub enum RawPool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone)]
pub struct Database {
    pub conn: DatabaseConnection,
    pub engine: Engine,
    pub raw: RawPool,
    /// Connected as an Accord user's own login role on a team server that enforces access
    /// itself (ADR 0013): every transaction presents the actor's session to the server, and
    /// the security domain signs in through the server's own checks.
    pub user_role: bool,
}

/// How long a writer waits for another one before its operation fails as `busy`.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a server may take to answer before the user is told it cannot be reached.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// SQLite's page cache per connection, in KiB (64 MiB unless a process asks for less).
static SQLITE_PAGE_CACHE_KIB: AtomicU32 = AtomicU32::new(64 * 1024);

/// Sets the page cache of SQLite connections opened from now on. A bulk load wants a large
/// one (64 MiB, the default: imports and deep pages stop spilling); the desktop window, which
/// reads a page at a time and keeps running for hours, sets 16 MiB so that reading a whole
/// large list does not leave the cache's worth of memory behind (the file's pages stay in the
/// OS cache).
pub fn set_sqlite_page_cache_mib(mib: u32) {
    SQLITE_PAGE_CACHE_KIB.store(mib.max(1) * 1024, Ordering::Relaxed);
}

/// Opens `url` without changing the schema; refuses, before writing anything, a database
/// whose schema is newer than this binary. `sqlite:PATH` (created when missing) or
/// `postgres://…`.
pub async fn open(url: &str) -> Result<Database, ApiError> {
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        open_sqlite(path).await
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        open_postgres(url).await
    } else {
        Err(ApiError::new(
            ErrorCode::DatabaseUnavailable,
            "The database address must start with sqlite: (a file path) or postgres:// (a server URL).",
        ))
    }
}

async fn open_sqlite(path: &str) -> Result<Database, ApiError> {
    let unavailable = |e: &dyn std::fmt::Display| {
        ApiError::new(ErrorCode::DatabaseUnavailable, format!("Cannot open the database file {path}: {e}"))
    };
    if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| unavailable(&e))?;
    }
    let options = SqliteConnectOptions::from_str(&format!("sqlite:{path}"))
        .map_err(|e| unavailable(&e))?
        .create_if_missing(true)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        // Negative: a size in KiB rather than a number of pages (see set_sqlite_page_cache_mib).
        .pragma("cache_size", format!("-{}", SQLITE_PAGE_CACHE_KIB.load(Ordering::Relaxed)))
        .pragma("temp_store", "MEMORY")
        // Checkpoint every ~40 MiB of WAL instead of 4 MiB: fewer, larger copies during imports.
        .pragma("wal_autocheckpoint", "10000");
    // One connection: SQLite has one writer anyway, and a single connection cannot deadlock on
    // a read transaction upgrading to a write (see docs/decisions/0002-sqlite-single-connection-and-qpsg.md).
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .test_before_acquire(false)
        .after_connect(|conn, _meta| Box::pin(async move { enable_stable_plans(conn).await }))
        .connect_with(options)
        .await
        .map_err(|e| unavailable(&e))?;
    let db = Database {
        conn: sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool.clone()),
        engine: Engine::Sqlite,
        raw: RawPool::Sqlite(pool),
        user_role: false,
    };
    // Refused before anything is written: even switching the journal mode changes the file.
    ensure_not_newer(&db).await?;
    ensure_ours_or_empty(&db).await?;
    // WAL, so that readers (the window's lists) never block a writer (a script's import).
    // The mode is kept in the file, so it holds for every later connection too.
    db.conn.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    Ok(db)
}

/// SeaORM binds LIMIT as a parameter, which makes SQLite re-plan the statement on each run;
/// the query planner stability guarantee keeps the first plan (measured in docs/performance.md).
async fn enable_stable_plans(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let raw = handle.as_raw_handle().as_ptr();
    // SAFETY: `raw` is the live handle of the connection we hold the lock of; the call only
    // flips a per-connection flag and passes a null out-pointer, which SQLite allows.
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            raw,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1,
            std::ptr::null_mut::<i32>(),
        )
    };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!("sqlite3_db_config(ENABLE_QPSG) returned {rc}")))
    }
}

async fn open_postgres(url: &str) -> Result<Database, ApiError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| pg_unavailable(&e))?;
    connect_postgres(options).await
}

/// Opens a PostgreSQL server as `user` with `password`, which never become part of a URL
/// (so they cannot end up in a log or an error message).
pub async fn open_server(url: &str, user: &str, password: &str) -> Result<Database, ApiError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| pg_unavailable(&e))?.username(user).password(password);
    connect_postgres(options).await
}

fn pg_unavailable(e: &dyn std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::DatabaseUnavailable, format!("Cannot connect to the PostgreSQL server: {e}"))
}

async fn connect_postgres(options: PgConnectOptions) -> Result<Database, ApiError> {
    let host = options.get_host().to_owned();
    let connecting = PgPoolOptions::new()
        .max_connections(8)
        .test_before_acquire(false)
        .acquire_timeout(BUSY_TIMEOUT)
        .connect_with(options);
    let pool = tokio::time::timeout(CONNECT_TIMEOUT, connecting)
        .await
        .map_err(|_| {
            ApiError::new(
                ErrorCode::DatabaseUnavailable,
                format!(
                    "The server {host} did not answer within {} seconds. Check the address and port, and that the server is running and reachable from this computer.",
                    CONNECT_TIMEOUT.as_secs()
                ),
            )
        })?
        .map_err(|e| pg_unavailable(&e))?;
    let db = Database {
        conn: sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(pool.clone()),
        engine: Engine::Postgres,
        raw: RawPool::Postgres(pool),
        user_role: false,
    };
    ensure_not_newer(&db).await?;
    let user_role = is_user_role(&db.conn).await?;
    Ok(Database { user_role, ..db })
}

/// What `migrate` did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MigrationReport {
    pub applied: Vec<String>,
    pub already_applied: usize,
}

fn known_migrations() -> Vec<String> {
    Migrator::migrations().iter().map(|m| m.name().to_owned()).collect()
}

/// Migrations recorded in the database, or none for a new database.
async fn recorded_migrations(db: &Database) -> Result<Vec<String>, ApiError> {
    let exists_sql = match db.engine {
        Engine::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
        Engine::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'seaql_migrations'"
        }
    };
    let backend = db.conn.get_database_backend();
    let exists = db
        .conn
        .query_one_raw(Statement::from_string(backend, exists_sql))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if exists == 0 {
        return Ok(Vec::new());
    }
    let rows = db
        .conn
        .query_all_raw(Statement::from_string(backend, "SELECT version FROM seaql_migrations ORDER BY version"))
        .await?;
    rows.iter().map(|row| row.try_get::<String>("", "version").map_err(ApiError::from)).collect()
}

/// Refuses, without writing anything, a database that holds migrations this binary does not know.
pub async fn ensure_not_newer(db: &Database) -> Result<(), ApiError> {
    let known = known_migrations();
    let unknown: Vec<String> = recorded_migrations(db).await?.into_iter().filter(|v| !known.contains(v)).collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::SchemaTooNew,
        format!(
            "This database was upgraded by a newer version of Accord (it has schema changes {}). \
             This version knows schema up to {}. Install the newer Accord to open it; the database was not changed.",
            unknown.join(", "),
            known.last().map(String::as_str).unwrap_or("none"),
        ),
    ))
}

/// Tables of another application: every table, when the database has no Accord schema
/// (`seaql_migrations`). One statement, so one snapshot: a process that is migrating the
/// same new database at this moment commits its tables and its schema record together.
async fn foreign_tables(db: &Database) -> Result<i64, ApiError> {
    let sql = match db.engine {
        Engine::Sqlite => {
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations') \
             THEN 0 ELSE (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%') END AS n"
        }
        Engine::Postgres => {
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_name = 'seaql_migrations') THEN 0 ELSE (SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema()) END AS n"
        }
    };
    let row = db.conn.query_one_raw(Statement::from_string(db.backend(), sql)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

/// Refuses to set Accord up in a database that already holds another application's tables:
/// a typo in a database name must never put Accord's tables among someone else's.
async fn ensure_ours_or_empty(db: &Database) -> Result<(), ApiError> {
    let tables = foreign_tables(db).await?;
    if tables == 0 {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::DatabaseUnavailable,
        format!(
            "This database already holds {tables} tables of another application and no Accord data, so Accord will not set itself up there. \
             Check the database name, or create an empty database for Accord. Nothing was changed."
        ),
    ))
}

/// On a team server the schema is an administrator's business (`accord migrate`): a user's
/// window refuses a server that is behind instead of upgrading it on their behalf.
pub async fn ensure_current(db: &Database) -> Result<(), ApiError> {
    ensure_ours_or_empty(db).await?;
    let recorded = recorded_migrations(db).await?;
    let pending: Vec<String> = known_migrations().into_iter().filter(|m| !recorded.contains(m)).collect();
    if pending.is_empty() {
        return Ok(());
    }
    let message = if recorded.is_empty() {
        "This database has not been set up for Accord yet. Ask your administrator to run `accord migrate` on it, then connect again.".to_owned()
    } else {
        format!(
            "The team server's database is older than this Accord (it lacks {}). Ask your administrator to run `accord migrate` on it, then connect again.",
            pending.join(", ")
        )
    };
    Err(ApiError::new(ErrorCode::SchemaOutdated, message))
}

/// Applies pending migrations, each in its own transaction, after refusing newer schemas.
/// Several processes opening a new database at once apply each migration once: every
/// migration's transaction first takes the write lock (SQLite `BEGIN IMMEDIATE`, a
/// PostgreSQL advisory lock) and only then reads what is still pending.
pub async fn migrate(db: &Database) -> Result<MigrationReport, ApiError> {
    ensure_not_newer(db).await?;
    ensure_ours_or_empty(db).await?;
    let already_applied = recorded_migrations(db).await?.len();
    let mut applied = Vec::new();
    loop {
        let txn = begin_migration(db).await?;
        let Some(next) = Migrator::get_pending_migrations(&txn).await?.first().map(|m| m.name().to_owned()) else {
            txn.commit().await?;
            break;
        };
        Migrator::up(&txn, Some(1)).await.map_err(|e| {
            ApiError::internal(format!("A schema migration failed and was rolled back; the database is unchanged: {e}"))
        })?;
        txn.commit().await?;
        applied.push(next);
    }
    Ok(MigrationReport { applied, already_applied })
}

/// Key of the advisory lock that serialises migrations on a PostgreSQL server.
const MIGRATION_LOCK: i64 = 0x6163_636f_7264_6d69; // "accordmi"

async fn begin_migration(db: &Database) -> Result<sea_orm::DatabaseTransaction, ApiError> {
    let options = sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db.conn.begin_with_options(options).await?;
    if db.engine == Engine::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")).await?;
    }
    Ok(txn)
}

/// Whether this connection's role is an Accord user's own role on a server set up by `accord
/// server init` (a member of its users group, and no superuser, who would bypass its checks).
async fn is_user_role(conn: &DatabaseConnection) -> Result<bool, ApiError> {
    let ask = |sql: &str| Statement::from_string(DbBackend::Postgres, sql.to_owned());
    let set_up = conn
        .query_one_raw(ask(
            "SELECT to_regclass('accord.setup') IS NOT NULL AND has_table_privilege('accord.setup', 'SELECT') AS yes",
        ))
        .await?;
    if !set_up.map(|row| row.try_get::<bool>("", "yes")).transpose()?.unwrap_or(false) {
        return Ok(false);
    }
    let member = conn
        .query_one_raw(ask("SELECT NOT r.rolsuper AND pg_has_role(session_user, s.users_role, 'MEMBER') AS yes \
             FROM accord.setup s, pg_roles r WHERE s.id = 1 AND r.rolname = session_user"))
        .await?;
    Ok(member.map(|row| row.try_get::<bool>("", "yes")).transpose()?.unwrap_or(false))
}

impl Database {
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Begins a transaction for `session`. A writing one on SQLite begins IMMEDIATE: it waits
    /// (up to the busy timeout) for the write lock at BEGIN instead of failing at once when its
    /// read snapshot cannot be upgraded because another process committed in between. On a
    /// user's own server role the transaction presents the session's token, without which the
    /// server shows nothing (ADR 0013).
    pub async fn begin(
        &self,
        writes: bool,
        session: Option<&crate::security::SessionToken>,
    ) -> Result<sea_orm::DatabaseTransaction, ApiError> {
        let mode = if writes { SqliteTransactionMode::Immediate } else { SqliteTransactionMode::Deferred };
        let options = TransactionOptions { sqlite_transaction_mode: Some(mode), ..TransactionOptions::default() };
        let tx = self.conn.begin_with_options(options).await?;
        if self.user_role {
            let token = session.map(|s| s.secret().to_owned()).unwrap_or_default();
            tx.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config('accord.session', $1, true)",
                [token.into()],
            ))
            .await?;
        }
        Ok(tx)
    }
}
