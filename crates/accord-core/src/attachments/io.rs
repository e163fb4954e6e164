//! What the attachment operations take and give.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::Model;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AttachFileInput {
    /// The kind of record (`interactions`).
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub record_id: Uuid,
    /// The file, as the system's Open dialog gave it (`settings.choose_file`).
    pub path: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListAttachmentsInput {
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub record_id: Uuid,
    /// Also those removed from the record (for the history); default not.
    #[serde(default)]
    #[ts(optional)]
    pub include_removed: Option<bool>,
}

/// A record's attachments, oldest first, with who attached each.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AttachmentList {
    pub attachments: Vec<AttachmentView>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AttachmentView {
    #[serde(flatten)]
    pub attachment: Model,
    /// Who attached it, by name.
    pub attached_by: Option<String>,
    /// Whether its bytes are on this computer (an offline laptop receives them at its next
    /// sync); a file that is not cannot be saved yet.
    pub available: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SaveAttachmentInput {
    pub id: Uuid,
    /// Where to save it, as the system's Save dialog gave it (`settings.choose_save_file`).
    pub path: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedAttachment {
    /// The file written (its extension kept).
    pub path: String,
    pub size_bytes: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RemoveAttachmentInput {
    pub id: Uuid,
    pub version: i64,
}
