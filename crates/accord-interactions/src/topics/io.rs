//! What the operations on topics take and give.

use super::*;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DefineTopicInput {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RenameTopicInput {
    pub id: Uuid,
    pub version: i64,
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ListTopicsInput {
    /// Retired topics too (the administrator's list); a form offers only the active ones.
    #[serde(default)]
    #[ts(optional)]
    pub include_retired: Option<bool>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TopicList {
    /// By name.
    pub topics: Vec<InteractionTopic>,
}
