//! Scheduled contacts (COMM-3): a planned call, meeting or email with a customer at a date
//! and time in the responsible person's time zone, once or recurring by an iCalendar RRULE.
//! A series keeps its open occurrence (`due_at`) and when to remind of it (`remind_at`): the
//! desktop shell raises a native notification then, once. Marking the occurrence done logs
//! the interaction and moves the series to its next start.

pub mod ics;
mod io;
mod operations;
mod queries;
pub mod recurrence;

use crate::interactions::{self, Channel, Form};
use crate::topics;
use accord_kernel::changelog::ChangeAction;
use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::io::{IdInput, VersionedIdInput};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records::{self, Archivable, Archive, Record, Reference};
use accord_kernel::search::SearchDocument;
use accord_kernel::security::Permission;
use accord_kernel::standard_record_methods;
use accord_kernel::validate;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use recurrence::{Recurrence, ScheduleProblem};
use sea_orm::entity::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use io::*;
pub use operations::*;

/// A series of planned contacts (one, or recurring) as stored and as the UI receives it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "scheduled_contacts")]
#[ts(rename = "ScheduledContact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic_id: Uuid,
    pub channel: Channel,
    pub contact_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    /// Who makes the contact and is reminded; it is theirs, in their department.
    pub responsible_id: Uuid,
    /// What to discuss.
    pub note: Option<String>,
    /// The first start.
    pub starts_at: DateTime<Utc>,
    /// The IANA zone its wall-clock times are kept in (the responsible person's).
    pub time_zone: String,
    pub duration_minutes: i32,
    /// The RRULE value (`FREQ=WEEKLY;BYDAY=MO`); none: once.
    pub recurrence: Option<String>,
    /// Starts left out of the series (skipped occurrences).
    #[ts(type = "Array<string>")]
    pub exceptions: Json,
    /// The last start, when the series ends (once, COUNT or UNTIL); none: it repeats on.
    pub ends_at: Option<DateTime<Utc>>,
    /// How long before a start its reminder is raised.
    pub lead_minutes: i32,
    /// The open occurrence: the first start not yet done or skipped; none when the series is over.
    pub due_at: Option<DateTime<Utc>>,
    /// When the next reminder is raised; none once it has been (or when nothing is due).
    pub remind_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type ScheduledContact = Model;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "scheduled_contacts";
    const LABEL: &'static str = "scheduled contact";
    const READ_PERMISSION: Permission = crate::permissions::READ;
    const WRITE_PERMISSION: Permission = crate::permissions::WRITE;
    const IMPORTANT_FIELDS: &'static [&'static str] =
        &["starts_at", "time_zone", "recurrence", "exceptions", "due_at", "responsible_id"];
    const REFERENCES: &'static [Reference] = &[
        Reference { field: "contact_id", table: "contacts" },
        Reference { field: "organisation_id", table: "organisations" },
        Reference { field: "topic_id", table: "interaction_topics" },
    ];

    standard_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        None
    }
}

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "interactions.cancel_scheduled";
    const ARCHIVE_PERMISSION: Permission = crate::permissions::WRITE;
    const ARCHIVE_SUMMARY: &'static str =
        "Cancel a scheduled contact (the whole series): no more reminders; kept with its history.";
}

/// `interactions.cancel_scheduled`.
pub type CancelScheduled = Archive<Model>;

/// The longest a contact may be planned to last, and the longest lead a reminder may have.
const MAX_DURATION_MINUTES: i32 = 24 * 60;
const MAX_LEAD_MINUTES: i32 = 14 * 24 * 60;

impl Model {
    /// Its starts left out, as stored.
    pub fn exception_list(&self) -> Vec<DateTime<Utc>> {
        serde_json::from_value(self.exceptions.clone()).unwrap_or_default()
    }

    /// Leaves the start `at` out of the series (an exception).
    fn leave_out(&mut self, at: DateTime<Utc>) {
        let mut exceptions = self.exception_list();
        exceptions.push(at);
        self.exceptions = serde_json::to_value(exceptions).unwrap_or_default();
    }

