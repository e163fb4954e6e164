//! Importing records from a file (CUST-7), as a mechanism every kind gets by declaring it:
//! a kind implements [`Importable`] — the fields a column may fill ([`ImportField`]) and how a
//! batch of rows becomes records ([`Importable::prepare`], the same checks its own create and
//! import operations make) — and registers with `Domain::importable`. Everything else is
//! shared: reading a column's cells as the field's type ([`cells`], dates in the order the
//! user chose, never guessed; a name for a reference), holding back a row that duplicates a
//! record already there or an earlier row ([`crate::merge::KeyIndex`]), and storing
//! the good rows of a batch while listing each bad one with its problems ([`batch`]).

pub mod batch;
pub mod cells;

use std::future::Future;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::error::{ApiError, FieldErrors};
use crate::merge::MatchKey;
use crate::operation::Scope;
use crate::records::Record;

pub use batch::{RowInput, RowOutcome, RowProblem, RowResult, import_batch};
pub use cells::{ColumnTarget, Converter, DateOrder, DateReading, date_reading};

/// A field a column of a file may fill.
#[derive(Debug, Clone, Copy)]
pub struct ImportField {
    /// The field of the kind's create input (`first_name`, `organisation_id`).
    pub field: &'static str,
    /// A row without it cannot be imported.
    pub required: bool,
    pub kind: ImportType,
    /// Column headings people use for it, in English, Russian and Persian, compared in the
    /// search's normal form: the wizard maps such a column to it without being told.
    pub headings: &'static [&'static str],
}

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportType {
    Text,
    /// A phone number: without a country code, read in the country the row's record gives,
    /// or the import's default country, which the row's notices then name.
    Phone,
    /// Another record, by its id or by its name (`name_column` of `table`), within reach.
    Reference {
        table: &'static str,
        name_column: &'static str,
    },
}

/// What an import assumes where a row says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportDefaults {
    /// The country (ISO 3166 alpha-2) of phone numbers written without a country code, when
    /// the row's record has no country of its own.
    #[serde(default)]
    #[ts(optional)]
    pub country: Option<String>,
}

/// Something the import did with a row that the person should know (a phone read as a
/// number of the default country).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "ImportNotice")]
pub struct Notice {
    pub field: String,
    pub message: String,
}

/// One row made ready by a kind: the record to store, or what is wrong with the row.
pub struct Prepared<R> {
    pub record: Result<R, FieldErrors>,
    pub notices: Vec<Notice>,
}

/// A kind of record that can be imported from a file.
pub trait Importable: Record {
    /// The standard fields a column may fill, in the order the wizard offers them; custom
    /// fields (`custom.<key>`) are offered too when the kind takes them.
    const IMPORT_FIELDS: &'static [ImportField];

    /// Each item — the kind's create input as JSON, custom values under `custom` — checked
    /// and made a record exactly as the kind's own create operation would, or the item's
    /// problems by field; one result per item, in order.
    fn prepare(
        scope: &Scope<'_>,
        items: Vec<Map<String, Value>>,
        defaults: &ImportDefaults,
    ) -> impl Future<Output = Result<Vec<Prepared<Self>>, ApiError>> + Send;

    /// What makes a new record likely the same as one already there; none by default.
    fn import_keys(&self) -> Vec<MatchKey> {
        Vec::new()
    }
}

/// An item read from a file as the kind's create input; a value of the wrong shape is a
/// problem of its row, at its field when serde names it.
pub fn decode_item<I: serde::de::DeserializeOwned>(item: Map<String, Value>) -> Result<I, FieldErrors> {
    serde_json::from_value(Value::Object(item)).map_err(|e| {
        let text = e.to_string();
        let field = text.split('`').nth(1).filter(|f| !f.contains(' ')).unwrap_or("row").to_owned();
        if text.starts_with("missing field") {
            return FieldErrors::one(
                &field,
                crate::error::FieldCode::Required,
                "This cell is empty; every record needs it.",
            );
        }
        FieldErrors::one(&field, crate::error::FieldCode::InvalidValue, format!("This row cannot be read: {text}."))
    })
}

