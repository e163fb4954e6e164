//! Files the window asks the person to choose, with the operating system's own dialogs (the
//! desktop shell shows them): a file to read, or where to save one. The window never sees a
//! path it was not given this way.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::security::Permission;
use accord_kernel::host::HostOperation;

/// What the file is chosen for, which decides the kinds of file offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// A table to import: CSV, TSV, TXT or XLSX.
    Import,
    /// A file to attach to a record: any kind.
    Attachment,
}

impl FilePurpose {
    /// The filter the dialog offers (its name and extensions); none offers every file.
    pub fn filter(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            FilePurpose::Import => Some(("CSV, XLSX", &["csv", "tsv", "txt", "xlsx"])),
            FilePurpose::Attachment => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ChooseFileInput {
    pub purpose: FilePurpose,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ChosenFile {
    /// The file's path; none when the person closed the dialog.
    pub path: Option<String>,
    pub name: Option<String>,
}

/// Host operation: the shell shows the system's open-file dialog.
pub struct ChooseFile;

impl HostOperation for ChooseFile {
    const NAME: &'static str = "settings.choose_file";
    const PERMISSION: Permission = accord_kernel::security::platform::SESSION;
    const SUMMARY: &'static str =
        "Let the person choose a file with the system's dialog (a table to import, a file to attach).";
    type Input = ChooseFileInput;
    type Output = ChosenFile;
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ChooseSaveFileInput {
    /// The name the dialog offers: without extension when a format is given (a segment's
    /// name, a calendar's), else whole (an attachment's own name).
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub format: Option<accord_kernel::files::SaveFormat>,
}

impl ChooseSaveFileInput {
    /// The name offered: no path separators or characters Windows refuses, the format's
    /// extension added when there is one.
    pub fn file_name(&self) -> String {
        let cleaned: String = self
            .name
            .chars()
            .map(|c| if "\\/:*?\"<>|".contains(c) || c.is_control() { '_' } else { c })
            .take(100)
            .collect();
        let stem = if cleaned.trim().is_empty() { "export" } else { cleaned.trim() };
        match self.format {
            Some(format) => format!("{stem}.{}", format.extension()),
            None => stem.to_owned(),
        }
    }
}

/// Host operation: the shell shows the system's save-file dialog.
pub struct ChooseSaveFile;

impl HostOperation for ChooseSaveFile {
    const NAME: &'static str = "settings.choose_save_file";
    const PERMISSION: Permission = accord_kernel::security::platform::SESSION;
    const SUMMARY: &'static str =
        "Let the person choose where to save a file with the system's dialog (an export, a calendar).";
    type Input = ChooseSaveFileInput;
    type Output = ChosenFile;
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_kernel::files::SaveFormat;

    #[test]
    fn the_offered_name_is_one_every_system_accepts() {
        let offered =
            |name: &str| ChooseSaveFileInput { name: name.into(), format: Some(SaveFormat::Xlsx) }.file_name();
        assert_eq!(offered("Клиенты: Москва/СПб"), "Клиенты_ Москва_СПб.xlsx");
        assert_eq!(offered("مشتریان‌ تهران"), "مشتریان‌ تهران.xlsx");
        assert_eq!(offered("  "), "export.xlsx");
        let attachment = ChooseSaveFileInput { name: "Акт/сверки.pdf".into(), format: None };
        assert_eq!(attachment.file_name(), "Акт_сверки.pdf");
    }
}
