//! Signing in and out, and who a session acts as (SEC-3).
//!
//! A password is checked outside any transaction (Argon2id takes tens of milliseconds and
//! must not hold the write lock); the outcome is then recorded by an internal, audited
//! operation, so a failed attempt commits its count and its audit entry even though the
//! sign-in fails. Each call of a signed-in window resolves its session token to an
//! [`Actor`] afresh, so a deactivated user's open session ends at its next call.

use accord_kernel::data::Database;
use accord_kernel::error::{ApiError, ErrorCode};
use accord_kernel::operation::{Operation, Runtime, Scope};
use accord_kernel::security::{Actor, Grants, Permission, Reach, SessionToken, Visibility};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::password::{self, Verdict};
use crate::schema::{credentials, role_permissions, roles, sessions, users};
use crate::two_factor::{self, Proof, Refusal};
use crate::users::normalise_login;

/// Wrong passwords allowed before the account locks.
pub const ATTEMPTS_BEFORE_LOCK: i32 = 5;
/// How long a remembered session lasts.
pub const REMEMBERED_FOR_DAYS: i64 = 30;
/// The lock doubles with each further wrong password, up to this.
pub const LONGEST_LOCK_MINUTES: i64 = 60;

/// Held only by the internal steps of signing in, never by a role.
const SIGNING_IN: Permission = Permission::new("security.signing_in");

/// Who signs in, and from where (the OS account and machine are recorded at each sign-in).
#[derive(Clone)]
pub struct Credentials {
    pub login: String,
    pub password: String,
    /// The code from the authenticator app, or a recovery code, for an account with
    /// two-factor sign-in; ignored for one without.
    pub second_factor: Option<String>,
    /// Start a session that outlives the process (its token kept in the OS keyring), which
    /// ends on its own after [`REMEMBERED_FOR_DAYS`].
    pub remember: bool,
    pub os_account: String,
    pub machine: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("login", &self.login).finish_non_exhaustive()
    }
}

/// A started session. The token is the session's only key: keep it in the signed-in process
/// (or the OS keyring), never in a log or a file.
#[derive(Clone)]
pub struct SignedIn {
    pub token: String,
    pub actor: Actor,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn").field("user_id", &self.actor.user_id).finish_non_exhaustive()
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

async fn verify_off_thread(password: String, stored: String) -> Result<Verdict, ApiError> {
    tokio::task::spawn_blocking(move || password::verify(&password, &stored))
        .await
        .map_err(|e| ApiError::internal(format!("the password checker stopped: {e}")))
}

fn wrong_login_or_password() -> ApiError {
    ApiError::new(ErrorCode::SignInFailed, "The login or the password is wrong.")
}

fn locked_until(until: DateTime<Utc>, now: DateTime<Utc>) -> ApiError {
    let minutes = ((until - now).num_seconds() + 59) / 60;
    ApiError::new(
        ErrorCode::AccountLocked,
        format!(
            "Too many failed sign-in attempts: this account is locked until {} UTC (about {minutes} min). Try again then, or ask an administrator.",
            until.format("%H:%M")
        ),
    )
}

/// What checking a sign-in needs of an account.
struct Account {
    id: Uuid,
    display_name: String,
    password_hash: String,
    active: bool,
    locked_until: Option<DateTime<Utc>>,
    second_factor: SecondFactor,
}

enum SecondFactor {
    Off,
    /// Checked here, against the secret this process may read.
    Here(credentials::Model),
    /// Checked by the team server itself when the session starts (ADR 0013).
    OnServer,
}

/// The account `login` signs in to: on a user's own server role, only that role's own
/// account, through the server's function (the role cannot read the secret columns).
async fn account_for_sign_in(db: &Database, login: &str) -> Result<Option<Account>, ApiError> {
    let conn = &db.conn;
    if db.user_role {
        let row = conn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT id, display_name, password_hash, active, locked_until, second_factor FROM accord.sign_in_record($1)",
                [login.into()],
            ))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let second_factor: bool = row.try_get("", "second_factor")?;
        return Ok(Some(Account {
            id: row.try_get("", "id")?,
            display_name: row.try_get("", "display_name")?,
            password_hash: row.try_get("", "password_hash")?,
            active: row.try_get("", "active")?,
            locked_until: row.try_get("", "locked_until")?,
            second_factor: if second_factor { SecondFactor::OnServer } else { SecondFactor::Off },
        }));
    }
    let Some(user) = users::Entity::find().filter(users::Column::Login.eq(login)).one(conn).await? else {
        return Ok(None);
    };
    let secrets = credentials::Entity::find_by_id(user.id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::internal("a user's row vanished while signing in"))?;
    Ok(Some(Account {
        id: user.id,
        display_name: user.display_name,
        password_hash: secrets.password_hash.clone(),
        active: user.active,
        locked_until: user.locked_until,
        second_factor: if secrets.totp_secret.is_some() { SecondFactor::Here(secrets) } else { SecondFactor::Off },
    }))
}

