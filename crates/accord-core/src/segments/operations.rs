//! The segment operations. Members are read live: the saved filter is compiled to SQL over the
//! kind's table, within the reader's reach, whenever they are asked for.

use accord_kernel::catalogue::{RecordKind, SegmentKind};
use accord_kernel::changelog::ChangeAction;
use accord_kernel::custom_fields;
use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::operation::{Operation, Scope, ensure_permitted};
use accord_kernel::paging::{Cursor, PageRequest};
use accord_kernel::records;
use accord_kernel::search;
use accord_kernel::security::Permission;
use accord_kernel::segments::{self, Checked, FieldSpec, FieldType, Filter, Segment, permissions};
use accord_kernel::validate;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::io::*;
use crate::door::registry;

const NAME_MAX: usize = 200;
const NOTES_MAX: usize = 2000;
/// Distinct values offered for a text field at most.
const VALUES_MOST: u64 = 200;
/// Segments listed at most.
const SEGMENTS_MOST: u64 = 500;

/// The kind in `table`, which segments must select from, and whose records the actor may read.
pub(super) fn segmentable(
    scope: &Scope<'_>,
    table: &str,
) -> Result<(&'static RecordKind, &'static SegmentKind), ApiError> {
    let (kind, segment) = registry::kind_with(
        table,
        |kind| kind.segment.as_ref(),
        |table| format!("Segments cannot select \"{table}\"."),
    )?;
    ensure_permitted(scope.actor, kind.read_permission, "reading these records")?;
    Ok((kind, segment))
}

/// The fields a filter over `kind` may use; retired custom fields too for a saved segment, so
/// it keeps working after a field is retired.
pub(super) async fn fields_for(
    scope: &Scope<'_>,
    kind: &RecordKind,
    segment: &SegmentKind,
    with_retired: bool,
) -> Result<Vec<FieldSpec>, ApiError> {
    let mut definitions = custom_fields::definitions_of(scope, kind.table, with_retired).await?;
    if with_retired {
        // Retired definitions are read as active ones: the filter still names them.
        for definition in &mut definitions {
            definition.deleted_at = None;
        }
    }
    Ok(segments::fields_of(segment.fields, &definitions))
}

/// A saved segment's kind and its filter, checked against the kind's fields as they are now
/// (retired custom fields included, so an older segment still evaluates).
pub(super) async fn saved_filter(
    scope: &Scope<'_>,
    saved: &Segment,
) -> Result<(&'static RecordKind, &'static SegmentKind, Checked), ApiError> {
    let (kind, segment) = segmentable(scope, &saved.record_table)?;
    let filter: Filter = serde_json::from_value(saved.filter.clone())
        .map_err(|e| ApiError::internal(format!("a saved segment's filter could not be read: {e}")))?;
    let checked = segments::check(&filter, &fields_for(scope, kind, segment, true).await?)?;
    Ok((kind, segment, checked))
}

/// How many active records of the kind within reach `filter` selects.
pub(super) async fn count_selected(scope: &Scope<'_>, kind: &RecordKind, filter: &Checked) -> Result<i64, ApiError> {
    let query = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new(kind.table))
        .cond_where(selected(scope, filter))
        .to_owned();
    Ok(match scope.tx.query_one(&query).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    })
}

/// Active records of the kind within reach that `filter` selects.
pub(super) fn selected(scope: &Scope<'_>, filter: &Checked) -> Condition {
    let backend = scope.tx.get_database_backend();
    let mut wanted =
        Condition::all().add(Expr::col(Alias::new("deleted_at")).is_null()).add(segments::compile(filter, backend));
    if let Some(visible) = scope.actor.reach.condition(None) {
        wanted = wanted.add(visible);
    }
    wanted
}

/// How many records `filter` selects, and one page of them by name.
async fn members(
    scope: &Scope<'_>,
    kind: &RecordKind,
    segment: &SegmentKind,
    filter: &Checked,
    limit: Option<u32>,
    after: Option<&str>,
) -> Result<SegmentMemberPage, ApiError> {
    let request = PageRequest::new(limit, None, after, None)?;
    let wanted = selected(scope, filter);
    let count = count_selected(scope, kind, filter).await?;
    let dense = is_dense(scope, kind, count).await?;
    let limit = u64::from(request.limit()) + 1;
    let rows = ids_by_name(scope, kind, segment, wanted, request.cursor(), limit, dense).await?;
    let page = request.finish(rows, |(id, key)| Cursor { key: key.clone(), id: *id });
    let rows = page.items;
    let ids: Vec<Uuid> = rows.iter().map(|(id, _)| *id).collect();
    let hits = match kind.search_entity {
        Some(entity) => search::titles(scope, &ids, &[entity]).await?,
        None => Vec::new(),
    };
    let members = ids
        .into_iter()
        .map(|id| {
            let hit = hits.iter().find(|hit| hit.id == id);
            SegmentMember { id, title: hit.map(|h| h.title.clone()), subtitle: hit.and_then(|h| h.subtitle.clone()) }
        })
        .collect();
    Ok(SegmentMemberPage { count: count as u64, members, next_cursor: page.next_cursor })
}

