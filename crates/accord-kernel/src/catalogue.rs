//! How a domain declares itself: its operations and its kinds of record, in one [`Domain`]
//! value. The registry above the domains collects every domain's declaration; the shared
//! mechanisms (dispatch by name, the generated client, history, search, rebuilding derived
//! values) read it, so a new domain needs no edit anywhere but its own crate and one line in
//! the registry.

use std::any::TypeId;
use std::collections::HashSet;

use futures::future::BoxFuture;
use ts_rs::{Config, TS, TypeVisitor};

use crate::error::ApiError;
use crate::freshness;
use crate::host::HostOperation;
use crate::imports::{self, Importable};
use crate::io::VersionedIdInput;
use crate::merge::{self, FieldTaken, KeyIndex, Mergeable, Scan};
use crate::operation::{Operation, Runtime, Scope, decode_input};
use crate::records::{self, Record};
use crate::security::{Actor, BuiltInRole, Ownership, Permission, PermissionSpec};
use crate::segments::{Segmentable, StandardField};
use uuid::Uuid;

/// One domain's declaration.
pub struct Domain {
    /// The prefix of its operations' names (`customers` for `customers.create_organisation`).
    pub name: &'static str,
    /// The permissions its operations require; the registry's catalogue of permissions is
    /// the union of every domain's.
    pub permissions: Vec<PermissionSpec>,
    pub operations: Vec<OpSpec>,
    pub records: Vec<RecordKind>,
}

impl Domain {
    pub fn new(name: &'static str) -> Self {
        Self { name, permissions: Vec::new(), operations: Vec::new(), records: Vec::new() }
    }

    /// Declares a permission, what it allows, and the built-in roles that hold it by default
    /// (the administrator role holds every permission and is not named).
    pub fn permission(
        mut self,
        permission: Permission,
        summary: &'static str,
        default_roles: &'static [BuiltInRole],
    ) -> Self {
        self.permissions.push(PermissionSpec { permission, summary, default_roles });
        self
    }

    /// Makes `O` callable by name from the UI, the CLI and the tests, and puts its types into
    /// the generated client.
    pub fn operation<O: Operation>(mut self) -> Self {
        debug_assert!(
            O::NAME.starts_with(self.name) && O::NAME[self.name.len()..].starts_with('.'),
            "{} is not named after its domain {}",
            O::NAME,
            self.name
        );
        self.operations.push(OpSpec::of::<O>());
        self
    }

    /// Registers a kind of record: its history can be read, its search documents are found,
    /// and its derived values are rebuilt when their rules change.
    pub fn record<R: Record>(mut self) -> Self {
        self.records.push(RecordKind::of::<R>());
        self
    }

    /// Registers a kind of record that is archived and restored: as [`Domain::record`], and
    /// a synced archive or restore needs the kind's archive permission, as online.
    pub fn archivable_record<R: crate::records::Archivable>(mut self) -> Self {
        self.records.push(RecordKind::archivable::<R>());
        self
    }

    /// Registers a kind of record whose duplicates can be found and merged (CUST-5): as
    /// [`Domain::archivable_record`], and `duplicates.*` accept its table.
    pub fn mergeable_record<R: Mergeable>(mut self) -> Self {
        self.records.push(RecordKind { merge: Some(MergeKind::of::<R>()), ..RecordKind::archivable::<R>() });
        self
    }

    /// Lets segments select records of a kind registered before (CUST-4): `segments.*`
    /// accept its table, with its declared fields and its custom fields.
    pub fn segmentable<R: Segmentable>(mut self) -> Self {
        let kind = self.records.iter_mut().find(|kind| kind.table == R::TABLE);
        let kind = kind.unwrap_or_else(|| panic!("register the kind {} before making it segmentable", R::TABLE));
        kind.segment =
            Some(SegmentKind { fields: R::FILTER_FIELDS, order_column: R::ORDER_COLUMN, order_index: R::ORDER_INDEX });
        self
    }

