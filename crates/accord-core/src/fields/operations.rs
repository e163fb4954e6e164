//! The custom-field operations. Each change is an ordinary change of a record (history,
//! change log, sync to laptops) and is audited: a field changes what everyone's forms hold.

use accord_kernel::changelog::ChangeAction;
use accord_kernel::custom_fields::{self, Choice, CustomField, FieldKind, MAX_PER_KIND, permissions};
use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records::{self, Record};
use accord_kernel::search::normalise;
use accord_kernel::security::Permission;
use accord_kernel::validate;
use uuid::Uuid;

use super::io::*;
use super::{is_valid_key, key_from_label, unique_key};
use crate::door::registry;

pub const LABEL_MAX: usize = 100;
pub const CHOICES_MAX: usize = 200;

pub struct ListFields;

impl Operation for ListFields {
    const NAME: &'static str = "fields.list";
    const PERMISSION: Permission = permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The custom fields of each kind of record, in their order.";
    type Input = ListFieldsInput;
    type Output = FieldList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let with_retired = input.include_retired.unwrap_or(false);
        let mut fields = Vec::new();
        for target in targets() {
            if input.record_table.as_deref().is_none_or(|t| t == target.table) {
                fields.extend(custom_fields::definitions_of(scope, &target.table, with_retired).await?);
            }
        }
        Ok(FieldList { targets: targets(), link_targets: link_targets(), fields })
    }
}

fn target_of(kind: &accord_kernel::catalogue::RecordKind) -> CustomFieldTarget {
    CustomFieldTarget {
        table: kind.table.to_owned(),
        label: kind.label.to_owned(),
        search_entity: kind.search_entity.map(str::to_owned),
    }
}

/// The kinds that declared custom fields.
fn targets() -> Vec<CustomFieldTarget> {
    registry::record_kinds().filter(|kind| kind.custom_fields).map(target_of).collect()
}

/// The kinds a link may point to: those people search for.
fn link_targets() -> Vec<CustomFieldTarget> {
    registry::record_kinds().filter(|kind| kind.search_entity.is_some()).map(target_of).collect()
}

fn check_target(
    errors: &mut FieldErrors,
    field: &str,
    table: &str,
    allowed: &[CustomFieldTarget],
) -> Option<&'static str> {
    match registry::record_kind(table).filter(|_| allowed.iter().any(|t| t.table == table)) {
        Some(kind) => Some(kind.table),
        None => {
            let names: Vec<&str> = allowed.iter().map(|t| t.table.as_str()).collect();
            errors.add(
                field,
                FieldCode::InvalidValue,
                format!("\"{table}\" cannot be used here; use {}.", names.join(", ")),
            );
            None
        }
    }
}

/// Checks a label and that no other active field of the kind is called the same.
fn check_label(errors: &mut FieldErrors, label: &str, others: &[CustomField], except: Option<Uuid>) -> String {
    let label = validate::required_text(errors, "label", label, LABEL_MAX);
    let wanted = normalise(&label);
    if !label.is_empty()
        && others.iter().any(|f| Some(f.id) != except && !f.is_retired() && normalise(&f.label) == wanted)
    {
        errors.add(
            "label",
            FieldCode::InvalidValue,
            format!("A field called \"{label}\" exists already; choose another name."),
        );
    }
    label
}

/// The stored choices a list of choice inputs makes, keeping every key of `existing`.
fn make_choices(errors: &mut FieldErrors, given: &[ChoiceInput], existing: &[Choice]) -> Vec<Choice> {
    if given.len() > CHOICES_MAX {
        errors.add("choices", FieldCode::TooLong, format!("Give at most {CHOICES_MAX} choices."));
        return Vec::new();
    }
    let mut choices: Vec<Choice> = Vec::new();
    for (i, input) in given.iter().enumerate() {
        let path = format!("choices.{i}.label");
        let label = validate::required_text(errors, &path, &input.label, LABEL_MAX);
        if choices.iter().any(|c| normalise(&c.label) == normalise(&label)) {
            errors.add(&path, FieldCode::InvalidValue, format!("\"{label}\" is listed twice."));
        }
        let key = match &input.key {
            Some(key) if existing.iter().any(|c| &c.key == key) => key.clone(),
            Some(key) => {
                errors.add(
                    &format!("choices.{i}.key"),
                    FieldCode::UnknownId,
                    format!("The field has no choice \"{key}\"."),
                );
                key.clone()
            }
            None => {
                let taken: Vec<String> = existing.iter().chain(&choices).map(|c| c.key.clone()).collect();
                unique_key(key_from_label(&label), "choice", &taken)
            }
        };
        choices.push(Choice { key, label, retired: input.retired.unwrap_or(false) });
    }
    for dropped in existing.iter().filter(|e| !choices.iter().any(|c| c.key == e.key)) {
        errors.add(
            "choices",
            FieldCode::InvalidValue,
            format!("The choice \"{}\" cannot be removed: records may hold it. Retire it instead.", dropped.label),
        );
    }
    if !choices.iter().any(|c| !c.retired) {
        errors.add("choices", FieldCode::Required, "Give at least one choice that is offered.");
    }
    choices
}

fn choices_json(choices: &[Choice]) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(choices).map_err(|e| ApiError::internal(format!("could not encode choices: {e}")))
}

pub struct DefineField;

