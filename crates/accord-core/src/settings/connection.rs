//! Which database this installation works on, and switching it (the settings screen).
//!
//! The profile (mode, server URL, user) lives in `connection.json` in the config folder; the
//! server password lives only in the OS keyring, behind [`SecretStore`], which the desktop
//! shell implements with the `keyring` crate. A switch is all or nothing: the server must
//! accept the credentials and the password must be in the keyring before the profile file
//! changes.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::data;
use crate::door::Door;
use crate::error::{ApiError, ErrorCode, FieldCode, FieldErrors};
use crate::installation::Installation;
use crate::security::Permission;
use accord_kernel::host::HostOperation;

/// The OS secret store (keyring). Accounts are per server and user.
pub trait SecretStore: Send + Sync {
    fn save(&self, account: &str, secret: &str) -> Result<(), ApiError>;
    fn load(&self, account: &str) -> Result<Option<String>, ApiError>;
    fn forget(&self, account: &str) -> Result<(), ApiError>;
}

/// What is saved in `connection.json`. Never holds a password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ConnectionProfile {
    #[default]
    Embedded,
    Server {
        url: String,
        user: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionMode {
    Embedded,
    Server,
    /// This laptop's replica of the saved server (working offline, ADR 0014).
    Offline,
}

/// What the settings screen shows about the current connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConnectionSettings {
    pub mode: ConnectionMode,
    /// The embedded database file (also shown in server mode: it is where the app falls back).
    pub database_path: Option<String>,
    pub server_url: Option<String>,
    pub server_user: Option<String>,
    /// Why the saved server could not be used at start (the app then works on the embedded database).
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct NoInput {}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ConnectServerInput {
    /// `postgres://host:port/database`, without user or password.
    pub url: String,
    pub user: String,
    /// Goes to the OS keyring only.
    pub password: String,
}

pub struct GetConnection;
impl HostOperation for GetConnection {
    const NAME: &'static str = "settings.get_connection";
    const PERMISSION: Permission = accord_kernel::security::platform::PREFERENCES_OWN;
    const SUMMARY: &'static str = "Which database the app works on.";
    type Input = NoInput;
    type Output = ConnectionSettings;
}

pub struct ConnectServer;
impl HostOperation for ConnectServer {
    const NAME: &'static str = "settings.connect_server";
    const PERMISSION: Permission = accord_kernel::security::platform::SETTINGS_MANAGE;
    const SUMMARY: &'static str = "Switch to a team PostgreSQL server; the password goes to the OS keyring.";
    type Input = ConnectServerInput;
    type Output = ConnectionSettings;
}

pub struct UseEmbedded;
impl HostOperation for UseEmbedded {
    const NAME: &'static str = "settings.use_embedded";
    const PERMISSION: Permission = accord_kernel::security::platform::SETTINGS_MANAGE;
    const SUMMARY: &'static str = "Switch back to the embedded database and forget the server password.";
    type Input = NoInput;
    type Output = ConnectionSettings;
}

/// An open door and what the settings screen should say about it.
pub struct Connected {
    pub door: Door,
    pub settings: ConnectionSettings,
    /// Who is signed in to this database in this window; another database starts signed out.
    pub session: super::session::Session,
}

/// Opens the database the saved profile names. When the server cannot be used, the app
/// still starts, on the embedded database, and says why in `settings.problem`.
pub async fn open_saved(installation: &Installation, secrets: &Arc<dyn SecretStore>) -> Result<Connected, ApiError> {
    let ConnectionProfile::Server { url, user } = load_profile(installation) else {
        return open_embedded(installation, secrets, None).await;
    };
    let problem = match secrets.load(&account(&url, &user)) {
        Ok(Some(password)) => match open_server(installation, &url, &user, &password).await {
            Ok(connected) => return Ok(connected),
            Err(e) => e.message,
        },
        Ok(None) => format!("The password for {user} on {url} is not in the OS keyring; enter it again in Settings."),
        Err(e) => e.message,
    };
    if installation.replica_database_path(&url, &user).exists() {
        tracing::warn!(server = %url, user = %user, problem = %problem, "the saved server could not be used; working offline");
        let problem =
            format!("{problem} You are working offline on this laptop's copy; your changes are sent at the next sync.");
        return open_replica(installation, &url, &user, Some(problem)).await;
    }
    // The address and user, never the password (it is not in `problem` either).
    tracing::warn!(server = %url, user = %user, problem = %problem, "the saved server could not be used; using the embedded database");
    open_embedded(installation, secrets, Some(problem)).await
}

/// Opens the saved server again with the password in the keyring (back online after working
/// offline); unlike [`open_saved`] it fails rather than falling back.
pub async fn reopen_server(installation: &Installation, secrets: &Arc<dyn SecretStore>) -> Result<Connected, ApiError> {
    let ConnectionProfile::Server { url, user } = load_profile(installation) else {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "No team server is set up in Settings; connect to one first.",
        ));
    };
    let password = secrets.load(&account(&url, &user))?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::SignedOut,
            format!(
                "The password for {user} on {url} is not in the OS keyring; connect to the server again in Settings."
            ),
        )
    })?;
    open_server(installation, &url, &user, &password).await
}

