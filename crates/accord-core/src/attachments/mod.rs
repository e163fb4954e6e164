//! Files attached to records (COMM-1: the letter, the signed minutes, the photo of the damaged
//! part on an interaction). Any kind that declares `Record::ATTACHMENTS` takes them; this
//! domain answers for all of them, as `fields` does for custom fields.
//!
//! - An attachment is a business record (`attachments`): its record, file name, media type,
//!   size and SHA-256, owned like its record, so whoever sees the record sees its files. It
//!   syncs through the change log; removing one archives it (ISO 9001 7.5.3: kept, not lost).
//! - The bytes are kept once per hash in `attachment_contents`, outside the change log: a file
//!   attached twice is stored once, and sync sends only the files the other side lacks
//!   ([`contents`]). A file is read whole and checked before anything is stored.

pub mod contents;
mod io;
mod operations;

use accord_kernel::catalogue::Domain;
use accord_kernel::records::Record;
use accord_kernel::search::SearchDocument;
use accord_kernel::security::{BuiltInRole, Permission};
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use io::*;
pub use operations::*;

/// The largest file Accord keeps: a scanned contract or a set of photos, not a video. Larger
/// files belong in a document store, linked from the summary.
pub const MAX_BYTES: u64 = 25 * 1024 * 1024;

pub mod permissions {
    use accord_kernel::security::Permission;
    /// See the files attached to the records one may read.
    pub const READ: Permission = Permission::new("attachments.read");
    /// Attach files to the records one may change, and remove them.
    pub const WRITE: Permission = Permission::new("attachments.write");
}

/// An attachment as stored and as the UI receives it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "attachments")]
#[ts(rename = "Attachment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The kind of record it is attached to (`interactions`).
    pub record_table: String,
    pub record_id: Uuid,
    /// The file's name when it was attached, without its folder.
    pub file_name: String,
    /// Its MIME type, by its extension (`application/pdf`).
    pub media_type: String,
    pub size_bytes: i64,
    /// The SHA-256 of its bytes, hexadecimal: what it is kept under and checked against.
    pub sha256: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    /// When it was removed from its record (kept, with its bytes, for the history).
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "attachments";
    const LABEL: &'static str = "attachment";
    const READ_PERMISSION: Permission = permissions::READ;
    const WRITE_PERMISSION: Permission = permissions::WRITE;

    accord_kernel::standard_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        None
    }
}

pub fn domain() -> Domain {
    use BuiltInRole::{Auditor, Manager, Quality, Sales, ServiceDesk};
    Domain::new("attachments")
        .permission(
            permissions::READ,
            "See and save the files attached to the records one may read.",
            &[Manager, Sales, ServiceDesk, Quality, Auditor],
        )
        .permission(
            permissions::WRITE,
            "Attach files to the records one may change, and remove them.",
            &[Manager, Sales, ServiceDesk, Quality],
        )
        .record::<Model>()
        .operation::<AttachFile>()
        .operation::<ListAttachments>()
        .operation::<SaveAttachment>()
        .operation::<RemoveAttachment>()
        .operation::<contents::ContentsLacking>()
        .operation::<contents::StoreContents>()
        .operation::<contents::ReadContents>()
}

/// The media type people's programs know a file by, from its extension.
fn media_type_of(file_name: &str) -> String {
    mime_guess::from_path(file_name).first_or_octet_stream().essence_str().to_owned()
}

/// The SHA-256 of `bytes`, hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_extension_and_its_hash() {
        assert_eq!(media_type_of("Протокол.PDF"), "application/pdf");
        assert_eq!(media_type_of("عکس.jpg"), "image/jpeg");
        assert_eq!(media_type_of("README"), "application/octet-stream");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
