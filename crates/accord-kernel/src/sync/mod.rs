//! Sync over the change log (ADR 0014): what travels between a laptop's replica and its
//! server, how a database's log is read in commit order, how received entries are stored
//! once, and how a record is rebuilt from its entries by [`merge`].
//!
//! Every domain syncs by being a registered [`crate::records::Record`]: its entries travel
//! as they are, and [`apply_merged`] writes the merged record through the kind's own model.

pub mod digest;
pub mod merge;

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, IdenStatic, Iterable, QueryFilter, QueryTrait};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::changelog::{ChangeAction, FieldChange};
use crate::error::{ApiError, ErrorCode};
use crate::operation::Scope;
use crate::records::Record;
use merge::{EntryId, MergeEntry, Merged};

/// A change-log entry as it travels between a replica and its server: everything the entry
/// holds but the sequence number, which is each database's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SyncEntry {
    /// The hybrid-logical-clock stamp (a decimal string in JSON would lose nothing; it is
    /// never shown to a person).
    #[ts(type = "number")]
    pub hlc: i64,
    pub device_id: Uuid,
    pub actor_id: Uuid,
    pub operation: String,
    pub table: String,
    pub row_id: Uuid,
    pub action: ChangeAction,
    /// Field → `{ old, new }`, as JSON text exactly as the log stores it.
    pub changes: String,
}

impl SyncEntry {
    pub fn id(&self) -> EntryId {
        EntryId { hlc: self.hlc, device_id: self.device_id }
    }

    /// The entry as the merge reads it; an entry whose changes are not a field map is refused
    /// (a corrupted batch), never half-applied.
    pub fn to_merge_entry(&self) -> Result<MergeEntry, ApiError> {
        let fields: BTreeMap<String, FieldChange> = serde_json::from_str(&self.changes).map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "A change to {} {} cannot be read ({e}); the batch was damaged on the way. Nothing of it was applied; sync again.",
                    self.table, self.row_id
                ),
            )
        })?;
        // An entry never carries a record's identity or bookkeeping (the log's own columns do):
        // one that does would let a batch overwrite another record.
        if let Some(field) = fields.keys().find(|f| crate::changelog::BOOKKEEPING.contains(&f.as_str())) {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "A change to {} {} sets \"{field}\", which no change sets; the batch was damaged or forged. Nothing of it was applied.",
                    self.table, self.row_id
                ),
            ));
        }
        Ok(MergeEntry {
            id: self.id(),
            actor_id: self.actor_id,
            operation: self.operation.clone(),
            action: self.action,
            fields,
        })
    }
}

/// Where a reader of a database's change log stopped, in the order entries *committed*.
///
/// On PostgreSQL an entry's `commit` is its transaction id (`xid8`), and a read returns only
/// entries of transactions older than every transaction still running that may write to this
/// database ([`COMMIT_HORIZON`]): those have all ended, so no entry can later appear below
/// the cursor. On SQLite one writer commits at a time, so the sequence number is already the
/// commit order and `commit` is `seq`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct Cursor {
    #[ts(type = "number")]
    pub commit: i64,
    #[ts(type = "number")]
    pub seq: i64,
}

/// One page of a change log read after a cursor.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChangesPage {
    pub entries: Vec<SyncEntry>,
    /// Where the next read starts: past the last entry read.
    pub next: Cursor,
    /// No committed entry follows `next` yet.
    pub complete: bool,
}

