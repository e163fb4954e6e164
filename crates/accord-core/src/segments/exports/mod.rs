//! Exports (CUST-7, SEC-5): a segment's members, or the records of a kind a filter selects, to
//! a CSV or XLSX file with the columns the list shows, as a background job with progress and
//! cancel. The person chooses the file with the system's Save dialog; the job writes it two
//! thousand records at a time, each batch read in its own short transaction, under a name of
//! its own until it is whole. Starting an export is audited.

mod job;
mod store;

use std::collections::{BTreeMap, HashMap};

use accord_kernel::catalogue::{RecordKind, SegmentKind};
use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::files;
use accord_kernel::io::IdInput;
use accord_kernel::jobs::JobStatus;
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records;
use accord_kernel::search;
use accord_kernel::security::Permission;
use accord_kernel::segments::{self, Checked, FieldType, Filter, Segment, permissions};
use accord_kernel::sheets::Cell;
use accord_kernel::validate;
use uuid::Uuid;

use super::io::{ExportColumn, ExportRecordsInput, ExportSummary};
use super::operations::{count_selected, fields_for, saved_filter, segmentable};
use crate::door::registry;

pub use job::run as run_job;

/// The job kind an export runs as.
pub const JOB: &str = "segments.export";
/// Columns an export may have.
const COLUMNS_MOST: usize = 50;
/// A column's header at most.
const LABEL_MAX: usize = 200;
/// Exports listed at most.
const LISTED: u64 = 20;

/// What an export writes, checked when it is asked for and again when its job starts (the
/// segment or a custom field may have changed between).
struct Plan {
    kind: &'static RecordKind,
    segment: &'static SegmentKind,
    filter: Checked,
    /// The kind each column refers to, for the columns that name a record.
    references: Vec<Option<&'static RecordKind>>,
    /// The segment's name, or the kind's table.
    name: String,
}

async fn plan(scope: &Scope<'_>, input: &ExportRecordsInput) -> Result<Plan, ApiError> {
    let (kind, segment, filter, default_name) = match (input.segment_id, input.table.as_deref()) {
        (Some(id), _) => {
            let saved: Segment = records::load(scope, id, "segment_id").await?;
            let (kind, segment, checked) = saved_filter(scope, &saved).await?;
            (kind, segment, checked, saved.name)
        }
        (None, Some(table)) => {
            let (kind, segment) = segmentable(scope, table)?;
            let filter = input.filter.clone().unwrap_or(Filter::All { of: Vec::new() });
            let checked = segments::check(&filter, &fields_for(scope, kind, segment, false).await?)?;
            (kind, segment, checked, kind.table.to_owned())
        }
        (None, None) => {
            return Err(ApiError::field("table", FieldCode::Required, "Choose a segment or a kind of record."));
        }
    };
    check_columns(&input.columns)?;
    let fields = fields_for(scope, kind, segment, true).await?;
    let references = input
        .columns
        .iter()
        .map(|column| match fields.iter().find(|f| f.field == column.field).map(|f| &f.field_type) {
            Some(FieldType::Reference { table }) => registry::record_kind(table).filter(|k| k.search_entity.is_some()),
            _ => None,
        })
        .collect();
    let name = input.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&default_name).to_owned();
    Ok(Plan { kind, segment, filter, references, name })
}

fn check_columns(columns: &[ExportColumn]) -> Result<(), ApiError> {
    let mut errors = FieldErrors::default();
    if columns.is_empty() || columns.len() > COLUMNS_MOST {
        errors.add("columns", FieldCode::InvalidValue, format!("Choose 1 to {COLUMNS_MOST} columns."));
    }
    for (i, column) in columns.iter().enumerate() {
        let plain =
            |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let field = column.field.strip_prefix(accord_kernel::custom_fields::PREFIX).unwrap_or(&column.field);
        if !plain(field) {
            errors.add(&format!("columns.{i}.field"), FieldCode::InvalidValue, "Choose a column of the list.");
        }
        validate::required_text(&mut errors, &format!("columns.{i}.label"), &column.label, LABEL_MAX);
    }
    errors.into_result()
}

pub struct ExportRecords;

impl Operation for ExportRecords {
    const NAME: &'static str = "segments.export";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Export a segment's members, or a kind's records a filter selects, to a CSV or \
         XLSX file with the columns shown, within reach, as a background job (`segments.get_export` shows its \
         progress).";
    type Input = ExportRecordsInput;
    type Output = ExportSummary;

