//! The rules at work: after each writing operation, in its transaction, the event rules of
//! the kinds it changed are matched against each change and fire once per event; what their
//! actions create is matched in turn. Date rules fire from `workflow.run_due` (`dates.rs`).

use std::collections::{BTreeSet, HashMap, HashSet};

use accord_interactions::schedule::{self, ScheduleContactInput};
use accord_interactions::tasks::{self, TaskStatus};
use accord_kernel::catalogue::RecordKind;
use accord_kernel::changelog::{ChangeAction, RowChange};
use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::operation::{Operation, Reactions, Scope};
use accord_kernel::records::{self, Record};
use accord_kernel::segments;
use chrono::Duration;
use futures::future::BoxFuture;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use super::rules::{self, Action, Assignee, Trigger};
use super::stored::{firings, notices, outbox};
use crate::door::registry;

/// How many times the records rules create may fire rules in turn within one operation. Saved
/// rules cannot loop (`rules::check`), but two rules saved on two laptops offline could.
const ROUNDS_MOST: usize = 4;

/// The workflow rules as the runtime's reaction to writes.
pub struct Engine;

impl Reactions for Engine {
    fn react<'s, 'a>(&'s self, scope: &'s mut Scope<'a>) -> BoxFuture<'s, Result<(), ApiError>> {
        Box::pin(react(scope))
    }
}

async fn react(scope: &mut Scope<'_>) -> Result<(), ApiError> {
    let written = scope.take_written();
    if scope.user_role {
        // A user's own role writes only within their reach; a team server's rules service
        // runs the rules there (`service.rs`), and a door on it reacts to nothing.
        return Ok(());
    }
    react_to(scope, written).await.map(drop)
}

/// Fires the event rules `written` is an event for, then those what they wrote is an event
/// for (when the scope notes what is written), at most [`ROUNDS_MOST`] rounds; returns how
/// many fired.
pub(super) async fn react_to(scope: &mut Scope<'_>, mut written: Vec<RowChange>) -> Result<u64, ApiError> {
    let mut fired = 0;
    for _ in 0..ROUNDS_MOST {
        let events: Vec<&RowChange> =
            written.iter().filter(|c| matches!(c.action, ChangeAction::Insert | ChangeAction::Update)).collect();
        if events.is_empty() {
            return Ok(fired);
        }
        let tables: BTreeSet<&str> = events.iter().map(|c| c.table).collect();
        let listening = rules::Entity::find()
            .filter(rules::Column::DeletedAt.is_null())
            .filter(rules::Column::RecordTable.is_in(tables))
            .filter(rules::Column::TriggerKind.is_in(["created", "changed"]))
            .all(scope.tx)
            .await?;
        if listening.is_empty() {
            return Ok(fired);
        }
        let ready = prepare(scope, &listening).await?;
        let mut seen = HashSet::new();
        for change in events {
            // The rules this change is an event for; the record is read once, only then.
            let mut due = Vec::new();
            for (rule, trigger, condition, action) in ready.iter().filter(|r| r.0.record_table == change.table) {
                let event = match trigger {
                    Trigger::Created if change.action == ChangeAction::Insert => "created".to_owned(),
                    Trigger::Changed { field } if changes(change, field) => {
                        format!("changed:{}", scope.now.timestamp_micros())
                    }
                    _ => continue,
                };
                if seen.insert((rule.id, change.row_id)) {
                    due.push((*rule, condition, action, event));
                }
            }
            if due.is_empty() {
                continue;
            }
            let Some(kind) = registry::record_kind(change.table) else { continue };
            let Some(record) = record_of(scope, kind, change.row_id).await? else { continue };
            for (rule, condition, action, event) in due {
                if condition.as_ref().is_some_and(|checked| !segments::matches(checked, &record)) {
                    continue;
                }
                if fire(scope, rule, action, kind, change.row_id, &record, &event).await? {
                    fired += 1;
                }
            }
        }
        written = scope.take_written();
    }
    tracing::warn!("workflow rules kept firing each other; stopped after {ROUNDS_MOST} rounds");
    let _ = scope.take_written();
    Ok(fired)
}

/// The listening rules read once per round: trigger, condition checked against the kind's
/// fields as they are now, action. A rule whose condition names a field that is gone (a custom
/// field retired since) is left out, and the log says so.
async fn prepare<'r>(
    scope: &Scope<'_>,
    listening: &'r [rules::Model],
) -> Result<Vec<(&'r rules::Model, Trigger, Option<segments::Checked>, Action)>, ApiError> {
    let mut fields = HashMap::new();
    let mut ready = Vec::with_capacity(listening.len());
    for rule in listening {
        let (trigger, condition, action) = rule.parsed()?;
        let checked = match condition {
            None => None,
            Some(condition) => {
                let Some(kind) = registry::record_kind(&rule.record_table) else { continue };
                if !fields.contains_key(kind.table) {
                    fields.insert(kind.table, rules::fields_of(scope, kind).await?);
                }
                match segments::check(&condition, &fields[kind.table]) {
                    Ok(checked) => Some(checked),
                    Err(_) => {
                        tracing::warn!(rule = %rule.id, "a workflow rule's condition names a field that is gone");
                        continue;
                    }
                }
            }
        };
        ready.push((rule, trigger, checked, action));
    }
    Ok(ready)
}

