//! Offline laptops (PLATFORM-4, DATA-3; ADR 0014): a local SQLite replica of what a user may
//! read, kept in step with the team's server over the change log.
//!
//! - [`ReadChanges`] reads a database's log after a cursor, in commit order, only of the
//!   kinds and records the reader may read.
//! - [`PushChanges`] stores a laptop's entries on the server: each is checked against the
//!   pusher's rights (its own change, a kind it may write, a record within its reach); one it
//!   may not make is reported back and never applied.
//! - [`ApplyPulled`] stores the server's entries on the replica and moves the replica's
//!   cursor in the same transaction.
//! - Both merge every record they touch from all its entries ([`accord_kernel::sync::merge`]),
//!   through the kind's registered [`RecordKind`], so a domain syncs by being registered.
//! - [`sync`] runs one round (push, then pull) between two open doors; [`create_replica`]
//!   makes a replica from a server.

mod audit;
mod conflicts;
mod continuity;
mod reach;
mod references;
mod rejected;
mod replica;

use accord_kernel::catalogue::{Domain, OpSpec, RecordKind};
use accord_kernel::changelog::ChangeAction;
use accord_kernel::clock::HlcTimestamp;
use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::{BuiltInRole, Ownership, Permission};
use std::collections::{BTreeMap, BTreeSet};

use accord_kernel::sync::merge::MergeEntry;
use accord_kernel::sync::{self as kernel_sync, ReadFilter};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::door::registry;

pub use accord_kernel::sync::{ChangesPage, Cursor, SyncEntry, merge, own_entries_after};
pub use audit::{AUDIT_BATCH, AuditPushReport, NOT_APPLIED, PushAudit, PushAuditInput};
pub use conflicts::{
    Choice, ConflictList, ConflictSide, ConflictView, ListConflicts, ListConflictsInput, RESOLVE, ResolveConflict,
    ResolveConflictInput, Resolved,
};
pub use continuity::{CheckContinuity, CheckContinuityInput, Continuity, EntryRef};
pub use reach::{
    GetReachDigest, HISTORY_BATCH, READABLE_BATCH, ReachDigest, ReachDigestInput, ReadHistory, ReadHistoryInput,
    ReadableAmong, ReadableAmongInput,
};
pub use references::{ArchivedReference, ArchivedReferenceList, ListArchivedReferences, ListArchivedReferencesInput};
pub use rejected::{ListRejected, ListRejectedInput, RejectedChange};
pub use replica::{
    DoorLink, GetReplicaStatus, ReplicaState, ReplicaStatus, ReplicaStatusInput, ServerLink, SyncPhase, SyncProgress,
    SyncProgressView, SyncReport, create_replica, public_address, replica_actor, replica_device, replica_state,
    replica_status_in, rules_by_server, split_user, start_replica, sync, sync_over, sync_watched,
};

/// Keeping an offline replica and syncing it with the server.
pub const REPLICATE: Permission = Permission::new("sync.replicate");

/// The `sync` domain: its permission and operations.
pub fn domain() -> Domain {
    use BuiltInRole::{Auditor, Manager, Quality, Sales, ServiceDesk};
    let mut domain = Domain::new("sync")
        .permission(
            REPLICATE,
            "Work offline on a laptop: keep a replica of what one may read and sync it with the server.",
            &[Manager, Sales, ServiceDesk, Quality, Auditor],
        )
        .permission(
            RESOLVE,
            "See and resolve conflicts between offline changes of records one may change.",
            &[Manager, Sales, ServiceDesk, Quality],
        );
    domain.operations.extend([
        OpSpec::of::<ReadChanges>(),
        OpSpec::of::<PushChanges>(),
        OpSpec::of::<PushAudit>(),
        OpSpec::of::<CheckContinuity>(),
        OpSpec::of::<ListConflicts>(),
        OpSpec::of::<ListArchivedReferences>(),
        OpSpec::of::<ResolveConflict>(),
        OpSpec::of::<ReadHistory>(),
        OpSpec::of::<GetReachDigest>(),
        OpSpec::of::<ReadableAmong>(),
        OpSpec::of::<ListRejected>(),
        OpSpec::of::<GetReplicaStatus>(),
    ]);
    domain
}

