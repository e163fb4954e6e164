//! Attaching a file to a record, listing a record's files, saving one where the person
//! chooses, and removing one. Each is held to the record's own kind: a file is attached with
//! the right to change its record and seen with the right to read it, within reach.

use accord_kernel::catalogue::RecordKind;
use accord_kernel::changelog::ChangeAction;
use accord_kernel::error::{ApiError, ErrorCode, FieldCode};
use accord_kernel::files;
use accord_kernel::operation::{Operation, Scope, ensure_permitted};
use accord_kernel::records::{self, Record};
use accord_kernel::security::{Ownership, Permission};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::io::*;
use super::{MAX_BYTES, Model, contents, media_type_of, permissions, sha256_hex};
use crate::door::registry;

/// `attachments.attach`.
pub struct AttachFile;

impl Operation for AttachFile {
    const NAME: &'static str = "attachments.attach";
    const PERMISSION: Permission = permissions::WRITE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Attach a file the person chose to a record they may change; kept with its SHA-256.";
    type Input = AttachFileInput;
    type Output = AttachmentView;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let kind = attachable(&input.table)?;
        ensure_permitted(scope.actor, kind.write_permission, Self::NAME)?;
        let record = record_within_reach(scope, kind, input.record_id).await?;
        if record.archived {
            return Err(ApiError::new(
                ErrorCode::Archived,
                format!("This {} is archived; restore it before attaching files to it.", kind.label),
            )
            .with_field("record_id", FieldCode::Archived, format!("The {} is archived.", kind.label)));
        }
        let chosen = files::read_chosen(&input.path, MAX_BYTES)?;
        let sha256 = sha256_hex(&chosen.bytes);
        contents::keep(scope, &sha256, &chosen.bytes).await?;
        let file_name = fitting_name(&chosen.file_name);
        let mut attachment = Model {
            id: Uuid::now_v7(),
            record_table: kind.table.to_owned(),
            record_id: input.record_id,
            media_type: media_type_of(&file_name),
            file_name,
            size_bytes: chosen.bytes.len() as i64,
            sha256,
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            owner_id: record.ownership.owner_id,
            department_id: record.ownership.department_id,
        };
        records::insert(scope, std::slice::from_mut(&mut attachment)).await?;
        scope.audit_target(Model::TABLE, attachment.id);
        scope.audit_detail(format!("{} → {} {}", attachment.file_name, kind.label, input.record_id));
        let attached_by = accord_security::users::display_names(scope.tx, &[scope.actor.user_id]).await?;
        Ok(AttachmentView { attached_by: attached_by.into_values().next(), available: true, attachment })
    }
}

/// `attachments.list`.
pub struct ListAttachments;

impl Operation for ListAttachments {
    const NAME: &'static str = "attachments.list";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The files attached to a record one may read, oldest first.";
    type Input = ListAttachmentsInput;
    type Output = AttachmentList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let kind = attachable(&input.table)?;
        ensure_permitted(scope.actor, kind.read_permission, Self::NAME)?;
        record_within_reach(scope, kind, input.record_id).await?;
        let mut query = records::find::<Model>(scope)
            .filter(super::Column::RecordTable.eq(kind.table))
            .filter(super::Column::RecordId.eq(input.record_id));
        if !input.include_removed.unwrap_or(false) {
            query = query.filter(super::Column::DeletedAt.is_null());
        }
        let attachments = query.order_by_asc(super::Column::CreatedAt).all(scope.tx).await?;
        let people: Vec<Uuid> = attachments.iter().map(|a| a.created_by).collect();
        let names = accord_security::users::display_names(scope.tx, &people).await?;
        let hashes: Vec<String> = attachments.iter().map(|a| a.sha256.clone()).collect();
        let held = contents::held(scope.tx, &hashes).await?;
        let attachments = attachments
            .into_iter()
            .map(|attachment| AttachmentView {
                attached_by: names.get(&attachment.created_by).cloned(),
                available: held.contains(&attachment.sha256),
                attachment,
            })
            .collect();
        Ok(AttachmentList { attachments })
    }
}

/// `attachments.save`.
pub struct SaveAttachment;

