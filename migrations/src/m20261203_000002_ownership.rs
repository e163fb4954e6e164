//! Every business record gets an owner and a department (SEC-2): what decides who sees it.
//! The search index keeps a copy of both, so a search filters by them before it ranks and
//! limits. Records made before this version belong to whoever created them, in no
//! department: shared, so everyone who could see them still does.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000002_ownership"
    }
}

/// The record tables of this version; a domain added later creates its tables with both
/// columns from the start.
const RECORD_TABLES: [&str; 3] = ["organisations", "contacts", "organisation_relations"];
const SCOPED_TABLES: [&str; 4] = ["organisations", "contacts", "organisation_relations", "search_documents"];

fn add_uuid_column(table: &str, column: &str) -> TableAlterStatement {
    Table::alter().table(Alias::new(table)).add_column(ColumnDef::new(Alias::new(column)).uuid().null()).to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in SCOPED_TABLES {
            // One column per statement: SQLite alters one at a time.
            manager.alter_table(add_uuid_column(table, "owner_id")).await?;
            manager.alter_table(add_uuid_column(table, "department_id")).await?;
            // A limited reach reads by department; reassigning a departing user's records by owner.
            for column in ["department_id", "owner_id"] {
                manager
                    .create_index(
                        Index::create()
                            .name(format!("idx_{table}_{column}"))
                            .table(Alias::new(table))
                            .col(Alias::new(column))
                            .to_owned(),
                    )
                    .await?;
            }
        }
        for table in RECORD_TABLES {
            manager
                .get_connection()
                .execute_unprepared(&format!("UPDATE {table} SET owner_id = created_by WHERE owner_id IS NULL"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in SCOPED_TABLES {
            for column in ["department_id", "owner_id"] {
                manager
                    .drop_index(Index::drop().name(format!("idx_{table}_{column}")).table(Alias::new(table)).to_owned())
                    .await?;
                manager
                    .alter_table(Table::alter().table(Alias::new(table)).drop_column(Alias::new(column)).to_owned())
                    .await?;
            }
        }
        Ok(())
    }
}
