//! The import operations: the wizard's steps, the report, the held rows, undo.

use std::collections::HashMap;

use accord_kernel::catalogue::{ImportKind, RecordKind};
use accord_kernel::custom_fields;
use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::imports::{
    ColumnTarget, Converter, DateOrder, DateReading, ImportDefaults, ImportType, RowInput, RowOutcome, RowResult,
    date_reading,
};
use accord_kernel::jobs::JobStatus;
use accord_kernel::operation::{Operation, Scope, ensure_permitted};
use accord_kernel::search::{self, normalise};
use accord_kernel::security::Permission;
use accord_kernel::sheets::{self, Cell, Sheet};
use accord_kernel::validate;
use uuid::Uuid;

use super::io::*;
use super::{JOB, UNDO_JOB, permissions, store};
use crate::door::registry;

/// Rows the wizard shows of a file, and previews.
const SAMPLE_ROWS: usize = 10;
const PREVIEW_ROWS: usize = 20;
/// Rows read to tell how a file writes its dates.
const DATE_SAMPLE: usize = 500;
/// Imports listed at most.
const LISTED: u64 = 50;
/// Report rows read per query.
const ROWS_PAGE: u64 = 1000;

/// The kind in `table`, which imports must create, and which the actor may create.
pub(super) fn importable(
    scope: &Scope<'_>,
    table: &str,
) -> Result<(&'static RecordKind, &'static ImportKind), ApiError> {
    let (kind, import) = registry::kind_with(
        table,
        |kind| kind.import.as_ref(),
        |table| format!("Records of \"{table}\" cannot be imported from a file."),
    )?;
    ensure_permitted(scope.actor, kind.write_permission, "importing these records")?;
    Ok((kind, import))
}

/// The file at `path`, opened for reading; its problems at the field `path`.
pub(super) fn open(path: &str) -> Result<Sheet, ApiError> {
    if path.trim().is_empty() {
        return Err(ApiError::field("path", FieldCode::Required, "Choose a file to import."));
    }
    sheets::open_file(std::path::Path::new(path)).map_err(|e| {
        let message = e.message.clone();
        e.with_field("path", FieldCode::InvalidValue, message)
    })
}

pub(super) fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_owned())
}

/// The next `most` rows with any content.
fn next_rows(sheet: &mut Sheet, most: usize) -> Result<Vec<sheets::Row>, ApiError> {
    let mut rows = Vec::with_capacity(most);
    for row in sheet.rows.by_ref() {
        let row = row?;
        if row.cells.iter().any(|c| !accord_kernel::imports::cells::cell_text(c).is_empty()) {
            rows.push(row);
            if rows.len() == most {
                break;
            }
        }
    }
    Ok(rows)
}

/// How the dates of each column read, for the columns written with numbers.
fn date_columns(headers: usize, rows: &[sheets::Row]) -> Vec<DateColumn> {
    (0..headers)
        .filter_map(|column| {
            let cells = rows.iter().filter_map(|r| r.cells.get(column).map(String::as_str));
            match date_reading(cells) {
                DateReading::Clear => None,
                reading => Some(DateColumn { column: column as u32, reading }),
            }
        })
        .collect()
}

/// The order the dates of the mapped date columns show, when every one that shows an order
/// shows the same and none is ambiguous.
fn shown_date_order(columns: &[DateColumn], mapped: impl Fn(u32) -> bool) -> Result<Option<DateOrder>, DateColumn> {
    let mut order = None;
    for column in columns.iter().filter(|c| mapped(c.column)) {
        match column.reading {
            DateReading::Ambiguous => return Err(column.clone()),
            DateReading::Shows(shown) if order.is_some_and(|o| o != shown) => return Err(column.clone()),
            DateReading::Shows(shown) => order = Some(shown),
            DateReading::Clear => {}
        }
    }
    Ok(order)
}

