//! What the operations on organisations take and give: inputs, outputs, rows and pages.

use super::*;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisationInput {
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<OrganisationKind>,
    #[serde(default)]
    #[ts(optional)]
    pub legal_name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub tax_id: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    /// International format, or national format when `country` is given.
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub website: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub industry: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub country: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub city: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub address: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
    /// Values of its custom fields, by key.
    #[serde(default)]
    #[ts(optional, type = "CustomValues")]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

impl CreateOrganisationInput {
    /// The organisation it describes, without its custom values (checked apart, see
    /// `custom_fields::ValueCheck`), and those values as given.
    pub(super) fn into_model(self, scope: &Scope<'_>) -> (Model, serde_json::Map<String, serde_json::Value>) {
        let model = Model {
            id: Uuid::now_v7(),
            kind: self.kind.unwrap_or_default(),
            name: self.name,
            sort_name: String::new(),
            legal_name: self.legal_name,
            tax_id: self.tax_id,
            email: self.email,
            phone: self.phone,
            website: self.website,
            industry: self.industry,
            country: self.country,
            city: self.city,
            address: self.address,
            notes: self.notes,
            custom: custom_fields::empty(),
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            // `records::insert` makes it the creator's, in their department.
            owner_id: None,
            department_id: None,
            confirmed_at: None,
        };
        (model, self.custom)
    }
}

/// The saved organisation and what the user should know about it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedOrganisation {
    pub organisation: Organisation,
    pub duplicates: Vec<DuplicateWarning>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportOrganisationsInput {
    /// Up to 1,000 organisations, stored all together or not at all.
    pub items: Vec<CreateOrganisationInput>,
}

/// The customer card's frame: details, people, relations.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OrganisationCard {
    pub organisation: Organisation,
    pub contacts: Vec<ContactRow>,
    pub relations: Vec<RelationView>,
}

/// The fields to change; absent fields stay as they are, `null` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct OrganisationChanges {
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional, type = "string")]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional, type = "OrganisationKind")]
    pub kind: Option<Option<OrganisationKind>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub legal_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub tax_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub industry: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub country: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub city: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub notes: Option<Option<String>>,
    /// Custom values to set, by key (`null` clears one); keys left out stay as they are.
    #[serde(default)]
    #[ts(optional, type = "CustomValues")]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

impl OrganisationChanges {
    /// Applies the built-in fields; returns the custom values to apply (checked apart).
    pub(super) fn apply_to(
        self,
        m: &mut Model,
        errors: &mut FieldErrors,
    ) -> serde_json::Map<String, serde_json::Value> {
        m.name = patch::required(errors, "name", m.name.clone(), self.name);
        m.kind = patch::required(errors, "kind", m.kind, self.kind);
        patch::apply(&mut m.legal_name, self.legal_name);
        patch::apply(&mut m.tax_id, self.tax_id);
        patch::apply(&mut m.email, self.email);
        patch::apply(&mut m.phone, self.phone);
        patch::apply(&mut m.website, self.website);
        patch::apply(&mut m.industry, self.industry);
        patch::apply(&mut m.country, self.country);
        patch::apply(&mut m.city, self.city);
        patch::apply(&mut m.address, self.address);
        patch::apply(&mut m.notes, self.notes);
        self.custom
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisationInput {
    pub id: Uuid,
    /// The version the user edited; a newer stored version rejects the change (`conflict`).
    pub version: i64,
    pub changes: OrganisationChanges,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ListSort {
    #[default]
    Name,
    Updated,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListOrganisationsInput {
    #[serde(default)]
    #[ts(optional)]
    pub sort: Option<ListSort>,
    #[serde(default)]
    #[ts(optional)]
    pub direction: Option<Direction>,
    /// Rows per page, 1–500 (default 50; at most 100 with `text`).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// `next_cursor` of the page before: the page that follows it.
    #[serde(default)]
    #[ts(optional)]
    pub after: Option<String>,
    /// `prev_cursor` of the page after: the page that precedes it.
    #[serde(default)]
    #[ts(optional)]
    pub before: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<OrganisationKind>,
    /// List archived organisations instead of active ones.
    #[serde(default)]
    #[ts(optional)]
    pub archived: Option<bool>,
    /// Only the organisations this search finds, best match first, as one page.
    #[serde(default)]
    #[ts(optional)]
    pub text: Option<String>,
}

/// The columns a list shows.
#[derive(Debug, Clone, PartialEq, FromQueryResult, Serialize, TS)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub kind: OrganisationKind,
    pub name: String,
    #[serde(skip)]
    #[ts(skip)]
    pub sort_name: String,
    pub tax_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub city: Option<String>,
    /// Its custom values, for the columns the user chose.
    #[ts(type = "CustomValues")]
    pub custom: Json,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct OrganisationPage {
    pub items: Vec<OrganisationRow>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `before` for the previous page; absent on the first page.
    pub prev_cursor: Option<String>,
    /// About how many organisations there are (archived ones included), for a scrollbar that
    /// means something; given with the first page only, and never counted row by row.
    pub estimated_total: Option<i64>,
}
