//! Interactions (COMM-1, COMM-2; ISO 9001 7.4, 8.2.1): every contact with a customer — what
//! it was about (a topic from a list the administrator keeps), when, with whom, by which
//! channel and in which form, and who answered for it — kept as the customer's and the
//! employee's history; and scheduled contacts (COMM-3), planned once or by an RRULE, whose
//! reminders the desktop shell raises as native notifications.
//!
//! The domain declares itself in [`domain`]; the registry above it adds that to the door.

pub mod interactions;
pub mod schedule;
pub mod topics;

use accord_kernel::catalogue::Domain;
use accord_kernel::security::BuiltInRole::{Auditor, Manager, Quality, Sales, ServiceDesk};

/// What this domain's operations require.
pub mod permissions {
    use accord_kernel::security::Permission;

    pub const READ: Permission = Permission::new("interactions.read");
    pub const WRITE: Permission = Permission::new("interactions.write");
    pub const ARCHIVE: Permission = Permission::new("interactions.archive");
    pub const MANAGE_TOPICS: Permission = Permission::new("interactions.manage_topics");
}

/// The operations and record kinds of this domain.
pub fn domain() -> Domain {
    use permissions::{ARCHIVE, MANAGE_TOPICS, READ, WRITE};
    use {interactions as i, schedule as s, topics as t};
    Domain::new("interactions")
        .permission(
            READ,
            "See interactions with customers and their topics.",
            &[Manager, Sales, ServiceDesk, Quality, Auditor],
        )
        .permission(WRITE, "Log interactions with customers and correct them.", &[Manager, Sales, ServiceDesk, Quality])
        .permission(ARCHIVE, "Archive and restore interactions.", &[Manager])
        .permission(MANAGE_TOPICS, "Keep the list of interaction topics.", &[])
        .archivable_record::<t::Model>()
        .archivable_record::<i::Model>()
        .operation::<t::DefineTopic>()
        .operation::<t::RenameTopic>()
        .operation::<t::ListTopics>()
        .operation::<t::RetireTopic>()
        .operation::<t::RestoreTopic>()
        .operation::<i::LogInteraction>()
        .operation::<i::GetInteraction>()
        .operation::<i::UpdateInteraction>()
        .operation::<i::ListInteractions>()
        .operation::<i::ArchiveInteraction>()
        .operation::<i::RestoreInteraction>()
        .archivable_record::<s::Model>()
        .operation::<s::ScheduleContact>()
        .operation::<s::GetScheduled>()
        .operation::<s::CompleteScheduled>()
        .operation::<s::SkipOccurrence>()
        .operation::<s::SnoozeReminder>()
        .operation::<s::CancelScheduled>()
        .operation::<s::GetNextReminder>()
        .operation::<s::TakeDueReminders>()
        .operation::<s::ListOccurrences>()
        .operation::<s::UpdateScheduled>()
        .operation::<s::MoveOccurrence>()
        .operation::<s::ListScheduled>()
        .operation::<s::ExportCalendar>()
}
