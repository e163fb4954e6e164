//! A replica keeps the changes its server refused (ADR 0014): taken out of its change log, so
//! its records agree with the server again, and kept whole, so a person sees what was refused
//! and why, and can make the change again once allowed. And it notes the records whose
//! earlier history it lacks (a record that came into the user's reach), to fetch it whole. A
//! server binds each replica's device to the user whose replica it is.

use sea_orm_migration::prelude::*;

pub struct Migration;

const CREATIONS_INDEX: &str =
    "CREATE INDEX change_log_creations ON change_log (table_name, row_id) WHERE action = 'insert'";

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000003_sync_refusals_and_reach"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(sync_rejected()).await?;
        manager.create_table(sync_incomplete()).await?;
        manager.create_table(sync_devices()).await?;
        // Each record's creating entry, found without reading its other entries: a pull asks,
        // page after page, which records it changed arrived without one.
        manager.get_connection().execute_unprepared(CREATIONS_INDEX).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX change_log_creations").await?;
        for table in ["sync_devices", "sync_incomplete", "sync_rejected"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}

/// The refused entry as it was in the log, with the server's reason.
fn sync_rejected() -> TableCreateStatement {
    let text = |name: &str, len: u32| ColumnDef::new(Alias::new(name)).string_len(len).not_null().to_owned();
    Table::create()
        .table(Alias::new("sync_rejected"))
        .col(ColumnDef::new(Alias::new("hlc")).big_integer().not_null())
        .col(ColumnDef::new(Alias::new("device_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("actor_id")).uuid().not_null())
        .col(text("operation", 128))
        .col(text("table_name", 64))
        .col(ColumnDef::new(Alias::new("row_id")).uuid().not_null())
        .col(text("action", 16))
        .col(ColumnDef::new(Alias::new("changes")).text().not_null())
        .col(text("code", 64))
        .col(ColumnDef::new(Alias::new("reason")).text().not_null())
        .col(ColumnDef::new(Alias::new("rejected_at")).timestamp_with_time_zone().not_null())
        .primary_key(Index::create().col(Alias::new("device_id")).col(Alias::new("hlc")))
        .to_owned()
}

/// Records a pull brought a change of without the change that created them, or whose owner
/// changed: they may have just come into the user's reach, with a history from before.
/// Written with the entries; emptied as their whole history arrives.
fn sync_incomplete() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("sync_incomplete"))
        .col(ColumnDef::new(Alias::new("table_name")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("row_id")).uuid().not_null())
        .primary_key(Index::create().col(Alias::new("table_name")).col(Alias::new("row_id")))
        .to_owned()
}

/// On a server: the user each pushing device (a replica) belongs to, bound at its first push,
/// so nobody pushes entries under another replica's device.
fn sync_devices() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("sync_devices"))
        .col(ColumnDef::new(Alias::new("device_id")).uuid().not_null().primary_key())
        .col(ColumnDef::new(Alias::new("user_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("bound_at")).timestamp_with_time_zone().not_null())
        .to_owned()
}
