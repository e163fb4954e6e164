//! `audit.list`: the audit log of critical actions, newest first, for administrators and
//! auditors (SEC-5) — filtered by person (everything a departing user did) or by operation.
//! Read-only: nothing in the application edits or deletes an entry.

use accord_kernel::audit::{self, AuditEntry, AuditFilter};
use accord_kernel::error::{ApiError, FieldCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListAuditInput {
    /// At most this many entries (1–500, default 100).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// The next page: entries older than this one.
    #[serde(default)]
    #[ts(optional)]
    pub before_seq: Option<i64>,
    /// Only what this person did.
    #[serde(default)]
    #[ts(optional)]
    pub actor_id: Option<Uuid>,
    /// Only this operation (`security.sign_in_failed`, …).
    #[serde(default)]
    #[ts(optional)]
    pub operation: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before_seq` for the next page; absent on the last.
    pub next_before_seq: Option<i64>,
}

pub struct ListAudit;

/// The entries a page of the audit may hold: 1–500, 100 unless asked.
fn page_limit(asked: Option<u32>) -> Result<u32, ApiError> {
    let limit = asked.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::field("limit", FieldCode::InvalidValue, "Ask for between 1 and 500 entries."));
    }
    Ok(limit)
}

/// Where the next (older) page starts, when this one is full.
fn next_before_seq<T>(entries: &[T], limit: u32, seq: impl Fn(&T) -> i64) -> Option<i64> {
    (entries.len() == limit as usize).then(|| entries.last().map(seq)).flatten()
}

impl Operation for ListAudit {
    const NAME: &'static str = "audit.list";
    const PERMISSION: Permission = accord_kernel::security::platform::AUDIT_READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The audit log of critical actions, newest first, by person or operation.";
    type Input = ListAuditInput;
    type Output = AuditPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<AuditPage, ApiError> {
        let limit = page_limit(input.limit)?;
        let filter = AuditFilter {
            before_seq: input.before_seq,
            actor_id: input.actor_id,
            operation: input.operation.filter(|o| !o.trim().is_empty()),
            limit: u64::from(limit),
        };
        let mut entries = audit::entries(scope, &filter).await?;
        let actors: Vec<Uuid> = entries.iter().map(|e| e.actor_id).collect();
        let names = accord_security::users::display_names(scope.tx, &actors).await?;
        for entry in &mut entries {
            entry.actor_name = names.get(&entry.actor_id).cloned();
        }
        let next_before_seq = next_before_seq(&entries, limit, |e| e.seq);
        Ok(AuditPage { entries, next_before_seq })
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ChangesByPersonInput {
    pub actor_id: Uuid,
    /// At most this many entries (1–500, default 100).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// The next page: entries older than this one.
    #[serde(default)]
    #[ts(optional)]
    pub before_seq: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ChangesByPersonPage {
    pub entries: Vec<accord_kernel::changelog::ChangeByActor>,
    /// Pass as `before_seq` for the next page; absent on the last.
    pub next_before_seq: Option<i64>,
}

/// Every record one person created, changed, archived or restored, newest first (SEC-4: the
/// audit of a departing user's work, beside their audited actions in `audit.list`). For
/// administrators and auditors, who see every record.
pub struct ChangesByPerson;

impl Operation for ChangesByPerson {
    const NAME: &'static str = "audit.changes_by_person";
    const PERMISSION: Permission = accord_kernel::security::platform::AUDIT_READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Every record a person changed, newest first, with the fields they changed.";
    type Input = ChangesByPersonInput;
    type Output = ChangesByPersonPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<ChangesByPersonPage, ApiError> {
        let limit = page_limit(input.limit)?;
        let entries =
            accord_kernel::changelog::entries_of_actor(scope, input.actor_id, input.before_seq, u64::from(limit))
                .await?;
        let next_before_seq = next_before_seq(&entries, limit, |e| e.seq);
        Ok(ChangesByPersonPage { entries, next_before_seq })
    }
}
