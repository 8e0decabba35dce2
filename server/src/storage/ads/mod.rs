//! Meta ad accounts (one per organisation), what a sync reads from them — campaigns, ad sets, ads
//! with their creatives — and their daily insights, unique per object and day and upserted (Meta
//! restates recent days, so a day is written again each sync).

#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod mongo;
pub(crate) mod sqlite;

use super::{Millis, OptionMillis, StoreResult, millis, option_millis};
use super::whatsapp::{ConnectionKind, ConnectionStatus};
use app::ids::OrgId;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[async_trait]
pub trait AdsStore: Send + Sync {
    /// Creates or replaces the organisation's ad account connection.
    async fn save_ad_account(&self, account: &AdAccountRecord) -> StoreResult<()>;
    async fn ad_account(&self, org: &OrgId) -> StoreResult<Option<AdAccountRecord>>;
    /// Health: `Connected`, or `Reauthorise` with Meta's reason; false without a connection.
    async fn set_ad_account_status(
        &self,
        org: &OrgId,
        status: ConnectionStatus,
        detail: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Records where the running (or last) sync is; false without a connection.
    async fn set_sync(&self, org: &OrgId, sync: &SyncState) -> StoreResult<bool>;
    /// Records a sandbox account's clock; false without a connection.
    async fn set_clock(&self, org: &OrgId, clock: Clock) -> StoreResult<bool>;
    /// Removes the connection and everything synced from it.
    async fn remove_ad_account(&self, org: &OrgId) -> StoreResult<bool>;

    /// Creates or changes campaigns (by organisation and id).
    async fn upsert_campaigns(&self, campaigns: &[CampaignRecord]) -> StoreResult<()>;
    async fn upsert_ad_sets(&self, sets: &[AdSetRecord]) -> StoreResult<()>;
    async fn upsert_ads(&self, ads: &[AdRecord]) -> StoreResult<()>;
    /// Creates or replaces each (object, day).
    async fn upsert_insights(&self, insights: &[InsightRecord]) -> StoreResult<()>;

    /// The organisation's campaigns by name.
    async fn campaigns(&self, org: &OrgId) -> StoreResult<Vec<CampaignRecord>>;
    async fn campaign(&self, org: &OrgId, id: &str) -> StoreResult<Option<CampaignRecord>>;
    /// A campaign's ad sets and ads, by name.
    async fn ad_sets(&self, org: &OrgId, campaign_id: &str) -> StoreResult<Vec<AdSetRecord>>;
    async fn ads(&self, org: &OrgId, campaign_id: &str) -> StoreResult<Vec<AdRecord>>;
    /// Every ad's campaign: (ad id, campaign id).
    async fn ad_campaigns(&self, org: &OrgId) -> StoreResult<Vec<(String, String)>>;
    /// Sums of the insights at `level` for days `from..=to` (`YYYY-MM-DD`), grouped as asked, in
    /// key order; only the campaign's objects when `campaign` is given.
    async fn insight_sums(&self, org: &OrgId, query: &SumQuery<'_>) -> StoreResult<Vec<InsightSum>>;
    /// Each campaign's (or, at `Level::Adset`, ad set's) spend and revenue per day for days
    /// `from..=to`, by object then day (what the optimiser learns from).
    async fn daily_results(&self, org: &OrgId, level: Level, from: &str, to: &str) -> StoreResult<Vec<DayResultRow>>;

    /// Keeps the first sighting of each (campaign, day, age); later ones of the same age change
    /// nothing (the optimiser's maturity curve compares what successive ages showed).
    async fn record_sightings(&self, sightings: &[SightingRecord]) -> StoreResult<()>;
    /// Over the days from `from` (`YYYY-MM-DD`, inclusive) seen at both age `a` and `a + 1`, per
    /// campaign and age: what was seen at each, summed, and how many such days (by campaign, age).
    async fn sighting_pairs(&self, org: &OrgId, from: &str) -> StoreResult<Vec<SightingPairs>>;
}

/// A campaign's day as the optimiser reads it (minor units).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct DayResultRow {
    pub campaign_id: String,
    pub day: String,
    pub spend: i64,
    pub revenue: i64,
}

/// See [`AdsStore::sighting_pairs`]: days with revenue seen at `age` (`young`) and `age + 1`
/// (`old`, above zero).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SightingPairs {
    pub campaign_id: String,
    pub age: i64,
    pub young: i64,
    pub old: i64,
    pub days: i64,
}

/// [`SightingPairs`] from plain sightings (what an adapter without the SQL computes).
pub(crate) fn pair_up(rows: &[SightingRecord]) -> Vec<SightingPairs> {
    let mut by_campaign: std::collections::BTreeMap<&str, Vec<(&str, i64, i64)>> = Default::default();
    for r in rows {
        by_campaign.entry(&r.campaign_id).or_default().push((&r.day, r.age, r.revenue));
    }
    by_campaign.into_iter().flat_map(|(campaign, seen)| pair_campaign(campaign, seen)).collect()
}

/// One campaign's [`SightingPairs`] by age from its sightings `(day, age, revenue)`, in any order:
/// a day seen at ages `a` and `a + 1` (the later revenue above zero) adds both revenues.
pub(crate) fn pair_campaign(campaign: &str, mut seen: Vec<(&str, i64, i64)>) -> Vec<SightingPairs> {
    seen.sort_unstable();
    let mut sums: std::collections::BTreeMap<i64, (i64, i64, i64)> = Default::default();
    for w in seen.windows(2) {
        let ((day, age, young), (next_day, next_age, old)) = (w[0], w[1]);
        if day == next_day && next_age == age + 1 && young >= 0 && old > 0 {
            let sum = sums.entry(age).or_default();
            *sum = (sum.0 + young, sum.1 + old, sum.2 + 1);
        }
    }
    sums.into_iter()
        .map(|(age, (young, old, days))| SightingPairs { campaign_id: campaign.to_owned(), age, young, old, days })
        .collect()
}

