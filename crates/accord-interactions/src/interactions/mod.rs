//! Interactions (COMM-1, COMM-2): one contact with a customer — what (a topic), when, with
//! whom (a contact, an organisation or both), how (channel and form), who answered for it
//! (the responsible employee, who owns it) and what was said (the summary).

mod io;
mod operations;
mod queries;

use crate::topics;
use accord_customers::{contacts, organisations};
use accord_kernel::changelog::ChangeAction;
use accord_kernel::custom_fields;
use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::io::{IdInput, patch};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::paging::{Cursor, Direction, PageRequest};
use accord_kernel::records::{self, Archivable, Archive, Record, Reference, Restorable, Restore};
use accord_kernel::search::{self, SearchDocument};
use accord_kernel::security::{Ownership, Permission};
use accord_kernel::standard_record_methods;
use accord_kernel::validate;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{FromQueryResult, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use io::*;
pub use operations::*;

/// How the contact happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, TS)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
#[ts(rename = "InteractionChannel")]
pub enum Channel {
    #[sea_orm(string_value = "phone")]
    Phone,
    #[sea_orm(string_value = "email")]
    Email,
    #[sea_orm(string_value = "meeting")]
    Meeting,
    #[sea_orm(string_value = "letter")]
    Letter,
    #[sea_orm(string_value = "chat")]
    Chat,
    #[sea_orm(string_value = "visit")]
    Visit,
}

impl Channel {
    /// The form a contact by this channel usually takes, when the person logging it does
    /// not say: a call or a meeting is oral, a message is written.
    pub fn usual_form(self) -> Form {
        match self {
            Channel::Phone | Channel::Meeting | Channel::Visit => Form::Oral,
            Channel::Email | Channel::Letter | Channel::Chat => Form::Written,
        }
    }
}

/// The form the information took (ISO 9001 7.4: written, oral or visual communication).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, TS)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
#[ts(rename = "InteractionForm")]
pub enum Form {
    #[sea_orm(string_value = "written")]
    Written,
    #[sea_orm(string_value = "oral")]
    Oral,
    #[sea_orm(string_value = "visual")]
    Visual,
}

/// An interaction as stored and as the UI receives it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "interactions")]
#[ts(rename = "Interaction")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic_id: Uuid,
    pub happened_at: DateTime<Utc>,
    pub channel: Channel,
    pub form: Form,
    pub contact_id: Option<Uuid>,
    /// The organisation, also when only a contact was named: the contact's at the time.
    pub organisation_id: Option<Uuid>,
    /// The employee who answered for it; it is theirs (`owner_id`), in their department.
    pub responsible_id: Uuid,
    pub summary: String,
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
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type Interaction = Model;

/// The entity of its search documents.
pub const SEARCH_ENTITY: &str = "interaction";

/// A search document's title: the summary's first line, cut to this many characters.
const TITLE_CHARS: usize = 120;

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "interactions.archive";
    const ARCHIVE_PERMISSION: Permission = crate::permissions::ARCHIVE;
    const ARCHIVE_SUMMARY: &'static str =
        "Archive an interaction logged in error: hidden from histories and search, kept with its history.";
}

impl Restorable for Model {
    const RESTORE_OPERATION: &'static str = "interactions.restore";
    const RESTORE_SUMMARY: &'static str = "Bring an archived interaction back into the histories.";
}

/// `interactions.archive`.
pub type ArchiveInteraction = Archive<Model>;
/// `interactions.restore`.
pub type RestoreInteraction = Restore<Model>;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "interactions";
    const LABEL: &'static str = "interaction";
    const READ_PERMISSION: Permission = crate::permissions::READ;
    const WRITE_PERMISSION: Permission = crate::permissions::WRITE;
    const SEARCH_ENTITY: Option<&'static str> = Some(SEARCH_ENTITY);
    const CUSTOM_FIELDS: bool = true;
    const ATTACHMENTS: bool = true;
    const IMPORTANT_FIELDS: &'static [&'static str] =
        &["happened_at", "channel", "topic_id", "contact_id", "organisation_id", "responsible_id"];
    const REFERENCES: &'static [Reference] = &[
        Reference { field: "contact_id", table: "contacts" },
        Reference { field: "organisation_id", table: "organisations" },
        Reference { field: "topic_id", table: "interaction_topics" },
    ];

    standard_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        let first_line = self.summary.lines().next().unwrap_or_default();
        let mut terms = vec![self.summary.clone()];
        terms.extend(custom_fields::search_terms(&self.custom));
        Some(SearchDocument {
            entity: SEARCH_ENTITY,
            row_id: self.id,
            title: first_line.chars().take(TITLE_CHARS).collect(),
            subtitle: Some(self.happened_at.format("%Y-%m-%d %H:%M UTC").to_string()),
            terms,
            archived: self.deleted_at.is_some(),
        })
    }
}

