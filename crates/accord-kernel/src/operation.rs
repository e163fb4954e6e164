//! The operation contract every domain implements ([`Operation`], run with a [`Scope`]) and the
//! [`Runtime`] that runs one: permission check, one transaction, audit of critical operations,
//! commit or roll back. It sits below the domains; the registry and the door sit above them.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, SubsecRound, Utc};
use futures::future::BoxFuture;
use sea_orm::DatabaseTransaction;
use serde::Serialize;
use serde::de::DeserializeOwned;
use ts_rs::TS;
use uuid::Uuid;

use crate::audit::{self, AuditWitness};
use crate::changelog;
use crate::clock::{HlcTimestamp, HybridClock};
use crate::data::Database;
use crate::error::{ApiError, ErrorCode};
use crate::security::{Actor, Permission};

pub use crate::input::decode_input;

/// One API operation: `(scope, input) -> Result<output, ApiError>`.
pub trait Operation: 'static {
    /// Stable name, `domain.verb_noun`; the UI and the CLI call it by this name.
    const NAME: &'static str;
    const PERMISSION: Permission;
    /// Whether the operation may write. A writing operation takes the database's write lock
    /// when its transaction begins, so it never fails half-way on a lock upgrade while another
    /// process writes; a reading one never blocks a writer.
    const WRITES: bool;
    /// Critical operations (archive, restore, export, merge, permission changes…) are audited.
    const AUDITED: bool = false;
    /// One line for `accord ops` and the generated client's doc comment.
    const SUMMARY: &'static str;
    type Input: DeserializeOwned + TS + Send + 'static;
    type Output: Serialize + TS + Send + 'static;

    fn run(scope: &mut Scope<'_>, input: Self::Input) -> impl Future<Output = Result<Self::Output, ApiError>> + Send;
}

/// One step of a long job (a batch of an import), run like an operation — permission, one
/// transaction, audit, commit or roll back — by a job that keeps its state between steps, so
/// a million rows are many short transactions that other users' work passes between.
pub trait Step: Send {
    const NAME: &'static str;
    const PERMISSION: Permission;
    const WRITES: bool;
    const AUDITED: bool = false;
    type Output: Send;

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<Self::Output, ApiError>>;
}

/// An operation as the one step it is.
struct OperationStep<O: Operation> {
    input: Option<O::Input>,
}

impl<O: Operation> Step for OperationStep<O> {
    const NAME: &'static str = O::NAME;
    const PERMISSION: Permission = O::PERMISSION;
    const WRITES: bool = O::WRITES;
    const AUDITED: bool = O::AUDITED;
    type Output = O::Output;

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<Self::Output, ApiError>> {
        match self.input.take() {
            Some(input) => Box::pin(O::run(scope, input)),
            None => Box::pin(async { Err(ApiError::internal("An operation's input was used twice.")) }),
        }
    }
}

/// A background job an operation started (an import): which job and what it works on. The
/// door runs it once the operation that started it has committed.
#[derive(Debug, Clone)]
pub struct JobStart {
    pub kind: &'static str,
    pub id: Uuid,
    pub actor: Actor,
}

/// What runs after an operation's own writes, in its transaction, before it commits: the
/// workflow rules (COMM-6), which the kernel knows only as this. It sees the rows the
/// operation changed (`Scope::take_written`) and may write more, which it is shown again.
pub trait Reactions: Send + Sync + 'static {
    fn react<'s, 'a>(&'s self, scope: &'s mut Scope<'a>) -> BoxFuture<'s, Result<(), ApiError>>;
}

/// What an operation runs with: its transaction, who acts, and the clock for change-log stamps.
pub struct Scope<'a> {
    pub tx: &'a DatabaseTransaction,
    pub actor: &'a Actor,
    pub device_id: Uuid,
    pub operation: &'static str,
    /// One instant for the whole operation, so every row it touches carries the same time.
    pub now: DateTime<Utc>,
    /// Running on an Accord user's own role on a team server that enforces access itself
    /// (ADR 0013): secrets are not readable, and the server's own functions check them.
    pub user_role: bool,
    clock: &'a HybridClock,
    /// Set once this transaction holds the device's stamp lock and the clock has caught up
    /// with every stamp the device has in the database.
    clock_claimed: AtomicBool,
    pub(crate) audit_target: Option<audit::Target>,
    pub(crate) audit_detail: Option<String>,
    /// This installation's checkpoints of the audit chain, when it keeps them.
    pub(crate) witness: Option<&'a AuditWitness>,
    /// The newest audit entry this operation appended other than its own (entries a replica
    /// made offline), to be kept as a checkpoint once it commits.
    pub(crate) checkpoint: Option<audit::Checkpoint>,
    /// Background jobs to start once this transaction commits.
    jobs: Vec<JobStart>,
    /// The rows this operation changed through the change log, kept while something reacts to
    /// them (`Reactions`); `None` when nothing does.
    written: Option<std::sync::Mutex<Vec<changelog::RowChange>>>,
}

