//! Users, roles, departments and sign-in sessions (SEC-1…SEC-3), the permissions an
//! installation has met, and a detail column on the audit log (which login a failed sign-in
//! tried, from which OS account and machine).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000001_security"
    }
}

fn uuid_pk() -> ColumnDef {
    ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key().to_owned()
}

fn at(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().not_null().to_owned()
}

fn at_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().null().to_owned()
}

fn fk(from: &str, column: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{column}"))
        .from(Alias::new(from), Alias::new(column))
        .to(Alias::new(to), Alias::new("id"))
        .to_owned()
}

fn roles() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("roles"))
        .col(uuid_pk())
        // The built-in role's key (administrator, sales…); null for roles an administrator made.
        .col(ColumnDef::new(Alias::new("built_in")).string_len(32).null().unique_key())
        .col(ColumnDef::new(Alias::new("name")).string_len(100).not_null())
        .col(ColumnDef::new(Alias::new("visibility")).string_len(16).not_null())
        // The administrator role: every permission, present and future.
        .col(ColumnDef::new(Alias::new("grants_all")).boolean().not_null())
        .col(at("created_at"))
        .col(at("updated_at"))
        .to_owned()
}

fn role_permissions() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("role_permissions"))
        .col(ColumnDef::new(Alias::new("role_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("permission")).string_len(100).not_null())
        .primary_key(Index::create().col(Alias::new("role_id")).col(Alias::new("permission")))
        .foreign_key(&mut fk("role_permissions", "role_id", "roles"))
        .to_owned()
}

/// The permissions this installation has met, so one that arrives with an upgrade is granted
/// to its default roles once, and an administrator's later revocation sticks.
fn known_permissions() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("known_permissions"))
        .col(ColumnDef::new(Alias::new("permission")).string_len(100).not_null().primary_key())
        .col(at("first_seen_at"))
        .to_owned()
}

fn departments() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("departments"))
        .col(uuid_pk())
        .col(ColumnDef::new(Alias::new("name")).string_len(200).not_null())
        .col(ColumnDef::new(Alias::new("parent_id")).uuid().null())
        .col(at("created_at"))
        .col(at("updated_at"))
        .col(at_null("archived_at"))
        .foreign_key(&mut fk("departments", "parent_id", "departments"))
        .to_owned()
}

fn users() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("users"))
        .col(uuid_pk())
        // Normalised (NFKC, lower case, trimmed), so "Anna" and "anna " are one login.
        .col(ColumnDef::new(Alias::new("login")).string_len(100).not_null().unique_key())
        .col(ColumnDef::new(Alias::new("display_name")).string_len(200).not_null())
        // An Argon2id PHC string; never the password.
        .col(ColumnDef::new(Alias::new("password_hash")).string_len(200).not_null())
        .col(ColumnDef::new(Alias::new("role_id")).uuid().not_null())
        .col(ColumnDef::new(Alias::new("department_id")).uuid().null())
        .col(ColumnDef::new(Alias::new("active")).boolean().not_null())
        .col(ColumnDef::new(Alias::new("failed_attempts")).integer().not_null())
        .col(at_null("locked_until"))
        .col(at_null("last_sign_in_at"))
        .col(at("created_at"))
        .col(at("updated_at"))
        .col(at_null("deactivated_at"))
        .foreign_key(&mut fk("users", "role_id", "roles"))
        .foreign_key(&mut fk("users", "department_id", "departments"))
        .to_owned()
}

fn user_sessions() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("user_sessions"))
        .col(uuid_pk())
        // SHA-256 of the session token; the token itself is only ever in the signed-in process.
        .col(ColumnDef::new(Alias::new("token_hash")).string_len(64).not_null().unique_key())
        .col(ColumnDef::new(Alias::new("user_id")).uuid().not_null())
        .col(at("started_at"))
        .col(at_null("ended_at"))
        .col(ColumnDef::new(Alias::new("end_reason")).string_len(32).null())
        .col(ColumnDef::new(Alias::new("os_account")).string_len(200).not_null())
        .col(ColumnDef::new(Alias::new("machine")).string_len(200).not_null())
        .foreign_key(&mut fk("user_sessions", "user_id", "users"))
        .to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(roles()).await?;
        manager.create_table(role_permissions()).await?;
        manager.create_table(known_permissions()).await?;
        manager.create_table(departments()).await?;
        manager.create_table(users()).await?;
        manager.create_table(user_sessions()).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("audit_log"))
                    .add_column(ColumnDef::new(Alias::new("detail")).string_len(400).null())
                    .to_owned(),
            )
            .await?;
        for sql in [
            "CREATE INDEX ix_user_sessions_user ON user_sessions (user_id) WHERE ended_at IS NULL",
            "CREATE INDEX ix_users_role ON users (role_id)",
            "CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, seq)",
        ] {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["user_sessions", "users", "departments", "known_permissions", "role_permissions", "roles"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
