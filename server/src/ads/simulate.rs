//! "Simulate N days" on a sandbox ad account: days lived in seconds, so a new user watches the
//! optimiser work day after day. Each simulated day is what a real one holds, in order: the
//! morning's sync, then the daily budget job (which proposes, and applies when the automatic mode
//! is on), then — once the budget changes it sent have settled — the sandbox's clock moves one day
//! on (the account's days run that far ahead of the calendar, see `dashboard::account_now`).
//!
//! It is a chain of `ads.simulate` jobs, one step each, so no worker is held while the budget
//! changes (jobs of their own) run, and a restarted server carries on where it stopped. The days
//! still to live are kept on the account (`clock_left`): the page shows them, and setting them
//! to zero stops the chain.

use super::connect::Clients;
use super::sync::SyncAds;
use crate::budgets::DailyBudgets;
use crate::crypto::Keyring;
use crate::jobs::{JobError, JobHandler};
use crate::storage::Stores;
use crate::storage::ads::Clock;
use crate::storage::jobs::{Job, NewJob};
use crate::storage::whatsapp::{ConnectionKind, ConnectionStatus};
use app::ids::OrgId;
use async_trait::async_trait;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

pub const SIMULATE_JOB: &str = "ads.simulate";
/// Most days one request may simulate.
pub const MOST_DAYS: i64 = 90;
/// How often a step looks again whether the day's budget changes have settled, and for how many
/// looks at most before the day goes on without them (they are then shown as still applying).
const SETTLE_EVERY: Duration = Duration::milliseconds(150);
const SETTLE_LOOKS: u64 = 200;

/// Where a simulation is: its run (one per request) of `days` days from the clock `from`, its
/// step — `live` (sync, then the daily job) or `advance` (the clock, once the day's changes
/// settled), alternating, numbered `n` from 0 — and how many times it has looked whether they
/// settled. The clock an `advance` step moves to follows from these alone, so a retried step asks
/// for the same day.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Step {
    pub org: String,
    pub run: String,
    pub from: i64,
    pub days: i64,
    pub step: String,
    pub n: u64,
    #[serde(default)]
    pub looks: u64,
}

impl Step {
    /// The days this run has lived once this `advance` step is done.
    fn lived(&self) -> i64 {
        self.n.div_ceil(2) as i64
    }
}

/// Queues `step` to run `after` from now; keyed by run, number and look, so a retried step
/// queues its successor once.
pub async fn enqueue(stores: &Stores, step: &Step, after: Duration) -> Result<(), JobError> {
    let job = NewJob {
        kind: SIMULATE_JOB.into(),
        payload: serde_json::to_value(step).map_err(JobError::permanent)?,
        run_at: OffsetDateTime::now_utc() + after,
        idempotency_key: Some(format!("ads-simulate:{}:{}:{}", step.run, step.n, step.looks)),
        max_attempts: 5,
    };
    stores.jobs.enqueue_job(&job).await.map(|_| ()).map_err(JobError::retry)
}

pub struct SimulateDays {
    pub stores: Stores,
    pub keyring: Arc<Keyring>,
    pub clients: Clients,
    pub sync: Arc<SyncAds>,
    pub daily: Arc<DailyBudgets>,
}

#[async_trait]
impl JobHandler for SimulateDays {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let step: Step = serde_json::from_value(job.payload.clone()).map_err(JobError::permanent)?;
        let org = OrgId::new(step.org.clone());
        let Some(account) = self.stores.ads.ad_account(&org).await.map_err(JobError::retry)? else { return Ok(()) };
        if account.clock.clock_left <= 0 {
            return Ok(()); // done, or stopped
        }
        if account.kind != ConnectionKind::Sandbox || account.status != ConnectionStatus::Connected {
            let stopped = Clock { clock_left: 0, ..account.clock };
            return self.stores.ads.set_clock(&org, stopped).await.map(|_| ()).map_err(JobError::retry);
        }
        let next = |name: &str, looks: u64| Step { step: name.into(), n: step.n + 1, looks, ..step.clone() };
        match step.step.as_str() {
            "live" => {
                // The morning's sync and the daily job, inline: the next day waits for both.
                self.sync.sync_now(&org, None, false).await?;
                self.daily.run_for(&org).await?;
                enqueue(&self.stores, &next("advance", 0), Duration::ZERO).await
            }
            "advance" => {
                let today = super::dashboard::account_today(&account);
                let recent = self.stores.budgets.decisions(&org, 5).await.map_err(JobError::retry)?;
                let settling = recent.iter().any(|d| {
                    d.status == "applying"
                        && d.applied_at.is_some_and(|at| super::dashboard::day_at(&account.timezone, at) == today)
                });
                if settling && step.looks < SETTLE_LOOKS {
                    let again = Step { looks: step.looks + 1, ..step.clone() };
                    return enqueue(&self.stores, &again, SETTLE_EVERY).await;
                }
                let client = self.clients.of(account.kind).ok_or_else(|| JobError::permanent("no sandbox"))?;
                let token = self.keyring.decrypt(&org, &account.token).map_err(JobError::permanent)?;
                let to = step.from + step.lived();
                let clock =
                    client.advance_sandbox_clock(&account.account_id, to, &token).await.map_err(JobError::retry)?;
                let left = (step.days - step.lived()).min(account.clock.clock_left);
                let moved = Clock { clock_days: clock, clock_left: left };
                self.stores.ads.set_clock(&org, moved).await.map_err(JobError::retry)?;
                tracing::info!(org = %org, clock, left, "sandbox ad account: a day simulated");
                if left > 0 { enqueue(&self.stores, &next("live", 0), Duration::ZERO).await } else { Ok(()) }
            }
            _ => Err(JobError::permanent("unknown step")),
        }
    }
}
