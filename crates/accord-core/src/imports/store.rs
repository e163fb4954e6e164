//! The imports as kept: one row per import (`imports`), the rows worth reporting
//! (`import_rows`: failed, held, created, imported with a notice) and the ids each batch
//! created (`import_batches`). Local bookkeeping, not business records: not synced, no
//! change log; each user sees their own.

use accord_kernel::error::ApiError;
use accord_kernel::operation::Scope;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use uuid::Uuid;

use accord_kernel::jobs::JobStatus;

use super::io::{ImportSummary, UndoProgress};

pub mod import {
    use super::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "imports")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub record_table: String,
        pub file_name: String,
        pub file_path: String,
        pub headers: Json,
        pub mapping: Json,
        pub options: Json,
        pub dry_run: bool,
        pub status: String,
        pub message: Option<String>,
        pub cancel_requested: bool,
        pub estimated_rows: Option<i64>,
        pub rows_read: i64,
        pub imported: i64,
        pub failed: i64,
        pub held: i64,
        pub noticed: i64,
        pub undo_status: Option<String>,
        pub undo_archived: i64,
        pub undo_kept_changed: i64,
        pub undo_already_archived: i64,
        pub started_by: Uuid,
        pub started_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        pub finished_at: Option<DateTime<Utc>>,
        pub undone_at: Option<DateTime<Utc>>,
        pub undone_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod row {
    use super::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_rows")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub import_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub row_number: i64,
        pub outcome: String,
        pub problems: Json,
        pub notices: Json,
        pub cells: Json,
        pub item: Option<Json>,
        pub existing_id: Option<Uuid>,
        pub created_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod batch {
    use super::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_batches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub import_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub batch: i32,
        pub ids: Json,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

impl import::Model {
    pub fn status(&self, now: DateTime<Utc>) -> JobStatus {
        JobStatus::read(&self.status, self.updated_at, now)
    }

    pub fn summary(&self, now: DateTime<Utc>) -> ImportSummary {
        let count = |n: i64| Ord::max(n, 0) as u64;
        ImportSummary {
            id: self.id,
            table: self.record_table.clone(),
            file_name: self.file_name.clone(),
            dry_run: self.dry_run,
            status: self.status(now),
            message: self.message.clone(),
            estimated_rows: self.estimated_rows.map(count),
            rows_read: count(self.rows_read),
            imported: count(self.imported),
            failed: count(self.failed),
            held: count(self.held),
            noticed: count(self.noticed),
            undo: self.undo_status.as_deref().map(|status| UndoProgress {
                status: JobStatus::read(status, self.updated_at, now),
                archived: count(self.undo_archived),
                kept_changed: count(self.undo_kept_changed),
                already_archived: count(self.undo_already_archived),
            }),
            cancel_requested: self.cancel_requested,
            started_at: self.started_at,
            finished_at: self.finished_at,
            undone_at: self.undone_at,
        }
    }
}

/// The actor's own import `id`; another user's is "not found", like one that does not exist.
pub async fn own(scope: &Scope<'_>, id: Uuid) -> Result<import::Model, ApiError> {
    import::Entity::find_by_id(id)
        .filter(import::Column::StartedBy.eq(scope.actor.user_id))
        .one(scope.tx)
        .await?
        .ok_or_else(|| {
            ApiError::not_found("import", id).with_field(
                "id",
                accord_kernel::FieldCode::UnknownId,
                "No such import of yours.",
            )
        })
}

/// The actor's latest imports, newest first.
pub async fn latest(scope: &Scope<'_>, most: u64) -> Result<Vec<import::Model>, ApiError> {
    Ok(import::Entity::find()
        .filter(import::Column::StartedBy.eq(scope.actor.user_id))
        .order_by_desc(import::Column::StartedAt)
        .limit(most)
        .all(scope.tx)
        .await?)
}

pub async fn insert(scope: &Scope<'_>, model: import::Model) -> Result<(), ApiError> {
    import::Entity::insert(import::ActiveModel::from(model)).exec_without_returning(scope.tx).await?;
    Ok(())
}

/// How far a batch moved an import on.
#[derive(Debug, Default)]
pub struct Progress {
    pub rows_read: i64,
    pub imported: i64,
    pub failed: i64,
    pub held: i64,
    pub noticed: i64,
}

/// Adds a batch's counts. Each change to an import is an update of its own columns, never a
/// write of the whole row read earlier: a cancel made meanwhile is never written over.
pub async fn add_progress(scope: &Scope<'_>, id: Uuid, progress: &Progress) -> Result<(), ApiError> {
    let add = |column: import::Column, n: i64| (column, Expr::col(column).add(n));
    let mut update = import::Entity::update_many();
    for (column, value) in [
        add(import::Column::RowsRead, progress.rows_read),
        add(import::Column::Imported, progress.imported),
        add(import::Column::Failed, progress.failed),
        add(import::Column::Held, progress.held),
        add(import::Column::Noticed, progress.noticed),
    ] {
        update = update.col_expr(column, value);
    }
    update
        .col_expr(import::Column::UpdatedAt, Expr::value(scope.now))
        .filter(import::Column::Id.eq(id))
        .exec(scope.tx)
        .await?;
    Ok(())
}

/// Adds what an undo batch did.
pub async fn add_undone(scope: &Scope<'_>, id: Uuid, undone: &super::io::UndoneImport) -> Result<(), ApiError> {
    let add = |column: import::Column, n: u64| (column, Expr::col(column).add(n as i64));
    let mut update = import::Entity::update_many();
    for (column, value) in [
        add(import::Column::UndoArchived, undone.archived),
        add(import::Column::UndoKeptChanged, undone.kept_changed),
        add(import::Column::UndoAlreadyArchived, undone.already_archived),
    ] {
        update = update.col_expr(column, value);
    }
    update
        .col_expr(import::Column::UpdatedAt, Expr::value(scope.now))
        .filter(import::Column::Id.eq(id))
        .exec(scope.tx)
        .await?;
    Ok(())
}

/// Sets some columns of an import (and its `updated_at`).
pub async fn set(scope: &Scope<'_>, id: Uuid, values: Vec<(import::Column, sea_orm::Value)>) -> Result<(), ApiError> {
    let mut update = import::Entity::update_many().col_expr(import::Column::UpdatedAt, Expr::value(scope.now));
    for (column, value) in values {
        update = update.col_expr(column, Expr::value(value));
    }
    update.filter(import::Column::Id.eq(id)).exec(scope.tx).await?;
    Ok(())
}

pub async fn insert_rows(scope: &Scope<'_>, rows: Vec<row::Model>) -> Result<(), ApiError> {
    // Nine columns a row: well within SQLite's bound parameters per statement.
    for chunk in rows.chunks(1000) {
        row::Entity::insert_many(chunk.iter().cloned().map(row::ActiveModel::from))
            .exec_without_returning(scope.tx)
            .await?;
    }
    Ok(())
}

pub async fn rows_after(
    scope: &Scope<'_>,
    id: Uuid,
    outcome: Option<&str>,
    after: i64,
    most: u64,
) -> Result<Vec<row::Model>, ApiError> {
    let mut query = row::Entity::find().filter(row::Column::ImportId.eq(id)).filter(row::Column::RowNumber.gt(after));
    if let Some(outcome) = outcome {
        query = query.filter(row::Column::Outcome.eq(outcome));
    }
    Ok(query.order_by_asc(row::Column::RowNumber).limit(most).all(scope.tx).await?)
}

pub async fn mark_created(scope: &Scope<'_>, id: Uuid, row_number: i64, created: Uuid) -> Result<(), ApiError> {
    row::Entity::update_many()
        .col_expr(row::Column::Outcome, Expr::value("created"))
        .col_expr(row::Column::CreatedId, Expr::value(created))
        .filter(row::Column::ImportId.eq(id))
        .filter(row::Column::RowNumber.eq(row_number))
        .exec(scope.tx)
        .await?;
    Ok(())
}

pub async fn add_batch(scope: &Scope<'_>, id: Uuid, ids: &[Uuid]) -> Result<(), ApiError> {
    let next: Option<i32> = batch::Entity::find()
        .select_only()
        .column_as(batch::Column::Batch.max(), "batch")
        .filter(batch::Column::ImportId.eq(id))
        .into_tuple::<Option<i32>>()
        .one(scope.tx)
        .await?
        .flatten();
    let model = batch::ActiveModel {
        import_id: Set(id),
        batch: Set(next.map_or(0, |n| n + 1)),
        ids: Set(serde_json::to_value(ids).map_err(|e| ApiError::internal(e.to_string()))?),
    };
    batch::Entity::insert(model).exec_without_returning(scope.tx).await?;
    Ok(())
}

pub async fn batches(scope: &Scope<'_>, id: Uuid) -> Result<Vec<Vec<Uuid>>, ApiError> {
    let batches = batch::Entity::find()
        .filter(batch::Column::ImportId.eq(id))
        .order_by_asc(batch::Column::Batch)
        .all(scope.tx)
        .await?;
    batches
        .into_iter()
        .map(|b| {
            serde_json::from_value(b.ids)
                .map_err(|e| ApiError::internal(format!("An import's ids cannot be read: {e}")))
        })
        .collect()
}
