//! Contacts: the people of an organisation, with their role there (CUST-1).

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Order;
use sea_orm::{FromQueryResult, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::duplicates::{self, DuplicateWarning};
use super::organisations;
use accord_kernel::changelog::ChangeAction;
use accord_kernel::error::{ApiError, FieldErrors};
use accord_kernel::io::patch;
use accord_kernel::io::{IdInput, ImportedIds, VersionedIdInput, check_batch_size};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::paging::{Cursor, Direction, PageRequest};
use accord_kernel::records::{self, Record};
use accord_kernel::search::{SearchDocument, phone_terms};
use accord_kernel::security::Permission;
use accord_kernel::standard_record_methods;
use accord_kernel::validate;

/// A person as stored and as the UI receives them.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, TS)]
#[sea_orm(table_name = "contacts")]
#[ts(rename = "Contact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub first_name: String,
    pub last_name: Option<String>,
    pub full_name: String,
    #[serde(skip)]
    #[ts(skip)]
    pub sort_name: String,
    /// The person's role at the organisation ("Chief accountant").
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type Contact = Model;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "contacts";
    const LABEL: &'static str = "contact";
    const SEARCH_ENTITY: Option<&'static str> = Some("contact");

    standard_record_methods!();

    fn derive(&mut self) -> bool {
        let key = accord_kernel::collation::sort_key(&self.full_name);
        let changed = key != self.sort_name;
        self.sort_name = key;
        changed
    }

    fn search_document(&self) -> Option<SearchDocument> {
        let mut terms = vec![self.full_name.clone()];
        terms.extend(self.email.iter().cloned());
        terms.extend(self.phone.iter().flat_map(|p| phone_terms(p)));
        Some(SearchDocument {
            entity: "contact",
            row_id: self.id,
            title: self.full_name.clone(),
            subtitle: [self.role.as_deref(), self.email.as_deref(), self.phone.as_deref()]
                .into_iter()
                .flatten()
                .next()
                .map(str::to_owned),
            terms,
            archived: self.deleted_at.is_some(),
        })
    }
}

/// Validates and normalises the editable fields; `country` reads national phone numbers.
fn normalise_fields(errors: &mut FieldErrors, m: &mut Model, country: Option<&str>) {
    m.first_name = validate::required_text(errors, "first_name", &m.first_name, 100);
    m.last_name = validate::optional_text(errors, "last_name", m.last_name.as_deref(), 100);
    m.full_name = match &m.last_name {
        Some(last) => format!("{} {last}", m.first_name),
        None => m.first_name.clone(),
    };
    m.derive();
    m.role = validate::optional_text(errors, "role", m.role.as_deref(), 100);
    m.email = validate::optional_email(errors, "email", m.email.as_deref());
    m.phone = validate::optional_phone(errors, "phone", m.phone.as_deref(), country);
    m.notes = validate::optional_text(errors, "notes", m.notes.as_deref(), 10_000);
}

/// The organisation must exist and be active; its country reads national phone numbers.
async fn organisation_country(scope: &Scope<'_>, organisation_id: Option<Uuid>) -> Result<Option<String>, ApiError> {
    let Some(id) = organisation_id else { return Ok(None) };
    let org: organisations::Model = records::load(scope, id, "organisation_id").await?;
    records::ensure_active(&org, "organisation_id")?;
    Ok(org.country)
}