/// This laptop's replica of `url` for `user`, as the window works on it offline: its user
/// acts with what the server allowed at the last sync (no sign-in: the replica holds no
/// passwords, and its file is as safe as this OS account).
pub async fn open_replica(
    installation: &Installation,
    url: &str,
    user: &str,
    problem: Option<String>,
) -> Result<Connected, ApiError> {
    let path = installation.replica_database_path(url, user);
    if !path.exists() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            "This laptop has no offline copy of the server yet: connect, then choose \"Prepare for offline work\".",
        ));
    }
    let address = format!("sqlite:{}", path.display());
    let door = Door::open(&address, installation.device_id()).await?.witnessed_by(installation.audit_witness(&address));
    let settings = ConnectionSettings {
        mode: ConnectionMode::Offline,
        database_path: Some(path.display().to_string()),
        server_url: Some(url.to_owned()),
        server_user: Some(user.to_owned()),
        problem,
    };
    Ok(Connected { door, settings, session: Default::default() })
}

/// Connects to a server; only when that works are the password and the profile saved.
pub async fn connect_server(
    installation: &Installation,
    secrets: &Arc<dyn SecretStore>,
    input: ConnectServerInput,
) -> Result<Connected, ApiError> {
    let input = validate(input)?;
    let connected = open_server(installation, &input.url, &input.user, &input.password).await?;
    let previous = load_profile(installation);
    secrets.save(&account(&input.url, &input.user), &input.password)?;
    save_profile(installation, &ConnectionProfile::Server { url: input.url.clone(), user: input.user.clone() })?;
    forget_server_secret(secrets.as_ref(), &previous, Some((&input.url, &input.user)));
    tracing::info!(server = %input.url, user = %input.user, "switched to a team server");
    Ok(connected)
}

/// Goes back to the embedded database and forgets the server password.
pub async fn use_embedded(installation: &Installation, secrets: &Arc<dyn SecretStore>) -> Result<Connected, ApiError> {
    let connected = open_embedded(installation, secrets, None).await?;
    let previous = load_profile(installation);
    save_profile(installation, &ConnectionProfile::Embedded)?;
    forget_server_secret(secrets.as_ref(), &previous, None);
    Ok(connected)
}

