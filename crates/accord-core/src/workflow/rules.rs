//! A workflow rule as stored, what it listens for and what it does, and the checks a rule
//! must pass before it is saved — among them that no chain of rules leads back to itself.

use std::collections::{BTreeSet, HashMap};

use accord_interactions::interactions::Channel;
use accord_kernel::catalogue::RecordKind;
use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::operation::Scope;
use accord_kernel::records::{self, Archivable, Archive, Record, Restorable, Restore};
use accord_kernel::search::SearchDocument;
use accord_kernel::security::Permission;
use accord_kernel::segments::{self, FieldSpec, FieldType, Filter};
use chrono::{DateTime, NaiveTime, Utc};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::door::registry;

/// What a rule listens for on its kind of record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[ts(rename = "RuleTrigger")]
pub enum Trigger {
    /// A record is created.
    Created,
    /// A field changes (on a new record too); with a condition `field is X`, "is set to X".
    Changed { field: String },
    /// A date field's day comes, `days` after it (before it when negative); `yearly` repeats
    /// it every year on the day and month (a birthday).
    DateReached {
        field: String,
        days: i32,
        #[serde(default)]
        #[ts(optional)]
        yearly: Option<bool>,
    },
    /// Nothing happens with a customer (a contact or an organisation) for `days` days: no
    /// interaction with them logged, no change to the record. Once per quiet spell.
    Quiet { days: i32 },
}

impl Trigger {
    pub fn kind(&self) -> &'static str {
        match self {
            Trigger::Created => "created",
            Trigger::Changed { .. } => "changed",
            Trigger::DateReached { .. } => "date_reached",
            Trigger::Quiet { .. } => "quiet",
        }
    }

    fn is_event(&self) -> bool {
        matches!(self, Trigger::Created | Trigger::Changed { .. })
    }
}

/// Who a task or a scheduled contact a rule creates is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[ts(rename = "RuleAssignee")]
pub enum Assignee {
    /// The person the record belongs to (its owner); the one who made the change when none.
    RecordOwner,
    /// One named colleague.
    Person { id: Uuid },
}

/// What a rule does when it fires. Texts may name the record as `{record}` and any of its
/// fields as `{field}` (`{email}`, `{custom.birthday}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[ts(rename = "RuleAction")]
pub enum Action {
    CreateTask {
        title: String,
        #[serde(default)]
        #[ts(optional)]
        description: Option<String>,
        responsible: Assignee,
        #[serde(default)]
        #[ts(optional)]
        controller_id: Option<Uuid>,
        /// The deadline, this many days after the rule fires (0: the same day's end).
        deadline_days: i32,
    },
    ScheduleContact {
        topic_id: Uuid,
        channel: Channel,
        responsible: Assignee,
        /// This many days after the rule fires, at `at` in `time_zone`.
        days: i32,
        #[ts(type = "string")]
        at: NaiveTime,
        time_zone: String,
        #[serde(default)]
        #[ts(optional)]
        note: Option<String>,
    },
    /// A native notification to each person, at once (the next time their Accord looks: within
    /// a minute).
    Notify { recipients: Vec<Uuid>, message: String },
    /// An email, queued until the mail integration sends it.
    Email { to: String, subject: String, body: String },
}

impl Action {
    pub fn kind(&self) -> &'static str {
        match self {
            Action::CreateTask { .. } => "create_task",
            Action::ScheduleContact { .. } => "schedule_contact",
            Action::Notify { .. } => "notify",
            Action::Email { .. } => "email",
        }
    }

    /// The kind of record the action creates, which may fire other rules.
    pub fn creates(&self) -> &'static str {
        match self {
            Action::CreateTask { .. } => accord_interactions::tasks::Model::TABLE,
            Action::ScheduleContact { .. } => accord_interactions::schedule::Model::TABLE,
            Action::Notify { .. } => super::stored::notices::Model::TABLE,
            Action::Email { .. } => super::stored::outbox::Model::TABLE,
        }
    }
}

