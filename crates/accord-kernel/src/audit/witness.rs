//! What this computer saw of a database's audit chain, kept outside the database (SEC-5).
//!
//! The hash chain alone catches an edit made without recomputing the hashes. A forger with
//! write access can rewrite an entry, recompute every later hash and the head, and the chain
//! verifies again. So every installation keeps, in its own app-data folder, checkpoints of
//! the chain it has seen — `(seq, hash)` after each audited action it performed and after
//! each intact verification. A rewritten or truncated chain no longer holds the hash this
//! computer saw at that `seq`, and `audit.verify` says so (ADR 0011).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// At most this many checkpoints per database: the newest half all kept, older ones thinned,
/// so a rewrite is still located between two checkpoints however long the log grows.
const MOST_CHECKPOINTS: usize = 256;

/// One entry of the chain as this computer saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct WitnessFile {
    /// Per database (its address without credentials), checkpoints by `seq`.
    databases: BTreeMap<String, Vec<Checkpoint>>,
}

/// This installation's checkpoints of one database's audit chain.
#[derive(Debug, Clone)]
pub struct AuditWitness {
    file: PathBuf,
    database: String,
}

impl AuditWitness {
    /// Checkpoints of the database at `url` (credentials are never written), kept in `file`.
    pub fn new(file: impl Into<PathBuf>, url: &str) -> Self {
        Self { file: file.into(), database: database_key(url) }
    }

    /// What this computer saw, oldest first.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>, ApiError> {
        Ok(read(&self.file)?.databases.remove(&self.database).unwrap_or_default())
    }

    /// Adds checkpoints, keeping the file small. Another process of this installation may
    /// write the file at the same moment; the last writer wins, which can only lose a
    /// checkpoint, never record one the chain did not hold.
    pub fn observe(&self, seen: &[Checkpoint]) -> Result<(), ApiError> {
        if seen.is_empty() {
            return Ok(());
        }
        let mut file = read(&self.file)?;
        let checkpoints = file.databases.entry(self.database.clone()).or_default();
        for checkpoint in seen {
            if !checkpoints.iter().any(|c| c.seq == checkpoint.seq) {
                checkpoints.push(checkpoint.clone());
            }
        }
        checkpoints.sort_by_key(|c| c.seq);
        thin(checkpoints);
        write(&self.file, &file)
    }
}

/// Drops every other checkpoint of the older half until the list fits.
fn thin(checkpoints: &mut Vec<Checkpoint>) {
    while checkpoints.len() > MOST_CHECKPOINTS {
        let older = checkpoints.len() / 2;
        let mut index = 0;
        checkpoints.retain(|_| {
            index += 1;
            index > older || index % 2 == 1
        });
    }
}

/// The database's address without user, password or options: the same for the window and
/// the CLI of this installation.
fn database_key(url: &str) -> String {
    let without_options = url.split('?').next().unwrap_or(url);
    match without_options.split_once("://") {
        Some((scheme, rest)) => {
            let host_and_path = rest.rsplit_once('@').map_or(rest, |(_, after)| after);
            format!("{scheme}://{host_and_path}")
        }
        None => without_options.to_owned(),
    }
}

fn unreadable(path: &Path, why: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("the audit checkpoints in {} cannot be used: {why}", path.display()))
}

fn read(path: &Path) -> Result<WitnessFile, ApiError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| unreadable(path, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(WitnessFile::default()),
        Err(e) => Err(unreadable(path, e)),
    }
}

/// Written whole to a temporary file and renamed over the old one, so a crash never leaves
/// half a file.
fn write(path: &Path, file: &WitnessFile) -> Result<(), ApiError> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| unreadable(path, e))?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder).map_err(|e| unreadable(path, e))?;
    serde_json::to_writer(&mut temporary, file).map_err(|e| unreadable(path, e))?;
    temporary.persist(path).map_err(|e| unreadable(path, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_database_is_one_key_whoever_connects_and_credentials_are_never_kept() {
        assert_eq!(database_key("postgres://anna:s3cret@db.example:5432/accord"), "postgres://db.example:5432/accord");
        assert_eq!(
            database_key("postgres://db.example:5432/accord?sslmode=require"),
            "postgres://db.example:5432/accord"
        );
        assert_eq!(database_key("sqlite:/home/a/accord.sqlite3?mode=rwc"), "sqlite:/home/a/accord.sqlite3");
    }

    #[test]
    fn checkpoints_are_kept_in_order_without_duplicates_and_thinned_from_the_oldest() {
        let folder = tempfile::tempdir().unwrap();
        let witness = AuditWitness::new(folder.path().join("w.json"), "sqlite:/x");
        let point = |seq: i64| Checkpoint { seq, hash: format!("h{seq}") };
        witness.observe(&[point(3), point(1)]).unwrap();
        witness.observe(&[point(3), point(2)]).unwrap();
        assert_eq!(witness.checkpoints().unwrap(), vec![point(1), point(2), point(3)]);
        let many: Vec<Checkpoint> = (10..1000).map(point).collect();
        witness.observe(&many).unwrap();
        let kept = witness.checkpoints().unwrap();
        assert!(kept.len() <= MOST_CHECKPOINTS, "{}", kept.len());
        assert_eq!(kept.last(), Some(&point(999)), "the newest is always kept");
        assert_eq!(kept.first(), Some(&point(1)), "and the oldest");
        let other = AuditWitness::new(folder.path().join("w.json"), "sqlite:/y");
        assert!(other.checkpoints().unwrap().is_empty(), "each database has its own");
    }
}
