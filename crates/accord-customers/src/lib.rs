//! Customers (CUST-1): organisations (customers, suppliers, partners), the people who work
//! there (contacts), and relations between organisations.
//!
//! The domain declares itself in [`domain`]; the registry above it adds that to the door.

pub mod contacts;
mod duplicates;
pub mod organisations;
pub mod relations;

use accord_kernel::catalogue::Domain;
use accord_kernel::security::BuiltInRole::{Auditor, Manager, Quality, Sales, ServiceDesk};

pub use duplicates::DuplicateWarning;

/// What this domain's operations require.
pub mod permissions {
    use accord_kernel::security::Permission;

    pub const READ: Permission = Permission::new("customers.read");
    pub const WRITE: Permission = Permission::new("customers.write");
    pub const ARCHIVE: Permission = Permission::new("customers.archive");
}

/// The operations and record kinds of this domain.
pub fn domain() -> Domain {
    use permissions::{ARCHIVE, READ, WRITE};
    use {contacts as c, organisations as o, relations as r};
    Domain::new("customers")
        .permission(
            READ,
            "See organisations, contacts and their relations.",
            &[Manager, Sales, ServiceDesk, Quality, Auditor],
        )
        .permission(WRITE, "Create and change organisations, contacts and relations.", &[Manager, Sales, ServiceDesk])
        .permission(ARCHIVE, "Archive and restore organisations, contacts and relations.", &[Manager])
        .mergeable_record::<o::Model>()
        .mergeable_record::<c::Model>()
        .segmentable::<o::Model>()
        .segmentable::<c::Model>()
        .importable::<o::Model>()
        .importable::<c::Model>()
        .confirmable::<o::Model>()
        .confirmable::<c::Model>()
        .archivable_record::<r::Model>()
        .operation::<o::CreateOrganisation>()
        .operation::<o::GetOrganisation>()
        .operation::<o::UpdateOrganisation>()
        .operation::<o::ArchiveOrganisation>()
        .operation::<o::RestoreOrganisation>()
        .operation::<o::ListOrganisations>()
        .operation::<o::ImportOrganisations>()
        .operation::<c::CreateContact>()
        .operation::<c::GetContact>()
        .operation::<c::UpdateContact>()
        .operation::<c::ArchiveContact>()
        .operation::<c::RestoreContact>()
        .operation::<c::ListContacts>()
        .operation::<c::ImportContacts>()
        .operation::<r::CreateRelation>()
        .operation::<r::ArchiveRelation>()
}