fn deactivated() -> ApiError {
    ApiError::new(
        ErrorCode::PermissionDenied,
        "This account has been deactivated. Ask an administrator if you need access again.",
    )
}

/// Checks the credentials and starts a session, or records the failed attempt and refuses.
pub async fn sign_in(runtime: &Runtime, credentials: Credentials) -> Result<SignedIn, ApiError> {
    let login = normalise_login(&credentials.login);
    let db = runtime.database();
    let place = format!("{}@{}", credentials.os_account, credentials.machine);
    let Some(account) = account_for_sign_in(db, &login).await? else {
        // As slow as a wrong password, so timing does not tell which logins exist.
        verify_off_thread(credentials.password, password::DUMMY_HASH.clone()).await?;
        record_failure(runtime, None, &login, "unknown login", &place, true).await?;
        return Err(wrong_login_or_password());
    };
    let now = Utc::now();
    if let Some(until) = account.locked_until.filter(|until| *until > now) {
        record_failure(runtime, Some(&account), &login, "locked", &place, true).await?;
        return Err(locked_until(until, now));
    }
    let verdict = verify_off_thread(credentials.password.clone(), account.password_hash.clone()).await?;
    if verdict == Verdict::Wrong {
        let outcome = record_failure(runtime, Some(&account), &login, "wrong password", &place, true).await?;
        return Err(match outcome.locked_until {
            Some(until) => locked_until(until, Utc::now()),
            None => wrong_login_or_password(),
        });
    }
    if !account.active {
        record_failure(runtime, Some(&account), &login, "deactivated", &place, true).await?;
        return Err(deactivated());
    }
    let code = credentials.second_factor.as_deref().map(two_factor::normalise_code).unwrap_or_default();
    let proof = match &account.second_factor {
        SecondFactor::Off => None,
        SecondFactor::Here(secrets) => match two_factor::check(&db.conn, secrets, Some(&code)).await? {
            Ok(proof) => proof,
            // Asking for the code is not a failed attempt; a wrong or replayed code is.
            Err(Refusal::Missing) => return Err(Refusal::Missing.error()),
            Err(refusal) => return Err(refuse_second_factor(runtime, &account, &login, refusal, &place, true).await),
        },
        SecondFactor::OnServer if code.is_empty() => return Err(Refusal::Missing.error()),
        SecondFactor::OnServer => None,
    };
    // A team server keeps the hash its administrator set; a laptop's is renewed here.
    let new_hash = match verdict {
        Verdict::RightButOutdated if !db.user_role => {
            let secret = credentials.password;
            Some(
                tokio::task::spawn_blocking(move || password::hash(&secret))
                    .await
                    .map_err(|e| ApiError::internal(format!("the password hasher stopped: {e}")))??,
            )
        }
        _ => None,
    };
    let token = new_token();
    let mut start = StartSessionInput {
        session_id: Uuid::now_v7(),
        token_hash: token_hash(&token),
        new_password_hash: new_hash,
        second_factor: proof,
        started_by_server: None,
        remember: credentials.remember,
        os_account: credentials.os_account,
        machine: credentials.machine,
    };
    if db.user_role {
        let verdict = start_on_server(db, &start, &code).await?;
        start.started_by_server = Some(accepted_by_server(runtime, &account, &login, &place, verdict).await?);
    }
    let started_by_server = start.started_by_server.is_some();
    let signing_in = Actor {
        // The server's session exists already: its sign-in is audited within it.
        session: started_by_server.then(|| SessionToken::new(&token)),
        ..Actor::with_permissions(account.id, account.display_name.clone(), &[SIGNING_IN])
    };
    match runtime.call::<StartSession>(&signing_in, start).await {
        Err(e) if e.code == ErrorCode::SecondFactorReplayed => {
            return Err(refuse_second_factor(runtime, &account, &login, Refusal::Replayed, &place, true).await);
        }
        Err(e) if started_by_server => {
            // The server's session exists but its sign-in could not be audited: end it.
            let _ = sign_out(runtime, &token).await;
            return Err(e);
        }
        other => other?,
    }
    let actor = actor_for_session(db, &token).await?;
    Ok(SignedIn { token, actor })
}

