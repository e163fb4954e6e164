//! A server restored from an older backup (ADR 0014): it keeps its identity but lost what was
//! written after the backup — this laptop's pushed changes among them — and, restored into a
//! new cluster, its transaction ids start lower, so a pull would skip what is written next.
//! Before each round the replica asks whether the server still holds the last entry it stored
//! for this laptop and whether the pull's cursor still lies within the server's log; if not,
//! the replica sends all its changes again and reads the server's log from the start — nothing
//! held is stored twice on either side.

use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;
use accord_kernel::sync::merge::EntryId;
use accord_kernel::sync::{self as kernel_sync, Cursor};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Query};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::REPLICATE;
use super::replica::KEEPING_THE_REPLICA;

/// An entry by its identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct EntryRef {
    pub device_id: Uuid,
    #[ts(type = "number")]
    pub hlc: i64,
}

impl From<EntryId> for EntryRef {
    fn from(id: EntryId) -> Self {
        Self { device_id: id.device_id, hlc: id.hlc }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CheckContinuityInput {
    /// Entries the replica knows the server stored (at most 10).
    pub held: Vec<EntryRef>,
    /// The replica's pull cursor.
    pub cursor: Cursor,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Continuity {
    /// Those of the entries asked about that the server does not hold (or the reader may not see).
    pub missing: Vec<EntryRef>,
    /// The cursor lies beyond anything the server's log can have committed.
    pub cursor_beyond: bool,
}

impl Continuity {
    pub fn broken(&self) -> bool {
        !self.missing.is_empty() || self.cursor_beyond
    }
}

/// `sync.check_continuity`: whether the server still holds what a replica knows it stored,
/// and whether the replica's cursor still lies within its log.
pub struct CheckContinuity;

impl Operation for CheckContinuity {
    const NAME: &'static str = "sync.check_continuity";
    const PERMISSION: Permission = REPLICATE;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "Check that the server still holds what a replica knows it stored (a server restored from a backup does not).";
    type Input = CheckContinuityInput;
    type Output = Continuity;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        if input.held.len() > 10 {
            return Err(ApiError::new(ErrorCode::InvalidInput, "Ask about at most 10 entries at a time."));
        }
        let ids: Vec<EntryId> = input.held.iter().map(|e| EntryId { hlc: e.hlc, device_id: e.device_id }).collect();
        // Only one's own entries: nobody learns through this which of others' changes exist.
        let held = kernel_sync::held_ids(scope, &ids, Some(scope.actor.user_id)).await?;
        let missing = ids.into_iter().filter(|id| !held.contains(id)).map(EntryRef::from).collect();
        let cursor_beyond = kernel_sync::cursor_beyond_log(scope.tx, input.cursor, scope.user_role).await?;
        Ok(Continuity { missing, cursor_beyond })
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
pub(crate) struct RestartReplicaInput {}

/// Sends everything again and reads the server's log from the start: after a restore, what
/// the server lost comes back from this laptop, and nothing the server writes next is skipped.
pub(crate) struct RestartReplica;

impl Operation for RestartReplica {
    const NAME: &'static str = "sync.restart_replica";
    const PERMISSION: Permission = KEEPING_THE_REPLICA;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Push everything again and pull the server's log from the start.";
    type Input = RestartReplicaInput;
    type Output = ();

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut restart = Query::update();
        restart.table(Alias::new("sync_replica"));
        for column in ["pushed_seq", "audit_pushed_seq", "pulled_commit", "pulled_seq"] {
            restart.value(Alias::new(column), 0i64);
        }
        scope.tx.execute(&restart).await?;
        Ok(())
    }
}