/// The fields a column may fill: the kind's, then its custom fields.
async fn targets(scope: &Scope<'_>, kind: &RecordKind, import: &ImportKind) -> Result<Vec<ImportTarget>, ApiError> {
    let mut targets: Vec<ImportTarget> = import
        .fields
        .iter()
        .map(|f| ImportTarget {
            field: f.field.to_owned(),
            label: None,
            required: f.required,
            kind: match f.kind {
                ImportType::Text => "text",
                ImportType::Phone => "phone",
                ImportType::Reference { .. } => "reference",
            }
            .to_owned(),
        })
        .collect();
    if kind.custom_fields {
        for field in custom_fields::definitions_of(scope, kind.table, false).await? {
            let kind =
                serde_json::to_value(field.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            targets.push(ImportTarget {
                field: format!("{}{}", custom_fields::PREFIX, field.key),
                label: Some(field.label),
                required: false,
                kind,
            });
        }
    }
    Ok(targets)
}

/// Which column fills which field, guessed from the headings: a column is mapped when its
/// heading is, in the search's normal form, one the field is known by (or a custom field's
/// label or key).
fn guess_mapping(headers: &[String], import: &ImportKind, targets: &[ImportTarget]) -> Vec<ColumnTarget> {
    let mut mapping: Vec<ColumnTarget> = Vec::new();
    for (column, header) in headers.iter().enumerate() {
        let heading = normalise(header);
        let standard = import
            .fields
            .iter()
            .find(|f| f.headings.iter().any(|h| normalise(h) == heading))
            .map(|f| f.field.to_owned());
        let custom = || {
            targets.iter().find(|t| {
                t.label.as_deref().is_some_and(|label| normalise(label) == heading)
                    || t.field.strip_prefix(custom_fields::PREFIX).is_some_and(|key| normalise(key) == heading)
            })
        };
        let field = standard.or_else(|| custom().map(|t| t.field.clone()));
        if let Some(field) = field.filter(|f| !mapping.iter().any(|m| &m.field == f)) {
            mapping.push(ColumnTarget { column: column as u32, field });
        }
    }
    mapping
}

/// The mapping of the actor's latest import of this kind from a file with these columns: the
/// same headings in the same places, or, failing that, every heading it mapped found again
/// (a report of failed rows has two columns more at its start).
async fn remembered_mapping(
    scope: &Scope<'_>,
    table: &str,
    headers: &[String],
) -> Result<Option<Vec<ColumnTarget>>, ApiError> {
    for earlier in store::latest(scope, LISTED).await?.into_iter().filter(|i| i.record_table == table) {
        let (Ok(old_headers), Ok(old_mapping)) = (
            serde_json::from_value::<Vec<String>>(earlier.headers.clone()),
            serde_json::from_value::<Vec<ColumnTarget>>(earlier.mapping.clone()),
        ) else {
            continue;
        };
        if old_headers == headers {
            return Ok(Some(old_mapping));
        }
        let moved: Option<Vec<ColumnTarget>> = old_mapping
            .iter()
            .map(|m| {
                let heading = old_headers.get(m.column as usize)?;
                let column = headers.iter().position(|h| h == heading)?;
                Some(ColumnTarget { column: column as u32, field: m.field.clone() })
            })
            .collect();
        if let Some(moved) = moved.filter(|m| !m.is_empty()) {
            return Ok(Some(moved));
        }
    }
    Ok(None)
}

/// About how many rows a file holds: its lines, for a CSV file (a quoted line break counts
/// twice; it is an estimate for the progress bar).
pub(super) fn estimate_rows(path: &str, format: &sheets::Format) -> Option<u64> {
    use std::io::Read;
    if !matches!(format, sheets::Format::Csv { .. }) {
        return None;
    }
    let mut file = std::fs::File::open(path).ok()?;
    let mut buffer = vec![0u8; 1 << 20];
    let (mut lines, mut last) = (0u64, b'\n');
    loop {
        let read = file.read(&mut buffer).ok()?;
        if read == 0 {
            break;
        }
        lines += buffer[..read].iter().filter(|b| **b == b'\n').count() as u64;
        last = buffer[read - 1];
    }
    let lines = if last == b'\n' { lines } else { lines + 1 };
    Some(lines.saturating_sub(1))
}

pub struct InspectFile;

impl Operation for InspectFile {
    const NAME: &'static str = "imports.inspect";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Open a CSV or XLSX file to import: its columns, first rows, the fields they may fill, \
         the mapping remembered for such a file or guessed from its headings, and how its dates read.";
    type Input = InspectFileInput;
    type Output = InspectedFile;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, import) = importable(scope, &input.table)?;
        let mut sheet = open(&input.path)?;
        let rows = next_rows(&mut sheet, DATE_SAMPLE)?;
        let targets = targets(scope, kind, import).await?;
        let remembered = remembered_mapping(scope, kind.table, &sheet.headers).await?;
        let mapping = remembered.clone().unwrap_or_else(|| guess_mapping(&sheet.headers, import, &targets));
        let date_columns = date_columns(sheet.headers.len(), &rows);
        let estimated_rows = estimate_rows(&input.path, &sheet.format).or_else(|| {
            // A workbook is in memory already: count what is left.
            Some(rows.len() as u64 + sheet.rows.by_ref().count() as u64)
        });
        let date_order = shown_date_order(&date_columns, |_| true).ok().flatten();
        Ok(InspectedFile {
            file_name: file_name(&input.path),
            format: sheet.format,
            headers: sheet.headers,
            sample: rows.into_iter().take(SAMPLE_ROWS).map(|r| r.cells).collect(),
            estimated_rows,
            targets,
            mapping,
            remembered: remembered.is_some(),
            date_order,
            date_columns,
        })
    }
}

