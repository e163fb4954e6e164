//! What the operations on scheduled contacts take and give.

use super::*;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ScheduleContactInput {
    pub topic_id: Uuid,
    pub channel: Channel,
    #[serde(default)]
    #[ts(optional)]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
    /// Who makes the contact and is reminded; the person scheduling it when absent.
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub note: Option<String>,
    /// The first start as the wall clock in `time_zone` shows it (`2026-12-08T10:00:00`).
    #[ts(type = "string")]
    pub starts_at: NaiveDateTime,
    /// An IANA zone name (`Europe/Moscow`, `Asia/Tehran`).
    pub time_zone: String,
    /// 30 minutes when absent.
    #[serde(default)]
    #[ts(optional)]
    pub duration_minutes: Option<i32>,
    /// An RRULE value (`FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270601T000000Z`); absent: once.
    #[serde(default)]
    #[ts(optional)]
    pub recurrence: Option<String>,
    /// Remind this many minutes before each start; 15 when absent.
    #[serde(default)]
    #[ts(optional)]
    pub lead_minutes: Option<i32>,
}

/// One occurrence marked done: the interaction it was, logged on the customer's history.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CompleteScheduledInput {
    pub id: Uuid,
    pub version: i64,
    pub summary: String,
    /// Now when absent.
    #[serde(default)]
    #[ts(optional)]
    pub happened_at: Option<DateTime<Utc>>,
    /// The channel's usual form when absent.
    #[serde(default)]
    #[ts(optional)]
    pub form: Option<Form>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CompletedScheduled {
    pub interaction: interactions::Interaction,
    /// The series, moved to its next start (none left: `due_at` is null).
    pub scheduled: ScheduledContact,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SnoozeReminderInput {
    pub id: Uuid,
    pub version: i64,
    /// Remind again in this many minutes (1 to 1,440).
    pub minutes: i32,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TakeDueRemindersInput {}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct NextReminderInput {}

#[derive(Debug, Clone, Serialize, TS)]
pub struct NextReminder {
    /// When the asker's next reminder falls due (none: nothing to remind of).
    pub next_at: Option<DateTime<Utc>>,
    /// Whether that time has come: take the due reminders now.
    pub due: bool,
}

/// A reminder to raise now, with what its notification says.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Reminder {
    pub scheduled_id: Uuid,
    pub due_at: DateTime<Utc>,
    pub time_zone: String,
    pub channel: Channel,
    pub topic: String,
    pub contact_name: Option<String>,
    pub organisation_name: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DueReminders {
    /// Each raised once: taking them marks them raised.
    pub reminders: Vec<Reminder>,
    /// When the taker's next reminder falls due, to sleep until then.
    pub next_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListOccurrencesInput {
    /// One person's (none: every series in reach).
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
    pub from: DateTime<Utc>,
    /// Exclusive; at most 366 days after `from`.
    pub to: DateTime<Utc>,
}

/// Where an occurrence stands against its series' open one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OccurrenceState {
    /// Before the open occurrence: done.
    Done,
    /// The open occurrence.
    Due,
    /// After it.
    Planned,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Occurrence {
    pub scheduled_id: Uuid,
    pub version: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub state: OccurrenceState,
    pub channel: Channel,
    pub topic_id: Uuid,
    pub responsible_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub recurring: bool,
    pub note: Option<String>,
    /// The zone its wall-clock times are kept in.
    pub time_zone: String,
    /// The topic's name, and whom it is with (as the search index names them).
    pub topic: String,
    pub contact_name: Option<String>,
    pub organisation_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Occurrences {
    /// By start.
    pub items: Vec<Occurrence>,
}

/// A series redefined: its whom, what and when, as `interactions.schedule` takes them. Its
/// open occurrence is worked out again from now when its time or rule changed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateScheduledInput {
    pub id: Uuid,
    pub version: i64,
    pub topic_id: Uuid,
    pub channel: Channel,
    #[serde(default)]
    #[ts(optional)]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub note: Option<String>,
    /// The first start as the wall clock in `time_zone` shows it.
    #[ts(type = "string")]
    pub starts_at: NaiveDateTime,
    pub time_zone: String,
    #[serde(default)]
    #[ts(optional)]
    pub duration_minutes: Option<i32>,
    #[serde(default)]
    #[ts(optional)]
    pub recurrence: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub lead_minutes: Option<i32>,
}

/// One occurrence dragged to another time in the calendar.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MoveOccurrenceInput {
    pub id: Uuid,
    pub version: i64,
    /// The start of the occurrence moved, as `interactions.list_occurrences` gave it.
    pub occurrence: DateTime<Utc>,
    /// Its new start.
    pub to: DateTime<Utc>,
    /// Its new length (resized); unchanged when absent.
    #[serde(default)]
    #[ts(optional)]
    pub duration_minutes: Option<i32>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MovedOccurrence {
    /// The series the occurrence was in (for a once-only contact, the contact moved).
    pub series: ScheduledContact,
    /// The contact at its new time: the same record, or for a recurring series a once-only
    /// contact taken out of it.
    pub moved: ScheduledContact,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListScheduledInput {
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub contact_id: Option<Uuid>,
    /// The organisation's own planned contacts and its people's.
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
    /// Series that are over too (after the open ones).
    #[serde(default)]
    #[ts(optional)]
    pub include_over: Option<bool>,
}

/// A series with the names a list shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScheduledSummary {
    #[serde(flatten)]
    #[ts(flatten)]
    pub scheduled: ScheduledContact,
    pub topic: String,
    pub contact_name: Option<String>,
    pub organisation_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ScheduledList {
    /// Open ones by when they are due, then (asked for) those that are over; at most 200.
    pub items: Vec<ScheduledSummary>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ExportCalendarInput {
    /// The file to write, as the system's Save dialog gave it (`settings.choose_save_file`);
    /// `.ics` is added when it lacks it.
    pub path: String,
    /// One person's series (none: every series in reach, the team's).
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportedCalendar {
    /// The file written.
    pub path: String,
    /// How many series (VEVENTs) it holds.
    pub events: u32,
}
