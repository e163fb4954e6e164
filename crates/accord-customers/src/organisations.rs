//! Organisations: customers, suppliers and partners (CUST-1).

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{FromQueryResult, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::contacts::{self, ContactRow};
use super::duplicates::{self, DuplicateWarning};
use super::relations::{self, RelationView};
use accord_kernel::error::{ApiError, FieldErrors};
use accord_kernel::io::patch;
use accord_kernel::io::{IdInput, ImportedIds, VersionedIdInput, check_batch_size};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::paging::{Cursor, Direction, PageRequest};
use accord_kernel::records::{self, Record};
use accord_kernel::search::{self, SearchDocument, phone_terms};
use accord_kernel::security::Permission;
use accord_kernel::standard_record_methods;
use accord_kernel::validate;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, TS)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    #[default]
    #[sea_orm(string_value = "customer")]
    Customer,
    #[sea_orm(string_value = "prospect")]
    Prospect,
    #[sea_orm(string_value = "supplier")]
    Supplier,
    #[sea_orm(string_value = "partner")]
    Partner,
}

/// An organisation as stored and as the UI receives it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, TS)]
#[sea_orm(table_name = "organisations")]
#[ts(rename = "Organisation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: OrganisationKind,
    pub name: String,
    #[serde(skip)]
    #[ts(skip)]
    pub sort_name: String,
    pub legal_name: Option<String>,
    pub tax_id: Option<String>,
    pub email: Option<String>,
    /// E.164, e.g. `+79161234567`.
    pub phone: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    #[sea_orm(column_name = "deleted_at")]
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type Organisation = Model;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "organisations";
    const LABEL: &'static str = "organisation";
    const SEARCH_ENTITY: Option<&'static str> = Some("organisation");

    standard_record_methods!();

    fn derive(&mut self) -> bool {
        let key = accord_kernel::collation::sort_key(&self.name);
        let changed = key != self.sort_name;
        self.sort_name = key;
        changed
    }

    fn search_document(&self) -> Option<SearchDocument> {
        let mut terms = vec![self.name.clone()];
        terms.extend(self.legal_name.iter().cloned());
        terms.extend(self.email.iter().cloned());
        terms.extend(self.tax_id.iter().cloned());
        terms.extend(self.phone.iter().flat_map(|p| phone_terms(p)));
        Some(SearchDocument {
            entity: "organisation",
            row_id: self.id,
            title: self.name.clone(),
            subtitle: [self.city.as_deref(), self.email.as_deref(), self.phone.as_deref()]
                .into_iter()
                .flatten()
                .next()
                .map(str::to_owned),
            terms,
            archived: self.deleted_at.is_some(),
        })
    }
}

pub const NAME_MAX: usize = 200;

/// Validates and normalises every editable field in place (trim, lower-case email, E.164 phone).
fn normalise_fields(errors: &mut FieldErrors, m: &mut Model) {
    m.name = validate::required_text(errors, "name", &m.name, NAME_MAX);
    m.derive();
    m.legal_name = validate::optional_text(errors, "legal_name", m.legal_name.as_deref(), 300);
    // Stored in Latin digits, so a tax id typed in Persian digits is the same tax id.
    m.tax_id = validate::optional_text(errors, "tax_id", m.tax_id.as_deref(), 32).map(|t| validate::latin_digits(&t));
    m.email = validate::optional_email(errors, "email", m.email.as_deref());
    m.country = validate::optional_country(errors, "country", m.country.as_deref());
    m.phone = validate::optional_phone(errors, "phone", m.phone.as_deref(), m.country.as_deref());
    m.website = validate::optional_text(errors, "website", m.website.as_deref(), 200);
    m.industry = validate::optional_text(errors, "industry", m.industry.as_deref(), 100);
    m.city = validate::optional_text(errors, "city", m.city.as_deref(), 100);
    m.address = validate::optional_text(errors, "address", m.address.as_deref(), 500);
    m.notes = validate::optional_text(errors, "notes", m.notes.as_deref(), 10_000);
}

async fn duplicates_of(scope: &Scope<'_>, m: &Model) -> Result<Vec<DuplicateWarning>, ApiError> {
    duplicates::find(
        scope,
        Model::TABLE,
        "name",
        Model::LABEL,
        m.id,
        &[("email", m.email.as_deref()), ("phone", m.phone.as_deref()), ("tax_id", m.tax_id.as_deref())],
    )
    .await
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisationInput {
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<OrganisationKind>,
    #[serde(default)]
    #[ts(optional)]
    pub legal_name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub tax_id: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    /// International format, or national format when `country` is given.
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub website: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub industry: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub country: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub city: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub address: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
}

impl CreateOrganisationInput {
    fn into_model(self, scope: &Scope<'_>) -> Model {
        Model {
            id: Uuid::now_v7(),
            kind: self.kind.unwrap_or_default(),
            name: self.name,
            sort_name: String::new(),
            legal_name: self.legal_name,
            tax_id: self.tax_id,
            email: self.email,
            phone: self.phone,
            website: self.website,
            industry: self.industry,
            country: self.country,
            city: self.city,
            address: self.address,
            notes: self.notes,
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
        }
    }
}

/// The saved organisation and what the user should know about it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedOrganisation {
    pub organisation: Organisation,
    pub duplicates: Vec<DuplicateWarning>,
}

