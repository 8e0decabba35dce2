//! WhatsApp webhook intake on the embedded store (`cargo bench -p server --bench webhook`): the
//! real application on a loopback port, Meta's deliveries signed with the app secret, each with
//! messages of its own (unique wamids). Reported next to a static file of the same server in the
//! same run. Goals: ≥ 10,000 messages/s acknowledged, sustained through processing, with
//! deliveries of 1 and of 50 messages; p99 acknowledgement ≤ 20 ms at 1,000 deliveries/s.
//!
//! The client runs in this process, on the same two cores as the server: the figures are what
//! the server does while sharing the machine with its load.

use adronx::config::Config;
use adronx::startup::Application;
use adronx::storage::whatsapp::{ConnectionKind, ConnectionRecord, ConnectionStatus};
use adronx::whatsapp::signature::sign;
use secrecy::SecretString;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{load, percentile};

mod support;

const SECRET: &str = "bench-app-secret";
const CLIENTS: usize = 32;

fn delivery(batch: usize, size: usize) -> Vec<u8> {
    let at = time::OffsetDateTime::now_utc().unix_timestamp().to_string();
    let messages: Vec<_> = (0..size)
        .map(|i| {
            let from = format!("52155{:08}", (batch * size + i) % 5000);
            json!({ "from": from, "id": format!("wamid.B{batch}.{i}"), "timestamp": at, "type": "text",
                    "text": { "body": "Hola, ¿tienen envío gratis a Monterrey esta semana?" } })
        })
        .collect();
    let contacts: Vec<_> =
        messages.iter().map(|m| json!({ "profile": { "name": "Cliente" }, "wa_id": m["from"] })).collect();
    serde_json::to_vec(&json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550100", "phone_number_id": "1001" },
        "contacts": contacts, "messages": messages } }] }] }))
    .unwrap()
}

/// Each signed body posted once to `url`, `CLIENTS` at a time: the deliveries a second and the
/// acknowledgements' latencies.
async fn post_all(http: &reqwest::Client, url: &str, bodies: Arc<Vec<(Vec<u8>, String)>>) -> (f64, Vec<Duration>) {
    let (http, url) = (http.clone(), url.to_owned());
    load(CLIENTS, bodies.len(), move |n| {
        let (http, url, bodies) = (http.clone(), url.clone(), bodies.clone());
        async move {
            let (body, signature) = &bodies[n];
            let res = http.post(&url).header("x-hub-signature-256", signature).body(body.clone()).send().await.unwrap();
            assert!(res.status().is_success(), "{}", res.status());
            let _ = res.bytes().await;
        }
    })
    .await
}

fn signed(bodies: Vec<Vec<u8>>) -> Arc<Vec<(Vec<u8>, String)>> {
    let secret = SecretString::from(SECRET);
    Arc::new(bodies.into_iter().map(|b| (b.clone(), sign(&secret, &b))).collect())
}

/// Waits until the store holds `expected` messages; the time it took.
async fn processed(app: &adronx::storage::Stores, expected: usize, since: Instant) -> f64 {
    let org = app::ids::OrgId::new("bench");
    loop {
        let total = app.inbox.unread_total(&org).await.unwrap() as usize;
        if total >= expected {
            return since.elapsed().as_secs_f64();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    let vars = [
        ("ADRONX_ADDR", "127.0.0.1:0".to_owned()),
        ("ADRONX_DATA_DIR", dir.path().to_string_lossy().into_owned()),
        ("LEPTOS_SITE_ROOT", site.to_string_lossy().into_owned()),
        ("ADRONX_WHATSAPP_APP_SECRET", SECRET.to_owned()),
        ("ADRONX_LOG_FORMAT", "json".to_owned()),
    ];
    let config = Config::from_lookup(|k| vars.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone())).unwrap();
    let app = Application::build(config).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let stores = app.store();
    let now = time::OffsetDateTime::now_utc();
    stores
        .whatsapp
        .save_connection(&ConnectionRecord {
            org_id: app::ids::OrgId::new("bench"),
            kind: ConnectionKind::Meta,
            waba_id: "1".into(),
            phone_number_id: "1001".into(),
            display_phone: "+1 555 0100".into(),
            verified_name: "Bench".into(),
            quality_rating: None,
            token: "sealed".into(),
            status: ConnectionStatus::Connected,
            status_detail: None,
            connected_at: now,
            updated_at: now,
        })
        .await
        .unwrap();
    tokio::spawn(app.run_until_stopped());
    let http = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().unwrap();
    let webhook = format!("{base}/webhooks/whatsapp");

    let statics = {
        let (http, url) = (http.clone(), format!("{base}/favicon.svg"));
        load(CLIENTS, 20_000, move |_| {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let res = http.get(&url).send().await.unwrap();
                assert!(res.status().is_success(), "{}", res.status());
                let _ = res.bytes().await;
            }
        })
        .await
    };
    println!(
        "static file: {:.0} requests/s (p50 {:.2} ms, p99 {:.2} ms)",
        statics.0,
        percentile(&statics.1, 0.5),
        percentile(&statics.1, 0.99)
    );

    let mut expected = 0;
    let since = Instant::now();
    for (size, count) in [(1usize, 20_000usize), (50, 600)] {
        let first = expected / size;
        let bodies = signed((0..count).map(|b| delivery(first + b + 1_000_000 * size, size)).collect());
        let (rate, latencies) = post_all(&http, &webhook, bodies).await;
        expected += size * count;
        println!(
            "deliveries of {size}: {rate:.0} deliveries/s = {:.0} messages/s acknowledged (p50 {:.2} ms, p99 {:.2} ms)",
            rate * size as f64,
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99)
        );
    }
    let took = processed(&stores, expected, since).await;
    println!(
        "processing: {expected} messages filed in their conversations {took:.1} s after the first delivery = {:.0} messages/s sustained",
        expected as f64 / took
    );

    // Paced: 1,000 deliveries a second for 5 seconds, each timed from its own send.
    let bodies = signed((0..5_000).map(|b| delivery(9_000_000 + b, 1)).collect());
    let mut latencies = Vec::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (n, (body, signature)) in bodies.iter().cloned().enumerate() {
        let due = started + Duration::from_micros(n as u64 * 1000);
        tokio::time::sleep_until(due.into()).await;
        let (http, url) = (http.clone(), webhook.clone());
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let res = http.post(&url).header("x-hub-signature-256", signature).body(body).send().await.unwrap();
            assert!(res.status().is_success());
            sent.elapsed()
        }));
    }
    for t in tasks {
        latencies.push(t.await.unwrap());
    }
    latencies.sort();
    println!(
        "at 1,000 deliveries/s for 5 s: acknowledgement p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().unwrap().as_secs_f64() * 1e3
    );
}
