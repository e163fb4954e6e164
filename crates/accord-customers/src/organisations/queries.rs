//! The reads behind the operations on organisations: list pages, search pages, and what other
//! record kinds show of them.

use super::*;

const ROW_COLUMNS: [Column; 10] = [
    Column::Id,
    Column::Kind,
    Column::Name,
    Column::SortName,
    Column::TaxId,
    Column::Email,
    Column::Phone,
    Column::City,
    Column::Custom,
    Column::UpdatedAt,
];

/// One page of the list, or the search hits in the list's columns when `text` is given.
pub(super) async fn page(scope: &Scope<'_>, input: ListOrganisationsInput) -> Result<OrganisationPage, ApiError> {
    let mut select = records::find::<Model>(scope).select_only().columns(ROW_COLUMNS);
    select = if input.archived.unwrap_or(false) {
        select.filter(Column::DeletedAt.is_not_null())
    } else {
        select.filter(Column::DeletedAt.is_null())
    };
    if let Some(kind) = input.kind {
        select = select.filter(Column::Kind.eq(kind));
    }
    if let Some(text) = input.text.as_deref() {
        return search_page(scope, select, text, input.limit, input.archived.unwrap_or(false)).await;
    }
    let request = PageRequest::new(input.limit, input.direction, input.after.as_deref(), input.before.as_deref())?;
    let sort = input.sort.unwrap_or_default();
    let (sort_column, key) = match (sort, request.cursor()) {
        (ListSort::Name, cursor) => (Column::SortName, cursor.map(|c| c.key.clone().into())),
        (ListSort::Updated, cursor) => (Column::UpdatedAt, cursor.map(Cursor::instant).transpose()?),
    };
    let rows =
        request.select(select, sort_column, Column::Id, key).into_model::<OrganisationRow>().all(scope.tx).await?;
    let estimated_total = match request.cursor() {
        None => Some(records::estimated_rows(scope, Model::TABLE).await?),
        Some(_) => None,
    };
    let page = request.finish(rows, |row| Cursor {
        key: match sort {
            ListSort::Name => row.sort_name.clone(),
            ListSort::Updated => row.updated_at.to_rfc3339(),
        },
        id: row.id,
    });
    Ok(OrganisationPage {
        items: page.items,
        next_cursor: page.next_cursor,
        prev_cursor: page.prev_cursor,
        estimated_total,
    })
}

/// The organisations a search finds, in the list's columns, best match first.
async fn search_page(
    scope: &Scope<'_>,
    select: sea_orm::Select<Entity>,
    text: &str,
    limit: Option<u32>,
    archived: bool,
) -> Result<OrganisationPage, ApiError> {
    let ranked = search::ranked_ids(scope, text, SEARCH_ENTITY, limit, archived).await?;
    let rows =
        select.filter(Column::Id.is_in(ranked.iter().copied())).into_model::<OrganisationRow>().all(scope.tx).await?;
    let mut by_id: std::collections::HashMap<Uuid, OrganisationRow> = rows.into_iter().map(|r| (r.id, r)).collect();
    let items = ranked.iter().filter_map(|id| by_id.remove(id)).collect();
    Ok(OrganisationPage { items, next_cursor: None, prev_cursor: None, estimated_total: None })
}