    /// Makes a registered kind's data confirmable (CUST-6): `freshness.*` accept its table.
    pub fn confirmable<R: freshness::Confirmable>(mut self) -> Self
    where
        <R::Entity as sea_orm::EntityTrait>::ActiveModel: Send,
    {
        let kind = self.records.iter_mut().find(|kind| kind.table == R::TABLE);
        let kind = kind.unwrap_or_else(|| panic!("register the kind {} before making it confirmable", R::TABLE));
        kind.freshness =
            Some(FreshnessKind { confirm: |scope, id, version| Box::pin(freshness::confirm::<R>(scope, id, version)) });
        self
    }

    /// Makes a registered kind importable from files (CUST-7): `imports.*` accept its table.
    pub fn importable<R: Importable>(mut self) -> Self
    where
        <R::Entity as sea_orm::EntityTrait>::ActiveModel: Send,
    {
        let kind = self.records.iter_mut().find(|kind| kind.table == R::TABLE);
        let kind = kind.unwrap_or_else(|| panic!("register the kind {} before making it importable", R::TABLE));
        kind.import = Some(ImportKind::of::<R>());
        self
    }
}

type Confirm = for<'a, 'b> fn(&'a Scope<'b>, Uuid, i64) -> BoxFuture<'a, Result<serde_json::Value, ApiError>>;

/// What data freshness needs of a kind whose data is confirmed (`freshness::Confirmable`).
pub struct FreshnessKind {
    confirm: Confirm,
}

impl FreshnessKind {
    /// Confirms a record's data as current now; its fields after.
    pub async fn confirm(&self, scope: &Scope<'_>, id: Uuid, version: i64) -> Result<serde_json::Value, ApiError> {
        (self.confirm)(scope, id, version).await
    }
}

type ImportRows = for<'a, 'b> fn(
    &'a Scope<'b>,
    Vec<imports::RowInput>,
    &'a imports::ImportDefaults,
    Option<&'a mut KeyIndex>,
    bool,
) -> BoxFuture<'a, Result<Vec<imports::RowResult>, ApiError>>;

/// What imports need of a kind they create (`imports::Importable`).
pub struct ImportKind {
    /// The standard fields a column may fill.
    pub fields: &'static [imports::ImportField],
    rows: ImportRows,
}

impl ImportKind {
    fn of<R: Importable>() -> Self
    where
        <R::Entity as sea_orm::EntityTrait>::ActiveModel: Send,
    {
        Self {
            fields: R::IMPORT_FIELDS,
            rows: |scope, rows, defaults, dedupe, store| {
                Box::pin(imports::import_batch::<R>(scope, rows, defaults, dedupe, store))
            },
        }
    }

    /// One batch of rows made records, stored when `store` (see [`imports::import_batch`]).
    pub async fn import_rows(
        &self,
        scope: &Scope<'_>,
        rows: Vec<imports::RowInput>,
        defaults: &imports::ImportDefaults,
        dedupe: Option<&mut KeyIndex>,
        store: bool,
    ) -> Result<Vec<imports::RowResult>, ApiError> {
        (self.rows)(scope, rows, defaults, dedupe, store).await
    }
}

/// What segments need of a kind they select from (`segments::Segmentable`).
pub struct SegmentKind {
    /// Its standard fields a segment may filter by.
    pub fields: &'static [StandardField],
    /// The column members are listed by.
    pub order_column: &'static str,
    /// The index over active records by that column (`Segmentable::ORDER_INDEX`).
    pub order_index: Option<&'static str>,
}

type JsonCall =
    for<'a> fn(&'a Runtime, &'a Actor, serde_json::Value) -> BoxFuture<'a, Result<serde_json::Value, ApiError>>;

/// What the registry knows of one operation.
pub struct OpSpec {
    pub name: &'static str,
    pub permission: Permission,
    pub audited: bool,
    pub summary: &'static str,
    call_json: JsonCall,
    pub typescript: OpTypes,
}

