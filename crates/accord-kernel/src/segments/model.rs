//! A saved segment: a name and a filter over one kind of record, evaluated whenever it is read
//! (so its members are always who matches now). A record of its own: history, sync to
//! laptops, row-level security; it belongs to its owner's department like a customer.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::{Archivable, Record, Restorable};
use crate::search::SearchDocument;
use crate::security::Permission;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "segments")]
#[ts(rename = "Segment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// The kind it selects from (its table).
    pub record_table: String,
    /// The selection (`SegmentFilter`).
    #[ts(as = "super::Filter")]
    pub filter: Json,
    pub notes: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type Segment = Model;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "segments";
    const LABEL: &'static str = "segment";
    const READ_PERMISSION: Permission = super::permissions::READ;
    const WRITE_PERMISSION: Permission = super::permissions::MANAGE;

    crate::standard_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        None
    }
}

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "segments.archive";
    const ARCHIVE_PERMISSION: Permission = super::permissions::MANAGE;
    const ARCHIVE_SUMMARY: &'static str = "Archive a saved segment; its history is kept.";
}

impl Restorable for Model {
    const RESTORE_OPERATION: &'static str = "segments.restore";
    const RESTORE_SUMMARY: &'static str = "Bring an archived segment back.";
}
