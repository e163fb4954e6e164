//! Changes the server refused (ADR 0014): a replica takes each out of its log, merges the
//! record again without it — so the laptop agrees with the server instead of showing a value
//! nobody else has — and keeps it, whole and with the reason, for a person to see and redo.

use std::collections::BTreeMap;

use accord_kernel::catalogue::RecordKind;
use accord_kernel::changelog::{ChangeAction, FieldChange};
use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;
use accord_kernel::sync::{self as kernel_sync, Refusal};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use super::replica::{KEEPING_THE_REPLICA, not_a_replica, state_in};
use super::{REPLICATE, RejectedEntry, Savepoint, merge};
use crate::door::registry;

#[derive(Debug, Clone, Deserialize, TS)]
pub(crate) struct TakeBackInput {
    pub rejected: Vec<RejectedEntry>,
}

/// Takes this replica's refused changes out of its log into `sync_rejected` and merges their
/// records again from what remains; a record only refused changes made is removed.
pub(crate) struct TakeBack;

impl Operation for TakeBack {
    const NAME: &'static str = "sync.take_back";
    const PERMISSION: Permission = KEEPING_THE_REPLICA;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Take back the changes the server refused, keeping them for a person to see.";
    type Input = TakeBackInput;
    type Output = u32;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let state = state_in(scope.tx).await?.ok_or_else(not_a_replica)?;
        let codes: Vec<String> = input.rejected.iter().map(|r| code_text(r.code)).collect();
        let refusals: Vec<Refusal<'_>> = input
            .rejected
            .iter()
            .zip(&codes)
            .map(|(r, code)| Refusal { table: &r.table, row_id: r.row_id, hlc: r.hlc, code, reason: &r.reason })
            .collect();
        let moved = kernel_sync::set_aside(scope, state.device_id, &refusals).await?;
        let mut by_kind: BTreeMap<String, BTreeMap<Uuid, Vec<merge::MergeEntry>>> = BTreeMap::new();
        for ((table, row_id), entries) in moved {
            by_kind.entry(table).or_default().insert(row_id, entries);
        }
        // Records that refer to others go first when removing, parents first when rebuilding;
        // each in a savepoint of its own, so one that cannot be taken back (a kept record
        // refers to it) stays as it is and never blocks the next push.
        let kinds: Vec<_> = registry::record_kinds().collect();
        let mut remade: Vec<(&RecordKind, Uuid, merge::Merged)> = Vec::new();
        for kind in kinds.iter().rev() {
            let Some(rows) = by_kind.get(kind.table) else { continue };
            let ids: Vec<Uuid> = rows.keys().copied().collect();
            let mut held = kernel_sync::entries_of_many(scope.tx, kind.table, &ids).await?;
            for (row_id, taken_back) in rows {
                let remaining = held.remove(row_id).unwrap_or_default();
                let creation_refused = created(taken_back) && !created(&remaining);
                if remaining.is_empty() || creation_refused {
                    // Its later changes, if any, wait in the log: the server refuses them too.
                    guarded(scope, kind.table, *row_id, kernel_sync::forget_record(scope, kind.table, *row_id)).await?;
                } else {
                    remade.push((kind, *row_id, merged_without(&remaining, taken_back, kind.important_fields)));
                }
            }
        }
        let order = |table: &str| kinds.iter().position(|k| k.table == table).unwrap_or(usize::MAX);
        remade.sort_by_key(|(kind, id, _)| (order(kind.table), *id));
        for (kind, row_id, merged) in remade {
            let one = BTreeMap::from([(row_id, merged)]);
            guarded(scope, kind.table, row_id, kind.apply_merged(scope, &one)).await?;
        }
        Ok(input.rejected.len() as u32)
    }
}

fn created(entries: &[merge::MergeEntry]) -> bool {
    entries.iter().any(|entry| entry.action == ChangeAction::Insert)
}

