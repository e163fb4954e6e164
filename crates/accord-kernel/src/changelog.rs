//! The change log: one entry per changed row, written in the operation's own transaction.
//!
//! An entry holds the changed fields with their old and new values, the hybrid-logical-clock
//! stamp, the device and the actor. (`device_id`, `hlc`) is unique and increases with every
//! entry a device writes, so sync can ship "everything after stamp X" and apply an entry twice
//! without effect ((`device_id`, `hlc`) is the idempotency key). Field history reads from here.

use std::collections::BTreeMap;

use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::{Alias, Expr, Func, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, StatementBuilder};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::data::Database;
use crate::error::ApiError;
use crate::operation::Scope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    Insert,
    Update,
    Archive,
    Restore,
}

impl ChangeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Insert => "insert",
            ChangeAction::Update => "update",
            ChangeAction::Archive => "archive",
            ChangeAction::Restore => "restore",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Insert, Self::Update, Self::Archive, Self::Restore].into_iter().find(|a| a.as_str() == text)
    }
}

/// Old and new value of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldChange {
    #[ts(type = "unknown")]
    pub old: Value,
    #[ts(type = "unknown")]
    pub new: Value,
}

/// A change to one row, before it is stamped and stored.
#[derive(Debug, Clone)]
pub struct RowChange {
    pub table: &'static str,
    pub row_id: Uuid,
    pub action: ChangeAction,
    pub fields: BTreeMap<String, FieldChange>,
}

/// Fields that change on every write and carry no user meaning; the entry's own stamp and
/// actor already record them.
pub const BOOKKEEPING: &[&str] = &["id", "version", "created_at", "updated_at", "created_by", "updated_by"];

impl RowChange {
    /// The fields that differ between two JSON snapshots of a record (`before` is `None` for an insert).
    pub fn between(
        table: &'static str,
        row_id: Uuid,
        action: ChangeAction,
        before: Option<&Value>,
        after: &Value,
    ) -> Self {
        let empty = serde_json::Map::new();
        let old = before.and_then(Value::as_object).unwrap_or(&empty);
        let new = after.as_object().unwrap_or(&empty);
        let mut fields = BTreeMap::new();
        for (name, new_value) in new {
            if BOOKKEEPING.contains(&name.as_str()) {
                continue;
            }
            let old_value = old.get(name).cloned().unwrap_or(Value::Null);
            if &old_value != new_value {
                fields.insert(name.clone(), FieldChange { old: old_value, new: new_value.clone() });
            }
        }
        // A field the record no longer has (a custom value cleared) became null.
        for (name, old_value) in old.iter().filter(|(name, value)| !new.contains_key(*name) && !value.is_null()) {
            fields.insert(name.clone(), FieldChange { old: old_value.clone(), new: Value::Null });
        }
        Self { table, row_id, action, fields }
    }
}

/// Appends `changes` in the scope's transaction, each with its own clock stamp.
pub async fn record(scope: &Scope<'_>, changes: &[RowChange]) -> Result<(), ApiError> {
    scope.note_written(changes);
    // SQLite allows 32,766 bound parameters per statement; 8 per entry.
    for chunk in changes.chunks(3000) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("change_log")).columns(
            ["hlc", "device_id", "actor_id", "operation", "table_name", "row_id", "action", "changes"].map(Alias::new),
        );
        for change in chunk {
            let stamp = scope.stamp().await?;
            let encoded = serde_json::to_string(&change.fields)
                .map_err(|e| ApiError::internal(format!("could not encode a change-log entry: {e}")))?;
            insert.values_panic([
                stamp.0.into(),
                scope.device_id.into(),
                scope.actor.user_id.into(),
                scope.operation.into(),
                change.table.into(),
                change.row_id.into(),
                change.action.as_str().into(),
                encoded.into(),
            ]);
        }
        let statement = StatementBuilder::build(&insert, &scope.tx.get_database_backend());
        scope.tx.execute_raw(statement).await?;
    }
    Ok(())
}

/// Takes the device's stamp lock for the rest of `tx` and returns the newest stamp the device
/// has in the log. On SQLite the writing transaction already holds the database's only write
/// lock; on PostgreSQL a transaction-scoped advisory lock keyed by the device serialises the
/// device's writers (the window and the CLI of one installation), so two of them can never
/// issue the same (device, stamp).
pub(crate) async fn claim_device_stamps(tx: &DatabaseTransaction, device_id: Uuid) -> Result<Option<i64>, ApiError> {
    let backend = tx.get_database_backend();
    if backend == DbBackend::Postgres {
        let lock = Statement::from_sql_and_values(
            backend,
            "SELECT pg_advisory_xact_lock($1)",
            [device_lock_key(device_id).into()],
        );
        tx.execute_raw(lock).await?;
    }
    newest_stamp(tx, device_id).await
}

/// The advisory-lock key of a device: its id folded to 64 bits (a shared key between two
/// devices would only make them wait for each other, never clash).
fn device_lock_key(device_id: Uuid) -> i64 {
    let (high, low) = device_id.as_u64_pair();
    (high ^ low) as i64
}