    /// Its series as stored (a stored series was checked when it was saved).
    pub fn series(&self) -> Result<Recurrence, ApiError> {
        Recurrence::new(&self.time_zone, self.starts_at, self.recurrence.as_deref(), &self.exception_list())
            .map_err(|p| ApiError::internal(format!("a stored schedule cannot be read: {p:?}")))
    }

    /// Settles a new series from its `series`: its end, its open occurrence — from today on
    /// for a series begun in the past; a single contact planned for earlier today (logged
    /// late) stays open — and that occurrence's reminder.
    pub fn begin(&mut self, series: &Recurrence, now: DateTime<Utc>) {
        let today_on = self.starts_at.max(now - Duration::days(1));
        self.ends_at = series.last();
        self.open(series.next_from(today_on).or_else(|| series.next_from(self.starts_at)));
    }

    /// Settles a series whose time or rule was changed: a once-only contact as a new one; a
    /// recurring series opens its first start from now on, so an occurrence done earlier
    /// today is not opened again.
    pub fn restart(&mut self, series: &Recurrence, now: DateTime<Utc>) {
        if self.recurrence.is_none() {
            return self.begin(series, now);
        }
        self.ends_at = series.last();
        self.open(series.next_from(self.starts_at.max(now)));
    }

    /// Whether its schedule (the when) differs from `other`'s.
    pub fn when_differs(&self, other: &Model) -> bool {
        (self.starts_at, &self.time_zone, &self.recurrence) != (other.starts_at, &other.time_zone, &other.recurrence)
    }

    /// Opens the occurrence `due` (none: the series is over) and plans its reminder.
    fn open(&mut self, due: Option<DateTime<Utc>>) {
        self.due_at = due;
        self.remind_at = due.map(|at| at - Duration::minutes(i64::from(self.lead_minutes)));
    }
}

/// Reads the schedule a person gave, each problem on its field: the zone, the start (a wall
/// clock time that exists there), the rule, the duration and the lead.
fn checked_series(errors: &mut FieldErrors, m: &mut Model, local_start: Option<NaiveDateTime>) -> Option<Recurrence> {
    m.recurrence = validate::optional_text(errors, "recurrence", m.recurrence.as_deref(), 500);
    m.time_zone = m.time_zone.trim().to_owned();
    if !(1..=MAX_DURATION_MINUTES).contains(&m.duration_minutes) {
        errors.add("duration_minutes", FieldCode::InvalidValue, "A contact lasts between 1 minute and 24 hours.");
    }
    if !(0..=MAX_LEAD_MINUTES).contains(&m.lead_minutes) {
        errors.add("lead_minutes", FieldCode::InvalidValue, "Remind between 0 minutes and 14 days before.");
    }
    let zone = match recurrence::zone(&m.time_zone) {
        Ok(zone) => zone,
        Err(problem) => {
            report(errors, problem);
            return None;
        }
    };
    if let Some(local) = local_start {
        match recurrence::instant(zone, local) {
            Ok(at) => m.starts_at = at,
            Err(problem) => {
                report(errors, problem);
                return None;
            }
        }
    }
    match Recurrence::new(&m.time_zone, m.starts_at, m.recurrence.as_deref(), &m.exception_list()) {
        Ok(series) => Some(series),
        Err(problem) => {
            report(errors, problem);
            None
        }
    }
}

fn report(errors: &mut FieldErrors, problem: ScheduleProblem) {
    match problem {
        ScheduleProblem::UnknownZone(name) => errors.add(
            "time_zone",
            FieldCode::InvalidValue,
            format!("“{name}” is not a time zone; choose one such as Europe/Moscow or Asia/Tehran."),
        ),
        ScheduleProblem::SkippedTime(at) => errors.add(
            "starts_at",
            FieldCode::InvalidValue,
            format!("{at} does not exist in this time zone (the clocks go forward then); choose another time."),
        ),
        ScheduleProblem::InvalidRule(why) => errors.add(
            "recurrence",
            FieldCode::InvalidValue,
            format!("This repeat rule cannot be used: {why}. Check the frequency, the days and the end."),
        ),
    }
}
