//! The one door: every operation is registered once (see [`registry`]), declares the
//! permission it needs, and runs through [`Door::call`] or [`Door::dispatch`], which check the
//! permission, run the operation in one transaction, append the audit entry of critical
//! operations, and commit — or roll everything back (the kernel's [`Runtime`]). The door adds
//! what needs every domain: lookup by name, and opening a database whose schema and derived
//! values are current.

pub mod maintenance;
pub mod registry;
pub mod typescript;

use accord_kernel::data::{self, Database};
use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::host;
use accord_kernel::operation::{Operation, Runtime};
use accord_kernel::security::Actor;
use accord_security::sessions::{self, Credentials, SignedIn};
use std::sync::Arc;
use uuid::Uuid;

/// The core behind the door: one database, this device's identity and clock, and the
/// background jobs operations started (imports), running beside it.
pub struct Door {
    runtime: Arc<Runtime>,
    jobs: std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

impl Door {
    /// Opens the database at `url`, refuses a newer schema, applies pending migrations and
    /// resumes this device's clock after its last change-log stamp.
    ///
    /// Processes starting together on a new SQLite file can find it busy for a moment while
    /// another one switches it to WAL or migrates it (SQLite answers such lock conflicts at
    /// once rather than waiting); opening is idempotent, so it is tried again for a while.
    pub async fn open(url: &str, device_id: Uuid) -> Result<Self, ApiError> {
        let started = std::time::Instant::now();
        let mut pause = std::time::Duration::from_millis(20);
        loop {
            let opened = async {
                let db = data::open(url).await?;
                // A user's own role on a team server cannot migrate it; its administrator does.
                if db.user_role { Self::on_server(db, device_id).await } else { Self::migrated(db, device_id).await }
            }
            .await;
            match opened {
                Err(e) if e.code == ErrorCode::Busy && started.elapsed() < data::BUSY_TIMEOUT => {
                    tracing::debug!("the database is busy while opening; trying again");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(std::time::Duration::from_millis(500));
                }
                other => return other,
            }
        }
    }

    /// Like [`Door::open`], on a database opened another way.
    pub async fn migrated(db: Database, device_id: Uuid) -> Result<Self, ApiError> {
        data::migrate(&db).await?;
        // A laptop's replica is a device of its own (ADR 0014): what is written on it is told
        // apart from what the same installation wrote on the server directly.
        let device_id = crate::sync::replica_device(&db.conn).await?.unwrap_or(device_id);
        Self::current(db, device_id).await
    }

    /// A door on a team server, whose schema an administrator keeps current (`accord
    /// migrate`): refuses a server that is behind instead of changing it.
    pub async fn on_server(db: Database, device_id: Uuid) -> Result<Self, ApiError> {
        data::ensure_current(&db).await?;
        Self::current(db, device_id).await
    }

    /// A door whose derived values and roles are current: rebuilt (a writing transaction) only
    /// when a read shows they were made under older rules or a permission is new to this
    /// database, so an ordinary start takes no write lock.
    async fn current(db: Database, device_id: Uuid) -> Result<Self, ApiError> {
        let door = Self::over(db, device_id).await?;
        let catalogue: Vec<_> = registry::permissions().cloned().collect();
        accord_security::roles::sync_catalogue(&door.runtime, &catalogue).await?;
        if !maintenance::derived_values_current(&door.database().conn).await? {
            door.call::<maintenance::RefreshDerived>(&Actor::local_owner(), maintenance::RefreshInput {}).await?;
        }
        Ok(door)
    }

    /// A door over an already migrated database. Its writes fire the workflow rules, but on a
    /// team server set up to enforce access itself and on a laptop's replica of one, where the
    /// server's rules service fires them over the change log (`accord server rules`; ADR 0022).
    pub async fn over(db: Database, device_id: Uuid) -> Result<Self, ApiError> {
        let rules_by_service = crate::server::rules_by_service(&db).await?;
        let runtime = Runtime::over(db, device_id).await?;
        if rules_by_service {
            return Ok(Self::around(runtime));
        }
        Ok(Self::around(runtime.reacting_with(std::sync::Arc::new(crate::workflow::Engine))))
    }

    /// Keeps this installation's checkpoints of the database's audit chain in `witness`
    /// (ADR 0011): every window and CLI of an installation does, so a rewritten chain is
    /// caught by whoever saw it before.
    pub fn witnessed_by(self, witness: accord_kernel::audit::AuditWitness) -> Self {
        Self::around(self.into_runtime().witnessed_by(witness))
    }

