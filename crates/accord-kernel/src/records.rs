//! What every business record shares, written once: insert, update with optimistic
//! concurrency, archive and restore — each writing its change-log entries and search
//! documents in the operation's transaction. Domains implement [`Record`] and call these.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use uuid::Uuid;

use std::marker::PhantomData;

use crate::changelog::{self, ChangeAction, RowChange};
use crate::error::{ApiError, ErrorCode, FieldCode};
use crate::io::VersionedIdInput;
use crate::operation::Operation;
use crate::operation::Scope;
use crate::search::{self, SearchDocument};
use crate::security::{Ownership, Permission};

/// A business record: UUIDv7 id, version for optimistic concurrency, archive mark.
pub trait Record:
    Serialize
    + serde::de::DeserializeOwned
    + Clone
    + Send
    + Sync
    + sea_orm::FromQueryResult
    + IntoActiveModel<<Self::Entity as EntityTrait>::ActiveModel>
    + 'static
{
    type Entity: EntityTrait<Model = Self>;
    /// The table, as the change log names it.
    const TABLE: &'static str;
    /// How a user calls one of these ("organisation").
    const LABEL: &'static str;
    /// What a user needs to read one: search and history show a kind only to those who may.
    const READ_PERMISSION: Permission;
    /// What a user needs to create or change one; a team server's policies hold a user's own
    /// role to it too (ADR 0013).
    const WRITE_PERMISSION: Permission;
    /// The entity its search documents are filed under (`search_document` uses it), when it
    /// is searchable; the registry offers it to `search.query`.
    const SEARCH_ENTITY: Option<&'static str> = None;
    /// Fields whose concurrent edits on two devices are never resolved automatically: both
    /// values are kept as a conflict for a person (amounts, currencies, dates, statuses,
    /// review results). Owner and department always are (`sync::merge::OWNERSHIP_FIELDS`).
    const IMPORTANT_FIELDS: &'static [&'static str] = &[];
    /// The fields that name another record (a contact's organisation): a record that refers
    /// to an archived one — archived on another computer while this one was made offline —
    /// is kept and flagged for a person (`sync.list_archived_references`).
    const REFERENCES: &'static [Reference] = &[];
    /// Whether an administrator may add custom fields to this kind (CUST-3). A kind that
    /// says so has a `custom` JSON column holding its custom values (`custom_fields`).
    const CUSTOM_FIELDS: bool = false;
    /// Whether people attach files to this kind (COMM-1: an interaction's documents); the
    /// `attachments` domain answers for the files of every kind that says so.
    const ATTACHMENTS: bool = false;

    fn id(&self) -> Uuid;
    fn version(&self) -> i64;
    fn archived_at(&self) -> Option<DateTime<Utc>>;
    fn set_archived_at(&mut self, at: Option<DateTime<Utc>>);
    /// Bumps the version and stamps who changed it when.
    fn touch(&mut self, at: DateTime<Utc>, by: Uuid);
    /// Who it belongs to: what decides who sees it (SEC-2).
    fn ownership(&self) -> Ownership;
    fn set_ownership(&mut self, ownership: Ownership);
    /// What the search service indexes for this record, if it is searchable.
    fn search_document(&self) -> Option<SearchDocument>;
    /// Recomputes the columns derived from the record's own fields (its sort key) and says
    /// whether any changed. Called on every save and when the derivation rules change.
    fn derive(&mut self) -> bool {
        false
    }
}