/// Which entries a read ships: of which kinds, and of which of their rows.
pub struct ReadFilter {
    /// `(table, rows the reader may see)`; `None` for the rows: every row of the table.
    pub tables: Vec<(&'static str, Option<sea_orm::Condition>)>,
    /// Ask a team server's own function for the commit horizon (a user's own role).
    pub horizon_from_server: bool,
}

/// On PostgreSQL, the transaction id below which every transaction that may write to this
/// database has ended: the oldest transaction still running, leaving out those proven to run
/// in other databases of the server (their ids are shared, their writes are not ours); the
/// next id when none runs. Entries of transactions below it are all visible now or never.
pub const COMMIT_HORIZON: &str = "SELECT CAST(CAST(COALESCE( \
    (SELECT min(running) FROM pg_snapshot_xip(pg_current_snapshot()) AS running \
      WHERE CAST(CAST(running AS text) AS bigint) % 4294967296 NOT IN ( \
        SELECT CAST(CAST(backend_xid AS text) AS bigint) FROM pg_stat_activity \
         WHERE datname IS DISTINCT FROM current_database() AND backend_xid IS NOT NULL)), \
    pg_snapshot_xmax(pg_current_snapshot())) AS text) AS bigint) AS horizon";

/// The commit horizon; through the server's `accord.commit_horizon()` on a user's own role of
/// a team server, which may not read other sessions (ADR 0013).
async fn commit_horizon(conn: &impl ConnectionTrait, from_server: bool) -> Result<i64, ApiError> {
    let sql = if from_server { "SELECT accord.commit_horizon() AS horizon" } else { COMMIT_HORIZON };
    let row = conn.query_one_raw(sea_orm::Statement::from_string(DbBackend::Postgres, sql)).await?;
    row.map(|r| r.try_get::<i64>("", "horizon"))
        .transpose()?
        .ok_or_else(|| ApiError::internal("the server did not say which transactions have ended"))
}

/// Reads up to `limit` entries after `after`, in commit order.
pub async fn read_after(
    conn: &impl ConnectionTrait,
    after: Cursor,
    limit: u64,
    filter: &ReadFilter,
) -> Result<ChangesPage, ApiError> {
    let postgres = conn.get_database_backend() == DbBackend::Postgres;
    let commit: SimpleExpr =
        if postgres { Expr::cust("CAST(CAST(tx_id AS text) AS bigint)") } else { Expr::col(Alias::new("seq")) };
    let mut query = Query::select();
    query
        .from(Alias::new("change_log"))
        .columns(
            ["seq", "hlc", "device_id", "actor_id", "operation", "table_name", "row_id", "action", "changes"]
                .map(Alias::new),
        )
        .expr_as(commit, Alias::new("commit_order"))
        .limit(limit + 1);
    if postgres {
        let horizon = commit_horizon(conn, filter.horizon_from_server).await?;
        query
            .and_where(Expr::cust_with_values(
                "(tx_id, seq) > (CAST(CAST($1 AS text) AS xid8), $2)",
                [after.commit, after.seq],
            ))
            .and_where(Expr::cust_with_values("tx_id < CAST(CAST($1 AS text) AS xid8)", [horizon]))
            .order_by(Alias::new("tx_id"), Order::Asc)
            .order_by(Alias::new("seq"), Order::Asc);
    } else {
        query.and_where(Expr::col(Alias::new("seq")).gt(after.seq)).order_by(Alias::new("seq"), Order::Asc);
    }
    let mut kinds = sea_orm::Condition::any();
    for (table, rows) in &filter.tables {
        let mut kind = sea_orm::Condition::all().add(Expr::col(Alias::new("table_name")).eq(*table));
        if let Some(rows) = rows {
            let visible =
                Query::select().column(Alias::new("id")).from(Alias::new(*table)).cond_where(rows.clone()).to_owned();
            kind = kind.add(Expr::col(Alias::new("row_id")).in_subquery(visible));
        }
        kinds = kinds.add(kind);
    }
    query.cond_where(kinds);
    let rows = conn.query_all(&query).await?;
    let complete = rows.len() as u64 <= limit;
    let mut next = after;
    let mut entries = Vec::with_capacity(rows.len().min(limit as usize));
    for row in rows.iter().take(limit as usize) {
        entries.push(entry_of_row(row)?);
        next = Cursor { commit: row.try_get("", "commit_order")?, seq: row.try_get("", "seq")? };
    }
    Ok(ChangesPage { entries, next, complete })
}

/// The entries of `entries` this database does not hold yet, each once, in the order given.
/// An entry it holds already — a batch delivered twice, replayed days later — is left out, so
/// applying a batch twice changes nothing.
pub async fn not_held(scope: &Scope<'_>, entries: &[SyncEntry]) -> Result<Vec<SyncEntry>, ApiError> {
    let mut new = Vec::new();
    let mut seen = BTreeSet::new();
    // 1 parameter per stamp looked up, 8 per entry inserted: below SQLite's 32,766.
    for chunk in entries.chunks(2000) {
        let held = held_already(scope, chunk).await?;
        new.extend(chunk.iter().filter(|e| !held.contains(&e.id()) && seen.insert(e.id())).cloned());
    }
    Ok(new)
}

/// Refuses entries that have the identity of an entry held here but other content: a
/// laptop restored from an older backup stamps new changes with stamps it had used already,
/// and they would otherwise be dropped as "held" and lost.
pub async fn ensure_held_unchanged(scope: &Scope<'_>, entries: &[SyncEntry]) -> Result<(), ApiError> {
    let mut by_device: BTreeMap<Uuid, Vec<&SyncEntry>> = BTreeMap::new();
    for entry in entries {
        by_device.entry(entry.device_id).or_default().push(entry);
    }
    for (device, sent) in by_device {
        for chunk in sent.chunks(500) {
            let query = Query::select()
                .columns(
                    ["hlc", "device_id", "actor_id", "operation", "table_name", "row_id", "action", "changes"]
                        .map(Alias::new),
                )
                .from(Alias::new("change_log"))
                .and_where(Expr::col(Alias::new("device_id")).eq(device))
                .and_where(Expr::col(Alias::new("hlc")).is_in(chunk.iter().map(|e| e.hlc)))
                .to_owned();
            let held: BTreeMap<i64, SyncEntry> = scope
                .tx
                .query_all(&query)
                .await?
                .iter()
                .map(|row| entry_of_row(row).map(|e| (e.hlc, e)))
                .collect::<Result<_, _>>()?;
            if let Some(other) = chunk.iter().find(|e| held.get(&e.hlc).is_some_and(|h| !same_change(h, e))) {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!(
                        "A change to {} {} carries the stamp of another change this server holds from the same device: \
                         the laptop's copy was probably restored from an older backup. Nothing was applied. \
                         Make a new copy on this laptop; changes made since the backup must be entered again.",
                        other.table, other.row_id
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The same change, whatever the JSON text's spacing or key order.
fn same_change(held: &SyncEntry, sent: &SyncEntry) -> bool {
    let fields = |e: &SyncEntry| serde_json::from_str::<Value>(&e.changes).ok();
    (held.actor_id, &held.table, held.row_id, held.action) == (sent.actor_id, &sent.table, sent.row_id, sent.action)
        && fields(held) == fields(sent)
}

/// Appends received entries to the log as they are: their stamps, devices and actors.
pub async fn insert_entries(scope: &Scope<'_>, entries: &[SyncEntry]) -> Result<(), ApiError> {
    for chunk in entries.chunks(2000) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("change_log"))
            .columns(
                ["hlc", "device_id", "actor_id", "operation", "table_name", "row_id", "action", "changes"]
                    .map(Alias::new),
            )
            // A concurrent pusher of the same entries (the window and a script) is no error.
            .on_conflict(OnConflict::columns([Alias::new("device_id"), Alias::new("hlc")]).do_nothing().to_owned());
        for entry in chunk {
            insert.values_panic([
                entry.hlc.into(),
                entry.device_id.into(),
                entry.actor_id.into(),
                entry.operation.clone().into(),
                entry.table.clone().into(),
                entry.row_id.into(),
                entry.action.as_str().into(),
                entry.changes.clone().into(),
            ]);
        }
        scope.tx.execute(&insert).await?;
    }
    Ok(())
}

/// Which of `entries` this database holds already.
async fn held_already(scope: &Scope<'_>, entries: &[SyncEntry]) -> Result<BTreeSet<EntryId>, ApiError> {
    let ids: Vec<EntryId> = entries.iter().map(SyncEntry::id).collect();
    held_ids(scope, &ids, None).await
}

/// Which of the entries `ids` name this database holds — of those `actor` made, when given.
pub async fn held_ids(scope: &Scope<'_>, ids: &[EntryId], actor: Option<Uuid>) -> Result<BTreeSet<EntryId>, ApiError> {
    // By device, then stamps: the unique index (device_id, hlc) answers each group.
    let mut by_device: BTreeMap<Uuid, Vec<i64>> = BTreeMap::new();
    for id in ids {
        by_device.entry(id.device_id).or_default().push(id.hlc);
    }
    let groups: Vec<(Uuid, Vec<i64>)> = by_device.into_iter().collect();
    let mut held = BTreeSet::new();
    // A few hundred devices per query: SQLite nests each OR one level deeper (at most 1,000).
    for devices in groups.chunks(200) {
        let mut any = sea_orm::Condition::any();
        for (device, stamps) in devices {
            any = any.add(
                sea_orm::Condition::all()
                    .add(Expr::col(Alias::new("device_id")).eq(*device))
                    .add(Expr::col(Alias::new("hlc")).is_in(stamps.iter().copied())),
            );
        }
        let mut query = Query::select()
            .columns([Alias::new("device_id"), Alias::new("hlc")])
            .from(Alias::new("change_log"))
            .cond_where(any)
            .to_owned();
        if let Some(actor) = actor {
            query.and_where(Expr::col(Alias::new("actor_id")).eq(actor));
        }
        for row in scope.tx.query_all(&query).await? {
            held.insert(EntryId { hlc: row.try_get("", "hlc")?, device_id: row.try_get("", "device_id")? });
        }
    }
    Ok(held)
}

/// This device's own entries after local sequence number `after_seq`, oldest first, with
/// their sequence numbers: what a replica has yet to push.
pub async fn own_entries_after(
    conn: &impl ConnectionTrait,
    device_id: Uuid,
    after_seq: i64,
    limit: u64,
) -> Result<Vec<(i64, SyncEntry)>, ApiError> {
    let query = Query::select()
        .columns(
            ["seq", "hlc", "device_id", "actor_id", "operation", "table_name", "row_id", "action", "changes"]
                .map(Alias::new),
        )
        .from(Alias::new("change_log"))
        .and_where(Expr::col(Alias::new("device_id")).eq(device_id))
        .and_where(Expr::col(Alias::new("seq")).gt(after_seq))
        .order_by(Alias::new("seq"), Order::Asc)
        .limit(limit)
        .to_owned();
    let mut entries = Vec::new();
    for row in conn.query_all(&query).await? {
        entries.push((row.try_get("", "seq")?, entry_of_row(&row)?));
    }
    Ok(entries)
}

/// Counts this device's entries after `after_seq`: the changes waiting to be pushed.
pub async fn count_own_after(conn: &impl ConnectionTrait, device_id: Uuid, after_seq: i64) -> Result<i64, ApiError> {
    let query = Query::select()
        .expr_as(Expr::col(Alias::new("seq")).count(), Alias::new("n"))
        .from(Alias::new("change_log"))
        .and_where(Expr::col(Alias::new("device_id")).eq(device_id))
        .and_where(Expr::col(Alias::new("seq")).gt(after_seq))
        .to_owned();
    let row = conn.query_one(&query).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

/// This device's newest entry at or before local sequence number `seq`: the last one its
/// server stored, when `seq` is how far it pushed.
pub async fn own_entry_at(conn: &impl ConnectionTrait, device_id: Uuid, seq: i64) -> Result<Option<EntryId>, ApiError> {
    let query = Query::select()
        .column(Alias::new("hlc"))
        .from(Alias::new("change_log"))
        .and_where(Expr::col(Alias::new("device_id")).eq(device_id))
        .and_where(Expr::col(Alias::new("seq")).lte(seq))
        .order_by(Alias::new("seq"), Order::Desc)
        .limit(1)
        .to_owned();
    let row = conn.query_one(&query).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "hlc")).transpose()?.map(|hlc| EntryId { hlc, device_id }))
}

/// Whether a reader's cursor lies beyond anything this database's log can have committed: the
/// database was replaced by another copy (a restore into a new cluster, whose transaction ids
/// start lower), and reading on from the cursor would skip what is written from now on.
pub async fn cursor_beyond_log(
    conn: &impl ConnectionTrait,
    cursor: Cursor,
    from_server: bool,
) -> Result<bool, ApiError> {
    if cursor == Cursor::default() {
        return Ok(false);
    }
    if conn.get_database_backend() == DbBackend::Postgres {
        return Ok(cursor.commit >= commit_horizon(conn, from_server).await?);
    }
    let newest = Query::select()
        .expr_as(Expr::col(Alias::new("seq")).max(), Alias::new("n"))
        .from(Alias::new("change_log"))
        .to_owned();
    let newest: Option<i64> = conn.query_one(&newest).await?.map(|r| r.try_get("", "n")).transpose()?.flatten();
    Ok(cursor.seq > newest.unwrap_or(0))
}

/// The records this device has changes of after `after_seq`: what it has not pushed yet.
pub async fn pending_rows(
    conn: &impl ConnectionTrait,
    device_id: Uuid,
    after_seq: i64,
) -> Result<BTreeSet<Uuid>, ApiError> {
    let query = Query::select()
        .distinct()
        .column(Alias::new("row_id"))
        .from(Alias::new("change_log"))
        .and_where(Expr::col(Alias::new("device_id")).eq(device_id))
        .and_where(Expr::col(Alias::new("seq")).gt(after_seq))
        .to_owned();
    let mut rows = BTreeSet::new();
    for row in conn.query_all(&query).await? {
        rows.insert(row.try_get::<Uuid>("", "row_id")?);
    }
    Ok(rows)
}

/// A change of this device its server refused, and why.
pub struct Refusal<'r> {
    pub table: &'r str,
    pub row_id: Uuid,
    pub hlc: i64,
    pub code: &'r str,
    pub reason: &'r str,
}

/// Moves this device's refused entries out of the change log into `sync_rejected`, whole and
/// with the server's reason: the replica's records are then merged again without them, so
/// they agree with the server's, and a person still sees every refused change. Returns the
/// entries moved, by record (an entry moved before is not found again).
pub async fn set_aside(
    scope: &Scope<'_>,
    device_id: Uuid,
    refusals: &[Refusal<'_>],
) -> Result<BTreeMap<(String, Uuid), Vec<MergeEntry>>, ApiError> {
    const COLUMNS: [&str; 8] =
        ["hlc", "device_id", "actor_id", "operation", "table_name", "row_id", "action", "changes"];
    let mut moved: BTreeMap<(String, Uuid), Vec<MergeEntry>> = BTreeMap::new();
    for refusal in refusals {
        let this = || {
            sea_orm::Condition::all()
                .add(Expr::col(Alias::new("device_id")).eq(device_id))
                .add(Expr::col(Alias::new("hlc")).eq(refusal.hlc))
                .add(Expr::col(Alias::new("table_name")).eq(refusal.table))
                .add(Expr::col(Alias::new("row_id")).eq(refusal.row_id))
        };
        let find = Query::select()
            .columns(COLUMNS.map(Alias::new))
            .from(Alias::new("change_log"))
            .cond_where(this())
            .to_owned();
        let Some(row) = scope.tx.query_one(&find).await? else { continue };
        let entry = entry_of_row(&row)?;
        let keep = Query::insert()
            .into_table(Alias::new("sync_rejected"))
            .columns(COLUMNS.into_iter().chain(["code", "reason", "rejected_at"]).map(Alias::new))
            .values_panic([
                entry.hlc.into(),
                entry.device_id.into(),
                entry.actor_id.into(),
                entry.operation.clone().into(),
                entry.table.clone().into(),
                entry.row_id.into(),
                entry.action.as_str().into(),
                entry.changes.clone().into(),
                refusal.code.into(),
                refusal.reason.into(),
                scope.now.into(),
            ])
            .on_conflict(OnConflict::columns([Alias::new("device_id"), Alias::new("hlc")]).do_nothing().to_owned())
            .to_owned();
        scope.tx.execute(&keep).await?;
        scope.tx.execute(&Query::delete().from_table(Alias::new("change_log")).cond_where(this()).to_owned()).await?;
        let of_record = moved.entry((entry.table.clone(), entry.row_id)).or_default();
        // A damaged entry never counted in a merge: there is nothing of it to take back.
        if let Ok(readable) = entry.to_merge_entry() {
            of_record.push(readable);
        }
    }
    Ok(moved)
}

/// Removes a record no entry of this database makes any more (created here, refused by the
/// server) with its search document and conflicts.
pub async fn forget_record(scope: &Scope<'_>, table: &str, row_id: Uuid) -> Result<(), ApiError> {
    let by_row = |table: &str, column: &str| {
        let mut delete = Query::delete();
        delete.from_table(Alias::new(table.to_owned())).and_where(Expr::col(Alias::new(column)).eq(row_id));
        delete
    };
    let mut conflicts = by_row("sync_conflicts", "row_id");
    conflicts.and_where(Expr::col(Alias::new("table_name")).eq(table));
    scope.tx.execute(&conflicts).await?;
    scope.tx.execute(&by_row("search_documents", "row_id")).await?;
    scope.tx.execute(&by_row(table, "id")).await?;
    Ok(())
}

fn entry_of_row(row: &sea_orm::QueryResult) -> Result<SyncEntry, ApiError> {
    let action: String = row.try_get("", "action")?;
    Ok(SyncEntry {
        hlc: row.try_get("", "hlc")?,
        device_id: row.try_get("", "device_id")?,
        actor_id: row.try_get("", "actor_id")?,
        operation: row.try_get("", "operation")?,
        table: row.try_get("", "table_name")?,
        row_id: row.try_get("", "row_id")?,
        action: ChangeAction::parse(&action)
            .ok_or_else(|| ApiError::internal(format!("unknown change-log action {action:?}")))?,
        changes: row.try_get("", "changes")?,
    })
}

/// Locks the records a merge is about to rewrite (PostgreSQL; SQLite's writer holds the
/// whole database): a push and an online change of one record then take turns, and the merge
/// reads the entries the other committed, instead of overwriting its record with a merge
/// that lacks them. In id order, so two merges never wait for each other in a circle.
pub async fn lock_records(scope: &Scope<'_>, table: &str, row_ids: &[Uuid]) -> Result<(), ApiError> {
    if scope.tx.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for chunk in row_ids.chunks(500) {
        let lock = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(table.to_owned()))
            .and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().copied()))
            .order_by(Alias::new("id"), Order::Asc)
            .lock(sea_orm::sea_query::LockType::Update)
            .to_owned();
        scope.tx.query_all(&lock).await?;
    }
    Ok(())
}

