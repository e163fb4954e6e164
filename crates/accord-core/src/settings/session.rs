//! Who works in a window (SEC-3): the session the desktop shell keeps for one database. The
//! token lives only here, in the shell's memory; every call resolves it to the user's actor
//! as they are now, so a role change applies at the next call and a deactivated user's
//! session ends at it.
//!
//! A database without users is the single-user embedded default: the person at this computer
//! owns it, until the first administrator is created; from then on the window asks who is
//! there.

use std::sync::Mutex;

use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::host::HostOperation;
use accord_kernel::installation;
use accord_kernel::security::{Actor, Grants, Permission, platform::SESSION};
use accord_security::sessions::Credentials;
use accord_security::users::{CreateFirstAdministrator, CreateUserInput};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::connection::NoInput;
use crate::door::Door;

/// The signed-in person, as the window shows them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SessionUser {
    pub id: Uuid,
    pub display_name: String,
    /// An administrator: every permission.
    pub all_permissions: bool,
    /// The permissions held (empty when `all_permissions`); the window hides what they exclude.
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SessionStatus {
    /// Without users the window needs no sign-in and offers to create the first administrator.
    pub has_users: bool,
    /// Who is signed in; absent before sign-in, and on a database without users.
    pub user: Option<SessionUser>,
}

#[derive(Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SignInInput {
    pub login: String,
    pub password: String,
    /// The authenticator app's code (or a recovery code), once the core has answered
    /// `second_factor_required`.
    #[serde(default)]
    #[ts(optional)]
    pub code: Option<String>,
}

/// The session of one window on one database.
#[derive(Default)]
pub struct Session {
    token: Mutex<Option<String>>,
}

impl Session {
    fn token(&self) -> Option<String> {
        self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn set_token(&self, token: Option<String>) {
        *self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = token;
    }

    /// Who acts for the next call: the signed-in user, the owner of a database without users,
    /// or someone who has yet to sign in. A session that ended is forgotten.
    pub async fn actor(&self, door: &Door) -> Result<Actor, ApiError> {
        if let Some(token) = self.token() {
            return match door.session_actor(&token).await {
                Err(e) if e.code == ErrorCode::SignedOut => {
                    self.set_token(None);
                    Err(e)
                }
                other => other,
            };
        }
        if door.has_users().await? { Ok(Actor::anonymous()) } else { Ok(Actor::local_owner()) }
    }

    /// Runs a registered operation as the session's actor; before sign-in every one is
    /// refused with `signed_out`, which the window answers with its sign-in screen.
    pub async fn dispatch(
        &self,
        door: &Door,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        let actor = self.actor(door).await?;
        if actor.is_anonymous() {
            return Err(ApiError::new(ErrorCode::SignedOut, "Please sign in first."));
        }
        door.dispatch(&actor, operation, input).await
    }

    pub async fn status(&self, door: &Door) -> Result<SessionStatus, ApiError> {
        let has_users = door.has_users().await?;
        let user = match self.actor(door).await {
            Ok(actor) if has_users && !actor.is_anonymous() => Some(user_of(actor)),
            Ok(_) | Err(ApiError { code: ErrorCode::SignedOut, .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(SessionStatus { has_users, user })
    }

    /// Signs in as the person at this OS account and machine (both recorded).
    pub async fn sign_in(&self, door: &Door, input: SignInInput) -> Result<SessionStatus, ApiError> {
        let (os_account, machine) = installation::os_identity();
        let signed_in = door
            .sign_in(Credentials {
                login: input.login,
                password: input.password,
                second_factor: input.code,
                os_account,
                machine,
            })
            .await?;
        self.set_token(Some(signed_in.token));
        Ok(SessionStatus { has_users: true, user: Some(user_of(signed_in.actor)) })
    }

    pub async fn sign_out(&self, door: &Door) -> Result<SessionStatus, ApiError> {
        if let Some(token) = self.token() {
            door.sign_out(&token).await?;
            self.set_token(None);
        }
        self.status(door).await
    }

    /// The first-start set-up: creates the first administrator and signs them in.
    pub async fn create_first_administrator(
        &self,
        door: &Door,
        input: CreateUserInput,
    ) -> Result<SessionStatus, ApiError> {
        let sign_in = SignInInput { login: input.login.clone(), password: input.password.clone(), code: None };
        door.call::<CreateFirstAdministrator>(&Actor::local_owner(), input).await?;
        self.sign_in(door, sign_in).await
    }
}

fn user_of(actor: Actor) -> SessionUser {
    let (all_permissions, permissions) = match actor.grants {
        Grants::All => (true, Vec::new()),
        Grants::Only(keys) => (false, keys.into_iter().collect()),
    };
    SessionUser { id: actor.user_id, display_name: actor.display_name, all_permissions, permissions }
}

pub struct GetSession;
impl HostOperation for GetSession {
    const NAME: &'static str = "session.get";
    const PERMISSION: Permission = SESSION;
    const SUMMARY: &'static str = "Who is signed in, and whether the database has users at all.";
    type Input = NoInput;
    type Output = SessionStatus;
}

pub struct SignIn;
impl HostOperation for SignIn {
    const NAME: &'static str = "session.sign_in";
    const PERMISSION: Permission = SESSION;
    const SUMMARY: &'static str = "Sign in with a login, a password and, where it is on, a two-factor code; repeated failures lock the account for a while.";
    type Input = SignInInput;
    type Output = SessionStatus;
}

pub struct SignOut;
impl HostOperation for SignOut {
    const NAME: &'static str = "session.sign_out";
    const PERMISSION: Permission = SESSION;
    const SUMMARY: &'static str = "End this window's session.";
    type Input = NoInput;
    type Output = SessionStatus;
}

pub struct SetUpFirstAdministrator;
impl HostOperation for SetUpFirstAdministrator {
    const NAME: &'static str = "session.create_first_administrator";
    const PERMISSION: Permission = SESSION;
    const SUMMARY: &'static str =
        "First start: create the first administrator of a database without users, and sign them in.";
    type Input = CreateUserInput;
    type Output = SessionStatus;
}
