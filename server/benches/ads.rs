//! The ads sync at scale (`cargo bench -p server --bench ads`): 200 campaigns × 90 days from a
//! local stand-in for Meta's Marketing API (campaigns, ad sets, ads, and daily insights at
//! campaign and ad set level — 36,000 insight rows — in pages of 500, as Meta pages them), into
//! the embedded store, through the real sync job (goal: ≤ 5 s). Then the dashboard's service
//! over those figures (what the server function calls), and its charts' drawings.

use adronx::ads::{AdsService, Clients, SyncAds};
use adronx::crypto::Keyring;
use adronx::integrations::api::ApiConfig;
use adronx::integrations::graph::GraphClient;
use adronx::integrations::meta_ads::MarketingClient;
use adronx::jobs::JobHandler;
use adronx::storage::Stores;
use adronx::storage::ads::{AdAccountRecord, SyncState};
use adronx::storage::jobs::NewJob;
use adronx::storage::whatsapp::{ConnectionKind, ConnectionStatus};
use app::accounts::model::{Caller, Role};
use app::campaigns::port::{Ads, ChartOf, DashboardQuery};
use app::i18n::Lang;
use app::ids::{OrgId, UserId};
use axum::Json;
use axum::extract::{Path, Query};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use support::{load, percentile};

mod support;

const CAMPAIGNS: usize = 200;
const DAYS: usize = 90;
const PAGE: usize = 500;

fn row(edge: &str, level: &str, n: usize) -> Value {
    let c = n % CAMPAIGNS;
    match edge {
        "campaigns" => {
            json!({ "id": format!("c{c}"), "name": format!("Campaña {c}"), "objective": "OUTCOME_SALES", "status": "ACTIVE", "daily_budget": "150000" })
        }
        "adsets" => {
            json!({ "id": format!("s{c}"), "campaign_id": format!("c{c}"), "name": format!("Conjunto {c}"), "status": "ACTIVE" })
        }
        "ads" => {
            json!({ "id": format!("a{c}"), "adset_id": format!("s{c}"), "campaign_id": format!("c{c}"), "name": "Anuncio", "status": "ACTIVE",
            "creative": { "title": "La chaqueta azul", "body": "Escríbenos por WhatsApp", "call_to_action_type": "WHATSAPP_MESSAGE" } })
        }
        _ => {
            let day =
                (time::OffsetDateTime::now_utc().date() - time::Duration::days((n / CAMPAIGNS + 1) as i64)).to_string();
            let mut r = json!({ "campaign_id": format!("c{c}"), "date_start": day, "impressions": "21000", "clicks": "230", "spend": "1523.47",
                "actions": [{ "action_type": "purchase", "value": "4" }, { "action_type": "omni_purchase", "value": "4" }],
                "action_values": [{ "action_type": "purchase", "value": "4210.90" }, { "action_type": "omni_purchase", "value": "4210.90" }] });
            if level == "adset" {
                r["adset_id"] = json!(format!("s{c}"));
            }
            r
        }
    }
}

