//! The workflow operations: the administrator's rules (defined, changed, switched off and on,
//! each audited), what they did, the date rules' run, and the notices and emails they left.

use std::collections::HashMap;

use accord_kernel::changelog::ChangeAction;
use accord_kernel::error::ApiError;
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records::{self, Record};
use accord_kernel::security::Permission;
use accord_kernel::security::platform::PREFERENCES_OWN;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::io::*;
use super::rules::{self, RuleDefinition, WorkflowRule};
use super::stored::{firings, notices, outbox};
use super::{dates, permissions};

pub struct DefineRule;

impl Operation for DefineRule {
    const NAME: &'static str = "workflow.define";
    const PERMISSION: Permission = permissions::MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Define a workflow rule: when a record is created, a field is set or a date comes, create a task or a scheduled contact, notify people or queue an email.";
    type Input = DefineRuleInput;
    type Output = WorkflowRule;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut definition = input.rule;
        rules::check(scope, &mut definition, None).await?;
        let mut rule = stored(scope, Uuid::now_v7(), definition)?;
        records::insert(scope, std::slice::from_mut(&mut rule)).await?;
        scope.audit_target(rules::Model::TABLE, rule.id);
        scope.audit_detail(rule.name.clone());
        Ok(rule)
    }
}

pub struct UpdateRule;

impl Operation for UpdateRule {
    const NAME: &'static str = "workflow.update";
    const PERMISSION: Permission = permissions::MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Change a workflow rule; what it did so far stays.";
    type Input = UpdateRuleInput;
    type Output = WorkflowRule;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: rules::Model = records::load_for_change(scope, input.id, input.version).await?;
        let mut definition = input.rule;
        rules::check(scope, &mut definition, Some(before.id)).await?;
        let mut after = stored(scope, before.id, definition)?;
        after.version = before.version;
        after.created_at = before.created_at;
        after.created_by = before.created_by;
        after.owner_id = before.owner_id;
        scope.audit_target(rules::Model::TABLE, before.id);
        scope.audit_detail(after.name.clone());
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

/// A checked definition as the row it is stored as.
fn stored(scope: &Scope<'_>, id: Uuid, definition: RuleDefinition) -> Result<rules::Model, ApiError> {
    let json = |value: serde_json::Result<serde_json::Value>| value.map_err(|e| ApiError::internal(e.to_string()));
    Ok(rules::Model {
        id,
        name: definition.name,
        record_table: definition.record_table,
        trigger_kind: definition.trigger.kind().to_owned(),
        trigger: json(serde_json::to_value(&definition.trigger))?,
        condition: definition.condition.map(|c| json(serde_json::to_value(c))).transpose()?,
        action_kind: definition.action.kind().to_owned(),
        action: json(serde_json::to_value(&definition.action))?,
        version: 1,
        created_at: scope.now,
        updated_at: scope.now,
        created_by: scope.actor.user_id,
        updated_by: scope.actor.user_id,
        deleted_at: None,
        owner_id: Some(scope.actor.user_id),
        department_id: None,
    })
}

pub struct ListRules;

impl Operation for ListRules {
    const NAME: &'static str = "workflow.list";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "The workflow rules with how often each fired, and the kinds of record rules may listen to with their fields.";
    type Input = ListRulesInput;
    type Output = RuleList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut query = records::find::<rules::Model>(scope).order_by_asc(rules::Column::Name);
        if !input.with_switched_off.unwrap_or(false) {
            query = query.filter(rules::Column::DeletedAt.is_null());
        }
        let found = query.all(scope.tx).await?;
        let counts: HashMap<Uuid, (i64, Option<DateTime<Utc>>)> = firings::Entity::find()
            .select_only()
            .column(firings::Column::RuleId)
            .column_as(Expr::from(Func::count(Expr::col(firings::Column::Id))), "fired")
            .column_as(Expr::from(Func::max(Expr::col(firings::Column::FiredAt))), "last")
            .group_by(firings::Column::RuleId)
            .into_tuple::<(Uuid, i64, Option<DateTime<Utc>>)>()
            .all(scope.tx)
            .await?
            .into_iter()
            .map(|(rule, fired, last)| (rule, (fired, last)))
            .collect();
        let rules = found
            .into_iter()
            .map(|rule| {
                let (fired, last_fired_at) = counts.get(&rule.id).copied().unwrap_or((0, None));
                RuleRow { rule, fired, last_fired_at }
            })
            .collect();
        let mut kinds = Vec::new();
        for kind in rules::listenable() {
            kinds.push(RuleKind {
                table: kind.table.to_owned(),
                label: kind.label.to_owned(),
                fields: rules::fields_of(scope, kind).await?,
            });
        }
        Ok(RuleList { rules, kinds })
    }
}

