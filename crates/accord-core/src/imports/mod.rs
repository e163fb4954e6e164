//! Imports (CUST-7): records of any kind registered with `Domain::importable`, from CSV or
//! XLSX files, through a wizard — inspect the file (its columns mapped as the last import of
//! the same columns was, or by their headings), preview the first rows with their problems,
//! then a dry run or the import itself as a background job with progress and cancel. Each row
//! is imported whole, listed with its problems in a report to download, fix and import again,
//! or held back as a likely duplicate and offered for merging. An import is undone as a whole.
//!
//! The reading of cells and the batch rule are the kernel's (`accord_kernel::imports`); this
//! domain keeps the imports (`store.rs`), runs them (`job.rs`) and answers the wizard.

mod io;
mod job;
mod operations;
mod store;

use accord_kernel::catalogue::Domain;
use accord_kernel::security::Permission;

pub use io::*;
pub use job::{run as run_job, undo as run_undo_job};
pub use operations::*;

/// The job kind an import runs as.
pub const JOB: &str = "imports";
/// The job kind undoing an import runs as.
pub const UNDO_JOB: &str = "imports.undo";

pub mod permissions {
    use super::Permission;

    pub const RUN: Permission = Permission::new("imports.run");
}

pub fn domain() -> Domain {
    use accord_kernel::security::BuiltInRole::{Manager, Quality, Sales, ServiceDesk};
    Domain::new("imports")
        .permission(
            permissions::RUN,
            "Import records from CSV and XLSX files (with the permission to create them), and see and undo one's own imports.",
            &[Manager, Sales, ServiceDesk, Quality],
        )
        .operation::<InspectFile>()
        .operation::<PreviewImport>()
        .operation::<StartImport>()
        .operation::<GetImport>()
        .operation::<ListImports>()
        .operation::<ImportRows>()
        .operation::<CancelImport>()
        .operation::<ImportReport>()
        .operation::<CreateHeldRows>()
        .operation::<UndoImport>()
}
