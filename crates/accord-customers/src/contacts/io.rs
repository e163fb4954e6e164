//! What the operations on contacts take and give: inputs, outputs, rows and pages.

use super::*;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CreateContactInput {
    pub first_name: String,
    #[serde(default)]
    #[ts(optional)]
    pub last_name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub role: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
    /// Values of its custom fields, by key.
    #[serde(default)]
    #[ts(optional, type = "CustomValues")]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

impl CreateContactInput {
    /// The contact it describes, without its custom values (checked apart, see
    /// `custom_fields::ValueCheck`), and those values as given.
    pub(super) fn into_model(self, scope: &Scope<'_>) -> (Model, serde_json::Map<String, serde_json::Value>) {
        let model = Model {
            id: Uuid::now_v7(),
            organisation_id: self.organisation_id,
            first_name: self.first_name,
            last_name: self.last_name,
            full_name: String::new(),
            sort_name: String::new(),
            role: self.role,
            email: self.email,
            phone: self.phone,
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

#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedContact {
    pub contact: Contact,
    pub duplicates: Vec<DuplicateWarning>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ImportContactsInput {
    /// Up to 1,000 contacts, stored all together or not at all.
    pub items: Vec<CreateContactInput>,
}

/// The fields to change; absent fields stay as they are, `null` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ContactChanges {
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional, type = "string")]
    pub first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub last_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub organisation_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub role: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub notes: Option<Option<String>>,
    /// Custom values to set, by key (`null` clears one); keys left out stay as they are.
    #[serde(default)]
    #[ts(optional, type = "CustomValues")]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateContactInput {
    pub id: Uuid,
    pub version: i64,
    pub changes: ContactChanges,
}

/// The columns a list or a card shows.
#[derive(Debug, Clone, PartialEq, FromQueryResult, Serialize, TS)]
pub struct ContactRow {
    pub id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub full_name: String,
    #[serde(skip)]
    #[ts(skip)]
    pub sort_name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Its custom values.
    #[ts(type = "CustomValues")]
    pub custom: Json,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListContactsInput {
    #[serde(default)]
    #[ts(optional)]
    pub direction: Option<Direction>,
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
    pub archived: Option<bool>,
    /// Only the people of this organisation.
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ContactPage {
    pub items: Vec<ContactRow>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `before` for the previous page; absent on the first page.
    pub prev_cursor: Option<String>,
}