/// The country a row's phone number is read in: the record's own, else the import's default
/// — and then a notice saying so, when the number has no country code of its own.
pub fn phone_country(
    phone: Option<&str>,
    own: Option<&str>,
    defaults: &ImportDefaults,
    notices: &mut Vec<Notice>,
) -> Option<String> {
    if let Some(own) = own {
        return Some(own.to_owned());
    }
    let default = defaults.country.clone()?;
    let national = phone
        .map(|p| crate::validate::latin_digits(p.trim()))
        .is_some_and(|p| !p.is_empty() && !p.starts_with('+') && !p.starts_with("00"));
    if national {
        notices.push(Notice {
            field: "phone".into(),
            message: format!(
                "The phone number has no country code; it was read as a number in {default}, the import's default country."
            ),
        });
    }
    Some(default)
}

/// A batch's problems (at `items.N.<field>`, as `custom_fields::ValueCheck` and the kinds'
/// batch checks report them) split into each item's own, at `<field>`.
pub fn errors_by_item(errors: FieldErrors, items: usize) -> Vec<FieldErrors> {
    let mut by_item: Vec<FieldErrors> = (0..items).map(|_| FieldErrors::default()).collect();
    for (path, error) in errors.into_entries() {
        let mut parts = path.splitn(3, '.');
        let (Some("items"), Some(index), Some(field)) = (parts.next(), parts.next(), parts.next()) else { continue };
        if let Some(item) = index.parse::<usize>().ok().and_then(|i| by_item.get_mut(i)) {
            item.add(field, error.code, error.message);
        }
    }
    by_item
}

/// Each item's record, or its problems: `errors[i]` decides whether `records[i]` is good.
pub fn settle<R>(records: Vec<(R, Vec<Notice>)>, errors: Vec<FieldErrors>) -> Vec<Prepared<R>> {
    records
        .into_iter()
        .zip(errors)
        .map(|((record, notices), errors)| Prepared {
            record: if errors.is_empty() { Ok(record) } else { Err(errors) },
            notices,
        })
        .collect()
}

/// A batch of a kind's create inputs checked as its own create operation checks one, for
/// [`Importable::prepare`] and the kind's import operation alike. `check` makes a readable
/// input its record — the problems of its own fields in `errors`, what the person should know
/// in `notices` — and hands back the custom values the input carried; those are checked for
/// the whole batch together (links read once) into the record's `custom` slot. An unreadable
/// input keeps its problems, with `blank` standing in for its record.
pub async fn check_batch<I, R: Record>(
    scope: &Scope<'_>,
    inputs: Vec<Result<I, FieldErrors>>,
    blank: impl Fn() -> R,
    mut check: impl FnMut(I, &mut FieldErrors, &mut Vec<Notice>) -> (R, Map<String, Value>),
    custom: fn(&mut R) -> &mut Value,
) -> Result<Vec<Prepared<R>>, ApiError> {
    let count = inputs.len();
    let mut custom_values = crate::custom_fields::ValueCheck::of(scope, R::TABLE).await?;
    let mut all_errors = FieldErrors::default();
    let mut records = Vec::with_capacity(count);
    for (i, input) in inputs.into_iter().enumerate() {
        let mut notices = Vec::new();
        let input = match input {
            Ok(input) => input,
            Err(errors) => {
                all_errors.absorb(&format!("items.{i}"), errors);
                records.push((blank(), notices));
                continue;
            }
        };
        let mut errors = FieldErrors::default();
        let (mut record, values) = check(input, &mut errors, &mut notices);
        custom_values.apply(custom(&mut record), &values, &mut errors, &format!("items.{i}."));
        all_errors.absorb(&format!("items.{i}"), errors);
        records.push((record, notices));
    }
    custom_values.finish(scope, &mut all_errors).await?;
    Ok(settle(records, errors_by_item(all_errors, count)))
}

/// The records of a batch that must be stored whole (a kind's own import operation): every
/// record, or every item's problems at `items.N.<field>`.
pub fn all_or_none<R>(prepared: Vec<Prepared<R>>) -> Result<Vec<R>, ApiError> {
    let mut errors = FieldErrors::default();
    let mut records = Vec::with_capacity(prepared.len());
    for (i, item) in prepared.into_iter().enumerate() {
        match item.record {
            Ok(record) => records.push(record),
            Err(problems) => errors.absorb(&format!("items.{i}"), problems),
        }
    }
    errors.into_result()?;
    Ok(records)
}