    async fn run(scope: &mut Scope<'_>, mut input: Self::Input) -> Result<Self::Output, ApiError> {
        let plan = plan(scope, &input).await?;
        let path = files::save_path(&input.path, input.format.into())?;
        input.path = path.display().to_string();
        let total = count_selected(scope, plan.kind, &plan.filter).await?;
        let export = store::export::Model {
            id: Uuid::now_v7(),
            record_table: plan.kind.table.to_owned(),
            segment_id: input.segment_id,
            name: plan.name.clone(),
            format: input.format.extension().to_owned(),
            file_path: input.path.clone(),
            request: serde_json::to_value(&input).map_err(|e| ApiError::internal(e.to_string()))?,
            status: JobStatus::Running.stored().to_owned(),
            message: None,
            cancel_requested: false,
            total,
            written: 0,
            started_by: scope.actor.user_id,
            started_at: scope.now,
            updated_at: scope.now,
            finished_at: None,
        };
        store::insert(scope, export.clone()).await?;
        scope.start_job(JOB, export.id);
        scope.audit_target("exports", export.id);
        scope.audit_detail(format!(
            "{total} {} records of {} to {}",
            plan.kind.label,
            plan.name,
            files::file_name_of(&path)
        ));
        Ok(export.summary(scope.now))
    }
}

pub struct GetExport;

impl Operation for GetExport {
    const NAME: &'static str = "segments.get_export";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One of one's exports and how far it got.";
    type Input = IdInput;
    type Output = ExportSummary;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        Ok(store::own(scope, input.id).await?.summary(scope.now))
    }
}

pub struct ListExports;

impl Operation for ListExports {
    const NAME: &'static str = "segments.list_exports";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One's latest exports, newest first.";
    type Input = crate::settings::connection::NoInput;
    type Output = Vec<ExportSummary>;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        Ok(store::latest(scope, LISTED).await?.iter().map(|e| e.summary(scope.now)).collect())
    }
}

pub struct CancelExport;

impl Operation for CancelExport {
    const NAME: &'static str = "segments.cancel_export";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Stop a running export at its next batch; no file is left behind.";
    type Input = IdInput;
    type Output = ExportSummary;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let export = store::own(scope, input.id).await?;
        if export.summary(scope.now).status != JobStatus::Running {
            return Err(ApiError::new(
                accord_kernel::ErrorCode::Conflict,
                "This export is not running any more, so there is nothing to cancel.",
            ));
        }
        store::set(scope, export.id, vec![(store::export::Column::CancelRequested, true.into())]).await?;
        Ok(store::own(scope, export.id).await?.summary(scope.now))
    }
}

/// The names of the records the reference columns of a batch name.
async fn reference_titles<'r>(
    scope: &Scope<'_>,
    columns: &[ExportColumn],
    references: &[Option<&'static RecordKind>],
    records: impl Iterator<Item = &'r serde_json::Value>,
) -> Result<HashMap<String, String>, ApiError> {
    let records: Vec<&serde_json::Value> = records.collect();
    let mut titles = HashMap::new();
    for (column, target) in columns.iter().zip(references) {
        let Some(entity) = target.and_then(|k| k.search_entity) else { continue };
        let ids: Vec<Uuid> = records
            .iter()
            .filter_map(|r| r.get(&column.field).and_then(|v| v.as_str()).and_then(|t| Uuid::parse_str(t).ok()))
            .collect();
        for hit in search::titles(scope, &ids, &[entity]).await? {
            titles.insert(hit.id.to_string(), hit.title);
        }
    }
    Ok(titles)
}

/// A stored value as the file shows it: its word when the window gave one, a referenced
/// record's name, several choices joined.
fn cell(
    value: Option<&serde_json::Value>,
    labels: &Option<&BTreeMap<String, String>>,
    titles: &HashMap<String, String>,
) -> Cell {
    let word = |text: &str| -> String {
        labels.and_then(|l| l.get(text)).or_else(|| titles.get(text)).cloned().unwrap_or_else(|| text.to_owned())
    };
    match value {
        None | Some(serde_json::Value::Null) => Cell::Empty,
        Some(serde_json::Value::Number(n)) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Some(serde_json::Value::Bool(b)) => Cell::Text(word(&b.to_string())),
        Some(serde_json::Value::String(s)) => Cell::Text(word(s)),
        Some(serde_json::Value::Array(items)) => {
            let words: Vec<String> = items.iter().filter_map(|i| i.as_str()).map(word).collect();
            Cell::Text(words.join(", "))
        }
        Some(other) => Cell::Text(other.to_string()),
    }
}
