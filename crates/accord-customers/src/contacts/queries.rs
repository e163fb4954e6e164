//! The reads behind the operations on contacts: the list page, the countries an import
//! needs, and what an organisation's card shows of its people.

use super::*;

/// Countries of the active organisations the batch refers to, in one query.
pub(super) async fn organisation_countries(
    scope: &Scope<'_>,
    items: &[Result<CreateContactInput, FieldErrors>],
) -> Result<std::collections::HashMap<Uuid, Option<String>>, ApiError> {
    let mut ids: Vec<Uuid> = items.iter().filter_map(|i| i.as_ref().ok()?.organisation_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(Uuid, Option<String>)> = records::find::<organisations::Model>(scope)
        .select_only()
        .columns([organisations::Column::Id, organisations::Column::Country])
        .filter(organisations::Column::Id.is_in(ids))
        .filter(organisations::Column::DeletedAt.is_null())
        .into_tuple()
        .all(scope.tx)
        .await?;
    Ok(rows.into_iter().collect())
}

const ROW_COLUMNS: [Column; 8] = [
    Column::Id,
    Column::OrganisationId,
    Column::FullName,
    Column::SortName,
    Column::Role,
    Column::Email,
    Column::Phone,
    Column::Custom,
];

/// The card shows at most this many people; the contact list pages through the rest.
const CARD_CONTACTS: u64 = 200;

pub(crate) async fn of_organisation(scope: &Scope<'_>, organisation_id: Uuid) -> Result<Vec<ContactRow>, ApiError> {
    Ok(records::find::<Model>(scope)
        .select_only()
        .columns(ROW_COLUMNS)
        .filter(Column::OrganisationId.eq(organisation_id))
        .filter(Column::DeletedAt.is_null())
        .order_by(Column::SortName, Order::Asc)
        .limit(CARD_CONTACTS)
        .into_model::<ContactRow>()
        .all(scope.tx)
        .await?)
}

/// One page of contacts by name.
pub(super) async fn page(scope: &Scope<'_>, input: ListContactsInput) -> Result<ContactPage, ApiError> {
    let request = PageRequest::new(input.limit, input.direction, input.after.as_deref(), input.before.as_deref())?;
    let mut select = records::find::<Model>(scope).select_only().columns(ROW_COLUMNS);
    select = if input.archived.unwrap_or(false) {
        select.filter(Column::DeletedAt.is_not_null())
    } else {
        select.filter(Column::DeletedAt.is_null())
    };
    if let Some(organisation_id) = input.organisation_id {
        select = select.filter(Column::OrganisationId.eq(organisation_id));
    }
    let key = request.cursor().map(|c| c.key.clone().into());
    let rows =
        request.select(select, Column::SortName, Column::Id, key).into_model::<ContactRow>().all(scope.tx).await?;
    let page = request.finish(rows, |row| Cursor { key: row.sort_name.clone(), id: row.id });
    Ok(ContactPage { items: page.items, next_cursor: page.next_cursor, prev_cursor: page.prev_cursor })
}
