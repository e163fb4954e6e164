//! Saved segments (CUST-4): a name and a filter over one kind of record, evaluated when read;
//! and indexes on the fields segments most often select customers by.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000002_segments"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let json = if manager.get_database_backend() == DatabaseBackend::Postgres { "jsonb" } else { "text" };
        let uuid = |name: &str| ColumnDef::new(Alias::new(name)).uuid().not_null().to_owned();
        let when = |name: &str| ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().not_null().to_owned();
        let segments = Table::create()
            .table(Alias::new("segments"))
            .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("name")).string_len(200).not_null())
            .col(ColumnDef::new(Alias::new("record_table")).string_len(64).not_null())
            .col(ColumnDef::new(Alias::new("filter")).custom(Alias::new(json)).not_null())
            .col(ColumnDef::new(Alias::new("notes")).text().null())
            .col(ColumnDef::new(Alias::new("version")).big_integer().not_null())
            .col(when("created_at"))
            .col(when("updated_at"))
            .col(uuid("created_by"))
            .col(uuid("updated_by"))
            .col(ColumnDef::new(Alias::new("deleted_at")).timestamp_with_time_zone().null())
            .col(ColumnDef::new(Alias::new("owner_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("department_id")).uuid().null())
            .to_owned();
        manager.create_table(segments).await?;
        let connection = manager.get_connection();
        for sql in [
            "CREATE INDEX segments_by_name ON segments (record_table, name)",
            "CREATE INDEX segments_owner ON segments (owner_id)",
            "CREATE INDEX segments_department ON segments (department_id)",
            // What segments most often select by, so a count need not read every row.
            "CREATE INDEX contacts_by_role ON contacts (role) WHERE deleted_at IS NULL",
            "CREATE INDEX organisations_by_industry ON organisations (industry) WHERE deleted_at IS NULL",
            "CREATE INDEX organisations_by_country ON organisations (country) WHERE deleted_at IS NULL",
        ] {
            connection.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        for index in ["contacts_by_role", "organisations_by_industry", "organisations_by_country"] {
            connection.execute_unprepared(&format!("DROP INDEX {index}")).await?;
        }
        manager.drop_table(Table::drop().table(Alias::new("segments")).to_owned()).await
    }
}
