//! What the import operations take and give.

use accord_kernel::error::FieldCode;
use accord_kernel::imports::{ColumnTarget, DateOrder, DateReading, ImportDefaults, Notice};
use accord_kernel::jobs::JobStatus;
use accord_kernel::sheets::Format;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct InspectFileInput {
    /// The file's path on this computer, as the file dialog gave it.
    pub path: String,
    /// The kind of record to import (`organisations`, `contacts`).
    pub table: String,
}

/// A field a column may fill.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportTarget {
    /// `name`, `organisation_id`, or `custom.<key>`.
    pub field: String,
    /// A custom field's label (standard fields are named by the window).
    pub label: Option<String>,
    pub required: bool,
    /// How its cells are read: `text`, `phone`, `reference`, or a custom field's kind.
    pub kind: String,
}

/// How the dates of a column read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DateColumn {
    pub column: u32,
    pub reading: DateReading,
}

/// A file as the wizard's first step shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InspectedFile {
    pub file_name: String,
    pub format: Format,
    pub headers: Vec<String>,
    /// The first rows, as their cells.
    pub sample: Vec<Vec<String>>,
    /// About how many rows of data the file holds.
    pub estimated_rows: Option<u64>,
    /// The fields its columns may fill.
    pub targets: Vec<ImportTarget>,
    /// Which column fills which field: as the last import of a file with these columns had
    /// it (`remembered`), or guessed from the headings.
    pub mapping: Vec<ColumnTarget>,
    pub remembered: bool,
    /// The order of day and month the file's dates show, or that it must be asked.
    pub date_order: Option<DateOrder>,
    /// Columns whose dates are written with numbers, and how they read.
    pub date_columns: Vec<DateColumn>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportInput {
    pub path: String,
    pub table: String,
    pub mapping: Vec<ColumnTarget>,
    /// How to read dates such as 03/04/2026; required when the file's dates do not show it.
    #[serde(default)]
    #[ts(optional)]
    pub date_order: Option<DateOrder>,
    #[serde(default)]
    #[ts(optional)]
    pub defaults: Option<ImportDefaults>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct StartImportInput {
    pub path: String,
    pub table: String,
    pub mapping: Vec<ColumnTarget>,
    #[serde(default)]
    #[ts(optional)]
    pub date_order: Option<DateOrder>,
    #[serde(default)]
    #[ts(optional)]
    pub defaults: Option<ImportDefaults>,
    /// Check every row and report, storing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

impl StartImportInput {
    pub(super) fn plan(&self) -> ImportInput {
        ImportInput {
            path: self.path.clone(),
            table: self.table.clone(),
            mapping: self.mapping.clone(),
            date_order: self.date_order,
            defaults: self.defaults.clone(),
        }
    }
}

/// A problem of a row, at the column it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReportedProblem {
    /// The column, from 0, when the problem is a column's.
    pub column: Option<u32>,
    /// That column's heading.
    pub header: Option<String>,
    /// The cell as the file had it.
    pub value: Option<String>,
    /// The field it concerns (`email`, `custom.size`, `mapping`).
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "ImportRowOutcome")]
pub enum RowKind {
    /// Imported (or would be, in a dry run or a preview).
    Imported,
    /// Not imported: its problems say why.
    Failed,
    /// Held back as a likely duplicate of `existing_id`.
    Held,
    /// Held back, then created on request.
    Created,
}

impl RowKind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            RowKind::Imported => "imported",
            RowKind::Failed => "failed",
            RowKind::Held => "held",
            RowKind::Created => "created",
        }
    }

    pub(super) fn parse(text: &str) -> Self {
        match text {
            "failed" => RowKind::Failed,
            "held" => RowKind::Held,
            "created" => RowKind::Created,
            _ => RowKind::Imported,
        }
    }
}

/// One row of the preview or of an import's report.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "ImportRow")]
pub struct ImportRowView {
    /// Its row number in the file (the header is row 1).
    pub row: u64,
    pub outcome: RowKind,
    pub problems: Vec<ReportedProblem>,
    pub notices: Vec<Notice>,
    pub cells: Vec<String>,
    /// The record it likely duplicates.
    pub existing_id: Option<Uuid>,
    pub existing_title: Option<String>,
    /// The fields it shares with that record (`email`, `name`).
    pub reasons: Vec<String>,
    /// The record a held row became.
    pub created_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportPreview {
    pub rows: Vec<ImportRowView>,
}

/// An import and how far it got.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportSummary {
    pub id: Uuid,
    pub table: String,
    pub file_name: String,
    pub dry_run: bool,
    pub status: JobStatus,
    /// Why it failed.
    pub message: Option<String>,
    pub estimated_rows: Option<u64>,
    pub rows_read: u64,
    pub imported: u64,
    pub failed: u64,
    pub held: u64,
    /// Rows imported with a notice (a phone read in the default country).
    pub noticed: u64,
    /// Its undoing, once asked for: a job like the import, a thousand records at a time.
    pub undo: Option<UndoProgress>,
    pub cancel_requested: bool,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub undone_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportIdInput {
    pub id: Uuid,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportRowsInput {
    pub id: Uuid,
    /// Only rows with this outcome; all the rows kept otherwise (failed, held, created, noticed).
    #[serde(default)]
    #[ts(optional)]
    pub outcome: Option<RowKind>,
    /// The rows after this row number.
    #[serde(default)]
    #[ts(optional)]
    pub after_row: Option<u64>,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportRowPage {
    pub rows: Vec<ImportRowView>,
    /// Where the next page starts, when there is one.
    pub next_after: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportReportInput {
    pub id: Uuid,
    pub format: accord_kernel::sheets::ExportFormat,
    /// The report's two first headings in the reader's language ("Row", "Problems").
    #[serde(default)]
    #[ts(optional)]
    pub headings: Option<[String; 2]>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CreateHeldInput {
    pub id: Uuid,
    /// The held rows to create; all of them when absent.
    #[serde(default)]
    #[ts(optional)]
    pub rows: Option<Vec<u64>>,
}

/// A held row created, next to the record it likely duplicates, for merging.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CreatedHeldRow {
    pub row: u64,
    pub created_id: Uuid,
    pub existing_id: Uuid,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CreatedHeldRows {
    pub created: Vec<CreatedHeldRow>,
    /// Held rows that could not be created now (their problems, in the report).
    pub failed: u64,
}

/// How far undoing an import got.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UndoProgress {
    pub status: JobStatus,
    /// Records archived so far.
    pub archived: u64,
    /// Records kept because someone changed them since the import.
    pub kept_changed: u64,
    /// Records archived already (merged or archived since).
    pub already_archived: u64,
}

/// What undoing a batch of an import's records did (added to its `UndoProgress`).
#[derive(Debug, Clone, Default)]
pub struct UndoneImport {
    /// Records archived.
    pub archived: u64,
    /// Records kept because someone changed them since the import.
    pub kept_changed: u64,
    /// Records already archived (merged or archived since).
    pub already_archived: u64,
}
