//! Ads over HTTP: the sandbox's ad account connected, synced and shown; a Meta stand-in that
//! pages, throttles (613) and restates, to prove the sync resumes where it stopped and counts
//! exactly; a token Meta rejects; roles and tenant isolation.

use crate::helpers::{Session, TestApp, call, drawing, eventually, json, member_of, owner, page, spawn_app_with};
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

async fn account(app: &TestApp, who: &Session) -> Value {
    let (status, body) = json(call(app, who, "ads/account", &[]).await).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Waits for the running sync to end; the account then.
async fn synced(app: &TestApp, who: &Session) -> Value {
    eventually("the sync to end", || async {
        let a = account(app, who).await;
        (a["sync"]["state"] != "running" && a["sync"]["state"] != "waiting").then_some(a)
    })
    .await
}

async fn dashboard(app: &TestApp, who: &Session, form: &[(&str, &str)]) -> (u16, Value) {
    json(call(app, who, "ads/dashboard", form).await).await
}

#[tokio::test]
async fn the_sandbox_ad_account_connects_syncs_and_fills_the_dashboard() {
    let app = spawn_app_with(&[]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let (_, empty) = dashboard(&app, &ana, &[]).await;
    assert_eq!(empty["account"], Value::Null, "nothing connected yet");
    assert_eq!(call(&app, &ana, "ads/connect-sandbox", &[]).await.status(), 200);
    let a = synced(&app, &ana).await;
    assert_eq!(
        (a["kind"].as_str(), a["status"].as_str(), a["currency"].as_str()),
        (Some("sandbox"), Some("connected"), Some("MXN"))
    );
    assert_eq!(a["sync"]["state"], "idle", "{a}");
    assert!(a["sync"]["last_sync_at"].is_i64() && a["sync"]["detail"].is_null(), "{a}");
    assert!(a.get("token").is_none(), "the token never leaves the server: {a}");

    let (status, d) = dashboard(&app, &ana, &[("range", "28"), ("lang", "es")]).await;
    assert_eq!(status, 200, "{d}");
    let campaigns = d["campaigns"].as_array().unwrap();
    assert_eq!(campaigns.len(), 6);
    let spend: i64 = campaigns.iter().map(|c| c["totals"]["spend"].as_i64().unwrap()).sum();
    assert_eq!(d["current"]["spend"].as_i64(), Some(spend), "the total is the campaigns' sum");
    assert!(spend > 0 && d["previous"]["spend"].as_i64().unwrap() > 0);
    // The purchase the sandbox reports under three action types is counted once: revenue per
    // purchase stays near the sandbox's average order (650 MXN), not three times it.
    let (revenue, purchases) = (d["current"]["revenue"].as_i64().unwrap(), d["current"]["purchases"].as_i64().unwrap());
    let order = revenue as f64 / 100.0 / purchases as f64;
    assert!((400.0..900.0).contains(&order), "revenue per purchase {order}");
    let spends: Vec<i64> = campaigns.iter().map(|c| c["totals"]["spend"].as_i64().unwrap()).collect();
    assert!(spends.windows(2).all(|w| w[0] >= w[1]), "sorted by spend: {spends:?}");
    // The charts travel as words and addresses; each drawing is fetched as an image, at one size.
    let charts = d["charts"].as_array().unwrap();
    let ids: Vec<&str> = charts.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["spend-revenue", "roas", "reach"]);
    assert!(charts[0]["title"].as_str().unwrap().contains("Gasto"), "labelled in Spanish: {}", charts[0]);
    assert!(charts.iter().all(|c| c["desc"].as_str().unwrap().contains("; ") || c["id"] == "roas"));
    let (status, kind, svg) = drawing(&app, &ana, &charts[0]["small"]).await;
    assert_eq!((status, kind.as_str()), (200, "image/svg+xml; charset=utf-8"));
    assert!(svg.starts_with("<svg role=\"img\"") && svg.contains("<title") && svg.contains("Gasto"));
    assert!(svg.contains("width=\"360\""), "the phone's size");
    let (_, _, large) = drawing(&app, &ana, &charts[2]["large"]).await;
    assert!(large.contains("width=\"1200\"") && large.contains("Clics"), "the wide screen's reach chart");
    let stranger = drawing(&app, &owner(&app, "otro@tienda.mx").await, &charts[0]["small"]).await;
    assert_eq!(stranger.0, 409, "another organisation (with no ad account) draws nothing of ours");
    let anonymous = app.client.get(app.url(charts[0]["small"].as_str().unwrap())).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let unknown = charts[0]["small"].as_str().unwrap().replace("spend-revenue-s", "spend-revenue-xl");
    assert_eq!(drawing(&app, &ana, &Value::from(unknown)).await.0, 404);

    // Sorted by name; a period of 7 days; a custom one; a bad one.
    let (_, by_name) = dashboard(&app, &ana, &[("sort", "name")]).await;
    let names: Vec<&str> =
        by_name["campaigns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    let (_, week) = dashboard(&app, &ana, &[("range", "7")]).await;
    assert!(week["current"]["spend"].as_i64().unwrap() < spend);
    let (from, to) = (week["period"]["from"].as_str().unwrap(), week["period"]["to"].as_str().unwrap());
    let (_, custom) = dashboard(&app, &ana, &[("range", "custom"), ("from", from), ("to", to)]).await;
    assert_eq!(custom["current"], week["current"]);
    let (status, bad) = dashboard(&app, &ana, &[("range", "custom"), ("from", to), ("to", from)]).await;
    assert_eq!((status, bad["code"].as_str()), (422, Some("error-ads-range")));

    // The same figures as a download: CSV (one row a campaign) and JSON.
    let download = |format: &'static str| {
        let req = app.client.get(app.url(&format!("/api/ads/export?format={format}&range=7")));
        req.header("cookie", &ana.cookie).header("sec-fetch-site", "same-origin").send()
    };
    let csv = download("csv").await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(crate::helpers::header(&csv, "content-disposition").contains(".csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "a header and six campaigns: {text}");
    assert!(lines[0].starts_with("from,to,currency,campaign_id,campaign,"));
    let week_spend: i64 = week["current"]["spend"].as_i64().unwrap();
    let (_, rows) = json(download("json").await.unwrap()).await;
    let spent: i64 = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let v = r["spend"].as_str().unwrap().replace('.', "");
            v.parse::<i64>().unwrap()
        })
        .sum();
    assert_eq!(spent, week_spend, "the export adds up to the dashboard");
    let (status, _) = json(call(&app, &ana, "ads/disconnect", &[]).await).await;
    assert_eq!(status, 200);
    assert_eq!(download("csv").await.unwrap().status(), 409, "nothing to export without an account");
    assert_eq!(call(&app, &ana, "ads/connect-sandbox", &[]).await.status(), 200);
    synced(&app, &ana).await;
    let (_, d) = dashboard(&app, &ana, &[("range", "28"), ("lang", "es")]).await;
    let campaigns = d["campaigns"].as_array().unwrap();

    // A campaign's page: its ad set, its ad and creative.
    let id = campaigns[0]["id"].as_str().unwrap();
    let (status, detail) = json(call(&app, &ana, "ads/campaign", &[("id", id)]).await).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["campaign"]["totals"], campaigns[0]["totals"]);
    let ad = &detail["ad_sets"][0]["ads"][0];
    assert!(ad["title"].is_string() && ad["body"].is_string() && ad["call_to_action"].is_string(), "{ad}");
    let (status, _, svg) = drawing(&app, &ana, &detail["charts"][1]["large"]).await;
    assert!(status == 200 && svg.contains("<desc"), "the campaign's ROAS chart: {status}");

    // Rendered on the server, in the visitor's language, with its charts.
    let html = page(&app, &ana, "/app/campaigns?range=7", "ar").await;
    assert!(
        html.contains("data-testid=\"kpis\"") && html.contains("campaigns-table"),
        "{}",
        &html[..html.len().min(400)]
    );
    assert!(html.contains("/api/ads/charts/spend-revenue-s.svg?") && html.contains("lang=ar"), "Arabic charts");
    assert!(html.contains("alt=\"الإنفاق والإيرادات"), "their words are the images' alt text");
    assert!(html.contains("بيئة اختبار"), "the sandbox is labelled as such");
    let html = page(&app, &ana, &format!("/app/campaigns/{id}"), "en").await;
    assert!(html.contains("Ad sets and ads"), "{}", &html[..html.len().min(400)]);
}

