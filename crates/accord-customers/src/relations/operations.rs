//! The operations on relations: each checks and normalises its input, then reads or writes
//! through the shared record machinery in one transaction.

use super::*;

pub struct CreateRelation;

impl Operation for CreateRelation {
    const NAME: &'static str = "customers.create_relation";
    const PERMISSION: Permission = crate::permissions::WRITE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Relate two organisations (parent of, supplier of, partner of, competitor of).";
    type Input = CreateRelationInput;
    type Output = Model;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        if input.organisation_id == input.related_organisation_id {
            return Err(ApiError::field(
                "related_organisation_id",
                FieldCode::InvalidValue,
                "An organisation cannot be related to itself.",
            ));
        }
        for (field, id) in
            [("organisation_id", input.organisation_id), ("related_organisation_id", input.related_organisation_id)]
        {
            let org: organisations::Model = records::load(scope, id, field).await?;
            records::ensure_active(&org, field)?;
        }
        // Every relation counts, also one the user cannot see: the same relation twice is
        // a duplicate whoever made the first.
        let existing = records::find_unscoped::<Model>()
            .filter(Column::OrganisationId.eq(input.organisation_id))
            .filter(Column::RelatedOrganisationId.eq(input.related_organisation_id))
            .filter(Column::Kind.eq(input.kind))
            .filter(Column::DeletedAt.is_null())
            .one(scope.tx)
            .await?;
        if existing.is_some() {
            return Err(ApiError::field(
                "kind",
                FieldCode::InvalidValue,
                "These organisations are already related this way.",
            ));
        }
        let mut errors = FieldErrors::default();
        let note = validate::optional_text(&mut errors, "note", input.note.as_deref(), 500);
        errors.into_result()?;
        let mut relation = Model {
            id: Uuid::now_v7(),
            organisation_id: input.organisation_id,
            related_organisation_id: input.related_organisation_id,
            kind: input.kind,
            note,
            version: 1,
            created_at: scope.now,
            updated_at: scope.now,
            created_by: scope.actor.user_id,
            updated_by: scope.actor.user_id,
            deleted_at: None,
            // `records::insert` makes it the creator's, in their department.
            owner_id: None,
            department_id: None,
        };
        records::insert(scope, std::slice::from_mut(&mut relation)).await?;
        Ok(relation)
    }
}
