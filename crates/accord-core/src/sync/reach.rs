//! Records that come into a user's reach or leave it (ADR 0014). A pull ships entries after
//! the cursor; a record handed to the user's department brings only its later entries, so the
//! replica notes such records (a change without the record's creation, or a change of owner)
//! and fetches their whole history ([`ReadHistory`]). When the user may read less than before,
//! what they no longer may leaves the replica ([`forget_unreachable`]); when they may read
//! more, the replica reads the log again from its start (nothing held is stored twice), so
//! records that were there all along arrive whole. A record handed to someone else's
//! department leaves no entry the user may read: after each pull the replica compares a
//! summary of what it holds with what the user may read ([`GetReachDigest`]), asks about the
//! records where the two differ ([`ReadableAmong`]) and forgets those that left
//! ([`ForgetDeparted`]).

use std::collections::{BTreeMap, BTreeSet};

use accord_kernel::catalogue::RecordKind;
use accord_kernel::changelog::ChangeAction;
use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::{Actor, Permission};
use accord_kernel::sync::digest::{self, BucketDigest};
use accord_kernel::sync::{self as kernel_sync, SyncEntry, merge};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::replica::{another_server, not_a_replica, state_in};
use super::{APPLYING_PULLED, REPLICATE, Savepoint, check_received, note_records, note_unmerged};
use crate::door::registry;

/// Records asked for at once.
pub const HISTORY_BATCH: usize = 200;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReadHistoryInput {
    pub table: String,
    /// At most 200.
    pub row_ids: Vec<Uuid>,
}

/// `sync.read_history`: every entry of some records of one kind, oldest first — those the
/// reader may read and that are within their reach; others are left out.
pub struct ReadHistory;

impl Operation for ReadHistory {
    const NAME: &'static str = "sync.read_history";
    const PERMISSION: Permission = REPLICATE;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Read the whole history of records that came into one's reach.";
    type Input = ReadHistoryInput;
    type Output = Vec<SyncEntry>;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        if input.row_ids.len() > HISTORY_BATCH {
            return Err(ApiError::field(
                "row_ids",
                accord_kernel::error::FieldCode::TooLong,
                format!("Ask for at most {HISTORY_BATCH} records at a time."),
            ));
        }
        let Some(kind) = registry::record_kind(&input.table) else { return Ok(vec![]) };
        let ids = readable_among(scope, kind, &input.row_ids).await?;
        kernel_sync::entries_of_rows(scope.tx, kind.table, &ids).await
    }
}

/// Those of `row_ids` (records of `kind`) the reader may read now.
async fn readable_among(scope: &Scope<'_>, kind: &RecordKind, row_ids: &[Uuid]) -> Result<Vec<Uuid>, ApiError> {
    if !scope.actor.may(kind.read_permission) || row_ids.is_empty() {
        return Ok(vec![]);
    }
    let mut visible = Query::select();
    visible
        .column(Alias::new("id"))
        .from(Alias::new(kind.table))
        .and_where(Expr::col(Alias::new("id")).is_in(row_ids.iter().copied()));
    if let Some(reach) = scope.actor.reach.condition(None) {
        visible.cond_where(reach);
    }
    let mut ids = Vec::new();
    for row in scope.tx.query_all(&visible).await? {
        ids.push(row.try_get::<Uuid>("", "id")?);
    }
    Ok(ids)
}

/// Records asked about at once.
pub const READABLE_BATCH: usize = 1000;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReachDigestInput {}

/// What the reader may read now, kind by kind, summarised ([`digest`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ReachDigest {
    /// The kinds the reader may read; a kind left out is one they may not.
    pub kinds: BTreeMap<String, Vec<BucketDigest>>,
}

/// `sync.reach_digest`: a summary of the ids of every record the reader may read now, to
/// compare with what a replica holds.
pub struct GetReachDigest;

impl Operation for GetReachDigest {
    const NAME: &'static str = "sync.reach_digest";
    const PERMISSION: Permission = REPLICATE;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Summarise the ids of the records one may read now, kind by kind, in 256 buckets.";
    type Input = ReachDigestInput;
    type Output = ReachDigest;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut kinds = BTreeMap::new();
        for kind in registry::record_kinds().filter(|kind| scope.actor.may(kind.read_permission)) {
            let summary = digest::id_digest(scope.tx, kind.table, scope.actor.reach.condition(None)).await?;
            kinds.insert(kind.table.to_owned(), summary);
        }
        Ok(ReachDigest { kinds })
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReadableAmongInput {
    pub table: String,
    /// At most 1000.
    pub row_ids: Vec<Uuid>,
}

/// `sync.readable_among`: which of some records the reader may read now.
pub struct ReadableAmong;

impl Operation for ReadableAmong {
    const NAME: &'static str = "sync.readable_among";
    const PERMISSION: Permission = REPLICATE;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Say which of some records one may read now.";
    type Input = ReadableAmongInput;
    type Output = Vec<Uuid>;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        if input.row_ids.len() > READABLE_BATCH {
            return Err(ApiError::field(
                "row_ids",
                accord_kernel::error::FieldCode::TooLong,
                format!("Ask about at most {READABLE_BATCH} records at a time."),
            ));
        }
        let Some(kind) = registry::record_kind(&input.table) else { return Ok(vec![]) };
        readable_among(scope, kind, &input.row_ids).await
    }
}

