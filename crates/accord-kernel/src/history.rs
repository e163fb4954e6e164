//! Field history of a record, read from the change log, newest first.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::{Alias, Condition, Expr, Order, Query};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::changelog::{ChangeAction, FieldChange};
use crate::clock::HlcTimestamp;
use crate::error::ApiError;
use crate::operation::Scope;

#[derive(Debug, Clone, Serialize, TS)]
pub struct HistoryField {
    pub field: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub change: FieldChange,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct HistoryEntry {
    /// The entry's hybrid-logical-clock stamp, as a decimal string (it exceeds 2^53); unique
    /// together with `device_id`.
    pub stamp: String,
    /// When it happened (the entry's clock stamp, UTC).
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Uuid,
    /// The user's name as it is now, when the actor is a user of this database (absent for
    /// the owner of a database without users).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub actor_name: Option<String>,
    pub device_id: Uuid,
    pub operation: String,
    pub action: ChangeAction,
    pub fields: Vec<HistoryField>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RecordHistory {
    pub entries: Vec<HistoryEntry>,
}

/// The entries of one record in the change log of `table`, newest first, at most `limit`.
/// `table` is a registered record kind's; a record outside the actor's reach has no history
/// for them, exactly like one that does not exist.
pub async fn of_record(
    scope: &Scope<'_>,
    table: &'static str,
    label: &str,
    id: Uuid,
    limit: u32,
) -> Result<RecordHistory, ApiError> {
    let mut visible = Condition::all().add(Expr::col(Alias::new("id")).eq(id));
    if let Some(reach) = scope.actor.reach.condition(None) {
        visible = visible.add(reach);
    }
    let exists = Query::select().expr(Expr::val(1)).from(Alias::new(table)).cond_where(visible).to_owned();
    if scope.tx.query_one(&exists).await?.is_none() {
        return Err(ApiError::not_found(label, id));
    }
    let query = Query::select()
        .columns(["hlc", "actor_id", "device_id", "operation", "action", "changes"].map(Alias::new))
        .from(Alias::new("change_log"))
        .and_where(Expr::col(Alias::new("table_name")).eq(table))
        .and_where(Expr::col(Alias::new("row_id")).eq(id))
        .order_by(Alias::new("hlc"), Order::Desc)
        .limit(u64::from(limit))
        .to_owned();
    let mut entries = Vec::new();
    for row in scope.tx.query_all(&query).await? {
        let hlc = HlcTimestamp(row.try_get("", "hlc")?);
        let action: String = row.try_get("", "action")?;
        let changes: String = row.try_get("", "changes")?;
        let fields: std::collections::BTreeMap<String, FieldChange> = serde_json::from_str(&changes)
            .map_err(|e| ApiError::internal(format!("a change-log entry is unreadable: {e}")))?;
        entries.push(HistoryEntry {
            stamp: hlc.0.to_string(),
            at: chrono::DateTime::from_timestamp_millis(hlc.physical_ms()).unwrap_or_default(),
            actor_id: row.try_get("", "actor_id")?,
            actor_name: None,
            device_id: row.try_get("", "device_id")?,
            operation: row.try_get("", "operation")?,
            action: ChangeAction::parse(&action).ok_or_else(|| ApiError::internal("unknown change-log action"))?,
            fields: fields.into_iter().map(|(field, change)| HistoryField { field, change }).collect(),
        });
    }
    Ok(RecordHistory { entries })
}
