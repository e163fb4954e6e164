//! The reads behind scheduled contacts: the reminders due to someone (taken once), and the
//! occurrences of the series in a period.

use super::*;
use accord_customers::{contacts, organisations};
use std::collections::HashMap;

/// The most reminders one take hands over; the rest follow at once on the next.
const REMINDERS_PER_TAKE: u64 = 100;

/// The actor's reminders whose time has come, marked raised in the same transaction so no
/// other window, device or restart raises them again; and when their next one is due.
pub(super) async fn take_due(scope: &Scope<'_>) -> Result<DueReminders, ApiError> {
    let me = scope.actor.user_id;
    let due: Vec<Model> = records::find::<Model>(scope)
        .filter(Column::ResponsibleId.eq(me))
        .filter(Column::DeletedAt.is_null())
        .filter(Column::RemindAt.lte(scope.now))
        .order_by_asc(Column::RemindAt)
        .limit(REMINDERS_PER_TAKE)
        .all(scope.tx)
        .await?;
    let changes = due
        .iter()
        .map(|before| {
            let mut after = before.clone();
            after.remind_at = None;
            (before.clone(), after)
        })
        .collect();
    // Each one's `remind_at` changes, so each is stored (or the whole take fails).
    records::update_all(scope, changes, ChangeAction::Update).await?;
    let next_at = next_reminder_at(scope).await?;
    Ok(DueReminders { reminders: describe(scope, &due).await?, next_at })
}

/// When the actor's next reminder falls due (by the reminders' index).
pub(super) async fn next_reminder_at(scope: &Scope<'_>) -> Result<Option<DateTime<Utc>>, ApiError> {
    Ok(records::find::<Model>(scope)
        .select_only()
        .column(Column::RemindAt)
        .filter(Column::ResponsibleId.eq(scope.actor.user_id))
        .filter(Column::DeletedAt.is_null())
        .filter(Column::RemindAt.is_not_null())
        .order_by_asc(Column::RemindAt)
        .into_tuple::<Option<DateTime<Utc>>>()
        .one(scope.tx)
        .await?
        .flatten())
}

/// What each taken reminder's notification says.
async fn describe(scope: &Scope<'_>, due: &[Model]) -> Result<Vec<Reminder>, ApiError> {
    let names = Names::of(scope, due).await?;
    Ok(due
        .iter()
        .filter_map(|m| {
            Some(Reminder {
                scheduled_id: m.id,
                due_at: m.due_at?,
                time_zone: m.time_zone.clone(),
                channel: m.channel,
                topic: names.topic(m.topic_id),
                contact_name: names.title(m.contact_id),
                organisation_name: names.title(m.organisation_id),
                note: m.note.clone(),
            })
        })
        .collect())
}

/// The names shown beside series: their topics', and their contacts' and organisations' in
/// reach, as search shows them.
pub(super) struct Names {
    topics: HashMap<Uuid, String>,
    titles: HashMap<Uuid, String>,
}

impl Names {
    pub(super) async fn of<'m>(
        scope: &Scope<'_>,
        series: impl IntoIterator<Item = &'m Model> + Clone,
    ) -> Result<Self, ApiError> {
        let topic_ids: std::collections::BTreeSet<Uuid> = series.clone().into_iter().map(|m| m.topic_id).collect();
        let topics = records::find::<topics::Model>(scope)
            .filter(topics::Column::Id.is_in(topic_ids))
            .all(scope.tx)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let ids: Vec<Uuid> = series.into_iter().flat_map(|m| [m.contact_id, m.organisation_id]).flatten().collect();
        let entities = [contacts::SEARCH_ENTITY, organisations::SEARCH_ENTITY];
        let titles = accord_kernel::search::titles(scope, &ids, &entities)
            .await?
            .into_iter()
            .map(|hit| (hit.id, hit.title))
            .collect();
        Ok(Self { topics, titles })
    }

    pub(super) fn topic(&self, id: Uuid) -> String {
        self.topics.get(&id).cloned().unwrap_or_default()
    }

    pub(super) fn title(&self, id: Option<Uuid>) -> Option<String> {
        id.and_then(|id| self.titles.get(&id).cloned())
    }

    /// Whom a series is with, for a calendar's title: the contact, at the organisation.
    pub(super) fn whom(&self, series: &Model) -> Option<String> {
        match (self.title(series.contact_id), self.title(series.organisation_id)) {
            (Some(contact), Some(organisation)) => Some(format!("{contact} ({organisation})")),
            (contact, organisation) => contact.or(organisation),
        }
    }
}

/// A calendar reads at most a year at once.
const MAX_PERIOD_DAYS: i64 = 366;