/// Reads a row's results as the window shows them: each problem at the column it came from.
pub(super) fn row_view(
    converter: &Converter,
    headers: &[String],
    result: &RowResult,
    cells: Vec<String>,
) -> ImportRowView {
    let (outcome, problems, existing_id, reasons) = match &result.outcome {
        RowOutcome::Imported(_) => (RowKind::Imported, Vec::new(), None, Vec::new()),
        RowOutcome::Failed(problems) => (
            RowKind::Failed,
            problems.iter().map(|p| reported(converter, headers, &cells, p)).collect(),
            None,
            Vec::new(),
        ),
        RowOutcome::Held { existing, reasons, .. } => {
            (RowKind::Held, Vec::new(), Some(*existing), reasons.iter().map(|r| r.field.clone()).collect())
        }
    };
    ImportRowView {
        row: result.row,
        outcome,
        problems,
        notices: result.notices.clone(),
        cells,
        existing_id,
        existing_title: None,
        reasons,
        created_id: None,
    }
}

fn reported(
    converter: &Converter,
    headers: &[String],
    cells: &[String],
    problem: &accord_kernel::imports::RowProblem,
) -> ReportedProblem {
    let column = converter.column_of_field(&problem.field);
    ReportedProblem {
        column: column.map(|c| c as u32),
        header: column.and_then(|c| headers.get(c).cloned()),
        value: column.and_then(|c| cells.get(c).cloned()),
        field: problem.field.clone(),
        code: problem.code,
        message: problem.message.clone(),
    }
}

/// The import's plan checked: the kind, the file, the mapping, the date order (asked when the
/// dates do not show it), the default country.
pub(super) struct Checked {
    pub kind: &'static RecordKind,
    pub import: &'static ImportKind,
    pub sheet: Sheet,
    pub converter: Converter,
    pub date_order: Option<DateOrder>,
    pub defaults: ImportDefaults,
    /// The first rows, read already to tell the date order.
    pub first_rows: Vec<sheets::Row>,
}

pub(super) async fn check_plan(scope: &Scope<'_>, plan: &ImportInput, ask_dates: bool) -> Result<Checked, ApiError> {
    let (kind, import) = importable(scope, &plan.table)?;
    let mut sheet = open(&plan.path)?;
    let mut errors = FieldErrors::default();
    let mut defaults = plan.defaults.clone().unwrap_or_default();
    defaults.country = validate::optional_country(&mut errors, "defaults.country", defaults.country.as_deref());
    errors.into_result()?;
    let converter = Converter::new(
        scope,
        kind.table,
        import.fields,
        kind.custom_fields,
        &plan.mapping,
        sheet.headers.len(),
        plan.date_order,
    )
    .await?;
    let first_rows = next_rows(&mut sheet, DATE_SAMPLE)?;
    let mut date_order = plan.date_order;
    if date_order.is_none() {
        let dates: Vec<DateColumn> = date_columns(sheet.headers.len(), &first_rows);
        let is_date = |column: u32| converter.is_date_column(column as usize);
        match shown_date_order(&dates, is_date) {
            Ok(shown) => date_order = shown,
            Err(column) if ask_dates => {
                let header = sheet.headers.get(column.column as usize).cloned().unwrap_or_default();
                return Err(ApiError::field(
                    "date_order",
                    FieldCode::Required,
                    format!(
                        "The dates in the column \"{header}\" can be read two ways (03/04/2026 is 3 April or 4 March). \
                         Choose day-month-year or month-day-year."
                    ),
                ));
            }
            Err(_) => {}
        }
    }
    let converter = converter.with_date_order(date_order);
    Ok(Checked { kind, import, sheet, converter, date_order, defaults, first_rows })
}

