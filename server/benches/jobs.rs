//! Job-queue throughput on the embedded store: enqueue → claim → complete, in jobs per second
//! (goal ≥ 1,000/s). `cargo bench -p server --bench jobs`.

use adronx::storage::Stores;
use adronx::storage::jobs::{JobStore, NewJob};
use std::sync::Arc;
use std::time::Instant;
use time::OffsetDateTime;

const JOBS: usize = 5000;

async fn fresh() -> Arc<dyn JobStore> {
    let dir = tempfile::tempdir().unwrap().keep();
    Stores::sqlite(&dir.join("bench.db")).await.unwrap().jobs
}

fn job(i: usize) -> NewJob {
    NewJob {
        kind: "email.send".into(),
        payload: serde_json::json!({"to": format!("user{i}@example.com"), "template": "contact-ack"}),
        run_at: OffsetDateTime::now_utc(),
        idempotency_key: Some(format!("bench-{i}")),
        max_attempts: 8,
    }
}

async fn run(workers: usize) -> f64 {
    let store = fresh().await;
    let started = Instant::now();
    let producer = {
        let store = store.clone();
        tokio::spawn(async move {
            for i in 0..JOBS {
                store.enqueue_job(&job(i)).await.unwrap();
            }
        })
    };
    let consumers: Vec<_> = (0..workers)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut done = 0;
                let name = format!("w{w}");
                loop {
                    let now = OffsetDateTime::now_utc();
                    match store.claim_job(&name, now, now + time::Duration::seconds(30)).await.unwrap() {
                        Some(j) => {
                            store.complete_job(&j.id, &name, now).await.unwrap();
                            done += 1;
                        }
                        None if done > 0 || started.elapsed().as_secs() > 30 => break done,
                        None => tokio::task::yield_now().await,
                    }
                }
            })
        })
        .collect();
    producer.await.unwrap();
    let mut total = 0;
    for c in consumers {
        total += c.await.unwrap();
    }
    // Consumers may stop early on a momentarily empty queue; drain what is left.
    let now = OffsetDateTime::now_utc();
    while let Some(j) = store.claim_job("drain", now, now + time::Duration::seconds(30)).await.unwrap() {
        store.complete_job(&j.id, "drain", now).await.unwrap();
        total += 1;
    }
    assert_eq!(total, JOBS);
    JOBS as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    for workers in [1, 4] {
        let rate = run(workers).await;
        println!(
            "jobs, embedded store, {workers} worker(s): {rate:.0} jobs/s (enqueue → claim → complete, {JOBS} jobs)"
        );
    }
}
