//! Data freshness (CUST-6): when each organisation's and contact's data was last confirmed as
//! current (never: counted from its creation), and, per kind of record, after how many months
//! unconfirmed data is flagged to its owner.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261209_000002_freshness"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["organisations", "contacts"] {
            let add = Table::alter()
                .table(Alias::new(table))
                .add_column(ColumnDef::new(Alias::new("confirmed_at")).timestamp_with_time_zone().null())
                .to_owned();
            manager.alter_table(add).await?;
        }
        let rules = Table::create()
            .table(Alias::new("freshness_rules"))
            .col(ColumnDef::new(Alias::new("record_table")).string_len(64).not_null().primary_key())
            .col(ColumnDef::new(Alias::new("months")).integer().not_null())
            .col(ColumnDef::new(Alias::new("updated_at")).timestamp_with_time_zone().not_null())
            .col(ColumnDef::new(Alias::new("updated_by")).uuid().not_null())
            .to_owned();
        manager.create_table(rules).await?;
        let connection = manager.get_connection();
        for sql in [
            "CREATE INDEX organisations_unconfirmed ON organisations (owner_id, COALESCE(confirmed_at, created_at)) WHERE deleted_at IS NULL",
            "CREATE INDEX contacts_unconfirmed ON contacts (owner_id, COALESCE(confirmed_at, created_at)) WHERE deleted_at IS NULL",
        ] {
            connection.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("freshness_rules")).to_owned()).await?;
        for table in ["organisations", "contacts"] {
            let connection = manager.get_connection();
            connection.execute_unprepared(&format!("DROP INDEX IF EXISTS {table}_unconfirmed")).await?;
            let drop = Table::alter().table(Alias::new(table)).drop_column(Alias::new("confirmed_at")).to_owned();
            manager.alter_table(drop).await?;
        }
        Ok(())
    }
}
