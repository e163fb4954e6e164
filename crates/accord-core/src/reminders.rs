//! The reminder scheduler's logic (COMM-3), which the desktop shell runs: it asks when the
//! signed-in person's next reminder falls due, sleeps until then (or until something changes
//! what is planned), takes the due reminders — each given once, so a second window, a
//! restart or another device never raises it again — and shows each as a native
//! notification in the window's language. The shell supplies the notifier (notify-rust) and
//! the wake-ups; everything here runs without a window.

use std::time::Duration;

use accord_interactions::schedule::{self, Reminder};
use accord_kernel::error::ApiError;
use accord_kernel::security::Actor;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::door::Door;
use crate::settings::language::Language;
use crate::workflow;

/// A notification as the person sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// What clicking it opens.
    pub opens: Opens,
    pub title: String,
    pub body: String,
}

/// What a clicked notification opens in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opens {
    /// A reminder's scheduled contact.
    Scheduled(Uuid),
    /// The record a workflow rule's notice is about (a new complaint, a contact).
    Record { table: String, id: Uuid },
    /// Nothing in particular: the window comes back.
    Window,
}

/// Shows notifications: the OS's (notify-rust in the shell), or a test's record of them.
pub trait Notifier: Send + Sync {
    fn show(&self, notification: &Notification) -> Result<(), String>;
}

/// What one pass did, and when the next is due.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pass {
    pub shown: Vec<Notification>,
    pub next_at: Option<DateTime<Utc>>,
}

/// The longest the scheduler sleeps without looking again: a reminder another process
/// planned meanwhile (a script on the same file, another device through the server) is
/// noticed within this, and one indexed read a minute costs nothing measurable.
pub const MAX_SLEEP: Duration = Duration::from_secs(60);

/// One look for `actor`: the notices workflow rules sent them (COMM-6), then, when a reminder
/// is due, the due reminders; each shown once. Someone who may not log interactions has no
/// reminders.
pub async fn pass(door: &Door, actor: &Actor, language: Language, notifier: &dyn Notifier) -> Result<Pass, ApiError> {
    let mut shown = Vec::new();
    if door.call::<workflow::NoticesWaiting>(actor, Default::default()).await?.waiting {
        let taken = door.call::<workflow::TakeNotices>(actor, Default::default()).await?;
        for notice in &taken.notices {
            show(notifier, notice_notification(notice), &mut shown);
        }
    }
    if !actor.may(accord_interactions::permissions::WRITE) {
        return Ok(Pass { shown, next_at: None });
    }
    let next = door.call::<schedule::GetNextReminder>(actor, Default::default()).await?;
    if !next.due {
        return Ok(Pass { shown, next_at: next.next_at });
    }
    let due = door.call::<schedule::TakeDueReminders>(actor, Default::default()).await?;
    for reminder in &due.reminders {
        show(notifier, compose(reminder, language), &mut shown);
    }
    Ok(Pass { shown, next_at: due.next_at })
}

fn show(notifier: &dyn Notifier, notification: Notification, shown: &mut Vec<Notification>) {
    match notifier.show(&notification) {
        Ok(()) => shown.push(notification),
        // Taken is taken (never twice); what failed is in the log, without its text.
        Err(problem) => tracing::warn!(%problem, "a notification could not be shown"),
    }
}

/// A workflow rule's notice as a notification: the rule's name, its message.
fn notice_notification(notice: &workflow::stored::notices::Notice) -> Notification {
    let opens = match (&notice.about_table, notice.about_id) {
        (Some(table), Some(id)) => Opens::Record { table: table.clone(), id },
        _ => Opens::Window,
    };
    Notification { opens, title: notice.title.clone(), body: notice.body.clone().unwrap_or_default() }
}

/// How often the date rules are run by a window (`workflow.run_due`): a rule's day is a
/// calendar day, so a quarter of an hour late is on time.
pub const DATE_RULES_EVERY: Duration = Duration::from_secs(15 * 60);

/// Fires the date rules whose day has come, as `actor`; how many fired.
pub async fn run_date_rules(door: &Door, actor: &Actor) -> Result<u64, ApiError> {
    Ok(door.call::<workflow::RunDue>(actor, Default::default()).await?.fired)
}

