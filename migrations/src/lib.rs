//! One schema for both engines. Each migration is applied in its own transaction by
//! `accord_core::data::migrate`, which also refuses databases newer than this list.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261202_000001_derived_values;
mod m20261203_000001_security;
mod m20261203_000002_ownership;
mod m20261204_000001_two_factor;
mod m20261204_000002_session_expiry;
mod m20261206_000001_change_log_by_actor;
mod m20261206_000002_sync;
mod m20261206_000003_sync_refusals_and_reach;
mod m20261206_000004_offline_audit;
mod m20261207_000001_custom_fields;
mod m20261208_000001_record_merges;
mod m20261208_000002_segments;
mod m20261209_000001_imports;
mod m20261209_000002_freshness;
mod m20261210_000001_exports;
mod m20261211_000001_interactions;
mod m20261214_000001_scheduled_by_customer;
mod m20261215_000001_tasks_and_rules;
mod m20261216_000001_attachments;
mod m20261216_000002_rules_service;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261202_000001_derived_values::Migration),
            Box::new(m20261203_000001_security::Migration),
            Box::new(m20261203_000002_ownership::Migration),
            Box::new(m20261204_000001_two_factor::Migration),
            Box::new(m20261204_000002_session_expiry::Migration),
            Box::new(m20261206_000001_change_log_by_actor::Migration),
            Box::new(m20261206_000002_sync::Migration),
            Box::new(m20261206_000003_sync_refusals_and_reach::Migration),
            Box::new(m20261206_000004_offline_audit::Migration),
            Box::new(m20261207_000001_custom_fields::Migration),
            Box::new(m20261208_000001_record_merges::Migration),
            Box::new(m20261208_000002_segments::Migration),
            Box::new(m20261209_000001_imports::Migration),
            Box::new(m20261209_000002_freshness::Migration),
            Box::new(m20261210_000001_exports::Migration),
            Box::new(m20261211_000001_interactions::Migration),
            Box::new(m20261214_000001_scheduled_by_customer::Migration),
            Box::new(m20261215_000001_tasks_and_rules::Migration),
            Box::new(m20261216_000001_attachments::Migration),
            Box::new(m20261216_000002_rules_service::Migration),
        ]
    }
}
