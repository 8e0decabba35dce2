//! The durable job queue shared by every instance.

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{Millis, OptionMillis, StoreError, StoreResult, json_text, millis, option_millis};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

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
    /// Deletes jobs that finished (done) before `before`; dead jobs stay for inspection.
    async fn purge_done_jobs(&self, before: OffsetDateTime) -> StoreResult<u64>;
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub run_at: OffsetDateTime,
    /// A second enqueue with the same key returns the first job instead of adding one.
    pub idempotency_key: Option<String>,
    pub max_attempts: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    /// Gave up after its last attempt: kept for inspection (the dead-letter view).
    Dead,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<JobStatus> {
        [JobStatus::Queued, JobStatus::Running, JobStatus::Done, JobStatus::Dead].into_iter().find(|j| j.as_str() == s)
    }
}

impl TryFrom<String> for JobStatus {
    type Error = StoreError;

    fn try_from(s: String) -> StoreResult<Self> {
        JobStatus::parse(&s).ok_or(StoreError::Corrupt(format!("job status {s}")))
    }
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow, Deserialize)]
pub struct Job {
    #[serde(rename = "_id")]
    pub id: String,
    pub kind: String,
    #[sqlx(json)]
    #[serde(deserialize_with = "json_text")]
    pub payload: serde_json::Value,
    #[sqlx(try_from = "String")]
    pub status: JobStatus,
    /// Attempts started so far, including the current one.
    pub attempts: u32,
    pub max_attempts: u32,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub run_at: OffsetDateTime,
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub lease_until: Option<OffsetDateTime>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
}
