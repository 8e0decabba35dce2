//! The embedded store: SQLite (bundled, no setup) through sqlx, in WAL mode so readers never wait
//! for the writer, with versioned migrations from `server/migrations/`.

use super::{HealthStore, StoreError, StoreResult};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub struct SqliteStore {
    pub(super) pool: SqlitePool,
}

impl SqliteStore {
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        Self::connect(SqliteConnectOptions::new().filename(path).create_if_missing(true), None).await
    }

    /// Like `open`, counting every trip to the database (each pool checkout: one statement, or one
    /// transaction) in `trips` — tests assert how many round trips a call costs.
    pub async fn open_counting(path: &Path, trips: Arc<AtomicU64>) -> anyhow::Result<Self> {
        Self::connect(SqliteConnectOptions::new().filename(path).create_if_missing(true), Some(trips)).await
    }

    pub async fn open_url(url: &str) -> anyhow::Result<Self> {
        Self::connect(SqliteConnectOptions::from_str(url).context("parsing sqlite URL")?.create_if_missing(true), None)
            .await
    }

    async fn connect(options: SqliteConnectOptions, trips: Option<Arc<AtomicU64>>) -> anyhow::Result<Self> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL is durable against application crashes and much faster than FULL.
            .synchronous(SqliteSynchronous::Normal)
            // Waiting for another writer: see `busy` (set on each connection below).
            // 4 MB of page cache a connection (SQLite's default is 2 MB): an import's index
            // inserts mostly stay in memory, and eight connections stay within 32 MB.
            .pragma("cache_size", "-4000")
            .pragma("temp_store", "memory")
            .foreign_keys(true);
        // No ping before each checkout (sqlx's default): a connection to a local file does not go
        // stale, and the ping was a round trip to the connection's thread before every query.
        let mut pool = SqlitePoolOptions::new().max_connections(8).test_before_acquire(false);
        // A checkout is either an idle connection (before_acquire) or a new one (after_connect).
        let fresh = trips.clone();
        if let Some(trips) = trips {
            pool = pool.before_acquire(move |_, _| {
                trips.fetch_add(1, Ordering::Relaxed);
                Box::pin(async { Ok(true) })
            });
        }
        pool = pool.after_connect(move |conn, _| {
            if let Some(fresh) = &fresh {
                fresh.fetch_add(1, Ordering::Relaxed);
            }
            Box::pin(async move {
                let mut handle = conn.lock_handle().await?;
                // SAFETY: the handle is this connection's open database, locked for us while the
                // handler is set; the handler keeps no state.
                unsafe {
                    libsqlite3_sys::sqlite3_busy_handler(
                        handle.as_raw_handle().as_ptr(),
                        Some(busy),
                        std::ptr::null_mut(),
                    );
                }
                Ok(())
            })
        });
        let pool = pool.connect_with(options).await.context("opening SQLite")?;
        sqlx::migrate!("./migrations").run(&pool).await.context("running migrations")?;
        Ok(Self { pool })
    }
}

/// Called by SQLite while another connection holds the write lock; non-zero: try again.
/// SQLite's own handler sleeps 1, 2, 5, … then 100 ms between tries, so a writer that meets
/// another — the webhook's insert behind a job filing messages — waited far longer than the lock
/// was held: the webhook's acknowledgement p99 was made of those sleeps. This one tries again
/// after 0.2 ms, growing to 1 ms, and gives up after about 5 seconds (`SQLITE_BUSY`).
extern "C" fn busy(_: *mut std::ffi::c_void, tries: std::ffi::c_int) -> std::ffi::c_int {
    const GIVE_UP: std::ffi::c_int = 5_000;
    if tries >= GIVE_UP {
        return 0;
    }
    let micros = (200 * (1 + tries as u64 / 10)).min(1_000);
    std::thread::sleep(Duration::from_micros(micros));
    1
}

pub(super) fn backend(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate,
        _ => StoreError::Backend(e.to_string()),
    }
}

#[async_trait]
impl HealthStore for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ()).map_err(backend)
    }
}

/// LIKE pattern for text anywhere, with LIKE's own characters escaped.
pub(crate) fn like_anywhere(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}
