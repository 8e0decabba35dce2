//! The embedded store: SQLite (bundled, no setup) through sqlx, in WAL mode so readers never wait
//! for the writer, with versioned migrations from `server/migrations/`.

use super::{Store, StoreError, StoreResult, StoredContactMessage};
use anyhow::Context;
use app::contact::model::ContactMessage;
use app::i18n::Lang;
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use time::format_description::well_known::Rfc3339;

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
    StoreError::Backend(e.to_string())
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ()).map_err(backend)
    }

    async fn insert_contact_message(&self, m: &StoredContactMessage) -> StoreResult<()> {
        let received_at = m.received_at.format(&Rfc3339).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO contact_messages (id, name, email, company, message, lang, received_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&m.id)
        .bind(&m.message.name)
        .bind(&m.message.email)
        .bind(&m.message.company)
        .bind(&m.message.message)
        .bind(m.message.lang.code())
        .bind(received_at)
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn recent_contact_messages(&self, limit: u32) -> StoreResult<Vec<StoredContactMessage>> {
        type Row = (String, String, String, Option<String>, String, String, String);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, name, email, company, message, lang, received_at FROM contact_messages \
             ORDER BY received_at DESC, id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.into_iter()
            .map(|(id, name, email, company, message, lang, received_at)| {
                Ok(StoredContactMessage {
                    id,
                    message: ContactMessage {
                        name,
                        email,
                        company,
                        message,
                        lang: Lang::from_code(&lang).ok_or_else(|| StoreError::Corrupt(format!("lang {lang}")))?,
                    },
                    received_at: time::OffsetDateTime::parse(&received_at, &Rfc3339)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
    }
}
