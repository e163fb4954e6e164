//! The exports as kept: one row per export, its request, its progress and how it ended. Each
//! user's own bookkeeping, like imports: not synced, no change log (the audit log records
//! that the export happened).

use accord_kernel::error::ApiError;
use accord_kernel::jobs::JobStatus;
use accord_kernel::operation::Scope;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{QueryOrder, QuerySelect};
use uuid::Uuid;

use super::super::io::ExportSummary;

pub mod export {
    use super::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "exports")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub record_table: String,
        pub segment_id: Option<Uuid>,
        pub name: String,
        pub format: String,
        pub file_path: String,
        pub request: Json,
        pub status: String,
        pub message: Option<String>,
        pub cancel_requested: bool,
        pub total: i64,
        pub written: i64,
        pub started_by: Uuid,
        pub started_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        pub finished_at: Option<DateTime<Utc>>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

impl export::Model {
    pub fn summary(&self, now: DateTime<Utc>) -> ExportSummary {
        ExportSummary {
            id: self.id,
            table: self.record_table.clone(),
            segment_id: self.segment_id,
            name: self.name.clone(),
            file_name: accord_kernel::files::file_name_of(std::path::Path::new(&self.file_path)),
            path: self.file_path.clone(),
            format: if self.format == "csv" {
                accord_kernel::sheets::ExportFormat::Csv
            } else {
                accord_kernel::sheets::ExportFormat::Xlsx
            },
            status: JobStatus::read(&self.status, self.updated_at, now),
            message: self.message.clone(),
            total: Ord::max(self.total, 0) as u64,
            written: Ord::max(self.written, 0) as u64,
            cancel_requested: self.cancel_requested,
            started_at: self.started_at,
            finished_at: self.finished_at,
        }
    }
}

/// The actor's own export `id`; another user's is "not found", like one that does not exist.
pub async fn own(scope: &Scope<'_>, id: Uuid) -> Result<export::Model, ApiError> {
    export::Entity::find_by_id(id)
        .filter(export::Column::StartedBy.eq(scope.actor.user_id))
        .one(scope.tx)
        .await?
        .ok_or_else(|| {
            ApiError::not_found("export", id).with_field(
                "id",
                accord_kernel::FieldCode::UnknownId,
                "No such export of yours.",
            )
        })
}

/// The actor's latest exports, newest first.
pub async fn latest(scope: &Scope<'_>, most: u64) -> Result<Vec<export::Model>, ApiError> {
    Ok(export::Entity::find()
        .filter(export::Column::StartedBy.eq(scope.actor.user_id))
        .order_by_desc(export::Column::StartedAt)
        .limit(most)
        .all(scope.tx)
        .await?)
}

pub async fn insert(scope: &Scope<'_>, model: export::Model) -> Result<(), ApiError> {
    export::Entity::insert(export::ActiveModel::from(model)).exec_without_returning(scope.tx).await?;
    Ok(())
}

/// Adds `rows` written. Each change to an export is an update of its own columns, never a
/// write of the whole row read earlier: a cancel made meanwhile is never written over.
pub async fn add_written(scope: &Scope<'_>, id: Uuid, rows: u64) -> Result<(), ApiError> {
    export::Entity::update_many()
        .col_expr(export::Column::Written, Expr::col(export::Column::Written).add(rows as i64))
        .col_expr(export::Column::UpdatedAt, Expr::value(scope.now))
        .filter(export::Column::Id.eq(id))
        .exec(scope.tx)
        .await?;
    Ok(())
}

/// Sets some columns of an export (and its `updated_at`).
pub async fn set(scope: &Scope<'_>, id: Uuid, values: Vec<(export::Column, sea_orm::Value)>) -> Result<(), ApiError> {
    let mut update = export::Entity::update_many().col_expr(export::Column::UpdatedAt, Expr::value(scope.now));
    for (column, value) in values {
        update = update.col_expr(column, Expr::value(value));
    }
    update.filter(export::Column::Id.eq(id)).exec(scope.tx).await?;
    Ok(())
}
