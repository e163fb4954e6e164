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
fn segmentable(scope: &Scope<'_>, table: &str) -> Result<(&'static RecordKind, &'static SegmentKind), ApiError> {
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
async fn fields_for(
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
async fn saved_filter(
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
async fn count_selected(scope: &Scope<'_>, kind: &RecordKind, filter: &Checked) -> Result<i64, ApiError> {
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
fn selected(scope: &Scope<'_>, filter: &Checked) -> Condition {
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
async fn is_dense(scope: &Scope<'_>, kind: &RecordKind, count: i64) -> Result<bool, ApiError> {
    let rows = records::estimated_rows(scope, kind.table).await?;
    Ok(count > 0 && count.saturating_mul(100) >= rows)
}

/// Up to `limit` ids (with their sort keys) that `wanted` selects, by name, after `after`.
/// SQLite's planner prefers an index on a filtered column and then sorts every match; when
/// the matches are `dense`, walking the name index (`Segmentable::ORDER_INDEX`) is far
/// quicker, so the query says so.
async fn ids_by_name(
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

/// Records read per batch by an export.
const EXPORT_BATCH: u64 = 2000;
/// Columns an export may have.
const EXPORT_COLUMNS: usize = 50;

pub struct ExportRecords;

impl Operation for ExportRecords {
    const NAME: &'static str = "segments.export";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Export a segment's members, or a kind's records a filter selects, to CSV or XLSX \
         with the columns shown, within reach. Audited.";
    type Input = ExportRecordsInput;
    type Output = accord_kernel::io::ExportedFile;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
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
        let references: Vec<Option<&'static RecordKind>> = input
            .columns
            .iter()
            .map(|column| match fields.iter().find(|f| f.field == column.field).map(|f| &f.field_type) {
                Some(FieldType::Reference { table }) => {
                    registry::record_kind(table).filter(|k| k.search_entity.is_some())
                }
                _ => None,
            })
            .collect();
        let mut rows = Vec::new();
        let mut after: Option<Cursor> = None;
        let count = count_selected(scope, kind, &filter).await?;
        let dense = is_dense(scope, kind, count).await?;
        loop {
            let wanted = selected(scope, &filter);
            let ids = ids_by_name(scope, kind, segment, wanted, after.as_ref(), EXPORT_BATCH, dense).await?;
            let Some((last_id, last_key)) = ids.last().cloned() else { break };
            after = Some(Cursor { key: last_key, id: last_id });
            let ids: Vec<Uuid> = ids.into_iter().map(|(id, _)| id).collect();
            let records = kind.fields_by_id(scope, &ids).await?;
            let titles = reference_titles(scope, &input.columns, &references, records.values()).await?;
            for record in ids.iter().filter_map(|id| records.get(id)) {
                rows.push(
                    input
                        .columns
                        .iter()
                        .map(|column| cell(record.get(&column.field), &input.value_labels.get(&column.field), &titles))
                        .collect(),
                );
            }
        }
        let name = input.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&default_name).to_owned();
        let headers: Vec<String> = input.columns.iter().map(|c| c.label.clone()).collect();
        let bytes = accord_kernel::sheets::write(input.format, &name, &headers, &rows)?;
        scope.audit_detail(format!(
            "{} {} records of {} to {}",
            rows.len(),
            kind.label,
            name,
            input.format.extension()
        ));
        use base64::Engine as _;
        Ok(accord_kernel::io::ExportedFile {
            file_name: format!("{}.{}", file_name_of(&name), input.format.extension()),
            media_type: input.format.media_type().to_owned(),
            content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }
}

fn check_columns(columns: &[ExportColumn]) -> Result<(), ApiError> {
    let mut errors = FieldErrors::default();
    if columns.is_empty() || columns.len() > EXPORT_COLUMNS {
        errors.add("columns", FieldCode::InvalidValue, format!("Choose 1 to {EXPORT_COLUMNS} columns."));
    }
    for (i, column) in columns.iter().enumerate() {
        let plain =
            |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let field = column.field.strip_prefix(custom_fields::PREFIX).unwrap_or(&column.field);
        if !plain(field) {
            errors.add(&format!("columns.{i}.field"), FieldCode::InvalidValue, "Choose a column of the list.");
        }
        validate::required_text(&mut errors, &format!("columns.{i}.label"), &column.label, NAME_MAX);
    }
    errors.into_result()
}

/// The names of the records the reference columns of a batch name.
async fn reference_titles<'r>(
    scope: &Scope<'_>,
    columns: &[ExportColumn],
    references: &[Option<&'static RecordKind>],
    records: impl Iterator<Item = &'r serde_json::Value>,
) -> Result<std::collections::HashMap<String, String>, ApiError> {
    let records: Vec<&serde_json::Value> = records.collect();
    let mut titles = std::collections::HashMap::new();
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
    labels: &Option<&std::collections::BTreeMap<String, String>>,
    titles: &std::collections::HashMap<String, String>,
) -> accord_kernel::sheets::Cell {
    use accord_kernel::sheets::Cell;
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

/// A file name from a segment's name: no path separators or characters Windows refuses.
fn file_name_of(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if "\\/:*?\"<>|".contains(c) || c.is_control() { '_' } else { c }).take(100).collect();
    if cleaned.trim().is_empty() { "export".to_owned() } else { cleaned.trim().to_owned() }
}
