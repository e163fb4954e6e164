//! Interactions (COMM-1, COMM-2): the managed list of topics, and every contact with a
//! customer, indexed for the histories people read — a contact's, an organisation's and an
//! employee's, newest first; and scheduled contacts (COMM-3) with their next reminder.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261211_000001_interactions"
    }
}

fn record_columns(table: &mut TableCreateStatement) {
    let uuid = |name: &str| ColumnDef::new(Alias::new(name)).uuid().not_null().to_owned();
    let when = |name: &str| ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().not_null().to_owned();
    table
        .col(ColumnDef::new(Alias::new("version")).big_integer().not_null())
        .col(when("created_at"))
        .col(when("updated_at"))
        .col(uuid("created_by"))
        .col(uuid("updated_by"))
        .col(ColumnDef::new(Alias::new("deleted_at")).timestamp_with_time_zone().null())
        .col(ColumnDef::new(Alias::new("owner_id")).uuid().null())
        .col(ColumnDef::new(Alias::new("department_id")).uuid().null());
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let json = if backend == DatabaseBackend::Postgres { "jsonb" } else { "text" };
        let mut sort_name = ColumnDef::new(Alias::new("sort_name"));
        sort_name.string_len(400).not_null();
        if backend == DatabaseBackend::Postgres {
            sort_name.extra("COLLATE \"C\"");
        }
        let mut topics = Table::create();
        topics
            .table(Alias::new("interaction_topics"))
            .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("name")).string_len(100).not_null())
            .col(sort_name);
        record_columns(&mut topics);
        manager.create_table(topics).await?;

        let mut interactions = Table::create();
        interactions
            .table(Alias::new("interactions"))
            .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("topic_id")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("happened_at")).timestamp_with_time_zone().not_null())
            .col(ColumnDef::new(Alias::new("channel")).string_len(16).not_null())
            .col(ColumnDef::new(Alias::new("form")).string_len(16).not_null())
            .col(ColumnDef::new(Alias::new("contact_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("organisation_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("responsible_id")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("summary")).text().not_null())
            .col(ColumnDef::new(Alias::new("custom")).custom(Alias::new(json)).not_null().default("{}"));
        record_columns(&mut interactions);
        manager.create_table(interactions).await?;

        let mut scheduled = Table::create();
        scheduled
            .table(Alias::new("scheduled_contacts"))
            .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
            .col(ColumnDef::new(Alias::new("topic_id")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("channel")).string_len(16).not_null())
            .col(ColumnDef::new(Alias::new("contact_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("organisation_id")).uuid().null())
            .col(ColumnDef::new(Alias::new("responsible_id")).uuid().not_null())
            .col(ColumnDef::new(Alias::new("note")).text().null())
            .col(ColumnDef::new(Alias::new("starts_at")).timestamp_with_time_zone().not_null())
            .col(ColumnDef::new(Alias::new("time_zone")).string_len(64).not_null())
            .col(ColumnDef::new(Alias::new("duration_minutes")).integer().not_null())
            .col(ColumnDef::new(Alias::new("recurrence")).string_len(500).null())
            .col(ColumnDef::new(Alias::new("exceptions")).custom(Alias::new(json)).not_null())
            .col(ColumnDef::new(Alias::new("ends_at")).timestamp_with_time_zone().null())
            .col(ColumnDef::new(Alias::new("lead_minutes")).integer().not_null())
            .col(ColumnDef::new(Alias::new("due_at")).timestamp_with_time_zone().null())
            .col(ColumnDef::new(Alias::new("remind_at")).timestamp_with_time_zone().null());
        record_columns(&mut scheduled);
        manager.create_table(scheduled).await?;

        let connection = manager.get_connection();
        for sql in [
            "CREATE INDEX interaction_topics_by_name ON interaction_topics (sort_name, id)",
            "CREATE INDEX interaction_topics_owner ON interaction_topics (owner_id)",
            "CREATE INDEX interaction_topics_department ON interaction_topics (department_id)",
            // The histories, newest first; archived interactions are read rarely and by scan.
            "CREATE INDEX interactions_of_contact ON interactions (contact_id, happened_at, id) WHERE deleted_at IS NULL",
            "CREATE INDEX interactions_of_organisation ON interactions (organisation_id, happened_at, id) WHERE deleted_at IS NULL",
            "CREATE INDEX interactions_of_responsible ON interactions (responsible_id, happened_at, id) WHERE deleted_at IS NULL",
            "CREATE INDEX interactions_by_time ON interactions (happened_at, id) WHERE deleted_at IS NULL",
            "CREATE INDEX interactions_by_topic ON interactions (topic_id)",
            "CREATE INDEX interactions_owner ON interactions (owner_id)",
            "CREATE INDEX interactions_department ON interactions (department_id)",
            // The scheduler's one question: my next reminder.
            "CREATE INDEX scheduled_contacts_reminders ON scheduled_contacts (responsible_id, remind_at) WHERE remind_at IS NOT NULL AND deleted_at IS NULL",
            // A person's calendar: their series that have begun by the period's end.
            "CREATE INDEX scheduled_contacts_of_responsible ON scheduled_contacts (responsible_id, starts_at) WHERE deleted_at IS NULL",
            "CREATE INDEX scheduled_contacts_owner ON scheduled_contacts (owner_id)",
            "CREATE INDEX scheduled_contacts_department ON scheduled_contacts (department_id)",
        ] {
            connection.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["scheduled_contacts", "interactions", "interaction_topics"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
