//! The duplicates operations: find, compare, merge, undo, and the merges of a record.
//! A merge and its undo are audited; each change they make is an ordinary change of a record
//! (history, change log, sync to laptops).

use std::collections::{BTreeMap, HashMap, HashSet};

use accord_kernel::catalogue::{MergeKind, RecordKind};
use accord_kernel::error::{ApiError, ErrorCode, FieldCode};
use accord_kernel::io::VersionedIdInput;
use accord_kernel::merge::{self, Dismissal, Merge, MovedReference, permissions};
use accord_kernel::operation::{Operation, Scope, ensure_permitted};
use accord_kernel::records;
use accord_kernel::search;
use accord_kernel::security::Permission;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait};
use sea_orm::{QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::io::*;
use crate::door::registry;

/// Pairs shown when the caller does not say.
const PAIRS_DEFAULT: u32 = 200;
/// Pairs shown at most.
const PAIRS_MOST: u32 = 1000;
/// Merges listed at most.
const MERGES_MOST: u64 = 100;

/// The kind in `table`, which must merge, and whose records the actor may read.
fn mergeable(scope: &Scope<'_>, table: &str) -> Result<(&'static RecordKind, &'static MergeKind), ApiError> {
    let (kind, merge) = registry::kind_with(
        table,
        |kind| kind.merge.as_ref(),
        |table| format!("Records of \"{table}\" cannot be merged."),
    )?;
    ensure_permitted(scope.actor, kind.read_permission, "reading these records")?;
    Ok((kind, merge))
}

/// The actor may change and archive records of `kind` (a merge does both).
fn ensure_may_merge(scope: &Scope<'_>, kind: &RecordKind) -> Result<(), ApiError> {
    ensure_permitted(scope.actor, kind.write_permission, "changing the survivor")?;
    match kind.archive_permission {
        Some(archive) => ensure_permitted(scope.actor, archive, "archiving the merged record"),
        None => Ok(()),
    }
}

/// The names of records of `kind` by id, within reach.
async fn titles(scope: &Scope<'_>, kind: &RecordKind, ids: Vec<Uuid>) -> Result<HashMap<Uuid, String>, ApiError> {
    let Some(entity) = kind.search_entity else { return Ok(HashMap::new()) };
    let hits = search::titles(scope, &ids, &[entity]).await?;
    Ok(hits.into_iter().map(|hit| (hit.id, hit.title)).collect())
}

/// Every reference to a record of `table`: the kind that holds it and the field.
fn references_to(table: &str) -> impl Iterator<Item = (&'static RecordKind, &'static str)> + '_ {
    registry::record_kinds()
        .flat_map(|kind| kind.references.iter().map(move |reference| (kind, reference)))
        .filter(move |(_, reference)| reference.table == table)
        .map(|(kind, reference)| (kind, reference.field))
}

async fn references_of(scope: &Scope<'_>, table: &str, id: Uuid) -> Result<Vec<ReferenceCount>, ApiError> {
    let mut counts = Vec::new();
    for (kind, field) in references_to(table).filter(|(kind, _)| scope.actor.may(kind.read_permission)) {
        let count = kind.count_referring(scope, field, id).await?;
        if count > 0 {
            counts.push(ReferenceCount {
                table: kind.table.to_owned(),
                label: kind.label.to_owned(),
                field: field.into(),
                count,
            });
        }
    }
    Ok(counts)
}

pub struct FindDuplicates;

impl Operation for FindDuplicates {
    const NAME: &'static str = "duplicates.find";
    const PERMISSION: Permission = permissions::FIND;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Likely duplicates among the active records of a kind within reach, the likeliest first: \
         the same email, phone or tax id, or a name written alike in Latin, Cyrillic or Persian letters.";
    type Input = FindDuplicatesInput;
    type Output = merge::ScanResult;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, merge_kind) = mergeable(scope, &input.table)?;
        let most = input.most.unwrap_or(PAIRS_DEFAULT);
        if !(1..=PAIRS_MOST).contains(&most) {
            return Err(ApiError::field(
                "most",
                FieldCode::InvalidValue,
                format!("Ask for between 1 and {PAIRS_MOST} pairs."),
            ));
        }
        let scan = merge_kind.scan(scope).await?;
        let dismissed = dismissed_pairs(scope, kind.table).await?;
        let mut found = scan.pairs(most as usize, &dismissed);
        drop(scan);
        let ids = found.pairs.iter().flat_map(|p| [p.first, p.second]).collect();
        let names = titles(scope, kind, ids).await?;
        for pair in &mut found.pairs {
            pair.first_title = names.get(&pair.first).cloned();
            pair.second_title = names.get(&pair.second).cloned();
        }
        Ok(found)
    }
}

