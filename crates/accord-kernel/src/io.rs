//! Inputs, outputs and input helpers that every domain's operations share, so the same
//! request has one shape (and one generated TypeScript type) in every domain.

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{ApiError, FieldCode, FieldErrors};

/// One record, by id (`get_…` operations).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct IdInput {
    pub id: Uuid,
}

/// One record as the caller read it (`archive_…`, `restore_…`): refused with `conflict` when
/// the stored version is newer.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VersionedIdInput {
    pub id: Uuid,
    pub version: i64,
}

/// What a batch import created, in the order of its items.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportedIds {
    pub ids: Vec<Uuid>,
}

/// Records per import batch: one transaction, all or none.
pub const MAX_IMPORT_BATCH: usize = 1000;

/// Refuses an empty or oversized import batch.
pub fn check_batch_size(len: usize) -> Result<(), ApiError> {
    if (1..=MAX_IMPORT_BATCH).contains(&len) {
        Ok(())
    } else {
        Err(ApiError::field(
            "items",
            FieldCode::InvalidValue,
            format!("Send between 1 and {MAX_IMPORT_BATCH} items per batch."),
        ))
    }
}

/// The edit of one field in an `update_…` input: absent = leave as is, `null` = clear,
/// a value = set. Use with `#[serde(default, deserialize_with = "patch::double_option")]`.
pub mod patch {
    use super::*;

    pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }

    /// A required field can be changed but not cleared.
    pub fn required<T>(errors: &mut FieldErrors, field: &str, current: T, edit: Option<Option<T>>) -> T {
        match edit {
            None => current,
            Some(Some(value)) => value,
            Some(None) => {
                errors.add(field, FieldCode::Required, "This field is required and cannot be cleared.");
                current
            }
        }
    }

    /// Applies an edit to the current value.
    pub fn apply(current: &mut Option<String>, edit: Option<Option<String>>) {
        if let Some(value) = edit {
            *current = value;
        }
    }
}

/// A file an export made, for the window to save where the user chooses.
#[derive(Clone, Serialize, TS)]
pub struct ExportedFile {
    /// A suggested name, with its extension.
    pub file_name: String,
    /// The MIME type (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, …).
    pub media_type: String,
    /// The content, base64 (standard alphabet, padded).
    pub content_base64: String,
}

impl std::fmt::Debug for ExportedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportedFile").field("file_name", &self.file_name).finish_non_exhaustive()
    }
}
