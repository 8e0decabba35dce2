//! Logging: JSON lines in production, readable lines in development, and optionally JSON files
//! in `ADRONX_LOG_DIR` rotated daily and deleted after 30 days. `RUST_LOG` filters.
//! What is logged is chosen at each call site: ids, kinds, counts and paths — never message text,
//! passwords, tokens or e-mail bodies. Field values are escaped by the formatter (control
//! characters cannot forge log lines).

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, fmt};

/// Installs the global subscriber (once per process: tests start many apps). Keep the returned
/// guard alive so buffered file logs are flushed.
pub fn init(json: bool, log_dir: Option<&Path>) -> Option<WorkerGuard> {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let stdout = if json { fmt::layer().json().flatten_event(true).boxed() } else { fmt::layer().boxed() };
    let (file, guard) = match log_dir.map(daily_files) {
        Some(Ok(appender)) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            (Some(fmt::layer().json().flatten_event(true).with_writer(writer).with_filter(filter())), Some(guard))
        }
        Some(Err(e)) => {
            eprintln!("file logging disabled: {e}");
            (None, None)
        }
        None => (None, None),
    };
    let _ = tracing_subscriber::registry().with(stdout.with_filter(filter())).with(file).try_init();
    guard
}

fn daily_files(dir: &Path) -> Result<RollingFileAppender, tracing_appender::rolling::InitError> {
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("adronx")
        .filename_suffix("log")
        .max_log_files(30)
        .build(dir)
}
