//! The database the window works on. It opens in the background while the window loads; the
//! `api` command waits for it, and the settings screen can swap it for another.

use std::sync::Arc;

use accord_core::ApiError;
use accord_core::installation::Installation;
use accord_core::settings::connection::{self, Connected, ConnectionSettings, SecretStore};
use tokio::sync::watch;

use crate::secrets::OsKeyring;

/// `None` while the first open runs; then the door and what Settings says about it, or why
/// it could not open.
type Slot = Option<Result<Arc<Connected>, ApiError>>;

pub struct Connection {
    installation: Installation,
    keyring: Arc<dyn SecretStore>,
    slot: watch::Sender<Slot>,
}

impl Connection {
    pub fn new(installation: Installation) -> Self {
        Self { installation, keyring: Arc::new(OsKeyring), slot: watch::Sender::new(None) }
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

    fn switch_to(&self, connected: Connected) -> ConnectionSettings {
        let settings = connected.settings.clone();
        self.slot.send_replace(Some(Ok(Arc::new(connected))));
        settings
    }
}
