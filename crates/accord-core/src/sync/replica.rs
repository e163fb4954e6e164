//! A laptop's replica: which server and user it replicates, how far it has pushed and pulled,
//! and one round of sync between it and its server.

use accord_kernel::audit::{self, AuditRecord};
use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::{Actor, Grants, Permission, Reach};
use accord_kernel::sync::{self as kernel_sync, Cursor};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use ts_rs::TS;
use uuid::Uuid;

use super::continuity::{
    CheckContinuity, CheckContinuityInput, Continuity, EntryRef, RestartReplica, RestartReplicaInput,
};
use super::reach::{
    ApplyHistory, ApplyHistoryInput, ForgetDeparted, ForgetDepartedInput, GetReachDigest, READABLE_BATCH, ReachDigest,
    ReachDigestInput, ReadHistory, ReadHistoryInput, ReadableAmong, ReadableAmongInput,
};
use super::rejected::{TakeBack, TakeBackInput};
use super::{
    AUDIT_BATCH, ApplyPulled, ApplyPulledInput, AuditPushReport, BATCH, MergePulled, MergePulledInput, PushAudit,
    PushAuditInput, PushChanges, PushChangesInput, PushReport, ReadChanges, ReadChangesInput, RejectedEntry,
};
use crate::attachments::contents::{
    self, ContentHashes, ContentsLacking, FileContent, FileContents, ReadContents, StoreContents,
};
use crate::door::{Door, registry};
use accord_kernel::records::Record as _;
use accord_kernel::sync::digest;
use accord_kernel::sync::{ChangesPage, SyncEntry};
use std::collections::BTreeSet;

/// What a replica knows of itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReplicaState {
    /// The identity of the server's database (not its address, which can change).
    pub server_id: String,
    /// Where the server was, for a person to recognise (never a password).
    pub server_address: String,
    /// Whose replica it is.
    pub user_id: Uuid,
    /// The device its own changes are stamped by.
    pub device_id: Uuid,
    /// How far the server's log has been applied here.
    pub pulled: Cursor,
    /// The last of this device's entries the server has stored.
    #[ts(type = "number")]
    pub pushed_seq: i64,
    /// The last of this replica's own audit entries the server's chain holds.
    #[ts(type = "number")]
    pub audit_pushed_seq: i64,
    pub created_at: DateTime<Utc>,
    pub last_sync_at: Option<DateTime<Utc>>,
}

pub(super) async fn state_in(conn: &impl ConnectionTrait) -> Result<Option<ReplicaState>, ApiError> {
    let query = Query::select()
        .columns(
            [
                "server_id",
                "server_address",
                "user_id",
                "device_id",
                "pulled_commit",
                "pulled_seq",
                "pushed_seq",
                "audit_pushed_seq",
                "created_at",
                "last_sync_at",
            ]
            .map(Alias::new),
        )
        .from(Alias::new("sync_replica"))
        .to_owned();
    let Some(row) = conn.query_one(&query).await? else { return Ok(None) };
    Ok(Some(ReplicaState {
        server_id: row.try_get("", "server_id")?,
        server_address: row.try_get("", "server_address")?,
        user_id: row.try_get("", "user_id")?,
        device_id: row.try_get("", "device_id")?,
        pulled: Cursor { commit: row.try_get("", "pulled_commit")?, seq: row.try_get("", "pulled_seq")? },
        pushed_seq: row.try_get("", "pushed_seq")?,
        audit_pushed_seq: row.try_get("", "audit_pushed_seq")?,
        created_at: row.try_get("", "created_at")?,
        last_sync_at: row.try_get("", "last_sync_at")?,
    }))
}

/// Whether this database is the replica of a server whose rules service fires the rules for
/// its changes (then its own writes fire none; ADR 0022).
pub async fn rules_by_server(conn: &impl ConnectionTrait) -> Result<bool, ApiError> {
    let query = Query::select().column(Alias::new("rules_by_server")).from(Alias::new("sync_replica")).to_owned();
    let row = conn.query_one(&query).await?;
    Ok(row.map(|r| r.try_get::<bool>("", "rules_by_server")).transpose()?.unwrap_or(false))
}

/// The device a replica stamps its own changes with; `None` for a database that is not one.
pub async fn replica_device(conn: &impl ConnectionTrait) -> Result<Option<Uuid>, ApiError> {
    let query = Query::select().column(Alias::new("device_id")).from(Alias::new("sync_replica")).to_owned();
    let row = conn.query_one(&query).await?;
    Ok(row.map(|r| r.try_get::<Uuid>("", "device_id")).transpose()?)
}

/// Where a replica stands, as the window and `accord replica status` show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReplicaStatus {
    #[serde(flatten)]
    pub state: ReplicaState,
    /// This replica's changes still waiting for the server.
    #[ts(type = "number")]
    pub pending: i64,
    /// Conflicts waiting for a person.
    #[ts(type = "number")]
    pub open_conflicts: i64,
    /// Changes the server refused, kept for a person to see (`sync.list_rejected`).
    #[ts(type = "number")]
    pub rejected: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReplicaStatusInput {}