/// The pairs of `table` judged distinct, each as (smaller id, larger id).
async fn dismissed_pairs(scope: &Scope<'_>, table: &str) -> Result<HashSet<(Uuid, Uuid)>, ApiError> {
    let rows: Vec<Dismissal> = records::find::<Dismissal>(scope)
        .filter(Expr::col(Alias::new("record_table")).eq(table))
        .filter(Expr::col(Alias::new("deleted_at")).is_null())
        .all(scope.tx)
        .await?;
    Ok(rows.into_iter().map(|d| (d.first_id, d.second_id)).collect())
}

pub struct DismissPair;

impl Operation for DismissPair {
    const NAME: &'static str = "duplicates.dismiss";
    const PERMISSION: Permission = permissions::MERGE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Judge two records different: the scan no longer offers the pair, for anyone, until reconsidered.";
    type Input = CompareRecordsInput;
    type Output = Dismissal;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, merge_kind) = mergeable(scope, &input.table)?;
        if input.first == input.second {
            return Err(ApiError::field("second", FieldCode::InvalidValue, "Choose two different records."));
        }
        // Both must exist within reach: a judgement about a record one cannot see is refused.
        merge_kind.compare(scope, input.first, input.second).await?;
        let (first_id, second_id) =
            if input.first < input.second { (input.first, input.second) } else { (input.second, input.first) };
        let existing = records::find::<Dismissal>(scope)
            .filter(Expr::col(Alias::new("record_table")).eq(kind.table))
            .filter(Expr::col(Alias::new("first_id")).eq(first_id))
            .filter(Expr::col(Alias::new("second_id")).eq(second_id))
            .filter(Expr::col(Alias::new("deleted_at")).is_null())
            .one(scope.tx)
            .await?;
        if let Some(existing) = existing {
            return Ok(existing);
        }
        let mut dismissal = Dismissal {
            id: Uuid::now_v7(),
            record_table: kind.table.to_owned(),
            first_id,
            second_id,
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            owner_id: None,
            department_id: None,
        };
        records::insert(scope, std::slice::from_mut(&mut dismissal)).await?;
        Ok(dismissal)
    }
}

/// `duplicates.reconsider_pair`: the pair is offered again.
pub type ReconsiderPair = records::Archive<Dismissal>;

pub struct CompareRecords;

impl Operation for CompareRecords {
    const NAME: &'static str = "duplicates.compare";
    const PERMISSION: Permission = permissions::FIND;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "Two records of a kind side by side: their fields to choose between, and what refers to each.";
    type Input = CompareRecordsInput;
    type Output = RecordComparison;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, merge_kind) = mergeable(scope, &input.table)?;
        let (first, second, custom) = merge_kind.compare(scope, input.first, input.second).await?;
        let fields = merge_kind.fields.iter().map(|f| (*f).to_owned()).chain(custom).collect();
        Ok(RecordComparison {
            table: kind.table.to_owned(),
            fields,
            first,
            second,
            first_references: references_of(scope, kind.table, input.first).await?,
            second_references: references_of(scope, kind.table, input.second).await?,
        })
    }
}

pub struct MergeRecords;

impl Operation for MergeRecords {
    const NAME: &'static str = "duplicates.merge";
    const PERMISSION: Permission = permissions::MERGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Merge two records into one: the survivor takes the chosen fields, everything that \
         refers to the other moves to it, and the other is archived pointing to it. Can be undone.";
    type Input = MergeRecordsInput;
    type Output = MergeOutcome;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, merge_kind) = mergeable(scope, &input.table)?;
        ensure_may_merge(scope, kind)?;
        scope.audit_target(kind.table, input.survivor.id);
        let taken = merge_kind.merge(scope, &input.survivor, &input.merged, &input.take).await?;
        let (from, to) = (input.merged.id, input.survivor.id);
        let mut moved = Vec::new();
        let mut counts = Vec::new();
        for (referring, field) in references_to(kind.table) {
            if referring.count_referring(scope, field, from).await? == 0 {
                continue;
            }
            ensure_permitted(scope.actor, referring.write_permission, "moving what refers to the merged record")?;
            let ids = referring.repoint(scope, field, from, to, None).await?;
            counts.push(ReferenceCount {
                table: referring.table.to_owned(),
                label: referring.label.to_owned(),
                field: field.to_owned(),
                count: ids.len() as u64,
            });
            moved.extend(ids.into_iter().map(|row_id| MovedReference {
                table: referring.table.to_owned(),
                row_id,
                field: field.to_owned(),
            }));
        }
        let archived = archive_self_references(scope, kind.table, to, &moved).await?;
        let mut record = Merge {
            id: Uuid::now_v7(),
            record_table: kind.table.to_owned(),
            survivor_id: to,
            merged_id: from,
            fields: to_json(&taken)?,
            moved: to_json(&moved)?,
            archived: to_json(&archived)?,
            undone_at: None,
            undone_by: None,
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            owner_id: None,
            department_id: None,
        };
        records::insert(scope, std::slice::from_mut(&mut record)).await?;
        scope.audit_detail(format!("{} merged into {to}; {} records moved", from, moved.len()));
        Ok(MergeOutcome { merge: record, moved: counts })
    }
}

