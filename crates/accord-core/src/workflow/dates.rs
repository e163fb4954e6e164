//! Date rules (COMM-3 triggers, COMM-6 "a date is reached"): `workflow.run_due` finds the
//! records whose day has come — N days before a contract ends, a birthday, N days after a
//! quote was sent — and fires each rule once per record and day. The desktop shell runs it
//! now and then; a day missed while every Accord was closed is caught up, up to a week back.
//! "No activity for N days" (a customer fallen quiet) runs here too, once per quiet spell.

use accord_kernel::catalogue::RecordKind;
use accord_kernel::error::ApiError;
use accord_kernel::operation::Scope;
use accord_kernel::segments::{self, Filter, Operator};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use super::engine;
use super::rules::{self, Trigger};
use crate::door::registry;

/// How far back a missed day is caught up.
const CATCH_UP_DAYS: i64 = 7;
/// Records read per rule and run at most; the rest on the next run.
const RECORDS_PER_RUN: u64 = 2_000;

/// Fires every date rule whose day has come for some record; returns how many firings.
pub(super) async fn run_due(scope: &mut Scope<'_>) -> Result<u64, ApiError> {
    if scope.user_role {
        return Ok(0); // The server's rules service runs them there (`service.rs`).
    }
    let due_rules = rules::Entity::find()
        .filter(rules::Column::DeletedAt.is_null())
        .filter(rules::Column::TriggerKind.is_in(["date_reached", "quiet"]))
        .all(scope.tx)
        .await?;
    let today = scope.now.date_naive();
    let mut fired = 0;
    for rule in due_rules {
        let (trigger, condition, action) = rule.parsed()?;
        let Some(kind) = registry::record_kind(&rule.record_table) else { continue };
        let fields = rules::fields_of(scope, kind).await?;
        // From the rule's first day (it does not fire for days before it existed), a week back
        // at most, through today.
        let first = Ord::max(rule.created_at.date_naive(), today - Duration::days(CATCH_UP_DAYS));
        let (field, days, yearly) = match trigger {
            Trigger::DateReached { field, days, yearly } => (field, days, yearly),
            Trigger::Quiet { days } => {
                let only_if = match condition.map(|c| segments::check(&c, &fields)).transpose() {
                    Ok(only_if) => only_if,
                    Err(_) => continue,
                };
                fired += run_quiet(scope, &rule, &action, kind, only_if.as_ref(), days, first, today).await?;
                continue;
            }
            Trigger::Created | Trigger::Changed { .. } => continue,
        };
        let Some(spec) = fields.iter().find(|f| f.field == field).cloned() else { continue };
        let offset = Duration::days(i64::from(days));
        let yearly = yearly.unwrap_or(false);
        let mut all = vec![if yearly {
            Filter::Condition { field: field.clone(), op: Operator::NotEmpty, value: None }
        } else {
            Filter::All {
                of: vec![
                    Filter::Condition { field: field.clone(), op: Operator::AtLeast, value: Some(day(first - offset)) },
                    Filter::Condition { field: field.clone(), op: Operator::AtMost, value: Some(day(today - offset)) },
                ],
            }
        }];
        all.extend(condition);
        let checked = match segments::check(&Filter::All { of: all }, &fields) {
            Ok(checked) => checked,
            Err(_) => {
                tracing::warn!(rule = %rule.id, "a date rule names a field that is gone");
                continue;
            }
        };
        let ids = candidates(scope, kind.table, &checked).await?;
        for (id, mut record) in kind.fields_by_id(scope, &ids).await? {
            accord_kernel::custom_fields::explode(&mut record);
            let Some(date) = record.get(&field).and_then(|held| segments::day_of(&spec, held)) else { continue };
            for event_day in event_days(date, offset, yearly, first, today) {
                if engine::fire(scope, &rule, &action, kind, id, &record, &event_day.to_string()).await? {
                    fired += 1;
                }
            }
        }
    }
    Ok(fired)
}

/// The kinds that fall quiet, and the column of `interactions` that names them.
pub(super) const QUIET_KINDS: [(&str, &str); 2] = [("contacts", "contact_id"), ("organisations", "organisation_id")];

