//! An import as a background job: the file read from disk a thousand rows at a time, each
//! batch one short transaction (the window's users write between them) that stores its good
//! rows, lists its bad and held rows, and moves the import's progress on. A cancel is seen at
//! the next batch; a file that becomes unreadable half-way stops the import with what it
//! stored kept, to be undone as a whole.

use std::sync::Arc;

use accord_kernel::catalogue::{ImportKind, RecordKind};
use accord_kernel::error::ApiError;
use accord_kernel::imports::{Converter, ImportDefaults, RowInput, RowOutcome};
use accord_kernel::jobs::Ending;
use accord_kernel::merge::KeyIndex;
use accord_kernel::operation::{JobStart, Runtime, Scope, Step};
use accord_kernel::security::Permission;
use futures::future::BoxFuture;
use uuid::Uuid;

use super::io::{ImportInput, UndoneImport};
use super::operations::{check_plan, estimate_rows, row_view};
use super::{permissions, store};

/// Rows per batch and per transaction.
const BATCH: usize = 1000;
/// Rows the duplicate index makes room for at most before an import starts (it grows beyond
/// as needed): a file's line count is an estimate.
const ESTIMATE_MOST: i64 = 5_000_000;
/// Rows imported with a notice kept for the report at most; all are counted.
const NOTICED_KEPT: i64 = 1000;

/// Runs the import `start.id` to its end, recording how it ended.
pub async fn run(runtime: Arc<Runtime>, start: JobStart) {
    if let Err(error) = import(&runtime, &start).await {
        tracing::warn!(import = %start.id, code = ?error.code, "an import stopped");
        let mut fail = Finish { id: start.id, ending: Ending::Failed(error.message) };
        if let Err(e) = runtime.step(&start.actor, &mut fail).await {
            tracing::error!(import = %start.id, code = ?e.code, "an import's failure could not be recorded");
        }
    }
}

async fn import(runtime: &Runtime, start: &JobStart) -> Result<(), ApiError> {
    let mut begin = Begin { id: start.id };
    let mut plan = runtime.step(&start.actor, &mut begin).await?;
    let mut sheet = plan.checked_sheet.take().expect("the plan holds its sheet");
    let mut first = std::mem::take(&mut plan.first_rows).into_iter();
    let mut cancelled = false;
    loop {
        let mut rows = Vec::with_capacity(BATCH);
        let mut cells = Vec::with_capacity(BATCH);
        while rows.len() < BATCH {
            let row = match first.next() {
                Some(row) => row,
                None => match sheet.rows.next() {
                    Some(row) => row?,
                    None => break,
                },
            };
            if row.cells.iter().all(|c| accord_kernel::imports::cells::cell_text(c).is_empty()) {
                continue;
            }
            rows.push(plan.converter.row(row.number, &row.cells));
            cells.push(row.cells);
        }
        if rows.is_empty() {
            break;
        }
        let mut batch = Batch { plan: &mut plan, rows: Some(rows), cells: Some(cells) };
        if !runtime.step(&start.actor, &mut batch).await? {
            cancelled = true;
            break;
        }
    }
    let ending = if cancelled { Ending::Cancelled } else { Ending::Finished };
    runtime.step(&start.actor, &mut Finish { id: start.id, ending }).await
}

/// What a running import works with.
struct Plan {
    id: Uuid,
    import: &'static ImportKind,
    converter: Converter,
    defaults: ImportDefaults,
    headers: Vec<String>,
    store: bool,
    /// The records there, and those imported so far, by their match keys.
    scan: Option<KeyIndex>,
    checked_sheet: Option<accord_kernel::sheets::Sheet>,
    first_rows: Vec<accord_kernel::sheets::Row>,
}

/// Reads the import's plan and checks it again (the file, the mapping, the user's right to
/// create such records now), and takes the records there into a scan for duplicates.
struct Begin {
    id: Uuid,
}