/// Entries per page read or pushed.
pub const BATCH: u64 = 1000;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReadChangesInput {
    #[serde(default)]
    pub after: Cursor,
    /// 1–5000; default 1000.
    #[serde(default)]
    pub limit: Option<u64>,
}

/// `sync.read_changes`: the change-log entries after a cursor, in commit order, of the kinds
/// the reader may read and the records within their reach.
pub struct ReadChanges;

impl Operation for ReadChanges {
    const NAME: &'static str = "sync.read_changes";
    const PERMISSION: Permission = REPLICATE;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Read the change log after a cursor, in commit order, within one's reach.";
    type Input = ReadChangesInput;
    type Output = ChangesPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let limit = input.limit.unwrap_or(BATCH).clamp(1, 5000);
        let filter = ReadFilter {
            horizon_from_server: scope.user_role,
            tables: registry::record_kinds()
                .filter(|kind| scope.actor.may(kind.read_permission))
                .map(|kind| (kind.table, scope.actor.reach.condition(None)))
                .collect(),
        };
        if filter.tables.is_empty() {
            return Ok(ChangesPage { entries: vec![], next: input.after, complete: true });
        }
        kernel_sync::read_after(scope.tx, input.after, limit, &filter).await
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PushChangesInput {
    pub entries: Vec<SyncEntry>,
}

/// A pushed change the server did not apply, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RejectedEntry {
    pub table: String,
    pub row_id: Uuid,
    #[ts(type = "number")]
    pub hlc: i64,
    pub code: ErrorCode,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct PushReport {
    /// Entries stored now.
    pub stored: u32,
    /// Entries the server held already (a batch sent again).
    pub held_already: u32,
    /// Records created or changed by the merge.
    pub records_changed: u32,
    pub rejected: Vec<RejectedEntry>,
}

/// `sync.push_changes`: a laptop's own entries, checked against the pusher's rights one by
/// one and merged into the server's records.
pub struct PushChanges;

impl Operation for PushChanges {
    const NAME: &'static str = "sync.push_changes";
    const PERMISSION: Permission = REPLICATE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Store a replica's own changes on the server, each checked against the pusher's rights, and merge them.";
    type Input = PushChangesInput;
    type Output = PushReport;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        // Damaged on the way: refused whole, before anything is stored, and sent again as
        // the laptop holds it.
        for entry in &input.entries {
            entry.to_merge_entry()?;
        }
        // What the server holds already (a reply lost, a batch sent again) is acknowledged as
        // held, whatever the pusher's rights are now: refusing it would take it back on the
        // laptop while the server keeps it.
        let me = scope.actor.user_id;
        // Only the pusher's own changes bind (another's are refused one by one anyway).
        let devices = input.entries.iter().filter(|e| e.actor_id == me).map(|e| e.device_id).collect();
        bind_devices(scope, devices).await?;
        let new = kernel_sync::not_held(scope, &input.entries).await?;
        if new.len() < input.entries.len() {
            kernel_sync::ensure_held_unchanged(scope, &input.entries).await?;
        }
        let mut report = PushReport { held_already: (input.entries.len() - new.len()) as u32, ..Default::default() };
        let mut allowed = Vec::with_capacity(new.len());
        for entry in new {
            match check_pushed(scope, &entry).await? {
                Ok(()) => allowed.push(entry),
                Err(refusal) => report.rejected.push(RejectedEntry::of(&entry, refusal)),
            }
        }
        // A stamp too far ahead is the laptop's clock, not the change: the batch is refused
        // whole and stays pending on the laptop until its clock is put right.
        for entry in &allowed {
            scope.receive_stamp(HlcTimestamp(entry.hlc))?;
        }
        let stored = store_record_by_record(scope, allowed).await?;
        report.stored = stored.entries;
        report.records_changed = stored.records_changed;
        report.rejected.extend(stored.rejected);
        Ok(report)
    }
}

