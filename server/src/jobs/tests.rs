//! The worker pool against the real embedded store.

use super::*;
use crate::storage::Stores;
use crate::storage::jobs::JobStatus;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use tokio::sync::watch;

async fn store() -> Arc<dyn JobStore> {
    let dir = tempfile::tempdir().unwrap().keep();
    Stores::sqlite(&dir.join("jobs.db")).await.unwrap().jobs
}

/// Fails the first `failures` runs (retryably or not), then succeeds; counts runs.
struct Flaky {
    failures: u32,
    retryable: bool,
    runs: AtomicU32,
}

#[async_trait]
impl JobHandler for Flaky {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        let n = self.runs.fetch_add(1, Ordering::SeqCst);
        if n < self.failures {
            return Err(if self.retryable { JobError::retry("try later") } else { JobError::permanent("no") });
        }
        Ok(())
    }
}

struct Forever;

#[async_trait]
impl JobHandler for Forever {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        std::future::pending().await
    }
}

async fn wait_for_status(store: &Arc<dyn JobStore>, id: &str, status: JobStatus) -> Job {
    for _ in 0..100 {
        let job = store.job(id).await.unwrap().unwrap();
        if job.status == status {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("job never reached {status:?}: {:?}", store.job(id).await.unwrap());
}

#[tokio::test]
async fn a_successful_job_is_done_and_runs_once() {
    let store = store().await;
    let handler = Arc::new(Flaky { failures: 0, retryable: true, runs: AtomicU32::new(0) });
    let (_stop, stopping) = watch::channel(false);
    WorkerPool::new(store.clone()).handle("t", handler.clone()).spawn(2, stopping);
    let id = enqueue(&*store, "t", serde_json::json!({}), None).await.unwrap();
    wait_for_status(&store, &id, JobStatus::Done).await;
    assert_eq!(handler.runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_retryable_failure_is_rescheduled_with_backoff() {
    let store = store().await;
    let handler = Arc::new(Flaky { failures: 1, retryable: true, runs: AtomicU32::new(0) });
    let (_stop, stopping) = watch::channel(false);
    WorkerPool::new(store.clone()).handle("t", handler).spawn(1, stopping);
    let id = enqueue(&*store, "t", serde_json::json!({}), None).await.unwrap();
    let before = time::OffsetDateTime::now_utc();
    for _ in 0..100 {
        let job = store.job(&id).await.unwrap().unwrap();
        if job.last_error.is_some() {
            assert_eq!((job.status, job.attempts), (JobStatus::Queued, 1));
            assert!(job.run_at >= before + time::Duration::seconds(3), "backs off about 5 s");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the failure was never recorded");
}

#[tokio::test]
async fn permanent_failures_and_unknown_kinds_are_dead_lettered() {
    let store = store().await;
    let handler = Arc::new(Flaky { failures: 5, retryable: false, runs: AtomicU32::new(0) });
    let (_stop, stopping) = watch::channel(false);
    WorkerPool::new(store.clone()).handle("t", handler).spawn(1, stopping);
    let a = enqueue(&*store, "t", serde_json::json!({}), None).await.unwrap();
    let b = enqueue(&*store, "nobody-handles-this", serde_json::json!({}), None).await.unwrap();
    assert_eq!(wait_for_status(&store, &a, JobStatus::Dead).await.last_error.as_deref(), Some("no"));
    wait_for_status(&store, &b, JobStatus::Dead).await;
    assert_eq!(store.dead_jobs(10).await.unwrap().len(), 2);
}

#[tokio::test]
async fn shutdown_releases_unfinished_work_within_the_grace_period() {
    let store = store().await;
    let (stop, stopping) = watch::channel(false);
    let pool = WorkerPool::new(store.clone())
        .handle("slow", Arc::new(Forever))
        .grace(std::time::Duration::from_millis(200))
        .spawn(1, stopping);
    let id = enqueue(&*store, "slow", serde_json::json!({}), None).await.unwrap();
    wait_for_status(&store, &id, JobStatus::Running).await;
    stop.send(true).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), pool).await.expect("workers stop").unwrap();
    let job = store.job(&id).await.unwrap().unwrap();
    assert_eq!((job.status, job.attempts, job.locked_by), (JobStatus::Queued, 0, None), "handed back whole");
}

/// A queue whose heartbeats always find the lease gone (another worker took the job over).
struct LosesLeases(Arc<dyn JobStore>);

#[async_trait]
impl JobStore for LosesLeases {
    async fn enqueue_job(&self, job: &NewJob) -> StoreResult<String> {
        self.0.enqueue_job(job).await
    }
    async fn claim_job(&self, w: &str, now: OffsetDateTime, until: OffsetDateTime) -> StoreResult<Option<Job>> {
        self.0.claim_job(w, now, until).await
    }
    async fn heartbeat_job(&self, _: &str, _: &str, _: OffsetDateTime) -> StoreResult<bool> {
        Ok(false)
    }
    async fn complete_job(&self, id: &str, w: &str, now: OffsetDateTime) -> StoreResult<bool> {
        self.0.complete_job(id, w, now).await
    }
    async fn fail_job(
        &self,
        id: &str,
        w: &str,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.0.fail_job(id, w, error, retry_at, now).await
    }
    async fn release_job(&self, id: &str, w: &str, now: OffsetDateTime) -> StoreResult<bool> {
        self.0.release_job(id, w, now).await
    }
    async fn job(&self, id: &str) -> StoreResult<Option<Job>> {
        self.0.job(id).await
    }
    async fn dead_jobs(&self, limit: u32) -> StoreResult<Vec<Job>> {
        self.0.dead_jobs(limit).await
    }
    async fn purge_done_jobs(&self, before: OffsetDateTime) -> StoreResult<u64> {
        self.0.purge_done_jobs(before).await
    }
}

/// Takes a while, then does something that must happen once.
struct SideEffect(AtomicU32);

#[async_trait]
impl JobHandler for SideEffect {
    async fn run(&self, _job: &Job) -> Result<(), JobError> {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test]
async fn a_worker_that_loses_its_lease_stops_before_another_takes_the_job() {
    let store = store().await;
    let effect = Arc::new(SideEffect(AtomicU32::new(0)));
    let (_stop, stopping) = watch::channel(false);
    let lease = std::time::Duration::from_millis(90);
    let id = enqueue(&*store, "t", serde_json::json!({}), None).await.unwrap();
    // The first worker claims the job, then finds its lease gone at the first heartbeat.
    let losing: Arc<dyn JobStore> = Arc::new(LosesLeases(store.clone()));
    let (stop_losing, losing_stopping) = watch::channel(false);
    WorkerPool::new(losing).handle("t", effect.clone()).lease(lease).spawn(1, losing_stopping);
    wait_for_status(&store, &id, JobStatus::Running).await;
    stop_losing.send(true).unwrap();
    // A healthy worker takes it over once that lease lapses, and finishes it.
    WorkerPool::new(store.clone()).handle("t", effect.clone()).lease(lease).spawn(1, stopping);
    wait_for_status(&store, &id, JobStatus::Done).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(effect.0.load(Ordering::SeqCst), 1, "the side effect happened once");
}
