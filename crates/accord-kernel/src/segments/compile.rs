//! A filter checked against the kind's fields ([`check`]), then either compiled to SQL for
//! either engine ([`compile`]) or evaluated over a record's fields in Rust ([`matches`]) —
//! one meaning, written twice, so the property tests can hold the SQL to the plain rule.

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::DbBackend;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait};
use serde_json::Value;
use uuid::Uuid;

use super::{FieldSpec, FieldType, Filter, MAX_CONDITIONS, MAX_DEPTH, Operator};
use crate::custom_fields;
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::validate;

/// A filter whose fields exist and whose values have their fields' types.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked {
    All(Vec<Checked>),
    Any(Vec<Checked>),
    Condition { field: FieldSpec, op: Operator, value: Typed },
}

/// A condition's value, read as its field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    Nothing,
    Text(String),
    Texts(Vec<String>),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
}

/// Checks `filter` against the fields a segment may use; every problem is reported at once,
/// each at its place (`filter.of.1.value`).
pub fn check(filter: &Filter, fields: &[FieldSpec]) -> Result<Checked, ApiError> {
    let mut errors = FieldErrors::default();
    let mut count = 0;
    let checked = check_node(filter, fields, "filter", 1, &mut count, &mut errors);
    if count > MAX_CONDITIONS {
        errors.add("filter", FieldCode::TooLong, format!("Use at most {MAX_CONDITIONS} conditions."));
    }
    errors.into_result()?;
    Ok(checked)
}

fn check_node(
    filter: &Filter,
    fields: &[FieldSpec],
    path: &str,
    depth: usize,
    count: &mut usize,
    errors: &mut FieldErrors,
) -> Checked {
    match filter {
        Filter::All { of } | Filter::Any { of } => {
            if depth > MAX_DEPTH {
                errors.add(path, FieldCode::InvalidValue, format!("Nest groups at most {MAX_DEPTH} deep."));
            }
            let children = of
                .iter()
                .enumerate()
                .map(|(i, child)| check_node(child, fields, &format!("{path}.of.{i}"), depth + 1, count, errors))
                .collect();
            if matches!(filter, Filter::All { .. }) { Checked::All(children) } else { Checked::Any(children) }
        }
        Filter::Condition { field, op, value } => {
            *count += 1;
            let Some(spec) = fields.iter().find(|f| &f.field == field) else {
                errors.add(
                    &format!("{path}.field"),
                    FieldCode::InvalidValue,
                    format!("There is no field \"{field}\" to select by; choose one of the fields offered."),
                );
                return Checked::Condition { field: FieldSpec::unknown(field), op: *op, value: Typed::Nothing };
            };
            let value = check_value(spec, *op, value.as_ref(), &format!("{path}.value"), &format!("{path}.op"), errors);
            Checked::Condition { field: spec.clone(), op: *op, value }
        }
    }
}

impl FieldSpec {
    fn unknown(field: &str) -> Self {
        FieldSpec { field: field.to_owned(), label: None, field_type: FieldType::Text, moment: false }
    }
}

/// The operators each type of field takes.
fn allows(field_type: &FieldType, op: Operator) -> bool {
    use Operator::*;
    match field_type {
        FieldType::Text | FieldType::Choice { .. } | FieldType::Reference { .. } => {
            matches!(op, Is | IsNot | AnyOf | Empty | NotEmpty)
        }
        FieldType::MultiChoice { .. } => matches!(op, Is | IsNot | AnyOf | Empty | NotEmpty),
        FieldType::Number | FieldType::Date => matches!(op, Is | IsNot | AtLeast | AtMost | Empty | NotEmpty),
        FieldType::YesNo => matches!(op, Is | Empty | NotEmpty),
    }
}

