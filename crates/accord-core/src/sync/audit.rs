//! Audit entries made offline join the server's chain (issue 15, Deliver 5; ADR 0014): a
//! replica's audited actions (an archive, a restore) are sent after its changes, in the order
//! they happened, and the server appends them to its own chain with the time each happened,
//! so its log tells every critical action and its verification still holds.

use accord_kernel::audit::{self, AuditRecord};
use accord_kernel::clock::MAX_DRIFT_MS;
use accord_kernel::error::{ApiError, ErrorCode, FieldCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use ts_rs::TS;

use super::REPLICATE;
use crate::door::registry;

/// Audit entries sent per call.
pub const AUDIT_BATCH: u64 = 200;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PushAuditInput {
    /// The replica's own entries, oldest first.
    pub entries: Vec<AuditRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditPushReport {
    /// Entries appended to the server's chain now.
    pub appended: u32,
    /// Entries the chain held already (a batch sent again).
    pub held_already: u32,
}

/// `sync.push_audit`: a replica's audit entries, appended to the server's chain in order.
pub struct PushAudit;

impl Operation for PushAudit {
    const NAME: &'static str = "sync.push_audit";
    const PERMISSION: Permission = REPLICATE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Append a replica's audit entries made offline to the server's audit chain, in the order they happened.";
    type Input = PushAuditInput;
    type Output = AuditPushReport;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        if input.entries.len() > AUDIT_BATCH as usize {
            return Err(ApiError::field(
                "entries",
                FieldCode::TooLong,
                format!("Send at most {AUDIT_BATCH} audit entries at a time."),
            ));
        }
        for entry in &input.entries {
            check_offline_entry(scope, entry)?;
        }
        let devices: BTreeSet<_> = input.entries.iter().map(|e| e.device_id).collect();
        super::bind_devices(scope, devices).await?;
        let mut entries = input.entries;
        for entry in &mut entries {
            say_when_not_applied(scope, entry).await?;
        }
        let appended = audit::append_made_offline(scope, &entries).await?;
        Ok(AuditPushReport { appended, held_already: entries.len() as u32 - appended })
    }
}

/// What the server's log adds to an offline action whose effect the server does not hold.
pub const NOT_APPLIED: &str =
    "done on a laptop's offline copy; not applied on the server (refused when synced, or it changed only that copy)";

/// An offline action is in the server's log as it happened; when the server does not hold
/// its change (the archive was refused when synced, or the action changed only the laptop's
/// copy — its own users, say), the entry says so, so nobody reads an effect that never was.
async fn say_when_not_applied(scope: &Scope<'_>, entry: &mut AuditRecord) -> Result<(), ApiError> {
    let applied = match (entry.target_table.as_deref(), entry.target_id) {
        (Some(table), Some(row_id)) if registry::record_kind(table).is_some() => {
            let change = Query::select()
                .expr(Expr::val(1))
                .from(Alias::new("change_log"))
                .and_where(Expr::col(Alias::new("table_name")).eq(table))
                .and_where(Expr::col(Alias::new("row_id")).eq(row_id))
                .and_where(Expr::col(Alias::new("device_id")).eq(entry.device_id))
                .and_where(Expr::col(Alias::new("operation")).eq(entry.operation.as_str()))
                .limit(1)
                .to_owned();
            scope.tx.query_one(&change).await?.is_some()
        }
        _ => false,
    };
    if !applied {
        entry.detail = Some(match entry.detail.take() {
            Some(detail) => format!("{detail}; {NOT_APPLIED}"),
            None => NOT_APPLIED.to_owned(),
        });
    }
    Ok(())
}

/// An entry is the pusher's own, of an audited operation this server knows, dated no later
/// than the clocks' bound: anything else did not come from an honest replica of this user,
/// and the whole batch is refused before anything is appended.
fn check_offline_entry(scope: &Scope<'_>, entry: &AuditRecord) -> Result<(), ApiError> {
    if entry.actor_id != scope.actor.user_id {
        return Err(ApiError::new(
            ErrorCode::PermissionDenied,
            "These audit entries name someone other than you. Nothing was appended; sync from your own laptop's copy.",
        ));
    }
    if !registry::find(&entry.operation).is_some_and(|op| op.audited) {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "An offline audit entry names \"{}\", which is not an audited action of this server. Nothing was \
                 appended; update Accord on this laptop and on the server to the same version, then sync again.",
                entry.operation
            ),
        ));
    }
    let ahead_by = entry.at.signed_duration_since(scope.now).num_milliseconds();
    if ahead_by > MAX_DRIFT_MS {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "An offline audit entry is dated {}, more than a day ahead of the server's clock. Nothing was \
                 appended; check the date and time on this laptop, then sync again.",
                entry.at.format("%Y-%m-%d %H:%M UTC")
            ),
        ));
    }
    Ok(())
}
