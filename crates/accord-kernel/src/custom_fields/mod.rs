//! Custom fields (CUST-3): fields an administrator adds to a kind of record without code.
//!
//! A kind takes custom fields by declaring `Record::CUSTOM_FIELDS` and having a `custom`
//! column: one JSON object of the record's custom values, keyed by each field's stable `key`.
//! Adding a field is therefore a row in `custom_fields`, never a change to the record's table
//! (no rewrite, however many records it holds). The change log names each value on its own,
//! `custom.<key>` ([`explode`]), so history, sync's per-field merge and conflicts treat a
//! custom field like any other; [`gather`] folds those names back into the column.
//!
//! A definition is itself a record (history, sync to laptops, audit of every change), shared
//! by everyone (no department). Retiring one keeps its values and their history; it can no
//! longer be set.

mod values;

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::ApiError;
use crate::operation::Scope;
use crate::records::{self, Archivable, Record, Restorable};
use crate::search::SearchDocument;
use crate::security::Permission;

pub use values::{TEXT_MAX, ValueCheck, apply_changes};

/// The permissions of custom fields.
pub mod permissions {
    use crate::security::Permission;
    /// See which custom fields each kind of record has (every role that reads records).
    pub const READ: Permission = Permission::new("fields.read");
    /// Add, rename, order, retire and restore custom fields.
    pub const MANAGE: Permission = Permission::new("fields.manage");
}

/// The column of a record that holds its custom values.
pub const COLUMN: &str = "custom";
/// How the change log names one custom value: `custom.<key>`.
pub const PREFIX: &str = "custom.";

/// What a custom field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, TS)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
#[ts(rename = "CustomFieldKind")]
pub enum FieldKind {
    /// Free text, up to 1,000 characters.
    #[sea_orm(string_value = "text")]
    Text,
    /// A whole number.
    #[sea_orm(string_value = "number")]
    Number,
    /// An exact decimal, kept as text ("1250.50"), never as floating point.
    #[sea_orm(string_value = "decimal")]
    Decimal,
    /// A calendar date, `YYYY-MM-DD`.
    #[sea_orm(string_value = "date")]
    Date,
    /// One of the field's choices (its key).
    #[sea_orm(string_value = "choice")]
    Choice,
    /// Any of the field's choices (their keys, in the field's order).
    #[sea_orm(string_value = "multi_choice")]
    MultiChoice,
    /// Yes or no.
    #[sea_orm(string_value = "yes_no")]
    YesNo,
    /// The id of a record of another kind (`link_table`).
    #[sea_orm(string_value = "link")]
    Link,
}

impl FieldKind {
    pub fn has_choices(self) -> bool {
        matches!(self, FieldKind::Choice | FieldKind::MultiChoice)
    }
}

/// One choice of a choice field: a stable key, the label people see, and whether it is
/// still offered (a retired choice stays on the records that have it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "CustomFieldChoice")]
pub struct Choice {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub retired: bool,
}

/// A custom field of one kind of record, as stored and as the UI receives it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize, TS)]
#[sea_orm(table_name = "custom_fields")]
#[ts(rename = "CustomField")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The kind of record it belongs to (its table: `organisations`, `contacts`, …).
    pub record_table: String,
    /// Stable name of its values (`custom.<key>` in the change log, imports, exports);
    /// never changes, so renaming the field keeps every value.
    pub key: String,
    /// What people see; renaming changes only this.
    pub label: String,
    pub kind: FieldKind,
    /// The choices of a choice or multi-choice field (empty otherwise).
    #[ts(type = "Array<CustomFieldChoice>")]
    pub choices: Json,
    /// The kind of record a link field points to.
    pub link_table: Option<String>,
    /// Its place among the kind's fields (forms, cards and columns follow it).
    pub position: i32,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    /// When it was retired: no longer offered or settable; its values and history stay.
    #[sea_orm(column_name = "deleted_at")]
    #[serde(rename = "retired_at")]
    #[ts(rename = "retired_at")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub owner_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub type CustomField = Model;

impl Model {
    /// Its choices, as stored (an unreadable list reads as none).
    pub fn choice_list(&self) -> Vec<Choice> {
        serde_json::from_value(self.choices.clone()).unwrap_or_default()
    }

