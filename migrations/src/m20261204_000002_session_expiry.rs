//! A session a laptop remembers (its token in the OS keyring) ends on its own after a while;
//! a window's ordinary session lives in the process's memory and ends with it.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000002_session_expiry"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("user_sessions"))
                    .add_column(ColumnDef::new(Alias::new("expires_at")).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Alias::new("user_sessions")).drop_column(Alias::new("expires_at")).to_owned(),
            )
            .await
    }
}
