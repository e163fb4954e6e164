//! Who did what in a period, counted per person and operation from a log table: the audit log
//! by its time, the change log by its stamp. The efficiency report (SEC-6) reads both.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{ConnectionTrait, TryGetable, Value};
use uuid::Uuid;

use crate::error::ApiError;
use crate::operation::Scope;

/// One person's entries of one operation in the period, and the newest entry's `T` (a time or
/// a stamp).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted<T> {
    pub actor_id: Uuid,
    pub operation: String,
    pub count: i64,
    pub last: T,
}

/// The entries of `table` with `column` from `from` (inclusive) to `to` (exclusive), counted per
/// person and operation; only `actor`'s when given.
pub(crate) async fn count_by_actor<T: TryGetable>(
    scope: &Scope<'_>,
    table: &str,
    column: &str,
    (from, to): (Value, Value),
    actor: Option<Uuid>,
) -> Result<Vec<Counted<T>>, ApiError> {
    let mut query = Query::select()
        .columns([Alias::new("actor_id"), Alias::new("operation")])
        .expr_as(Func::count(Expr::col(Alias::new("seq"))), Alias::new("n"))
        .expr_as(Func::max(Expr::col(Alias::new(column))), Alias::new("last"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new(column)).gte(from))
        .and_where(Expr::col(Alias::new(column)).lt(to))
        .group_by_columns([Alias::new("actor_id"), Alias::new("operation")])
        .to_owned();
    if let Some(actor) = actor {
        query.and_where(Expr::col(Alias::new("actor_id")).eq(actor));
    }
    let mut counts = Vec::new();
    for row in scope.tx.query_all(&query).await? {
        counts.push(Counted {
            actor_id: row.try_get("", "actor_id")?,
            operation: row.try_get("", "operation")?,
            count: row.try_get("", "n")?,
            last: row.try_get("", "last")?,
        });
    }
    Ok(counts)
}
