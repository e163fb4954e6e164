//! `search.query`: records of every searchable kind by name, email, phone or tax id.

use accord_kernel::error::{ApiError, FieldCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::search::{SearchHit, SearchQuery};
use accord_kernel::security::Permission;
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
    const PERMISSION: Permission = Permission::CustomersRead;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Find records by name, email, phone or tax id, by word prefix, in any script.";
    type Input = SearchInput;
    type Output = SearchOutput;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let query = SearchQuery::new(&input.text, input.limit, input.include_archived.unwrap_or(false))?;
        let entities = input.entities.as_deref().map(known_entities).transpose()?;
        let hits = query.hits(scope, entities.as_deref()).await?;
        Ok(SearchOutput { hits })
    }
}

/// The registered entities named in `names`, or an error naming the ones that exist.
fn known_entities(names: &[String]) -> Result<Vec<&'static str>, ApiError> {
    names
        .iter()
        .map(|name| {
            registry::search_entities().find(|entity| entity == name).ok_or_else(|| {
                let known: Vec<&str> = registry::search_entities().collect();
                ApiError::field(
                    "entities",
                    FieldCode::InvalidValue,
                    format!("\"{name}\" is not a kind of record search knows; use {}.", known.join(", ")),
                )
            })
        })
        .collect()
}
