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
            .busy_timeout(Duration::from_secs(5))
            // 4 MB of page cache a connection (SQLite's default is 2 MB): an import's index
            // inserts mostly stay in memory, and eight connections stay within 32 MB.
            .pragma("cache_size", "-4000")
            .pragma("temp_store", "memory")
            .foreign_keys(true);
        let mut pool = SqlitePoolOptions::new().max_connections(8);
        if let Some(trips) = trips {
            // A checkout is either an idle connection (before_acquire) or a new one (after_connect).
            let fresh = trips.clone();
            pool = pool
                .before_acquire(move |_, _| {
                    trips.fetch_add(1, Ordering::Relaxed);
                    Box::pin(async { Ok(true) })
                })
                .after_connect(move |_, _| {
                    fresh.fetch_add(1, Ordering::Relaxed);
                    Box::pin(async { Ok(()) })
                });
        }
        let pool = pool.connect_with(options).await.context("opening SQLite")?;
        sqlx::migrate!("./migrations").run(&pool).await.context("running migrations")?;
        Ok(Self { pool })
    }
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
