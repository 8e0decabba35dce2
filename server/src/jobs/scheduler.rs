//! Recurring jobs: every `every`, each periodic kind is enqueued once for that time slot. The slot
//! is in the idempotency key, so several instances scheduling at once still enqueue one job.

use super::DEFAULT_MAX_ATTEMPTS;
use crate::storage::jobs::{JobStore, NewJob};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::watch;

#[derive(Clone, Debug)]
pub struct Periodic {
    pub kind: &'static str,
}

pub struct Scheduler {
    pub store: Arc<dyn JobStore>,
    pub every: Duration,
    pub jobs: Vec<Periodic>,
}

impl Scheduler {
    pub fn spawn(self, mut shutdown: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(self.every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                tokio::select! {
                    _ = tick.tick() => self.enqueue_slot(OffsetDateTime::now_utc()).await,
                    changed = shutdown.changed() => if changed.is_err() || *shutdown.borrow() { break },
                }
            }
        })
    }

    async fn enqueue_slot(&self, now: OffsetDateTime) {
        let every = self.every.as_millis().max(1) as i128;
        let slot = (now.unix_timestamp_nanos() / 1_000_000) / every;
        for p in &self.jobs {
            let job = NewJob {
                kind: p.kind.to_owned(),
                payload: serde_json::json!({}),
                run_at: now,
                idempotency_key: Some(format!("{}@{slot}", p.kind)),
                max_attempts: DEFAULT_MAX_ATTEMPTS,
            };
            if let Err(e) = self.store.enqueue_job(&job).await {
                tracing::warn!(kind = p.kind, error = %e, "could not schedule a periodic job");
            }
        }
    }
}