/// `sync.replica_status`: where this replica stands; `null` on a database that is not one.
pub struct GetReplicaStatus;

impl Operation for GetReplicaStatus {
    const NAME: &'static str = "sync.replica_status";
    const PERMISSION: Permission = super::REPLICATE;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "Where this laptop's replica stands: last sync, changes waiting, conflicts, refusals.";
    type Input = ReplicaStatusInput;
    type Output = Option<ReplicaStatus>;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        replica_status_in(scope.tx).await
    }
}

/// Where the replica on `conn` stands; `None` for a database that is not one.
pub async fn replica_status_in(conn: &impl ConnectionTrait) -> Result<Option<ReplicaStatus>, ApiError> {
    let Some(state) = state_in(conn).await? else { return Ok(None) };
    let pending = kernel_sync::count_own_after(conn, state.device_id, state.pushed_seq).await?;
    let open_conflicts = super::open_conflicts(conn).await?;
    let count = Query::select()
        .expr_as(Expr::col(Alias::new("hlc")).count(), Alias::new("n"))
        .from(Alias::new("sync_rejected"))
        .to_owned();
    let rejected = conn.query_one(&count).await?.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0);
    Ok(Some(ReplicaStatus { state, pending, open_conflicts, rejected }))
}

/// The replica's state, or `None` for a database that is not a replica.
pub async fn replica_state(door: &Door) -> Result<Option<ReplicaState>, ApiError> {
    state_in(&door.database().conn).await
}

pub(super) fn not_a_replica() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidInput,
        "This database is not a replica of a team server; make one with \"Work offline on this laptop\" (accord replica create).",
    )
}

pub(super) fn another_server(state: &ReplicaState) -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        format!(
            "This replica belongs to another server database (it was made from {}). Nothing was synced; \
             connect to that server, or make a new replica from this one.",
            state.server_address
        ),
    )
}

/// A server's address as a person may see it: without a password.
pub fn public_address(url: &str) -> String {
    let (address, user) = split_user(url);
    match (user.is_empty(), address.split_once("://")) {
        (false, Some((scheme, rest))) => format!("{scheme}://{user}@{rest}"),
        _ => address,
    }
}

/// A `postgres://user:password@host/db` URL as its address without credentials, and its user.
pub fn split_user(url: &str) -> (String, String) {
    let Some((scheme, rest)) = url.split_once("://") else { return (url.to_owned(), String::new()) };
    let Some((credentials, host)) = rest.split_once('@') else { return (url.to_owned(), String::new()) };
    let user = credentials.split(':').next().unwrap_or_default();
    (format!("{scheme}://{host}"), user.to_owned())
}

/// The identity of a database (made once by its first migration to sync).
pub async fn database_identity(door: &Door) -> Result<String, ApiError> {
    let query = Query::select().column(Alias::new("id")).from(Alias::new("database_identity")).to_owned();
    let row = door.database().conn.query_one(&query).await?;
    row.map(|r| r.try_get::<String>("", "id"))
        .transpose()?
        .ok_or_else(|| ApiError::internal("the database has no identity"))
}

/// Only a replica's owner starts it or records what the server stored (a permission no role
/// holds; the owner of a local file holds every one).
pub(super) const KEEPING_THE_REPLICA: Permission = Permission::new("sync.keep_replica");

#[derive(Debug, Clone, Deserialize, TS)]
struct StartReplicaInput {
    server_id: String,
    server_address: String,
    user_id: Uuid,
    actor: String,
    /// The server's rules service fires the rules for this replica's changes (ADR 0022).
    rules_by_server: bool,
}

/// Marks an empty database as the replica of a server, with nothing pulled or pushed yet.
struct StartReplica;

impl Operation for StartReplica {
    const NAME: &'static str = "sync.start_replica";
    const PERMISSION: Permission = KEEPING_THE_REPLICA;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Make this database a replica of a server.";
    type Input = StartReplicaInput;
    type Output = ();

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        if let Some(state) = state_in(scope.tx).await? {
            if state.server_id == input.server_id && state.user_id == input.user_id {
                return Ok(());
            }
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("This database is already the replica of {}; choose a new file.", state.server_address),
            ));
        }
        let insert = Query::insert()
            .into_table(Alias::new("sync_replica"))
            .columns(
                [
                    "singleton",
                    "server_id",
                    "server_address",
                    "user_id",
                    "device_id",
                    "actor",
                    "pulled_commit",
                    "pulled_seq",
                    "pushed_seq",
                    "created_at",
                    "rules_by_server",
                ]
                .map(Alias::new),
            )
            .values_panic([
                1.into(),
                input.server_id.into(),
                input.server_address.into(),
                input.user_id.into(),
                Uuid::now_v7().into(),
                input.actor.into(),
                0i64.into(),
                0i64.into(),
                0i64.into(),
                scope.now.into(),
                input.rules_by_server.into(),
            ])
            .to_owned();
        scope.tx.execute(&insert).await?;
        Ok(())
    }
}

/// Who the user is on the server, as a replica keeps it: offline, the core allows them what
/// the server allowed at the last sync, no more (their records are the only ones it holds).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ActorSnapshot {
    user_id: Uuid,
    display_name: String,
    /// `None`: every permission.
    permissions: Option<Vec<String>>,
    department_id: Option<Uuid>,
    /// `None`: every record.
    departments_in_reach: Option<Vec<Uuid>>,
}

