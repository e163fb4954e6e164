//! What the operations on interactions take and give: inputs, outputs, rows and pages.

use super::*;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct LogInteractionInput {
    pub topic_id: Uuid,
    pub channel: Channel,
    pub summary: String,
    /// When it happened; now when absent.
    #[serde(default)]
    #[ts(optional)]
    pub happened_at: Option<DateTime<Utc>>,
    /// The channel's usual form when absent (a call is oral, an email written).
    #[serde(default)]
    #[ts(optional)]
    pub form: Option<Form>,
    #[serde(default)]
    #[ts(optional)]
    pub contact_id: Option<Uuid>,
    /// The contact's organisation when absent.
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
    /// Who answered for it; the person logging it when absent.
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
    /// Values of its custom fields, by key.
    #[serde(default)]
    #[ts(optional, type = "CustomValues")]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

impl LogInteractionInput {
    /// The interaction it describes, without its custom values (checked apart), and those
    /// values as given.
    pub(super) fn into_model(self, scope: &Scope<'_>) -> (Model, serde_json::Map<String, serde_json::Value>) {
        let model = Model {
            id: Uuid::now_v7(),
            topic_id: self.topic_id,
            happened_at: self.happened_at.unwrap_or(scope.now),
            channel: self.channel,
            form: self.form.unwrap_or(self.channel.usual_form()),
            contact_id: self.contact_id,
            organisation_id: self.organisation_id,
            responsible_id: self.responsible_id.unwrap_or(scope.actor.user_id),
            summary: self.summary,
            custom: custom_fields::empty(),
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            owner_id: None,
            department_id: None,
        };
        (model, self.custom)
    }
}

/// The fields to change; absent fields stay as they are, `null` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct InteractionChanges {
    #[serde(default)]
    #[ts(optional)]
    pub topic_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub channel: Option<Channel>,
    #[serde(default)]
    #[ts(optional)]
    pub form: Option<Form>,
    #[serde(default)]
    #[ts(optional)]
    pub happened_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[ts(optional)]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub contact_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "patch::double_option")]
    #[ts(optional)]
    pub organisation_id: Option<Option<Uuid>>,
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
    /// Custom values to set, by key (`null` clears one); keys left out stay as they are.
    #[serde(default)]
    #[ts(optional, type = "CustomValues")]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UpdateInteractionInput {
    pub id: Uuid,
    pub version: i64,
    pub changes: InteractionChanges,
}

/// One line of a history: the interaction with the names it refers to, so a page needs no
/// further reads. A name is absent when its record is outside the reader's reach.
#[derive(Debug, Clone, PartialEq, FromQueryResult, Serialize, TS)]
pub struct InteractionRow {
    pub id: Uuid,
    pub version: i64,
    pub happened_at: DateTime<Utc>,
    pub channel: Channel,
    pub form: Form,
    pub topic_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub responsible_id: Uuid,
    pub summary: String,
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
    #[sea_orm(skip)]
    pub contact_name: Option<String>,
    #[sea_orm(skip)]
    pub organisation_name: Option<String>,
}

/// A history: whose (a contact, an organisation or an employee; any mix narrows it), which
/// channel, topic and period, and words of the summary. Newest first.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListInteractionsInput {
    #[serde(default)]
    #[ts(optional)]
    pub contact_id: Option<Uuid>,
    /// The organisation's, its people's included.
    #[serde(default)]
    #[ts(optional)]
    pub organisation_id: Option<Uuid>,
    /// The employee's: those they answered for.
    #[serde(default)]
    #[ts(optional)]
    pub responsible_id: Option<Uuid>,
    #[serde(default)]
    #[ts(optional)]
    pub channel: Option<Channel>,
    #[serde(default)]
    #[ts(optional)]
    pub topic_id: Option<Uuid>,
    /// From this moment on (inclusive).
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<DateTime<Utc>>,
    /// Before this moment (exclusive).
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<DateTime<Utc>>,
    /// Words the summary contains (each the start of a word; case, Persian letter variants
    /// and ZWNJ aside).
    #[serde(default)]
    #[ts(optional)]
    pub text: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub archived: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// `next_cursor` of the page before: the older page that follows it.
    #[serde(default)]
    #[ts(optional)]
    pub after: Option<String>,
    /// `prev_cursor` of the page after: the newer page that precedes it.
    #[serde(default)]
    #[ts(optional)]
    pub before: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct InteractionPage {
    /// Newest first.
    pub items: Vec<InteractionRow>,
    /// Pass as `after` for the older page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `before` for the newer page; absent on the first page.
    pub prev_cursor: Option<String>,
}
