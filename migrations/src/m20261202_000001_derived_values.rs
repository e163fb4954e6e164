//! A table for values derived from the data by rules that can change between versions (the
//! search normalisation, the collation), so Accord knows when to rebuild them; and phone
//! columns wide enough for a number with its extension.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000001_derived_values"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("derived_versions"))
                    .col(ColumnDef::new(Alias::new("name")).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(Alias::new("version")).string_len(64).not_null())
                    .to_owned(),
            )
            .await?;
        let statements: &[&str] = match manager.get_database_backend() {
            // PostgreSQL needs room for "+74951234567;ext=123456" (SQLite ignores lengths).
            DatabaseBackend::Postgres => &[
                "ALTER TABLE organisations ALTER COLUMN phone TYPE varchar(40)",
                "ALTER TABLE contacts ALTER COLUMN phone TYPE varchar(40)",
            ],
            // The index text arrives normalised by Accord; FTS5 must not fold it further (its
            // diacritics removal would find on SQLite what PostgreSQL does not).
            _ => &[
                "DROP TABLE search_fts",
                "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_documents', content_rowid='doc_id', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
                "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
            ],
        };
        for sql in statements {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("derived_versions")).to_owned()).await
    }
}