impl ActorSnapshot {
    fn of(actor: &Actor) -> Self {
        Self {
            user_id: actor.user_id,
            display_name: actor.display_name.clone(),
            permissions: match &actor.grants {
                Grants::All => None,
                Grants::Only(keys) => Some(keys.iter().cloned().collect()),
            },
            department_id: actor.department_id,
            departments_in_reach: match &actor.reach {
                Reach::All => None,
                Reach::Limited { departments, .. } => Some(departments.clone()),
            },
        }
    }

    /// Whether these rights let one read a record `other` does not: a kind's read
    /// permission, or a department, more (or every record).
    fn reads_more_than(&self, other: &Self) -> bool {
        let (mine, theirs) = (self.clone().actor(), other.clone().actor());
        let kind_gained = crate::door::registry::record_kinds()
            .any(|k| mine.may(k.read_permission) && !theirs.may(k.read_permission));
        let reach_grew = match (&self.departments_in_reach, &other.departments_in_reach) {
            (None, Some(_)) => true,
            (Some(mine), Some(theirs)) => mine.iter().any(|d| !theirs.contains(d)),
            (_, None) => false,
        };
        kind_gained || reach_grew
    }

    fn encode(&self) -> Result<String, ApiError> {
        serde_json::to_string(self).map_err(|e| ApiError::internal(format!("could not keep who the user is: {e}")))
    }

    fn actor(self) -> Actor {
        Actor {
            user_id: self.user_id,
            display_name: self.display_name,
            grants: match self.permissions {
                None => Grants::All,
                Some(keys) => Grants::Only(keys.into_iter().collect()),
            },
            department_id: self.department_id,
            reach: match self.departments_in_reach {
                None => Reach::All,
                Some(departments) => Reach::Limited { user_id: self.user_id, departments },
            },
            session: None,
        }
    }
}

/// Who works on a replica: its user, with what the server allowed them at the last sync;
/// `None` for a database that is not a replica.
pub async fn replica_actor(door: &Door) -> Result<Option<Actor>, ApiError> {
    actor_in(&door.database().conn).await
}

pub(super) async fn actor_in(conn: &impl ConnectionTrait) -> Result<Option<Actor>, ApiError> {
    Ok(snapshot_in(conn).await?.map(ActorSnapshot::actor))
}

async fn snapshot_in(conn: &impl ConnectionTrait) -> Result<Option<ActorSnapshot>, ApiError> {
    let query = Query::select().column(Alias::new("actor")).from(Alias::new("sync_replica")).to_owned();
    let Some(row) = conn.query_one(&query).await? else { return Ok(None) };
    let text: String = row.try_get("", "actor")?;
    let snapshot = serde_json::from_str(&text)
        .map_err(|e| ApiError::internal(format!("the replica does not say who its user is: {e}")))?;
    Ok(Some(snapshot))
}

#[derive(Debug, Clone, Deserialize, TS)]
struct RememberActorInput {
    actor: String,
    /// Whether the server's rules service fires the rules for this replica's changes.
    rules_by_server: bool,
}

/// Keeps what the server says the user may do, for working offline. When they may read more
/// than before — a kind, a department — the next pull reads the server's log from its start:
/// records that were there all along but out of reach arrive whole (nothing already held is
/// stored again). When they may read less, the round ends by removing what they no longer may.
struct RememberActor;

/// How the user's rights changed since the last sync.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
struct RightsChange {
    /// They may read more: the pull starts over.
    wider: bool,
    /// Records removed because they may read less.
    forgotten: u32,
}

impl Operation for RememberActor {
    const NAME: &'static str = "sync.remember_actor";
    const PERMISSION: Permission = KEEPING_THE_REPLICA;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Keep what the user may do on the server, for working offline.";
    type Input = RememberActorInput;
    type Output = RightsChange;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let new: ActorSnapshot = serde_json::from_str(&input.actor)
            .map_err(|e| ApiError::internal(format!("could not read who the user is: {e}")))?;
        let old = snapshot_in(scope.tx).await?.ok_or_else(not_a_replica)?;
        let wider = new.reads_more_than(&old);
        let narrower = old.reads_more_than(&new);
        let mut save = Query::update();
        save.table(Alias::new("sync_replica"))
            .value(Alias::new("actor"), input.actor)
            .value(Alias::new("rules_by_server"), input.rules_by_server);
        if wider {
            save.value(Alias::new("pulled_commit"), 0i64).value(Alias::new("pulled_seq"), 0i64);
        }
        scope.tx.execute(&save).await?;
        // In the same transaction as the new rights, so a round cut short cannot leave them
        // saved and the records they no longer cover kept.
        let forgotten = if narrower { super::reach::forget_unreachable(scope, &new.actor()).await? } else { 0 };
        Ok(RightsChange { wider, forgotten })
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
struct SavePushedInput {
    /// The server stored this device's change-log entries up to here.
    #[serde(default)]
    seq: Option<i64>,
    /// The server's audit chain holds this replica's audit entries up to here.
    #[serde(default)]
    audit_seq: Option<i64>,
}

/// Records how far the server holds this replica's changes or audit entries.
struct SavePushed;

impl Operation for SavePushed {
    const NAME: &'static str = "sync.save_pushed";
    const PERMISSION: Permission = KEEPING_THE_REPLICA;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Record how far the server stored this replica's changes.";
    type Input = SavePushedInput;
    type Output = ();

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        for (column, seq) in [("pushed_seq", input.seq), ("audit_pushed_seq", input.audit_seq)] {
            let Some(seq) = seq else { continue };
            let save = Query::update()
                .table(Alias::new("sync_replica"))
                .value(Alias::new(column), seq)
                .and_where(Expr::col(Alias::new(column)).lt(seq))
                .to_owned();
            scope.tx.execute(&save).await?;
        }
        Ok(())
    }
}

