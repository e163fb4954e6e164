//! The operations on topics: the administrator defines, renames, retires and restores them;
//! everyone who reads interactions lists them.

use super::*;

pub struct DefineTopic;

impl Operation for DefineTopic {
    const NAME: &'static str = "interactions.define_topic";
    const PERMISSION: Permission = crate::permissions::MANAGE_TOPICS;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Add a topic to the list interactions are logged under.";
    type Input = DefineTopicInput;
    type Output = InteractionTopic;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let mut topic = Model {
            id: Uuid::now_v7(),
            name: String::new(),
            sort_name: String::new(),
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            owner_id: None,
            department_id: None,
        };
        set_name(scope, &mut topic, &input.name).await?;
        scope.audit_detail(format!("topic “{}”", topic.name));
        records::insert(scope, std::slice::from_mut(&mut topic)).await?;
        Ok(topic)
    }
}

pub struct RenameTopic;

impl Operation for RenameTopic {
    const NAME: &'static str = "interactions.rename_topic";
    const PERMISSION: Permission = crate::permissions::MANAGE_TOPICS;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Rename a topic; the interactions logged under it show the new name.";
    type Input = RenameTopicInput;
    type Output = InteractionTopic;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let mut after = before.clone();
        set_name(scope, &mut after, &input.name).await?;
        scope.audit_detail(format!("topic “{}” renamed “{}”", before.name, after.name));
        records::update(scope, &before, after, accord_kernel::changelog::ChangeAction::Update).await
    }
}

pub struct ListTopics;

impl Operation for ListTopics {
    const NAME: &'static str = "interactions.list_topics";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "The interaction topics by name, the retired ones on request.";
    type Input = ListTopicsInput;
    type Output = TopicList;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        Ok(TopicList { topics: queries::all(scope, input.include_retired.unwrap_or(false)).await? })
    }
}

/// A topic's name is required, at most 100 characters and unique among the active topics
/// (letter case and Persian letter variants aside), so a form never offers two alike.
async fn set_name(scope: &Scope<'_>, topic: &mut Model, name: &str) -> Result<(), ApiError> {
    let mut errors = FieldErrors::default();
    topic.name = validate::required_text(&mut errors, "name", name, 100);
    topic.derive();
    errors.into_result()?;
    if let Some(twin) = queries::active_named(scope, &topic.name, topic.id).await? {
        return Err(ApiError::field(
            "name",
            FieldCode::InvalidValue,
            format!("There already is a topic “{}”; choose another name.", twin.name),
        ));
    }
    Ok(())
}
