//! Operations across every domain: search, a record's history and the audit check. They
//! live above the domains because they answer for any registered record kind; the kinds
//! they accept are the ones the domains declared to the registry.

mod history;
mod search;

use accord_kernel::audit;
use accord_kernel::catalogue::Domain;

pub use history::{ReadRecordHistory, RecordHistoryInput};
pub use search::{Search, SearchInput, SearchOutput};

/// Declared like a domain, so the registry treats these operations like every other.
pub fn domain() -> Domain {
    // Named by what they read; not one domain's prefix, so declared without the name check.
    let mut domain = Domain::new("platform");
    domain.operations.extend([
        accord_kernel::catalogue::OpSpec::of::<Search>(),
        accord_kernel::catalogue::OpSpec::of::<ReadRecordHistory>(),
        accord_kernel::catalogue::OpSpec::of::<audit::VerifyAuditLog>(),
    ]);
    domain
}
