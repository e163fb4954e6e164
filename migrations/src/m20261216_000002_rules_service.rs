//! Where a team server's rules service has read the change log to (ADR 0022): one row, the
//! commit-order cursor after which changes are still to be matched against the rules; and
//! whether a laptop's replica leaves its rules to its server's service.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261216_000002_rules_service"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("rules_service"))
                    .col(ColumnDef::new(Alias::new("id")).integer().not_null().primary_key())
                    .col(ColumnDef::new(Alias::new("commit_order")).big_integer().not_null())
                    .col(ColumnDef::new(Alias::new("seq")).big_integer().not_null())
                    .col(ColumnDef::new(Alias::new("ran_at")).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("sync_replica"))
                    .add_column(ColumnDef::new(Alias::new("rules_by_server")).boolean().not_null().default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Alias::new("sync_replica")).drop_column(Alias::new("rules_by_server")).to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(Alias::new("rules_service")).to_owned()).await
    }
}