/// Binds each device a push comes from to the pusher at its first push, and refuses the
/// push when one belongs to someone else or has written here under other names (an
/// installation's own device): nobody pushes under another device, so nobody can take the
/// stamps that device will use.
async fn bind_devices(scope: &Scope<'_>, devices: BTreeSet<Uuid>) -> Result<(), ApiError> {
    let me = scope.actor.user_id;
    for device in devices {
        let bound = Query::select()
            .column(Alias::new("user_id"))
            .from(Alias::new("sync_devices"))
            .and_where(Expr::col(Alias::new("device_id")).eq(device))
            .to_owned();
        let owner = match scope.tx.query_one(&bound).await? {
            Some(row) => Some(row.try_get::<Uuid>("", "user_id")?),
            None if !written_by_others(scope, device, me).await? => {
                let bind = Query::insert()
                    .into_table(Alias::new("sync_devices"))
                    .columns([Alias::new("device_id"), Alias::new("user_id"), Alias::new("bound_at")])
                    .values_panic([device.into(), me.into(), scope.now.into()])
                    .on_conflict(OnConflict::column(Alias::new("device_id")).do_nothing().to_owned())
                    .to_owned();
                scope.tx.execute(&bind).await?;
                // Bound now, or by someone else a moment ago (then not visible to this user).
                scope.tx.query_one(&bound).await?.map(|row| row.try_get::<Uuid>("", "user_id")).transpose()?
            }
            None => None,
        };
        if owner != Some(me) {
            return Err(ApiError::new(
                ErrorCode::PermissionDenied,
                "These changes come from a device that belongs to someone else on this server. Nothing was applied; \
                 sync from your own laptop's copy (or make a new one).",
            ));
        }
    }
    Ok(())
}

/// Whether `device` has entries here of someone other than `me`.
async fn written_by_others(scope: &Scope<'_>, device: Uuid, me: Uuid) -> Result<bool, ApiError> {
    let query = Query::select()
        .column(Alias::new("seq"))
        .from(Alias::new("change_log"))
        .and_where(Expr::col(Alias::new("device_id")).eq(device))
        .and_where(Expr::col(Alias::new("actor_id")).ne(me))
        .limit(1)
        .to_owned();
    Ok(scope.tx.query_one(&query).await?.is_some())
}

impl RejectedEntry {
    fn of(entry: &SyncEntry, refusal: ApiError) -> Self {
        Self {
            table: entry.table.clone(),
            row_id: entry.row_id,
            hlc: entry.hlc,
            code: refusal.code,
            reason: refusal.message,
        }
    }
}

/// Whether the pusher may make this change: the outer error is a failure of the check
/// itself, the inner one the refusal to report.
async fn check_pushed(scope: &Scope<'_>, entry: &SyncEntry) -> Result<Result<(), ApiError>, ApiError> {
    let refuse = |code: ErrorCode, message: String| Ok(Err(ApiError::new(code, message)));
    if entry.actor_id != scope.actor.user_id {
        return refuse(
            ErrorCode::PermissionDenied,
            "This change was made by someone else; a replica pushes only its own user's changes.".into(),
        );
    }
    let Some(kind) = registry::record_kind(&entry.table) else {
        return refuse(
            ErrorCode::InvalidInput,
            format!("The server does not know records of kind \"{}\"; update Accord on the server.", entry.table),
        );
    };
    if !scope.actor.may(kind.write_permission) {
        return refuse(
            ErrorCode::PermissionDenied,
            format!("You no longer have the permission \"{}\" to change a {}.", kind.write_permission, kind.label),
        );
    }
    if !row_within_reach(scope, kind, entry.row_id).await? {
        return refuse(ErrorCode::PermissionDenied, format!("This {} is no longer yours to change.", kind.label));
    }
    let fields = entry.to_merge_entry()?.fields;
    if matches!(entry.action, ChangeAction::Archive | ChangeAction::Restore)
        || fields.contains_key(merge::ARCHIVE_FIELD)
    {
        match kind.archive_permission {
            Some(archive) if scope.actor.may(archive) => {}
            Some(archive) => {
                return refuse(
                    ErrorCode::PermissionDenied,
                    format!("You do not have the permission \"{archive}\" to archive or restore a {}.", kind.label),
                );
            }
            None => return refuse(ErrorCode::InvalidInput, format!("A {} cannot be archived.", kind.label)),
        }
    }
    if let Some(refusal) = ownership_refusal(scope, entry, &fields) {
        return Ok(Err(refusal));
    }
    Ok(Ok(()))
}

