//! The operations on scheduled contacts: plan one (or a series), mark its open occurrence
//! done (which logs the interaction) or skip it, snooze its reminder, cancel it; the
//! reminders due to the person asking (taken once); and the occurrences in a period.

use super::*;

pub struct ScheduleContact;

impl Operation for ScheduleContact {
    const NAME: &'static str = "interactions.schedule";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Plan a call, meeting or email with a customer at a time in a time zone, once or repeating by an RRULE.";
    type Input = ScheduleContactInput;
    type Output = ScheduledContact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut model = Model {
            id: Uuid::now_v7(),
            topic_id: input.topic_id,
            channel: input.channel,
            contact_id: input.contact_id,
            organisation_id: input.organisation_id,
            responsible_id: input.responsible_id.unwrap_or(scope.actor.user_id),
            note: input.note,
            starts_at: scope.now,
            time_zone: input.time_zone,
            duration_minutes: input.duration_minutes.unwrap_or(30),
            recurrence: input.recurrence,
            exceptions: serde_json::json!([]),
            ends_at: None,
            lead_minutes: input.lead_minutes.unwrap_or(15),
            due_at: None,
            remind_at: None,
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            owner_id: None,
            department_id: None,
        };
        let mut errors = FieldErrors::default();
        model.note = validate::optional_text(&mut errors, "note", model.note.as_deref(), 10_000);
        let series = checked_series(&mut errors, &mut model, Some(input.starts_at));
        interactions::settle_whom(scope, &mut errors, model.contact_id, &mut model.organisation_id).await?;
        interactions::check_topic(scope, &mut errors, model.topic_id).await?;
        let ownership = interactions::ownership_of(scope, &mut errors, model.responsible_id).await?;
        errors.into_result()?;
        if let Some(series) = series {
            model.begin(&series, scope.now);
        }
        model.set_ownership(ownership);
        records::insert(scope, std::slice::from_mut(&mut model)).await?;
        Ok(model)
    }
}

pub struct GetScheduled;

impl Operation for GetScheduled {
    const NAME: &'static str = "interactions.get_scheduled";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One scheduled contact (its series).";
    type Input = IdInput;
    type Output = ScheduledContact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        records::load(scope, input.id, "id").await
    }
}

pub struct CompleteScheduled;

impl Operation for CompleteScheduled {
    const NAME: &'static str = "interactions.complete_scheduled";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Mark a scheduled contact's open occurrence done: its interaction is logged and the series moves on.";
    type Input = CompleteScheduledInput;
    type Output = CompletedScheduled;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let Some(due) = before.due_at else { return Err(nothing_open()) };
        let log = interactions::LogInteractionInput {
            topic_id: before.topic_id,
            channel: before.channel,
            summary: input.summary,
            happened_at: input.happened_at,
            form: input.form,
            contact_id: before.contact_id,
            organisation_id: before.organisation_id,
            responsible_id: Some(before.responsible_id),
            custom: Default::default(),
        };
        let interaction = interactions::LogInteraction::run(scope, log).await?;
        let scheduled = move_on(scope, &before, due, false).await?;
        Ok(CompletedScheduled { interaction, scheduled })
    }
}

pub struct SkipOccurrence;

impl Operation for SkipOccurrence {
    const NAME: &'static str = "interactions.skip_occurrence";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Leave a scheduled contact's open occurrence out of its series (an exception) and move to the next.";
    type Input = VersionedIdInput;
    type Output = ScheduledContact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let Some(due) = before.due_at else { return Err(nothing_open()) };
        move_on(scope, &before, due, true).await
    }
}

pub struct SnoozeReminder;

impl Operation for SnoozeReminder {
    const NAME: &'static str = "interactions.snooze_reminder";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Remind of a scheduled contact's open occurrence again in some minutes.";
    type Input = SnoozeReminderInput;
    type Output = ScheduledContact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        if before.due_at.is_none() {
            return Err(nothing_open());
        }
        if !(1..=24 * 60).contains(&input.minutes) {
            return Err(ApiError::field("minutes", FieldCode::InvalidValue, "Snooze for 1 minute to 24 hours."));
        }
        let mut after = before.clone();
        after.remind_at = Some(scope.now + Duration::minutes(i64::from(input.minutes)));
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct TakeDueReminders;

impl Operation for TakeDueReminders {
    const NAME: &'static str = "interactions.take_due_reminders";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "The reminders due to the person asking, each given once, and when the next falls due.";
    type Input = TakeDueRemindersInput;
    type Output = DueReminders;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        queries::take_due(scope).await
    }
}

