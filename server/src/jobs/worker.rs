//! The worker pool: `concurrency` loops that claim due jobs, run their handler while renewing the
//! lease, and record the outcome. On shutdown they stop claiming, give in-flight jobs until the
//! deadline, then release what is unfinished so another instance takes it over.

use super::{JobError, JobHandler, backoff};
use crate::storage::jobs::{Job, JobStore};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::watch;
use tracing::Instrument;

#[derive(Clone)]
pub struct WorkerPool {
    store: Arc<dyn JobStore>,
    handlers: Arc<HashMap<String, Arc<dyn JobHandler>>>,
    instance: String,
    lease: Duration,
    poll: Duration,
    grace: Duration,
}

impl WorkerPool {
    pub fn new(store: Arc<dyn JobStore>) -> Self {
        Self {
            store,
            handlers: Arc::new(HashMap::new()),
            instance: format!("worker-{}", uuid::Uuid::new_v4()),
            lease: Duration::from_secs(30),
            poll: Duration::from_millis(250),
            grace: Duration::from_secs(10),
        }
    }

    pub fn handle(mut self, kind: &str, handler: Arc<dyn JobHandler>) -> Self {
        Arc::make_mut(&mut self.handlers).insert(kind.to_owned(), handler);
        self
    }

    /// Seconds a job may run between heartbeats before another worker may take it.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Starts the loops; the returned task ends once they all have after `shutdown` turns true.
    pub fn spawn(self, concurrency: usize, shutdown: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        let loops: Vec<_> = (0..concurrency.max(1))
            .map(|i| {
                let pool = self.clone();
                let shutdown = shutdown.clone();
                tokio::spawn(async move { pool.run_loop(format!("{}-{i}", pool.instance), shutdown).await })
            })
            .collect();
        tokio::spawn(async move {
            for l in loops {
                let _ = l.await;
            }
        })
    }

    async fn run_loop(&self, worker: String, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            let now = OffsetDateTime::now_utc();
            match self.store.claim_job(&worker, now, now + self.lease).await {
                Ok(Some(job)) => {
                    let span = tracing::info_span!("job", job_id = %job.id, kind = %job.kind, attempt = job.attempts);
                    self.run_one(&worker, job, shutdown.clone()).instrument(span).await;
                }
                Ok(None) => {
                    tokio::select! {
                        _ = tokio::time::sleep(self.poll) => {}
                        _ = shutdown.changed() => {}
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "claiming a job failed");
                    tokio::time::sleep(self.poll * 4).await;
                }
            }
        }
    }

    async fn run_one(&self, worker: &str, job: Job, mut shutdown: watch::Receiver<bool>) {
        let store = &self.store;
        if job.attempts > job.max_attempts {
            // Its last attempt's worker died: no more tries.
            let _ = store.fail_job(&job.id, worker, "attempts exhausted", None, OffsetDateTime::now_utc()).await;
            return;
        }
        let Some(handler) = self.handlers.get(&job.kind).cloned() else {
            let _ = store.fail_job(&job.id, worker, "no handler for this kind", None, OffsetDateTime::now_utc()).await;
            return;
        };
        let started = std::time::Instant::now();
        let work = handler.run(&job);
        // Renews the lease; ends (cancelling the handler) as soon as the lease is gone, or when
        // renewals keep failing until the lease is about to lapse — in both cases another worker
        // may take the job, and two runs of one handler must never overlap.
        let heartbeat = async {
            let mut renewed = std::time::Instant::now();
            loop {
                tokio::time::sleep(self.lease / 3).await;
                let until = OffsetDateTime::now_utc() + self.lease;
                match store.heartbeat_job(&job.id, worker, until).await {
                    Ok(true) => renewed = std::time::Instant::now(),
                    Ok(false) => {
                        tracing::warn!("lost the job's lease: stopping its handler");
                        return;
                    }
                    Err(e) if renewed.elapsed() >= self.lease * 2 / 3 => {
                        tracing::warn!(error = %e, "cannot renew the job's lease before it lapses: stopping its handler");
                        return;
                    }
                    Err(e) => tracing::warn!(error = %e, "renewing the job's lease failed; trying again"),
                }
            }
        };
        let deadline = async {
            let _ = shutdown.wait_for(|stop| *stop).await;
            tokio::time::sleep(self.grace).await;
        };
        let outcome = tokio::select! {
            result = work => Outcome::Finished(result),
            _ = heartbeat => Outcome::LeaseLost,
            _ = deadline => Outcome::ShuttingDown,
        };
        let now = OffsetDateTime::now_utc();
        let recorded = match outcome {
            // No longer ours: whoever holds the job now records its outcome.
            Outcome::LeaseLost => return,
            Outcome::Finished(Ok(())) => {
                tracing::info!(ms = started.elapsed().as_millis() as u64, "job done");
                store.complete_job(&job.id, worker, now).await
            }
            Outcome::Finished(Err(JobError { retryable, message })) => {
                let retry_at = (retryable && job.attempts < job.max_attempts).then(|| now + backoff(job.attempts));
                tracing::warn!(error = %message, retry = retry_at.is_some(), "job failed");
                store.fail_job(&job.id, worker, &message, retry_at, now).await
            }
            Outcome::ShuttingDown => {
                tracing::info!("shutting down: releasing the job");
                store.release_job(&job.id, worker, now).await
            }
        };
        if let Err(e) = recorded {
            tracing::error!(error = %e, "could not record the job's outcome; its lease will expire");
        }
    }
}

/// How a handler's run ended.
enum Outcome {
    Finished(Result<(), JobError>),
    LeaseLost,
    ShuttingDown,
}
