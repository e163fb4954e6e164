//! An export as a background job: the records read two thousand at a time by name, each batch
//! in its own short read, written to the file outside any transaction, and the export's
//! progress moved on in a short write that also sees a cancel. The file appears at its path
//! only when it is whole.

use std::sync::Arc;

use accord_kernel::error::ApiError;
use accord_kernel::jobs::Ending;
use accord_kernel::operation::{JobStart, Runtime, Scope, Step};
use accord_kernel::paging::Cursor;
use accord_kernel::security::Permission;
use accord_kernel::segments::permissions;
use accord_kernel::sheets::{Cell, SheetFile};
use futures::future::BoxFuture;
use uuid::Uuid;

use super::super::io::ExportRecordsInput;
use super::super::operations::{ids_by_name, is_dense, selected};
use super::{Plan, cell, plan, reference_titles, store};

/// Records read and written per batch.
const BATCH: u64 = 2000;

/// Runs the export `start.id` to its end, recording how it ended.
pub async fn run(runtime: Arc<Runtime>, start: JobStart) {
    let ending = match export(&runtime, &start).await {
        Ok(ending) => ending,
        Err(error) => {
            tracing::warn!(export = %start.id, code = ?error.code, "an export stopped");
            // A file that cannot be written is a field's problem: its own words say why.
            let reasons: Vec<&str> = error.fields.values().map(|e| e.message.as_str()).collect();
            Ending::Failed(if reasons.is_empty() { error.message } else { reasons.join(" ") })
        }
    };
    if let Err(e) = runtime.step(&start.actor, &mut Finish { id: start.id, ending }).await {
        tracing::error!(export = %start.id, code = ?e.code, "the end of an export could not be recorded");
    }
}

async fn export(runtime: &Runtime, start: &JobStart) -> Result<Ending, ApiError> {
    let begun = runtime.step(&start.actor, &mut Begin { id: start.id }).await?;
    let headers: Vec<String> = begun.input.columns.iter().map(|c| c.label.clone()).collect();
    let path = std::path::PathBuf::from(&begun.input.path);
    let mut file = SheetFile::create(&path, begun.input.format, &begun.plan.name, &headers)?;
    let mut read = ReadBatch { begun: &begun, after: None };
    loop {
        let rows = runtime.step(&start.actor, &mut read).await?;
        if rows.is_empty() {
            break;
        }
        file.write_rows(&rows)?;
        let mut progress = Progress { id: start.id, written: rows.len() as u64 };
        if !runtime.step(&start.actor, &mut progress).await? {
            // Dropping the file removes what was written.
            return Ok(Ending::Cancelled);
        }
    }
    file.finish()?;
    Ok(Ending::Finished)
}

/// The export's request, checked again, and whether its records are dense among the kind's.
struct Begun {
    input: ExportRecordsInput,
    plan: Plan,
    dense: bool,
}

struct Begin {
    id: Uuid,
}

impl Step for Begin {
    const NAME: &'static str = "segments.export";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    type Output = Begun;

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<Begun, ApiError>> {
        Box::pin(async move {
            let export = store::own(scope, self.id).await?;
            let input: ExportRecordsInput = serde_json::from_value(export.request)
                .map_err(|e| ApiError::internal(format!("an export's request could not be read: {e}")))?;
            let plan = plan(scope, &input).await?;
            // Counted when the export was asked for; a second count would only cost its time.
            let dense = is_dense(scope, plan.kind, export.total).await?;
            Ok(Begun { input, plan, dense })
        })
    }
}

/// The next batch of rows, by name after the last one read.
struct ReadBatch<'b> {
    begun: &'b Begun,
    after: Option<Cursor>,
}

impl Step for ReadBatch<'_> {
    const NAME: &'static str = "segments.export";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    type Output = Vec<Vec<Cell>>;

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<Vec<Vec<Cell>>, ApiError>> {
        Box::pin(async move {
            let Begun { input, plan, dense } = self.begun;
            let wanted = selected(scope, &plan.filter);
            let ids = ids_by_name(scope, plan.kind, plan.segment, wanted, self.after.as_ref(), BATCH, *dense).await?;
            let Some((last_id, last_key)) = ids.last().cloned() else { return Ok(Vec::new()) };
            self.after = Some(Cursor { key: last_key, id: last_id });
            let ids: Vec<Uuid> = ids.into_iter().map(|(id, _)| id).collect();
            let records = plan.kind.fields_by_id(scope, &ids).await?;
            let titles = reference_titles(scope, &input.columns, &plan.references, records.values()).await?;
            let rows = ids
                .iter()
                .filter_map(|id| records.get(id))
                .map(|record| {
                    input
                        .columns
                        .iter()
                        .map(|column| cell(record.get(&column.field), &input.value_labels.get(&column.field), &titles))
                        .collect()
                })
                .collect();
            Ok(rows)
        })
    }
}

/// Adds a batch's rows to the export: `false` when it was cancelled meanwhile.
struct Progress {
    id: Uuid,
    written: u64,
}

impl Step for Progress {
    const NAME: &'static str = "segments.export";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = true;
    type Output = bool;

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<bool, ApiError>> {
        Box::pin(async move {
            if store::own(scope, self.id).await?.cancel_requested {
                return Ok(false);
            }
            store::add_written(scope, self.id, self.written).await?;
            Ok(true)
        })
    }
}

/// Records how the export ended.
struct Finish {
    id: Uuid,
    ending: Ending,
}

impl Step for Finish {
    const NAME: &'static str = "segments.export";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = true;
    type Output = ();

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<(), ApiError>> {
        Box::pin(async move {
            let (status, message) = self.ending.stored();
            use store::export::Column;
            let values = vec![
                (Column::Status, status.into()),
                (Column::Message, message.into()),
                (Column::FinishedAt, Some(scope.now).into()),
            ];
            store::set(scope, self.id, values).await
        })
    }
}
