//! The operations on contacts: each checks and normalises its input, then reads or writes
//! through the shared record machinery in one transaction.

use super::*;

pub struct CreateContact;

impl Operation for CreateContact {
    const NAME: &'static str = "customers.create_contact";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Create a contact person, optionally at an organisation with a role.";
    type Input = CreateContactInput;
    type Output = SavedContact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (mut model, custom) = input.into_model(scope);
        let mut errors = FieldErrors::default();
        let country = organisation_country(scope, model.organisation_id).await?;
        normalise_fields(&mut errors, &mut model, country.as_deref());
        custom_fields::apply_changes(scope, Model::TABLE, &mut model.custom, &custom, &mut errors).await?;
        errors.into_result()?;
        let duplicates = duplicates_of(scope, &model).await?;
        records::insert(scope, std::slice::from_mut(&mut model)).await?;
        Ok(SavedContact { contact: model, duplicates })
    }
}

pub struct ImportContacts;

impl Operation for ImportContacts {
    const NAME: &'static str = "customers.import_contacts";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Create up to 1,000 contacts at once; all or none.";
    type Input = ImportContactsInput;
    type Output = ImportedIds;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        check_batch_size(input.items.len())?;
        let inputs = input.items.into_iter().map(Ok).collect();
        let prepared = super::import::prepare(scope, inputs, &Default::default()).await?;
        let mut models = imports::all_or_none(prepared)?;
        records::insert(scope, &mut models).await?;
        Ok(ImportedIds { ids: models.iter().map(|m| m.id).collect() })
    }
}

pub struct GetContact;

impl Operation for GetContact {
    const NAME: &'static str = "customers.get_contact";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One contact.";
    type Input = IdInput;
    type Output = Contact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        records::load(scope, input.id, "id").await
    }
}

pub struct UpdateContact;

impl Operation for UpdateContact {
    const NAME: &'static str = "customers.update_contact";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Change some fields of a contact, if nobody changed it since it was read.";
    type Input = UpdateContactInput;
    type Output = SavedContact;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let mut after = before.clone();
        let c = input.changes;
        let mut errors = FieldErrors::default();
        after.first_name = patch::required(&mut errors, "first_name", after.first_name.clone(), c.first_name);
        if let Some(organisation_id) = c.organisation_id {
            after.organisation_id = organisation_id;
        }
        patch::apply(&mut after.last_name, c.last_name);
        patch::apply(&mut after.role, c.role);
        patch::apply(&mut after.email, c.email);
        patch::apply(&mut after.phone, c.phone);
        patch::apply(&mut after.notes, c.notes);
        let country = organisation_country(scope, after.organisation_id).await?;
        normalise_fields(&mut errors, &mut after, country.as_deref());
        custom_fields::apply_changes(scope, Model::TABLE, &mut after.custom, &c.custom, &mut errors).await?;
        errors.into_result()?;
        let duplicates = duplicates_of(scope, &after).await?;
        let contact = records::update(scope, &before, after, ChangeAction::Update).await?;
        Ok(SavedContact { contact, duplicates })
    }
}

pub struct ListContacts;

impl Operation for ListContacts {
    const NAME: &'static str = "customers.list_contacts";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One page of contacts by name, with a cursor to the next.";
    type Input = ListContactsInput;
    type Output = ContactPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        queries::page(scope, input).await
    }
}
