//! The reminder scheduler (COMM-3): a task that lives as long as the app, also with the
//! window hidden in the tray. It sleeps until the signed-in person's next reminder (at most a
//! minute, so what a script or another device planned meanwhile is noticed), or until the
//! window changes something it may have moved; then it shows what is due as native
//! notifications (notify-rust). The logic is the core's (`accord_core::reminders`); here are
//! only the OS's notifications and the wake-ups.

use std::sync::{Arc, Mutex};

use accord_core::reminders::{self, Notification, Notifier, Opens};
use accord_core::settings::language::Language;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::Notify;

use crate::connection::Connection;

/// Wakes the scheduler and tells it the window's language.
#[derive(Default)]
pub struct Reminders {
    wake: Arc<Notify>,
    language: Mutex<Language>,
    /// When this window last ran the date rules.
    dates_run: Mutex<Option<std::time::Instant>>,
}

impl Reminders {
    /// Something that may move a reminder changed (a schedule, a sign-in, a sync): look again.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn set_language(&self, language: Language) {
        *self.language.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = language;
    }

    fn language(&self) -> Language {
        *self.language.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Whether an operation can change someone's reminders or notices (or who is signed in): any
/// that writes may fire a workflow rule that notifies someone, so only the reads of the
/// scheduler's own kinds are left out.
pub fn may_move_reminders(op: &str) -> bool {
    !(op.starts_with("search.") || op.starts_with("history.") || op.ends_with(".list") || op.ends_with(".get"))
}

/// Starts the scheduler on the app's async runtime.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let notifier = OsNotifier { app: app.clone() };
        loop {
            let next_at = look(&app, &notifier).await;
            let sleep = reminders::sleep_for(next_at, chrono::Utc::now());
            let wake = Arc::clone(&app.state::<Reminders>().wake);
            tokio::select! {
                () = tokio::time::sleep(sleep) => {}
                () = wake.notified() => {}
            }
        }
    });
}

/// One pass for whoever is signed in; nobody signed in, or a database not open: nothing.
async fn look(app: &AppHandle, notifier: &OsNotifier) -> Option<chrono::DateTime<chrono::Utc>> {
    let connected = app.state::<Connection>().current().await.ok()?;
    let actor = connected.session.actor(&connected.door).await.ok()?;
    let state = app.state::<Reminders>();
    let language = state.language();
    let dates_due = {
        let mut last = state.dates_run.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let due = last.is_none_or(|at| at.elapsed() >= reminders::DATE_RULES_EVERY);
        if due {
            *last = Some(std::time::Instant::now());
        }
        due
    };
    if dates_due && let Err(error) = reminders::run_date_rules(&connected.door, &actor).await {
        tracing::warn!(code = ?error.code, "the date rules could not run");
    }
    match reminders::pass(&connected.door, &actor, language, notifier).await {
        Ok(pass) => pass.next_at,
        Err(error) => {
            tracing::warn!(code = ?error.code, "the reminder scheduler could not look for reminders");
            None
        }
    }
}

/// The operating system's notifications.
struct OsNotifier {
    app: AppHandle,
}

impl Notifier for OsNotifier {
    fn show(&self, notification: &Notification) -> Result<(), String> {
        let mut os = notify_rust::Notification::new();
        os.appname("Accord").summary(&notification.title).body(&notification.body);
        show_and_follow(os, &self.app, notification.opens.clone())
    }
}

/// How long a notification's click is listened for. Each listener holds a D-Bus connection
/// (and its thread) until the notification closes, and some notification services never close
/// one; bounded, a day of reminders keeps only the last few listening and the shell's memory
/// stays flat. `ACCORD_REMINDER_CLICK_SECONDS` shortens it for the reminders benchmark.
#[cfg(all(unix, not(target_os = "macos")))]
fn click_window() -> std::time::Duration {
    let seconds = std::env::var("ACCORD_REMINDER_CLICK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(15 * 60);
    std::time::Duration::from_secs(seconds)
}

/// On the freedesktop notification service (Linux, BSD) a click is an action: it brings the
/// window back from the tray and tells it to open the scheduled contact.
#[cfg(all(unix, not(target_os = "macos")))]
fn show_and_follow(mut os: notify_rust::Notification, app: &AppHandle, opens: Opens) -> Result<(), String> {
    os.action("default", "Open");
    let handle = os.show().map_err(|e| e.to_string())?;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let clicked = |response: &notify_rust::NotificationResponse| {
            if matches!(response, notify_rust::NotificationResponse::Default) {
                open(&app, &opens);
            }
        };
        // Past the window the listener, and with it the connection, is dropped.
        let _ = tokio::time::timeout(click_window(), handle.wait_for_action_async(clicked)).await;
    });
    Ok(())
}

/// The event the window listens for to open a scheduled contact (a notification was clicked).
pub const OPEN_SCHEDULED_EVENT: &str = "accord://open-scheduled";
/// The event the window listens for to open a record a rule's notice is about.
pub const OPEN_RECORD_EVENT: &str = "accord://open-record";

/// Brings the window back and has it open what the notification is about.
#[cfg(all(unix, not(target_os = "macos")))]
fn open(app: &AppHandle, opens: &Opens) {
    crate::tray::show_main_window(app);
    let (event, payload) = match opens {
        Opens::Scheduled(id) => (OPEN_SCHEDULED_EVENT, serde_json::json!({ "id": id })),
        Opens::Record { table, id } => (OPEN_RECORD_EVENT, serde_json::json!({ "table": table, "id": id })),
        Opens::Window => return,
    };
    if let Err(error) = app.emit_to(crate::tray::MAIN_WINDOW, event, payload) {
        tracing::warn!(%error, "the window was not told what to open");
    }
}

/// Windows' and macOS's notification centres show it; the app is brought back by its icon.
#[cfg(not(all(unix, not(target_os = "macos"))))]
fn show_and_follow(os: notify_rust::Notification, _app: &AppHandle, _opens: Opens) -> Result<(), String> {
    os.show().map(|_| ()).map_err(|e| e.to_string())
}
