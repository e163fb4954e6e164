//! Segments (CUST-4, ISO 9001 8.3.2): a selection of records by their characteristics —
//! standard fields a kind declares ([`Segmentable`]) and every custom field — in AND / OR
//! groups ([`Filter`]), saved as a record of its own ([`Segment`]) and evaluated whenever it is
//! read, so it stays live. [`compile`] turns a filter into SQL for either engine (custom values
//! through the JSON functions of each); [`matches`] is the same rule written over a record's
//! fields in Rust, which the property tests hold the SQL to.

mod compile;
mod model;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::Record;

pub use compile::{Checked, Typed, check, compile, day_of, matches};
pub use model::Segment;

/// The permissions of segments.
pub mod permissions {
    use crate::security::Permission;
    /// See saved segments and who is in them (within one's reach).
    pub const READ: Permission = Permission::new("segments.read");
    /// Save, change and archive segments.
    pub const MANAGE: Permission = Permission::new("segments.manage");
}

/// How deep groups may nest, and how many conditions a filter may hold.
pub const MAX_DEPTH: usize = 4;
pub const MAX_CONDITIONS: usize = 50;

/// A selection: every condition of a group (`all`), any of them (`any`), or one condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(rename = "SegmentFilter")]
pub enum Filter {
    All {
        #[ts(type = "Array<SegmentFilter>")]
        of: Vec<Filter>,
    },
    Any {
        #[ts(type = "Array<SegmentFilter>")]
        of: Vec<Filter>,
    },
    Condition {
        /// A standard field of the kind, or a custom one as `custom.<key>`.
        field: String,
        op: Operator,
        /// What `op` compares with: a text, a number, a date (`YYYY-MM-DD`), yes/no, an id,
        /// or a list of them for `any_of`; absent for `empty` and `not_empty`.
        #[serde(default)]
        #[ts(optional, type = "unknown")]
        value: Option<serde_json::Value>,
    },
}

/// How a condition compares a field with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "SegmentOperator")]
pub enum Operator {
    /// Equal to the value.
    Is,
    /// Not equal to it — records without a value included.
    IsNot,
    /// Equal to one of the values (for several choices: holding one of them).
    AnyOf,
    /// A number at least, or a date on or after, the value.
    AtLeast,
    /// A number at most, or a date on or before, the value.
    AtMost,
    /// Without a value.
    Empty,
    /// With a value.
    NotEmpty,
}

/// What a field holds, as a filter compares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(rename = "SegmentFieldType")]
pub enum FieldType {
    /// Text compared whole (industry, city, role).
    Text,
    /// One of fixed values (an organisation's kind, a custom choice).
    Choice {
        values: Vec<String>,
    },
    /// Several of fixed values (a custom multi-choice).
    MultiChoice {
        values: Vec<String>,
    },
    Number,
    /// A calendar date, or the day of a moment (created, last changed).
    Date,
    YesNo,
    /// The id of a record of `table`.
    Reference {
        table: String,
    },
}

/// A field a segment may filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "SegmentField")]
pub struct FieldSpec {
    /// The column (`industry`), or `custom.<key>`.
    pub field: String,
    /// A custom field's label; standard fields are named by the window.
    pub label: Option<String>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub field_type: FieldType,
    /// Whether the value is a moment (a timestamp column) rather than a calendar date.
    #[serde(skip)]
    #[ts(skip)]
    pub moment: bool,
}

/// A standard field a kind lets segments filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardField {
    pub field: &'static str,
    pub kind: StandardType,
}

/// What a standard field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandardType {
    Text,
    Choice(&'static [&'static str]),
    /// A timestamp column, compared by its day (UTC).
    Moment,
    Reference(&'static str),
}

/// A kind of record that segments select from (CUST-4).
pub trait Segmentable: Record {
    /// Its standard fields a segment may filter by; custom fields always may.
    const FILTER_FIELDS: &'static [StandardField];
    /// The column members are listed by (its sort key), with `id` after it.
    const ORDER_COLUMN: &'static str = "sort_name";
    /// The index over active records by that column, walked when many records match.
    const ORDER_INDEX: Option<&'static str> = None;
}

impl StandardField {
    pub fn spec(&self) -> FieldSpec {
        let (field_type, moment) = match self.kind {
            StandardType::Text => (FieldType::Text, false),
            StandardType::Choice(values) => {
                (FieldType::Choice { values: values.iter().map(|v| (*v).to_owned()).collect() }, false)
            }
            StandardType::Moment => (FieldType::Date, true),
            StandardType::Reference(table) => (FieldType::Reference { table: table.to_owned() }, false),
        };
        FieldSpec { field: self.field.to_owned(), label: None, field_type, moment }
    }
}

/// The fields of a kind a segment may filter by: its standard ones, then its active custom
/// fields in their order.
pub fn fields_of(standard: &[StandardField], custom: &[crate::custom_fields::Model]) -> Vec<FieldSpec> {
    use crate::custom_fields::{Choice, FieldKind};
    let mut fields: Vec<FieldSpec> = standard.iter().map(StandardField::spec).collect();
    for definition in custom.iter().filter(|d| d.deleted_at.is_none()) {
        let choices = || -> Vec<String> {
            serde_json::from_value::<Vec<Choice>>(definition.choices.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.key)
                .collect()
        };
        let field_type = match definition.kind {
            FieldKind::Text => FieldType::Text,
            FieldKind::Number | FieldKind::Decimal => FieldType::Number,
            FieldKind::Date => FieldType::Date,
            FieldKind::Choice => FieldType::Choice { values: choices() },
            FieldKind::MultiChoice => FieldType::MultiChoice { values: choices() },
            FieldKind::YesNo => FieldType::YesNo,
            FieldKind::Link => FieldType::Reference { table: definition.link_table.clone().unwrap_or_default() },
        };
        fields.push(FieldSpec {
            field: format!("{}{}", crate::custom_fields::PREFIX, definition.key),
            label: Some(definition.label.clone()),
            field_type,
            moment: false,
        });
    }
    fields
}
