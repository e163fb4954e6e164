//! Working offline on a laptop, from the window (PLATFORM-4, ADR 0014). Connected to the team
//! server and signed in, a person prepares this laptop: the replica of what they may read is
//! made, or brought up to date, as a background job they can follow and cancel. The window
//! then works on the replica ([`WorkOffline`]) — also by itself, when the server cannot be
//! reached at start — and goes back online ([`GoOnline`]), where the next preparation sends
//! what was done offline and receives what changed.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::connection::{Connected, ConnectionMode, ConnectionSettings, NoInput};
use crate::data;
use crate::door::Door;
use crate::error::{ApiError, ErrorCode};
use crate::installation::Installation;
use crate::security::{Actor, Permission};
use crate::sync::{self, DoorLink, ReplicaStatus, SyncProgress, SyncProgressView, SyncReport};
use accord_kernel::host::HostOperation;

pub struct GetOfflineStatus;
impl HostOperation for GetOfflineStatus {
    const NAME: &'static str = "offline.status";
    const PERMISSION: Permission = sync::REPLICATE;
    const SUMMARY: &'static str = "This laptop's offline copy of the server, and the job preparing it.";
    type Input = NoInput;
    type Output = OfflineStatus;
}

pub struct PrepareOffline;
impl HostOperation for PrepareOffline {
    const NAME: &'static str = "offline.prepare";
    const PERMISSION: Permission = sync::REPLICATE;
    const SUMMARY: &'static str =
        "Make or bring up to date this laptop's offline copy of what one may read, in the background.";
    type Input = NoInput;
    type Output = OfflineStatus;
}

pub struct CancelOffline;
impl HostOperation for CancelOffline {
    const NAME: &'static str = "offline.cancel";
    const PERMISSION: Permission = sync::REPLICATE;
    const SUMMARY: &'static str = "Stop preparing the offline copy after the batch in hand; what is done is kept.";
    type Input = NoInput;
    type Output = OfflineStatus;
}

pub struct WorkOffline;
impl HostOperation for WorkOffline {
    const NAME: &'static str = "offline.work_offline";
    const PERMISSION: Permission = sync::REPLICATE;
    const SUMMARY: &'static str = "Work on this laptop's offline copy instead of the server.";
    type Input = NoInput;
    type Output = ConnectionSettings;
}

pub struct GoOnline;
impl HostOperation for GoOnline {
    const NAME: &'static str = "offline.go_online";
    const PERMISSION: Permission = sync::REPLICATE;
    const SUMMARY: &'static str = "Go back to the team server (sign in there, then sync the offline copy).";
    type Input = NoInput;
    type Output = ConnectionSettings;
}

/// What the window shows about working offline.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OfflineStatus {
    /// This laptop's copy of the current server for the current user, when it has one.
    pub replica: Option<ReplicaStatus>,
    /// The preparation running now, or the last one.
    pub job: Option<OfflineJob>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Done,
    Cancelled,
    Failed,
}

/// A preparation of the offline copy.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OfflineJob {
    pub state: JobState,
    pub progress: SyncProgressView,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// What a finished round did.
    pub report: Option<SyncReport>,
    /// Why it stopped, when it failed.
    pub error: Option<ApiError>,
}

type Outcome = Option<(DateTime<Utc>, Result<SyncReport, ApiError>)>;

struct Job {
    progress: Arc<SyncProgress>,
    started_at: DateTime<Utc>,
    outcome: Arc<Mutex<Outcome>>,
}

impl Job {
    fn view(&self) -> OfflineJob {
        let outcome = self.outcome.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let (state, finished_at, report, error) = match outcome {
            None => (JobState::Running, None, None, None),
            Some((at, Ok(report))) => (JobState::Done, Some(at), Some(report), None),
            Some((at, Err(e))) if e.code == ErrorCode::Cancelled => (JobState::Cancelled, Some(at), None, Some(e)),
            Some((at, Err(e))) => (JobState::Failed, Some(at), None, Some(e)),
        };
        OfflineJob { state, progress: self.progress.view(), started_at: self.started_at, finished_at, report, error }
    }

    fn is_running(&self) -> bool {
        self.outcome.lock().unwrap_or_else(PoisonError::into_inner).is_none()
    }
}