/// What one round of sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncReport {
    /// The server had lost what it stored before (restored from an older backup): this round
    /// sent everything again and read its log from the start.
    pub server_restored: bool,
    /// This replica's entries the server stored now.
    pub pushed: u32,
    /// This replica's audit entries appended to the server's chain now.
    pub audit_pushed: u32,
    /// Entries the server held already (sent again after an interruption).
    pub pushed_before: u32,
    /// Changes the server refused: never applied there, taken back here and kept for a
    /// person to see (`sync.list_rejected`).
    pub rejected: Vec<RejectedEntry>,
    /// Why this replica's changes could not be pushed this time (they stay pending); the
    /// server's changes were still pulled.
    pub push_problem: Option<ApiError>,
    /// The server's entries stored on the replica.
    pub pulled: u32,
    /// Attached files brought from the server.
    pub files_fetched: u32,
    /// Records created or changed on the replica.
    pub records_changed: u32,
    /// Records the user may no longer read (handed to another department), removed here.
    pub departed: u32,
    /// Records whose reach was asked about because the summaries of both sides differed.
    pub reach_asked: u32,
    /// Conflicts waiting for a person on the replica.
    #[ts(type = "number")]
    pub open_conflicts: i64,
    /// This replica's changes still waiting for the server.
    #[ts(type = "number")]
    pub pending: i64,
}

/// The server as a replica reaches it: what a round of sync asks of it. [`DoorLink`] is the
/// real connection; tests put a wrapper between that cuts it or loses replies.
pub trait ServerLink {
    /// Who acts on the server.
    fn actor(&self) -> &Actor;
    /// The identity of the server's database.
    fn identity(&self) -> impl std::future::Future<Output = Result<String, ApiError>> + Send;
    /// Stores a batch of this replica's entries (`sync.push_changes`).
    fn push(&self, entries: Vec<SyncEntry>) -> impl std::future::Future<Output = Result<PushReport, ApiError>> + Send;
    /// Appends a batch of this replica's audit entries to the server's chain
    /// (`sync.push_audit`).
    fn push_audit(
        &self,
        entries: Vec<AuditRecord>,
    ) -> impl std::future::Future<Output = Result<AuditPushReport, ApiError>> + Send;
    /// Reads the server's log after a cursor (`sync.read_changes`).
    fn read(&self, after: Cursor) -> impl std::future::Future<Output = Result<ChangesPage, ApiError>> + Send;
    /// Whether the server still holds what it stored for this replica (`sync.check_continuity`).
    fn check_continuity(
        &self,
        held: Vec<EntryRef>,
        cursor: Cursor,
    ) -> impl std::future::Future<Output = Result<Continuity, ApiError>> + Send;
    /// Summarises what the user may read now (`sync.reach_digest`).
    fn reach_digest(&self) -> impl std::future::Future<Output = Result<ReachDigest, ApiError>> + Send;
    /// Which of some records the user may read now (`sync.readable_among`).
    fn readable_among(
        &self,
        table: String,
        row_ids: Vec<Uuid>,
    ) -> impl std::future::Future<Output = Result<Vec<Uuid>, ApiError>> + Send;
    /// Reads every entry of some records (`sync.read_history`).
    fn history(
        &self,
        table: String,
        row_ids: Vec<Uuid>,
    ) -> impl std::future::Future<Output = Result<Vec<SyncEntry>, ApiError>> + Send;
    /// Whether the server's rules service fires the rules for what its users change (a team
    /// server set up to enforce access; ADR 0022): then this replica leaves them to it.
    fn runs_rules(&self) -> impl std::future::Future<Output = Result<bool, ApiError>> + Send;
    /// Which of some attached files the server does not keep (`attachments.contents_lacking`).
    fn contents_lacking(
        &self,
        hashes: Vec<String>,
    ) -> impl std::future::Future<Output = Result<Vec<String>, ApiError>> + Send;
    /// Sends attached files to the server (`attachments.store_contents`).
    fn store_contents(
        &self,
        contents: Vec<FileContent>,
    ) -> impl std::future::Future<Output = Result<u32, ApiError>> + Send;
    /// Reads attached files from the server (`attachments.read_contents`).
    fn read_contents(
        &self,
        hashes: Vec<String>,
    ) -> impl std::future::Future<Output = Result<Vec<FileContent>, ApiError>> + Send;
}

