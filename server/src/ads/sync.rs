//! The ad account's sync, a background job: campaigns, ad sets, ads with their creatives, then
//! daily insights per campaign and per ad set, page by page along Meta's cursors. After each page
//! the stage and cursor are stored, so a sync that Meta throttles (codes 4, 17, 32, 613,
//! 80000–80014, or `X-Business-Use-Case-Usage` near its limit) waits and resumes where it stopped,
//! and a restarted one does too. The first sync reads 90 days; later ones the last 28, because
//! Meta restates recent days. Rows that cannot be read are counted with their reason in the
//! sync's report, never stored wrong. A finished sync queues the next one.

use super::connect::Clients;
use super::parse::{self, Skip};
use crate::crypto::Keyring;
use crate::integrations::graph::GraphError;
use crate::integrations::meta_ads::{Edge, MarketingClient, Window};
use crate::jobs::{JobError, JobHandler};
use crate::storage::ads::{AdAccountRecord, InsightRecord, Level, SightingRecord, SyncState};
use crate::storage::jobs::{Job, JobStore, NewJob};
use crate::storage::whatsapp::ConnectionStatus;
use crate::storage::{StoreResult, Stores};
use app::ids::OrgId;
use async_trait::async_trait;
use secrecy::SecretString;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

pub const ADS_SYNC_JOB: &str = "ads.sync";
pub const EVERY: Duration = Duration::hours(3);

/// The stages in order, as stored in `sync_stage`.
pub const STAGES: [(&str, Edge); 5] = [
    ("campaigns", Edge::Campaigns),
    ("adsets", Edge::AdSets),
    ("ads", Edge::Ads),
    ("insights-campaign", Edge::CampaignInsights),
    ("insights-adset", Edge::AdSetInsights),
];

/// Queues a sync: now (`key` names the request) or, for the recurring chain, in the next slot.
pub async fn schedule(jobs: &dyn JobStore, org: &OrgId, now: OffsetDateTime, now_please: bool) -> StoreResult<()> {
    let (key, run_at) = if now_please {
        (format!("ads-sync:{org}:now:{}", uuid::Uuid::new_v4()), now)
    } else {
        let (slot, run_at) = crate::jobs::next_slot(org, now, EVERY);
        (format!("ads-sync:{org}:{slot}"), run_at)
    };
    let job = NewJob {
        kind: ADS_SYNC_JOB.to_owned(),
        payload: serde_json::json!({ "org": org.as_str() }),
        run_at,
        idempotency_key: Some(key),
        max_attempts: 5,
    };
    jobs.enqueue_job(&job).await.map(|_| ())
}

pub struct SyncAds {
    pub stores: Stores,
    pub keyring: Arc<Keyring>,
    pub clients: Clients,
    /// How long a throttled sync waits when Meta does not say (tests shorten it).
    pub throttle_wait: std::time::Duration,
}

/// How a sync run ended, short of an error to retry.
enum Ended {
    Done,
    /// Throttled: resume after this long.
    Wait(std::time::Duration),
    /// Token refused or account disabled: the connection needs re-authorisation.
    Reauthorise(String),
    /// Disconnected meanwhile.
    Gone,
}

/// What a sync read and skipped; carried from a throttled run to the one that resumes it (in the
/// resuming job's payload), so the final report covers the whole sync.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Report {
    rows: i64,
    skipped: BTreeMap<String, u32>,
}

impl Report {
    fn skip(&mut self, stage: &str, Skip(reason): Skip) {
        tracing::warn!(stage, reason = %reason, "ads sync: row skipped");
        *self.skipped.entry(format!("{stage}: {reason}")).or_default() += 1;
    }

    fn summary(&self) -> Option<String> {
        let skipped: u32 = self.skipped.values().sum();
        (skipped > 0).then(|| {
            let reasons: Vec<String> = self.skipped.iter().take(5).map(|(r, n)| format!("{n}× {r}")).collect();
            format!("{skipped} rows skipped ({})", reasons.join("; "))
        })
    }
}

#[async_trait]
impl JobHandler for SyncAds {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let org = job.payload.get("org").and_then(|o| o.as_str()).ok_or_else(|| JobError::permanent("no org"))?;
        let org = OrgId::new(org);
        let carried = job.payload.get("report").cloned().and_then(|r| serde_json::from_value(r).ok());
        let Some(finished) = self.sync_now(&org, carried, job.attempts < job.max_attempts).await? else {
            return Ok(());
        };
        let tag = crate::storage::to_millis(finished).to_string();
        crate::budgets::auto::schedule(self.stores.jobs.as_ref(), &org, &tag).await.map_err(JobError::retry)?;
        schedule(self.stores.jobs.as_ref(), &org, finished, false).await.map_err(JobError::retry)
    }
}

