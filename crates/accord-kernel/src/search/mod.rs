//! One search service over SQLite FTS5 and PostgreSQL full-text search.
//!
//! Both engines index the same pre-normalised text (see [`normalise`]) and receive the same
//! normalised query, so they find the same records: by name, email, phone or tax id, in
//! English, Russian and Persian, by word prefix as the user types.

mod normalise;
pub(crate) mod variants;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

pub use normalise::{is_arabic_script, normalise};
use normalise::{joined_pairs, words};

use crate::error::{ApiError, FieldCode};
use crate::operation::Scope;
use crate::security::{Ownership, Reach};

/// One record as the search service indexes it.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDocument {
    /// The record kind's search entity (`Record::SEARCH_ENTITY`).
    pub entity: &'static str,
    pub row_id: Uuid,
    pub title: String,
    pub subtitle: Option<String>,
    /// Every searchable value (names, emails, phones, tax ids); normalised here.
    pub terms: Vec<String>,
    pub archived: bool,
}

/// Phone numbers are indexed as their digits, as their national digits and as they are
/// dialled inside the country, so "79161234", "9161234", "89161234" and "۰۹۱۲" (Persian
/// digits for 0912) all find their number. The extension (`;ext=12`) is not searched.
pub fn phone_terms(e164: &str) -> Vec<String> {
    let number = e164.split(';').next().unwrap_or(e164);
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    // Country calling codes are prefix-free, so the first known 1–3 digit prefix is the code;
    // a metadata lookup is far cheaper than parsing the number again.
    let national = (1..=3).filter(|&len| len < digits.len()).find_map(|len| {
        let code: u16 = digits[..len].parse().ok()?;
        let regions = phonenumber::metadata::DATABASE.by_code(&code)?;
        let trunk = regions.first().and_then(|m| m.national_prefix().map(str::to_owned));
        Some((digits[len..].to_owned(), trunk))
    });
    let mut terms = vec![digits];
    if let Some((national, trunk)) = national {
        terms.extend(trunk.map(|prefix| format!("{prefix}{national}")));
        terms.push(national);
    }
    terms
}

/// The text the index holds for a document: every term normalised, plus the joined forms
/// of neighbouring Persian words, so a name written with a ZWNJ or a space is also found
/// when typed as one word.
fn index_body(terms: &[String]) -> String {
    let mut body = Vec::with_capacity(terms.len());
    for term in terms {
        let normal = normalise(term);
        let joined = joined_pairs(&words(&normal));
        body.push(normal);
        body.extend(joined);
    }
    body.join(" ")
}

/// Inserts or replaces the documents, in the scope's transaction, each filed under its
/// record's owner and department so that a search shows it only to those who see the record.
pub async fn index(scope: &Scope<'_>, documents: &[(SearchDocument, Ownership)]) -> Result<(), ApiError> {
    // 8 parameters per document, below SQLite's limit of 32,766.
    for chunk in documents.chunks(4000) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("search_documents"))
            .columns(
                ["entity", "row_id", "title", "subtitle", "body", "archived", "owner_id", "department_id"]
                    .map(Alias::new),
            )
            .on_conflict(
                OnConflict::column(Alias::new("row_id"))
                    .update_columns(
                        ["title", "subtitle", "body", "archived", "owner_id", "department_id"].map(Alias::new),
                    )
                    .to_owned(),
            );
        for (doc, ownership) in chunk {
            let body = index_body(&doc.terms);
            insert.values_panic([
                doc.entity.into(),
                doc.row_id.into(),
                doc.title.clone().into(),
                doc.subtitle.clone().into(),
                body.into(),
                doc.archived.into(),
                ownership.owner_id.into(),
                ownership.department_id.into(),
            ]);
        }
        scope.tx.execute(&insert).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchHit {
    /// The kind of record (one of the registered search entities).
    #[ts(type = "SearchEntity")]
    pub entity: String,
    pub id: Uuid,
    pub title: String,
    pub subtitle: Option<String>,
    pub archived: bool,
}

pub const MAX_SEARCH_TEXT: usize = 200;

