//! Meta Marketing API: the ad account behind a connection, and the edges a sync pages through
//! (campaigns, ad sets, ads with their creatives, daily insights).

use super::graph::{GraphClient, GraphError};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::Value;

#[derive(Clone)]
pub struct MarketingClient(pub GraphClient);

/// `GET /{version}/act_{ad-account-id}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AdAccount {
    /// `act_<digits>`.
    pub id: String,
    pub name: String,
    /// ISO 4217, e.g. `USD`; every figure of the account is in it.
    pub currency: String,
    /// IANA name, e.g. `America/Mexico_City`; days of insights are its days.
    pub timezone_name: String,
    /// 1 active, 2 disabled, 3 unsettled, 7 pending risk review, 9 in grace period, 101 closed…
    pub account_status: i64,
}

/// One page of an edge: `{"data": [...], "paging": {"cursors": {"after"}, "next"}}`. Rows stay
/// JSON: a row the sync cannot read is reported and skipped, never a failed page.
#[derive(Clone, Debug, Deserialize)]
pub struct Page {
    #[serde(default)]
    pub data: Vec<Value>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Paging {
    #[serde(default)]
    pub cursors: Option<Cursors>,
    /// Present while there is a next page.
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Cursors {
    #[serde(default)]
    pub after: Option<String>,
}

impl Page {
    /// The cursor of the next page, or `None` on the last one.
    pub fn after(&self) -> Option<String> {
        let paging = self.paging.as_ref()?;
        paging.next.as_ref()?;
        paging.cursors.as_ref()?.after.clone()
    }
}

/// The edges a sync reads, with the fields it asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    Campaigns,
    AdSets,
    Ads,
    /// Daily insights at campaign level, or at ad set level.
    CampaignInsights,
    AdSetInsights,
}

impl Edge {
    fn path(self) -> &'static str {
        match self {
            Edge::Campaigns => "campaigns",
            Edge::AdSets => "adsets",
            Edge::Ads => "ads",
            Edge::CampaignInsights | Edge::AdSetInsights => "insights",
        }
    }

    fn fields(self) -> &'static str {
        match self {
            Edge::Campaigns => "id,name,objective,status,daily_budget,lifetime_budget,bid_strategy",
            Edge::AdSets => "id,campaign_id,name,status,daily_budget,lifetime_budget,bid_strategy",
            Edge::Ads => "id,adset_id,campaign_id,name,status,creative{title,body,image_url,call_to_action_type}",
            Edge::CampaignInsights | Edge::AdSetInsights => {
                "campaign_id,adset_id,date_start,impressions,clicks,spend,actions,action_values,purchase_roas"
            }
        }
    }
}

/// One page and Meta's rate-limit usage reported with it.
pub struct Fetched {
    pub page: Page,
    pub usage: Usage,
}

/// From `X-Business-Use-Case-Usage`: the highest percentage of any limit used, and how long
/// Meta asks to wait before calling again.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Usage {
    pub percent: f64,
    pub regain_minutes: u64,
}

impl Usage {
    /// `{"<business-id>": [{"type": "ads_insights", "call_count": 28, "total_cputime": 25,
    /// "total_time": 25, "estimated_time_to_regain_access": 0}]}`; anything else reads as no usage.
    pub fn parse(header: Option<&str>) -> Usage {
        let Some(doc) = header.and_then(|h| serde_json::from_str::<Value>(h).ok()) else { return Usage::default() };
        let mut usage = Usage::default();
        for entry in
            doc.as_object().into_iter().flat_map(|o| o.values()).flat_map(|v| v.as_array().into_iter().flatten())
        {
            for key in ["call_count", "total_cputime", "total_time"] {
                if let Some(p) = entry.get(key).and_then(Value::as_f64) {
                    usage.percent = usage.percent.max(p);
                }
            }
            if let Some(m) = entry.get("estimated_time_to_regain_access").and_then(Value::as_u64) {
                usage.regain_minutes = usage.regain_minutes.max(m);
            }
        }
        usage
    }
}

/// The insights' date range: Meta's own presets, so days are the account's days in its time
/// zone (`last_90d` on a first sync, `last_28d` after — Meta restates recent days).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    Last28,
    Last90,
}

