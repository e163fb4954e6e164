//! Which records a replica should hold, compared without sending them (ADR 0014): a record
//! handed to someone else's department leaves the user's reach with no entry the user may
//! read, so the log alone never tells the laptop. After each pull, both sides summarise the
//! ids of each kind they hold (the server: those the user may read now) in 256 buckets by the
//! id's last byte; only the records of buckets that differ are asked about one by one.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectionTrait, DbBackend};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::ApiError;

/// One bucket's summary: how many ids, and the sum of their last eight bytes (random in a
/// UUIDv7). Two different sets of ids with the same count and sum are a 2^-62 coincidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BucketDigest {
    pub bucket: u8,
    #[ts(type = "number")]
    pub count: i64,
    /// The sum, as decimal text (it outgrows a JavaScript number).
    #[serde(with = "as_text")]
    #[ts(type = "string")]
    pub sum: i128,
}

/// The bucket an id falls in.
pub fn bucket_of(id: Uuid) -> u8 {
    id.as_bytes()[15]
}

fn summand(id: Uuid) -> i128 {
    let bytes = id.as_bytes();
    i128::from(i64::from_be_bytes([
        bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15],
    ]))
}

/// The digest of a set of ids, non-empty buckets only, in bucket order.
pub fn digest_of(ids: &[Uuid]) -> Vec<BucketDigest> {
    let mut buckets: BTreeMap<u8, BucketDigest> = BTreeMap::new();
    for id in ids {
        let bucket =
            buckets.entry(bucket_of(*id)).or_insert(BucketDigest { bucket: bucket_of(*id), ..Default::default() });
        bucket.count += 1;
        bucket.sum += summand(*id);
    }
    buckets.into_values().collect()
}

/// The digest of the ids of `table`'s rows that meet `condition`: computed by PostgreSQL
/// itself on a server (only the 256 summaries travel), from the ids read here otherwise.
pub async fn id_digest(
    conn: &impl ConnectionTrait,
    table: &str,
    condition: Option<sea_orm::Condition>,
) -> Result<Vec<BucketDigest>, ApiError> {
    let mut ids = Query::select();
    ids.from(Alias::new(table.to_owned()));
    if let Some(condition) = condition {
        ids.cond_where(condition);
    }
    if conn.get_database_backend() != DbBackend::Postgres {
        ids.column(Alias::new("id"));
        let mut all = Vec::new();
        for row in conn.query_all(&ids).await? {
            all.push(row.try_get::<Uuid>("", "id")?);
        }
        return Ok(digest_of(&all));
    }
    // The id's bytes, read as numbers (three times faster than going through its text).
    ids.expr_as(Expr::cust("uuid_send(id)"), Alias::new("b"));
    let last_eight: String = (8..16)
        .map(|byte| format!("(CAST(get_byte(b, {byte}) AS bigint) << {})", 8 * (15 - byte)))
        .collect::<Vec<_>>()
        .join(" | ");
    let summary = Query::select()
        .expr_as(Expr::cust("get_byte(b, 15)"), Alias::new("bucket"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .expr_as(Expr::cust(format!("CAST(SUM({last_eight}) AS text)")), Alias::new("s"))
        .from_subquery(ids, Alias::new("ids"))
        .add_group_by([Expr::cust("1")])
        .order_by_expr(Expr::cust("1"), sea_orm::Order::Asc)
        .to_owned();
    let mut digest = Vec::new();
    for row in conn.query_all(&summary).await? {
        let bucket: i32 = row.try_get("", "bucket")?;
        let sum: String = row.try_get("", "s")?;
        digest.push(BucketDigest {
            bucket: u8::try_from(bucket).map_err(|_| ApiError::internal("a digest bucket out of range"))?,
            count: row.try_get("", "n")?,
            sum: sum.parse().map_err(|_| ApiError::internal("a digest sum that is not a number"))?,
        });
    }
    Ok(digest)
}

/// The buckets in which two digests differ.
pub fn differing_buckets(mine: &[BucketDigest], theirs: &[BucketDigest]) -> Vec<u8> {
    let index = |digest: &[BucketDigest]| digest.iter().map(|b| (b.bucket, *b)).collect::<BTreeMap<_, _>>();
    let (mine, theirs) = (index(mine), index(theirs));
    (0..=u8::MAX).filter(|bucket| mine.get(bucket) != theirs.get(bucket)).collect()
}

mod as_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &i128, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i128, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_ids_in_any_order_give_the_same_digest_and_one_missing_id_shows_in_its_bucket() {
        let ids: Vec<Uuid> = (0..2000).map(|_| Uuid::now_v7()).collect();
        let mut shuffled = ids.clone();
        shuffled.reverse();
        assert_eq!(digest_of(&ids), digest_of(&shuffled));
        let gone = ids[700];
        let fewer: Vec<Uuid> = ids.iter().copied().filter(|id| *id != gone).collect();
        assert_eq!(differing_buckets(&digest_of(&ids), &digest_of(&fewer)), vec![bucket_of(gone)]);
        assert!(differing_buckets(&digest_of(&ids), &digest_of(&shuffled)).is_empty());
    }
}