impl SyncAds {
    /// One sync of the organisation's account, from where `carried` (a throttled run's report)
    /// left off; `retried` says whether a failure will be tried again. The time it finished, when
    /// it did — what follows a sync (the daily budget job, the next sync) is the caller's: the
    /// recurring job queues it, a simulated day runs it inline.
    pub async fn sync_now(
        &self,
        org: &OrgId,
        carried: Option<Report>,
        retried: bool,
    ) -> Result<Option<OffsetDateTime>, JobError> {
        let store = &self.stores.ads;
        let Some(account) = store.ad_account(org).await.map_err(JobError::retry)? else { return Ok(None) };
        if account.status != ConnectionStatus::Connected {
            return Ok(None); // waiting for a new token: the chain ends (connecting again restarts it)
        }
        let client = self.clients.of(account.kind).ok_or_else(|| JobError::permanent("no client for this kind"))?;
        let token = self.keyring.decrypt(org, &account.token).map_err(JobError::permanent)?;
        let mut report: Report = carried.unwrap_or_default();
        let ended = self.sync(org, &account, client, &token, &mut report).await;
        let now = OffsetDateTime::now_utc();
        let mut state = store.ad_account(org).await.map_err(JobError::retry)?.map(|a| a.sync).unwrap_or_default();
        match ended {
            Ok(Ended::Done) => {
                state = SyncState {
                    sync_state: "idle".into(),
                    sync_stage: String::new(),
                    sync_cursor: None,
                    sync_done: report.rows,
                    sync_total: report.rows,
                    sync_detail: report.summary(),
                    last_sync_at: Some(now),
                };
                store.set_sync(org, &state).await.map_err(JobError::retry)?;
                tracing::info!(org = %org, rows = report.rows, "ads synced");
                Ok(Some(now))
            }
            Ok(Ended::Wait(wait)) => {
                state.sync_state = "waiting".into();
                state.sync_detail = Some(format!("throttled by Meta: resuming in {} s", wait.as_secs()));
                store.set_sync(org, &state).await.map_err(JobError::retry)?;
                let resume = NewJob {
                    kind: ADS_SYNC_JOB.to_owned(),
                    payload: serde_json::json!({ "org": org.as_str(), "report": report }),
                    run_at: now + wait,
                    idempotency_key: Some(format!("ads-sync:{org}:resume:{}", crate::storage::to_millis(now))),
                    max_attempts: 5,
                };
                tracing::warn!(org = %org, wait_s = wait.as_secs(), "ads sync throttled; resuming later");
                self.stores.jobs.enqueue_job(&resume).await.map(|_| None).map_err(JobError::retry)
            }
            Ok(Ended::Reauthorise(reason)) => {
                store
                    .set_ad_account_status(org, ConnectionStatus::Reauthorise, Some(&reason), now)
                    .await
                    .map_err(JobError::retry)?;
                state.sync_state = "failed".into();
                state.sync_detail = Some(reason);
                store.set_sync(org, &state).await.map_err(JobError::retry)?;
                tracing::warn!(org = %org, "the ad account needs re-authorisation");
                // The automatic mode pauses on it (and says so) rather than wait for a sync.
                let tag = format!("token:{}", crate::storage::to_millis(now));
                crate::budgets::auto::schedule(self.stores.jobs.as_ref(), org, &tag).await.map_err(JobError::retry)?;
                Ok(None)
            }
            Ok(Ended::Gone) => Ok(None),
            Err(e) => {
                state.sync_state = if retried { "waiting" } else { "failed" }.into();
                state.sync_detail = Some(e.to_string());
                store.set_sync(org, &state).await.map_err(JobError::retry)?;
                Err(JobError::retry(e))
            }
        }
    }

