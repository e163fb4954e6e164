//! Two-factor sign-in (SEC-3): a user's TOTP secret (RFC 6238), the last time step a code was
//! accepted for (so no code is accepted twice), and their one-time recovery codes, kept as
//! SHA-256 hashes only.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000001_two_factor"
    }
}

fn add_column(column: ColumnDef) -> TableAlterStatement {
    Table::alter().table(Alias::new("users")).add_column(column).to_owned()
}

fn recovery_codes() -> TableCreateStatement {
    Table::create()
        .table(Alias::new("recovery_codes"))
        .col(ColumnDef::new(Alias::new("id")).uuid().not_null().primary_key())
        .col(ColumnDef::new(Alias::new("user_id")).uuid().not_null())
        // SHA-256 of the normalised code; the code itself is shown once, at enrolment.
        .col(ColumnDef::new(Alias::new("code_hash")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("created_at")).timestamp_with_time_zone().not_null())
        .col(ColumnDef::new(Alias::new("used_at")).timestamp_with_time_zone().null())
        .foreign_key(
            ForeignKey::create()
                .name("fk_recovery_codes_user_id")
                .from(Alias::new("recovery_codes"), Alias::new("user_id"))
                .to(Alias::new("users"), Alias::new("id")),
        )
        .to_owned()
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        // Hex of the secret in use; null while two-factor sign-in is off.
        manager
            .alter_table(add_column(ColumnDef::new(Alias::new("totp_secret")).string_len(64).null().to_owned()))
            .await?;
        // Hex of a secret being enrolled, until the user confirms it with a code.
        manager
            .alter_table(add_column(ColumnDef::new(Alias::new("totp_pending_secret")).string_len(64).null().to_owned()))
            .await?;
        // The last TOTP time step accepted: a code of this step or an earlier one is a replay.
        manager
            .alter_table(add_column(ColumnDef::new(Alias::new("totp_last_step")).big_integer().null().to_owned()))
            .await?;
        manager
            .alter_table(add_column(
                ColumnDef::new(Alias::new("totp_enabled_at")).timestamp_with_time_zone().null().to_owned(),
            ))
            .await?;
        manager.create_table(recovery_codes()).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_recovery_codes_user")
                    .table(Alias::new("recovery_codes"))
                    .col(Alias::new("user_id"))
                    .col(Alias::new("code_hash"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alias::new("recovery_codes")).to_owned()).await?;
        for column in ["totp_enabled_at", "totp_last_step", "totp_pending_secret", "totp_secret"] {
            manager
                .alter_table(Table::alter().table(Alias::new("users")).drop_column(Alias::new(column)).to_owned())
                .await?;
        }
        Ok(())
    }
}