impl Operation for SaveAttachment {
    const NAME: &'static str = "attachments.save";
    const PERMISSION: Permission = permissions::READ;
    // Audited: a file leaving Accord is on the record (ISO 9001 7.5.3, SEC-4).
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Save an attached file where the person chose, checked against its SHA-256 first.";
    type Input = SaveAttachmentInput;
    type Output = SavedAttachment;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let attachment: Model = records::load(scope, input.id, "id").await?;
        let kind = attachable(&attachment.record_table)?;
        ensure_permitted(scope.actor, kind.read_permission, Self::NAME)?;
        record_within_reach(scope, kind, attachment.record_id).await?;
        let bytes = contents::read(scope.tx, &attachment.sha256).await?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!(
                    "The file {} has not reached this computer yet. It comes with the next sync; try again after it.",
                    attachment.file_name
                ),
            )
        })?;
        if sha256_hex(&bytes) != attachment.sha256 {
            tracing::error!(attachment = %attachment.id, "an attachment's stored bytes do not match its hash");
            return Err(ApiError::internal(format!(
                "The stored copy of {} is damaged (it no longer matches the file attached); nothing was saved.",
                attachment.file_name
            )));
        }
        let extension = std::path::Path::new(&attachment.file_name).extension().and_then(|e| e.to_str());
        let path = files::save_path_with(&input.path, extension)?;
        files::write_whole(&path, &bytes)?;
        scope.audit_target(Model::TABLE, attachment.id);
        scope.audit_detail(attachment.file_name.clone());
        Ok(SavedAttachment { path: path.display().to_string(), size_bytes: attachment.size_bytes })
    }
}

/// `attachments.remove`.
pub struct RemoveAttachment;

impl Operation for RemoveAttachment {
    const NAME: &'static str = "attachments.remove";
    const PERMISSION: Permission = permissions::WRITE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str =
        "Remove a file from its record; the file and the fact it was attached stay in the history.";
    type Input = RemoveAttachmentInput;
    type Output = Model;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let attachment: Model = records::load_for_change(scope, input.id, input.version).await?;
        let kind = attachable(&attachment.record_table)?;
        ensure_permitted(scope.actor, kind.write_permission, Self::NAME)?;
        record_within_reach(scope, kind, attachment.record_id).await?;
        scope.audit_target(Model::TABLE, attachment.id);
        scope.audit_detail(attachment.file_name.clone());
        let mut after = attachment.clone();
        after.deleted_at = Some(scope.now);
        records::update(scope, &attachment, after, ChangeAction::Archive).await
    }
}

/// The kind `table` names, when files are attached to it.
fn attachable(table: &str) -> Result<&'static RecordKind, ApiError> {
    match registry::record_kind(table) {
        Some(kind) if kind.attachments => Ok(kind),
        _ => {
            let kinds: Vec<&str> = registry::record_kinds().filter(|k| k.attachments).map(|k| k.table).collect();
            Err(ApiError::field(
                "table",
                FieldCode::InvalidValue,
                format!("Files are not attached to \"{table}\"; they are attached to {}.", kinds.join(", ")),
            ))
        }
    }
}

/// What an attachment needs of its record.
struct AttachedTo {
    ownership: Ownership,
    archived: bool,
}

/// The record `id` of `kind`, when it exists within the actor's reach; "not found" otherwise,
/// so a record out of reach is not disclosed.
async fn record_within_reach(scope: &Scope<'_>, kind: &RecordKind, id: Uuid) -> Result<AttachedTo, ApiError> {
    let found = kind.fields_by_id(scope, &[id]).await?;
    let Some(fields) = found.get(&id) else {
        return Err(ApiError::not_found(kind.label, id).with_field(
            "record_id",
            FieldCode::UnknownId,
            format!("No {} with this id exists.", kind.label),
        ));
    };
    let uuid_at = |name: &str| fields.get(name).and_then(|v| v.as_str()).and_then(|v| v.parse::<Uuid>().ok());
    let archived = ["archived_at", "deleted_at"].iter().any(|name| fields.get(*name).is_some_and(|v| !v.is_null()));
    Ok(AttachedTo {
        ownership: Ownership { owner_id: uuid_at("owner_id"), department_id: uuid_at("department_id") },
        archived,
    })
}

/// A file name that fits the column (255 characters), its extension kept.
fn fitting_name(name: &str) -> String {
    const LONGEST: usize = 255;
    if name.chars().count() <= LONGEST {
        return name.to_owned();
    }
    let path = std::path::Path::new(name);
    let extension = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let stem: String = name.chars().take(LONGEST.saturating_sub(extension.chars().count())).collect();
    format!("{stem}{extension}")
}
