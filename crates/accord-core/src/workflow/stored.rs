//! What rules leave behind: each firing (once per rule, record and event), the native notices
//! they send to people, and the emails they queue. All are records, so a laptop's offline
//! firings reach the server with its changes.

/// One firing of a rule: which record, which event, and what it created.
pub mod firings {
    use accord_kernel::records::Record;
    use accord_kernel::search::SearchDocument;
    use accord_kernel::security::Permission;
    use chrono::{DateTime, Utc};
    use sea_orm::entity::prelude::*;
    use serde::{Deserialize, Serialize};
    use ts_rs::TS;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
    #[sea_orm(table_name = "rule_firings")]
    #[ts(rename = "RuleFiring")]
    pub struct Model {
        /// Made from the rule, the record and the event, so two devices that fire the same
        /// event make the same row.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub rule_id: Uuid,
        pub record_table: String,
        pub record_id: Uuid,
        /// The event: `created`, `changed:<when>`, or the day a date rule fired for.
        pub event_key: String,
        pub fired_at: DateTime<Utc>,
        /// What the action created; none when it could not act (the reason is in the log).
        pub outcome_table: Option<String>,
        pub outcome_id: Option<Uuid>,
        pub version: i64,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        pub created_by: Uuid,
        pub updated_by: Uuid,
        #[serde(rename = "archived_at")]
        #[ts(rename = "archived_at")]
        pub deleted_at: Option<DateTime<Utc>>,
        pub owner_id: Option<Uuid>,
        pub department_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl Record for Model {
        type Entity = Entity;
        const TABLE: &'static str = "rule_firings";
        const LABEL: &'static str = "rule firing";
        const READ_PERMISSION: Permission = super::super::permissions::READ;
        const WRITE_PERMISSION: Permission = super::super::permissions::MANAGE;

        accord_kernel::shared_record_methods!();

        fn search_document(&self) -> Option<SearchDocument> {
            None
        }
    }

    /// The id of the firing of `rule` for `record` at `event`: the same on every device.
    pub fn id_of(rule: Uuid, record: Uuid, event: &str) -> Uuid {
        Uuid::new_v5(&rule, format!("{record}/{event}").as_bytes())
    }
}

/// A native notification a rule sends to one person: shown once by their Accord.
pub mod notices {
    use accord_kernel::records::Record;
    use accord_kernel::search::SearchDocument;
    use accord_kernel::security::Permission;
    use chrono::{DateTime, Utc};
    use sea_orm::entity::prelude::*;
    use serde::{Deserialize, Serialize};
    use ts_rs::TS;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
    #[sea_orm(table_name = "notices")]
    #[ts(rename = "Notice")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// Whom it is for; it is theirs (`owner_id`).
        pub recipient_id: Uuid,
        pub title: String,
        pub body: Option<String>,
        pub about_table: Option<String>,
        pub about_id: Option<Uuid>,
        pub rule_id: Option<Uuid>,
        /// When their Accord showed it; it is shown once.
        pub shown_at: Option<DateTime<Utc>>,
        pub version: i64,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        pub created_by: Uuid,
        pub updated_by: Uuid,
        #[serde(rename = "archived_at")]
        #[ts(rename = "archived_at")]
        pub deleted_at: Option<DateTime<Utc>>,
        pub owner_id: Option<Uuid>,
        pub department_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    pub type Notice = Model;

    impl Record for Model {
        type Entity = Entity;
        const TABLE: &'static str = "notices";
        const LABEL: &'static str = "notice";
        const READ_PERMISSION: Permission = accord_kernel::security::platform::PREFERENCES_OWN;
        const WRITE_PERMISSION: Permission = accord_kernel::security::platform::PREFERENCES_OWN;

        accord_kernel::standard_record_methods!();

        fn search_document(&self) -> Option<SearchDocument> {
            None
        }
    }
}

/// An email a rule queued: sent when the mail integration exists, listed until then.
pub mod outbox {
    use accord_kernel::records::Record;
    use accord_kernel::search::SearchDocument;
    use accord_kernel::security::Permission;
    use chrono::{DateTime, Utc};
    use sea_orm::entity::prelude::*;
    use serde::{Deserialize, Serialize};
    use ts_rs::TS;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
    #[sea_orm(table_name = "outbox")]
    #[ts(rename = "QueuedEmail")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub to_address: String,
        pub subject: String,
        pub body: Option<String>,
        /// `queued` until something sends it.
        pub status: String,
        pub about_table: Option<String>,
        pub about_id: Option<Uuid>,
        pub rule_id: Option<Uuid>,
        pub version: i64,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        pub created_by: Uuid,
        pub updated_by: Uuid,
        #[serde(rename = "archived_at")]
        #[ts(rename = "archived_at")]
        pub deleted_at: Option<DateTime<Utc>>,
        pub owner_id: Option<Uuid>,
        pub department_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    pub type QueuedEmail = Model;

    impl Record for Model {
        type Entity = Entity;
        const TABLE: &'static str = "outbox";
        const LABEL: &'static str = "queued email";
        const READ_PERMISSION: Permission = super::super::permissions::READ;
        const WRITE_PERMISSION: Permission = super::super::permissions::MANAGE;

        accord_kernel::shared_record_methods!();

        fn search_document(&self) -> Option<SearchDocument> {
            None
        }
    }
}
