//! Two-factor sign-in (SEC-3): a time-based one-time code (TOTP, RFC 6238: HMAC-SHA-1, six
//! digits, 30-second steps, one step of clock skew either way) from an authenticator app,
//! enrolled by scanning a QR code in the app, with ten one-time recovery codes for a lost
//! phone.
//!
//! A code is accepted once: the step it belongs to is claimed with a conditional update in
//! the sign-in's own transaction, so two windows racing with one code cannot both get in
//! (RFC 6238 §5.2). Recovery codes are random enough (about 79 bits) that a SHA-256 hash
//! protects them as well as a slow hash would; only the hash is stored.

use accord_kernel::error::{ApiError, ErrorCode, FieldCode};
use accord_kernel::operation::{Operation, Scope};
use accord_kernel::security::Permission;
use accord_kernel::validate;
use chrono::{DateTime, Utc};
use rand::{Rng, RngCore};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, QuerySelect, Statement};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use crate::permissions;
use crate::schema::{credentials, recovery_codes, users};
use crate::users::{UserView, find_user};

/// How many recovery codes an enrolment hands out.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// 160 bits, RFC 4226's recommendation.
const SECRET_BYTES: usize = 20;
/// What an authenticator app shows above the account.
const ISSUER: &str = "Accord";
/// Letters and digits that cannot be misread for one another (no 0/o, 1/l/i).
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_CODE_LENGTH: usize = 16;

/// What proved the second factor at a sign-in, claimed when the session starts.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Proof {
    /// A TOTP code of this time step.
    Code { step: i64 },
    /// The recovery code with this id.
    RecoveryCode { id: Uuid },
}

/// Why a second factor was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Missing,
    Wrong,
    Replayed,
}

impl Refusal {
    /// How the audit log records it (never the code).
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Refusal::Missing => "two-factor code missing",
            Refusal::Wrong => "wrong two-factor code",
            Refusal::Replayed => "two-factor code used again",
        }
    }

    pub(crate) fn error(self) -> ApiError {
        match self {
            Refusal::Missing => ApiError::new(
                ErrorCode::SecondFactorRequired,
                "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
            ),
            Refusal::Wrong => ApiError::new(
                ErrorCode::SecondFactorWrong,
                "The code is wrong or has expired. Enter the code your authenticator app shows now (check that the phone's clock is right), or a recovery code.",
            ),
            Refusal::Replayed => ApiError::new(
                ErrorCode::SecondFactorReplayed,
                "This code has already been used. Wait for the next code in your authenticator app.",
            ),
        }
    }
}