/// Fires a "no activity for `days` days" rule for each customer whose last activity — an
/// interaction with them, or a change to the record — fell `days` days before a day from
/// `first` through `today`; once per quiet spell (the event is the last activity's day).
#[allow(clippy::too_many_arguments)]
async fn run_quiet(
    scope: &mut Scope<'_>,
    rule: &rules::Model,
    action: &rules::Action,
    kind: &RecordKind,
    only_if: Option<&segments::Checked>,
    days: i32,
    first: NaiveDate,
    today: NaiveDate,
) -> Result<u64, ApiError> {
    let Some((_, column)) = QUIET_KINDS.iter().find(|(table, _)| *table == kind.table) else { return Ok(0) };
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let quiet = Duration::days(i64::from(days));
    // Quiet since before `since` (nothing on or after it), and last active on or after `from`.
    let since = midnight(today - quiet + Duration::days(1));
    let from = midnight(first - quiet);
    let backend = scope.tx.get_database_backend();
    let p = |n: usize| if backend == DbBackend::Postgres { format!("${n}") } else { "?".to_owned() };
    let (table, of) = (kind.table, column);
    let sql = format!(
        "SELECT t.id, t.updated_at, \
           (SELECT MAX(i.happened_at) FROM interactions i WHERE i.{of} = t.id AND i.deleted_at IS NULL) AS last_call \
         FROM {table} t \
         WHERE t.deleted_at IS NULL AND t.updated_at < {p1} \
           AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.{of} = t.id AND i.deleted_at IS NULL AND i.happened_at >= {p2}) \
           AND (t.updated_at >= {p3} \
             OR EXISTS (SELECT 1 FROM interactions i WHERE i.{of} = t.id AND i.deleted_at IS NULL AND i.happened_at >= {p4})) \
         LIMIT {RECORDS_PER_RUN}",
        p1 = p(1),
        p2 = p(if backend == DbBackend::Postgres { 1 } else { 2 }),
        p3 = p(if backend == DbBackend::Postgres { 2 } else { 3 }),
        p4 = p(if backend == DbBackend::Postgres { 2 } else { 4 }),
    );
    let values: Vec<sea_orm::Value> = if backend == DbBackend::Postgres {
        vec![since.into(), from.into()]
    } else {
        vec![since.into(), since.into(), from.into(), from.into()]
    };
    let rows = scope.tx.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    let mut last_active = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: Uuid = row.try_get("", "id")?;
        let changed: DateTime<Utc> = row.try_get("", "updated_at")?;
        let called: Option<DateTime<Utc>> = row.try_get("", "last_call")?;
        last_active.push((id, called.map_or(changed, |c| Ord::max(c, changed)).date_naive()));
    }
    let ids: Vec<Uuid> = last_active.iter().map(|(id, _)| *id).collect();
    let mut records = kind.fields_by_id(scope, &ids).await?;
    let mut fired = 0;
    for (id, last) in last_active {
        let Some(mut record) = records.remove(&id) else { continue };
        accord_kernel::custom_fields::explode(&mut record);
        if only_if.is_some_and(|checked| !segments::matches(checked, &record)) {
            continue;
        }
        if engine::fire(scope, rule, action, kind, id, &record, &format!("quiet:{last}")).await? {
            fired += 1;
        }
    }
    Ok(fired)
}

fn day(date: NaiveDate) -> Value {
    json!(date.format("%Y-%m-%d").to_string())
}

/// The days from `first` through `today` on which a record dated `date` fires: `offset` after
/// it, or after its day and month in each year for a yearly rule (29 February on the 28th in
/// other years).
fn event_days(date: NaiveDate, offset: Duration, yearly: bool, first: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let dates: Vec<NaiveDate> = if yearly {
        ((first - offset).year()..=(today - offset).year())
            .filter_map(|year| date.with_year(year).or_else(|| NaiveDate::from_ymd_opt(year, 2, 28)))
            .collect()
    } else {
        vec![date]
    };
    dates.into_iter().map(|d| d + offset).filter(|d| (first..=today).contains(d)).collect()
}

async fn candidates(scope: &Scope<'_>, table: &str, checked: &segments::Checked) -> Result<Vec<Uuid>, ApiError> {
    let backend = scope.tx.get_database_backend();
    let query = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new("deleted_at")).is_null())
        .cond_where(segments::compile(checked, backend))
        .limit(RECORDS_PER_RUN)
        .to_owned();
    let rows = scope.tx.query_all(&query).await?;
    rows.iter().map(|row| Ok(row.try_get::<Uuid>("", "id")?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_contract_end_fires_thirty_days_before_and_only_within_the_window() {
        let offset = Duration::days(-30);
        assert_eq!(event_days(d("2027-01-31"), offset, false, d("2026-12-25"), d("2027-01-01")), vec![d("2027-01-01")]);
        assert!(event_days(d("2027-02-01"), offset, false, d("2026-12-25"), d("2027-01-01")).is_empty());
        assert!(event_days(d("2027-01-20"), offset, false, d("2026-12-25"), d("2027-01-01")).is_empty());
    }

    #[test]
    fn a_birthday_fires_on_its_day_each_year_and_a_leap_day_on_the_28th() {
        let none = Duration::zero();
        assert_eq!(event_days(d("1990-12-07"), none, true, d("2026-12-01"), d("2026-12-07")), vec![d("2026-12-07")]);
        assert!(event_days(d("1990-12-08"), none, true, d("2026-12-01"), d("2026-12-07")).is_empty());
        assert_eq!(event_days(d("2000-02-29"), none, true, d("2027-02-22"), d("2027-03-01")), vec![d("2027-02-28")]);
        // Across the new year, the window holds both years' days.
        assert_eq!(event_days(d("1985-01-01"), none, true, d("2026-12-28"), d("2027-01-03")), vec![d("2027-01-01")]);
    }
}