pub struct ListFirings;

impl Operation for ListFirings {
    const NAME: &'static str = "workflow.list_firings";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "What a workflow rule did, newest first: each record and event it fired for.";
    type Input = ListFiringsInput;
    type Output = FiringList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let firings = records::find::<firings::Model>(scope)
            .filter(firings::Column::RuleId.eq(input.rule_id))
            .order_by_desc(firings::Column::FiredAt)
            .limit(200)
            .all(scope.tx)
            .await?;
        Ok(FiringList { firings })
    }
}

pub struct RunDue;

impl Operation for RunDue {
    const NAME: &'static str = "workflow.run_due";
    const PERMISSION: Permission = PREFERENCES_OWN;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Fire the date rules whose day has come (each once per record and day); the desktop app runs it now and then.";
    type Input = RunDueInput;
    type Output = DueRun;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        Ok(DueRun { fired: dates::run_due(scope).await? })
    }
}

pub struct NoticesWaiting;

impl Operation for NoticesWaiting {
    const NAME: &'static str = "workflow.notices_waiting";
    const PERMISSION: Permission = PREFERENCES_OWN;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Whether the asker has notices from workflow rules not shown yet (one indexed read).";
    type Input = TakeNoticesInput;
    type Output = WaitingNotices;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        let first = records::find::<notices::Model>(scope)
            .select_only()
            .column(notices::Column::Id)
            .filter(notices::Column::RecipientId.eq(scope.actor.user_id))
            .filter(notices::Column::ShownAt.is_null())
            .filter(notices::Column::DeletedAt.is_null())
            .into_tuple::<Uuid>()
            .one(scope.tx)
            .await?;
        Ok(WaitingNotices { waiting: first.is_some() })
    }
}

pub struct TakeNotices;

impl Operation for TakeNotices {
    const NAME: &'static str = "workflow.take_notices";
    const PERMISSION: Permission = PREFERENCES_OWN;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "The asker's notices from workflow rules not shown yet, marked shown so no other window or device shows them again.";
    type Input = TakeNoticesInput;
    type Output = TakenNotices;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        let waiting = records::find::<notices::Model>(scope)
            .filter(notices::Column::RecipientId.eq(scope.actor.user_id))
            .filter(notices::Column::ShownAt.is_null())
            .filter(notices::Column::DeletedAt.is_null())
            .order_by_asc(notices::Column::CreatedAt)
            .limit(50)
            .all(scope.tx)
            .await?;
        let changes = waiting
            .iter()
            .map(|before| {
                let mut after = before.clone();
                after.shown_at = Some(scope.now);
                (before.clone(), after)
            })
            .collect();
        records::update_all(scope, changes, ChangeAction::Update).await?;
        Ok(TakenNotices { notices: waiting })
    }
}

pub struct ListOutbox;

impl Operation for ListOutbox {
    const NAME: &'static str = "workflow.list_outbox";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "The emails workflow rules queued, newest first, until the mail integration sends them.";
    type Input = ListOutboxInput;
    type Output = Outbox;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        let emails = records::find::<outbox::Model>(scope)
            .order_by_desc(outbox::Column::CreatedAt)
            .limit(500)
            .all(scope.tx)
            .await?;
        Ok(Outbox { emails })
    }
}
