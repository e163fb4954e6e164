//! Interactions (COMM-1, COMM-2; ISO 9001 7.4, 8.2.1): every contact with a customer — what
//! it was about (a topic from a list the administrator keeps), when, with whom, by which
//! channel and in which form, and who answered for it — kept as the customer's and the
//! employee's history; and scheduled contacts (COMM-3), planned once or by an RRULE, whose
//! reminders the desktop shell raises as native notifications; and tasks (COMM-5), handed on
//! as a chain and checked by a controller.
//!
//! The domain declares itself in [`domain`]; the registry above it adds that to the door.

pub mod interactions;
pub mod schedule;
pub mod tasks;
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
    pub const TASKS_READ: Permission = Permission::new("tasks.read");
    pub const TASKS_WRITE: Permission = Permission::new("tasks.write");
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

/// Tasks (COMM-5): declared as a domain of their own, `tasks.*`, from this crate, which keeps
/// everything about working with customers over time together.
pub fn tasks_domain() -> Domain {
    use permissions::{TASKS_READ, TASKS_WRITE};
    use tasks as k;
    Domain::new("tasks")
        .permission(TASKS_READ, "See tasks and who has overdue ones.", &[Manager, Sales, ServiceDesk, Quality, Auditor])
        .permission(
            TASKS_WRITE,
            "Give, hand on, hand in, accept and return tasks.",
            &[Manager, Sales, ServiceDesk, Quality],
        )
        .record::<k::Model>()
        .operation::<k::CreateTask>()
        .operation::<k::GetTask>()
        .operation::<k::UpdateTask>()
        .operation::<k::DelegateTask>()
        .operation::<k::SubmitTask>()
        .operation::<k::AcceptTask>()
        .operation::<k::ReturnTask>()
        .operation::<k::CancelTask>()
        .operation::<k::ListTasks>()
        .operation::<k::OverdueTaskCounts>()
}
