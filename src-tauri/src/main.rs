//! The Accord desktop shell. Thin by design (docs/architecture.md): it opens the window and
//! the tray, keeps one [`Connection`] to the database, and registers one IPC command, `api`,
//! which hands `{op, input}` to the core's door. Everything the product does is in the core.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod connection;
mod files;
mod reminders;
mod secrets;
mod tray;

use accord_core::host;
use accord_core::installation::Installation;
use accord_core::settings::connection::{ConnectServer, GetConnection, UseEmbedded};
use accord_core::settings::files::{ChooseFile, ChooseSaveFile};
use accord_core::settings::language::{LanguageSet, SetLanguage};
use accord_core::settings::offline::{CancelOffline, GetOfflineStatus, GoOnline, PrepareOffline, WorkOffline};
use accord_core::settings::session::{GetSession, SetUpFirstAdministrator, SignIn, SignOut};
use accord_core::{Actor, ApiError};
use connection::Connection;
use host::HostOperation as _;
use std::sync::Arc;
use tauri::{Manager, WindowEvent};

/// The one door from the UI: runs operation `op` with `input`, returning its output or its
/// `ApiError` (`{code, message, fields}`).
#[tauri::command]
async fn api(
    app: tauri::AppHandle,
    connection: tauri::State<'_, Connection>,
    op: String,
    input: serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    let connected = connection.current().await?;
    let session = &connected.session;
    // Signing in needs nobody signed in; everything else acts as the session's user.
    let anyone = Actor::anonymous();
    // After a change that may move a reminder, the scheduler looks again.
    let scheduler = app.clone();
    let result = match op.as_str() {
        GetSession::NAME => host::serve::<GetSession, _, _>(&anyone, input, |_| session.status(&connected.door)).await,
        SignIn::NAME => host::serve::<SignIn, _, _>(&anyone, input, |i| session.sign_in(&connected.door, i)).await,
        SignOut::NAME => host::serve::<SignOut, _, _>(&anyone, input, |_| session.sign_out(&connected.door)).await,
        SetUpFirstAdministrator::NAME => {
            host::serve::<SetUpFirstAdministrator, _, _>(&anyone, input, |i| {
                session.create_first_administrator(&connected.door, i)
            })
            .await
        }
        GetConnection::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<GetConnection, _, _>(&actor, input, |_| async { Ok(connected.settings.clone()) }).await
        }
        ConnectServer::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<ConnectServer, _, _>(&actor, input, |input| connection.connect_server(input)).await
        }
        UseEmbedded::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<UseEmbedded, _, _>(&actor, input, |_| connection.use_embedded()).await
        }
        GetOfflineStatus::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<GetOfflineStatus, _, _>(&actor, input, |_| connection.offline.status(&connected)).await
        }
        PrepareOffline::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<PrepareOffline, _, _>(&actor, input, |_| async {
                connection.offline.prepare(Arc::clone(&connected), actor.clone())?;
                connection.offline.status(&connected).await
            })
            .await
        }
        CancelOffline::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<CancelOffline, _, _>(&actor, input, |_| async {
                connection.offline.cancel();
                connection.offline.status(&connected).await
            })
            .await
        }
        WorkOffline::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<WorkOffline, _, _>(&actor, input, |_| connection.work_offline()).await
        }
        GoOnline::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<GoOnline, _, _>(&actor, input, |_| connection.go_online()).await
        }
        SetLanguage::NAME => {
            host::serve::<SetLanguage, _, _>(&anyone, input, |input| async move {
                app.state::<reminders::Reminders>().set_language(input.language);
                tray::set_language(&app, input.language)
                    .map_err(|e| ApiError::internal(format!("The tray menu could not be relabelled: {e}")))?;
                Ok(LanguageSet { language: input.language })
            })
            .await
        }
        ChooseFile::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<ChooseFile, _, _>(&actor, input, |input| files::choose(&app, input)).await
        }
        ChooseSaveFile::NAME => {
            let actor = session.actor(&connected.door).await?;
            host::serve::<ChooseSaveFile, _, _>(&actor, input, |input| files::choose_save(&app, input)).await
        }
        _ => session.dispatch(&connected.door, &op, input).await,
    };
    if result.is_ok() && reminders::may_move_reminders(&op) {
        scheduler.state::<reminders::Reminders>().wake();
    }
    result
}

/// WebKitGTK's JavaScript engine sizes its heap from the machine's RAM, so on a workstation
/// with many gigabytes it lets the garbage of a long session (a list scrolled end to end:
/// +270 MB) pile up before collecting it. Told the machine has 256 MiB, it collects in time
/// and the web process stays within about 100 MB of where it started, with no measurable cost
/// to typing or scrolling (docs/performance.md). Linux only: WebView2 and WKWebView size their
/// engines themselves. A value already in the environment wins.
fn size_javascript_heap() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("JSC_forceRAMSize").is_none() {
        // SAFETY: the first statement of main, before any thread exists that could read the
        // environment concurrently; the web process inherits it when the webview starts.
        unsafe { std::env::set_var("JSC_forceRAMSize", (256u64 << 20).to_string()) };
    }
}

fn main() {
    size_javascript_heap();
    let installation = match Installation::from_os() {
        Ok(installation) => installation,
        Err(error) => {
            eprintln!("Accord cannot start: {}", error.message);
            std::process::exit(1);
        }
    };

    // Kept until the app ends: dropping it flushes the log.
    let _log = accord_core::logging::to_folder(installation.data_dir());
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Accord starts");
    // The window reads a page at a time; a smaller page cache keeps its memory flat over hours.
    accord_core::data::set_sqlite_page_cache_mib(16);

    let app = tauri::Builder::default()
        // First, so a second start hands over to the running app before anything else opens.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| tray::show_main_window(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .manage(Connection::new(installation))
        .manage(reminders::Reminders::default())
        .invoke_handler(tauri::generate_handler![api])
        .setup(|app| {
            let handle = app.handle().clone();
            // The database opens while the webview loads; `api` calls wait for it.
            tauri::async_runtime::spawn(async move { handle.state::<Connection>().open_saved().await });
            tray::install(app.handle())?;
            reminders::start(app.handle());
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing hides to the tray: reminders keep running. Quit is in the tray menu.
            if let WindowEvent::CloseRequested { api, .. } = event
                && tray::is_present(window.app_handle())
            {
                api.prevent_close();
                let _ = window.hide();
            }
        })
        .build(tauri::generate_context!("../tauri.conf.json"));

    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(error) => {
            eprintln!("Accord cannot start its window: {error}");
            std::process::exit(1);
        }
    }
}