/// A server opened in this process, as `actor`.
pub struct DoorLink<'a> {
    pub door: &'a Door,
    pub actor: &'a Actor,
}

impl ServerLink for DoorLink<'_> {
    fn actor(&self) -> &Actor {
        self.actor
    }

    async fn identity(&self) -> Result<String, ApiError> {
        database_identity(self.door).await
    }

    async fn push(&self, entries: Vec<SyncEntry>) -> Result<PushReport, ApiError> {
        self.door.call::<PushChanges>(self.actor, PushChangesInput { entries }).await
    }

    async fn push_audit(&self, entries: Vec<AuditRecord>) -> Result<AuditPushReport, ApiError> {
        self.door.call::<PushAudit>(self.actor, PushAuditInput { entries }).await
    }

    async fn read(&self, after: Cursor) -> Result<ChangesPage, ApiError> {
        self.door.call::<ReadChanges>(self.actor, ReadChangesInput { after, limit: Some(BATCH) }).await
    }

    async fn check_continuity(&self, held: Vec<EntryRef>, cursor: Cursor) -> Result<Continuity, ApiError> {
        self.door.call::<CheckContinuity>(self.actor, CheckContinuityInput { held, cursor }).await
    }

    async fn reach_digest(&self) -> Result<ReachDigest, ApiError> {
        self.door.call::<GetReachDigest>(self.actor, ReachDigestInput {}).await
    }

    async fn readable_among(&self, table: String, row_ids: Vec<Uuid>) -> Result<Vec<Uuid>, ApiError> {
        self.door.call::<ReadableAmong>(self.actor, ReadableAmongInput { table, row_ids }).await
    }

    async fn history(&self, table: String, row_ids: Vec<Uuid>) -> Result<Vec<SyncEntry>, ApiError> {
        self.door.call::<ReadHistory>(self.actor, ReadHistoryInput { table, row_ids }).await
    }

    async fn runs_rules(&self) -> Result<bool, ApiError> {
        crate::server::is_set_up(self.door.database()).await
    }

    async fn contents_lacking(&self, hashes: Vec<String>) -> Result<Vec<String>, ApiError> {
        Ok(self.door.call::<ContentsLacking>(self.actor, ContentHashes { hashes }).await?.hashes)
    }

    async fn store_contents(&self, contents: Vec<FileContent>) -> Result<u32, ApiError> {
        self.door.call::<StoreContents>(self.actor, FileContents { contents }).await
    }

    async fn read_contents(&self, hashes: Vec<String>) -> Result<Vec<FileContent>, ApiError> {
        Ok(self.door.call::<ReadContents>(self.actor, ContentHashes { hashes }).await?.contents)
    }
}

/// Makes `local` (an empty, migrated database) the replica of `server` for `server_actor`,
/// and pulls everything that user may read. The replica gets a device id of its own: open it
/// again (`Door::open`) before writing to it.
pub async fn create_replica(
    local: &Door,
    local_actor: &Actor,
    server: &Door,
    server_actor: &Actor,
    server_address: &str,
) -> Result<SyncReport, ApiError> {
    start_replica(local, local_actor, server, server_actor, server_address).await?;
    sync(local, local_actor, server, server_actor).await
}

/// Marks `local` (an empty, migrated database) as the replica of `server` for
/// `server_actor`, with nothing pulled yet; a database that already is that replica stays as
/// it is. [`sync_over`] fills it.
pub async fn start_replica(
    local: &Door,
    local_actor: &Actor,
    server: &Door,
    server_actor: &Actor,
    server_address: &str,
) -> Result<(), ApiError> {
    let input = StartReplicaInput {
        server_id: database_identity(server).await?,
        server_address: server_address.to_owned(),
        user_id: server_actor.user_id,
        actor: ActorSnapshot::of(server_actor).encode()?,
        rules_by_server: crate::server::is_set_up(server.database()).await?,
    };
    local.call::<StartReplica>(local_actor, input).await
}

/// Where a round of sync is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    Starting,
    /// Sending this replica's changes.
    Pushing,
    /// Receiving the server's changes.
    Pulling,
    /// Receiving the whole history of records that came into reach.
    Fetching,
    /// Rebuilding the records the changes touched.
    Merging,
    Done,
}

const PHASES: [SyncPhase; 6] = [
    SyncPhase::Starting,
    SyncPhase::Pushing,
    SyncPhase::Pulling,
    SyncPhase::Fetching,
    SyncPhase::Merging,
    SyncPhase::Done,
];

/// How far a round of sync has come, for a window's progress, and a way to stop it between
/// two batches: each batch is its own transaction, so what was done stays done and the next
/// round continues from there.
#[derive(Debug, Default)]
pub struct SyncProgress {
    phase: AtomicUsize,
    pushed: AtomicU32,
    pulled: AtomicU32,
    merged: AtomicU32,
    cancelled: AtomicBool,
}

/// [`SyncProgress`] as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncProgressView {
    pub phase: SyncPhase,
    /// Changes sent so far.
    pub pushed: u32,
    /// Server changes received so far.
    pub pulled: u32,
    /// Records rebuilt so far.
    pub merged: u32,
}