    pub fn is_retired(&self) -> bool {
        self.deleted_at.is_some()
    }
}

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "custom_fields";
    const LABEL: &'static str = "custom field";
    const READ_PERMISSION: Permission = permissions::READ;
    const WRITE_PERMISSION: Permission = permissions::MANAGE;
    const IMPORTANT_FIELDS: &'static [&'static str] = &["kind", "link_table"];

    // A field is everyone's: it has an owner (who answers for it) but never a department,
    // which would hide it from the other departments' forms.
    crate::shared_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        None
    }
}

impl Archivable for Model {
    const ARCHIVE_OPERATION: &'static str = "fields.retire";
    const ARCHIVE_PERMISSION: Permission = permissions::MANAGE;
    const ARCHIVE_SUMMARY: &'static str =
        "Retire a custom field: no longer shown in forms or settable; its values and their history stay.";
}

impl Restorable for Model {
    const RESTORE_OPERATION: &'static str = "fields.restore";
    const RESTORE_SUMMARY: &'static str = "Bring a retired custom field back, with the values it kept.";
}

/// The custom fields of one kind of record, in their order; retired ones too when asked.
pub async fn definitions_of(scope: &Scope<'_>, table: &str, with_retired: bool) -> Result<Vec<Model>, ApiError> {
    let mut query = records::find::<Model>(scope).filter(Expr::col(Alias::new("record_table")).eq(table));
    if !with_retired {
        query = query.filter(Expr::col(Alias::new("deleted_at")).is_null());
    }
    Ok(query
        .order_by_asc(Expr::col(Alias::new("position")))
        .order_by_asc(Expr::col(Alias::new("id")))
        .limit(MAX_PER_KIND as u64 + 1)
        .all(scope.tx)
        .await?)
}

/// At most this many custom fields per kind of record, retired ones included.
pub const MAX_PER_KIND: usize = 200;

/// A record's snapshot with its custom values as fields of their own (`custom.<key>`), as
/// the change log and sync's merge name them.
pub fn explode(snapshot: &mut Value) {
    let Some(object) = snapshot.as_object_mut() else { return };
    let Some(Value::Object(values)) = object.remove(COLUMN) else { return };
    for (key, value) in values {
        object.insert(format!("{PREFIX}{key}"), value);
    }
}

/// The reverse of [`explode`]: `custom.<key>` fields folded back into the `custom` column
/// (a null value is no value). Leaves a snapshot without them as it is, apart from giving it
/// an empty `custom` when it has none.
pub fn gather(snapshot: &mut Value) {
    let Some(object) = snapshot.as_object_mut() else { return };
    let keys: Vec<String> = object.keys().filter(|k| k.starts_with(PREFIX)).cloned().collect();
    let mut values = match object.remove(COLUMN) {
        Some(Value::Object(values)) => values,
        _ => serde_json::Map::new(),
    };
    for name in keys {
        if let Some(value) = object.remove(&name) {
            let key = name[PREFIX.len()..].to_owned();
            if Value::is_null(&value) {
                values.remove(&key);
            } else {
                values.insert(key, value);
            }
        }
    }
    object.insert(COLUMN.to_owned(), Value::Object(values));
}

/// The words of a record's custom values its search document should hold: text, and the
/// other values written as text (dates, decimals, choice keys).
pub fn search_terms(custom: &Value) -> Vec<String> {
    let mut terms = Vec::new();
    for value in custom.as_object().into_iter().flat_map(|o| o.values()) {
        match value {
            Value::String(text) => terms.push(text.clone()),
            Value::Array(items) => terms.extend(items.iter().filter_map(Value::as_str).map(str::to_owned)),
            Value::Number(number) => terms.push(number.to_string()),
            _ => {}
        }
    }
    terms
}

/// An empty set of custom values (the column's default).
pub fn empty() -> Json {
    Value::Object(serde_json::Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn explode_then_gather_gives_the_record_back() {
        let record = json!({"id": 1, "name": "Ромашка", "custom": {"region": "north", "employees": 12}});
        let mut exploded = record.clone();
        explode(&mut exploded);
        assert_eq!(exploded, json!({"id": 1, "name": "Ромашка", "custom.region": "north", "custom.employees": 12}));
        gather(&mut exploded);
        assert_eq!(exploded, record);
    }

    #[test]
    fn a_null_custom_value_is_no_value() {
        let mut merged = json!({"custom": {"region": "north", "employees": 12}, "custom.region": null});
        gather(&mut merged);
        assert_eq!(merged, json!({"custom": {"employees": 12}}));
    }
}
