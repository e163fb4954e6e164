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
    let topic_names: HashMap<Uuid, String> = records::find::<topics::Model>(scope)
        .filter(topics::Column::Id.is_in(due.iter().map(|m| m.topic_id)))
        .all(scope.tx)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let ids: Vec<Uuid> = due.iter().flat_map(|m| [m.contact_id, m.organisation_id]).flatten().collect();
    let names: HashMap<Uuid, String> =
        accord_kernel::search::titles(scope, &ids, &[contacts::SEARCH_ENTITY, organisations::SEARCH_ENTITY])
            .await?
            .into_iter()
            .map(|hit| (hit.id, hit.title))
            .collect();
    let name = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned());
    Ok(due
        .iter()
        .filter_map(|m| {
            Some(Reminder {
                scheduled_id: m.id,
                due_at: m.due_at?,
                time_zone: m.time_zone.clone(),
                channel: m.channel,
                topic: topic_names.get(&m.topic_id).cloned().unwrap_or_default(),
                contact_name: name(m.contact_id),
                organisation_name: name(m.organisation_id),
                note: m.note.clone(),
            })
        })
        .collect())
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
    let mut items = Vec::new();
    for series in select.all(scope.tx).await? {
        let length = Duration::minutes(i64::from(series.duration_minutes));
        // An occurrence that began before the period and still runs in it is shown too.
        for start in series.series()?.between(input.from - length, input.to) {
            if start + length <= input.from {
                continue;
            }
            let state = match series.due_at {
                Some(due) if start == due => OccurrenceState::Due,
                Some(due) if start > due => OccurrenceState::Planned,
                _ => OccurrenceState::Done,
            };
            items.push(Occurrence {
                scheduled_id: series.id,
                version: series.version,
                starts_at: start,
                ends_at: start + length,
                state,
                channel: series.channel,
                topic_id: series.topic_id,
                responsible_id: series.responsible_id,
                contact_id: series.contact_id,
                organisation_id: series.organisation_id,
                recurring: series.recurrence.is_some(),
                note: series.note.clone(),
            });
        }
    }
    items.sort_by_key(|o| (o.starts_at, o.scheduled_id));
    Ok(Occurrences { items })
}