/// The bookkeeping methods of [`Record`] for a model with the standard columns (`id`,
/// `version`, `updated_at`, `updated_by`, `deleted_at`, `owner_id`, `department_id`), so
/// every domain stays the same shape.
#[macro_export]
macro_rules! standard_record_methods {
    () => {
        fn id(&self) -> ::uuid::Uuid {
            self.id
        }
        fn version(&self) -> i64 {
            self.version
        }
        fn archived_at(&self) -> Option<::chrono::DateTime<::chrono::Utc>> {
            self.deleted_at
        }
        fn set_archived_at(&mut self, at: Option<::chrono::DateTime<::chrono::Utc>>) {
            self.deleted_at = at;
        }
        fn touch(&mut self, at: ::chrono::DateTime<::chrono::Utc>, by: ::uuid::Uuid) {
            self.version += 1;
            self.updated_at = at;
            self.updated_by = by;
        }
        fn ownership(&self) -> $crate::security::Ownership {
            $crate::security::Ownership { owner_id: self.owner_id, department_id: self.department_id }
        }
        fn set_ownership(&mut self, ownership: $crate::security::Ownership) {
            self.owner_id = ownership.owner_id;
            self.department_id = ownership.department_id;
        }
    };
}

/// [`standard_record_methods`] for a kind that is everyone's (custom fields, interaction
/// topics, judged duplicate pairs): it keeps who answers for it, but never a department,
/// which would hide it from the other departments.
#[macro_export]
macro_rules! shared_record_methods {
    () => {
        fn id(&self) -> ::uuid::Uuid {
            self.id
        }
        fn version(&self) -> i64 {
            self.version
        }
        fn archived_at(&self) -> Option<::chrono::DateTime<::chrono::Utc>> {
            self.deleted_at
        }
        fn set_archived_at(&mut self, at: Option<::chrono::DateTime<::chrono::Utc>>) {
            self.deleted_at = at;
        }
        fn touch(&mut self, at: ::chrono::DateTime<::chrono::Utc>, by: ::uuid::Uuid) {
            self.version += 1;
            self.updated_at = at;
            self.updated_by = by;
        }
        fn ownership(&self) -> $crate::security::Ownership {
            $crate::security::Ownership { owner_id: self.owner_id, department_id: None }
        }
        fn set_ownership(&mut self, ownership: $crate::security::Ownership) {
            self.owner_id = ownership.owner_id;
            self.department_id = None;
        }
    };
}

/// A record as the change log names its fields: its serialised form, with each custom value
/// a field of its own (`custom.<key>`).
pub fn fields_of<R: Record>(record: &R) -> Result<serde_json::Value, ApiError> {
    let mut fields = serde_json::to_value(record)
        .map_err(|e| ApiError::internal(format!("could not snapshot a {}: {e}", R::LABEL)))?;
    if R::CUSTOM_FIELDS {
        crate::custom_fields::explode(&mut fields);
    }
    Ok(fields)
}

/// The record that `fields` (as [`fields_of`] names them) describe.
pub fn from_fields<R: Record>(mut fields: serde_json::Value) -> Result<R, serde_json::Error> {
    if R::CUSTOM_FIELDS {
        crate::custom_fields::gather(&mut fields);
    }
    serde_json::from_value(fields)
}

/// The records of one kind the actor may see (SEC-2): every read of a domain starts here, so
/// no list, card, search page or export can show a record outside the actor's reach.
pub fn find<R: Record>(scope: &Scope<'_>) -> sea_orm::Select<R::Entity> {
    let select = R::Entity::find();
    match scope.actor.reach.condition(None) {
        Some(visible) => select.filter(visible),
        None => select,
    }
}

/// Every record of one kind, whoever may see it: only for checks that must count records
/// outside the actor's reach (a uniqueness rule), whose rows never reach the user.
pub fn find_unscoped<R: Record>() -> sea_orm::Select<R::Entity> {
    R::Entity::find()
}

/// The records of one kind with these ids, within the actor's reach, as the change log names
/// their fields ([`fields_of`]), by id: for exports and anything else that reads records of a
/// kind it knows only by its table.
pub async fn fields_by_id<R: Record>(
    scope: &Scope<'_>,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, serde_json::Value>, ApiError> {
    let rows: Vec<R> =
        find::<R>(scope).filter(Expr::col(Alias::new("id")).is_in(ids.iter().copied())).all(scope.tx).await?;
    rows.iter().map(|r| Ok((r.id(), fields_of(r)?))).collect()
}

