//! `security.offboard_user`: a departing user, in one action (SEC-4): deactivated at once,
//! their open records handed to a colleague. It lives above the domains because it moves the
//! records of every registered kind; a domain added later is covered by declaring its kinds.

use accord_kernel::error::{ApiError, FieldCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::{Ownership, Permission};
use accord_security::users::{self, UserView};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::door::registry;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct OffboardUserInput {
    pub user_id: Uuid,
    /// The colleague who takes over their open records, in the colleague's department.
    /// Absent: the records stay theirs (and their department's) until reassigned.
    #[serde(default)]
    #[ts(optional)]
    pub reassign_to: Option<Uuid>,
}

/// How many open records of one kind changed hands.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReassignedRecords {
    /// The record kind's table (`organisations`, `contacts`, …).
    #[ts(type = "HistoryTable")]
    pub table: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct OffboardedUser {
    pub user: UserView,
    /// Per record kind, in the registry's order; empty when nobody took over.
    pub reassigned: Vec<ReassignedRecords>,
}

pub struct OffboardUser;

impl Operation for OffboardUser {
    const NAME: &'static str = "security.offboard_user";
    const PERMISSION: Permission = accord_security::permissions::USERS_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str =
        "A departing user in one action: deactivated at once, their open records handed to a colleague.";
    type Input = OffboardUserInput;
    type Output = OffboardedUser;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<OffboardedUser, ApiError> {
        let heir = match input.reassign_to {
            Some(id) if id == input.user_id => {
                return Err(ApiError::field(
                    "reassign_to",
                    FieldCode::InvalidValue,
                    "Choose a colleague other than the departing user.",
                ));
            }
            Some(id) => Some(users::active_colleague(scope, id, "reassign_to").await?),
            None => None,
        };
        let user = users::deactivate(scope, input.user_id).await?;
        let mut reassigned = Vec::new();
        if let Some(heir) = &heir {
            let to = Ownership { owner_id: Some(heir.id), department_id: heir.department_id };
            for kind in registry::record_kinds() {
                let count = kind.reassign_owned(scope, user.id, to).await?;
                reassigned.push(ReassignedRecords { table: kind.table.to_owned(), count });
            }
            let moved: Vec<String> = reassigned.iter().map(|r| format!("{} {}", r.count, r.table)).collect();
            scope.audit_detail(format!("deactivated; reassigned {} to {}", moved.join(", "), heir.id));
        } else {
            scope.audit_detail("deactivated; records kept".to_owned());
        }
        Ok(OffboardedUser { user, reassigned })
    }
}