pub fn load_profile(installation: &Installation) -> ConnectionProfile {
    std::fs::read_to_string(installation.connection_file())
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Writes the profile through a temporary file and a rename, so a crash never leaves half a file.
fn save_profile(installation: &Installation, profile: &ConnectionProfile) -> Result<(), ApiError> {
    let path = installation.connection_file();
    let failed = |e: std::io::Error| ApiError::internal(format!("Cannot save {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let text = serde_json::to_string_pretty(profile).map_err(|e| ApiError::internal(e.to_string()))?;
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, text).map_err(failed)?;
    std::fs::rename(&temporary, &path).map_err(failed)
}

/// A stale keyring entry is harmless; failing to delete it must not undo a working switch.
fn forget_server_secret(secrets: &dyn SecretStore, previous: &ConnectionProfile, keep: Option<(&str, &str)>) {
    if let ConnectionProfile::Server { url, user } = previous
        && keep != Some((url.as_str(), user.as_str()))
    {
        let _ = secrets.forget(&account(url, user));
    }
}

fn account(url: &str, user: &str) -> String {
    format!("{user}@{url}")
}

/// The embedded database's window may remember who signed in (one keyring account per file).
async fn open_embedded(
    installation: &Installation,
    secrets: &Arc<dyn SecretStore>,
    problem: Option<String>,
) -> Result<Connected, ApiError> {
    let url = installation.embedded_database_url();
    let door = Door::open(&url, installation.device_id()).await?.witnessed_by(installation.audit_witness(&url));
    let session = super::session::Session::remembering(Arc::clone(secrets), format!("signed-in@{url}"));
    Ok(Connected { door, settings: settings(installation, None, problem), session })
}

async fn open_server(
    installation: &Installation,
    url: &str,
    user: &str,
    password: &str,
) -> Result<Connected, ApiError> {
    let db = data::open_server(url, user, password).await?;
    let door = Door::on_server(db, installation.device_id()).await?.witnessed_by(installation.audit_witness(url));
    Ok(Connected { door, settings: settings(installation, Some((url, user)), None), session: Default::default() })
}

/// What the settings screen shows: the server when there is one, and always the embedded
/// file (where the app falls back).
fn settings(installation: &Installation, server: Option<(&str, &str)>, problem: Option<String>) -> ConnectionSettings {
    ConnectionSettings {
        mode: if server.is_some() { ConnectionMode::Server } else { ConnectionMode::Embedded },
        database_path: Some(installation.embedded_database_path().display().to_string()),
        server_url: server.map(|(url, _)| url.to_owned()),
        server_user: server.map(|(_, user)| user.to_owned()),
        problem,
    }
}

fn validate(input: ConnectServerInput) -> Result<ConnectServerInput, ApiError> {
    let input = ConnectServerInput {
        url: input.url.trim().to_owned(),
        user: input.user.trim().to_owned(),
        password: input.password,
    };
    let mut errors = FieldErrors::default();
    if let Some((code, message)) = server_url_problem(&input.url) {
        errors.add("url", code, message);
    }
    if input.user.is_empty() {
        errors.add("user", FieldCode::Required, "Enter the user name the server knows you by.");
    }
    if input.password.is_empty() {
        errors.add("password", FieldCode::Required, "Enter your password for the server.");
    }
    errors.into_result()?;
    Ok(input)
}

fn server_url_problem(url: &str) -> Option<(FieldCode, &'static str)> {
    if url.is_empty() {
        return Some((FieldCode::Required, "Enter the server address, e.g. postgres://crm.example.local:5432/accord."));
    }
    let Some(rest) = url.strip_prefix("postgres://").or_else(|| url.strip_prefix("postgresql://")) else {
        return Some((
            FieldCode::InvalidValue,
            "The server address must start with postgres://, e.g. postgres://crm.example.local:5432/accord.",
        ));
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let query = rest.split_once('?').map_or("", |(_, query)| query);
    let names_a_password = query.split('&').any(|pair| {
        let key = pair.split('=').next().unwrap_or_default().to_ascii_lowercase();
        key == "password" || key == "sslpassword" || key == "passfile"
    });
    if authority.contains('@') || names_a_password {
        return Some((
            FieldCode::InvalidValue,
            "Leave the user and password out of the address; enter them in their own boxes.",
        ));
    }
    if authority.is_empty() {
        return Some((
            FieldCode::InvalidValue,
            "The server address needs a host name, e.g. postgres://crm.example.local/accord.",
        ));
    }
    None
}
