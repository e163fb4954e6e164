//! Values derived from the records by rules that change between versions of Accord (the
//! search index's normal form, the collation's sort keys): when a database was derived under older rules, they are
//! rebuilt once, at open, in one transaction, so search always finds what the rules promise.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, StatementBuilder};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use accord_kernel::error::ApiError;
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;

use super::registry;

/// The rules of the search index; change it whenever `search::normalise` or what a record
/// indexes changes, and every database is re-indexed at its next open.
pub const SEARCH_RULES: &str = "search-2026-12-02";

/// Both rule sets under which the derived values of a database were made.
fn derived_rules() -> String {
    format!("{SEARCH_RULES}/{}", accord_kernel::collation::COLLATION_RULES)
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RefreshInput {}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RefreshReport {
    /// Records whose derived values were rebuilt (0 when they were current).
    pub refreshed: u64,
}

/// Not in the registry: run when a door opens and its derived values are out of date.
pub struct RefreshDerived;

impl Operation for RefreshDerived {
    const NAME: &'static str = "maintenance.refresh_derived";
    const PERMISSION: Permission = accord_kernel::security::platform::SETTINGS_MANAGE;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "Rebuild the search index and sort keys when their rules changed.";
    type Input = RefreshInput;
    type Output = RefreshReport;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<Self::Output, ApiError> {
        // Checked again under the write lock: another process may have rebuilt them meanwhile.
        if derived_values_current(scope.tx).await? {
            return Ok(RefreshReport { refreshed: 0 });
        }
        let mut refreshed = 0;
        for kind in registry::record_kinds() {
            refreshed += kind.refresh_derived(scope).await?;
        }
        set_derived_version(scope, DERIVED, &derived_rules()).await?;
        Ok(RefreshReport { refreshed })
    }
}

/// The `derived_versions` row of the records' derived values.
const DERIVED: &str = "records";

/// Whether the database's derived values were made under this binary's rules.
pub async fn derived_values_current(conn: &impl ConnectionTrait) -> Result<bool, ApiError> {
    let query = Query::select()
        .column(Alias::new("version"))
        .from(Alias::new("derived_versions"))
        .and_where(Expr::col(Alias::new("name")).eq(DERIVED))
        .to_owned();
    let row = conn.query_one(&query).await?;
    let version = row.map(|r| r.try_get::<String>("", "version")).transpose()?;
    Ok(version.as_deref() == Some(derived_rules().as_str()))
}

async fn set_derived_version(scope: &Scope<'_>, name: &str, version: &str) -> Result<(), ApiError> {
    let upsert = Query::insert()
        .into_table(Alias::new("derived_versions"))
        .columns([Alias::new("name"), Alias::new("version")])
        .values_panic([name.into(), version.into()])
        .on_conflict(OnConflict::column(Alias::new("name")).update_column(Alias::new("version")).to_owned())
        .to_owned();
    let statement = StatementBuilder::build(&upsert, &scope.tx.get_database_backend());
    scope.tx.execute_raw(statement).await?;
    Ok(())
}
