//! Files a person saves from Accord (an export, a calendar): where the system's Save dialog
//! said, checked, under the kind's extension, and written whole or not at all.

use std::path::{Path, PathBuf};

use crate::error::{ApiError, FieldCode};

/// The kinds of file Accord saves, and so the extensions the Save dialog offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SaveFormat {
    Csv,
    Xlsx,
    /// An iCalendar file (RFC 5545).
    Ics,
}

impl SaveFormat {
    pub fn extension(self) -> &'static str {
        match self {
            SaveFormat::Csv => "csv",
            SaveFormat::Xlsx => "xlsx",
            SaveFormat::Ics => "ics",
        }
    }
}

impl From<crate::sheets::ExportFormat> for SaveFormat {
    fn from(format: crate::sheets::ExportFormat) -> Self {
        match format {
            crate::sheets::ExportFormat::Csv => SaveFormat::Csv,
            crate::sheets::ExportFormat::Xlsx => SaveFormat::Xlsx,
        }
    }
}

/// The file to save at `path` (as the Save dialog gave it): a full path in a folder that
/// exists, not a folder, ending in `format`'s extension — added when it lacks it, so no other
/// kind of file (`.bashrc`) is ever written over.
pub fn save_path(path: &str, format: SaveFormat) -> Result<PathBuf, ApiError> {
    save_path_with(path, Some(format.extension()))
}

/// [`save_path`] for a file of any kind (an attachment saved under its own name): the
/// extension it must end in, when it has one.
pub fn save_path_with(path: &str, extension: Option<&str>) -> Result<PathBuf, ApiError> {
    let refuse = |message: String| Err(ApiError::field("path", FieldCode::InvalidValue, message));
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return Err(ApiError::field("path", FieldCode::Required, "Choose where to save the file."));
    }
    let mut path = PathBuf::from(trimmed);
    if !path.is_absolute() {
        return refuse(format!("\"{trimmed}\" is not a full path. Choose the file with the Save dialog."));
    }
    if let Some(extension) = extension
        && !path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension))
    {
        let mut with = path.into_os_string();
        with.push(format!(".{extension}"));
        path = PathBuf::from(with);
    }
    match path.parent() {
        Some(folder) if folder.is_dir() => {}
        Some(folder) => return refuse(format!("The folder {} does not exist. Choose another.", folder.display())),
        None => return refuse("Choose a file, not a drive.".to_owned()),
    }
    if path.is_dir() {
        return refuse(format!("{} is a folder. Choose a file name.", path.display()));
    }
    Ok(path)
}

/// A file a person chose to read (an attachment), read whole.
pub struct ChosenBytes {
    /// Its name, without its folder.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for ChosenBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChosenBytes").field("file_name", &self.file_name).field("len", &self.bytes.len()).finish()
    }
}

/// Reads the file at `path` (as the Open dialog gave it) when it is there, is a file and holds
/// at most `max_bytes`; otherwise says what to do, under `path`. The size is checked before
/// reading, and again by what was read (a file still growing).
pub fn read_chosen(path: &str, max_bytes: u64) -> Result<ChosenBytes, ApiError> {
    use std::io::Read;
    let refuse = |message: String| Err(ApiError::field("path", FieldCode::InvalidValue, message));
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return Err(ApiError::field("path", FieldCode::Required, "Choose a file."));
    }
    let path = PathBuf::from(trimmed);
    if !path.is_absolute() {
        return refuse(format!("\"{trimmed}\" is not a full path. Choose the file with the Open dialog."));
    }
    let file_name = file_name_of(&path);
    let too_large = |size: u64| {
        ApiError::field(
            "path",
            FieldCode::TooLong,
            format!(
                "The file {file_name} is {} and the largest file Accord keeps is {}. Attach a smaller file (compress it or split it).",
                human_size(size),
                human_size(max_bytes)
            ),
        )
    };
    let metadata = match std::fs::metadata(&path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(gone(&file_name, &path)),
        Err(error) => return refuse(format!("The file {file_name} cannot be read ({error}).")),
    };
    if metadata.is_dir() {
        return refuse(format!("{} is a folder. Choose a file.", path.display()));
    }
    if metadata.len() > max_bytes {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    let read = std::fs::File::open(&path).and_then(|file| file.take(max_bytes + 1).read_to_end(&mut bytes));
    match read {
        Ok(_) if bytes.len() as u64 > max_bytes => Err(too_large(bytes.len() as u64)),
        Ok(_) => Ok(ChosenBytes { file_name, bytes }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(gone(&file_name, &path)),
        Err(error) => refuse(format!("The file {file_name} cannot be read ({error}).")),
    }
}

fn gone(file_name: &str, path: &Path) -> ApiError {
    ApiError::field(
        "path",
        FieldCode::FileNotFound,
        format!(
            "The file {file_name} is no longer at {} (moved, renamed or deleted). Choose it again.",
            path.display()
        ),
    )
}

/// A size as people read it: bytes, KB or MB (1024-based, one decimal).
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

/// The name a file is written under beside `path` until it is whole.
pub fn partial_path(path: &Path) -> PathBuf {
    let file_name = file_name_of(path);
    path.with_file_name(format!(".{file_name}.part"))
}

/// Writes `bytes` to `path` whole: under its partial name first, then renamed over whatever
/// was there, so a failure never leaves half a file where a whole one is expected.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    let partial = partial_path(path);
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    written.map_err(|error| {
        let _ = std::fs::remove_file(&partial);
        not_writable(path, &error)
    })
}