pub struct GetNextReminder;

impl Operation for GetNextReminder {
    const NAME: &'static str = "interactions.next_reminder";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "When the asker's next reminder falls due, and whether it has: the scheduler's one read.";
    type Input = NextReminderInput;
    type Output = NextReminder;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        let next_at = queries::next_reminder_at(scope).await?;
        Ok(NextReminder { next_at, due: next_at.is_some_and(|at| at <= scope.now) })
    }
}

pub struct ListOccurrences;

impl Operation for ListOccurrences {
    const NAME: &'static str = "interactions.list_occurrences";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "The scheduled contacts' occurrences in a period, by start: a person's or all in reach.";
    type Input = ListOccurrencesInput;
    type Output = Occurrences;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        queries::occurrences(scope, input).await
    }
}

pub struct UpdateScheduled;

impl Operation for UpdateScheduled {
    const NAME: &'static str = "interactions.update_scheduled";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Change a scheduled contact (the whole series): whom, what, when, how often, the reminder.";
    type Input = UpdateScheduledInput;
    type Output = ScheduledContact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let mut after = Model {
            topic_id: input.topic_id,
            channel: input.channel,
            contact_id: input.contact_id,
            organisation_id: input.organisation_id,
            responsible_id: input.responsible_id.unwrap_or(before.responsible_id),
            note: input.note,
            time_zone: input.time_zone,
            duration_minutes: input.duration_minutes.unwrap_or(before.duration_minutes),
            recurrence: input.recurrence,
            lead_minutes: input.lead_minutes.unwrap_or(before.lead_minutes),
            ..before.clone()
        };
        let mut errors = FieldErrors::default();
        after.note = validate::optional_text(&mut errors, "note", after.note.as_deref(), 10_000);
        let series = checked_series(&mut errors, &mut after, Some(input.starts_at));
        // Like a correction, what is kept is not checked again (a retired topic stays).
        if (after.contact_id, after.organisation_id) != (before.contact_id, before.organisation_id) {
            interactions::settle_whom(scope, &mut errors, after.contact_id, &mut after.organisation_id).await?;
        }
        if after.topic_id != before.topic_id {
            interactions::check_topic(scope, &mut errors, after.topic_id).await?;
        }
        let ownership = if after.responsible_id != before.responsible_id {
            Some(interactions::ownership_of(scope, &mut errors, after.responsible_id).await?)
        } else {
            None
        };
        errors.into_result()?;
        if let Some(series) = series {
            if after.when_differs(&before) {
                after.restart(&series, scope.now);
            } else if after.lead_minutes != before.lead_minutes && before.remind_at.is_some() {
                after.open(before.due_at);
            }
        }
        if let Some(ownership) = ownership {
            after.set_ownership(ownership);
        }
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct MoveOccurrence;

impl Operation for MoveOccurrence {
    const NAME: &'static str = "interactions.move_occurrence";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Move one occurrence to another time (dragged in the calendar): a once-only contact \
         moves; from a recurring series the occurrence is taken out as a once-only contact.";
    type Input = MoveOccurrenceInput;
    type Output = MovedOccurrence;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let series = before.series()?;
        let duration = input.duration_minutes.unwrap_or(before.duration_minutes);
        check_move(scope, &before, &series, &input, duration)?;
        let mut moved = Model { starts_at: input.to, duration_minutes: duration, ..before.clone() };
        if before.recurrence.is_none() {
            moved.restart(&moved.series()?, scope.now);
            let moved = records::update(scope, &before, moved, ChangeAction::Update).await?;
            return Ok(MovedOccurrence { series: moved.clone(), moved });
        }
        let left_out = leave_out(scope, &before, input.occurrence).await?;
        moved.id = Uuid::now_v7();
        moved.recurrence = None;
        moved.exceptions = serde_json::json!([]);
        moved.version = 1;
        moved.created_at = scope.now;
        moved.created_by = scope.actor.user_id;
        moved.updated_at = scope.now;
        moved.updated_by = scope.actor.user_id;
        moved.restart(&moved.series()?, scope.now);
        records::insert(scope, std::slice::from_mut(&mut moved)).await?;
        Ok(MovedOccurrence { series: left_out, moved })
    }
}

