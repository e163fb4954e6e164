//! The reads behind the histories: one page newest first, narrowed by whose, channel, topic,
//! period and words, with the names of the contacts and organisations it mentions.

use super::*;

const ROW_COLUMNS: [Column; 11] = [
    Column::Id,
    Column::Version,
    Column::HappenedAt,
    Column::Channel,
    Column::Form,
    Column::TopicId,
    Column::ContactId,
    Column::OrganisationId,
    Column::ResponsibleId,
    Column::Summary,
    Column::DeletedAt,
];

/// Words are looked for among this many of the newest interactions of a customer or an
/// employee (years of a busy customer); beyond them, and across everyone's, the search
/// index answers.
const SCANNED_FOR_WORDS: u64 = 5_000;

/// Hits the search index gives a search across everyone's interactions.
const INDEX_HITS: u32 = 100;

pub(super) async fn page(scope: &Scope<'_>, input: ListInteractionsInput) -> Result<InteractionPage, ApiError> {
    if let (Some(from), Some(to)) = (input.from, input.to)
        && from >= to
    {
        return Err(ApiError::field(
            "to",
            FieldCode::InvalidValue,
            "The period ends before it starts; swap the dates.",
        ));
    }
    let request =
        PageRequest::new(input.limit, Some(Direction::Desc), input.after.as_deref(), input.before.as_deref())?;
    let mut select = filtered(scope, &input);
    let words = input.text.as_deref().map(search::query_words).unwrap_or_default();
    if !words.is_empty() {
        let ids = with_words(scope, &input, &words).await?;
        select = select.filter(Column::Id.is_in(ids));
    }
    let key = request.cursor().map(Cursor::instant).transpose()?;
    let select = request.select(select.select_only().columns(ROW_COLUMNS), Column::HappenedAt, Column::Id, key);
    let mut rows = select.into_model::<InteractionRow>().all(scope.tx).await?;
    name_whom(scope, &mut rows).await?;
    let page = request.finish(rows, |row| Cursor { key: row.happened_at.to_rfc3339(), id: row.id });
    Ok(InteractionPage { items: page.items, next_cursor: page.next_cursor, prev_cursor: page.prev_cursor })
}

/// The interactions in reach that the input's filters (all but the words) keep.
fn filtered(scope: &Scope<'_>, input: &ListInteractionsInput) -> sea_orm::Select<Entity> {
    let mut select = records::find::<Model>(scope);
    select = if input.archived.unwrap_or(false) {
        select.filter(Column::DeletedAt.is_not_null())
    } else {
        select.filter(Column::DeletedAt.is_null())
    };
    if let Some(id) = input.contact_id {
        select = select.filter(Column::ContactId.eq(id));
    }
    if let Some(id) = input.organisation_id {
        select = select.filter(Column::OrganisationId.eq(id));
    }
    if let Some(id) = input.responsible_id {
        select = select.filter(Column::ResponsibleId.eq(id));
    }
    if let Some(channel) = input.channel {
        select = select.filter(Column::Channel.eq(channel));
    }
    if let Some(id) = input.topic_id {
        select = select.filter(Column::TopicId.eq(id));
    }
    if let Some(from) = input.from {
        select = select.filter(Column::HappenedAt.gte(from));
    }
    if let Some(to) = input.to {
        select = select.filter(Column::HappenedAt.lt(to));
    }
    select
}

/// The ids of the filtered interactions whose summary holds every word: read through for
/// one customer's or employee's history, asked of the search index across everyone's.
async fn with_words(scope: &Scope<'_>, input: &ListInteractionsInput, words: &[String]) -> Result<Vec<Uuid>, ApiError> {
    let archived = input.archived.unwrap_or(false);
    if input.contact_id.is_none() && input.organisation_id.is_none() && input.responsible_id.is_none() {
        let text = input.text.as_deref().unwrap_or_default();
        return search::ranked_ids(scope, text, SEARCH_ENTITY, Some(INDEX_HITS), archived).await;
    }
    let summaries: Vec<(Uuid, String)> = filtered(scope, input)
        .select_only()
        .columns([Column::Id, Column::Summary])
        .order_by_desc(Column::HappenedAt)
        .limit(SCANNED_FOR_WORDS)
        .into_tuple()
        .all(scope.tx)
        .await?;
    Ok(summaries.into_iter().filter(|(_, summary)| search::contains_words(summary, words)).map(|(id, _)| id).collect())
}

/// Fills in the names of the contacts and organisations the rows mention, those in reach,
/// as search shows them.
async fn name_whom(scope: &Scope<'_>, rows: &mut [InteractionRow]) -> Result<(), ApiError> {
    let ids: Vec<Uuid> = rows.iter().flat_map(|r| [r.contact_id, r.organisation_id]).flatten().collect();
    let entities = [contacts::SEARCH_ENTITY, organisations::SEARCH_ENTITY];
    let names: std::collections::HashMap<Uuid, String> =
        search::titles(scope, &ids, &entities).await?.into_iter().map(|hit| (hit.id, hit.title)).collect();
    for row in rows {
        row.contact_name = row.contact_id.and_then(|id| names.get(&id).cloned());
        row.organisation_name = row.organisation_id.and_then(|id| names.get(&id).cloned());
    }
    Ok(())
}
