//! The freshness operations.

use accord_kernel::catalogue::{FreshnessKind, RecordKind};
use accord_kernel::error::{ApiError, FieldCode};
use accord_kernel::freshness::DEFAULT_MONTHS;
use accord_kernel::operation::{Operation, Scope, ensure_permitted};
use accord_kernel::search;
use accord_kernel::security::Permission;
use chrono::{DateTime, Months, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, OnConflict, Order, Query};
use uuid::Uuid;

use super::io::*;
use super::permissions;
use crate::door::registry;

const RULES: &str = "freshness_rules";
const MONTHS_MOST: u32 = 120;
const LISTED: u64 = 100;
const LISTED_MOST: u64 = 500;

fn confirmable(table: &str) -> Result<(&'static RecordKind, &'static FreshnessKind), ApiError> {
    registry::kind_with(
        table,
        |kind| kind.freshness.as_ref(),
        |table| format!("\"{table}\" keeps no confirmed-on date."),
    )
}

/// Every confirmable kind's months: its rule, or the default.
async fn rules(scope: &Scope<'_>) -> Result<Vec<FreshnessRule>, ApiError> {
    let query =
        Query::select().columns([Alias::new("record_table"), Alias::new("months")]).from(Alias::new(RULES)).to_owned();
    let mut set = std::collections::HashMap::new();
    for row in scope.tx.query_all(&query).await? {
        let table: String = row.try_get("", "record_table")?;
        let months: i32 = row.try_get("", "months")?;
        set.insert(table, Ord::max(months, 1) as u32);
    }
    Ok(registry::record_kinds()
        .filter(|kind| kind.freshness.is_some())
        .map(|kind| match set.get(kind.table) {
            Some(months) => FreshnessRule { table: kind.table.to_owned(), months: *months, set: true },
            None => FreshnessRule { table: kind.table.to_owned(), months: DEFAULT_MONTHS, set: false },
        })
        .collect())
}

pub struct FreshnessRules;

impl Operation for FreshnessRules {
    const NAME: &'static str = "freshness.rules";
    const PERMISSION: Permission = accord_kernel::security::platform::SESSION;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "After how many months each kind's data must be confirmed again.";
    type Input = crate::settings::connection::NoInput;
    type Output = FreshnessRuleList;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        Ok(FreshnessRuleList { rules: rules(scope).await? })
    }
}

pub struct SetFreshnessRule;

impl Operation for SetFreshnessRule {
    const NAME: &'static str = "freshness.set_rule";
    const PERMISSION: Permission = permissions::MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Set after how many months a kind's data must be confirmed again. Audited.";
    type Input = SetFreshnessRuleInput;
    type Output = FreshnessRuleList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, _) = confirmable(&input.table)?;
        if !(1..=MONTHS_MOST).contains(&input.months) {
            return Err(ApiError::field(
                "months",
                FieldCode::InvalidValue,
                format!("Choose 1 to {MONTHS_MOST} months."),
            ));
        }
        let upsert = Query::insert()
            .into_table(Alias::new(RULES))
            .columns(["record_table", "months", "updated_at", "updated_by"].map(Alias::new))
            .values_panic([
                kind.table.into(),
                (input.months as i32).into(),
                scope.now.into(),
                scope.actor.user_id.into(),
            ])
            .on_conflict(
                OnConflict::column(Alias::new("record_table"))
                    .update_columns(["months", "updated_at", "updated_by"].map(Alias::new))
                    .to_owned(),
            )
            .to_owned();
        scope.tx.execute(&upsert).await?;
        scope.audit_detail(format!("{}: {} months", kind.table, input.months));
        Ok(FreshnessRuleList { rules: rules(scope).await? })
    }
}

pub struct ConfirmRecord;

