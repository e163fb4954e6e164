//! Errors that cross the one door: `{ code, message, fields }`.
//!
//! `code` is stable: the UI branches on it and translates it, so a code is never renamed,
//! only added when some consumer needs to tell the case apart.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong, as a stable machine-readable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input failed validation; `fields` says which fields and why.
    InvalidInput,
    /// No operation with that name is registered.
    UnknownOperation,
    /// The actor lacks the permission the operation declares.
    PermissionDenied,
    /// The record does not exist.
    NotFound,
    /// The record is archived and must be restored before it can be changed.
    Archived,
    /// The record changed since the caller read it (optimistic concurrency).
    Conflict,
    /// The database was upgraded by a newer Accord; this binary refuses to touch it.
    SchemaTooNew,
    /// The database could not be reached or opened.
    DatabaseUnavailable,
    /// The team server's database is older than this Accord (or not set up yet); an
    /// administrator upgrades it with `accord migrate`.
    SchemaOutdated,
    /// Another window or script kept the database busy longer than Accord waits; nothing was
    /// stored, and trying again is safe.
    Busy,
    /// A failure that is not the caller's fault; nothing was stored.
    Internal,
    /// The login or the password is wrong (deliberately not saying which).
    SignInFailed,
    /// Too many failed sign-in attempts (wrong passwords or codes): the account is locked for a while; the message says until when.
    AccountLocked,
    /// The session is over (signed out, or the user was deactivated): sign in again.
    SignedOut,
    /// The password was right and the account has two-factor sign-in: send the code from the
    /// authenticator app (or a recovery code) with it.
    SecondFactorRequired,
    /// The two-factor code is wrong or has expired (counts as a failed sign-in).
    SecondFactorWrong,
    /// The two-factor code was already used once; the next one is needed (RFC 6238 §5.2).
    SecondFactorReplayed,
    /// A long piece of work was stopped by the person who started it; what it finished is
    /// kept, and starting it again continues from there.
    Cancelled,
    /// The disk (or the server's) is full: nothing of the operation was saved; free some space
    /// and try again.
    StorageFull,
}

/// Why one field was rejected; the UI translates the code and shows the message beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    UnknownField,
    WrongType,
    Required,
    TooShort,
    TooLong,
    InvalidEmail,
    InvalidPhone,
    InvalidValue,
    UnknownId,
    Archived,
    StaleVersion,
    /// A file chosen earlier is no longer where it was (moved, renamed or deleted).
    FileNotFound,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    pub code: FieldCode,
    pub message: String,
}

/// The error every operation returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// Per-field problems, keyed by the input field's name (dotted path for nested input).
    pub fields: BTreeMap<String, FieldError>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), fields: BTreeMap::new() }
    }

    pub fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::NotFound, format!("No {what} with id {id} exists."))
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    /// One invalid field; further fields can be added with [`ApiError::with_field`].
    pub fn field(field: &str, code: FieldCode, message: impl Into<String>) -> Self {
        Self::invalid(FieldErrors::one(field, code, message))
    }

    pub fn invalid(errors: FieldErrors) -> Self {
        let summary = errors.0.iter().map(|(field, e)| format!("{field}: {}", e.message)).collect::<Vec<_>>().join(" ");
        Self {
            code: ErrorCode::InvalidInput,
            message: format!("Please correct the input. {summary}"),
            fields: errors.0,
        }
    }

    pub fn with_field(mut self, field: &str, code: FieldCode, message: impl Into<String>) -> Self {
        self.fields.insert(field.to_owned(), FieldError { code, message: message.into() });
        self
    }
}

