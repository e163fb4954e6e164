//! Interaction topics (COMM-1 "what"): the managed list an interaction's subject is chosen
//! from. The administrator keeps it; everyone who logs interactions reads it. A topic is
//! everyone's (never a department's), and retiring one keeps the interactions that name it.

mod io;
mod operations;
mod queries;

use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records::{self, Archivable, Archive, Record, Restorable, Restore};
use accord_kernel::search::{SearchDocument, normalise};
use accord_kernel::security::Permission;
use accord_kernel::validate;
use chrono::{DateTime, Utc};
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use io::*;
pub use operations::*;

/// A topic as stored and as the UI receives it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "interaction_topics")]
#[ts(rename = "InteractionTopic")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    #[serde(skip)]
    #[ts(skip)]
    pub sort_name: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    /// When it was retired: no longer offered for new interactions; those that name it keep it.
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type InteractionTopic = Model;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "interaction_topics";
    const LABEL: &'static str = "interaction topic";
    const READ_PERMISSION: Permission = crate::permissions::READ;
    const WRITE_PERMISSION: Permission = crate::permissions::MANAGE_TOPICS;

    // A topic is everyone's: a department would hide it from the other departments' forms.
    accord_kernel::shared_record_methods!();

    fn derive(&mut self) -> bool {
        let key = accord_kernel::collation::sort_key(&self.name);
        let changed = key != self.sort_name;
        self.sort_name = key;
        changed
    }

    fn search_document(&self) -> Option<SearchDocument> {
        None
    }
}

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "interactions.retire_topic";
    const ARCHIVE_PERMISSION: Permission = crate::permissions::MANAGE_TOPICS;
    const ARCHIVE_SUMMARY: &'static str =
        "Retire an interaction topic: no longer offered; the interactions that name it keep it.";
}

impl Restorable for Model {
    const RESTORE_OPERATION: &'static str = "interactions.restore_topic";
    const RESTORE_SUMMARY: &'static str = "Offer a retired interaction topic again.";
}

/// `interactions.retire_topic`.
pub type RetireTopic = Archive<Model>;
/// `interactions.restore_topic`.
pub type RestoreTopic = Restore<Model>;

/// The topic `id` for a new interaction or a change of one: it exists and is not retired
/// (`field` names the input field that held it).
pub async fn active(scope: &Scope<'_>, id: Uuid, field: &str) -> Result<Model, ApiError> {
    let topic: Model = records::load(scope, id, field).await?;
    if topic.deleted_at.is_some() {
        return Err(ApiError::field(
            field,
            FieldCode::Archived,
            format!("The topic “{}” is retired; choose another topic.", topic.name),
        ));
    }
    Ok(topic)
}