/// The form a typed code is compared in: Latin digits and lower-case letters only, so a code
/// typed on a Persian keyboard, with spaces or with the dashes it was printed with, still counts.
pub(crate) fn normalise_code(raw: &str) -> String {
    let folded: String = raw
        .nfkc()
        .filter(|c| !validate::is_invisible(*c) && !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_lowercase();
    validate::latin_digits(&folded)
}

fn is_totp_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

fn recovery_hash(normalised: &str) -> String {
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

/// Stored as hex, which the team server's own checks can decode (`decode(…, 'hex')`).
fn totp(secret_hex: &str, account: &str) -> Result<Totp, ApiError> {
    let secret =
        hex::decode(secret_hex).map_err(|_| ApiError::internal("a stored two-factor secret is not valid hex"))?;
    Builder::new()
        .with_secret(Secret::from(secret))
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| ApiError::internal(format!("the two-factor secret cannot be used: {e}")))
}

/// The time step `code` is valid for now under `secret`, if it is.
fn step_of(secret_hex: &str, account: &str, code: &str) -> Result<Option<i64>, ApiError> {
    let totp = totp(secret_hex, account)?;
    Ok(totp.check_current(code).and_then(|step| i64::try_from(step).ok()))
}

/// Checks the second factor `code` of `user` without changing anything; the returned proof
/// is claimed by [`claim`] when the session starts. `None` when the user has no second factor.
pub(crate) async fn check(
    conn: &impl ConnectionTrait,
    user: &credentials::Model,
    code: Option<&str>,
) -> Result<Result<Option<Proof>, Refusal>, ApiError> {
    let Some(secret) = user.totp_secret.as_deref() else { return Ok(Ok(None)) };
    let code = normalise_code(code.unwrap_or_default());
    if code.is_empty() {
        return Ok(Err(Refusal::Missing));
    }
    if is_totp_code(&code) {
        return Ok(match step_of(secret, &user.login, &code)? {
            Some(step) if user.totp_last_step.is_some_and(|last| last >= step) => Err(Refusal::Replayed),
            Some(step) => Ok(Some(Proof::Code { step })),
            None => Err(Refusal::Wrong),
        });
    }
    let found = recovery_codes::Entity::find()
        .filter(recovery_codes::Column::UserId.eq(user.id))
        .filter(recovery_codes::Column::CodeHash.eq(recovery_hash(&code)))
        .one(conn)
        .await?;
    Ok(match found {
        Some(row) if row.used_at.is_some() => Err(Refusal::Replayed),
        Some(row) => Ok(Some(Proof::RecoveryCode { id: row.id })),
        None => Err(Refusal::Wrong),
    })
}

/// Claims `proof` for `user_id` in the transaction: a step not later than the last accepted
/// one, or a recovery code already used, is refused, so only one of two racing sign-ins wins.
pub(crate) async fn claim(
    tx: &impl ConnectionTrait,
    user_id: Uuid,
    proof: Proof,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    let claimed = match proof {
        Proof::Code { step } => credentials::Entity::update_many()
            .col_expr(credentials::Column::TotpLastStep, Expr::value(step))
            .filter(credentials::Column::Id.eq(user_id))
            .filter(credentials::Column::TotpSecret.is_not_null())
            .filter(
                sea_orm::Condition::any()
                    .add(credentials::Column::TotpLastStep.is_null())
                    .add(credentials::Column::TotpLastStep.lt(step)),
            )
            .exec(tx)
            .await
            .map(|r| r.rows_affected),
        Proof::RecoveryCode { id } => recovery_codes::Entity::update_many()
            .col_expr(recovery_codes::Column::UsedAt, Expr::value(now))
            .filter(recovery_codes::Column::Id.eq(id))
            .filter(recovery_codes::Column::UserId.eq(user_id))
            .filter(recovery_codes::Column::UsedAt.is_null())
            .exec(tx)
            .await
            .map(|r| r.rows_affected),
    };
    match claimed {
        Ok(1) => Ok(()),
        // An error here rolls the sign-in back; it is reported as the replay it most likely is.
        _ => Err(Refusal::Replayed),
    }
}

/// How many unused recovery codes `user_id` has left.
pub(crate) async fn recovery_codes_left(conn: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, ApiError> {
    // Counted by id alone: a team server's user role may not read the hashes (ADR 0013).
    let left: Option<i64> = recovery_codes::Entity::find()
        .select_only()
        .column_as(recovery_codes::Column::Id.count(), "left")
        .filter(recovery_codes::Column::UserId.eq(user_id))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .into_tuple()
        .one(conn)
        .await?;
    Ok(left.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn new_recovery_code() -> String {
    let mut rng = rand::rng();
    let letters: Vec<char> = (0..RECOVERY_CODE_LENGTH)
        .map(|_| RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())] as char)
        .collect();
    letters.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

fn fresh_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODE_COUNT).map(|_| new_recovery_code()).collect()
}

/// Replaces `user_id`'s recovery codes with fresh ones and returns them (shown once).
async fn issue_recovery_codes(scope: &Scope<'_>, user_id: Uuid) -> Result<Vec<String>, ApiError> {
    recovery_codes::Entity::delete_many().filter(recovery_codes::Column::UserId.eq(user_id)).exec(scope.tx).await?;
    let codes = fresh_recovery_codes();
    let rows = codes.iter().map(|code| recovery_codes::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        code_hash: Set(recovery_hash(&normalise_code(code))),
        created_at: Set(scope.now),
        used_at: Set(None),
    });
    recovery_codes::Entity::insert_many(rows).exec(scope.tx).await?;
    Ok(codes)
}