impl Window {
    pub fn preset(self) -> &'static str {
        match self {
            Window::Last28 => "last_28d",
            Window::Last90 => "last_90d",
        }
    }
}

impl MarketingClient {
    /// `account_id` with or without its `act_` prefix.
    pub async fn ad_account(&self, account_id: &str, token: &SecretString) -> Result<AdAccount, GraphError> {
        let id = account_id.trim_start_matches("act_");
        let fields = [("fields", "id,name,currency,timezone_name,account_status")];
        self.0.get(&format!("act_{id}"), &fields, token).await
    }

    /// Sets a campaign's daily budget (`POST /{version}/{campaign-id}`), in Meta's units of the
    /// account's currency (see `ads::parse::meta_units`). True when Meta answered
    /// `{"success": true}`.
    pub async fn set_daily_budget(
        &self,
        campaign_id: &str,
        units: i64,
        token: &SecretString,
    ) -> Result<bool, GraphError> {
        let answer: serde_json::Value =
            self.0.post(campaign_id, &serde_json::json!({ "daily_budget": units.to_string() }), token).await?;
        Ok(answer.get("success").and_then(|s| s.as_bool()) == Some(true))
    }

    /// The sandbox only (not a Meta call): moves the sandbox ad account's clock forward to `clock`
    /// days ahead of the calendar (`POST /{version}/act_{id}/sandbox_clock`; asking twice moves it
    /// once). Answers the clock's days.
    pub async fn advance_sandbox_clock(
        &self,
        account_id: &str,
        clock: i64,
        token: &SecretString,
    ) -> Result<i64, GraphError> {
        let path = format!("act_{account_id}/sandbox_clock");
        let answer: serde_json::Value = self.0.post(&path, &serde_json::json!({ "clock": clock }), token).await?;
        Ok(answer.get("clock").and_then(|c| c.as_i64()).unwrap_or(0))
    }

    /// One page of `edge`, from `after` (the first page without it).
    pub async fn page(
        &self,
        account_id: &str,
        edge: Edge,
        window: Window,
        after: Option<&str>,
        token: &SecretString,
    ) -> Result<Fetched, GraphError> {
        let mut query = vec![("fields", edge.fields()), ("limit", "500")];
        match edge {
            Edge::CampaignInsights => query.extend([("level", "campaign"), ("time_increment", "1")]),
            Edge::AdSetInsights => query.extend([("level", "adset"), ("time_increment", "1")]),
            _ => {}
        }
        if matches!(edge, Edge::CampaignInsights | Edge::AdSetInsights) {
            query.push(("date_preset", window.preset()));
        }
        if let Some(after) = after {
            query.push(("after", after));
        }
        let path = format!("act_{}/{}", account_id.trim_start_matches("act_"), edge.path());
        let (page, headers) = self.0.get_with_headers::<Page>(&path, &query, token).await?;
        let usage = Usage::parse(headers.get("x-business-use-case-usage").and_then(|v| v.to_str().ok()));
        Ok(Fetched { page, usage })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_reads_the_highest_share_of_any_limit_and_the_wait_meta_asks_for() {
        let header = r#"{"1234": [{"type": "ads_insights", "call_count": 28, "total_cputime": 96, "total_time": 40,
            "estimated_time_to_regain_access": 0}], "5678": [{"type": "ads_management", "call_count": 3,
            "estimated_time_to_regain_access": 7}]}"#;
        assert_eq!(Usage::parse(Some(header)), Usage { percent: 96.0, regain_minutes: 7 });
        assert_eq!(Usage::parse(Some("not json")), Usage::default());
        assert_eq!(Usage::parse(None), Usage::default());
    }

    #[test]
    fn the_last_page_has_no_next_cursor() {
        let more: Page =
            serde_json::from_str(r#"{"data": [], "paging": {"cursors": {"after": "QVFI"}, "next": "https://x"}}"#)
                .unwrap();
        assert_eq!(more.after().as_deref(), Some("QVFI"));
        let last: Page = serde_json::from_str(r#"{"data": [{}], "paging": {"cursors": {"after": "QVFI"}}}"#).unwrap();
        assert_eq!(last.after(), None);
    }
}
