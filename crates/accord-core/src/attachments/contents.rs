//! The bytes of attached files, kept once per SHA-256 in `attachment_contents`, and how sync
//! carries them: the change log holds what was attached to what; the files themselves go by
//! hash, only to a side that lacks them, each checked against its hash where it arrives.

use std::collections::BTreeSet;

use accord_kernel::error::{ApiError, FieldCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records;
use accord_kernel::security::Permission;
use base64::Engine as _;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{MAX_BYTES, Model, sha256_hex};
use crate::door::registry;

/// Files asked for or sent in one call of sync: at most this many, and at most
/// [`BATCH_BYTES`] together, so one call never holds more than a few files in memory.
pub const BATCH_FILES: usize = 8;
pub const BATCH_BYTES: u64 = 32 * 1024 * 1024;

fn table() -> Alias {
    Alias::new("attachment_contents")
}

/// Keeps `bytes` under `sha256` unless it is kept already; `scope`'s actor is who kept them.
pub async fn keep(scope: &Scope<'_>, sha256: &str, bytes: &[u8]) -> Result<(), ApiError> {
    let values = [
        sha256.into(),
        (bytes.len() as i64).into(),
        bytes.to_vec().into(),
        scope.now.into(),
        scope.actor.user_id.into(),
    ];
    let insert = Query::insert()
        .into_table(table())
        .columns(["sha256", "size_bytes", "bytes", "created_at", "kept_by"].map(Alias::new))
        .values_panic(values)
        .on_conflict(OnConflict::column(Alias::new("sha256")).do_nothing().to_owned())
        .to_owned();
    scope.tx.execute(&insert).await?;
    Ok(())
}

/// Which of `hashes` are kept here.
pub async fn held(conn: &impl ConnectionTrait, hashes: &[String]) -> Result<BTreeSet<String>, ApiError> {
    let mut found = BTreeSet::new();
    for chunk in hashes.chunks(500) {
        let query = Query::select()
            .column(Alias::new("sha256"))
            .from(table())
            .and_where(Expr::col(Alias::new("sha256")).is_in(chunk.iter().cloned()))
            .to_owned();
        for row in conn.query_all(&query).await? {
            found.insert(row.try_get::<String>("", "sha256")?);
        }
    }
    Ok(found)
}

/// The bytes kept under `sha256`.
pub async fn read(conn: &impl ConnectionTrait, sha256: &str) -> Result<Option<Vec<u8>>, ApiError> {
    let query = Query::select()
        .column(Alias::new("bytes"))
        .from(table())
        .and_where(Expr::col(Alias::new("sha256")).eq(sha256))
        .to_owned();
    match conn.query_one(&query).await? {
        Some(row) => Ok(Some(row.try_get::<Vec<u8>>("", "bytes")?)),
        None => Ok(None),
    }
}

/// The files this database's attachments name but it does not keep (a replica's, before the
/// server sent them).
pub async fn lacking_here(conn: &impl ConnectionTrait) -> Result<Vec<String>, ApiError> {
    let query = Query::select()
        .distinct()
        .expr_as(Expr::col((Alias::new("a"), Alias::new("sha256"))), Alias::new("sha256"))
        .from_as(Alias::new("attachments"), Alias::new("a"))
        .and_where(
            Expr::col((Alias::new("a"), Alias::new("sha256")))
                .not_in_subquery(Query::select().column(Alias::new("sha256")).from(table()).to_owned()),
        )
        .to_owned();
    let rows = conn.query_all(&query).await?;
    rows.iter().map(|row| Ok(row.try_get::<String>("", "sha256")?)).collect()
}

/// The files the attachments `ids` name.
pub async fn of_attachments(conn: &impl ConnectionTrait, ids: &[uuid::Uuid]) -> Result<Vec<String>, ApiError> {
    let mut hashes = BTreeSet::new();
    for chunk in ids.chunks(500) {
        let query = Query::select()
            .column(Alias::new("sha256"))
            .from(Alias::new("attachments"))
            .and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().copied()))
            .to_owned();
        for row in conn.query_all(&query).await? {
            hashes.insert(row.try_get::<String>("", "sha256")?);
        }
    }
    Ok(hashes.into_iter().collect())
}

/// One file as sync carries it.
#[derive(Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct FileContent {
    pub sha256: String,
    /// The bytes, base64 (standard alphabet, padded).
    pub content_base64: String,
}