pub struct PreviewImport;

impl Operation for PreviewImport {
    const NAME: &'static str = "imports.preview";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The first rows of a file as they would import with this mapping: each one's problems \
         at their columns, and its notices. Stores nothing.";
    type Input = ImportInput;
    type Output = ImportPreview;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let checked = check_plan(scope, &input, false).await?;
        let rows: Vec<sheets::Row> = checked.first_rows.into_iter().take(PREVIEW_ROWS).collect();
        let inputs: Vec<RowInput> = rows.iter().map(|r| checked.converter.row(r.number, &r.cells)).collect();
        let results = checked.import.import_rows(scope, inputs, &checked.defaults, None, false).await?;
        let headers = &checked.sheet.headers;
        let rows = results
            .iter()
            .zip(rows)
            .map(|(result, row)| row_view(&checked.converter, headers, result, row.cells))
            .collect();
        Ok(ImportPreview { rows })
    }
}

pub struct StartImport;

impl Operation for StartImport {
    const NAME: &'static str = "imports.start";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Import a file (or, as a dry run, check every row of it) in the background; \
         `imports.get` follows its progress. Audited.";
    type Input = StartImportInput;
    type Output = ImportSummary;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let plan = input.plan();
        let checked = check_plan(scope, &plan, true).await?;
        let options = serde_json::json!({ "date_order": checked.date_order, "defaults": checked.defaults });
        let model = store::import::Model {
            id: Uuid::now_v7(),
            record_table: checked.kind.table.to_owned(),
            file_name: file_name(&input.path),
            file_path: input.path.clone(),
            headers: serde_json::to_value(&checked.sheet.headers).unwrap_or_default(),
            mapping: serde_json::to_value(&input.mapping).unwrap_or_default(),
            options,
            dry_run: input.dry_run,
            status: "running".into(),
            message: None,
            cancel_requested: false,
            estimated_rows: None,
            rows_read: 0,
            imported: 0,
            failed: 0,
            held: 0,
            noticed: 0,
            undo_status: None,
            undo_archived: 0,
            undo_kept_changed: 0,
            undo_already_archived: 0,
            started_by: scope.actor.user_id,
            started_at: scope.now,
            updated_at: scope.now,
            finished_at: None,
            undone_at: None,
            undone_by: None,
        };
        let summary = model.summary(scope.now);
        store::insert(scope, model).await?;
        scope.start_job(JOB, summary.id);
        scope.audit_target("imports", summary.id);
        scope.audit_detail(format!(
            "{}{} from {}",
            if input.dry_run { "dry run: " } else { "" },
            checked.kind.table,
            summary.file_name
        ));
        Ok(summary)
    }
}

pub struct GetImport;

impl Operation for GetImport {
    const NAME: &'static str = "imports.get";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One of one's imports and how far it got.";
    type Input = ImportIdInput;
    type Output = ImportSummary;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        Ok(store::own(scope, input.id).await?.summary(scope.now))
    }
}

pub struct ListImports;

impl Operation for ListImports {
    const NAME: &'static str = "imports.list";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One's latest imports, newest first.";
    type Input = crate::settings::connection::NoInput;
    type Output = Vec<ImportSummary>;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        Ok(store::latest(scope, LISTED).await?.iter().map(|i| i.summary(scope.now)).collect())
    }
}

pub struct ImportRows;

impl Operation for ImportRows {
    const NAME: &'static str = "imports.rows";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The rows of an import worth a look, by row number: failed with their problems, \
         held as likely duplicates (with the record each duplicates), created from held rows, imported with a notice.";
    type Input = ImportRowsInput;
    type Output = ImportRowPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let import = store::own(scope, input.id).await?;
        let limit = input.limit.unwrap_or(100).clamp(1, ROWS_PAGE);
        let after = input.after_row.unwrap_or(0) as i64;
        let outcome = input.outcome.map(RowKind::as_str);
        let mut rows = store::rows_after(scope, import.id, outcome, after, limit + 1).await?;
        let next_after = (rows.len() as u64 > limit).then(|| {
            rows.truncate(limit as usize);
            rows.last().map_or(0, |r| r.row_number as u64)
        });
        let mut views: Vec<ImportRowView> = rows.into_iter().map(stored_view).collect();
        name_existing(scope, &import.record_table, &mut views).await?;
        Ok(ImportRowPage { rows: views, next_after })
    }
}

