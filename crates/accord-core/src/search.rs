//! One search service over SQLite FTS5 and PostgreSQL full-text search.
//!
//! Both engines index the same pre-normalised text (see [`normalise`]) and receive the same
//! normalised query, so they find the same records: by name, email, phone or tax id, in
//! English, Russian and Persian, by word prefix as the user types.

use sea_orm::sea_query::{Alias, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use crate::door::{Operation, Scope};
use crate::error::{ApiError, FieldCode};
use crate::security::Permission;

/// What kind of record a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SearchEntity {
    Organisation,
    Contact,
}

impl SearchEntity {
    fn as_str(self) -> &'static str {
        match self {
            SearchEntity::Organisation => "organisation",
            SearchEntity::Contact => "contact",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Organisation, Self::Contact].into_iter().find(|e| e.as_str() == text)
    }
}

/// One record as the search service indexes it.
pub struct SearchDocument {
    pub entity: SearchEntity,
    pub row_id: Uuid,
    pub title: String,
    pub subtitle: Option<String>,
    /// Every searchable value (names, emails, phones, tax ids); normalised here.
    pub terms: Vec<String>,
    pub archived: bool,
}

/// Lower-case, compatibility-normalised text with Persian letter variants unified and every
/// separator turned into a space, so "Иван.Петров@Почта.рф", "ي/ی" and "ك/ک" match as typed.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc().flat_map(char::to_lowercase) {
        let mapped = match c {
            'ي' | 'ى' => 'ی', // Arabic yeh / alef maksura → Persian yeh
            'ك' => 'ک',       // Arabic kaf → Persian keheh
            'ة' => 'ه',
            'ё' => 'е',
            '\u{0640}' => continue,                           // tatweel
            '\u{064B}'..='\u{065F}' | '\u{0670}' => continue, // Arabic diacritics
            c if c.is_alphanumeric() => c,
            _ => ' ', // punctuation, ZWNJ, @ . - + etc.
        };
        if mapped == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(mapped);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Phone numbers are indexed as their digits and as their national digits, so a search for
/// "79161234" or "9161234" finds "+79161234567".
pub fn phone_terms(e164: &str) -> Vec<String> {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    // Country calling codes are prefix-free, so the first known 1–3 digit prefix is the code;
    // a metadata lookup is far cheaper than parsing the number again.
    let national = (1..=3).filter(|&len| len < digits.len()).find_map(|len| {
        let code: u16 = digits[..len].parse().ok()?;
        phonenumber::metadata::DATABASE.by_code(&code).map(|_| digits[len..].to_owned())
    });
    let mut terms = vec![digits];
    terms.extend(national);
    terms
}

/// Inserts or replaces the documents, in the scope's transaction.
pub async fn index(scope: &Scope<'_>, documents: &[SearchDocument]) -> Result<(), ApiError> {
    // 6 parameters per document, below SQLite's limit of 32,766.
    for chunk in documents.chunks(4000) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("search_documents"))
            .columns(["entity", "row_id", "title", "subtitle", "body", "archived"].map(Alias::new))
            .on_conflict(
                OnConflict::column(Alias::new("row_id"))
                    .update_columns(["title", "subtitle", "body", "archived"].map(Alias::new))
                    .to_owned(),
            );
        for doc in chunk {
            let body = doc.terms.iter().map(|t| normalise(t)).collect::<Vec<_>>().join(" ");
            insert.values_panic([
                doc.entity.as_str().into(),
                doc.row_id.into(),
                doc.title.clone().into(),
                doc.subtitle.clone().into(),
                body.into(),
                doc.archived.into(),
            ]);
        }
        scope.tx.execute(&insert).await?;
    }
    Ok(())
}

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
    #[ts(optional)]
    pub entities: Option<Vec<SearchEntity>>,
    #[serde(default)]
    #[ts(optional)]
    pub include_archived: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchHit {
    pub entity: SearchEntity,
    pub id: Uuid,
    pub title: String,
    pub subtitle: Option<String>,
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchOutput {
    pub hits: Vec<SearchHit>,
}

pub struct Search;

pub const MAX_SEARCH_TEXT: usize = 200;

impl Operation for Search {
    const NAME: &'static str = "search.query";
    const PERMISSION: Permission = Permission::CustomersRead;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Find records by name, email, phone or tax id, by word prefix, in any script.";
    type Input = SearchInput;
    type Output = SearchOutput;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let query = HitQuery::new(&input.text, input.limit, input.include_archived.unwrap_or(false))?;
        let hits = query.hits(scope, input.entities.as_deref()).await?;
        Ok(SearchOutput { hits })
    }
}

