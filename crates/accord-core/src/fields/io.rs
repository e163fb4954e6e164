//! What the custom-field operations take and give.

use accord_kernel::custom_fields::{CustomField, FieldKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListFieldsInput {
    /// Only this kind's fields (its table); every kind's when absent.
    #[serde(default)]
    #[ts(optional, type = "HistoryTable")]
    pub record_table: Option<String>,
    /// Retired fields too (the administrator's screen, and history, which names them).
    #[serde(default)]
    #[ts(optional)]
    pub include_retired: Option<bool>,
}

/// A kind of record that takes custom fields.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CustomFieldTarget {
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub label: String,
    /// What search files its records under (to pick one for a link field).
    #[ts(type = "SearchEntity | null")]
    pub search_entity: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FieldList {
    /// The kinds of record an administrator may add fields to.
    pub targets: Vec<CustomFieldTarget>,
    /// Kinds a link field may point to.
    pub link_targets: Vec<CustomFieldTarget>,
    /// The fields, kind by kind, in their order.
    pub fields: Vec<CustomField>,
}

/// A choice as the administrator gives it: a label, and the key of an existing choice when
/// it is one (a new choice gets its key from its label).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "CustomFieldChoiceInput")]
pub struct ChoiceInput {
    #[serde(default)]
    #[ts(optional)]
    pub key: Option<String>,
    pub label: String,
    /// No longer offered; records that have it keep it.
    #[serde(default)]
    #[ts(optional)]
    pub retired: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DefineFieldInput {
    /// The kind of record (its table: `organisations`, `contacts`).
    #[ts(type = "HistoryTable")]
    pub record_table: String,
    pub label: String,
    pub kind: FieldKind,
    /// Its stable key (lower-case Latin letters, digits, `_`); made from the label if absent.
    #[serde(default)]
    #[ts(optional)]
    pub key: Option<String>,
    /// The choices of a choice or multi-choice field.
    #[serde(default)]
    #[ts(optional)]
    pub choices: Option<Vec<ChoiceInput>>,
    /// The kind of record a link field points to.
    #[serde(default)]
    #[ts(optional, type = "HistoryTable")]
    pub link_table: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateFieldInput {
    pub id: Uuid,
    pub version: i64,
    /// A new label (renaming keeps every value: they are stored by key).
    #[serde(default)]
    #[ts(optional)]
    pub label: Option<String>,
    /// The whole list of choices: every existing choice must stay (retire one instead of
    /// dropping it), new ones may be added, labels changed, the order changed.
    #[serde(default)]
    #[ts(optional)]
    pub choices: Option<Vec<ChoiceInput>>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReorderFieldsInput {
    #[ts(type = "HistoryTable")]
    pub record_table: String,
    /// The kind's fields in their new order (every field of the kind, retired ones included).
    pub ids: Vec<Uuid>,
}