    /// This door with its clock reading the wall time from `wall_ms` (a test's computer whose
    /// date jumps).
    pub fn on_wall_clock(self, wall_ms: fn() -> i64) -> Self {
        Self::around(self.into_runtime().on_wall_clock(wall_ms))
    }

    /// This door with operations seeing the time `now` gives (a test of what falls due when).
    pub fn on_time(self, now: fn() -> chrono::DateTime<chrono::Utc>) -> Self {
        Self::around(self.into_runtime().on_time(now))
    }

    fn around(runtime: Runtime) -> Self {
        Self { runtime: Arc::new(runtime), jobs: Default::default() }
    }

    /// The runtime, while it is this door's alone (before any job started).
    fn into_runtime(self) -> Runtime {
        Arc::try_unwrap(self.runtime).unwrap_or_else(|_| panic!("a door is configured before it runs jobs"))
    }

    pub fn database(&self) -> &Database {
        self.runtime.database()
    }

    pub fn device_id(&self) -> Uuid {
        self.runtime.device_id()
    }

    /// Checks a user's credentials and starts a session; a failed attempt is counted and
    /// audited, and repeated failures lock the account for a while.
    pub async fn sign_in(&self, credentials: Credentials) -> Result<SignedIn, ApiError> {
        sessions::sign_in(&self.runtime, credentials).await
    }

    /// Ends a session; its token opens nothing afterwards.
    pub async fn sign_out(&self, token: &str) -> Result<(), ApiError> {
        sessions::sign_out(&self.runtime, token).await
    }

    /// Who the session acts as now (role changes apply at once); refused with `signed_out`
    /// once it ended or its user was deactivated. Called before every call of a signed-in
    /// window.
    pub async fn session_actor(&self, token: &str) -> Result<Actor, ApiError> {
        sessions::actor_for_session(self.database(), token).await
    }

    /// Whether the database has users yet: without one, the first start offers to create
    /// the first administrator.
    pub async fn has_users(&self) -> Result<bool, ApiError> {
        // A user's own role on a team server exists only for a user (and cannot count them
        // before signing in).
        if self.database().user_role {
            return Ok(true);
        }
        accord_security::users::any_user(&self.database().conn).await
    }

    /// Typed entry (tests, the CLI's own commands, the shell).
    pub async fn call<O: Operation>(&self, actor: &Actor, input: O::Input) -> Result<O::Output, ApiError> {
        let output = self.runtime.call::<O>(actor, input).await;
        self.start_jobs();
        output
    }

    /// Runs one step of the core's own machinery as `actor` in one transaction (the data
    /// generator's bulk loads); the window and the CLI call operations.
    pub async fn step<S: accord_kernel::operation::Step>(
        &self,
        actor: &Actor,
        step: &mut S,
    ) -> Result<S::Output, ApiError> {
        self.runtime.step(actor, step).await
    }

    /// Runs the background jobs the operations committed so far started, each on its own task.
    fn start_jobs(&self) {
        for start in self.runtime.take_started_jobs() {
            let runtime = Arc::clone(&self.runtime);
            let job = match start.kind {
                crate::imports::JOB => tokio::spawn(crate::imports::run_job(runtime, start)),
                crate::imports::UNDO_JOB => tokio::spawn(crate::imports::run_undo_job(runtime, start)),
                crate::segments::EXPORT_JOB => tokio::spawn(crate::segments::run_export_job(runtime, start)),
                other => {
                    tracing::error!(job = other, "no runner for a job kind");
                    continue;
                }
            };
            let mut jobs = self.jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            jobs.retain(|job| !job.is_finished());
            jobs.push(job);
        }
    }

    /// Waits until every background job started through this door has ended (a CLI command
    /// before it exits; a test before it looks at the outcome).
    pub async fn finish_jobs(&self) {
        loop {
            let running: Vec<_> =
                std::mem::take(&mut *self.jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
            if running.is_empty() {
                return;
            }
            for job in running {
                if let Err(e) = job.await {
                    tracing::error!(error = %e, "a background job panicked");
                }
            }
        }
    }

    /// JSON entry by name (the Tauri `api` command and `accord op`).
    pub async fn dispatch(
        &self,
        actor: &Actor,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        let Some(spec) = registry::find(operation) else {
            if registry::find_host(operation).is_some() {
                return Err(host::not_here(operation));
            }
            return Err(ApiError::new(
                ErrorCode::UnknownOperation,
                format!("There is no operation named \"{operation}\". `accord ops` lists them."),
            ));
        };
        let output = spec.call_json(&self.runtime, actor, input).await;
        self.start_jobs();
        output
    }
}