/// Starts the session on a team server, whose own functions check the second factor: the code
/// is offered first, in a statement of its own that commits (counted as a failure until the
/// check takes it back, so a refusal is kept though the sign-in fails, and nobody can guess
/// codes by rolling attempts back); then the session starts. Returns the server's verdict.
async fn start_on_server(db: &Database, start: &StartSessionInput, code: &str) -> Result<String, ApiError> {
    let ask = |sql: &str, values: Vec<sea_orm::Value>| Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
    let attempt: Option<Uuid> = if code.is_empty() {
        None
    } else {
        let offered = db.conn.query_one_raw(ask("SELECT accord.offer_second_factor($1) AS attempt", vec![code.into()]));
        offered.await?.map(|row| row.try_get("", "attempt")).transpose()?.flatten()
    };
    let remember_days = start.remember.then_some(REMEMBERED_FOR_DAYS as i32);
    let values = vec![
        start.session_id.into(),
        start.token_hash.clone().into(),
        attempt.into(),
        remember_days.into(),
        clip(&start.os_account).into(),
        clip(&start.machine).into(),
    ];
    let row = db
        .conn
        .query_one_raw(ask("SELECT accord.start_session($1, $2, $3, $4, $5, $6) AS verdict", values))
        .await?
        .ok_or_else(|| ApiError::internal("the server did not answer the sign-in"))?;
    Ok(row.try_get("", "verdict")?)
}

/// The server's verdict on a sign-in: accepted, or the person's answer for a refusal (which the
/// server counted already; here it is audited).
async fn accepted_by_server(
    runtime: &Runtime,
    account: &Account,
    login: &str,
    place: &str,
    verdict: String,
) -> Result<String, ApiError> {
    match verdict.as_str() {
        "ok" | "ok:code" | "ok:recovery" => Ok(verdict),
        "missing" => Err(Refusal::Missing.error()),
        "wrong" => Err(refuse_second_factor(runtime, account, login, Refusal::Wrong, place, false).await),
        "replayed" => Err(refuse_second_factor(runtime, account, login, Refusal::Replayed, place, false).await),
        "locked" => {
            record_failure(runtime, Some(account), login, "locked", place, false).await?;
            let again = account_for_sign_in(runtime.database(), login).await?;
            let until = again.and_then(|a| a.locked_until).unwrap_or_else(Utc::now);
            Err(locked_until(until, Utc::now()))
        }
        "deactivated" => Err(deactivated()),
        _ => Err(wrong_login_or_password()),
    }
}