    async fn sync(
        &self,
        org: &OrgId,
        account: &AdAccountRecord,
        client: &MarketingClient,
        token: &SecretString,
        report: &mut Report,
    ) -> Result<Ended, SyncError> {
        let store = &self.stores.ads;
        // The account first: its status, currency and time zone may have changed.
        let fresh = match client.ad_account(&account.account_id, token).await {
            Ok(fresh) => fresh,
            Err(e) if e.needs_reauthorisation() => return Ok(Ended::Reauthorise("190".into())),
            Err(e) if e.throttled() => return Ok(Ended::Wait(self.throttle_wait)),
            Err(e) => return Err(e.into()),
        };
        if super::connect::disabled(fresh.account_status) {
            return Ok(Ended::Reauthorise(format!("account status {}", fresh.account_status)));
        }
        let currency = fresh.currency.clone();
        let today = super::dashboard::day_at(&fresh.timezone_name, super::dashboard::account_now(account));
        if fresh.currency != account.currency || fresh.timezone_name != account.timezone || fresh.name != account.name {
            let mut updated = account.clone();
            (updated.currency, updated.timezone, updated.name) = (fresh.currency, fresh.timezone_name, fresh.name);
            updated.account_status = fresh.account_status;
            store.save_ad_account(&updated).await?;
        }
        let window = if account.sync.last_sync_at.is_none() { Window::Last90 } else { Window::Last28 };
        // Resume where a stopped run left off; else from the start.
        let resuming = matches!(account.sync.sync_state.as_str(), "running" | "waiting");
        let first =
            if resuming { STAGES.iter().position(|(s, _)| *s == account.sync.sync_stage).unwrap_or(0) } else { 0 };
        let mut cursor = if resuming { account.sync.sync_cursor.clone() } else { None };
        let mut state =
            SyncState { sync_state: "running".into(), last_sync_at: account.sync.last_sync_at, ..Default::default() };
        for &(stage, edge) in &STAGES[first..] {
            let mut seen = HashSet::new();
            state.sync_stage = stage.into();
            state.sync_done = 0;
            state.sync_cursor = cursor.clone();
            if !store.set_sync(org, &state).await? {
                return Ok(Ended::Gone);
            }
            loop {
                let fetched = match client.page(&account.account_id, edge, window, cursor.as_deref(), token).await {
                    Ok(f) => f,
                    Err(e) if e.needs_reauthorisation() => return Ok(Ended::Reauthorise("190".into())),
                    Err(e) if e.throttled() => return Ok(Ended::Wait(self.throttle_wait)),
                    Err(e) => return Err(e.into()),
                };
                self.keep(org, edge, stage, &fetched.page.data, (&currency, today), report).await?;
                let next = fetched.page.after();
                state.sync_done += fetched.page.data.len() as i64;
                state.sync_total = state.sync_done + if next.is_some() { fetched.page.data.len() as i64 } else { 0 };
                if let Some(after) = &next
                    && !seen.insert(after.clone())
                {
                    report.skip(stage, Skip(format!("the cursor {after} came back: paging stopped")));
                    cursor = None;
                } else {
                    cursor = next;
                }
                state.sync_cursor = cursor.clone();
                if !store.set_sync(org, &state).await? {
                    return Ok(Ended::Gone);
                }
                let usage = fetched.usage;
                if usage.regain_minutes > 0 || usage.percent >= 95.0 {
                    let meta_wait = std::time::Duration::from_secs(usage.regain_minutes * 60);
                    if cursor.is_some() || stage != STAGES[STAGES.len() - 1].0 {
                        // Move the stored position past a finished stage before waiting.
                        if cursor.is_none() {
                            let next_stage = STAGES.iter().position(|(s, _)| *s == stage).map_or(0, |i| i + 1);
                            state.sync_stage = STAGES[next_stage].0.into();
                            state.sync_done = 0;
                            store.set_sync(org, &state).await?;
                        }
                        return Ok(Ended::Wait(meta_wait.max(self.throttle_wait)));
                    }
                } else if usage.percent >= 75.0 {
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
                if cursor.is_none() {
                    break;
                }
            }
        }
        Ok(Ended::Done)
    }

    /// Parses a page's rows and upserts those that read.
    async fn keep(
        &self,
        org: &OrgId,
        edge: Edge,
        stage: &str,
        rows: &[serde_json::Value],
        (currency, today): (&str, time::Date),
        report: &mut Report,
    ) -> Result<(), SyncError> {
        let store = &self.stores.ads;
        let now = OffsetDateTime::now_utc();
        report.rows += rows.len() as i64;
        macro_rules! parsed {
            ($parse:expr) => {{
                let mut kept = Vec::with_capacity(rows.len());
                for row in rows {
                    match $parse(row) {
                        Ok(record) => kept.push(record),
                        Err(skip) => report.skip(stage, skip),
                    }
                }
                kept
            }};
        }
        match edge {
            Edge::Campaigns => store.upsert_campaigns(&parsed!(|r| parse::campaign(org, r, currency, now))).await,
            Edge::AdSets => store.upsert_ad_sets(&parsed!(|r| parse::ad_set(org, r, currency, now))).await,
            Edge::Ads => store.upsert_ads(&parsed!(|r| parse::ad(org, r, now))).await,
            Edge::CampaignInsights => {
                let insights = parsed!(|r| parse::insight(org, Level::Campaign, r, currency));
                store.upsert_insights(&insights).await?;
                store.record_sightings(&sightings(&insights, today)).await
            }
            Edge::AdSetInsights => {
                store.upsert_insights(&parsed!(|r| parse::insight(org, Level::Adset, r, currency))).await
            }
        }
        .map_err(SyncError::from)
    }
}

/// What this sync saw of each campaign day's revenue, at the day's age (0: yesterday); today's
/// unfinished day is not a sighting.
fn sightings(insights: &[InsightRecord], today: time::Date) -> Vec<SightingRecord> {
    insights
        .iter()
        .filter_map(|i| {
            let age = (today - super::dashboard::parse_day(&i.day)?).whole_days() - 1;
            (age >= 0).then(|| SightingRecord {
                org_id: i.org_id.clone(),
                campaign_id: i.campaign_id.clone(),
                day: i.day.clone(),
                age,
                revenue: i.revenue,
            })
        })
        .collect()
}

/// A failure worth retrying the job for.
#[derive(Debug, thiserror::Error)]
enum SyncError {
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error("store: {0}")]
    Store(#[from] crate::storage::StoreError),
}