/// Loads a record that an operation will read; `field` names the input field that held the id.
/// A record outside the actor's reach is "not found", exactly like one that does not exist,
/// so its existence is not disclosed either.
pub async fn load<R: Record>(scope: &Scope<'_>, id: Uuid, field: &str) -> Result<R, ApiError> {
    // By the `id` column every record has, so no bound on the entity's key type is needed.
    find::<R>(scope).filter(Expr::col(Alias::new("id")).eq(id)).one(scope.tx).await?.ok_or_else(|| {
        ApiError::not_found(R::LABEL, id).with_field(
            field,
            FieldCode::UnknownId,
            format!("No {} with this id exists.", R::LABEL),
        )
    })
}

/// Loads a record the caller read at `version` and wants to change: it must be current and active.
pub async fn load_for_change<R: Record>(scope: &Scope<'_>, id: Uuid, version: i64) -> Result<R, ApiError> {
    let record: R = load(scope, id, "id").await?;
    ensure_version(&record, version)?;
    ensure_active(&record, "id")?;
    Ok(record)
}

pub fn ensure_version<R: Record>(record: &R, version: i64) -> Result<(), ApiError> {
    if record.version() == version {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::Conflict,
        format!(
            "This {} was changed by someone else since you opened it (you had version {version}, it is now version {}). \
             Reload it and apply your change again.",
            R::LABEL,
            record.version()
        ),
    )
    .with_field("version", FieldCode::StaleVersion, format!("The current version is {}.", record.version())))
}

pub fn ensure_active<R: Record>(record: &R, field: &str) -> Result<(), ApiError> {
    if record.archived_at().is_none() {
        return Ok(());
    }
    Err(ApiError::new(ErrorCode::Archived, format!("This {} is archived; restore it before changing it.", R::LABEL))
        .with_field(field, FieldCode::Archived, format!("The {} is archived.", R::LABEL)))
}

/// The search document of a record, filed under the record's owner and department so search
/// shows it only to those who see the record.
fn document_of<R: Record>(record: &R) -> Option<(SearchDocument, Ownership)> {
    record.search_document().map(|document| (document, record.ownership()))
}

/// Inserts new records with their change-log entries and search documents. A record nobody
/// owns yet becomes the actor's, in the actor's department.
pub async fn insert<R: Record>(scope: &Scope<'_>, records: &mut [R]) -> Result<(), ApiError> {
    for record in records.iter_mut().filter(|r| r.ownership().owner_id.is_none()) {
        record.set_ownership(scope.actor.ownership());
    }
    let records = &*records;
    let write_rows = async {
        // SQLite's 32,766 bound parameters allow 1,000 rows of up to 32 columns.
        for chunk in records.chunks(1000) {
            R::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
                .exec_without_returning(scope.tx)
                .await?;
        }
        Ok::<_, ApiError>(())
    };
    // Prepared while the database writes the rows: the driver runs the statement on its own
    // thread, so this CPU work overlaps it instead of following it (docs/performance.md).
    let prepare_entries = async {
        let mut changes = Vec::with_capacity(records.len());
        for record in records {
            changes.push(RowChange::between(R::TABLE, record.id(), ChangeAction::Insert, None, &fields_of(record)?));
        }
        let documents: Vec<_> = records.iter().filter_map(document_of).collect();
        Ok::<_, ApiError>((changes, documents))
    };
    let ((), (changes, documents)) = futures::try_join!(write_rows, prepare_entries)?;
    changelog::record(scope, &changes).await?;
    search::index(scope, &documents).await
}

/// Stores `after` over `before` if nobody changed the row in between; returns the stored record.
pub async fn update<R: Record>(scope: &Scope<'_>, before: &R, after: R, action: ChangeAction) -> Result<R, ApiError> {
    let mut stored = update_all(scope, vec![(before.clone(), after)], action).await?;
    Ok(stored.pop().unwrap_or_else(|| before.clone()))
}

