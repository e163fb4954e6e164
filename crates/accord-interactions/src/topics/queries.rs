//! The reads behind the operations on topics.

use super::*;

/// Every topic by name; the retired ones only when asked for.
pub(super) async fn all(scope: &Scope<'_>, include_retired: bool) -> Result<Vec<Model>, ApiError> {
    let mut select = records::find::<Model>(scope);
    if !include_retired {
        select = select.filter(Column::DeletedAt.is_null());
    }
    Ok(select.order_by_asc(Column::SortName).order_by_asc(Column::Id).all(scope.tx).await?)
}

/// The active topic other than `except` with the same name as `name` once letter case,
/// Persian and Arabic letter variants and invisible marks are set aside, if any.
pub(super) async fn active_named(scope: &Scope<'_>, name: &str, except: Uuid) -> Result<Option<Model>, ApiError> {
    let wanted = normalise(name);
    Ok(all(scope, false).await?.into_iter().find(|topic| topic.id != except && normalise(&topic.name) == wanted))
}
