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
