//! Sync over the change log (ADR 0014): a commit-ordered cursor on PostgreSQL, the identity a
//! replica checks its server by, the replica's own state, and the open conflicts of merged
//! records.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000002_sync"
    }
}

/// On PostgreSQL every entry carries the id of the transaction that wrote it: a reader
/// ships only entries of transactions older than every one still running, so an entry that
/// commits late is never skipped. (SQLite commits one writer at a time: `seq` is the order.)
const POSTGRES_COMMIT_ORDER: &[&str] = &[
    "ALTER TABLE change_log ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()",
    "CREATE INDEX change_log_commit_order ON change_log (tx_id, seq)",
];

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        if backend == DatabaseBackend::Postgres {
            for sql in POSTGRES_COMMIT_ORDER {
                manager.get_connection().execute_unprepared(sql).await?;
            }
        }
        manager.create_table(database_identity()).await?;
        let new_id = match backend {
            DatabaseBackend::Postgres => "CAST(gen_random_uuid() AS text)",
            _ => "lower(hex(randomblob(16)))",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!("INSERT INTO database_identity (id, singleton) VALUES ({new_id}, 1)"))
            .await?;
        manager.create_table(sync_replica()).await?;
        manager.create_table(sync_conflicts()).await?;
        manager.create_table(sync_unmerged()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["sync_unmerged", "sync_conflicts", "sync_replica", "database_identity"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager.get_connection().execute_unprepared("ALTER TABLE change_log DROP COLUMN tx_id").await?;
        }
        Ok(())
    }
}

/// One row: this database's own identity, made once, so a replica can tell its server from
/// another one (or from a copy restored under the same address).
fn database_identity() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("database_identity"))
        .col(
            ColumnDef::new(Alias::new("singleton"))
                .integer()
                .not_null()
                .primary_key()
                .check(Expr::cust("singleton = 1")),
        )
        .col(ColumnDef::new(Alias::new("id")).string_len(64).not_null())
        .to_owned()
}

/// On a laptop's replica, one row: which server and user it replicates, the replica's own
/// device id (its writes are told apart from the installation's on the server), what the
/// user may do and see as the server said at the last sync, and how far it has
/// read the server's log (the cursor is saved in the transaction that applies what it covers).
fn sync_replica() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("sync_replica"))
        .col(
            ColumnDef::new(Alias::new("singleton"))
                .integer()
                .not_null()
                .primary_key()
                .check(Expr::cust("singleton = 1")),
        )
        .col(ColumnDef::new(Alias::new("server_id")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("server_address")).string_len(512).not_null())
        .col(ColumnDef::new(Alias::new("user_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("device_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("actor")).text().not_null())
        .col(ColumnDef::new(Alias::new("pulled_commit")).big_integer().not_null())
        .col(ColumnDef::new(Alias::new("pulled_seq")).big_integer().not_null())
        .col(ColumnDef::new(Alias::new("pushed_seq")).big_integer().not_null())
        .col(ColumnDef::new(Alias::new("created_at")).timestamp_with_time_zone().not_null())
        .col(ColumnDef::new(Alias::new("last_sync_at")).timestamp_with_time_zone().null())
        .to_owned()
}

/// Concurrent values of an important field, derived from the change log by the merge: the
/// same on every replica that holds the same entries; a resolution is an ordinary change.
fn sync_conflicts() -> TableCreateStatement {
    let stamp = |name: &str| ColumnDef::new(Alias::new(name)).big_integer().not_null().to_owned();
    let id = |name: &str| ColumnDef::new(Alias::new(name)).uuid().not_null().to_owned();
    let value = |name: &str| ColumnDef::new(Alias::new(name)).text().not_null().to_owned();
    Table::create()
        .table(Alias::new("sync_conflicts"))
        .col(ColumnDef::new(Alias::new("table_name")).string_len(64).not_null())
        .col(id("row_id"))
        .col(ColumnDef::new(Alias::new("field")).string_len(64).not_null())
        .col(stamp("kept_hlc"))
        .col(id("kept_device"))
        .col(id("kept_actor"))
        .col(value("kept_value"))
        .col(stamp("other_hlc"))
        .col(id("other_device"))
        .col(id("other_actor"))
        .col(value("other_value"))
        .primary_key(
            Index::create()
                .col(Alias::new("table_name"))
                .col(Alias::new("row_id"))
                .col(Alias::new("field"))
                .col(Alias::new("other_hlc"))
                .col(Alias::new("other_device")),
        )
        .to_owned()
}

/// On a replica, the records whose pulled entries are stored but not yet merged into them:
/// a long pull stores page after page and merges each record once at its end. Written in the
/// transaction that stores the entries, so a pull cut short merges them at the next sync.
fn sync_unmerged() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("sync_unmerged"))
        .col(ColumnDef::new(Alias::new("table_name")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("row_id")).uuid().not_null())
        .primary_key(Index::create().col(Alias::new("table_name")).col(Alias::new("row_id")))
        .to_owned()
}
