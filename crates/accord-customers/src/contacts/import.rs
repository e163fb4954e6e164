//! Contacts from files (CUST-7): the columns a file may fill — the organisation by its name —
//! and a batch of rows checked exactly as `customers.create_contact` checks one; the same code
//! serves `customers.import_contacts`, which stores all or none.

use super::*;
use accord_kernel::error::FieldCode;
use accord_kernel::imports::{ImportDefaults, ImportField, ImportType, Importable, Prepared};
use serde_json::{Map, Value};

const fn text(field: &'static str, headings: &'static [&'static str]) -> ImportField {
    ImportField { field, required: false, kind: ImportType::Text, headings }
}

impl Importable for Model {
    const IMPORT_FIELDS: &'static [ImportField] = &[
        ImportField {
            field: "first_name",
            required: true,
            kind: ImportType::Text,
            headings: &["first name", "given name", "name", "имя", "نام"],
        },
        text("last_name", &["last name", "surname", "family name", "фамилия", "نام خانوادگی"]),
        ImportField {
            field: "organisation_id",
            required: false,
            kind: ImportType::Reference { table: "organisations", name_column: "name" },
            headings: &["organisation", "organization", "company", "организация", "компания", "شرکت", "سازمان"],
        },
        text("role", &["role", "position", "job title", "title", "должность", "роль", "سمت", "نقش"]),
        text("email", &["email", "e mail", "mail", "эл почта", "электронная почта", "почта", "ایمیل", "پست الکترونیک"]),
        ImportField {
            field: "phone",
            required: false,
            kind: ImportType::Phone,
            headings: &[
                "phone",
                "telephone",
                "tel",
                "mobile",
                "телефон",
                "тел",
                "мобильный",
                "تلفن",
                "موبایل",
                "شماره تلفن",
            ],
        },
        text(
            "notes",
            &["notes", "note", "comment", "comments", "примечание", "примечания", "комментарий", "یادداشت", "توضیحات"],
        ),
    ];

    async fn prepare(
        scope: &Scope<'_>,
        items: Vec<Map<String, Value>>,
        defaults: &ImportDefaults,
    ) -> Result<Vec<Prepared<Self>>, ApiError> {
        let inputs = items.into_iter().map(imports::decode_item::<CreateContactInput>).collect();
        prepare(scope, inputs, defaults).await
    }

    fn import_keys(&self) -> Vec<MatchKey> {
        self.match_keys()
    }
}

/// Each input checked as `customers.create_contact` checks it: its organisation active and
/// within reach (read once for the batch), its phone read in the organisation's country.
pub(super) async fn prepare(
    scope: &Scope<'_>,
    inputs: Vec<Result<CreateContactInput, FieldErrors>>,
    defaults: &ImportDefaults,
) -> Result<Vec<Prepared<Model>>, ApiError> {
    let count = inputs.len();
    let countries = queries::organisation_countries(scope, &inputs).await?;
    let mut custom_values = custom_fields::ValueCheck::of(scope, Model::TABLE).await?;
    let mut all_errors = FieldErrors::default();
    let mut records = Vec::with_capacity(count);
    for (i, input) in inputs.into_iter().enumerate() {
        let mut notices = Vec::new();
        let (mut model, custom) = match input {
            Ok(input) => input.into_model(scope),
            Err(errors) => {
                // Unreadable: its problems are known; a blank record stands in its place.
                all_errors.absorb(&format!("items.{i}"), errors);
                records.push((CreateContactInput::default().into_model(scope).0, notices));
                continue;
            }
        };
        let mut errors = FieldErrors::default();
        let country = match model.organisation_id {
            None => None,
            Some(id) => match countries.get(&id) {
                Some(country) => country.as_deref(),
                None => {
                    errors.add("organisation_id", FieldCode::UnknownId, "No active organisation with this id exists.");
                    None
                }
            },
        };
        let country = imports::phone_country(model.phone.as_deref(), country, defaults, &mut notices);
        normalise_fields(&mut errors, &mut model, country.as_deref());
        custom_values.apply(&mut model.custom, &custom, &mut errors, &format!("items.{i}."));
        all_errors.absorb(&format!("items.{i}"), errors);
        records.push((model, notices));
    }
    custom_values.finish(scope, &mut all_errors).await?;
    Ok(imports::settle(records, imports::errors_by_item(all_errors, count)))
}