/// A rule as stored and as the administrator's screen receives it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "workflow_rules")]
#[ts(rename = "WorkflowRule")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub record_table: String,
    #[serde(skip)]
    #[ts(skip)]
    pub trigger_kind: String,
    #[ts(type = "RuleTrigger")]
    pub trigger: Json,
    #[ts(type = "SegmentFilter | null")]
    pub condition: Option<Json>,
    #[serde(skip)]
    #[ts(skip)]
    pub action_kind: String,
    #[ts(type = "RuleAction")]
    pub action: Json,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    /// When it was switched off: it fires no more; what it did stays.
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type WorkflowRule = Model;

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "workflow_rules";
    const LABEL: &'static str = "workflow rule";
    const READ_PERMISSION: Permission = super::permissions::READ;
    const WRITE_PERMISSION: Permission = super::permissions::MANAGE;

    // A rule is the organisation's, whoever wrote it.
    accord_kernel::shared_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        None
    }

    /// The trigger's and the action's kinds, the columns the engine selects rules by, follow
    /// from the rule's JSON; derived here, they are right wherever the rule arrives (sync
    /// carries the fields people set, not these).
    fn derive(&mut self) -> bool {
        let kind_of = |json: &Json| json.get("type").and_then(|t| t.as_str()).unwrap_or_default().to_owned();
        let (trigger_kind, action_kind) = (kind_of(&self.trigger), kind_of(&self.action));
        let changed = trigger_kind != self.trigger_kind || action_kind != self.action_kind;
        self.trigger_kind = trigger_kind;
        self.action_kind = action_kind;
        changed
    }
}

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "workflow.switch_off";
    const ARCHIVE_PERMISSION: Permission = super::permissions::MANAGE;
    const ARCHIVE_SUMMARY: &'static str = "Switch a workflow rule off: it fires no more; what it did is kept.";
}

impl Restorable for Model {
    const RESTORE_OPERATION: &'static str = "workflow.switch_on";
    const RESTORE_SUMMARY: &'static str = "Switch a workflow rule on again.";
}

/// `workflow.switch_off`.
pub type SwitchOff = Archive<Model>;
/// `workflow.switch_on`.
pub type SwitchOn = Restore<Model>;

impl Model {
    pub fn parsed(&self) -> Result<(Trigger, Option<Filter>, Action), ApiError> {
        let broken =
            |e: serde_json::Error| ApiError::internal(format!("a stored workflow rule could not be read: {e}"));
        let trigger = serde_json::from_value(self.trigger.clone()).map_err(broken)?;
        let condition = self.condition.clone().map(serde_json::from_value).transpose().map_err(broken)?;
        let action = serde_json::from_value(self.action.clone()).map_err(broken)?;
        Ok((trigger, condition, action))
    }
}

/// A rule's definition, as `workflow.define` and `workflow.update` take it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RuleDefinition {
    pub name: String,
    /// The kind of record it listens to (`contacts`, `organisations`, `interactions`, `tasks`…).
    pub record_table: String,
    pub trigger: Trigger,
    /// Which records it fires for; all when absent.
    #[serde(default)]
    #[ts(optional)]
    pub condition: Option<Filter>,
    pub action: Action,
}

const NAME_MAX: usize = 200;
const TEXT_MAX: usize = 4_000;
const RECIPIENTS_MOST: usize = 50;

/// Checks a definition: a kind rules may listen to, fields it has, an action whose people,
/// topic and zone exist, and no chain of rules leading back to this one (`id`: the rule being
/// changed, if any).
pub async fn check(scope: &Scope<'_>, definition: &mut RuleDefinition, id: Option<Uuid>) -> Result<(), ApiError> {
    let mut errors = FieldErrors::default();
    definition.name = accord_kernel::validate::required_text(&mut errors, "name", &definition.name, NAME_MAX);
    let Some(kind) = listenable().find(|k| k.table == definition.record_table) else {
        let tables: Vec<&str> = listenable().map(|k| k.table).collect();
        errors.add(
            "record_table",
            FieldCode::InvalidValue,
            format!("Rules cannot listen to \"{}\". Use {}.", definition.record_table, tables.join(", ")),
        );
        return errors.into_result();
    };
    let fields = fields_of(scope, kind).await?;
    check_trigger(&mut errors, &definition.trigger, &fields);
    if let Trigger::Quiet { days } = definition.trigger {
        if super::dates::QUIET_KINDS.iter().all(|(table, _)| *table != kind.table) {
            errors.add(
                "trigger.type",
                FieldCode::InvalidValue,
                "Only contacts and organisations have interactions to fall quiet; choose one of them.",
            );
        }
        if !(1..=3660).contains(&days) {
            errors.add("trigger.days", FieldCode::InvalidValue, "Give 1 to 3,660 days.");
        }
    }
    if let Some(condition) = &definition.condition {
        if fields.is_empty() {
            errors.add(
                "condition",
                FieldCode::InvalidValue,
                format!("A rule on {}s cannot have a condition.", kind.label),
            );
        } else if let Err(refused) = segments::check(condition, &fields) {
            errors.merge_from(refused)?;
        }
    }
    check_action(scope, &mut errors, kind, &mut definition.action).await?;
    errors.into_result()?;
    check_no_loop(scope, definition, id).await
}