/// The stand-in: every edge paged by an offset cursor.
async fn meta() -> String {
    let account = axum::routing::get(|| async {
        Json(
            json!({ "id": "act_1", "name": "Bench", "currency": "MXN", "timezone_name": "America/Mexico_City", "account_status": 1 }),
        )
    });
    let edge = axum::routing::get(
        |Path((_, _, edge)): Path<(String, String, String)>, Query(q): Query<HashMap<String, String>>| async move {
            let level = q.get("level").cloned().unwrap_or_default();
            let total = if edge == "insights" { CAMPAIGNS * DAYS } else { CAMPAIGNS };
            let start: usize = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
            let end = (start + PAGE).min(total);
            let data: Vec<Value> = (start..end).map(|n| row(&edge, &level, n)).collect();
            let mut paging = json!({ "cursors": { "after": end.to_string() } });
            if end < total {
                paging["next"] = json!("https://graph.example/next");
            }
            Json(json!({ "data": data, "paging": paging }))
        },
    );
    let router = axum::Router::new().route("/{v}/{id}", account).route("/{v}/{id}/{edge}", edge);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let stores = Stores::sqlite(&dir.path().join("ads.db")).await.unwrap();
    let keyring = Arc::new(Keyring::parse(&Keyring::generate_spec("k1")).unwrap());
    let client = MarketingClient(GraphClient::new(ApiConfig::new(meta().await), "v27.0"));
    let clients = Clients::new(client, "http://127.0.0.1:1", "v27.0", false);
    let org = OrgId::new("org");
    let now = time::OffsetDateTime::now_utc();
    let token = secrecy::SecretString::from("EAAGbench".to_owned());
    let account = AdAccountRecord {
        org_id: org.clone(),
        kind: ConnectionKind::Meta,
        account_id: "1".into(),
        page_id: "2".into(),
        name: "Bench".into(),
        currency: "MXN".into(),
        timezone: "America/Mexico_City".into(),
        account_status: 1,
        token: keyring.encrypt(&org, &token),
        status: ConnectionStatus::Connected,
        status_detail: None,
        connected_at: now,
        updated_at: now,
        sync: SyncState { sync_state: "running".into(), sync_stage: "campaigns".into(), ..Default::default() },
        clock: Default::default(),
    };
    stores.ads.save_ad_account(&account).await.unwrap();
    let job = NewJob {
        kind: "ads.sync".into(),
        payload: json!({ "org": "org" }),
        run_at: now,
        idempotency_key: None,
        max_attempts: 1,
    };
    stores.jobs.enqueue_job(&job).await.unwrap();
    let job = stores.jobs.claim_job("bench", now, now + time::Duration::hours(1)).await.unwrap().unwrap();
    let sync = SyncAds {
        stores: stores.clone(),
        keyring: keyring.clone(),
        clients: clients.clone(),
        throttle_wait: std::time::Duration::from_secs(1),
    };
    let started = Instant::now();
    sync.run(&job).await.unwrap();
    let took = started.elapsed().as_secs_f64();
    let synced = stores.ads.ad_account(&org).await.unwrap().unwrap();
    assert_eq!(synced.sync.sync_state, "idle", "{:?}", synced.sync);
    println!(
        "sync of {CAMPAIGNS} campaigns × {DAYS} days ({} rows: campaigns, ad sets, ads, insights at two levels): {took:.2} s (goal ≤ 5 s)",
        synced.sync.sync_done
    );

    // The rest of a year of insights, so the dashboard reads 200 campaigns × 365 days.
    let older: Vec<adronx::storage::ads::InsightRecord> = (DAYS + 1..=365)
        .flat_map(|ago| {
            let day = (time::OffsetDateTime::now_utc().date() - time::Duration::days(ago as i64)).to_string();
            (0..CAMPAIGNS).map(move |c| adronx::storage::ads::InsightRecord {
                org_id: OrgId::new("org"),
                level: adronx::storage::ads::Level::Campaign,
                object_id: format!("c{c}"),
                campaign_id: format!("c{c}"),
                day: day.clone(),
                impressions: 21_000,
                clicks: 230,
                spend: 152_347,
                purchases: 4,
                revenue: 421_090,
            })
        })
        .collect();
    stores.ads.upsert_insights(&older).await.unwrap();
    let ads = Arc::new(AdsService::new(stores.clone(), keyring, clients));
    let caller = Caller { user_id: UserId::new("u"), org_id: org, role: Role::Owner };
    for range in ["28", "90"] {
        let query = DashboardQuery { range: range.into(), lang: Lang::Ar, ..Default::default() };
        let d = ads.dashboard(&caller, query.clone()).await.unwrap();
        assert_eq!(d.campaigns.len(), CAMPAIGNS);
        let mut largest = 0;
        for c in &d.charts {
            for size in ["s", "l"] {
                let id = format!("{}-{size}", c.id);
                let chart_query = DashboardQuery {
                    range: "custom".into(),
                    from: Some(d.period.from.clone()),
                    to: Some(d.period.to.clone()),
                    lang: Lang::Ar,
                    ..Default::default()
                };
                largest = largest.max(ads.chart(&caller, ChartOf::Dashboard, &id, chart_query).await.unwrap().len());
            }
        }
        // The figures of a period are kept until the next sync: the first view builds them.
        let fresh = AdsService::new(
            stores.clone(),
            Arc::new(Keyring::parse(&Keyring::generate_spec("k2")).unwrap()),
            Clients::new(
                MarketingClient(GraphClient::new(ApiConfig::new("http://127.0.0.1:1"), "v27.0")),
                "http://127.0.0.1:1",
                "v27.0",
                false,
            ),
        );
        let started = Instant::now();
        fresh.dashboard(&caller, query.clone()).await.unwrap();
        let first = started.elapsed().as_secs_f64() * 1e3;
        let (ads, caller) = (ads.clone(), caller.clone());
        let (rate, latencies) = load(4, 5000, move |_| {
            let (ads, caller, query) = (ads.clone(), caller.clone(), query.clone());
            async move {
                ads.dashboard(&caller, query).await.unwrap();
            }
        })
        .await;
        println!(
            "dashboard of 200 campaigns × 365 days, {range}-day period: first view {first:.1} ms; then 4 at once {rate:.0}/s, p50 {:.2} ms, p95 {:.2} ms; largest chart {largest} B (goal ≤ 30 KB)",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.95)
        );
    }
}