/// Collects every field problem of one input so the user sees all of them at once.
#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn one(field: &str, code: FieldCode, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, code, message);
        errors
    }

    pub fn add(&mut self, field: &str, code: FieldCode, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert(FieldError { code, message: message.into() });
    }

    /// Takes over another collection's problems under `prefix` (`items.3` + `email`).
    pub fn absorb(&mut self, prefix: &str, other: FieldErrors) {
        for (field, error) in other.0 {
            self.0.entry(format!("{prefix}.{field}")).or_insert(error);
        }
    }

    /// Collects a refusal that is about fields (an unknown or archived reference), so it is
    /// reported with the input's other problems; any other error is passed on.
    pub fn merge_from(&mut self, refused: ApiError) -> Result<(), ApiError> {
        if refused.fields.is_empty() {
            return Err(refused);
        }
        for (field, error) in refused.fields {
            self.0.entry(field).or_insert(error);
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each problem by the field it is at.
    pub fn into_entries(self) -> BTreeMap<String, FieldError> {
        self.0
    }

    /// `Ok(())` when nothing was collected, otherwise the `invalid_input` error.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() { Ok(()) } else { Err(ApiError::invalid(self)) }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        if is_busy(&err) {
            return ApiError::new(
                ErrorCode::Busy,
                "The database is busy with another window or script. Nothing was saved; try again in a moment.",
            );
        }
        if is_storage_full(&err) {
            tracing::warn!(kind = db_error_kind(&err), "the database's disk is full");
            return ApiError::new(
                ErrorCode::StorageFull,
                "The disk the database is on is full. Nothing of this was saved and nothing stored before was lost; \
                 free some space on it (or ask the server's administrator to), then try again.",
            );
        }
        // The database's own text can carry row data: it goes to the log under an incident id,
        // and the user sees the id to quote, not the text.
        let incident = crate::logging::incident_id();
        tracing::error!(incident = %incident, kind = db_error_kind(&err), detail = %err, "database error");
        match refusal(&err) {
            Some(Refusal::Value) => ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "The database refused a value that breaks one of its rules; nothing was saved. If it happens again, quote incident {incident} to support."
                ),
            ),
            Some(Refusal::Access) => ApiError::new(
                ErrorCode::PermissionDenied,
                format!("The server's rules do not allow this change; nothing was saved (incident {incident})."),
            ),
            None => ApiError::internal(format!(
                "The database rejected the operation; nothing was saved. If it happens again, quote incident {incident} to support."
            )),
        }
    }
}

/// A refusal the database would repeat for the same data, unlike a fault of its own.
enum Refusal {
    /// A value or a row breaks a rule: a constraint, a type, a length.
    Value,
    /// A team server's row-level security or privileges refuse the change.
    Access,
}

/// PostgreSQL's SQLSTATE classes 22 (data exception) and 23 (integrity constraint) and 42501
/// (insufficient privilege, row-level security); SQLite's CONSTRAINT and MISMATCH — but not
/// SQLITE_CONSTRAINT_TRIGGER, which is any trigger's `RAISE(ABORT)`, a fault as often as a rule.
fn refusal(err: &sea_orm::DbErr) -> Option<Refusal> {
    let Some(sqlx::Error::Database(db)) = sqlx_error(err) else { return None };
    let code = db.code()?;
    if db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some() {
        return match code.as_ref() {
            "42501" => Some(Refusal::Access),
            c if c.starts_with("22") || c.starts_with("23") => Some(Refusal::Value),
            _ => None,
        };
    }
    const CONSTRAINT_TRIGGER: i32 = 19 | (7 << 8);
    code.parse::<i32>()
        .ok()
        .filter(|sqlite| matches!(sqlite & 0xff, 19 | 20) && *sqlite != CONSTRAINT_TRIGGER)
        .map(|_| Refusal::Value)
}

/// The driver's error inside SeaORM's, when there is one.
fn sqlx_error(err: &sea_orm::DbErr) -> Option<&sqlx::Error> {
    use sea_orm::{DbErr, RuntimeErr};
    match err {
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => Some(e.as_ref()),
        _ => None,
    }
}

/// A wait for another writer that ran out: SQLite's BUSY or LOCKED (any extended code), or
/// PostgreSQL's lock timeout, serialisation failure or deadlock. Retrying is safe.
pub(crate) fn is_busy(err: &sea_orm::DbErr) -> bool {
    if matches!(err, sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout)) {
        return true;
    }
    let Some(sqlx::Error::Database(db)) = sqlx_error(err) else {
        return false;
    };
    let Some(code) = db.code() else {
        return false;
    };
    if db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some() {
        return matches!(code.as_ref(), "55P03" | "40001" | "40P01");
    }
    // SQLite reports its extended result code; the primary code is its low byte.
    code.parse::<i32>().is_ok_and(|sqlite| matches!(sqlite & 0xff, 5 | 6))
}

/// SQLite's FULL (the disk, or the file's page limit) or PostgreSQL's disk_full (53100).
fn is_storage_full(err: &sea_orm::DbErr) -> bool {
    let Some(sqlx::Error::Database(db)) = sqlx_error(err) else {
        return false;
    };
    let Some(code) = db.code() else {
        return false;
    };
    if db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some() {
        return code == "53100";
    }
    code.parse::<i32>().is_ok_and(|sqlite| sqlite & 0xff == 13)
}

fn db_error_kind(err: &sea_orm::DbErr) -> &'static str {
    use sea_orm::DbErr;
    match err {
        DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => "connection",
        DbErr::Exec(_) => "execute",
        DbErr::Query(_) => "query",
        DbErr::RecordNotInserted | DbErr::RecordNotUpdated => "write",
        _ => "other",
    }
}