/// Who a record belongs to changes offline as online: a new record is its maker's, within
/// their reach; handing one to someone else takes the right to manage users (as handing over
/// a departing colleague's records does).
fn ownership_refusal(
    scope: &Scope<'_>,
    entry: &SyncEntry,
    fields: &BTreeMap<String, accord_kernel::changelog::FieldChange>,
) -> Option<ApiError> {
    let value = |field: &str| fields.get(field).and_then(|change| change.new.as_str()).and_then(|v| v.parse().ok());
    if entry.action == ChangeAction::Insert {
        let ownership = Ownership { owner_id: value("owner_id"), department_id: value("department_id") };
        let own = ownership.owner_id.is_none_or(|owner| owner == scope.actor.user_id);
        if own && scope.actor.reach.sees(ownership) {
            return None;
        }
        return Some(ApiError::new(
            ErrorCode::PermissionDenied,
            "A record made offline belongs to its maker, in a department they see; this one names another owner.",
        ));
    }
    let reassigns = merge::OWNERSHIP_FIELDS.iter().any(|field| fields.contains_key(*field));
    if reassigns && !scope.actor.may(accord_security::permissions::USERS_MANAGE) {
        return Some(ApiError::new(
            ErrorCode::PermissionDenied,
            format!(
                "Only someone with the permission \"{}\" hands a record to another owner; this change of owner was not applied.",
                accord_security::permissions::USERS_MANAGE
            ),
        ));
    }
    None
}

/// A record the actor may change: within their reach, or not on this database yet (new).
async fn row_within_reach(scope: &Scope<'_>, kind: &RecordKind, row_id: Uuid) -> Result<bool, ApiError> {
    let Some(visible) = scope.actor.reach.condition(None) else { return Ok(true) };
    if kernel_sync::existing_rows(scope.tx, kind.table, &[row_id]).await?.is_empty() {
        return Ok(true);
    }
    let within = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new(kind.table))
        .and_where(Expr::col(Alias::new("id")).eq(row_id))
        .cond_where(visible)
        .to_owned();
    Ok(scope.tx.query_one(&within).await?.is_some())
}

/// What a push stored, and the records it refused.
struct StoredPush {
    entries: u32,
    records_changed: u32,
    rejected: Vec<RejectedEntry>,
}

/// Stores and merges pushed entries this database lacks. When the batch as a whole fails (a
/// value the database refuses, a change to a record that never reached the server, a parent
/// the pusher cannot reach), each record is tried alone, and the entries of a record that
/// still fails are refused with the reason — so one bad record never holds back the others.
async fn store_record_by_record(scope: &Scope<'_>, new: Vec<SyncEntry>) -> Result<StoredPush, ApiError> {
    let whole = Savepoint::set(scope).await?;
    match store_and_merge(scope, &new).await {
        Ok(changed) => {
            whole.release().await?;
            return Ok(StoredPush { entries: new.len() as u32, records_changed: changed, rejected: vec![] });
        }
        Err(error) if !refused_for_good(&error) => {
            whole.roll_back().await?;
            return Err(error);
        }
        Err(error) => {
            tracing::info!(code = ?error.code, "a pushed batch failed as a whole; trying its records one by one");
            whole.roll_back().await?;
        }
    }
    let mut by_record: BTreeMap<(&str, Uuid), Vec<SyncEntry>> = BTreeMap::new();
    for entry in &new {
        by_record.entry((entry.table.as_str(), entry.row_id)).or_default().push(entry.clone());
    }
    let mut stored = StoredPush { entries: 0, records_changed: 0, rejected: vec![] };
    for ((_, _), entries) in in_registry_order_by_record(by_record) {
        let one = Savepoint::set(scope).await?;
        match store_and_merge(scope, &entries).await {
            Ok(changed) => {
                one.release().await?;
                stored.entries += entries.len() as u32;
                stored.records_changed += changed;
            }
            Err(error) if !refused_for_good(&error) => {
                // A fault of the server (busy, out of space, a bug), not of the change: the
                // whole push fails and the laptop keeps every entry pending.
                one.roll_back().await?;
                return Err(error);
            }
            Err(error) => {
                one.roll_back().await?;
                let reason = format!("The server could not apply this change: {}", error.message);
                stored
                    .rejected
                    .extend(entries.iter().map(|e| RejectedEntry::of(e, ApiError::new(error.code, reason.clone()))));
            }
        }
    }
    Ok(stored)
}