impl Operation for DefineField {
    const NAME: &'static str = "fields.define";
    const PERMISSION: Permission = permissions::MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Add a custom field to a kind of record; no record is rewritten.";
    type Input = DefineFieldInput;
    type Output = CustomField;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut errors = FieldErrors::default();
        let Some(table) = check_target(&mut errors, "record_table", &input.record_table, &targets()) else {
            return Err(ApiError::invalid(errors));
        };
        let existing = custom_fields::definitions_of(scope, table, true).await?;
        if existing.len() >= MAX_PER_KIND {
            errors.add(
                "record_table",
                FieldCode::TooLong,
                format!("A kind of record holds at most {MAX_PER_KIND} custom fields."),
            );
        }
        let label = check_label(&mut errors, &input.label, &existing, None);
        // Every key of the kind, retired fields' too, so a key is never used twice.
        let taken: Vec<String> = existing.iter().map(|f| f.key.clone()).collect();
        let key = match input.key {
            Some(key) if !is_valid_key(&key) => {
                errors.add(
                    "key",
                    FieldCode::InvalidValue,
                    "Use lower-case Latin letters, digits and _, starting with a letter (at most 40).",
                );
                key
            }
            Some(key) if taken.contains(&key) => {
                errors.add(
                    "key",
                    FieldCode::InvalidValue,
                    format!("The key \"{key}\" is taken (perhaps by a retired field)."),
                );
                key
            }
            Some(key) => key,
            None => unique_key(key_from_label(&label), "field", &taken),
        };
        let choices = match (input.kind.has_choices(), &input.choices) {
            (true, Some(given)) => make_choices(&mut errors, given, &[]),
            (true, None) => {
                errors.add("choices", FieldCode::Required, "A choice field needs its choices.");
                Vec::new()
            }
            (false, Some(_)) => {
                errors.add("choices", FieldCode::InvalidValue, "Only a choice or multi-choice field has choices.");
                Vec::new()
            }
            (false, None) => Vec::new(),
        };
        let link_table = match (input.kind, &input.link_table) {
            (FieldKind::Link, Some(target)) => {
                check_target(&mut errors, "link_table", target, &link_targets()).map(str::to_owned)
            }
            (FieldKind::Link, None) => {
                errors.add("link_table", FieldCode::Required, "Say which kind of record the link points to.");
                None
            }
            (_, Some(_)) => {
                errors.add("link_table", FieldCode::InvalidValue, "Only a link field points to records.");
                None
            }
            (_, None) => None,
        };
        errors.into_result()?;
        let position = existing.iter().map(|f| f.position).max().unwrap_or(0) + 1;
        let mut field = CustomField {
            id: Uuid::now_v7(),
            record_table: table.to_owned(),
            key,
            label,
            kind: input.kind,
            choices: choices_json(&choices)?,
            link_table,
            position,
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            owner_id: None,
            department_id: None,
        };
        scope.audit_target(CustomField::TABLE, field.id);
        records::insert(scope, std::slice::from_mut(&mut field)).await?;
        Ok(field)
    }
}

pub struct UpdateField;

impl Operation for UpdateField {
    const NAME: &'static str = "fields.update";
    const PERMISSION: Permission = permissions::MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Rename a custom field or change its choices; its values stay.";
    type Input = UpdateFieldInput;
    type Output = CustomField;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: CustomField = records::load_for_change(scope, input.id, input.version).await?;
        scope.audit_target(CustomField::TABLE, before.id);
        let mut after = before.clone();
        let mut errors = FieldErrors::default();
        if let Some(label) = &input.label {
            let others = custom_fields::definitions_of(scope, &before.record_table, true).await?;
            after.label = check_label(&mut errors, label, &others, Some(before.id));
        }
        if let Some(given) = &input.choices {
            if !before.kind.has_choices() {
                errors.add("choices", FieldCode::InvalidValue, "Only a choice or multi-choice field has choices.");
            } else {
                after.choices = choices_json(&make_choices(&mut errors, given, &before.choice_list()))?;
            }
        }
        errors.into_result()?;
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct ReorderFields;

impl Operation for ReorderFields {
    const NAME: &'static str = "fields.reorder";
    const PERMISSION: Permission = permissions::MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Put a kind's custom fields in a new order (forms, cards and columns follow it).";
    type Input = ReorderFieldsInput;
    type Output = Vec<CustomField>;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut errors = FieldErrors::default();
        let Some(table) = check_target(&mut errors, "record_table", &input.record_table, &targets()) else {
            return Err(ApiError::invalid(errors));
        };
        let fields = custom_fields::definitions_of(scope, table, true).await?;
        let mut given = input.ids.clone();
        given.sort();
        given.dedup();
        let mut known: Vec<Uuid> = fields.iter().map(|f| f.id).collect();
        known.sort();
        if given.len() != input.ids.len() || given != known {
            return Err(ApiError::field(
                "ids",
                FieldCode::InvalidValue,
                "List every field of this kind exactly once (retired ones too); reload the fields and try again.",
            ));
        }
        let mut reordered = Vec::with_capacity(fields.len());
        for (position, id) in (1..).zip(&input.ids) {
            let Some(before) = fields.iter().find(|f| f.id == *id) else { continue };
            let mut after = before.clone();
            after.position = position;
            reordered.push(records::update(scope, before, after, ChangeAction::Update).await?);
        }
        Ok(reordered)
    }
}