/// An interaction is a fact: it may be logged a little ahead of the clock (a call ending
/// now), but one further ahead is a plan, which is a scheduled contact (COMM-3).
const FUTURE_TOLERANCE: chrono::Duration = chrono::Duration::minutes(10);

/// What every new interaction must satisfy: a summary, a time that has come, someone it
/// was with, and an active topic.
async fn check_fields(scope: &Scope<'_>, errors: &mut FieldErrors, m: &mut Model) -> Result<(), ApiError> {
    check_summary(errors, m);
    check_time(scope, errors, m);
    settle_whom(scope, errors, m.contact_id, &mut m.organisation_id).await?;
    check_topic(scope, errors, m.topic_id).await
}

fn check_summary(errors: &mut FieldErrors, m: &mut Model) {
    m.summary = validate::required_text(errors, "summary", &m.summary, 20_000);
}

fn check_time(scope: &Scope<'_>, errors: &mut FieldErrors, m: &Model) {
    if m.happened_at > scope.now + FUTURE_TOLERANCE {
        errors.add(
            "happened_at",
            FieldCode::InvalidValue,
            "This time is in the future; log what has happened, or schedule the contact instead.",
        );
    }
}

pub(crate) async fn check_topic(scope: &Scope<'_>, errors: &mut FieldErrors, topic_id: Uuid) -> Result<(), ApiError> {
    match topics::active(scope, topic_id, "topic_id").await {
        Ok(_) => Ok(()),
        Err(refused) => errors.merge_from(refused),
    }
}

/// Whom it was with: the contact must be active, the organisation too, and a contact's
/// organisation is the interaction's unless another was named (which must then be the
/// contact's).
pub(crate) async fn settle_whom(
    scope: &Scope<'_>,
    errors: &mut FieldErrors,
    contact_id: Option<Uuid>,
    organisation_id: &mut Option<Uuid>,
) -> Result<(), ApiError> {
    if contact_id.is_none() && organisation_id.is_none() {
        errors.add("contact_id", FieldCode::Required, "Say who it is with: a contact, an organisation or both.");
    }
    if let Some(contact_id) = contact_id
        && let Some(contact) = referred::<contacts::Model>(scope, errors, contact_id, "contact_id").await?
    {
        match (*organisation_id, contact.organisation_id) {
            (None, works_at) => *organisation_id = works_at,
            (Some(named), Some(works_at)) if named != works_at => errors.add(
                "organisation_id",
                FieldCode::InvalidValue,
                format!("{} works at another organisation; choose that one or none.", contact.full_name),
            ),
            _ => {}
        }
    }
    if let Some(organisation_id) = *organisation_id {
        referred::<organisations::Model>(scope, errors, organisation_id, "organisation_id").await?;
    }
    Ok(())
}

/// The active record `id` refers to, or a field error (unknown, out of reach, archived).
async fn referred<R: Record>(
    scope: &Scope<'_>,
    errors: &mut FieldErrors,
    id: Uuid,
    field: &str,
) -> Result<Option<R>, ApiError> {
    match records::load::<R>(scope, id, field).await {
        Ok(record) => match records::ensure_active(&record, field) {
            Ok(()) => Ok(Some(record)),
            Err(refused) => errors.merge_from(refused).map(|()| None),
        },
        Err(refused) => errors.merge_from(refused).map(|()| None),
    }
}

/// The ownership an interaction takes from its responsible employee: theirs, in their
/// department. The actor answers for what they log unless they name a colleague, who must be
/// an active user.
pub(crate) async fn ownership_of(
    scope: &Scope<'_>,
    errors: &mut FieldErrors,
    responsible_id: Uuid,
) -> Result<Ownership, ApiError> {
    if responsible_id == scope.actor.user_id {
        return Ok(scope.actor.ownership());
    }
    match accord_security::users::active_colleague(scope, responsible_id, "responsible_id").await {
        Ok(colleague) => Ok(Ownership { owner_id: Some(colleague.id), department_id: colleague.department_id }),
        Err(refused) => errors.merge_from(refused).map(|()| scope.actor.ownership()),
    }
}