/// A validated search: what was typed, how many hits, and whether archived records count.
pub struct SearchQuery {
    text: String,
    limit: u32,
    include_archived: bool,
}

/// Hits are ranked among at most this many candidates: the newest matching documents (by
/// `doc_id`, the order FTS5 reads its matches in, so it stops after them), the same set on
/// both engines for the same data.
const CANDIDATES: u32 = 200;

impl SearchQuery {
    pub fn new(text: &str, limit: Option<u32>, include_archived: bool) -> Result<Self, ApiError> {
        if text.chars().count() > MAX_SEARCH_TEXT {
            return Err(ApiError::field(
                "text",
                FieldCode::TooLong,
                format!("Search for at most {MAX_SEARCH_TEXT} characters."),
            ));
        }
        let limit = limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(ApiError::field("limit", FieldCode::InvalidValue, "Ask for between 1 and 100 hits."));
        }
        Ok(Self { text: text.to_owned(), limit, include_archived })
    }

    /// The hits of the text as typed, best first; when they do not fill the page, then the
    /// hits of its other readings (keyboard layout, transliteration), below them.
    /// `entities`: only documents of these search entities (all when absent).
    pub async fn hits(&self, scope: &Scope<'_>, entities: Option<&[&str]>) -> Result<Vec<SearchHit>, ApiError> {
        let exact = query_words(&self.text);
        if exact.is_empty() {
            return Ok(Vec::new());
        }
        let mut hits = self.ranked(scope, entities, std::slice::from_ref(&exact)).await?;
        if hits.len() < self.limit as usize {
            let others: Vec<Vec<String>> = variants::alternatives(&self.text)
                .iter()
                .map(|t| query_words(t))
                .filter(|w| !w.is_empty() && *w != exact)
                .collect();
            if !others.is_empty() {
                for hit in self.ranked(scope, entities, &others).await? {
                    if hits.len() < self.limit as usize && !hits.iter().any(|h| h.id == hit.id) {
                        hits.push(hit);
                    }
                }
            }
        }
        Ok(hits)
    }

    /// The hits of any of `readings` (each a list of words that must all match), ranked.
    async fn ranked(
        &self,
        scope: &Scope<'_>,
        entities: Option<&[&str]>,
        readings: &[Vec<String>],
    ) -> Result<Vec<SearchHit>, ApiError> {
        let backend = scope.tx.get_database_backend();
        let groups: Vec<Vec<String>> = readings.iter().flat_map(|words| with_joined_words(words)).collect();
        let expression = any_of(backend, &groups);
        let statement = search_statement(backend, &expression, CANDIDATES, self.include_archived, entities, scope);
        // Ranked below, in Rust; the engine's order only chose the candidates.
        let mut hits = scope.tx.query_all_raw(statement).await?.iter().map(hit_of).collect::<Result<Vec<_>, _>>()?;
        rank(&mut hits, readings);
        hits.truncate(self.limit as usize);
        Ok(hits)
    }
}

/// The titles of the records `ids` names, among `entities`, as search shows them: for a field
/// that names a record (a custom link, a reference) to show the record's name. Records outside
/// the actor's reach are left out, as in search.
pub async fn titles(scope: &Scope<'_>, ids: &[Uuid], entities: &[&str]) -> Result<Vec<SearchHit>, ApiError> {
    if ids.is_empty() || entities.is_empty() {
        return Ok(Vec::new());
    }
    // Each id once, a bounded number per statement: a calendar names thousands of series.
    let ids: Vec<Uuid> = ids.iter().copied().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut hits = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(TITLES_PER_READ) {
        let mut query = Query::select();
        query
            .columns(["entity", "row_id", "title", "subtitle", "archived"].map(Alias::new))
            .from(Alias::new("search_documents"))
            .and_where(Expr::col(Alias::new("row_id")).is_in(chunk.iter().copied()))
            .and_where(Expr::col(Alias::new("entity")).is_in(entities.iter().copied()));
        if let Some(visible) = scope.actor.reach.condition(None) {
            query.cond_where(visible);
        }
        for row in scope.tx.query_all(&query).await? {
            hits.push(hit_of(&row)?);
        }
    }
    Ok(hits)
}

