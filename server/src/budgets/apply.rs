//! Applying a proposal: one job per changed campaign (`budgets.apply`, keyed by decision, campaign
//! and attempt, so a change is asked of Meta once), each setting the campaign's daily budget
//! through the Marketing API and recording what Meta took. The decision's status follows its
//! changes: `applying` while any is pending, `applied` when all took, `partial` when one failed —
//! shown per campaign, and retried when an admin applies again.

use crate::ads::connect::Clients;
use crate::crypto::Keyring;
use crate::jobs::{JobError, JobHandler};
use crate::storage::Stores;
use crate::storage::budgets::{BudgetChangeRecord, ChangeUpdate};
use crate::storage::jobs::{Job, NewJob};
use crate::storage::whatsapp::ConnectionStatus;
use app::ids::OrgId;
use async_trait::async_trait;
use std::sync::Arc;
use time::OffsetDateTime;

pub const APPLY_JOB: &str = "budgets.apply";

/// Queues the job of `change` (attempt `attempt`).
pub async fn enqueue(
    stores: &Stores,
    change: &BudgetChangeRecord,
    now: OffsetDateTime,
) -> Result<(), crate::storage::StoreError> {
    let job = NewJob {
        kind: APPLY_JOB.into(),
        payload: serde_json::json!({
            "org": change.org_id.as_str(), "decision": change.decision_id, "campaign": change.campaign_id,
        }),
        run_at: now,
        idempotency_key: Some(format!(
            "budget:{}:{}:{}:{}",
            change.org_id, change.decision_id, change.campaign_id, change.attempts
        )),
        max_attempts: 5,
    };
    stores.jobs.enqueue_job(&job).await.map(|_| ())
}

/// The decision's status from its changes.
pub fn status_of(changes: &[BudgetChangeRecord]) -> &'static str {
    if changes.iter().any(|c| c.status == "pending") {
        "applying"
    } else if changes.iter().any(|c| c.status == "failed") {
        "partial"
    } else {
        "applied"
    }
}

/// Moves the decision's status to its changes'. Two changes may finish at once, each settling
/// from what it read: the move only happens from the status it saw, and it reads again after, so
/// the last word is the changes' status and nothing else of the decision is written.
pub async fn settle(stores: &Stores, org: &OrgId, decision_id: &str) -> Result<(), crate::storage::StoreError> {
    for _ in 0..5 {
        let changes = stores.budgets.changes(org, decision_id).await?;
        let Some(decision) = stores.budgets.decision(org, decision_id).await? else { return Ok(()) };
        let status = status_of(&changes);
        if decision.status == status {
            return Ok(());
        }
        stores.budgets.move_decision(org, decision_id, &decision.status, status).await?;
    }
    Ok(())
}

pub struct ApplyBudgets {
    pub stores: Stores,
    pub keyring: Arc<Keyring>,
    pub clients: Clients,
}

/// Why a change failed, as the code the page translates.
fn failure(e: &crate::integrations::graph::GraphError) -> &'static str {
    match e.code() {
        Some(190) => "error-ads-token-rejected",
        // "Unsupported post request. Object … does not exist": deleted at Meta since the proposal.
        Some(100) => "error-budget-campaign-gone",
        _ => "error-budget-meta-refused",
    }
}

#[async_trait]
impl JobHandler for ApplyBudgets {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let field = |k: &str| job.payload.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let (Some(org), Some(decision), Some(campaign)) = (field("org"), field("decision"), field("campaign")) else {
            return Err(JobError::permanent("payload without org, decision or campaign"));
        };
        let org = OrgId::new(org);
        let changes = self.stores.budgets.changes(&org, &decision).await.map_err(JobError::retry)?;
        let Some(change) = changes.iter().find(|c| c.campaign_id == campaign) else { return Ok(()) };
        if change.status != "pending" {
            return Ok(()); // applied (or given up) already: never asked of Meta twice
        }
        let now = OffsetDateTime::now_utc();
        let mut update = ChangeUpdate {
            org: &org,
            decision_id: &decision,
            campaign_id: &campaign,
            status: "failed",
            error: None,
            applied_budget: None,
            attempt: false,
            now,
        };
        let account = self.stores.ads.ad_account(&org).await.map_err(JobError::retry)?;
        let outcome = match account {
            None => Err("error-ads-not-connected"),
            Some(a) if a.status != ConnectionStatus::Connected => Err("error-ads-token-rejected"),
            Some(a) => {
                let client = self.clients.of(a.kind).ok_or_else(|| JobError::permanent("no client for this kind"))?;
                let token = self.keyring.decrypt(&org, &a.token).map_err(JobError::permanent)?;
                let (units, applied) = crate::ads::parse::meta_units(change.budget_after, &a.currency);
                match client.set_daily_budget(&campaign, units, &token).await {
                    Ok(true) => Ok(applied),
                    Ok(false) => Err("error-budget-meta-refused"),
                    // Throttled or unreachable: the job is retried with backoff, and the change
                    // shown as failed once its attempts are spent.
                    Err(e) if (e.throttled() || e.code().is_none()) && job.attempts < job.max_attempts => {
                        return Err(JobError::retry(e));
                    }
                    Err(e) if e.throttled() || e.code().is_none() => Err("error-budget-meta-unreachable"),
                    Err(e) => {
                        tracing::warn!(org = %org, campaign, error = %e, "Meta refused a budget change");
                        Err(failure(&e))
                    }
                }
            }
        };
        match outcome {
            Ok(applied) => (update.status, update.applied_budget) = ("applied", Some(applied)),
            Err(code) => update.error = Some(code),
        }
        self.stores.budgets.set_change(&update).await.map_err(JobError::retry)?;
        tracing::info!(org = %org, decision, campaign, status = update.status, "budget change done");
        settle(&self.stores, &org, &decision).await.map_err(JobError::retry)
    }
}