impl OpSpec {
    pub fn of<O: Operation>() -> Self {
        Self {
            name: O::NAME,
            permission: O::PERMISSION,
            audited: O::AUDITED,
            summary: O::SUMMARY,
            call_json: |runtime, actor, json| {
                Box::pin(async move {
                    // Before decoding, so a caller without the permission learns nothing
                    // about the operation's input.
                    crate::operation::ensure_permitted(actor, O::PERMISSION, O::NAME)?;
                    let input = decode_input::<O::Input>(json)?;
                    let output = runtime.call::<O>(actor, input).await?;
                    serde_json::to_value(output)
                        .map_err(|e| ApiError::internal(format!("could not encode the result: {e}")))
                })
            },
            typescript: OpTypes::io::<O::Input, O::Output>(),
        }
    }

    /// Decodes the JSON input, runs the operation and encodes its output.
    pub async fn call_json(
        &self,
        runtime: &Runtime,
        actor: &Actor,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        (self.call_json)(runtime, actor, input).await
    }
}

/// What the registry knows of one host operation (run by the desktop shell).
pub struct HostSpec {
    pub name: &'static str,
    pub permission: Permission,
    pub summary: &'static str,
    pub typescript: OpTypes,
}

impl HostSpec {
    pub fn of<H: HostOperation>() -> Self {
        Self {
            name: H::NAME,
            permission: H::PERMISSION,
            summary: H::SUMMARY,
            typescript: OpTypes::io::<H::Input, H::Output>(),
        }
    }
}

