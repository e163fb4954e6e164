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
const BOOKKEEPING: &[&str] = &["id", "version", "created_at", "updated_at", "created_by", "updated_by"];

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
        Self { table, row_id, action, fields }
    }
}

/// Appends `changes` in the scope's transaction, each with its own clock stamp.
pub async fn record(scope: &Scope<'_>, changes: &[RowChange]) -> Result<(), ApiError> {
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
