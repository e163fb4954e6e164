//! The tray icon: show, hide and quit. With the window hidden the app keeps running, so
//! scheduled-contact reminders still fire.

use accord_core::settings::language::Language;
use tauri::menu::{Menu, MenuBuilder, MenuEvent};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};

const TRAY_ID: &str = "accord";
pub const MAIN_WINDOW: &str = "main";

/// The menu's labels in one language: show, hide, quit.
fn labels(language: Language) -> [&'static str; 3] {
    match language {
        Language::En => ["Show Accord", "Hide", "Quit"],
        Language::Ru => ["Показать Accord", "Скрыть", "Выйти"],
        Language::Fa => ["نمایش آکورد", "پنهان کردن", "خروج"],
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, language: Language) -> tauri::Result<Menu<R>> {
    let [show, hide, quit] = labels(language);
    MenuBuilder::new(app).text("show", show).text("hide", hide).separator().text("quit", quit).build()
}

/// Relabels the tray menu in the window's language.
pub fn set_language<R: Runtime>(app: &AppHandle<R>, language: Language) -> tauri::Result<()> {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        tray.set_menu(Some(menu(app, language)?))?;
    }
    Ok(())
}

pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let menu = menu(app, Language::default())?;
    let mut tray = TrayIconBuilder::with_id(TRAY_ID).tooltip("Accord").menu(&menu).on_menu_event(on_menu);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.on_tray_icon_event(on_icon).build(app)?;
    Ok(())
}

/// Whether the tray exists; without it, closing the window must quit (nothing to come back through).
pub fn is_present<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.tray_by_id(TRAY_ID).is_some()
}

pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        "show" => show_main_window(app),
        "hide" => {
            if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
                let _ = window.hide();
            }
        }
        "quit" => app.exit(0),
        _ => {}
    }
}

fn on_icon<R: Runtime>(tray: &TrayIcon<R>, event: TrayIconEvent) {
    if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
        show_main_window(tray.app_handle());
    }
}
