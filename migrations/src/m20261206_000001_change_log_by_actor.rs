//! Everything one person changed, newest first (SEC-4: the audit of a departing user's
//! work): the change log read by its actor without a scan.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000001_change_log_by_actor"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("change_log_by_actor")
                    .table(Alias::new("change_log"))
                    .col(Alias::new("actor_id"))
                    .col(Alias::new("seq"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("change_log_by_actor").table(Alias::new("change_log")).to_owned()).await
    }
}