impl SyncProgress {
    /// Asks the round to stop after the batch it is working on.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    pub fn view(&self) -> SyncProgressView {
        SyncProgressView {
            phase: PHASES[self.phase.load(Ordering::SeqCst).min(PHASES.len() - 1)],
            pushed: self.pushed.load(Ordering::SeqCst),
            pulled: self.pulled.load(Ordering::SeqCst),
            merged: self.merged.load(Ordering::SeqCst),
        }
    }

    fn enter(&self, phase: SyncPhase) {
        let index = PHASES.iter().position(|p| *p == phase).unwrap_or_default();
        self.phase.store(index, Ordering::SeqCst);
        // Counts only: the phases' timestamps show where a slow round spends its time.
        tracing::debug!(
            phase = ?phase,
            pushed = self.pushed.load(Ordering::SeqCst),
            pulled = self.pulled.load(Ordering::SeqCst),
            merged = self.merged.load(Ordering::SeqCst),
            "sync phase"
        );
    }

    fn add(counter: &AtomicU32, n: u32) {
        counter.fetch_add(n, Ordering::SeqCst);
    }

    /// Refused with [`ErrorCode::Cancelled`] once [`SyncProgress::cancel`] was asked.
    fn go_on(&self) -> Result<(), ApiError> {
        if !self.cancelled.load(Ordering::SeqCst) {
            return Ok(());
        }
        Err(ApiError::new(
            ErrorCode::Cancelled,
            "Sync was cancelled. What it finished is kept on both sides; the next sync continues from there.",
        ))
    }
}

/// One round of sync with a server opened in this process; see [`sync_over`].
pub async fn sync(
    local: &Door,
    local_actor: &Actor,
    server: &Door,
    server_actor: &Actor,
) -> Result<SyncReport, ApiError> {
    sync_over(local, local_actor, &DoorLink { door: server, actor: server_actor }).await
}

/// One round: push this replica's new entries, then pull the server's. Each batch is one
/// transaction on the side that applies it, and each side's progress is saved with (or after)
/// what it covers, so a round cut anywhere resumes without loss or double application.
pub async fn sync_over(local: &Door, local_actor: &Actor, server: &impl ServerLink) -> Result<SyncReport, ApiError> {
    sync_watched(local, local_actor, server, &SyncProgress::default()).await
}

/// [`sync_over`], reporting its progress in `progress` and stopping between two batches once
/// it is cancelled there.
pub async fn sync_watched(
    local: &Door,
    local_actor: &Actor,
    server: &impl ServerLink,
    progress: &SyncProgress,
) -> Result<SyncReport, ApiError> {
    let state = replica_state(local).await?.ok_or_else(not_a_replica)?;
    if server.identity().await? != state.server_id {
        return Err(another_server(&state));
    }
    if state.user_id != server.actor().user_id {
        return Err(ApiError::new(
            ErrorCode::PermissionDenied,
            "This replica belongs to another user; sign in as its user to sync it.",
        ));
    }
    // What the user may do offline is what the server says now.
    let actor = ActorSnapshot::of(server.actor()).encode()?;
    let rules_by_server = server.runs_rules().await?;
    let rights = local.call::<RememberActor>(local_actor, RememberActorInput { actor, rules_by_server }).await?;
    let mut report = SyncReport { records_changed: rights.forgotten, ..SyncReport::default() };
    // RememberActor starts the pull over when the user's rights changed; a restart, everything.
    let state = replica_state(local).await?.ok_or_else(not_a_replica)?;
    report.server_restored = restart_if_server_lost_entries(local, local_actor, server, &state).await?;
    let state = if report.server_restored { replica_state(local).await?.ok_or_else(not_a_replica)? } else { state };
    progress.enter(SyncPhase::Pushing);
    let pushed = match push(local, local_actor, server, &state, &mut report, progress).await {
        Ok(()) => push_audit(local, local_actor, server, &state, &mut report, progress).await,
        Err(problem) => Err(problem),
    };
    if let Err(problem) = pushed {
        if problem.code == ErrorCode::Cancelled || !server_may_still_answer(&problem) {
            return Err(problem);
        }
        tracing::warn!(code = ?problem.code, "pushing this replica's changes failed; pulling the server's anyway");
        report.push_problem = Some(problem);
    }
    let mut after = state.pulled;
    progress.enter(SyncPhase::Pulling);
    loop {
        progress.go_on()?;
        let page = server.read(after).await?;
        let complete = page.complete;
        after = page.next;
        let read = page.entries.len() as u32;
        let input = ApplyPulledInput { server_id: state.server_id.clone(), page };
        report.pulled += local.call::<ApplyPulled>(local_actor, input).await?;
        SyncProgress::add(&progress.pulled, read);
        if complete {
            break;
        }
    }
    progress.enter(SyncPhase::Fetching);
    // Records that came into reach with only their later entries: their whole history.
    while let Some((table, row_ids)) = super::reach::next_incomplete(&local.database().conn).await? {
        progress.go_on()?;
        let entries = server.history(table.clone(), row_ids.clone()).await?;
        let input = ApplyHistoryInput { server_id: state.server_id.clone(), table, row_ids, entries };
        report.pulled += local.call::<ApplyHistory>(local_actor, input).await?;
    }
    // Each record once, however many pages brought its changes (also those a pull cut
    // short left unmerged).
    progress.enter(SyncPhase::Merging);
    loop {
        progress.go_on()?;
        let (merged, changed) = local.call::<MergePulled>(local_actor, MergePulledInput {}).await?;
        report.records_changed += changed;
        SyncProgress::add(&progress.merged, merged);
        if merged == 0 {
            break;
        }
    }

    report.files_fetched = fetch_attached_files(local, local_actor, server, progress).await?;

    // What left the user's reach without a word in the log (handed to another department);
    // a record with changes still to push stays (`ForgetDeparted`): the server judges them first.
    // Not in the round that finds the server restored: what it lost would look departed, and
    // the laptop keeps it until the next sync, for a person told of the restore to see.
    if !report.server_restored {
        progress.go_on()?;
        forget_departed(local, local_actor, server, &mut report).await?;
    }
    report.open_conflicts = super::open_conflicts(&local.database().conn).await?;
    let state = replica_state(local).await?.ok_or_else(not_a_replica)?;
    report.pending = kernel_sync::count_own_after(&local.database().conn, state.device_id, state.pushed_seq).await?;
    progress.enter(SyncPhase::Done);
    Ok(report)
}