/// The kinds rules may listen to: every registered kind but the workflow's own (a rule on
/// what rules leave behind would be about the rules, not the work).
pub fn listenable() -> impl Iterator<Item = &'static RecordKind> {
    const OWN: [&str; 4] = ["workflow_rules", "rule_firings", "notices", "outbox"];
    registry::record_kinds().filter(|k| !OWN.contains(&k.table))
}

/// The fields a rule on `kind` may name: those segments may select it by, its custom ones
/// included; none for a kind that declared none.
pub async fn fields_of(scope: &Scope<'_>, kind: &RecordKind) -> Result<Vec<FieldSpec>, ApiError> {
    let Some(segment) = kind.segment.as_ref() else { return Ok(Vec::new()) };
    let definitions = accord_kernel::custom_fields::definitions_of(scope, kind.table, false).await?;
    Ok(segments::fields_of(segment.fields, &definitions))
}

fn check_trigger(errors: &mut FieldErrors, trigger: &Trigger, fields: &[FieldSpec]) {
    let field = match trigger {
        Trigger::Created => return,
        Trigger::Quiet { .. } => return,
        Trigger::Changed { field } | Trigger::DateReached { field, .. } => field,
    };
    let Some(spec) = fields.iter().find(|f| &f.field == field) else {
        let offered: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        errors.add(
            "trigger.field",
            FieldCode::InvalidValue,
            if offered.is_empty() {
                "Rules on this kind of record can listen only to new records.".to_owned()
            } else {
                format!("There is no field \"{field}\" here; choose one of {}.", offered.join(", "))
            },
        );
        return;
    };
    if let Trigger::DateReached { days, .. } = trigger {
        if spec.field_type != FieldType::Date {
            errors.add(
                "trigger.field",
                FieldCode::InvalidValue,
                "Choose a date field: the rule fires when its day comes.",
            );
        }
        if days.abs() > 3660 {
            errors.add("trigger.days", FieldCode::InvalidValue, "Say at most 3,660 days (ten years) before or after.");
        }
    }
}

async fn check_action(
    scope: &Scope<'_>,
    errors: &mut FieldErrors,
    kind: &RecordKind,
    action: &mut Action,
) -> Result<(), ApiError> {
    match action {
        Action::CreateTask { title, description, responsible, controller_id, deadline_days } => {
            *title = accord_kernel::validate::required_text(errors, "action.title", title, 300);
            *description =
                accord_kernel::validate::optional_text(errors, "action.description", description.as_deref(), TEXT_MAX);
            check_assignee(scope, errors, responsible, "action.responsible").await?;
            if let Some(controller) = controller_id {
                colleague(scope, errors, *controller, "action.controller_id").await?;
            }
            if !(0..=3660).contains(deadline_days) {
                errors.add("action.deadline_days", FieldCode::InvalidValue, "Give 0 to 3,660 days for the deadline.");
            }
        }
        Action::ScheduleContact { topic_id, responsible, days, time_zone, note, .. } => {
            if let Err(refused) = accord_interactions::topics::active(scope, *topic_id, "action.topic_id").await {
                errors.merge_from(refused)?;
            }
            check_assignee(scope, errors, responsible, "action.responsible").await?;
            if time_zone.parse::<chrono_tz::Tz>().is_err() {
                errors.add(
                    "action.time_zone",
                    FieldCode::InvalidValue,
                    format!(
                        "\"{time_zone}\" is not a time zone; use an IANA name such as Europe/Moscow or Asia/Tehran."
                    ),
                );
            }
            if !(0..=3660).contains(days) {
                errors.add("action.days", FieldCode::InvalidValue, "Give 0 to 3,660 days.");
            }
            *note = accord_kernel::validate::optional_text(errors, "action.note", note.as_deref(), TEXT_MAX);
            let names_customer = matches!(kind.table, "contacts" | "organisations")
                || kind.references.iter().any(|r| matches!(r.table, "contacts" | "organisations"));
            if !names_customer {
                errors.add(
                    "action.type",
                    FieldCode::InvalidValue,
                    format!(
                        "A {} names no contact or organisation to schedule a contact with; create a task instead.",
                        kind.label
                    ),
                );
            }
        }
        Action::Notify { recipients, message } => {
            *message = accord_kernel::validate::required_text(errors, "action.message", message, TEXT_MAX);
            let unique: BTreeSet<Uuid> = recipients.iter().copied().collect();
            *recipients = unique.into_iter().collect();
            if recipients.is_empty() {
                errors.add("action.recipients", FieldCode::Required, "Choose who is notified.");
            } else if recipients.len() > RECIPIENTS_MOST {
                errors.add(
                    "action.recipients",
                    FieldCode::InvalidValue,
                    format!("Notify at most {RECIPIENTS_MOST} people."),
                );
            }
            for (n, id) in recipients.iter().enumerate() {
                colleague(scope, errors, *id, &format!("action.recipients.{n}")).await?;
            }
        }
        Action::Email { to, subject, body } => {
            *to = accord_kernel::validate::required_text(errors, "action.to", to, 320);
            let names_a_field = to.starts_with('{') && to.ends_with('}');
            if !to.contains('@') && !names_a_field {
                errors.add(
                    "action.to",
                    FieldCode::InvalidValue,
                    "Give an email address, or the record's email field as {email}.",
                );
            }
            *subject = accord_kernel::validate::required_text(errors, "action.subject", subject, 300);
            *body = accord_kernel::validate::required_text(errors, "action.body", body, TEXT_MAX);
        }
    }
    Ok(())
}

