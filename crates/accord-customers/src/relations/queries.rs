//! The reads behind the operations on relations: what an organisation's card shows of its
//! relations.

use super::*;

pub(crate) async fn of_organisation(scope: &Scope<'_>, organisation_id: Uuid) -> Result<Vec<RelationView>, ApiError> {
    let relations = records::find::<Model>(scope)
        .filter(
            Condition::any()
                .add(Column::OrganisationId.eq(organisation_id))
                .add(Column::RelatedOrganisationId.eq(organisation_id)),
        )
        .filter(Column::DeletedAt.is_null())
        .all(scope.tx)
        .await?;
    let other_ids: Vec<Uuid> = relations
        .iter()
        .map(|r| if r.organisation_id == organisation_id { r.related_organisation_id } else { r.organisation_id })
        .collect();
    let names: HashMap<Uuid, String> = if other_ids.is_empty() {
        HashMap::new()
    } else {
        records::find::<organisations::Model>(scope)
            .select_only()
            .columns([organisations::Column::Id, organisations::Column::Name])
            .filter(organisations::Column::Id.is_in(other_ids))
            .into_tuple::<(Uuid, String)>()
            .all(scope.tx)
            .await?
            .into_iter()
            .collect()
    };
    let mut views: Vec<RelationView> = relations
        .into_iter()
        // A relation to an organisation outside the reader's reach is not shown: its name is
        // theirs to see, and so is the fact that it exists.
        .filter(|r| {
            names.contains_key(if r.organisation_id == organisation_id {
                &r.related_organisation_id
            } else {
                &r.organisation_id
            })
        })
        .map(|r| {
            let outgoing = r.organisation_id == organisation_id;
            let other_id = if outgoing { r.related_organisation_id } else { r.organisation_id };
            RelationView {
                id: r.id,
                version: r.version,
                kind: r.kind,
                direction: if outgoing { RelationDirection::Outgoing } else { RelationDirection::Incoming },
                other_id,
                other_name: names.get(&other_id).cloned().unwrap_or_default(),
                note: r.note,
            }
        })
        .collect();
    views.sort_by(|a, b| a.other_name.cmp(&b.other_name));
    Ok(views)
}
