//! The jobs contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::contract::secs;
use crate::storage::{Stores, millis_precision};

use time::OffsetDateTime;

pub(crate) fn new_job(kind: &str, run_at: OffsetDateTime, key: Option<&str>) -> NewJob {
    NewJob {
        kind: kind.into(),
        payload: serde_json::json!({"n": 1, "text": "héllo"}),
        run_at,
        idempotency_key: key.map(str::to_owned),
        max_attempts: 3,
    }
}

pub async fn jobs_are_claimed_once_and_completed(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let id = s.jobs.enqueue_job(&new_job("email.send", now, None)).await.unwrap();
    let job = s.jobs.claim_job("w1", now, now + secs(30)).await.unwrap().expect("a due job");
    assert_eq!((job.id.as_str(), job.attempts, job.status), (id.as_str(), 1, JobStatus::Running));
    assert_eq!(job.payload["text"], "héllo");
    assert_eq!(job.lease_until, Some(now + secs(30)));
    assert!(s.jobs.claim_job("w2", now, now + secs(30)).await.unwrap().is_none(), "leased jobs are not claimed again");
    assert!(!s.jobs.complete_job(&id, "w2", now).await.unwrap(), "only the holder completes");
    assert!(s.jobs.complete_job(&id, "w1", now).await.unwrap());
    assert_eq!(s.jobs.job(&id).await.unwrap().unwrap().status, JobStatus::Done);
    assert!(s.jobs.claim_job("w1", now + secs(100), now + secs(130)).await.unwrap().is_none());
}

pub async fn future_jobs_wait_and_idempotency_keys_deduplicate(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let a = s.jobs.enqueue_job(&new_job("k", now + secs(60), Some("purge:1"))).await.unwrap();
    let b = s.jobs.enqueue_job(&new_job("k", now, Some("purge:1"))).await.unwrap();
    assert_eq!(a, b);
    assert!(s.jobs.claim_job("w", now, now + secs(30)).await.unwrap().is_none(), "not due yet");
    let job = s.jobs.claim_job("w", now + secs(61), now + secs(90)).await.unwrap().unwrap();
    assert_eq!(job.id, a);
}

pub async fn an_expired_lease_lets_another_worker_finish_the_job(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let id = s.jobs.enqueue_job(&new_job("k", now, None)).await.unwrap();
    s.jobs.claim_job("dead-worker", now, now + secs(10)).await.unwrap().unwrap();
    assert!(s.jobs.heartbeat_job(&id, "dead-worker", now + secs(20)).await.unwrap());
    let again = s.jobs.claim_job("w2", now + secs(21), now + secs(51)).await.unwrap().expect("lease expired");
    assert_eq!((again.attempts, again.locked_by.as_deref()), (2, Some("w2")));
    assert!(!s.jobs.heartbeat_job(&id, "dead-worker", now + secs(60)).await.unwrap(), "the old holder lost it");
    assert!(!s.jobs.complete_job(&id, "dead-worker", now).await.unwrap());
    assert!(s.jobs.complete_job(&id, "w2", now).await.unwrap());
}

pub async fn failures_retry_then_dead_letter_and_releases_do_not_count(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let id = s.jobs.enqueue_job(&new_job("k", now, None)).await.unwrap();
    s.jobs.claim_job("w", now, now + secs(30)).await.unwrap().unwrap();
    assert!(s.jobs.fail_job(&id, "w", "smtp 451", Some(now + secs(5)), now).await.unwrap());
    let job = s.jobs.job(&id).await.unwrap().unwrap();
    assert_eq!(
        (job.status, job.run_at, job.last_error.as_deref()),
        (JobStatus::Queued, now + secs(5), Some("smtp 451"))
    );
    assert!(s.jobs.claim_job("w", now + secs(1), now + secs(31)).await.unwrap().is_none(), "waits for its backoff");
    s.jobs.claim_job("w", now + secs(5), now + secs(35)).await.unwrap().unwrap();
    assert!(s.jobs.release_job(&id, "w", now + secs(6)).await.unwrap());
    assert_eq!(s.jobs.job(&id).await.unwrap().unwrap().attempts, 1, "a release gives the attempt back");
    let job = s.jobs.claim_job("w", now + secs(6), now + secs(36)).await.unwrap().unwrap();
    assert_eq!(job.attempts, 2);
    assert!(s.jobs.fail_job(&id, "w", "permanent", None, now + secs(7)).await.unwrap());
    let dead = s.jobs.dead_jobs(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].id.as_str(), dead[0].status), (id.as_str(), JobStatus::Dead));
    assert!(s.jobs.claim_job("w", now + secs(100), now + secs(130)).await.unwrap().is_none());
}

pub async fn concurrent_claimers_never_share_a_job(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    for _ in 0..40 {
        s.jobs.enqueue_job(&new_job("k", now, None)).await.unwrap();
    }
    let mut tasks = vec![];
    for w in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = vec![];
            while let Some(job) = s.jobs.claim_job(&format!("w{w}"), now, now + secs(30)).await.unwrap() {
                got.push(job.id);
            }
            got
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let unique: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (40, 40));
}