impl Scope<'_> {
    /// A change-log stamp no other writer of this device can have issued: the first call in a
    /// transaction takes the device's stamp lock and moves the clock past the newest stamp the
    /// device has in the database, whichever process wrote it (ADR 0007).
    pub async fn stamp(&self) -> Result<HlcTimestamp, ApiError> {
        if !self.clock_claimed.load(Ordering::Acquire) {
            let newest = changelog::claim_device_stamps(self.tx, self.device_id).await?;
            if let Some(newest) = newest {
                self.clock.observe(HlcTimestamp(newest));
            }
            self.clock_claimed.store(true, Ordering::Release);
        }
        Ok(self.clock.tick())
    }

    /// Moves this device's clock past every change-log stamp of one record, so a change made
    /// to it now is stamped after all it was made over.
    pub async fn observe_record(&self, table: &str, row_id: Uuid) -> Result<(), ApiError> {
        self.observe_records(table, &[row_id]).await
    }

    /// [`Scope::observe_record`] for several records at once: the clock passes the newest
    /// stamp among them, which passes each one's.
    pub async fn observe_records(&self, table: &str, row_ids: &[Uuid]) -> Result<(), ApiError> {
        for chunk in row_ids.chunks(1000) {
            if let Some(newest) = changelog::newest_stamp_of_records(self.tx, table, chunk).await? {
                self.clock.observe(HlcTimestamp(newest));
            }
        }
        Ok(())
    }

    /// Moves this device's clock past a stamp received from another device (sync), or refuses
    /// the change when that stamp is more than a day ahead of this computer's clock.
    pub fn receive_stamp(&self, stamp: HlcTimestamp) -> Result<(), ApiError> {
        self.clock.receive(stamp).map_err(|far| {
            let when = |ms: i64| {
                chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            };
            ApiError::new(
                crate::error::ErrorCode::InvalidInput,
                format!(
                    "A change is dated {}, more than a day ahead of this computer's clock ({}). Nothing was applied. \
                     Check the date and time on this computer and on the one that made the change, then sync again.",
                    when(far.remote.physical_ms()).unwrap_or_else(|| "far in the future".into()),
                    when(far.wall_ms).unwrap_or_default(),
                ),
            )
        })
    }

    /// Starts background job `kind` on `id` as this actor once the operation commits (nothing
    /// starts when it rolls back).
    pub fn start_job(&mut self, kind: &'static str, id: Uuid) {
        self.jobs.push(JobStart { kind, id, actor: self.actor.clone() });
    }

    /// Keeps `changes` for the reactions to this operation's writes, when any are set up.
    pub(crate) fn note_written(&self, changes: &[changelog::RowChange]) {
        if let Some(written) = &self.written {
            written.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).extend_from_slice(changes);
        }
    }

    /// The rows changed since the last take, oldest first (none when nothing reacts to them).
    pub fn take_written(&self) -> Vec<changelog::RowChange> {
        self.written
            .as_ref()
            .map(|written| std::mem::take(&mut *written.lock().unwrap_or_else(|poisoned| poisoned.into_inner())))
            .unwrap_or_default()
    }

    /// Names the record an audited operation acted on.
    pub fn audit_target(&mut self, table: &'static str, id: Uuid) {
        self.audit_target = Some(audit::Target { table, id });
    }

    /// Adds a short, non-secret detail to the audit entry (the login a failed sign-in tried,
    /// the permissions a role gained). Never a password, token or code.
    pub fn audit_detail(&mut self, detail: impl Into<String>) {
        let mut detail: String = detail.into();
        if detail.len() > 400 {
            let mut end = 400;
            while !detail.is_char_boundary(end) {
                end -= 1;
            }
            detail.truncate(end);
        }
        self.audit_detail = Some(detail);
    }
}

/// Runs operations: each in one transaction on one database, stamped by this device's clock.
/// The door ([`accord_core::Door`]) owns one and adds the registry and the database's
/// lifecycle (migration, derived values) on top.
pub struct Runtime {
    db: Database,
    device_id: Uuid,
    clock: HybridClock,
    witness: Option<AuditWitness>,
    /// The time operations see (`Scope::now`); the system's when absent.
    time: Option<fn() -> DateTime<Utc>>,
    /// Jobs that committed operations started, for the door to run.
    started_jobs: std::sync::Mutex<Vec<JobStart>>,
    /// What reacts to writing operations' changes before they commit.
    reactions: Option<std::sync::Arc<dyn Reactions>>,
}

impl Runtime {
    /// A runtime over an already migrated database; the clock resumes after this device's
    /// last change-log stamp.
    pub async fn over(db: Database, device_id: Uuid) -> Result<Self, ApiError> {
        let last = changelog::last_stamp_of_device(&db, device_id).await?;
        Ok(Self {
            db,
            device_id,
            clock: HybridClock::resume_after(last),
            witness: None,
            time: None,
            started_jobs: Default::default(),
            reactions: None,
        })
    }

    /// Keeps checkpoints of the audit chain in `witness`: after each audited action this
    /// runtime commits, and after each intact verification (ADR 0011).
    pub fn witnessed_by(self, witness: AuditWitness) -> Self {
        Self { witness: Some(witness), ..self }
    }

