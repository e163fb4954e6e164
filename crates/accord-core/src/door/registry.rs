//! The one list of domains. Each domain declares its operations and record kinds
//! ([`Domain`]); adding its declaration here is what makes its operations callable from the
//! UI, the CLI and the tests, puts their types into the generated TypeScript client, and
//! gives its records history, search and the rebuild of derived values.

use std::collections::HashMap;
use std::sync::LazyLock;

use accord_kernel::catalogue::{Domain, HostSpec, OpSpec, RecordKind};
use accord_kernel::security::PermissionSpec;

use crate::{platform, settings};

static DOMAINS: LazyLock<Vec<Domain>> = LazyLock::new(|| {
    vec![
        accord_customers::domain(),
        accord_interactions::domain(),
        accord_interactions::tasks_domain(),
        accord_security::domain(),
        platform::domain(),
        crate::sync::domain(),
        crate::fields::domain(),
        crate::duplicates::domain(),
        crate::segments::domain(),
        crate::imports::domain(),
        crate::freshness::domain(),
        crate::workflow::domain(),
        crate::attachments::domain(),
    ]
});

static BY_NAME: LazyLock<HashMap<&'static str, &'static OpSpec>> =
    LazyLock::new(|| operations().map(|spec| (spec.name, spec)).collect());

/// Every operation, domain by domain, in declaration order.
pub fn operations() -> impl Iterator<Item = &'static OpSpec> {
    DOMAINS.iter().flat_map(|domain| &domain.operations)
}

pub fn find(name: &str) -> Option<&'static OpSpec> {
    BY_NAME.get(name).copied()
}

/// The catalogue of permissions: every one some domain declares, with its default roles.
pub fn permissions() -> impl Iterator<Item = &'static PermissionSpec> {
    DOMAINS.iter().flat_map(|domain| &domain.permissions)
}

/// Every registered kind of record.
pub fn record_kinds() -> impl Iterator<Item = &'static RecordKind> {
    DOMAINS.iter().flat_map(|domain| &domain.records)
}

/// The record kind stored in `table`.
pub fn record_kind(table: &str) -> Option<&'static RecordKind> {
    record_kinds().find(|kind| kind.table == table)
}

/// The kind in `table` with a capability it declared (`capability` finds it: merging,
/// segments…), or a refusal that names the tables that have it (`refusal` words it from them).
pub fn kind_with<T>(
    table: &str,
    capability: impl Fn(&'static RecordKind) -> Option<&'static T>,
    refusal: impl FnOnce(&str) -> String,
) -> Result<(&'static RecordKind, &'static T), accord_kernel::error::ApiError> {
    if let Some(found) = record_kind(table).and_then(|kind| capability(kind).map(|c| (kind, c))) {
        return Ok(found);
    }
    let tables: Vec<&str> = record_kinds().filter(|k| capability(k).is_some()).map(|k| k.table).collect();
    Err(accord_kernel::error::ApiError::field(
        "table",
        accord_kernel::error::FieldCode::InvalidValue,
        format!("{} Use {}.", refusal(table), tables.join(", ")),
    ))
}

/// The search entities of every searchable record kind.
pub fn search_entities() -> impl Iterator<Item = &'static str> {
    record_kinds().filter_map(|kind| kind.search_entity)
}

static HOST_OPERATIONS: LazyLock<Vec<HostSpec>> = LazyLock::new(|| {
    use settings::{connection, offline, session};
    vec![
        HostSpec::of::<session::GetSession>(),
        HostSpec::of::<session::SignIn>(),
        HostSpec::of::<session::SignOut>(),
        HostSpec::of::<session::SetUpFirstAdministrator>(),
        HostSpec::of::<connection::GetConnection>(),
        HostSpec::of::<connection::ConnectServer>(),
        HostSpec::of::<connection::UseEmbedded>(),
        HostSpec::of::<offline::GetOfflineStatus>(),
        HostSpec::of::<offline::PrepareOffline>(),
        HostSpec::of::<offline::CancelOffline>(),
        HostSpec::of::<offline::WorkOffline>(),
        HostSpec::of::<offline::GoOnline>(),
        HostSpec::of::<settings::language::SetLanguage>(),
        HostSpec::of::<settings::files::ChooseFile>(),
        HostSpec::of::<settings::files::ChooseSaveFile>(),
    ]
});

pub fn all_host() -> &'static [HostSpec] {
    &HOST_OPERATIONS
}

pub fn find_host(name: &str) -> Option<&'static HostSpec> {
    HOST_OPERATIONS.iter().find(|spec| spec.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_unique() {
        let mut names: Vec<&str> =
            operations().map(|spec| spec.name).chain(all_host().iter().map(|h| h.name)).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "two operations share a name");
    }

    #[test]
    fn every_permission_an_operation_needs_is_declared_once() {
        let mut declared: Vec<&str> = permissions().map(|spec| spec.permission.key()).collect();
        let count = declared.len();
        declared.sort_unstable();
        declared.dedup();
        assert_eq!(declared.len(), count, "a permission is declared twice");
        let needed = operations()
            .map(|spec| (spec.name, spec.permission))
            .chain(all_host().iter().map(|spec| (spec.name, spec.permission)))
            .chain(record_kinds().map(|kind| (kind.table, kind.read_permission)));
        for (name, permission) in needed {
            assert!(declared.contains(&permission.key()), "{name} needs {permission}, which no domain declares");
        }
    }

    #[test]
    fn record_tables_and_search_entities_are_unique() {
        let mut tables: Vec<&str> = record_kinds().map(|kind| kind.table).collect();
        let mut entities: Vec<&str> = search_entities().collect();
        let (t, e) = (tables.len(), entities.len());
        tables.sort_unstable();
        tables.dedup();
        entities.sort_unstable();
        entities.dedup();
        assert_eq!((tables.len(), entities.len()), (t, e));
    }
}