pub(super) async fn occurrences(scope: &Scope<'_>, input: ListOccurrencesInput) -> Result<Occurrences, ApiError> {
    if input.to <= input.from || input.to - input.from > Duration::days(MAX_PERIOD_DAYS) {
        return Err(ApiError::field(
            "to",
            FieldCode::InvalidValue,
            "Choose a period that ends after it starts and lasts at most a year.",
        ));
    }
    let mut select =
        records::find::<Model>(scope).filter(Column::DeletedAt.is_null()).filter(Column::StartsAt.lt(input.to)).filter(
            sea_orm::Condition::any()
                .add(Column::EndsAt.is_null())
                .add(Column::EndsAt.gte(input.from - Duration::days(1))),
        );
    if let Some(responsible) = input.responsible_id {
        select = select.filter(Column::ResponsibleId.eq(responsible));
    }
    let all = select.all(scope.tx).await?;
    let mut found = Vec::new();
    for series in &all {
        let length = Duration::minutes(i64::from(series.duration_minutes));
        // An occurrence that began before the period and still runs in it is shown too.
        for start in series.series()?.between(input.from - length, input.to) {
            if start + length > input.from {
                found.push((series, start, length));
            }
        }
    }
    // Only the series shown are named (a team's week reads thousands that have none in it).
    let mut shown: Vec<&Model> = found.iter().map(|(series, ..)| *series).collect();
    shown.dedup_by_key(|series| series.id);
    let names = Names::of(scope, shown.iter().copied()).await?;
    let mut items: Vec<Occurrence> = found
        .into_iter()
        .map(|(series, start, length)| Occurrence {
            scheduled_id: series.id,
            version: series.version,
            starts_at: start,
            ends_at: start + length,
            state: match series.due_at {
                Some(due) if start == due => OccurrenceState::Due,
                Some(due) if start > due => OccurrenceState::Planned,
                _ => OccurrenceState::Done,
            },
            channel: series.channel,
            topic_id: series.topic_id,
            responsible_id: series.responsible_id,
            contact_id: series.contact_id,
            organisation_id: series.organisation_id,
            recurring: series.recurrence.is_some(),
            note: series.note.clone(),
            time_zone: series.time_zone.clone(),
            topic: names.topic(series.topic_id),
            contact_name: names.title(series.contact_id),
            organisation_name: names.title(series.organisation_id),
        })
        .collect();
    items.sort_by_key(|o| (o.starts_at, o.scheduled_id));
    Ok(Occurrences { items })
}

/// The most series one list shows.
const LISTED_MOST: u64 = 200;

/// Series in reach (a person's, a contact's, an organisation's): open ones by when they are
/// due, then — asked for — those that are over, latest first.
pub(super) async fn scheduled(scope: &Scope<'_>, input: ListScheduledInput) -> Result<ScheduledList, ApiError> {
    let mut select = records::find::<Model>(scope).filter(Column::DeletedAt.is_null());
    if let Some(id) = input.responsible_id {
        select = select.filter(Column::ResponsibleId.eq(id));
    }
    if let Some(id) = input.contact_id {
        select = select.filter(Column::ContactId.eq(id));
    }
    if let Some(id) = input.organisation_id {
        select = select.filter(Column::OrganisationId.eq(id));
    }
    let mut series = select
        .clone()
        .filter(Column::DueAt.is_not_null())
        .order_by_asc(Column::DueAt)
        .order_by_asc(Column::Id)
        .limit(LISTED_MOST)
        .all(scope.tx)
        .await?;
    if input.include_over.unwrap_or(false) && (series.len() as u64) < LISTED_MOST {
        let rest = LISTED_MOST - series.len() as u64;
        series.extend(
            select.filter(Column::DueAt.is_null()).order_by_desc(Column::StartsAt).limit(rest).all(scope.tx).await?,
        );
    }
    let names = Names::of(scope, &series).await?;
    let items = series
        .into_iter()
        .map(|m| ScheduledSummary {
            topic: names.topic(m.topic_id),
            contact_name: names.title(m.contact_id),
            organisation_name: names.title(m.organisation_id),
            scheduled: m,
        })
        .collect();
    Ok(ScheduledList { items })
}

/// Every series in reach, or one person's, by first start: what a calendar file holds.
pub(super) async fn all_series(scope: &Scope<'_>, responsible_id: Option<Uuid>) -> Result<Vec<Model>, ApiError> {
    let mut select = records::find::<Model>(scope).filter(Column::DeletedAt.is_null());
    if let Some(id) = responsible_id {
        select = select.filter(Column::ResponsibleId.eq(id));
    }
    Ok(select.order_by_asc(Column::StartsAt).order_by_asc(Column::Id).all(scope.tx).await?)
}
