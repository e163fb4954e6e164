//! Who works in a window (SEC-3): the session the desktop shell keeps for one database. The
//! token lives only here, in the shell's memory; every call resolves it to the user's actor
//! as they are now, so a role change applies at the next call and a deactivated user's
//! session ends at it.
//!
//! A database without users is the single-user embedded default: the person at this computer
//! owns it, until the first administrator is created; from then on the window asks who is
//! there.
//!
//! On the embedded database a laptop may remember who signed in: the token then also goes to
//! the OS keyring (never a file), the session ends on its own after
//! [`accord_security::sessions::REMEMBERED_FOR_DAYS`], and signing out forgets it. A team
//! server always asks: its sessions are never remembered.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::host::HostOperation;
use accord_kernel::installation;
use accord_kernel::security::{Actor, Grants, Permission, Reach, platform::SESSION};
use accord_security::sessions::Credentials;
use accord_security::users::{CreateFirstAdministrator, CreateUserInput};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::connection::{NoInput, SecretStore};
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
    /// Whether they see colleagues' records (their department's, or everyone's): the window
    /// offers team views then. Only their own otherwise.
    pub sees_colleagues: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SessionStatus {
    /// Without users the window needs no sign-in and offers to create the first administrator.
    pub has_users: bool,
    /// Who is signed in; absent before sign-in, and on a database without users.
    pub user: Option<SessionUser>,
    /// Whether this computer may remember who signed in (the embedded database; never a
    /// team server).
    pub can_remember: bool,
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
    /// Remember who signed in on this computer (ignored where it cannot: a team server).
    #[serde(default)]
    #[ts(optional)]
    pub remember: Option<bool>,
}

/// The session of one window on one database.
#[derive(Default)]
pub struct Session {
    token: Mutex<Option<String>>,
    keeper: Option<TokenKeeper>,
    /// Whether the remembered token was looked for already (once per window).
    recalled: AtomicBool,
}

/// Where a remembered token is kept: the OS keyring, under one account per database.
struct TokenKeeper {
    secrets: Arc<dyn SecretStore>,
    account: String,
}

impl TokenKeeper {
    /// A keyring that cannot be reached costs the convenience, never the sign-in.
    fn save(&self, token: &str) -> bool {
        match self.secrets.save(&self.account, token) {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(problem = %e.message, "could not remember the sign-in in the OS keyring");
                false
            }
        }
    }

    fn load(&self) -> Option<String> {
        self.secrets.load(&self.account).unwrap_or_else(|e| {
            tracing::warn!(problem = %e.message, "could not read the remembered sign-in from the OS keyring");
            None
        })
    }

    fn forget(&self) {
        if let Err(e) = self.secrets.forget(&self.account) {
            tracing::warn!(problem = %e.message, "could not forget the remembered sign-in");
        }
    }
}

impl Session {
    /// A session that may remember its user in `secrets` under `account` (the embedded
    /// database; a team server's session is [`Session::default`]).
    pub fn remembering(secrets: Arc<dyn SecretStore>, account: String) -> Self {
        Self { keeper: Some(TokenKeeper { secrets, account }), ..Self::default() }
    }

    fn token(&self) -> Option<String> {
        self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn set_token(&self, token: Option<String>) {
        *self.token.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = token;
    }

    /// Who acts for the next call: the signed-in user, the owner of a database without users,
    /// or someone who has yet to sign in. A session that ended is forgotten, here and in the
    /// keyring.
    pub async fn actor(&self, door: &Door) -> Result<Actor, ApiError> {
        if let Some(token) = self.token().or_else(|| self.recall()) {
            return match door.session_actor(&token).await {
                Err(e) if e.code == ErrorCode::SignedOut => {
                    self.forget_token();
                    Err(e)
                }
                other => other,
            };
        }
        if door.has_users().await? {
            return Ok(Actor::anonymous());
        }
        // A laptop's replica works as its user, with what the server allowed at the last sync.
        Ok(crate::sync::replica_actor(door).await?.unwrap_or_else(Actor::local_owner))
    }

    /// The remembered token, the first time a window asks.
    fn recall(&self) -> Option<String> {
        let keeper = self.keeper.as_ref()?;
        if self.recalled.swap(true, Ordering::SeqCst) {
            return None;
        }
        let token = keeper.load()?;
        self.set_token(Some(token.clone()));
        Some(token)
    }

    fn forget_token(&self) {
        self.set_token(None);
        if let Some(keeper) = &self.keeper {
            keeper.forget();
        }
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
        // A laptop's copy works as its user (it holds no passwords; see `open_replica`): never
        // "no users yet, create the first administrator".
        if let Some(actor) = crate::sync::replica_actor(door).await? {
            return Ok(SessionStatus { has_users: true, user: Some(user_of(actor)), can_remember: false });
        }
        let has_users = door.has_users().await?;
        let user = match self.actor(door).await {
            Ok(actor) if has_users && !actor.is_anonymous() => Some(user_of(actor)),
            Ok(_) | Err(ApiError { code: ErrorCode::SignedOut, .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(SessionStatus { has_users, user, can_remember: self.keeper.is_some() })
    }

    /// Signs in as the person at this OS account and machine (both recorded), remembered on
    /// this computer when asked and allowed.
    pub async fn sign_in(&self, door: &Door, input: SignInInput) -> Result<SessionStatus, ApiError> {
        let (os_account, machine) = installation::os_identity();
        let remember = input.remember.unwrap_or(false) && self.keeper.is_some();
        let signed_in = door
            .sign_in(Credentials {
                login: input.login,
                password: input.password,
                second_factor: input.code,
                remember,
                os_account,
                machine,
            })
            .await?;
        // Whoever signed in before in this window is forgotten, remembered or not.
        self.forget_token();
        self.recalled.store(true, Ordering::SeqCst);
        if remember && let Some(keeper) = &self.keeper {
            keeper.save(&signed_in.token);
        }
        self.set_token(Some(signed_in.token));
        Ok(SessionStatus { has_users: true, user: Some(user_of(signed_in.actor)), can_remember: self.keeper.is_some() })
    }

    pub async fn sign_out(&self, door: &Door) -> Result<SessionStatus, ApiError> {
        if let Some(token) = self.token().or_else(|| self.recall()) {
            door.sign_out(&token).await?;
            self.forget_token();
        }
        self.status(door).await
    }

    /// The first-start set-up: creates the first administrator and signs them in.
    pub async fn create_first_administrator(
        &self,
        door: &Door,
        input: CreateUserInput,
    ) -> Result<SessionStatus, ApiError> {
        let sign_in =
            SignInInput { login: input.login.clone(), password: input.password.clone(), code: None, remember: None };
        door.call::<CreateFirstAdministrator>(&Actor::local_owner(), input).await?;
        self.sign_in(door, sign_in).await
    }
}

fn user_of(actor: Actor) -> SessionUser {
    let (all_permissions, permissions) = match actor.grants {
        Grants::All => (true, Vec::new()),
        Grants::Only(keys) => (false, keys.into_iter().collect()),
    };
    let sees_colleagues = match &actor.reach {
        Reach::All => true,
        Reach::Limited { departments, .. } => !departments.is_empty(),
    };
    SessionUser { id: actor.user_id, display_name: actor.display_name, all_permissions, permissions, sees_colleagues }
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
