//! What the workflow operations take and give.

use accord_kernel::segments::FieldSpec;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::rules::{RuleDefinition, WorkflowRule};
use super::stored::{firings::Model as RuleFiring, notices::Notice, outbox::QueuedEmail};

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DefineRuleInput {
    pub rule: RuleDefinition,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateRuleInput {
    pub id: Uuid,
    pub version: i64,
    pub rule: RuleDefinition,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListRulesInput {
    /// Switched-off rules too.
    #[serde(default)]
    #[ts(optional)]
    pub with_switched_off: Option<bool>,
}

/// A kind of record rules may listen to, and the fields they may name.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RuleKind {
    pub table: String,
    pub label: String,
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RuleRow {
    #[serde(flatten)]
    #[ts(flatten)]
    pub rule: WorkflowRule,
    /// How many times it fired, and when last.
    pub fired: i64,
    pub last_fired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RuleList {
    pub rules: Vec<RuleRow>,
    pub kinds: Vec<RuleKind>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListFiringsInput {
    pub rule_id: Uuid,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FiringList {
    /// Newest first, at most 200.
    pub firings: Vec<RuleFiring>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RunDueInput {}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DueRun {
    /// Firings this run made.
    pub fired: u64,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TakeNoticesInput {}

#[derive(Debug, Clone, Serialize, TS)]
pub struct WaitingNotices {
    pub waiting: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TakenNotices {
    /// Each shown once: taking them marks them shown.
    pub notices: Vec<Notice>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListOutboxInput {}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Outbox {
    /// Newest first, at most 500.
    pub emails: Vec<QueuedEmail>,
}