/// The records of one kind this replica holds, in the buckets given, with nothing waiting to
/// be pushed (a change waiting is the user's, and the server judges it first).
pub(super) async fn held_in_buckets(
    conn: &impl ConnectionTrait,
    state: &super::ReplicaState,
    table: &str,
    buckets: &[u8],
) -> Result<Vec<Uuid>, ApiError> {
    let ids = Query::select().column(Alias::new("id")).from(Alias::new(table.to_owned())).to_owned();
    let pending = kernel_sync::pending_rows(conn, state.device_id, state.pushed_seq).await?;
    let mut held = Vec::new();
    for row in conn.query_all(&ids).await? {
        let id: Uuid = row.try_get("", "id")?;
        if buckets.contains(&digest::bucket_of(id)) && !pending.contains(&id) {
            held.push(id);
        }
    }
    Ok(held)
}

#[derive(Debug, Clone, Deserialize, TS)]
pub(crate) struct ForgetDepartedInput {
    pub table: String,
    /// Records the server says the user may no longer read.
    pub row_ids: Vec<Uuid>,
}

/// Removes records that left the user's reach while nothing of theirs said so (handed to
/// another department), with their entries, unless a change of theirs waits to be pushed.
pub(crate) struct ForgetDeparted;

impl Operation for ForgetDeparted {
    const NAME: &'static str = "sync.forget_departed";
    const PERMISSION: Permission = APPLYING_PULLED;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Remove records the user may no longer read from the replica.";
    type Input = ForgetDepartedInput;
    type Output = u32;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let Some(kind) = registry::record_kind(&input.table) else { return Ok(0) };
        let state = state_in(scope.tx).await?.ok_or_else(not_a_replica)?;
        let pending = kernel_sync::pending_rows(scope.tx, state.device_id, state.pushed_seq).await?;
        let departed: Vec<Uuid> = input.row_ids.into_iter().filter(|id| !pending.contains(id)).collect();
        let mut forgotten = 0;
        for chunk in departed.chunks(FORGET_BATCH) {
            forgotten += forget_all(scope, kind.table, chunk).await?;
        }
        Ok(forgotten)
    }
}

/// Notes the records of `new` (entries just stored on the replica) whose earlier history it
/// may lack: changed without their creating entry here, or handed to another owner.
pub(super) async fn note_incomplete(scope: &Scope<'_>, new: &[SyncEntry]) -> Result<(), ApiError> {
    let mut incomplete: BTreeSet<(&str, Uuid)> = BTreeSet::new();
    let mut touched: BTreeMap<&str, BTreeSet<Uuid>> = BTreeMap::new();
    for entry in new {
        touched.entry(entry.table.as_str()).or_default().insert(entry.row_id);
        if entry.action == ChangeAction::Update && changes_owner(entry)? {
            incomplete.insert((entry.table.as_str(), entry.row_id));
        }
    }
    for (table, rows) in touched {
        let rows: Vec<Uuid> = rows.into_iter().collect();
        let created = kernel_sync::created_here(scope.tx, table, &rows).await?;
        incomplete.extend(rows.into_iter().filter(|id| !created.contains(id)).map(|id| (table, id)));
    }
    note_records(scope, "sync_incomplete", incomplete).await
}

fn changes_owner(entry: &SyncEntry) -> Result<bool, ApiError> {
    // Read only the few entries that name an ownership field at all.
    if !merge::OWNERSHIP_FIELDS.iter().any(|field| entry.changes.contains(&format!("\"{field}\""))) {
        return Ok(false);
    }
    let fields = entry.to_merge_entry()?.fields;
    Ok(merge::OWNERSHIP_FIELDS.iter().any(|field| fields.contains_key(*field)))
}

/// Up to [`HISTORY_BATCH`] records of one kind whose history the replica is to fetch.
pub(super) async fn next_incomplete(conn: &impl ConnectionTrait) -> Result<Option<(String, Vec<Uuid>)>, ApiError> {
    let first = Query::select()
        .column(Alias::new("table_name"))
        .from(Alias::new("sync_incomplete"))
        .order_by(Alias::new("table_name"), Order::Asc)
        .limit(1)
        .to_owned();
    let Some(row) = conn.query_one(&first).await? else { return Ok(None) };
    let table: String = row.try_get("", "table_name")?;
    let rows = Query::select()
        .column(Alias::new("row_id"))
        .from(Alias::new("sync_incomplete"))
        .and_where(Expr::col(Alias::new("table_name")).eq(table.as_str()))
        .order_by(Alias::new("row_id"), Order::Asc)
        .limit(HISTORY_BATCH as u64)
        .to_owned();
    let mut ids = Vec::new();
    for row in conn.query_all(&rows).await? {
        ids.push(row.try_get::<Uuid>("", "row_id")?);
    }
    Ok(Some((table, ids)))
}