/// Every entry this database holds of each of `row_ids` (one kind), by record.
pub async fn entries_of_many(
    conn: &impl ConnectionTrait,
    table: &str,
    row_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<MergeEntry>>, ApiError> {
    let mut by_row: BTreeMap<Uuid, Vec<MergeEntry>> = BTreeMap::new();
    for entry in entries_of_rows(conn, table, row_ids).await? {
        by_row.entry(entry.row_id).or_default().push(entry.to_merge_entry()?);
    }
    Ok(by_row)
}

/// Every entry this database holds of `row_ids` (one kind), as they travel, oldest first.
pub async fn entries_of_rows(
    conn: &impl ConnectionTrait,
    table: &str,
    row_ids: &[Uuid],
) -> Result<Vec<SyncEntry>, ApiError> {
    let mut entries = Vec::new();
    for chunk in row_ids.chunks(500) {
        let query = Query::select()
            .columns(
                ["hlc", "device_id", "actor_id", "operation", "table_name", "row_id", "action", "changes"]
                    .map(Alias::new),
            )
            .from(Alias::new("change_log"))
            .and_where(Expr::col(Alias::new("table_name")).eq(table))
            .and_where(Expr::col(Alias::new("row_id")).is_in(chunk.iter().copied()))
            .order_by(Alias::new("seq"), Order::Asc)
            .to_owned();
        for row in conn.query_all(&query).await? {
            entries.push(entry_of_row(&row)?);
        }
    }
    Ok(entries)
}

/// Of `row_ids` (one kind), those this database holds a row of.
pub async fn existing_rows(
    conn: &impl ConnectionTrait,
    table: &str,
    row_ids: &[Uuid],
) -> Result<BTreeSet<Uuid>, ApiError> {
    ids_among(conn, table, "id", row_ids, |_| {}).await
}

/// Of `row_ids` (one kind), those whose creating entry this database holds.
pub async fn created_here(
    conn: &impl ConnectionTrait,
    table: &str,
    row_ids: &[Uuid],
) -> Result<BTreeSet<Uuid>, ApiError> {
    ids_among(conn, "change_log", "row_id", row_ids, |query| {
        query
            .and_where(Expr::col(Alias::new("table_name")).eq(table))
            // A literal, not a parameter: only then do both engines use the partial index
            // `change_log_creations` (its condition must match the query's as written).
            .and_where(Expr::cust("action = 'insert'"));
    })
    .await
}

/// The values of `column` in `from` that are among `ids` (and meet what `narrow` adds), read
/// a few hundred ids per query.
pub(crate) async fn ids_among(
    conn: &impl ConnectionTrait,
    from: &str,
    column: &str,
    ids: &[Uuid],
    narrow: impl Fn(&mut sea_orm::sea_query::SelectStatement),
) -> Result<BTreeSet<Uuid>, ApiError> {
    let mut found = BTreeSet::new();
    for chunk in ids.chunks(500) {
        let mut query = Query::select();
        query
            .column(Alias::new(column.to_owned()))
            .from(Alias::new(from.to_owned()))
            .and_where(Expr::col(Alias::new(column.to_owned())).is_in(chunk.iter().copied()));
        narrow(&mut query);
        for row in conn.query_all(&query).await? {
            found.insert(row.try_get::<Uuid>("", column)?);
        }
    }
    Ok(found)
}

fn stamp_time(hlc: i64) -> chrono::DateTime<chrono::Utc> {
    let ms = crate::clock::HlcTimestamp(hlc).physical_ms();
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Writes records of kind `R` as their entries make them (`merged`: record id → merge), with
/// their sort keys and search documents, and keeps their open conflicts; returns how many
/// were created or changed. A record this database does not hold yet is created, dated by
/// the entry that created it. A changed record's version moves on, so a person editing it
/// meanwhile is told it changed. Written a page at a time: one read of the records, one
/// upsert, one write of the changed search documents and of the conflicts.
pub async fn apply_merged<R: Record>(scope: &Scope<'_>, merged: &BTreeMap<Uuid, Merged>) -> Result<u32, ApiError> {
    let ids: Vec<Uuid> = merged.keys().copied().collect();
    let mut existing = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let found =
            R::Entity::find().filter(Expr::col(Alias::new("id")).is_in(chunk.iter().copied())).all(scope.tx).await?;
        existing.extend(found.into_iter().map(|record| (record.id(), record)));
    }
    let mut changed: Vec<R> = Vec::new();
    let mut documents = Vec::new();
    for (row_id, merged) in merged {
        let before = existing.get(row_id);
        if let Some(record) = merged_record::<R>(*row_id, before, merged)? {
            let document = record.search_document().map(|d| (d, record.ownership()));
            if document != before.and_then(|b| b.search_document().map(|d| (d, b.ownership()))) {
                documents.extend(document);
            }
            changed.push(record);
        }
    }
    for chunk in changed.chunks(500) {
        // Built before the await: the insert itself is not `Send`, its statement is.
        let upsert = R::Entity::insert_many(chunk.iter().cloned().map(sea_orm::IntoActiveModel::into_active_model))
            .on_conflict(
                OnConflict::column(Alias::new("id"))
                    .update_columns(<R::Entity as EntityTrait>::Column::iter().filter(|c| c.as_str() != "id"))
                    .to_owned(),
            )
            .build(scope.tx.get_database_backend());
        scope.tx.execute_raw(upsert).await?;
    }
    crate::search::index(scope, &documents).await?;
    write_conflicts(scope, R::TABLE, merged).await?;
    Ok(changed.len() as u32)
}

/// The record `merged` makes of `before` (or of nothing, for a new one); `None` when that is
/// `before` unchanged.
fn merged_record<R: Record>(row_id: Uuid, before: Option<&R>, merged: &Merged) -> Result<Option<R>, ApiError> {
    let (last_id, last_actor) =
        merged.last.ok_or_else(|| ApiError::internal(format!("a {} to apply has no entries", R::LABEL)))?;
    let mut json = match before {
        Some(record) => crate::records::fields_of(record)?,
        None => {
            let (created_id, created_by) = merged.created.unwrap_or((last_id, last_actor));
            serde_json::json!({
                "id": row_id,
                "version": 0,
                "created_at": stamp_time(created_id.hlc),
                "created_by": created_by,
            })
        }
    };
    let object = json.as_object_mut().ok_or_else(|| ApiError::internal("a record is not a JSON object"))?;
    let unchanged = object.clone();
    for (field, value) in &merged.fields {
        object.insert(field.clone(), value.clone());
    }
    if before.is_some() && *object == unchanged {
        return Ok(None);
    }
    let version = object.get("version").and_then(Value::as_i64).unwrap_or(0);
    object.insert("version".into(), (version + 1).into());
    object.insert("updated_at".into(), serde_json::to_value(stamp_time(last_id.hlc)).unwrap_or_default());
    object.insert("updated_by".into(), last_actor.to_string().into());
    let mut record: R = crate::records::from_fields(json).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "The changes received for {} {row_id} do not make a valid {} ({e}). Nothing was applied; \
                 update Accord on both sides and sync again.",
                R::LABEL,
                R::LABEL
            ),
        )
    })?;
    record.derive();
    if record.id() != row_id {
        return Err(ApiError::internal(format!("a merge of {} {row_id} made another record", R::LABEL)));
    }
    Ok(Some(record))
}

