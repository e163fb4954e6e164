//! Data freshness (CUST-6) over every kind registered with `Domain::confirmable`: how many
//! months each kind's data stays current (`freshness_rules`, set by an administrator or a
//! manager; 12 until then), the records of one's own not confirmed for that long, oldest
//! first, and their count for the navigation's badge; confirming is one action.
//!
//! The confirmed-on date is a field of each record (`confirmed_at`): an ordinary change, with
//! its history, synced like any other.

mod io;
mod operations;

use accord_kernel::catalogue::Domain;
use accord_kernel::security::Permission;

pub use io::*;
pub use operations::*;

pub mod permissions {
    use super::Permission;

    pub const MANAGE: Permission = Permission::new("freshness.manage");
}

pub fn domain() -> Domain {
    use accord_kernel::security::BuiltInRole::Manager;
    Domain::new("freshness")
        .permission(
            permissions::MANAGE,
            "Set after how many months each kind's data must be confirmed again.",
            &[Manager],
        )
        .operation::<FreshnessRules>()
        .operation::<SetFreshnessRule>()
        .operation::<ConfirmRecord>()
        .operation::<StaleRecords>()
}