/// Asks the server whether it still holds the last change it stored for this laptop and
/// whether the pull's cursor lies within its log; when not (restored from an older backup),
/// everything is sent again and the log read from the start. Returns whether it was.
async fn restart_if_server_lost_entries(
    local: &Door,
    local_actor: &Actor,
    server: &impl ServerLink,
    state: &ReplicaState,
) -> Result<bool, ApiError> {
    let conn = &local.database().conn;
    let last_stored = match state.pushed_seq {
        0 => None,
        seq => kernel_sync::own_entry_at(conn, state.device_id, seq).await?,
    };
    let continuity =
        server.check_continuity(last_stored.into_iter().map(EntryRef::from).collect(), state.pulled).await?;
    if !continuity.broken() {
        return Ok(false);
    }
    tracing::warn!(
        missing = continuity.missing.len(),
        cursor_beyond = continuity.cursor_beyond,
        "the server lost what it had stored (restored from a backup?); sending everything again and reading its log from the start"
    );
    local.call::<RestartReplica>(local_actor, RestartReplicaInput {}).await?;
    Ok(true)
}

/// Compares what this replica holds with what its user may read now, kind by kind, and
/// removes the records the server no longer lets them read.
async fn forget_departed(
    local: &Door,
    local_actor: &Actor,
    server: &impl ServerLink,
    report: &mut SyncReport,
) -> Result<(), ApiError> {
    let readable = server.reach_digest().await?;
    let state = replica_state(local).await?.ok_or_else(not_a_replica)?;
    let conn = &local.database().conn;
    // Records that refer to others first, as the registry lists them the other way round.
    for kind in registry::record_kinds().collect::<Vec<_>>().into_iter().rev() {
        let held = digest::id_digest(conn, kind.table, None).await?;
        let theirs = readable.kinds.get(kind.table).map(Vec::as_slice).unwrap_or_default();
        let buckets = digest::differing_buckets(&held, theirs);
        if buckets.is_empty() {
            continue;
        }
        let asked = super::reach::held_in_buckets(conn, &state, kind.table, &buckets).await?;
        report.reach_asked += asked.len() as u32;
        for chunk in asked.chunks(READABLE_BATCH) {
            let still: BTreeSet<Uuid> =
                server.readable_among(kind.table.to_owned(), chunk.to_vec()).await?.into_iter().collect();
            let row_ids: Vec<Uuid> = chunk.iter().copied().filter(|id| !still.contains(id)).collect();
            if row_ids.is_empty() {
                continue;
            }
            let input = ForgetDepartedInput { table: kind.table.to_owned(), row_ids };
            let forgotten = local.call::<ForgetDeparted>(local_actor, input).await?;
            report.departed += forgotten;
            report.records_changed += forgotten;
        }
    }
    Ok(())
}

/// Whether a failed push leaves the server able to answer a pull: not when the connection is
/// gone or the user may no longer sync at all.
fn server_may_still_answer(problem: &ApiError) -> bool {
    !matches!(
        problem.code,
        ErrorCode::DatabaseUnavailable
            | ErrorCode::SignedOut
            | ErrorCode::PermissionDenied
            | ErrorCode::SchemaTooNew
            | ErrorCode::SchemaOutdated
    )
}

