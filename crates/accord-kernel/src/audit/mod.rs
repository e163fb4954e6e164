//! The audit log of critical actions (SEC-5): append-only and hash-chained, so any edit or
//! deletion of an entry outside the application breaks the chain and is detected; and
//! witnessed by every installation that uses it ([`witness`]), so a forger who rewrites the
//! chain and recomputes its hashes is detected too.

pub mod witness;

pub use witness::{AuditWitness, Checkpoint};

use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::{Alias, Expr, Order, Query};
use sea_orm::{ConnectionTrait, DbBackend};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::ApiError;
use crate::operation::{Operation, Scope};
use crate::security::Permission;

/// The record an audited operation acted on.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub table: &'static str,
    pub id: Uuid,
}

/// An entry's fields as its hash covers them (`at` as RFC 3339 with microseconds, UTC).
pub struct Entry<'a> {
    pub id: Uuid,
    pub at: &'a str,
    pub actor_id: Uuid,
    pub device_id: Uuid,
    pub operation: &'a str,
    pub target_table: Option<&'a str>,
    pub target_id: Option<Uuid>,
    pub detail: Option<&'a str>,
}

/// The hash of an entry that follows `prev_hash`: public, as the chain's rule is (ADR 0011);
/// the benchmark builds long chains with it.
pub fn chain_hash(prev_hash: &str, e: &Entry<'_>) -> String {
    let mut hasher = Sha256::new();
    for part in [
        prev_hash,
        &e.id.to_string(),
        e.at,
        &e.actor_id.to_string(),
        &e.device_id.to_string(),
        e.operation,
        e.target_table.unwrap_or(""),
        &e.target_id.map(|id| id.to_string()).unwrap_or_default(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    // Entries written before the detail column existed hash as they always did.
    if let Some(detail) = e.detail {
        hasher.update(detail.as_bytes());
        hasher.update([0x1f]);
    }
    hex::encode(hasher.finalize())
}

/// Appends the entry for the scope's operation, in its transaction; returns it as a
/// checkpoint for this installation's witness, to be kept once the transaction commits.
pub(crate) async fn append(scope: &Scope<'_>) -> Result<Checkpoint, ApiError> {
    let target = scope.audit_target;
    let backend = scope.tx.get_database_backend();
    let mut head = Query::select();
    head.column(Alias::new("hash")).from(Alias::new("audit_head")).and_where(Expr::col(Alias::new("id")).eq(1));
    if backend == DbBackend::Postgres {
        // Serialises concurrent audited operations so the chain never forks.
        head.lock_exclusive();
    }
    let prev_hash: String = scope
        .tx
        .query_one(&head)
        .await?
        .ok_or_else(|| ApiError::internal("the audit log head is missing; the database is damaged"))?
        .try_get("", "hash")?;

    let at = scope.now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let entry = Entry {
        id: Uuid::now_v7(),
        at: &at,
        actor_id: scope.actor.user_id,
        device_id: scope.device_id,
        operation: scope.operation,
        target_table: target.map(|t| t.table),
        target_id: target.map(|t| t.id),
        detail: scope.audit_detail.as_deref(),
    };
    let hash = chain_hash(&prev_hash, &entry);
    let insert = Query::insert()
        .into_table(Alias::new("audit_log"))
        .columns(
            [
                "id",
                "at",
                "actor_id",
                "device_id",
                "operation",
                "target_table",
                "target_id",
                "detail",
                "prev_hash",
                "hash",
            ]
            .map(Alias::new),
        )
        .values_panic([
            entry.id.into(),
            scope.now.into(),
            entry.actor_id.into(),
            entry.device_id.into(),
            entry.operation.into(),
            entry.target_table.map(str::to_owned).into(),
            entry.target_id.into(),
            entry.detail.map(str::to_owned).into(),
            prev_hash.clone().into(),
            hash.clone().into(),
        ])
        .to_owned();
    scope.tx.execute(&insert).await?;
    let update = Query::update()
        .table(Alias::new("audit_head"))
        .value(Alias::new("hash"), hash.clone())
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    scope.tx.execute(&update).await?;
    let seq = Query::select()
        .column(Alias::new("seq"))
        .from(Alias::new("audit_log"))
        .and_where(Expr::col(Alias::new("id")).eq(entry.id))
        .to_owned();
    let seq: i64 = scope
        .tx
        .query_one(&seq)
        .await?
        .ok_or_else(|| ApiError::internal("the audit entry just written is missing"))?
        .try_get("", "seq")?;
    Ok(Checkpoint { seq, hash })
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VerifyAuditLogInput {}

/// Where the chain stops holding what was seen: the first entry after the last checkpoint
/// that still matches (or the first entry, when even the oldest does not), if any differs.
fn first_departure(chain: &[Checkpoint], checkpoints: &[Checkpoint]) -> Option<i64> {
    let by_seq: std::collections::HashMap<i64, &str> = chain.iter().map(|c| (c.seq, c.hash.as_str())).collect();
    let mismatch = checkpoints.iter().position(|seen| by_seq.get(&seen.seq) != Some(&seen.hash.as_str()))?;
    let after = mismatch.checked_sub(1).map(|last_good| checkpoints[last_good].seq);
    chain.iter().find(|c| after.is_none_or(|good| c.seq > good)).map(|c| c.seq).or(Some(checkpoints[mismatch].seq))
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditVerification {
    pub entries: i64,
    pub intact: bool,
    /// The first entry whose hash does not follow from its predecessor, when the chain is broken.
    pub first_broken_seq: Option<i64>,
    /// The newest entries were removed: the chain no longer ends at the recorded head.
    pub truncated: bool,
    /// The chain is consistent in itself but no longer holds what this computer saw: entries
    /// were rewritten with their hashes recomputed, removed, or the database was replaced by
    /// another copy. `first_broken_seq` is then the first entry after the last checkpoint
    /// that still matches: the earliest that may have been changed.
    pub rewritten: bool,
    /// How many of this computer's checkpoints were compared (0 without any).
    pub checkpoints_compared: i64,
}

/// Recomputes the whole chain.
pub struct VerifyAuditLog;

impl Operation for VerifyAuditLog {
    const NAME: &'static str = "audit.verify";
    const PERMISSION: Permission = crate::security::platform::AUDIT_READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Recompute the audit log's hash chain and report the first tampered entry.";
    type Input = VerifyAuditLogInput;
    type Output = AuditVerification;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        // Read in this order so that writers committing meanwhile cause no false alarm: every
        // checkpoint was kept after its entry committed, and the head is updated in the same
        // transaction as its entry, so both are in the entries read after them (on
        // PostgreSQL each statement sees what committed before it began).
        let checkpoints = match scope.witness {
            Some(witness) => witness.checkpoints()?,
            None => Vec::new(),
        };
        let head = Query::select()
            .column(Alias::new("hash"))
            .from(Alias::new("audit_head"))
            .and_where(Expr::col(Alias::new("id")).eq(1))
            .to_owned();
        let head_hash: Option<String> =
            scope.tx.query_one(&head).await?.map(|row| row.try_get("", "hash")).transpose()?;
        let query = Query::select()
            .columns(
                [
                    "seq",
                    "id",
                    "at",
                    "actor_id",
                    "device_id",
                    "operation",
                    "target_table",
                    "target_id",
                    "detail",
                    "prev_hash",
                    "hash",
                ]
                .map(Alias::new),
            )
            .from(Alias::new("audit_log"))
            .order_by(Alias::new("seq"), Order::Asc)
            .to_owned();
        let rows = scope.tx.query_all(&query).await?;
        let mut expected_prev = "0".repeat(64);
        let mut first_broken_seq = None;
        for row in &rows {
            let seq: i64 = row.try_get("", "seq")?;
            let at: chrono::DateTime<chrono::Utc> = row.try_get("", "at")?;
            let at = at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            let target_table: Option<String> = row.try_get("", "target_table")?;
            let operation: String = row.try_get("", "operation")?;
            let detail: Option<String> = row.try_get("", "detail")?;
            let entry = Entry {
                id: row.try_get("", "id")?,
                at: &at,
                actor_id: row.try_get("", "actor_id")?,
                device_id: row.try_get("", "device_id")?,
                operation: &operation,
                target_table: target_table.as_deref(),
                target_id: row.try_get("", "target_id")?,
                detail: detail.as_deref(),
            };
            let prev_hash: String = row.try_get("", "prev_hash")?;
            let hash: String = row.try_get("", "hash")?;
            if prev_hash != expected_prev || chain_hash(&prev_hash, &entry) != hash {
                first_broken_seq = Some(seq);
                break;
            }
            expected_prev = hash;
        }
        let mut chain = Vec::with_capacity(rows.len());
        for row in &rows {
            chain.push(Checkpoint { seq: row.try_get("", "seq")?, hash: row.try_get("", "hash")? });
        }
        // The head names an entry the chain must still hold (a new chain's head is all zeros).
        let genesis = "0".repeat(64);
        let truncated = first_broken_seq.is_none()
            && head_hash.as_deref().is_none_or(|head| head != genesis && !chain.iter().any(|c| c.hash == head));
        let departure = first_departure(&chain, &checkpoints);
        let rewritten = departure.is_some();
        let first_broken_seq = first_broken_seq.or(departure);
        let intact = first_broken_seq.is_none() && !truncated;
        if let (true, Some(witness), Some(head)) = (intact, scope.witness, chain.last()) {
            // What this computer has now seen intact is what it holds the chain to next time.
            witness.observe(std::slice::from_ref(head))?;
        }
        Ok(AuditVerification {
            entries: rows.len() as i64,
            intact,
            first_broken_seq,
            truncated,
            rewritten,
            checkpoints_compared: checkpoints.len() as i64,
        })
    }
}

/// One entry of the audit log as an administrator or auditor reads it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Uuid,
    /// The user's name as it is now, when the actor is a user of this database.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub actor_name: Option<String>,
    pub device_id: Uuid,
    pub operation: String,
    pub target_table: Option<String>,
    pub target_id: Option<Uuid>,
    /// What the operation recorded beside it: the login a failed sign-in tried, the
    /// permissions a role gained. Never a password, token or code.
    pub detail: Option<String>,
}

/// Which entries to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only entries older than this one (the next page).
    pub before_seq: Option<i64>,
    pub actor_id: Option<Uuid>,
    pub operation: Option<String>,
    pub limit: u64,
}

/// The entries `filter` asks for, newest first; `actor_name` is left for the caller.
pub async fn entries(scope: &Scope<'_>, filter: &AuditFilter) -> Result<Vec<AuditEntry>, ApiError> {
    let mut query = Query::select()
        .columns(
            ["seq", "at", "actor_id", "device_id", "operation", "target_table", "target_id", "detail"].map(Alias::new),
        )
        .from(Alias::new("audit_log"))
        .order_by(Alias::new("seq"), Order::Desc)
        .limit(filter.limit)
        .to_owned();
    if let Some(before) = filter.before_seq {
        query.and_where(Expr::col(Alias::new("seq")).lt(before));
    }
    if let Some(actor) = filter.actor_id {
        query.and_where(Expr::col(Alias::new("actor_id")).eq(actor));
    }
    if let Some(operation) = &filter.operation {
        query.and_where(Expr::col(Alias::new("operation")).eq(operation.as_str()));
    }
    let mut entries = Vec::new();
    for row in scope.tx.query_all(&query).await? {
        entries.push(AuditEntry {
            seq: row.try_get("", "seq")?,
            at: row.try_get("", "at")?,
            actor_id: row.try_get("", "actor_id")?,
            actor_name: None,
            device_id: row.try_get("", "device_id")?,
            operation: row.try_get("", "operation")?,
            target_table: row.try_get("", "target_table")?,
            target_id: row.try_get("", "target_id")?,
            detail: row.try_get("", "detail")?,
        });
    }
    Ok(entries)
}