/// Refuses a move of an occurrence the series does not have, one already done, one to the
/// past, or one of a length no contact has.
fn check_move(
    scope: &Scope<'_>,
    before: &Model,
    series: &Recurrence,
    input: &MoveOccurrenceInput,
    duration: i32,
) -> Result<(), ApiError> {
    let mut errors = FieldErrors::default();
    if series.next_from(input.occurrence) != Some(input.occurrence) {
        errors.add(
            "occurrence",
            FieldCode::InvalidValue,
            "This occurrence is no longer in the series (it was moved or skipped). Reload the calendar.",
        );
    } else if before.due_at.is_none_or(|due| input.occurrence < due) {
        errors.add(
            "occurrence",
            FieldCode::InvalidValue,
            "A contact that is done stays when it happened. Correct its interaction instead.",
        );
    }
    if input.to < scope.now - Duration::minutes(1) {
        errors.add("to", FieldCode::InvalidValue, "Choose a time from now on: a contact is planned for the future.");
    }
    if !(1..=MAX_DURATION_MINUTES).contains(&duration) {
        errors.add("duration_minutes", FieldCode::InvalidValue, "A contact lasts between 1 minute and 24 hours.");
    }
    errors.into_result()
}

/// Takes `occurrence` out of a recurring series (an exception), moving the series on when it
/// was the open one.
async fn leave_out(scope: &Scope<'_>, before: &Model, occurrence: DateTime<Utc>) -> Result<Model, ApiError> {
    if before.due_at == Some(occurrence) {
        return move_on(scope, before, occurrence, true).await;
    }
    let mut after = before.clone();
    after.leave_out(occurrence);
    records::update(scope, before, after, ChangeAction::Update).await
}

pub struct ListScheduled;

impl Operation for ListScheduled {
    const NAME: &'static str = "interactions.list_scheduled";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "Scheduled contacts in reach — a person's, a contact's or an organisation's — open ones by when they are due.";
    type Input = ListScheduledInput;
    type Output = ScheduledList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        queries::scheduled(scope, input).await
    }
}

pub struct ExportCalendar;

impl Operation for ExportCalendar {
    const NAME: &'static str = "interactions.export_calendar";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Save a person's or the team's scheduled contacts (in reach) as an iCalendar \
         (.ics, RFC 5545) file other calendars open.";
    type Input = ExportCalendarInput;
    type Output = ExportedCalendar;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let path = accord_kernel::files::save_path(&input.path, accord_kernel::files::SaveFormat::Ics)?;
        let series = queries::all_series(scope, input.responsible_id).await?;
        let names = queries::Names::of(scope, &series).await?;
        let events: Vec<ics::Event> = series.iter().map(|m| ics::Event::of(m, &names)).collect();
        let text = ics::calendar(&events, scope.now)?;
        accord_kernel::files::write_whole(&path, text.as_bytes())?;
        let file_name = accord_kernel::files::file_name_of(&path);
        scope.audit_detail(format!("{} scheduled contacts to {file_name}", events.len()));
        Ok(ExportedCalendar { path: path.display().to_string(), events: events.len() as u32 })
    }
}

fn nothing_open() -> ApiError {
    ApiError::new(
        accord_kernel::error::ErrorCode::Conflict,
        "This scheduled contact has no open occurrence left: its series is over.",
    )
}

/// Closes the open occurrence `due` (done, or skipped into the exceptions) and opens the
/// series' next start, with its reminder.
async fn move_on(scope: &Scope<'_>, before: &Model, due: DateTime<Utc>, skip: bool) -> Result<Model, ApiError> {
    let mut after = before.clone();
    if skip {
        after.leave_out(due);
    }
    let next = after.series()?.next_after(due);
    after.open(next);
    records::update(scope, before, after, ChangeAction::Update).await
}
