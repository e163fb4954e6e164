//! The system's open- and save-file dialogs (`rfd`, GTK on Linux, the common dialogs on
//! Windows, the panels on macOS), over the window: the UI learns a path only when the person
//! chose it.

use accord_core::ApiError;
use accord_core::settings::files::{ChooseFileInput, ChooseSaveFileInput, ChosenFile};
use tauri::Manager;

/// Set by the end-to-end tests only, which cannot click in a system dialog: the file the
/// dialog would have returned. The rest of the way — the path to the core, the file read from
/// disk — is the one a person's choice takes.
const TEST_CHOICE: &str = "ACCORD_TEST_CHOSEN_FILE";
/// Likewise for the save dialog: the folder the offered name is saved in.
const TEST_SAVE_FOLDER: &str = "ACCORD_TEST_SAVE_FOLDER";

pub async fn choose(app: &tauri::AppHandle, input: ChooseFileInput) -> Result<ChosenFile, ApiError> {
    if let Some(path) = std::env::var_os(TEST_CHOICE).map(std::path::PathBuf::from) {
        return Ok(chosen(Some(path)));
    }
    let mut dialog = rfd::AsyncFileDialog::new();
    if let Some((name, extensions)) = input.purpose.filter() {
        dialog = dialog.add_filter(name, extensions);
    }
    if let Some(window) = app.get_webview_window(crate::tray::MAIN_WINDOW) {
        dialog = dialog.set_parent(&window);
    }
    Ok(chosen(dialog.pick_file().await.map(|file| file.path().to_path_buf())))
}

pub async fn choose_save(app: &tauri::AppHandle, input: ChooseSaveFileInput) -> Result<ChosenFile, ApiError> {
    let offered = input.file_name();
    if let Some(folder) = std::env::var_os(TEST_SAVE_FOLDER).map(std::path::PathBuf::from) {
        return Ok(chosen(Some(folder.join(offered))));
    }
    let mut dialog = rfd::AsyncFileDialog::new().set_file_name(offered);
    if let Some(extension) = input.format.map(|format| format.extension()) {
        dialog = dialog.add_filter(extension.to_uppercase(), &[extension]);
    }
    if let Some(window) = app.get_webview_window(crate::tray::MAIN_WINDOW) {
        dialog = dialog.set_parent(&window);
    }
    Ok(chosen(dialog.save_file().await.map(|file| file.path().to_path_buf())))
}

fn chosen(path: Option<std::path::PathBuf>) -> ChosenFile {
    ChosenFile {
        name: path.as_ref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()),
        path: path.map(|p| p.display().to_string()),
    }
}