/// Records a refused second factor as a failed attempt (it counts toward the lock, so codes
/// cannot be guessed) and returns what to tell the person. `count` is false where the team
/// server counted it already.
async fn refuse_second_factor(
    runtime: &Runtime,
    account: &Account,
    login: &str,
    refusal: Refusal,
    place: &str,
    count: bool,
) -> ApiError {
    match record_failure(runtime, Some(account), login, refusal.reason(), place, count).await {
        Ok(FailureOutcome { locked_until: Some(until) }) => locked_until(until, Utc::now()),
        Ok(_) => refusal.error(),
        Err(e) => e,
    }
}

async fn record_failure(
    runtime: &Runtime,
    account: Option<&Account>,
    login: &str,
    reason: &str,
    place: &str,
    count: bool,
) -> Result<FailureOutcome, ApiError> {
    let (id, name) = account.map(|a| (a.id, a.display_name.clone())).unwrap_or((Uuid::nil(), login.to_owned()));
    let actor = Actor::with_permissions(id, name, &[SIGNING_IN]);
    let detail = format!("login {login}; {reason}; from {place}");
    let input = FailedSignInInput { user_id: account.map(|a| a.id), detail, count };
    runtime.call::<RecordFailedSignIn>(&actor, input).await
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct FailedSignInInput {
    user_id: Option<Uuid>,
    detail: String,
    /// Counted toward the lock here (false where the team server counted it already).
    count: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FailureOutcome {
    locked_until: Option<DateTime<Utc>>,
}

/// Counts a failed attempt against a known user, locks the account with back-off once there
/// are too many, and audits every failed attempt (an unknown login too).
struct RecordFailedSignIn;

impl Operation for RecordFailedSignIn {
    const NAME: &'static str = "security.sign_in_failed";
    const PERMISSION: Permission = SIGNING_IN;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "A failed sign-in.";
    type Input = FailedSignInInput;
    type Output = FailureOutcome;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<FailureOutcome, ApiError> {
        scope.audit_detail(input.detail.clone());
        let Some(user_id) = input.user_id else {
            return Ok(FailureOutcome { locked_until: None });
        };
        scope.audit_target("users", user_id);
        if !input.count {
            return Ok(FailureOutcome { locked_until: None });
        }
        if scope.user_role {
            // The server counts and locks by the same rule, for its own role's user only.
            let row = scope
                .tx
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT accord.record_failed_sign_in() AS until",
                ))
                .await?;
            let until = row.map(|row| row.try_get::<Option<DateTime<Utc>>>("", "until")).transpose()?.flatten();
            return Ok(FailureOutcome { locked_until: until });
        }
        // Counted in SQL, so concurrent attempts are all counted.
        users::Entity::update_many()
            .col_expr(users::Column::FailedAttempts, Expr::col(users::Column::FailedAttempts).add(1))
            .filter(users::Column::Id.eq(user_id))
            .exec(scope.tx)
            .await?;
        let Some(user) = users::Entity::find_by_id(user_id).one(scope.tx).await? else {
            return Ok(FailureOutcome { locked_until: None });
        };
        if user.failed_attempts < ATTEMPTS_BEFORE_LOCK || user.locked_until.is_some_and(|until| until > scope.now) {
            return Ok(FailureOutcome { locked_until: None });
        }
        let doublings = Ord::min(user.failed_attempts - ATTEMPTS_BEFORE_LOCK, 6) as u32;
        let until = scope.now + Duration::minutes(Ord::min(1i64 << doublings, LONGEST_LOCK_MINUTES));
        let mut change: users::ActiveModel = user.into();
        change.locked_until = Set(Some(until));
        change.update(scope.tx).await?;
        Ok(FailureOutcome { locked_until: Some(until) })
    }
}

