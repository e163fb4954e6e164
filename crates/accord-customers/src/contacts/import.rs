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
    let countries = queries::organisation_countries(scope, &inputs).await?;
    let blank = || CreateContactInput::default().into_model(scope).0;
    let check = |input: CreateContactInput, errors: &mut FieldErrors, notices: &mut Vec<_>| {
        let (mut model, custom) = input.into_model(scope);
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
        let country = imports::phone_country(model.phone.as_deref(), country, defaults, notices);
        normalise_fields(errors, &mut model, country.as_deref());
        (model, custom)
    };
    imports::check_batch(scope, inputs, blank, check, |model| &mut model.custom).await
}