fn stored_view(row: store::row::Model) -> ImportRowView {
    let reasons = row
        .item
        .as_ref()
        .and_then(|item| item.get("_reasons"))
        .and_then(|r| serde_json::from_value::<Vec<String>>(r.clone()).ok())
        .unwrap_or_default();
    ImportRowView {
        row: row.row_number as u64,
        outcome: RowKind::parse(&row.outcome),
        problems: serde_json::from_value(row.problems).unwrap_or_default(),
        notices: serde_json::from_value(row.notices).unwrap_or_default(),
        cells: serde_json::from_value(row.cells).unwrap_or_default(),
        existing_id: row.existing_id,
        existing_title: None,
        reasons,
        created_id: row.created_id,
    }
}

/// Names the records held rows duplicate, within reach.
async fn name_existing(scope: &Scope<'_>, table: &str, views: &mut [ImportRowView]) -> Result<(), ApiError> {
    let Some(entity) = registry::record_kind(table).and_then(|k| k.search_entity) else { return Ok(()) };
    let ids: Vec<Uuid> = views.iter().filter_map(|v| v.existing_id).collect();
    let titles: HashMap<Uuid, String> =
        search::titles(scope, &ids, &[entity]).await?.into_iter().map(|hit| (hit.id, hit.title)).collect();
    for view in views {
        view.existing_title = view.existing_id.and_then(|id| titles.get(&id).cloned());
    }
    Ok(())
}

pub struct CancelImport;

impl Operation for CancelImport {
    const NAME: &'static str = "imports.cancel";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Stop a running import after the batch it is on; what it imported stays, and can be undone.";
    type Input = ImportIdInput;
    type Output = ImportSummary;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let import = store::own(scope, input.id).await?;
        if import.status(scope.now) == JobStatus::Running && !import.cancel_requested {
            store::set(scope, import.id, vec![(store::import::Column::CancelRequested, true.into())]).await?;
        }
        Ok(store::own(scope, input.id).await?.summary(scope.now))
    }
}

pub struct ImportReport;

