//! Merging two records of one kind and undoing it, and moving what refers to a record —
//! generic over the kind, so the registry runs them for whichever kind a person merges.

use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use super::KeyIndex;
use super::scan::Scan;
use super::{FieldTaken, Mergeable};
use crate::changelog::ChangeAction;
use crate::custom_fields;
use crate::error::{ApiError, FieldCode};
use crate::io::VersionedIdInput;
use crate::operation::Scope;
use crate::records::{self, Record};

/// Records read per batch by the scan.
const SCAN_BATCH: u64 = 5000;

/// Every active record of the kind within the actor's reach, taken into a scan by its match
/// keys batch by batch.
pub async fn scan<R: Mergeable>(scope: &Scope<'_>) -> Result<Scan, ApiError> {
    let mut found = Scan::default();
    each_keys::<R>(scope, |id, keys| found.add(id, keys)).await?;
    Ok(found)
}

/// The same records in a compact index, to check new records against (an import).
pub async fn key_index<R: Mergeable>(scope: &Scope<'_>) -> Result<KeyIndex, ApiError> {
    let mut index = KeyIndex::default();
    each_keys::<R>(scope, |id, keys| index.add(id, &keys)).await?;
    Ok(index)
}

/// Every active record of the kind within reach, batch by batch, with its match keys.
async fn each_keys<R: Mergeable>(
    scope: &Scope<'_>,
    mut take: impl FnMut(Uuid, Vec<super::MatchKey>) + Send,
) -> Result<(), ApiError> {
    let id = || Expr::col(Alias::new("id"));
    let mut last: Option<Uuid> = None;
    loop {
        let mut batch = records::find::<R>(scope).filter(Expr::col(Alias::new("deleted_at")).is_null());
        if let Some(after) = last {
            batch = batch.filter(id().gt(after));
        }
        let rows: Vec<R> = batch.order_by_asc(id()).limit(SCAN_BATCH).all(scope.tx).await?;
        let Some(tail) = rows.last() else { break };
        last = Some(tail.id());
        for row in &rows {
            take(row.id(), row.match_keys());
        }
    }
    Ok(())
}

/// Both records as the change log names their fields, and the fields a person may choose
/// between (the kind's, then the custom values either holds).
pub async fn compare<R: Mergeable>(
    scope: &Scope<'_>,
    first: Uuid,
    second: Uuid,
) -> Result<(Value, Value, Vec<String>), ApiError> {
    let a: R = records::load(scope, first, "first").await?;
    let b: R = records::load(scope, second, "second").await?;
    let (a, b) = (records::fields_of(&a)?, records::fields_of(&b)?);
    Ok((a.clone(), b.clone(), choosable(&a, &b)))
}

fn choosable(a: &Value, b: &Value) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for record in [a, b] {
        let Some(object) = record.as_object() else { continue };
        for key in object.keys().filter(|k| k.starts_with(custom_fields::PREFIX)) {
            if !fields.contains(key) {
                fields.push(key.clone());
            }
        }
    }
    fields.sort();
    fields
}

/// Keeps `survivor`, gives it the fields named in `take` from `merged`, and archives
/// `merged`; both must be active and as the person saw them. Returns the fields taken.
pub async fn merge_pair<R: Mergeable>(
    scope: &Scope<'_>,
    survivor: &VersionedIdInput,
    merged: &VersionedIdInput,
    take: &[String],
) -> Result<Vec<FieldTaken>, ApiError> {
    if survivor.id == merged.id {
        return Err(ApiError::field(
            "merged.id",
            FieldCode::InvalidValue,
            format!("A {} cannot be merged with itself; choose two different records.", R::LABEL),
        ));
    }
    let kept: R = load_current(scope, survivor, "survivor").await?;
    let gone: R = load_current(scope, merged, "merged").await?;
    let (kept_fields, gone_fields) = (records::fields_of(&kept)?, records::fields_of(&gone)?);
    let extra = choosable(&kept_fields, &gone_fields);
    let mut after_fields = kept_fields.clone();
    let mut taken = Vec::new();
    for field in take {
        if !R::MERGE_FIELDS.contains(&field.as_str()) && !extra.contains(field) {
            return Err(ApiError::field(
                "take",
                FieldCode::InvalidValue,
                format!(
                    "A {} has no field \"{field}\" that a merge can take; choose among the fields shown.",
                    R::LABEL
                ),
            ));
        }
        let before = kept_fields.get(field).cloned().unwrap_or(Value::Null);
        let after = gone_fields.get(field).cloned().unwrap_or(Value::Null);
        if before != after {
            set_field(&mut after_fields, field, after.clone());
            taken.push(FieldTaken { field: field.clone(), before, after });
        }
    }
    if !taken.is_empty() {
        let mut after: R = records::from_fields(after_fields)
            .map_err(|e| ApiError::internal(format!("a merged {} could not be read back: {e}", R::LABEL)))?;
        after.settle();
        records::update(scope, &kept, after, ChangeAction::Update).await?;
    }
    let mut archived = gone.clone();
    archived.set_archived_at(Some(scope.now));
    records::update(scope, &gone, archived, ChangeAction::Archive).await?;
    Ok(taken)
}

