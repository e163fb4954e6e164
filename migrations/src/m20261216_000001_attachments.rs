//! Files attached to records (COMM-1: an interaction's attachments): each attachment is a
//! business record naming its file, size and SHA-256; the bytes are kept once per hash in
//! `attachment_contents`, which the change log does not carry (sync sends them by hash).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261216_000001_attachments"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let uuid = |name: &str| ColumnDef::new(Alias::new(name)).uuid().not_null().to_owned();
        let when = |name: &str| ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().not_null().to_owned();
        let short = |name: &str, len: u32| ColumnDef::new(Alias::new(name)).string_len(len).not_null().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("attachments"))
                    .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
                    .col(short("record_table", 64))
                    .col(uuid("record_id"))
                    .col(short("file_name", 255))
                    .col(short("media_type", 127))
                    .col(ColumnDef::new(Alias::new("size_bytes")).big_integer().not_null())
                    .col(short("sha256", 64))
                    .col(ColumnDef::new(Alias::new("version")).big_integer().not_null())
                    .col(when("created_at"))
                    .col(when("updated_at"))
                    .col(uuid("created_by"))
                    .col(uuid("updated_by"))
                    .col(ColumnDef::new(Alias::new("deleted_at")).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(Alias::new("owner_id")).uuid().null())
                    .col(ColumnDef::new(Alias::new("department_id")).uuid().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("attachment_contents"))
                    .col(ColumnDef::new(Alias::new("sha256")).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(Alias::new("size_bytes")).big_integer().not_null())
                    .col(ColumnDef::new(Alias::new("bytes")).blob().not_null())
                    .col(when("created_at"))
                    // Who stored the bytes first (a team server lets them read what they sent).
                    .col(uuid("kept_by"))
                    .to_owned(),
            )
            .await?;
        let connection = manager.get_connection();
        for sql in [
            "CREATE INDEX attachments_of_record ON attachments (record_table, record_id, created_at)",
            "CREATE INDEX attachments_by_content ON attachments (sha256)",
            "CREATE INDEX attachments_owner ON attachments (owner_id)",
            "CREATE INDEX attachments_department ON attachments (department_id)",
        ] {
            connection.execute_unprepared(sql).await?;
        }
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // The bytes are what their name says, whoever stored them (a replica's push too).
            connection
                .execute_unprepared(
                    "ALTER TABLE attachment_contents ADD CONSTRAINT attachment_contents_hash \
                     CHECK (sha256 = encode(sha256(bytes), 'hex') AND size_bytes = octet_length(bytes))",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["attachment_contents", "attachments"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
