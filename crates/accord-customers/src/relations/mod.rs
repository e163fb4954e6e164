//! Relations between organisations: parent company, supplier, partner, competitor (CUST-1).

mod io;
mod operations;
mod queries;

use crate::organisations;
use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records::{self, Archivable, Archive, Record, Reference};
use accord_kernel::search::SearchDocument;
use accord_kernel::security::Permission;
use accord_kernel::standard_record_methods;
use accord_kernel::validate;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{Condition, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

pub use io::*;
pub use operations::*;
pub(crate) use queries::of_organisation;

/// Read as "organisation is <kind> related organisation".
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, TS)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    #[sea_orm(string_value = "parent_of")]
    ParentOf,
    #[sea_orm(string_value = "supplier_of")]
    SupplierOf,
    #[sea_orm(string_value = "partner_of")]
    PartnerOf,
    #[sea_orm(string_value = "competitor_of")]
    CompetitorOf,
}

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "organisation_relations")]
#[ts(rename = "OrganisationRelation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub related_organisation_id: Uuid,
    pub kind: RelationKind,
    pub note: Option<String>,
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "customers.archive_relation";
    const ARCHIVE_PERMISSION: Permission = crate::permissions::ARCHIVE;
    const ARCHIVE_SUMMARY: &'static str = "End a relation between two organisations; its history is kept.";
}

/// `customers.archive_relation`.
pub type ArchiveRelation = Archive<Model>;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "organisation_relations";
    const REFERENCES: &'static [Reference] = &[
        Reference { field: "organisation_id", table: "organisations" },
        Reference { field: "related_organisation_id", table: "organisations" },
    ];
    const LABEL: &'static str = "relation";
    const READ_PERMISSION: Permission = crate::permissions::READ;
    const WRITE_PERMISSION: Permission = crate::permissions::WRITE;

    standard_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        // Relations are found through their organisations.
        None
    }
}
