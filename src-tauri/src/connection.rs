//! The database the window works on. It opens in the background while the window loads; the
//! `api` command waits for it, and the settings screen can swap it for another.

use std::sync::Arc;

use accord_core::installation::Installation;
use accord_core::settings::connection::{self, Connected, ConnectionMode, ConnectionSettings, SecretStore};
use accord_core::settings::offline::OfflineWork;
use accord_core::{ApiError, ErrorCode};
use tokio::sync::watch;

use crate::secrets::OsKeyring;

/// `None` while the first open runs; then the door and what Settings says about it, or why
/// it could not open.
type Slot = Option<Result<Arc<Connected>, ApiError>>;

pub struct Connection {
    installation: Installation,
    keyring: Arc<dyn SecretStore>,
    slot: watch::Sender<Slot>,
    /// Preparing this laptop's offline copy (ADR 0014).
    pub offline: OfflineWork,
}

impl Connection {
    pub fn new(installation: Installation) -> Self {
        Self {
            offline: OfflineWork::new(installation.clone()),
            installation,
            keyring: Arc::new(OsKeyring),
            slot: watch::Sender::new(None),
        }
    }

    /// Opens the saved profile's database (the embedded one on first start).
    pub async fn open_saved(&self) {
        let opened = connection::open_saved(&self.installation, &self.keyring).await;
        self.slot.send_replace(Some(opened.map(Arc::new)));
    }

    /// The open door, waiting for the first open to finish.
    pub async fn current(&self) -> Result<Arc<Connected>, ApiError> {
        let mut receiver = self.slot.subscribe();
        let ready =
            receiver.wait_for(Option::is_some).await.map_err(|_| ApiError::internal("Accord is shutting down."))?;
        match &*ready {
            Some(Ok(current)) => Ok(Arc::clone(current)),
            Some(Err(error)) => Err(error.clone()),
            None => Err(ApiError::internal("The database is not open yet.")),
        }
    }

    pub async fn connect_server(&self, input: connection::ConnectServerInput) -> Result<ConnectionSettings, ApiError> {
        let connected = connection::connect_server(&self.installation, &self.keyring, input).await?;
        Ok(self.switch_to(connected))
    }

    pub async fn use_embedded(&self) -> Result<ConnectionSettings, ApiError> {
        let connected = connection::use_embedded(&self.installation, &self.keyring).await?;
        Ok(self.switch_to(connected))
    }

    /// Works on this laptop's offline copy of the current server.
    pub async fn work_offline(&self) -> Result<ConnectionSettings, ApiError> {
        let current = self.current().await?;
        if current.settings.mode == ConnectionMode::Offline {
            return Ok(current.settings.clone());
        }
        if self.offline.is_busy() {
            return Err(ApiError::new(
                ErrorCode::Busy,
                "The offline copy is still being prepared; wait for it to finish, or cancel it.",
            ));
        }
        let (Some(url), Some(user)) = (&current.settings.server_url, &current.settings.server_user) else {
            return Err(ApiError::new(ErrorCode::InvalidInput, "Connect to the team server first."));
        };
        let connected = connection::open_replica(&self.installation, url, user, None).await?;
        Ok(self.switch_to(connected))
    }

    /// Back to the team server, whose sign-in screen follows.
    pub async fn go_online(&self) -> Result<ConnectionSettings, ApiError> {
        let connected = connection::reopen_server(&self.installation, &self.keyring).await?;
        Ok(self.switch_to(connected))
    }

    fn switch_to(&self, connected: Connected) -> ConnectionSettings {
        let settings = connected.settings.clone();
        self.slot.send_replace(Some(Ok(Arc::new(connected))));
        settings
    }
}
