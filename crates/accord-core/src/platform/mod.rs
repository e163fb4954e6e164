//! Operations across every domain: search, a record's history, the audit log and its check,
//! the efficiency report. They live above the domains because they answer for any registered
//! record kind; the kinds they accept are the ones the domains declared to the registry.

mod audit_log;
mod efficiency;
mod history;
mod offboarding;
mod search;

use accord_kernel::audit;
use accord_kernel::catalogue::Domain;

pub use audit_log::{AuditPage, ChangesByPerson, ChangesByPersonInput, ChangesByPersonPage, ListAudit, ListAuditInput};
pub use efficiency::{EfficiencyInput, EfficiencyReport, ExportEfficiency, ReadEfficiency};
pub use history::{ReadRecordHistory, RecordHistoryInput};
pub use offboarding::{OffboardUser, OffboardUserInput, OffboardedUser};
pub use search::{Search, SearchInput, SearchOutput, Titles, TitlesInput};

/// Declared like a domain, so the registry treats these operations like every other.
pub fn domain() -> Domain {
    // Named by what they read; not one domain's prefix, so declared without the name check.
    use accord_kernel::security::BuiltInRole::{Auditor, Manager, Newcomer, Quality, Sales, ServiceDesk};
    use accord_kernel::security::platform::{
        AUDIT_READ, HISTORY_READ, PREFERENCES_OWN, SEARCH, SESSION, SETTINGS_MANAGE,
    };
    const READERS: &[accord_kernel::security::BuiltInRole] = &[Manager, Sales, ServiceDesk, Quality, Auditor];
    const ALL_ROLES: &[accord_kernel::security::BuiltInRole] =
        &[Manager, Sales, ServiceDesk, Quality, Auditor, Newcomer];
    let mut domain = Domain::new("platform")
        .permission(SEARCH, "Search across records (each hit only if its kind may be read).", READERS)
        .permission(HISTORY_READ, "Read the change history of records one may read.", READERS)
        .permission(AUDIT_READ, "Read and verify the audit log of critical actions.", &[Auditor])
        .permission(
            SETTINGS_MANAGE,
            "Choose the database, rebuild derived values, set up the first administrator.",
            &[],
        )
        .permission(SESSION, "Sign in and out.", ALL_ROLES)
        .permission(PREFERENCES_OWN, "Set one's own preferences, such as the window's language.", ALL_ROLES);
    domain.operations.extend([
        accord_kernel::catalogue::OpSpec::of::<Search>(),
        accord_kernel::catalogue::OpSpec::of::<Titles>(),
        accord_kernel::catalogue::OpSpec::of::<ReadRecordHistory>(),
        accord_kernel::catalogue::OpSpec::of::<audit::VerifyAuditLog>(),
        accord_kernel::catalogue::OpSpec::of::<ListAudit>(),
        accord_kernel::catalogue::OpSpec::of::<ChangesByPerson>(),
        accord_kernel::catalogue::OpSpec::of::<ReadEfficiency>(),
        accord_kernel::catalogue::OpSpec::of::<ExportEfficiency>(),
        accord_kernel::catalogue::OpSpec::of::<OffboardUser>(),
    ]);
    domain
}
