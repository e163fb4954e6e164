//! Pairs a person judged to be two different records ("not duplicates"), kept so that the
//! next scan does not offer them again. A record of its own (history, sync to laptops); it is
//! everyone's, like a custom field — an owner, never a department — so one person's judgement
//! spares the whole team; archiving it offers the pair again.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::{Archivable, Record};
use crate::search::SearchDocument;
use crate::security::Permission;

/// A pair judged distinct, as stored: `first_id` is always the smaller id.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "duplicate_dismissals")]
#[ts(rename = "DuplicateDismissal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub record_table: String,
    pub first_id: Uuid,
    pub second_id: Uuid,
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

pub type Dismissal = Model;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "duplicate_dismissals";
    const LABEL: &'static str = "pair judged distinct";
    const READ_PERMISSION: Permission = super::permissions::FIND;
    const WRITE_PERMISSION: Permission = super::permissions::MERGE;

    // Everyone's: a department would hide the judgement from the other departments' scans.
    crate::shared_record_methods!();
    fn search_document(&self) -> Option<SearchDocument> {
        None
    }
}

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "duplicates.reconsider_pair";
    const ARCHIVE_PERMISSION: Permission = super::permissions::MERGE;
    const ARCHIVE_SUMMARY: &'static str =
        "Take back a judgement that two records are different: the next scan offers the pair again.";
}
