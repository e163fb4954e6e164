//! Conflicts a person resolves (ADR 0014): two concurrent values of an important field, with
//! who set each, when and on which device; resolving is an ordinary change that syncs.

use accord_kernel::clock::HlcTimestamp;
use accord_kernel::error::{ApiError, ErrorCode, FieldCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;
use accord_kernel::sync as kernel_sync;
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::door::registry;

/// Seeing and resolving the conflicts of records one may change.
pub const RESOLVE: Permission = Permission::new("sync.resolve");

/// Conflicts listed at most at once.
const MOST: u64 = 500;

/// One of the two values.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ConflictSide {
    #[ts(type = "unknown")]
    pub value: Value,
    pub actor_id: Uuid,
    /// Their name, where this database knows it.
    pub actor_name: Option<String>,
    /// When it was set (from the change's clock stamp).
    pub at: DateTime<Utc>,
    pub device_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ConflictView {
    /// The record's table (`organisations`…), as history names it.
    pub table: String,
    pub row_id: Uuid,
    /// What a person calls one ("organisation").
    pub label: String,
    /// The record's title as search shows it.
    pub title: Option<String>,
    pub field: String,
    /// What the field holds until a person chooses.
    pub kept: ConflictSide,
    /// The value that was not applied.
    pub other: ConflictSide,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListConflictsInput {
    /// Only this record's (its card): both or neither.
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub row_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ConflictList {
    pub conflicts: Vec<ConflictView>,
}

/// `sync.list_conflicts`: open conflicts of the records one may change, newest first.
pub struct ListConflicts;

impl Operation for ListConflicts {
    const NAME: &'static str = "sync.list_conflicts";
    const PERMISSION: Permission = RESOLVE;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "Open conflicts between offline changes, of records one may change: both values, who, when, where.";
    type Input = ListConflictsInput;
    type Output = ConflictList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut query = Query::select();
        query
            .from(Alias::new("sync_conflicts"))
            .columns(kernel_sync::CONFLICT_COLUMNS.map(Alias::new))
            .order_by(Alias::new("other_hlc"), Order::Desc)
            .limit(MOST);
        if let (Some(table), Some(row_id)) = (&input.table, input.row_id) {
            query.and_where(Expr::col(Alias::new("table_name")).eq(table.as_str()));
            query.and_where(Expr::col(Alias::new("row_id")).eq(row_id));
        }
        let mut kinds = sea_orm::Condition::any();
        for kind in registry::record_kinds().filter(|k| scope.actor.may(k.write_permission)) {
            let mut rows = Query::select().column(Alias::new("id")).from(Alias::new(kind.table)).to_owned();
            if let Some(visible) = scope.actor.reach.condition(None) {
                rows.cond_where(visible);
            }
            kinds = kinds.add(
                sea_orm::Condition::all()
                    .add(Expr::col(Alias::new("table_name")).eq(kind.table))
                    .add(Expr::col(Alias::new("row_id")).in_subquery(rows)),
            );
        }
        if kinds.is_empty() {
            return Ok(ConflictList { conflicts: vec![] });
        }
        query.cond_where(kinds);
        let mut conflicts = Vec::new();
        for row in scope.tx.query_all(&query).await? {
            let table: String = row.try_get("", "table_name")?;
            let row_id: Uuid = row.try_get("", "row_id")?;
            let side = |prefix: &str| -> Result<ConflictSide, ApiError> {
                let value: String = row.try_get("", &format!("{prefix}_value"))?;
                let hlc: i64 = row.try_get("", &format!("{prefix}_hlc"))?;
                Ok(ConflictSide {
                    value: serde_json::from_str(&value).unwrap_or(Value::String(value)),
                    actor_id: row.try_get("", &format!("{prefix}_actor"))?,
                    actor_name: None,
                    at: DateTime::from_timestamp_millis(HlcTimestamp(hlc).physical_ms()).unwrap_or_default(),
                    device_id: row.try_get("", &format!("{prefix}_device"))?,
                })
            };
            let (kept, other) = (side("kept")?, side("other")?);
            conflicts.push(ConflictView {
                label: registry::record_kind(&table).map(|k| k.label.to_owned()).unwrap_or_else(|| table.clone()),
                title: None,
                field: row.try_get("", "field")?,
                table,
                row_id,
                kept,
                other,
            });
        }
        name_the_records(scope, &mut conflicts).await?;
        name_the_people(scope, &mut conflicts).await?;
        Ok(ConflictList { conflicts })
    }
}

/// Each record's title as search shows it, in one read.
async fn name_the_records(scope: &Scope<'_>, conflicts: &mut [ConflictView]) -> Result<(), ApiError> {
    let titles = titles_of(scope, conflicts.iter().map(|c| c.row_id).collect()).await?;
    for conflict in conflicts {
        conflict.title = titles.get(&conflict.row_id).cloned();
    }
    Ok(())
}

/// The titles search shows for some records within the reader's reach, in one read (none
/// for a record without one).
pub(super) async fn titles_of(
    scope: &Scope<'_>,
    ids: std::collections::BTreeSet<Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, ApiError> {
    let mut titles = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(titles);
    }
    let mut query = Query::select()
        .columns([Alias::new("row_id"), Alias::new("title")])
        .from(Alias::new("search_documents"))
        .and_where(Expr::col(Alias::new("row_id")).is_in(ids))
        .to_owned();
    // Only titles the reader may see (search documents carry their record's owner and department).
    if let Some(visible) = scope.actor.reach.condition(None) {
        query.cond_where(visible);
    }
    for row in scope.tx.query_all(&query).await? {
        titles.insert(row.try_get::<Uuid>("", "row_id")?, row.try_get::<String>("", "title")?);
    }
    Ok(titles)
}

/// Names whoever this database knows (a replica may not hold the colleague's account).
async fn name_the_people(scope: &Scope<'_>, conflicts: &mut [ConflictView]) -> Result<(), ApiError> {
    let ids: Vec<Uuid> = conflicts.iter().flat_map(|c| [c.kept.actor_id, c.other.actor_id]).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let query = Query::select()
        .columns([Alias::new("id"), Alias::new("display_name")])
        .from(Alias::new("users"))
        .and_where(Expr::col(Alias::new("id")).is_in(ids))
        .to_owned();
    let mut names = std::collections::HashMap::new();
    for row in scope.tx.query_all(&query).await? {
        names.insert(row.try_get::<Uuid>("", "id")?, row.try_get::<String>("", "display_name")?);
    }
    for conflict in conflicts {
        for side in [&mut conflict.kept, &mut conflict.other] {
            side.actor_name = names
                .get(&side.actor_id)
                .cloned()
                .or_else(|| (side.actor_id == scope.actor.user_id).then(|| scope.actor.display_name.clone()));
        }
    }
    Ok(())
}

/// Which value a person keeps.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Choice {
    /// The value the field holds now.
    Kept,
    /// The value that was not applied.
    Other,
    /// A value of one's own.
    Value(#[ts(type = "unknown")] Value),
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ResolveConflictInput {
    pub table: String,
    pub row_id: Uuid,
    pub field: String,
    /// The record's version the person saw.
    #[ts(type = "number")]
    pub version: i64,
    pub choice: Choice,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Resolved {
    /// Conflicts the record still has (other fields).
    #[ts(type = "number")]
    pub remaining: i64,
}

/// `sync.resolve_conflict`: keeps one of the two values (or one's own) and closes the field's
/// conflicts — a change like any other, in the record's history, that syncs everywhere.
pub struct ResolveConflict;

impl Operation for ResolveConflict {
    const NAME: &'static str = kernel_sync::merge::RESOLVE_OPERATION;
    const PERMISSION: Permission = RESOLVE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Keep one of two concurrent values of a field (or one's own); the choice syncs.";
    type Input = ResolveConflictInput;
    type Output = Resolved;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let kind = registry::record_kind(&input.table).ok_or_else(|| {
            ApiError::field("table", FieldCode::InvalidValue, format!("\"{}\" is not a kind of record.", input.table))
        })?;
        accord_kernel::operation::ensure_permitted(scope.actor, kind.write_permission, Self::NAME)?;
        // Choosing a record's owner or department hands it over: as online and as pushed.
        if kernel_sync::merge::OWNERSHIP_FIELDS.contains(&input.field.as_str()) {
            accord_kernel::operation::ensure_permitted(
                scope.actor,
                accord_security::permissions::USERS_MANAGE,
                Self::NAME,
            )?;
        }
        let open = Query::select()
            .columns([Alias::new("kept_value"), Alias::new("other_value")])
            .from(Alias::new("sync_conflicts"))
            .and_where(Expr::col(Alias::new("table_name")).eq(kind.table))
            .and_where(Expr::col(Alias::new("row_id")).eq(input.row_id))
            .and_where(Expr::col(Alias::new("field")).eq(input.field.as_str()))
            .order_by(Alias::new("other_hlc"), Order::Desc)
            .to_owned();
        let Some(row) = scope.tx.query_one(&open).await? else {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "This conflict was resolved already, here or on another computer. Reload to see the record as it is now.",
            ));
        };
        let stored = |column: &str| -> Result<Value, ApiError> {
            let text: String = row.try_get("", column)?;
            Ok(serde_json::from_str(&text).unwrap_or(Value::String(text)))
        };
        let chosen = match input.choice {
            Choice::Kept => stored("kept_value")?,
            Choice::Other => stored("other_value")?,
            Choice::Value(value) => value,
        };
        kind.resolve_field(scope, input.row_id, input.version, &input.field, chosen).await?;
        kernel_sync::refresh_conflicts(scope, kind.table, input.row_id, kind.important_fields).await?;
        let left = Query::select()
            .expr_as(Expr::col(Alias::new("field")).count(), Alias::new("n"))
            .from(Alias::new("sync_conflicts"))
            .and_where(Expr::col(Alias::new("table_name")).eq(kind.table))
            .and_where(Expr::col(Alias::new("row_id")).eq(input.row_id))
            .to_owned();
        let remaining = scope.tx.query_one(&left).await?.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0);
        Ok(Resolved { remaining })
    }
}
