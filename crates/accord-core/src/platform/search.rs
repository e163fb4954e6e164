//! `search.query`: records of every searchable kind by name, email, phone or tax id.

use accord_kernel::error::{ApiError, FieldCode};
use accord_kernel::operation::{Operation, Scope, ensure_permitted};
use accord_kernel::search::{SearchHit, SearchQuery};
use accord_kernel::security::{Actor, Permission};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::door::registry;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SearchInput {
    /// What the user typed; every word must match the start of a word of the record.
    pub text: String,
    /// At most this many hits (1–100, default 20).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Only these kinds of record; all when absent.
    #[serde(default)]
    #[ts(optional, type = "Array<SearchEntity>")]
    pub entities: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub include_archived: Option<bool>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchOutput {
    pub hits: Vec<SearchHit>,
}

pub struct Search;

impl Operation for Search {
    const NAME: &'static str = "search.query";
    const PERMISSION: Permission = accord_kernel::security::platform::SEARCH;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Find records by name, email, phone or tax id, by word prefix, in any script.";
    type Input = SearchInput;
    type Output = SearchOutput;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let query = SearchQuery::new(&input.text, input.limit, input.include_archived.unwrap_or(false))?;
        let entities = readable_entities(scope.actor, input.entities.as_deref())?;
        if entities.is_empty() {
            return Ok(SearchOutput { hits: Vec::new() });
        }
        let hits = query.hits(scope, Some(&entities)).await?;
        Ok(SearchOutput { hits })
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TitlesInput {
    /// Up to 500 record ids, of any searchable kind.
    pub ids: Vec<uuid::Uuid>,
}

pub struct Titles;

impl Operation for Titles {
    const NAME: &'static str = "search.titles";
    const PERMISSION: Permission = accord_kernel::security::platform::SEARCH;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The names of records by id (those one may read), as search shows them.";
    type Input = TitlesInput;
    type Output = SearchOutput;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        if input.ids.len() > 500 {
            return Err(ApiError::field("ids", FieldCode::TooLong, "Ask for at most 500 records at once."));
        }
        let entities = readable_entities(scope.actor, None)?;
        let hits = accord_kernel::search::titles(scope, &input.ids, &entities).await?;
        Ok(SearchOutput { hits })
    }
}

/// The entities to search: the ones asked for (each registered, each readable by the actor,
/// once), or every registered one the actor may read.
fn readable_entities(actor: &Actor, names: Option<&[String]>) -> Result<Vec<&'static str>, ApiError> {
    let Some(names) = names else {
        return Ok(registry::record_kinds()
            .filter(|kind| actor.may(kind.read_permission))
            .filter_map(|kind| kind.search_entity)
            .collect());
    };
    let mut entities: Vec<&'static str> = Vec::with_capacity(names.len());
    for name in names {
        let Some(kind) = registry::record_kinds().find(|kind| kind.search_entity == Some(name.as_str())) else {
            let known: Vec<&str> = registry::search_entities().collect();
            return Err(ApiError::field(
                "entities",
                FieldCode::InvalidValue,
                format!("\"{name}\" is not a kind of record search knows; use {}.", known.join(", ")),
            ));
        };
        ensure_permitted(actor, kind.read_permission, Search::NAME)?;
        if let Some(entity) = kind.search_entity.filter(|e| !entities.contains(e)) {
            entities.push(entity);
        }
    }
    Ok(entities)
}