#[derive(Debug, Clone, Deserialize, TS)]
pub(crate) struct ApplyHistoryInput {
    pub server_id: String,
    pub table: String,
    /// The records asked for: no longer incomplete, whatever the server sent.
    pub row_ids: Vec<Uuid>,
    pub entries: Vec<SyncEntry>,
}

/// Stores the whole history of records the replica lacked, notes them for the merge, and
/// crosses them off `sync_incomplete` — in one transaction.
pub(crate) struct ApplyHistory;

impl Operation for ApplyHistory {
    const NAME: &'static str = "sync.apply_history";
    const PERMISSION: Permission = APPLYING_PULLED;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Store the whole history of records that came into the user's reach.";
    type Input = ApplyHistoryInput;
    type Output = u32;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let state = state_in(scope.tx).await?.ok_or_else(not_a_replica)?;
        if state.server_id != input.server_id {
            return Err(another_server(&state));
        }
        if let Some(stray) = input.entries.iter().find(|e| e.table != input.table || !input.row_ids.contains(&e.row_id))
        {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "The server sent a change of {} {} that was not asked for; nothing was stored.",
                    stray.table, stray.row_id
                ),
            ));
        }
        check_received(scope, &input.entries)?;
        let new = kernel_sync::not_held(scope, &input.entries).await?;
        kernel_sync::insert_entries(scope, &new).await?;
        note_unmerged(scope, &new).await?;
        for chunk in input.row_ids.chunks(500) {
            let done = Query::delete()
                .from_table(Alias::new("sync_incomplete"))
                .and_where(Expr::col(Alias::new("table_name")).eq(input.table.as_str()))
                .and_where(Expr::col(Alias::new("row_id")).is_in(chunk.iter().copied()))
                .to_owned();
            scope.tx.execute(&done).await?;
        }
        Ok(new.len() as u32)
    }
}

/// Removes from the replica the records `user` may no longer read (of a kind they lost the
/// permission for, or outside their reach), with their entries, so that one coming back is
/// fetched whole. A record with changes still to push stays until they are pushed; one a kept
/// record refers to stays (a visible contact of a hidden organisation). Returns how many went.
pub(super) async fn forget_unreachable(scope: &Scope<'_>, user: &Actor) -> Result<u32, ApiError> {
    let state = state_in(scope.tx).await?.ok_or_else(not_a_replica)?;
    let mut forgotten = 0;
    for kind in registry::record_kinds().collect::<Vec<_>>().into_iter().rev() {
        let mut unreachable = Query::select();
        unreachable.column(Alias::new("id")).from(Alias::new(kind.table));
        if user.may(kind.read_permission) {
            let Some(outside) = user.reach.outside_condition() else { continue };
            unreachable.cond_where(outside);
        }
        let pending = Query::select()
            .column(Alias::new("row_id"))
            .from(Alias::new("change_log"))
            .and_where(Expr::col(Alias::new("device_id")).eq(state.device_id))
            .and_where(Expr::col(Alias::new("seq")).gt(state.pushed_seq))
            .to_owned();
        unreachable
            .and_where(Expr::col(Alias::new("id")).not_in_subquery(pending))
            .order_by(Alias::new("id"), Order::Asc);
        let mut ids = Vec::new();
        for row in scope.tx.query_all(&unreachable).await? {
            ids.push(row.try_get::<Uuid>("", "id")?);
        }
        for chunk in ids.chunks(FORGET_BATCH) {
            forgotten += forget_all(scope, kind.table, chunk).await?;
        }
    }
    Ok(forgotten)
}

/// Records removed per statement batch.
const FORGET_BATCH: usize = 500;

/// Forgets `ids` at once, or one by one when something kept refers to one of them.
async fn forget_all(scope: &Scope<'_>, table: &str, ids: &[Uuid]) -> Result<u32, ApiError> {
    let all = Savepoint::set(scope).await?;
    match forget_each(scope, table, ids).await {
        Ok(()) => {
            all.release().await?;
            return Ok(ids.len() as u32);
        }
        Err(_) => all.roll_back().await?,
    }
    let mut forgotten = 0;
    for id in ids {
        let one = Savepoint::set(scope).await?;
        match forget_each(scope, table, std::slice::from_ref(id)).await {
            Ok(()) => {
                one.release().await?;
                forgotten += 1;
            }
            Err(_) => one.roll_back().await?,
        }
    }
    Ok(forgotten)
}

async fn forget_each(scope: &Scope<'_>, table: &str, ids: &[Uuid]) -> Result<(), ApiError> {
    for id in ids {
        kernel_sync::forget_record(scope, table, *id).await?;
    }
    let entries = Query::delete()
        .from_table(Alias::new("change_log"))
        .and_where(Expr::col(Alias::new("table_name")).eq(table))
        .and_where(Expr::col(Alias::new("row_id")).is_in(ids.iter().copied()))
        .to_owned();
    scope.tx.execute(&entries).await?;
    Ok(())
}
