//! Imports from files (CUST-7): each import — its file, how its columns were mapped, its
//! progress and outcome — and, per import, the rows that were not imported (with their cells,
//! to be fixed and imported again), the rows held back as likely duplicates (with what they
//! would create), and the ids each batch created, so the import can be undone as a whole.
//! Local bookkeeping of the database they ran on, not business records: they are not synced.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261209_000001_imports"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let json = if manager.get_database_backend() == DatabaseBackend::Postgres { "jsonb" } else { "text" };
        let json = |name: &str| ColumnDef::new(Alias::new(name)).custom(Alias::new(json)).not_null().to_owned();
        let count = |name: &str| ColumnDef::new(Alias::new(name)).big_integer().not_null().default(0).to_owned();
        let when = |name: &str| ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().null().to_owned();
        let imports = Table::create()
            .table(Alias::new("imports"))
            .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("record_table")).string_len(64).not_null())
            .col(ColumnDef::new(Alias::new("file_name")).string_len(400).not_null())
            .col(ColumnDef::new(Alias::new("file_path")).text().not_null())
            .col(json("headers"))
            .col(json("mapping"))
            .col(json("options"))
            .col(ColumnDef::new(Alias::new("dry_run")).boolean().not_null())
            .col(ColumnDef::new(Alias::new("status")).string_len(16).not_null())
            .col(ColumnDef::new(Alias::new("message")).text().null())
            .col(ColumnDef::new(Alias::new("cancel_requested")).boolean().not_null().default(false))
            .col(ColumnDef::new(Alias::new("estimated_rows")).big_integer().null())
            .col(count("rows_read"))
            .col(count("imported"))
            .col(count("failed"))
            .col(count("held"))
            .col(count("noticed"))
            .col(ColumnDef::new(Alias::new("undo_status")).string_len(16).null())
            .col(count("undo_archived"))
            .col(count("undo_kept_changed"))
            .col(count("undo_already_archived"))
            .col(ColumnDef::new(Alias::new("started_by")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("started_at")).timestamp_with_time_zone().not_null())
            .col(ColumnDef::new(Alias::new("updated_at")).timestamp_with_time_zone().not_null())
            .col(when("finished_at"))
            .col(when("undone_at"))
            .col(ColumnDef::new(Alias::new("undone_by")).uuid().null())
            .to_owned();
        manager.create_table(imports).await?;
        let rows = Table::create()
            .table(Alias::new("import_rows"))
            .col(ColumnDef::new(Alias::new("import_id")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("row_number")).big_integer().not_null())
            .col(ColumnDef::new(Alias::new("outcome")).string_len(16).not_null())
            .col(json("problems"))
            .col(json("notices"))
            .col(json("cells"))
            .col(
                ColumnDef::new(Alias::new("item"))
                    .custom(Alias::new(if manager.get_database_backend() == DatabaseBackend::Postgres {
                        "jsonb"
                    } else {
                        "text"
                    }))
                    .null(),
            )
            .col(ColumnDef::new(Alias::new("existing_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("created_id")).uuid().null())
            .primary_key(Index::create().col(Alias::new("import_id")).col(Alias::new("row_number")))
            .to_owned();
        manager.create_table(rows).await?;
        let batches = Table::create()
            .table(Alias::new("import_batches"))
            .col(ColumnDef::new(Alias::new("import_id")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("batch")).integer().not_null())
            .col(json("ids"))
            .primary_key(Index::create().col(Alias::new("import_id")).col(Alias::new("batch")))
            .to_owned();
        manager.create_table(batches).await?;
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX imports_by_starter ON imports (started_by, started_at)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["import_batches", "import_rows", "imports"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