/// Stores each `after` over its `before` if nobody changed the row in between, each an
/// ordinary change with its change-log entry and search document, the entries and documents of
/// the lot written together; returns the stored records. A pair without changes is no edit: no
/// new version, no history entry (its `before` is returned).
pub async fn update_all<R: Record>(
    scope: &Scope<'_>,
    pairs: Vec<(R, R)>,
    action: ChangeAction,
) -> Result<Vec<R>, ApiError> {
    let mut changes = Vec::with_capacity(pairs.len());
    let mut changed = Vec::with_capacity(pairs.len());
    let mut stored = Vec::with_capacity(pairs.len());
    for (before, after) in pairs {
        let change = RowChange::between(R::TABLE, before.id(), action, Some(&fields_of(&before)?), &fields_of(&after)?);
        if change.fields.is_empty() {
            stored.push(before);
        } else {
            changes.push(change);
            changed.push((before, after));
        }
    }
    // Each change follows every change of its record that this database holds, whatever
    // device made it: its stamp must too, or the merge would put it before them (ADR 0014).
    let ids: Vec<Uuid> = changed.iter().map(|(before, _)| before.id()).collect();
    scope.observe_records(R::TABLE, &ids).await?;
    let mut documents = Vec::new();
    for (before, mut after) in changed {
        after.touch(scope.now, scope.actor.user_id);
        let active = after.clone().into_active_model().reset_all();
        let result = R::Entity::update_many()
            .set(active)
            .filter(Expr::col(Alias::new("id")).eq(before.id()))
            .filter(Expr::col(Alias::new("version")).eq(before.version()))
            .exec(scope.tx)
            .await?;
        if result.rows_affected != 1 {
            // Someone committed between our read and this write.
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("This {} was changed by someone else at the same moment. Reload it and try again.", R::LABEL),
            )
            .with_field("version", FieldCode::StaleVersion, "The record has a newer version."));
        }
        documents.extend(document_of(&after));
        stored.push(after);
    }
    changelog::record(scope, &changes).await?;
    search::index(scope, &documents).await?;
    Ok(stored)
}

/// Archives the active records of `ids` that nobody changed since they were made (still at
/// their first version), the lot in one [`update_all`]: an import's undo. Returns the ids
/// archived; the others are left as they are.
pub async fn archive_unchanged<R: Record>(scope: &Scope<'_>, ids: &[Uuid]) -> Result<Vec<Uuid>, ApiError> {
    let mut archived = Vec::new();
    // Well within SQLite's bound parameters per statement.
    for chunk in ids.chunks(1000) {
        let found: Vec<R> =
            find::<R>(scope).filter(Expr::col(Alias::new("id")).is_in(chunk.to_vec())).all(scope.tx).await?;
        let pairs: Vec<(R, R)> = found
            .into_iter()
            .filter(|record| record.version() == 1 && record.archived_at().is_none())
            .map(|before| {
                let mut after = before.clone();
                after.set_archived_at(Some(scope.now));
                (before, after)
            })
            .collect();
        let stored = update_all(scope, pairs, ChangeAction::Archive).await?;
        archived.extend(stored.iter().map(Record::id));
    }
    Ok(archived)
}

/// Archives (`archive = true`) or restores a record the caller read at `version`.
pub async fn set_archived<R: Record>(
    scope: &mut Scope<'_>,
    id: Uuid,
    version: i64,
    archive: bool,
) -> Result<R, ApiError> {
    let record: R = load(scope, id, "id").await?;
    ensure_version(&record, version)?;
    scope.audit_target(R::TABLE, id);
    match (archive, record.archived_at().is_some()) {
        (true, true) => {
            return Err(ApiError::new(ErrorCode::Archived, format!("This {} is already archived.", R::LABEL)));
        }
        (false, false) => {
            return Err(ApiError::field(
                "id",
                FieldCode::InvalidValue,
                format!("This {} is not archived; there is nothing to restore.", R::LABEL),
            ));
        }
        _ => {}
    }
    let mut after = record.clone();
    after.set_archived_at(archive.then_some(scope.now));
    let action = if archive { ChangeAction::Archive } else { ChangeAction::Restore };
    update(scope, &record, after, action).await
}