/// The acting user's own account; the local owner of a database without users has none.
async fn own_account(scope: &Scope<'_>) -> Result<users::Model, ApiError> {
    let found = users::Entity::find_by_id(scope.actor.user_id).one(scope.tx).await?;
    found.ok_or_else(|| {
        ApiError::new(
            ErrorCode::Conflict,
            "Two-factor sign-in belongs to a user account: create the first administrator in Settings first.",
        )
    })
}

/// The acting user's own secrets, on a database this process reads whole. A user's own role on
/// a team server never reads them (ADR 0013): there each change goes through [`on_server`].
async fn own_credentials(scope: &Scope<'_>) -> Result<credentials::Model, ApiError> {
    let found = credentials::Entity::find_by_id(scope.actor.user_id).one(scope.tx).await?;
    found.ok_or_else(|| {
        ApiError::new(
            ErrorCode::Conflict,
            "Two-factor sign-in belongs to a user account: create the first administrator in Settings first.",
        )
    })
}

/// Why a code proving one's own second factor was refused, beside the code field.
fn refused_code(refusal: Refusal) -> ApiError {
    let message = match refusal {
        Refusal::Missing => "Enter the code your authenticator app shows now, or a recovery code.",
        Refusal::Wrong => "This code is wrong or has expired; enter the one your authenticator app shows now.",
        Refusal::Replayed => "This code has already been used; wait for the next one.",
    };
    ApiError::field("code", FieldCode::InvalidValue, message)
}

fn not_on() -> ApiError {
    ApiError::new(ErrorCode::Conflict, "Two-factor sign-in is not on for this account.")
}

/// Proves the second factor of the acting user for a change to it: the current code or an
/// unused recovery code, claimed so it cannot be used again.
async fn prove_own(scope: &Scope<'_>, user: &credentials::Model, code: &str) -> Result<(), ApiError> {
    match check(scope.tx, user, Some(code)).await? {
        Ok(Some(proof)) => claim(scope.tx, user.id, proof, scope.now).await.map_err(refused_code),
        Ok(None) => Err(not_on()),
        Err(refusal) => Err(refused_code(refusal)),
    }
}

/// Asks a team server's own function (ADR 0013) — `call` with `$n` placeholders — for its
/// verdict: 'ok', or why not.
async fn on_server(scope: &Scope<'_>, call: &str, values: Vec<sea_orm::Value>) -> Result<String, ApiError> {
    let row = scope
        .tx
        .query_one_raw(Statement::from_sql_and_values(DbBackend::Postgres, format!("SELECT {call} AS verdict"), values))
        .await?
        .ok_or_else(|| ApiError::internal("the server did not answer"))?;
    Ok(row.try_get("", "verdict")?)
}

/// What a server's verdict on a proof of one's own second factor means.
fn proved_on_server(verdict: &str) -> Result<(), ApiError> {
    match verdict {
        "ok" => Ok(()),
        "off" => Err(not_on()),
        "replayed" => Err(refused_code(Refusal::Replayed)),
        "signed_out" => Err(ApiError::new(ErrorCode::SignedOut, "Your session has ended. Please sign in again.")),
        _ => Err(refused_code(Refusal::Wrong)),
    }
}

/// The hashes of `codes`, comma-separated, as the server's functions take them.
fn hash_list(codes: &[String]) -> String {
    codes.iter().map(|code| recovery_hash(&normalise_code(code))).collect::<Vec<_>>().join(",")
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MyAccountInput {}

/// The signed-in user's own account, as their settings show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MyAccount {
    pub login: String,
    pub display_name: String,
    /// When two-factor sign-in was turned on; absent while it is off.
    pub two_factor_since: Option<DateTime<Utc>>,
    /// Unused recovery codes (0 while two-factor sign-in is off).
    pub recovery_codes_left: u32,
}

