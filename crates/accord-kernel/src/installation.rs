//! Where this installation keeps its files: the embedded database, the device id and the
//! connection profile. One place, so the desktop app and the `accord` CLI always agree.

use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};

/// Where the audit checkpoints live, beside the embedded database but outside it.
const AUDIT_CHECKPOINTS_FILE: &str = "audit-checkpoints.json";
const DATABASE_FILE: &str = "accord.sqlite3";
const DEVICE_ID_FILE: &str = "device-id";
const CONNECTION_FILE: &str = "connection.json";
const REPLICAS_FOLDER: &str = "offline";

/// The folders of one installation.
#[derive(Debug, Clone)]
pub struct Installation {
    data_dir: PathBuf,
    config_dir: PathBuf,
}

impl Installation {
    /// The OS folders: `~/.local/share/accord` and `~/.config/accord` on Linux,
    /// `%APPDATA%\Accord\Accord` on Windows, `~/Library/Application Support/org.Accord.Accord` on macOS.
    pub fn from_os() -> Result<Self, ApiError> {
        let dirs = directories::ProjectDirs::from("org", "Accord", "Accord").ok_or_else(|| {
            ApiError::new(ErrorCode::DatabaseUnavailable, "Cannot find this user's app-data folder (no home folder).")
        })?;
        Ok(Self::at(dirs.data_dir(), dirs.config_dir()))
    }

    pub fn at(data_dir: &Path, config_dir: &Path) -> Self {
        Self { data_dir: data_dir.to_owned(), config_dir: config_dir.to_owned() }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn embedded_database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }

    /// The embedded database's address for [`crate::data::open`]; the file is created on first open.
    pub fn embedded_database_url(&self) -> String {
        format!("sqlite:{}", self.embedded_database_path().display())
    }

    /// This installation's checkpoints of the audit chain of the database at `url`.
    pub fn audit_witness(&self, url: &str) -> crate::audit::AuditWitness {
        crate::audit::AuditWitness::new(self.data_dir.join(AUDIT_CHECKPOINTS_FILE), url)
    }

    /// Where this laptop keeps its offline replica of `server_url` for `user` (ADR 0014): one
    /// file per server and user, named so a person can tell them apart.
    pub fn replica_database_path(&self, server_url: &str, user: &str) -> PathBuf {
        let address = server_url.split_once("://").map_or(server_url, |(_, rest)| rest);
        let name: String = format!("{user}@{address}")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '-' | '_') { c } else { '_' })
            .collect();
        self.data_dir.join(REPLICAS_FOLDER).join(format!("{name}.sqlite3"))
    }

    pub fn connection_file(&self) -> PathBuf {
        self.config_dir.join(CONNECTION_FILE)
    }

    /// This installation's device id, made once and kept in the app-data folder. It signs
    /// every change-log entry, so sync can tell devices apart. Several processes starting
    /// together on a new installation agree on one id: each writes its candidate to a private
    /// file and links it into place, which only the first can do; the others read the winner.
    pub fn device_id(&self) -> Uuid {
        let path = self.data_dir.join(DEVICE_ID_FILE);
        if let Some(id) = read_device_id(&path) {
            return id;
        }
        let candidate = Uuid::now_v7();
        match self.publish_device_id(&path, candidate) {
            Ok(()) => read_device_id(&path).unwrap_or(candidate),
            // A device that cannot keep its id still works; it just looks like a new device next time.
            Err(_) => candidate,
        }
    }

    fn publish_device_id(&self, path: &Path, candidate: Uuid) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.data_dir)?;
        let private = self.data_dir.join(format!("{DEVICE_ID_FILE}.{}.tmp", candidate.simple()));
        std::fs::write(&private, candidate.to_string())?;
        // A hard link never replaces an existing file, so the first process's id stays.
        let linked = match std::fs::hard_link(&private, path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            other => other,
        };
        let _ = std::fs::remove_file(&private);
        linked
    }
}

fn read_device_id(path: &Path) -> Option<Uuid> {
    std::fs::read_to_string(path).ok().and_then(|s| Uuid::parse_str(s.trim()).ok())
}

/// The OS account and machine name of this process, recorded at each sign-in (SEC-3).
/// Unknown parts are said to be unknown rather than failing the sign-in.
pub fn os_identity() -> (String, String) {
    let account = whoami::fallible::username().unwrap_or_else(|_| "unknown account".into());
    let machine = whoami::fallible::hostname().unwrap_or_else(|_| "unknown machine".into());
    (account, machine)
}