/// Archives (`archive = true`) or restores a record as it is now, whatever its version: for a
/// change another change implies (a relation of a merged record to itself). Nothing happens
/// when it is so already.
pub async fn set_archived_now<R: Record>(scope: &Scope<'_>, id: Uuid, archive: bool) -> Result<(), ApiError> {
    let record: R = load(scope, id, "id").await?;
    if record.archived_at().is_some() == archive {
        return Ok(());
    }
    let mut after = record.clone();
    after.set_archived_at(archive.then_some(scope.now));
    let action = if archive { ChangeAction::Archive } else { ChangeAction::Restore };
    update(scope, &record, after, action).await.map(|_| ())
}

/// Sets one field of a record the caller read at `version` to the value a person chose
/// between two concurrent ones (ADR 0014). The change is an ordinary one of the operation
/// `sync.resolve_conflict`, whose entry closes the field's conflicts on every replica — also
/// when the chosen value is the one the field holds already.
pub async fn resolve_field<R: Record>(
    scope: &Scope<'_>,
    id: Uuid,
    version: i64,
    field: &str,
    chosen: serde_json::Value,
) -> Result<(), ApiError> {
    let before: R = load(scope, id, "id").await?;
    ensure_version(&before, version)?;
    let mut json = fields_of(&before)?;
    let object = json.as_object_mut().ok_or_else(|| ApiError::internal("a record is not a JSON object"))?;
    // A custom field without a value is absent from the record, not unknown.
    let absent =
        (R::CUSTOM_FIELDS && field.starts_with(crate::custom_fields::PREFIX)).then_some(serde_json::Value::Null);
    let current = object.get(field).cloned().or(absent).ok_or_else(|| {
        ApiError::field("field", FieldCode::InvalidValue, format!("A {} has no field \"{field}\".", R::LABEL))
    })?;
    if current != chosen {
        object.insert(field.to_owned(), chosen);
        let mut after: R = from_fields(json).map_err(|e| {
            ApiError::field(
                "value",
                FieldCode::InvalidValue,
                format!("This value does not fit the field \"{field}\" ({e})."),
            )
        })?;
        after.derive();
        update(scope, &before, after, ChangeAction::Update).await?;
        return Ok(());
    }
    // Nothing to store, but the choice itself must travel: it closes the conflict elsewhere.
    scope.observe_record(R::TABLE, id).await?;
    let mut fields = std::collections::BTreeMap::new();
    fields.insert(field.to_owned(), changelog::FieldChange { old: current.clone(), new: current });
    changelog::record(scope, &[RowChange { table: R::TABLE, row_id: id, action: ChangeAction::Update, fields }]).await
}

/// A field of a record that names a record of another kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub field: &'static str,
    /// The table of the record it names.
    pub table: &'static str,
}

/// Archive and restore work the same for every kind of record; a kind declares only their
/// names, permission and summaries, and registers [`Archive`] (and [`Restore`]) of itself.
pub trait Archivable: Record + ts_rs::TS {
    /// `domain.archive_kind`.
    const ARCHIVE_OPERATION: &'static str;
    /// Also the permission to restore.
    const ARCHIVE_PERMISSION: Permission;
    const ARCHIVE_SUMMARY: &'static str;
}

/// A kind whose archived records can be brought back as they were (a kind whose records must
/// be checked again first, such as a relation between organisations, is not).
pub trait Restorable: Archivable {
    /// `domain.restore_kind`.
    const RESTORE_OPERATION: &'static str;
    const RESTORE_SUMMARY: &'static str;
}

/// Archives one record the caller read at `version`: hidden from lists and search, kept with
/// its history. Audited.
pub struct Archive<R>(PhantomData<fn() -> R>);

/// Brings an archived record back. Audited.
pub struct Restore<R>(PhantomData<fn() -> R>);