    /// This runtime with its clock reading the wall time from `wall_ms`: the randomized sync
    /// test's laptops whose date jumps.
    pub fn on_wall_clock(self, wall_ms: fn() -> i64) -> Self {
        Self { clock: self.clock.on_wall_clock(wall_ms), ..self }
    }

    /// This runtime with operations seeing the time `now` gives (a test of what falls due
    /// when); the change log's clock keeps the system's.
    pub fn on_time(self, now: fn() -> DateTime<Utc>) -> Self {
        Self { time: Some(now), ..self }
    }

    /// This runtime with `reactions` run after each writing operation, in its transaction.
    pub fn reacting_with(self, reactions: std::sync::Arc<dyn Reactions>) -> Self {
        Self { reactions: Some(reactions), ..self }
    }

    pub fn database(&self) -> &Database {
        &self.db
    }

    pub fn device_id(&self) -> Uuid {
        self.device_id
    }

    /// Checks the permission, runs the operation in one transaction, appends the audit entry of
    /// a critical operation, and commits — or rolls everything back.
    pub async fn call<O: Operation>(&self, actor: &Actor, input: O::Input) -> Result<O::Output, ApiError> {
        self.step(actor, &mut OperationStep::<O> { input: Some(input) }).await
    }

    /// Runs one step of a job as [`Runtime::call`] runs an operation.
    pub async fn step<S: Step>(&self, actor: &Actor, step: &mut S) -> Result<S::Output, ApiError> {
        let started = std::time::Instant::now();
        let result = self.run(actor, step).await;
        log_outcome(S::NAME, started.elapsed(), result.as_ref().err());
        result
    }

    /// The jobs committed operations started since the last call, for the door to run.
    pub fn take_started_jobs(&self) -> Vec<JobStart> {
        std::mem::take(&mut *self.started_jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    async fn run<S: Step>(&self, actor: &Actor, step: &mut S) -> Result<S::Output, ApiError> {
        ensure_permitted(actor, S::PERMISSION, S::NAME)?;
        let tx = self.db.begin(S::WRITES, actor.session.as_ref()).await?;
        let result = {
            let mut scope = Scope {
                tx: &tx,
                actor,
                device_id: self.device_id,
                operation: S::NAME,
                now: self.time.map_or_else(Utc::now, |now| now()).trunc_subsecs(6),
                user_role: self.db.user_role,
                clock: &self.clock,
                clock_claimed: AtomicBool::new(false),
                audit_target: None,
                audit_detail: None,
                witness: self.witness.as_ref(),
                checkpoint: None,
                jobs: Vec::new(),
                written: self.reactions.as_ref().filter(|_| S::WRITES).map(|_| Default::default()),
            };
            let mut result = step.run(&mut scope).await;
            if result.is_ok()
                && let Some(reactions) = self.reactions.as_ref().filter(|_| S::WRITES)
                && let Err(e) = reactions.react(&mut scope).await
            {
                result = Err(e);
            }
            let checkpoint = match &result {
                Ok(_) if S::AUDITED => audit::append(&scope).await?,
                Ok(_) => scope.checkpoint.take(),
                Err(_) => None,
            };
            let jobs = std::mem::take(&mut scope.jobs);
            result.map(|output| (output, checkpoint, jobs))
        };
        match result {
            Ok((output, checkpoint, jobs)) => {
                tx.commit().await?;
                if !jobs.is_empty() {
                    self.started_jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).extend(jobs);
                }
                if let (Some(witness), Some(checkpoint)) = (&self.witness, checkpoint) {
                    // Committed already: a checkpoint that cannot be kept weakens the next
                    // verification, it does not undo the action.
                    if let Err(e) = witness.observe(&[checkpoint]) {
                        tracing::warn!(error = %e.message, "could not keep an audit checkpoint");
                    }
                }
                Ok(output)
            }
            Err(err) => {
                // The operation's error is what the caller needs; a failed rollback (lost
                // connection) still leaves nothing committed.
                let _ = tx.rollback().await;
                Err(err)
            }
        }
    }
}

/// One line per operation: its name, how long it took and how it ended; never its input.
fn log_outcome(operation: &'static str, took: std::time::Duration, error: Option<&ApiError>) {
    let micros = took.as_micros() as u64;
    match error {
        None => tracing::debug!(operation, micros, "done"),
        Some(e) if e.code == ErrorCode::Internal => tracing::error!(operation, micros, code = ?e.code, "failed"),
        Some(e) if e.code == ErrorCode::Busy => tracing::warn!(operation, micros, code = ?e.code, "failed"),
        Some(e) => tracing::debug!(operation, micros, code = ?e.code, "refused"),
    }
}

/// Refuses an actor who lacks `permission`, naming what to ask for.
pub fn ensure_permitted(actor: &Actor, permission: Permission, operation: &str) -> Result<(), ApiError> {
    if actor.may(permission) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::PermissionDenied,
        format!(
            "You do not have the permission \"{permission}\" that {operation} needs. Ask an administrator to grant it."
        ),
    ))
}