fn check_value(
    spec: &FieldSpec,
    op: Operator,
    value: Option<&Value>,
    path: &str,
    op_path: &str,
    errors: &mut FieldErrors,
) -> Typed {
    if !allows(&spec.field_type, op) {
        errors.add(op_path, FieldCode::InvalidValue, "This comparison does not apply to this field; choose another.");
        return Typed::Nothing;
    }
    if matches!(op, Operator::Empty | Operator::NotEmpty) {
        return Typed::Nothing;
    }
    let Some(value) = value.filter(|v| !v.is_null()) else {
        errors.add(path, FieldCode::Required, "Give the value to compare with.");
        return Typed::Nothing;
    };
    if op == Operator::AnyOf {
        let Some(items) = value.as_array().filter(|items| !items.is_empty() && items.len() <= 100) else {
            errors.add(path, FieldCode::InvalidValue, "Give a list of 1 to 100 values.");
            return Typed::Nothing;
        };
        let mut texts = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Typed::Text(text) = one_value(spec, item, &format!("{path}.{i}"), errors) {
                texts.push(text);
            }
        }
        return Typed::Texts(texts);
    }
    one_value(spec, value, path, errors)
}

fn one_value(spec: &FieldSpec, value: &Value, path: &str, errors: &mut FieldErrors) -> Typed {
    let text = value.as_str().map(|t| validate::latin_digits(t.trim()));
    match &spec.field_type {
        FieldType::Text => match text.filter(|t| !t.is_empty() && t.chars().count() <= custom_fields::TEXT_MAX) {
            Some(t) => Typed::Text(t),
            None => {
                errors.add(path, FieldCode::InvalidValue, "Type the text to compare with.");
                Typed::Nothing
            }
        },
        FieldType::Choice { values } | FieldType::MultiChoice { values } => match text.filter(|t| values.contains(t)) {
            Some(t) => Typed::Text(t),
            None => {
                errors.add(path, FieldCode::InvalidValue, "Choose one of the field's values.");
                Typed::Nothing
            }
        },
        FieldType::Reference { .. } => match text.and_then(|t| Uuid::parse_str(&t).ok()) {
            Some(id) => Typed::Text(id.to_string()),
            None => {
                errors.add(path, FieldCode::InvalidValue, "Choose a record.");
                Typed::Nothing
            }
        },
        FieldType::Number => match value.as_f64().or_else(|| text.and_then(|t| t.replace([' ', ','], "").parse().ok()))
        {
            Some(n) if n.is_finite() => Typed::Number(n),
            _ => {
                errors.add(path, FieldCode::InvalidValue, "Type a number, such as 120 or 12.5.");
                Typed::Nothing
            }
        },
        FieldType::Date => match text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok()) {
            Some(date) => Typed::Date(date),
            None => {
                errors.add(path, FieldCode::InvalidValue, "Give a date as YYYY-MM-DD.");
                Typed::Nothing
            }
        },
        FieldType::YesNo => match value.as_bool() {
            Some(b) => Typed::Bool(b),
            None => {
                errors.add(path, FieldCode::InvalidValue, "Choose yes or no.");
                Typed::Nothing
            }
        },
    }
}

/// The SQL condition of a checked filter on `backend`, over the kind's own table (unqualified
/// columns). An empty `all` group selects everything; an empty `any` group nothing.
pub fn compile(filter: &Checked, backend: DbBackend) -> Condition {
    match filter {
        Checked::All(children) => children.iter().fold(Condition::all(), |c, child| c.add(compile(child, backend))),
        Checked::Any(children) => children.iter().fold(Condition::any(), |c, child| c.add(compile(child, backend))),
        Checked::Condition { field, op, value } => condition(field, *op, value, backend),
    }
}

/// The column of a standard field, or the JSON path of a custom one, as SQL. Custom keys are
/// checked against the kind's fields, so they are plain identifiers.
fn column_sql(field: &FieldSpec, backend: DbBackend) -> Option<String> {
    let key = field.field.strip_prefix(custom_fields::PREFIX)?;
    Some(match backend {
        DbBackend::Postgres => format!("(\"custom\" ->> '{key}')"),
        _ => format!("json_extract(\"custom\", '$.{key}')"),
    })
}

