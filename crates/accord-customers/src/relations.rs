//! Relations between organisations: parent company, supplier, partner, competitor (CUST-1).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{Condition, QuerySelect};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::organisations;
use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use accord_kernel::io::VersionedIdInput;
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::records::{self, Record};
use accord_kernel::search::SearchDocument;
use accord_kernel::security::Permission;
use accord_kernel::standard_record_methods;
use accord_kernel::validate;

/// Read as "organisation is <kind> related organisation".
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, TS)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    #[sea_orm(string_value = "parent_of")]
    ParentOf,
    #[sea_orm(string_value = "supplier_of")]
    SupplierOf,
    #[sea_orm(string_value = "partner_of")]
    PartnerOf,
    #[sea_orm(string_value = "competitor_of")]
    CompetitorOf,
}

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, TS)]
#[sea_orm(table_name = "organisation_relations")]
#[ts(rename = "OrganisationRelation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub related_organisation_id: Uuid,
    pub kind: RelationKind,
    pub note: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    #[serde(rename = "archived_at")]
    #[ts(rename = "archived_at")]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Record for Model {
    type Entity = Entity;
    const TABLE: &'static str = "organisation_relations";
    const LABEL: &'static str = "relation";

    standard_record_methods!();

    fn search_document(&self) -> Option<SearchDocument> {
        // Relations are found through their organisations.
        None
    }
}

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

pub(crate) async fn of_organisation(scope: &Scope<'_>, organisation_id: Uuid) -> Result<Vec<RelationView>, ApiError> {
    let relations = Entity::find()
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
        organisations::Entity::find()
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

pub struct CreateRelation;

impl Operation for CreateRelation {
    const NAME: &'static str = "customers.create_relation";
    const PERMISSION: Permission = Permission::CustomersWrite;
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
        let existing = Entity::find()
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
        let relation = Model {
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
        };
        records::insert(scope, std::slice::from_ref(&relation)).await?;
        Ok(relation)
    }
}

pub struct ArchiveRelation;

impl Operation for ArchiveRelation {
    const NAME: &'static str = "customers.archive_relation";
    const PERMISSION: Permission = Permission::CustomersArchive;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "End a relation between two organisations; its history is kept.";
    type Input = VersionedIdInput;
    type Output = Model;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<Self::Output, ApiError> {
        records::set_archived::<Model>(scope, input.id, input.version, true).await
    }
}