/// How long to sleep after a pass at `now`: until the next reminder, at most [`MAX_SLEEP`].
pub fn sleep_for(next_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Duration {
    next_at.map(|at| (at - now).to_std().unwrap_or(Duration::ZERO)).map_or(MAX_SLEEP, |until| until.min(MAX_SLEEP))
}

/// The notification of a reminder: what and with whom as the title, the local time of the
/// contact, the topic and the note as the body.
pub fn compose(reminder: &Reminder, language: Language) -> Notification {
    use accord_interactions::interactions::Channel::*;
    let what = match (language, reminder.channel) {
        (Language::En, Phone) => "Call",
        (Language::En, Email) => "Email",
        (Language::En, Meeting) => "Meeting",
        (Language::En, Letter) => "Letter",
        (Language::En, Chat) => "Chat",
        (Language::En, Visit) => "Visit",
        (Language::Ru, Phone) => "Звонок",
        (Language::Ru, Email) => "Письмо по эл. почте",
        (Language::Ru, Meeting) => "Встреча",
        (Language::Ru, Letter) => "Письмо",
        (Language::Ru, Chat) => "Чат",
        (Language::Ru, Visit) => "Визит",
        (Language::Fa, Phone) => "تماس تلفنی",
        (Language::Fa, Email) => "ایمیل",
        (Language::Fa, Meeting) => "جلسه",
        (Language::Fa, Letter) => "نامه",
        (Language::Fa, Chat) => "گفتگو",
        (Language::Fa, Visit) => "بازدید",
    };
    let whom = match (&reminder.contact_name, &reminder.organisation_name) {
        (Some(contact), Some(organisation)) => format!("{contact} ({organisation})"),
        (Some(name), None) | (None, Some(name)) => name.clone(),
        (None, None) => String::new(),
    };
    let title = if whom.is_empty() { what.to_owned() } else { format!("{what}: {whom}") };
    let at = local_time(reminder.due_at, &reminder.time_zone, language);
    let mut body = if reminder.topic.is_empty() { at } else { format!("{at} · {}", reminder.topic) };
    if let Some(note) = &reminder.note {
        body.push('\n');
        body.push_str(note);
    }
    Notification { opens: Opens::Scheduled(reminder.scheduled_id), title, body }
}

/// `HH:MM` on the wall clock of the contact's zone; Persian digits in Persian.
fn local_time(at: DateTime<Utc>, zone: &str, language: Language) -> String {
    let text = match schedule::recurrence::zone(zone) {
        Ok(zone) => at.with_timezone(&zone).format("%H:%M").to_string(),
        Err(_) => at.format("%H:%M UTC").to_string(),
    };
    match language {
        Language::Fa => text.chars().map(persian_digit).collect(),
        Language::En | Language::Ru => text,
    }
}

fn persian_digit(c: char) -> char {
    match c.to_digit(10) {
        Some(d) => char::from_u32(0x06F0 + d).unwrap_or(c),
        None => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_interactions::interactions::Channel;

    fn reminder() -> Reminder {
        Reminder {
            scheduled_id: Uuid::nil(),
            due_at: "2026-03-30T08:00:00Z".parse().unwrap(),
            time_zone: "Europe/Berlin".into(),
            channel: Channel::Phone,
            topic: "Delivery dates".into(),
            contact_name: Some("Anna Petrova".into()),
            organisation_name: Some("Romashka LLC".into()),
            note: Some("Ask about the invoice".into()),
        }
    }

    #[test]
    fn a_notification_says_what_with_whom_and_when_in_the_contacts_zone() {
        let shown = compose(&reminder(), Language::En);
        assert_eq!(shown.title, "Call: Anna Petrova (Romashka LLC)");
        assert_eq!(shown.body, "10:00 · Delivery dates\nAsk about the invoice", "CEST wall clock");
        let fa = compose(&Reminder { contact_name: None, note: None, ..reminder() }, Language::Fa);
        assert_eq!(fa.title, "تماس تلفنی: Romashka LLC");
        assert_eq!(fa.body, "۱۰:۰۰ · Delivery dates");
        let ru = compose(&Reminder { channel: Channel::Meeting, ..reminder() }, Language::Ru);
        assert!(ru.title.starts_with("Встреча: "));
    }

    #[test]
    fn the_scheduler_sleeps_until_the_next_reminder_but_never_long() {
        let now: DateTime<Utc> = "2026-03-30T08:00:00Z".parse().unwrap();
        assert_eq!(sleep_for(Some(now + chrono::Duration::seconds(20)), now), Duration::from_secs(20));
        assert_eq!(sleep_for(Some(now - chrono::Duration::seconds(5)), now), Duration::ZERO, "overdue: now");
        assert_eq!(sleep_for(Some(now + chrono::Duration::hours(3)), now), MAX_SLEEP);
        assert_eq!(sleep_for(None, now), MAX_SLEEP);
    }
}