pub struct CreateOrganisation;

impl Operation for CreateOrganisation {
    const NAME: &'static str = "customers.create_organisation";
    const PERMISSION: Permission = Permission::CustomersWrite;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Create an organisation (customer, prospect, supplier or partner).";
    type Input = CreateOrganisationInput;
    type Output = SavedOrganisation;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut model = input.into_model(scope);
        let mut errors = FieldErrors::default();
        normalise_fields(&mut errors, &mut model);
        errors.into_result()?;
        let duplicates = duplicates_of(scope, &model).await?;
        records::insert(scope, std::slice::from_ref(&model)).await?;
        Ok(SavedOrganisation { organisation: model, duplicates })
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportOrganisationsInput {
    /// Up to 1,000 organisations, stored all together or not at all.
    pub items: Vec<CreateOrganisationInput>,
}

/// Bulk creation for imports and the data generator: all rows validated first, errors reported
/// as `items.N.field`, nothing stored unless every row is valid.
pub struct ImportOrganisations;

impl Operation for ImportOrganisations {
    const NAME: &'static str = "customers.import_organisations";
    const PERMISSION: Permission = Permission::CustomersWrite;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Create up to 1,000 organisations at once; all or none.";
    type Input = ImportOrganisationsInput;
    type Output = ImportedIds;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        check_batch_size(input.items.len())?;
        let mut all_errors = FieldErrors::default();
        let mut models = Vec::with_capacity(input.items.len());
        for (i, item) in input.items.into_iter().enumerate() {
            let mut model = item.into_model(scope);
            let mut errors = FieldErrors::default();
            normalise_fields(&mut errors, &mut model);
            all_errors.absorb(&format!("items.{i}"), errors);
            models.push(model);
        }
        all_errors.into_result()?;
        records::insert(scope, &models).await?;
        Ok(ImportedIds { ids: models.iter().map(|m| m.id).collect() })
    }
}

/// The customer card's frame: details, people, relations.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OrganisationCard {
    pub organisation: Organisation,
    pub contacts: Vec<ContactRow>,
    pub relations: Vec<RelationView>,
}

pub struct GetOrganisation;

impl Operation for GetOrganisation {
    const NAME: &'static str = "customers.get_organisation";
    const PERMISSION: Permission = Permission::CustomersRead;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "An organisation with its active contacts and relations.";
    type Input = IdInput;
    type Output = OrganisationCard;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let organisation: Model = records::load(scope, input.id, "id").await?;
        let contacts = contacts::of_organisation(scope, organisation.id).await?;
        let relations = relations::of_organisation(scope, organisation.id).await?;
        Ok(OrganisationCard { organisation, contacts, relations })
    }
}

/// The fields to change; absent fields stay as they are, `null` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct OrganisationChanges {
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional, type = "string")]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional, type = "OrganisationKind")]
    pub kind: Option<Option<OrganisationKind>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub legal_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub tax_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub industry: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub country: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub city: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub notes: Option<Option<String>>,
}

impl OrganisationChanges {
    fn apply_to(self, m: &mut Model, errors: &mut FieldErrors) {
        m.name = patch::required(errors, "name", m.name.clone(), self.name);
        m.kind = patch::required(errors, "kind", m.kind, self.kind);
        patch::apply(&mut m.legal_name, self.legal_name);
        patch::apply(&mut m.tax_id, self.tax_id);
        patch::apply(&mut m.email, self.email);
        patch::apply(&mut m.phone, self.phone);
        patch::apply(&mut m.website, self.website);
        patch::apply(&mut m.industry, self.industry);
        patch::apply(&mut m.country, self.country);
        patch::apply(&mut m.city, self.city);
        patch::apply(&mut m.address, self.address);
        patch::apply(&mut m.notes, self.notes);
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisationInput {
    pub id: Uuid,
    /// The version the user edited; a newer stored version rejects the change (`conflict`).
    pub version: i64,
    pub changes: OrganisationChanges,
}

pub struct UpdateOrganisation;

impl Operation for UpdateOrganisation {
    const NAME: &'static str = "customers.update_organisation";
    const PERMISSION: Permission = Permission::CustomersWrite;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Change some fields of an organisation, if nobody changed it since it was read.";
    type Input = UpdateOrganisationInput;
    type Output = SavedOrganisation;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let mut after = before.clone();
        let mut errors = FieldErrors::default();
        input.changes.apply_to(&mut after, &mut errors);
        normalise_fields(&mut errors, &mut after);
        errors.into_result()?;
        let duplicates = duplicates_of(scope, &after).await?;
        let organisation =
            records::update(scope, &before, after, accord_kernel::changelog::ChangeAction::Update).await?;
        Ok(SavedOrganisation { organisation, duplicates })
    }
}

pub struct ArchiveOrganisation;

impl Operation for ArchiveOrganisation {
    const NAME: &'static str = "customers.archive_organisation";
    const PERMISSION: Permission = Permission::CustomersArchive;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Archive an organisation: hidden from lists and search, kept with its history.";
    type Input = VersionedIdInput;
    type Output = Organisation;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        records::set_archived::<Model>(scope, input.id, input.version, true).await
    }
}