#[tokio::test]
async fn members_see_the_dashboard_but_only_admins_connect_and_organisations_stay_apart() {
    let app = spawn_app_with(&[]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let eve = owner(&app, "eve@otra.mx").await;
    let luis = member_of(&app, owner(&app, "luis@tienda.mx").await, &ana.org_id).await;
    assert_eq!(call(&app, &luis, "ads/connect-sandbox", &[]).await.status(), 403);
    assert_eq!(call(&app, &ana, "ads/connect-sandbox", &[]).await.status(), 200);
    synced(&app, &ana).await;
    assert_eq!(call(&app, &luis, "ads/sync", &[]).await.status(), 403);
    assert_eq!(call(&app, &luis, "ads/disconnect", &[]).await.status(), 403);
    let (status, seen) = dashboard(&app, &luis, &[]).await;
    assert_eq!((status, seen["campaigns"].as_array().map(Vec::len)), (200, Some(6)));
    let id = seen["campaigns"][0]["id"].as_str().unwrap().to_owned();

    // Another organisation sees none of it, even by id.
    let (_, theirs) = dashboard(&app, &eve, &[]).await;
    assert_eq!(theirs["account"], Value::Null);
    let (status, body) = json(call(&app, &eve, "ads/campaign", &[("id", &id)]).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("error-ads-not-connected")));
    assert_eq!(call(&app, &eve, "ads/connect-sandbox", &[]).await.status(), 200);
    synced(&app, &eve).await;
    let (status, body) = json(call(&app, &eve, "ads/campaign", &[("id", &id)]).await).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("error-not-found")));

    // Disconnecting forgets the account and what was synced from it.
    assert_eq!(call(&app, &ana, "ads/disconnect", &[]).await.status(), 200);
    let (_, gone) = dashboard(&app, &ana, &[]).await;
    assert_eq!(gone["account"], Value::Null);
    let (_, still) = dashboard(&app, &eve, &[]).await;
    assert_eq!(still["campaigns"].as_array().map(Vec::len), Some(6));
}

