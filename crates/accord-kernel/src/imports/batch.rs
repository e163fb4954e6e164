//! One batch of an import: each row either becomes a record whole, or is listed with every
//! problem it has, or is held back as a likely duplicate — never half of a row.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;
use uuid::Uuid;

use super::{ImportDefaults, Importable, Notice};
use crate::error::{ApiError, FieldCode};
use crate::merge::{KeyIndex, MatchReason};
use crate::operation::Scope;
use crate::records;

/// A row read from the file: its number in the file, the item its cells make, and the cells
/// that could not be read at all.
#[derive(Debug, Clone)]
pub struct RowInput {
    pub row: u64,
    pub item: Map<String, Value>,
    pub problems: Vec<RowProblem>,
}

/// One thing wrong with a row, at the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "ImportRowProblem")]
pub struct RowProblem {
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

/// What became of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowOutcome {
    /// Stored as this record (or, in a dry run, would have been).
    Imported(Uuid),
    /// Not stored, for these reasons.
    Failed(Vec<RowProblem>),
    /// Not stored: likely the same as `existing`, a record already there or made from an
    /// earlier row; offered for merging instead.
    Held { existing: Uuid, score: u32, reasons: Vec<MatchReason> },
}

#[derive(Debug, Clone)]
pub struct RowResult {
    pub row: u64,
    pub outcome: RowOutcome,
    pub notices: Vec<Notice>,
    /// The row as the kind's create input, kept for a held row so it can be created later.
    pub item: Map<String, Value>,
}

/// Makes records of `rows` through the kind's own checks and stores the good ones when
/// `store` (not in a dry run or a preview). With `dedupe`, a row whose record is likely one
/// already in the index is held back, and each stored row's record joins the index, so
/// a later row duplicating it is held too.
pub async fn import_batch<R: Importable>(
    scope: &Scope<'_>,
    rows: Vec<RowInput>,
    defaults: &ImportDefaults,
    mut dedupe: Option<&mut KeyIndex>,
    store: bool,
) -> Result<Vec<RowResult>, ApiError> {
    let items: Vec<Map<String, Value>> = rows.iter().map(|row| row.item.clone()).collect();
    let prepared = R::prepare(scope, items, defaults).await?;
    let mut results = Vec::with_capacity(rows.len());
    let mut records = Vec::new();
    for (row, prepared) in rows.into_iter().zip(prepared) {
        let mut problems = row.problems;
        let outcome = match prepared.record {
            Err(errors) => {
                for (field, error) in errors.into_entries() {
                    // A cell that could not be read is reported once, as unreadable, not
                    // again as missing.
                    if !problems.iter().any(|p| p.field == field) {
                        problems.push(RowProblem { field, code: error.code, message: error.message });
                    }
                }
                RowOutcome::Failed(problems)
            }
            Ok(_) if !problems.is_empty() => RowOutcome::Failed(problems),
            Ok(record) => {
                let keys = if dedupe.is_some() { record.import_keys() } else { Vec::new() };
                match dedupe.as_deref_mut().and_then(|scan| scan.best_match(&keys)) {
                    Some((existing, score, reasons)) => RowOutcome::Held { existing, score, reasons },
                    None => {
                        if let Some(index) = dedupe.as_deref_mut() {
                            index.add(record.id(), &keys);
                        }
                        let id = record.id();
                        records.push(record);
                        RowOutcome::Imported(id)
                    }
                }
            }
        };
        let item = if matches!(outcome, RowOutcome::Held { .. }) { row.item } else { Map::new() };
        results.push(RowResult { row: row.row, outcome, notices: prepared.notices, item });
    }
    if store && !records.is_empty() {
        records::insert(scope, &mut records).await?;
    }
    Ok(results)
}
