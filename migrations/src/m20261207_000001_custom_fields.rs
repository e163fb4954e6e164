//! Custom fields (CUST-3): the fields' definitions, and a `custom` JSON column on each kind of
//! record that takes them. Adding a field later is a row in `custom_fields`; the records'
//! tables are never rewritten (adding a column with a constant default changes only the
//! table's definition on both engines).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000001_custom_fields"
    }
}

/// The kinds of record that take custom fields today.
const TABLES: &[&str] = &["organisations", "contacts"];

fn json_type(backend: DatabaseBackend) -> &'static str {
    if backend == DatabaseBackend::Postgres { "jsonb" } else { "text" }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let json = json_type(backend);
        let uuid = |name: &str| ColumnDef::new(Alias::new(name)).uuid().not_null().to_owned();
        let when = |name: &str| ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().not_null().to_owned();
        let fields = Table::create()
            .table(Alias::new("custom_fields"))
            .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("record_table")).string_len(64).not_null())
            .col(ColumnDef::new(Alias::new("key")).string_len(40).not_null())
            .col(ColumnDef::new(Alias::new("label")).string_len(100).not_null())
            .col(ColumnDef::new(Alias::new("kind")).string_len(16).not_null())
            .col(ColumnDef::new(Alias::new("choices")).custom(Alias::new(json)).not_null())
            .col(ColumnDef::new(Alias::new("link_table")).string_len(64).null())
            .col(ColumnDef::new(Alias::new("position")).integer().not_null())
            .col(ColumnDef::new(Alias::new("version")).big_integer().not_null())
            .col(when("created_at"))
            .col(when("updated_at"))
            .col(uuid("created_by"))
            .col(uuid("updated_by"))
            .col(ColumnDef::new(Alias::new("deleted_at")).timestamp_with_time_zone().null())
            .col(ColumnDef::new(Alias::new("owner_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("department_id")).uuid().null())
            .to_owned();
        manager.create_table(fields).await?;
        let connection = manager.get_connection();
        for sql in [
            "CREATE UNIQUE INDEX custom_fields_key ON custom_fields (record_table, key)",
            "CREATE INDEX custom_fields_owner ON custom_fields (owner_id)",
            "CREATE INDEX custom_fields_department ON custom_fields (department_id)",
        ] {
            connection.execute_unprepared(sql).await?;
        }
        let default = if backend == DatabaseBackend::Postgres { "'{}'::jsonb" } else { "'{}'" };
        for table in TABLES {
            connection
                .execute_unprepared(&format!("ALTER TABLE {table} ADD COLUMN custom {json} NOT NULL DEFAULT {default}"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            let drop = Table::alter().table(Alias::new(*table)).drop_column(Alias::new("custom")).to_owned();
            manager.alter_table(drop).await?;
        }
        manager.drop_table(Table::drop().table(Alias::new("custom_fields")).to_owned()).await
    }
}
