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
    // UUIDs hash in their hyphenated lower-case form, encoded on the stack: verification
    // hashes a million entries, and four allocations each would dominate it.
    let mut buffers = [[0u8; uuid::fmt::Hyphenated::LENGTH]; 4];
    let [id, actor, device, target] = &mut buffers;
    let id = e.id.hyphenated().encode_lower(id);
    let actor = e.actor_id.hyphenated().encode_lower(actor);
    let device = e.device_id.hyphenated().encode_lower(device);
    let target = e.target_id.map(|t| &*t.hyphenated().encode_lower(target)).unwrap_or("");
    for part in [prev_hash, id, e.at, actor, device, e.operation, e.target_table.unwrap_or(""), target] {
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

/// One audited action as its entry records it: the fields the chain's hash covers. Also how
/// an entry a replica made offline travels to its server, to join the server's chain with the
/// time it happened (ADR 0014).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditRecord {
    pub id: Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Uuid,
    pub device_id: Uuid,
    pub operation: String,
    pub target_table: Option<String>,
    pub target_id: Option<Uuid>,
    pub detail: Option<String>,
}

impl AuditRecord {
    /// The fields in the order the log's columns and the server's functions take them.
    fn values(&self) -> Vec<sea_orm::Value> {
        vec![
            self.id.into(),
            self.at.into(),
            self.actor_id.into(),
            self.device_id.into(),
            self.operation.clone().into(),
            self.target_table.clone().into(),
            self.target_id.into(),
            self.detail.clone().into(),
        ]
    }
}

/// Appends the entry for the scope's operation, in its transaction; returns it as a
/// checkpoint for this installation's witness, to be kept once the transaction commits.
pub(crate) async fn append(scope: &Scope<'_>) -> Result<Option<Checkpoint>, ApiError> {
    if scope.user_role {
        return append_on_server(scope).await;
    }
    let target = scope.audit_target;
    let record = AuditRecord {
        id: Uuid::now_v7(),
        at: scope.now,
        actor_id: scope.actor.user_id,
        device_id: scope.device_id,
        operation: scope.operation.to_owned(),
        target_table: target.map(|t| t.table.to_owned()),
        target_id: target.map(|t| t.id),
        detail: scope.audit_detail.clone(),
    };
    chain(scope.tx, &record).await.map(Some)
}

