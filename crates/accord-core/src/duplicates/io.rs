//! What the duplicates operations take and give.

use accord_kernel::io::VersionedIdInput;
use accord_kernel::merge::Merge;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct FindDuplicatesInput {
    /// The kind to look in (its table: `organisations`, `contacts`).
    #[ts(type = "HistoryTable")]
    pub table: String,
    /// How many pairs at most, the likeliest first (default 200, at most 1,000).
    #[serde(default)]
    #[ts(optional)]
    pub most: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CompareRecordsInput {
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub first: Uuid,
    pub second: Uuid,
}

/// How many records of one kind name a record, by the field that names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReferenceCount {
    #[ts(type = "HistoryTable")]
    pub table: String,
    /// What a person calls one ("contact").
    pub label: String,
    pub field: String,
    pub count: u64,
}

/// Two records side by side, to choose what the survivor keeps.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RecordComparison {
    #[ts(type = "HistoryTable")]
    pub table: String,
    /// The fields to choose between, in order (custom values as `custom.<key>`).
    pub fields: Vec<String>,
    /// Each record as its history names its fields.
    #[ts(type = "Record<string, unknown>")]
    pub first: serde_json::Value,
    #[ts(type = "Record<string, unknown>")]
    pub second: serde_json::Value,
    /// What refers to each: it all moves to the survivor.
    pub first_references: Vec<ReferenceCount>,
    pub second_references: Vec<ReferenceCount>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MergeRecordsInput {
    #[ts(type = "HistoryTable")]
    pub table: String,
    /// The record kept, as the person saw it.
    pub survivor: VersionedIdInput,
    /// The record merged into it and archived, as the person saw it.
    pub merged: VersionedIdInput,
    /// The fields the survivor takes from the merged record; it keeps its own otherwise.
    #[serde(default)]
    pub take: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MergeOutcome {
    pub merge: Merge,
    /// What moved from the merged record to the survivor.
    pub moved: Vec<ReferenceCount>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct UndoneMerge {
    pub merge: Merge,
    /// Fields of the survivor changed since the merge: kept as they are now.
    pub kept_fields: Vec<String>,
    /// Records moved back to the restored record.
    pub moved_back: u64,
    /// Records that had been moved elsewhere since, or left the user's reach: left as they are.
    pub left_in_place: u64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListMergesInput {
    #[ts(type = "HistoryTable")]
    pub table: String,
    /// Only the merges this record took part in (its card); the latest of the kind otherwise.
    #[serde(default)]
    #[ts(optional)]
    pub row_id: Option<Uuid>,
}

/// A merge with the names of its two records.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MergeView {
    pub merge: Merge,
    pub survivor_title: Option<String>,
    pub merged_title: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MergeList {
    /// Newest first.
    pub merges: Vec<MergeView>,
}
