//! The one list of operations. Adding an operation here is what makes it callable from the
//! UI, the CLI and the tests, and what puts its types into the generated TypeScript client.

use std::collections::HashMap;
use std::sync::LazyLock;

use futures::future::BoxFuture;

use super::host::HostOperation;
use super::{Door, Operation, decode_input};
use crate::error::ApiError;
use crate::security::{Actor, Permission};
use crate::{audit, customers, history, search, settings};

type JsonCall =
    for<'a> fn(&'a Door, &'a Actor, serde_json::Value) -> BoxFuture<'a, Result<serde_json::Value, ApiError>>;

/// What the registry knows of one operation.
pub struct OpSpec {
    pub name: &'static str,
    pub permission: Permission,
    pub audited: bool,
    pub summary: &'static str,
    pub(super) call_json: JsonCall,
    pub(super) typescript: super::typescript::OpTypes,
}

impl OpSpec {
    fn of<O: Operation>() -> Self {
        Self {
            name: O::NAME,
            permission: O::PERMISSION,
            audited: O::AUDITED,
            summary: O::SUMMARY,
            call_json: |door, actor, json| {
                Box::pin(async move {
                    let input = decode_input::<O::Input>(json)?;
                    let output = door.call::<O>(actor, input).await?;
                    serde_json::to_value(output)
                        .map_err(|e| ApiError::internal(format!("could not encode the result: {e}")))
                })
            },
            typescript: super::typescript::OpTypes::of::<O>(),
        }
    }
}

static OPERATIONS: LazyLock<Vec<OpSpec>> = LazyLock::new(|| {
    use customers::{contacts, organisations, relations};
    vec![
        OpSpec::of::<organisations::CreateOrganisation>(),
        OpSpec::of::<organisations::GetOrganisation>(),
        OpSpec::of::<organisations::UpdateOrganisation>(),
        OpSpec::of::<organisations::ArchiveOrganisation>(),
        OpSpec::of::<organisations::RestoreOrganisation>(),
        OpSpec::of::<organisations::ListOrganisations>(),
        OpSpec::of::<organisations::ImportOrganisations>(),
        OpSpec::of::<contacts::CreateContact>(),
        OpSpec::of::<contacts::GetContact>(),
        OpSpec::of::<contacts::UpdateContact>(),
        OpSpec::of::<contacts::ArchiveContact>(),
        OpSpec::of::<contacts::RestoreContact>(),
        OpSpec::of::<contacts::ListContacts>(),
        OpSpec::of::<contacts::ImportContacts>(),
        OpSpec::of::<relations::CreateRelation>(),
        OpSpec::of::<relations::ArchiveRelation>(),
        OpSpec::of::<search::Search>(),
        OpSpec::of::<history::ReadRecordHistory>(),
        OpSpec::of::<audit::VerifyAuditLog>(),
    ]
});

static BY_NAME: LazyLock<HashMap<&'static str, &'static OpSpec>> =
    LazyLock::new(|| OPERATIONS.iter().map(|spec| (spec.name, spec)).collect());

pub fn all() -> &'static [OpSpec] {
    &OPERATIONS
}

pub fn find(name: &str) -> Option<&'static OpSpec> {
    BY_NAME.get(name).copied()
}

/// What the registry knows of one host operation (run by the desktop shell).
pub struct HostSpec {
    pub name: &'static str,
    pub permission: Permission,
    pub summary: &'static str,
    pub(super) typescript: super::typescript::OpTypes,
}

impl HostSpec {
    fn of<H: HostOperation>() -> Self {
        Self {
            name: H::NAME,
            permission: H::PERMISSION,
            summary: H::SUMMARY,
            typescript: super::typescript::OpTypes::of_host::<H>(),
        }
    }
}

static HOST_OPERATIONS: LazyLock<Vec<HostSpec>> = LazyLock::new(|| {
    use settings::connection;
    vec![
        HostSpec::of::<connection::GetConnection>(),
        HostSpec::of::<connection::ConnectServer>(),
        HostSpec::of::<connection::UseEmbedded>(),
        HostSpec::of::<settings::language::SetLanguage>(),
    ]
});

pub fn all_host() -> &'static [HostSpec] {
    &HOST_OPERATIONS
}

pub fn find_host(name: &str) -> Option<&'static HostSpec> {
    HOST_OPERATIONS.iter().find(|spec| spec.name == name)
}