impl std::fmt::Debug for FileContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileContent").field("sha256", &self.sha256).finish_non_exhaustive()
    }
}

impl FileContent {
    pub fn of(sha256: String, bytes: &[u8]) -> Self {
        Self { sha256, content_base64: base64::engine::general_purpose::STANDARD.encode(bytes) }
    }

    /// The bytes, when they are what their hash says and not larger than Accord keeps.
    fn checked_bytes(&self) -> Result<Vec<u8>, ApiError> {
        let refuse = |message: String| Err(ApiError::field("contents", FieldCode::InvalidValue, message));
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&self.content_base64) else {
            return refuse(format!("The file {} is not valid base64.", self.sha256));
        };
        if bytes.len() as u64 > MAX_BYTES {
            return refuse(format!("The file {} is larger than Accord keeps.", self.sha256));
        }
        if sha256_hex(&bytes) != self.sha256 {
            return refuse(format!("The file sent as {} does not match its hash (damaged on the way).", self.sha256));
        }
        Ok(bytes)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ContentHashes {
    pub hashes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
pub struct FileContents {
    pub contents: Vec<FileContent>,
}

fn check_batch(count: usize) -> Result<(), ApiError> {
    if count > BATCH_FILES {
        return Err(ApiError::field(
            "hashes",
            FieldCode::InvalidValue,
            format!("Ask for at most {BATCH_FILES} files at a time."),
        ));
    }
    Ok(())
}

/// `attachments.contents_lacking`: which of a replica's files the server does not keep yet.
pub struct ContentsLacking;

impl Operation for ContentsLacking {
    const NAME: &'static str = "attachments.contents_lacking";
    const PERMISSION: Permission = crate::sync::REPLICATE;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "Which of some attached files (by SHA-256) this database does not keep yet (sync).";
    type Input = ContentHashes;
    type Output = ContentHashes;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let held = held(scope.tx, &input.hashes).await?;
        Ok(ContentHashes { hashes: input.hashes.into_iter().filter(|h| !held.contains(h)).collect() })
    }
}

/// `attachments.store_contents`: files a replica sends before the entries that attach them.
pub struct StoreContents;

impl Operation for StoreContents {
    const NAME: &'static str = "attachments.store_contents";
    const PERMISSION: Permission = crate::sync::REPLICATE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Keep attached files another database sent, each checked against its SHA-256 (sync).";
    type Input = FileContents;
    type Output = u32;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        check_batch(input.contents.len())?;
        // All checked before any is kept: a damaged batch is refused whole and sent again.
        let checked: Vec<(String, Vec<u8>)> = input
            .contents
            .iter()
            .map(|c| Ok((c.sha256.clone(), c.checked_bytes()?)))
            .collect::<Result<_, ApiError>>()?;
        for (sha256, bytes) in &checked {
            keep(scope, sha256, bytes).await?;
        }
        Ok(checked.len() as u32)
    }
}

/// `attachments.read_contents`: the files of attachments the reader may see.
pub struct ReadContents;

impl Operation for ReadContents {
    const NAME: &'static str = "attachments.read_contents";
    const PERMISSION: Permission = crate::sync::REPLICATE;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "Attached files (by SHA-256) that an attachment the reader may see names, for a replica (sync).";
    type Input = ContentHashes;
    type Output = FileContents;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        check_batch(input.hashes.len())?;
        // Only a file some attachment within reach names, on a kind the reader may read.
        let readable_kinds: Vec<&str> = registry::record_kinds()
            .filter(|kind| kind.attachments && scope.actor.may(kind.read_permission))
            .map(|kind| kind.table)
            .collect();
        let named: Vec<String> = records::find::<Model>(scope)
            .select_only()
            .column(super::Column::Sha256)
            .filter(super::Column::Sha256.is_in(input.hashes.clone()))
            .filter(super::Column::RecordTable.is_in(readable_kinds))
            .into_tuple()
            .all(scope.tx)
            .await?;
        let named: BTreeSet<String> = named.into_iter().collect();
        let mut contents = Vec::new();
        for sha256 in named {
            if let Some(bytes) = read(scope.tx, &sha256).await? {
                contents.push(FileContent::of(sha256, &bytes));
            }
        }
        Ok(FileContents { contents })
    }
}
