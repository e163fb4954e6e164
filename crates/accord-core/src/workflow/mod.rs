//! Workflow rules without code (COMM-6, seed 003) over every registered kind of record: "when
//! a record is created, a field is set to a value, or a date comes — create a task or a
//! scheduled contact, notify people natively, or queue an email".
//!
//! - `rules.rs`: a rule (kind, trigger, an optional condition written as a segment filter,
//!   action) and its checks, among them that no chain of rules leads back to itself;
//! - `engine.rs`: the runtime's reaction to every writing operation — matching event rules
//!   fire in the same transaction, once per event, also on a laptop offline (the firing syncs);
//! - `dates.rs`: `workflow.run_due`, the date rules (contract end, birthday, N days after);
//! - `stored.rs`: firings, notices (shown by the desktop shell as native notifications) and
//!   the queued emails;
//! - `service.rs`: a team server's rules service, which runs the rules there over the change
//!   log (its users' own roles may not write what a rule makes for colleagues elsewhere).
//!
//! A later domain plugs in by registering its kinds: rules may listen to any searchable kind,
//! and name the fields it declares for segments.

mod dates;
mod engine;
mod io;
mod operations;
pub mod rules;
mod service;
pub mod stored;

use accord_kernel::catalogue::Domain;
use accord_kernel::security::Permission;

pub use engine::Engine;
pub use io::*;
pub use operations::*;
pub use service::{RUN_SERVICE, RunLogged, RunLoggedInput, RunLoggedReport};

pub mod permissions {
    use super::Permission;

    /// See the rules and what they did.
    pub const READ: Permission = Permission::new("workflow.read");
    /// Define, change and switch rules off and on.
    pub const MANAGE: Permission = Permission::new("workflow.manage");
}

pub fn domain() -> Domain {
    use accord_kernel::security::BuiltInRole::{Auditor, Manager, Quality};
    Domain::new("workflow")
        .permission(permissions::READ, "See the workflow rules and what they did.", &[Manager, Quality, Auditor])
        .permission(permissions::MANAGE, "Define, change and switch off workflow rules.", &[])
        .archivable_record::<rules::Model>()
        .record::<stored::firings::Model>()
        .record::<stored::notices::Model>()
        .record::<stored::outbox::Model>()
        .operation::<DefineRule>()
        .operation::<UpdateRule>()
        .operation::<ListRules>()
        .operation::<rules::SwitchOff>()
        .operation::<rules::SwitchOn>()
        .operation::<ListFirings>()
        .operation::<RunDue>()
        .operation::<NoticesWaiting>()
        .operation::<TakeNotices>()
        .operation::<ListOutbox>()
}