impl Operation for ImportReport {
    const NAME: &'static str = "imports.report";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The rows an import did not import (failed or held), as CSV or XLSX: the row number, \
         its problems, then the row's own columns, to fix and import again with the same mapping.";
    type Input = ImportReportInput;
    type Output = accord_kernel::io::ExportedFile;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let import = store::own(scope, input.id).await?;
        let file_headers: Vec<String> = serde_json::from_value(import.headers.clone()).unwrap_or_default();
        let [row_heading, problems_heading] = input.headings.unwrap_or_else(|| ["Row".into(), "Problems".into()]);
        let mut headers = vec![row_heading, problems_heading];
        headers.extend(file_headers.iter().cloned());
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut after = 0;
        loop {
            let page = store::rows_after(scope, import.id, None, after, ROWS_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.row_number;
            let mut views: Vec<ImportRowView> = page.into_iter().map(stored_view).collect();
            name_existing(scope, &import.record_table, &mut views).await?;
            for view in views.into_iter().filter(|v| matches!(v.outcome, RowKind::Failed | RowKind::Held)) {
                let text = |t: &String| if t.is_empty() { Cell::Empty } else { Cell::Text(t.clone()) };
                let mut line = vec![Cell::Number(view.row as f64), Cell::Text(problems_text(&view))];
                line.extend(view.cells.iter().map(text));
                line.resize(headers.len(), Cell::Empty);
                rows.push(line);
            }
        }
        let stem = import.file_name.rsplit_once('.').map_or(import.file_name.as_str(), |(stem, _)| stem);
        let name = format!("{stem} — problems");
        let bytes = sheets::write(input.format, &name, &headers, &rows)?;
        use base64::Engine as _;
        Ok(accord_kernel::io::ExportedFile {
            file_name: format!("{name}.{}", input.format.extension()),
            media_type: input.format.media_type().to_owned(),
            content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }
}

/// A row's problems in one cell: each with its column and value.
fn problems_text(view: &ImportRowView) -> String {
    if view.outcome == RowKind::Held {
        let other = view
            .existing_title
            .clone()
            .unwrap_or_else(|| view.existing_id.map(|id| id.to_string()).unwrap_or_default());
        return format!("Likely a duplicate of \"{other}\" (same {}); not imported.", view.reasons.join(", "));
    }
    view.problems
        .iter()
        .map(|p| match (&p.header, &p.value) {
            (Some(header), Some(value)) => format!("{header} \"{value}\": {}", p.message),
            (Some(header), None) => format!("{header}: {}", p.message),
            _ => p.message.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub struct CreateHeldRows;

impl Operation for CreateHeldRows {
    const NAME: &'static str = "imports.create_held";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Create rows an import held back as likely duplicates, each next to the record it \
         duplicates, to merge them on the Duplicates screen; they belong to the import and are undone with it.";
    type Input = CreateHeldInput;
    type Output = CreatedHeldRows;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let import = store::own(scope, input.id).await?;
        if import.dry_run || import.undone_at.is_some() {
            return Err(ApiError::field(
                "id",
                FieldCode::InvalidValue,
                "This import stored nothing to add to: import the file itself.",
            ));
        }
        let (_, kind_import) = importable(scope, &import.record_table)?;
        let defaults: ImportDefaults =
            import.options.get("defaults").and_then(|d| serde_json::from_value(d.clone()).ok()).unwrap_or_default();
        let mut held = Vec::new();
        let mut after = 0;
        loop {
            let page = store::rows_after(scope, import.id, Some(RowKind::Held.as_str()), after, ROWS_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.row_number;
            held.extend(
                page.into_iter()
                    .filter(|r| input.rows.as_ref().is_none_or(|rows| rows.contains(&(r.row_number as u64)))),
            );
        }
        let inputs: Vec<RowInput> = held
            .iter()
            .map(|r| {
                let mut item = r.item.clone().and_then(|i| i.as_object().cloned()).unwrap_or_default();
                item.remove("_reasons");
                RowInput { row: r.row_number as u64, item, problems: Vec::new() }
            })
            .collect();
        let results = kind_import.import_rows(scope, inputs, &defaults, None, true).await?;
        let mut created = Vec::new();
        let mut failed = 0;
        for (result, row) in results.iter().zip(&held) {
            match (&result.outcome, row.existing_id) {
                (RowOutcome::Imported(id), Some(existing_id)) => {
                    store::mark_created(scope, import.id, row.row_number, *id).await?;
                    created.push(CreatedHeldRow { row: result.row, created_id: *id, existing_id });
                }
                _ => failed += 1,
            }
        }
        if !created.is_empty() {
            let ids: Vec<Uuid> = created.iter().map(|c| c.created_id).collect();
            store::add_batch(scope, import.id, &ids).await?;
            let moved = created.len() as i64;
            let progress = store::Progress { imported: moved, held: -moved, ..Default::default() };
            store::add_progress(scope, import.id, &progress).await?;
        }
        Ok(CreatedHeldRows { created, failed })
    }
}

pub struct UndoImport;

impl Operation for UndoImport {
    const NAME: &'static str = "imports.undo";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Undo an import as a whole, in the background: archive every record it created, \
         except those changed since (kept, and counted); `imports.get` follows it. Audited.";
    type Input = ImportIdInput;
    type Output = ImportSummary;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let import = store::own(scope, input.id).await?;
        let refuse = |message: &str| Err(ApiError::field("id", FieldCode::InvalidValue, message));
        if import.undone_at.is_some() {
            return refuse("This import was undone already.");
        }
        if import.undo_status.as_deref() == Some("running") && import.status(scope.now) != JobStatus::Interrupted {
            return refuse("This import is being undone.");
        }
        if import.dry_run {
            return refuse("A dry run stored nothing to undo.");
        }
        if import.status(scope.now) == JobStatus::Running {
            return refuse("This import is still running: cancel it, then undo it once it has stopped.");
        }
        importable(scope, &import.record_table)?;
        use store::import::Column;
        let restart = vec![
            (Column::UndoStatus, Some("running").into()),
            (Column::UndoArchived, 0i64.into()),
            (Column::UndoKeptChanged, 0i64.into()),
            (Column::UndoAlreadyArchived, 0i64.into()),
        ];
        store::set(scope, import.id, restart).await?;
        scope.start_job(UNDO_JOB, import.id);
        scope.audit_target("imports", import.id);
        scope.audit_detail(format!("{}: {} records", import.file_name, import.imported));
        Ok(store::own(scope, input.id).await?.summary(scope.now))
    }
}
