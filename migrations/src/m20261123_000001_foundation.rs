//! Customers (organisations, contacts, relations), the change log, the audit log and the
//! search documents.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_foundation"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager.create_table(organisations(backend)).await?;
        manager.create_table(contacts(backend)).await?;
        manager.create_table(organisation_relations()).await?;
        manager.create_table(change_log()).await?;
        manager.create_table(audit_log()).await?;
        manager.create_table(audit_head()).await?;
        manager.create_table(search_documents()).await?;
        for sql in INDEXES {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        let engine_specific = match backend {
            DatabaseBackend::Sqlite => SQLITE_SEARCH,
            DatabaseBackend::Postgres => POSTGRES_SEARCH,
            other => return Err(DbErr::Migration(format!("unsupported database engine {other:?}"))),
        };
        for sql in engine_specific {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the foundation schema cannot be rolled back; restore a backup instead".into()))
    }
}

/// Names sort case-insensitively through a lower-cased `sort_name`; on PostgreSQL it uses
/// the "C" collation so both engines order (and page) identically by code point.
fn sort_name(backend: DatabaseBackend) -> ColumnDef {
    let mut column = ColumnDef::new(Alias::new("sort_name"));
    column.string_len(400).not_null();
    if backend == DatabaseBackend::Postgres {
        column.extra("COLLATE \"C\"");
    }
    column
}

fn uuid_pk() -> ColumnDef {
    ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key().to_owned()
}

fn text(name: &str, len: u32) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).string_len(len).null().to_owned()
}

/// Columns every business record has: optimistic-concurrency version, who/when, archive mark.
fn record_columns(table: &mut TableCreateStatement) {
    table
        .col(ColumnDef::new(Alias::new("version")).big_integer().not_null())
        .col(ColumnDef::new(Alias::new("created_at")).timestamp_with_time_zone().not_null())
        .col(ColumnDef::new(Alias::new("updated_at")).timestamp_with_time_zone().not_null())
        .col(ColumnDef::new(Alias::new("created_by")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("updated_by")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("deleted_at")).timestamp_with_time_zone().null());
}

fn organisations(backend: DatabaseBackend) -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(Alias::new("organisations"))
        .col(uuid_pk())
        .col(ColumnDef::new(Alias::new("kind")).string_len(16).not_null())
        .col(ColumnDef::new(Alias::new("name")).string_len(200).not_null())
        .col(sort_name(backend))
        .col(text("legal_name", 300))
        .col(text("tax_id", 32))
        .col(text("email", 254))
        .col(text("phone", 20))
        .col(text("website", 200))
        .col(text("industry", 100))
        .col(text("country", 2))
        .col(text("city", 100))
        .col(text("address", 500))
        .col(ColumnDef::new(Alias::new("notes")).text().null());
    record_columns(&mut table);
    table.to_owned()
}

fn contacts(backend: DatabaseBackend) -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(Alias::new("contacts"))
        .col(uuid_pk())
        .col(ColumnDef::new(Alias::new("organisation_id")).uuid().null())
        .col(ColumnDef::new(Alias::new("first_name")).string_len(100).not_null())
        .col(text("last_name", 100))
        .col(ColumnDef::new(Alias::new("full_name")).string_len(201).not_null())
        .col(sort_name(backend))
        .col(text("role", 100))
        .col(text("email", 254))
        .col(text("phone", 20))
        .col(ColumnDef::new(Alias::new("notes")).text().null())
        .foreign_key(
            ForeignKey::create()
                .from(Alias::new("contacts"), Alias::new("organisation_id"))
                .to(Alias::new("organisations"), Alias::new("id")),
        );
    record_columns(&mut table);
    table.to_owned()
}

fn organisation_relations() -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(Alias::new("organisation_relations"))
        .col(uuid_pk())
        .col(ColumnDef::new(Alias::new("organisation_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("related_organisation_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("kind")).string_len(32).not_null())
        .col(text("note", 500))
        .foreign_key(
            ForeignKey::create()
                .from(Alias::new("organisation_relations"), Alias::new("organisation_id"))
                .to(Alias::new("organisations"), Alias::new("id")),
        )
        .foreign_key(
            ForeignKey::create()
                .from(Alias::new("organisation_relations"), Alias::new("related_organisation_id"))
                .to(Alias::new("organisations"), Alias::new("id")),
        );
    record_columns(&mut table);
    table.to_owned()
}