/// How many ids one read of titles binds.
const TITLES_PER_READ: usize = 500;

/// A search document's row as a hit.
fn hit_of(row: &sea_orm::QueryResult) -> Result<SearchHit, ApiError> {
    Ok(SearchHit {
        entity: row.try_get("", "entity")?,
        id: row.try_get("", "row_id")?,
        title: row.try_get("", "title")?,
        subtitle: row.try_get("", "subtitle")?,
        archived: row.try_get("", "archived")?,
    })
}

/// The reading as typed, and each reading with two neighbouring Persian words joined
/// (پارس نیرو also finds پارسنیرو).
fn with_joined_words(words: &[String]) -> Vec<Vec<String>> {
    let mut groups = vec![words.to_vec()];
    for i in 0..words.len().saturating_sub(1) {
        if joined_pairs(&words[i..i + 2]).is_empty() {
            continue;
        }
        let mut joined = words[..i].to_vec();
        joined.push(format!("{}{}", words[i], words[i + 1]));
        joined.extend_from_slice(&words[i + 2..]);
        groups.push(joined);
    }
    groups
}

/// How well a title (in its normal form) answers the query, lower is better: the title
/// starts with what was typed; every word is a whole word of the title; every word starts a
/// word of the title; the match is elsewhere (email, phone, tax id, another name).
fn tier(title: &str, readings: &[Vec<String>]) -> u8 {
    let title_words = words(title);
    let title_joined: Vec<String> = title_words.iter().cloned().chain(joined_pairs(&title_words)).collect();
    readings
        .iter()
        .map(|reading| {
            if title.starts_with(&reading.join(" ")) {
                0
            } else if reading.iter().all(|w| title_joined.contains(w)) {
                1
            } else if reading.iter().all(|w| title_joined.iter().any(|t| t.starts_with(w.as_str()))) {
                2
            } else {
                3
            }
        })
        .min()
        .unwrap_or(3)
}

/// Orders hits the same way on both engines: by tier, then by title (code point order of its
/// normal form), then by id.
fn rank(hits: &mut [SearchHit], readings: &[Vec<String>]) {
    hits.sort_by_cached_key(|hit| {
        let title = normalise(&hit.title);
        (tier(&title, readings), title, hit.id)
    });
}

/// The ids of the records of one kind that `text` finds, best match first (for a list that
/// shows search hits in its own columns). With `archived`, only archived records.
pub async fn ranked_ids(
    scope: &Scope<'_>,
    text: &str,
    entity: &str,
    limit: Option<u32>,
    archived: bool,
) -> Result<Vec<Uuid>, ApiError> {
    let hits = SearchQuery::new(text, limit, archived)?.hits(scope, Some(&[entity])).await?;
    Ok(hits.into_iter().filter(|hit| hit.archived == archived).map(|hit| hit.id).collect())
}

/// Whether `text` holds every word of `query` (as [`query_words`] gives them), each as the
/// start of one of its words, as the index would find it — Persian words written apart
/// also match written together. For a short list searched where it is read (a customer's
/// history), not through the index.
pub fn contains_words(text: &str, query: &[String]) -> bool {
    let text_words = query_words(text);
    let joined = joined_pairs(&text_words);
    query.iter().all(|q| text_words.iter().chain(&joined).any(|w| w.starts_with(q.as_str())))
}

/// The words of what the user typed, normalised as the index is.
pub fn query_words(text: &str) -> Vec<String> {
    words(&normalise(text))
}

/// The engine's full-text expression: every word must start a word of the document.
pub fn match_expression(backend: DbBackend, words: &[String]) -> String {
    match backend {
        DbBackend::Postgres => words.iter().map(|w| format!("'{w}':*")).collect::<Vec<_>>().join(" & "),
        _ => words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" AND "),
    }
}

/// Documents that match any of the groups (each: every word starts a word of the document).
fn any_of(backend: DbBackend, groups: &[Vec<String>]) -> String {
    let or = if backend == DbBackend::Postgres { " | " } else { " OR " };
    groups.iter().map(|words| format!("({})", match_expression(backend, words))).collect::<Vec<_>>().join(or)
}

