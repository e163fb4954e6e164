//! Segments (CUST-4): saved selections of records by their characteristics, over every kind
//! registered with `Domain::segmentable` — its declared fields and its custom fields — kept
//! live by evaluating the filter whenever members are read. The filter's meaning and its SQL
//! live in the kernel (`accord_kernel::segments`); this domain sits above the registry
//! because it answers for every segmentable kind.

mod exports;
mod io;
mod operations;

use accord_kernel::catalogue::Domain;
use accord_kernel::segments::{Segment, permissions};

pub use accord_kernel::segments::{Filter, Operator};
pub use exports::{CancelExport, ExportRecords, GetExport, JOB as EXPORT_JOB, ListExports, run_job as run_export_job};
pub use io::*;
pub use operations::*;

/// `segments.archive` and `segments.restore`.
pub type ArchiveSegment = accord_kernel::records::Archive<Segment>;
pub type RestoreSegment = accord_kernel::records::Restore<Segment>;

pub fn domain() -> Domain {
    use accord_kernel::security::BuiltInRole::{Auditor, Manager, Quality, Sales, ServiceDesk};
    Domain::new("segments")
        .permission(
            permissions::READ,
            "See saved segments and who is in them.",
            &[Manager, Sales, ServiceDesk, Quality, Auditor],
        )
        .permission(permissions::MANAGE, "Save, change and archive segments.", &[Manager, Sales, Quality])
        .archivable_record::<Segment>()
        .operation::<SegmentFields>()
        .operation::<FieldValues>()
        .operation::<PreviewSegment>()
        .operation::<SaveSegment>()
        .operation::<UpdateSegment>()
        .operation::<ListSegments>()
        .operation::<SegmentMembers>()
        .operation::<ExportRecords>()
        .operation::<GetExport>()
        .operation::<ListExports>()
        .operation::<CancelExport>()
        .operation::<ArchiveSegment>()
        .operation::<RestoreSegment>()
}
