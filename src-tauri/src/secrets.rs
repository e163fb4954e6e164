//! The OS keyring behind the core's `SecretStore`: Secret Service on Linux, Credential
//! Manager on Windows, Keychain on macOS (the `keyring` crate picks the native store).

use accord_core::settings::connection::SecretStore;
use accord_core::{ApiError, ErrorCode};

const SERVICE: &str = "org.accord.app";

pub struct OsKeyring;

impl OsKeyring {
    fn entry(account: &str) -> Result<keyring::Entry, ApiError> {
        keyring::Entry::new(SERVICE, account).map_err(unavailable)
    }
}

/// The keyring's message names the store, never the secret.
fn unavailable(error: keyring::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!("The OS keyring could not keep the password ({error}). Unlock or set up the keyring, then try again."),
    )
}

/// The Linux store talks D-Bus through a blocking client; keep it off the async workers.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}

impl SecretStore for OsKeyring {
    fn save(&self, account: &str, secret: &str) -> Result<(), ApiError> {
        blocking(|| Self::entry(account)?.set_password(secret).map_err(unavailable))
    }

    fn load(&self, account: &str) -> Result<Option<String>, ApiError> {
        blocking(|| match Self::entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(unavailable(error)),
        })
    }

    fn forget(&self, account: &str) -> Result<(), ApiError> {
        blocking(|| match Self::entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(unavailable(error)),
        })
    }
}
