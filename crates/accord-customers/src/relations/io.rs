//! What the operations on relations take and give: the input that creates one, and the view a card shows.

use super::*;

/// A relation as seen from one organisation's card.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RelationView {
    pub id: Uuid,
    pub version: i64,
    pub kind: RelationKind,
    /// `outgoing`: this organisation is `kind` of the other; `incoming`: the other is `kind` of this one.
    pub direction: RelationDirection,
    pub other_id: Uuid,
    pub other_name: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RelationDirection {
    Outgoing,
    Incoming,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CreateRelationInput {
    pub organisation_id: Uuid,
    pub kind: RelationKind,
    pub related_organisation_id: Uuid,
    #[serde(default)]
    #[ts(optional)]
    pub note: Option<String>,
}