pub struct RestoreOrganisation;

impl Operation for RestoreOrganisation {
    const NAME: &'static str = "customers.restore_organisation";
    const PERMISSION: Permission = Permission::CustomersArchive;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Bring an archived organisation back.";
    type Input = VersionedIdInput;
    type Output = Organisation;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        records::set_archived::<Model>(scope, input.id, input.version, false).await
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ListSort {
    #[default]
    Name,
    Updated,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListOrganisationsInput {
    #[serde(default)]
    #[ts(optional)]
    pub sort: Option<ListSort>,
    #[serde(default)]
    #[ts(optional)]
    pub direction: Option<Direction>,
    /// Rows per page, 1–500 (default 50; at most 100 with `text`).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// `next_cursor` of the page before: the page that follows it.
    #[serde(default)]
    #[ts(optional)]
    pub after: Option<String>,
    /// `prev_cursor` of the page after: the page that precedes it.
    #[serde(default)]
    #[ts(optional)]
    pub before: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<OrganisationKind>,
    /// List archived organisations instead of active ones.
    #[serde(default)]
    #[ts(optional)]
    pub archived: Option<bool>,
    /// Only the organisations this search finds, best match first, as one page.
    #[serde(default)]
    #[ts(optional)]
    pub text: Option<String>,
}

/// The columns a list shows.
#[derive(Debug, Clone, PartialEq, FromQueryResult, Serialize, TS)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub kind: OrganisationKind,
    pub name: String,
    #[serde(skip)]
    #[ts(skip)]
    pub sort_name: String,
    pub tax_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub city: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct OrganisationPage {
    pub items: Vec<OrganisationRow>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `before` for the previous page; absent on the first page.
    pub prev_cursor: Option<String>,
    /// About how many organisations there are (archived ones included), for a scrollbar that
    /// means something; given with the first page only, and never counted row by row.
    pub estimated_total: Option<i64>,
}

const ROW_COLUMNS: [Column; 9] = [
    Column::Id,
    Column::Kind,
    Column::Name,
    Column::SortName,
    Column::TaxId,
    Column::Email,
    Column::Phone,
    Column::City,
    Column::UpdatedAt,
];

pub struct ListOrganisations;

impl Operation for ListOrganisations {
    const NAME: &'static str = "customers.list_organisations";
    const PERMISSION: Permission = Permission::CustomersRead;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One page of organisations, by name or last change, with cursors to the pages before and after; or the ones a search finds.";
    type Input = ListOrganisationsInput;
    type Output = OrganisationPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut select = Entity::find().select_only().columns(ROW_COLUMNS);
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
            (ListSort::Updated, cursor) => (Column::UpdatedAt, cursor.map(|c| parse_instant(&c.key)).transpose()?),
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
}

fn parse_instant(key: &str) -> Result<sea_orm::Value, ApiError> {
    Ok(DateTime::parse_from_rfc3339(key).map_err(|_| Cursor::invalid())?.with_timezone(&Utc).into())
}

/// The organisations a search finds, in the list's columns, best match first.
async fn search_page(
    scope: &Scope<'_>,
    select: sea_orm::Select<Entity>,
    text: &str,
    limit: Option<u32>,
    archived: bool,
) -> Result<OrganisationPage, ApiError> {
    let ranked = search::ranked_ids(scope, text, "organisation", limit, archived).await?;
    let rows =
        select.filter(Column::Id.is_in(ranked.iter().copied())).into_model::<OrganisationRow>().all(scope.tx).await?;
    let mut by_id: std::collections::HashMap<Uuid, OrganisationRow> = rows.into_iter().map(|r| (r.id, r)).collect();
    let items = ranked.iter().filter_map(|id| by_id.remove(id)).collect();
    Ok(OrganisationPage { items, next_cursor: None, prev_cursor: None, estimated_total: None })
}
