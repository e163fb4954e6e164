//! A team server's rules service (ADR 0022, "On a team server"). A server that enforces access
//! itself lets each user's own role write only within their reach, so a rule's task or notice
//! for a colleague elsewhere cannot be written in the person's transaction. There the rules run
//! here instead: `accord server rules --watch`, on the administrator's connection, reads the
//! change log in commit order after its cursor and fires the event rules each change is an
//! event for — once per event, as in a window — and the date rules every quarter of an hour.
//!
//! Changes pushed by laptops are events here too: a replica of such a server fires no rules
//! itself (`server::rules_by_service`), so each change fires its rules once, on the server,
//! whoever's department the rule's task or notice is for.

use std::collections::BTreeMap;

use accord_kernel::changelog::{ChangeAction, FieldChange, RowChange};
use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;
use accord_kernel::sync::{self as kernel_sync, Cursor, ReadFilter, SyncEntry};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbBackend};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::engine;
use crate::door::registry;

/// Running a team server's rules over its change log: held by no role (the administrator's
/// connection, as the owner of the database, holds every permission).
pub const RUN_SERVICE: Permission = Permission::new("workflow.run_service");

/// Changes read per call.
pub const BATCH: u64 = 500;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RunLoggedInput {
    /// 1–5000; default 500.
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct RunLoggedReport {
    /// Change-log entries read.
    pub read: u32,
    /// Of them, records created or changed (the rest: archives, restores).
    pub events: u32,
    #[ts(type = "number")]
    pub fired: u64,
    /// Nothing committed waits after the cursor now.
    pub complete: bool,
}

/// `workflow.run_logged`: the event rules over the changes committed since the last call.
pub struct RunLogged;

impl Operation for RunLogged {
    const NAME: &'static str = "workflow.run_logged";
    const PERMISSION: Permission = RUN_SERVICE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "A team server's rules service: fire the event rules over the changes committed since its last run.";
    type Input = RunLoggedInput;
    type Output = RunLoggedReport;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        if scope.user_role {
            return Err(ApiError::new(
                ErrorCode::PermissionDenied,
                "The rules service runs on the administrator's connection (the one `accord server init` uses), not on a user's own role.",
            ));
        }
        if !on_a_set_up_server(scope).await? {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "The rules service is for a team server set up with `accord server init`; elsewhere every window fires the rules itself.",
            ));
        }
        let limit = input.limit.unwrap_or(BATCH).clamp(1, 5000);
        let Some(after) = cursor(scope.tx).await? else {
            // The first run starts at the end of the log: rules act on what happens from now,
            // never on the history of a server that ran without them.
            let end = end_of_log(scope.tx).await?;
            save_cursor(scope, end).await?;
            return Ok(RunLoggedReport { complete: true, ..Default::default() });
        };
        let filter = ReadFilter {
            tables: registry::record_kinds().map(|kind| (kind.table, None)).collect(),
            horizon_from_server: false,
        };
        let page = kernel_sync::read_after(scope.tx, after, limit, &filter).await?;
        let changes: Vec<RowChange> = page.entries.iter().filter_map(row_change).collect();
        let events = changes.len() as u32;
        let fired = engine::react_to(scope, changes).await?;
        save_cursor(scope, page.next).await?;
        Ok(RunLoggedReport { read: page.entries.len() as u32, events, fired, complete: page.complete })
    }
}

/// A created or changed record as the rules see a change (archives and restores are no event).
fn row_change(entry: &SyncEntry) -> Option<RowChange> {
    let kind = registry::record_kind(&entry.table)?;
    if !matches!(entry.action, ChangeAction::Insert | ChangeAction::Update) {
        return None;
    }
    let fields: BTreeMap<String, FieldChange> = serde_json::from_str(&entry.changes).ok()?;
    Some(RowChange { table: kind.table, row_id: entry.row_id, action: entry.action, fields })
}

/// Whether this is a team server set up to enforce access itself (`accord.setup` exists).
async fn on_a_set_up_server(scope: &Scope<'_>) -> Result<bool, ApiError> {
    if scope.tx.get_database_backend() != DbBackend::Postgres {
        return Ok(false);
    }
    let row = scope
        .tx
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            "SELECT to_regclass('accord.setup')::text AS setup",
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<Option<String>>("", "setup")).transpose()?.flatten().is_some())
}

fn table() -> Alias {
    Alias::new("rules_service")
}

async fn cursor(conn: &impl ConnectionTrait) -> Result<Option<Cursor>, ApiError> {
    let query = Query::select()
        .columns([Alias::new("commit_order"), Alias::new("seq")])
        .from(table())
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    match conn.query_one(&query).await? {
        Some(row) => Ok(Some(Cursor { commit: row.try_get("", "commit_order")?, seq: row.try_get("", "seq")? })),
        None => Ok(None),
    }
}

async fn save_cursor(scope: &Scope<'_>, at: Cursor) -> Result<(), ApiError> {
    let insert = Query::insert()
        .into_table(table())
        .columns(["id", "commit_order", "seq", "ran_at"].map(Alias::new))
        .values_panic([1.into(), at.commit.into(), at.seq.into(), scope.now.into()])
        .on_conflict(
            OnConflict::column(Alias::new("id"))
                .update_columns(["commit_order", "seq", "ran_at"].map(Alias::new))
                .to_owned(),
        )
        .to_owned();
    scope.tx.execute(&insert).await?;
    Ok(())
}

/// Past every change committed now: on PostgreSQL, every transaction below the commit horizon
/// (those still running are read later); on SQLite, the last entry.
async fn end_of_log(conn: &impl ConnectionTrait) -> Result<Cursor, ApiError> {
    let backend = conn.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        format!("SELECT ({}) - 1 AS commit_order, 9223372036854775807 AS seq", kernel_sync::COMMIT_HORIZON)
    } else {
        "SELECT COALESCE(MAX(seq), 0) AS commit_order, COALESCE(MAX(seq), 0) AS seq FROM change_log".to_owned()
    };
    let row = conn.query_one_raw(sea_orm::Statement::from_string(backend, sql)).await?;
    let row = row.ok_or_else(|| ApiError::internal("the change log's end could not be read"))?;
    Ok(Cursor { commit: row.try_get("", "commit_order")?, seq: row.try_get("", "seq")? })
}