async fn newest_stamp(conn: &impl ConnectionTrait, device_id: Uuid) -> Result<Option<i64>, ApiError> {
    let query = Query::select()
        .expr_as(Func::max(Expr::col(Alias::new("hlc"))), Alias::new("last"))
        .from(Alias::new("change_log"))
        .and_where(Expr::col(Alias::new("device_id")).eq(device_id))
        .to_owned();
    let row = conn.query_one(&query).await?;
    Ok(row.map(|r| r.try_get::<Option<i64>>("", "last")).transpose()?.flatten())
}

/// The newest stamp among these records' entries, whichever device wrote them.
pub async fn newest_stamp_of_records(
    conn: &impl ConnectionTrait,
    table: &str,
    row_ids: &[Uuid],
) -> Result<Option<i64>, ApiError> {
    if row_ids.is_empty() {
        return Ok(None);
    }
    let query = Query::select()
        .expr_as(Func::max(Expr::col(Alias::new("hlc"))), Alias::new("last"))
        .from(Alias::new("change_log"))
        .and_where(Expr::col(Alias::new("table_name")).eq(table))
        .and_where(Expr::col(Alias::new("row_id")).is_in(row_ids.iter().copied()))
        .to_owned();
    let row = conn.query_one(&query).await?;
    Ok(row.map(|r| r.try_get::<Option<i64>>("", "last")).transpose()?.flatten())
}

/// The newest stamp `device_id` wrote, so its clock resumes after it.
pub async fn last_stamp_of_device(db: &Database, device_id: Uuid) -> Result<Option<i64>, ApiError> {
    newest_stamp(&db.conn, device_id).await
}

/// Change-log entries stamped from `from` (inclusive) to `to` (exclusive), counted per person
/// and operation, with the newest one's stamp; only `actor`'s when given.
pub async fn changes_by_actor(
    scope: &Scope<'_>,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
    actor: Option<Uuid>,
) -> Result<Vec<crate::activity::Counted<i64>>, ApiError> {
    use crate::clock::HlcTimestamp;
    let bounds = (
        HlcTimestamp::first_of_ms(from.timestamp_millis()).0.into(),
        HlcTimestamp::first_of_ms(to.timestamp_millis()).0.into(),
    );
    crate::activity::count_by_actor(scope, "change_log", "hlc", bounds, actor).await
}

/// One change a person made: which record, when, by which operation, and which fields — the
/// values are in the record's history.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChangeByActor {
    /// Pass as `before_seq` to read on from here.
    pub seq: i64,
    /// When it happened (the entry's clock stamp, UTC).
    pub at: chrono::DateTime<chrono::Utc>,
    pub operation: String,
    pub table: String,
    pub row_id: Uuid,
    /// The record's title as search shows it now (absent for a kind that is not searched).
    pub title: Option<String>,
    pub action: ChangeAction,
    pub fields: Vec<String>,
}

/// `actor`'s change-log entries older than `before_seq`, newest first, at most `limit`, of the
/// records within the reader's reach (told by their search documents' owner and department).
pub async fn entries_of_actor(
    scope: &Scope<'_>,
    actor: Uuid,
    before_seq: Option<i64>,
    limit: u64,
) -> Result<Vec<ChangeByActor>, ApiError> {
    use sea_orm::sea_query::Order;
    let column = |name: &str| (Alias::new("c"), Alias::new(name));
    let mut query = Query::select()
        .columns(["seq", "hlc", "operation", "table_name", "row_id", "action", "changes"].map(column))
        .column((Alias::new("d"), Alias::new("title")))
        .from_as(Alias::new("change_log"), Alias::new("c"))
        .join_as(
            sea_orm::JoinType::LeftJoin,
            Alias::new("search_documents"),
            Alias::new("d"),
            Expr::col((Alias::new("d"), Alias::new("row_id"))).equals(column("row_id")),
        )
        .and_where(Expr::col(column("actor_id")).eq(actor))
        .order_by(column("seq"), Order::Desc)
        .limit(limit)
        .to_owned();
    if let Some(before) = before_seq {
        query.and_where(Expr::col(column("seq")).lt(before));
    }
    if let Some(visible) = scope.actor.reach.condition(Some("d")) {
        query.cond_where(visible);
    }
    let mut entries = Vec::new();
    for row in scope.tx.query_all(&query).await? {
        let hlc = crate::clock::HlcTimestamp(row.try_get("", "hlc")?);
        let action: String = row.try_get("", "action")?;
        let changes: String = row.try_get("", "changes")?;
        let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&changes)
            .map_err(|e| ApiError::internal(format!("a change-log entry is unreadable: {e}")))?;
        entries.push(ChangeByActor {
            seq: row.try_get("", "seq")?,
            at: chrono::DateTime::from_timestamp_millis(hlc.physical_ms()).unwrap_or_default(),
            operation: row.try_get("", "operation")?,
            table: row.try_get("", "table_name")?,
            row_id: row.try_get("", "row_id")?,
            title: row.try_get("", "title")?,
            action: ChangeAction::parse(&action).ok_or_else(|| ApiError::internal("unknown change-log action"))?,
            fields: fields.into_iter().map(|(field, _)| field).collect(),
        });
    }
    Ok(entries)
}
