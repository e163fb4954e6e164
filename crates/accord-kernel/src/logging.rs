//! Logs a support person can diagnose from: structured events (`tracing`) to stderr for the
//! CLI and to a daily-rotated file in the app-data folder for the desktop app. What goes in
//! is the operation's name, its outcome and timing, and a database error's detail under an
//! incident id the user is shown; never an operation's input, a password, a URL with
//! credentials or a secret (those are never handed to the logger in the first place).

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

/// The variable that sets what is logged (`ACCORD_LOG=debug`, `ACCORD_LOG=accord_core=trace`).
pub const FILTER_VARIABLE: &str = "ACCORD_LOG";
/// Days of log files kept in the app-data folder.
const KEPT_FILES: usize = 14;

fn filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env(FILTER_VARIABLE).unwrap_or_else(|_| EnvFilter::new(default))
}

/// The CLI's log: warnings and errors on stderr unless `ACCORD_LOG` asks for more.
pub fn to_stderr() {
    let _ = tracing_subscriber::fmt().with_env_filter(filter("warn")).with_writer(std::io::stderr).try_init();
}

/// The desktop app's log: `logs/accord.log.YYYY-MM-DD` in `data_dir`, the last 14 days kept.
/// Keep the guard for the life of the app: dropping it flushes and stops the writer.
pub fn to_folder(data_dir: &Path) -> Option<WorkerGuard> {
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("accord.log")
        .max_log_files(KEPT_FILES)
        .build(data_dir.join("logs"))
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let installed =
        tracing_subscriber::fmt().with_env_filter(filter("info")).with_ansi(false).with_writer(writer).try_init();
    installed.ok().map(|()| guard)
}

/// A short id for one incident: in the log with the detail, and in the message the user sees,
/// so support can find one from the other.
pub fn incident_id() -> String {
    let id = uuid::Uuid::now_v7().simple().to_string();
    id[id.len() - 8..].to_owned()
}