/// Moved records that now name the survivor in two of their fields — a relation between the
/// two merged records — are archived: a record related to itself means nothing.
async fn archive_self_references(
    scope: &Scope<'_>,
    table: &str,
    survivor: Uuid,
    moved: &[MovedReference],
) -> Result<Vec<MovedReference>, ApiError> {
    let mut archived = Vec::new();
    for referring in registry::record_kinds() {
        let fields: Vec<&str> = referring.references.iter().filter(|r| r.table == table).map(|r| r.field).collect();
        if fields.len() < 2 {
            continue;
        }
        let ids: Vec<Uuid> = moved.iter().filter(|m| m.table == referring.table).map(|m| m.row_id).collect();
        let survivor = serde_json::Value::String(survivor.to_string());
        for (id, record) in referring.fields_by_id(scope, &ids).await? {
            let to_itself = fields.iter().all(|f| record.get(*f) == Some(&survivor));
            let active = record.get("archived_at").is_none_or(|v| v.is_null());
            if to_itself && active && referring.set_archived_now(scope, id, true).await? {
                archived.push(MovedReference {
                    table: referring.table.to_owned(),
                    row_id: id,
                    field: fields[0].to_owned(),
                });
            }
        }
    }
    Ok(archived)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::internal(format!("could not keep the merge: {e}")))
}

pub struct UndoMerge;

impl Operation for UndoMerge {
    const NAME: &'static str = "duplicates.undo_merge";
    const PERMISSION: Permission = permissions::MERGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Undo a merge: the merged record is restored, what moved goes back to it, and the \
         survivor's taken fields return where nobody changed them since.";
    type Input = VersionedIdInput;
    type Output = UndoneMerge;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Merge = records::load(scope, input.id, "id").await?;
        records::ensure_version(&before, input.version)?;
        if before.undone_at.is_some() {
            return Err(ApiError::new(ErrorCode::Conflict, "This merge was undone already; there is nothing to undo.")
                .with_field("id", FieldCode::InvalidValue, "The merge was undone already."));
        }
        let (kind, merge_kind) = mergeable(scope, &before.record_table)?;
        ensure_may_merge(scope, kind)?;
        scope.audit_target(kind.table, before.merged_id);
        let kept_fields =
            merge_kind.unmerge(scope, before.survivor_id, before.merged_id, &before.fields_taken()).await?;
        let moved = before.moved_references();
        let mut by_reference: BTreeMap<(&str, &str), Vec<Uuid>> = BTreeMap::new();
        for reference in &moved {
            by_reference.entry((&reference.table, &reference.field)).or_default().push(reference.row_id);
        }
        let mut moved_back = 0;
        for ((table, field), ids) in by_reference {
            let Some(referring) = registry::record_kind(table) else { continue };
            ensure_permitted(scope.actor, referring.write_permission, "moving records back")?;
            for chunk in ids.chunks(500) {
                let back = referring.repoint(scope, field, before.survivor_id, before.merged_id, Some(chunk)).await?;
                moved_back += back.len() as u64;
            }
        }
        for reference in before.archived_references() {
            if let Some(referring) = registry::record_kind(&reference.table) {
                referring.set_archived_now(scope, reference.row_id, false).await?;
            }
        }
        let mut after = before.clone();
        after.undone_at = Some(scope.now);
        after.undone_by = Some(scope.actor.user_id);
        let merge = records::update(scope, &before, after, accord_kernel::changelog::ChangeAction::Update).await?;
        scope.audit_detail(format!(
            "{} restored from {}; {moved_back} records moved back",
            before.merged_id, before.survivor_id
        ));
        Ok(UndoneMerge { merge, kept_fields, moved_back, left_in_place: moved.len() as u64 - moved_back })
    }
}

pub struct ListMerges;

impl Operation for ListMerges {
    const NAME: &'static str = "duplicates.list_merges";
    const PERMISSION: Permission = permissions::FIND;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "The merges a record took part in (its card), or the latest merges of a kind, newest first, with names.";
    type Input = ListMergesInput;
    type Output = MergeList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, _) = mergeable(scope, &input.table)?;
        let mut select = records::find::<Merge>(scope).filter(Expr::col(Alias::new("record_table")).eq(kind.table));
        if let Some(id) = input.row_id {
            select = select.filter(
                Condition::any()
                    .add(Expr::col(Alias::new("survivor_id")).eq(id))
                    .add(Expr::col(Alias::new("merged_id")).eq(id)),
            );
        }
        let merges: Vec<Merge> =
            select.order_by_desc(Expr::col(Alias::new("id"))).limit(MERGES_MOST).all(scope.tx).await?;
        let names = titles(scope, kind, merges.iter().flat_map(|m| [m.survivor_id, m.merged_id]).collect()).await?;
        Ok(MergeList {
            merges: merges
                .into_iter()
                .map(|merge| MergeView {
                    survivor_title: names.get(&merge.survivor_id).cloned(),
                    merged_title: names.get(&merge.merged_id).cloned(),
                    merge,
                })
                .collect(),
        })
    }
}
