//! Wire types of the campaigns dashboard and the ad account connection. Money is in the account
//! currency's minor units (see `money.rs`).

use serde::{Deserialize, Serialize};

/// The organisation's Meta ad account (never its token).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdAccountView {
    /// `meta` or `sandbox`.
    pub kind: String,
    /// Digits, without `act_`.
    pub account_id: String,
    pub page_id: String,
    pub name: String,
    pub currency: String,
    pub timezone: String,
    /// `connected` or `reauthorise`.
    pub status: String,
    pub sync: SyncView,
    /// A sandbox account's clock: days it has been moved forward (its today runs that far ahead
    /// of the calendar), and days of a running simulation still to live.
    #[serde(default)]
    pub clock_days: i64,
    #[serde(default)]
    pub clock_left: i64,
}

impl AdAccountView {
    pub fn is_sandbox(&self) -> bool {
        self.kind == "sandbox"
    }

    pub fn needs_reauthorisation(&self) -> bool {
        self.status == "reauthorise"
    }
}

/// Where the account's sync is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncView {
    /// `idle`, `running`, `waiting` (throttled by Meta, resumes by itself) or `failed`.
    pub state: String,
    pub stage: String,
    pub done: i64,
    pub total: i64,
    pub detail: Option<String>,
    /// Unix milliseconds of the last finished sync.
    pub last_sync_at: Option<i64>,
}

impl SyncView {
    pub fn busy(&self) -> bool {
        self.state == "running" || self.state == "waiting"
    }

    /// 0–100 over the stages and the rows of the current one.
    pub fn percent(&self) -> u32 {
        const STAGES: [&str; 5] = ["campaigns", "adsets", "ads", "insights-campaign", "insights-adset"];
        let index = STAGES.iter().position(|s| *s == self.stage).unwrap_or(0) as f64;
        let within = if self.total > 0 { (self.done as f64 / self.total as f64).min(1.0) } else { 0.0 };
        ((index + within) / STAGES.len() as f64 * 100.0).round() as u32
    }
}

/// What an ad account's money did over a period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub spend: i64,
    pub impressions: i64,
    pub clicks: i64,
    pub purchases: i64,
    pub revenue: i64,
}

impl Totals {
    /// Revenue per unit of spend; `None` without spend.
    pub fn roas(&self) -> Option<f64> {
        (self.spend > 0).then(|| self.revenue as f64 / self.spend as f64)
    }

    /// Clicks per impression, as a percentage.
    pub fn ctr(&self) -> Option<f64> {
        (self.impressions > 0).then(|| self.clicks as f64 * 100.0 / self.impressions as f64)
    }

    /// Spend per click, in minor units.
    pub fn cpc(&self) -> Option<f64> {
        (self.clicks > 0).then(|| self.spend as f64 / self.clicks as f64)
    }
}

/// The relative change from `before` to `now` (0.25 = +25 %); `None` when there was nothing before.
pub fn change(now: f64, before: f64) -> Option<f64> {
    (before != 0.0 && now.is_finite() && before.is_finite()).then(|| (now - before) / before.abs())
}

/// The dashboard's period: `days` days ending `to` (inclusive), and the period before it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// `7`, `14`, `28`, `90` or `custom`.
    pub preset: String,
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignRow {
    pub id: String,
    pub name: String,
    pub status: String,
    pub objective: String,
    pub daily_budget: Option<i64>,
    pub lifetime_budget: Option<i64>,
    pub totals: Totals,
    /// The WhatsApp conversations its click-to-WhatsApp ads started in the period.
    #[serde(default)]
    pub conversations: Conversations,
}

/// What the conversations a campaign's ads started became.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversations {
    pub started: i64,
    /// An agent answered.
    pub replied: i64,
    pub resolved: i64,
    /// Orders recorded on them, in the account's currency, and their total.
    pub orders: i64,
    pub revenue: i64,
}

/// A chart drawn on the server into SVG, shown as an image: the page carries its words and
/// addresses, not the drawing (which would weigh on every page's hydration data).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    /// `spend-revenue`, `roas`, `reach` (a campaign page's start `campaign-`), `messages`.
    pub id: String,
    pub title: String,
    /// What it shows in words (its days, last and highest figures): the image's alt text.
    pub desc: String,
    /// The drawing for phones (360×220) and for wider screens (1200×300): `GET /api/ads/charts/…`.
    pub small: String,
    pub large: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub account: Option<AdAccountView>,
    pub currency: String,
    pub period: Period,
    pub current: Totals,
    pub previous: Totals,
    pub campaigns: Vec<CampaignRow>,
    pub charts: Vec<Chart>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdSetView {
    pub id: String,
    pub name: String,
    pub status: String,
    pub daily_budget: Option<i64>,
    pub totals: Totals,
    pub ads: Vec<AdView>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdView {
    pub id: String,
    pub name: String,
    pub status: String,
    pub title: Option<String>,
    pub body: Option<String>,
    pub image_url: Option<String>,
    pub call_to_action: Option<String>,
}

/// One campaign over the period: its figures, charts, ad sets and their ads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignDetail {
    pub currency: String,
    pub period: Period,
    pub campaign: CampaignRow,
    pub previous: Totals,
    pub charts: Vec<Chart>,
    pub ad_sets: Vec<AdSetView>,
}

/// The messaging side of a period (`/app/analytics`): what the inbox did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MessagingAnalytics {
    pub period: Period,
    /// Conversations opened in the period, by status now: (`open` | `pending` | `resolved`, count).
    pub opened: Vec<(String, i64)>,
    pub messages_in: i64,
    pub messages_out: i64,
    /// Our messages by status: (`pending` | `sent` | `delivered` | `read` | `failed`, count).
    pub outbound: Vec<(String, i64)>,
    /// Medians in seconds; `None` when nothing was answered (resolved).
    pub median_first_response: Option<i64>,
    pub median_resolution: Option<i64>,
    pub agents: Vec<AgentRow>,
    /// Messages in and out per day.
    pub charts: Vec<Chart>,
}

impl MessagingAnalytics {
    /// Share (0–1) of our messages that reached `status` or beyond: delivered counts read ones.
    pub fn rate(&self, statuses: &[&str]) -> Option<f64> {
        let sent: i64 = self.outbound.iter().filter(|(s, _)| s != "pending").map(|(_, n)| n).sum();
        let hit: i64 = self.outbound.iter().filter(|(s, _)| statuses.contains(&s.as_str())).map(|(_, n)| n).sum();
        (sent > 0).then(|| hit as f64 / sent as f64)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentRow {
    pub user_id: String,
    pub name: String,
    pub sent: i64,
    pub assigned: i64,
    pub resolved: i64,
}