/// Chains `record` after the head, in `tx`: the app's own connection (a user's team-server
/// role appends through the server's functions instead).
async fn chain(tx: &sea_orm::DatabaseTransaction, record: &AuditRecord) -> Result<Checkpoint, ApiError> {
    let prev_hash = locked_head(tx).await?;

    let at = record.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let entry = Entry {
        id: record.id,
        at: &at,
        actor_id: record.actor_id,
        device_id: record.device_id,
        operation: &record.operation,
        target_table: record.target_table.as_deref(),
        target_id: record.target_id,
        detail: record.detail.as_deref(),
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
        .values_panic(
            record.values().into_iter().chain([prev_hash.clone().into(), hash.clone().into()]).map(Into::into),
        )
        .to_owned();
    tx.execute(&insert).await?;
    let update = Query::update()
        .table(Alias::new("audit_head"))
        .value(Alias::new("hash"), hash.clone())
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    tx.execute(&update).await?;
    let seq = Query::select()
        .column(Alias::new("seq"))
        .from(Alias::new("audit_log"))
        .and_where(Expr::col(Alias::new("id")).eq(record.id))
        .to_owned();
    let seq: i64 = tx
        .query_one(&seq)
        .await?
        .ok_or_else(|| ApiError::internal("the audit entry just written is missing"))?
        .try_get("", "seq")?;
    Ok(Checkpoint { seq, hash })
}

/// Appends entries a replica made offline, in the order given and each with the time it
/// happened, after what the chain holds now: the server's log then tells every action in the
/// order it reached the server, and its verification holds. Entries the chain holds already
/// (by id: a batch sent again) are skipped. The caller has checked whose they are; on a
/// user's own team-server role the server checks again. Returns how many were appended; the
/// last one becomes this installation's checkpoint once the transaction commits.
pub async fn append_made_offline(scope: &mut Scope<'_>, records: &[AuditRecord]) -> Result<u32, ApiError> {
    if scope.user_role {
        return append_offline_on_server(scope, records).await;
    }
    // The head's lock first: two syncs of one laptop sending the same batch take turns, and
    // the second finds the first's entries held.
    locked_head(scope.tx).await?;
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let held = crate::sync::ids_among(scope.tx, "audit_log", "id", &ids, |_| {}).await?;
    let mut appended = 0;
    for record in records.iter().filter(|r| !held.contains(&r.id)) {
        scope.checkpoint = Some(chain(scope.tx, record).await?);
        appended += 1;
    }
    Ok(appended)
}

/// The chain's head, locked for the rest of the transaction on PostgreSQL, which serialises
/// concurrent appends so the chain never forks (SQLite's writer holds the whole database).
async fn locked_head(tx: &sea_orm::DatabaseTransaction) -> Result<String, ApiError> {
    let mut head = Query::select();
    head.column(Alias::new("hash")).from(Alias::new("audit_head")).and_where(Expr::col(Alias::new("id")).eq(1));
    if tx.get_database_backend() == DbBackend::Postgres {
        head.lock_exclusive();
    }
    Ok(tx
        .query_one(&head)
        .await?
        .ok_or_else(|| ApiError::internal("the audit log head is missing; the database is damaged"))?
        .try_get("", "hash")?)
}

/// [`append_made_offline`] on a user's own team-server role: the server appends the batch in
/// one call, checking that each entry is the signed-in user's, from a device bound to them,
/// and not dated ahead.
async fn append_offline_on_server(scope: &mut Scope<'_>, records: &[AuditRecord]) -> Result<u32, ApiError> {
    let batch = serde_json::to_value(records).map_err(|e| ApiError::internal(format!("audit entries as JSON: {e}")))?;
    let sql = "SELECT seq, hash, appended FROM accord.append_offline_audit(CAST($1 AS jsonb))";
    let statement = sea_orm::Statement::from_sql_and_values(DbBackend::Postgres, sql, [batch.to_string().into()]);
    let Some(row) = scope.tx.query_one_raw(statement).await? else { return Ok(0) };
    let appended: i32 = row.try_get("", "appended")?;
    if let (Some(seq), Some(hash)) = (row.try_get("", "seq")?, row.try_get("", "hash")?) {
        scope.checkpoint = Some(Checkpoint { seq, hash });
    }
    Ok(u32::try_from(appended).unwrap_or_default())
}

/// This device's own entries after `after_seq`, oldest first, at most `limit`: what a replica
/// has not yet sent its server.
pub async fn own_entries_after(
    conn: &impl ConnectionTrait,
    device_id: Uuid,
    actor_id: Uuid,
    after_seq: i64,
    limit: u64,
) -> Result<Vec<(i64, AuditRecord)>, ApiError> {
    let query = Query::select()
        .columns(
            ["seq", "id", "at", "actor_id", "device_id", "operation", "target_table", "target_id", "detail"]
                .map(Alias::new),
        )
        .from(Alias::new("audit_log"))
        .and_where(Expr::col(Alias::new("seq")).gt(after_seq))
        .and_where(Expr::col(Alias::new("device_id")).eq(device_id))
        .and_where(Expr::col(Alias::new("actor_id")).eq(actor_id))
        .order_by(Alias::new("seq"), Order::Asc)
        .limit(limit)
        .to_owned();
    let mut entries = Vec::new();
    for row in conn.query_all(&query).await? {
        let record = AuditRecord {
            id: row.try_get("", "id")?,
            at: row.try_get("", "at")?,
            actor_id: row.try_get("", "actor_id")?,
            device_id: row.try_get("", "device_id")?,
            operation: row.try_get("", "operation")?,
            target_table: row.try_get("", "target_table")?,
            target_id: row.try_get("", "target_id")?,
            detail: row.try_get("", "detail")?,
        };
        entries.push((row.try_get("", "seq")?, record));
    }
    Ok(entries)
}

/// On a user's own team-server role the server appends the entry itself (it may not be
/// inserted directly): the same fields and hash, the time the server's (ADR 0013). A failed
/// sign-in, which has no session, waits to join the chain at the next audited action (it
/// takes no lock, so nobody can stall the log by holding one): no checkpoint for it yet.
async fn append_on_server(scope: &Scope<'_>) -> Result<Option<Checkpoint>, ApiError> {
    let target = scope.audit_target;
    let sql = "SELECT seq, hash FROM accord.append_audit($1, $2, $3, $4, $5, $6, $7)";
    let values: Vec<sea_orm::Value> = vec![
        Uuid::now_v7().into(),
        scope.actor.user_id.into(),
        scope.device_id.into(),
        scope.operation.into(),
        target.map(|t| t.table.to_owned()).into(),
        target.map(|t| t.id).into(),
        scope.audit_detail.clone().into(),
    ];
    let row = scope.tx.query_one_raw(sea_orm::Statement::from_sql_and_values(DbBackend::Postgres, sql, values)).await?;
    match row {
        Some(row) => Ok(Some(Checkpoint { seq: row.try_get("", "seq")?, hash: row.try_get("", "hash")? })),
        None => Ok(None),
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VerifyAuditLogInput {}

/// Entries read per query while verifying: the log may hold millions, memory stays flat.
const VERIFY_BATCH: u64 = 20_000;

/// The next entries after `after`, in chain order, columns in the order [`ChainCheck::check`]
/// reads them.
fn verification_batch(after: Option<i64>) -> sea_orm::sea_query::SelectStatement {
    let mut query = Query::select()
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
        .limit(VERIFY_BATCH)
        .to_owned();
    if let Some(after) = after {
        query.and_where(Expr::col(Alias::new("seq")).gt(after));
    }
    query
}

/// Walks the chain entry by entry: the first entry that does not follow from its
/// predecessor, every `seq` (8 bytes each, so memory stays small for millions), and the hashes
/// of the entries the witness's checkpoints and the head name.
struct ChainCheck {
    wanted: std::collections::HashSet<i64>,
    head: Option<String>,
    seqs: Vec<i64>,
    found: std::collections::HashMap<i64, String>,
    head_seen: bool,
    last: Option<Checkpoint>,
    expected_prev: String,
    first_broken_seq: Option<i64>,
    at: String,
}

impl ChainCheck {
    fn new(checkpoints: &[Checkpoint], head: Option<String>) -> Self {
        Self {
            wanted: checkpoints.iter().map(|c| c.seq).collect(),
            head,
            seqs: Vec::new(),
            found: Default::default(),
            head_seen: false,
            last: None,
            expected_prev: "0".repeat(64),
            first_broken_seq: None,
            at: String::with_capacity(32),
        }
    }

    fn check(&mut self, row: &sea_orm::QueryResult) -> Result<(), ApiError> {
        use std::fmt::Write;
        if self.first_broken_seq.is_some() {
            return Ok(());
        }
        let seq: i64 = row.try_get_by_index(0)?;
        let at: chrono::DateTime<chrono::Utc> = row.try_get_by_index(2)?;
        self.at.clear();
        // The form `append` hashes (RFC 3339, microseconds, Z), written without allocating.
        let _ = write!(self.at, "{}", at.format("%Y-%m-%dT%H:%M:%S%.6fZ"));
        let operation: String = row.try_get_by_index(5)?;
        let target_table: Option<String> = row.try_get_by_index(6)?;
        let detail: Option<String> = row.try_get_by_index(8)?;
        let entry = Entry {
            id: row.try_get_by_index(1)?,
            at: &self.at,
            actor_id: row.try_get_by_index(3)?,
            device_id: row.try_get_by_index(4)?,
            operation: &operation,
            target_table: target_table.as_deref(),
            target_id: row.try_get_by_index(7)?,
            detail: detail.as_deref(),
        };
        let prev_hash: String = row.try_get_by_index(9)?;
        let hash: String = row.try_get_by_index(10)?;
        if prev_hash != self.expected_prev || chain_hash(&prev_hash, &entry) != hash {
            self.first_broken_seq = Some(seq);
            return Ok(());
        }
        self.seqs.push(seq);
        self.head_seen |= self.head.as_deref() == Some(hash.as_str());
        if self.wanted.contains(&seq) {
            self.found.insert(seq, hash.clone());
        }
        self.expected_prev.clone_from(&hash);
        self.last = Some(Checkpoint { seq, hash });
        Ok(())
    }
}

/// Where the chain stops holding what was seen: the first entry after the last checkpoint
/// that still matches (or the first entry, when even the oldest does not), if any differs.
/// `seqs` are the chain's entries in order, `found` the hashes of those the checkpoints name.
fn first_departure(
    seqs: &[i64],
    found: &std::collections::HashMap<i64, String>,
    checkpoints: &[Checkpoint],
) -> Option<i64> {
    let mismatch = checkpoints.iter().position(|seen| found.get(&seen.seq) != Some(&seen.hash))?;
    let after = mismatch.checked_sub(1).map(|last_good| checkpoints[last_good].seq);
    let next = match after {
        Some(good) => seqs.get(seqs.partition_point(|&seq| seq <= good)),
        None => seqs.first(),
    };
    next.copied().or(Some(checkpoints[mismatch].seq))
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditVerification {
    /// The entries that verified, in chain order: all of them when the chain is intact.
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
        let genesis = "0".repeat(64);
        let mut chain = ChainCheck::new(&checkpoints, head_hash.clone().filter(|head| *head != genesis));
        let mut after: Option<i64> = None;
        loop {
            let rows = scope.tx.query_all(&verification_batch(after)).await?;
            let Some(last) = rows.last() else { break };
            after = Some(last.try_get_by_index(0)?);
            for row in &rows {
                chain.check(row)?;
            }
            if chain.first_broken_seq.is_some() {
                break;
            }
        }
        let entries = chain.seqs.len() as i64;
        // The head names an entry the chain must still hold (a new chain's head is all zeros).
        let truncated = chain.first_broken_seq.is_none()
            && match head_hash.as_deref() {
                None => true,
                Some(head) => head != genesis && !chain.head_seen,
            };
        let departure = first_departure(&chain.seqs, &chain.found, &checkpoints);
        let rewritten = departure.is_some();
        let first_broken_seq = chain.first_broken_seq.or(departure);
        let intact = first_broken_seq.is_none() && !truncated;
        if let (true, Some(witness), Some(head)) = (intact, scope.witness, chain.last) {
            // What this computer has now seen intact is what it holds the chain to next time.
            witness.observe(std::slice::from_ref(&head))?;
        }
        Ok(AuditVerification {
            entries,
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

/// Audited actions from `from` (inclusive) to `to` (exclusive), counted per person and
/// operation, with the newest one's time; only `actor`'s when given.
pub async fn actions_by_actor(
    scope: &Scope<'_>,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
    actor: Option<Uuid>,
) -> Result<Vec<crate::activity::Counted<chrono::DateTime<chrono::Utc>>>, ApiError> {
    crate::activity::count_by_actor(scope, "audit_log", "at", (from.into(), to.into()), actor).await
}