/// Merges a record's entries again and keeps its open conflicts (after a resolution).
pub async fn refresh_conflicts(
    scope: &Scope<'_>,
    table: &str,
    row_id: Uuid,
    important: &[&str],
) -> Result<(), ApiError> {
    let entries = entries_of_many(scope.tx, table, &[row_id]).await?.remove(&row_id).unwrap_or_default();
    let merged = merge::merge(&entries, important);
    write_conflicts(scope, table, &BTreeMap::from([(row_id, merged)])).await
}

/// The columns of a stored conflict, in the order they are written and read.
pub const CONFLICT_COLUMNS: [&str; 11] = [
    "table_name",
    "row_id",
    "field",
    "kept_hlc",
    "kept_device",
    "kept_actor",
    "kept_value",
    "other_hlc",
    "other_device",
    "other_actor",
    "other_value",
];

/// Replaces the records' open conflicts with those of their merges (derived: every replica
/// that holds the same entries holds the same conflicts).
async fn write_conflicts(scope: &Scope<'_>, table: &str, merged: &BTreeMap<Uuid, Merged>) -> Result<(), ApiError> {
    let ids: Vec<Uuid> = merged.keys().copied().collect();
    for chunk in ids.chunks(500) {
        let delete = Query::delete()
            .from_table(Alias::new("sync_conflicts"))
            .and_where(Expr::col(Alias::new("table_name")).eq(table))
            .and_where(Expr::col(Alias::new("row_id")).is_in(chunk.iter().copied()))
            .to_owned();
        scope.tx.execute(&delete).await?;
    }
    let conflicts: Vec<(Uuid, &merge::FieldConflict)> =
        merged.iter().flat_map(|(row_id, m)| m.conflicts.iter().map(move |c| (*row_id, c))).collect();
    for chunk in conflicts.chunks(2000) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("sync_conflicts")).columns(CONFLICT_COLUMNS.map(Alias::new));
        for (row_id, conflict) in chunk {
            insert.values_panic([
                table.into(),
                (*row_id).into(),
                conflict.field.clone().into(),
                conflict.kept.entry.hlc.into(),
                conflict.kept.entry.device_id.into(),
                conflict.kept.actor_id.into(),
                conflict.kept.value.to_string().into(),
                conflict.other.entry.hlc.into(),
                conflict.other.entry.device_id.into(),
                conflict.other.actor_id.into(),
                conflict.other.value.to_string().into(),
            ]);
        }
        scope.tx.execute(&insert).await?;
    }
    Ok(())
}
