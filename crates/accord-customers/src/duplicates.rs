//! Likely duplicates: another active record with the same email, phone or tax id. A warning,
//! not an error — two branches can share a switchboard — shown with a link to the other record.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::{Alias, Condition, Expr, Query};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use accord_kernel::error::ApiError;
use accord_kernel::operation::Scope;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DuplicateWarning {
    /// The field whose value the other record shares: `email`, `phone` or `tax_id`.
    pub field: String,
    pub existing_id: Uuid,
    pub existing_name: String,
    pub message: String,
}

/// Active rows of `table` within the actor's reach, other than `exclude`, sharing any of
/// `values` (field, value).
pub(crate) async fn find(
    scope: &Scope<'_>,
    table: &'static str,
    name_column: &'static str,
    label: &str,
    exclude: Uuid,
    values: &[(&'static str, Option<&str>)],
) -> Result<Vec<DuplicateWarning>, ApiError> {
    let present: Vec<(&str, &str)> = values.iter().filter_map(|(f, v)| v.map(|v| (*f, v))).collect();
    if present.is_empty() {
        return Ok(Vec::new());
    }
    let mut any = Condition::any();
    for (field, value) in &present {
        any = any.add(Expr::col(Alias::new(*field)).eq(*value));
    }
    let mut columns: Vec<&str> = vec!["id", name_column];
    columns.extend(present.iter().map(|(f, _)| *f));
    let mut wanted = Condition::all()
        .add(Expr::col(Alias::new("deleted_at")).is_null())
        .add(Expr::col(Alias::new("id")).ne(exclude))
        .add(any);
    // Only records the user may see: a warning names the record and links to it.
    if let Some(visible) = scope.actor.reach.condition(None) {
        wanted = wanted.add(visible);
    }
    let query = Query::select()
        .columns(columns.into_iter().map(Alias::new))
        .from(Alias::new(table))
        .cond_where(wanted)
        .limit(5)
        .to_owned();
    let mut warnings = Vec::new();
    for row in scope.tx.query_all(&query).await? {
        let existing_id: Uuid = row.try_get("", "id")?;
        let existing_name: String = row.try_get("", name_column)?;
        for (field, value) in &present {
            let theirs: Option<String> = row.try_get("", field)?;
            if theirs.as_deref() == Some(*value) {
                warnings.push(DuplicateWarning {
                    field: (*field).to_owned(),
                    existing_id,
                    message: format!("The {label} \"{existing_name}\" already has this {}.", field.replace('_', " ")),
                    existing_name: existing_name.clone(),
                });
            }
        }
    }
    Ok(warnings)
}