async fn load_current<R: Record>(scope: &Scope<'_>, which: &VersionedIdInput, field: &str) -> Result<R, ApiError> {
    let record: R = records::load(scope, which.id, &format!("{field}.id")).await?;
    records::ensure_version(&record, which.version)?;
    records::ensure_active(&record, &format!("{field}.id"))?;
    Ok(record)
}

/// A field's value, `null` removing a custom value.
fn set_field(fields: &mut Value, field: &str, value: Value) {
    let Some(object) = fields.as_object_mut() else { return };
    if Value::is_null(&value) && field.starts_with(custom_fields::PREFIX) {
        object.remove(field);
    } else {
        object.insert(field.to_owned(), value);
    }
}

/// Undoes what a merge did to the two records: the survivor's taken fields go back where
/// nobody changed them since (the others are returned, kept as they are now), and the merged
/// record is restored.
pub async fn unmerge_pair<R: Mergeable>(
    scope: &Scope<'_>,
    survivor_id: Uuid,
    merged_id: Uuid,
    taken: &[FieldTaken],
) -> Result<Vec<String>, ApiError> {
    let kept: R = records::load(scope, survivor_id, "survivor.id").await?;
    let gone: R = records::load(scope, merged_id, "merged.id").await?;
    let mut fields = records::fields_of(&kept)?;
    let mut changed_since = Vec::new();
    for field in taken {
        let current = fields.get(&field.field).cloned().unwrap_or(Value::Null);
        if current == field.after {
            set_field(&mut fields, &field.field, field.before.clone());
        } else {
            changed_since.push(field.field.clone());
        }
    }
    let mut after: R = records::from_fields(fields)
        .map_err(|e| ApiError::internal(format!("a {} could not be read back: {e}", R::LABEL)))?;
    after.settle();
    records::update(scope, &kept, after, ChangeAction::Update).await?;
    if gone.archived_at().is_some() {
        let mut restored = gone.clone();
        restored.set_archived_at(None);
        records::update(scope, &gone, restored, ChangeAction::Restore).await?;
    }
    Ok(changed_since)
}

/// Points `field` of this kind's records that name `from` at `to` instead — each an ordinary
/// change with its change-log entry — archived records included, so their history follows;
/// only the rows in `only` when given. Returns the ids moved.
pub async fn repoint<R: Record>(
    scope: &Scope<'_>,
    field: &str,
    from: Uuid,
    to: Uuid,
    only: Option<&[Uuid]>,
) -> Result<Vec<Uuid>, ApiError> {
    let mut select = records::find::<R>(scope).filter(Expr::col(Alias::new(field)).eq(from));
    if let Some(ids) = only {
        select = select.filter(Expr::col(Alias::new("id")).is_in(ids.iter().copied()));
    }
    let rows: Vec<R> = select.order_by_asc(Expr::col(Alias::new("id"))).all(scope.tx).await?;
    let mut moved = Vec::with_capacity(rows.len());
    for before in rows {
        let mut fields = records::fields_of(&before)?;
        set_field(&mut fields, field, Value::from(to.to_string()));
        let after: R = records::from_fields(fields)
            .map_err(|e| ApiError::internal(format!("a moved {} could not be read back: {e}", R::LABEL)))?;
        records::update(scope, &before, after, ChangeAction::Update).await?;
        moved.push(before.id());
    }
    Ok(moved)
}

/// How many of this kind's records within reach name `id` in `field`, archived included.
pub async fn count_referring<R: Record>(scope: &Scope<'_>, field: &str, id: Uuid) -> Result<u64, ApiError> {
    Ok(records::find::<R>(scope).filter(Expr::col(Alias::new(field)).eq(id)).count(scope.tx).await?)
}