/// The file's name, for messages and the audit trail (never its folder).
pub fn file_name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

pub fn not_writable(path: &Path, error: &std::io::Error) -> ApiError {
    ApiError::field(
        "path",
        FieldCode::InvalidValue,
        format!("The file {} cannot be written ({error}). Choose another folder or name.", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_file_gains_its_extension_and_must_be_a_full_path_in_a_folder_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name).display().to_string();
        assert_eq!(save_path(&at("list"), SaveFormat::Xlsx).unwrap(), dir.path().join("list.xlsx"));
        assert_eq!(save_path(&at("list.CSV"), SaveFormat::Csv).unwrap(), dir.path().join("list.CSV"));
        assert_eq!(save_path(&at(".bashrc"), SaveFormat::Csv).unwrap(), dir.path().join(".bashrc.csv"));
        assert_eq!(save_path(&at("Календарь"), SaveFormat::Ics).unwrap(), dir.path().join("Календарь.ics"));
        for bad in ["", "  ", "list.csv", &at("missing/list.csv")] {
            let error = save_path(bad, SaveFormat::Csv).unwrap_err();
            assert!(error.fields.contains_key("path"), "{bad:?}: {error:?}");
        }
        std::fs::create_dir(dir.path().join("folder.csv")).unwrap();
        let error = save_path(&at("folder.csv"), SaveFormat::Csv).unwrap_err();
        assert!(error.fields["path"].message.contains("is a folder"), "{error:?}");
    }

    #[test]
    fn a_chosen_file_is_read_when_it_is_there_and_small_enough() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Протокол встречи.pdf");
        std::fs::write(&path, b"%PDF-1.7 minutes").unwrap();
        let chosen = read_chosen(&path.display().to_string(), 100).unwrap();
        assert_eq!(
            (chosen.file_name.as_str(), chosen.bytes.as_slice()),
            ("Протокол встречи.pdf", &b"%PDF-1.7 minutes"[..])
        );

        let error = read_chosen(&path.display().to_string(), 10).unwrap_err();
        assert!(error.fields["path"].message.contains("largest file Accord keeps is 10 bytes"), "{error:?}");
        assert_eq!(error.fields["path"].code, FieldCode::TooLong);

        std::fs::remove_file(&path).unwrap();
        let error = read_chosen(&path.display().to_string(), 100).unwrap_err();
        assert!(error.fields["path"].message.contains("is no longer at"), "{error:?}");
        assert_eq!(error.fields["path"].code, FieldCode::FileNotFound);
        for bad in ["", "relative.pdf", &dir.path().display().to_string()] {
            assert!(read_chosen(bad, 100).unwrap_err().fields.contains_key("path"), "{bad:?}");
        }
    }

    #[test]
    fn an_attachment_is_saved_under_its_own_extension() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name).display().to_string();
        assert_eq!(save_path_with(&at("scan"), Some("pdf")).unwrap(), dir.path().join("scan.pdf"));
        assert_eq!(save_path_with(&at("README"), None).unwrap(), dir.path().join("README"));
        assert_eq!(human_size(3 * 1024 * 1024 + 512 * 1024), "3.5 MB");
    }

    #[test]
    fn a_file_is_written_whole_or_the_one_there_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calendar.ics");
        std::fs::write(&path, b"before").unwrap();
        write_whole(&path, b"after").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"after");
        assert!(!partial_path(&path).exists());

        let missing = dir.path().join("gone").join("calendar.ics");
        let error = write_whole(&missing, b"x").unwrap_err();
        assert!(error.fields["path"].message.contains("cannot be written"), "{error:?}");
    }
}