/// An error the server would give again for the same change: the change itself is refused.
fn refused_for_good(error: &ApiError) -> bool {
    matches!(
        error.code,
        ErrorCode::InvalidInput | ErrorCode::PermissionDenied | ErrorCode::NotFound | ErrorCode::Archived
    )
}

/// A savepoint in the scope's transaction: what follows it can be undone alone.
struct Savepoint<'s, 'a> {
    scope: &'s Scope<'a>,
}

impl<'s, 'a> Savepoint<'s, 'a> {
    /// One name serves: a sync step sets one savepoint at a time, never one inside another.
    const NAME: &'static str = "accord_sync_step";

    async fn set(scope: &'s Scope<'a>) -> Result<Self, ApiError> {
        scope.tx.execute_unprepared(&format!("SAVEPOINT {}", Self::NAME)).await?;
        Ok(Self { scope })
    }

    async fn release(self) -> Result<(), ApiError> {
        self.scope.tx.execute_unprepared(&format!("RELEASE SAVEPOINT {}", Self::NAME)).await?;
        Ok(())
    }

    async fn roll_back(self) -> Result<(), ApiError> {
        let name = Self::NAME;
        self.scope.tx.execute_unprepared(&format!("ROLLBACK TO SAVEPOINT {name}")).await?;
        self.scope.tx.execute_unprepared(&format!("RELEASE SAVEPOINT {name}")).await?;
        Ok(())
    }
}

/// Merges every record `entries` touch — from all its entries, held and new — writes it,
/// then appends the entries (a team server checks each entry against its record as it
/// stands, so the record comes first). Returns how many records were created or changed.
async fn store_and_merge(scope: &Scope<'_>, entries: &[SyncEntry]) -> Result<u32, ApiError> {
    let mut by_kind: BTreeMap<&str, BTreeMap<Uuid, Vec<MergeEntry>>> = BTreeMap::new();
    for entry in entries {
        let arrived = by_kind.entry(entry.table.as_str()).or_default().entry(entry.row_id).or_default();
        arrived.push(entry.to_merge_entry()?);
    }
    let mut changed = 0;
    for (table, arrived) in in_registry_order(by_kind) {
        changed += merge_records(scope, table, arrived, Uncreated::Refuse).await?;
    }
    kernel_sync::insert_entries(scope, entries).await?;
    Ok(changed)
}

/// Records in the order their kinds are registered (parents first), then by id.
fn in_registry_order_by_record<V>(by_record: BTreeMap<(&str, Uuid), V>) -> Vec<((&str, Uuid), V)> {
    let mut ordered: Vec<_> = by_record.into_iter().collect();
    ordered.sort_by_key(|((table, id), _)| (registry_rank(table), *id));
    ordered
}

/// Kinds in the order the registry declares them — a kind before those that refer to it
/// (organisations before their contacts) — so a record's parent is written first.
fn in_registry_order<K: AsRef<str>, V>(by_kind: BTreeMap<K, V>) -> Vec<(K, V)> {
    let mut ordered: Vec<(K, V)> = by_kind.into_iter().collect();
    ordered.sort_by_key(|(table, _)| registry_rank(table.as_ref()));
    ordered
}

