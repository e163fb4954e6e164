//! What the segment operations take and give.

use accord_kernel::segments::{FieldSpec, Filter, Segment};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SegmentFieldsInput {
    /// The kind to select from (its table).
    #[ts(type = "HistoryTable")]
    pub table: String,
}

/// A kind segments may select from.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SegmentTarget {
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SegmentFieldList {
    /// Every kind segments may select from.
    pub targets: Vec<SegmentTarget>,
    /// The fields of the kind asked about, standard then custom.
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct FieldValuesInput {
    #[ts(type = "HistoryTable")]
    pub table: String,
    /// A text field (`industry`, `city`, `custom.region`).
    pub field: String,
}

/// A value records of the kind hold, and how many hold it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FieldValueCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FieldValueList {
    /// The commonest first, at most 200.
    pub values: Vec<FieldValueCount>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PreviewSegmentInput {
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub filter: Filter,
    /// Members per page (default 50).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// `next_cursor` of the page before.
    #[serde(default)]
    #[ts(optional)]
    pub after: Option<String>,
}

/// A member of a segment, as lists name it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SegmentMember {
    pub id: Uuid,
    pub title: Option<String>,
    pub subtitle: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SegmentMemberPage {
    /// How many active records within reach match now.
    pub count: u64,
    /// One page of them, by name.
    pub members: Vec<SegmentMember>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SaveSegmentInput {
    pub name: String,
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub filter: Filter,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateSegmentInput {
    pub id: Uuid,
    pub version: i64,
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub filter: Option<Filter>,
    /// An empty text clears the notes.
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListSegmentsInput {
    /// Only segments of this kind.
    #[serde(default)]
    #[ts(optional, type = "HistoryTable")]
    pub table: Option<String>,
    /// Archived segments instead of active ones.
    #[serde(default)]
    #[ts(optional)]
    pub archived: Option<bool>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SegmentList {
    /// By name.
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SegmentMembersInput {
    pub id: Uuid,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default)]
    #[ts(optional)]
    pub after: Option<String>,
}

/// A column of an export: the field and the header the user sees.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ExportColumn {
    /// A field of the kind (`name`, `industry`, `organisation_id`) or `custom.<key>`.
    pub field: String,
    pub label: String,
}

/// An export to start: what to export, the columns, and the file to write.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ExportRecordsInput {
    /// A saved segment's members…
    #[serde(default)]
    #[ts(optional)]
    pub segment_id: Option<Uuid>,
    /// …or the records of a kind that a filter selects (every active one without a filter).
    #[serde(default)]
    #[ts(optional, type = "HistoryTable")]
    pub table: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub filter: Option<Filter>,
    pub format: accord_kernel::sheets::ExportFormat,
    /// The columns, in order, as the list shows them (1–50).
    pub columns: Vec<ExportColumn>,
    /// Words for stored values, by field and value: a kind, a choice's key, `true`/`false`, a
    /// colleague's id — so the file reads as the window does.
    #[serde(default)]
    #[ts(optional, as = "Option<std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>>")]
    pub value_labels: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// The name of the sheet (and of the export in the list of exports): the segment's name
    /// when not given.
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
    /// The file to write, as the system's Save dialog gave it (`settings.choose_save_file`): a
    /// full path in a folder that exists. The format's extension is added when it lacks it.
    pub path: String,
}

/// An export and how far its job got.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportSummary {
    pub id: Uuid,
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub segment_id: Option<Uuid>,
    pub name: String,
    pub file_name: String,
    /// Where the file is (once finished).
    pub path: String,
    pub format: accord_kernel::sheets::ExportFormat,
    pub status: accord_kernel::jobs::JobStatus,
    /// Why it failed.
    pub message: Option<String>,
    /// The records selected when it started.
    pub total: u64,
    /// The rows written so far.
    pub written: u64,
    pub cancel_requested: bool,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}
