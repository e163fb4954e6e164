//! The operations on interactions: each checks and normalises its input, then reads or writes
//! through the shared record machinery in one transaction.

use super::*;

pub struct LogInteraction;

impl Operation for LogInteraction {
    const NAME: &'static str = "interactions.log";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Log an interaction with a customer: topic, time, whom, channel, form, who and a summary.";
    type Input = LogInteractionInput;
    type Output = Interaction;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (mut model, custom) = input.into_model(scope);
        let mut errors = FieldErrors::default();
        check_fields(scope, &mut errors, &mut model).await?;
        let ownership = ownership_of(scope, &mut errors, model.responsible_id).await?;
        custom_fields::apply_changes(scope, Model::TABLE, &mut model.custom, &custom, &mut errors).await?;
        errors.into_result()?;
        model.set_ownership(ownership);
        records::insert(scope, std::slice::from_mut(&mut model)).await?;
        Ok(model)
    }
}

pub struct GetInteraction;

impl Operation for GetInteraction {
    const NAME: &'static str = "interactions.get";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One interaction.";
    type Input = IdInput;
    type Output = Interaction;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        records::load(scope, input.id, "id").await
    }
}

pub struct UpdateInteraction;

impl Operation for UpdateInteraction {
    const NAME: &'static str = "interactions.update";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Correct some fields of an interaction, if nobody changed it since it was read.";
    type Input = UpdateInteractionInput;
    type Output = Interaction;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let mut after = before.clone();
        let c = input.changes;
        after.topic_id = c.topic_id.unwrap_or(after.topic_id);
        after.channel = c.channel.unwrap_or(after.channel);
        after.form = c.form.unwrap_or(after.form);
        after.happened_at = c.happened_at.unwrap_or(after.happened_at);
        after.summary = c.summary.unwrap_or(after.summary);
        after.responsible_id = c.responsible_id.unwrap_or(after.responsible_id);
        if let Some(contact_id) = c.contact_id {
            after.contact_id = contact_id;
        }
        if let Some(organisation_id) = c.organisation_id {
            after.organisation_id = organisation_id;
        }
        // A correction is checked like a new interaction, except that what it keeps may since
        // have been archived or retired: an old call stays with its contact and its topic.
        let mut errors = FieldErrors::default();
        check_summary(&mut errors, &mut after);
        if after.happened_at != before.happened_at {
            check_time(scope, &mut errors, &after);
        }
        if after.contact_id != before.contact_id || after.organisation_id != before.organisation_id {
            settle_whom(scope, &mut errors, after.contact_id, &mut after.organisation_id).await?;
        }
        if after.topic_id != before.topic_id {
            check_topic(scope, &mut errors, after.topic_id).await?;
        }
        if after.responsible_id != before.responsible_id {
            let ownership = ownership_of(scope, &mut errors, after.responsible_id).await?;
            after.set_ownership(ownership);
        }
        custom_fields::apply_changes(scope, Model::TABLE, &mut after.custom, &c.custom, &mut errors).await?;
        errors.into_result()?;
        records::update(scope, &before, after, ChangeAction::Update).await
    }
}

pub struct ListInteractions;

impl Operation for ListInteractions {
    const NAME: &'static str = "interactions.list";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str =
        "One page of a history, newest first: a customer's or an employee's, by channel, topic, period and words.";
    type Input = ListInteractionsInput;
    type Output = InteractionPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        queries::page(scope, input).await
    }
}
