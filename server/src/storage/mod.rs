//! The storage port: what the rest of the server may ask of a database. Adapters implement it;
//! nothing outside `storage` knows which one is running.

mod sqlite;

pub use sqlite::SqliteStore;

use app::contact::model::ContactMessage;
use async_trait::async_trait;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend: {0}")]
    Backend(String),
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A stored contact-form message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredContactMessage {
    pub id: String,
    pub message: ContactMessage,
    pub received_at: time::OffsetDateTime,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Proves the database answers (used by `/readyz`).
    async fn ping(&self) -> StoreResult<()>;
    async fn insert_contact_message(&self, message: &StoredContactMessage) -> StoreResult<()>;
    /// Newest first.
    async fn recent_contact_messages(&self, limit: u32) -> StoreResult<Vec<StoredContactMessage>>;
}

pub type DynStore = Arc<dyn Store>;

/// Opens the store the configuration names.
pub async fn open(config: &crate::config::Config) -> anyhow::Result<DynStore> {
    match config.database_url.as_deref() {
        None => Ok(Arc::new(SqliteStore::open(&config.data_dir.join("adronx.db")).await?)),
        Some(url) if url.starts_with("sqlite:") => Ok(Arc::new(SqliteStore::open_url(url).await?)),
        Some(_) => anyhow::bail!(
            "ADRONX_DATABASE_URL names a database this build cannot use yet; \
             unset it to run on the embedded store (MongoDB support arrives with the platform-core work)"
        ),
    }
}

#[cfg(test)]
pub mod contract;
