//! The daily proposal and the automatic mode. Each finished ads sync queues `budgets.daily` for
//! its organisation: with settings saved and no plan applied yet on the account's day, it proposes
//! (the same inputs give back the same proposal, so later syncs only refresh it) and — when an
//! owner switched the automatic mode on — applies the proposal within the rails, once a day.
//! Before applying it checks that nothing looks wrong; if something does, it pauses itself, says
//! why on the page, and e-mails the admins:
//!
//! - `token`: Meta refused the ad account's token (checked first, also when a sync fails on it);
//! - `stall`: no sync in a day, or no results for the last two days;
//! - `spend`: yesterday's spend of the plan in force differs from its budgets by more than 25 %;
//! - `revenue`: revenue collapsed — the last three complete days each below the previous four
//!   weeks' mean by more than two standard deviations, and together under half of it.

use super::BudgetService;
use super::inputs::Inputs;
use crate::ads::dashboard::{account_today, day_at, day_text};
use crate::email::{EmailJob, SEND_EMAIL, Template};
use crate::jobs::{JobError, JobHandler};
use crate::storage::Stores;
use crate::storage::ads::AdAccountRecord;
use crate::storage::budgets::{BudgetSettingsRecord, DecisionRecord};
use crate::storage::jobs::{Job, JobStore, NewJob};
use crate::storage::whatsapp::ConnectionStatus;
use app::accounts::model::{Caller, Role};
use app::budgets::port::{BudgetError, Budgets};
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

pub const DAILY_JOB: &str = "budgets.daily";
/// Who the daily job and the automatic mode act as (audit entries and "applied by").
pub const SCHEDULE: &str = "schedule";
pub const AUTO: &str = "auto";

/// Largest share by which yesterday's spend may miss the plan's budgets.
const SPEND_TOLERANCE: f64 = 0.25;

/// Queues the daily run after a sync (`tag` tells one sync's from another's).
pub async fn schedule(jobs: &dyn JobStore, org: &OrgId, tag: &str) -> crate::storage::StoreResult<()> {
    let job = NewJob {
        kind: DAILY_JOB.into(),
        payload: serde_json::json!({ "org": org.as_str() }),
        run_at: OffsetDateTime::now_utc(),
        idempotency_key: Some(format!("budgets-daily:{org}:{tag}")),
        max_attempts: 5,
    };
    jobs.enqueue_job(&job).await.map(|_| ())
}

pub struct DailyBudgets {
    pub stores: Stores,
    pub service: Arc<BudgetService>,
    pub public_url: String,
}

fn acting(org: &OrgId, who: &str) -> Caller {
    Caller { user_id: UserId::new(who), org_id: org.clone(), role: Role::Owner }
}

fn retry(e: impl std::fmt::Display) -> JobError {
    JobError::retry(e)
}

#[async_trait]
impl JobHandler for DailyBudgets {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let org = job.payload.get("org").and_then(|o| o.as_str()).ok_or_else(|| JobError::permanent("no org"))?;
        self.run_for(&OrgId::new(org)).await
    }
}

impl DailyBudgets {
    /// The day's run for `org` (the job's work; a simulated day runs it inline after its sync).
    pub async fn run_for(&self, org: &OrgId) -> Result<(), JobError> {
        let org = org.clone();
        let Some(settings) = self.stores.budgets.budget_settings(&org).await.map_err(retry)? else { return Ok(()) };
        let Some(account) = self.stores.ads.ad_account(&org).await.map_err(retry)? else { return Ok(()) };
        let watching = settings.auto && settings.auto_paused.is_none();
        if account.status != ConnectionStatus::Connected {
            return if watching { self.pause(settings, "token").await } else { Ok(()) };
        }
        let today = account_today(&account);
        let recent = self.stores.budgets.decisions(&org, 20).await.map_err(retry)?;
        if recent.iter().any(|d| d.applied_at.is_some_and(|at| day_at(&account.timezone, at) == today)) {
            return Ok(()); // today's plan is set: budgets move once a day
        }
        let (proposal, inputs) = match self.service.propose_reading(&acting(&org, SCHEDULE)).await {
            Ok(read) => read,
            Err(e @ (BudgetError::ThinData | BudgetError::Infeasible | BudgetError::CurrencyMismatch(_))) => {
                tracing::info!(org = %org, reason = %e, "no daily budget proposal");
                return Ok(());
            }
            Err(e) => return Err(retry(e)),
        };
        if !watching || proposal.status != "proposed" {
            return Ok(());
        }
        if let Some(reason) = guard(&account, &inputs, &recent, OffsetDateTime::now_utc()) {
            return self.pause(settings, reason).await;
        }
        self.service.apply(&acting(&org, AUTO), &proposal.id).await.map_err(retry)?;
        tracing::info!(org = %org, decision = %proposal.id, "automatic mode applied the daily proposal");
        Ok(())
    }

    /// Pauses the automatic mode for `reason` and e-mails the organisation's admins and owners.
    async fn pause(&self, mut settings: BudgetSettingsRecord, reason: &str) -> Result<(), JobError> {
        let org = settings.org_id.clone();
        settings.auto_paused = Some(reason.to_owned());
        settings.updated_at = OffsetDateTime::now_utc();
        self.stores.budgets.save_budget_settings(&settings).await.map_err(retry)?;
        tracing::warn!(org = %org, reason, "automatic budget mode paused itself");
        let members = self.stores.members.members(&org).await.map_err(retry)?;
        let stamp = crate::storage::to_millis(settings.updated_at);
        for user in told(members) {
            let lang = app::i18n::Lang::from_code(&user.lang).unwrap_or(app::i18n::Lang::En);
            let vars = BTreeMap::from([
                ("name".to_owned(), user.first_name.clone()),
                ("reason".to_owned(), app::i18n::translate(lang, &format!("budget-paused-{reason}"), None)),
                ("link".to_owned(), format!("{}/app/campaigns/optimiser", self.public_url)),
            ]);
            let mail =
                EmailJob { to: user.email.clone(), template: Template::OptimiserPaused, lang, vars, sealed: None };
            let key = format!("budgets-paused:{org}:{stamp}:{}", user.id);
            let payload = serde_json::to_value(&mail).map_err(retry)?;
            crate::jobs::enqueue(self.stores.jobs.as_ref(), SEND_EMAIL, payload, Some(key)).await.map_err(retry)?;
        }
        Ok(())
    }
}