impl<R: Archivable> Operation for Archive<R> {
    const NAME: &'static str = R::ARCHIVE_OPERATION;
    const PERMISSION: Permission = R::ARCHIVE_PERMISSION;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = R::ARCHIVE_SUMMARY;
    type Input = VersionedIdInput;
    type Output = R;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        set_archived::<R>(scope, input.id, input.version, true).await
    }
}

impl<R: Restorable> Operation for Restore<R> {
    const NAME: &'static str = R::RESTORE_OPERATION;
    const PERMISSION: Permission = R::ARCHIVE_PERMISSION;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = R::RESTORE_SUMMARY;
    type Input = VersionedIdInput;
    type Output = R;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        set_archived::<R>(scope, input.id, input.version, false).await
    }
}

/// Records moved per batch when a departing user's records are reassigned.
const REASSIGN_BATCH: u64 = 500;

/// Gives every active record of one kind that `from` owns to `to` (a colleague, in their
/// department), each as an ordinary change: a new version, a change-log entry that syncs,
/// a line in its history. Archived records keep their owner, as history does. Returns how
/// many moved.
pub async fn reassign_owned<R: Record>(scope: &Scope<'_>, from: Uuid, to: Ownership) -> Result<u64, ApiError> {
    let mut moved = 0;
    loop {
        // Each batch's records leave the filter as they move, so the next batch is the next.
        let batch: Vec<R> = find::<R>(scope)
            .filter(Expr::col(Alias::new("owner_id")).eq(from))
            .filter(Expr::col(Alias::new("deleted_at")).is_null())
            .order_by_asc(Expr::col(Alias::new("id")))
            .limit(REASSIGN_BATCH)
            .all(scope.tx)
            .await?;
        if batch.is_empty() {
            return Ok(moved);
        }
        for before in &batch {
            let mut after = before.clone();
            after.set_ownership(to);
            update(scope, before, after, ChangeAction::Update).await?;
        }
        moved += batch.len() as u64;
    }
}

/// Records read per batch when derived values are rebuilt.
const REFRESH_BATCH: u64 = 1000;

/// Recomputes what is derived from every record of one kind by rules that can change between
/// versions (its sort key and search document), without touching what the user entered: no
/// new version, no change-log entry — the user changed nothing.
pub async fn refresh_derived<R: Record>(scope: &Scope<'_>) -> Result<u64, ApiError> {
    let id = || Expr::col(Alias::new("id"));
    let mut last: Option<Uuid> = None;
    let mut refreshed = 0;
    loop {
        let mut batch = R::Entity::find();
        if let Some(after) = last {
            batch = batch.filter(id().gt(after));
        }
        let mut records: Vec<R> = batch.order_by_asc(id()).limit(REFRESH_BATCH).all(scope.tx).await?;
        let Some(tail) = records.last() else { break };
        last = Some(tail.id());
        for record in records.iter_mut().filter_map(|r| r.derive().then_some(r)) {
            let active = record.clone().into_active_model().reset_all();
            R::Entity::update_many().set(active).filter(id().eq(record.id())).exec(scope.tx).await?;
        }
        let documents: Vec<_> = records.iter().filter_map(document_of).collect();
        search::index(scope, &documents).await?;
        refreshed += records.len() as u64;
    }
    Ok(refreshed)
}

/// About how many rows `table` holds, at the cost of an index lookup rather than a count:
/// SQLite's largest rowid (rows are only ever added, never deleted), PostgreSQL's planner
/// statistics (kept by autovacuum; -1 before the first analysis, then 0 is said).
pub async fn estimated_rows(scope: &Scope<'_>, table: &'static str) -> Result<i64, ApiError> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let backend = scope.tx.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT CAST(GREATEST(reltuples, 0) AS BIGINT) FROM pg_class WHERE oid = CAST($1 AS regclass)".to_owned()
        }
        _ => format!("SELECT COALESCE(MAX(rowid), 0) FROM {table}"),
    };
    let values: Vec<sea_orm::Value> = if backend == DbBackend::Postgres { vec![table.into()] } else { vec![] };
    let row = scope.tx.query_one_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0))
}
