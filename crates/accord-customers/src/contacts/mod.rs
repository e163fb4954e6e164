//! Contacts: the people of an organisation, with their role there (CUST-1).

mod import;
mod io;
mod operations;
mod queries;

use crate::duplicates::{self, DuplicateWarning};
use crate::organisations;
use accord_kernel::changelog::ChangeAction;
use accord_kernel::custom_fields;
use accord_kernel::error::{ApiError, FieldErrors};
use accord_kernel::imports;
use accord_kernel::io::patch;
use accord_kernel::io::{IdInput, ImportedIds, check_batch_size};
use accord_kernel::merge::{MatchKey, Mergeable};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::paging::{Cursor, Direction, PageRequest};
use accord_kernel::records::{self, Archivable, Archive, Record, Reference, Restorable, Restore};
use accord_kernel::search::{SearchDocument, phone_terms};
use accord_kernel::security::Permission;
use accord_kernel::segments::{Segmentable, StandardField, StandardType};
use accord_kernel::standard_record_methods;
use accord_kernel::validate;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Order;
use sea_orm::{FromQueryResult, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use io::*;
pub use operations::*;
pub(crate) use queries::of_organisation;

/// A person as stored and as the UI receives them.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
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
    /// Its custom values, by field key (CUST-3; `custom_fields`).
    #[serde(default = "custom_fields::empty")]
    #[ts(type = "CustomValues")]
    pub custom: Json,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
    /// Who it belongs to and the department it belongs to (no department: shared).
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    /// When someone last confirmed its data is current (CUST-6); never: it counts from its
    /// creation.
    #[serde(default)]
    pub confirmed_at: Option<DateTime<Utc>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type Contact = Model;

/// The entity of its search documents.
pub const SEARCH_ENTITY: &str = "contact";

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "customers.archive_contact";
    const ARCHIVE_PERMISSION: Permission = crate::permissions::ARCHIVE;
    const ARCHIVE_SUMMARY: &'static str = "Archive a contact: hidden from lists and search, kept with its history.";
}

impl Restorable for Model {
    const RESTORE_OPERATION: &'static str = "customers.restore_contact";
    const RESTORE_SUMMARY: &'static str = "Bring an archived contact back.";
}

/// `customers.archive_contact`.
pub type ArchiveContact = Archive<Model>;
/// `customers.restore_contact`.
pub type RestoreContact = Restore<Model>;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "contacts";
    const REFERENCES: &'static [Reference] = &[Reference { field: "organisation_id", table: "organisations" }];
    const LABEL: &'static str = "contact";
    const READ_PERMISSION: Permission = crate::permissions::READ;
    const WRITE_PERMISSION: Permission = crate::permissions::WRITE;
    const SEARCH_ENTITY: Option<&'static str> = Some(SEARCH_ENTITY);
    const CUSTOM_FIELDS: bool = true;

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
        terms.extend(custom_fields::search_terms(&self.custom));
        Some(SearchDocument {
            entity: SEARCH_ENTITY,
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

impl Mergeable for Model {
    const MERGE_FIELDS: &'static [&'static str] =
        &["first_name", "last_name", "organisation_id", "role", "email", "phone", "notes"];

    /// An email or a direct phone is one person's; a name is shared by many people, so it
    /// makes a pair only with the same organisation.
    fn match_keys(&self) -> Vec<MatchKey> {
        [
            MatchKey::email(self.email.as_deref(), 60),
            MatchKey::phone(self.phone.as_deref(), 50),
            MatchKey::name("name", &self.full_name, 40),
            MatchKey::supporting("organisation_id", self.organisation_id.map(|id| id.to_string()), 25),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn settle(&mut self) {
        self.full_name = full_name(&self.first_name, self.last_name.as_deref());
        self.derive();
    }
}

impl Segmentable for Model {
    const ORDER_INDEX: Option<&'static str> = Some("contacts_by_name");
    const FILTER_FIELDS: &'static [StandardField] = &[
        StandardField { field: "organisation_id", kind: StandardType::Reference("organisations") },
        StandardField { field: "role", kind: StandardType::Text },
        StandardField { field: "email", kind: StandardType::Text },
        StandardField { field: "phone", kind: StandardType::Text },
        StandardField { field: "owner_id", kind: StandardType::Reference("users") },
        StandardField { field: "created_at", kind: StandardType::Moment },
        StandardField { field: "updated_at", kind: StandardType::Moment },
        StandardField { field: "confirmed_at", kind: StandardType::Moment },
    ];
}

impl accord_kernel::freshness::Confirmable for Model {
    fn confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.confirmed_at
    }

    fn set_confirmed_at(&mut self, at: DateTime<Utc>) {
        self.confirmed_at = Some(at);
    }
}

fn full_name(first: &str, last: Option<&str>) -> String {
    match last {
        Some(last) => format!("{first} {last}"),
        None => first.to_owned(),
    }
}

/// Validates and normalises the editable fields; `country` reads national phone numbers.
fn normalise_fields(errors: &mut FieldErrors, m: &mut Model, country: Option<&str>) {
    m.first_name = validate::required_text(errors, "first_name", &m.first_name, 100);
    m.last_name = validate::optional_text(errors, "last_name", m.last_name.as_deref(), 100);
    m.full_name = full_name(&m.first_name, m.last_name.as_deref());
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
