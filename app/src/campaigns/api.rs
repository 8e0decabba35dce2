//! Server functions for the campaigns dashboard and the ad account connection. Each checks the
//! caller, then calls the port; every one also accepts a bearer token (see `docs/API.md`).

use super::model::{AdAccountView, CampaignDetail, Dashboard, MessagingAnalytics};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::port::{AdConnectForm, DashboardQuery},
    crate::i18n::Lang,
    crate::server::respond::finish_form,
    crate::server::{caller, services},
};

#[server(name = AdAccount, prefix = "/api", endpoint = "ads/account")]
pub async fn ad_account() -> Result<Option<AdAccountView>, AppError> {
    let caller = caller().await?;
    Ok(services()?.ads.account(&caller).await?)
}

// The connection forms answer with nothing (read the account again); a plain HTML post goes back
// to Settings with the outcome.

#[server(name = ConnectAds, prefix = "/api", endpoint = "ads/connect")]
pub async fn connect_ads(account_id: String, page_id: String, access_token: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let form = AdConnectForm { account_id, page_id, access_token };
    finish_form(services()?.ads.connect(&caller, form).await.map(|_| ()), "ads")
}

#[server(name = ConnectAdsSandbox, prefix = "/api", endpoint = "ads/connect-sandbox")]
pub async fn connect_ads_sandbox() -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.ads.connect_sandbox(&caller).await.map(|_| ()), "ads")
}

#[server(name = DisconnectAds, prefix = "/api", endpoint = "ads/disconnect")]
pub async fn disconnect_ads() -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.ads.disconnect(&caller).await, "ads")
}

#[server(name = SyncAds, prefix = "/api", endpoint = "ads/sync")]
pub async fn sync_ads() -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.ads.sync(&caller).await, "ads-sync")
}

/// Sandbox accounts: simulate `days` days (see `Ads::simulate`).
#[server(name = SimulateDays, prefix = "/api", endpoint = "ads/simulate")]
pub async fn simulate_days(days: String) -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.ads.simulate(&caller, &days).await, "simulate")
}

#[cfg(feature = "ssr")]
fn query(
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sort: Option<String>,
    lang: Option<String>,
) -> DashboardQuery {
    DashboardQuery {
        range: range.unwrap_or_default(),
        from: from.filter(|f| !f.is_empty()),
        to: to.filter(|t| !t.is_empty()),
        sort: sort.unwrap_or_default(),
        lang: lang.as_deref().and_then(Lang::from_code).unwrap_or(Lang::En),
    }
}

/// The dashboard for a period: `range` 7, 14, 28 (default) or 90 days ending yesterday in the
/// account's time zone, or `custom` with `from`/`to`; `lang` for the charts' labels.
#[server(name = CampaignDashboard, prefix = "/api", endpoint = "ads/dashboard")]
pub async fn campaign_dashboard(
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sort: Option<String>,
    lang: Option<String>,
) -> Result<Dashboard, AppError> {
    let caller = caller().await?;
    Ok(services()?.ads.dashboard(&caller, query(range, from, to, sort, lang)).await?)
}

#[server(name = GetCampaign, prefix = "/api", endpoint = "ads/campaign")]
pub async fn get_campaign(
    id: String,
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
) -> Result<CampaignDetail, AppError> {
    let caller = caller().await?;
    Ok(services()?.ads.campaign(&caller, &id, query(range, from, to, None, lang)).await?)
}

/// The messaging analytics of a period (`range`, `from`, `to` as for the dashboard, in UTC days).
#[server(name = GetMessagingAnalytics, prefix = "/api", endpoint = "analytics/messaging")]
pub async fn messaging_analytics(
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
) -> Result<MessagingAnalytics, AppError> {
    let caller = caller().await?;
    Ok(services()?.ads.messaging(&caller, query(range, from, to, None, lang)).await?)
}
