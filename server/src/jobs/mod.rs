//! Background jobs: handlers, retry policy, the worker pool and the recurring scheduler.
//! Jobs live in the store (see `storage::JobStore`), so every instance shares one queue and a job
//! survives restarts; delivery is at-least-once, so handlers are written to be safely repeatable.

mod scheduler;
mod worker;

pub use scheduler::{Periodic, Scheduler};
pub use worker::WorkerPool;

use crate::storage::jobs::{Job, JobStore, NewJob};
use crate::storage::{StoreResult, Stores};
use async_trait::async_trait;
use std::time::Duration;
use time::OffsetDateTime;

pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;

/// Why a job did not finish: retryable failures come back after a backoff, permanent ones go
/// straight to the dead-letter view.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct JobError {
    pub retryable: bool,
    pub message: String,
}

impl JobError {
    pub fn retry(message: impl std::fmt::Display) -> Self {
        Self { retryable: true, message: message.to_string() }
    }

    pub fn permanent(message: impl std::fmt::Display) -> Self {
        Self { retryable: false, message: message.to_string() }
    }
}

#[async_trait]
pub trait JobHandler: Send + Sync {
    async fn run(&self, job: &Job) -> Result<(), JobError>;
}

/// Delay before attempt `attempts + 1`: 5 s doubling per attempt, capped at an hour, with ±20 %
/// jitter so jobs that failed together do not retry together.
pub fn backoff(attempts: u32) -> Duration {
    let base = 5.0 * 2f64.powi(attempts.saturating_sub(1).min(20) as i32);
    let jitter = 0.8 + 0.4 * rand::random::<f64>();
    Duration::from_secs_f64(base.min(3600.0) * jitter)
}

/// When a recurring per-organisation job runs next: the start of the next `every`-long slot plus a
/// spread of up to an hour per organisation (so all accounts do not call Meta at once). Returns
/// the slot too — a job keyed by it is queued once per slot, however often it is scheduled.
pub fn next_slot(org: &app::ids::OrgId, now: OffsetDateTime, every: time::Duration) -> (i64, OffsetDateTime) {
    let slot = now.unix_timestamp().div_euclid(every.whole_seconds()) + 1;
    let spread = org.as_str().bytes().fold(0i64, |h, b| (h * 31 + b as i64) % 3600);
    let run_at = OffsetDateTime::from_unix_timestamp(slot * every.whole_seconds() + spread).unwrap_or(now + every);
    (slot, run_at)
}

/// Adds a job due now.
pub async fn enqueue(
    store: &dyn JobStore,
    kind: &str,
    payload: serde_json::Value,
    key: Option<String>,
) -> StoreResult<String> {
    let job = NewJob {
        kind: kind.to_owned(),
        payload,
        run_at: OffsetDateTime::now_utc(),
        idempotency_key: key,
        max_attempts: DEFAULT_MAX_ATTEMPTS,
    };
    store.enqueue_job(&job).await
}

/// The retention policy, run periodically: refresh tokens expired or revoked, reset tokens used or
/// expired, finished jobs after a week, used or expired sign-ups, and failed sign-ins after a day.
pub struct Retention(pub Stores);

pub const RETENTION: &str = "retention.purge";

#[async_trait]
impl JobHandler for Retention {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        let now = OffsetDateTime::now_utc();
        let tokens = self.0.tokens.purge_tokens(now).await.map_err(JobError::retry)?;
        let jobs = self.0.jobs.purge_done_jobs(now - time::Duration::days(7)).await.map_err(JobError::retry)?;
        let sign_ups =
            self.0.accounts.purge_stale_sign_ups(now, now - time::Duration::days(1)).await.map_err(JobError::retry)?;
        tracing::info!(refresh = tokens.refresh_tokens, reset = tokens.reset_tokens, jobs, sign_ups, "retention purge");
        Ok(())
    }
}

#[cfg(test)]
mod backoff_tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let secs = |a| backoff(a).as_secs_f64();
        assert!((4.0..=6.0).contains(&secs(1)));
        assert!((8.0..=12.0).contains(&secs(2)));
        assert!((32.0..=48.0).contains(&secs(4)));
        assert!(secs(30) <= 3600.0 * 1.2);
    }
}

#[cfg(test)]
mod tests;