impl Operation for ConfirmRecord {
    const NAME: &'static str = "freshness.confirm";
    const PERMISSION: Permission = accord_kernel::security::platform::SESSION;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Confirm that a record's data is current (with the permission to change it).";
    type Input = ConfirmRecordInput;
    type Output = ConfirmedRecord;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, freshness) = confirmable(&input.table)?;
        ensure_permitted(scope.actor, kind.write_permission, "confirming these records")?;
        let fields = freshness.confirm(scope, input.id, input.version).await?;
        Ok(ConfirmedRecord {
            id: input.id,
            version: fields.get("version").and_then(|v| v.as_i64()).unwrap_or(input.version + 1),
            confirmed_at: scope.now,
        })
    }
}

pub struct StaleRecords;

impl Operation for StaleRecords {
    const NAME: &'static str = "freshness.stale";
    const PERMISSION: Permission = accord_kernel::security::platform::SESSION;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One's own records whose data was not confirmed for longer than their kind allows, \
         the oldest first, with their counts.";
    type Input = StaleRecordsInput;
    type Output = StaleList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        if let Some(table) = &input.table {
            confirmable(table)?;
        }
        let limit = input.limit.unwrap_or(LISTED).clamp(1, LISTED_MOST);
        let mut kinds = Vec::new();
        for rule in rules(scope).await? {
            let Some(kind) = registry::record_kind(&rule.table) else { continue };
            if input.table.as_deref().is_some_and(|t| t != kind.table) || !scope.actor.may(kind.read_permission) {
                continue;
            }
            let cutoff = scope.now.checked_sub_months(Months::new(rule.months)).unwrap_or(scope.now);
            kinds.push(stale_of(scope, kind, rule.months, cutoff, limit).await?);
        }
        let total = kinds.iter().map(|k| k.count).sum();
        Ok(StaleList { kinds, total })
    }
}

/// When a record's data was last known current: confirmed, or created.
fn last_current() -> Expr {
    Func::coalesce([Expr::col(Alias::new("confirmed_at")), Expr::col(Alias::new("created_at"))]).into()
}

async fn stale_of(
    scope: &Scope<'_>,
    kind: &'static RecordKind,
    months: u32,
    cutoff: DateTime<Utc>,
    limit: u64,
) -> Result<StaleKind, ApiError> {
    let mut wanted = Condition::all()
        .add(Expr::col(Alias::new("deleted_at")).is_null())
        .add(Expr::col(Alias::new("owner_id")).eq(scope.actor.user_id))
        .add(last_current().lt(cutoff));
    if let Some(visible) = scope.actor.reach.condition(None) {
        wanted = wanted.add(visible);
    }
    let count = Query::select()
        .expr_as(Expr::col(Alias::new("id")).count(), Alias::new("n"))
        .from(Alias::new(kind.table))
        .cond_where(wanted.clone())
        .to_owned();
    let count: i64 = match scope.tx.query_one(&count).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    let page = Query::select()
        .columns(["id", "version", "created_at", "confirmed_at"].map(Alias::new))
        .from(Alias::new(kind.table))
        .cond_where(wanted)
        .order_by_expr(last_current(), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(limit)
        .to_owned();
    let mut records = Vec::new();
    for row in scope.tx.query_all(&page).await? {
        records.push(StaleRecord {
            table: kind.table.to_owned(),
            id: row.try_get("", "id")?,
            title: String::new(),
            version: row.try_get("", "version")?,
            confirmed_at: row.try_get("", "confirmed_at")?,
            created_at: row.try_get("", "created_at")?,
        });
    }
    if let Some(entity) = kind.search_entity {
        let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
        let titles: std::collections::HashMap<Uuid, String> =
            search::titles(scope, &ids, &[entity]).await?.into_iter().map(|hit| (hit.id, hit.title)).collect();
        for record in &mut records {
            record.title = titles.get(&record.id).cloned().unwrap_or_default();
        }
    }
    Ok(StaleKind { table: kind.table.to_owned(), months, count: Ord::max(count, 0) as u64, records })
}