/// Where a kind stands in the registry: parents before the kinds that refer to them.
fn registry_rank(table: &str) -> usize {
    registry::record_kinds().position(|kind| kind.table == table).unwrap_or(usize::MAX)
}

/// Merges records of one kind from the entries held and those `arrived` (not stored yet), and
/// writes them; returns how many were created or changed.
async fn merge_records(
    scope: &Scope<'_>,
    table: &str,
    arrived: BTreeMap<Uuid, Vec<MergeEntry>>,
    uncreated: Uncreated,
) -> Result<u32, ApiError> {
    let kind = registry::record_kind(table).ok_or_else(|| ApiError::internal("an entry lost its kind"))?;
    let ids: Vec<Uuid> = arrived.keys().copied().collect();
    kernel_sync::lock_records(scope, table, &ids).await?;
    let mut held = kernel_sync::entries_of_many(scope.tx, table, &ids).await?;
    let mut merged: BTreeMap<Uuid, merge::Merged> = arrived
        .into_iter()
        .map(|(row_id, new_ones)| {
            let mut all = held.remove(&row_id).unwrap_or_default();
            all.extend(new_ones);
            (row_id, merge::merge(&all, kind.important_fields))
        })
        .collect();
    if uncreated == Uncreated::Wait {
        let uncreated: Vec<Uuid> = merged.iter().filter(|(_, m)| m.created.is_none()).map(|(id, _)| *id).collect();
        let existing = kernel_sync::existing_rows(scope.tx, table, &uncreated).await?;
        merged.retain(|id, m| m.created.is_some() || existing.contains(id));
    }
    kind.apply_merged(scope, &merged).await
}

/// What a merge does with a record this database does not hold and whose creating entry it
/// lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Uncreated {
    /// Refuse it: a push cannot make a record out of a change alone.
    Refuse,
    /// Leave it unmade until its creation arrives (a pull: the record left the user's reach
    /// before its history could be read); its entries wait in the log.
    Wait,
}

/// Refuses a whole batch before anything of it is stored: a damaged entry, a kind this
/// version does not know, a stamp too far ahead; moves the clock past the rest.
fn check_received(scope: &Scope<'_>, entries: &[SyncEntry]) -> Result<(), ApiError> {
    for entry in entries {
        // Every entry is read before anything is stored: a damaged one fails the whole batch.
        entry.to_merge_entry()?;
        if registry::record_kind(&entry.table).is_none() {
            return Err(ApiError::new(
                ErrorCode::SchemaTooNew,
                format!(
                    "The changes include records of kind \"{}\", which this version of Accord does not know. Update Accord, then sync again.",
                    entry.table
                ),
            ));
        }
        scope.receive_stamp(HlcTimestamp(entry.hlc))?;
    }
    Ok(())
}

/// Stores a page of the server's log on the replica, notes the records it touches as
/// unmerged, and saves the cursor past it — all in one transaction, so an interrupted pull
/// resumes exactly after what was stored. The records are merged once, at the end of the pull
/// ([`MergePulled`]), not once per page.
pub(crate) struct ApplyPulled;

#[derive(Debug, Clone, Deserialize, TS)]
pub(crate) struct ApplyPulledInput {
    pub server_id: String,
    pub page: ChangesPage,
}

/// Only the replica's owner applies pulled changes (a permission no role holds).
const APPLYING_PULLED: Permission = Permission::new("sync.apply_pulled");

impl Operation for ApplyPulled {
    const NAME: &'static str = "sync.apply_pulled";
    const PERMISSION: Permission = APPLYING_PULLED;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Apply the server's changes on a replica.";
    type Input = ApplyPulledInput;
    type Output = u32;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let state = replica::state_in(scope.tx).await?.ok_or_else(replica::not_a_replica)?;
        if state.server_id != input.server_id {
            return Err(replica::another_server(&state));
        }
        check_received(scope, &input.page.entries)?;
        let new = kernel_sync::not_held(scope, &input.page.entries).await?;
        kernel_sync::insert_entries(scope, &new).await?;
        note_unmerged(scope, &new).await?;
        reach::note_incomplete(scope, &new).await?;
        let save = Query::update()
            .table(Alias::new("sync_replica"))
            .value(Alias::new("pulled_commit"), input.page.next.commit)
            .value(Alias::new("pulled_seq"), input.page.next.seq)
            .value(Alias::new("last_sync_at"), scope.now)
            .to_owned();
        scope.tx.execute(&save).await?;
        Ok(new.len() as u32)
    }
}

