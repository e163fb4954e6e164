//! A customer's planned contacts (the card's "Planned" list, COMM-3), read by contact or by
//! organisation, open ones by when they are due.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261214_000001_scheduled_by_customer"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        for sql in [
            "CREATE INDEX scheduled_contacts_of_contact ON scheduled_contacts (contact_id, due_at) WHERE deleted_at IS NULL AND contact_id IS NOT NULL",
            "CREATE INDEX scheduled_contacts_of_organisation ON scheduled_contacts (organisation_id, due_at) WHERE deleted_at IS NULL AND organisation_id IS NOT NULL",
        ] {
            connection.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        for index in ["scheduled_contacts_of_contact", "scheduled_contacts_of_organisation"] {
            connection.execute_unprepared(&format!("DROP INDEX IF EXISTS {index}")).await?;
        }
        Ok(())
    }
}
