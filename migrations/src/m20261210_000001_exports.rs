//! Exports to files as background jobs (CUST-7, SEC-5): what was asked for (the segment or the
//! kind and filter, the columns, the file), how far the job got and how it ended. Each user's
//! own bookkeeping on the database the export ran on, like imports: not synced. That an export
//! happened is in the audit log, which is what an auditor reads.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261210_000001_exports"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let json = if manager.get_database_backend() == DatabaseBackend::Postgres { "jsonb" } else { "text" };
        let count = |name: &str| ColumnDef::new(Alias::new(name)).big_integer().not_null().default(0).to_owned();
        let exports = Table::create()
            .table(Alias::new("exports"))
            .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("record_table")).string_len(64).not_null())
            .col(ColumnDef::new(Alias::new("segment_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("name")).string_len(400).not_null())
            .col(ColumnDef::new(Alias::new("format")).string_len(8).not_null())
            .col(ColumnDef::new(Alias::new("file_path")).text().not_null())
            .col(ColumnDef::new(Alias::new("request")).custom(Alias::new(json)).not_null())
            .col(ColumnDef::new(Alias::new("status")).string_len(16).not_null())
            .col(ColumnDef::new(Alias::new("message")).text().null())
            .col(ColumnDef::new(Alias::new("cancel_requested")).boolean().not_null().default(false))
            .col(count("total"))
            .col(count("written"))
            .col(ColumnDef::new(Alias::new("started_by")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("started_at")).timestamp_with_time_zone().not_null())
            .col(ColumnDef::new(Alias::new("updated_at")).timestamp_with_time_zone().not_null())
            .col(ColumnDef::new(Alias::new("finished_at")).timestamp_with_time_zone().null())
            .to_owned();
        manager.create_table(exports).await?;
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX exports_by_starter ON exports (started_by, started_at)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("exports")).to_owned()).await?;
        Ok(())
    }
}
