//! Checking custom values against their fields: each value by its field's kind, normalised
//! the way the built-in fields are (trimmed text, Latin digits, ISO dates, choice keys).

use std::str::FromStr;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Choice, FieldKind, Model, PREFIX, definitions_of};
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::operation::Scope;
use crate::validate;

/// Longest text a text field holds.
pub const TEXT_MAX: usize = 1000;

/// Custom values checked against one read of a kind's fields: an import checks thousands of
/// rows with it, a form one record. Links to other records are checked together at the end.
pub struct ValueCheck {
    table: &'static str,
    fields: Vec<Model>,
    links: Vec<LinkToCheck>,
}

impl ValueCheck {
    /// Reads the fields of `table` (retired ones too: their values stay as they are).
    pub async fn of(scope: &Scope<'_>, table: &'static str) -> Result<Self, ApiError> {
        Ok(Self { table, fields: definitions_of(scope, table, true).await?, links: Vec::new() })
    }

    /// Applies `changes` to a record's stored custom values: a key with a value sets it, a
    /// key with `null` clears it, an absent key keeps it. Unknown keys, retired fields and
    /// values that do not fit their field are reported under `custom.<key>`; the caller
    /// stores nothing because `errors` is not empty. `path` prefixes the fields of the link
    /// errors [`ValueCheck::finish`] reports (`items.3.` in a batch).
    pub fn apply(&mut self, stored: &mut Value, changes: &Map<String, Value>, errors: &mut FieldErrors, path: &str) {
        for link in apply_to(&self.fields, self.table, stored, changes, errors) {
            self.links.push(LinkToCheck { field: format!("{path}{}", link.field), ..link });
        }
    }

    /// Checks the links the applied values name.
    pub async fn finish(self, scope: &Scope<'_>, errors: &mut FieldErrors) -> Result<(), ApiError> {
        check_links(scope, &self.links, errors).await
    }
}

/// [`ValueCheck::apply`] for one record.
pub async fn apply_changes(
    scope: &Scope<'_>,
    table: &'static str,
    stored: &mut Value,
    changes: &Map<String, Value>,
    errors: &mut FieldErrors,
) -> Result<(), ApiError> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut check = ValueCheck::of(scope, table).await?;
    check.apply(stored, changes, errors, "");
    check.finish(scope, errors).await
}

/// A link value to check: the record it names must exist, be active and be within reach.
#[derive(Debug, Clone)]
struct LinkToCheck {
    field: String,
    table: String,
    id: Uuid,
}

/// Applies `changes` to `stored`; returns the links to check.
fn apply_to(
    fields: &[Model],
    table: &str,
    stored: &mut Value,
    changes: &Map<String, Value>,
    errors: &mut FieldErrors,
) -> Vec<LinkToCheck> {
    if !stored.is_object() {
        *stored = super::empty();
    }
    let mut links = Vec::new();
    for (key, given) in changes {
        let path = format!("{PREFIX}{key}");
        let Some(field) = fields.iter().find(|f| &f.key == key) else {
            errors.add(
                &path,
                FieldCode::UnknownField,
                format!(
                    "\"{key}\" is not a custom field of {table}; an administrator adds fields under Settings → Custom fields."
                ),
            );
            continue;
        };
        let Some(values) = stored.as_object_mut() else { continue };
        let current = values.get(key).cloned().unwrap_or(Value::Null);
        if field.is_retired() {
            if *given != current {
                errors.add(
                    &path,
                    FieldCode::Archived,
                    format!(
                        "The field \"{}\" is retired; an administrator restores it before it can be set.",
                        field.label
                    ),
                );
            }
            continue;
        }
        match normalise(field, given, &current, &path, errors) {
            Some(value) => {
                let linked = value.as_str().and_then(|s| Uuid::parse_str(s).ok());
                if let (FieldKind::Link, Some(id), true) = (field.kind, linked, value != current) {
                    let table = field.link_table.clone().unwrap_or_default();
                    links.push(LinkToCheck { field: path.clone(), table, id });
                }
                values.insert(key.clone(), value);
            }
            None => {
                values.remove(key);
            }
        }
    }
    links
}

/// Checks that each linked record exists, is active and is one the actor may see.
async fn check_links(scope: &Scope<'_>, links: &[LinkToCheck], errors: &mut FieldErrors) -> Result<(), ApiError> {
    for link in links {
        let mut query = Query::select();
        query
            .expr(Expr::col(Alias::new("id")))
            .from(Alias::new(link.table.as_str()))
            .and_where(Expr::col(Alias::new("id")).eq(link.id))
            .and_where(Expr::col(Alias::new("deleted_at")).is_null());
        if let Some(visible) = scope.actor.reach.condition(None) {
            query.cond_where(visible);
        }
        if scope.tx.query_one(&query).await?.is_none() {
            errors.add(
                &link.field,
                FieldCode::UnknownId,
                "No active record with this id exists among those you may see; pick one from the list.",
            );
        }
    }
    Ok(())
}

