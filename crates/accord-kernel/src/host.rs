//! Host operations: operations the desktop shell runs itself because they act on the shell's
//! world rather than inside one database transaction (which database to use, OS secrets).
//! They are declared here, like every operation, so they have one name, one permission and
//! generated TypeScript types; [`serve`] gives them the same permission check and input
//! decoding as the door's dispatch.

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;
use ts_rs::TS;

use crate::error::{ApiError, ErrorCode};
use crate::input::decode_input;
use crate::security::{Actor, Permission};

pub trait HostOperation: 'static {
    const NAME: &'static str;
    const PERMISSION: Permission;
    const SUMMARY: &'static str;
    type Input: DeserializeOwned + TS + Send + 'static;
    type Output: Serialize + TS + Send + 'static;
}

/// Checks the permission, decodes the input, runs `run` and encodes its output.
pub async fn serve<H, F, Fut>(actor: &Actor, input: serde_json::Value, run: F) -> Result<serde_json::Value, ApiError>
where
    H: HostOperation,
    F: FnOnce(H::Input) -> Fut,
    Fut: Future<Output = Result<H::Output, ApiError>>,
{
    crate::operation::ensure_permitted(actor, H::PERMISSION, H::NAME)?;
    let input = decode_input::<H::Input>(input)?;
    let output = run(input).await?;
    serde_json::to_value(output).map_err(|e| ApiError::internal(format!("could not encode the result: {e}")))
}

/// What the door's dispatch answers when asked for a host operation.
pub fn not_here(name: &str) -> ApiError {
    ApiError::new(
        ErrorCode::UnknownOperation,
        format!("{name} runs in the desktop app, not through this database door."),
    )
}
