//! The language the window shows, told to the desktop shell so that what it draws itself (the
//! tray menu) speaks the same language.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::security::Permission;
use accord_kernel::host::HostOperation;

/// A language Accord speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    En,
    Ru,
    Fa,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SetLanguageInput {
    pub language: Language,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct LanguageSet {
    pub language: Language,
}

/// Host operation: the shell relabels its tray menu.
pub struct SetLanguage;

impl HostOperation for SetLanguage {
    const NAME: &'static str = "settings.set_language";
    // The sign-in screen has a language too: anyone at the window may set it.
    const PERMISSION: Permission = accord_kernel::security::platform::SESSION;
    const SUMMARY: &'static str = "Tell the desktop shell the window's language (tray menu).";
    type Input = SetLanguageInput;
    type Output = LanguageSet;
}