/// A validated search: the query's words, how many hits, and whether archived records count.
struct HitQuery {
    words: Vec<String>,
    limit: u32,
    include_archived: bool,
}

impl HitQuery {
    fn new(text: &str, limit: Option<u32>, include_archived: bool) -> Result<Self, ApiError> {
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
        Ok(Self { words: query_words(text), limit, include_archived })
    }

    async fn hits(&self, scope: &Scope<'_>, entities: Option<&[SearchEntity]>) -> Result<Vec<SearchHit>, ApiError> {
        if self.words.is_empty() {
            return Ok(Vec::new());
        }
        let backend = scope.tx.get_database_backend();
        let statement = search_statement(backend, &self.words, self.limit, self.include_archived, entities);
        let rows = scope.tx.query_all_raw(statement).await?;
        let mut hits = Vec::with_capacity(rows.len());
        for row in rows {
            let entity: String = row.try_get("", "entity")?;
            hits.push(SearchHit {
                entity: SearchEntity::parse(&entity)
                    .ok_or_else(|| ApiError::internal("unknown entity in the search index"))?,
                id: row.try_get("", "row_id")?,
                title: row.try_get("", "title")?,
                subtitle: row.try_get("", "subtitle")?,
                archived: row.try_get("", "archived")?,
            });
        }
        Ok(hits)
    }
}

/// The ids of the records of one kind that `text` finds, best match first (for a list that
/// shows search hits in its own columns). With `archived`, only archived records.
pub async fn ranked_ids(
    scope: &Scope<'_>,
    text: &str,
    entity: SearchEntity,
    limit: Option<u32>,
    archived: bool,
) -> Result<Vec<Uuid>, ApiError> {
    let hits = HitQuery::new(text, limit, archived)?.hits(scope, Some(&[entity])).await?;
    Ok(hits.into_iter().filter(|hit| hit.archived == archived).map(|hit| hit.id).collect())
}

/// The words of what the user typed, normalised as the index is.
pub fn query_words(text: &str) -> Vec<String> {
    normalise(text).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// The engine's full-text expression: every word must start a word of the document.
pub fn match_expression(backend: DbBackend, words: &[String]) -> String {
    match backend {
        DbBackend::Postgres => words.iter().map(|w| format!("'{w}':*")).collect::<Vec<_>>().join(" & "),
        _ => words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "),
    }
}

/// The engine's own full-text query. Words are normalised to letters and digits only, so
/// quoting them is enough to keep the query language out of user input.
fn search_statement(
    backend: DbBackend,
    words: &[String],
    limit: u32,
    include_archived: bool,
    entities: Option<&[SearchEntity]>,
) -> Statement {
    let entity_filter = match entities {
        Some(list) if !list.is_empty() => format!(
            " AND d.entity IN ({})",
            list.iter().map(|e| format!("'{}'", e.as_str())).collect::<Vec<_>>().join(", ")
        ),
        _ => String::new(),
    };
    let archived_filter = if include_archived { "" } else { " AND NOT d.archived" };
    let query = match_expression(backend, words);
    match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT d.entity, d.row_id, d.title, d.subtitle, d.archived FROM search_documents d \
                     WHERE d.tsv @@ to_tsquery('simple', $1){archived_filter}{entity_filter} \
                     ORDER BY d.title LIMIT $2"
            ),
            [query.into(), i64::from(limit).into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT d.entity, d.row_id, d.title, d.subtitle, d.archived FROM search_fts \
                     JOIN search_documents d ON d.doc_id = search_fts.rowid \
                     WHERE search_fts MATCH ?{archived_filter}{entity_filter} \
                     ORDER BY rank LIMIT ?"
            ),
            [query.into(), i64::from(limit).into()],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_split_into_searchable_words() {
        assert_eq!(normalise("Ivan.Petrov@Mail.RU"), "ivan petrov mail ru");
    }

    #[test]
    fn arabic_letter_variants_match_persian_ones() {
        assert_eq!(normalise("علي كريمي"), normalise("علی کریمی"));
    }

    #[test]
    fn zwnj_separates_persian_words_and_yo_matches_ye() {
        assert_eq!(normalise("می\u{200C}خواهم"), "می خواهم");
        assert_eq!(normalise("Фёдор"), "федор");
    }

    #[test]
    fn phone_is_indexed_with_and_without_its_country_code() {
        assert_eq!(phone_terms("+79161234567"), vec!["79161234567".to_owned(), "9161234567".to_owned()]);
        assert_eq!(phone_terms("+989123456789"), vec!["989123456789".to_owned(), "9123456789".to_owned()]);
        assert_eq!(phone_terms("+447911123456"), vec!["447911123456".to_owned(), "7911123456".to_owned()]);
    }
}
