//! A merge as it is kept: a record of its own (history, sync to laptops, row-level security
//! on a team server), so the archived record points to its survivor on every computer and
//! the merge can be undone from what it holds.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::Record;
use crate::search::SearchDocument;
use crate::security::Permission;

/// A field the survivor took from the merged record, with its value before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldTaken {
    pub field: String,
    #[ts(type = "unknown")]
    pub before: serde_json::Value,
    #[ts(type = "unknown")]
    pub after: serde_json::Value,
}

/// A record that named the merged record and was moved to the survivor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MovedReference {
    pub table: String,
    pub row_id: Uuid,
    pub field: String,
}

/// One merge of two records of a kind, as stored and as the UI receives it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "record_merges")]
#[ts(rename = "RecordMerge")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The kind of both records (their table).
    pub record_table: String,
    /// The record kept.
    pub survivor_id: Uuid,
    /// The record merged into it, archived.
    pub merged_id: Uuid,
    /// The fields the survivor took from the merged record (`FieldTaken`).
    #[ts(as = "Vec<FieldTaken>")]
    pub fields: Json,
    /// The records moved from the merged record to the survivor (`MovedReference`).
    #[ts(as = "Vec<MovedReference>")]
    pub moved: Json,
    /// Records the merge archived because they came to name the survivor twice (a relation
    /// of the two merged records to each other), restored by an undo (`MovedReference`,
    /// its field the first one).
    #[ts(as = "Vec<MovedReference>")]
    pub archived: Json,
    /// When the merge was undone, and by whom.
    pub undone_at: Option<DateTime<Utc>>,
    pub undone_by: Option<Uuid>,
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

pub type Merge = Model;

impl Model {
    pub fn fields_taken(&self) -> Vec<FieldTaken> {
        serde_json::from_value(self.fields.clone()).unwrap_or_default()
    }

    pub fn moved_references(&self) -> Vec<MovedReference> {
        serde_json::from_value(self.moved.clone()).unwrap_or_default()
    }

    pub fn archived_references(&self) -> Vec<MovedReference> {
        serde_json::from_value(self.archived.clone()).unwrap_or_default()
    }
}

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "record_merges";
    const LABEL: &'static str = "merge";
    const READ_PERMISSION: Permission = super::permissions::FIND;
    const WRITE_PERMISSION: Permission = super::permissions::MERGE;

    crate::standard_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        None
    }
}