pub struct ReadMyAccount;

impl Operation for ReadMyAccount {
    const NAME: &'static str = "security.my_account";
    const PERMISSION: Permission = permissions::OWN_ACCOUNT;
    const WRITES: bool = false;
    const SUMMARY: &'static str = "One's own account: login, name, whether two-factor sign-in is on.";
    type Input = MyAccountInput;
    type Output = MyAccount;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<MyAccount, ApiError> {
        let user = own_account(scope).await?;
        let left = if user.totp_enabled_at.is_some() { recovery_codes_left(scope.tx, user.id).await? } else { 0 };
        let left = u32::try_from(left).unwrap_or(u32::MAX);
        Ok(MyAccount {
            login: user.login,
            display_name: user.display_name,
            two_factor_since: user.totp_enabled_at,
            recovery_codes_left: left,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct StartTwoFactorInput {}

/// What the enrolment screen shows: a QR code for the authenticator app, and the same secret
/// to type in by hand.
#[derive(Clone, Serialize, TS)]
pub struct TwoFactorEnrolment {
    /// Base32, in groups of four for typing.
    pub secret: String,
    /// The `otpauth://totp/…` address the QR code holds.
    pub otpauth_uri: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

impl std::fmt::Debug for TwoFactorEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TwoFactorEnrolment { .. }")
    }
}

fn qr_svg(text: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| ApiError::internal(format!("could not draw the QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

/// Starts enrolling an authenticator app: a new secret, kept aside until a code confirms it.
pub struct StartTwoFactor;

impl Operation for StartTwoFactor {
    const NAME: &'static str = "security.start_two_factor";
    const PERMISSION: Permission = permissions::OWN_ACCOUNT;
    const WRITES: bool = true;
    const SUMMARY: &'static str =
        "Start turning on two-factor sign-in: a QR code for the authenticator app, confirmed by its first code.";
    type Input = StartTwoFactorInput;
    type Output = TwoFactorEnrolment;

    async fn run(scope: &mut Scope<'_>, _input: Self::Input) -> Result<TwoFactorEnrolment, ApiError> {
        let already_on = || {
            ApiError::new(
                ErrorCode::Conflict,
                "Two-factor sign-in is already on. Turn it off first to move it to another device.",
            )
        };
        let user = own_account(scope).await?;
        let secret = new_secret();
        let totp = totp(&secret, &user.login)?;
        let otpauth_uri =
            totp.to_url().map_err(|e| ApiError::internal(format!("could not write the authenticator address: {e}")))?;
        let typed = totp.secret().to_base32();
        if scope.user_role {
            match on_server(scope, "accord.begin_two_factor($1)", vec![secret.into()]).await?.as_str() {
                "ok" => {}
                "already" => return Err(already_on()),
                other => proved_on_server(other)?,
            }
        } else {
            if own_credentials(scope).await?.totp_secret.is_some() {
                return Err(already_on());
            }
            credentials::Entity::update_many()
                .col_expr(credentials::Column::TotpPendingSecret, Expr::value(secret))
                .filter(credentials::Column::Id.eq(user.id))
                .exec(scope.tx)
                .await?;
        }
        let grouped = typed.as_bytes().chunks(4).map(|g| String::from_utf8_lossy(g).into_owned()).collect::<Vec<_>>();
        Ok(TwoFactorEnrolment { secret: grouped.join(" "), qr_svg: qr_svg(&otpauth_uri)?, otpauth_uri })
    }
}

#[derive(Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TwoFactorCodeInput {
    /// The code the authenticator app shows now (or, to turn it off, a recovery code).
    pub code: String,
}

impl std::fmt::Debug for TwoFactorCodeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TwoFactorCodeInput { .. }")
    }
}

/// Shown once; only their hashes are kept.
#[derive(Clone, Serialize, TS)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecoveryCodes({} codes)", self.codes.len())
    }
}

/// Confirms the enrolment with the app's first code and turns two-factor sign-in on. Audited.
pub struct ConfirmTwoFactor;

impl Operation for ConfirmTwoFactor {
    const NAME: &'static str = "security.confirm_two_factor";
    const PERMISSION: Permission = permissions::OWN_ACCOUNT;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str =
        "Turn two-factor sign-in on with the authenticator app's first code; returns the recovery codes, once.";
    type Input = TwoFactorCodeInput;
    type Output = RecoveryCodes;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<RecoveryCodes, ApiError> {
        let no_enrolment =
            || ApiError::new(ErrorCode::Conflict, "No enrolment is under way: start it again to get a QR code.");
        let no_match = || {
            ApiError::field(
                "code",
                FieldCode::InvalidValue,
                "This code does not match. Enter the 6-digit code the app shows now, after scanning the QR code.",
            )
        };
        let code = normalise_code(&input.code);
        if scope.user_role {
            let codes = fresh_recovery_codes();
            let values = vec![code.into(), hash_list(&codes).into()];
            let verdict = on_server(scope, "accord.confirm_two_factor($1, string_to_array($2, ','))", values).await?;
            match verdict.as_str() {
                "ok" => {}
                "no_enrolment" => return Err(no_enrolment()),
                "wrong" => return Err(no_match()),
                other => proved_on_server(other)?,
            }
            scope.audit_target("users", scope.actor.user_id);
            scope.audit_detail(format!("two-factor sign-in on; {} recovery codes issued", codes.len()));
            return Ok(RecoveryCodes { codes });
        }
        let user = own_credentials(scope).await?;
        let Some(pending) = user.totp_pending_secret.clone() else {
            return Err(no_enrolment());
        };
        let step = if is_totp_code(&code) { step_of(&pending, &user.login, &code)? } else { None };
        let Some(step) = step else {
            return Err(no_match());
        };
        let user_id = user.id;
        credentials::Entity::update_many()
            .col_expr(credentials::Column::TotpSecret, Expr::value(pending))
            .col_expr(credentials::Column::TotpPendingSecret, Expr::value(Option::<String>::None))
            // The confirming code is spent: it cannot also sign in.
            .col_expr(credentials::Column::TotpLastStep, Expr::value(step))
            .filter(credentials::Column::Id.eq(user_id))
            .exec(scope.tx)
            .await?;
        let mut change: users::ActiveModel = own_account(scope).await?.into();
        change.totp_enabled_at = Set(Some(scope.now));
        change.updated_at = Set(scope.now);
        change.update(scope.tx).await?;
        let codes = issue_recovery_codes(scope, user_id).await?;
        scope.audit_target("users", user_id);
        scope.audit_detail(format!("two-factor sign-in on; {} recovery codes issued", codes.len()));
        Ok(RecoveryCodes { codes })
    }
}

/// Issues fresh recovery codes (the old ones stop working); needs the current code. Audited.
pub struct RenewRecoveryCodes;

impl Operation for RenewRecoveryCodes {
    const NAME: &'static str = "security.renew_recovery_codes";
    const PERMISSION: Permission = permissions::OWN_ACCOUNT;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Replace one's recovery codes with new ones (needs the current code).";
    type Input = TwoFactorCodeInput;
    type Output = RecoveryCodes;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<RecoveryCodes, ApiError> {
        let user_id = scope.actor.user_id;
        let codes = if scope.user_role {
            let codes = fresh_recovery_codes();
            let values = vec![normalise_code(&input.code).into(), hash_list(&codes).into()];
            let call = "accord.renew_recovery_codes($1, string_to_array($2, ','))";
            proved_on_server(&on_server(scope, call, values).await?)?;
            codes
        } else {
            let user = own_credentials(scope).await?;
            prove_own(scope, &user, &input.code).await?;
            issue_recovery_codes(scope, user_id).await?
        };
        scope.audit_target("users", user_id);
        scope.audit_detail(format!("{} recovery codes issued", codes.len()));
        Ok(RecoveryCodes { codes })
    }
}

/// Turns one's own two-factor sign-in off; needs the current code or a recovery code. Audited.
pub struct DisableTwoFactor;

impl Operation for DisableTwoFactor {
    const NAME: &'static str = "security.disable_two_factor";
    const PERMISSION: Permission = permissions::OWN_ACCOUNT;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Turn one's own two-factor sign-in off (needs a current or recovery code).";
    type Input = TwoFactorCodeInput;
    type Output = ();

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<(), ApiError> {
        if scope.user_role {
            let verdict = on_server(scope, "accord.disable_two_factor($1)", vec![normalise_code(&input.code).into()]);
            proved_on_server(&verdict.await?)?;
            scope.audit_target("users", scope.actor.user_id);
        } else {
            let secrets = own_credentials(scope).await?;
            prove_own(scope, &secrets, &input.code).await?;
            clear(scope, own_account(scope).await?).await?;
        }
        scope.audit_detail("two-factor sign-in off".to_owned());
        Ok(())
    }
}

async fn clear(scope: &mut Scope<'_>, user: users::Model) -> Result<users::Model, ApiError> {
    let user_id = user.id;
    if scope.user_role {
        // Nobody's role writes a secret column on a team server: the server clears them.
        if on_server(scope, "accord.reset_two_factor($1)", vec![user_id.into()]).await? != "ok" {
            return Err(ApiError::new(ErrorCode::PermissionDenied, "Resetting two-factor sign-in needs users.manage."));
        }
        scope.audit_target("users", user_id);
        return find_user(scope, user_id).await;
    }
    credentials::Entity::update_many()
        .col_expr(credentials::Column::TotpSecret, Expr::value(Option::<String>::None))
        .col_expr(credentials::Column::TotpPendingSecret, Expr::value(Option::<String>::None))
        .col_expr(credentials::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(credentials::Column::Id.eq(user_id))
        .exec(scope.tx)
        .await?;
    let mut change: users::ActiveModel = user.into();
    change.totp_enabled_at = Set(None);
    change.updated_at = Set(scope.now);
    let user = change.update(scope.tx).await?;
    recovery_codes::Entity::delete_many().filter(recovery_codes::Column::UserId.eq(user_id)).exec(scope.tx).await?;
    scope.audit_target("users", user_id);
    Ok(user)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ResetTwoFactorInput {
    pub user_id: Uuid,
}

/// An administrator turns off the two-factor sign-in of a user who lost their phone and their
/// recovery codes; they sign in with their password and enrol again. Audited.
pub struct ResetTwoFactor;

impl Operation for ResetTwoFactor {
    const NAME: &'static str = "security.reset_two_factor";
    const PERMISSION: Permission = permissions::USERS_MANAGE;
    const WRITES: bool = true;
    const AUDITED: bool = true;
    const SUMMARY: &'static str = "Turn off a user's two-factor sign-in (a lost phone); they enrol again.";
    type Input = ResetTwoFactorInput;
    type Output = UserView;

    async fn run(scope: &mut Scope<'_>, input: Self::Input) -> Result<UserView, ApiError> {
        let user = find_user(scope, input.user_id).await?;
        // Told by the public column, without reading a secret (a team server's user roles may
        // not); an enrolment never confirmed is no second factor, and the next one replaces it.
        if user.totp_enabled_at.is_none() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("{} has no two-factor sign-in to reset.", user.display_name),
            ));
        }
        let user = clear(scope, user).await?;
        scope.audit_detail(format!("two-factor sign-in of {} reset", user.login));
        crate::users::view(scope, user).await
    }
}