/// Whether `change` sets `field` (`custom.<key>` for a custom value).
fn changes(change: &RowChange, field: &str) -> bool {
    match field.strip_prefix("custom.") {
        None => change.fields.contains_key(field),
        Some(key) => {
            change.fields.get(accord_kernel::custom_fields::COLUMN).is_some_and(|c| c.old.get(key) != c.new.get(key))
        }
    }
}

/// A record's fields as conditions and templates read them (custom values as `custom.<key>`).
pub(super) async fn record_of(scope: &Scope<'_>, kind: &RecordKind, id: Uuid) -> Result<Option<Value>, ApiError> {
    let mut found = kind.fields_by_id(scope, &[id]).await?;
    Ok(found.remove(&id).map(|mut record| {
        accord_kernel::custom_fields::explode(&mut record);
        record
    }))
}

/// Fires `rule` for one record at one event, unless it already fired for it (here, or on a
/// device this one synced with): does what it says and keeps the firing.
pub(super) async fn fire(
    scope: &mut Scope<'_>,
    rule: &rules::Model,
    action: &Action,
    kind: &RecordKind,
    record_id: Uuid,
    record: &Value,
    event: &str,
) -> Result<bool, ApiError> {
    let firing_id = firings::id_of(rule.id, record_id, event);
    if firings::Entity::find_by_id(firing_id).one(scope.tx).await?.is_some() {
        return Ok(false);
    }
    let title = title_of(scope, kind, record_id).await?;
    let fill = |text: &str| fill(text, &title, record);
    let outcome = match act(scope, rule, action, kind, record_id, record, &fill).await {
        Ok(outcome) => outcome,
        // The rule could not act on this record (a topic retired since): the firing is kept
        // without an outcome, so it is not tried again, and the person's change still saves.
        Err(e) if e.code != ErrorCode::Internal && e.code != ErrorCode::Busy => {
            tracing::warn!(rule = %rule.id, code = ?e.code, "a workflow rule could not act");
            None
        }
        Err(e) => return Err(e),
    };
    let mut firing = firings::Model {
        id: firing_id,
        rule_id: rule.id,
        record_table: kind.table.to_owned(),
        record_id,
        event_key: event.chars().take(100).collect(),
        fired_at: scope.now,
        outcome_table: outcome.map(|(table, _)| table.to_owned()),
        outcome_id: outcome.map(|(_, id)| id),
        version: 1,
        created_at: scope.now,
        updated_at: scope.now,
        created_by: scope.actor.user_id,
        updated_by: scope.actor.user_id,
        deleted_at: None,
        owner_id: rule.owner_id,
        department_id: None,
    };
    records::insert(scope, std::slice::from_mut(&mut firing)).await?;
    Ok(true)
}