#[derive(Clone, Deserialize, TS)]
pub struct StartSessionInput {
    session_id: Uuid,
    token_hash: String,
    new_password_hash: Option<String>,
    second_factor: Option<Proof>,
    /// The team server's verdict when it started the session itself (ADR 0013): then this
    /// only audits the sign-in.
    started_by_server: Option<String>,
    remember: bool,
    os_account: String,
    machine: String,
}

/// Starts a session for the signing-in user (the actor), clears their failed attempts and
/// stores a rehashed password. Audited with the OS account and machine.
struct StartSession;

impl Operation for StartSession {
    const NAME: &'static str = "security.sign_in";
    const PERMISSION: Permission = SIGNING_IN;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "A sign-in.";
    type Input = StartSessionInput;
    type Output = ();

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<(), ApiError> {
        let user_id = scope.actor.user_id;
        let proved = match input.started_by_server.as_deref() {
            Some("ok:code") => ProvedWith::Code,
            Some("ok:recovery") => ProvedWith::RecoveryCode,
            Some(_) => ProvedWith::Nothing,
            None => start_here(scope, &input).await?,
        };
        let how = how_proved(scope, user_id, proved).await?;
        scope.audit_target("users", user_id);
        let remembered = if input.remember { "; remembered on this computer" } else { "" };
        scope.audit_detail(format!("from {}@{}{how}{remembered}", input.os_account, input.machine));
        Ok(())
    }
}

/// What proved the second factor at a sign-in, as its audit entry says.
#[derive(Clone, Copy)]
enum ProvedWith {
    Nothing,
    Code,
    RecoveryCode,
}

/// Starts the session in this process's database: resets the failures, claims the second
/// factor, stores the session. Returns what proved the second factor, for the audit.
async fn start_here(scope: &mut Scope<'_>, input: &StartSessionInput) -> Result<ProvedWith, ApiError> {
    let user_id = scope.actor.user_id;
    let user = users::Entity::find_by_id(user_id).one(scope.tx).await?.ok_or_else(wrong_login_or_password)?;
    if !user.active {
        return Err(ApiError::new(ErrorCode::PermissionDenied, "This account has been deactivated."));
    }
    let mut change: users::ActiveModel = user.into();
    change.failed_attempts = Set(0);
    change.locked_until = Set(None);
    change.last_sign_in_at = Set(Some(scope.now));
    change.update(scope.tx).await?;
    if let Some(hash) = &input.new_password_hash {
        credentials::Entity::update_many()
            .col_expr(credentials::Column::PasswordHash, Expr::value(hash.clone()))
            .filter(credentials::Column::Id.eq(user_id))
            .exec(scope.tx)
            .await?;
    }
    if let Some(proof) = input.second_factor {
        two_factor::claim(scope.tx, user_id, proof, scope.now).await.map_err(|refusal| refusal.error())?;
    }
    sessions::ActiveModel {
        id: Set(input.session_id),
        token_hash: Set(input.token_hash.clone()),
        user_id: Set(user_id),
        started_at: Set(scope.now),
        ended_at: Set(None),
        end_reason: Set(None),
        os_account: Set(clip(&input.os_account)),
        machine: Set(clip(&input.machine)),
        expires_at: Set(input.remember.then(|| scope.now + Duration::days(REMEMBERED_FOR_DAYS))),
    }
    .insert(scope.tx)
    .await?;
    Ok(match input.second_factor {
        None => ProvedWith::Nothing,
        Some(Proof::Code { .. }) => ProvedWith::Code,
        Some(Proof::RecoveryCode { .. }) => ProvedWith::RecoveryCode,
    })
}

async fn how_proved(scope: &Scope<'_>, user_id: Uuid, proved: ProvedWith) -> Result<String, ApiError> {
    Ok(match proved {
        ProvedWith::Nothing => String::new(),
        ProvedWith::Code => "; with a two-factor code".to_owned(),
        ProvedWith::RecoveryCode => {
            format!("; with a recovery code ({} left)", two_factor::recovery_codes_left(scope.tx, user_id).await?)
        }
    })
}