impl Step for Begin {
    const NAME: &'static str = "imports.start";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = true;
    type Output = Plan;

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<Plan, ApiError>> {
        Box::pin(async move {
            let import = store::own(scope, self.id).await?;
            let plan_input = ImportInput {
                path: import.file_path.clone(),
                table: import.record_table.clone(),
                mapping: serde_json::from_value(import.mapping.clone()).unwrap_or_default(),
                date_order: import.options.get("date_order").and_then(|o| serde_json::from_value(o.clone()).ok()),
                defaults: import.options.get("defaults").and_then(|d| serde_json::from_value(d.clone()).ok()),
            };
            let checked = check_plan(scope, &plan_input, false).await?;
            let kind: &RecordKind = checked.kind;
            let estimate = estimate_rows(&import.file_path, &checked.sheet.format).map(|n| n as i64);
            let scan = match &kind.merge {
                Some(merge) => {
                    let mut index = merge.key_index(scope).await?;
                    index.reserve(estimate.unwrap_or(0).clamp(0, ESTIMATE_MOST) as usize);
                    Some(index)
                }
                None => None,
            };
            let store = !import.dry_run;
            store::set(scope, self.id, vec![(store::import::Column::EstimatedRows, estimate.into())]).await?;
            let headers = checked.sheet.headers.clone();
            let plan = Plan {
                id: self.id,
                import: checked.import,
                converter: checked.converter,
                defaults: checked.defaults,
                headers,
                store,
                scan,
                checked_sheet: Some(checked.sheet),
                first_rows: checked.first_rows,
            };
            Ok(plan)
        })
    }
}

/// One batch: `true` when the import goes on, `false` when it was cancelled (and this batch
/// not imported).
struct Batch<'p> {
    plan: &'p mut Plan,
    rows: Option<Vec<RowInput>>,
    cells: Option<Vec<Vec<String>>>,
}

impl Step for Batch<'_> {
    const NAME: &'static str = "imports.start";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = true;
    type Output = bool;

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<bool, ApiError>> {
        Box::pin(async move {
            let plan = &mut *self.plan;
            let import = store::own(scope, plan.id).await?;
            if import.cancel_requested {
                return Ok(false);
            }
            let mut progress = store::Progress::default();
            let rows = self.rows.take().unwrap_or_default();
            let cells = self.cells.take().unwrap_or_default();
            let count = rows.len() as i64;
            let results = plan.import.import_rows(scope, rows, &plan.defaults, plan.scan.as_mut(), plan.store).await?;
            let mut kept = Vec::new();
            let mut imported = Vec::new();
            for (result, cells) in results.iter().zip(cells) {
                let noticed = !result.notices.is_empty();
                match &result.outcome {
                    RowOutcome::Imported(id) => {
                        imported.push(*id);
                        if noticed {
                            progress.noticed += 1;
                        }
                        if !noticed || import.noticed + progress.noticed > NOTICED_KEPT {
                            continue;
                        }
                    }
                    RowOutcome::Failed(_) => progress.failed += 1,
                    RowOutcome::Held { .. } => progress.held += 1,
                }
                let view = row_view(&plan.converter, &plan.headers, result, cells);
                let item = matches!(result.outcome, RowOutcome::Held { .. }).then(|| {
                    let mut item = result.item.clone();
                    item.insert("_reasons".into(), serde_json::json!(view.reasons));
                    serde_json::Value::Object(item)
                });
                kept.push(store::row::Model {
                    import_id: plan.id,
                    row_number: result.row as i64,
                    outcome: view.outcome.as_str().to_owned(),
                    problems: serde_json::to_value(&view.problems).unwrap_or_default(),
                    notices: serde_json::to_value(&view.notices).unwrap_or_default(),
                    cells: serde_json::to_value(&view.cells).unwrap_or_default(),
                    item,
                    existing_id: view.existing_id,
                    created_id: None,
                });
            }
            store::insert_rows(scope, kept).await?;
            if plan.store && !imported.is_empty() {
                store::add_batch(scope, plan.id, &imported).await?;
            }
            progress.imported = imported.len() as i64;
            progress.rows_read = count;
            store::add_progress(scope, plan.id, &progress).await?;
            Ok(true)
        })
    }
}

