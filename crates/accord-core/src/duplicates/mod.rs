//! Duplicates and merge (CUST-5) for every kind that declares itself mergeable
//! (`Domain::mergeable_record`): find likely pairs, compare two records side by side, merge
//! them — every record of every domain that names the merged one moves to the survivor,
//! through the kinds' declared references (`Record::REFERENCES`) — and undo a merge. The
//! matching and merging of two records live in the kernel (`accord_kernel::merge`); this
//! domain sits above the registry because a merge reaches every kind that refers to the
//! merged one.

mod io;
mod operations;

use accord_kernel::catalogue::Domain;
use accord_kernel::merge::{self, permissions};

pub use io::*;
pub use operations::*;

pub fn domain() -> Domain {
    use accord_kernel::security::BuiltInRole::{Auditor, Manager, Quality, Sales, ServiceDesk};
    Domain::new("duplicates")
        .permission(
            permissions::FIND,
            "Look for likely duplicates, compare two records side by side and see their merges.",
            &[Manager, Sales, ServiceDesk, Quality, Auditor],
        )
        .permission(permissions::MERGE, "Merge two records into one and undo a merge.", &[Manager])
        .record::<merge::Merge>()
        .archivable_record::<merge::Dismissal>()
        .operation::<FindDuplicates>()
        .operation::<CompareRecords>()
        .operation::<MergeRecords>()
        .operation::<UndoMerge>()
        .operation::<ListMerges>()
        .operation::<DismissPair>()
        .operation::<ReconsiderPair>()
}
