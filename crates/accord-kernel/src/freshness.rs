//! Data freshness (CUST-6): a kind whose data goes stale (a contact changes jobs, a company
//! moves) keeps when its data was last confirmed as current; records of it not confirmed for
//! the kind's number of months are flagged to their owner, and confirming is one action — an
//! ordinary change, with its change-log entry, history and sync.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::changelog::ChangeAction;
use crate::error::ApiError;
use crate::operation::Scope;
use crate::records::{self, Record};

/// Months after which unconfirmed data is flagged, until an administrator sets a kind's own.
pub const DEFAULT_MONTHS: u32 = 12;

/// A kind of record whose data is confirmed from time to time.
pub trait Confirmable: Record {
    fn confirmed_at(&self) -> Option<DateTime<Utc>>;
    fn set_confirmed_at(&mut self, at: DateTime<Utc>);
}

/// Confirms record `id` (read at `version`) as current now; the record's fields after.
pub async fn confirm<R: Confirmable>(scope: &Scope<'_>, id: Uuid, version: i64) -> Result<serde_json::Value, ApiError> {
    let before: R = records::load_for_change(scope, id, version).await?;
    records::ensure_active(&before, "id")?;
    let mut after = before.clone();
    after.set_confirmed_at(scope.now);
    let saved = records::update(scope, &before, after, ChangeAction::Update).await?;
    records::fields_of(&saved)
}
