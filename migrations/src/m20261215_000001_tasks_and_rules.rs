//! Tasks (COMM-5) with their delegation chain, and workflow rules (COMM-6): the rules an
//! administrator defines, each firing kept once per event, the native notices rules send to
//! people, and the emails they queue until integrations exist.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261215_000001_tasks_and_rules"
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

fn id(table: &mut TableCreateStatement, name: &str) {
    table.table(Alias::new(name)).col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key());
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let json = if backend == DatabaseBackend::Postgres { "jsonb" } else { "text" };
        let text = |name: &str| ColumnDef::new(Alias::new(name)).text().null().to_owned();
        let short = |name: &str, len: u32| ColumnDef::new(Alias::new(name)).string_len(len).not_null().to_owned();
        let maybe_uuid = |name: &str| ColumnDef::new(Alias::new(name)).uuid().null().to_owned();
        let moment = |name: &str| ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().null().to_owned();
        let document = |name: &str| ColumnDef::new(Alias::new(name)).custom(Alias::new(json)).not_null().to_owned();

        let mut tasks = Table::create();
        id(&mut tasks, "tasks");
        tasks
            .col(short("title", 300))
            .col(text("description"))
            .col(ColumnDef::new(Alias::new("responsible_id")).uuid().not_null())
            .col(maybe_uuid("controller_id"))
            .col(ColumnDef::new(Alias::new("deadline")).timestamp_with_time_zone().not_null())
            .col(short("status", 16))
            .col(text("result"))
            .col(text("return_note"))
            .col(document("delegations"))
            .col(maybe_uuid("contact_id"))
            .col(maybe_uuid("organisation_id"))
            .col(ColumnDef::new(Alias::new("about_table")).string_len(64).null())
            .col(maybe_uuid("about_id"))
            .col(maybe_uuid("rule_id"))
            .col(moment("finished_at"));
        record_columns(&mut tasks);
        manager.create_table(tasks).await?;

        let mut rules = Table::create();
        id(&mut rules, "workflow_rules");
        rules
            .col(short("name", 200))
            .col(short("record_table", 64))
            .col(short("trigger_kind", 16))
            .col(document("trigger"))
            .col(ColumnDef::new(Alias::new("condition")).custom(Alias::new(json)).null())
            .col(short("action_kind", 16))
            .col(document("action"));
        record_columns(&mut rules);
        manager.create_table(rules).await?;

        let mut firings = Table::create();
        id(&mut firings, "rule_firings");
        firings
            .col(ColumnDef::new(Alias::new("rule_id")).uuid().not_null())
            .col(short("record_table", 64))
            .col(ColumnDef::new(Alias::new("record_id")).uuid().not_null())
            .col(short("event_key", 100))
            .col(ColumnDef::new(Alias::new("fired_at")).timestamp_with_time_zone().not_null())
            .col(ColumnDef::new(Alias::new("outcome_table")).string_len(64).null())
            .col(maybe_uuid("outcome_id"));
        record_columns(&mut firings);
        manager.create_table(firings).await?;

        let mut notices = Table::create();
        id(&mut notices, "notices");
        notices
            .col(ColumnDef::new(Alias::new("recipient_id")).uuid().not_null())
            .col(short("title", 300))
            .col(text("body"))
            .col(ColumnDef::new(Alias::new("about_table")).string_len(64).null())
            .col(maybe_uuid("about_id"))
            .col(maybe_uuid("rule_id"))
            .col(moment("shown_at"));
        record_columns(&mut notices);
        manager.create_table(notices).await?;

        let mut outbox = Table::create();
        id(&mut outbox, "outbox");
        outbox
            .col(short("to_address", 320))
            .col(short("subject", 300))
            .col(text("body"))
            .col(short("status", 16))
            .col(ColumnDef::new(Alias::new("about_table")).string_len(64).null())
            .col(maybe_uuid("about_id"))
            .col(maybe_uuid("rule_id"));
        record_columns(&mut outbox);
        manager.create_table(outbox).await?;

        let connection = manager.get_connection();
        for sql in [
            // A person's open tasks by deadline (their list, and the overdue counts).
            "CREATE INDEX tasks_of_responsible ON tasks (responsible_id, status, deadline) WHERE deleted_at IS NULL",
            "CREATE INDEX tasks_of_controller ON tasks (controller_id, status, deadline) WHERE deleted_at IS NULL AND controller_id IS NOT NULL",
            "CREATE INDEX tasks_by_status ON tasks (status, deadline) WHERE deleted_at IS NULL",
            "CREATE INDEX tasks_of_contact ON tasks (contact_id) WHERE contact_id IS NOT NULL",
            "CREATE INDEX tasks_of_organisation ON tasks (organisation_id) WHERE organisation_id IS NOT NULL",
            "CREATE INDEX tasks_owner ON tasks (owner_id)",
            "CREATE INDEX tasks_department ON tasks (department_id)",
            // The rules an event on a kind may fire, read on every write of that kind.
            "CREATE INDEX workflow_rules_of_kind ON workflow_rules (record_table, trigger_kind) WHERE deleted_at IS NULL",
            "CREATE INDEX workflow_rules_owner ON workflow_rules (owner_id)",
            "CREATE INDEX workflow_rules_department ON workflow_rules (department_id)",
            // Once per event: the same rule, record and event cannot fire twice.
            "CREATE UNIQUE INDEX rule_firings_once ON rule_firings (rule_id, record_id, event_key)",
            "CREATE INDEX rule_firings_owner ON rule_firings (owner_id)",
            "CREATE INDEX rule_firings_department ON rule_firings (department_id)",
            // A person's notices not shown yet: the scheduler's read.
            "CREATE INDEX notices_to_show ON notices (recipient_id, created_at) WHERE shown_at IS NULL AND deleted_at IS NULL",
            "CREATE INDEX notices_owner ON notices (owner_id)",
            "CREATE INDEX notices_department ON notices (department_id)",
            "CREATE INDEX outbox_queued ON outbox (status, created_at)",
            "CREATE INDEX outbox_owner ON outbox (owner_id)",
            "CREATE INDEX outbox_department ON outbox (department_id)",
        ] {
            connection.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["outbox", "notices", "rule_firings", "workflow_rules", "tasks"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
