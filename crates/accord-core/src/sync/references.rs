//! References to archived records (issue 15, Deliver 3; ADR 0014): a contact made offline for
//! an organisation that was archived in the office meanwhile is kept — nothing is lost — and
//! flagged, so a person restores the organisation or moves the contact. Generic over the
//! kinds' declared references (`Record::REFERENCES`): a later domain is covered by declaring
//! its own.

use accord_kernel::catalogue::RecordKind;
use accord_kernel::error::ApiError;
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records::Reference;
use accord_kernel::security::Permission;
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::RESOLVE;
use super::conflicts::titles_of;
use crate::door::registry;

/// References listed at most at once.
const MOST: u64 = 500;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListArchivedReferencesInput {
    /// Only this record's (its card): both or neither.
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub row_id: Option<Uuid>,
}

/// An active record that names an archived one.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ArchivedReference {
    pub table: String,
    pub row_id: Uuid,
    /// What a person calls one ("contact").
    pub label: String,
    pub title: Option<String>,
    /// The field that names the archived record.
    pub field: String,
    pub target_table: String,
    pub target_id: Uuid,
    pub target_label: String,
    pub target_title: Option<String>,
    /// When the record it names was archived.
    pub archived_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ArchivedReferenceList {
    pub references: Vec<ArchivedReference>,
}

/// `sync.list_archived_references`: active records one may change that name an archived
/// record, newest archive first.
pub struct ListArchivedReferences;

impl Operation for ListArchivedReferences {
    const NAME: &'static str = "sync.list_archived_references";
    const PERMISSION: Permission = RESOLVE;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "Active records one may change that name an archived record (archived elsewhere while they were made).";
    type Input = ListArchivedReferencesInput;
    type Output = ArchivedReferenceList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let only = input.table.as_deref().zip(input.row_id);
        let mut references = Vec::new();
        let may_change =
            |kind: &&RecordKind| scope.actor.may(kind.read_permission) && scope.actor.may(kind.write_permission);
        for kind in registry::record_kinds().filter(may_change) {
            if only.is_some_and(|(table, _)| table != kind.table) {
                continue;
            }
            for reference in kind.references {
                let Some(target) = registry::record_kind(reference.table) else { continue };
                if scope.actor.may(target.read_permission) {
                    references.extend(naming_archived(scope, kind, reference, target, only.map(|(_, id)| id)).await?);
                }
            }
        }
        references.sort_by_key(|r| std::cmp::Reverse(r.archived_at));
        references.truncate(MOST as usize);
        let titles = titles_of(scope, references.iter().flat_map(|r| [r.row_id, r.target_id]).collect()).await?;
        for reference in &mut references {
            reference.title = titles.get(&reference.row_id).cloned();
            reference.target_title = titles.get(&reference.target_id).cloned();
        }
        Ok(ArchivedReferenceList { references })
    }
}

/// The records of `kind` within the actor's reach, active, whose `reference` names an
/// archived record of `target`.
async fn naming_archived(
    scope: &Scope<'_>,
    kind: &RecordKind,
    reference: &Reference,
    target: &RecordKind,
    only: Option<Uuid>,
) -> Result<Vec<ArchivedReference>, ApiError> {
    let (records, named) = (Alias::new(kind.table), Alias::new("named"));
    let mut query = Query::select();
    query
        .expr_as(Expr::col((records.clone(), Alias::new("id"))), Alias::new("row_id"))
        .expr_as(Expr::col((named.clone(), Alias::new("id"))), Alias::new("target_id"))
        .expr_as(Expr::col((named.clone(), Alias::new("deleted_at"))), Alias::new("archived_at"))
        .from(records.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new(target.table),
            named.clone(),
            Expr::col((named.clone(), Alias::new("id"))).equals((records.clone(), Alias::new(reference.field))),
        )
        .and_where(Expr::col((records.clone(), Alias::new("deleted_at"))).is_null())
        .and_where(Expr::col((named.clone(), Alias::new("deleted_at"))).is_not_null())
        .order_by((named, Alias::new("deleted_at")), Order::Desc)
        .limit(MOST);
    // Both within the reader's reach: an archived record they may not see is not named.
    let reach = &scope.actor.reach;
    for visible in [reach.condition(Some(kind.table)), reach.condition(Some("named"))].into_iter().flatten() {
        query.cond_where(visible);
    }
    if let Some(id) = only {
        query.and_where(Expr::col((records, Alias::new("id"))).eq(id));
    }
    let mut found = Vec::new();
    for row in scope.tx.query_all(&query).await? {
        found.push(ArchivedReference {
            table: kind.table.to_owned(),
            row_id: row.try_get("", "row_id")?,
            label: kind.label.to_owned(),
            title: None,
            field: reference.field.to_owned(),
            target_table: target.table.to_owned(),
            target_id: row.try_get("", "target_id")?,
            target_label: target.label.to_owned(),
            target_title: None,
            archived_at: row.try_get("", "archived_at")?,
        });
    }
    Ok(found)
}
