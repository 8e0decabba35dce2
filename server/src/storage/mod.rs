//! The storage port: what the rest of the server may ask of a database, as one trait per area.
//! Adapters implement all of them; nothing outside `storage` knows which adapter is running.

pub mod model;
mod mongo;
mod sqlite;

pub use model::*;
pub use mongo::MongoStore;
pub use sqlite::SqliteStore;

use async_trait::async_trait;
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend: {0}")]
    Backend(String),
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
    #[error("a record with this key already exists")]
    Duplicate,
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait ContactStore: Send + Sync {
    async fn insert_contact_message(&self, message: &StoredContactMessage) -> StoreResult<()>;
    /// Newest first.
    async fn recent_contact_messages(&self, limit: u32) -> StoreResult<Vec<StoredContactMessage>>;
}

/// A durable queue shared by every instance: at-least-once delivery through leases.
#[async_trait]
pub trait JobStore: Send + Sync {
    /// Adds a job, or returns the id of the job already enqueued under the same idempotency key.
    async fn enqueue_job(&self, job: &NewJob) -> StoreResult<String>;
    /// Takes the oldest due job — queued and due, or running with an expired lease (its worker
    /// died) — for `worker` until `lease_until`, counting an attempt. Atomic across instances.
    async fn claim_job(
        &self,
        worker: &str,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
    ) -> StoreResult<Option<Job>>;
    /// Extends the lease; false when the job is no longer this worker's.
    async fn heartbeat_job(&self, id: &str, worker: &str, lease_until: OffsetDateTime) -> StoreResult<bool>;
    async fn complete_job(&self, id: &str, worker: &str, now: OffsetDateTime) -> StoreResult<bool>;
    /// Records a failure: back to the queue at `retry_at`, or dead when `retry_at` is `None`.
    async fn fail_job(
        &self,
        id: &str,
        worker: &str,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Gives an unfinished job back (shutdown) without counting the attempt.
    async fn release_job(&self, id: &str, worker: &str, now: OffsetDateTime) -> StoreResult<bool>;
    async fn job(&self, id: &str) -> StoreResult<Option<Job>>;
    /// The dead-letter view, newest first.
    async fn dead_jobs(&self, limit: u32) -> StoreResult<Vec<Job>>;
}

#[async_trait]
pub trait TokenStore: Send + Sync {
    async fn insert_refresh_token(&self, token: &RefreshTokenRecord) -> StoreResult<()>;
    async fn insert_reset_token(&self, token: &ResetTokenRecord) -> StoreResult<()>;
    /// Deletes refresh tokens that expired or were revoked, and reset tokens used or expired.
    async fn purge_tokens(&self, now: OffsetDateTime) -> StoreResult<PurgeCounts>;
}

#[async_trait]
pub trait Store: ContactStore + JobStore + TokenStore {
    /// Proves the database answers (used by `/readyz`).
    async fn ping(&self) -> StoreResult<()>;
}

pub type DynStore = Arc<dyn Store>;

/// Opens the store the configuration names.
pub async fn open(config: &crate::config::Config) -> anyhow::Result<DynStore> {
    match config.database_url.as_deref() {
        None => Ok(Arc::new(SqliteStore::open(&config.data_dir.join("adronx.db")).await?)),
        Some(url) if url.starts_with("sqlite:") => Ok(Arc::new(SqliteStore::open_url(url).await?)),
        Some(url) if url.starts_with("mongodb://") || url.starts_with("mongodb+srv://") => {
            Ok(Arc::new(MongoStore::connect(url).await?))
        }
        Some(_) => anyhow::bail!("ADRONX_DATABASE_URL must be a sqlite:, mongodb:// or mongodb+srv:// URL"),
    }
}

#[cfg(test)]
pub mod contract;