fn clip(text: &str) -> String {
    text.chars().take(200).collect()
}

fn signed_out(why: &str) -> ApiError {
    ApiError::new(ErrorCode::SignedOut, format!("Your session has ended ({why}). Please sign in again."))
}

/// Who the session with `token` acts as, with their role's permissions as they are now.
/// Refuses a session that ended, or whose user was deactivated. Read in a transaction that
/// presents the session, which a team server's user role needs to see anything.
pub async fn actor_for_session(db: &Database, token: &str) -> Result<Actor, ApiError> {
    let session = SessionToken::new(token);
    let tx = db.begin(false, Some(&session)).await?;
    let actor = read_actor(&tx, token).await;
    tx.commit().await?;
    Ok(Actor { session: Some(session), ..actor? })
}

async fn read_actor(conn: &impl ConnectionTrait, token: &str) -> Result<Actor, ApiError> {
    let session = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(token_hash(token)))
        .one(conn)
        .await?
        .ok_or_else(|| signed_out("unknown session"))?;
    if session.ended_at.is_some() {
        return Err(signed_out(session.end_reason.as_deref().unwrap_or("signed out")));
    }
    if session.expires_at.is_some_and(|at| at <= Utc::now()) {
        return Err(signed_out(&format!("a remembered sign-in lasts {REMEMBERED_FOR_DAYS} days")));
    }
    let user = users::Entity::find_by_id(session.user_id).one(conn).await?.ok_or_else(|| signed_out("no such user"))?;
    if !user.active {
        return Err(signed_out("the account was deactivated"));
    }
    let role = roles::Entity::find_by_id(user.role_id).one(conn).await?.ok_or_else(|| signed_out("no such role"))?;
    let grants = if role.grants_all {
        Grants::All
    } else {
        Grants::Only(
            role_permissions::Entity::find()
                .filter(role_permissions::Column::RoleId.eq(role.id))
                .all(conn)
                .await?
                .into_iter()
                .map(|g| g.permission)
                .collect(),
        )
    };
    let visibility = Visibility::from_key(&role.visibility).unwrap_or(Visibility::Own);
    let department_tree = match user.department_id {
        Some(department) if visibility == Visibility::Department => {
            crate::departments::tree_under(conn, department).await?
        }
        _ => Vec::new(),
    };
    Ok(Actor {
        user_id: user.id,
        display_name: user.display_name,
        grants,
        department_id: user.department_id,
        reach: Reach::of(visibility, user.id, department_tree),
        session: None,
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct EndSessionInput {
    token_hash: String,
}

struct EndSession;

impl Operation for EndSession {
    const NAME: &'static str = "security.sign_out";
    const PERMISSION: Permission = SIGNING_IN;
    const WRITES: bool = true;
    const SUMMARY: &'static str = "A sign-out.";
    type Input = EndSessionInput;
    type Output = ();

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<(), ApiError> {
        sessions::Entity::update_many()
            .col_expr(sessions::Column::EndedAt, Expr::value(scope.now))
            .col_expr(sessions::Column::EndReason, Expr::value("signed out"))
            .filter(sessions::Column::TokenHash.eq(input.token_hash))
            .filter(sessions::Column::EndedAt.is_null())
            .exec(scope.tx)
            .await?;
        Ok(())
    }
}

/// Ends the session with `token`; signing out twice is harmless.
pub async fn sign_out(runtime: &Runtime, token: &str) -> Result<(), ApiError> {
    let actor = actor_for_session(runtime.database(), token).await;
    let Ok(actor) = actor else { return Ok(()) };
    let ending =
        Actor { session: actor.session, ..Actor::with_permissions(actor.user_id, actor.display_name, &[SIGNING_IN]) };
    runtime.call::<EndSession>(&ending, EndSessionInput { token_hash: token_hash(token) }).await
}