fn condition(field: &FieldSpec, op: Operator, value: &Typed, backend: DbBackend) -> Condition {
    let custom = column_sql(field, backend);
    if let FieldType::MultiChoice { .. } = field.field_type {
        return multi_choice(field, op, value, backend);
    }
    let column = || -> Expr {
        match (&custom, &field.field_type) {
            (Some(sql), FieldType::Number) => match backend {
                DbBackend::Postgres => Expr::cust(format!("CAST({sql} AS NUMERIC)")),
                _ => Expr::cust(format!("CAST({sql} AS REAL)")),
            },
            (Some(sql), _) => Expr::cust(sql.clone()),
            (None, _) => Expr::col(Alias::new(field.field.as_str())),
        }
    };
    let one = |text: &str| -> sea_orm::Value { bound(field, text, backend) };
    let is = |v: &Typed| -> Condition {
        match v {
            Typed::Date(day) if field.moment => Condition::all()
                .add(column().gte(start_of(*day)))
                .add(column().lt(start_of(day.checked_add_days(Days::new(1)).unwrap_or(*day)))),
            Typed::Text(t) => Condition::all().add(column().eq(one(t))),
            Typed::Number(n) => Condition::all().add(column().eq(*n)),
            Typed::Date(day) => Condition::all().add(column().eq(day.format("%Y-%m-%d").to_string())),
            Typed::Bool(b) => Condition::all().add(match backend {
                DbBackend::Postgres => column().eq(b.to_string()),
                _ => column().eq(i32::from(*b)),
            }),
            _ => Condition::all(),
        }
    };
    match op {
        Operator::Empty => Condition::all().add(column().is_null()),
        Operator::NotEmpty => Condition::all().add(column().is_not_null()),
        Operator::Is => is(value),
        Operator::IsNot => Condition::any().add(is(value).not()).add(column().is_null()),
        Operator::AnyOf => match value {
            Typed::Texts(texts) => Condition::all().add(column().is_in(texts.iter().map(|t| one(t)))),
            _ => Condition::all(),
        },
        Operator::AtLeast | Operator::AtMost => {
            let at_least = op == Operator::AtLeast;
            Condition::all().add(match value {
                Typed::Number(n) if at_least => column().gte(*n),
                Typed::Number(n) => column().lte(*n),
                Typed::Date(day) if field.moment && at_least => column().gte(start_of(*day)),
                Typed::Date(day) if field.moment => {
                    column().lt(start_of(day.checked_add_days(Days::new(1)).unwrap_or(*day)))
                }
                Typed::Date(day) if at_least => column().gte(day.format("%Y-%m-%d").to_string()),
                Typed::Date(day) => column().lte(day.format("%Y-%m-%d").to_string()),
                _ => Expr::cust("1 = 1"),
            })
        }
    }
}

