//! Customers (CUST-1): organisations (customers, suppliers, partners), the people who work
//! there (contacts), and relations between organisations.
//!
//! The domain declares itself in [`domain`]; the registry above it adds that to the door.

pub mod contacts;
mod duplicates;
pub mod organisations;
pub mod relations;

use accord_kernel::catalogue::Domain;

pub use duplicates::DuplicateWarning;

/// The operations and record kinds of this domain.
pub fn domain() -> Domain {
    use {contacts as c, organisations as o, relations as r};
    Domain::new("customers")
        .record::<o::Model>()
        .record::<c::Model>()
        .record::<r::Model>()
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