/// What the stand-in for Meta saw and how it behaves.
#[derive(Default)]
struct Meta {
    /// `after` cursors asked for, per edge.
    asked: Mutex<Vec<(String, Option<String>)>>,
    /// 613 answers still to give on the second insights page.
    throttles: AtomicUsize,
    /// Answer 190 to everything but the account.
    reject: bool,
}

fn graph_error(code: i64) -> Response {
    let body = json!({ "error": { "message": "(#613) Calls to this api have exceeded the rate limit.", "type": "OAuthException", "code": code, "fbtrace_id": "T" } });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

fn page_of(data: Value, after: Option<&str>) -> Value {
    match after {
        Some(a) => {
            json!({ "data": data, "paging": { "cursors": { "after": a }, "next": format!("https://graph.example/next?after={a}") } })
        }
        None => json!({ "data": data, "paging": { "cursors": { "after": "END" } } }),
    }
}

/// A Marketing API stand-in: a JPY account; two pages of campaigns; campaign insights on two
/// pages, the second throttled (613) `throttles` times; a row with an unreadable spend.
async fn meta(state: Arc<Meta>) -> String {
    let account = get(|Path((_, id)): Path<(String, String)>| async move {
        assert_eq!(id, "act_1234567890");
        Json(
            json!({ "id": "act_1234567890", "name": "Tienda JP", "currency": "JPY", "timezone_name": "Asia/Tokyo", "account_status": 1 }),
        )
    });
    let edge = |state: Arc<Meta>| {
        get(move |Path((_, _, edge)): Path<(String, String, String)>, Query(q): Query<HashMap<String, String>>| {
            let state = state.clone();
            async move {
                let after = q.get("after").cloned();
                state
                    .asked
                    .lock()
                    .unwrap()
                    .push((format!("{edge}:{}", q.get("level").cloned().unwrap_or_default()), after.clone()));
                if state.reject {
                    return graph_error(190);
                }
                let day = |n: i64| (time::OffsetDateTime::now_utc().date() - time::Duration::days(n)).to_string();
                let body = match (edge.as_str(), q.get("level").map(String::as_str), after.as_deref()) {
                    ("campaigns", _, None) => page_of(
                        json!([{ "id": "c1", "name": "Uno", "objective": "OUTCOME_SALES", "status": "ACTIVE", "daily_budget": "5000" }]),
                        Some("C2"),
                    ),
                    ("campaigns", _, Some("C2")) => page_of(
                        json!([{ "id": "c2", "name": "Dos", "objective": "OUTCOME_SALES", "status": "PAUSED", "lifetime_budget": "90000" }]),
                        None,
                    ),
                    ("insights", Some("campaign"), None) => page_of(
                        json!([
                            { "campaign_id": "c1", "date_start": day(2), "impressions": "1000", "clicks": "10", "spend": "1500",
                              "actions": [{ "action_type": "purchase", "value": "2" }, { "action_type": "omni_purchase", "value": "2" }],
                              "action_values": [{ "action_type": "purchase", "value": "9000" }, { "action_type": "omni_purchase", "value": "9000" }] },
                            { "campaign_id": "c1", "date_start": day(3), "spend": "n/a" },
                            // A campaign deleted since: gone from the campaigns edge, still in insights.
                            { "campaign_id": "c9", "date_start": day(2), "impressions": "100", "clicks": "1", "spend": "300" }
                        ]),
                        Some("I2"),
                    ),
                    ("insights", Some("campaign"), Some("I2")) => {
                        if state.throttles.load(Ordering::SeqCst) > 0 {
                            state.throttles.fetch_sub(1, Ordering::SeqCst);
                            return graph_error(613);
                        }
                        page_of(
                            json!([{ "campaign_id": "c2", "date_start": day(2), "impressions": "500", "clicks": "5", "spend": "700" }]),
                            None,
                        )
                    }
                    _ => page_of(json!([]), None),
                };
                Json(body).into_response()
            }
        })
    };
    let router = axum::Router::new().route("/{version}/{id}", account).route("/{version}/{id}/{edge}", edge(state));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

#[tokio::test]
async fn a_throttled_sync_waits_and_resumes_where_it_stopped_and_counts_exactly() {
    // More 613s than one call's retries: the sync stops, waits (1 s here) and resumes.
    let state = Arc::new(Meta { throttles: AtomicUsize::new(5), ..Default::default() });
    let base = meta(state.clone()).await;
    let app = spawn_app_with(&[("ADRONX_GRAPH_API_BASE", &base), ("ADRONX_ADS_THROTTLE_WAIT_SECS", "1")]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let bad = [("account_id", "act_12x"), ("page_id", "1"), ("access_token", "EAAG")];
    let (status, body) = json(call(&app, &ana, "ads/connect", &bad).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-ads-account-id")));
    let form = [("account_id", "act_1234567890"), ("page_id", "555"), ("access_token", "EAAGsecret")];
    assert_eq!(call(&app, &ana, "ads/connect", &form).await.status(), 200);
    let stored = app.store.ads.ad_account(&app::ids::OrgId::new(ana.org_id.clone())).await.unwrap().unwrap();
    assert!(!stored.token.contains("EAAGsecret"), "kept sealed");

    let waiting = eventually("the throttled sync", || async {
        let a = account(&app, &ana).await;
        (a["sync"]["state"] == "waiting").then_some(a)
    })
    .await;
    assert_eq!(waiting["sync"]["stage"], "insights-campaign", "{waiting}");
    let done = eventually("the resumed sync", || async {
        let a = account(&app, &ana).await;
        (a["sync"]["state"] == "idle").then_some(a)
    })
    .await;
    // The unreadable row is reported, not stored.
    assert!(done["sync"]["detail"].as_str().unwrap().contains("\"n/a\" is not a number"), "{done}");
    let asked = state.asked.lock().unwrap().clone();
    let first_pages = asked.iter().filter(|(e, after)| e == "insights:campaign" && after.is_none()).count();
    assert_eq!(first_pages, 1, "resumed from the stored cursor, not from the start: {asked:?}");
    assert_eq!(asked.iter().filter(|(e, _)| e == "campaigns:").count(), 2, "both pages of campaigns");

    let (_, d) = dashboard(&app, &ana, &[("range", "7")]).await;
    assert_eq!(d["currency"], "JPY");
    assert_eq!(d["current"]["spend"], 2_500, "JPY has no minor unit: 1500 + 700 + 300");
    let rows = d["campaigns"].as_array().unwrap();
    let summed: i64 = rows.iter().map(|c| c["totals"]["spend"].as_i64().unwrap()).sum();
    assert_eq!(summed, 2_500, "the rows add up to the total");
    assert_eq!(rows.iter().find(|c| c["id"] == "c9").unwrap()["status"], "DELETED");
    assert_eq!(
        (d["current"]["purchases"].as_i64(), d["current"]["revenue"].as_i64()),
        (Some(2), Some(9_000)),
        "counted once"
    );
    let c2 = d["campaigns"].as_array().unwrap().iter().find(|c| c["id"] == "c2").unwrap().clone();
    assert_eq!((c2["status"].as_str(), c2["lifetime_budget"].as_i64()), (Some("PAUSED"), Some(90_000)));
    let html = page(&app, &ana, "/app/campaigns?range=7", "es").await;
    assert!(html.contains("2.500 JPY"), "written with Spanish grouping and no decimals");
}

#[tokio::test]
async fn a_token_meta_rejects_during_a_sync_asks_for_reauthorisation() {
    let state = Arc::new(Meta { reject: true, ..Default::default() });
    let base = meta(state).await;
    let app = spawn_app_with(&[("ADRONX_GRAPH_API_BASE", &base)]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let form = [("account_id", "1234567890"), ("page_id", "555"), ("access_token", "EAAGsecret")];
    assert_eq!(call(&app, &ana, "ads/connect", &form).await.status(), 200);
    let a = eventually("re-authorisation", || async {
        let a = account(&app, &ana).await;
        (a["status"] == "reauthorise").then_some(a)
    })
    .await;
    assert_eq!(a["sync"]["state"], "failed");
    let html = page(&app, &ana, "/app/campaigns", "en").await;
    assert!(html.contains("Meta no longer accepts this ad account"), "a banner says so");
}

#[tokio::test]
async fn a_conversation_an_ad_started_counts_for_its_campaign_with_the_order_recorded_on_it() {
    let app = spawn_app_with(&[("ADRONX_SANDBOX_PACE", "0.05")]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let eve = owner(&app, "eve@otra.mx").await;
    assert_eq!(call(&app, &ana, "ads/connect-sandbox", &[]).await.status(), 200);
    synced(&app, &ana).await;
    // The WhatsApp sandbox's customer who writes through the sandbox account's click-to-WhatsApp ad.
    assert_eq!(call(&app, &ana, "whatsapp/connect-sandbox", &[]).await.status(), 200);
    let lucia = eventually("Lucía's conversation", || async {
        let (_, list) = json(call(&app, &ana, "inbox/list", &[]).await).await;
        list["conversations"]
            .as_array()?
            .iter()
            .find(|c| c["contact_name"] == "Lucía Gómez" && c["referral"].is_object())
            .cloned()
    })
    .await;
    let id = lucia["id"].as_str().unwrap().to_owned();

    for (amount, currency, code) in [
        ("12.345", "MXN", "error-order-amount"),
        ("-3", "MXN", "error-order-amount"),
        ("100", "pesos", "error-order-currency"),
    ] {
        let form = [("conversation_id", id.as_str()), ("amount", amount), ("currency", currency)];
        let (status, body) = json(call(&app, &ana, "inbox/order", &form).await).await;
        assert_eq!((status, body["code"].as_str()), (422, Some(code)), "{amount} {currency}");
    }
    let form = [("conversation_id", id.as_str()), ("amount", "1249,90"), ("currency", "mxn")];
    assert_eq!(call(&app, &ana, "inbox/order", &form).await.status(), 200);
    let (status, _) = json(call(&app, &eve, "inbox/order", &form).await).await;
    assert_eq!(status, 404, "another organisation's conversation");
    let (_, page) = json(call(&app, &ana, "inbox/conversation", &[("id", &id)]).await).await;
    assert_eq!(page["order"], json!({ "value": 124_990, "currency": "MXN" }));

    // The presets end yesterday; the conversation started today, in the account's time zone.
    let (_, week) = dashboard(&app, &ana, &[("range", "7")]).await;
    let yesterday = time::Date::parse(
        week["period"]["to"].as_str().unwrap(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap();
    let today = yesterday.next_day().unwrap().to_string();
    let today_only = [("range", "custom"), ("from", today.as_str()), ("to", today.as_str()), ("sort", "conversations")];
    let (_, d) = dashboard(&app, &ana, &today_only).await;
    let top = &d["campaigns"][0];
    assert_eq!(top["name"], "Click-to-WhatsApp Ofertas", "{}", d["campaigns"]);
    assert_eq!(top["conversations"]["started"], 1);
    assert_eq!(
        (top["conversations"]["orders"].as_i64(), top["conversations"]["revenue"].as_i64()),
        (Some(1), Some(124_990))
    );
    let others: i64 =
        d["campaigns"].as_array().unwrap()[1..].iter().map(|c| c["conversations"]["started"].as_i64().unwrap()).sum();
    assert_eq!(others, 0);
    let campaign =
        [("id", top["id"].as_str().unwrap()), ("range", "custom"), ("from", today.as_str()), ("to", today.as_str())];
    let (_, detail) = json(call(&app, &ana, "ads/campaign", &campaign).await).await;
    assert_eq!(detail["campaign"]["conversations"], top["conversations"]);

    // Cleared with an empty amount.
    let clear = [("conversation_id", id.as_str()), ("amount", ""), ("currency", "")];
    assert_eq!(call(&app, &ana, "inbox/order", &clear).await.status(), 200);
    let (_, d) = dashboard(&app, &ana, &today_only).await;
    assert_eq!(d["campaigns"][0]["conversations"]["orders"], 0);
    assert_eq!(d["campaigns"][0]["conversations"]["started"], 1);
}

#[tokio::test]
async fn the_messaging_analytics_count_what_the_inbox_did_for_every_member_of_the_organisation_only() {
    let app = spawn_app_with(&[("ADRONX_SANDBOX_PACE", "0.05")]).await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let eve = owner(&app, "eve@otra.mx").await;
    let luis = member_of(&app, owner(&app, "luis@tienda.mx").await, &ana.org_id).await;
    assert_eq!(call(&app, &ana, "whatsapp/connect-sandbox", &[]).await.status(), 200);
    let lucia = eventually("Lucía's conversation", || async {
        let (_, list) = json(call(&app, &ana, "inbox/list", &[]).await).await;
        list["conversations"].as_array()?.iter().find(|c| c["contact_name"] == "Lucía Gómez").cloned()
    })
    .await;
    let id = lucia["id"].as_str().unwrap();
    let reply = [("conversation_id", id), ("text", "¡Hola Lucía! Sí, la tenemos."), ("key", "k1")];
    assert_eq!(call(&app, &luis, "inbox/reply", &reply).await.status(), 200);
    assert_eq!(call(&app, &ana, "inbox/status", &[("id", id), ("status", "resolved")]).await.status(), 200);

    // Today is in a custom period ending today (UTC).
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let period = [("range", "custom"), ("from", today.as_str()), ("to", today.as_str()), ("lang", "es")];
    let m = eventually("the reply to be counted as sent", || async {
        let (status, m) = json(call(&app, &luis, "analytics/messaging", &period).await).await;
        assert_eq!(status, 200, "{m}");
        (m["outbound"].as_array()?.iter().any(|s| s[0] != "pending")).then_some(m)
    })
    .await;
    assert!(m["messages_in"].as_i64().unwrap() >= 1 && m["messages_out"] == 1, "{}", m["messages_in"]);
    assert!(m["median_first_response"].is_i64(), "answered");
    // Opened today, counted under their status now: the sandbox's customers keep writing (a new
    // message reopens a resolved conversation, others start new ones), so the counts are compared
    // with the inbox as it stands in the same moment.
    eventually("the conversations counted under their status now", || async {
        let (_, list) = json(call(&app, &ana, "inbox/list", &[("status", "all")]).await).await;
        let mut inbox: Vec<(String, i64)> = Vec::new();
        for c in list["conversations"].as_array()? {
            let status = c["status"].as_str()?.to_owned();
            match inbox.iter_mut().find(|(s, _)| *s == status) {
                Some((_, n)) => *n += 1,
                None => inbox.push((status, 1)),
            }
        }
        let (_, m) = json(call(&app, &luis, "analytics/messaging", &period).await).await;
        let mut counted: Vec<(String, i64)> = m["opened"]
            .as_array()?
            .iter()
            .map(|s| Some((s[0].as_str()?.to_owned(), s[1].as_i64()?)))
            .collect::<Option<_>>()?;
        counted.retain(|(_, n)| *n > 0);
        inbox.sort();
        counted.sort();
        (inbox == counted).then_some(())
    })
    .await;
    let agent = m["agents"].as_array().unwrap().iter().find(|a| a["sent"] == 1).unwrap();
    assert_eq!(agent["name"], "Ana Owner", "Luis signed up with the helper's name");
    assert_eq!(m["charts"].as_array().unwrap().len(), 1);
    let (status, _, svg) = drawing(&app, &luis, &m["charts"][0]["small"]).await;
    assert!(status == 200 && svg.contains("Mensajes por día"), "{status}");

    // Another organisation's inbox did nothing.
    let (_, theirs) = json(call(&app, &eve, "analytics/messaging", &period).await).await;
    assert_eq!((theirs["messages_in"].as_i64(), theirs["messages_out"].as_i64()), (Some(0), Some(0)));
    assert!(theirs["agents"].as_array().unwrap().is_empty());
    let html = page(&app, &ana, "/app/analytics", "en").await;
    assert!(html.contains("data-testid=\"analytics\"") && html.contains("Median first response"));
}
