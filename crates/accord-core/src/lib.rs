//! Accord's core: everything the product does, behind one door ([`door::Door`]).
//! No Tauri here: the desktop shell, the CLI and the tests all call the same operations.
//!
//! Layers, each depending only on those below it (`docs/architecture.md`):
//! `accord-kernel` (the operation contract and shared machinery) → the domain crates
//! (`accord-customers`, …) → this crate (the registry, the door, operations across domains,
//! host operations, the data generator).

pub mod attachments;
pub mod door;
pub mod duplicates;
pub mod fields;
pub mod freshness;
pub mod imports;
pub mod platform;
pub mod reminders;
pub mod seed;
pub mod segments;
pub mod server;
pub mod settings;
pub mod sync;
pub mod workflow;

// The kernel's and the domains' modules under the names the product has always used.
pub use accord_customers as customers;
pub use accord_interactions as interactions;
pub use accord_kernel::{
    audit, catalogue, changelog, clock, collation, data, error, history, host, installation, io, jobs, logging, paging,
    records, search, security, sheets, validate,
};
pub use accord_security as access;

pub use accord_kernel::{Actor, BuiltInRole, Grants, Permission};
pub use accord_kernel::{ApiError, ErrorCode, FieldCode, Operation, Scope};
pub use accord_security::sessions::{Credentials, SignedIn};
pub use door::Door;
