//! The embedded store: SQLite (bundled, no setup) through sqlx, in WAL mode so readers never wait
//! for the writer, with versioned migrations from `server/migrations/`.

mod accounts;
mod contact;
mod jobs;
mod members;
mod tokens;

use super::{Store, StoreError, StoreResult};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        Self::connect(SqliteConnectOptions::new().filename(path).create_if_missing(true)).await
    }

    pub async fn open_url(url: &str) -> anyhow::Result<Self> {
        Self::connect(SqliteConnectOptions::from_str(url).context("parsing sqlite URL")?.create_if_missing(true)).await
    }

    async fn connect(options: SqliteConnectOptions) -> anyhow::Result<Self> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL is durable against application crashes and much faster than FULL.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await.context("opening SQLite")?;
        sqlx::migrate!("./migrations").run(&pool).await.context("running migrations")?;
        Ok(Self { pool })
    }
}

fn backend(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate,
        _ => StoreError::Backend(e.to_string()),
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ()).map_err(backend)
    }
}
