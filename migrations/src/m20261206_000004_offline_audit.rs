//! A replica remembers how far its own audit entries have joined its server's chain (ADR
//! 0014): entries made offline are sent after its changes, and each only once.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000004_offline_audit"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let column = ColumnDef::new(Alias::new("audit_pushed_seq")).big_integer().not_null().default(0).to_owned();
        manager.alter_table(Table::alter().table(Alias::new("sync_replica")).add_column(column).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drop =
            Table::alter().table(Alias::new("sync_replica")).drop_column(Alias::new("audit_pushed_seq")).to_owned();
        manager.alter_table(drop).await
    }
}