/// Whether the selected records are so many among the kind's that walking the kind's name
/// order finds a page of them after a few rows (more than one in a hundred).
pub(super) async fn is_dense(scope: &Scope<'_>, kind: &RecordKind, count: i64) -> Result<bool, ApiError> {
    let rows = records::estimated_rows(scope, kind.table).await?;
    Ok(count > 0 && count.saturating_mul(100) >= rows)
}

/// Up to `limit` ids (with their sort keys) that `wanted` selects, by name, after `after`.
/// SQLite's planner prefers an index on a filtered column and then sorts every match; when
/// the matches are `dense`, walking the name index (`Segmentable::ORDER_INDEX`) is far
/// quicker, so the query says so.
pub(super) async fn ids_by_name(
    scope: &Scope<'_>,
    kind: &RecordKind,
    segment: &SegmentKind,
    wanted: Condition,
    after: Option<&Cursor>,
    limit: u64,
    dense: bool,
) -> Result<Vec<(Uuid, String)>, ApiError> {
    let (order, id) = (Alias::new(segment.order_column), Alias::new("id"));
    let mut page = Query::select();
    page.column(id.clone()).column(order.clone()).from(Alias::new(kind.table)).cond_where(wanted);
    if let Some(cursor) = after {
        // As every list pages (`paging::PageRequest::select`): by the row value (key, id).
        let position = Expr::tuple([Expr::col(order.clone()), Expr::col(id.clone())]);
        page.and_where(position.gt(Expr::tuple([Expr::val(cursor.key.clone()), Expr::val(cursor.id)])));
    }
    page.order_by(order, Order::Asc).order_by(id, Order::Asc).limit(limit);
    let backend = scope.tx.get_database_backend();
    let mut statement = backend.build(&page);
    if let (sea_orm::DbBackend::Sqlite, true, Some(index)) = (backend, dense, segment.order_index) {
        let from = format!("FROM \"{}\"", kind.table);
        statement.sql = statement.sql.replacen(&from, &format!("{from} INDEXED BY \"{index}\""), 1);
    }
    let mut ids = Vec::new();
    for row in scope.tx.query_all_raw(statement).await? {
        ids.push((row.try_get("", "id")?, row.try_get("", segment.order_column)?));
    }
    Ok(ids)
}

fn targets() -> Vec<SegmentTarget> {
    registry::record_kinds()
        .filter(|kind| kind.segment.is_some())
        .map(|kind| SegmentTarget { table: kind.table.to_owned(), label: kind.label.to_owned() })
        .collect()
}

pub struct SegmentFields;

impl Operation for SegmentFields {
    const NAME: &'static str = "segments.fields";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The kinds segments select from, and the fields a filter over one of them may use.";
    type Input = SegmentFieldsInput;
    type Output = SegmentFieldList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, segment) = segmentable(scope, &input.table)?;
        Ok(SegmentFieldList { targets: targets(), fields: fields_for(scope, kind, segment, false).await? })
    }
}

pub struct FieldValues;

impl Operation for FieldValues {
    const NAME: &'static str = "segments.field_values";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The values a text field holds among the records within reach, the commonest first.";
    type Input = FieldValuesInput;
    type Output = FieldValueList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, segment) = segmentable(scope, &input.table)?;
        let fields = fields_for(scope, kind, segment, false).await?;
        let Some(field) = fields.iter().find(|f| f.field == input.field && f.field_type == FieldType::Text) else {
            return Err(ApiError::field("field", FieldCode::InvalidValue, "Choose a text field of this kind."));
        };
        let backend = scope.tx.get_database_backend();
        let value = match field.field.strip_prefix(custom_fields::PREFIX) {
            Some(key) if backend == sea_orm::DbBackend::Postgres => Expr::cust(format!("(\"custom\" ->> '{key}')")),
            Some(key) => Expr::cust(format!("json_extract(\"custom\", '$.{key}')")),
            None => Expr::col(Alias::new(field.field.as_str())),
        };
        let mut wanted =
            Condition::all().add(Expr::col(Alias::new("deleted_at")).is_null()).add(value.clone().is_not_null());
        if let Some(visible) = scope.actor.reach.condition(None) {
            wanted = wanted.add(visible);
        }
        let query = Query::select()
            .expr_as(value.clone(), Alias::new("value"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from(Alias::new(kind.table))
            .cond_where(wanted)
            .add_group_by([value])
            .order_by_expr(Expr::cust("COUNT(*)"), Order::Desc)
            .order_by(Alias::new("value"), Order::Asc)
            .limit(VALUES_MOST)
            .to_owned();
        let mut values = Vec::new();
        for row in scope.tx.query_all(&query).await? {
            let count: i64 = row.try_get("", "n")?;
            values.push(FieldValueCount { value: row.try_get("", "value")?, count: count as u64 });
        }
        Ok(FieldValueList { values })
    }
}

