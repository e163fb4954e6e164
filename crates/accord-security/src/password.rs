//! Password hashing with Argon2id at OWASP's recommended parameters (19 MiB, 2 passes, one
//! lane). Hashes are PHC strings that carry their parameters, so a hash made under older
//! parameters still verifies and is replaced at the next successful sign-in.

use std::sync::LazyLock;

use accord_kernel::error::{ApiError, FieldCode, FieldErrors};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

/// OWASP Password Storage Cheat Sheet, Argon2id, first option.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 256;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password: long enough to resist guessing, short enough to hash quickly.
/// Letters of any script count; nothing else is imposed (NIST SP 800-63B).
pub fn check_new(errors: &mut FieldErrors, field: &str, password: &str) {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        errors.add(
            field,
            FieldCode::TooShort,
            format!("A password needs at least {MIN_LENGTH} characters; this one has {length}."),
        );
    } else if length > MAX_LENGTH {
        errors.add(field, FieldCode::TooLong, format!("A password may have at most {MAX_LENGTH} characters."));
    }
}

/// The PHC string of `password` with a fresh random salt. Slow on purpose (tens of
/// milliseconds): call it off the async threads ([`tokio::task::spawn_blocking`]).
pub fn hash(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::internal(format!("password salt: {e}")))?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| ApiError::internal(format!("could not hash the password: {e}")))
}

/// How a password compared with a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    Right,
    /// Right, but hashed under other parameters: store a new hash.
    RightButOutdated,
}

/// Compares `password` with `stored`. A damaged hash counts as wrong (the user cannot sign in
/// with it and an administrator resets the password).
pub fn verify(password: &str, stored: &str) -> Verdict {
    let Ok(parsed) = PasswordHash::new(stored) else {
        tracing::error!("a stored password hash is not a PHC string");
        return Verdict::Wrong;
    };
    if Argon2::default().verify_password(password.as_bytes(), &parsed).is_err() {
        return Verdict::Wrong;
    }
    let current = parsed.algorithm.as_str() == "argon2id"
        && Params::try_from(&parsed)
            .is_ok_and(|p| p.m_cost() == MEMORY_KIB && p.t_cost() == PASSES && p.p_cost() == LANES);
    if current { Verdict::Right } else { Verdict::RightButOutdated }
}

/// A hash no password matches in practice, verified for unknown logins so that a wrong
/// login takes as long as a wrong password and does not reveal which logins exist.
pub static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("accord: no such user, this hash only spends time").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert_eq!(verify("correct horse battery", &stored), Verdict::Right);
        assert_eq!(verify("correct horse batterY", &stored), Verdict::Wrong);
        assert_eq!(verify("anything", "not a hash"), Verdict::Wrong);
    }

    #[test]
    fn a_hash_under_weaker_parameters_is_flagged_for_rehash() {
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(4096, 1, 1, None).unwrap());
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let stored = weak.hash_password("پسورد‌بلند۱۲۳۴".as_bytes(), &salt).unwrap().to_string();
        assert_eq!(verify("پسورد‌بلند۱۲۳۴", &stored), Verdict::RightButOutdated);
    }

    #[test]
    fn new_passwords_are_checked_for_length_in_characters() {
        let mut errors = FieldErrors::default();
        check_new(&mut errors, "password", "пароль123");
        assert!(!errors.is_empty(), "9 characters are too few");
        let mut errors = FieldErrors::default();
        check_new(&mut errors, "password", "пароль1234");
        assert!(errors.is_empty(), "10 Cyrillic characters are enough although they are 16 bytes");
    }
}
