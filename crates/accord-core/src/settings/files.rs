//! Files the window asks the person to choose, with the operating system's own dialog (the
//! desktop shell shows it): the window never sees a path it was not given this way.

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
}

impl FilePurpose {
    /// The extensions the dialog offers.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FilePurpose::Import => &["csv", "tsv", "txt", "xlsx"],
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
    const SUMMARY: &'static str = "Let the person choose a file with the system's dialog (a table to import).";
    type Input = ChooseFileInput;
    type Output = ChosenFile;
}