/// Records how the import ended.
struct Finish {
    id: Uuid,
    ending: Ending,
}

impl Step for Finish {
    const NAME: &'static str = "imports.start";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = true;
    type Output = ();

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<(), ApiError>> {
        Box::pin(async move {
            let import = store::own(scope, self.id).await?;
            let (status, message) = self.ending.stored();
            use store::import::Column;
            let values = vec![
                (Column::Status, status.into()),
                (Column::Message, message.into()),
                (Column::FinishedAt, Some(scope.now).into()),
            ];
            store::set(scope, import.id, values).await
        })
    }
}

/// Undoes the import `start.id`, a thousand records a transaction, recording how it ended.
pub async fn undo(runtime: Arc<Runtime>, start: JobStart) {
    let outcome = async {
        let batches = runtime.step(&start.actor, &mut UndoPlan { id: start.id }).await?;
        for ids in batches.iter().flat_map(|batch| batch.chunks(BATCH)) {
            runtime.step(&start.actor, &mut UndoBatch { id: start.id, ids }).await?;
        }
        Ok::<_, ApiError>(())
    }
    .await;
    let ending = match outcome {
        Ok(()) => None,
        Err(error) => {
            tracing::warn!(import = %start.id, code = ?error.code, "undoing an import stopped");
            Some(error.message)
        }
    };
    if let Err(e) = runtime.step(&start.actor, &mut UndoFinish { id: start.id, failure: ending }).await {
        tracing::error!(import = %start.id, code = ?e.code, "the end of an import's undo could not be recorded");
    }
}

/// The ids the import created, batch by batch.
struct UndoPlan {
    id: Uuid,
}

impl Step for UndoPlan {
    const NAME: &'static str = "imports.undo";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = false;
    type Output = Vec<Vec<Uuid>>;

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<Vec<Vec<Uuid>>, ApiError>> {
        Box::pin(async move { store::batches(scope, self.id).await })
    }
}

/// Archives the records of `ids` that nobody changed since the import.
struct UndoBatch<'i> {
    id: Uuid,
    ids: &'i [Uuid],
}

impl Step for UndoBatch<'_> {
    const NAME: &'static str = "imports.undo";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = true;
    type Output = ();

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<(), ApiError>> {
        Box::pin(async move {
            let import = store::own(scope, self.id).await?;
            let (kind, _) = super::operations::importable(scope, &import.record_table)?;
            let records = kind.fields_by_id(scope, self.ids).await?;
            let mut undone = UndoneImport::default();
            let mut unchanged = Vec::with_capacity(self.ids.len());
            for id in self.ids {
                let Some(fields) = records.get(id) else { continue };
                let archived = fields.get("archived_at").is_some_and(|v| !v.is_null());
                let changed = fields.get("version").and_then(|v| v.as_i64()).unwrap_or(1) > 1;
                if archived {
                    undone.already_archived += 1;
                } else if changed {
                    undone.kept_changed += 1;
                } else {
                    unchanged.push(*id);
                }
            }
            undone.archived = kind.archive_unchanged(scope, &unchanged).await?.len() as u64;
            store::add_undone(scope, self.id, &undone).await
        })
    }
}

/// Records how undoing ended: undone, or why it stopped (the records archived so far stay
/// archived; undoing again finishes the rest).
struct UndoFinish {
    id: Uuid,
    failure: Option<String>,
}

impl Step for UndoFinish {
    const NAME: &'static str = "imports.undo";
    const PERMISSION: Permission = permissions::RUN;
    const WRITES: bool = true;
    type Output = ();

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<(), ApiError>> {
        Box::pin(async move {
            use store::import::Column;
            let values = match &self.failure {
                None => vec![
                    (Column::UndoStatus, Some("finished").into()),
                    (Column::UndoneAt, Some(scope.now).into()),
                    (Column::UndoneBy, Some(scope.actor.user_id).into()),
                ],
                Some(message) => {
                    vec![(Column::UndoStatus, Some("failed").into()), (Column::Message, Some(message.clone()).into())]
                }
            };
            store::set(scope, self.id, values).await
        })
    }
}
