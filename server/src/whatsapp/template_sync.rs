//! Templates kept fresh without anyone asking: after a connection is made, a job per
//! organisation syncs its templates every six hours and queues its next run. The runs fall on
//! shared slots (keyed by organisation and slot), so a connection made twice still has one
//! chain; a disconnected organisation's chain ends, and a token Meta rejects (190) turns the
//! connection to needs re-authorisation and ends it too (connecting again starts a new one).

use super::connect::Clients;
use crate::crypto::Keyring;
use crate::jobs::{JobError, JobHandler};
use crate::storage::jobs::{Job, JobStore, NewJob};
use crate::storage::whatsapp::ConnectionStatus;
use crate::storage::{StoreResult, Stores};
use app::ids::OrgId;
use async_trait::async_trait;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

pub const TEMPLATE_SYNC_JOB: &str = "whatsapp.templates";
pub const EVERY: Duration = Duration::hours(6);

/// Queues the organisation's next sync (see [`crate::jobs::next_slot`]).
pub async fn schedule_next(jobs: &dyn JobStore, org: &OrgId, now: OffsetDateTime) -> StoreResult<()> {
    let (slot, run_at) = next_run(org, now);
    let job = NewJob {
        kind: TEMPLATE_SYNC_JOB.to_owned(),
        payload: serde_json::json!({ "org": org.as_str() }),
        run_at,
        idempotency_key: Some(format!("templates:{org}:{slot}")),
        max_attempts: 3,
    };
    jobs.enqueue_job(&job).await.map(|_| ())
}

fn next_run(org: &OrgId, now: OffsetDateTime) -> (i64, OffsetDateTime) {
    crate::jobs::next_slot(org, now, EVERY)
}

pub struct SyncTemplates {
    pub stores: Stores,
    pub keyring: Arc<Keyring>,
    pub clients: Clients,
}

#[async_trait]
impl JobHandler for SyncTemplates {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let org = job.payload.get("org").and_then(|o| o.as_str()).ok_or_else(|| JobError::permanent("no org"))?;
        let org = OrgId::new(org);
        let connection = self.stores.whatsapp.connection(&org).await.map_err(JobError::retry)?;
        let Some(connection) = connection.filter(|c| c.status == ConnectionStatus::Connected) else {
            return Ok(()); // disconnected or waiting for a new token: the chain ends here
        };
        let client = self.clients.of(connection.kind).ok_or_else(|| JobError::permanent("no client for this kind"))?;
        let token = self.keyring.decrypt(&org, &connection.token).map_err(JobError::permanent)?;
        match super::templates::sync(self.stores.whatsapp.as_ref(), client, &org, &connection.waba_id, &token).await {
            Ok(count) => tracing::info!(org = %org, count, "templates synced"),
            Err(super::templates::SyncError::Graph(e)) if e.needs_reauthorisation() => {
                let now = OffsetDateTime::now_utc();
                let store = &self.stores.whatsapp;
                store
                    .set_connection_status(&org, ConnectionStatus::Reauthorise, Some("190"), now)
                    .await
                    .map_err(JobError::retry)?;
                tracing::warn!(org = %org, "Meta rejected the token: the connection needs re-authorisation");
                return Ok(());
            }
            Err(e) if job.attempts < job.max_attempts => return Err(JobError::retry(e)),
            Err(e) => tracing::warn!(org = %org, error = %e, "templates not synced; trying again next time"),
        }
        schedule_next(self.stores.jobs.as_ref(), &org, OffsetDateTime::now_utc()).await.map_err(JobError::retry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_run_is_in_the_next_slot_wherever_in_this_one_it_is_asked() {
        let at = |s: i64| OffsetDateTime::from_unix_timestamp(s).unwrap();
        let six = EVERY.whole_seconds();
        let org = OrgId::new("org-a");
        let (early, late) = (next_run(&org, at(10 * six + 5)), next_run(&org, at(11 * six - 1)));
        assert_eq!(early, late, "one run (one key) per slot, however often it is scheduled");
        assert_eq!(early.0, 11);
        let offset = early.1.unix_timestamp() - 11 * six;
        assert!((0..3600).contains(&offset), "spread within the slot's first hour: {offset}");
        let other = next_run(&OrgId::new("org-b"), at(10 * six)).1;
        assert_ne!(other, early.1, "organisations spread over the hour");
    }
}