/// Who hears that the automatic mode paused: the organisation's admins and owners, not members.
fn told(members: Vec<(crate::storage::accounts::UserRecord, Role)>) -> Vec<crate::storage::accounts::UserRecord> {
    members.into_iter().filter(|(_, role)| role.can_manage_members()).map(|(user, _)| user).collect()
}

/// Why the automatic mode should not apply today's proposal, if anything looks wrong.
pub fn guard(
    account: &AdAccountRecord,
    inputs: &Inputs,
    decisions: &[DecisionRecord],
    now: OffsetDateTime,
) -> Option<&'static str> {
    if account.status != ConnectionStatus::Connected {
        return Some("token");
    }
    let synced_lately = account.sync.last_sync_at.is_some_and(|at| now - at <= Duration::days(1));
    let recent_results = inputs.candidates.iter().any(|c| c.history.iter().any(|d| d.age_days <= 1));
    if !synced_lately || !recent_results {
        return Some("stall");
    }
    if spend_diverged(account, inputs, decisions) {
        return Some("spend");
    }
    let horizon = inputs.maturity.horizon();
    let mut by_age: BTreeMap<u32, f64> = BTreeMap::new();
    for d in inputs.candidates.iter().flat_map(|c| c.history.iter()).filter(|d| d.age_days >= horizon) {
        *by_age.entry(d.age_days - horizon).or_default() += d.revenue;
    }
    let complete: Vec<f64> = (0..31).map(|age| by_age.get(&age).copied().unwrap_or(0.0)).collect();
    collapsed(&complete).then_some("revenue")
}

/// Whether yesterday's spend of the plan in force at its end (its changed campaigns) missed their
/// budgets by more than a quarter. Meta applies a new budget at once, so a plan applied yesterday
/// is yesterday's; one applied late in the day moves spend by less than the daily change limit.
fn spend_diverged(account: &AdAccountRecord, inputs: &Inputs, decisions: &[DecisionRecord]) -> bool {
    let yesterday = inputs.today - Duration::days(1);
    let in_force = decisions
        .iter()
        .filter(|d| d.applied_at.is_some_and(|at| day_at(&account.timezone, at) <= yesterday))
        .max_by_key(|d| d.applied_at);
    let Some(plan) = in_force.and_then(|d| serde_json::from_str::<app::budgets::model::Proposal>(&d.body).ok()) else {
        return false;
    };
    let (mut budget, mut spent) = (0.0, 0.0);
    for row in plan.rows.iter().filter(|r| r.budget_after != r.budget_before) {
        budget += row.budget_after as f64;
        let campaign = inputs.candidates.iter().find(|c| c.holder.id == row.id);
        spent += campaign.and_then(|c| c.history.iter().find(|d| d.age_days == 0)).map_or(0.0, |d| d.spend);
    }
    tracing::debug!(day = %day_text(yesterday), budget, spent, "spend against the plan in force");
    budget > 0.0 && ((spent - budget) / budget).abs() > SPEND_TOLERANCE
}

/// A change-point in daily revenue, newest day first: the last three days each more than two
/// standard deviations under the mean of the 28 before them, and together under half of it.
pub fn collapsed(days: &[f64]) -> bool {
    if days.len() < 31 {
        return false;
    }
    let (last, before) = (&days[..3], &days[3..31]);
    let mean = before.iter().sum::<f64>() / before.len() as f64;
    let sd = (before.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (before.len() - 1) as f64).sqrt();
    mean > 0.0 && last.iter().all(|&v| v < mean - 2.0 * sd) && last.iter().sum::<f64>() / 3.0 < mean / 2.0
}

#[cfg(test)]
mod tests {
    use super::{collapsed, told};
    use app::accounts::model::Role;

    #[test]
    fn a_pause_is_told_to_admins_and_owners_only() {
        let user = |id: &str| crate::storage::accounts::UserRecord {
            id: app::ids::UserId::new(id),
            email: format!("{id}@tienda.mx"),
            first_name: id.into(),
            last_name: "Test".into(),
            password_hash: String::new(),
            lang: "es".into(),
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            session_epoch: 0,
        };
        let members = vec![(user("ana"), Role::Owner), (user("luis"), Role::Member), (user("eva"), Role::Admin)];
        let emails: Vec<String> = told(members).into_iter().map(|u| u.email).collect();
        assert_eq!(emails, ["ana@tienda.mx", "eva@tienda.mx"]);
    }

    fn days(last: [f64; 3]) -> Vec<f64> {
        let mut d = last.to_vec();
        d.extend((0..28).map(|i| 1_000.0 + if i % 2 == 0 { 80.0 } else { -80.0 }));
        d
    }

    #[test]
    fn a_collapse_is_three_days_far_under_the_month_before() {
        assert!(collapsed(&days([300.0, 350.0, 280.0])));
        assert!(!collapsed(&days([300.0, 950.0, 280.0])), "one ordinary day breaks the run");
        assert!(!collapsed(&days([800.0, 790.0, 810.0])), "low but not half");
        assert!(!collapsed(&days([300.0, 350.0, 280.0])[..20]), "a month of history is needed");
    }
}
