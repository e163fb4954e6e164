//! Organisations from files (CUST-7): the columns a file may fill, and a batch of rows checked
//! exactly as `customers.create_organisation` checks one — the same code serves
//! `customers.import_organisations`, which stores all or none.

use super::*;
use accord_kernel::imports::{self, ImportDefaults, ImportField, ImportType, Importable, Prepared};
use accord_kernel::search::normalise;
use serde_json::{Map, Value};

const fn text(field: &'static str, headings: &'static [&'static str]) -> ImportField {
    ImportField { field, required: false, kind: ImportType::Text, headings }
}

impl Importable for Model {
    const IMPORT_FIELDS: &'static [ImportField] = &[
        ImportField {
            field: "name",
            required: true,
            kind: ImportType::Text,
            headings: &[
                "name",
                "organisation",
                "organization",
                "company",
                "название",
                "наименование",
                "организация",
                "компания",
                "نام",
                "نام شرکت",
                "شرکت",
                "سازمان",
            ],
        },
        text("kind", &["kind", "type", "вид", "тип", "نوع"]),
        text(
            "legal_name",
            &["legal name", "full legal name", "юридическое название", "полное наименование", "نام حقوقی"],
        ),
        text("tax_id", &["tax id", "inn", "vat", "vat number", "инн", "شناسه ملی", "کد اقتصادی"]),
        text("email", &["email", "e mail", "mail", "эл почта", "электронная почта", "почта", "ایمیل", "پست الکترونیک"]),
        ImportField {
            field: "phone",
            required: false,
            kind: ImportType::Phone,
            headings: &["phone", "telephone", "tel", "телефон", "тел", "تلفن", "شماره تلفن"],
        },
        text("website", &["website", "site", "web", "url", "сайт", "وب سایت", "وبسایت", "سایت"]),
        text("industry", &["industry", "sector", "отрасль", "صنعت"]),
        text("country", &["country", "страна", "کشور"]),
        text("city", &["city", "town", "город", "شهر"]),
        text("address", &["address", "адрес", "نشانی", "آدرس"]),
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
        let inputs = items.into_iter().map(|mut item| {
            read_kind(&mut item)?;
            imports::decode_item::<CreateOrganisationInput>(item)
        });
        prepare(scope, inputs.collect(), defaults).await
    }

    fn import_keys(&self) -> Vec<accord_kernel::merge::MatchKey> {
        self.match_keys()
    }
}

/// Each input checked as `customers.create_organisation` checks it; the custom values of the
/// whole batch are checked together (links read once).
pub(super) async fn prepare(
    scope: &Scope<'_>,
    inputs: Vec<Result<CreateOrganisationInput, FieldErrors>>,
    defaults: &ImportDefaults,
) -> Result<Vec<Prepared<Model>>, ApiError> {
    let blank = || CreateOrganisationInput::default().into_model(scope).0;
    let check = |input: CreateOrganisationInput, errors: &mut FieldErrors, notices: &mut Vec<_>| {
        let (mut model, custom) = input.into_model(scope);
        let phone_country = imports::phone_country(model.phone.as_deref(), model.country.as_deref(), defaults, notices);
        normalise_fields(errors, &mut model, phone_country.as_deref());
        (model, custom)
    };
    imports::check_batch(scope, inputs, blank, check, |model| &mut model.custom).await
}

/// The kind of organisation as people write it, in English, Russian or Persian.
fn read_kind(item: &mut Map<String, Value>) -> Result<(), FieldErrors> {
    let Some(Value::String(written)) = item.get("kind") else { return Ok(()) };
    let kind = match normalise(written).as_str() {
        "customer" | "client" | "клиент" | "заказчик" | "покупатель" | "مشتری" => {
            "customer"
        }
        "prospect" | "lead" | "потенциальный клиент" | "лид" | "مشتری بالقوه" | "سرنخ" => {
            "prospect"
        }
        "supplier" | "vendor" | "поставщик" | "تامین کننده" | "تامینکننده" => "supplier",
        "partner" | "партнер" | "شریک" | "همکار" => "partner",
        _ => {
            return Err(FieldErrors::one(
                "kind",
                accord_kernel::error::FieldCode::InvalidValue,
                format!("\"{written}\" is not a kind of organisation; write customer, prospect, supplier or partner."),
            ));
        }
    };
    item.insert("kind".into(), Value::String(kind.into()));
    Ok(())
}