/// A text value as its column holds it: an id column holds a UUID, custom values hold text.
fn bound(field: &FieldSpec, text: &str, _backend: DbBackend) -> sea_orm::Value {
    match (&field.field_type, field.field.starts_with(custom_fields::PREFIX)) {
        (FieldType::Reference { .. }, false) => Uuid::parse_str(text).map(Into::into).unwrap_or_else(|_| text.into()),
        _ => text.into(),
    }
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// A custom multi-choice holds a JSON array of choice keys.
fn multi_choice(field: &FieldSpec, op: Operator, value: &Typed, backend: DbBackend) -> Condition {
    let key = field.field.strip_prefix(custom_fields::PREFIX).unwrap_or_default();
    let (elements, empty) = match backend {
        DbBackend::Postgres => (
            format!(
                "SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(\"custom\" -> '{key}') = 'array' \
                 THEN \"custom\" -> '{key}' ELSE '[]'::jsonb END) AS e(v) WHERE e.v IN"
            ),
            format!("(\"custom\" -> '{key}' IS NULL OR \"custom\" -> '{key}' = '[]'::jsonb)"),
        ),
        _ => (
            format!("SELECT 1 FROM json_each(\"custom\", '$.{key}') WHERE json_each.value IN"),
            format!("(json_extract(\"custom\", '$.{key}') IS NULL OR json_array_length(\"custom\", '$.{key}') = 0)"),
        ),
    };
    let holds = |texts: &[String]| -> Expr {
        // sea-query reads `$N` as this expression's values on PostgreSQL, `?` elsewhere.
        let marks: Vec<String> = (1..=texts.len())
            .map(|n| if backend == DbBackend::Postgres { format!("${n}") } else { "?".to_owned() })
            .collect();
        let marks = marks.join(", ");
        Expr::cust_with_values(format!("EXISTS ({elements} ({marks}))"), texts.iter().map(|t| t.as_str()))
    };
    match (op, value) {
        (Operator::Empty, _) => Condition::all().add(Expr::cust(empty)),
        (Operator::NotEmpty, _) => Condition::all().add(Expr::cust(empty).not()),
        (Operator::Is, Typed::Text(t)) => Condition::all().add(holds(std::slice::from_ref(t))),
        (Operator::IsNot, Typed::Text(t)) => Condition::all().add(holds(std::slice::from_ref(t)).not()),
        (Operator::AnyOf, Typed::Texts(texts)) => Condition::all().add(holds(texts)),
        _ => Condition::all(),
    }
}

/// Whether a record, as `records::fields_of` names its fields, is selected by `filter`: the
/// rule the SQL of [`compile`] must agree with.
pub fn matches(filter: &Checked, record: &Value) -> bool {
    match filter {
        Checked::All(children) => children.iter().all(|c| matches(c, record)),
        Checked::Any(children) => children.iter().any(|c| matches(c, record)),
        Checked::Condition { field, op, value } => {
            let held = record.get(&field.field).filter(|v| !v.is_null());
            let held = held.filter(|v| !v.as_array().is_some_and(|a| a.is_empty()));
            match op {
                Operator::Empty => held.is_none(),
                Operator::NotEmpty => held.is_some(),
                Operator::Is => held.is_some_and(|h| is(field, h, value)),
                Operator::IsNot => !held.is_some_and(|h| is(field, h, value)),
                Operator::AnyOf => held.is_some_and(|h| match value {
                    Typed::Texts(texts) => texts.iter().any(|t| is(field, h, &Typed::Text(t.clone()))),
                    _ => false,
                }),
                Operator::AtLeast | Operator::AtMost => held.is_some_and(|h| {
                    let ordering = match value {
                        Typed::Number(n) => number_of(h).and_then(|x| x.partial_cmp(n)),
                        Typed::Date(day) => day_of(field, h).map(|d| d.cmp(day)),
                        _ => None,
                    };
                    match ordering {
                        Some(o) if *op == Operator::AtLeast => o.is_ge(),
                        Some(o) => o.is_le(),
                        None => false,
                    }
                }),
            }
        }
    }
}

fn is(field: &FieldSpec, held: &Value, value: &Typed) -> bool {
    match value {
        Typed::Text(t) => match held {
            Value::Array(items) => items.iter().any(|i| i.as_str() == Some(t)),
            other => other.as_str() == Some(t),
        },
        Typed::Number(n) => number_of(held) == Some(*n),
        Typed::Date(day) => day_of(field, held) == Some(*day),
        Typed::Bool(b) => held.as_bool() == Some(*b),
        _ => false,
    }
}

fn number_of(held: &Value) -> Option<f64> {
    held.as_f64().or_else(|| held.as_str().and_then(|t| t.parse().ok()))
}

pub fn day_of(field: &FieldSpec, held: &Value) -> Option<NaiveDate> {
    let text = held.as_str()?;
    if field.moment {
        DateTime::parse_from_rfc3339(text).ok().map(|at| at.with_timezone(&Utc).date_naive())
    } else {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }
}