async fn push(
    local: &Door,
    local_actor: &Actor,
    server: &impl ServerLink,
    state: &ReplicaState,
    report: &mut SyncReport,
    progress: &SyncProgress,
) -> Result<(), ApiError> {
    let mut pushed_seq = state.pushed_seq;
    loop {
        progress.go_on()?;
        let batch = kernel_sync::own_entries_after(&local.database().conn, state.device_id, pushed_seq, BATCH).await?;
        let Some(&(last_seq, _)) = batch.last() else { return Ok(()) };
        let (entries, damaged): (Vec<SyncEntry>, Vec<SyncEntry>) =
            batch.into_iter().map(|(_, entry)| entry).partition(|entry| entry.to_merge_entry().is_ok());
        send_attached_files(local, server, &entries).await?;
        let sent = entries.len() as u32;
        let mut outcome = if entries.is_empty() { PushReport::default() } else { server.push(entries).await? };
        SyncProgress::add(&progress.pushed, sent);
        report.pushed += outcome.stored;
        report.pushed_before += outcome.held_already;
        // An entry this laptop cannot read itself would be refused by the server every time,
        // holding back every later one: it is set aside here, with the reason.
        outcome.rejected.extend(damaged.iter().map(|entry| {
            RejectedEntry {
                table: entry.table.clone(),
                row_id: entry.row_id,
                hlc: entry.hlc,
                code: ErrorCode::InvalidInput,
                reason:
                    "This change was damaged on this laptop (its record of the change cannot be read) and was not sent."
                        .into(),
            }
        }));
        if !outcome.rejected.is_empty() {
            let rejected = outcome.rejected.clone();
            local.call::<TakeBack>(local_actor, TakeBackInput { rejected }).await?;
        }
        report.rejected.extend(outcome.rejected);
        local.call::<SavePushed>(local_actor, SavePushedInput { seq: Some(last_seq), audit_seq: None }).await?;
        pushed_seq = last_seq;
    }
}

/// Sends the files that a batch of this replica's entries attaches and the server lacks,
/// before the entries: an attachment never reaches the server without its file.
async fn send_attached_files(local: &Door, server: &impl ServerLink, entries: &[SyncEntry]) -> Result<(), ApiError> {
    let attached: Vec<Uuid> =
        entries.iter().filter(|e| e.table == crate::attachments::Model::TABLE).map(|e| e.row_id).collect();
    if attached.is_empty() {
        return Ok(());
    }
    let conn = &local.database().conn;
    let hashes = contents::of_attachments(conn, &attached).await?;
    let mut lacking = Vec::new();
    for chunk in hashes.chunks(500) {
        lacking.extend(server.contents_lacking(chunk.to_vec()).await?);
    }
    let mut batch = Vec::new();
    let mut batch_bytes = 0u64;
    for sha256 in lacking {
        // A file this replica lacks too (attached elsewhere, not fetched yet) is not its to send.
        let Some(bytes) = contents::read(conn, &sha256).await? else { continue };
        if !batch.is_empty()
            && (batch.len() == contents::BATCH_FILES || batch_bytes + bytes.len() as u64 > contents::BATCH_BYTES)
        {
            server.store_contents(std::mem::take(&mut batch)).await?;
            batch_bytes = 0;
        }
        batch_bytes += bytes.len() as u64;
        batch.push(FileContent::of(sha256, &bytes));
    }
    if !batch.is_empty() {
        server.store_contents(batch).await?;
    }
    Ok(())
}

/// Brings the files of this replica's attachments that it lacks from the server, a few at a
/// time; returns how many came. One the server lacks too (its laptop has not synced yet)
/// stays missing until a later round.
async fn fetch_attached_files(
    local: &Door,
    local_actor: &Actor,
    server: &impl ServerLink,
    progress: &SyncProgress,
) -> Result<u32, ApiError> {
    let lacking = contents::lacking_here(&local.database().conn).await?;
    let mut fetched = 0;
    for chunk in lacking.chunks(contents::BATCH_FILES) {
        progress.go_on()?;
        let files = server.read_contents(chunk.to_vec()).await?;
        if files.is_empty() {
            continue;
        }
        fetched += local.call::<StoreContents>(local_actor, FileContents { contents: files }).await?;
    }
    Ok(fetched)
}

/// Sends this replica's audit entries the server's chain does not hold yet, oldest first,
/// after its changes (an archive's entry follows the archive).
async fn push_audit(
    local: &Door,
    local_actor: &Actor,
    server: &impl ServerLink,
    state: &ReplicaState,
    report: &mut SyncReport,
    progress: &SyncProgress,
) -> Result<(), ApiError> {
    let mut after = state.audit_pushed_seq;
    loop {
        progress.go_on()?;
        let conn = &local.database().conn;
        let batch = audit::own_entries_after(conn, state.device_id, state.user_id, after, AUDIT_BATCH).await?;
        let Some(&(last_seq, _)) = batch.last() else { return Ok(()) };
        let entries = batch.into_iter().map(|(_, entry)| entry).collect();
        let outcome = server.push_audit(entries).await?;
        report.audit_pushed += outcome.appended;
        local.call::<SavePushed>(local_actor, SavePushedInput { seq: None, audit_seq: Some(last_seq) }).await?;
        after = last_seq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_address_never_shows_its_password() {
        assert_eq!(public_address("postgres://anna:s3cret@db.example/accord"), "postgres://anna@db.example/accord");
        assert_eq!(public_address("postgres://db.example/accord"), "postgres://db.example/accord");
        assert_eq!(split_user("postgres://anna:s3cret@db/accord"), ("postgres://db/accord".into(), "anna".into()));
    }
}