/// The engine's own full-text query: the newest matching documents first (`doc_id`
/// descending), so both engines rank the same set and FTS5 stops reading after the limit.
/// On PostgreSQL `doc_id + 0` keeps the planner on the full-text index: ordered by the bare
/// key it walks the primary key backwards testing every row, 15× slower for rare words. Words are normalised to letters and digits
/// only, so quoting them is enough to keep the query language out of user input.
fn search_statement(
    backend: DbBackend,
    expression: &str,
    limit: u32,
    include_archived: bool,
    entities: Option<&[&str]>,
    scope: &Scope<'_>,
) -> Statement {
    let reach = &scope.actor.reach;
    let entities = entities.filter(|list| !list.is_empty()).unwrap_or_default();
    let mut values: Vec<sea_orm::Value> = vec![expression.into()];
    let mut next = |value: sea_orm::Value| {
        values.push(value);
        if backend == DbBackend::Postgres { format!("${}", values.len()) } else { "?".to_owned() }
    };
    let entity_filter = if entities.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = entities.iter().map(|&e| next(e.into())).collect();
        format!(" AND d.entity IN ({})", list.join(", "))
    };
    // The rule of `Reach::sees`, on the document's copy of its record's owner and department.
    let reach_filter = match reach {
        Reach::All => String::new(),
        Reach::Limited { user_id, departments } => {
            let mut visible =
                vec!["d.department_id IS NULL".to_owned(), format!("d.owner_id = {}", next((*user_id).into()))];
            if !departments.is_empty() {
                let list: Vec<String> = departments.iter().map(|&d| next(d.into())).collect();
                visible.push(format!("d.department_id IN ({})", list.join(", ")));
            }
            format!(" AND ({})", visible.join(" OR "))
        }
    };
    let limit_at = next(i64::from(limit).into());
    let archived_filter = if include_archived { "" } else { " AND NOT d.archived" };
    let filters = format!("{archived_filter}{entity_filter}{reach_filter}");
    // On a user's own team-server role, row-level security would keep the match off the
    // full-text index (`@@` is not leakproof), so the server's own function matches through
    // the index and hands back only the documents within the user's reach (ADR 0013).
    let documents = if scope.user_role {
        let kinds = if entities.is_empty() {
            "NULL".to_owned()
        } else {
            format!("string_to_array({}, ',')", next(entities.join(",").into()))
        };
        format!(
            "accord.matching_documents(to_tsquery('simple', $1), {include_archived}, {kinds}, {limit_at}::integer) d WHERE true"
        )
    } else {
        "search_documents d WHERE d.tsv @@ to_tsquery('simple', $1)".to_owned()
    };
    let sql = match backend {
        DbBackend::Postgres => format!(
            "SELECT d.entity, d.row_id, d.title, d.subtitle, d.archived FROM {documents}{filters} \
                 ORDER BY d.doc_id + 0 DESC LIMIT {limit_at}"
        ),
        _ => format!(
            "SELECT d.entity, d.row_id, d.title, d.subtitle, d.archived FROM search_fts \
                 JOIN search_documents d ON d.doc_id = search_fts.rowid \
                 WHERE search_fts MATCH ?{filters} \
                 ORDER BY search_fts.rowid DESC LIMIT {limit_at}"
        ),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_is_indexed_with_and_without_its_country_code_and_as_dialled_at_home() {
        assert_eq!(phone_terms("+79161234567"), vec!["79161234567", "89161234567", "9161234567"]);
        assert_eq!(phone_terms("+989123456789"), vec!["989123456789", "09123456789", "9123456789"]);
        assert_eq!(phone_terms("+447911123456;ext=12"), vec!["447911123456", "07911123456", "7911123456"]);
    }

    #[test]
    fn a_title_that_starts_with_the_query_ranks_first() {
        let readings = vec![query_words("north")];
        let tier_of = |title: &str| tier(&normalise(title), &readings);
        assert!(tier_of("Northwind") < tier_of("Great Northern"));
        assert!(tier_of("Great Northern") < tier_of("Acme Ltd"), "found by its email, not its name");
    }
}