/// The window's offline work: at most one preparation at a time.
pub struct OfflineWork {
    installation: Installation,
    job: Mutex<Option<Job>>,
}

impl OfflineWork {
    pub fn new(installation: Installation) -> Self {
        Self { installation, job: Mutex::new(None) }
    }

    /// Starts making or refreshing the replica of the server `current` is connected to, for
    /// `actor` (signed in there); a preparation already running is left to run.
    pub fn prepare(&self, current: Arc<Connected>, actor: Actor) -> Result<(), ApiError> {
        if current.settings.mode != ConnectionMode::Server {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "Connect to the team server and sign in there to prepare this laptop for offline work.",
            ));
        }
        let (url, user) = server_of(&current.settings)?;
        let mut slot = self.job.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_some_and(Job::is_running) {
            return Ok(());
        }
        let job = Job {
            progress: Arc::new(SyncProgress::default()),
            started_at: Utc::now(),
            outcome: Arc::new(Mutex::new(None)),
        };
        let (progress, outcome) = (Arc::clone(&job.progress), Arc::clone(&job.outcome));
        let path = self.installation.replica_database_path(&url, &user);
        let device = self.installation.device_id();
        tokio::spawn(async move {
            let result = refresh_replica(path, device, &url, &current.door, &actor, &progress).await;
            if let Err(e) = &result {
                tracing::warn!(code = ?e.code, "preparing the offline copy stopped");
            }
            *outcome.lock().unwrap_or_else(PoisonError::into_inner) = Some((Utc::now(), result));
        });
        *slot = Some(job);
        Ok(())
    }

    /// Asks the running preparation to stop after the batch in hand.
    pub fn cancel(&self) {
        if let Some(job) = self.job.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            job.progress.cancel();
        }
    }

    /// The replica of the server `current` works with (or is the replica of), and the job.
    pub async fn status(&self, current: &Connected) -> Result<OfflineStatus, ApiError> {
        let job = self.job.lock().unwrap_or_else(PoisonError::into_inner).as_ref().map(Job::view);
        let replica = match current.settings.mode {
            ConnectionMode::Embedded => None,
            ConnectionMode::Offline => sync::replica_status_in(&current.door.database().conn).await?,
            ConnectionMode::Server => {
                let (url, user) = server_of(&current.settings)?;
                self.replica_status_of(&url, &user).await
            }
        };
        Ok(OfflineStatus { replica, job })
    }

    /// Whether a preparation is running (the window does not switch meanwhile).
    pub fn is_busy(&self) -> bool {
        self.job.lock().unwrap_or_else(PoisonError::into_inner).as_ref().is_some_and(Job::is_running)
    }

    /// Read from the file without opening a door on it: none while it is first being made.
    async fn replica_status_of(&self, url: &str, user: &str) -> Option<ReplicaStatus> {
        let path = self.installation.replica_database_path(url, user);
        if !path.exists() {
            return None;
        }
        let db = data::open(&format!("sqlite:{}", path.display())).await.ok()?;
        let status = sync::replica_status_in(&db.conn).await.ok().flatten();
        let _ = db.conn.close().await;
        status
    }
}

fn server_of(settings: &ConnectionSettings) -> Result<(String, String), ApiError> {
    match (&settings.server_url, &settings.server_user) {
        (Some(url), Some(user)) => Ok((url.clone(), user.clone())),
        _ => Err(ApiError::internal("the connection names no server")),
    }
}

/// Makes the replica file when there is none, marks it as the server's replica for `actor`,
/// and runs one round of sync, reporting to `progress`.
async fn refresh_replica(
    path: PathBuf,
    device: uuid::Uuid,
    url: &str,
    server: &Door,
    actor: &Actor,
    progress: &SyncProgress,
) -> Result<SyncReport, ApiError> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| {
            ApiError::new(ErrorCode::DatabaseUnavailable, format!("Cannot create {}: {e}", folder.display()))
        })?;
    }
    let local = Door::open(&format!("sqlite:{}", path.display()), device).await?;
    let owner = Actor::local_owner();
    sync::start_replica(&local, &owner, server, actor, &sync::public_address(url)).await?;
    sync::sync_watched(&local, &owner, &DoorLink { door: server, actor }, progress).await
}