async fn check_assignee(
    scope: &Scope<'_>,
    errors: &mut FieldErrors,
    who: &Assignee,
    field: &str,
) -> Result<(), ApiError> {
    match who {
        Assignee::RecordOwner => Ok(()),
        Assignee::Person { id } => colleague(scope, errors, *id, &format!("{field}.id")).await,
    }
}

async fn colleague(scope: &Scope<'_>, errors: &mut FieldErrors, id: Uuid, field: &str) -> Result<(), ApiError> {
    match accord_security::users::active_colleague(scope, id, field).await {
        Ok(_) => Ok(()),
        Err(refused) => errors.merge_from(refused),
    }
}

/// Refuses a rule that would fire itself again: its action creates a record another event
/// rule listens to, whose action creates one … back to this rule. A loop would make every
/// save create records without end.
async fn check_no_loop(scope: &Scope<'_>, definition: &RuleDefinition, id: Option<Uuid>) -> Result<(), ApiError> {
    if !definition.trigger.is_event() {
        return Ok(());
    }
    let stored: Vec<Model> = records::find_unscoped::<Model>()
        .filter(Column::DeletedAt.is_null())
        .filter(Column::TriggerKind.is_in(["created", "changed"]))
        .all(scope.tx)
        .await?;
    // Each event rule as (listens to, creates), this one as it would be saved.
    let me = id.unwrap_or_else(Uuid::nil);
    let mut rules: HashMap<Uuid, (String, &'static str, String)> = HashMap::new();
    for rule in stored.iter().filter(|r| r.id != me) {
        let (_, _, action) = rule.parsed()?;
        rules.insert(rule.id, (rule.record_table.clone(), action.creates(), rule.name.clone()));
    }
    rules.insert(me, (definition.record_table.clone(), definition.action.creates(), definition.name.clone()));
    // Walk from this rule along "creates what the next listens to"; coming back is a loop.
    let mut path = vec![me];
    if let Some(cycle) = walk(&rules, me, me, &mut path) {
        let names: Vec<String> = cycle.iter().map(|id| format!("“{}”", rules[id].2)).collect();
        return Err(ApiError::field(
            "action",
            FieldCode::InvalidValue,
            format!(
                "This rule would trigger itself without end: {} → back to the start. Change what it does or what it listens to.",
                names.join(" → ")
            ),
        ));
    }
    Ok(())
}

fn walk(
    rules: &HashMap<Uuid, (String, &'static str, String)>,
    start: Uuid,
    at: Uuid,
    path: &mut Vec<Uuid>,
) -> Option<Vec<Uuid>> {
    let creates = rules[&at].1;
    for next in rules.iter().filter(|(_, r)| r.0 == creates).map(|(id, _)| id) {
        if *next == start {
            return Some(path.clone());
        }
        if path.contains(next) {
            continue;
        }
        path.push(*next);
        if let Some(found) = walk(rules, start, *next, path) {
            return Some(found);
        }
        path.pop();
    }
    None
}
