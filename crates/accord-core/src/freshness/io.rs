//! What the freshness operations take and give.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// How long one kind's data stays current.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FreshnessRule {
    pub table: String,
    pub months: u32,
    /// Whether an administrator set it (else the default).
    pub set: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FreshnessRuleList {
    pub rules: Vec<FreshnessRule>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SetFreshnessRuleInput {
    pub table: String,
    /// 1 to 120.
    pub months: u32,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRecordInput {
    pub table: String,
    pub id: Uuid,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ConfirmedRecord {
    pub id: Uuid,
    pub version: i64,
    pub confirmed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct StaleRecordsInput {
    /// One kind; every confirmable kind when absent.
    #[serde(default)]
    #[ts(optional)]
    pub table: Option<String>,
    /// At most this many records per kind (default 100, at most 500).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u64>,
}

/// A record of one's own whose data was not confirmed for too long.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StaleRecord {
    pub table: String,
    pub id: Uuid,
    pub title: String,
    pub version: i64,
    /// Never confirmed: none.
    pub confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One kind's stale records of the actor's, the oldest first.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StaleKind {
    pub table: String,
    pub months: u32,
    /// All of them, though `records` holds at most the limit.
    pub count: u64,
    pub records: Vec<StaleRecord>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct StaleList {
    pub kinds: Vec<StaleKind>,
    /// Every kind's count together: the navigation's badge.
    pub total: u64,
}
