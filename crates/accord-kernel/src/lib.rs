//! Accord's kernel: the machinery every domain shares, below the domains.
//!
//! The operation contract ([`Operation`], run with a [`Scope`] by the [`Runtime`]), how a domain
//! declares itself ([`catalogue::Domain`]), business records ([`records`]), the change log and
//! its clock, the audit chain, search, collation, paging, validation and the data layer. It
//! knows no domain: domains depend on it, and the registry and the door sit above both
//! (`docs/architecture.md`, "Layers").

pub mod activity;
pub mod audit;
pub mod catalogue;
pub mod changelog;
pub mod clock;
pub mod collation;
pub mod custom_fields;
pub mod data;
pub mod error;
pub mod files;
pub mod freshness;
pub mod history;
pub mod host;
pub mod imports;
mod input;
pub mod installation;
pub mod io;
pub mod jobs;
pub mod logging;
pub mod merge;
pub mod operation;
pub mod paging;
pub mod records;
pub mod search;
pub mod security;
pub mod segments;
pub mod sheets;
pub mod sync;
pub mod validate;

pub use error::{ApiError, ErrorCode, FieldCode};
pub use operation::{Operation, Runtime, Scope, decode_input};
pub use security::{Actor, BuiltInRole, Grants, Permission};