pub struct PreviewSegment;

impl Operation for PreviewSegment {
    const NAME: &'static str = "segments.preview";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Who a filter selects now, before it is saved: the count and a page by name.";
    type Input = PreviewSegmentInput;
    type Output = SegmentMemberPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, segment) = segmentable(scope, &input.table)?;
        let checked = segments::check(&input.filter, &fields_for(scope, kind, segment, false).await?)?;
        members(scope, kind, segment, &checked, input.limit, input.after.as_deref()).await
    }
}

fn filter_json(filter: &Filter) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(filter).map_err(|e| ApiError::internal(format!("could not keep the filter: {e}")))
}

pub struct SaveSegment;

impl Operation for SaveSegment {
    const NAME: &'static str = "segments.save";
    const PERMISSION: Permission = permissions::MANAGE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Save a filter as a named segment; its members are whoever matches when it is read.";
    type Input = SaveSegmentInput;
    type Output = Segment;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (kind, segment) = segmentable(scope, &input.table)?;
        let mut errors = FieldErrors::default();
        let name = validate::required_text(&mut errors, "name", &input.name, NAME_MAX);
        let notes = validate::optional_text(&mut errors, "notes", input.notes.as_deref(), NOTES_MAX);
        let fields = fields_for(scope, kind, segment, false).await?;
        if let Err(filter_errors) = segments::check(&input.filter, &fields) {
            for (field, problem) in filter_errors.fields {
                errors.add(&field, problem.code, problem.message);
            }
        }
        errors.into_result()?;
        let mut saved = Segment {
            id: Uuid::now_v7(),
            name,
            record_table: kind.table.to_owned(),
            filter: filter_json(&input.filter)?,
            notes,
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            owner_id: None,
            department_id: None,
        };
        records::insert(scope, std::slice::from_mut(&mut saved)).await?;
        Ok(saved)
    }
}

pub struct UpdateSegment;

impl Operation for UpdateSegment {
    const NAME: &'static str = "segments.update";
    const PERMISSION: Permission = permissions::MANAGE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Rename a segment, change its filter or its notes.";
    type Input = UpdateSegmentInput;
    type Output = Segment;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Segment = records::load_for_change(scope, input.id, input.version).await?;
        let (kind, segment) = segmentable(scope, &before.record_table)?;
        let mut after = before.clone();
        let mut errors = FieldErrors::default();
        if let Some(name) = &input.name {
            after.name = validate::required_text(&mut errors, "name", name, NAME_MAX);
        }
        if let Some(notes) = &input.notes {
            after.notes = validate::optional_text(&mut errors, "notes", Some(notes), NOTES_MAX);
        }
        if let Some(filter) = &input.filter {
            match segments::check(filter, &fields_for(scope, kind, segment, false).await?) {
                Ok(_) => after.filter = filter_json(filter)?,
                Err(filter_errors) => {
                    for (field, problem) in filter_errors.fields {
                        errors.add(&field, problem.code, problem.message);
                    }
                }
            }
        }
        errors.into_result()?;
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct ListSegments;

impl Operation for ListSegments {
    const NAME: &'static str = "segments.list";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The saved segments within reach, by name.";
    type Input = ListSegmentsInput;
    type Output = SegmentList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut select = records::find::<Segment>(scope);
        select = if input.archived.unwrap_or(false) {
            select.filter(Expr::col(Alias::new("deleted_at")).is_not_null())
        } else {
            select.filter(Expr::col(Alias::new("deleted_at")).is_null())
        };
        if let Some(table) = &input.table {
            select = select.filter(Expr::col(Alias::new("record_table")).eq(table.as_str()));
        }
        let segments = select
            .order_by_asc(Expr::col(Alias::new("name")))
            .order_by_asc(Expr::col(Alias::new("id")))
            .limit(SEGMENTS_MOST)
            .all(scope.tx)
            .await?;
        // Only segments of kinds the reader may read.
        let segments = segments
            .into_iter()
            .filter(|s| registry::record_kind(&s.record_table).is_some_and(|k| scope.actor.may(k.read_permission)))
            .collect();
        Ok(SegmentList { segments })
    }
}

pub struct SegmentMembers;

impl Operation for SegmentMembers {
    const NAME: &'static str = "segments.members";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Who is in a saved segment now, within reach: the count and a page by name.";
    type Input = SegmentMembersInput;
    type Output = SegmentMemberPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let saved: Segment = records::load(scope, input.id, "id").await?;
        let (kind, segment, checked) = saved_filter(scope, &saved).await?;
        members(scope, kind, segment, &checked, input.limit, input.after.as_deref()).await
    }
}
