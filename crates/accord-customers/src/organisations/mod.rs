//! Organisations: customers, suppliers and partners (CUST-1).

mod import;
mod io;
mod operations;
mod queries;

use crate::contacts::{self, ContactRow};
use crate::duplicates::{self, DuplicateWarning};
use crate::relations::{self, RelationView};
use accord_kernel::custom_fields;
use accord_kernel::error::{ApiError, FieldErrors};
use accord_kernel::imports;
use accord_kernel::io::patch;
use accord_kernel::io::{IdInput, ImportedIds, check_batch_size};
use accord_kernel::merge::{MatchKey, Mergeable};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::paging::{Cursor, Direction, PageRequest};
use accord_kernel::records::{self, Archivable, Archive, Record, Restorable, Restore};
use accord_kernel::search::{self, SearchDocument, phone_terms};
use accord_kernel::security::Permission;
use accord_kernel::segments::{Segmentable, StandardField, StandardType};
use accord_kernel::standard_record_methods;
use accord_kernel::validate;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{FromQueryResult, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use io::*;
pub use operations::*;

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
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
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
    /// Its custom values, by field key (CUST-3; `custom_fields`).
    #[serde(default = "custom_fields::empty")]
    #[ts(type = "CustomValues")]
    pub custom: Json,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    #[sea_orm(column_name = "deleted_at")]
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

pub type Organisation = Model;

/// The entity of its search documents.
pub const SEARCH_ENTITY: &str = "organisation";

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "customers.archive_organisation";
    const ARCHIVE_PERMISSION: Permission = crate::permissions::ARCHIVE;
    const ARCHIVE_SUMMARY: &'static str =
        "Archive an organisation: hidden from lists and search, kept with its history.";
}

impl Restorable for Model {
    const RESTORE_OPERATION: &'static str = "customers.restore_organisation";
    const RESTORE_SUMMARY: &'static str = "Bring an archived organisation back.";
}

/// `customers.archive_organisation`.
pub type ArchiveOrganisation = Archive<Model>;
/// `customers.restore_organisation`.
pub type RestoreOrganisation = Restore<Model>;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "organisations";
    const LABEL: &'static str = "organisation";
    const READ_PERMISSION: Permission = crate::permissions::READ;
    const WRITE_PERMISSION: Permission = crate::permissions::WRITE;
    const SEARCH_ENTITY: Option<&'static str> = Some(SEARCH_ENTITY);
    /// Whether it is a customer, prospect, supplier or partner, and its tax id: concurrent
    /// edits of these on two laptops wait for a person.
    const IMPORTANT_FIELDS: &'static [&'static str] = &["kind", "tax_id"];
    const CUSTOM_FIELDS: bool = true;

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
        terms.extend(custom_fields::search_terms(&self.custom));
        Some(SearchDocument {
            entity: SEARCH_ENTITY,
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

impl Mergeable for Model {
    const MERGE_FIELDS: &'static [&'static str] = &[
        "kind",
        "name",
        "legal_name",
        "tax_id",
        "email",
        "phone",
        "website",
        "industry",
        "country",
        "city",
        "address",
        "notes",
    ];

    /// A tax id is near proof; a name, an email or a website is strong; a shared phone is
    /// often a business centre's switchboard, so it counts less.
    fn match_keys(&self) -> Vec<MatchKey> {
        [
            MatchKey::code("tax_id", self.tax_id.as_deref(), 80),
            MatchKey::name("name", &self.name, 50),
            MatchKey::email(self.email.as_deref(), 50),
            MatchKey::website(self.website.as_deref(), 50),
            MatchKey::phone(self.phone.as_deref(), 30),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

impl Segmentable for Model {
    const ORDER_INDEX: Option<&'static str> = Some("organisations_by_name");
    const FILTER_FIELDS: &'static [StandardField] = &[
        StandardField { field: "kind", kind: StandardType::Choice(&["customer", "prospect", "supplier", "partner"]) },
        StandardField { field: "industry", kind: StandardType::Text },
        StandardField { field: "country", kind: StandardType::Text },
        StandardField { field: "city", kind: StandardType::Text },
        StandardField { field: "email", kind: StandardType::Text },
        StandardField { field: "phone", kind: StandardType::Text },
        StandardField { field: "website", kind: StandardType::Text },
        StandardField { field: "tax_id", kind: StandardType::Text },
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

pub const NAME_MAX: usize = 200;

/// Validates and normalises every editable field in place (trim, lower-case email, E.164 phone).
/// `phone_country` reads a national phone number when the organisation has no country (an
/// import's default).
fn normalise_fields(errors: &mut FieldErrors, m: &mut Model, phone_country: Option<&str>) {
    m.name = validate::required_text(errors, "name", &m.name, NAME_MAX);
    m.derive();
    m.legal_name = validate::optional_text(errors, "legal_name", m.legal_name.as_deref(), 300);
    // Stored in Latin digits, so a tax id typed in Persian digits is the same tax id.
    m.tax_id = validate::optional_text(errors, "tax_id", m.tax_id.as_deref(), 32).map(|t| validate::latin_digits(&t));
    m.email = validate::optional_email(errors, "email", m.email.as_deref());
    m.country = validate::optional_country(errors, "country", m.country.as_deref());
    m.phone = validate::optional_phone(errors, "phone", m.phone.as_deref(), m.country.as_deref().or(phone_country));
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