async fn act(
    scope: &mut Scope<'_>,
    rule: &rules::Model,
    action: &Action,
    kind: &RecordKind,
    record_id: Uuid,
    record: &Value,
    fill: &(dyn Fn(&str) -> String + Sync),
) -> Result<Option<(&'static str, Uuid)>, ApiError> {
    let (contact_id, organisation_id) = customer_of(kind, record_id, record);
    match action {
        Action::CreateTask { title, description, responsible, controller_id, deadline_days } => {
            let deadline = match deadline_days {
                0 => scope.now + Duration::hours(8),
                days => scope.now + Duration::days(i64::from(*days)),
            };
            let (about_table, about_id) = match (contact_id, organisation_id) {
                (Some(_), _) | (_, Some(_)) if matches!(kind.table, "contacts" | "organisations") => (None, None),
                _ => (Some(kind.table.to_owned()), Some(record_id)),
            };
            let task = tasks::Model {
                id: Uuid::now_v7(),
                title: fill(title),
                description: description.as_deref().map(fill),
                responsible_id: assignee(scope, responsible, record),
                controller_id: *controller_id,
                deadline,
                status: TaskStatus::Open,
                result: None,
                return_note: None,
                delegations: serde_json::json!([]),
                contact_id,
                organisation_id,
                about_table,
                about_id,
                rule_id: Some(rule.id),
                finished_at: None,
                version: 1,
                created_at: scope.now,
                updated_at: scope.now,
                created_by: scope.actor.user_id,
                updated_by: scope.actor.user_id,
                deleted_at: None,
                owner_id: None,
                department_id: None,
            };
            let task = tasks::create_for_rule(scope, task).await?;
            Ok(Some((tasks::Model::TABLE, task.id)))
        }
        Action::ScheduleContact { topic_id, channel, responsible, days, at, time_zone, note } => {
            let zone: chrono_tz::Tz = time_zone.parse().map_err(|_| {
                ApiError::field(
                    "time_zone",
                    accord_kernel::error::FieldCode::InvalidValue,
                    "The rule's zone is unknown.",
                )
            })?;
            let day = scope.now.with_timezone(&zone).date_naive() + Duration::days(i64::from(*days));
            let input = ScheduleContactInput {
                topic_id: *topic_id,
                channel: *channel,
                contact_id,
                organisation_id: if contact_id.is_some() { None } else { organisation_id },
                responsible_id: Some(assignee(scope, responsible, record)),
                note: note.as_deref().map(fill),
                starts_at: day.and_time(*at),
                time_zone: time_zone.clone(),
                duration_minutes: None,
                recurrence: None,
                lead_minutes: None,
            };
            let scheduled = schedule::ScheduleContact::run(scope, input).await?;
            Ok(Some((schedule::Model::TABLE, scheduled.id)))
        }
        Action::Notify { recipients, message } => {
            let mut sent = Vec::new();
            for recipient in recipients {
                let Ok(person) = accord_security::users::active_colleague(scope, *recipient, "recipients").await else {
                    continue;
                };
                sent.push(notices::Model {
                    id: Uuid::now_v7(),
                    recipient_id: person.id,
                    title: rule.name.clone(),
                    body: Some(fill(message)),
                    about_table: Some(kind.table.to_owned()),
                    about_id: Some(record_id),
                    rule_id: Some(rule.id),
                    shown_at: None,
                    version: 1,
                    created_at: scope.now,
                    updated_at: scope.now,
                    created_by: scope.actor.user_id,
                    updated_by: scope.actor.user_id,
                    deleted_at: None,
                    owner_id: Some(person.id),
                    department_id: person.department_id,
                });
            }
            records::insert(scope, &mut sent).await?;
            Ok(sent.first().map(|n| (notices::Model::TABLE, n.id)))
        }
        Action::Email { to, subject, body } => {
            let to = fill(to);
            if !to.contains('@') {
                return Err(ApiError::field("to", accord_kernel::error::FieldCode::InvalidValue, "no address"));
            }
            let mut email = outbox::Model {
                id: Uuid::now_v7(),
                to_address: to,
                subject: fill(subject),
                body: Some(fill(body)),
                status: "queued".to_owned(),
                about_table: Some(kind.table.to_owned()),
                about_id: Some(record_id),
                rule_id: Some(rule.id),
                version: 1,
                created_at: scope.now,
                updated_at: scope.now,
                created_by: scope.actor.user_id,
                updated_by: scope.actor.user_id,
                deleted_at: None,
                owner_id: rule.owner_id,
                department_id: None,
            };
            records::insert(scope, std::slice::from_mut(&mut email)).await?;
            Ok(Some((outbox::Model::TABLE, email.id)))
        }
    }
}

/// The contact and organisation a record is about: itself, or those it names.
fn customer_of(kind: &RecordKind, id: Uuid, record: &Value) -> (Option<Uuid>, Option<Uuid>) {
    let named = |field: &str| record.get(field).and_then(Value::as_str).and_then(|s| s.parse().ok());
    match kind.table {
        "contacts" => (Some(id), named("organisation_id")),
        "organisations" => (None, Some(id)),
        _ => (named("contact_id"), named("organisation_id")),
    }
}

fn assignee(scope: &Scope<'_>, who: &Assignee, record: &Value) -> Uuid {
    match who {
        Assignee::Person { id } => *id,
        Assignee::RecordOwner => {
            record.get("owner_id").and_then(Value::as_str).and_then(|s| s.parse().ok()).unwrap_or(scope.actor.user_id)
        }
    }
}

/// How people call the record: its search title, or its kind.
async fn title_of(scope: &Scope<'_>, kind: &RecordKind, id: Uuid) -> Result<String, ApiError> {
    let Some(entity) = kind.search_entity else { return Ok(kind.label.to_owned()) };
    let hits = accord_kernel::search::titles(scope, &[id], &[entity]).await?;
    Ok(hits.into_iter().next().map_or_else(|| kind.label.to_owned(), |hit| hit.title))
}

/// `text` with `{record}` as the record's title and `{field}` as that field's value; a name
/// the record does not have is left as written.
pub(super) fn fill(text: &str, title: &str, record: &Value) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match (name, record.get(name)) {
            ("record", _) => out.push_str(title),
            (_, Some(Value::String(s))) => out.push_str(s),
            (_, Some(Value::Number(n))) => out.push_str(&n.to_string()),
            (_, Some(Value::Null)) => {}
            _ => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;
    use serde_json::json;

    #[test]
    fn fills_the_record_and_its_fields_and_keeps_what_it_does_not_know() {
        let record = json!({"email": "a@b.ir", "custom.birthday": "1990-03-21", "phone": null, "n": 3});
        assert_eq!(fill("Call {record} ({email})", "Zahra Ahmadi", &record), "Call Zahra Ahmadi (a@b.ir)");
        assert_eq!(fill("{custom.birthday}/{n}/{phone}", "x", &record), "1990-03-21/3/");
        assert_eq!(fill("{unknown} {record", "x", &record), "{unknown} {record");
        assert_eq!(fill("تولد {record} مبارک", "زهرا", &record), "تولد زهرا مبارک");
    }
}
