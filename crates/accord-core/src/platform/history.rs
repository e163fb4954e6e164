//! `history.record`: every change of one record of any registered kind, field by field.

use accord_kernel::error::{ApiError, FieldCode};
use accord_kernel::history::{self, RecordHistory};
use accord_kernel::operation::{Operation, Scope, ensure_permitted};
use accord_kernel::security::Permission;
use serde::Deserialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::door::registry;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RecordHistoryInput {
    /// The record kind's table, as registered (`organisations`, `contacts`, …).
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub id: Uuid,
    /// At most this many entries (1–1000, default 200).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}

pub struct ReadRecordHistory;

impl Operation for ReadRecordHistory {
    const NAME: &'static str = "history.record";
    const PERMISSION: Permission = accord_kernel::security::platform::HISTORY_READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Every change of one record, field by field, newest first.";
    type Input = RecordHistoryInput;
    type Output = RecordHistory;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let limit = input.limit.unwrap_or(200);
        if !(1..=1000).contains(&limit) {
            return Err(ApiError::field("limit", FieldCode::InvalidValue, "Ask for between 1 and 1000 entries."));
        }
        let Some(kind) = registry::record_kind(&input.table) else {
            let known: Vec<&str> = registry::record_kinds().map(|kind| kind.table).collect();
            return Err(ApiError::field(
                "table",
                FieldCode::InvalidValue,
                format!("\"{}\" is not a kind of record with a history; use {}.", input.table, known.join(", ")),
            ));
        };
        ensure_permitted(scope.actor, kind.read_permission, Self::NAME)?;
        let mut history = history::of_record(scope, kind.table, kind.label, input.id, limit).await?;
        let actors: Vec<Uuid> = history.entries.iter().map(|entry| entry.actor_id).collect();
        let names = accord_security::users::display_names(scope.tx, &actors).await?;
        for entry in &mut history.entries {
            entry.actor_name = names.get(&entry.actor_id).cloned();
        }
        Ok(history)
    }
}