/// The value `given` stores in `field` (`None`: no value), or `None` with an error.
fn normalise(field: &Model, given: &Value, current: &Value, path: &str, errors: &mut FieldErrors) -> Option<Value> {
    if given.is_null() {
        return None;
    }
    let wrong_type = |errors: &mut FieldErrors, hint: &str| {
        errors.add(path, FieldCode::WrongType, format!("The field \"{}\" takes {hint}.", field.label));
        None
    };
    match field.kind {
        FieldKind::Text => match given {
            Value::String(text) => validate::optional_text(errors, path, Some(text), TEXT_MAX).map(Value::String),
            _ => wrong_type(errors, "text"),
        },
        FieldKind::Number => {
            let text = match given {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return wrong_type(errors, "a whole number"),
            };
            let digits = number_text(&text);
            if digits.is_empty() {
                return None;
            }
            match i64::from_str(&digits) {
                Ok(n) => Some(Value::from(n)),
                Err(_) => invalid(errors, path, format!("\"{text}\" is not a whole number; type one such as 42.")),
            }
        }
        FieldKind::Decimal => {
            let text = match given {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return wrong_type(errors, "a number"),
            };
            let mut digits = number_text(&text).replace('\u{066B}', ".");
            if digits.is_empty() {
                return None;
            }
            if !digits.contains('.') && digits.matches(',').count() == 1 {
                digits = digits.replace(',', ".");
            }
            match rust_decimal::Decimal::from_str(&digits) {
                Ok(d) => Some(Value::String(d.to_string())),
                Err(_) => invalid(errors, path, format!("\"{text}\" is not a number; type one such as 1250.50.")),
            }
        }
        FieldKind::Date => {
            let Value::String(text) = given else { return wrong_type(errors, "a date") };
            let text = validate::latin_digits(text.trim());
            if text.is_empty() {
                return None;
            }
            match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                Ok(date) => Some(Value::String(date.format("%Y-%m-%d").to_string())),
                Err(_) => invalid(
                    errors,
                    path,
                    format!("\"{text}\" is not a date; write it as year-month-day, such as 2026-12-07."),
                ),
            }
        }
        FieldKind::YesNo => match given {
            Value::Bool(_) => Some(given.clone()),
            _ => wrong_type(errors, "yes or no (true or false)"),
        },
        FieldKind::Choice => {
            let Value::String(text) = given else { return wrong_type(errors, "one of its choices") };
            choice_key(field, &field.choice_list(), text, current, path, errors).map(Value::String)
        }
        FieldKind::MultiChoice => {
            let given: Vec<&Value> = match given {
                Value::Array(items) => items.iter().collect(),
                Value::String(_) => vec![given],
                _ => return wrong_type(errors, "a list of its choices"),
            };
            let choices = field.choice_list();
            let mut keys = Vec::new();
            for item in given {
                let Value::String(text) = item else { return wrong_type(errors, "a list of its choices") };
                keys.extend(choice_key(field, &choices, text, current, path, errors));
            }
            keys.sort_by_key(|k| choices.iter().position(|c| &c.key == k));
            keys.dedup();
            (!keys.is_empty()).then(|| Value::Array(keys.into_iter().map(Value::String).collect()))
        }
        FieldKind::Link => {
            let Value::String(text) = given else { return wrong_type(errors, "the id of a record") };
            match Uuid::parse_str(text.trim()) {
                Ok(id) => Some(Value::String(id.to_string())),
                Err(_) => {
                    invalid(errors, path, format!("\"{text}\" is not a record's id; pick the record from the list."))
                }
            }
        }
    }
}

fn invalid(errors: &mut FieldErrors, path: &str, message: String) -> Option<Value> {
    errors.add(path, FieldCode::InvalidValue, message);
    None
}

/// A number as typed, in Latin digits, without the spaces and group marks people put in it.
fn number_text(text: &str) -> String {
    validate::latin_digits(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{066C}' | '\'' | '_' | '\u{202F}' | '\u{00A0}'))
        .collect()
}

/// The key of the choice `text` names (its key, or its label in any letter case). A retired
/// choice is accepted only where the record holds it already.
fn choice_key(
    field: &Model,
    choices: &[Choice],
    text: &str,
    current: &Value,
    path: &str,
    errors: &mut FieldErrors,
) -> Option<String> {
    let text = text.trim();
    let wanted = crate::search::normalise(text);
    let found = choices
        .iter()
        .find(|c| c.key == text)
        .or_else(|| choices.iter().find(|c| crate::search::normalise(&c.label) == wanted));
    let holds = |key: &str| match current {
        Value::String(s) => s == key,
        Value::Array(items) => items.iter().any(|i| i.as_str() == Some(key)),
        _ => false,
    };
    match found {
        Some(choice) if !choice.retired || holds(&choice.key) => Some(choice.key.clone()),
        Some(choice) => {
            errors.add(
                path,
                FieldCode::InvalidValue,
                format!("The choice \"{}\" of \"{}\" is no longer offered; pick another.", choice.label, field.label),
            );
            None
        }
        None => {
            let offered: Vec<&str> = choices.iter().filter(|c| !c.retired).map(|c| c.label.as_str()).collect();
            errors.add(
                path,
                FieldCode::InvalidValue,
                format!("\"{text}\" is not a choice of \"{}\"; pick one of: {}.", field.label, offered.join(", ")),
            );
            None
        }
    }
}
