//! Merges of duplicate records (CUST-5): each merge is kept — which record survived, which
//! was archived into it, the fields taken from the archived one and the records moved — so
//! the archived record points to its survivor and the merge can be undone.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000001_record_merges"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let json = if manager.get_database_backend() == DatabaseBackend::Postgres { "jsonb" } else { "text" };
        let uuid = |name: &str| ColumnDef::new(Alias::new(name)).uuid().not_null().to_owned();
        let when = |name: &str| ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().not_null().to_owned();
        let merges = Table::create()
            .table(Alias::new("record_merges"))
            .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("record_table")).string_len(64).not_null())
            .col(uuid("survivor_id"))
            .col(uuid("merged_id"))
            .col(ColumnDef::new(Alias::new("fields")).custom(Alias::new(json)).not_null())
            .col(ColumnDef::new(Alias::new("moved")).custom(Alias::new(json)).not_null())
            .col(ColumnDef::new(Alias::new("archived")).custom(Alias::new(json)).not_null())
            .col(ColumnDef::new(Alias::new("undone_at")).timestamp_with_time_zone().null())
            .col(ColumnDef::new(Alias::new("undone_by")).uuid().null())
            .col(ColumnDef::new(Alias::new("version")).big_integer().not_null())
            .col(when("created_at"))
            .col(when("updated_at"))
            .col(uuid("created_by"))
            .col(uuid("updated_by"))
            .col(ColumnDef::new(Alias::new("deleted_at")).timestamp_with_time_zone().null())
            .col(ColumnDef::new(Alias::new("owner_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("department_id")).uuid().null())
            .to_owned();
        manager.create_table(merges).await?;
        let dismissals = Table::create()
            .table(Alias::new("duplicate_dismissals"))
            .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("record_table")).string_len(64).not_null())
            .col(uuid("first_id"))
            .col(uuid("second_id"))
            .col(ColumnDef::new(Alias::new("version")).big_integer().not_null())
            .col(when("created_at"))
            .col(when("updated_at"))
            .col(uuid("created_by"))
            .col(uuid("updated_by"))
            .col(ColumnDef::new(Alias::new("deleted_at")).timestamp_with_time_zone().null())
            .col(ColumnDef::new(Alias::new("owner_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("department_id")).uuid().null())
            .to_owned();
        manager.create_table(dismissals).await?;
        let connection = manager.get_connection();
        for sql in [
            "CREATE INDEX record_merges_survivor ON record_merges (survivor_id)",
            "CREATE INDEX record_merges_merged ON record_merges (merged_id)",
            "CREATE INDEX record_merges_owner ON record_merges (owner_id)",
            "CREATE INDEX record_merges_department ON record_merges (department_id)",
            "CREATE INDEX duplicate_dismissals_pair ON duplicate_dismissals (record_table, first_id, second_id)",
            "CREATE INDEX duplicate_dismissals_owner ON duplicate_dismissals (owner_id)",
            "CREATE INDEX duplicate_dismissals_department ON duplicate_dismissals (department_id)",
        ] {
            connection.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("duplicate_dismissals")).to_owned()).await?;
        manager.drop_table(Table::drop().table(Alias::new("record_merges")).to_owned()).await
    }
}