/// Notes the records `new` (entries just stored) touch for the merge at the end of the pull.
async fn note_unmerged(scope: &Scope<'_>, new: &[SyncEntry]) -> Result<(), ApiError> {
    let touched: BTreeSet<(&str, Uuid)> = new.iter().map(|e| (e.table.as_str(), e.row_id)).collect();
    note_records(scope, "sync_unmerged", touched).await
}

/// Adds records, once each, to one of the replica's lists of records to see to
/// (`sync_unmerged`, `sync_incomplete`: `(table_name, row_id)`).
async fn note_records(scope: &Scope<'_>, list: &str, records: BTreeSet<(&str, Uuid)>) -> Result<(), ApiError> {
    for chunk in records.into_iter().collect::<Vec<_>>().chunks(2000) {
        let mut note = Query::insert();
        note.into_table(Alias::new(list.to_owned()))
            .columns([Alias::new("table_name"), Alias::new("row_id")])
            .on_conflict(OnConflict::columns([Alias::new("table_name"), Alias::new("row_id")]).do_nothing().to_owned());
        for (table, row_id) in chunk {
            note.values_panic([(*table).into(), (*row_id).into()]);
        }
        scope.tx.execute(&note).await?;
    }
    Ok(())
}

/// Records merged per transaction at the end of a pull.
const MERGE_BATCH: u64 = 1000;

/// Merges up to [`MERGE_BATCH`] records whose pulled entries are stored but not merged yet,
/// from all their entries; returns (records merged, records created or changed).
pub(crate) struct MergePulled;

#[derive(Debug, Clone, Deserialize, TS)]
pub(crate) struct MergePulledInput {}

impl Operation for MergePulled {
    const NAME: &'static str = "sync.merge_pulled";
    const PERMISSION: Permission = APPLYING_PULLED;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Merge the records a pull brought changes for.";
    type Input = MergePulledInput;
    type Output = (u32, u32);

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        // A kind's records all before the next kind's: parents before what refers to them.
        for kind in registry::record_kinds() {
            let pending = Query::select()
                .column(Alias::new("row_id"))
                .from(Alias::new("sync_unmerged"))
                .and_where(Expr::col(Alias::new("table_name")).eq(kind.table))
                .order_by(Alias::new("row_id"), Order::Asc)
                .limit(MERGE_BATCH)
                .to_owned();
            let mut rows = BTreeMap::new();
            for row in scope.tx.query_all(&pending).await? {
                rows.insert(row.try_get::<Uuid>("", "row_id")?, Vec::new());
            }
            if rows.is_empty() {
                continue;
            }
            let ids: Vec<Uuid> = rows.keys().copied().collect();
            let changed = merge_records(scope, kind.table, rows, Uncreated::Wait).await?;
            for chunk in ids.chunks(500) {
                let done = Query::delete()
                    .from_table(Alias::new("sync_unmerged"))
                    .and_where(Expr::col(Alias::new("table_name")).eq(kind.table))
                    .and_where(Expr::col(Alias::new("row_id")).is_in(chunk.iter().copied()))
                    .to_owned();
                scope.tx.execute(&done).await?;
            }
            return Ok((ids.len() as u32, changed));
        }
        Ok((0, 0))
    }
}

/// A replica's open conflicts, for [`replica::SyncReport`] and the review screen.
pub async fn open_conflicts(conn: &impl ConnectionTrait) -> Result<i64, ApiError> {
    let query = Query::select()
        .expr_as(Expr::col(Alias::new("row_id")).count(), Alias::new("n"))
        .from(Alias::new("sync_conflicts"))
        .to_owned();
    let row = conn.query_one(&query).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}
