//! The dashboard's figures as a download: `GET /api/ads/export?format=csv|json&range=&from=&to=`,
//! one row per campaign over the period — what the table shows, with the period and currency on
//! every row, amounts in major units with the currency's decimals. And the charts the campaign
//! and analytics pages show as images: `GET /api/ads/charts/{chart}-{s|l}.svg?from=&to=&lang=`
//! (`&campaign=` for a campaign's page; `v` is the sync they were drawn from).

use super::AppState;
use super::contacts::attachment;
use super::extract::Authenticated;
use crate::contacts::export::neutralise;
use app::campaigns::model::{CampaignRow, Dashboard};
use app::campaigns::money::plain;
use app::campaigns::port::{ChartOf, DashboardQuery};
use app::error::AppError;
use app::i18n::Lang;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/ads/export", get(export)).route("/api/ads/charts/{file}", get(chart))
}

#[derive(Deserialize)]
struct ChartQuery {
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
    campaign: Option<String>,
}

async fn chart(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(file): Path<String>,
    Query(q): Query<ChartQuery>,
) -> Result<Response, AppError> {
    let id = file.strip_suffix(".svg").ok_or(app::campaigns::port::AdsError::NotFound)?;
    let of = match q.campaign.filter(|c| !c.is_empty()) {
        _ if id.starts_with("messages-") => ChartOf::Messages,
        Some(campaign) => ChartOf::Campaign(campaign),
        None => ChartOf::Dashboard,
    };
    // Drawn from synced insights, the ads charts change with the next sync, whose time is in their
    // address; the messaging chart moves with every message.
    let max_age = if of == ChartOf::Messages { 60 } else { 3600 };
    let query = DashboardQuery {
        range: "custom".into(),
        from: q.from,
        to: q.to,
        lang: q.lang.as_deref().and_then(Lang::from_code).unwrap_or(Lang::En),
        ..Default::default()
    };
    let svg = state.services.ads.chart(&caller, of, id, query).await?;
    svg_image(svg, max_age)
}

/// A chart drawing, kept by the browser for `max_age` seconds.
pub(super) fn svg_image(svg: String, max_age: u32) -> Result<Response, AppError> {
    Response::builder()
        .header(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")
        .header(header::CACHE_CONTROL, format!("private, max-age={max_age}"))
        // A drawing, never a document that runs anything, even opened on its own.
        .header(header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'")
        .body(Body::from(svg))
        .map_err(app::server::request::internal)
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

const COLUMNS: [&str; 21] = [
    "from",
    "to",
    "currency",
    "campaign_id",
    "campaign",
    "status",
    "objective",
    "daily_budget",
    "lifetime_budget",
    "spend",
    "impressions",
    "clicks",
    "ctr_percent",
    "cpc",
    "purchases",
    "revenue",
    "roas",
    "conversations_started",
    "conversations_answered",
    "conversations_resolved",
    "order_revenue",
];

fn cells(d: &Dashboard, r: &CampaignRow) -> Vec<String> {
    let c = d.currency.as_str();
    let ratio = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
    let t = &r.totals;
    vec![
        d.period.from.clone(),
        d.period.to.clone(),
        c.to_owned(),
        r.id.clone(),
        r.name.clone(),
        r.status.clone(),
        r.objective.clone(),
        r.daily_budget.map(|b| plain(b, c)).unwrap_or_default(),
        r.lifetime_budget.map(|b| plain(b, c)).unwrap_or_default(),
        plain(t.spend, c),
        t.impressions.to_string(),
        t.clicks.to_string(),
        ratio(t.ctr()),
        t.cpc().map(|v| plain(v.round() as i64, c)).unwrap_or_default(),
        t.purchases.to_string(),
        plain(t.revenue, c),
        ratio(t.roas()),
        r.conversations.started.to_string(),
        r.conversations.replied.to_string(),
        r.conversations.resolved.to_string(),
        plain(r.conversations.revenue, c),
    ]
}

async fn export(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let json = match q.format.as_deref().unwrap_or("csv") {
        "csv" => false,
        "json" => true,
        _ => return Err(AppError::invalid("error-bad-request")),
    };
    let query = DashboardQuery {
        range: q.range.unwrap_or_default(),
        from: q.from.filter(|f| !f.is_empty()),
        to: q.to.filter(|t| !t.is_empty()),
        ..Default::default()
    };
    let d = state.services.ads.dashboard(&caller, query).await?;
    if d.account.is_none() {
        return Err(app::campaigns::port::AdsError::NotConnected.into());
    }
    let rows: Vec<Vec<String>> = d.campaigns.iter().map(|r| cells(&d, r)).collect();
    let name = format!("campaigns-{}-{}", d.period.from, d.period.to);
    if json {
        let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
            .into_iter()
            .map(|row| {
                COLUMNS.iter().map(|k| k.to_string()).zip(row.into_iter().map(serde_json::Value::String)).collect()
            })
            .collect();
        let body = serde_json::to_vec(&objects).map_err(app::server::request::internal)?;
        return Ok(attachment(&format!("{name}.json"), "application/json", Body::from(body)));
    }
    let bytes = csv_file(rows).map_err(app::server::request::internal)?;
    Ok(attachment(&format!("{name}.csv"), "text/csv; charset=utf-8", Body::from(bytes)))
}

/// The header and `rows`, every cell that could start a spreadsheet formula neutralised (campaign
/// names are whatever the advertiser typed at Meta).
fn csv_file(rows: Vec<Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS)?;
    for row in rows {
        out.write_record(row.iter().map(|c| neutralise(c).into_owned()))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_campaign_name_that_looks_like_a_formula_is_exported_as_text() {
        let mut row = vec![String::new(); super::COLUMNS.len()];
        row[4] = "=HYPERLINK(\"https://evil.example\")".into();
        let text = String::from_utf8(super::csv_file(vec![row]).unwrap()).unwrap();
        let line = text.lines().nth(1).unwrap();
        assert!(line.contains("'=HYPERLINK"), "{line}");
        assert!(!line.contains(",=HYPERLINK"), "{line}");
    }
}
