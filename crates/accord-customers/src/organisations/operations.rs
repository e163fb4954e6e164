//! The operations on organisations: each checks and normalises its input, then reads or writes
//! through the shared record machinery in one transaction.

use super::*;

pub struct CreateOrganisation;

impl Operation for CreateOrganisation {
    const NAME: &'static str = "customers.create_organisation";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Create an organisation (customer, prospect, supplier or partner).";
    type Input = CreateOrganisationInput;
    type Output = SavedOrganisation;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let (mut model, custom) = input.into_model(scope);
        let mut errors = FieldErrors::default();
        normalise_fields(&mut errors, &mut model, None);
        custom_fields::apply_changes(scope, Model::TABLE, &mut model.custom, &custom, &mut errors).await?;
        errors.into_result()?;
        let duplicates = duplicates_of(scope, &model).await?;
        records::insert(scope, std::slice::from_mut(&mut model)).await?;
        Ok(SavedOrganisation { organisation: model, duplicates })
    }
}

/// Bulk creation for imports and the data generator: all rows validated first, errors reported
/// as `items.N.field`, nothing stored unless every row is valid.
pub struct ImportOrganisations;

impl Operation for ImportOrganisations {
    const NAME: &'static str = "customers.import_organisations";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Create up to 1,000 organisations at once; all or none.";
    type Input = ImportOrganisationsInput;
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

pub struct GetOrganisation;

impl Operation for GetOrganisation {
    const NAME: &'static str = "customers.get_organisation";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "An organisation with its active contacts and relations.";
    type Input = IdInput;
    type Output = OrganisationCard;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let organisation: Model = records::load(scope, input.id, "id").await?;
        let contacts = contacts::of_organisation(scope, organisation.id).await?;
        let relations = relations::of_organisation(scope, organisation.id).await?;
        Ok(OrganisationCard { organisation, contacts, relations })
    }
}

pub struct UpdateOrganisation;

impl Operation for UpdateOrganisation {
    const NAME: &'static str = "customers.update_organisation";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Change some fields of an organisation, if nobody changed it since it was read.";
    type Input = UpdateOrganisationInput;
    type Output = SavedOrganisation;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        let before: Model = records::load_for_change(scope, input.id, input.version).await?;
        let mut after = before.clone();
        let mut errors = FieldErrors::default();
        let custom = input.changes.apply_to(&mut after, &mut errors);
        normalise_fields(&mut errors, &mut after, None);
        custom_fields::apply_changes(scope, Model::TABLE, &mut after.custom, &custom, &mut errors).await?;
        errors.into_result()?;
        let duplicates = duplicates_of(scope, &after).await?;
        let organisation =
            records::update(scope, &before, after, accord_kernel::changelog::ChangeAction::Update).await?;
        Ok(SavedOrganisation { organisation, duplicates })
    }
}

pub struct ListOrganisations;

impl Operation for ListOrganisations {
    const NAME: &'static str = "customers.list_organisations";
    const PERMISSION: Permission = crate::permissions::READ;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One page of organisations, by name or last change, with cursors to the pages before and after; or the ones a search finds.";
    type Input = ListOrganisationsInput;
    type Output = OrganisationPage;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        queries::page(scope, input).await
    }
}