type Refresh = for<'a, 'b> fn(&'a Scope<'b>) -> BoxFuture<'a, Result<u64, ApiError>>;
type Reassign = for<'a, 'b> fn(&'a Scope<'b>, Uuid, Ownership) -> BoxFuture<'a, Result<u64, ApiError>>;
type ResolveField =
    for<'a, 'b> fn(&'a Scope<'b>, Uuid, i64, &'a str, serde_json::Value) -> BoxFuture<'a, Result<(), ApiError>>;
type ApplyMerged = for<'a, 'b> fn(
    &'a Scope<'b>,
    &'a std::collections::BTreeMap<Uuid, crate::sync::merge::Merged>,
) -> BoxFuture<'a, Result<u32, ApiError>>;

type Repoint = for<'a, 'b> fn(
    &'a Scope<'b>,
    &'a str,
    Uuid,
    Uuid,
    Option<&'a [Uuid]>,
) -> BoxFuture<'a, Result<Vec<Uuid>, ApiError>>;
type FieldsById = for<'a, 'b> fn(
    &'a Scope<'b>,
    &'a [Uuid],
)
    -> BoxFuture<'a, Result<std::collections::HashMap<Uuid, serde_json::Value>, ApiError>>;
type SetArchived = for<'a, 'b> fn(&'a Scope<'b>, Uuid, bool) -> BoxFuture<'a, Result<(), ApiError>>;
type ArchiveUnchanged = for<'a, 'b> fn(&'a Scope<'b>, &'a [Uuid]) -> BoxFuture<'a, Result<Vec<Uuid>, ApiError>>;
type CountReferring = for<'a, 'b> fn(&'a Scope<'b>, &'a str, Uuid) -> BoxFuture<'a, Result<u64, ApiError>>;
type ScanRecords = for<'a, 'b> fn(&'a Scope<'b>) -> BoxFuture<'a, Result<Scan, ApiError>>;
type IndexRecords = for<'a, 'b> fn(&'a Scope<'b>) -> BoxFuture<'a, Result<KeyIndex, ApiError>>;
type Compare = for<'a, 'b> fn(
    &'a Scope<'b>,
    Uuid,
    Uuid,
) -> BoxFuture<'a, Result<(serde_json::Value, serde_json::Value, Vec<String>), ApiError>>;
type MergePair = for<'a, 'b> fn(
    &'a Scope<'b>,
    &'a VersionedIdInput,
    &'a VersionedIdInput,
    &'a [String],
) -> BoxFuture<'a, Result<Vec<FieldTaken>, ApiError>>;
type UnmergePair =
    for<'a, 'b> fn(&'a Scope<'b>, Uuid, Uuid, &'a [FieldTaken]) -> BoxFuture<'a, Result<Vec<String>, ApiError>>;

/// What the duplicates mechanism needs of a kind that merges (`merge::Mergeable`).
pub struct MergeKind {
    /// The fields a person chooses between (`Mergeable::MERGE_FIELDS`).
    pub fields: &'static [&'static str],
    scan: ScanRecords,
    key_index: IndexRecords,
    compare: Compare,
    merge: MergePair,
    unmerge: UnmergePair,
}

impl MergeKind {
    fn of<R: Mergeable>() -> Self {
        Self {
            fields: R::MERGE_FIELDS,
            scan: |scope| Box::pin(merge::pair::scan::<R>(scope)),
            key_index: |scope| Box::pin(merge::pair::key_index::<R>(scope)),
            compare: |scope, first, second| Box::pin(merge::pair::compare::<R>(scope, first, second)),
            merge: |scope, survivor, merged, take| {
                Box::pin(merge::pair::merge_pair::<R>(scope, survivor, merged, take))
            },
            unmerge: |scope, survivor, merged, taken| {
                Box::pin(merge::pair::unmerge_pair::<R>(scope, survivor, merged, taken))
            },
        }
    }

    /// Every active record within reach, taken into a scan by its match keys.
    pub async fn scan(&self, scope: &Scope<'_>) -> Result<Scan, ApiError> {
        (self.scan)(scope).await
    }

    /// Every active record within reach in a compact index of its match keys (an import
    /// checks its rows against it).
    pub async fn key_index(&self, scope: &Scope<'_>) -> Result<KeyIndex, ApiError> {
        (self.key_index)(scope).await
    }

    /// Both records' fields, and the custom values either holds.
    pub async fn compare(
        &self,
        scope: &Scope<'_>,
        first: Uuid,
        second: Uuid,
    ) -> Result<(serde_json::Value, serde_json::Value, Vec<String>), ApiError> {
        (self.compare)(scope, first, second).await
    }

    /// Keeps `survivor` with the fields in `take` from `merged`, and archives `merged`.
    pub async fn merge(
        &self,
        scope: &Scope<'_>,
        survivor: &VersionedIdInput,
        merged: &VersionedIdInput,
        take: &[String],
    ) -> Result<Vec<FieldTaken>, ApiError> {
        (self.merge)(scope, survivor, merged, take).await
    }

    /// Gives the survivor its taken fields back (where unchanged since) and restores the
    /// merged record; returns the fields kept as they are now.
    pub async fn unmerge(
        &self,
        scope: &Scope<'_>,
        survivor: Uuid,
        merged: Uuid,
        taken: &[FieldTaken],
    ) -> Result<Vec<String>, ApiError> {
        (self.unmerge)(scope, survivor, merged, taken).await
    }
}

/// One kind of business record, as the shared mechanisms need to know it.
pub struct RecordKind {
    /// The table, as the change log and `history.record` name it.
    pub table: &'static str,
    /// How a user calls one ("organisation").
    pub label: &'static str,
    /// The entity name of its search documents, when it is searchable.
    pub search_entity: Option<&'static str>,
    /// What a user needs to see its search hits and its history.
    pub read_permission: Permission,
    /// What a user needs to create or change one.
    pub write_permission: Permission,
    /// Fields whose concurrent edits are kept as conflicts (`Record::IMPORTANT_FIELDS`).
    pub important_fields: &'static [&'static str],
    /// Fields that name other records (`Record::REFERENCES`).
    pub references: &'static [records::Reference],
    /// What a user needs to archive or restore one; `None`: it cannot be archived.
    pub archive_permission: Option<Permission>,
    /// Whether an administrator may add custom fields to it (`Record::CUSTOM_FIELDS`).
    pub custom_fields: bool,
    /// Whether files are attached to it (`Record::ATTACHMENTS`).
    pub attachments: bool,
    /// How its duplicates are found and merged, when they can be.
    pub merge: Option<MergeKind>,
    /// What segments may select it by, when they may.
    pub segment: Option<SegmentKind>,
    /// How its records are imported from files, when they can be.
    pub import: Option<ImportKind>,
    /// How its data is confirmed as current, when it goes stale.
    pub freshness: Option<FreshnessKind>,
    refresh: Refresh,
    repoint: Repoint,
    count_referring: CountReferring,
    fields_by_id: FieldsById,
    set_archived: Option<SetArchived>,
    archive_unchanged: Option<ArchiveUnchanged>,
    reassign: Reassign,
    apply_merged: ApplyMerged,
    resolve_field: ResolveField,
}

impl RecordKind {
    pub fn of<R: Record>() -> Self {
        Self {
            table: R::TABLE,
            label: R::LABEL,
            search_entity: R::SEARCH_ENTITY,
            read_permission: R::READ_PERMISSION,
            write_permission: R::WRITE_PERMISSION,
            important_fields: R::IMPORTANT_FIELDS,
            references: R::REFERENCES,
            archive_permission: None,
            custom_fields: R::CUSTOM_FIELDS,
            attachments: R::ATTACHMENTS,
            merge: None,
            segment: None,
            import: None,
            freshness: None,
            refresh: |scope| Box::pin(records::refresh_derived::<R>(scope)),
            repoint: |scope, field, from, to, only| Box::pin(merge::pair::repoint::<R>(scope, field, from, to, only)),
            count_referring: |scope, field, id| Box::pin(merge::pair::count_referring::<R>(scope, field, id)),
            fields_by_id: |scope, ids| Box::pin(records::fields_by_id::<R>(scope, ids)),
            set_archived: None,
            archive_unchanged: None,
            reassign: |scope, from, to| Box::pin(records::reassign_owned::<R>(scope, from, to)),
            apply_merged: |scope, merged| Box::pin(crate::sync::apply_merged::<R>(scope, merged)),
            resolve_field: |scope, row_id, version, field, chosen| {
                Box::pin(records::resolve_field::<R>(scope, row_id, version, field, chosen))
            },
        }
    }

    /// A kind whose records are archived and restored (`records::Archivable`).
    pub fn archivable<R: records::Archivable>() -> Self {
        Self {
            archive_permission: Some(R::ARCHIVE_PERMISSION),
            set_archived: Some(|scope, id, archive| Box::pin(records::set_archived_now::<R>(scope, id, archive))),
            archive_unchanged: Some(|scope, ids| Box::pin(records::archive_unchanged::<R>(scope, ids))),
            ..Self::of::<R>()
        }
    }

    /// Sets one field of a record to a person's choice between concurrent values (sync).
    pub async fn resolve_field(
        &self,
        scope: &Scope<'_>,
        row_id: Uuid,
        version: i64,
        field: &str,
        chosen: serde_json::Value,
    ) -> Result<(), ApiError> {
        (self.resolve_field)(scope, row_id, version, field, chosen).await
    }

    /// Writes records of this kind as their change-log entries make them (sync); returns how
    /// many were created or changed.
    pub async fn apply_merged(
        &self,
        scope: &Scope<'_>,
        merged: &std::collections::BTreeMap<Uuid, crate::sync::merge::Merged>,
    ) -> Result<u32, ApiError> {
        (self.apply_merged)(scope, merged).await
    }

    /// Rebuilds the derived values of every record of this kind; returns how many were read.
    pub async fn refresh_derived(&self, scope: &Scope<'_>) -> Result<u64, ApiError> {
        (self.refresh)(scope).await
    }

    /// Points `field` of this kind's records that name `from` at `to` (only the rows in
    /// `only`, when given); returns the ids moved.
    pub async fn repoint(
        &self,
        scope: &Scope<'_>,
        field: &str,
        from: Uuid,
        to: Uuid,
        only: Option<&[Uuid]>,
    ) -> Result<Vec<Uuid>, ApiError> {
        (self.repoint)(scope, field, from, to, only).await
    }

    /// Archives or restores a record of this kind as it is now; `false` if the kind is never
    /// archived.
    pub async fn set_archived_now(&self, scope: &Scope<'_>, id: Uuid, archive: bool) -> Result<bool, ApiError> {
        match self.set_archived {
            Some(set) => set(scope, id, archive).await.map(|()| true),
            None => Ok(false),
        }
    }

    /// Archives the active records of `ids` that nobody changed since they were made, the lot
    /// at once (an import's undo); returns those archived (none if the kind is never archived).
    pub async fn archive_unchanged(&self, scope: &Scope<'_>, ids: &[Uuid]) -> Result<Vec<Uuid>, ApiError> {
        match self.archive_unchanged {
            Some(archive) => archive(scope, ids).await,
            None => Ok(Vec::new()),
        }
    }

    /// The records of this kind with these ids, within reach, as their fields by id.
    pub async fn fields_by_id(
        &self,
        scope: &Scope<'_>,
        ids: &[Uuid],
    ) -> Result<std::collections::HashMap<Uuid, serde_json::Value>, ApiError> {
        (self.fields_by_id)(scope, ids).await
    }

    /// How many of this kind's records within reach name `id` in `field`.
    pub async fn count_referring(&self, scope: &Scope<'_>, field: &str, id: Uuid) -> Result<u64, ApiError> {
        (self.count_referring)(scope, field, id).await
    }

    /// Gives the active records of this kind that `from` owns to `to`; returns how many moved.
    pub async fn reassign_owned(&self, scope: &Scope<'_>, from: Uuid, to: Ownership) -> Result<u64, ApiError> {
        (self.reassign)(scope, from, to).await
    }
}

/// The TypeScript facts of one operation, captured when it is registered.
pub struct OpTypes {
    input_name: fn(&Config) -> String,
    output_name: fn(&Config) -> String,
    collect: fn(&mut Declarations),
}

impl OpTypes {
    fn io<I: TS + 'static, O: TS + 'static>() -> Self {
        Self {
            input_name: <I as TS>::name,
            output_name: <O as TS>::name,
            collect: |decls| {
                decls.visit::<I>();
                decls.visit::<O>();
            },
        }
    }

    pub fn input_name(&self, cfg: &Config) -> String {
        (self.input_name)(cfg)
    }

    pub fn output_name(&self, cfg: &Config) -> String {
        (self.output_name)(cfg)
    }

    /// Adds the declarations of the input and output types and of every type they use.
    pub fn collect(&self, decls: &mut Declarations) {
        (self.collect)(decls)
    }
}

/// Collects the declaration of every named type reachable from the visited types.
pub struct Declarations {
    cfg: Config,
    seen: HashSet<TypeId>,
    items: Vec<(String, String)>,
}

impl Declarations {
    pub fn new(cfg: Config) -> Self {
        Self { cfg, seen: HashSet::new(), items: Vec::new() }
    }

    /// `(name, declaration)` of every type seen, in the order first seen.
    pub fn into_items(self) -> Vec<(String, String)> {
        self.items
    }
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_none() || !self.seen.insert(TypeId::of::<T>()) {
            // Built-ins (string, number, arrays…) have no declaration of their own, but their
            // type parameters may.
            if T::output_path().is_none() {
                T::visit_generics(self);
            }
            return;
        }
        self.items.push((T::ident(&self.cfg), T::decl(&self.cfg)));
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}