/// What a sync read of a campaign's revenue for one of the account's days, when the day was
/// `age` days old (0: the sync ran the next day). Removed with the account.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct SightingRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub campaign_id: String,
    pub day: String,
    pub age: i64,
    /// Minor units.
    pub revenue: i64,
}

/// What [`AdsStore::insight_sums`] adds up.
#[derive(Clone, Copy, Debug)]
pub struct SumQuery<'a> {
    pub level: Level,
    pub from: &'a str,
    pub to: &'a str,
    pub group: Group,
    pub campaign: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// One sum per day (`key` = the day).
    Day,
    /// One sum per object (`key` = its id).
    Object,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Campaign,
    Adset,
}

impl Level {
    pub fn key(self) -> &'static str {
        match self {
            Level::Campaign => "campaign",
            Level::Adset => "adset",
        }
    }
}

impl TryFrom<String> for Level {
    type Error = super::StoreError;

    fn try_from(s: String) -> StoreResult<Self> {
        match s.as_str() {
            "campaign" => Ok(Level::Campaign),
            "adset" => Ok(Level::Adset),
            _ => Err(super::StoreError::Corrupt(format!("insight level {s}"))),
        }
    }
}

/// An organisation's Meta ad account.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct AdAccountRecord {
    #[serde(rename = "_id")]
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    #[sqlx(try_from = "String")]
    pub kind: ConnectionKind,
    /// Digits, without `act_`.
    pub account_id: String,
    pub page_id: String,
    pub name: String,
    /// ISO 4217; every amount of the account is in its minor units.
    pub currency: String,
    /// IANA time zone: the account's days.
    pub timezone: String,
    /// Meta's `account_status` (1 active, 2 disabled…).
    pub account_status: i64,
    /// The access token sealed with the keyring (context: the organisation).
    pub token: String,
    #[sqlx(try_from = "String")]
    pub status: ConnectionStatus,
    pub status_detail: Option<String>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub connected_at: OffsetDateTime,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub updated_at: OffsetDateTime,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub sync: SyncState,
    /// Sandbox accounts only: days their clock has been moved forward (the account's days run
    /// that far ahead of the calendar), and days of a simulation still to live.
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub clock: Clock,
}

/// A sandbox account's clock (see [`AdAccountRecord::clock`]); zero for Meta's accounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct Clock {
    #[serde(default)]
    pub clock_days: i64,
    #[serde(default)]
    pub clock_left: i64,
}

/// Where a sync is: its stage, the cursor to resume from, progress, and the last finished one.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct SyncState {
    /// `idle`, `running`, `waiting` (throttled, resumes by itself) or `failed`.
    pub sync_state: String,
    /// `campaigns`, `adsets`, `ads`, `insights-campaign`, `insights-adset`.
    pub sync_stage: String,
    /// Meta's `after` cursor within the stage: where a resumed sync starts.
    pub sync_cursor: Option<String>,
    pub sync_done: i64,
    pub sync_total: i64,
    /// What the last sync reported (rows skipped and why, the throttling met).
    pub sync_detail: Option<String>,
    #[sqlx(try_from = "OptionMillis")]
    #[serde(with = "option_millis", default)]
    pub last_sync_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct CampaignRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub id: String,
    pub name: String,
    pub objective: String,
    /// `ACTIVE`, `PAUSED`, `DELETED`, `ARCHIVED`.
    pub status: String,
    /// Minor units of the account's currency.
    pub daily_budget: Option<i64>,
    pub lifetime_budget: Option<i64>,
    pub bid_strategy: Option<String>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub synced_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct AdSetRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub id: String,
    pub campaign_id: String,
    pub name: String,
    pub status: String,
    pub daily_budget: Option<i64>,
    pub lifetime_budget: Option<i64>,
    pub bid_strategy: Option<String>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub synced_at: OffsetDateTime,
}

/// An ad and its creative.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct AdRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    pub id: String,
    pub adset_id: String,
    pub campaign_id: String,
    pub name: String,
    pub status: String,
    pub title: Option<String>,
    pub body: Option<String>,
    pub image_url: Option<String>,
    pub call_to_action: Option<String>,
    #[sqlx(try_from = "Millis")]
    #[serde(with = "millis")]
    pub synced_at: OffsetDateTime,
}

/// One object's results on one of the account's days. Amounts in minor units.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct InsightRecord {
    #[sqlx(try_from = "String")]
    pub org_id: OrgId,
    #[sqlx(try_from = "String")]
    pub level: Level,
    /// The campaign's or ad set's id.
    pub object_id: String,
    pub campaign_id: String,
    /// `YYYY-MM-DD` in the account's time zone.
    pub day: String,
    pub impressions: i64,
    pub clicks: i64,
    pub spend: i64,
    pub purchases: i64,
    pub revenue: i64,
}

/// A sum of insights (see [`AdsStore::insight_sums`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow, Serialize, Deserialize)]
pub struct InsightSum {
    pub key: String,
    pub impressions: i64,
    pub clicks: i64,
    pub spend: i64,
    pub purchases: i64,
    pub revenue: i64,
}