/// Runs one record's taking back in a savepoint; when it fails the record stays as it is.
async fn guarded<T>(
    scope: &Scope<'_>,
    table: &str,
    row_id: Uuid,
    work: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<(), ApiError> {
    let savepoint = Savepoint::set(scope).await?;
    match work.await {
        Ok(_) => savepoint.release().await,
        Err(error) => {
            tracing::warn!(table, %row_id, code = ?error.code, "a refused change could not be taken back; the record stays");
            savepoint.roll_back().await
        }
    }
}

/// The record its remaining entries make. A field only taken-back entries set goes back to
/// the value it had before the first of them (a new record's log names only the fields it
/// set, so nothing else would reset it).
fn merged_without(
    remaining: &[merge::MergeEntry],
    taken_back: &[merge::MergeEntry],
    important: &[&str],
) -> merge::Merged {
    let mut merged = merge::merge(remaining, important);
    let mut earliest: Vec<&merge::MergeEntry> = taken_back.iter().collect();
    earliest.sort_by_key(|entry| entry.id);
    for entry in earliest {
        for (field, change) in &entry.fields {
            merged.fields.entry(field.clone()).or_insert_with(|| change.old.clone());
        }
    }
    merged
}

fn code_text(code: ErrorCode) -> String {
    serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "internal".into())
}

/// A change this replica made that the server refused.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RejectedChange {
    pub table: String,
    pub row_id: Uuid,
    /// The record's title, while this replica still holds it.
    pub title: Option<String>,
    pub action: ChangeAction,
    /// What the change would have set: field → `{ old, new }`.
    pub fields: BTreeMap<String, FieldChange>,
    pub code: ErrorCode,
    pub reason: String,
    /// When the change was made (its stamp), and when the server refused it.
    pub made_at: DateTime<Utc>,
    pub rejected_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListRejectedInput {}

/// `sync.list_rejected`: this replica's changes the server refused, newest first.
pub struct ListRejected;

/// At most this many refused changes are listed.
const LISTED: u64 = 500;

impl Operation for ListRejected {
    const NAME: &'static str = "sync.list_rejected";
    const PERMISSION: Permission = REPLICATE;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "List this laptop's changes the server refused, with the reasons.";
    type Input = ListRejectedInput;
    type Output = Vec<RejectedChange>;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        let query = Query::select()
            .columns(
                ["hlc", "table_name", "row_id", "action", "changes", "code", "reason", "rejected_at"]
                    .map(|c| (Alias::new("r"), Alias::new(c))),
            )
            .column((Alias::new("d"), Alias::new("title")))
            .from_as(Alias::new("sync_rejected"), Alias::new("r"))
            .join_as(
                JoinType::LeftJoin,
                Alias::new("search_documents"),
                Alias::new("d"),
                Expr::col((Alias::new("d"), Alias::new("row_id"))).equals((Alias::new("r"), Alias::new("row_id"))),
            )
            .order_by((Alias::new("r"), Alias::new("rejected_at")), Order::Desc)
            .order_by((Alias::new("r"), Alias::new("hlc")), Order::Desc)
            .limit(LISTED)
            .to_owned();
        let mut listed = Vec::new();
        for row in scope.tx.query_all(&query).await? {
            listed.push(rejected_of_row(&row)?);
        }
        Ok(listed)
    }
}

fn rejected_of_row(row: &sea_orm::QueryResult) -> Result<RejectedChange, ApiError> {
    let action: String = row.try_get("", "action")?;
    let changes: String = row.try_get("", "changes")?;
    let code: String = row.try_get("", "code")?;
    let hlc: i64 = row.try_get("", "hlc")?;
    Ok(RejectedChange {
        table: row.try_get("", "table_name")?,
        row_id: row.try_get("", "row_id")?,
        title: row.try_get("", "title")?,
        action: ChangeAction::parse(&action).unwrap_or(ChangeAction::Update),
        fields: serde_json::from_str(&changes).unwrap_or_default(),
        code: serde_json::from_value(Value::String(code)).unwrap_or(ErrorCode::Internal),
        reason: row.try_get("", "reason")?,
        made_at: DateTime::from_timestamp_millis(accord_kernel::clock::HlcTimestamp(hlc).physical_ms())
            .unwrap_or_default(),
        rejected_at: row.try_get("", "rejected_at")?,
    })
}