/// One entry per changed row. `seq` is the local append order (what sync ships from);
/// (`device_id`, `hlc`) is the entry's global identity (the idempotency key when applied
/// elsewhere) and its merge order.
fn change_log() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("change_log"))
        .col(ColumnDef::new(Alias::new("seq")).big_integer().not_null().auto_increment().primary_key())
        .col(ColumnDef::new(Alias::new("hlc")).big_integer().not_null())
        .col(ColumnDef::new(Alias::new("device_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("actor_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("operation")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("table_name")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("row_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("action")).string_len(16).not_null())
        .col(ColumnDef::new(Alias::new("changes")).text().not_null())
        .to_owned()
}

/// Append-only, hash-chained audit of critical actions (SEC-5).
fn audit_log() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("audit_log"))
        .col(ColumnDef::new(Alias::new("seq")).big_integer().not_null().auto_increment().primary_key())
        .col(ColumnDef::new(Alias::new("id")).uuid().not_null().unique_key())
        .col(ColumnDef::new(Alias::new("at")).timestamp_with_time_zone().not_null())
        .col(ColumnDef::new(Alias::new("actor_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("device_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("operation")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("target_table")).string_len(64).null())
        .col(ColumnDef::new(Alias::new("target_id")).uuid().null())
        .col(ColumnDef::new(Alias::new("prev_hash")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("hash")).string_len(64).not_null())
        .to_owned()
}

/// One row holding the newest audit hash; updating it serialises audit writers on PostgreSQL
/// so the chain never forks.
fn audit_head() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("audit_head"))
        .col(ColumnDef::new(Alias::new("id")).integer().not_null().primary_key())
        .col(ColumnDef::new(Alias::new("hash")).string_len(64).not_null())
        .to_owned()
}

/// What the search service indexes: one document per searchable record.
fn search_documents() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("search_documents"))
        .col(ColumnDef::new(Alias::new("doc_id")).big_integer().not_null().auto_increment().primary_key())
        .col(ColumnDef::new(Alias::new("entity")).string_len(32).not_null())
        .col(ColumnDef::new(Alias::new("row_id")).uuid().not_null().unique_key())
        .col(ColumnDef::new(Alias::new("title")).string_len(400).not_null())
        .col(ColumnDef::new(Alias::new("subtitle")).string_len(400).null())
        .col(ColumnDef::new(Alias::new("body")).text().not_null())
        .col(ColumnDef::new(Alias::new("archived")).boolean().not_null())
        .to_owned()
}

const INDEXES: &[&str] = &[
    "CREATE INDEX organisations_by_name ON organisations (sort_name, id) WHERE deleted_at IS NULL",
    "CREATE INDEX organisations_by_updated ON organisations (updated_at, id) WHERE deleted_at IS NULL",
    "CREATE INDEX organisations_archived_by_name ON organisations (sort_name, id) WHERE deleted_at IS NOT NULL",
    "CREATE INDEX organisations_by_email ON organisations (email)",
    "CREATE INDEX organisations_by_phone ON organisations (phone)",
    "CREATE INDEX organisations_by_tax_id ON organisations (tax_id)",
    "CREATE INDEX contacts_by_name ON contacts (sort_name, id) WHERE deleted_at IS NULL",
    "CREATE INDEX contacts_by_updated ON contacts (updated_at, id) WHERE deleted_at IS NULL",
    "CREATE INDEX contacts_archived_by_name ON contacts (sort_name, id) WHERE deleted_at IS NOT NULL",
    "CREATE INDEX contacts_of_organisation ON contacts (organisation_id, sort_name)",
    "CREATE INDEX contacts_by_email ON contacts (email)",
    "CREATE INDEX contacts_by_phone ON contacts (phone)",
    "CREATE INDEX relations_of_organisation ON organisation_relations (organisation_id)",
    "CREATE INDEX relations_to_organisation ON organisation_relations (related_organisation_id)",
    "CREATE INDEX change_log_by_row ON change_log (table_name, row_id, hlc)",
    "CREATE UNIQUE INDEX change_log_by_device_clock ON change_log (device_id, hlc)",
    "INSERT INTO audit_head (id, hash) VALUES (1, '0000000000000000000000000000000000000000000000000000000000000000')",
];

/// FTS5 over `search_documents.body`, kept in step by triggers (external-content table).
const SQLITE_SEARCH: &[&str] = &[
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_documents', content_rowid='doc_id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN \
       INSERT INTO search_fts(rowid, body) VALUES (new.doc_id, new.body); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN \
       INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.doc_id, old.body); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE OF body ON search_documents BEGIN \
       INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.doc_id, old.body); \
       INSERT INTO search_fts(rowid, body) VALUES (new.doc_id, new.body); END",
];

/// The 'simple' configuration: no stemming, so Russian and Persian words and prefixes match as typed
/// (after the search service's own normalisation).
const POSTGRES_SEARCH: &[&str] = &[
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED",
    "CREATE INDEX search_documents_tsv ON search_documents USING gin (tsv)",
];