async fn duplicates_of(scope: &Scope<'_>, m: &Model) -> Result<Vec<DuplicateWarning>, ApiError> {
    duplicates::find(
        scope,
        Model::TABLE,
        "full_name",
        Model::LABEL,
        m.id,
        &[("email", m.email.as_deref()), ("phone", m.phone.as_deref())],
    )
    .await
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CreateContactInput {
    pub first_name: String,
    #[serde(default)]
    #[ts(optional)]
    pub last_name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub role: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
}

impl CreateContactInput {
    fn into_model(self, scope: &Scope<'_>) -> Model {
        Model {
            id: Uuid::now_v7(),
            organisation_id: self.organisation_id,
            first_name: self.first_name,
            last_name: self.last_name,
            full_name: String::new(),
            sort_name: String::new(),
            role: self.role,
            email: self.email,
            phone: self.phone,
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

#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedContact {
    pub contact: Contact,
    pub duplicates: Vec<DuplicateWarning>,
}

pub struct CreateContact;

impl Operation for CreateContact {
    const NAME: &'static str = "customers.create_contact";
    const PERMISSION: Permission = Permission::CustomersWrite;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Create a contact person, optionally at an organisation with a role.";
    type Input = CreateContactInput;
    type Output = SavedContact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut model = input.into_model(scope);
        let mut errors = FieldErrors::default();
        let country = organisation_country(scope, model.organisation_id).await?;
        normalise_fields(&mut errors, &mut model, country.as_deref());
        errors.into_result()?;
        let duplicates = duplicates_of(scope, &model).await?;
        records::insert(scope, std::slice::from_ref(&model)).await?;
        Ok(SavedContact { contact: model, duplicates })
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportContactsInput {
    /// Up to 1,000 contacts, stored all together or not at all.
    pub items: Vec<CreateContactInput>,
}

pub struct ImportContacts;

impl Operation for ImportContacts {
    const NAME: &'static str = "customers.import_contacts";
    const PERMISSION: Permission = Permission::CustomersWrite;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Create up to 1,000 contacts at once; all or none.";
    type Input = ImportContactsInput;
    type Output = ImportedIds;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        check_batch_size(input.items.len())?;
        let countries = organisation_countries(scope, &input.items).await?;
        let mut all_errors = FieldErrors::default();
        let mut models = Vec::with_capacity(input.items.len());
        for (i, item) in input.items.into_iter().enumerate() {
            let mut model = item.into_model(scope);
            let mut errors = FieldErrors::default();
            let country = match model.organisation_id {
                None => None,
                Some(id) => match countries.get(&id) {
                    Some(country) => country.as_deref(),
                    None => {
                        errors.add(
                            "organisation_id",
                            accord_kernel::error::FieldCode::UnknownId,
                            "No active organisation with this id exists.",
                        );
                        None
                    }
                },
            };
            normalise_fields(&mut errors, &mut model, country);
            all_errors.absorb(&format!("items.{i}"), errors);
            models.push(model);
        }
        all_errors.into_result()?;
        records::insert(scope, &models).await?;
        Ok(ImportedIds { ids: models.iter().map(|m| m.id).collect() })
    }
}

/// Countries of the active organisations the batch refers to, in one query.
async fn organisation_countries(
    scope: &Scope<'_>,
    items: &[CreateContactInput],
) -> Result<std::collections::HashMap<Uuid, Option<String>>, ApiError> {
    let mut ids: Vec<Uuid> = items.iter().filter_map(|i| i.organisation_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(Uuid, Option<String>)> = organisations::Entity::find()
        .select_only()
        .columns([organisations::Column::Id, organisations::Column::Country])
        .filter(organisations::Column::Id.is_in(ids))
        .filter(organisations::Column::DeletedAt.is_null())
        .into_tuple()
        .all(scope.tx)
        .await?;
    Ok(rows.into_iter().collect())
}

pub struct GetContact;

impl Operation for GetContact {
    const NAME: &'static str = "customers.get_contact";
    const PERMISSION: Permission = Permission::CustomersRead;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One contact.";
    type Input = IdInput;
    type Output = Contact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        records::load(scope, input.id, "id").await
    }
}

/// The fields to change; absent fields stay as they are, `null` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ContactChanges {
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional, type = "string")]
    pub first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub last_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub organisation_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub role: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateContactInput {
    pub id: Uuid,
    pub version: i64,
    pub changes: ContactChanges,
}

pub struct UpdateContact;

impl Operation for UpdateContact {
    const NAME: &'static str = "customers.update_contact";
    const PERMISSION: Permission = Permission::CustomersWrite;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Change some fields of a contact, if nobody changed it since it was read.";
    type Input = UpdateContactInput;
    type Output = SavedContact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let mut after = before.clone();
        let c = input.changes;
        let mut errors = FieldErrors::default();
        after.first_name = patch::required(&mut errors, "first_name", after.first_name.clone(), c.first_name);
        if let Some(organisation_id) = c.organisation_id {
            after.organisation_id = organisation_id;
        }
        patch::apply(&mut after.last_name, c.last_name);
        patch::apply(&mut after.role, c.role);
        patch::apply(&mut after.email, c.email);
        patch::apply(&mut after.phone, c.phone);
        patch::apply(&mut after.notes, c.notes);
        let country = organisation_country(scope, after.organisation_id).await?;
        normalise_fields(&mut errors, &mut after, country.as_deref());
        errors.into_result()?;
        let duplicates = duplicates_of(scope, &after).await?;
        let contact = records::update(scope, &before, after, ChangeAction::Update).await?;
        Ok(SavedContact { contact, duplicates })
    }
}

pub struct ArchiveContact;

impl Operation for ArchiveContact {
    const NAME: &'static str = "customers.archive_contact";
    const PERMISSION: Permission = Permission::CustomersArchive;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Archive a contact: hidden from lists and search, kept with its history.";
    type Input = VersionedIdInput;
    type Output = Contact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        records::set_archived::<Model>(scope, input.id, input.version, true).await
    }
}

pub struct RestoreContact;

impl Operation for RestoreContact {
    const NAME: &'static str = "customers.restore_contact";
    const PERMISSION: Permission = Permission::CustomersArchive;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Bring an archived contact back.";
    type Input = VersionedIdInput;
    type Output = Contact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        records::set_archived::<Model>(scope, input.id, input.version, false).await
    }
}

/// The columns a list or a card shows.
#[derive(Debug, Clone, PartialEq, FromQueryResult, Serialize, TS)]
pub struct ContactRow {
    pub id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub full_name: String,
    #[serde(skip)]
    #[ts(skip)]
    pub sort_name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

const ROW_COLUMNS: [Column; 7] = [
    Column::Id,
    Column::OrganisationId,
    Column::FullName,
    Column::SortName,
    Column::Role,
    Column::Email,
    Column::Phone,
];

/// The card shows at most this many people; the contact list pages through the rest.
const CARD_CONTACTS: u64 = 200;

pub(crate) async fn of_organisation(scope: &Scope<'_>, organisation_id: Uuid) -> Result<Vec<ContactRow>, ApiError> {
    Ok(Entity::find()
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

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListContactsInput {
    #[serde(default)]
    #[ts(optional)]
    pub direction: Option<Direction>,
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
    pub archived: Option<bool>,
    /// Only the people of this organisation.
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ContactPage {
    pub items: Vec<ContactRow>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `before` for the previous page; absent on the first page.
    pub prev_cursor: Option<String>,
}

pub struct ListContacts;

impl Operation for ListContacts {
    const NAME: &'static str = "customers.list_contacts";
    const PERMISSION: Permission = Permission::CustomersRead;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One page of contacts by name, with a cursor to the next.";
    type Input = ListContactsInput;
    type Output = ContactPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let request = PageRequest::new(input.limit, input.direction, input.after.as_deref(), input.before.as_deref())?;
        let mut select = Entity::find().select_only().columns(ROW_COLUMNS);
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
}
